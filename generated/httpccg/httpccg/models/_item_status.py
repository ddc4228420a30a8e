"""Data models of the httpCCG API that the same operations use."""

from __future__ import annotations

import enum

from . import _Model


class ItemStatus(str, enum.Enum):
    """Where an item is in its life cycle."""

    AVAILABLE = "available"
    RESERVED = "reserved"
    SOLD = "sold"


class Item(_Model):
    """An item in the inventory."""

    id: int
    """The item's identifier, assigned by the server."""
    name: str
    """The item's display name."""
    status: ItemStatus
    tags: list[str] | None = None
    """Free-form labels."""
    note: str | None
    """A note, or null when there is none."""
    price: float | None = None
    """The price in euros."""


class NewItem(_Model):
    """The fields a client sets when creating an item."""

    name: str
    """The item's display name."""
    status: ItemStatus | None = None
    tags: list[str] | None = None
    note: str | None = None
    price: float | None = None


class Error(_Model):
    """An error returned by the API."""

    code: str
    """A machine-readable error code."""
    message: str
    """A human-readable explanation."""
