"""Client authentication of the token requests beyond the client secret: `private_key_jwt` (RFC 7523)
and mutual TLS (`tls_client_auth`, `self_signed_tls_client_auth`, RFC 8705), through the golden SDK.

The server is the real oidc-provider of `support.server`, started with the keys and certificates of
`support.client_auth` (fixture `client_auth_server`): it holds `jwt-client` to the public keys of the
test's signing keys, and its TLS listener asks for client certificates. What the client sent, and what the server made
of it, is read from the server's token log.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import GOLDEN_HTTPCCG
from httpccg import (
    AsyncClient,
    Client,
    ClientCredentialsAuthCredentials,
    OAuthProviderError,
    OAuthScopeEnum,
    TokenRetryPolicy,
)
from support.client_auth import (
    EC_KEY_ID,
    RSA_KEY_ID,
    ClientAuthMaterial,
    ClientCertificate,
    private_pem,
)
from support.proxy import FaultProxy
from support.server import CLIENT_AUTH_CLIENTS, OAuthTestServer

JWT_CLIENT = CLIENT_AUTH_CLIENTS["jwt"]
TLS_CLIENT = CLIENT_AUTH_CLIENTS["tls"]
SELF_SIGNED_CLIENT = CLIENT_AUTH_CLIENTS["self_signed_tls"]
READ = [OAuthScopeEnum.READ_SCOPE]
FAST_RETRY = TokenRetryPolicy(base_delay=0.01, max_delay=0.05)


@pytest.fixture
def material(client_auth_material: ClientAuthMaterial) -> ClientAuthMaterial:
    return client_auth_material


@pytest.fixture
def server(client_auth_server: OAuthTestServer) -> OAuthTestServer:
    client_auth_server.reset()
    return client_auth_server


def _tls(server: OAuthTestServer) -> str:
    assert server.tls_origin is not None
    return server.tls_origin


def _jwt_credentials(key: Any, **settings: Any) -> ClientCredentialsAuthCredentials:
    return ClientCredentialsAuthCredentials(
        o_auth_client_id=JWT_CLIENT,
        o_auth_client_authentication="private_key_jwt",
        o_auth_private_key=key,
        o_auth_scopes=READ,
        o_auth_retry=FAST_RETRY,
        **settings,
    )


def _tls_client(material: ClientAuthMaterial, certificate: ClientCertificate | None) -> httpx2.Client:
    """An HTTP client that trusts the test CA and presents `certificate`, if any."""
    if certificate is None:
        return httpx2.Client(verify=ssl.create_default_context(cafile=str(material.ca_cert)))
    return httpx2.Client(verify=certificate.ssl_context(material.ca_cert))


def _mtls_sdk(
    server: OAuthTestServer, http_client: httpx2.Client, client_id: str, method: Any, **settings: Any
) -> Client:
    credentials = ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id,
        o_auth_client_authentication=method,
        o_auth_scopes=READ,
        o_auth_retry=FAST_RETRY,
        **settings,
    )
    return Client(
        client_credentials_auth_credentials=credentials,
        base_url=_tls(server) + "/api/v1",
        token_url=_tls(server) + "/oauth/token",
        http_client=http_client,
    )


# --- private_key_jwt ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_name", "key_form", "algorithm", "key_id"),
    [("rsa", "pem text", "RS256", RSA_KEY_ID), ("rsa", "pem bytes", "PS256", RSA_KEY_ID), ("ec", "key object", "ES256", EC_KEY_ID)],
)
def test_private_key_jwt_authenticates_with_a_fresh_assertion_per_request(
    server: OAuthTestServer, material: ClientAuthMaterial, key_name: str, key_form: str, algorithm: str, key_id: str
) -> None:
    key_object = material.rsa_key if key_name == "rsa" else material.ec_key
    key = {"pem text": private_pem(key_object).decode(), "pem bytes": private_pem(key_object), "key object": key_object}[key_form]
    credentials = _jwt_credentials(key, o_auth_private_key_id=key_id, o_auth_signing_algorithm=algorithm)
    with Client(client_credentials_auth_credentials=credentials, base_url=server.base_url, token_url=server.token_url) as client:
        assert len(client.items.list_items()) == 2
        client.items.list_items()
        client.client_credentials_auth_manager.fetch_token()

    first, second = server.token_requests()
    for request in (first, second):
        assert request["status"] == 200
        assert request["auth_method"] == "private_key_jwt"
        assert request["authenticated_as"] == "private_key_jwt"
        assert request["client_id"] == JWT_CLIENT
        assertion = request["assertion"]
        assert assertion["type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        assert assertion["header"]["alg"] == algorithm and assertion["header"]["kid"] == key_id
        claims = assertion["claims"]
        assert claims["iss"] == claims["sub"] == JWT_CLIENT
        assert claims["aud"] == server.token_url
        assert 0 < claims["exp"] - claims["iat"] <= 60
    assert first["assertion"]["claims"]["jti"] != second["assertion"]["claims"]["jti"]
    assert [request["status"] for request in server.api_requests()] == [200, 200]


def test_every_retry_signs_a_new_assertion(server: OAuthTestServer, material: ClientAuthMaterial) -> None:
    server.token_fail(2, 503)
    credentials = _jwt_credentials(material.rsa_key, o_auth_private_key_id=RSA_KEY_ID)
    with Client(client_credentials_auth_credentials=credentials, base_url=server.base_url, token_url=server.token_url) as client:
        client.items.list_items()
    requests = server.token_requests()
    assert [request["status"] for request in requests] == [503, 503, 200]
    assert len({request["assertion"]["claims"]["jti"] for request in requests}) == 3


def test_the_server_refuses_a_replayed_assertion(server: OAuthTestServer, material: ClientAuthMaterial) -> None:
    """Why every request needs its own assertion: the one the SDK signed works once, and only once."""
    form: dict[str, str | list[str]] = {"grant_type": "client_credentials"}
    _jwt_credentials(material.rsa_key, o_auth_private_key_id=RSA_KEY_ID).authenticate(form, {}, server.token_url)
    with httpx2.Client() as http_client:
        statuses = [http_client.post(server.token_url, data=form).status_code for _ in range(2)]
    assert statuses == [200, 401]
    assert "must only be used once" in server.token_requests()[1]["error_detail"]


def test_async_client_authenticates_with_private_key_jwt(server: OAuthTestServer, material: ClientAuthMaterial) -> None:
    credentials = _jwt_credentials(private_pem(material.ec_key), o_auth_private_key_id=EC_KEY_ID, o_auth_signing_algorithm="ES256")

    async def main() -> None:
        async with AsyncClient(
            client_credentials_auth_credentials=credentials, base_url=server.base_url, token_url=server.token_url
        ) as client:
            await asyncio.gather(*(client.items.list_items() for _ in range(5)))

    asyncio.run(main())
    (request,) = server.token_requests()
    assert (request["status"], request["authenticated_as"]) == (200, "private_key_jwt")


# --- mutual TLS -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_id", "method", "certificate"),
    [(TLS_CLIENT, "tls_client_auth", "tls_client"), (SELF_SIGNED_CLIENT, "self_signed_tls_client_auth", "self_signed")],
)
def test_mutual_tls_authenticates_with_the_http_clients_certificate(
    server: OAuthTestServer, material: ClientAuthMaterial, client_id: str, method: str, certificate: str
) -> None:
    with _tls_client(material, getattr(material, certificate)) as http_client:
        client = _mtls_sdk(server, http_client, client_id, method)
        assert len(client.items.list_items()) == 2
        client.items.list_items()
    (request,) = server.token_requests()
    assert request["status"] == 200
    assert request["tls"] is True
    assert request["client_id"] == client_id
    assert request["auth_method"] == "none"  # no secret, no assertion: the certificate authenticates
    assert request["authenticated_as"] == method
    assert request["client_certificate"] == f"CN={client_id}"


# --- refusals: one request, never retried ----------------------------------------------------------


def _refused(server: OAuthTestServer, call: Any) -> dict[str, Any]:
    with pytest.raises(OAuthProviderError) as caught:
        call()
    assert caught.value.error == "invalid_client"
    assert caught.value.status_code == 401
    (request,) = server.token_requests()
    assert request["status"] == 401
    return {"request": request, "error": caught.value}


def _call_with(server: OAuthTestServer, credentials: ClientCredentialsAuthCredentials) -> Any:
    def call() -> None:
        with Client(client_credentials_auth_credentials=credentials, base_url=server.base_url, token_url=server.token_url) as client:
            client.items.list_items()

    return call


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        ("secret for a private_key_jwt client", "does not match the registered client authentication method"),
        ("assertion signed with another key", "signature verification failed"),
        ("assertion for a client_secret_basic client", "does not match the registered client authentication method"),
    ],
)
def test_wrong_assertion_or_method_is_refused_once(
    server: OAuthTestServer, material: ClientAuthMaterial, case: str, detail: str, caplog: pytest.LogCaptureFixture
) -> None:
    if case == "secret for a private_key_jwt client":
        credentials = ClientCredentialsAuthCredentials(
            o_auth_client_id=JWT_CLIENT, o_auth_client_secret="not-a-secret", o_auth_retry=FAST_RETRY
        )
    elif case == "assertion signed with another key":
        credentials = _jwt_credentials(material.unregistered_key, o_auth_private_key_id=RSA_KEY_ID)
    else:
        basic_client, _ = server.clients["basic"]
        credentials = ClientCredentialsAuthCredentials(
            o_auth_client_id=basic_client,
            o_auth_client_authentication="private_key_jwt",
            o_auth_private_key=material.rsa_key,
            o_auth_retry=FAST_RETRY,
        )
    caplog.set_level(logging.DEBUG)
    refused = _refused(server, _call_with(server, credentials))
    assert detail in refused["request"]["error_detail"]
    # Neither the key nor any JWT (an assertion starts with "eyJ") is told.
    told = " ".join([str(refused["error"]), repr(refused["error"]), repr(credentials), caplog.text])
    assert "eyJ" not in told and "PRIVATE KEY" not in told and "not-a-secret" not in told
    assert refused["request"]["assertion"] is None or refused["request"]["assertion"]["claims"]["jti"] not in told


@pytest.mark.parametrize(
    ("client_id", "method", "certificate", "detail"),
    [
        (TLS_CLIENT, "tls_client_auth", None, "client certificate was not provided"),
        (TLS_CLIENT, "tls_client_auth", "other_subject", "certificate subject value does not match"),
        (TLS_CLIENT, "tls_client_auth", "untrusted_tls_client", "client certificate was not verified"),
        (SELF_SIGNED_CLIENT, "self_signed_tls_client_auth", None, "client certificate was not provided"),
        (SELF_SIGNED_CLIENT, "self_signed_tls_client_auth", "other_self_signed", "unregistered client certificate"),
        (TLS_CLIENT, "client_secret_basic", "tls_client", "does not match the registered client authentication method"),
        ("basic-client", "tls_client_auth", "tls_client", "does not match the registered client authentication method"),
    ],
)
def test_wrong_certificate_or_method_is_refused_once(
    server: OAuthTestServer, material: ClientAuthMaterial, client_id: str, method: str, certificate: str | None, detail: str
) -> None:
    settings = {"o_auth_client_secret": "not-a-secret"} if method == "client_secret_basic" else {}
    with _tls_client(material, getattr(material, certificate) if certificate else None) as http_client:
        client = _mtls_sdk(server, http_client, client_id, method, **settings)
        refused = _refused(server, client.items.list_items)
    assert detail in refused["request"]["error_detail"]
    assert refused["request"]["tls"] is True


# --- from_environment ------------------------------------------------------------------------------


def test_from_environment_authenticates_with_private_key_jwt(
    server: OAuthTestServer, material: ClientAuthMaterial, tmp_path: Path
) -> None:
    key_file = tmp_path / "client-key.pem"
    key_file.write_bytes(private_pem(material.ec_key))
    environ = {
        "HTTPCCG_BASE_URL": server.base_url,
        "HTTPCCG_TOKEN_URL": server.token_url,
        "HTTPCCG_O_AUTH_CLIENT_ID": JWT_CLIENT,
        "HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION": "private_key_jwt",
        "HTTPCCG_O_AUTH_PRIVATE_KEY_FILE": str(key_file),
        "HTTPCCG_O_AUTH_PRIVATE_KEY_ID": EC_KEY_ID,
        "HTTPCCG_O_AUTH_SIGNING_ALGORITHM": "ES256",
        "HTTPCCG_O_AUTH_SCOPES": "read_scope",
    }
    with Client.from_environment(environ) as client:
        client.items.list_items()
        client.items.list_items()
    (request,) = server.token_requests()
    assert (request["status"], request["authenticated_as"], request["scope"]) == (200, "private_key_jwt", "read_scope")
    assert request["assertion"]["header"]["alg"] == "ES256" and request["assertion"]["header"]["kid"] == EC_KEY_ID


def test_from_environment_reads_the_refresh_url(
    server: OAuthTestServer, material: ClientAuthMaterial, tmp_path: Path
) -> None:
    """The refresh grant goes to `<PREFIX>_REFRESH_URL`, a proxy here, and the first token request does not."""
    key_file = tmp_path / "client-key.pem"
    key_file.write_bytes(private_pem(material.rsa_key))
    proxy = FaultProxy(server.origin)
    proxy.start()
    try:
        environ = {
            "HTTPCCG_BASE_URL": server.base_url,
            "HTTPCCG_TOKEN_URL": server.token_url,
            "HTTPCCG_REFRESH_URL": proxy.token_url,
            "HTTPCCG_O_AUTH_CLIENT_ID": CLIENT_AUTH_CLIENTS["jwt_refresh"],
            "HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION": "private_key_jwt",
            "HTTPCCG_O_AUTH_PRIVATE_KEY_FILE": str(key_file),
            "HTTPCCG_O_AUTH_PRIVATE_KEY_ID": RSA_KEY_ID,
            # The client's tokens live 4 s: with a skew of 3 s they expire within a second.
            "HTTPCCG_O_AUTH_CLOCK_SKEW": "3",
        }
        with Client.from_environment(environ) as client:
            client.items.list_items()
            time.sleep(1.1)
            client.items.list_items()
        assert [record.form["grant_type"] for record in proxy.token_requests()] == [["refresh_token"]]
    finally:
        proxy.stop()
    assert server.grant_types() == ["client_credentials", "refresh_token"]
    assert [request["authenticated_as"] for request in server.token_requests()] == ["private_key_jwt"] * 2


def test_from_environment_needs_no_secret_with_mutual_tls(server: OAuthTestServer, material: ClientAuthMaterial) -> None:
    environ = {
        "HTTPCCG_BASE_URL": _tls(server) + "/api/v1",
        "HTTPCCG_TOKEN_URL": _tls(server) + "/oauth/token",
        "HTTPCCG_O_AUTH_CLIENT_ID": TLS_CLIENT,
        "HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION": "tls_client_auth",
    }
    with _tls_client(material, material.tls_client) as http_client:
        Client.from_environment(environ, http_client=http_client).items.list_items()
    (request,) = server.token_requests()
    assert (request["status"], request["authenticated_as"]) == (200, "tls_client_auth")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"CLIENT_AUTHENTICATION": "client_secret_jwt"}, "HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION must be one of"),
        ({"CLIENT_AUTHENTICATION": "private_key_jwt"}, "HTTPCCG_O_AUTH_PRIVATE_KEY_FILE is not set"),
        ({"CLIENT_AUTHENTICATION": "client_secret_post"}, "HTTPCCG_O_AUTH_CLIENT_SECRET is not set"),
        ({"CLIENT_ID": "", "PRIVATE_KEY_FILE": "key.pem"}, "HTTPCCG_O_AUTH_CLIENT_ID is not set"),
        (
            {"CLIENT_AUTHENTICATION": "private_key_jwt", "PRIVATE_KEY_FILE": "/nonexistent/key.pem"},
            "HTTPCCG_O_AUTH_PRIVATE_KEY_FILE names a file that cannot be read: /nonexistent/key.pem",
        ),
    ],
)
def test_from_environment_names_the_missing_or_bad_variable(settings: dict[str, str], message: str) -> None:
    environ = {"HTTPCCG_O_AUTH_CLIENT_ID": "client"} | {f"HTTPCCG_O_AUTH_{name}": value for name, value in settings.items()}
    with pytest.raises(ValueError, match=message):
        Client.from_environment(environ)


def test_from_environment_never_tells_the_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "not-a-key.pem"
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
    environ = {
        "HTTPCCG_O_AUTH_CLIENT_ID": "client",
        "HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION": "private_key_jwt",
        "HTTPCCG_O_AUTH_PRIVATE_KEY_FILE": str(key_file),
    }
    with pytest.raises(ValueError, match="not a private key") as caught:
        Client.from_environment(environ)
    assert "bm90IGEga2V5" not in str(caught.value)


# --- credentials ----------------------------------------------------------------------------------


def test_credentials_say_what_each_method_lacks(material: ClientAuthMaterial) -> None:
    def make(**settings: Any) -> ClientCredentialsAuthCredentials:
        return ClientCredentialsAuthCredentials(o_auth_client_id="client", **settings)

    with pytest.raises(ValueError, match="o_auth_client_secret is required with client_secret_basic"):
        make()
    with pytest.raises(ValueError, match="o_auth_client_secret is required with client_secret_post"):
        make(o_auth_client_authentication="client_secret_post")
    with pytest.raises(ValueError, match="o_auth_private_key is required with private_key_jwt"):
        make(o_auth_client_authentication="private_key_jwt")
    pem = private_pem(material.rsa_key).decode()
    for settings, message in [
        ({"o_auth_private_key": material.rsa_key.public_key()}, "not a private key for RS256"),
        ({"o_auth_private_key": "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"}, "not a private key"),
        ({"o_auth_private_key": pem, "o_auth_signing_algorithm": "ES256"}, "not a private key for ES256"),
        ({"o_auth_private_key": pem, "o_auth_signing_algorithm": "HS256"}, "must be one of RS256"),
        ({"o_auth_private_key": pem, "o_auth_private_key_id": ""}, "o_auth_private_key_id must be a non-empty string"),
    ]:
        with pytest.raises(ValueError, match=message) as caught:
            make(o_auth_client_authentication="private_key_jwt", **settings)
        assert "bm90IGEga2V5" not in str(caught.value) and caught.value.__cause__ is None
    with pytest.raises(ValueError, match="must be one of 'client_secret_basic'"):
        make(o_auth_client_authentication="client_secret_jwt")
    # Mutual TLS needs no secret; the certificate lives in the HTTP client.
    assert make(o_auth_client_authentication="tls_client_auth").o_auth_client_secret is None

    credentials = make(
        o_auth_client_authentication="private_key_jwt", o_auth_private_key=pem, o_auth_private_key_id="kid-123"
    )
    shown = repr(credentials)
    assert "PRIVATE KEY" not in shown and "kid-123" not in shown and "RS256" not in shown


def test_pyjwt_is_needed_only_by_private_key_jwt() -> None:
    """Without PyJWT the SDK imports and authenticates with a secret; private_key_jwt names the extra."""
    code = """
