"""Two app processes, one Redis: the rate-limit counters are shared (GONGKAI_REDIS_URL), so a
limit holds whichever process a request reaches. Redis is a real server started here on a
loopback port of its own."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.reliability.servers import Client, free_port, need, start_gongkai, stop, wait_for

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    need(REDIS)
    folder = tmp_path_factory.mktemp("shared")
    redis_port = free_port()
    redis = subprocess.Popen(
        [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    wait_for(redis_port, redis, "redis-server", seconds=20)
    env = {"GONGKAI_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
    ports = [free_port(), free_port()]
    servers = []
    try:
        for port in ports:  # one after the other: the first one migrates the database
            servers.append(start_gongkai(folder / "data", port, env))
        yield ports
    finally:
        for server in servers:
            stop(server)
        stop(redis)


def test_the_login_limit_is_counted_across_processes(two_processes):
    first, second = (Client(port, source="127.0.0.2", tls=False) for port in two_processes)
    for client in (first, second):
        client.get("/office/login/")
    statuses = []
    for n in range(30):  # the limit per address, split between the two processes
        client = first if n % 2 else second
        statuses.append(client.post("/office/login/", {"username": f"x{n}", "password": "no"})[0])
    assert statuses == [200] * 30
    assert first.post("/office/login/", {"username": "y", "password": "no"})[0] == 429
    assert second.post("/office/login/", {"username": "z", "password": "no"})[0] == 429
    # Another address is not affected.
    other = Client(two_processes[0], source="127.0.0.3", tls=False)
    other.get("/office/login/")
    assert other.post("/office/login/", {"username": "y", "password": "no"})[0] == 200
