"""A real HTTP server on 127.0.0.1 that records every request and answers 204 (or a canned answer)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Recorder:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    """Canned answers by path (without the query): status, content type, body."""
    queued: list[tuple[int, str, bytes]] = field(default_factory=list)
    """Answers for the next requests, whatever their path, in order; they come before `answers`."""


def _handler(recorder: Recorder) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorder.requests.append(
                {"method": self.command, "path": self.path, "headers": self.headers, "body": self.rfile.read(length)}
            )
            if recorder.queued:
                status, content_type, body = recorder.queued.pop(0)
            else:
                status, content_type, body = recorder.answers.get(self.path.split("?")[0], (204, "", b""))
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _record  # noqa: N815 - the names http.server calls

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    """A recording server for the module's tests; clear `requests` before each use."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    recorder = Recorder(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield recorder
    server.shutdown()
    server.server_close()
