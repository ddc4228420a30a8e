"""The clients of the Warehouse API: `Client` (blocking) and `AsyncClient` (asyncio)."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import httpx2

from . import _runtime
from ._auth import (
    ApiKeyCredentials,
    AsyncInternalAuthAuthManager,
    AsyncPartnerAuthAuthManager,
    AsyncTokenManager,
    HttpBearerCredentials,
    InternalAuthAuthManager,
    InternalAuthCredentials,
    PartnerAuthAuthManager,
    PartnerAuthCredentials,
    TokenManager,
)
from ._environment import (
    read_api_key,
    read_bearer,
    read_client_credentials,
    read_setting,
)
from ._scopes import PartnerAuthScopeEnum, InternalAuthScopeEnum

if TYPE_CHECKING:
    from .resources.stock import AsyncStockResource, StockResource
    from .resources.shipments import AsyncShipmentsResource, ShipmentsResource
    from .resources.documents import AsyncDocumentsResource, DocumentsResource
    from .resources.default import AsyncDefaultResource, DefaultResource

DEFAULT_BASE_URL: str | None = "https://api.warehouse.example/v2"
"""The API's first server in the spec."""
PARTNER_AUTH_TOKEN_URL = "/oauth/token"
"""The `tokenUrl` of the spec's partnerAuth scheme; a relative one is resolved against the base URL."""
PARTNER_AUTH_REFRESH_URL: str | None = None
"""The `refreshUrl` of the spec's partnerAuth scheme, resolved like the token URL; None when it names none."""
INTERNAL_AUTH_TOKEN_URL = "https://sso.warehouse.example/realms/internal/token"
"""The `tokenUrl` of the spec's internalAuth scheme; a relative one is resolved against the base URL."""
INTERNAL_AUTH_REFRESH_URL: str | None = None
"""The `refreshUrl` of the spec's internalAuth scheme, resolved like the token URL; None when it names none."""
ENVIRONMENT_PREFIX = "WAREHOUSE_"