import sys
sys.modules["jwt"] = None  # as if PyJWT were not installed: importing it raises ImportError
import httpccg
httpccg.ClientCredentialsAuthCredentials(o_auth_client_id="c", o_auth_client_secret="s")
try:
    httpccg.ClientCredentialsAuthCredentials(
        o_auth_client_id="c", o_auth_client_authentication="private_key_jwt", o_auth_private_key="k"
    )
except ImportError as error:
    print(error)
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=GOLDEN_HTTPCCG, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "the private_key_jwt client authentication needs PyJWT: pip install 'httpccg[jwt]'"
    unused = subprocess.run(
        [sys.executable, "-c", "import sys, httpccg; print('jwt' in sys.modules)"],
        cwd=GOLDEN_HTTPCCG, capture_output=True, text=True, timeout=60,
    )
    assert unused.stdout.strip() == "False"


def test_pyjwt_is_an_optional_extra_that_type_checking_does_not_need() -> None:
    project = Path(GOLDEN_HTTPCCG)
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["dependencies"] == ["httpx2>=2.16,<3", "pydantic>=2.11,<3"]
    assert metadata["optional-dependencies"]["jwt"] == ["PyJWT[crypto]>=2.8,<3"]
    assert "PyJWT[crypto]>=2.8,<3" not in metadata["optional-dependencies"]["test"]
    # mypy --strict passes without PyJWT too: no module names it in an import statement.
    for module in (project / "httpccg").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+jwt\b", module.read_text(), re.M), module
