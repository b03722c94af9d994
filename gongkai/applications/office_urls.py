"""The case file's staff URLs; they join the ``office`` namespace (gongkai/office/urls.py)."""

from django.urls import path

from gongkai.applications import office_calendars as calendars
from gongkai.applications import office_views as cases

urlpatterns = [
    path("agencies/<int:pk>/cases/", cases.case_list, name="cases"),
    path("agencies/<int:pk>/cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/steps/<slug:step>/", cases.case_step, name="case_step"),
    path("cases/<int:pk>/oral-form/", cases.oral_form, name="case_oral_form"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        cases.attachment_download,
        name="attachment",
    ),
    path("calendars/", calendars.calendars, name="calendars"),
]
