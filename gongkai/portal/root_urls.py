"""Addresses at the site's root outside the ``portal`` namespace (included by gongkai.urls)."""

from django.urls import path

from gongkai.portal import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
