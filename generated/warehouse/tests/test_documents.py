"""Tests of the operations tagged `Documents` against a mock server of the spec: each call is accepted, and its answer has the declared type."""

from __future__ import annotations

import uuid

from warehouse import Client, models

from .helpers import accepted, conforms, value


def test_upload_document(client: Client) -> None:
    """`POST /documents`"""
    with accepted("post", "/documents"):
        result = client.documents.upload_document(file=b"example")
    conforms(result, models.Document)


def test_replace_document_content(client: Client) -> None:
    """`PUT /documents/{id}/content`"""
    with accepted("put", "/documents/{id}/content"):
        client.documents.replace_document_content(
            value(uuid.UUID, "3fa85f64-5717-4562-b3fc-2c963f66afa6"), body=b"example"
        )
