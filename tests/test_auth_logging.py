"""Logs and token events of the auth layer: what they tell, and that they never tell a secret.

Every scenario runs against the real OAuth test server, once per client-authentication method, while
the root logger captures every record at DEBUG: the SDK's, httpx2's and httpcore2's. Each record is
formatted in full (message with its arguments, exception and stack text, and the arguments' repr) and
searched for every secret in play, and for overlapping pieces of each: the client secret and the HTTP
Basic credential; the private key that signs client assertions (`private_key_jwt`), the unregistered
key of the refused case, and every client assertion sent (as the fault proxy saw them, each checked
against the server's log of the assertions it received); the keys of the client certificates (mutual
TLS); and each access and refresh token the server issued.

The secret and `private_key_jwt` clients reach the token endpoint through the fault proxy
(support.proxy). The fault proxy is plain HTTP and cannot sit inside a mutual-TLS session, so
`tls_client_auth` and `self_signed_tls_client_auth` run the scenarios whose faults are the server's
own, against its TLS listener:
"500 twice", "invalid_client", "invalid_scope", "revoked token", "raising callback", "raising
provider", "refresh grant" and "refused refresh token". The other eight (503 with Retry-After,
connection reset, hang past the timeout, non-JSON 200, 200 without access_token, expires_in as a
string, negative and absent expires_in) need the proxy and run with the other three methods only.

The scenarios also name the DEBUG lines and the token events they must produce, so that the test
fails when logging or the event hook stops working, not only when a secret leaks.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote_plus

import httpx2
import pytest
from httpccg import (
    AsyncClient,
    Client,
    ClientCredentialsAuthCredentials,
    OAuthProviderError,
    OAuthToken,
    TokenEvent,
    TokenRetryPolicy,
)
from support.client_auth import RSA_KEY_ID, ClientAuthMaterial, ClientCertificate, private_pem
from support.proxy import Fault, FaultProxy
from support.server import CLIENT_AUTH_CLIENTS, OAuthTestServer

QUICK = TokenRetryPolicy(max_attempts=4, base_delay=0.05, max_delay=2.0, max_total=10.0)
TIMEOUT = 0.5
SDK_LOGGER = "httpccg"
WRONG_SECRET = "wrong-secret-value"


@pytest.fixture
def fresh_server(client_auth_server: OAuthTestServer) -> OAuthTestServer:
    """The server with every client-authentication method's clients (and the fault proxy's upstream)."""
    client_auth_server.reset()
    return client_auth_server


@dataclasses.dataclass(frozen=True)
class ClientAuth:
    """A client-authentication method: the test server's client for it and the credentials' options.

    All five clients get refresh tokens, so every scenario has one in play."""

    method: str
    client: str
    options: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def through_proxy(self) -> bool:
        return self.method not in MUTUAL_TLS

    def credentials(self, server: OAuthTestServer, material: ClientAuthMaterial, wrong: bool) -> dict[str, Any]:
        """The credentials' options; `wrong` ones the server refuses with invalid_client."""
        method = {"o_auth_client_authentication": self.method}
        if self.method == "private_key_jwt":
            key = material.unregistered_key if wrong else material.rsa_key
            client_id = CLIENT_AUTH_CLIENTS[self.client]
            return {"o_auth_client_id": client_id, "o_auth_private_key": private_pem(key).decode(),
                    "o_auth_private_key_id": RSA_KEY_ID, **method}
        if self.method in MUTUAL_TLS:
            # The certificate is the HTTP client's (see `connection`).
            return {"o_auth_client_id": CLIENT_AUTH_CLIENTS[self.client], **method}
        client_id, secret = server.clients[self.client]
        return {"o_auth_client_id": client_id, "o_auth_client_secret": WRONG_SECRET if wrong else secret, **method}

    def connection(
        self, server: OAuthTestServer, proxy: FaultProxy, material: ClientAuthMaterial, wrong: bool
    ) -> dict[str, Any]:
        """The client's URLs and HTTP client."""
        if not self.through_proxy:
            assert server.tls_origin is not None
            certificate = MUTUAL_TLS[self.method][wrong](material)
            token_url = server.tls_origin + "/oauth/token"
            return {
                "base_url": server.tls_origin + "/api/v1",
                "token_url": token_url,
                "refresh_url": token_url,
                "http_client": httpx2.Client(timeout=TIMEOUT, verify=certificate.ssl_context(material.ca_cert)),
            }
        return {
            "base_url": server.base_url,
            "token_url": proxy.token_url,
            "refresh_url": proxy.token_url,
            "http_client": httpx2.Client(timeout=TIMEOUT),
        }

    def secrets(self, server: OAuthTestServer, material: ClientAuthMaterial) -> set[str]:
        """What must never be told, whole or in part."""
        if self.method == "private_key_jwt":
            keys = (material.rsa_key, material.unregistered_key)
            return {piece for key in keys for piece in pem_pieces(private_pem(key).decode())}
        if self.method in MUTUAL_TLS:
            keys = [certificate(material).key for certificate in MUTUAL_TLS[self.method]]
            return {piece for key in keys for piece in pem_pieces(key.read_text())}
        client_id, secret = server.clients[self.client]
        basic = base64.b64encode(f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()).decode()
        return {secret, basic, WRONG_SECRET}


