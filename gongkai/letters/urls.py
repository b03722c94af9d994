from django.urls import path, re_path

from gongkai.letters import views

app_name = "letters"

urlpatterns = [
    path("cases/<int:pk>/letters/", views.case_letters, name="case"),
    re_path(
        r"^cases/(?P<pk>[0-9]+)/letters/(?P<kind>[a-z_]+)\.(?P<fmt>docx|pdf)$",
        views.download,
        name="download",
    ),
    path("agencies/<int:pk>/letters/", views.template_list, name="templates"),
    path("agencies/<int:pk>/letters/<slug:kind>/edit/", views.template_edit, name="edit"),
]
