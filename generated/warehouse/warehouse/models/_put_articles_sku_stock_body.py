"""Data models of the Warehouse API that the same operations use."""

from __future__ import annotations

from . import _Model
from ._category import PutArticlesSkuStockBodyReason


class PutArticlesSkuStockBody(_Model):
    """An object of the 'put /articles/{sku}/stock body' schema."""

    quantity: int
    reason: PutArticlesSkuStockBodyReason | None = None


class UploadDocumentBody(_Model):
    """An object of the 'uploadDocument body' schema."""

    file: bytes
    title: str | None = None
    tags: list[str] | None = None
