"""Operations of the generated httpccg SDK against the real resource server: parameters, bodies,
responses, errors, and configuration from the environment."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

import pytest
from httpccg import ApiError, AsyncClient, Client, ClientCredentialsAuthCredentials, NotFoundError, OAuthScopeEnum
from httpccg.models import Error, Item, ItemStatus, NewItem
from support.server import OAuthTestServer


@pytest.fixture
def client(fresh_server: OAuthTestServer) -> Client:
    client_id, secret = fresh_server.clients["basic"]
    credentials = ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id,
        o_auth_client_secret=secret,
        o_auth_scopes=[OAuthScopeEnum.READ_SCOPE, OAuthScopeEnum.WRITE_SCOPE],
    )
    return Client(client_credentials_auth_credentials=credentials, base_url=fresh_server.base_url)


def test_query_and_header_parameters_are_sent(client: Client, fresh_server: OAuthTestServer) -> None:
    items = client.items.list_items(limit=5, status=ItemStatus.RESERVED, x_request_id="trace-1")
    assert [item.name for item in items] == ["Gadget"]
    request = fresh_server.api_requests()[-1]
    assert parse_qs(request["query"]) == {"limit": ["5"], "status": ["reserved"]}
    assert request["request_id"] == "trace-1"


def test_optional_parameters_left_out_are_not_sent(client: Client, fresh_server: OAuthTestServer) -> None:
    client.items.list_items()
    request = fresh_server.api_requests()[-1]
    assert request["query"] in ("", None) and request["request_id"] is None


def test_models_decode_types_and_nullable_fields(client: Client) -> None:
    widget = client.items.get_item(1)
    assert isinstance(widget, Item)
    assert widget.status is ItemStatus.AVAILABLE and widget.note is None and widget.price == 9.5
    gadget = client.items.get_item(2)
    assert gadget.tags is None and gadget.note == "fragile"


def test_body_fields_not_set_are_not_sent(client: Client) -> None:
    from httpccg import _runtime

    # Unset fields are left out; a field set to None is sent as null.
    assert _runtime._json_body(NewItem(name="Lamp", note=None)) == b'{"name":"Lamp","note":null}'
    created = client.items.create_item(body=NewItem(name="Lamp", note=None))
    assert created.name == "Lamp" and created.note is None and created.tags is None
    assert created.id == client.items.get_item(created.id).id


def test_create_then_delete(client: Client) -> None:
    created = client.items.create_item(body=NewItem(name="Chair", tags=["wood"], status=ItemStatus.SOLD, price=12.0))
    assert created.tags == ["wood"] and created.status is ItemStatus.SOLD
    assert client.items.delete_item(created.id) is None
    with pytest.raises(NotFoundError) as failure:
        client.items.get_item(created.id)
    assert failure.value.status_code == 404 and isinstance(failure.value, ApiError)
    assert isinstance(failure.value.body, Error) and failure.value.body.code and "404" in str(failure.value)


def test_path_parameters_are_percent_encoded(client: Client, fresh_server: OAuthTestServer) -> None:
    with pytest.raises(ApiError):
        client.items.get_item("1/../2")  # type: ignore[arg-type]
    assert fresh_server.api_requests()[-1]["path"] == "/api/v1/items/1%2F..%2F2"


def test_async_client_calls_operations(fresh_server: OAuthTestServer) -> None:
    client_id, secret = fresh_server.clients["basic"]

    async def main() -> list[str]:
        credentials = ClientCredentialsAuthCredentials(o_auth_client_id=client_id, o_auth_client_secret=secret)
        async with AsyncClient(client_credentials_auth_credentials=credentials, base_url=fresh_server.base_url) as client:
            created = await client.items.create_item(body=NewItem(name="Desk"))
            return [item.name for item in await client.items.list_items()] + [str(created.id)]

    names = asyncio.run(main())
    assert names[0] == "Desk" and "Widget" in names


def test_from_environment_reads_typed_values(fresh_server: OAuthTestServer) -> None:
    client_id, secret = fresh_server.clients["basic"]
    environ = {
        "HTTPCCG_O_AUTH_CLIENT_ID": client_id,
        "HTTPCCG_O_AUTH_CLIENT_SECRET": secret,
        "HTTPCCG_O_AUTH_SCOPES": "read_scope, write_scope",
        "HTTPCCG_O_AUTH_CLOCK_SKEW": "2.5",
        "HTTPCCG_BASE_URL": fresh_server.base_url,
    }
    with Client.from_environment(environ) as client:
        assert client.items.get_item(1).name == "Widget"
        assert client.base_url == fresh_server.base_url
    [request] = fresh_server.token_requests()
    assert request["scope"] == "read_scope write_scope"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HTTPCCG_O_AUTH_CLOCK_SKEW", "soon", "HTTPCCG_O_AUTH_CLOCK_SKEW must be a number"),
        ("HTTPCCG_O_AUTH_CLOCK_SKEW", "-1", "HTTPCCG_O_AUTH_CLOCK_SKEW must be zero or more"),
        ("HTTPCCG_O_AUTH_SCOPES", "read_scope admin", "unknown scope 'admin'"),
        ("HTTPCCG_O_AUTH_CLIENT_SECRET", "", "HTTPCCG_O_AUTH_CLIENT_SECRET is not set"),
    ],
)
def test_from_environment_names_the_bad_variable(variable: str, value: str, message: str) -> None:
    environ = {"HTTPCCG_O_AUTH_CLIENT_ID": "id", "HTTPCCG_O_AUTH_CLIENT_SECRET": "secret", variable: value}
    with pytest.raises(ValueError, match=message):
        Client.from_environment(environ)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"o_auth_client_id": ""}, "o_auth_client_id"),
        ({"o_auth_scopes": "read_scope"}, "not a single string"),
        ({"o_auth_clock_skew": -5}, "o_auth_clock_skew"),
        ({"o_auth_client_authentication": "client_secret_jwt"}, "o_auth_client_authentication"),
    ],
)
def test_credentials_are_validated(options: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"o_auth_client_id": "id", "o_auth_client_secret": "secret", **options}
    with pytest.raises((ValueError, TypeError), match=message):
        ClientCredentialsAuthCredentials(**values)  # type: ignore[arg-type]


def test_token_round_trips_through_json(client: Client) -> None:
    from httpccg import OAuthToken

    token = client.client_credentials_auth_manager.fetch_token()
    restored = OAuthToken.model_validate_json(token.model_dump_json())
    assert restored == token and restored.expiry == token.expiry
    extra = OAuthToken.model_validate({"access_token": "x", "id_token": "secret-id-token"})
    assert extra.model_dump()["id_token"] == "secret-id-token"
    assert "secret-id-token" not in repr(extra)
