"""The request machinery every operation shares: URLs, parameters, bodies, tokens and errors.

Operations are thin: each names its `Endpoint` and hands its arguments to `SyncRuntime.call` or
`AsyncRuntime.call`, which build the request, add the credentials the endpoint needs, send it through
the client's httpx2 client, replay it once with a new OAuth token after an HTTP 401, and decode the
answer.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import re
import secrets
from collections.abc import Callable, Collection, Mapping
from typing import IO, Any, Generic, Literal, TypeAlias, TypeVar, cast
from urllib.parse import quote, urljoin

import httpx2
import pydantic

from ._auth import (
    AsyncTokenManager,
    ClientCredentialsAuthCredentials,
    OAuthToken,
    TokenManager,
)
from ._exceptions import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

_logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx2.Timeout(60.0, connect=10.0)
"""The timeout of the httpx2 client a `Client` creates for itself."""

_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")

FileContent: TypeAlias = bytes | IO[bytes]
FileInput: TypeAlias = FileContent | tuple[str, FileContent] | tuple[str, FileContent, str]
"""A file to upload: its content, or a (filename, content) or (filename, content, content type) tuple."""
BodyFormat = Literal["json", "form", "multipart", "text", "binary"]
ResponseFormat = Literal["json", "text", "binary"]


class _NoBody:
    """Marks an operation called without a request body (None is a valid JSON body)."""


NO_BODY: Any = _NoBody()


@dataclasses.dataclass(frozen=True, slots=True)
class Style:
    """How a parameter's value is written: an OpenAPI `style`, and whether arrays and objects explode."""

    name: str
    explode: bool = False


_DEFAULT_STYLES = {
    "path": Style("simple"),
    "query": Style("form", explode=True),
    "header": Style("simple"),
    "cookie": Style("form", explode=True),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Endpoint(Generic[T]):
    """What an operation sends and what it gets back.

    Attributes:
        method: The HTTP method.
        path: The path template, relative to the base URL, with `{name}` placeholders.
        response_type: The type a successful response is read as; None when it has no content.
        security: The alternative security requirements, any one of which suffices, each the keys of
            the security schemes it combines with the OAuth scopes it needs of each; empty when the
            operation needs no credentials.
        styles: The parameters sent in another style than their location's default, by location and name.
        errors: The type the body of each declared error status (`404`, `4XX`, `default`) is parsed as.
        body_format: How the request body is encoded.
        body_required: Whether a body is sent even when the call gives no field of it (an empty form).
        content_type: The media type of the request body.
        response_format: How a successful response is read: JSON, text or bytes.
        accept: The media types asked for (the Accept header).
        headers: Headers the spec fixes, such as the `Content-Type` of an operation without a body.
    """

    method: str
    path: str
    response_type: Any
    security: tuple[Mapping[str, Collection[str]], ...] = ()
    styles: Mapping[tuple[str, str], Style] = dataclasses.field(default_factory=dict)
    errors: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    body_format: BodyFormat = "json"
    body_required: bool = False
    content_type: str = "application/json"
    response_format: ResponseFormat = "json"
    accept: str = "application/json"
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen sets keep their hash: the token cache looks a scope set up on every call.
        security = tuple({key: frozenset(scopes) for key, scopes in each.items()} for each in self.security)
        object.__setattr__(self, "security", security)


@dataclasses.dataclass(frozen=True, slots=True)
class Arguments:
    """The values of one call, by where they are sent; keys are names on the wire. None is not sent."""

    path: Mapping[str, Any]
    query: Mapping[str, Any]
    headers: Mapping[str, Any]
    cookies: Mapping[str, Any]
    body: Any
    form: Mapping[str, Any]
    """Form fields of a form or multipart body."""
    files: Mapping[str, FileInput | list[FileInput] | None]


def resolve_base_url(base_url: str | None, default: str | None) -> str:
    """The base URL given, else the spec's first server; an error when there is neither."""
    url = base_url or default
    if not url:
        raise ValueError("the spec names no absolute server URL: create the client with base_url=...")
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


def resolve_url(base_url: str, url: str | None, spec_url: str | None) -> str | None:
    """The URL given, else the spec's resolved against the base URL (RFC 3986); None without either."""
    if url:
        return url
    return urljoin(base_url, spec_url) if spec_url else None


def resolve_refresh_url(
    base_url: str,
    refresh_url: str | None,
    spec_refresh_url: str | None,
    *,
    token_url: str | None,
    spec_token_url: str,
) -> str | None:
    """The refresh URL given; else the token URL in use when the spec names one URL for both, so that
    a token URL given for another server takes the refresh grant along; else the spec's refreshUrl
    resolved against the base URL; None without any."""
    if not refresh_url and spec_refresh_url and spec_refresh_url == spec_token_url:
        return token_url
    return resolve_url(base_url, refresh_url, spec_refresh_url)


@functools.lru_cache(maxsize=None)
def _adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(type_)


def _plain(value: Any) -> Any:
    """A value as JSON data: models as dicts of their wire names, enums as their values, dates as text."""
    return _adapter(Any).dump_python(value, mode="json", by_alias=True, exclude_none=True)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):  # nested deeper than styles go
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else str(value)


