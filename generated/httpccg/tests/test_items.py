"""Tests of the operations tagged `Items` against a mock server of the spec: each call is accepted, and its answer has the declared type."""

from __future__ import annotations

from httpccg import Client, models

from .helpers import accepted, conforms, value


def test_list_items(client: Client) -> None:
    """`GET /items`"""
    with accepted("get", "/items"):
        result = client.items.list_items()
    conforms(result, list[models.Item])


def test_create_item(client: Client) -> None:
    """`POST /items`"""
    with accepted("post", "/items"):
        result = client.items.create_item(body=value(models.NewItem, {"name": "example"}))
    conforms(result, models.Item)


def test_get_item(client: Client) -> None:
    """`GET /items/{itemId}`"""
    with accepted("get", "/items/{itemId}"):
        result = client.items.get_item(1)
    conforms(result, models.Item)


def test_delete_item(client: Client) -> None:
    """`DELETE /items/{itemId}`"""
    with accepted("delete", "/items/{itemId}"):
        client.items.delete_item(1)
