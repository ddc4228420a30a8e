"""Renewal with the refresh grant (RFC 6749 section 6), against the real OAuth test server.

The test server's `refresh` clients get a refresh token with each client-credentials token, which
lives 4 s; a clock skew of 3 s makes it expire after at most one second, so renewal is quick to reach.
The server logs every token request with its grant type: that log is what the tests count.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx2
import pytest
from httpccg import (
    AsyncClient,
    Client,
    ClientCredentialsAuthCredentials,
    ClientCredentialsAuthManager,
    TokenRetryPolicy,
)
from support.proxy import Fault, FaultProxy
from support.server import OAuthTestServer

QUICK = TokenRetryPolicy(max_attempts=4, base_delay=0.05, max_delay=2.0, max_total=10.0)
SKEW = 3.0
PAST_EXPIRY = 1.1
CC, REFRESH = "client_credentials", "refresh_token"


def credentials(
    server: OAuthTestServer, client: str = "refresh", **options: Any
) -> ClientCredentialsAuthCredentials:
    client_id, secret = server.clients[client]
    options.setdefault("o_auth_clock_skew", SKEW)
    options.setdefault("o_auth_retry", QUICK)
    if client == "refresh_post":
        options.setdefault("o_auth_client_authentication", "client_secret_post")
    return ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id, o_auth_client_secret=secret, **options
    )


def make_client(
    server: OAuthTestServer, via: FaultProxy | None = None, client: str = "refresh", **urls: str
) -> Client:
    """A client of the golden SDK; with `via`, its token and refresh requests go through that proxy."""
    if via is not None:
        urls = {"token_url": via.token_url, "refresh_url": via.token_url, **urls}
    return Client(
        client_credentials_auth_credentials=credentials(server, client), base_url=server.base_url, **urls
    )


def jtis(server: OAuthTestServer) -> list[str]:
    return [request["token_jti"] for request in server.api_requests()]


@pytest.mark.parametrize("client_name", ["refresh", "refresh_post"])
def test_renewal_at_expiry_uses_the_refresh_grant_at_the_spec_refresh_url(
    fresh_server: OAuthTestServer, client_name: str
) -> None:
    # No token_url or refresh_url: both are the spec's, resolved against base_url.
    with make_client(fresh_server, client=client_name) as client:
        client.items.list_items()
        issued = client.client_credentials_auth_manager.o_auth_token
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
        token = client.client_credentials_auth_manager.o_auth_token
    # The server does not rotate refresh tokens: the second refresh reuses the one first issued.
    assert fresh_server.grant_types() == [CC, REFRESH, REFRESH]
    assert [request["status"] for request in fresh_server.token_requests()] == [200, 200, 200]
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200, 200]
    assert len(set(jtis(fresh_server))) == 3
    assert issued is not None and token is not None
    assert token.refresh_token == issued.refresh_token == fresh_server.refresh_tokens()[0]


def test_async_renewal_uses_the_refresh_grant(fresh_server: OAuthTestServer) -> None:
    async def flow() -> None:
        async with AsyncClient(
            client_credentials_auth_credentials=credentials(fresh_server), base_url=fresh_server.base_url
        ) as client:
            await client.items.list_items()
            await asyncio.sleep(PAST_EXPIRY)
            await client.items.list_items()

    asyncio.run(flow())
    assert fresh_server.grant_types() == [CC, REFRESH]
    assert len(set(jtis(fresh_server))) == 2


def test_refresh_requests_go_to_the_refresh_url(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    # The token URL is the proxy's, the refresh URL the server's own: the proxy sees only the first.
    with make_client(fresh_server, fault_proxy, refresh_url=fresh_server.token_url) as client:
        client.items.list_items()
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
    assert [record.form["grant_type"] for record in fault_proxy.token_requests()] == [[CC]]
    assert fresh_server.grant_types() == [CC, REFRESH]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_refused_refresh_token_falls_back_to_client_credentials(
    fresh_server: OAuthTestServer, use_async: bool
) -> None:
    async def async_flow() -> None:
        async with AsyncClient(
            client_credentials_auth_credentials=credentials(fresh_server), base_url=fresh_server.base_url
        ) as client:
            await client.items.list_items()
            fresh_server.revoke_refresh_tokens()
            await asyncio.sleep(PAST_EXPIRY)
            await client.items.list_items()

    if use_async:
        asyncio.run(async_flow())
    else:
        with make_client(fresh_server) as client:
            client.items.list_items()
            fresh_server.revoke_refresh_tokens()
            time.sleep(PAST_EXPIRY)
            client.items.list_items()
    requests = fresh_server.token_requests()
    assert [(request["grant_type"], request["status"]) for request in requests] == [
        (CC, 200),
        (REFRESH, 400),
        (CC, 200),
    ]
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200]


def test_the_spec_refresh_url_that_is_its_token_url_follows_a_given_token_url(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    # The spec's refreshUrl is its tokenUrl: a token URL given for another server takes refreshes along.
    with make_client(fresh_server, token_url=fault_proxy.token_url) as client:
        client.items.list_items()
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
    assert [record.form["grant_type"] for record in fault_proxy.token_requests()] == [[CC], [REFRESH]]


def test_503_on_the_refresh_endpoint_is_retried(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
        fault_proxy.inject(Fault.answer(503, {"error": "temporarily_unavailable"}, Retry_After="0"))
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
    records = [(record.form["grant_type"][0], record.fault) for record in fault_proxy.token_requests()]
    assert records == [(CC, ""), (REFRESH, "HTTP 503"), (REFRESH, "")]
    assert fresh_server.grant_types() == [CC, REFRESH]


def test_refresh_grant_failing_for_good_falls_back_once(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    with make_client(fresh_server, fault_proxy) as client:
        client.items.list_items()
        fault_proxy.inject(Fault.answer(503, {"error": "temporarily_unavailable"}), count=QUICK.max_attempts)
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
    records = [(record.form["grant_type"][0], record.fault) for record in fault_proxy.token_requests()]
    assert records == [(CC, ""), *[(REFRESH, "HTTP 503")] * QUICK.max_attempts, (CC, "")]


def test_without_a_refresh_token_renewal_uses_client_credentials(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server, client="short") as client:
        client.items.list_items()
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
        token = client.client_credentials_auth_manager.o_auth_token
    assert token is not None and token.refresh_token is None
    assert fresh_server.grant_types() == [CC, CC]


def test_without_a_refresh_url_the_refresh_token_is_ignored(fresh_server: OAuthTestServer) -> None:
    # A manager of its own, as a client of a spec without refreshUrl makes it.
    with httpx2.Client(timeout=5.0) as http_client:
        manager = ClientCredentialsAuthManager(
            credentials(fresh_server),
            token_url=fresh_server.token_url,
            refresh_url=None,
            http_client=http_client,
        )
        first = manager.token()
        time.sleep(PAST_EXPIRY)
        second = manager.token()
    assert first.refresh_token is not None
    assert second.access_token != first.access_token
    assert fresh_server.grant_types() == [CC, CC]


def test_refresh_grant_sends_the_extra_token_parameters(fresh_server: OAuthTestServer) -> None:
    options = {"o_auth_token_parameters": {"resource": fresh_server.base_url}}
    with Client(
        client_credentials_auth_credentials=credentials(fresh_server, **options), base_url=fresh_server.base_url
    ) as client:
        client.items.list_items()
        time.sleep(PAST_EXPIRY)
        client.items.list_items()
    requests = fresh_server.token_requests()
    assert [request["grant_type"] for request in requests] == [CC, REFRESH]
    assert [request["resource"] for request in requests] == [fresh_server.base_url] * 2
    assert [request["status"] for request in requests] == [200, 200]


def test_a_given_token_of_other_scopes_is_not_refreshed_for_an_operation(fresh_server: OAuthTestServer) -> None:
    # A token granting write_scope only, with a refresh token: refreshing it would renew write_scope,
    # so the read operation gets a client-credentials token of its own.
    with make_client(fresh_server) as client:
        write_token = client.client_credentials_auth_manager.fetch_token(["write_scope"])
    assert write_token.scope == "write_scope" and write_token.refresh_token
    given = credentials(fresh_server, o_auth_token=write_token)
    with Client(client_credentials_auth_credentials=given, base_url=fresh_server.base_url) as client:
        client.items.list_items()
    requests = fresh_server.token_requests()
    assert [(request["grant_type"], request["scope"]) for request in requests] == [
        (CC, "write_scope"),
        (CC, "read_scope"),
    ]
    assert [request["status"] for request in fresh_server.api_requests()] == [200]
