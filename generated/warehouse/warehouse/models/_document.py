"""Data models of the Warehouse API."""

from __future__ import annotations

import uuid

from . import _Model


class Document(_Model):
    """An object of the 'Document' schema."""

    id: uuid.UUID
    title: str
    size: int | None = None
