"""Joins the ``office`` namespace (gongkai/office/urls.py): every staff URL is office:*."""

from django.urls import path

from gongkai.ledger import views

urlpatterns = [
    path("agencies/<int:pk>/ledger/", views.index, name="ledger"),
    path("agencies/<int:pk>/ledger/export.xlsx", views.export, name="ledger_export"),
    path("agencies/<int:pk>/ledger/template.xlsx", views.template, name="ledger_template"),
]
