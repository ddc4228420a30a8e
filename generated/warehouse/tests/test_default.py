"""Tests of the operations tagged `default` against a mock server of the spec: each call is accepted, and its answer has the declared type."""

from __future__ import annotations

from warehouse import Client

from .helpers import accepted, conforms


def test_get_health(client: Client) -> None:
    """`GET /health`"""
    with accepted("get", "/health"):
        result = client.default.get_health()
    conforms(result, str)
