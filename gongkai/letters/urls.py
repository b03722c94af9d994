"""Joins the ``office`` namespace (gongkai/office/urls.py): every staff URL is office:*."""

from django.urls import path, re_path

from gongkai.letters import views

urlpatterns = [
    path("cases/<int:pk>/letters/", views.case_letters, name="case_letters"),
    re_path(
        r"^cases/(?P<pk>[0-9]+)/letters/(?P<kind>[a-z_]+)\.(?P<fmt>docx|pdf)$",
        views.download,
        name="letter_download",
    ),
    path("agencies/<int:pk>/letters/", views.template_list, name="letter_templates"),
    path("agencies/<int:pk>/letters/<slug:kind>/edit/", views.template_edit, name="letter_edit"),
]
