"""Real servers on loopback for the reliability tests: ``gongkai serve`` in its own process
and Debian's nginx in front of it, with the configuration the deployment guide ships."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

ROOT = Path(__file__).parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need(program: str) -> None:
    """Skip without the program, unless GONGKAI_REQUIRE_SERVICES=1 (CI), where it fails."""
    if Path(program).exists():
        return
    if os.environ.get("GONGKAI_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{program} is not installed (./scripts/setup test installs it as root).")
    pytest.skip(f"{program} is not installed")


def wait_for(port: int, process: subprocess.Popen, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{what} did not start: {output_of(process)}") from None
            time.sleep(0.2)


def output_of(process: subprocess.Popen) -> str:
    """What a server started here printed so far (its files, or its pipe once it ended)."""
    log = getattr(process, "log", None)
    if log is not None:
        return "".join(
            Path(path).read_text(encoding="utf-8", errors="replace")
            for path in (log, process.errors)
        )
    if process.stdout and process.poll() is not None:
        return process.stdout.read()
    return ""


def log_lines_of(process: subprocess.Popen) -> list[str]:
    """What ``start_gongkai``'s server wrote to its standard error: its log lines."""
    return Path(process.errors).read_text(encoding="utf-8", errors="replace").splitlines()


def start_gongkai(
    data_dir: Path, port: int, env_extra: dict[str, str], *, args: tuple[str, ...] = ()
) -> subprocess.Popen:
    """``gongkai serve --demo`` (and ``args``) on a loopback port. What it prints goes to
    files beside the data folder, its standard output (the banner) to ``process.log``, its
    standard error (the log lines) to ``process.errors`` (read with ``output_of`` and
    ``log_lines_of``): a pipe nobody reads would stop the server once its one line per
    request filled it."""
    env = {**subprocess_env(data_dir), **env_extra}
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"gongkai-{port}.out"
    errors = data_dir.parent / f"gongkai-{port}.err"
    with open(log, "w", encoding="utf-8") as output, open(errors, "w", encoding="utf-8") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--demo", "--port", str(port), *args],
            env=env,
            stdout=output,
            stderr=err,
            text=True,
        )
    process.log, process.errors = log, errors
    wait_for(port, process, "gongkai serve")
    return process


def start_nginx(folder: Path, *, app_port: int, tls_port: int, plain_port: int):
    """nginx with deploy/nginx.conf as shipped, its ports, certificate and upstream changed to
    loopback ones of the test, and a self-signed certificate made here."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-keyout", str(folder / "key.pem"),
            "-out", str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{plain_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;"),
        ("/etc/ssl/gongkai/fullchain.pem", str(folder / "cert.pem")),
        ("/etc/ssl/gongkai/privkey.pem", str(folder / "key.pem")),
        ("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}"),
        ("/var/log/nginx/gongkai.access.log", str(folder / "access.log")),
    ]:
        assert old in site, f"deploy/nginx.conf no longer has {old!r}"
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for(tls_port, process, "nginx", seconds=20)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Client:
    """A browser-like client from one loopback address: cookies, CSRF, no redirects
    followed."""

    def __init__(self, port: int, *, source: str = "127.0.0.1", tls: bool = True):
        self.port, self.source, self.tls = port, source, tls
        self.cookies: dict[str, str] = {}

    def _connection(self):
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
            return http.client.HTTPSConnection(
                "localhost", self.port, timeout=30, context=context,
                source_address=(self.source, 0),
            )  # fmt: skip
        return http.client.HTTPConnection(
            "localhost", self.port, timeout=30, source_address=(self.source, 0)
        )

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://localhost:{self.port}"

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        connection = self._connection()
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            body = {**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            data = urllib.parse.urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + path
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: dict, **headers):
        return self.request("POST", path, body, headers=headers)
