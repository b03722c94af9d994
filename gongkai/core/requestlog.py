"""One id per request, on every log line written while handling it, and one line per request.

The id comes from the reverse proxy's ``X-Request-ID`` when the proxy sent it (``gongkai.wsgi``
believes it from ``GONGKAI_TRUSTED_PROXY`` alone and puts it in ``environ[REQUEST_ID_KEY]``),
so the proxy's access log and the app's lines of one request share it; otherwise it is made
here. It is returned in the ``X-Request-ID`` response header, so a citizen who reports an error
page can quote it and the operator can find every line of that request.

Log lines are plain text by default and one JSON object each with ``GONGKAI_LOG_FORMAT=json``
(for journald, Loki, Elasticsearch…). What a line may carry is fixed here: the request's
method and path (never the query string, which may hold a query code), the status, the
duration and the user's numeric id; never a password, a query code or an applicant's data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished
from django.utils.functional import empty

REQUEST_ID_KEY = "gongkai.request_id"
HEADER = "X-Request-ID"
# What a proxy's id may look like (nginx's $request_id is 32 hex digits): anything else is
# replaced, so that no header can put spaces, quotes or control characters into a log line.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current: ContextVar[dict | None] = ContextVar("gongkai_request", default=None)
_access = logging.getLogger("gongkai.request")

# Attributes a log line may carry beyond time, level, logger and message, in this order.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


def new_id() -> str:
    return uuid.uuid4().hex


def current_id() -> str:
    """The id of the request being handled in this thread, or "" outside a request."""
    context = _current.get()
    return context["request_id"] if context else ""


class RequestContext(logging.Filter):
    """Adds the request's id, method and path to every record handled while it runs (a
    handler's filter: it sees the records of every logger, gongkai's, Django's, the
    servers')."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get() or {}
        for name in ("request_id", "method", "path"):
            if not hasattr(record, name):
                setattr(record, name, context.get(name, ""))
        return True


class PlainFormatter(logging.Formatter):
    """``time LEVEL logger [request id]: message``; the brackets only inside a request."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", "")
        record.request = f" [{request_id}]" if request_id else ""
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, local time with offset), level, logger,
    message, process, the request's fields when there is a request, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def request_log(get_response):
    """The outermost middleware: sets the request's id for the log lines written while it is
    handled, returns it in ``X-Request-ID`` and writes one line when the response is ready.

    The id stays set until the server closes the response (``request_finished``): Django
    writes its "Not Found: …" line after the middleware, and a streamed file is sent after
    it, both still parts of the request."""

    def middleware(request):
        proposed = request.META.get(REQUEST_ID_KEY, "")
        request_id = proposed if ACCEPTED_ID.fullmatch(proposed or "") else new_id()
        request.request_id = request_id
        _current.set({"request_id": request_id, "method": request.method, "path": request.path})
        started = time.monotonic()
        response = get_response(request)
        response[HEADER] = request_id
        user_id = _user_id(request)
        duration = round((time.monotonic() - started) * 1000, 1)
        _access.info(
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration,
            extra={"status": response.status_code, "duration_ms": duration, "user_id": user_id},
        )
        return response

    return middleware


def _user_id(request):
    """The staff member's id, if the request looked them up (the log costs no query)."""
    user = getattr(request, "user", None)
    loaded = getattr(user, "_wrapped", user)  # a lazy object until something read it
    if loaded is None or loaded is empty or not loaded.is_authenticated:
        return None
    return loaded.pk


def _finished(**_kwargs) -> None:
    """The response was closed: lines written by this thread from now on are no request's."""
    _current.set(None)


request_finished.connect(_finished, dispatch_uid="gongkai-request-log")