# --- parameters -----------------------------------------------------------------------------------
#
# Each style is an RFC 6570 expansion: what comes before the value, what separates exploded items,
# what separates the items of one unexploded value, and whether items are written `name=value`.


@dataclasses.dataclass(frozen=True, slots=True)
class _Expansion:
    prefix: str
    separator: str
    delimiter: str
    named: bool
    encode: Callable[[str], str] = functools.partial(quote, safe="")


_EXPANSIONS: dict[tuple[str, str], _Expansion] = {
    ("path", "simple"): _Expansion("", ",", ",", named=False),
    ("path", "label"): _Expansion(".", ".", ",", named=False),
    ("path", "matrix"): _Expansion(";", ";", ",", named=True),
    ("query", "form"): _Expansion("", "&", ",", named=True),
    ("query", "spaceDelimited"): _Expansion("", "&", "%20", named=True),
    ("query", "pipeDelimited"): _Expansion("", "&", "%7C", named=True),
    ("header", "simple"): _Expansion("", ",", ",", named=False, encode=str),
    ("cookie", "form"): _Expansion("", "; ", ",", named=True),
}


def _expand(name: str, value: Any, expansion: _Expansion, explode: bool) -> str:
    """One parameter written in a style: `{"R": 1, "G": 2}` as `R=1,G=2`, `;color=R,1,G,2`, ..."""
    encode = expansion.encode
    named = f"{encode(name)}=" if expansion.named else ""
    if isinstance(value, dict) and explode:
        pairs = (f"{encode(key)}={encode(_text(item))}" for key, item in value.items())
        return expansion.prefix + expansion.separator.join(pairs)
    if isinstance(value, list) and explode:
        return expansion.prefix + expansion.separator.join(named + encode(_text(item)) for item in value)
    items = [part for pair in value.items() for part in pair] if isinstance(value, dict) else value
    if isinstance(items, list):
        return expansion.prefix + named + expansion.delimiter.join(encode(_text(item)) for item in items)
    return expansion.prefix + named + encode(_text(value))


def _deep_object(name: str, value: Any) -> str:
    """`filter[status]=open&filter[tag]=a&filter[tag]=b`: nested objects nest brackets, arrays repeat."""
    if isinstance(value, dict):
        return "&".join(_deep_object(f"{name}[{quote(str(key), safe='')}]", item) for key, item in value.items())
    if isinstance(value, list):
        return "&".join(_deep_object(name, item) for item in value)
    return f"{name}={quote(_text(value), safe='')}"


def _parameter(endpoint: Endpoint[Any], location: str, name: str, value: Any) -> str:
    style = endpoint.styles.get((location, name), _DEFAULT_STYLES[location])
    plain = _plain(value)
    if style.name == "deepObject":
        return _deep_object(quote(name, safe=""), plain)
    return _expand(name, plain, _EXPANSIONS[(location, style.name)], style.explode)


def _located(endpoint: Endpoint[Any], location: str, values: Mapping[str, Any], separator: str) -> str:
    written = (_parameter(endpoint, location, name, value) for name, value in values.items() if value is not None)
    return separator.join(text for text in written if text)


# --- bodies ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _EncodedBody:
    content: bytes | None = None
    files: list[tuple[str, Any]] | None = None
    content_type: str | None = None


