"""Joins the ``office`` namespace (gongkai/office/urls.py)."""

from django.urls import path

from gongkai.notices import views

urlpatterns = [
    path("cases/<int:pk>/notices/<int:message_pk>/again/", views.again, name="notice_again"),
]
