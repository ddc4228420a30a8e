"""The clients of the httpCCG API: `Client` (blocking) and `AsyncClient` (asyncio)."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import httpx2

from . import _runtime
from ._auth import (
    AsyncClientCredentialsAuthManager,
    AsyncTokenManager,
    ClientCredentialsAuthCredentials,
    ClientCredentialsAuthManager,
    TokenManager,
)
from ._environment import (
    read_client_credentials,
    read_setting,
)
from ._scopes import OAuthScopeEnum

if TYPE_CHECKING:
    from .resources.items import AsyncItemsResource, ItemsResource
    from .resources.service import AsyncServiceResource, ServiceResource

DEFAULT_BASE_URL: str | None = "http://127.0.0.1:8080/api/v1"
"""The API's first server in the spec."""
SPEC_TOKEN_URL = "/oauth/token"
"""The `tokenUrl` of the spec's ClientCredentialsAuth scheme; a relative one is resolved against the base URL."""
SPEC_REFRESH_URL: str | None = "/oauth/token"
"""The `refreshUrl` of the spec's ClientCredentialsAuth scheme, resolved like the token URL; None when it names none."""
ENVIRONMENT_PREFIX = "HTTPCCG_"


class Client:
    """Blocking client for the httpCCG API.

    Args:
        client_credentials_auth_credentials: OAuth 2.0 client credentials; needed by
            the operations that need a token.
        base_url: The API's base URL; by default the spec's first server.
        token_url: The OAuth 2.0 token endpoint; by default
            the spec's `tokenUrl`, resolved against `base_url` (RFC 3986).
        refresh_url: The endpoint of the refresh grant; by default
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
        client_credentials_auth_credentials: ClientCredentialsAuthCredentials | None = None,
        base_url: str | None = None,
        token_url: str | None = None,
        refresh_url: str | None = None,
        http_client: httpx2.Client | None = None,
    ) -> None:
        self.base_url = _runtime.resolve_base_url(base_url, DEFAULT_BASE_URL)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx2.Client(timeout=_runtime.DEFAULT_TIMEOUT)
        token_url = _runtime.resolve_token_url(
            self.base_url,
            token_url,
            SPEC_TOKEN_URL,
            argument="token_url",
            credentials=client_credentials_auth_credentials,
        )
        self.client_credentials_auth_manager = ClientCredentialsAuthManager(
            client_credentials_auth_credentials,
            token_url=token_url,
            refresh_url=_runtime.resolve_refresh_url(
                self.base_url,
                refresh_url,
                SPEC_REFRESH_URL,
                token_url=token_url,
                spec_token_url=SPEC_TOKEN_URL,
            ),
            http_client=self._http_client,
        )
        """Fetches, caches and renews the OAuth token; `o_auth_token` gets or sets it."""
        auth = _runtime.Authentication[TokenManager](
            {"ClientCredentialsAuth": self.client_credentials_auth_manager},
            {},
            {"ClientCredentialsAuth": "client_credentials_auth_credentials"},
        )
        self._runtime = _runtime.SyncRuntime(self._http_client, self.base_url, auth)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, http_client: httpx2.Client | None = None
    ) -> Client:
        """A client configured from environment variables.

        Reads `HTTPCCG_BASE_URL`, `HTTPCCG_O_AUTH_CLIENT_ID`, `HTTPCCG_O_AUTH_CLIENT_SECRET`,
        `HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION`, `HTTPCCG_O_AUTH_PRIVATE_KEY_FILE`,
        `HTTPCCG_O_AUTH_PRIVATE_KEY_ID`, `HTTPCCG_O_AUTH_SIGNING_ALGORITHM`,
        `HTTPCCG_O_AUTH_SCOPES`, `HTTPCCG_O_AUTH_CLOCK_SKEW`, `HTTPCCG_TOKEN_URL`,
        `HTTPCCG_REFRESH_URL`.

        Raises:
            ValueError: A variable is missing or malformed; the message names it.
        """
        environ = os.environ if environ is None else environ
        return cls(
            client_credentials_auth_credentials=read_client_credentials(
                environ, "HTTPCCG_", ClientCredentialsAuthCredentials, OAuthScopeEnum
            ),
            base_url=read_setting(environ, ENVIRONMENT_PREFIX + "BASE_URL"),
            token_url=read_setting(environ, "HTTPCCG_TOKEN_URL"),
            refresh_url=read_setting(environ, "HTTPCCG_REFRESH_URL"),
            http_client=http_client,
        )

    @functools.cached_property
    def items(self) -> ItemsResource:
        """Items held in the inventory."""
        from .resources.items import ItemsResource

        return ItemsResource(self._runtime)

    @functools.cached_property
    def service(self) -> ServiceResource:
        """Information about the service itself."""
        from .resources.service import ServiceResource

        return ServiceResource(self._runtime)

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
    """Asynchronous client for the httpCCG API.

    Args:
        client_credentials_auth_credentials: OAuth 2.0 client credentials; needed by
            the operations that need a token.
        base_url: The API's base URL; by default the spec's first server.
        token_url: The OAuth 2.0 token endpoint; by default
            the spec's `tokenUrl`, resolved against `base_url` (RFC 3986).
        refresh_url: The endpoint of the refresh grant; by default
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
        client_credentials_auth_credentials: ClientCredentialsAuthCredentials | None = None,
        base_url: str | None = None,
        token_url: str | None = None,
        refresh_url: str | None = None,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self.base_url = _runtime.resolve_base_url(base_url, DEFAULT_BASE_URL)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx2.AsyncClient(timeout=_runtime.DEFAULT_TIMEOUT)
        token_url = _runtime.resolve_token_url(
            self.base_url,
            token_url,
            SPEC_TOKEN_URL,
            argument="token_url",
            credentials=client_credentials_auth_credentials,
        )
        self.client_credentials_auth_manager = AsyncClientCredentialsAuthManager(
            client_credentials_auth_credentials,
            token_url=token_url,
            refresh_url=_runtime.resolve_refresh_url(
                self.base_url,
                refresh_url,
                SPEC_REFRESH_URL,
                token_url=token_url,
                spec_token_url=SPEC_TOKEN_URL,
            ),
            http_client=self._http_client,
        )
        """Fetches, caches and renews the OAuth token; `o_auth_token` gets or sets it."""
        auth = _runtime.Authentication[AsyncTokenManager](
            {"ClientCredentialsAuth": self.client_credentials_auth_manager},
            {},
            {"ClientCredentialsAuth": "client_credentials_auth_credentials"},
        )
        self._runtime = _runtime.AsyncRuntime(self._http_client, self.base_url, auth)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, http_client: httpx2.AsyncClient | None = None
    ) -> AsyncClient:
        """A client configured from environment variables.

        Reads `HTTPCCG_BASE_URL`, `HTTPCCG_O_AUTH_CLIENT_ID`, `HTTPCCG_O_AUTH_CLIENT_SECRET`,
        `HTTPCCG_O_AUTH_CLIENT_AUTHENTICATION`, `HTTPCCG_O_AUTH_PRIVATE_KEY_FILE`,
        `HTTPCCG_O_AUTH_PRIVATE_KEY_ID`, `HTTPCCG_O_AUTH_SIGNING_ALGORITHM`,
        `HTTPCCG_O_AUTH_SCOPES`, `HTTPCCG_O_AUTH_CLOCK_SKEW`, `HTTPCCG_TOKEN_URL`,
        `HTTPCCG_REFRESH_URL`.

        Raises:
            ValueError: A variable is missing or malformed; the message names it.
        """
        environ = os.environ if environ is None else environ
        return cls(
            client_credentials_auth_credentials=read_client_credentials(
                environ, "HTTPCCG_", ClientCredentialsAuthCredentials, OAuthScopeEnum
            ),
            base_url=read_setting(environ, ENVIRONMENT_PREFIX + "BASE_URL"),
            token_url=read_setting(environ, "HTTPCCG_TOKEN_URL"),
            refresh_url=read_setting(environ, "HTTPCCG_REFRESH_URL"),
            http_client=http_client,
        )

    @functools.cached_property
    def items(self) -> AsyncItemsResource:
        """Items held in the inventory."""
        from .resources.items import AsyncItemsResource

        return AsyncItemsResource(self._runtime)

    @functools.cached_property
    def service(self) -> AsyncServiceResource:
        """Information about the service itself."""
        from .resources.service import AsyncServiceResource

        return AsyncServiceResource(self._runtime)

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
