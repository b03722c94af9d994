from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.applications import office_urls as case_urls
from gongkai.catalog import office_urls as item_urls
from gongkai.checker import urls as checker_urls
from gongkai.jobs import urls as job_urls
from gongkai.ledger import urls as ledger_urls
from gongkai.letters import urls as letter_urls
from gongkai.notices import urls as notice_urls
from gongkai.office import views
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
    # The case file and the calendar of working days (gongkai.applications).
    *case_urls.urlpatterns,
    # The catalog: items, their review and the agency's settings (gongkai.catalog).
    *item_urls.urlpatterns,
    # The annual report: flat in this namespace, so the permission tests see every name.
    *report_urls.urlpatterns,
    # The report checker: any staff member, about no agency in particular.
    *checker_urls.urlpatterns,
    # The letters of a case and the agency's templates; the Excel ledger; background jobs.
    *letter_urls.urlpatterns,
    *notice_urls.urlpatterns,
    *ledger_urls.urlpatterns,
    *job_urls.urlpatterns,
]
