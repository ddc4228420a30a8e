"""Tests of the operations tagged `Service` against a mock server of the spec: each call is accepted, and its answer has the declared type."""

from __future__ import annotations

from httpccg import Client, models

from .helpers import accepted, conforms


def test_get_service_status(client: Client) -> None:
    """`GET /status`"""
    with accepted("get", "/status"):
        result = client.service.get_service_status()
    conforms(result, models.ServiceStatus)
