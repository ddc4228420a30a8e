"""Scopes per operation, proven against the real OAuth server.

Without `o_auth_scopes` each operation's token is asked for with the scopes of its own security
requirement (httpCCG: reading items needs `read_scope`, changing them `write_scope`), tokens are kept
per scope set, and a token granting an operation's scopes serves it. With `o_auth_scopes` that set is
asked for once for every operation, and an operation needing more fails before anything is sent.
Every count is read from the server's logs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, Union

import pytest
from httpccg import (
    AsyncClient,
    Client,
    ClientCredentialsAuthCredentials,
    ClientCredentialsAuthManager,
    OAuthProviderError,
    OAuthScopeEnum,
    OAuthToken,
)
from httpccg.models import NewItem
from support.server import OAuthTestServer

READ, WRITE = OAuthScopeEnum.READ_SCOPE, OAuthScopeEnum.WRITE_SCOPE


def credentials(server: OAuthTestServer, **options: Any) -> ClientCredentialsAuthCredentials:
    client_id, secret = server.clients["basic"]
    return ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id, o_auth_client_secret=secret, **options
    )


def make_client(server: OAuthTestServer, **options: Any) -> Client:
    return Client(
        client_credentials_auth_credentials=credentials(server, **options), base_url=server.base_url
    )


def make_async_client(server: OAuthTestServer, **options: Any) -> AsyncClient:
    return AsyncClient(
        client_credentials_auth_credentials=credentials(server, **options), base_url=server.base_url
    )


LAMP: dict[str, Any] = {"body": NewItem(name="Lamp")}
Step = Union[tuple[str, dict[str, Any]], Callable[[], object]]
"""An items operation to call, by name with its arguments, or something to do between calls."""


def run_steps(server: OAuthTestServer, steps: list[Step], *, use_async: bool, **options: Any) -> None:
    """Take the steps in turn with one `Client`, or one `AsyncClient` with `use_async`."""

    async def async_flow() -> None:
        async with make_async_client(server, **options) as client:
            for step in steps:
                await getattr(client.items, step[0])(**step[1]) if isinstance(step, tuple) else step()

    def sync_flow() -> None:
        with make_client(server, **options) as client:
            for step in steps:
                getattr(client.items, step[0])(**step[1]) if isinstance(step, tuple) else step()

    asyncio.run(async_flow()) if use_async else sync_flow()


def token_scopes(server: OAuthTestServer) -> list[tuple[str | None, int | None]]:
    """The scope and status of every token request, oldest first."""
    return [(request["scope"], request["status"]) for request in server.token_requests()]


def scopes_sent(server: OAuthTestServer) -> list[tuple[str, str, str | None]]:
    """Method, path and the scope of the token of every API request."""
    return [(r["method"], r["path"], r["token_scope"]) for r in server.api_requests()]


def stored_token(server: OAuthTestServer, *scopes: str) -> OAuthToken:
    """A token fetched apart, as one kept from an earlier run would be; the server's logs are reset after."""
    with make_client(server) as fetcher:
        token = fetcher.client_credentials_auth_manager.fetch_token(scopes)
    server.reset()
    return token


@pytest.mark.parametrize("use_async", [False, True])
def test_each_operation_asks_for_its_own_scopes_once(fresh_server: OAuthTestServer, use_async: bool) -> None:
    steps: list[Step] = [
        ("list_items", {}),
        ("create_item", LAMP),
        ("get_item", {"item_id": 1}),
        ("delete_item", {"item_id": 2}),
        ("list_items", {}),
    ]
    run_steps(fresh_server, steps, use_async=use_async)
    assert token_scopes(fresh_server) == [("read_scope", 200), ("write_scope", 200)]
    assert [scope for *_, scope in scopes_sent(fresh_server)] == [
        "read_scope",
        "write_scope",
        "read_scope",
        "write_scope",
        "read_scope",
    ]
    assert all(request["status"] in (200, 201, 204) for request in fresh_server.api_requests())


def test_a_token_granting_more_serves_the_operations_it_covers(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        both = client.client_credentials_auth_manager.token([READ, WRITE])
        client.items.list_items()
        client.items.create_item(body=NewItem(name="Lamp"))
    assert both.scope == "read_scope write_scope"
    assert token_scopes(fresh_server) == [("read_scope write_scope", 200)]
    assert len({request["token_jti"] for request in fresh_server.api_requests()}) == 1


@pytest.mark.parametrize("state_scope", [True, False])
def test_a_given_token_covering_both_scopes_serves_both(
    fresh_server: OAuthTestServer, state_scope: bool
) -> None:
    # A token without a stated scope is trusted with every operation; one stating both covers both.
    fetched = stored_token(fresh_server, READ, WRITE)
    given = fetched if state_scope else OAuthToken(access_token=fetched.access_token, expiry=fetched.expiry)
    with make_client(fresh_server, o_auth_token=given) as client:
        client.items.list_items()
        client.items.create_item(body=NewItem(name="Lamp"))
        client.items.list_items()
    assert token_scopes(fresh_server) == []
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 201, 200]


def test_a_token_set_by_hand_serves_only_the_scopes_it_states(fresh_server: OAuthTestServer) -> None:
    read_only = stored_token(fresh_server, READ)
    with make_client(fresh_server) as client:
        client.client_credentials_auth_manager.o_auth_token = read_only
        client.items.list_items()
        client.items.create_item(body=NewItem(name="Lamp"))
        client.items.list_items()
        assert client.client_credentials_auth_manager.o_auth_token is not read_only  # the newest token
    assert token_scopes(fresh_server) == [("write_scope", 200)]
    assert [scope for *_, scope in scopes_sent(fresh_server)] == ["read_scope", "write_scope", "read_scope"]


