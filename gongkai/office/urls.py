from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.checker import urls as checker_urls
from gongkai.office import cases, items, views
from gongkai.reports import office_urls as report_urls

app_name = "office"

urlpatterns = [
    path(
        "login/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="office/password_done.html"),
        name="password_change_done",
    ),
    path("", views.dashboard, name="dashboard"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/people/", views.people, name="people"),
    path("agencies/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("agencies/<int:pk>/people/grant/", views.role_grant, name="role_grant"),
    path(
        "agencies/<int:pk>/people/<int:membership_pk>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
    path("agencies/<int:pk>/history/", views.history, name="history"),
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
    path("calendars/", cases.calendars, name="calendars"),
    path("agencies/<int:pk>/items/", items.item_list, name="items"),
    path("agencies/<int:pk>/items/new/", items.item_create, name="item_create"),
    path("agencies/<int:pk>/items/settings/", items.catalog_settings, name="catalog_settings"),
    path("items/<int:pk>/", items.item_detail, name="item"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/steps/<slug:step>/", items.item_step, name="item_step"),
    path(
        "items/<int:pk>/files/<int:attachment_pk>/",
        items.item_attachment,
        name="item_attachment",
    ),
    # The annual report: flat in this namespace, so the permission tests see every name.
    *report_urls.urlpatterns,
    # The report checker: any staff member, about no agency in particular.
    *checker_urls.urlpatterns,
]
