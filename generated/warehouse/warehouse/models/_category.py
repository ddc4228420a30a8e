"""Data models of the Warehouse API that the same operations use."""

from __future__ import annotations

import datetime
import enum
import typing
import uuid

from . import _Model


class Category(str, enum.Enum):
    """What kind of article it is."""

    FOOD = "food"
    NON_FOOD = "non-food"
    NON_FOOD_2 = "Non Food"
    HAZARDOUS_FLAMMABLE = "hazardous/flammable"
    VALUE = ""


class PutArticlesSkuStockBodyReason(str, enum.Enum):
    """The values of the 'put /articles/{sku}/stock body reason' schema."""

    COUNT = "count"
    DAMAGE = "damage"
    RETURN = "return"
    VALUE = ""


class Dimensions(_Model):
    """An object of the 'Dimensions' schema."""

    length: float
    width: float
    height: float
    unit: typing.Literal["cm"] | None = None


class Article(_Model):
    """An object of the 'Article' schema."""

    id: uuid.UUID | None = None
    """Read-only: the server sets it; it is not required."""
    sku: str
    name: str
    category: Category | None = None
    """The category; food is kept cold."""
    quantity: int = 0
    """Default: `0`."""
    price: float | None = None
    dimensions: Dimensions | None = None
    attributes: dict[str, str] | None = None
    bins: list[list[int]] | None = None
    created: datetime.datetime | None = None
    """Read-only: the server sets it; it is not required."""
    supplier_secret: str | None = None
    """Write-only: the server does not return it; it is not required."""


class ListArticlesFilter(_Model):
    """An object of the 'listArticles filter' schema."""

    min_quantity: int | None = None
    location: str | None = None
