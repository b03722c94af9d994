"""The project's URLs plus ``/bench-bare/``: a view that renders a one-line template through
the same middleware, the baseline of bench/pages.py."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from gongkai.urls import handler403, handler404, handler500  # noqa: F401
from gongkai.urls import urlpatterns as project

_template = engines["django"].from_string("<!doctype html><title>bare</title><p>{{ n }}</p>")


def bare(request):
    return HttpResponse(_template.render({"n": 1}, request))


urlpatterns = [path("bench-bare/", bare), *project]
