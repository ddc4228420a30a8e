"""The auth manager under token-endpoint faults, through a fault-injecting proxy (support.proxy).

Each test asserts the outcome and the number of token requests the proxy received. The retry policy
is shortened (base delay 0.05 s) so that backoff does not slow the file down; the rules are the same.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from typing import Any

import httpx2
import pytest
from httpccg import (
    AsyncClient,
    Client,
    ClientCredentialsAuthCredentials,
    OAuthProviderError,
    OAuthScopeEnum,
    OAuthToken,
    TokenRetryPolicy,
)
from support.proxy import Fault, FaultProxy
from support.server import OAuthTestServer

QUICK = TokenRetryPolicy(max_attempts=4, base_delay=0.05, max_delay=2.0, max_total=10.0)
TIMEOUT = 0.5


def credentials(
    server: OAuthTestServer, client: str = "basic", **options: Any
) -> ClientCredentialsAuthCredentials:
    client_id, secret = server.clients[client]
    options.setdefault("o_auth_scopes", [OAuthScopeEnum.READ_SCOPE, OAuthScopeEnum.WRITE_SCOPE])
    options.setdefault("o_auth_retry", QUICK)
    return ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id, o_auth_client_secret=secret, **options
    )


def make_client(server: OAuthTestServer, proxy: FaultProxy, client: str = "basic", **options: Any) -> Client:
    return Client(
        client_credentials_auth_credentials=credentials(server, client, **options),
        base_url=server.base_url,
        token_url=proxy.token_url,
        http_client=httpx2.Client(timeout=TIMEOUT),
    )


def make_async_client(server: OAuthTestServer, proxy: FaultProxy, **options: Any) -> AsyncClient:
    return AsyncClient(
        client_credentials_auth_credentials=credentials(server, **options),
        base_url=server.base_url,
        token_url=proxy.token_url,
        http_client=httpx2.AsyncClient(timeout=TIMEOUT),
    )


def gaps(proxy: FaultProxy) -> list[float]:
    """Seconds between consecutive token requests, as the proxy received them."""
    times = [record.received_at for record in proxy.token_requests()]
    return [later - earlier for earlier, later in zip(times, times[1:])]


# Passing failures: retried, and the retries are counted.


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_503_with_retry_after_seconds_waits_then_succeeds(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, use_async: bool
) -> None:
    fault_proxy.inject(Fault.answer(503, {"error": "temporarily_unavailable"}, Retry_After="1"))

    async def async_flow() -> None:
        async with make_async_client(fresh_server, fault_proxy) as client:
            await client.items.list_items()

    if use_async:
        asyncio.run(async_flow())
    else:
        with make_client(fresh_server, fault_proxy) as client:
            client.items.list_items()
    assert fault_proxy.token_count() == 2
    [gap] = gaps(fault_proxy)
    assert 1.0 <= gap < 1.8  # the server's wait, not the 0.05 s backoff


def test_503_with_retry_after_http_date(fresh_server: OAuthTestServer, fault_proxy: FaultProxy) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    fault_proxy.inject(Fault.answer(503, {"error": "temporarily_unavailable"}, Retry_After=when))
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
    assert fault_proxy.token_count() == 2
    [gap] = gaps(fault_proxy)
    assert 0.9 <= gap < 2.5  # the date has one-second precision


def test_retry_after_longer_than_the_cap_is_cut_to_max_delay(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    fault_proxy.inject(Fault.answer(429, {"error": "slow_down"}, Retry_After="3600"))
    policy = TokenRetryPolicy(base_delay=0.05, max_delay=0.3)
    with make_client(fresh_server, fault_proxy, o_auth_retry=policy) as client:
        client.items.list_items()
    assert fault_proxy.token_count() == 2
    [gap] = gaps(fault_proxy)
    assert 0.3 <= gap < 1.0


def test_retry_after_beyond_the_total_budget_fails_at_once(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    fault_proxy.inject(Fault.answer(503, {"error": "temporarily_unavailable"}, Retry_After="5"))
    policy = TokenRetryPolicy(base_delay=0.05, max_delay=10.0, max_total=2.0)
    started = time.monotonic()
    with make_client(fresh_server, fault_proxy, o_auth_retry=policy) as client:
        with pytest.raises(OAuthProviderError) as raised:
            client.items.list_items()
    assert raised.value.status_code == 503
    assert time.monotonic() - started < 1.0
    assert fault_proxy.token_count() == 1


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_500_twice_then_success_makes_three_requests(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, use_async: bool
) -> None:
    fault_proxy.inject(Fault.answer(500, {"error": "server_error"}), count=2)

    async def async_flow() -> str:
        async with make_async_client(fresh_server, fault_proxy) as client:
            return (await client.items.get_item(1)).name

    if use_async:
        name = asyncio.run(async_flow())
    else:
        with make_client(fresh_server, fault_proxy) as client:
            name = client.items.get_item(1).name
    assert name == "Widget"
    assert fault_proxy.token_count() == 3
    assert [record.fault for record in fault_proxy.token_requests()] == ["HTTP 500", "HTTP 500", ""]


def test_429_until_attempts_run_out_raises_the_last_answer(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    fault_proxy.always(Fault.answer(429, {"error": "slow_down"}))
    with make_client(fresh_server, fault_proxy) as client:
        with pytest.raises(OAuthProviderError) as raised:
            client.items.list_items()
    assert raised.value.status_code == 429
    assert fault_proxy.token_count() == QUICK.max_attempts
    assert fresh_server.api_requests() == []


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_connection_reset_is_retried(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, use_async: bool
) -> None:
    fault_proxy.inject(Fault(reset=True, name="reset"))

    async def async_flow() -> None:
        async with make_async_client(fresh_server, fault_proxy) as client:
            await client.items.list_items()

    if use_async:
        asyncio.run(async_flow())
    else:
        with make_client(fresh_server, fault_proxy) as client:
            client.items.list_items()
    assert [record.fault for record in fault_proxy.token_requests()] == ["reset", ""]


def test_hang_past_the_timeout_is_retried(fresh_server: OAuthTestServer, fault_proxy: FaultProxy) -> None:
    fault_proxy.inject(Fault(hang=TIMEOUT * 4, name="hang"))
    started = time.monotonic()
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
    assert time.monotonic() - started < TIMEOUT * 3  # the client's timeout ended the hang, not the proxy
    assert [record.fault for record in fault_proxy.token_requests()] == ["hang", ""]


def test_endless_hang_is_bounded_by_attempts(fresh_server: OAuthTestServer, fault_proxy: FaultProxy) -> None:
    fault_proxy.always(Fault(hang=TIMEOUT * 4, name="hang"))
    policy = TokenRetryPolicy(max_attempts=3, base_delay=0.05)
    started = time.monotonic()
    with make_client(fresh_server, fault_proxy, o_auth_retry=policy) as client:
        with pytest.raises(httpx2.TimeoutException):
            client.items.list_items()
    elapsed = time.monotonic() - started
    assert fault_proxy.token_count() == 3
    assert elapsed < 3 * TIMEOUT + 1.0


# Answers that are not tokens: final. A 200 says the server worked; asking again would get the same
# malformed answer (a misconfigured endpoint or a proxy's login page), so retrying only adds load.


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault.answer(200, b"<html>login</html>"), "no JSON object"),
        (Fault.answer(200, {"token_type": "Bearer", "expires_in": 3600}), "no access_token"),
    ],
    ids=["non-json", "no-access-token"],
)
def test_200_that_is_not_a_token_is_not_retried(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, fault: Fault, message: str
) -> None:
    fault_proxy.inject(fault)
    with make_client(fresh_server, fault_proxy) as client:
        with pytest.raises(OAuthProviderError, match=message):
            client.items.list_items()
        assert fault_proxy.token_count() == 1
        client.items.list_items()  # the failure was not cached
    assert fault_proxy.token_count() == 2


# expires_in as the server should not send it.


def test_expires_in_as_a_string_is_read_as_seconds(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    fault_proxy.inject(Fault.token_field("expires_in", "3600"))
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
        client.items.list_items()
        token = client.client_credentials_auth_manager.o_auth_token
    assert token is not None and token.expires_in == 3600 and token.expiry is not None
    assert fault_proxy.token_count() == 1


def test_negative_expires_in_means_expired_at_once(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    # Read as 0: the token is used by the call it was fetched for, and every call fetches again.
    fault_proxy.always(Fault.token_field("expires_in", -30))
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
        client.items.list_items()
        token = client.client_credentials_auth_manager.o_auth_token
    assert token is not None and token.expires_in == 0
    assert fault_proxy.token_count() == 2
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200]


def test_absent_expires_in_means_used_until_refused(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    fault_proxy.always(Fault.token_field("expires_in", remove=True))
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
        client.items.list_items()
        assert fault_proxy.token_count() == 1
        fresh_server.revoke_all()
        client.items.list_items()
        token = client.client_credentials_auth_manager.o_auth_token
    assert token is not None and token.expires_in is None and token.expiry is None
    assert fault_proxy.token_count() == 2


# OAuth refusals: one request, never retried.


def test_invalid_client_is_not_retried(fresh_server: OAuthTestServer, fault_proxy: FaultProxy) -> None:
    with Client(
        client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
            o_auth_client_id="basic-client", o_auth_client_secret="wrong", o_auth_retry=QUICK
        ),
        base_url=fresh_server.base_url,
        token_url=fault_proxy.token_url,
    ) as client:
        with pytest.raises(OAuthProviderError) as raised:
            client.items.list_items()
    assert raised.value.error == "invalid_client"
    assert fault_proxy.token_count() == 1


def test_invalid_scope_is_not_retried(fresh_server: OAuthTestServer, fault_proxy: FaultProxy) -> None:
    with make_client(fresh_server, fault_proxy, "read_only") as client:
        with pytest.raises(OAuthProviderError) as raised:
            client.items.list_items()
    assert raised.value.error == "invalid_scope"
    assert fault_proxy.token_count() == 1


# Refusals by the API, and user code that raises.


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_token_revoked_server_side_renews_once_and_replays_once(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, use_async: bool
) -> None:
    async def async_flow() -> None:
        async with make_async_client(fresh_server, fault_proxy) as client:
            await client.items.list_items()
            fresh_server.revoke_all()
            await client.items.list_items()

    if use_async:
        asyncio.run(async_flow())
    else:
        with make_client(fresh_server, fault_proxy) as client:
            client.items.list_items()
            fresh_server.revoke_all()
            client.items.list_items()
    assert fault_proxy.token_count() == 2
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 401, 200]


def test_callback_that_raises_keeps_the_token(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    def callback(token: OAuthToken) -> None:
        raise RuntimeError("storage is down")

    with caplog.at_level(logging.ERROR):
        with make_client(fresh_server, fault_proxy, o_auth_on_token_update=callback) as client:
            client.items.list_items()
            client.items.list_items()
    assert fault_proxy.token_count() == 1
    assert "o_auth_on_token_update raised" in caplog.text


def test_provider_that_raises_fails_the_call_and_is_asked_again(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    calls: list[OAuthToken | None] = []

    def provider(last: OAuthToken | None, manager: Any) -> OAuthToken:
        calls.append(last)
        if len(calls) == 1:
            raise RuntimeError("vault unreachable")
        token: OAuthToken = manager.fetch_token()
        return token

    with make_client(fresh_server, fault_proxy, o_auth_token_provider=provider) as client:
        with pytest.raises(RuntimeError, match="vault unreachable"):
            client.items.list_items()
        assert fault_proxy.token_count() == 0  # a provider's failure is its own: not retried by the manager
        client.items.list_items()
    assert len(calls) == 2
    assert fault_proxy.token_count() == 1
