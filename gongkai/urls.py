from django.urls import include, path

from gongkai.core import views as core_views

urlpatterns = [
    path("healthz", core_views.health, name="health"),
    path("api/v1/", include("gongkai.api.urls")),
    path("office/", include("gongkai.letters.urls")),
    path("office/", include("gongkai.ledger.urls")),
    path("office/", include("gongkai.jobs.urls")),
    path("office/", include("gongkai.office.urls")),
    path("", include("gongkai.portal.root_urls")),  # /sitemap.xml
    path("", include("gongkai.portal.urls")),
]

handler400 = "gongkai.core.views.bad_request"
handler403 = "gongkai.core.views.forbidden"
handler404 = "gongkai.core.views.not_found"
handler500 = "gongkai.core.views.server_error"