def _json_body(body: Any) -> bytes:
    # Fields the caller never set are left out, so "not sent" stays distinct from null.
    if isinstance(body, pydantic.BaseModel):
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode()
    return _adapter(Any).dump_json(body, by_alias=True, exclude_unset=True)


def _fields(arguments: Arguments) -> Mapping[str, Any]:
    """The form fields: the field arguments, or the dict passed as the body."""
    return arguments.form if arguments.body is NO_BODY else cast(Mapping[str, Any], arguments.body)


def _encode_json(endpoint: Endpoint[Any], arguments: Arguments) -> _EncodedBody:
    return _EncodedBody(content=_json_body(arguments.body), content_type=endpoint.content_type)


def _encode_form(endpoint: Endpoint[Any], arguments: Arguments) -> _EncodedBody:
    # Form fields are written like query parameters in the form style (OpenAPI's default encoding).
    form = _EXPANSIONS[("query", "form")]
    fields = _fields(arguments).items()
    text = "&".join(_expand(name, _plain(value), form, True) for name, value in fields if value is not None)
    return _EncodedBody(content=text.encode(), content_type=endpoint.content_type)


def _encode_multipart(endpoint: Endpoint[Any], arguments: Arguments) -> _EncodedBody:
    # httpx2 writes the parts and the Content-Type with its boundary. Text fields go as parts without a
    # file name, (None, text): given as its `data` with no file, they would be sent form-urlencoded.
    parts: list[tuple[str, Any]] = [
        (name, (None, _text(item)))
        for name, value in _fields(arguments).items()
        if value is not None
        for plain in [_plain(value)]
        for item in (plain if isinstance(plain, list) else [plain])
    ]
    parts += [
        (name, _file(name, item))
        for name, value in arguments.files.items()
        if value is not None
        for item in (value if isinstance(value, list) else [value])
    ]
    if parts:
        return _EncodedBody(files=parts)
    # A required body with no part: only the closing delimiter. RFC 2046 asks for a part, but servers
    # (and Prism) read this as the empty form it stands for, and sending nothing is refused.
    boundary = secrets.token_hex(16)
    return _EncodedBody(
        content=f"--{boundary}--\r\n".encode(), content_type=f"multipart/form-data; boundary={boundary}"
    )


def _file(name: str, value: FileInput) -> FileInput:
    """A file part: bare content is named after its field (or its file) and sent as octet-stream."""
    if isinstance(value, tuple):
        return value
    filename = os.path.basename(str(getattr(value, "name", ""))) or name
    return filename, value, "application/octet-stream"


def _encode_text(endpoint: Endpoint[Any], arguments: Arguments) -> _EncodedBody:
    return _EncodedBody(content=str(arguments.body).encode(), content_type=endpoint.content_type)


def _encode_binary(endpoint: Endpoint[Any], arguments: Arguments) -> _EncodedBody:
    body = arguments.body
    content = body if isinstance(body, bytes) else cast(IO[bytes], body).read()
    return _EncodedBody(content=content, content_type=endpoint.content_type)


_BODY_ENCODERS: dict[str, Callable[[Endpoint[Any], Arguments], _EncodedBody]] = {
    "json": _encode_json,
    "form": _encode_form,
    "multipart": _encode_multipart,
    "text": _encode_text,
    "binary": _encode_binary,
}


def _encode_body(endpoint: Endpoint[Any], arguments: Arguments) -> _EncodedBody:
    if not endpoint.body_required and _nothing_given(arguments):
        return _EncodedBody()
    return _BODY_ENCODERS[endpoint.body_format](endpoint, arguments)


def _nothing_given(arguments: Arguments) -> bool:
    """Whether the call gives no body and no field or file of one."""
    return (
        arguments.body is NO_BODY
        and all(value is None for value in arguments.form.values())
        and all(value is None for value in arguments.files.values())
    )