# The mutual-TLS methods' certificates: the registered one, and one the server refuses.
MUTUAL_TLS: dict[str, tuple[Callable[[ClientAuthMaterial], ClientCertificate], ...]] = {
    "tls_client_auth": (lambda material: material.tls_client, lambda material: material.other_subject),
    "self_signed_tls_client_auth": (
        lambda material: material.self_signed,
        lambda material: material.other_self_signed,
    ),
}

CLIENT_AUTHS = [
    ClientAuth("client_secret_basic", "refresh"),
    ClientAuth("client_secret_post", "refresh_post"),
    ClientAuth("private_key_jwt", "jwt_refresh"),
    ClientAuth("tls_client_auth", "tls_refresh"),
    ClientAuth("self_signed_tls_client_auth", "self_signed_tls_refresh"),
]


class Capture(logging.Handler):
    """Every record, formatted as a handler that prints everything would print it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.texts: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.texts.append(f"{self.format(record)}\nargs={record.args!r}\nstack={record.stack_info}")

    def sdk_messages(self) -> list[str]:
        return [record.getMessage() for record in self.records if record.name.startswith(SDK_LOGGER)]


@pytest.fixture
def capture() -> Iterator[Capture]:
    handler = Capture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@dataclasses.dataclass
class Harness:
    """One scenario's server, proxy, client-authentication method and what the token hook was told."""

    server: OAuthTestServer
    proxy: FaultProxy
    material: ClientAuthMaterial
    auth: ClientAuth
    events: list[TokenEvent] = dataclasses.field(default_factory=list)

    def client(self, wrong_credentials: bool = False, **options: Any) -> Client:
        credentials = ClientCredentialsAuthCredentials(
            **self.auth.credentials(self.server, self.material, wrong_credentials),
            o_auth_retry=QUICK,
            o_auth_on_token_event=self.events.append,
            **options,
        )
        return Client(
            client_credentials_auth_credentials=credentials,
            **self.auth.connection(self.server, self.proxy, self.material, wrong_credentials),
        )

    def kinds(self) -> list[str]:
        """The kinds of the events, each request's reuse of the cached token left out."""
        return [event.kind for event in self.events if event.kind != "reused"]


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    run: Callable[[Harness], None]
    kinds: list[str]
    """The token events, `reused` left out, in order."""
    lines: list[str]
    """Text that the SDK's DEBUG messages must contain, each in some message."""
    needs_proxy: bool = True
    """Whether the fault is the proxy's; the others run with every method (see the module docstring)."""


