"""Joins the ``office`` namespace (gongkai/office/urls.py): every staff URL is office:*."""

from django.urls import path

from gongkai.jobs import views

urlpatterns = [
    path("jobs/<int:pk>/", views.detail, name="job"),
    path("jobs/<int:pk>/status.json", views.status_json, name="job_status"),
    path("jobs/<int:pk>/again/", views.again, name="job_again"),
]
