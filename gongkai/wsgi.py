"""The WSGI application of every server gongkai runs under (waitress, gunicorn, runserver).

``TrustedProxy`` is the one rule for the reverse proxy's headers, the same whichever server
runs the app: ``X-Forwarded-For`` (the client's address), ``X-Forwarded-Proto`` (https) and
``X-Request-ID`` are believed from ``GONGKAI_TRUSTED_PROXY`` alone and dropped from everyone
else, so that no client can choose its own address (and dodge the rate limits), claim HTTPS
or write its own id into the logs.
"""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from gongkai.core.requestlog import REQUEST_ID_KEY

BELIEVED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REQUEST_ID")
# Removed from every request: the three above once read, and the forwarding headers gongkai
# never reads from anyone (host, port, RFC 7239 Forwarded), so that nothing downstream can.
FORWARDED = (
    *BELIEVED,
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_BY",
    "HTTP_FORWARDED",
)


class TrustedProxy:
    """Wraps a WSGI application. From the proxy (its address equal to ``proxy``): the last
    address of X-Forwarded-For becomes ``REMOTE_ADDR`` (the one the proxy itself added; nginx
    as shipped sends only that one), X-Forwarded-Proto ``http``/``https`` becomes the URL
    scheme and X-Request-ID is handed to the request log. These and the other forwarding
    headers are then removed from every request, the proxy's included: nothing downstream
    may read them."""

    def __init__(self, app, proxy: str):
        self.app = app
        self.proxy = _address(proxy)

    def __call__(self, environ, start_response):
        if self.proxy and _address(environ.get("REMOTE_ADDR", "")) == self.proxy:
            self._believe(environ)
        for name in FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)

    @staticmethod
    def _believe(environ) -> None:
        client = _address(environ.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1])
        if client:  # else no usable address: the request stays the proxy's own
            environ["REMOTE_ADDR"] = client
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", "").strip().lower()
        if scheme in ("http", "https"):
            environ["wsgi.url_scheme"] = scheme
        request_id = environ.get("HTTP_X_REQUEST_ID", "").strip()
        if request_id:
            environ[REQUEST_ID_KEY] = request_id


def _address(value: str) -> str:
    """An IP address in its canonical form (an IPv4 address mapped into IPv6, as a dual-stack
    socket reports it, as IPv4), or "" if ``value`` is none."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return ""
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
django_application = get_wsgi_application()
application = TrustedProxy(django_application, settings.TRUSTED_PROXY)
