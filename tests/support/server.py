"""Start and drive the Node OAuth test server (tests/servers/server.mjs).

The server is a real OAuth 2.0 authorization server (oidc-provider) under
``/oauth`` and the httpCCG resource server under ``/api/v1``, in one Node
process on 127.0.0.1. Its ``/_test/`` endpoints expose the token and API
request logs and inject faults; :class:`OAuthTestServer` wraps them.

Needs ``node`` on PATH (or in the ``NODE`` environment variable) and the
packages in tests/package-lock.json: ``npm ci --prefix tests``.

Fixtures: register this module as a pytest plugin, either in tests/conftest.py::

    pytest_plugins = ["support.server"]   # with pythonpath = ["tests"]

or by importing both fixtures there::

    from support.server import fresh_server, oauth_server  # noqa: F401

``oauth_server`` is one server for the whole session; ``fresh_server`` is the
same server after :meth:`OAuthTestServer.reset` (empty logs, reseeded items,
no revocations or injected faults), for tests that read the logs.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

TESTS_DIR = Path(__file__).resolve().parent.parent
SERVER_SCRIPT = TESTS_DIR / "servers" / "server.mjs"
STARTUP_TIMEOUT = 20.0

CLIENTS: dict[str, tuple[str, str]] = {
    "basic": ("basic-client", "basic-secret"),
    "post": ("post-client", "post-secret"),
    "short": ("short-client", "short-secret"),
    "read_only": ("read-only-client", "read-only-secret"),
    "odd": ("odd-client", "p@ss word:+/%&="),
    # Their client-credentials tokens live 4 s and come with a refresh token (refresh_token grant).
    "refresh": ("refresh-client", "refresh-secret"),
    "refresh_post": ("refresh-post-client", "refresh-post-secret"),
}

# Registered only by a server started with client-auth material (support.client_auth); no secrets.
CLIENT_AUTH_CLIENTS: dict[str, str] = {
    "jwt": "jwt-client",
    "tls": "tls-client",
    "self_signed_tls": "self-signed-tls-client",
    # Like "refresh": tokens that live 4 s, each with a refresh token.
    "jwt_refresh": "jwt-refresh-client",
    "tls_refresh": "tls-refresh-client",
    "self_signed_tls_refresh": "self-signed-tls-refresh-client",
}

# Control calls must reach 127.0.0.1 directly, whatever *_proxy says.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class OAuthTestServer:
    """A running server.mjs process and its test-control API."""

    def __init__(
        self, process: subprocess.Popen[bytes], origin: str, stderr_file: Any, tls_origin: str | None = None
    ) -> None:
        self._process = process
        self._stderr_file = stderr_file
        self.origin = origin
        self.issuer = origin + "/oauth"
        self.token_url = origin + "/oauth/token"
        self.base_url = origin + "/api/v1"
        self.clients = dict(CLIENTS)
        self.tls_origin = tls_origin
        """The TLS listener that asks for client certificates, when the server was started with one."""

    def __repr__(self) -> str:
        return f"OAuthTestServer(origin={self.origin!r})"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.origin + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data is not None else {},
        )
        try:
            with _opener.open(request, timeout=10) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path} failed: {error.code} {error.read()!r}") from error

    def token_requests(self) -> list[dict[str, Any]]:
        """Every POST to /oauth/token since the last reset, oldest first."""
        return self._call("GET", "/_test/token-requests")

    def api_requests(self) -> list[dict[str, Any]]:
        """Every request under /api/v1 since the last reset, oldest first."""
        return self._call("GET", "/_test/api-requests")

    def reset(self) -> None:
        """Clear the logs, revocations and injected faults; reseed the items."""
        self._call("POST", "/_test/reset", {})

    def revoke_all(self) -> None:
        """Reject every access token issued or seen so far; new ones still work."""
        self._call("POST", "/_test/revoke-all", {})

    def grant_types(self) -> list[str]:
        """The grant_type of every token request since the last reset, oldest first."""
        return [request["grant_type"] for request in self.token_requests()]

    def refresh_tokens(self) -> list[str]:
        """Every refresh token the server issued since the last reset."""
        return [grant["value"] for grant in self._call("GET", "/_test/refresh-tokens")]

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token the token endpoint answered with since the last reset."""
        tokens: list[str] = self._call("GET", "/_test/issued-tokens")
        return tokens

    def revoke_refresh_tokens(self) -> None:
        """Refuse every refresh token issued so far with invalid_grant; new ones still work."""
        self._call("POST", "/_test/revoke-refresh-tokens", {})

    def reject_all(self, enabled: bool) -> None:
        """While enabled, every protected API request gets 401 whatever its token."""
        self._call("POST", "/_test/reject-all", {"enabled": enabled})

    def token_delay(self, seconds: float) -> None:
        """Delay every token endpoint response by ``seconds``."""
        self._call("POST", "/_test/token-delay", {"seconds": seconds})

    def token_fail(self, count: int, status: int = 500) -> None:
        """Answer the next ``count`` token requests with ``status`` and a server_error body."""
        self._call("POST", "/_test/token-fail", {"count": count, "status": status})

    def stderr(self) -> str:
        """What the server wrote to stderr so far (oidc-provider warnings, errors)."""
        self._stderr_file.flush()
        return Path(self._stderr_file.name).read_text(errors="replace")

    def stop(self) -> None:
        """Stop the process (idempotent)."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdin:
            self._process.stdin.close()
        if self._process.stdout:
            self._process.stdout.close()
        if not self._stderr_file.closed:
            self._stderr_file.close()
            os.unlink(self._stderr_file.name)


def _find_node() -> str:
    node = os.environ.get("NODE") or shutil.which("node")
    if not node:
        raise RuntimeError("node was not found on PATH (or set NODE to its path)")
    return node


def start_oauth_server(client_auth: Path | None = None) -> OAuthTestServer:
    """Start server.mjs and wait until it prints its origin.

    `client_auth` is the file of `support.client_auth.make_client_auth_material`: the server then
    registers `CLIENT_AUTH_CLIENTS` and opens a TLS listener for mutual TLS.
    """
    if not (TESTS_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            f"{TESTS_DIR / 'node_modules'} is missing or incomplete: "
            "run `npm ci --prefix tests` from the repository root"
        )

    # stderr goes to a file, not a pipe, so a chatty server can never block.
    stderr_file = tempfile.NamedTemporaryFile(prefix="oauth-server-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [_find_node(), str(SERVER_SCRIPT), "--exit-on-stdin-close", *(["--client-auth", str(client_auth)] if client_auth else [])],
        cwd=TESTS_DIR,
        stdin=subprocess.PIPE,  # closed when we go away, so the server cannot outlive us
        stdout=subprocess.PIPE,
        stderr=stderr_file,
    )

    lines: queue.Queue[bytes] = queue.Queue()

    def read_stdout() -> None:
        assert process.stdout is not None
        for line in process.stdout:  # keeps draining after the first line
            lines.put(line)
        lines.put(b"")

    threading.Thread(target=read_stdout, name="oauth-server-stdout", daemon=True).start()

    def fail(reason: str) -> RuntimeError:
        if process.poll() is None:
            process.kill()
        process.wait()
        stderr_file.close()
        log = Path(stderr_file.name).read_text(errors="replace")
        os.unlink(stderr_file.name)
        return RuntimeError(f"OAuth test server {reason} (exit code {process.returncode}); stderr:\n{log}")

    try:
        first = lines.get(timeout=STARTUP_TIMEOUT)
    except queue.Empty:
        raise fail(f"printed nothing within {STARTUP_TIMEOUT:.0f} s") from None
    try:
        ready = json.loads(first)
        origin = ready["origin"]
    except (ValueError, KeyError, TypeError):
        raise fail(f"did not start: first stdout line was {first!r}") from None
    return OAuthTestServer(process, origin, stderr_file, ready.get("tls_origin"))


@contextlib.contextmanager
def running_oauth_server(client_auth: Path | None = None) -> Iterator[OAuthTestServer]:
    """A server (see `start_oauth_server`) that is stopped when the block ends."""
    server = start_oauth_server(client_auth)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oauth_server() -> Iterator[OAuthTestServer]:
    """One OAuth test server for the whole session."""
    with running_oauth_server() as server:
        yield server


@pytest.fixture
def fresh_server(oauth_server: OAuthTestServer) -> OAuthTestServer:
    """The session's server, reset for this test."""
    oauth_server.reset()
    return oauth_server
