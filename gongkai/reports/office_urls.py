"""The back-office URLs of the annual report. They join the ``office`` namespace (see
``gongkai.office.urls``), so that the permission tests of the back office cover them."""

from django.urls import path

from gongkai.reports import office_records, office_views

urlpatterns = [
    path("agencies/<int:pk>/reports/", office_views.report_list, name="reports"),
    path("agencies/<int:pk>/reports/open/", office_views.report_open, name="report_open"),
    path(
        "agencies/<int:pk>/reports/overview/",
        office_views.report_overview,
        name="report_overview",
    ),
    path("reports/<int:pk>/", office_views.report_detail, name="report"),
    path("reports/<int:pk>/steps/<slug:step>/", office_views.report_step, name="report_step"),
    path(
        "reports/<int:pk>/download/<slug:fmt>/",
        office_views.report_download,
        name="report_download",
    ),
    path("agencies/<int:pk>/appeals/", office_records.appeal_list, name="appeals"),
    path("agencies/<int:pk>/appeals/new/", office_records.appeal_create, name="appeal_create"),
    path("appeals/<int:pk>/edit/", office_records.appeal_edit, name="appeal_edit"),
    path("appeals/<int:pk>/delete/", office_records.appeal_delete, name="appeal_delete"),
    path("agencies/<int:pk>/figures/", office_records.figures, name="figures"),
]
