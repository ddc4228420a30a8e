"""Self-checks of the OAuth test server (tests/servers/server.mjs)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.parse
from typing import TYPE_CHECKING, Any, Iterator

import httpx2
import pytest

if TYPE_CHECKING:
    from support.server import OAuthTestServer

# Registers oauth_server / fresh_server; a no-op when conftest already did.
pytest_plugins = ["support.server"]

BOTH_SCOPES = "read_scope write_scope"


@pytest.fixture
def http() -> Iterator[httpx2.Client]:
    with httpx2.Client(trust_env=False, timeout=10) as client:
        yield client


def basic_auth(client_id: str, secret: str) -> str:
    """HTTP Basic credentials the RFC 6749 §2.3.1 way: form-urlencode, then base64."""
    pair = f"{urllib.parse.quote_plus(client_id)}:{urllib.parse.quote_plus(secret)}"
    return "Basic " + base64.b64encode(pair.encode()).decode()


def request_token(
    http: httpx2.Client,
    server: OAuthTestServer,
    client: str,
    *,
    scope: str | None = BOTH_SCOPES,
    method: str = "basic",
) -> httpx2.Response:
    client_id, secret = server.clients[client]
    form = {"grant_type": "client_credentials"}
    if scope is not None:
        form["scope"] = scope
    headers = {}
    if method == "basic":
        headers["Authorization"] = basic_auth(client_id, secret)
    else:
        form.update(client_id=client_id, client_secret=secret)
    return http.post(server.token_url, data=form, headers=headers)


def access_token(http: httpx2.Client, server: OAuthTestServer, client: str = "basic", **kwargs: Any) -> str:
    response = request_token(http, server, client, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_rs256(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """Check an RS256 JWT's signature against a JWKS (stdlib only) and return its payload."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    assert header["alg"] == "RS256"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    n = int.from_bytes(b64url_decode(key["n"]), "big")
    e = int.from_bytes(b64url_decode(key["e"]), "big")
    size = (n.bit_length() + 7) // 8
    signature = int.from_bytes(b64url_decode(signature_b64), "big")
    encoded = pow(signature, e, n).to_bytes(size, "big")
    # EMSA-PKCS1-v1_5 with the SHA-256 DigestInfo prefix (RFC 8017 §9.2).
    digest_info = (
        bytes.fromhex("3031300d060960864801650304020105000420")
        + hashlib.sha256(f"{header_b64}.{payload_b64}".encode()).digest()
    )
    expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    assert encoded == expected, "bad JWT signature"
    return json.loads(b64url_decode(payload_b64))


def test_discovery_describes_the_mounted_server(http, oauth_server):
    metadata = http.get(oauth_server.issuer + "/.well-known/openid-configuration").json()
    assert metadata["issuer"] == oauth_server.issuer
    assert metadata["token_endpoint"] == oauth_server.token_url
    assert metadata["jwks_uri"] == oauth_server.issuer + "/jwks"
    assert "client_credentials" in metadata["grant_types_supported"]


def test_basic_client_gets_a_signed_jwt(http, fresh_server):
    response = request_token(http, fresh_server, "basic")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == BOTH_SCOPES

    jwks = http.get(fresh_server.issuer + "/jwks").json()
    claims = verify_rs256(body["access_token"], jwks)
    assert claims["scope"] == BOTH_SCOPES
    assert claims["aud"] == fresh_server.base_url
    assert claims["iss"] == fresh_server.issuer
    assert claims["client_id"] == "basic-client"
    assert claims["exp"] - claims["iat"] == 3600

    assert fresh_server.token_requests() == [
        {
            "client_id": "basic-client",
            "auth_method": "basic",
            "grant_type": "client_credentials",
            "scope": BOTH_SCOPES,
            "resource": None,
            "status": 200,
            "assertion": None,
            "tls": False,
            "client_certificate": None,
            "authenticated_as": "client_secret_basic",
            "error_detail": None,
        }
    ]


