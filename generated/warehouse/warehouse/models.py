"""Data models of the Warehouse API, and the OAuth scopes it defines."""

from __future__ import annotations

import datetime
import enum
import typing
import uuid

import pydantic


class PartnerAuthScopeEnum(str, enum.Enum):
    """The OAuth 2.0 scopes of the partnerAuth scheme; the value of each member is the scope sent to the token endpoint."""

    STOCK_READ = "https://api.warehouse.example/auth/stock.read"
    """Read articles and stock."""

    STOCK_WRITE = "https://api.warehouse.example/auth/stock.write"
    """Create and change articles."""

    SHIPMENTS = "https://api.warehouse.example/auth/shipments"
    """Create shipments."""


class InternalAuthScopeEnum(str, enum.Enum):
    """The OAuth 2.0 scopes of the internalAuth scheme; the value of each member is the scope sent to the token endpoint."""

    STOCK_WRITE = "stock:write"
    """Change stock levels."""

    SCOPE = " "
    """The default scope."""


class Category(str, enum.Enum):
    """What kind of article it is."""

    FOOD = "food"
    NON_FOOD = "non-food"
    NON_FOOD_2 = "Non Food"
    HAZARDOUS_FLAMMABLE = "hazardous/flammable"
    VALUE = ""


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


class PutArticlesSkuStockBodyReason(str, enum.Enum):
    """The values of the 'put /articles/{sku}/stock body reason' schema."""

    COUNT = "count"
    DAMAGE = "damage"
    RETURN = "return"
    VALUE = ""


class GetShipmentLabelFormat(str, enum.Enum):
    """The values of the 'getShipmentLabel format' schema."""

    PDF = "pdf"
    PNG = "png"


class Dimensions(pydantic.BaseModel):
    """An object of the 'Dimensions' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    length: float

    width: float

    height: float

    unit: typing.Literal["cm"] | None = None


class Article(pydantic.BaseModel):
    """An object of the 'Article' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

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


class Address(pydantic.BaseModel):
    """An object of the 'Address' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    line_1: str = pydantic.Field(validation_alias="line1", serialization_alias="line1")

    line_2: str | None = pydantic.Field(
        default=None, validation_alias="line2", serialization_alias="line2"
    )

    country: str


class HomeDelivery(pydantic.BaseModel):
    """An object of the 'HomeDelivery' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    kind: typing.Literal["home"]

    address: Address

    instructions: str | None = None


class PickupPoint(pydantic.BaseModel):
    """An object of the 'PickupPoint' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    kind: typing.Literal["pickup"]

    point_id: str


class NewShipmentArticlesItem(pydantic.BaseModel):
    """An object of the 'NewShipment articles item' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    sku: str

    quantity: int


class NewShipment(pydantic.BaseModel):
    """An object of the 'NewShipment' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    articles: list[NewShipmentArticlesItem]

    destination: typing.Annotated[HomeDelivery | PickupPoint, pydantic.Field(discriminator="kind")]

    priority: Priority | None = None

    reference: str | int | None = None


class Shipment(pydantic.BaseModel):
    """An object of the 'Shipment' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    articles: list[NewShipmentArticlesItem]

    destination: typing.Annotated[HomeDelivery | PickupPoint, pydantic.Field(discriminator="kind")]

    priority: Priority | None = None

    reference: str | int | None = None

    id: int

    status: ShipmentStatus

    parent: Shipment | None = None

    label: str | None = None


class Document(pydantic.BaseModel):
    """An object of the 'Document' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    id: uuid.UUID

    title: str

    size: int | None = None


class Problem(pydantic.BaseModel):
    """An RFC 9457 problem report."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    type: str | None = None

    title: str

    status: int

    detail: str | None = None


class ListArticlesFilter(pydantic.BaseModel):
    """An object of the 'listArticles filter' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    min_quantity: int | None = None

    location: str | None = None


class PutArticlesSkuStockBody(pydantic.BaseModel):
    """An object of the 'put /articles/{sku}/stock body' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    quantity: int

    reason: PutArticlesSkuStockBodyReason | None = None


class UploadDocumentBody(pydantic.BaseModel):
    """An object of the 'uploadDocument body' schema."""

    model_config = pydantic.ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)

    file: bytes

    title: str | None = None

    tags: list[str] | None = None
