"""The OAuth 2.0 scopes the Warehouse API defines, apart from its models so that the client needs none of them."""

from __future__ import annotations

import enum


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
