"""Several app processes under gunicorn, for ``gongkai serve --processes N`` (Linux).

``gongkai serve`` does the start-up work (check, migrate, collectstatic, demo data) once, in
this process, which then becomes gunicorn's master: it forks N worker processes that share
the listening socket, each with ``threads`` threads (gunicorn's gthread worker), replaces a
worker that dies and stops them all on SIGTERM. The workers inherit the loaded Django
application; none repeats the start-up work.

gunicorn's own handling of forwarded headers is turned off: ``gongkai.wsgi.TrustedProxy``
decides whom to believe, the same under waitress and gunicorn. Its log lines go through
Django's LOGGING (plain or JSON, like every other line); its access log stays off, as
``gongkai.request`` writes one line per request.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

# A worker that stops answering its master for this long is replaced. The gthread worker's
# main loop answers while its threads work, so a long request (the report checker takes up to
# 120 seconds) does not count against it.
WORKER_TIMEOUT = 60
# On SIGTERM, requests in progress get this long to finish: the longest the site allows.
GRACEFUL_TIMEOUT = 130


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_listen(host: str, port: int) -> None:
    """Raise OSError when ``host:port`` cannot be listened on (in use, no such address), so
    that the refusal is said in Chinese before gunicorn retries and gives up in English."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def run_gunicorn(
    application,
    *,
    host: str,
    port: int,
    processes: int,
    threads: int,
    in_each_worker: Callable[[], object] | None = None,
) -> None:
    """Serve ``application`` with gunicorn until it is stopped (exits with gunicorn's
    status). ``in_each_worker`` is called in every worker process once it has started (a
    thread started there lives in that worker; one started in the master would not survive
    the fork)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication
    from gunicorn.glogging import Logger

    class ThroughDjangoLogging(Logger):
        """gunicorn's lines through the handlers of Django's LOGGING, not its own."""

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in list(log.handlers):
                    log.removeHandler(handler)
                log.propagate = True

    options = {
        "bind": [bind_address(host, port)],
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "proc_name": "gongkai",
        "timeout": WORKER_TIMEOUT,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        # Nobody's forwarded headers are read by gunicorn itself: TrustedProxy decides.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "logger_class": ThroughDjangoLogging,
        "accesslog": None,
        # No control socket in $HOME: two sites on one machine would share its path; the
        # master is run with signals (systemctl reload/stop), docs/processes.md.
        "control_socket_disable": True,
    }
    if in_each_worker is not None:
        options["post_worker_init"] = lambda worker: in_each_worker()

    class Server(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):
            return application

    # The start-up work opened database connections; a forked worker must not share them.
    connections.close_all()
    Server().run()
