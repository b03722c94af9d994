"""``gongkai serve --processes N``: the combinations that cannot work are refused in Chinese
before any start-up work (gongkai.core.checks.check_processes), and a port already taken is
said so (gongkai.core.appserver). The processes themselves run in
tests/reliability/test_processes.py."""

from __future__ import annotations

import re
import shlex
import socket
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai import config
from gongkai.core import appserver
from gongkai.core.checks import check_processes


def test_several_processes_without_redis_are_refused(db, settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--processes", "2", "--port", "1")
    message = str(refused.value)
    assert "gongkai.E031" in message and "GONGKAI_REDIS_URL" in message
    assert "各算各的限额" in message  # says why, not only what


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_process_count_below_one_is_refused(db, value):
    with pytest.raises(CommandError, match=r"gongkai\.E030"):
        call_command("serve", "--processes", value)


def test_a_thread_count_below_one_is_refused(db):
    with pytest.raises(CommandError, match="线程数 0 无效"):
        call_command("serve", "--threads", "0")


def test_what_is_allowed(settings):
    settings.REDIS_URL = ""
    assert check_processes(1) == []  # the embedded default needs nothing
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert check_processes(4) == []


def test_a_port_in_use_is_found_before_gunicorn_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError):
            appserver.check_listen("127.0.0.1", port)
    appserver.check_listen("127.0.0.1", port)  # free again


def test_the_bind_address_of_ipv6():
    assert appserver.bind_address("::1", 8000) == "[::1]:8000"
    assert appserver.bind_address("127.0.0.1", 8000) == "127.0.0.1:8000"


# --- the shipped systemd units -------------------------------------------------------------

DEPLOY = Path(__file__).parents[1] / "deploy" / "systemd"


def _directive(unit: str, name: str) -> str:
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    [value] = re.findall(rf"^{name}=(.*)$", text, flags=re.MULTILINE)
    return value


def test_the_units_start_gongkai_with_options_it_has():
    from gongkai.site.management.commands.serve import Command

    program, command, *args = shlex.split(_directive("gongkai.service", "ExecStart"))
    assert program == "/srv/gongkai/.venv/bin/gongkai" and command == "serve"
    options = Command().create_parser("gongkai", "serve").parse_args(args)
    assert options.processes > 1 and options.host == "127.0.0.1" and options.port == 8000
    program, command, *_ = shlex.split(_directive("gongkai-remind.service", "ExecStart"))
    assert command == "remind"
    program, command, *args = shlex.split(_directive("gongkai-worker.service", "ExecStart"))
    assert program == "/srv/gongkai/.venv/bin/gongkai" and (command, args) == ("worker", [])


def test_the_environment_file_sets_only_what_gongkai_reads():
    names = dict(
        line.split("=", 1)
        for line in (DEPLOY / "gongkai.env").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    read = "".join(
        (Path(__file__).parents[1] / "gongkai" / name).read_text(encoding="utf-8")
        for name in ("settings.py", "config.py")
    )
    unknown = [name for name in names if f'"{name}"' not in read]
    assert not unknown
    # Several processes (the unit runs four) need Redis: the file sets it.
    assert names["GONGKAI_REDIS_URL"].startswith("redis://")
    assert names["GONGKAI_LOG_FORMAT"] in config.LOG_FORMATS
    # The jobs are gongkai-worker.service's, not the web processes'.
    assert names["GONGKAI_JOBS_IN_SERVE"] == "false"
