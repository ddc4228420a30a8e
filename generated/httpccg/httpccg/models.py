"""Data models of the httpCCG API, and the OAuth scopes it defines."""

from __future__ import annotations

import enum

import pydantic


class OAuthScopeEnum(str, enum.Enum):
    """The OAuth 2.0 scopes of the API; the value of each member is the scope sent to the token endpoint."""

    READ_SCOPE = "read_scope"
    """Read scope"""

    WRITE_SCOPE = "write_scope"
    """Write scope"""


class ItemStatus(str, enum.Enum):
    """Where an item is in its life cycle."""

    AVAILABLE = "available"
    RESERVED = "reserved"
    SOLD = "sold"


class Item(pydantic.BaseModel):
    """An item in the inventory."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

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


class NewItem(pydantic.BaseModel):
    """The fields a client sets when creating an item."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    name: str
    """The item's display name."""

    status: ItemStatus | None = None

    tags: list[str] | None = None

    note: str | None = None

    price: float | None = None


class ServiceStatus(pydantic.BaseModel):
    """An object of the 'ServiceStatus' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    status: str
    """`ok` when the service is healthy."""

    version: str | None = None


class Error(pydantic.BaseModel):
    """An error returned by the API."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    code: str
    """A machine-readable error code."""

    message: str
    """A human-readable explanation."""
