"""The auth manager contract of the generated SDK, proven against the real OAuth server.

Every count is read from the server's own logs (support.server), never from inside the SDK. The
numbered sections follow the contract points of the SDK's auth manager.
"""

from __future__ import annotations

import asyncio
import http.server
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from httpccg import (
    ApiError,
    AsyncClient,
    AsyncClientCredentialsAuthManager,
    Client,
    ClientCredentialsAuthCredentials,
    ClientCredentialsAuthManager,
    OAuthProviderError,
    OAuthScopeEnum,
    OAuthToken,
    TokenRetryPolicy,
)
from httpccg.models import NewItem
from support.server import OAuthTestServer

BOTH_SCOPES = [OAuthScopeEnum.READ_SCOPE, OAuthScopeEnum.WRITE_SCOPE]
# For tests of what a failure does: retries are proven in test_auth_faults.py.
NO_RETRY = TokenRetryPolicy(max_attempts=1)


def credentials(server: OAuthTestServer, client: str = "basic", **options: Any) -> ClientCredentialsAuthCredentials:
    client_id, secret = server.clients[client]
    options.setdefault("o_auth_scopes", BOTH_SCOPES)
    return ClientCredentialsAuthCredentials(o_auth_client_id=client_id, o_auth_client_secret=secret, **options)


def make_client(server: OAuthTestServer, client: str = "basic", **options: Any) -> Client:
    return Client(client_credentials_auth_credentials=credentials(server, client, **options), base_url=server.base_url)


def make_async_client(server: OAuthTestServer, client: str = "basic", **options: Any) -> AsyncClient:
    return AsyncClient(client_credentials_auth_credentials=credentials(server, client, **options), base_url=server.base_url)


def token_count(server: OAuthTestServer) -> int:
    return len(server.token_requests())


# 1. No network call at construction; only operations that need a token get one.


def test_constructing_a_client_makes_no_request(fresh_server: OAuthTestServer) -> None:
    client = make_client(fresh_server)
    AsyncClient(client_credentials_auth_credentials=credentials(fresh_server), base_url=fresh_server.base_url)
    assert fresh_server.token_requests() == []
    assert fresh_server.api_requests() == []
    client.close()


