"""A user's tokens for OAuth 2.0 schemes without a client-credentials flow (and OpenID Connect): given,
provided, refreshed, checked against their scopes, and never sent where another requirement is needed.

The SDK is generated from the golden httpCCG spec with its scheme turned into an authorization-code one,
so that the real test server's resource server accepts the tokens its authorization server issues. Its
`refresh` clients get a refresh token with each client-credentials token: that is how the tests get a
user's token and refresh token without a browser. Requests are counted at the server.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest
import yaml
from conftest import ROOT
from generator.pipeline import generate_to
from support.recorder import Recorder, recorder  # noqa: F401 - the fixture
from support.server import OAuthTestServer

CC, REFRESH = "client_credentials", "refresh_token"


def _user_token_spec() -> dict[str, Any]:
    spec = yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())
    spec["info"]["title"] = "User Items"
    scheme = spec["components"]["securitySchemes"].pop("ClientCredentialsAuth")
    flow = scheme["flows"].pop("clientCredentials")
    flow["authorizationUrl"] = "/oauth/auth"
    flow.pop("refreshUrl")
    scheme["flows"]["authorizationCode"] = flow
    spec["components"]["securitySchemes"]["UserAuth"] = scheme
    spec["components"]["securitySchemes"]["Oidc"] = {
        "type": "openIdConnect",
        "openIdConnectUrl": "/oauth/.well-known/openid-configuration",
    }
    rename = lambda security: [  # noqa: E731
        {("UserAuth" if name == "ClientCredentialsAuth" else name): scopes for name, scopes in each.items()}
        for each in security
    ]
    spec["security"] = rename(spec["security"])
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = rename(operation["security"])
    spec["paths"]["/status"]["get"]["security"] = [{"Oidc": []}]
    return spec


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("user-tokens")
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(_user_token_spec(), sort_keys=False))
    result = generate_to(spec, folder / "out")
    return folder / "out", [str(warning) for warning in result.warnings]


@pytest.fixture(scope="module")
def sdk(generated: tuple[Path, list[str]]) -> ModuleType:
    project = generated[0]
    sys.path.insert(0, str(project))
    try:
        return importlib.import_module("user_items")
    finally:
        sys.path.remove(str(project))


def _issued(server: OAuthTestServer, scope: str = "read_scope write_scope") -> dict[str, Any]:
    """A token with a refresh token, as a user's authorization-code flow would give the application."""
    client_id, secret = server.clients["refresh"]
    response = httpx2.post(
        server.token_url, data={"grant_type": CC, "scope": scope}, auth=(client_id, secret), timeout=10
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _credentials(sdk: ModuleType, server: OAuthTestServer, **options: Any) -> Any:
    client_id, secret = server.clients["refresh"]
    return sdk.UserAuthCredentials(o_auth_client_id=client_id, o_auth_client_secret=secret, **options)


def _client(sdk: ModuleType, server: OAuthTestServer, credentials: Any, **arguments: Any) -> Any:
    return sdk.Client(user_auth_credentials=credentials, base_url=server.base_url, **arguments)


def test_a_given_token_is_sent_and_no_token_is_requested(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    issued = _issued(fresh_server)
    credentials = sdk.UserAuthCredentials(o_auth_token=sdk.OAuthToken(access_token=issued["access_token"]))
    with _client(sdk, fresh_server, credentials) as client:
        assert [item.name for item in client.items.list_items()]
        client.items.create_item(body=sdk.models.NewItem(name="chair", quantity=1))
    assert fresh_server.grant_types() == [CC]  # the one that made the token given
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 201]


def test_an_expired_token_is_refreshed_once_with_the_client_authentication(
    sdk: ModuleType, fresh_server: OAuthTestServer
) -> None:
    issued = _issued(fresh_server)
    updates: list[Any] = []
    expired = sdk.OAuthToken(access_token=issued["access_token"], refresh_token=issued["refresh_token"], expiry=1)
    credentials = _credentials(sdk, fresh_server, o_auth_token=expired, o_auth_on_token_update=updates.append)
    with _client(sdk, fresh_server, credentials) as client:
        client.items.list_items()
        client.items.list_items()
    assert fresh_server.grant_types() == [CC, REFRESH]
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200]
    assert len(updates) == 1 and updates[0].access_token != issued["access_token"]
    # The server does not rotate refresh tokens: the one given stays with the new token.
    assert updates[0].refresh_token == issued["refresh_token"]


