"""Data models of the Warehouse API that the same operations use."""

from __future__ import annotations

import enum
import typing

import pydantic

from . import _CamelCaseModel, _Model


class Priority(enum.IntEnum):
    """The values of the 'Priority' schema."""

    VALUE_1 = 1
    VALUE_2 = 2
    VALUE_3 = 3


class ShipmentStatus(str, enum.Enum):
    """The values of the 'Shipment status' schema."""

    CREATED = "created"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


class GetShipmentLabelFormat(str, enum.Enum):
    """The values of the 'getShipmentLabel format' schema."""

    PDF = "pdf"
    PNG = "png"


class Address(_CamelCaseModel):
    """An object of the 'Address' schema."""

    line_1: str
    line_2: str | None = None
    country: str


class HomeDelivery(_Model):
    """An object of the 'HomeDelivery' schema."""

    kind: typing.Literal["home"]
    address: Address
    instructions: str | None = None


class PickupPoint(_Model):
    """An object of the 'PickupPoint' schema."""

    kind: typing.Literal["pickup"]
    point_id: str


class NewShipmentArticlesItem(_Model):
    """An object of the 'NewShipment articles item' schema."""

    sku: str
    quantity: int


class NewShipment(_Model):
    """An object of the 'NewShipment' schema."""

    articles: list[NewShipmentArticlesItem]
    destination: typing.Annotated[HomeDelivery | PickupPoint, pydantic.Field(discriminator="kind")]
    priority: Priority | None = None
    reference: str | int | None = None


class Shipment(_Model):
    """An object of the 'Shipment' schema."""

    articles: list[NewShipmentArticlesItem]
    destination: typing.Annotated[HomeDelivery | PickupPoint, pydantic.Field(discriminator="kind")]
    priority: Priority | None = None
    reference: str | int | None = None
    id: int
    status: ShipmentStatus
    parent: Shipment | None = None
    label: str | None = None
