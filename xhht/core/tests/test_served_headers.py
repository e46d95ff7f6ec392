"""Issue 12, hole 6, as the network sees it: the real ``xhht serve`` (gunicorn, our worker) sends no ``Server``
banner on pages, static files, errors and redirects, and the security headers are there.

The Django test client never sees gunicorn's own header lines, so this starts the server on a free loopback
port and reads the raw response head from a socket.
"""

from __future__ import annotations

import socket
from typing import Any, Iterator

import pytest

from xhht.core.tests.instance import Instance


@pytest.fixture(scope="module")
def served(tmp_path_factory: Any) -> Iterator[str]:
    inst = Instance(tmp_path_factory.mktemp("headers-instance"), "headers")
    inst.env.update(XHHT_WORKERS="1", XHHT_THREADS="2")
    inst.xhht("migrate", "-v0")
    try:
        with inst.serving("--no-worker") as (url, _):
            yield url
    finally:
        inst.drop()


def raw_head(url: str, path: str) -> tuple[str, dict[str, list[str]]]:
    host, port = url.rsplit("/", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=20) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    status, *lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines:
        name, value = line.split(":", 1)
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return status, headers


def test_served_pages_carry_no_server_banner_and_the_security_headers(served: str) -> None:
    status, headers = raw_head(served, "/dang-nhap/")
    assert status.startswith("HTTP/1.1 200"), status
    assert "server" not in headers, headers.get("server")
    assert "date" in headers  # gunicorn's other default lines stay
    csp = headers["content-security-policy"][0]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in headers["permissions-policy"][0]
    assert headers["x-content-type-options"] == ["nosniff"]
    assert headers["x-frame-options"] == ["DENY"]
    assert headers["referrer-policy"] == ["same-origin"]
    assert "x-request-id" in headers


@pytest.mark.parametrize("path", ["/", "/khong-co-trang-nay/", "/static/xhht/xhht.js", "/healthz"])
def test_no_server_banner_on_redirects_errors_static_files_and_health(served: str, path: str) -> None:
    status, headers = raw_head(served, path)
    assert status.split()[1] in {"200", "302", "404", "503"}, status
    assert "server" not in headers, (path, headers.get("server"))
