from django.urls import include, path

urlpatterns = [
    path("office/", include("gongkai.office.urls")),
    path("", include("gongkai.portal.urls")),
]

handler403 = "gongkai.core.views.forbidden"
handler404 = "gongkai.core.views.not_found"
handler500 = "gongkai.core.views.server_error"
