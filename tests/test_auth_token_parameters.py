"""Extra token parameters (`o_auth_token_parameters`): sent on every token request, first and renewed.

The server logs the `resource` it received (RFC 8707); the proxy in front of it logs every form
field, `audience` included.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpccg import AsyncClient, Client, ClientCredentialsAuthCredentials, OAuthProviderError, OAuthScopeEnum
from support.proxy import FaultProxy
from support.server import OAuthTestServer


def credentials(
    server: OAuthTestServer, client: str = "basic", **options: Any
) -> ClientCredentialsAuthCredentials:
    client_id, secret = server.clients[client]
    return ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id,
        o_auth_client_secret=secret,
        o_auth_scopes=[OAuthScopeEnum.READ_SCOPE],
        **options,
    )


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("client", ["basic", "post"])
def test_parameters_are_sent_on_the_first_fetch_and_on_renewal(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, client: str, use_async: bool
) -> None:
    parameters = {"resource": fresh_server.base_url, "audience": ["orders", "billing"]}
    chosen = credentials(
        fresh_server,
        client,
        o_auth_token_parameters=parameters,
        o_auth_client_authentication=f"client_secret_{client}",
    )

    async def async_flow() -> None:
        async with AsyncClient(
            client_credentials_auth_credentials=chosen,
            base_url=fresh_server.base_url,
            token_url=fault_proxy.token_url,
        ) as api:
            await api.items.list_items()
            fresh_server.revoke_all()  # forces a renewal
            await api.items.list_items()

    if use_async:
        asyncio.run(async_flow())
    else:
        with Client(
            client_credentials_auth_credentials=chosen,
            base_url=fresh_server.base_url,
            token_url=fault_proxy.token_url,
        ) as api:
            api.items.list_items()
            fresh_server.revoke_all()
            api.items.list_items()

    seen_by_server = fresh_server.token_requests()
    assert [(r["resource"], r["scope"], r["status"]) for r in seen_by_server] == [
        (fresh_server.base_url, "read_scope", 200)
    ] * 2
    forms = [record.form for record in fault_proxy.token_requests()]
    assert [form["audience"] for form in forms] == [["orders", "billing"]] * 2
    assert [form["grant_type"] for form in forms] == [["client_credentials"]] * 2


def test_parameters_reach_the_server_that_judges_them(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy
) -> None:
    # Proof that the parameter is not only sent but read: an unknown resource is refused (and not retried).
    chosen = credentials(fresh_server, o_auth_token_parameters={"resource": "https://elsewhere.example/"})
    with Client(
        client_credentials_auth_credentials=chosen,
        base_url=fresh_server.base_url,
        token_url=fault_proxy.token_url,
    ) as api:
        with pytest.raises(OAuthProviderError) as raised:
            api.items.list_items()
    assert raised.value.error == "invalid_target"
    assert fault_proxy.token_count() == 1


@pytest.mark.parametrize(
    "name", ["grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "scope"]
)
def test_reserved_parameter_names_are_refused(fresh_server: OAuthTestServer, name: str) -> None:
    with pytest.raises(ValueError, match=f"must not set {name}: the auth manager sets these itself"):
        credentials(fresh_server, o_auth_token_parameters={name: "x"})


@pytest.mark.parametrize(
    "parameters",
    [{"audience": 5}, {"audience": ["a", 5]}, ["audience", "x"]],
    ids=["number", "list-item", "not-a-map"],
)
def test_malformed_parameters_are_refused(fresh_server: OAuthTestServer, parameters: Any) -> None:
    with pytest.raises(TypeError, match="o_auth_token_parameters"):
        credentials(fresh_server, o_auth_token_parameters=parameters)