def test_operation_without_security_sends_no_token(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        status = client.service.get_service_status()
    assert status.status == "ok"
    assert fresh_server.token_requests() == []
    [request] = fresh_server.api_requests()
    assert request["authorization_present"] is False


def test_secured_operation_gets_one_token_and_reuses_it(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        items = client.items.list_items()
        client.items.get_item(1)
        client.items.list_items(limit=1)
    assert [item.name for item in items] == ["Gadget", "Widget"]
    assert token_count(fresh_server) == 1
    jtis = {request["token_jti"] for request in fresh_server.api_requests()}
    assert len(jtis) == 1 and None not in jtis


def test_token_url_resolves_relative_to_base_url(fresh_server: OAuthTestServer) -> None:
    # The spec's tokenUrl is "/oauth/token"; RFC 3986 resolution against .../api/v1 gives the server's endpoint.
    with make_client(fresh_server) as client:
        client.items.list_items()
    assert token_count(fresh_server) == 1


# 2. Order: fresh token, else provider, else the token endpoint; the token request itself.


def test_given_token_is_used_without_a_request(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as fetcher:
        stored = fetcher.client_credentials_auth_manager.fetch_token()
    fresh_server.reset()
    with make_client(fresh_server, o_auth_token=stored) as client:
        client.items.list_items()
        assert client.client_credentials_auth_manager.o_auth_token is stored
    assert token_count(fresh_server) == 0
    [request] = fresh_server.api_requests()
    assert request["status"] == 200


def test_fetch_token_does_not_replace_the_token_in_use(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        client.items.list_items()
        in_use = client.client_credentials_auth_manager.o_auth_token
        fetched = client.client_credentials_auth_manager.fetch_token()
        assert fetched.access_token != in_use.access_token  # type: ignore[union-attr]
        assert client.client_credentials_auth_manager.o_auth_token is in_use
        client.client_credentials_auth_manager.o_auth_token = fetched
        client.items.list_items()
    assert token_count(fresh_server) == 2
    assert fresh_server.api_requests()[-1]["token_jti"] != fresh_server.api_requests()[0]["token_jti"]


def test_provider_is_called_with_last_token_and_manager(fresh_server: OAuthTestServer) -> None:
    calls: list[tuple[OAuthToken | None, object]] = []

    def provider(last: OAuthToken | None, manager: ClientCredentialsAuthManager) -> OAuthToken:
        calls.append((last, manager))
        return manager.fetch_token()

    with make_client(fresh_server, "short", o_auth_token_provider=provider) as client:
        client.items.list_items()
        client.items.list_items()
        first = client.client_credentials_auth_manager.o_auth_token
        time.sleep(4.1)  # the short client's tokens live 4 s
        client.items.list_items()
    assert len(calls) == 2
    assert calls[0] == (None, client.client_credentials_auth_manager)
    assert calls[1][0] is first
    assert token_count(fresh_server) == 2


def test_token_request_form_and_basic_authentication(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        client.items.list_items()
    [request] = fresh_server.token_requests()
    assert request["grant_type"] == "client_credentials"
    assert request["scope"] == "read_scope write_scope"
    assert request["auth_method"] == "basic"
    assert request["client_id"] == "basic-client"


def test_scope_is_left_out_when_none_is_asked_for(fresh_server: OAuthTestServer) -> None:
    # Operations ask for their own scopes (test_auth_scopes.py); a token asked for with none sends no scope.
    with make_client(fresh_server, o_auth_scopes=None) as client:
        client.client_credentials_auth_manager.fetch_token()
    [request] = fresh_server.token_requests()
    assert request["scope"] is None and request["status"] == 200


def test_client_secret_post_is_selectable(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server, "post", o_auth_client_authentication="client_secret_post") as client:
        client.items.list_items()
    [request] = fresh_server.token_requests()
    assert request["auth_method"] == "post" and request["status"] == 200


def test_basic_credentials_are_form_urlencoded_first(fresh_server: OAuthTestServer) -> None:
    # The odd client's secret "p@ss word:+/%&=" only works when encoded per RFC 6749 section 2.3.1.
    with make_client(fresh_server, "odd") as client:
        assert client.items.list_items()
    [request] = fresh_server.token_requests()
    assert request["status"] == 200 and request["client_id"] == "odd-client"


# 3. Expiry in UTC, the early margin, unknown expiry.


def test_expiry_is_utc_epoch_from_expires_in(fresh_server: OAuthTestServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        before = int(time.time())
        with make_client(fresh_server) as client:
            token = client.client_credentials_auth_manager.fetch_token()
        after = int(time.time())
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert token.expires_in == 3600
    assert token.expiry is not None and before + 3600 <= token.expiry <= after + 3600


def test_short_lived_token_is_reused_within_its_lifetime(fresh_server: OAuthTestServer) -> None:
    # A 4-second token with the default margin (a tenth of its lifetime) serves calls for ~3.6 s.
    with make_client(fresh_server, "short") as client:
        for _ in range(5):
            client.items.list_items()
        assert token_count(fresh_server) == 1
        time.sleep(3.8)
        client.items.list_items()
    assert token_count(fresh_server) == 2


def test_clock_skew_counts_a_token_expired_early(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server, o_auth_clock_skew=3600) as client:
        client.items.list_items()
        client.items.list_items()
    assert token_count(fresh_server) == 2


def test_token_without_expiry_is_used_until_the_api_refuses_it(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as fetcher:
        fetched = fetcher.client_credentials_auth_manager.fetch_token()
    unknown_expiry = OAuthToken(access_token=fetched.access_token)
    fresh_server.reset()
    with make_client(fresh_server, o_auth_token=unknown_expiry) as client:
        client.items.list_items()
        client.items.list_items()
        assert token_count(fresh_server) == 0
        fresh_server.revoke_all()
        client.items.list_items()
    assert token_count(fresh_server) == 1
    assert [r["status"] for r in fresh_server.api_requests()] == [200, 200, 401, 200]


# 4. Concurrency: one acquisition for all waiters; failures are not cached.


def test_threads_share_one_token_request(fresh_server: OAuthTestServer) -> None:
    fresh_server.token_delay(0.5)
    barrier = threading.Barrier(64)
    errors: list[BaseException] = []
    with make_client(fresh_server) as client:

        def work() -> None:
            barrier.wait()
            try:
                client.items.get_item(1)
            except BaseException as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(64)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert token_count(fresh_server) == 1
    assert len(fresh_server.api_requests()) == 64


def test_tasks_share_one_token_request(fresh_server: OAuthTestServer) -> None:
    fresh_server.token_delay(0.5)

    async def main() -> None:
        async with make_async_client(fresh_server) as client:
            await asyncio.gather(*(client.items.get_item(1) for _ in range(200)))

    asyncio.run(main())
    assert token_count(fresh_server) == 1
    assert len(fresh_server.api_requests()) == 200


def test_failed_acquisition_is_shared_then_retried(fresh_server: OAuthTestServer) -> None:
    fresh_server.token_delay(0.3)
    fresh_server.token_fail(1, 500)
    barrier = threading.Barrier(16)
    outcomes: list[object] = []
    with make_client(fresh_server, o_auth_retry=NO_RETRY) as client:

        def work() -> None:
            barrier.wait()
            try:
                outcomes.append(client.items.get_item(1))
            except OAuthProviderError as error:
                outcomes.append(error.status_code)

        threads = [threading.Thread(target=work) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcomes == [500] * 16
        assert token_count(fresh_server) == 1
        assert client.items.get_item(1).name == "Widget"
    assert [r["status"] for r in fresh_server.token_requests()] == [500, 200]


def test_async_failure_is_not_cached(fresh_server: OAuthTestServer) -> None:
    fresh_server.token_fail(1, 503)

    async def main() -> str:
        async with make_async_client(fresh_server, o_auth_retry=NO_RETRY) as client:
            with pytest.raises(OAuthProviderError) as failure:
                await client.items.list_items()
            assert failure.value.status_code == 503
            return (await client.items.get_item(1)).name

    assert asyncio.run(main()) == "Widget"
    assert [r["status"] for r in fresh_server.token_requests()] == [503, 200]


# 5. An API 401: drop the token, acquire a new one, replay once.


@pytest.mark.parametrize("use_async", [False, True])
def test_401_replays_once_with_a_new_token(fresh_server: OAuthTestServer, use_async: bool) -> None:
    def sync_flow() -> str:
        with make_client(fresh_server) as client:
            client.items.list_items()
            fresh_server.revoke_all()
            return client.items.get_item(2).name

    async def async_flow() -> str:
        async with make_async_client(fresh_server) as client:
            await client.items.list_items()
            fresh_server.revoke_all()
            return (await client.items.get_item(2)).name

    assert (asyncio.run(async_flow()) if use_async else sync_flow()) == "Gadget"
    assert token_count(fresh_server) == 2
    statuses = [r["status"] for r in fresh_server.api_requests()]
    assert statuses == [200, 401, 200]


@pytest.mark.parametrize("use_async", [False, True])
def test_401_never_loops(fresh_server: OAuthTestServer, use_async: bool) -> None:
    fresh_server.reject_all(True)

    async def async_call() -> None:
        async with make_async_client(fresh_server) as client:
            await client.items.list_items()

    def sync_call() -> None:
        with make_client(fresh_server) as client:
            client.items.list_items()

    with pytest.raises(ApiError) as failure:
        asyncio.run(async_call()) if use_async else sync_call()
    assert failure.value.status_code == 401
    assert len(fresh_server.api_requests()) == 2
    assert token_count(fresh_server) == 2


def test_401_on_an_operation_without_token_is_not_replayed(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        client.service.get_service_status()
    assert token_count(fresh_server) == 0


# 6. The token-update callback: once per new token; a raising callback does not lose the token.


def test_update_callback_once_per_new_token(fresh_server: OAuthTestServer) -> None:
    updates: list[OAuthToken] = []
    with make_client(fresh_server, o_auth_on_token_update=updates.append) as client:
        client.items.list_items()
        client.items.list_items()
        fresh_server.revoke_all()
        client.items.list_items()
    assert token_count(fresh_server) == 2
    assert len(updates) == 2 and updates[0].access_token != updates[1].access_token


def test_update_callback_is_called_for_provided_tokens(fresh_server: OAuthTestServer) -> None:
    updates: list[OAuthToken] = []
    with make_client(fresh_server) as fetcher:
        provided = fetcher.client_credentials_auth_manager.fetch_token()
    with make_client(
        fresh_server, o_auth_token_provider=lambda last, manager: provided, o_auth_on_token_update=updates.append
    ) as client:
        client.items.list_items()
    assert updates == [provided]


def test_raising_update_callback_keeps_the_token(fresh_server: OAuthTestServer, caplog: pytest.LogCaptureFixture) -> None:
    def broken(token: OAuthToken) -> None:
        raise RuntimeError("storage is down")

    with caplog.at_level(logging.ERROR, logger="httpccg"), make_client(fresh_server, o_auth_on_token_update=broken) as client:
        for _ in range(3):
            client.items.list_items()
    assert token_count(fresh_server) == 1
    assert any("o_auth_on_token_update" in record.getMessage() and record.exc_info for record in caplog.records)


def test_async_provider_and_callback_may_be_coroutines(fresh_server: OAuthTestServer) -> None:
    updates: list[OAuthToken] = []

    async def provider(last: OAuthToken | None, manager: AsyncClientCredentialsAuthManager) -> OAuthToken:
        return await manager.fetch_token()

    async def on_update(token: OAuthToken) -> None:
        updates.append(token)

    async def main() -> None:
        async with make_async_client(fresh_server, o_auth_token_provider=provider, o_auth_on_token_update=on_update) as client:
            await client.items.list_items()
            await client.items.list_items()

    asyncio.run(main())
    assert token_count(fresh_server) == 1 and len(updates) == 1


# 7. Token-endpoint errors reach the caller with RFC 6749 section 5.2 details.


def test_invalid_client_is_an_oauth_provider_error(fresh_server: OAuthTestServer) -> None:
    wrong = ClientCredentialsAuthCredentials(o_auth_client_id="basic-client", o_auth_client_secret="wrong")
    with Client(client_credentials_auth_credentials=wrong, base_url=fresh_server.base_url) as client:
        with pytest.raises(OAuthProviderError) as failure:
            client.items.list_items()
    error = failure.value
    assert isinstance(error, ApiError)
    assert error.status_code == 401 and error.error == "invalid_client"
    assert error.error_description and "invalid_client" in str(error)
    assert fresh_server.api_requests() == []


def test_invalid_scope_is_an_oauth_provider_error(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server, o_auth_scopes=["read_scope", "admin"]) as client:
        with pytest.raises(OAuthProviderError) as failure:
            client.items.list_items()
    assert failure.value.status_code == 400 and failure.value.error == "invalid_scope"


def test_missing_scope_is_an_api_error_from_the_resource_server(fresh_server: OAuthTestServer) -> None:
    # A token set by hand without a stated scope is trusted with every operation; the API has the last word.
    with make_client(fresh_server, "read_only") as fetcher:
        read_only = fetcher.client_credentials_auth_manager.fetch_token([OAuthScopeEnum.READ_SCOPE])
    unstated = OAuthToken(access_token=read_only.access_token, expiry=read_only.expiry)
    with make_client(fresh_server, "read_only", o_auth_scopes=None, o_auth_token=unstated) as client:
        with pytest.raises(ApiError) as failure:
            client.items.create_item(body=NewItem(name="Lamp"))
    assert failure.value.status_code == 403
    assert failure.value.body["code"] == "insufficient_scope"
    assert token_count(fresh_server) == 1


class _FakeTokenEndpoint(http.server.BaseHTTPRequestHandler):
    """A misbehaving token endpoint: answers every POST with the class's canned response."""

    status = 200
    content_type = "text/html"
    body = b"<html>maintenance</html>"

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_token_endpoint() -> Iterator[type[_FakeTokenEndpoint]]:
    handler = type("Handler", (_FakeTokenEndpoint,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}/token"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "content_type", "body", "expected"),
    [
        (200, "text/html", b"<html>maintenance</html>", "no JSON object"),
        (200, "application/json", b'{"token_type": "Bearer"}', "no access_token"),
        (200, "application/json", b'{"access_token": "abc", "token_type": "mac"}', "only Bearer"),
        (200, "application/json", b'{"access_token": "abc", "expires_in": "soon"}', "expires_in"),
        (502, "text/html", b"<html>bad gateway</html>", "HTTP 502"),
    ],
)
def test_malformed_token_responses_are_clear_errors(
    fresh_server: OAuthTestServer,
    fake_token_endpoint: Any,
    status: int,
    content_type: str,
    body: bytes,
    expected: str,
) -> None:
    fake_token_endpoint.status, fake_token_endpoint.content_type, fake_token_endpoint.body = status, content_type, body
    client = Client(
        client_credentials_auth_credentials=credentials(fresh_server),
        base_url=fresh_server.base_url,
        token_url=fake_token_endpoint.url,
    )
    with client, pytest.raises(OAuthProviderError) as failure:
        client.items.list_items()
    assert expected in str(failure.value)
    assert failure.value.status_code == status
    assert "abc" not in str(failure.value)
    assert fresh_server.api_requests() == []


def test_operation_needing_a_token_without_credentials_says_so(fresh_server: OAuthTestServer) -> None:
    with Client(base_url=fresh_server.base_url) as client:
        assert client.service.get_service_status().status == "ok"
        with pytest.raises(ValueError, match="client_credentials_auth_credentials"):
            client.items.list_items()


# 8. Secrets never appear in repr, str, exception messages or logs.


def test_secrets_stay_out_of_repr_errors_and_logs(fresh_server: OAuthTestServer, caplog: pytest.LogCaptureFixture) -> None:
    client_id, secret = fresh_server.clients["basic"]
    creds = credentials(fresh_server)
    with caplog.at_level(logging.DEBUG):
        with make_client(fresh_server) as client:
            client.items.list_items()
            fresh_server.revoke_all()
            client.items.list_items()
            token = client.client_credentials_auth_manager.o_auth_token
        fresh_server.reject_all(True)
        with make_client(fresh_server) as client, pytest.raises(ApiError) as failure:
            client.items.list_items()
    assert token is not None
    secrets = [secret, token.access_token]
    texts = [repr(creds), str(creds), repr(token), str(token), str(failure.value), repr(failure.value)]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        for value in secrets:
            assert value not in text
    assert any("requesting an OAuth token" in record.getMessage() for record in caplog.records)
    assert "basic-client" in repr(creds)


# 9. Token calls go through the user's httpx2 client, always with a timeout.


def test_token_calls_use_the_given_http_client_with_a_timeout(fresh_server: OAuthTestServer) -> None:
    seen: list[httpx2.Request] = []
    http_client = httpx2.Client(timeout=None, event_hooks={"request": [seen.append]})
    client = Client(
        client_credentials_auth_credentials=credentials(fresh_server),
        base_url=fresh_server.base_url,
        http_client=http_client,
    )
    client.items.list_items()
    client.close()
    assert not http_client.is_closed  # the client does not close an HTTP client it was given
    http_client.close()
    token_request, api_request = seen
    assert token_request.url.path == "/oauth/token"
    assert api_request.url.path == "/api/v1/items"
    assert all(value is not None for value in token_request.extensions["timeout"].values())


def test_async_token_calls_use_the_given_http_client(fresh_server: OAuthTestServer) -> None:
    seen: list[str] = []

    async def record(request: httpx2.Request) -> None:
        seen.append(request.url.path)

    async def main() -> None:
        http_client = httpx2.AsyncClient(event_hooks={"request": [record]})
        async with AsyncClient(
            client_credentials_auth_credentials=credentials(fresh_server),
            base_url=fresh_server.base_url,
            http_client=http_client,
        ) as client:
            await client.items.list_items()
        await http_client.aclose()

    asyncio.run(main())
    assert seen == ["/oauth/token", "/api/v1/items"]


# Beyond the contract: misuse and odd tokens fail clearly.


def test_401_on_a_token_set_by_hand_without_credentials_is_the_api_error(fresh_server: OAuthTestServer) -> None:
    with Client(base_url=fresh_server.base_url) as client:
        client.client_credentials_auth_manager.o_auth_token = OAuthToken(access_token="not-a-real-token")
        with pytest.raises(ApiError) as failure:
            client.items.list_items()
    assert failure.value.status_code == 401
    assert len(fresh_server.api_requests()) == 1 and token_count(fresh_server) == 0


def test_provider_asking_the_client_for_a_token_fails_instead_of_deadlocking(fresh_server: OAuthTestServer) -> None:
    def provider(last: OAuthToken | None, manager: ClientCredentialsAuthManager) -> OAuthToken:
        return manager.token()

    with make_client(fresh_server, o_auth_token_provider=provider) as client:
        with pytest.raises(RuntimeError, match="fetch_token"):
            client.items.list_items()


def test_async_provider_asking_for_a_token_fails_instead_of_deadlocking(fresh_server: OAuthTestServer) -> None:
    async def provider(last: OAuthToken | None, manager: AsyncClientCredentialsAuthManager) -> OAuthToken:
        return await manager.token()

    async def main() -> None:
        async with make_async_client(fresh_server, o_auth_token_provider=provider) as client:
            await asyncio.wait_for(client.items.list_items(), timeout=5)

    with pytest.raises(RuntimeError, match="fetch_token"):
        asyncio.run(main())


@pytest.mark.parametrize(("expires_in", "expected"), [(3599.7, 3599), ("3600", 3600), (-5, 0), (120, 120)])
def test_expires_in_is_whole_non_negative_seconds(expires_in: object, expected: int) -> None:
    assert OAuthToken.model_validate({"access_token": "x", "expires_in": expires_in}).expires_in == expected


def test_token_calls_get_a_read_timeout_when_the_client_has_none(fresh_server: OAuthTestServer) -> None:
    seen: list[httpx2.Request] = []
    http_client = httpx2.Client(timeout=httpx2.Timeout(None, connect=5.0), event_hooks={"request": [seen.append]})
    with Client(
        client_credentials_auth_credentials=credentials(fresh_server), base_url=fresh_server.base_url, http_client=http_client
    ) as client:
        client.items.list_items()
    http_client.close()
    assert seen[0].url.path == "/oauth/token"
    assert seen[0].extensions["timeout"]["read"] is not None
