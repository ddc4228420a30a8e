"""The request machinery every operation shares: URLs, parameters, bodies, tokens and errors.

Operations are thin: each names its `Endpoint` and hands its arguments to `SyncRuntime.call` or
`AsyncRuntime.call`, which build the request, add the credentials the endpoint needs, send it through
the client's httpx2 client, replay it once with a new OAuth token after an HTTP 401, and decode the
answer.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote, urljoin

import httpx2
import pydantic

from ._auth import (
    AsyncClientCredentialsAuthManager,
    ClientCredentialsAuthCredentials,
    ClientCredentialsAuthManager,
    OAuthToken,
)
from ._exceptions import ApiError

_logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx2.Timeout(60.0, connect=10.0)
"""The timeout of the httpx2 client a Client creates for itself."""

_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")


class _NoBody:
    """Marks an operation called without a request body (None is a valid JSON body)."""


NO_BODY: Any = _NoBody()


@dataclasses.dataclass(frozen=True, slots=True)
class Endpoint(Generic[T]):
    """What an operation sends and what it gets back.

    Attributes:
        method: The HTTP method.
        path: The path template, relative to the base URL, with `{name}` placeholders.
        response_type: The type a successful JSON response is read as; `bytes` for the raw body; None
            when the response has no content.
        security: The alternative security requirements, any one of which suffices, each the keys of
            the security schemes it combines; empty when the operation needs no credentials.
    """

    method: str
    path: str
    response_type: Any
    security: tuple[tuple[str, ...], ...] = ()


def resolve_base_url(base_url: str | None, default: str | None) -> str:
    """The base URL given, else the spec's first server; an error when there is neither."""
    url = base_url or default
    if not url:
        raise ValueError(
            "the spec names no absolute server URL: create the client with base_url=..."
        )
    return url


def resolve_token_url(
    base_url: str,
    token_url: str | None,
    spec_token_url: str,
    *,
    argument: str,
    credentials: ClientCredentialsAuthCredentials | None,
) -> str | None:
    """The token URL given, else the spec's tokenUrl resolved against the base URL (RFC 3986).

    Raises:
        ValueError: The spec names no token URL, none was given, and the credentials need one.
    """
    if token_url:
        return token_url
    if spec_token_url:
        return urljoin(base_url, spec_token_url)
    if credentials is not None and credentials.o_auth_token_provider is None:
        raise ValueError(f"the spec names no token URL: create the client with {argument}=...")
    return None