def build_request(
    http_client: httpx2.Client | httpx2.AsyncClient, base_url: str, endpoint: Endpoint[Any], arguments: Arguments
) -> httpx2.Request:
    """The HTTP request for one call of an operation; `base_url` has no trailing slash."""
    path = _PATH_PARAMETER.sub(
        lambda match: _parameter(endpoint, "path", match[1], arguments.path[match[1]]), endpoint.path
    )
    headers = dict(endpoint.headers)
    headers.update(
        (name, _parameter(endpoint, "header", name, value))
        for name, value in arguments.headers.items()
        if value is not None
    )
    if http_client.headers.get("Accept", "*/*") == "*/*":  # an Accept the user set on the client wins
        headers.setdefault("Accept", endpoint.accept)
    body = _encode_body(endpoint, arguments)
    if body.content_type:
        headers["Content-Type"] = body.content_type
    request = http_client.build_request(
        endpoint.method, base_url + path, headers=headers, content=body.content, files=body.files
    )
    # The query is written here rather than by httpx2, which cannot write the non-default styles; the
    # client's own params stay first.
    query = _located(endpoint, "query", arguments.query, "&")
    if query:
        existing = request.url.query
        request.url = request.url.copy_with(query=(existing + b"&" if existing else b"") + query.encode())
    cookies = _located(endpoint, "cookie", arguments.cookies, "; ")
    if cookies:  # next to the cookies of the client's cookie jar
        request.headers["Cookie"] = "; ".join(filter(None, [request.headers.get("Cookie"), cookies]))
    return request


def _authorize(request: httpx2.Request, token: OAuthToken) -> httpx2.Request:
    request.headers["Authorization"] = f"Bearer {token.access_token}"
    return request


Manager = TypeVar("Manager", TokenManager, AsyncTokenManager)


class Authentication(Generic[Manager]):
    """The credentials a client was given, by the key of their security scheme.

    Args:
        managers: The OAuth token manager of each OAuth 2.0 or OpenID Connect scheme.
        static: The credentials of each other scheme that the client was given.
        arguments: The client argument that configures each scheme, for error messages.
    """

    def __init__(
        self, managers: Mapping[str, Manager], static: Mapping[str, Any], arguments: Mapping[str, str]
    ) -> None:
        self._managers: Mapping[str, Manager] = managers
        self._static = {key: auth for key, auth in static.items() if auth is not None}
        self._arguments = arguments

    def choose(self, endpoint: Endpoint[Any]) -> tuple[tuple[Any, Collection[str]], ...]:
        """What the first requirement the client can meet needs: per scheme, an OAuth manager or static
        credentials, with the scopes the requirement names. A requirement of no scheme is used only when
        no other can be met; one needing a scope outside a manager's fixed `o_auth_scopes` cannot be.

        Raises:
            ValueError: No requirement can be met; the message names the scopes `o_auth_scopes` lacks
                or else the client arguments that would do. Nothing has been sent.
        """
        security = endpoint.security
        for requirement in security:
            if requirement and all(self._can_meet(key, scopes) for key, scopes in requirement.items()):
                return tuple(
                    (self._managers.get(key) or self._static[key], scopes) for key, scopes in requirement.items()
                )
        if not security or {} in security:
            return ()
        raise ValueError(self._unmet(endpoint))

    def _can_meet(self, key: str, scopes: Collection[str]) -> bool:
        manager = self._managers.get(key)
        if manager is None:
            return key in self._static
        return manager.is_configured() and manager.permits(scopes)

    def _unmet(self, endpoint: Endpoint[Any]) -> str:
        configured = [each for each in endpoint.security if all(self._can_meet(key, ()) for key in each)]
        if not configured:
            options = " or ".join(" and ".join(self._arguments[key] for key in each) for each in endpoint.security)
            return f"this operation needs credentials: create the client with {options}"
        lacking = [
            (manager, manager.unpermitted(scopes))
            for each in configured
            for key, scopes in each.items()
            if (manager := self._managers.get(key)) is not None
        ]
        granting = " or ".join(dict.fromkeys(", ".join(map(repr, sorted(scopes))) for _, scopes in lacking if scopes))
        advice = next((manager.scope_advice() for manager, scopes in lacking if scopes), "which it lacks")
        return f"{endpoint.method} {endpoint.path} needs an OAuth token granting {granting or 'other scopes'}, {advice}"


def decode_response(endpoint: Endpoint[T], response: httpx2.Response) -> T:
    """The response body as the endpoint's type, or an ApiError for an error status."""
    if not response.is_success:
        raise _api_error(endpoint, response)
    if endpoint.response_type is None:
        return cast(T, None)
    return cast(T, _DECODERS[endpoint.response_format](endpoint.response_type, response))