def calls(count: int = 1, **options: Any) -> Callable[[Harness], None]:
    def run(harness: Harness) -> None:
        with harness.client(**options) as client:
            for _ in range(count):
                client.items.list_items()

    return run


def faulty(
    fault: Fault, count: int = 1, standing: bool = False, calls_: int = 1
) -> Callable[[Harness], None]:
    def run(harness: Harness) -> None:
        if standing:
            harness.proxy.always(fault)
        else:
            harness.proxy.inject(fault, count)
        calls(calls_)(harness)

    return run


def server_failing(status: int, count: int) -> Callable[[Harness], None]:
    def run(harness: Harness) -> None:
        harness.server.token_fail(count, status)
        calls()(harness)

    return run


def not_a_token(fault: Fault) -> Callable[[Harness], None]:
    def run(harness: Harness) -> None:
        harness.proxy.inject(fault)
        with harness.client() as client:
            with pytest.raises(OAuthProviderError):
                client.items.list_items()
            client.items.list_items()

    return run


def refused(**options: Any) -> Callable[[Harness], None]:
    def run(harness: Harness) -> None:
        with harness.client(**options) as client:
            with pytest.raises(OAuthProviderError):
                client.items.list_items()

    return run


def revoked(harness: Harness) -> None:
    with harness.client() as client:
        client.items.list_items()
        harness.server.revoke_all()
        client.items.list_items()


def absent_expiry(harness: Harness) -> None:
    harness.proxy.always(Fault.token_field("expires_in", remove=True))
    revoked(harness)


def raising_callback(harness: Harness) -> None:
    def callback(token: OAuthToken) -> None:
        raise RuntimeError("storage is down")

    calls(2, o_auth_on_token_update=callback)(harness)


def raising_provider(harness: Harness) -> None:
    asked: list[OAuthToken | None] = []

    def provider(last: OAuthToken | None, manager: Any) -> OAuthToken:
        asked.append(last)
        if len(asked) == 1:
            raise RuntimeError("vault unreachable")
        token: OAuthToken = manager.fetch_token()
        return token

    with harness.client(o_auth_token_provider=provider) as client:
        with pytest.raises(RuntimeError):
            client.items.list_items()
        client.items.list_items()


def refresh(revoke: bool) -> Callable[[Harness], None]:
    def run(harness: Harness) -> None:
        # The refresh clients' tokens live 4 s: with a skew of 3 s they expire within a second.
        with harness.client(o_auth_clock_skew=3.0) as client:
            client.items.list_items()
            if revoke:
                harness.server.revoke_refresh_tokens()
            time.sleep(1.1)
            client.items.list_items()

    return run