def test_the_async_client_refreshes_an_expired_token_once(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    issued = _issued(fresh_server)
    expired = sdk.OAuthToken(access_token=issued["access_token"], refresh_token=issued["refresh_token"], expiry=1)
    client_id, secret = fresh_server.clients["refresh"]
    credentials = sdk.UserAuthCredentials(o_auth_token=expired, o_auth_client_id=client_id, o_auth_client_secret=secret)

    async def flow() -> None:
        async with sdk.AsyncClient(user_auth_credentials=credentials, base_url=fresh_server.base_url) as client:
            await asyncio.gather(*(client.items.list_items() for _ in range(10)))

    asyncio.run(flow())
    assert fresh_server.grant_types() == [CC, REFRESH]
    assert [request["status"] for request in fresh_server.api_requests()] == [200] * 10


def test_a_rotated_refresh_token_is_never_sent_again(sdk: ModuleType, recorder: Recorder) -> None:
    """A server that rotates refresh tokens may revoke the user's grant when an old one comes back."""
    recorder.requests.clear()
    rotated = b'{"access_token": "a2", "token_type": "Bearer", "expires_in": 0, "refresh_token": "r2"}'
    recorder.queued += [(200, "application/json", rotated), (200, "application/json", b"[]")]
    recorder.queued += [(200, "application/json", b'{"access_token": "a3", "expires_in": 0}'), (200, "application/json", b"[]")]
    credentials = sdk.UserAuthCredentials(o_auth_refresh_token="r1", o_auth_client_id="app")
    with sdk.Client(user_auth_credentials=credentials, base_url=recorder.url, user_auth_refresh_url=recorder.url + "/token") as client:
        client.items.list_items()
        client.user_auth_auth_manager.o_auth_token = sdk.OAuthToken(access_token="set-by-hand", expiry=1)
        client.items.list_items()
    forms = [request["body"].decode() for request in recorder.requests if request["path"] == "/token"]
    assert ["refresh_token=r1" in forms[0], "refresh_token=r2" in forms[1]] == [True, True], forms


def test_a_refresh_token_alone_gets_the_first_token(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    issued = _issued(fresh_server)
    credentials = _credentials(sdk, fresh_server, o_auth_refresh_token=issued["refresh_token"])
    with _client(sdk, fresh_server, credentials) as client:
        client.items.list_items()
    assert fresh_server.grant_types() == [CC, REFRESH]


def test_a_refused_token_is_refreshed_and_the_call_replayed_once(
    sdk: ModuleType, fresh_server: OAuthTestServer
) -> None:
    issued = _issued(fresh_server)
    token = sdk.OAuthToken(access_token=issued["access_token"], refresh_token=issued["refresh_token"])
    with _client(sdk, fresh_server, _credentials(sdk, fresh_server, o_auth_token=token)) as client:
        client.items.list_items()
        fresh_server.revoke_all()
        client.items.list_items()
    assert fresh_server.grant_types() == [CC, REFRESH]
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 401, 200]


def test_concurrent_callers_share_one_refresh(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    issued = _issued(fresh_server)
    fresh_server.token_delay(0.3)
    expired = sdk.OAuthToken(access_token=issued["access_token"], refresh_token=issued["refresh_token"], expiry=1)
    errors: list[BaseException] = []
    with _client(sdk, fresh_server, _credentials(sdk, fresh_server, o_auth_token=expired)) as client:

        def call(number: int) -> None:
            try:
                # Operations that need different scopes still share the user's one token.
                if number % 2:
                    client.items.list_items()
                else:
                    client.items.create_item(body=sdk.models.NewItem(name="chair", quantity=1))
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=call, args=(number,)) for number in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors, errors[:1]
    assert fresh_server.grant_types() == [CC, REFRESH]


def test_without_a_way_to_renew_the_call_fails_before_sending(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    expired = sdk.OAuthToken(access_token="stale", refresh_token="refresh-but-no-client-id", expiry=1)
    credentials = sdk.UserAuthCredentials(o_auth_token=expired)
    with _client(sdk, fresh_server, credentials) as client:
        with pytest.raises(sdk.OAuthTokenUnavailableError, match="UserAuthCredentials cannot get one") as raised:
            client.items.list_items()
    assert "stale" not in str(raised.value) and "refresh-but" not in str(raised.value)
    assert fresh_server.token_requests() == [] and fresh_server.api_requests() == []


def test_a_refused_token_without_a_way_to_renew_raises_the_api_error(
    sdk: ModuleType, fresh_server: OAuthTestServer
) -> None:
    credentials = sdk.UserAuthCredentials(o_auth_token=sdk.OAuthToken(access_token="not-a-token"))
    with _client(sdk, fresh_server, credentials) as client:
        with pytest.raises(sdk.AuthenticationError):
            client.items.list_items()
    assert [request["status"] for request in fresh_server.api_requests()] == [401]


def test_the_provider_is_asked_first_and_again_after_a_refusal(
    sdk: ModuleType, fresh_server: OAuthTestServer
) -> None:
    seen: list[Any] = []

    def provide(last_token: Any, auth_manager: Any) -> Any:
        seen.append((last_token, type(auth_manager).__name__))
        return sdk.OAuthToken(access_token=_issued(fresh_server)["access_token"])

    with _client(sdk, fresh_server, sdk.UserAuthCredentials(o_auth_token_provider=provide)) as client:
        client.items.list_items()
        client.items.list_items()
        fresh_server.revoke_all()
        client.items.list_items()
    assert [name for _, name in seen] == ["UserTokenAuthManager", "UserTokenAuthManager"]
    assert seen[0][0] is None and seen[1][0] is not None
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200, 401, 200]


def test_an_async_provider_serves_the_async_client(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    calls: list[int] = []

    async def provide(last_token: Any, auth_manager: Any) -> Any:
        calls.append(1)
        await asyncio.sleep(0.05)
        return sdk.OAuthToken(access_token=_issued(fresh_server)["access_token"])

    async def flow() -> None:
        credentials = sdk.UserAuthCredentials(o_auth_token_provider=provide)
        async with sdk.AsyncClient(user_auth_credentials=credentials, base_url=fresh_server.base_url) as client:
            await asyncio.gather(*(client.items.list_items() for _ in range(20)))

    asyncio.run(flow())
    assert len(calls) == 1
    assert [request["status"] for request in fresh_server.api_requests()] == [200] * 20


def test_an_operation_needing_a_scope_the_token_lacks_fails_before_sending(
    sdk: ModuleType, fresh_server: OAuthTestServer
) -> None:
    issued = _issued(fresh_server, scope="read_scope")
    token = sdk.OAuthToken(access_token=issued["access_token"], scope="read_scope")
    with _client(sdk, fresh_server, sdk.UserAuthCredentials(o_auth_token=token)) as client:
        client.items.list_items()
        with pytest.raises(ValueError, match="granting 'write_scope', which the user's OAuth token does not grant"):
            client.items.create_item(body=sdk.models.NewItem(name="chair", quantity=1))
    assert [request["method"] for request in fresh_server.api_requests()] == ["GET"]


def test_open_id_connect_tokens_are_sent_to_their_operations(sdk: ModuleType, recorder: Recorder) -> None:
    credentials = sdk.OidcCredentials(o_auth_token=sdk.OAuthToken(access_token="id-provider-token"))
    recorder.requests.clear()
    recorder.queued.append((200, "application/json", b'{"status": "ok"}'))
    with sdk.Client(oidc_credentials=credentials, base_url=recorder.url) as client:
        client.service.get_service_status()
        with pytest.raises(ValueError, match="create the client with user_auth_credentials"):
            client.items.list_items()
    assert [request["headers"]["Authorization"] for request in recorder.requests] == ["Bearer id-provider-token"]


def test_credentials_need_a_token_a_refresh_token_or_a_provider(sdk: ModuleType) -> None:
    with pytest.raises(ValueError, match="give o_auth_token, o_auth_refresh_token or o_auth_token_provider"):
        sdk.UserAuthCredentials(o_auth_client_id="app")
    credentials = sdk.UserAuthCredentials(
        o_auth_token=sdk.OAuthToken(access_token="hidden-access", refresh_token="hidden-refresh"),
        o_auth_refresh_token="hidden-refresh-2",
        o_auth_client_secret="hidden-client",
    )
    assert "hidden" not in repr(credentials)


def test_user_tokens_from_the_environment(sdk: ModuleType) -> None:
    environ = {
        "USER_ITEMS_USER_AUTH_O_AUTH_ACCESS_TOKEN": "access",
        "USER_ITEMS_USER_AUTH_O_AUTH_REFRESH_TOKEN": "refresh",
        "USER_ITEMS_USER_AUTH_O_AUTH_CLIENT_ID": "app",
        "USER_ITEMS_USER_AUTH_REFRESH_URL": "https://id.example.com/token",
    }
    client = sdk.Client.from_environment(environ, http_client=httpx2.Client())
    manager = client.user_auth_auth_manager
    assert manager.o_auth_token.access_token == "access"
    assert manager._refresh_url == "https://id.example.com/token"
    assert manager.can_renew()
    assert sdk.Client.from_environment({}, http_client=httpx2.Client()).user_auth_auth_manager.o_auth_token is None


def test_the_user_token_sdk_is_typed_and_documented(generated: tuple[Path, list[str]], tmp_path: Path) -> None:
    project, warnings = generated
    assert not any("called without credentials" in warning for warning in warnings), warnings
    page = (project / "doc" / "auth" / "user-auth.md").read_text()
    assert "`/oauth/auth`" in page and "UserAuthCredentials(o_auth_token_provider=current_user_token)" in page
    assert "`write_scope`" in page
    assert "[OAuth 2.0 user tokens: UserAuth](doc/auth/user-auth.md)" in (project / "README.md").read_text()
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), "user_items"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_refresh_waits_do_not_block_other_schemes(sdk: ModuleType, fresh_server: OAuthTestServer) -> None:
    # The status operation needs the OpenID Connect token only: a slow refresh of the other scheme's
    # token does not hold it up.
    issued = _issued(fresh_server)
    fresh_server.token_delay(1.0)
    expired = sdk.OAuthToken(access_token=issued["access_token"], refresh_token=issued["refresh_token"], expiry=1)
    oidc = sdk.OidcCredentials(o_auth_token=sdk.OAuthToken(access_token=issued["access_token"]))
    with _client(sdk, fresh_server, _credentials(sdk, fresh_server, o_auth_token=expired), oidc_credentials=oidc) as client:
        worker = threading.Thread(target=client.items.list_items)
        worker.start()
        time.sleep(0.2)
        started = time.monotonic()
        client.service.get_service_status()
        assert time.monotonic() - started < 0.8
        worker.join()
    assert fresh_server.grant_types() == [CC, REFRESH]


AND_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Combined", "version": "1.0"},
    "paths": {
        "/both": {"get": {"operationId": "both", "security": [{"code": ["read"], "key": []}], "responses": {"204": {"description": "ok"}}}},
        "/cut": {"get": {"operationId": "cut", "security": [{"digest": [], "key": []}], "responses": {"204": {"description": "ok"}}}},
    },
    "components": {
        "securitySchemes": {
            "code": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "/a", "tokenUrl": "/t", "scopes": {"read": "Read"}}}},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "digest": {"type": "http", "scheme": "digest"},
        }
    },
}


