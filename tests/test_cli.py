"""The gongkai command line, run as a user runs it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from gongkai import cli
from gongkai.agencies.models import Agency, Membership, Role
from gongkai.history.models import Event
from gongkai.site import demo
from tests.conftest import subprocess_env


def test_help_lists_the_commands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ["serve", "demo", "createadmin", "manage"]:
        assert name in out


def test_unknown_command_exits_2_with_a_message(capsys):
    assert cli.main(["frobnicate"]) == 2
    assert "未知命令" in capsys.readouterr().err


def test_no_command_prints_usage_and_exits_2(capsys):
    assert cli.main([]) == 2
    assert "用法" in capsys.readouterr().out


def test_demo_is_idempotent_and_covers_every_role(db):
    call_command("demo")
    counts = (Agency.objects.count(), get_user_model().objects.count(), Membership.objects.count())
    events = Event.objects.count()
    call_command("demo")
    assert (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    ) == counts
    assert Event.objects.count() == events
    assert set(Membership.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert get_user_model().objects.get(username="sysadmin").is_superuser
    assert get_user_model().objects.get(username="yunxi-clerk").check_password(demo.DEMO_PASSWORD)
    root = Agency.objects.get(parent=None)
    assert Agency.objects.subtree(root).count() == Agency.objects.count() == 10


def test_createadmin_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("GONGKAI_ADMIN_PASSWORD", "a-Long-enough-pass-2026")
    call_command("createadmin", "--username", "root2", "--name", "张三")
    user = get_user_model().objects.get(username="root2")
    assert user.is_superuser and user.check_password("a-Long-enough-pass-2026")
    assert Event.objects.filter(action="user.create_admin").exists()
    with pytest.raises(CommandError, match="已存在"):
        call_command("createadmin", "--username", "root2")


def test_createadmin_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("GONGKAI_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("createadmin", "--username", "weak")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_serve_refuses_a_bad_port(db):
    with pytest.raises(CommandError, match="端口"):
        call_command("serve", "--port", "70000")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
        return response.status, response.read().decode()


def test_serve_demo_brings_up_the_portal_and_the_login_page(tmp_path):
    """The README's first command, in a fresh data folder on SQLite."""
    port = _free_port()
    env = subprocess_env(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stdout.read()) from None
                time.sleep(0.3)
        assert status == 200 and "政府信息公开" in body and "云溪县人民政府" in body
        status, body = _get(f"http://127.0.0.1:{port}/office/login/")
        assert status == 200 and "工作人员登录" in body
        status, css = _get(f"http://127.0.0.1:{port}/static/gongkai/site.css")
        assert status == 200 and "--red" in css
        assert (tmp_path / "gongkai.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_demo_refuses_a_database_with_real_data(county):
    with pytest.raises(CommandError, match="非演示数据"):
        call_command("demo")
    assert not Agency.objects.filter(slug="yunxi").exists()


def test_demo_refuses_a_real_agency_that_uses_a_demo_slug(db):
    from tests.conftest import make_agency

    make_agency("mzj", "某县民政局", n=7)
    with pytest.raises(CommandError, match="网址标识 mzj"):
        call_command("demo")
    assert not get_user_model().objects.exists()
