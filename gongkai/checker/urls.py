"""The checker's page in the back office. Joins the ``office`` namespace (see
``gongkai.office.urls``), so that the permission tests of the back office cover it."""

from django.urls import path

from gongkai.checker import views

urlpatterns = [
    path("checker/", views.checker, name="checker"),
    path("checker/<int:pk>/xlsx", views.checker_xlsx, name="checker_xlsx"),
]