def test_fixed_scopes_get_one_token_for_every_operation(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server, o_auth_scopes=[READ, WRITE]) as client:
        client.items.list_items()
        created = client.items.create_item(body=NewItem(name="Lamp"))
        client.items.get_item(created.id)
    assert token_scopes(fresh_server) == [("read_scope write_scope", 200)]
    assert len({request["token_jti"] for request in fresh_server.api_requests()}) == 1


@pytest.mark.parametrize("use_async", [False, True])
def test_a_scope_outside_the_fixed_ones_fails_before_sending(
    fresh_server: OAuthTestServer, use_async: bool
) -> None:
    with pytest.raises(
        ValueError, match="POST /items needs an OAuth token granting 'write_scope'"
    ) as failure:
        run_steps(fresh_server, [("create_item", LAMP)], use_async=use_async, o_auth_scopes=[READ])
    assert "o_auth_scopes" in str(failure.value)
    assert fresh_server.token_requests() == []
    assert fresh_server.api_requests() == []


def test_operations_within_the_fixed_scopes_still_work_after_one_outside_failed(
    fresh_server: OAuthTestServer,
) -> None:
    with make_client(fresh_server, o_auth_scopes=[READ]) as client:
        with pytest.raises(ValueError, match="write_scope"):
            client.items.delete_item(1)
        assert [item.id for item in client.items.list_items()] == [2, 1]
    assert token_scopes(fresh_server) == [("read_scope", 200)]
    assert [(method, path) for method, path, _ in scopes_sent(fresh_server)] == [("GET", "/api/v1/items")]


def _split_call(index: int) -> tuple[str, dict[str, Any]]:
    """Half the callers read an item, half create one."""
    return (
        ("get_item", {"item_id": 1})
        if index % 2
        else ("create_item", {"body": NewItem(name=f"Item {index}")})
    )


def test_threads_share_one_token_request_per_scope_set(fresh_server: OAuthTestServer) -> None:
    fresh_server.token_delay(0.5)
    barrier = threading.Barrier(32)
    errors: list[BaseException] = []
    with make_client(fresh_server) as client:

        def work(index: int) -> None:
            name, arguments = _split_call(index)
            barrier.wait()
            try:
                getattr(client.items, name)(**arguments)
            except BaseException as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)

        threads = [threading.Thread(target=work, args=(index,)) for index in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(token_scopes(fresh_server)) == [("read_scope", 200), ("write_scope", 200)]
    assert len(fresh_server.api_requests()) == 32


def test_tasks_share_one_token_request_per_scope_set(fresh_server: OAuthTestServer) -> None:
    fresh_server.token_delay(0.5)

    async def main() -> None:
        async with make_async_client(fresh_server) as client:
            calls = [
                getattr(client.items, name)(**arguments) for name, arguments in map(_split_call, range(200))
            ]
            await asyncio.gather(*calls)

    asyncio.run(main())
    assert sorted(token_scopes(fresh_server)) == [("read_scope", 200), ("write_scope", 200)]
    assert len(fresh_server.api_requests()) == 200


@pytest.mark.parametrize("use_async", [False, True])
def test_401_renews_only_the_refused_scope_set(fresh_server: OAuthTestServer, use_async: bool) -> None:
    # The server revokes every token it has seen: the read token only, since the write token comes after.
    steps: list[Step] = [
        ("list_items", {}),
        fresh_server.revoke_all,
        ("create_item", LAMP),
        ("list_items", {}),
        ("create_item", LAMP),
    ]
    run_steps(fresh_server, steps, use_async=use_async)
    assert token_scopes(fresh_server) == [("read_scope", 200), ("write_scope", 200), ("read_scope", 200)]
    api = fresh_server.api_requests()
    assert [(r["method"], r["status"]) for r in api] == [
        ("GET", 200),
        ("POST", 201),
        ("GET", 401),
        ("GET", 200),
        ("POST", 201),
    ]
    assert api[1]["token_jti"] == api[4]["token_jti"]
    assert api[0]["token_jti"] == api[2]["token_jti"] != api[3]["token_jti"]


def test_a_scope_unknown_to_the_server_is_refused_and_not_remembered(fresh_server: OAuthTestServer) -> None:
    with make_client(fresh_server) as client:
        manager = client.client_credentials_auth_manager
        for _ in range(2):
            with pytest.raises(OAuthProviderError) as failure:
                manager.token(["admin"])
            assert failure.value.error == "invalid_scope"
        client.items.list_items()
    assert token_scopes(fresh_server) == [("admin", 400), ("admin", 400), ("read_scope", 200)]


def test_provider_fetches_the_scopes_being_acquired(fresh_server: OAuthTestServer) -> None:
    seen: list[OAuthToken | None] = []
    updates: list[str | None] = []

    def provider(last: OAuthToken | None, manager: ClientCredentialsAuthManager) -> OAuthToken:
        seen.append(last)
        return manager.fetch_token()

    options: dict[str, Any] = {
        "o_auth_token_provider": provider,
        "o_auth_on_token_update": lambda t: updates.append(t.scope),
    }
    with make_client(fresh_server, **options) as client:
        client.items.list_items()
        client.items.create_item(body=NewItem(name="Lamp"))
        client.items.list_items()
        read_token = client.client_credentials_auth_manager.token([READ])
        fresh_server.revoke_all()
        client.items.list_items()
    assert token_scopes(fresh_server) == [("read_scope", 200), ("write_scope", 200), ("read_scope", 200)]
    assert updates == ["read_scope", "write_scope", "read_scope"]
    # The provider is handed the previous token of the same scopes, the refused one included.
    assert seen[:2] == [None, None] and seen[2] is read_token