def test_short_client_tokens_live_four_seconds(http, oauth_server):
    claims = json.loads(b64url_decode(access_token(http, oauth_server, "short").split(".")[1]))
    assert claims["exp"] - claims["iat"] == 4


def test_omitted_scope_defaults_to_the_clients_scopes(http, oauth_server):
    assert request_token(http, oauth_server, "basic", scope=None).json()["scope"] == BOTH_SCOPES
    assert request_token(http, oauth_server, "read_only", scope=None).json()["scope"] == "read_scope"


def test_auth_method_is_enforced(http, fresh_server):
    wrong = request_token(http, fresh_server, "post", method="basic")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert request_token(http, fresh_server, "post", method="post").status_code == 200
    assert request_token(http, fresh_server, "basic", method="post").status_code == 401

    log = fresh_server.token_requests()
    assert [(e["client_id"], e["auth_method"], e["status"]) for e in log] == [
        ("post-client", "basic", 401),
        ("post-client", "post", 200),
        ("basic-client", "post", 401),
    ]


def test_wrong_secret_is_invalid_client(http, oauth_server):
    response = http.post(
        oauth_server.token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic_auth("basic-client", "nope")},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_unknown_or_unallowed_scope_is_rejected(http, oauth_server):
    unknown = request_token(http, oauth_server, "basic", scope="read_scope admin_scope")
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "invalid_scope"
    assert "error_description" in unknown.json()

    unallowed = request_token(http, oauth_server, "read_only", scope="write_scope")
    assert unallowed.status_code == 400
    assert unallowed.json()["error"] == "invalid_scope"


def test_odd_secret_needs_form_urlencoded_basic_credentials(http, fresh_server):
    assert request_token(http, fresh_server, "odd").status_code == 200

    client_id, secret = fresh_server.clients["odd"]
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    unencoded = http.post(
        fresh_server.token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic " + raw},
    )
    assert unencoded.status_code in (400, 401)
    assert [e["client_id"] for e in fresh_server.token_requests()] == ["odd-client", "odd-client"]


def test_api_needs_a_token_with_the_right_scope(http, fresh_server):
    items_url = fresh_server.base_url + "/items"

    anonymous = http.get(items_url)
    assert anonymous.status_code == 401
    assert 'error="invalid_token"' in anonymous.headers["WWW-Authenticate"]
    assert anonymous.json()["code"] == "invalid_token"
    assert http.get(items_url, headers={"Authorization": "Bearer not-a-jwt"}).status_code == 401

    token = access_token(http, fresh_server)
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    forged_payload = base64.urlsafe_b64encode(json.dumps({**claims, "exp": claims["exp"] + 60}).encode())
    forged = f"{header}.{forged_payload.decode().rstrip('=')}.{signature}"
    assert http.get(items_url, headers={"Authorization": f"Bearer {forged}"}).status_code == 401

    listed = http.get(items_url, headers={"Authorization": f"Bearer {token}", "X-Request-Id": "req-1"})
    assert listed.status_code == 200
    assert listed.headers["X-Request-Id"] == "req-1"
    assert listed.json() == [
        {"id": 2, "name": "Gadget", "status": "reserved", "note": "fragile"},
        {"id": 1, "name": "Widget", "status": "available", "tags": ["a"], "note": None, "price": 9.5},
    ]

    read_only = access_token(http, fresh_server, "read_only", scope="read_scope")
    forbidden = http.post(items_url, json={"name": "Thing"}, headers={"Authorization": f"Bearer {read_only}"})
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "insufficient_scope"

    log = fresh_server.api_requests()
    assert [(e["method"], e["status"], e["authorization_present"]) for e in log] == [
        ("GET", 401, False),
        ("GET", 401, True),
        ("GET", 401, True),
        ("GET", 200, True),
        ("POST", 403, True),
    ]
    assert log[3]["request_id"] == "req-1"
    assert log[3]["token_scope"] == BOTH_SCOPES
    assert log[3]["token_jti"]
    assert log[4]["token_scope"] == "read_scope"


