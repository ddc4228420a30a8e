"""The second golden SDK, generated from specs/warehouse.yaml, used end to end against a real recording
server on 127.0.0.1: two client-credentials schemes (one with a relative tokenUrl), an API key combined
with a token, parameter styles and cookies, discriminated unions, form, multipart and binary bodies,
binary and text responses, and typed errors."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from support.recorder import Recorder, recorder  # noqa: F401 - the fixture

GOLDEN_WAREHOUSE = ROOT / "generated" / "warehouse"
TOKEN = json.dumps({"access_token": "tok-partner", "token_type": "Bearer", "expires_in": 3600}).encode()
INTERNAL_TOKEN = json.dumps({"access_token": "tok-internal", "token_type": "Bearer", "expires_in": 3600}).encode()
ARTICLE = {
    "id": "6f1c2a4e-0d7b-4c55-9a3e-1f2b3c4d5e6f",
    "sku": "WH-1",
    "name": "Crate",
    "category": "Non Food",
    "created": "2026-03-01T10:00:00Z",
    "bins": [[1, 2], [3]],
    "colour": "red",
}


@pytest.fixture(scope="module")
def warehouse() -> Iterator[Any]:
    sys.path.insert(0, str(GOLDEN_WAREHOUSE))
    try:
        import warehouse

        yield warehouse
    finally:
        sys.path.remove(str(GOLDEN_WAREHOUSE))


@pytest.fixture
def server(recorder: Recorder) -> Recorder:  # noqa: F811 - the fixture
    recorder.requests.clear()
    recorder.answers.clear()
    recorder.answers["/oauth/token"] = (200, "application/json", TOKEN)
    recorder.answers["/internal/token"] = (200, "application/json", INTERNAL_TOKEN)
    return recorder


def _client(warehouse: Any, server: Recorder, **credentials: Any) -> Any:
    return warehouse.Client(
        base_url=f"{server.url}/v2",
        internal_auth_token_url=f"{server.url}/internal/token",
        **credentials,
    )


def _partner(warehouse: Any) -> Any:
    return warehouse.PartnerAuthCredentials(o_auth_client_id="partner", o_auth_client_secret="s3cret")


def test_relative_token_url_styles_cookies_and_models(warehouse: Any, server: Recorder) -> None:
    server.answers["/v2/articles"] = (200, "application/json", json.dumps([ARTICLE]).encode())
    with _client(warehouse, server, partner_auth_credentials=_partner(warehouse)) as client:
        [article] = client.stock.list_articles(
            category=[warehouse.models.Category.FOOD, warehouse.models.Category.NON_FOOD_2],
            filter_=warehouse.models.ListArticlesFilter(min_quantity=2),
            from_=datetime.date(2026, 1, 2),
            session="abc",
        )
    token_request, call = server.requests
    # tokenUrl "/oauth/token" resolved against the base URL ".../v2" as RFC 3986 says: from the host's root.
    assert token_request["method"] == "POST" and token_request["path"] == "/oauth/token"
    path, _, query = call["path"].partition("?")
    assert path == "/v2/articles"
    assert urllib.parse.parse_qsl(query) == [
        ("category", "food,Non Food"),
        ("filter[min_quantity]", "2"),
        ("from", "2026-01-02"),
    ]
    assert call["headers"]["Cookie"] == "session=abc"
    assert call["headers"]["Authorization"] == "Bearer tok-partner"
    assert article.category is warehouse.models.Category.NON_FOOD_2
    assert article.created == datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.timezone.utc)
    assert article.bins == [[1, 2], [3]] and article.model_extra == {"colour": "red"}


def test_discriminated_union_and_unset_fields(warehouse: Any, server: Recorder) -> None:
    models = warehouse.models
    shipment = {
        "id": 7,
        "status": "packed",
        "articles": [{"sku": "WH-1", "quantity": 1}],
        "destination": {"kind": "pickup", "point_id": "P-9"},
        "parent": {"id": 6, "status": "shipped", "articles": [], "destination": {"kind": "pickup", "point_id": "P-1"}},
    }
    server.answers["/v2/shipments"] = (201, "application/json", json.dumps(shipment).encode())
    new = models.NewShipment(
        articles=[models.NewShipmentArticlesItem(sku="WH-1", quantity=1)],
        destination=models.HomeDelivery(kind="home", address=models.Address(line_1="1 Quay", country="NL")),
    )
    with _client(warehouse, server, bearer_token_credentials=warehouse.HttpBearerCredentials(token="jwt")) as client:
        created = client.shipments.create_shipment(body=new)
    [call] = server.requests  # the bearer alternative: no token request
    assert call["headers"]["Authorization"] == "Bearer jwt"
    # Fields the caller did not set are not sent; aliases are used on the wire.
    assert json.loads(call["body"]) == {
        "articles": [{"sku": "WH-1", "quantity": 1}],
        "destination": {"kind": "home", "address": {"line1": "1 Quay", "country": "NL"}},
    }
    assert isinstance(created.destination, models.PickupPoint)
    assert isinstance(created.parent, models.Shipment) and created.parent.status is models.ShipmentStatus.SHIPPED


def test_combined_requirement_needs_both_credentials(warehouse: Any, server: Recorder) -> None:
    internal = warehouse.InternalAuthCredentials(
        o_auth_client_id="svc", o_auth_client_secret="s", o_auth_scopes=[warehouse.models.InternalAuthScopeEnum.STOCK_WRITE]
    )
    with _client(warehouse, server, internal_auth_credentials=internal) as client:
        with pytest.raises(ValueError, match="dashboard_key_credentials"):
            client.stock.put_article_stock("WH-1", quantity=3)
    assert server.requests == []
    key = warehouse.ApiKeyCredentials(api_key="dash")
    with _client(warehouse, server, internal_auth_credentials=internal, dashboard_key_credentials=key) as client:
        client.stock.put_article_stock("WH-1", quantity=3, reason=warehouse.models.PutArticlesSkuStockBodyReason.VALUE)
    token_request, call = server.requests
    assert token_request["path"] == "/internal/token"
    assert urllib.parse.parse_qs(token_request["body"].decode())["scope"] == ["stock:write"]
    assert call["method"] == "PUT" and call["path"] == "/v2/articles/WH-1/stock"
    assert call["headers"]["Authorization"] == "Bearer tok-internal"
    assert call["headers"]["X-Dashboard-Key"] == "dash"
    assert call["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qsl(call["body"].decode(), keep_blank_values=True) == [("quantity", "3"), ("reason", "")]


def test_files_bytes_and_text(warehouse: Any, server: Recorder) -> None:
    document = {"id": "6f1c2a4e-0d7b-4c55-9a3e-1f2b3c4d5e6f", "title": "Manifest"}
    server.answers["/v2/documents"] = (201, "application/json", json.dumps(document).encode())
    server.answers["/v2/shipments/7/label"] = (200, "application/pdf", b"%PDF-1.7\x00\xff")
    server.answers["/v2/shipments/7/manifest"] = (200, "text/csv; charset=utf-8", "sku,qty\nWH-1,1\n".encode())
    server.answers["/v2/health"] = (200, "text/plain", b"ok")
    with _client(warehouse, server, partner_auth_credentials=_partner(warehouse)) as client:
        stored = client.documents.upload_document(file=("m.csv", b"sku,qty\n", "text/csv"), title="Manifest")
        client.documents.replace_document_content(stored.id, body=b"\x00\x01")
        label = client.shipments.get_shipment_label(7)
        manifest = client.shipments.get_shipment_manifest(7)
        health = client.default.get_health()
    token, upload, replace, label_call, manifest_call, health_call = server.requests
    assert token["path"] == "/oauth/token"
    assert upload["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="m.csv"' in upload["body"] and b'name="title"' in upload["body"]
    assert replace["headers"]["Content-Type"] == "application/octet-stream" and replace["body"] == b"\x00\x01"
    assert label_call["headers"]["Accept"] == "application/pdf"
    assert label == b"%PDF-1.7\x00\xff" and manifest == "sku,qty\nWH-1,1\n" and health == "ok"
    assert "Authorization" not in health_call["headers"]  # security: [] sends no credentials


def test_declared_errors_raise_their_class_with_the_parsed_body(warehouse: Any, server: Recorder) -> None:
    problem = {"title": "Duplicate SKU", "status": 409, "detail": "WH-1 exists"}
    server.answers["/v2/articles"] = (409, "application/problem+json", json.dumps(problem).encode())
    with _client(warehouse, server, partner_auth_credentials=_partner(warehouse)) as client:
        with pytest.raises(warehouse.ConflictError) as raised:
            client.stock.create_article(body=warehouse.models.Article(sku="WH-1", name="Crate"))
    assert raised.value.status_code == 409
    assert isinstance(raised.value.body, warehouse.models.Problem) and raised.value.body.detail == "WH-1 exists"


def test_golden_warehouse_passes_mypy_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), "warehouse", "tests"],
        cwd=GOLDEN_WAREHOUSE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mypy --strict failed:\n{result.stdout}\n{result.stderr}"
