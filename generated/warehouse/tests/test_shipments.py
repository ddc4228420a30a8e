"""Tests of the operations tagged `Shipments` against a mock server of the spec: each call is accepted, and its answer has the declared type."""

from __future__ import annotations

from warehouse import Client, models

from .helpers import accepted, conforms, value


def test_create_shipment(client: Client) -> None:
    """`POST /shipments`"""
    with accepted("post", "/shipments"):
        result = client.shipments.create_shipment(
            body=value(
                models.NewShipment,
                {
                    "articles": [{"sku": "example", "quantity": 1}],
                    "destination": {"kind": "home", "address": {"line1": "example", "country": "ex"}},
                },
            )
        )
    conforms(result, models.Shipment)


def test_get_shipment_label(client: Client) -> None:
    """`GET /shipments/{id}/label`"""
    with accepted("get", "/shipments/{id}/label"):
        result = client.shipments.get_shipment_label(1)
    conforms(result, bytes)


def test_get_shipment_manifest(client: Client) -> None:
    """`GET /shipments/{id}/manifest`"""
    with accepted("get", "/shipments/{id}/manifest"):
        result = client.shipments.get_shipment_manifest(1)
    conforms(result, str)
