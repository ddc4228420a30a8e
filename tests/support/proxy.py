"""A fault-injecting HTTP proxy in front of the OAuth test server's token endpoint.

The proxy listens on 127.0.0.1 at a free port and forwards every request to the test server
(support.server). Tests queue faults; each token request that arrives takes the next queued fault,
decided on arrival under a lock, so that "the next N token requests" holds under concurrency. The
proxy logs every token request it receives, with its form fields and the fault it got: that log is
the server-side count the fault and load tests assert on.

Fixture: ``fault_proxy`` (function scope) is a started proxy in front of ``fresh_server``.
"""

from __future__ import annotations

import dataclasses
import http.client
import http.server
import json
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from support.server import OAuthTestServer

TOKEN_PATH = "/oauth/token"
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


@dataclasses.dataclass(frozen=True)
class Fault:
    """What the proxy does to one token request instead of forwarding it as it is.

    Exactly one of the behaviours applies: ``status`` answers without forwarding; ``reset`` closes the
    connection with a TCP reset; ``hang`` holds the request that many seconds, then closes without an
    answer; ``delay`` waits that many seconds, then forwards; ``rewrite`` forwards and changes the
    upstream's JSON answer.
    """

    status: int | None = None
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    reset: bool = False
    hang: float = 0.0
    delay: float = 0.0
    rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    name: str = ""

    @classmethod
    def answer(cls, status: int, body: bytes | dict[str, Any], **headers: str) -> Fault:
        """Answer with ``status``, ``body`` (a dict is sent as JSON) and ``headers``."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        content_type = "application/json" if isinstance(body, dict) else "text/html"
        pairs = (("Content-Type", content_type), *((k.replace("_", "-"), v) for k, v in headers.items()))
        return cls(status=status, body=raw, headers=pairs, name=f"HTTP {status}")

    @classmethod
    def token_field(cls, field: str, value: Any = None, *, remove: bool = False) -> Fault:
        """Forward, then set (or remove) one field of the real token response."""

        def rewrite(token: dict[str, Any]) -> dict[str, Any]:
            changed = {key: item for key, item in token.items() if not (remove and key == field)}
            if not remove:
                changed[field] = value
            return changed

        return cls(rewrite=rewrite, name=f"{field} {'removed' if remove else repr(value)}")


@dataclasses.dataclass
class TokenRequestRecord:
    """One token request the proxy received."""

    form: dict[str, list[str]]
    fault: str
    received_at: float


class FaultProxy:
    """The running proxy: its URL, its fault queue and its log of token requests."""

    def __init__(self, upstream_origin: str) -> None:
        self.upstream = urllib.parse.urlsplit(upstream_origin)
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._standing: Fault | None = None
        self._log: list[TokenRequestRecord] = []
        self._issued: list[str] = []
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.request_queue_size = 1024
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.token_url = self.origin + TOKEN_PATH
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def inject(self, fault: Fault, count: int = 1) -> None:
        """Apply ``fault`` to the next ``count`` token requests (after any faults already queued)."""
        with self._lock:
            self._faults.extend([fault] * count)

    def always(self, fault: Fault | None) -> None:
        """Apply ``fault`` to every token request once the queue is empty; None stops it."""
        with self._lock:
            self._standing = fault

    def token_requests(self) -> list[TokenRequestRecord]:
        """Every token request received so far, oldest first."""
        with self._lock:
            return list(self._log)

    def token_count(self) -> int:
        return len(self.token_requests())

    def issued_tokens(self) -> list[str]:
        """The access and refresh tokens of every token answer the server sent through the proxy."""
        with self._lock:
            return list(self._issued)

    def _note_answer(self, answer: bytes) -> None:
        try:
            fields = json.loads(answer)
        except ValueError:
            return
        if isinstance(fields, dict):
            with self._lock:
                self._issued.extend(
                    fields[name]
                    for name in ("access_token", "refresh_token")
                    if isinstance(fields.get(name), str)
                )

    def _take(self, form: dict[str, list[str]]) -> Fault | None:
        with self._lock:
            fault = self._faults.pop(0) if self._faults else self._standing
            self._log.append(TokenRequestRecord(form, fault.name if fault else "", time.monotonic()))
            return fault

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()


def _handler_for(proxy: FaultProxy) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # The test output stays readable; the proxy's own log is what tests read.

        def do_GET(self) -> None:
            self._relay(None)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fault = None
            if urllib.parse.urlsplit(self.path).path == TOKEN_PATH:
                fault = proxy._take(urllib.parse.parse_qs(body.decode("latin-1"), keep_blank_values=True))
            self._relay(fault, body)

        def _relay(self, fault: Fault | None, body: bytes = b"") -> None:
            if fault is not None and fault.reset:
                self._reset()
                return
            if fault is not None and fault.hang:
                time.sleep(fault.hang)
                self.close_connection = True
                return
            if fault is not None and fault.status is not None:
                self._send(fault.status, list(fault.headers), fault.body)
                return
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            status, upstream_headers, answer = proxy.forward(self.command, self.path, headers, body)
            if urllib.parse.urlsplit(self.path).path == TOKEN_PATH:
                proxy._note_answer(answer)
            if fault is not None and fault.rewrite is not None and status == 200:
                answer = json.dumps(fault.rewrite(json.loads(answer))).encode()
            self._send(status, upstream_headers, answer)

        def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

    return Handler


@pytest.fixture
def fault_proxy(fresh_server: OAuthTestServer) -> Iterator[FaultProxy]:
    proxy = FaultProxy(fresh_server.origin)
    proxy.start()
    yield proxy
    proxy.stop()