class Client:
    """Blocking client for the Warehouse API.

    Args:
        partner_auth_credentials: OAuth 2.0 client credentials for the partnerAuth scheme; needed by
            the operations that need its token.
        internal_auth_credentials: OAuth 2.0 client credentials for the internalAuth scheme; needed by
            the operations that need its token.
        dashboard_key_credentials: Credentials for the dashboardKey scheme.
        bearer_token_credentials: Credentials for the bearerToken scheme.
        base_url: The API's base URL; by default the spec's first server.
        partner_auth_token_url: The OAuth 2.0 token endpoint of the partnerAuth scheme; by default
            the spec's `tokenUrl`, resolved against `base_url` (RFC 3986).
        partner_auth_refresh_url: The endpoint of the refresh grant of the partnerAuth scheme; by default
            the spec's `refreshUrl`, resolved against `base_url` (the token endpoint in use when the spec's
            `refreshUrl` is its `tokenUrl`); without one, refresh tokens are ignored.
        internal_auth_token_url: The OAuth 2.0 token endpoint of the internalAuth scheme; by default
            the spec's `tokenUrl`, resolved against `base_url` (RFC 3986).
        internal_auth_refresh_url: The endpoint of the refresh grant of the internalAuth scheme; by default
            the spec's `refreshUrl`, resolved against `base_url` (the token endpoint in use when the spec's
            `refreshUrl` is its `tokenUrl`); without one, refresh tokens are ignored.
        http_client: The `httpx2.Client` for API and token requests alike, so that its proxies, TLS
            settings, timeouts and transport apply to both. By default the client makes its own and
            closes it in `close()`.

    An operation uses the first of its security requirements that the client has credentials for (and,
    with fixed `o_auth_scopes`, whose scopes they include).
    """

    def __init__(
        self,
        *,
        partner_auth_credentials: PartnerAuthCredentials | None = None,
        internal_auth_credentials: InternalAuthCredentials | None = None,
        dashboard_key_credentials: ApiKeyCredentials | None = None,
        bearer_token_credentials: HttpBearerCredentials | None = None,
        base_url: str | None = None,
        partner_auth_token_url: str | None = None,
        partner_auth_refresh_url: str | None = None,
        internal_auth_token_url: str | None = None,
        internal_auth_refresh_url: str | None = None,
        http_client: httpx2.Client | None = None,
    ) -> None:
        self.base_url = _runtime.resolve_base_url(base_url, DEFAULT_BASE_URL)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx2.Client(timeout=_runtime.DEFAULT_TIMEOUT)
        partner_auth_token_url = _runtime.resolve_token_url(
            self.base_url,
            partner_auth_token_url,
            PARTNER_AUTH_TOKEN_URL,
            argument="partner_auth_token_url",
            credentials=partner_auth_credentials,
        )
        self.partner_auth_auth_manager = PartnerAuthAuthManager(
            partner_auth_credentials,
            token_url=partner_auth_token_url,
            refresh_url=_runtime.resolve_refresh_url(
                self.base_url,
                partner_auth_refresh_url,
                PARTNER_AUTH_REFRESH_URL,
                token_url=partner_auth_token_url,
                spec_token_url=PARTNER_AUTH_TOKEN_URL,
            ),
            http_client=self._http_client,
        )
        """Fetches, caches and renews the OAuth token of the partnerAuth
        scheme; `o_auth_token` gets or sets it."""
        internal_auth_token_url = _runtime.resolve_token_url(
            self.base_url,
            internal_auth_token_url,
            INTERNAL_AUTH_TOKEN_URL,
            argument="internal_auth_token_url",
            credentials=internal_auth_credentials,
        )
        self.internal_auth_auth_manager = InternalAuthAuthManager(
            internal_auth_credentials,
            token_url=internal_auth_token_url,
            refresh_url=_runtime.resolve_refresh_url(
                self.base_url,
                internal_auth_refresh_url,
                INTERNAL_AUTH_REFRESH_URL,
                token_url=internal_auth_token_url,
                spec_token_url=INTERNAL_AUTH_TOKEN_URL,
            ),
            http_client=self._http_client,
        )
        """Fetches, caches and renews the OAuth token of the internalAuth
        scheme; `o_auth_token` gets or sets it."""
        auth = _runtime.Authentication[TokenManager](
            {"partnerAuth": self.partner_auth_auth_manager, "internalAuth": self.internal_auth_auth_manager},
            {
                "dashboardKey": (
                    _runtime.StaticAuth(dashboard_key_credentials, "X-Dashboard-Key", "header")
                    if dashboard_key_credentials is not None
                    else None
                ),
                "bearerToken": (
                    _runtime.StaticAuth(bearer_token_credentials) if bearer_token_credentials is not None else None
                ),
            },
            {
                "partnerAuth": "partner_auth_credentials",
                "internalAuth": "internal_auth_credentials",
                "dashboardKey": "dashboard_key_credentials",
                "bearerToken": "bearer_token_credentials",
            },
        )
        self._runtime = _runtime.SyncRuntime(self._http_client, self.base_url, auth)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, http_client: httpx2.Client | None = None
    ) -> Client:
        """A client configured from environment variables.

        Reads `WAREHOUSE_BASE_URL`, `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLIENT_ID`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLIENT_SECRET`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLIENT_AUTHENTICATION`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_PRIVATE_KEY_FILE`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_PRIVATE_KEY_ID`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_SIGNING_ALGORITHM`, `WAREHOUSE_PARTNER_AUTH_O_AUTH_SCOPES`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLOCK_SKEW`, `WAREHOUSE_PARTNER_AUTH_TOKEN_URL`,
        `WAREHOUSE_PARTNER_AUTH_REFRESH_URL`, `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLIENT_ID`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLIENT_SECRET`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLIENT_AUTHENTICATION`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_PRIVATE_KEY_FILE`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_PRIVATE_KEY_ID`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_SIGNING_ALGORITHM`, `WAREHOUSE_INTERNAL_AUTH_O_AUTH_SCOPES`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLOCK_SKEW`, `WAREHOUSE_INTERNAL_AUTH_TOKEN_URL`,
        `WAREHOUSE_INTERNAL_AUTH_REFRESH_URL`, `WAREHOUSE_DASHBOARD_KEY_API_KEY`,
        `WAREHOUSE_BEARER_TOKEN_TOKEN`.

        Raises:
            ValueError: A variable is missing or malformed; the message names it.
        """
        environ = os.environ if environ is None else environ
        return cls(
            partner_auth_credentials=read_client_credentials(
                environ, "WAREHOUSE_PARTNER_AUTH_", PartnerAuthCredentials, PartnerAuthScopeEnum
            ),
            internal_auth_credentials=read_client_credentials(
                environ, "WAREHOUSE_INTERNAL_AUTH_", InternalAuthCredentials, InternalAuthScopeEnum
            ),
            dashboard_key_credentials=read_api_key(environ, "WAREHOUSE_DASHBOARD_KEY_"),
            bearer_token_credentials=read_bearer(environ, "WAREHOUSE_BEARER_TOKEN_"),
            base_url=read_setting(environ, ENVIRONMENT_PREFIX + "BASE_URL"),
            partner_auth_token_url=read_setting(environ, "WAREHOUSE_PARTNER_AUTH_TOKEN_URL"),
            partner_auth_refresh_url=read_setting(environ, "WAREHOUSE_PARTNER_AUTH_REFRESH_URL"),
            internal_auth_token_url=read_setting(environ, "WAREHOUSE_INTERNAL_AUTH_TOKEN_URL"),
            internal_auth_refresh_url=read_setting(environ, "WAREHOUSE_INTERNAL_AUTH_REFRESH_URL"),
            http_client=http_client,
        )

    @functools.cached_property
    def stock(self) -> StockResource:
        """Articles and their stock levels."""
        from .resources.stock import StockResource

        return StockResource(self._runtime)

    @functools.cached_property
    def shipments(self) -> ShipmentsResource:
        """Shipments leaving the warehouse."""
        from .resources.shipments import ShipmentsResource

        return ShipmentsResource(self._runtime)

    @functools.cached_property
    def documents(self) -> DocumentsResource:
        """Labels, manifests and uploaded files."""
        from .resources.documents import DocumentsResource

        return DocumentsResource(self._runtime)

    @functools.cached_property
    def default(self) -> DefaultResource:
        """Operations tagged 'default'."""
        from .resources.default import DefaultResource

        return DefaultResource(self._runtime)

    def close(self) -> None:
        """Close the HTTP client, if this client created it."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient:
    """Asynchronous client for the Warehouse API.

    Args:
        partner_auth_credentials: OAuth 2.0 client credentials for the partnerAuth scheme; needed by
            the operations that need its token.
        internal_auth_credentials: OAuth 2.0 client credentials for the internalAuth scheme; needed by
            the operations that need its token.
        dashboard_key_credentials: Credentials for the dashboardKey scheme.
        bearer_token_credentials: Credentials for the bearerToken scheme.
        base_url: The API's base URL; by default the spec's first server.
        partner_auth_token_url: The OAuth 2.0 token endpoint of the partnerAuth scheme; by default
            the spec's `tokenUrl`, resolved against `base_url` (RFC 3986).
        partner_auth_refresh_url: The endpoint of the refresh grant of the partnerAuth scheme; by default
            the spec's `refreshUrl`, resolved against `base_url` (the token endpoint in use when the spec's
            `refreshUrl` is its `tokenUrl`); without one, refresh tokens are ignored.
        internal_auth_token_url: The OAuth 2.0 token endpoint of the internalAuth scheme; by default
            the spec's `tokenUrl`, resolved against `base_url` (RFC 3986).
        internal_auth_refresh_url: The endpoint of the refresh grant of the internalAuth scheme; by default
            the spec's `refreshUrl`, resolved against `base_url` (the token endpoint in use when the spec's
            `refreshUrl` is its `tokenUrl`); without one, refresh tokens are ignored.
        http_client: The `httpx2.AsyncClient` for API and token requests alike, so that its proxies, TLS
            settings, timeouts and transport apply to both. By default the client makes its own and
            closes it in `aclose()`.

    An operation uses the first of its security requirements that the client has credentials for (and,
    with fixed `o_auth_scopes`, whose scopes they include).
    """

    def __init__(
        self,
        *,
        partner_auth_credentials: PartnerAuthCredentials | None = None,
        internal_auth_credentials: InternalAuthCredentials | None = None,
        dashboard_key_credentials: ApiKeyCredentials | None = None,
        bearer_token_credentials: HttpBearerCredentials | None = None,
        base_url: str | None = None,
        partner_auth_token_url: str | None = None,
        partner_auth_refresh_url: str | None = None,
        internal_auth_token_url: str | None = None,
        internal_auth_refresh_url: str | None = None,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self.base_url = _runtime.resolve_base_url(base_url, DEFAULT_BASE_URL)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx2.AsyncClient(timeout=_runtime.DEFAULT_TIMEOUT)
        partner_auth_token_url = _runtime.resolve_token_url(
            self.base_url,
            partner_auth_token_url,
            PARTNER_AUTH_TOKEN_URL,
            argument="partner_auth_token_url",
            credentials=partner_auth_credentials,
        )
        self.partner_auth_auth_manager = AsyncPartnerAuthAuthManager(
            partner_auth_credentials,
            token_url=partner_auth_token_url,
            refresh_url=_runtime.resolve_refresh_url(
                self.base_url,
                partner_auth_refresh_url,
                PARTNER_AUTH_REFRESH_URL,
                token_url=partner_auth_token_url,
                spec_token_url=PARTNER_AUTH_TOKEN_URL,
            ),
            http_client=self._http_client,
        )
        """Fetches, caches and renews the OAuth token of the partnerAuth
        scheme; `o_auth_token` gets or sets it."""
        internal_auth_token_url = _runtime.resolve_token_url(
            self.base_url,
            internal_auth_token_url,
            INTERNAL_AUTH_TOKEN_URL,
            argument="internal_auth_token_url",
            credentials=internal_auth_credentials,
        )
        self.internal_auth_auth_manager = AsyncInternalAuthAuthManager(
            internal_auth_credentials,
            token_url=internal_auth_token_url,
            refresh_url=_runtime.resolve_refresh_url(
                self.base_url,
                internal_auth_refresh_url,
                INTERNAL_AUTH_REFRESH_URL,
                token_url=internal_auth_token_url,
                spec_token_url=INTERNAL_AUTH_TOKEN_URL,
            ),
            http_client=self._http_client,
        )
        """Fetches, caches and renews the OAuth token of the internalAuth
        scheme; `o_auth_token` gets or sets it."""
        auth = _runtime.Authentication[AsyncTokenManager](
            {"partnerAuth": self.partner_auth_auth_manager, "internalAuth": self.internal_auth_auth_manager},
            {
                "dashboardKey": (
                    _runtime.StaticAuth(dashboard_key_credentials, "X-Dashboard-Key", "header")
                    if dashboard_key_credentials is not None
                    else None
                ),
                "bearerToken": (
                    _runtime.StaticAuth(bearer_token_credentials) if bearer_token_credentials is not None else None
                ),
            },
            {
                "partnerAuth": "partner_auth_credentials",
                "internalAuth": "internal_auth_credentials",
                "dashboardKey": "dashboard_key_credentials",
                "bearerToken": "bearer_token_credentials",
            },
        )
        self._runtime = _runtime.AsyncRuntime(self._http_client, self.base_url, auth)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, http_client: httpx2.AsyncClient | None = None
    ) -> AsyncClient:
        """A client configured from environment variables.

        Reads `WAREHOUSE_BASE_URL`, `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLIENT_ID`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLIENT_SECRET`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLIENT_AUTHENTICATION`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_PRIVATE_KEY_FILE`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_PRIVATE_KEY_ID`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_SIGNING_ALGORITHM`, `WAREHOUSE_PARTNER_AUTH_O_AUTH_SCOPES`,
        `WAREHOUSE_PARTNER_AUTH_O_AUTH_CLOCK_SKEW`, `WAREHOUSE_PARTNER_AUTH_TOKEN_URL`,
        `WAREHOUSE_PARTNER_AUTH_REFRESH_URL`, `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLIENT_ID`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLIENT_SECRET`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLIENT_AUTHENTICATION`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_PRIVATE_KEY_FILE`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_PRIVATE_KEY_ID`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_SIGNING_ALGORITHM`, `WAREHOUSE_INTERNAL_AUTH_O_AUTH_SCOPES`,
        `WAREHOUSE_INTERNAL_AUTH_O_AUTH_CLOCK_SKEW`, `WAREHOUSE_INTERNAL_AUTH_TOKEN_URL`,
        `WAREHOUSE_INTERNAL_AUTH_REFRESH_URL`, `WAREHOUSE_DASHBOARD_KEY_API_KEY`,
        `WAREHOUSE_BEARER_TOKEN_TOKEN`.

        Raises:
            ValueError: A variable is missing or malformed; the message names it.
        """
        environ = os.environ if environ is None else environ
        return cls(
            partner_auth_credentials=read_client_credentials(
                environ, "WAREHOUSE_PARTNER_AUTH_", PartnerAuthCredentials, PartnerAuthScopeEnum
            ),
            internal_auth_credentials=read_client_credentials(
                environ, "WAREHOUSE_INTERNAL_AUTH_", InternalAuthCredentials, InternalAuthScopeEnum
            ),
            dashboard_key_credentials=read_api_key(environ, "WAREHOUSE_DASHBOARD_KEY_"),
            bearer_token_credentials=read_bearer(environ, "WAREHOUSE_BEARER_TOKEN_"),
            base_url=read_setting(environ, ENVIRONMENT_PREFIX + "BASE_URL"),
            partner_auth_token_url=read_setting(environ, "WAREHOUSE_PARTNER_AUTH_TOKEN_URL"),
            partner_auth_refresh_url=read_setting(environ, "WAREHOUSE_PARTNER_AUTH_REFRESH_URL"),
            internal_auth_token_url=read_setting(environ, "WAREHOUSE_INTERNAL_AUTH_TOKEN_URL"),
            internal_auth_refresh_url=read_setting(environ, "WAREHOUSE_INTERNAL_AUTH_REFRESH_URL"),
            http_client=http_client,
        )

    @functools.cached_property
    def stock(self) -> AsyncStockResource:
        """Articles and their stock levels."""
        from .resources.stock import AsyncStockResource

        return AsyncStockResource(self._runtime)

    @functools.cached_property
    def shipments(self) -> AsyncShipmentsResource:
        """Shipments leaving the warehouse."""
        from .resources.shipments import AsyncShipmentsResource

        return AsyncShipmentsResource(self._runtime)

    @functools.cached_property
    def documents(self) -> AsyncDocumentsResource:
        """Labels, manifests and uploaded files."""
        from .resources.documents import AsyncDocumentsResource

        return AsyncDocumentsResource(self._runtime)

    @functools.cached_property
    def default(self) -> AsyncDefaultResource:
        """Operations tagged 'default'."""
        from .resources.default import AsyncDefaultResource

        return AsyncDefaultResource(self._runtime)

    async def aclose(self) -> None:
        """Close the HTTP client, if this client created it."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()
