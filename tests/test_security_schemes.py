"""Security schemes beyond one client-credentials scheme: several of them, static credentials (HTTP
bearer and basic, API keys), alternative and combined requirements, and specs with no such scheme.

Requests are counted where they arrive: at the real OAuth server of `support.server`, or at a
recording HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from generator.pipeline import generate_to
from support.recorder import Recorder, recorder  # noqa: F401 - the fixture
from support.server import OAuthTestServer

STATIC_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Static Auth Demo", "version": "1.0"},
    "paths": {
        "/basic": {"get": {"operationId": "withBasic", "security": [{"basicAuth": []}], "responses": {"204": {"description": "ok"}}}},
        "/bearer": {"get": {"operationId": "withBearer", "security": [{"bearer": []}], "responses": {"204": {"description": "ok"}}}},
        "/keys": {
            "get": {
                "operationId": "withAllKeys",
                "security": [{"headerKey": [], "queryKey": [], "cookieKey": []}],
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/either": {
            "get": {
                "operationId": "withEither",
                "security": [{"cc": ["read"]}, {"basicAuth": []}],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/optional": {
            "get": {"operationId": "withOptional", "security": [{}, {"bearer": []}], "responses": {"204": {"description": "ok"}}}
        },
        "/open": {"get": {"operationId": "withNone", "security": [], "responses": {"204": {"description": "ok"}}}},
    },
    "components": {
        "securitySchemes": {
            "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"read": "Read"}}}},
            "basicAuth": {"type": "http", "scheme": "Basic"},
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "headerKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
            "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
        }
    },
}


def _generate(folder: Path, spec: dict[str, Any]) -> tuple[Path, list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    spec_path = folder / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = generate_to(spec_path, folder / "out")
    return folder / "out", [str(warning) for warning in result.warnings]


def _import(project: Path, package: str) -> ModuleType:
    sys.path.insert(0, str(project))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(project))


def _mypy(project: Path, package: str, cache: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(cache), package],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


@pytest.fixture(scope="module")
def static_sdk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType]:
    project, _ = _generate(tmp_path_factory.mktemp("static"), STATIC_SPEC)
    return project, _import(project, "static_auth_demo")


def test_static_credentials_are_placed_as_their_schemes_say(static_sdk: Any, recorder: Recorder) -> None:
    _, sdk = static_sdk
    recorder.requests.clear()
    client = sdk.Client(
        base_url=recorder.url,
        basic_auth_credentials=sdk.HttpBasicCredentials(username="ann", password="pä:ss"),
        bearer_credentials=sdk.HttpBearerCredentials(token="tok-123"),
        header_key_credentials=sdk.ApiKeyCredentials(api_key="h-key"),
        query_key_credentials=sdk.ApiKeyCredentials(api_key="q key&"),
        cookie_key_credentials=sdk.ApiKeyCredentials(api_key="c-key"),
    )
    client.default.with_basic()
    client.default.with_bearer()
    client.default.with_all_keys(page=2)
    basic, bearer, keys = recorder.requests
    assert basic["headers"]["Authorization"] == "Basic " + base64.b64encode("ann:pä:ss".encode()).decode()
    assert bearer["headers"]["Authorization"] == "Bearer tok-123"
    assert keys["path"] == "/keys?page=2&api_key=q+key%26"
    assert keys["headers"]["X-Api-Key"] == "h-key"
    assert keys["headers"]["Cookie"] == "session=c-key"
    assert "Authorization" not in keys["headers"]


def test_the_first_alternative_with_credentials_is_used(static_sdk: Any, recorder: Recorder) -> None:
    _, sdk = static_sdk
    recorder.requests.clear()
    client = sdk.Client(base_url=recorder.url, basic_auth_credentials=sdk.HttpBasicCredentials(username="u", password="p"))
    client.default.with_either()  # the OAuth alternative comes first, but the client has no client credentials
    [request] = recorder.requests  # no token request went out
    assert request["path"] == "/either"
    assert request["headers"]["Authorization"].startswith("Basic ")


def test_an_empty_requirement_makes_credentials_optional(static_sdk: Any, recorder: Recorder) -> None:
    _, sdk = static_sdk
    recorder.requests.clear()
    sdk.Client(base_url=recorder.url).default.with_optional()
    sdk.Client(base_url=recorder.url, bearer_credentials=sdk.HttpBearerCredentials(token="t")).default.with_optional()
    sdk.Client(base_url=recorder.url, bearer_credentials=sdk.HttpBearerCredentials(token="t")).default.with_none()
    without, with_bearer, open_operation = recorder.requests
    assert "Authorization" not in without["headers"]
    assert with_bearer["headers"]["Authorization"] == "Bearer t"
    assert "Authorization" not in open_operation["headers"]


def test_missing_credentials_fail_before_sending(static_sdk: Any, recorder: Recorder) -> None:
    _, sdk = static_sdk
    recorder.requests.clear()
    client = sdk.Client(base_url=recorder.url)
    with pytest.raises(ValueError, match="create the client with basic_auth_credentials$"):
        client.default.with_basic()
    with pytest.raises(
        ValueError, match="with header_key_credentials and query_key_credentials and cookie_key_credentials$"
    ):
        client.default.with_all_keys()
    with pytest.raises(ValueError, match="with client_credentials_auth_credentials or basic_auth_credentials$"):
        client.default.with_either()
    assert recorder.requests == []


def test_async_client_sends_static_credentials(static_sdk: Any, recorder: Recorder) -> None:
    _, sdk = static_sdk
    recorder.requests.clear()

    async def main() -> None:
        credentials = sdk.HttpBearerCredentials(token="a")
        async with sdk.AsyncClient(base_url=recorder.url, bearer_credentials=credentials) as client:
            await client.default.with_bearer()

    asyncio.run(main())
    [request] = recorder.requests
    assert request["headers"]["Authorization"] == "Bearer a"


def test_static_secrets_stay_out_of_repr(static_sdk: Any) -> None:
    _, sdk = static_sdk
    shown = repr(
        [
            sdk.HttpBasicCredentials(username="ann", password="hunter2"),
            sdk.HttpBearerCredentials(token="tok-secret"),
            sdk.ApiKeyCredentials(api_key="key-secret"),
        ]
    )
    assert "ann" in shown
    assert not any(secret in shown for secret in ("hunter2", "tok-secret", "key-secret"))


def test_static_credentials_are_checked(static_sdk: Any) -> None:
    _, sdk = static_sdk
    with pytest.raises(ValueError, match="RFC 7617"):
        sdk.HttpBasicCredentials(username="a:b", password="p")
    with pytest.raises(ValueError, match="api_key"):
        sdk.ApiKeyCredentials(api_key="")


def test_static_credentials_from_the_environment(static_sdk: Any, recorder: Recorder) -> None:
    _, sdk = static_sdk
    recorder.requests.clear()
    environ = {
        "STATIC_AUTH_DEMO_BASE_URL": recorder.url,
        "STATIC_AUTH_DEMO_BASIC_AUTH_USERNAME": "env-user",
        "STATIC_AUTH_DEMO_BASIC_AUTH_PASSWORD": "env-pass",
        "STATIC_AUTH_DEMO_QUERY_KEY_API_KEY": "env-key",
    }
    client = sdk.Client.from_environment(environ)
    client.default.with_basic()
    assert recorder.requests[0]["headers"]["Authorization"] == "Basic " + base64.b64encode(b"env-user:env-pass").decode()
    with pytest.raises(ValueError, match="STATIC_AUTH_DEMO_BASIC_AUTH_PASSWORD is not set"):
        sdk.Client.from_environment({"STATIC_AUTH_DEMO_BASIC_AUTH_USERNAME": "u", "STATIC_AUTH_DEMO_BASE_URL": "http://x"})


def test_static_sdk_is_typed_and_documented(static_sdk: Any, tmp_path: Path) -> None:
    project, _ = static_sdk
    _mypy(project, "static_auth_demo", tmp_path)
    page = (project / "doc" / "auth" / "query-key.md").read_text()
    assert "an API key sent in the query `api_key`" in page
    assert "STATIC_AUTH_DEMO_QUERY_KEY_API_KEY" in page
    readme = (project / "README.md").read_text()
    assert "[API key: cookieKey](doc/auth/cookie-key.md)" in readme


# --- several client-credentials schemes, against the real OAuth server ----------------------------


def _two_schemes_spec(server: OAuthTestServer) -> dict[str, Any]:
    scopes = {"read_scope": "Read", "write_scope": "Write"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Two Schemes", "version": "1.0"},
        "servers": [{"url": server.base_url}],
        "paths": {
            "/items": {"get": {"operationId": "listItems", "security": [{"partner": ["read_scope"]}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}}},
            "/items/{itemId}": {
                "get": {
                    "operationId": "getItem",
                    "security": [{"backOffice": ["read_scope"]}],
                    "parameters": [{"name": "itemId", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "partner": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": server.token_url, "scopes": scopes}}},
                "backOffice": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "", "scopes": scopes}},
                    "x-client-authentication": "client_secret_post",
                },
            }
        },
    }


@pytest.fixture(scope="module")
def two_schemes(tmp_path_factory: pytest.TempPathFactory, oauth_server: OAuthTestServer) -> tuple[Path, ModuleType]:
    project, _ = _generate(tmp_path_factory.mktemp("two"), _two_schemes_spec(oauth_server))
    return project, _import(project, "two_schemes")


def test_each_scheme_gets_tokens_with_its_own_credentials(two_schemes: Any, fresh_server: OAuthTestServer) -> None:
    _, sdk = two_schemes
    client = sdk.Client(
        partner_credentials=sdk.PartnerCredentials(
            o_auth_client_id="basic-client",
            o_auth_client_secret="basic-secret",
            o_auth_scopes=[sdk.PartnerScopeEnum.READ_SCOPE],
        ),
        back_office_credentials=sdk.BackOfficeCredentials(
            o_auth_client_id="post-client",
            o_auth_client_secret="post-secret",
            o_auth_scopes=[sdk.BackOfficeScopeEnum.READ_SCOPE],
        ),
        back_office_token_url=fresh_server.token_url,
    )
    items = client.default.list_items()
    client.default.get_item(str(items[0]["id"]))
    client.default.list_items()
    # Each scheme's own default: the server refuses a method other than the client's registered one.
    assert [(request["client_id"], request["auth_method"]) for request in fresh_server.token_requests()] == [
        ("basic-client", "basic"),
        ("post-client", "post"),
    ]
    assert [request["status"] for request in fresh_server.api_requests()] == [200, 200, 200]
    assert isinstance(client.partner_auth_manager, sdk.PartnerAuthManager)
    assert client.partner_auth_manager.o_auth_token is not client.back_office_auth_manager.o_auth_token


def test_an_empty_token_url_must_be_given(two_schemes: Any, fresh_server: OAuthTestServer) -> None:
    project, sdk = two_schemes
    credentials = sdk.BackOfficeCredentials(o_auth_client_id="basic-client", o_auth_client_secret="basic-secret")
    with pytest.raises(ValueError, match="the spec names no token URL: create the client with back_office_token_url="):
        sdk.Client(back_office_credentials=credentials)
    assert fresh_server.token_requests() == []
    page = (project / "doc" / "auth" / "back-office-oauth-2-client-credentials-grant.md").read_text()
    assert "The spec names no token endpoint: create the client with `back_office_token_url=`" in page


def test_several_schemes_sdk_is_typed(two_schemes: Any, tmp_path: Path) -> None:
    project, sdk = two_schemes
    _mypy(project, "two_schemes", tmp_path)
    assert issubclass(sdk.PartnerCredentials, sdk.ClientCredentialsAuthCredentials)
    assert sdk.PartnerCredentials(o_auth_client_id="c", o_auth_client_secret="s").o_auth_client_authentication == "client_secret_basic"
    page = (project / "doc" / "auth" / "back-office-oauth-2-client-credentials-grant.md").read_text()
    assert "`client_secret_post` by default, as the spec's `x-client-authentication` says" in page
    assert not hasattr(sdk, "OAuthScopeEnum")


# --- names, token URLs, specs without client credentials -------------------------------------------


def _scheme_spec(title: str, schemes: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0"},
        "servers": [{"url": "https://api.example.com/v2/"}],
        "security": [{name: [] for name in schemes}],
        "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}},
        "components": {"securitySchemes": schemes},
    }


def test_scope_members_are_unique_and_readable(tmp_path: Path) -> None:
    scopes = {
        "https://api.example.com/auth/payments.read": "",
        "https://api.example.com/auth/payments.write": "",
        "https://api.example.com/auth/payments/.*": "",
        "aq:location": "",
        " ": "",
        "": "",
        "Read": "",
        "read": "",
        "class": "",
    }
    spec = _scheme_spec("Scope Names", {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": scopes}}}})
    project, _ = _generate(tmp_path, spec)
    enum = _import(project, "scope_names").OAuthScopeEnum
    assert {member.name: member.value for member in enum} == {
        "PAYMENTS_READ": "https://api.example.com/auth/payments.read",
        "PAYMENTS_WRITE": "https://api.example.com/auth/payments.write",
        "PAYMENTS": "https://api.example.com/auth/payments/.*",
        "AQ_LOCATION": "aq:location",
        "SCOPE": " ",
        "SCOPE_2": "",
        "READ": "Read",
        "READ_2": "read",
        "CLASS": "class",
    }


def test_unknown_client_authentication_is_a_located_warning(tmp_path: Path) -> None:
    flows = {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}
    spec = _scheme_spec(
        "Odd Auth",
        {
            "cc": {"type": "oauth2", "flows": flows, "x-client-authentication": "client_secret_jwt"},
            "jwt": {"type": "oauth2", "flows": flows, "x-client-authentication": "private_key_jwt"},
        },
    )
    project, warnings = _generate(tmp_path, spec)
    (warning,) = [w for w in warnings if "client authentication" in w]
    assert "/components/securitySchemes/cc/x-client-authentication:" in warning
    assert "unknown client authentication 'client_secret_jwt'" in warning and "defaults to client_secret_basic" in warning
    sdk = _import(project, "odd_auth")
    assert sdk.CcCredentials(o_auth_client_id="c", o_auth_client_secret="s").o_auth_client_authentication == "client_secret_basic"
    with pytest.raises(ValueError, match="o_auth_private_key is required with private_key_jwt"):
        sdk.JwtCredentials(o_auth_client_id="c")


def test_relative_token_url_is_resolved_and_documented(tmp_path: Path) -> None:
    spec = _scheme_spec("Relative", {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "oauth/token", "scopes": {}}}}})
    project, _ = _generate(tmp_path, spec)
    page = (project / "doc" / "auth" / "oauth-2-client-credentials-grant.md").read_text()
    assert "`https://api.example.com/v2/oauth/token`" in page
    sdk = _import(project, "relative")
    client = sdk.Client(
        client_credentials_auth_credentials=sdk.ClientCredentialsAuthCredentials(
            o_auth_client_id="id", o_auth_client_secret="secret"
        )
    )
    assert client.client_credentials_auth_manager._token_url == "https://api.example.com/v2/oauth/token"


def test_spec_without_client_credentials_generates(tmp_path: Path, recorder: Recorder) -> None:
    schemes = {
        "code": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "/a", "tokenUrl": "/t", "scopes": {}}}},
        "token": {"type": "apiKey", "in": "header", "name": "Authorization"},
    }
    spec = _scheme_spec("No Client Credentials", schemes)
    spec["security"] = [{"code": []}, {"token": []}]
    project, warnings = _generate(tmp_path, spec)
    assert any(
        "/components/securitySchemes:" in w and "the SDK authenticates with 'code', 'token' only" in w
        for w in warnings
    )
    sdk = _import(project, "no_client_credentials")
    recorder.requests.clear()
    sdk.Client(base_url=recorder.url, token_credentials=sdk.ApiKeyCredentials(api_key="SSWS abc")).default.ping()
    assert recorder.requests[0]["headers"]["Authorization"] == "SSWS abc"
    assert not (project / "doc" / "models" / "o-auth-scope-enum.md").exists()
    assert not hasattr(sdk, "ClientCredentialsAuthCredentials")
    assert (project / "doc" / "auth" / "code.md").exists()  # the user-token scheme's page
    _mypy(project, "no_client_credentials", tmp_path / "cache")


def test_unusable_requirements_are_reported(tmp_path: Path) -> None:
    schemes = {
        "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {"a": "A"}}}},
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com"},
        "digest": {"type": "http", "scheme": "digest"},
    }
    spec = _scheme_spec("Unusable", schemes)
    spec["security"] = [{"digest": []}]
    spec["paths"]["/ping"]["get"]["security"] = [{"missing": []}, {"cc": ["a", "b"]}]
    spec["paths"]["/pong"] = {"get": {"operationId": "pong", "responses": {"204": {"description": "ok"}}}}
    project, warnings = _generate(tmp_path, spec)
    expected = [
        ("/components/securitySchemes/digest", "http digest security schemes are not supported"),
        ("/paths/~1ping/get/security/0/missing", "undefined scheme 'missing'"),
        ("/paths/~1ping/get/security/1/cc", "scopes the scheme 'cc' does not declare: 'b'"),
        ("/paths/~1pong/get", "no security requirement of the operation can be met"),
    ]
    for pointer, message in expected:
        assert any(f"{pointer}:" in w and message in w for w in warnings), (pointer, warnings)
    source = (project / "unusable" / "resources" / "default.py").read_text()
    assert 'security=({"cc": ("a", "b")},)' in source  # the undeclared scope is requested as written


def test_inherited_requirement_problems_point_at_the_document_security_once(tmp_path: Path) -> None:
    schemes = {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {"a": "A"}}}}}
    spec = _scheme_spec("Inherited", schemes)
    spec["security"] = [{"ghost": []}, {"cc": ["a", "z"]}]
    spec["paths"]["/pong"] = {"get": {"operationId": "pong", "responses": {"204": {"description": "ok"}}}}
    _, warnings = _generate(tmp_path, spec)
    undefined = [w for w in warnings if "undefined scheme 'ghost'" in w]
    undeclared = [w for w in warnings if "does not declare: 'z'" in w]
    assert len(undefined) == 1 and "/security/0/ghost:" in undefined[0], warnings
    assert len(undeclared) == 1 and "/security/1/cc:" in undeclared[0], warnings