def _decode_json(response_type: Any, response: httpx2.Response) -> Any:
    if not response.content:  # a success status declared without content
        return _adapter(response_type).validate_python(None)
    return _adapter(response_type).validate_json(response.content)


_DECODERS: dict[str, Callable[[Any, httpx2.Response], Any]] = {
    "json": _decode_json,
    "text": lambda response_type, response: response.text,
    "binary": lambda response_type, response: response.content,
}

_ERRORS_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _api_error(endpoint: Endpoint[Any], response: httpx2.Response) -> ApiError:
    status = response.status_code
    error_class = _ERRORS_BY_STATUS.get(status, InternalServerError if status >= 500 else ApiError)
    request = response.request
    return error_class(
        f"{request.method} {request.url.path} failed with HTTP {status}",
        status_code=status,
        headers=response.headers,
        body=_error_body(endpoint, response),
    )


def _error_body(endpoint: Endpoint[Any], response: httpx2.Response) -> Any:
    """The body as the model the spec declares for the status when it fits; else the JSON, else the text."""
    try:
        data = response.json()
    except ValueError:
        return response.text
    status = str(response.status_code)
    declared = endpoint.errors.get(status, endpoint.errors.get(f"{status[0]}XX", endpoint.errors.get("default")))
    if declared is not None:
        try:
            return _adapter(declared).validate_python(data)
        except pydantic.ValidationError:
            pass  # the server sent something else than declared: the raw JSON tells more than an error
    return data


class SyncRuntime:
    """Sends the requests of a `Client`."""

    def __init__(self, http_client: httpx2.Client, base_url: str, auth: Authentication[TokenManager]) -> None:
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
        cookies: Mapping[str, Any] = {},
        body: Any = NO_BODY,
        form: Mapping[str, Any] = {},
        files: Mapping[str, FileInput | list[FileInput] | None] = {},
    ) -> T:
        arguments = Arguments(path, query, headers, cookies, body, form, files)
        request = build_request(self._http_client, self._base_url, endpoint, arguments)
        chosen = _apply_static(request, self._auth.choose(endpoint), TokenManager)
        if chosen is None:
            return decode_response(endpoint, self._http_client.send(request))
        manager, scopes = chosen
        token = manager.token(scopes)
        response = self._http_client.send(_authorize(request, token))
        if response.status_code == 401 and manager.can_renew():
            _logger.debug("the API refused the OAuth token (HTTP 401); retrying once with a new token")
            response.close()
            manager.reject(token)
            response = self._http_client.send(_authorize(request, manager.token(scopes)))
        return decode_response(endpoint, response)


class AsyncRuntime:
    """Sends the requests of an `AsyncClient`."""

    def __init__(self, http_client: httpx2.AsyncClient, base_url: str, auth: Authentication[AsyncTokenManager]) -> None:
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
        cookies: Mapping[str, Any] = {},
        body: Any = NO_BODY,
        form: Mapping[str, Any] = {},
        files: Mapping[str, FileInput | list[FileInput] | None] = {},
    ) -> T:
        arguments = Arguments(path, query, headers, cookies, body, form, files)
        request = build_request(self._http_client, self._base_url, endpoint, arguments)
        chosen = _apply_static(request, self._auth.choose(endpoint), AsyncTokenManager)
        if chosen is None:
            return decode_response(endpoint, await self._http_client.send(request))
        manager, scopes = chosen
        token = await manager.token(scopes)
        response = await self._http_client.send(_authorize(request, token))
        if response.status_code == 401 and manager.can_renew():
            _logger.debug("the API refused the OAuth token (HTTP 401); retrying once with a new token")
            await response.aclose()
            manager.reject(token)
            response = await self._http_client.send(_authorize(request, await manager.token(scopes)))
        return decode_response(endpoint, response)


def _apply_static(
    request: httpx2.Request, chosen: tuple[tuple[Any, Collection[str]], ...], manager_type: type[Manager]
) -> tuple[Manager, Collection[str]] | None:
    """Add the chosen static credentials to the request; the OAuth manager among the chosen, if any, with
    the scopes the operation needs of it."""
    manager: tuple[Manager, Collection[str]] | None = None
    for auth, scopes in chosen:
        if isinstance(auth, manager_type):
            manager = auth, scopes
    return manager
