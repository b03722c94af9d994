from django.urls import path

from gongkai.api import views

app_name = "api"

urlpatterns = [
    path("applications", views.applications, name="applications"),
    path("applications/", views.applications),
    path("applications/<str:tracking_number>", views.application, name="application"),
    path("items", views.items, name="items"),
    path("reports", views.reports, name="reports"),
    path("openapi.json", views.openapi_document, name="openapi"),
]
