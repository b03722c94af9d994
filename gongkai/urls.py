from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("gongkai.api.urls")),
    path("office/", include("gongkai.letters.urls")),
    path("office/", include("gongkai.ledger.urls")),
    path("office/", include("gongkai.office.urls")),
    path("", include("gongkai.portal.root_urls")),  # /sitemap.xml
    path("", include("gongkai.portal.urls")),
]

handler403 = "gongkai.core.views.forbidden"
handler404 = "gongkai.core.views.not_found"
handler500 = "gongkai.core.views.server_error"
