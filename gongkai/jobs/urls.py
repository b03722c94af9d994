from django.urls import path

from gongkai.jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/<int:pk>/", views.detail, name="detail"),
    path("jobs/<int:pk>/status.json", views.status_json, name="status"),
    path("jobs/<int:pk>/again/", views.again, name="again"),
]
