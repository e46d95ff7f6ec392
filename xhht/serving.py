"""How ``xhht serve`` faces the network: gunicorn's threaded worker, made safe against slow clients.

gunicorn's ``gthread`` worker hands each new connection to a thread that then reads the request head with a
blocking socket: a few clients trickling header bytes hold every thread, and the site stops answering
(issue 12, hole 3). This worker gathers the request head in the worker's event loop instead, without a
thread, and only hands a connection to a thread once its whole head has arrived:

* the head must be complete within ``XHHT_HEADER_TIMEOUT`` seconds (default 10) and fit in 64 KiB, or the
  connection is closed, having cost no thread;
* once handed over, each read of the body and each write of the response may stall at most
  ``XHHT_BODY_TIMEOUT`` seconds (default 30; the kernel's SO_RCVTIMEO / SO_SNDTIMEO), so a slow body or a
  client that stops reading frees its thread too;
* gunicorn's own limits apply (request line, header count and size; see xhht/gunicorn_conf.py);
* no ``Server`` header: gunicorn writes ``Server: gunicorn`` before the application's headers and has no setting
  to drop it (its maintainers' answer, benoitc/gunicorn#825 and #1617, is to let the application set its own
  value, which still sends the header; replacing ``gunicorn.SERVER`` in the config module does not reach
  ``gunicorn.http.wsgi``, which copied the name at import). Each worker process therefore builds its responses
  with ``BannerlessResponse``, the stock ``Response`` without that one line.

In production nginx sits in front (docs/deployment.md) and buffers requests and responses as well.
"""

from __future__ import annotations

import errno
import os
import selectors
import socket
import struct
import time
from functools import partial
from typing import Any

from gunicorn.http import wsgi
from gunicorn.workers.gthread import TConn, ThreadWorker

MAX_HEAD = 64 * 1024


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class BannerlessResponse(wsgi.Response):
    """gunicorn's HTTP/1 response without its ``Server`` line (the status line, Date and Connection stay)."""

    def default_headers(self) -> list[str]:
        return [line for line in super().default_headers() if not line.lower().startswith("server:")]


class HeadFirstThreadWorker(ThreadWorker):
    """A ``gthread`` worker whose threads only ever see connections with a complete request head."""

    def init_process(self) -> None:
        # ``wsgi.create`` builds each response from the module's ``Response``; this process (a forked worker,
        # after the arbiter) builds them without the banner. HTTP/2 responses pass their own class and have none.
        wsgi.Response = BannerlessResponse
        super().init_process()

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:  # TLS belongs to nginx; with gunicorn's own TLS the head is encrypted: stock behaviour
            super().accept(listener)
            return
        try:
            client_sock, client_addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        idle = _seconds("XHHT_BODY_TIMEOUT", 30)
        timeval = struct.pack("ll", int(idle), int((idle % 1) * 1_000_000))
        client_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
        client_sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())  # non-blocking
        self._gather_head(conn)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        if self.cfg.is_ssl:
            super().on_client_socket_readable(conn, client)
            return
        # A kept-alive connection's next request: its head is gathered without a thread too.
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._gather_head(conn)

    def _gather_head(self, conn: Any) -> None:
        conn.head = bytearray()
        conn.timeout = time.monotonic() + _seconds("XHHT_HEADER_TIMEOUT", 10)
        self.pending_conns.append(conn)  # closed by murder_pending() when the head is late
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_head_readable, conn))

    def _drop(self, conn: Any) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (OSError, KeyError, ValueError):
            pass
        try:
            self.pending_conns.remove(conn)
        except ValueError:
            pass

    def _on_head_readable(self, conn: Any, client: Any) -> None:
        try:
            data = conn.sock.recv(16384)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data:
            conn.head += data
        complete = b"\r\n\r\n" in conn.head
        if not data or (not complete and len(conn.head) > MAX_HEAD):
            self._drop(conn)
            self.nr_conns -= 1
            conn.close()
            return
        if complete or len(conn.head) > MAX_HEAD:
            self._drop(conn)
            conn.data_ready = True
            self.enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        head = getattr(conn, "head", None)
        if head:
            conn.head = None
            if not conn.initialized:
                conn.init()
            conn.parser.unreader.unread(bytes(head))
        return super().handle(conn)
