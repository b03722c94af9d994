from django.urls import include, path

from gongkai.site import views as site_views

urlpatterns = [
    path("healthz", site_views.health, name="health"),
    path("api/v1/", include("gongkai.api.urls")),
    path("office/", include("gongkai.office.urls")),
    path("", include("gongkai.portal.root_urls")),  # /sitemap.xml
    path("", include("gongkai.portal.urls")),
]

handler400 = "gongkai.site.views.bad_request"
handler403 = "gongkai.site.views.forbidden"
handler404 = "gongkai.site.views.not_found"
handler500 = "gongkai.site.views.server_error"
