"""The routes of the ninja API (``gongkai.api.base.api``, its operations in ``views``), each
behind the API's own 405: JSON, in Chinese, with its Allow header (ninja's is plain text)."""

from django.urls import path

from gongkai.api import (
    base,
    views,  # noqa: F401  (importing it adds its operations to base.api)
)

app_name = "api"


def _view(name: str):
    [pattern] = [p for p in base.api.urls[0] if p.name == name]
    operations = pattern.callback  # ninja's view of the path: every operation on it
    allowed = ["POST"] if name == "applications" else ["GET", "HEAD"]

    def view(request, *args, **kwargs):
        if request.method not in allowed:
            return base._not_allowed(request, allowed)
        return operations(request, *args, **kwargs)

    view.csrf_exempt = True  # no cookie or session is read: CSRF has nothing to protect
    view.__name__ = view.__qualname__ = name
    return view


applications = _view("applications")

urlpatterns = [
    path("applications", applications, name="applications"),
    path("applications/", applications),
    path("applications/<str:tracking_number>", _view("application"), name="application"),
    path("items", _view("items"), name="items"),
    path("reports", _view("reports"), name="reports"),
    path("openapi.json", _view("openapi"), name="openapi"),
]
