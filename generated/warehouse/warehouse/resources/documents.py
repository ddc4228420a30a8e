"""The operations tagged `Documents`: `DocumentsResource` and, for `AsyncClient`, `AsyncDocumentsResource`."""

from __future__ import annotations

import typing
import uuid

from .. import _runtime, models

_UPLOAD_DOCUMENT: _runtime.Endpoint[models.Document] = _runtime.Endpoint(
    "POST",
    "/documents",
    models.Document,
    security=({"partnerAuth": ("https://api.warehouse.example/auth/stock.read",)}, {"internalAuth": ()}),
    body_format="multipart",
    body_required=True,
)
_REPLACE_DOCUMENT_CONTENT: _runtime.Endpoint[None] = _runtime.Endpoint(
    "PUT",
    "/documents/{id}/content",
    None,
    security=({"partnerAuth": ("https://api.warehouse.example/auth/stock.read",)}, {"internalAuth": ()}),
    body_format="binary",
    content_type="application/octet-stream",
)


class DocumentsResource:
    """Labels, manifests and uploaded files."""

    def __init__(self, runtime: _runtime.SyncRuntime) -> None:
        self._runtime = runtime

    def upload_document(
        self, *, file: _runtime.FileInput, title: str | None = None, tags: list[str] | None = None
    ) -> models.Document:
        """Upload a document

        The request body is sent as `multipart/form-data`.

        Args:
            file: The `file` file.
            title: The `title` form field.
            tags: The `tags` form field.

        Files are given as bytes, a binary file object, or a (filename, content) or (filename, content,
        content type) tuple.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_UPLOAD_DOCUMENT, form={"title": title, "tags": tags}, files={"file": file})

    def replace_document_content(self, id_: uuid.UUID, *, body: bytes | typing.IO[bytes]) -> None:
        """replace_document_content

        The request body is sent as `application/octet-stream`.

        Args:
            id_: The `id` path parameter.
            body: The request body.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_REPLACE_DOCUMENT_CONTENT, path={"id": id_}, body=body)


class AsyncDocumentsResource:
    """Labels, manifests and uploaded files."""

    def __init__(self, runtime: _runtime.AsyncRuntime) -> None:
        self._runtime = runtime

    async def upload_document(
        self, *, file: _runtime.FileInput, title: str | None = None, tags: list[str] | None = None
    ) -> models.Document:
        """Upload a document

        The request body is sent as `multipart/form-data`.

        Args:
            file: The `file` file.
            title: The `title` form field.
            tags: The `tags` form field.

        Files are given as bytes, a binary file object, or a (filename, content) or (filename, content,
        content type) tuple.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_UPLOAD_DOCUMENT, form={"title": title, "tags": tags}, files={"file": file})

    async def replace_document_content(self, id_: uuid.UUID, *, body: bytes | typing.IO[bytes]) -> None:
        """replace_document_content

        The request body is sent as `application/octet-stream`.

        Args:
            id_: The `id` path parameter.
            body: The request body.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_REPLACE_DOCUMENT_CONTENT, path={"id": id_}, body=body)