def _text(value: Any) -> str:
    if isinstance(value, Enum):
        return _text(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _path_segment(value: Any) -> str:
    # Arrays use the "simple" style: comma-separated.
    items = value if isinstance(value, list) else [value]
    return ",".join(quote(_text(item), safe="") for item in items)


@functools.lru_cache(maxsize=None)
def _adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(type_)


def _json_body(body: Any) -> bytes:
    # Fields the caller never set are left out, so "not sent" stays distinct from null.
    if isinstance(body, pydantic.BaseModel):
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode()
    return _adapter(Any).dump_json(body, by_alias=True, exclude_unset=True)


def build_request(
    http_client: httpx2.Client | httpx2.AsyncClient,
    base_url: str,
    endpoint: Endpoint[Any],
    path: Mapping[str, Any],
    query: Mapping[str, Any],
    headers: Mapping[str, Any],
    body: Any,
) -> httpx2.Request:
    """The HTTP request for one call of an operation; `base_url` has no trailing slash."""
    url = base_url + _PATH_PARAMETER.sub(lambda match: _path_segment(path[match[1]]), endpoint.path)
    params = httpx2.QueryParams(
        [
            (name, _text(item))
            for name, value in query.items()
            if value is not None
            for item in (value if isinstance(value, list) else [value])
        ]
    )
    header_values = {
        name: ",".join(map(_text, value)) if isinstance(value, list) else _text(value)
        for name, value in headers.items()
        if value is not None
    }
    if (
        http_client.headers.get("Accept", "*/*") == "*/*"
    ):  # an Accept the user set on the client wins
        header_values.setdefault("Accept", "application/json")
    content = None
    if body is not NO_BODY:
        content = _json_body(body)
        header_values["Content-Type"] = "application/json"
    return http_client.build_request(
        endpoint.method, url, params=params, headers=header_values, content=content
    )


def _authorize(request: httpx2.Request, token: OAuthToken) -> httpx2.Request:
    request.headers["Authorization"] = f"Bearer {token.access_token}"
    return request


Manager = TypeVar("Manager", ClientCredentialsAuthManager, AsyncClientCredentialsAuthManager)


class Authentication(Generic[Manager]):
    """The credentials a client was given, by the key of their security scheme.

    Args:
        managers: The OAuth token manager of each client-credentials scheme.
        static: The credentials of each other scheme that the client was given.
        arguments: The client argument that configures each scheme, for error messages.
    """

    def __init__(
        self,
        managers: Mapping[str, Manager],
        static: Mapping[str, Any],
        arguments: Mapping[str, str],
    ) -> None:
        self._managers: Mapping[str, Manager] = managers
        self._static = {key: auth for key, auth in static.items() if auth is not None}
        self._arguments = arguments

    def choose(self, security: tuple[tuple[str, ...], ...]) -> tuple[Any, ...]:
        """What the first requirement the client has credentials for needs: an OAuth manager or static
        credentials per scheme. A requirement of no scheme is used only when no other can be met.

        Raises:
            ValueError: The client has no credentials for any requirement; the message names the
                client arguments that would do.
        """
        for requirement in security:
            if requirement and all(self._has(key) for key in requirement):
                return tuple(self._managers.get(key) or self._static[key] for key in requirement)
        if not security or () in security:
            return ()
        options = " or ".join(
            " and ".join(self._arguments[key] for key in requirement) for requirement in security
        )
        raise ValueError(f"this operation needs credentials: create the client with {options}")

    def _has(self, key: str) -> bool:
        manager = self._managers.get(key)
        return manager.is_configured() if manager is not None else key in self._static


def decode_response(endpoint: Endpoint[T], response: httpx2.Response) -> T:
    """The response body as the endpoint's type, or an ApiError for an error status."""
    if not response.is_success:
        request = response.request
        raise ApiError(
            f"{request.method} {request.url.path} failed with HTTP {response.status_code}",
            status_code=response.status_code,
            body=_error_body(response),
        )
    if endpoint.response_type is None:
        return cast(T, None)
    if endpoint.response_type is bytes:
        return cast(T, response.content)
    return cast(T, _adapter(endpoint.response_type).validate_json(response.content))


def _error_body(response: httpx2.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


class SyncRuntime:
    """Sends the requests of a `Client`."""

    def __init__(
        self,
        http_client: httpx2.Client,
        base_url: str,
        auth: Authentication[ClientCredentialsAuthManager],
    ) -> None:
        self._http_client = http_client
        self._base_url = base_url.rstrip("/")
        self._auth = auth

    def call(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, Any] = {},
        query: Mapping[str, Any] = {},
        headers: Mapping[str, Any] = {},
        body: Any = NO_BODY,
    ) -> T:
        request = build_request(
            self._http_client, self._base_url, endpoint, path, query, headers, body
        )
        manager = _apply_static(
            request, self._auth.choose(endpoint.security), ClientCredentialsAuthManager
        )
        if manager is None:
            return decode_response(endpoint, self._http_client.send(request))
        token = manager.token()
        response = self._http_client.send(_authorize(request, token))
        if response.status_code == 401 and manager.can_renew():
            _logger.debug(
                "the API refused the OAuth token (HTTP 401); retrying once with a new token"
            )
            response.close()
            manager.reject(token)
            response = self._http_client.send(_authorize(request, manager.token()))
        return decode_response(endpoint, response)


class AsyncRuntime:
    """Sends the requests of an `AsyncClient`."""

    def __init__(
        self,
        http_client: httpx2.AsyncClient,
        base_url: str,
        auth: Authentication[AsyncClientCredentialsAuthManager],
    ) -> None:
        self._http_client = http_client
        self._base_url = base_url.rstrip("/")
        self._auth = auth

    async def call(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, Any] = {},
        query: Mapping[str, Any] = {},
        headers: Mapping[str, Any] = {},
        body: Any = NO_BODY,
    ) -> T:
        request = build_request(
            self._http_client, self._base_url, endpoint, path, query, headers, body
        )
        manager = _apply_static(
            request, self._auth.choose(endpoint.security), AsyncClientCredentialsAuthManager
        )
        if manager is None:
            return decode_response(endpoint, await self._http_client.send(request))
        token = await manager.token()
        response = await self._http_client.send(_authorize(request, token))
        if response.status_code == 401 and manager.can_renew():
            _logger.debug(
                "the API refused the OAuth token (HTTP 401); retrying once with a new token"
            )
            await response.aclose()
            manager.reject(token)
            response = await self._http_client.send(_authorize(request, await manager.token()))
        return decode_response(endpoint, response)


def _apply_static(
    request: httpx2.Request, chosen: tuple[Any, ...], manager_type: type[Manager]
) -> Manager | None:
    """Add the chosen static credentials to the request; the OAuth manager among the chosen, if any."""
    manager: Manager | None = None
    for auth in chosen:
        if isinstance(auth, manager_type):
            manager = auth
    return manager