def test_a_combined_requirement_is_met_whole_or_not_at_all(tmp_path: Path, recorder: Recorder) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(AND_SPEC, sort_keys=False))
    result = generate_to(spec, tmp_path / "out")
    warnings = [str(warning) for warning in result.warnings]
    assert any(
        "/paths/~1cut/get/security/0:" in w and "skipped: it needs 'digest' as well" in w for w in warnings
    ), warnings
    assert any("/paths/~1cut/get:" in w and "called without credentials" in w for w in warnings), warnings
    source = (tmp_path / "out" / "combined" / "resources" / "default.py").read_text()
    assert 'security=({"code": ("read",), "key": ()},)' in source
    assert '_CUT: _runtime.Endpoint[None] = _runtime.Endpoint("GET", "/cut", None)' in source
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        combined = importlib.import_module("combined")
    finally:
        sys.path.remove(str(tmp_path / "out"))
    recorder.requests.clear()
    token = combined.CodeCredentials(o_auth_token=combined.OAuthToken(access_token="user-token"))
    key = combined.ApiKeyCredentials(api_key="the-key")
    with combined.Client(base_url=recorder.url, code_credentials=token, key_credentials=key) as client:
        client.default.both()
    with combined.Client(base_url=recorder.url, key_credentials=key) as client:
        with pytest.raises(ValueError, match="create the client with code_credentials and key_credentials"):
            client.default.both()
    [sent] = recorder.requests
    assert sent["headers"]["Authorization"] == "Bearer user-token" and sent["headers"]["X-Key"] == "the-key"