def test_item_operations(http, fresh_server):
    auth = {"Authorization": f"Bearer {access_token(http, fresh_server)}"}
    items_url = fresh_server.base_url + "/items"

    created = http.post(items_url, json={"name": "Thing", "price": 2.5}, headers=auth)
    assert created.status_code == 201
    assert created.json() == {"id": 3, "name": "Thing", "status": "available", "note": None, "price": 2.5}

    invalid = http.post(items_url, json={"price": 1}, headers=auth)
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid"

    assert [i["id"] for i in http.get(items_url, params={"limit": 2}, headers=auth).json()] == [3, 2]
    assert [i["id"] for i in http.get(items_url, params={"status": "reserved"}, headers=auth).json()] == [2]
    assert http.get(items_url + "/1", headers=auth).json()["name"] == "Widget"
    assert http.delete(items_url + "/1", headers=auth).status_code == 204
    missing = http.get(items_url + "/1", headers=auth)
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message"}
    assert http.delete(items_url + "/1", headers=auth).status_code == 404
    assert fresh_server.api_requests()[2]["query"] == "limit=2"


def test_status_needs_no_auth(http, fresh_server):
    response = http.get(fresh_server.base_url + "/status")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "1.0.0"}
    (entry,) = fresh_server.api_requests()
    assert entry["path"] == "/api/v1/status"
    assert entry["authorization_present"] is False
    assert entry["token_jti"] is None


def test_revoke_all_rejects_old_tokens_only(http, fresh_server):
    items_url = fresh_server.base_url + "/items"
    old = access_token(http, fresh_server)
    assert http.get(items_url, headers={"Authorization": f"Bearer {old}"}).status_code == 200

    fresh_server.revoke_all()
    revoked = http.get(items_url, headers={"Authorization": f"Bearer {old}"})
    assert revoked.status_code == 401
    assert 'error="invalid_token"' in revoked.headers["WWW-Authenticate"]

    new = access_token(http, fresh_server)
    assert http.get(items_url, headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_reject_all_rejects_every_token(http, fresh_server):
    items_url = fresh_server.base_url + "/items"
    auth = {"Authorization": f"Bearer {access_token(http, fresh_server)}"}
    fresh_server.reject_all(True)
    assert http.get(items_url, headers=auth).status_code == 401
    assert http.get(fresh_server.base_url + "/status").status_code == 200
    fresh_server.reject_all(False)
    assert http.get(items_url, headers=auth).status_code == 200


def test_token_fail_then_success(http, fresh_server):
    fresh_server.token_fail(2, status=503)
    for _ in range(2):
        failed = request_token(http, fresh_server, "basic")
        assert failed.status_code == 503
        assert failed.json() == {"error": "server_error", "error_description": "injected failure"}
    assert request_token(http, fresh_server, "basic").status_code == 200
    assert [e["status"] for e in fresh_server.token_requests()] == [503, 503, 200]


def test_token_delay(http, fresh_server):
    fresh_server.token_delay(0.6)
    started = time.monotonic()
    assert request_token(http, fresh_server, "basic").status_code == 200
    assert 0.6 <= time.monotonic() - started < 3

    fresh_server.reset()
    started = time.monotonic()
    assert request_token(http, fresh_server, "basic").status_code == 200
    assert time.monotonic() - started < 0.5


def test_reset_reseeds_the_store(http, fresh_server):
    auth = {"Authorization": f"Bearer {access_token(http, fresh_server)}"}
    http.delete(fresh_server.base_url + "/items/1", headers=auth)
    fresh_server.reset()
    assert fresh_server.token_requests() == []
    assert [i["id"] for i in http.get(fresh_server.base_url + "/items", headers=auth).json()] == [2, 1]
