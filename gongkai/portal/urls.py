from django.urls import path, re_path

from gongkai.portal import annual_reports as report_views
from gongkai.portal import applicant, choose, feeds, lost_code, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<slug:slug>/", views.agency_home, name="agency"),
    path("org/<slug:slug>/guide/", views.guide, name="guide"),
    path("org/<slug:slug>/rules/", views.rules, name="rules"),
    path("org/<slug:slug>/content/", views.content, name="content"),
    path("org/<slug:slug>/content/<slug:key>/", views.category, name="category"),
    path("org/<slug:slug>/items/<int:pk>/", views.item, name="item"),
    path(
        "org/<slug:slug>/items/<int:pk>/files/<int:attachment_pk>/",
        views.item_file,
        name="item_file",
    ),
    path("org/<slug:slug>/feed.atom", feeds.feed, name="feed"),
    path("org/<slug:slug>/reports/", report_views.report_list, name="reports"),
    path("org/<slug:slug>/reports/<int:year>/", report_views.report_page, name="report"),
    re_path(
        r"^org/(?P<slug>[-a-zA-Z0-9_]+)/reports/(?P<year>[0-9]{4})\.(?P<fmt>docx|pdf)$",
        report_views.report_file,
        name="report_file",
    ),
    path("org/<slug:slug>/apply/", views.apply, name="apply"),
    path("org/<slug:slug>/apply/done/", views.apply_done, name="apply_done"),
    path("org/<slug:slug>/apply/form.pdf", views.paper_form, name="paper_form"),
    path("search/", views.search, name="search"),
    path("apply/", choose.choose, name="apply_choose"),
    path("status/", applicant.lookup, name="status"),
    path("status/lost/", lost_code.ask, name="lost_code"),
    path("status/lost/<str:token>/", lost_code.use, name="lost_code_use"),
    path("status/link/<str:token>/", applicant.case_link, name="case_link"),
    path("status/case/<str:number>/", applicant.case, name="case"),
    path("status/case/<str:number>/leave/", applicant.case_leave, name="case_leave"),
    path("status/case/<str:number>/correction/", applicant.case_correction, name="case_correction"),
    path(
        "status/case/<str:number>/letters/<slug:kind>.pdf",
        applicant.case_letter,
        name="case_letter",
    ),
    path(
        "status/case/<str:number>/files/<int:attachment_pk>/",
        applicant.case_file,
        name="case_file",
    ),
]
