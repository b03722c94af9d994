import os
import stat
import subprocess
import sys

import pytest

from gongkai import config
from tests.conftest import subprocess_env


def test_empty_database_url_means_sqlite_in_the_data_folder(tmp_path):
    db = config.database("", tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "gongkai.sqlite3")


def test_sqlite_url_absolute_and_relative(tmp_path):
    assert config.database("sqlite:////var/lib/gk.db", tmp_path)["NAME"] == "/var/lib/gk.db"
    assert config.database("sqlite:///data/gk.db", tmp_path)["NAME"] == "data/gk.db"
    assert config.database("sqlite://:memory:", tmp_path)["NAME"] == ":memory:"
    # A file named in the URL runs as the default one does (WAL, IMMEDIATE, a writer waits).
    named = config.database("sqlite:////var/lib/gk.db", tmp_path)["OPTIONS"]
    assert named == config.database("", tmp_path)["OPTIONS"]
    assert named["transaction_mode"] == "IMMEDIATE" and named["timeout"] == 20


def test_postgres_url_is_split_into_its_parts(tmp_path):
    db = config.database("postgres://gk:p%40ss@db.local:6543/gongkai?sslmode=require", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "gk",
        "p@ss",
        "db.local",
        "6543",
        "gongkai",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@localhost/gk", "不受支持"),
        ("postgres://user@host:5432/", "缺少数据库名"),
        ("postgres://user@host:99999/gk", "端口号无效"),
        ("sqlite://", "缺少 SQLite 文件路径"),
    ],
)
def test_bad_database_urls_are_explained_in_chinese(tmp_path, url, fragment):
    with pytest.raises(config.ConfigError, match=fragment):
        config.database(url, tmp_path)


def test_env_bool_refuses_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("GONGKAI_X", "maybe")
    with pytest.raises(config.ConfigError, match="GONGKAI_X"):
        config.env_bool("GONGKAI_X")
    monkeypatch.setenv("GONGKAI_X", "Yes")
    assert config.env_bool("GONGKAI_X") is True


def test_secret_key_is_created_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50
    assert config.secret_key(tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret.key").st_mode)
    assert mode == 0o600


def test_a_short_secret_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_SECRET_KEY", "short")
    with pytest.raises(config.ConfigError, match="太短"):
        config.secret_key(tmp_path)


def _gongkai(*args, env_extra=None, tmp_path):
    env = subprocess_env(tmp_path)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_configuration_stops_the_command_with_a_message_not_a_traceback(tmp_path):
    result = _gongkai(
        "manage", "check", env_extra={"DATABASE_URL": "mysql://x@y/z"}, tmp_path=tmp_path
    )
    assert result.returncode == 2
    assert "配置错误" in result.stderr and "不受支持" in result.stderr
    assert "Traceback" not in result.stderr


def test_https_deployment_passes_check_deploy(tmp_path):
    result = _gongkai(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "GONGKAI_HTTPS": "true",
            "GONGKAI_TRUSTED_PROXY": "127.0.0.1",
            "GONGKAI_SECRET_KEY": "x" * 20 + "Yq7#kP2$wL9@zR4!mN6^vB8&cT1*hJ3%dF5",
            "GONGKAI_EMAIL_HOST": "smtp.example.org",
            "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
            "GONGKAI_SITE_URL": "https://gk.example.gov.cn",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_http_deployment_is_warned_about(tmp_path):
    result = _gongkai("manage", "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "gongkai.W001" in result.stderr + result.stdout


def test_https_without_the_proxy_is_an_error_at_every_start(tmp_path):
    result = _gongkai("manage", "check", env_extra={"GONGKAI_HTTPS": "true"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "gongkai.E010" in result.stderr and "GONGKAI_TRUSTED_PROXY" in result.stderr


def test_the_trusted_proxy_is_one_address(tmp_path):
    for value in ("10.0.0.0/8", "*", "nginx"):
        result = _gongkai(
            "manage", "check", env_extra={"GONGKAI_TRUSTED_PROXY": value}, tmp_path=tmp_path
        )
        assert result.returncode == 2, value
        assert "不是一个 IP 地址" in result.stderr and "Traceback" not in result.stderr
