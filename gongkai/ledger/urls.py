from django.urls import path

from gongkai.ledger import views

app_name = "ledger"

urlpatterns = [
    path("agencies/<int:pk>/ledger/", views.index, name="index"),
    path("agencies/<int:pk>/ledger/export.xlsx", views.export, name="export"),
    path("agencies/<int:pk>/ledger/template.xlsx", views.template, name="template"),
]