SCENARIOS = [
    Scenario(
        "503 with Retry-After",
        faulty(Fault.answer(503, {"error": "temporarily_unavailable"}, Retry_After="0")),
        ["retry", "fetched"],
        ["OAuth token retry: HTTP 503; retrying in 0.00 s", "OAuth token fetched: no token yet (token "],
    ),
    Scenario(
        "500 twice",
        server_failing(500, count=2),
        ["retry", "retry", "fetched"],
        ["OAuth token retry: HTTP 500", "3 attempts in "],
        needs_proxy=False,
    ),
    Scenario(
        "connection reset",
        faulty(Fault(reset=True, name="reset")),
        ["retry", "fetched"],
        ["OAuth token retry: "],
    ),
    Scenario(
        "hang past the timeout",
        faulty(Fault(hang=TIMEOUT * 4, name="hang")),
        ["retry", "fetched"],
        ["OAuth token retry: ReadTimeout"],
    ),
    Scenario(
        "non-JSON 200",
        not_a_token(Fault.answer(200, b"<html>login</html>")),
        ["failed", "fetched"],
        ["OAuth token failed: HTTP 200"],
    ),
    Scenario(
        "200 without access_token",
        not_a_token(Fault.answer(200, {"token_type": "Bearer", "expires_in": 3600})),
        ["failed", "fetched"],
        ["OAuth token failed: HTTP 200"],
    ),
    Scenario(
        "expires_in as a string",
        faulty(Fault.token_field("expires_in", "3600"), calls_=2),
        ["fetched"],
        ["OAuth token reused: still fresh", "expires in 3"],
    ),
    Scenario(
        "negative expires_in",
        faulty(Fault.token_field("expires_in", -30), standing=True, calls_=2),
        ["fetched", "refreshed"],
        ["OAuth token refreshed: expired", "expires in 0 s"],
    ),
    Scenario(
        "absent expires_in",
        absent_expiry,
        ["fetched", "dropped", "refreshed"],
        ["no known expiry", "OAuth token dropped: refused by the API with HTTP 401"],
    ),
    Scenario(
        "invalid_client",
        refused(wrong_credentials=True),
        ["failed"],
        ["OAuth token failed: HTTP 401 invalid_client"],
        needs_proxy=False,
    ),
    Scenario(
        "invalid_scope",
        refused(o_auth_scopes=["read_scope", "unknown_scope"]),
        ["failed"],
        ["OAuth token failed: HTTP 400 invalid_scope"],
        needs_proxy=False,
    ),
    Scenario(
        "revoked token",
        revoked,
        ["fetched", "dropped", "refreshed"],
        [
            "the API refused the OAuth token (HTTP 401)",
            "OAuth token refreshed: refused by the API with HTTP 401",
        ],
        needs_proxy=False,
    ),
    Scenario(
        "raising callback", raising_callback, ["fetched"], ["o_auth_on_token_update raised"], needs_proxy=False
    ),
    Scenario(
        "raising provider",
        raising_provider,
        ["failed", "fetched", "provided"],
        [
            "OAuth token failed: o_auth_token_provider raised RuntimeError",
            "OAuth token provided: no token yet",
        ],
        needs_proxy=False,
    ),
    Scenario(
        "refresh grant",
        refresh(revoke=False),
        ["fetched", "refreshed"],
        ["(refresh_token grant, scope None, client authentication", "OAuth token refreshed: expired"],
        needs_proxy=False,
    ),
    Scenario(
        "refused refresh token",
        refresh(revoke=True),
        ["fetched", "failed", "fetched"],
        [
            "OAuth token failed: HTTP 400 invalid_grant",
            "the refresh grant failed (OAuthProviderError); falling back to the client-credentials grant",
            "OAuth token fetched: expired; the refresh grant failed",
        ],
        needs_proxy=False,
    ),
]
CASES = [
    pytest.param(scenario, auth, id=f"{scenario.name}-{auth.method}")
    for scenario in SCENARIOS
    for auth in CLIENT_AUTHS
    if auth.through_proxy or not scenario.needs_proxy
]


@pytest.mark.parametrize(("scenario", "auth"), CASES)
def test_debug_logs_and_events_tell_what_happened_and_no_secret(
    fresh_server: OAuthTestServer,
    fault_proxy: FaultProxy,
    client_auth_material: ClientAuthMaterial,
    capture: Capture,
    scenario: Scenario,
    auth: ClientAuth,
) -> None:
    harness = Harness(fresh_server, fault_proxy, client_auth_material, auth)
    scenario.run(harness)

    assert harness.kinds() == scenario.kinds
    messages = capture.sdk_messages()
    for line in scenario.lines:
        assert any(line in message for message in messages), (line, messages)
    names = {record.name.split(".")[0] for record in capture.records}
    assert {"httpx2", "httpcore2", SDK_LOGGER} <= names

    if "fetched" in scenario.kinds:
        assert fresh_server.refresh_tokens(), "a refresh token must be in play"
    tokens = set(fresh_server.issued_tokens()) | set(fault_proxy.issued_tokens())
    secrets = (
        auth.secrets(fresh_server, client_auth_material)
        | {piece for token in tokens for piece in pieces(token)}
        | {piece for assertion in sent_assertions(fresh_server, fault_proxy, auth) for piece in pieces(assertion)}
    )
    texts = capture.texts + [repr(event) for event in harness.events]
    for secret in secrets:
        leaks = [text for text in texts if secret in text]
        assert not leaks, (secret, leaks[0])


