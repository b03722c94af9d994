"""HEAD on the real server (gongkai serve, waitress): the GET's headers and no body, so that the
next response on a kept-alive connection is read as a response (waitress sent the body)."""

from __future__ import annotations

import socket

import pytest

from tests.reliability.servers import free_port, start_gongkai, stop


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = start_gongkai(tmp_path_factory.mktemp("head") / "data", port, {})
    yield port
    stop(process)


def exchange(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("path", ["/api/v1/items", "/org/mzj/", "/api/v1/openapi.json"])
def test_head_has_the_gets_length_and_no_body(server, path):
    get = exchange(
        server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    get_head, _, get_body = get.partition(b"\r\n\r\n")
    assert get_head.startswith(b"HTTP/1.1 200") and get_body
    # HEAD, then a GET on the same connection: the second response follows the first's headers.
    both = exchange(
        server,
        f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode(),
    )
    head, _, rest = both.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert f"Content-Length: {len(get_body)}".encode() in head
    assert rest.startswith(b"HTTP/1.1 200"), rest[:80]
