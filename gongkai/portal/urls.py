from django.urls import path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<slug:slug>/", views.agency_home, name="agency"),
    path("org/<slug:slug>/guide/", views.guide, name="guide"),
    path("org/<slug:slug>/rules/", views.rules, name="rules"),
    path("org/<slug:slug>/content/", views.content, name="content"),
    path("org/<slug:slug>/reports/", views.reports, name="reports"),
    path("org/<slug:slug>/apply/", views.apply, name="apply"),
    path("org/<slug:slug>/apply/done/", views.apply_done, name="apply_done"),
    path("status/", views.status, name="status"),
]