def sent_assertions(server: OAuthTestServer, proxy: FaultProxy, auth: ClientAuth) -> list[str]:
    """Every client assertion sent, as the proxy saw it; the server received no other."""
    sent = [assertion for record in proxy.token_requests() for assertion in record.form.get("client_assertion", [])]
    received = [request["assertion"] for request in server.token_requests() if request["assertion"] is not None]
    assert {assertion["claims"]["jti"] for assertion in received} <= {jti(assertion) for assertion in sent}
    assert bool(received) == (auth.method == "private_key_jwt")
    return sent


def jti(assertion: str) -> str:
    claims = assertion.split(".")[1]
    identifier: str = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["jti"]
    return identifier


def pieces(token: str, size: int = 12) -> set[str]:
    """The token and overlapping pieces of it, so that a part of a token shown is found too: any
    `size + size // 2 - 1` characters of it in a row contain one piece."""
    return {token} | {token[start : start + size] for start in range(0, len(token) - size + 1, size // 2)}


def pem_pieces(pem: str) -> set[str]:
    """The PEM text, its base64 body, and pieces of the body and of each of its lines (a key shown in
    a log keeps or loses its line breaks)."""
    lines = [line for line in pem.strip().splitlines() if not line.startswith("-----")]
    return {pem} | pieces("".join(lines)) | {piece for line in lines for piece in pieces(line)}


def test_an_event_hook_that_raises_is_logged_and_the_call_succeeds(
    fresh_server: OAuthTestServer, capture: Capture
) -> None:
    def hook(event: TokenEvent) -> None:
        raise ValueError("metrics backend down")

    client_id, secret = fresh_server.clients["basic"]
    with Client(
        client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
            o_auth_client_id=client_id, o_auth_client_secret=secret, o_auth_on_token_event=hook
        ),
        base_url=fresh_server.base_url,
    ) as client:
        client.items.list_items()
        client.items.list_items()
    warnings = [
        record for record in capture.records if record.getMessage().startswith("o_auth_on_token_event raised")
    ]
    assert len(warnings) == 2  # fetched, then reused
    assert all(record.exc_info and record.exc_info[0] is ValueError for record in warnings)
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200]


def test_async_client_tells_the_same_events(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, capture: Capture
) -> None:
    events: list[TokenEvent] = []
    client_id, secret = fresh_server.clients["refresh"]

    async def flow() -> None:
        async with AsyncClient(
            client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
                o_auth_client_id=client_id, o_auth_client_secret=secret, o_auth_on_token_event=events.append
            ),
            base_url=fresh_server.base_url,
            token_url=fault_proxy.token_url,
        ) as client:
            await client.items.list_items()
            await client.items.list_items()
            fresh_server.revoke_all()
            await client.items.list_items()

    asyncio.run(flow())
    # The third call sends the cached token, which the API then refuses.
    assert [event.kind for event in events] == ["fetched", "reused", "reused", "dropped", "refreshed"]
    assert [event.reason for event in events] == [
        "no token yet",
        "still fresh",
        "still fresh",
        "refused by the API with HTTP 401",
        "refused by the API with HTTP 401",
    ]
    fetched, reused, _, dropped, refreshed = events
    assert fetched.token_id == reused.token_id == dropped.token_id != refreshed.token_id
    assert fetched.attempts == refreshed.attempts == 1 and fetched.duration > 0
    assert set(fetched.scopes) == {"read_scope"} and fetched.expires_in is not None
    tokens = set(fault_proxy.issued_tokens())
    assert len(tokens) == 3  # two access tokens and one refresh token
    assert not [text for text in capture.texts if any(token in text for token in tokens)]
