"""OAuth 2.0 authentication: credentials, tokens, and the managers that keep them fresh.

Client credentials get tokens of their own (the client-credentials grant); a user's tokens, which a flow
outside the SDK obtains (authorization code, OpenID Connect), are given to the SDK or supplied by a provider
and renewed with the refresh grant. The rest of this text is about client credentials.

One manager belongs to each client. It fetches a token when an operation needs one, reuses it until it
is about to expire, and fetches again. Without fixed `o_auth_scopes` each operation's token is asked for
with the scopes its own security requirement names, and tokens are kept per scope set. A token request
that fails in a passing way (HTTP 429 or 5xx, a connection error, a timeout) is retried as its
`TokenRetryPolicy` allows; a refusal is not. Any number of threads (or asyncio tasks) that need a token
for the same scopes at the same moment share one acquisition. A failed acquisition is never remembered:
the next call tries again. When a token response carries a refresh token and the client has a refresh
URL, renewal tries the refresh grant first and falls back to client credentials. Secrets (client secrets,
private keys, client assertions, tokens) never appear in `repr`, in error messages, in log records or in
token events.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import dataclasses
import email.utils
import functools
import hashlib
import importlib
import inspect
import logging
import math
import random
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args
from urllib.parse import quote_plus

import httpx2
import pydantic

if TYPE_CHECKING:
    # Imported where the asynchronous manager waits: importing asyncio would add a tenth to the import of
    # the package, and a blocking client never needs it.
    import asyncio

from ._exceptions import OAuthProviderError, OAuthTokenUnavailableError

_logger = logging.getLogger(__name__)

DEFAULT_TOKEN_TIMEOUT = httpx2.Timeout(30.0)
"""Used for token requests when the HTTP client has no timeout of its own: a token call never hangs."""

_DEFAULT_MARGIN_SHARE = 0.1
_DEFAULT_MARGIN_CAP = 60.0
_MAX_DESCRIPTION = 500
_RESERVED_TOKEN_PARAMETERS = frozenset(
    {"grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "scope", "refresh_token"}
)
_REENTRY = (
    "an o_auth_token_provider must not ask the client that called it for a token "
    "(a client-credentials provider can call auth_manager.fetch_token())"
)

ClientAuthentication = Literal[
    "client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"
]
"""How the client authenticates to the token endpoint, by the names of RFC 7591 (`token_endpoint_auth_method`)."""

_CLIENT_AUTHENTICATIONS: tuple[str, ...] = get_args(ClientAuthentication)
_SECRET_AUTHENTICATIONS = ("client_secret_basic", "client_secret_post")
# Asymmetric algorithms only: HS256 and kin would be client_secret_jwt, signed with the secret.
_ASSERTION_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Long enough for a slow network and some clock skew, short enough that a captured assertion is soon useless.
_ASSERTION_LIFETIME = 60
_JWT_EXTRA = "the private_key_jwt client authentication needs PyJWT: pip install 'warehouse[jwt]'"


class OAuthToken(pydantic.BaseModel):
    """An OAuth 2.0 access token and what the server said about it (RFC 6749, section 5.1).

    Unknown fields of the token response are kept. The model round-trips through JSON, so a token can
    be stored with `token.model_dump_json()` and restored with `OAuthToken.model_validate_json(text)`.
    """

    model_config = pydantic.ConfigDict(extra="allow")

    access_token: str = pydantic.Field(repr=False)
    """The token sent to the API as `Authorization: Bearer <access_token>`."""
    token_type: str = "Bearer"
    """The token type; only `Bearer` tokens are used."""
    expires_in: int | None = None
    """The token's lifetime in seconds, as stated by the server when it issued the token."""
    scope: str | None = None
    """The granted scopes, space-separated, when the server stated them. A token without it is taken to
    grant the scopes it was requested with; one you set yourself, to grant every scope."""
    expiry: int | None = None
    """When the token expires, in Unix epoch seconds (UTC); None when unknown."""
    refresh_token: str | None = pydantic.Field(default=None, repr=False)
    """A refresh token, when the server issued one."""

    @pydantic.field_validator("expires_in", mode="before")
    @classmethod
    def _whole_seconds(cls, value: Any) -> Any:
        # Some servers send 3599.5 or "3600"; a lifetime is whole seconds, never negative.
        if isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
            value = float(value)
        if isinstance(value, float) and math.isfinite(value):
            return max(0, math.floor(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return max(0, value)
        return value

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # Extra fields (an id_token, say) may be secret too: only these are shown.
        for name in ("token_type", "expires_in", "scope", "expiry"):
            yield name, getattr(self, name)


TokenProvider = Callable[[OAuthToken | None, Any], OAuthToken | Awaitable[OAuthToken]]
"""`(last_token, auth_manager) -> OAuthToken`: supplies tokens instead of the token endpoint.

With `AsyncClient` it may be a coroutine function. `auth_manager.fetch_token()` fetches one from the
token endpoint with the scopes being asked for, so a provider can fall back to it. `last_token` is the
previous token asked for with the same scopes, even one the API refused; before the first, the token set
by hand (`o_auth_token`) or None."""

TokenUpdateCallback = Callable[[OAuthToken], None | Awaitable[None]]
"""`(token) -> None`: told about every new token, for example to store it."""

TokenEventKind = Literal["fetched", "refreshed", "provided", "reused", "dropped", "retry", "failed"]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class TokenEvent:
    """Something the auth manager did with a token, for metrics. It never holds a token or a secret.

    Attributes:
        kind: `fetched` (the client-credentials grant issued a token), `refreshed` (the refresh grant
            did), `provided` (the `o_auth_token_provider` supplied one), `reused` (a request used the
            cached token), `dropped` (the API refused the token with HTTP 401), `retry` (a token request
            failed in a passing way and is tried again) or `failed` (a token request, or the provider,
            failed for good).
        reason: Why, in words: what made a new token needed (`no token yet`, `expired`, `refused by the
            API with HTTP 401`), or what failed (`HTTP 400 invalid_grant`, `ConnectTimeout`).
        scopes: The token's scopes as the server stated them in its `scope`; empty when it did not.
        expires_in: Seconds from now until the token expires; None when unknown or without a token.
        token_id: A short fingerprint of the token (8 hex digits of its SHA-256) to tell tokens apart;
            None without a token.
        attempts: The token requests made so far by this acquisition; 0 when none was made.
        duration: Seconds the token requests took, backoff included; 0.0 when none was made.
    """

    kind: TokenEventKind
    reason: str
    scopes: tuple[str, ...] = ()
    expires_in: int | None = None
    token_id: str | None = None
    attempts: int = 0
    duration: float = 0.0


TokenEventHook = Callable[[TokenEvent], None]
"""`(event) -> None`: told about every `TokenEvent`; called on the request path, so it should be quick."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class TokenRetryPolicy:
    """How often, and how patiently, a token request that failed in a passing way is tried again.

    HTTP 429, HTTP 5xx, connection errors and timeouts are retried; any other answer is final (an
    `invalid_client` will not get better by asking again). Before retry number n the manager waits the
    server's `Retry-After` (seconds or an HTTP date) when it sent one, otherwise a random time between 0
    and `base_delay * 2 ** (n - 1)` ("full jitter", so that many clients do not retry in step); either
    way at most `max_delay`. A retry whose wait would end more than `max_total` seconds after the first
    attempt began is not made: the last failure is raised instead.

    Attributes:
        max_attempts: Token requests per acquisition, the first included; 1 turns retrying off.
        base_delay: Seconds of the first backoff; each further one may be twice as long.
        max_delay: The longest wait before one retry, `Retry-After` included, in seconds.
        max_total: Seconds from the first attempt after which no retry starts.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 10.0
    max_total: float = 30.0

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValueError("max_attempts must be a whole number, 1 or more")
        for name in ("base_delay", "max_delay", "max_total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must be a finite number of seconds, zero or more")


class _RetrySchedule:
    """The retries left to one acquisition: whether to try again after a failure, and after how long."""

    def __init__(self, policy: TokenRetryPolicy) -> None:
        self._policy = policy
        self._attempts = 1
        self._started = time.monotonic()

    @property
    def attempts(self) -> int:
        """The attempts made or under way."""
        return self._attempts

    def elapsed(self) -> float:
        """Seconds since the first attempt began."""
        return time.monotonic() - self._started

    def delay_after(self, response: httpx2.Response | None) -> float | None:
        """Seconds to wait before the next attempt, or None when the last failure is final.

        `response` is the failed attempt's answer, None when there was none (connection error, timeout).
        """
        if response is not None and not _is_passing_failure(response.status_code):
            return None
        policy = self._policy
        if self._attempts >= policy.max_attempts:
            return None
        retry_after = _retry_after(response) if response is not None else None
        if retry_after is None:
            retry_after = random.uniform(0, policy.base_delay * 2 ** (self._attempts - 1))
        delay = min(retry_after, policy.max_delay)
        if time.monotonic() - self._started + delay > policy.max_total:
            return None
        self._attempts += 1
        return delay


@dataclasses.dataclass(frozen=True, kw_only=True)
class OAuthCredentials:
    """What the credentials of every OAuth 2.0 scheme share: tokens given or provided, how they are
    renewed, and how the client authenticates to the token endpoint.

    Attributes:
        o_auth_client_id: The OAuth 2.0 client ID.
        o_auth_client_secret: The OAuth 2.0 client secret, for `client_secret_basic` and
            `client_secret_post`.
        o_auth_token: A token to start from, such as one stored earlier; used while it is fresh.
        o_auth_token_provider: Supplies tokens instead of the token endpoint; called when there is no
            fresh token, with the last token (or None) and the auth manager.
        o_auth_on_token_update: Called once with every new token, fetched, refreshed or provided. An
            exception it raises is logged; the token stays in use.
        o_auth_clock_skew: Seconds before its expiry at which a token counts as expired. None uses
            a tenth of the token's lifetime, at most 60 seconds.
        o_auth_client_authentication: How the client authenticates to the token endpoint:
            `client_secret_basic` (the secret in HTTP Basic), `client_secret_post` (the secret in form
            fields), `private_key_jwt` (a JWT signed with `o_auth_private_key`, RFC 7523) or, with an
            HTTP client that presents a client certificate, `tls_client_auth` or
            `self_signed_tls_client_auth` (RFC 8705). The default is `client_secret_basic`.
        o_auth_private_key: The private key that signs the client assertions of `private_key_jwt`: PEM
            text or bytes, or a private key object of the `cryptography` package.
        o_auth_private_key_id: The key's ID, sent as the assertion's `kid` header so that the server
            can pick the public key; None sends none.
        o_auth_signing_algorithm: The JWS algorithm of the client assertions: `RS256` (the default),
            `RS384`, `RS512`, `PS256`, `PS384`, `PS512`, `ES256`, `ES384`, `ES512` or `EdDSA`.
        o_auth_token_parameters: More parameters of every token request, such as `audience` or
            `resource` (RFC 8707); a sequence value sends the parameter once per item. `grant_type`,
            `client_id`, `client_secret`, `client_assertion`, `client_assertion_type`, `scope` and
            `refresh_token` are set by the manager and refused here.
        o_auth_retry: How token requests that failed in a passing way are retried; see
            `TokenRetryPolicy` for the defaults.
        o_auth_on_token_event: Told about every `TokenEvent` (a token fetched, refreshed, provided,
            reused, dropped, a retry, a failure), for metrics. An exception it raises is logged.
    """

    o_auth_client_id: str | None = None
    o_auth_client_secret: str | None = dataclasses.field(default=None, repr=False)
    o_auth_token: OAuthToken | None = dataclasses.field(default=None, repr=False)
    o_auth_token_provider: TokenProvider | None = None
    o_auth_on_token_update: TokenUpdateCallback | None = None
    o_auth_clock_skew: float | None = None
    o_auth_client_authentication: ClientAuthentication = "client_secret_basic"
    o_auth_private_key: str | bytes | Any | None = dataclasses.field(default=None, repr=False)
    o_auth_private_key_id: str | None = dataclasses.field(default=None, repr=False)
    o_auth_signing_algorithm: str = dataclasses.field(default="RS256", repr=False)
    o_auth_token_parameters: Mapping[str, str | Sequence[str]] | None = None
    o_auth_retry: TokenRetryPolicy = TokenRetryPolicy()
    o_auth_on_token_event: TokenEventHook | None = None
    _assertion_signer: _AssertionSigner | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        client_id = self.o_auth_client_id
        if client_id is not None and (not isinstance(client_id, str) or not client_id):
            raise ValueError("o_auth_client_id must be a non-empty string")
        if self.o_auth_client_secret is not None and not isinstance(self.o_auth_client_secret, str):
            raise TypeError("o_auth_client_secret must be a string")
        skew = self.o_auth_clock_skew
        if skew is not None and (isinstance(skew, bool) or not isinstance(skew, (int, float)) or skew < 0):
            raise ValueError("o_auth_clock_skew must be a number of seconds, zero or more")
        method = self.o_auth_client_authentication
        if method not in _CLIENT_AUTHENTICATIONS:
            raise ValueError(
                f"o_auth_client_authentication must be one of {', '.join(map(repr, _CLIENT_AUTHENTICATIONS))}"
            )
        if method == "private_key_jwt" and client_id is not None:
            # Checked and loaded now, not at the first token request, so that a bad key fails early.
            object.__setattr__(self, "_assertion_signer", _AssertionSigner(self))
        if not isinstance(self.o_auth_retry, TokenRetryPolicy):
            raise TypeError("o_auth_retry must be a TokenRetryPolicy")
        if self.o_auth_on_token_event is not None and not callable(self.o_auth_on_token_event):
            raise TypeError("o_auth_on_token_event must be callable")
        _check_token_parameters(self.o_auth_token_parameters)

    def authenticate(self, form: dict[str, str | list[str]], headers: dict[str, str], token_url: str) -> None:
        """Add the client authentication to a token request's form fields and headers."""
        client_id = self.o_auth_client_id or ""
        method = self.o_auth_client_authentication
        secret = self.o_auth_client_secret
        if method == "client_secret_basic" and secret is not None:
            # RFC 6749 section 2.3.1: both parts are form-urlencoded before base64.
            pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
            return
        # A public client (no secret) identifies itself with client_id alone (RFC 6749 section 3.2.1).
        form["client_id"] = client_id
        if method == "client_secret_post" and secret is not None:
            form["client_secret"] = secret
        elif self._assertion_signer is not None:
            form["client_assertion_type"] = _ASSERTION_TYPE
            form["client_assertion"] = self._assertion_signer.sign(client_id, token_url)
        # With mutual TLS the HTTP client's certificate authenticates the client (RFC 8705 section 2):
        # the form carries only client_id.

    def refresh_form(self, refresh_token: str) -> dict[str, str | list[str]]:
        """The form fields of a refresh-grant request (RFC 6749 section 6), client authentication aside.
        Without a scope the new token has the scope of the one refreshed."""
        return {"grant_type": "refresh_token", **self._parameters(), "refresh_token": refresh_token}

    def _parameters(self) -> dict[str, str | list[str]]:
        return {
            name: value if isinstance(value, str) else list(value)
            for name, value in (self.o_auth_token_parameters or {}).items()
        }


@dataclasses.dataclass(frozen=True, kw_only=True)
class ClientCredentialsAuthCredentials(OAuthCredentials):
    """Credentials for the OAuth 2.0 client-credentials grant.

    Besides the attributes of `OAuthCredentials` (token, provider, callbacks, client authentication,
    token parameters, retries), they have:

    Attributes:
        o_auth_client_id: The OAuth 2.0 client ID; required.
        o_auth_scopes: The scopes to request for every operation (`OAuthScopeEnum` members or scope
            strings); an operation needing a scope outside them raises `ValueError` before sending. None
            (or empty): each operation's token is requested with the scopes its own security
            requirement names, none at all asking for the server's default scopes.

    `o_auth_client_secret` is needed by `client_secret_basic` and `client_secret_post` only.
    """

    o_auth_client_id: str
    o_auth_scopes: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.o_auth_client_id, str) or not self.o_auth_client_id:
            raise ValueError("o_auth_client_id must be a non-empty string")
        if isinstance(self.o_auth_scopes, str):
            raise TypeError("o_auth_scopes must be a list of scopes, not a single string")
        method = self.o_auth_client_authentication
        if method in _SECRET_AUTHENTICATIONS and self.o_auth_client_secret is None:
            raise ValueError(f"o_auth_client_secret is required with {method} client authentication")
        super().__post_init__()

    def scope_parameter(self) -> str | None:
        """The `scope` parameter of a token request: the scopes space-separated, or None."""
        if not self.o_auth_scopes:
            return None
        return " ".join(map(_scope_name, self.o_auth_scopes))

    def token_form(self, scope: str | None) -> dict[str, str | list[str]]:
        """The form fields of a token request asking for `scope` (None: no scope parameter), client
        authentication aside."""
        form: dict[str, str | list[str]] = {"grant_type": "client_credentials", **self._parameters()}
        if scope is not None:
            form["scope"] = scope
        return form


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserTokenCredentials(OAuthCredentials):
    """Access tokens that a user granted the application through a flow of their own (authorization code,
    implicit, password, device code, OpenID Connect), which the SDK uses and renews but cannot start.

    Give a token (`o_auth_token`), a refresh token (`o_auth_refresh_token`), a provider that supplies
    tokens (`o_auth_token_provider`, called when there is no fresh token and once after the API refuses
    one with HTTP 401), or several of them. With a refresh token and `o_auth_client_id` (and the secret,
    key or certificate that authenticates the client, when it is confidential), an expired or refused
    token is renewed with the refresh grant at the scheme's refresh URL. When the server states a
    token's scopes, an operation needing others fails before anything is sent.

    Besides the attributes of `OAuthCredentials`, they have:

    Attributes:
        o_auth_refresh_token: A refresh token to get the first access token with, when `o_auth_token`
            is not given; later ones come with the tokens the server issues.
    """

    o_auth_refresh_token: str | None = dataclasses.field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.o_auth_refresh_token is not None and (
            not isinstance(self.o_auth_refresh_token, str) or not self.o_auth_refresh_token
        ):
            raise ValueError("o_auth_refresh_token must be a non-empty string")
        if self.o_auth_token is None and self.o_auth_refresh_token is None and self.o_auth_token_provider is None:
            raise ValueError("give o_auth_token, o_auth_refresh_token or o_auth_token_provider")
        super().__post_init__()

    def can_refresh(self) -> bool:
        """Whether the refresh grant can be asked for: the server must know the client."""
        return self.o_auth_client_id is not None


def _scope_name(scope: str) -> str:
    return scope.value if isinstance(scope, Enum) else scope


def _scope_set(scopes: Iterable[str]) -> frozenset[str]:
    return scopes if type(scopes) is frozenset else frozenset(map(_scope_name, scopes))


class _AssertionSigner:
    """Signs the client assertions of `private_key_jwt` (RFC 7523 section 2.2): a new JWT for every token
    request, retries included, since a server may refuse an assertion it has seen before."""

    def __init__(self, credentials: OAuthCredentials) -> None:
        algorithm = credentials.o_auth_signing_algorithm
        if algorithm not in _ASSERTION_ALGORITHMS:
            raise ValueError(f"o_auth_signing_algorithm must be one of {', '.join(_ASSERTION_ALGORITHMS)}")
        key_id = credentials.o_auth_private_key_id
        if key_id is not None and (not isinstance(key_id, str) or not key_id):
            raise ValueError("o_auth_private_key_id must be a non-empty string")
        if credentials.o_auth_private_key is None:
            raise ValueError("o_auth_private_key is required with private_key_jwt client authentication")
        self._jwt = _jwt_library()
        self._algorithm = algorithm
        self._headers = {"kid": key_id} if key_id else None
        try:
            key = self._jwt.get_algorithm_by_name(algorithm).prepare_key(credentials.o_auth_private_key)
        except (self._jwt.PyJWTError, ValueError, TypeError):
            key = None
        if not callable(getattr(key, "sign", None)):
            # Raised without the cause: parsers' messages may quote what they were given.
            raise ValueError(f"o_auth_private_key is not a private key for {algorithm}")
        self._key = key

    def sign(self, client_id: str, audience: str) -> str:
        """A client assertion for one token request; `audience` is the token endpoint's URL."""
        now = int(time.time())
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": secrets.token_urlsafe(24),
            "iat": now,
            "exp": now + _ASSERTION_LIFETIME,
        }
        assertion: str = self._jwt.encode(claims, self._key, algorithm=self._algorithm, headers=self._headers)
        return assertion


def _jwt_library() -> Any:
    """PyJWT, an optional dependency: imported only by the clients that sign client assertions."""
    try:
        # Imported by name, so that type checkers do not need PyJWT either.
        library = importlib.import_module("jwt")
        algorithms = importlib.import_module("jwt.algorithms")
    except ImportError:
        raise ImportError(_JWT_EXTRA) from None
    if not algorithms.has_crypto:
        raise ImportError(_JWT_EXTRA)
    return library


def _check_token_parameters(parameters: Mapping[str, str | Sequence[str]] | None) -> None:
    if parameters is None:
        return
    if not isinstance(parameters, Mapping):
        raise TypeError("o_auth_token_parameters must be a mapping of parameter names to values")
    reserved = sorted(_RESERVED_TOKEN_PARAMETERS.intersection(parameters))
    if reserved:
        raise ValueError(
            f"o_auth_token_parameters must not set {', '.join(reserved)}: the auth manager sets these itself"
        )
    for name, value in parameters.items():
        if not isinstance(name, str) or not name:
            raise ValueError("o_auth_token_parameters names must be non-empty strings")
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, Sequence) or not all(isinstance(item, str) for item in values):
            raise TypeError(f"o_auth_token_parameters[{name!r}] must be a string or a sequence of strings")


_ACQUIRING: contextvars.ContextVar[tuple[object, frozenset[str]] | None] = contextvars.ContextVar(
    "_ACQUIRING", default=None
)
"""The manager and scope set of the acquisition the current thread or task runs, so that a provider's
`fetch_token()` asks for those scopes and its asking the manager for a token is caught."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Cached:
    """A token the manager holds: the scopes it was asked for (None when it was set by hand), those it
    grants (None: every scope), and until when it counts as fresh."""

    token: OAuthToken
    requested: frozenset[str] | None
    granted: frozenset[str] | None
    fresh_until: float

    def serves(self, needs: frozenset[str], request: frozenset[str], now: float) -> bool:
        # A token asked for with the same scopes serves whatever the server granted: asking again would
        # get the same answer.
        if now >= self.fresh_until:
            return False
        return self.requested == request or self.granted is None or self.granted >= needs


class _TokenState:
    """What the sync and async managers share: the cached tokens, their freshness, the token request and
    the reading of the token response. The managers add only I/O and their kind of waiting.

    Tokens are held by the scope sets they serve: the scopes an operation needs map to the token last
    used for them, a token asked for with some scopes is held under those, and one set by hand under the
    scopes it states. The keys are the scope sets of the spec's security requirements, `o_auth_scopes`
    and those passed to `token()`: the cache grows with the spec, not with the number of calls.
    """

    _grants_tokens: ClassVar[bool]
    """Whether the manager gets tokens of its own (client credentials); a user's tokens are only given,
    provided or refreshed."""

    def __init__(self, credentials: OAuthCredentials | None, token_url: str | None, refresh_url: str | None) -> None:
        self._credentials = credentials
        self._token_url = token_url
        self._refresh_url = refresh_url
        self._on_event = credentials.o_auth_on_token_event if credentials else None
        scopes = credentials.o_auth_scopes if isinstance(credentials, ClientCredentialsAuthCredentials) else None
        self._fixed = _scope_set(scopes) if scopes else None
        self._tokens: dict[frozenset[str], _Cached] = {}
        # The newest token asked for with each scope set, refused or not, for the provider.
        self._latest: dict[frozenset[str], OAuthToken] = {}
        # The token the API refused for each scope set, until a new one is kept.
        self._refused: dict[frozenset[str], OAuthToken] = {}
        self._last: OAuthToken | None = None
        self._given: OAuthToken | None = None
        # A user's newest refresh token: a server that rotates them refuses, and may revoke, an older one.
        self._refresh = credentials.o_auth_refresh_token if isinstance(credentials, UserTokenCredentials) else None
        self.o_auth_token = credentials.o_auth_token if credentials else None

    @property
    def o_auth_token(self) -> OAuthToken | None:
        """The newest token, whatever its scopes, or None before the first one.

        Setting a token of your own replaces every token the manager holds. It is used for each operation
        whose scopes its `scope` states, or for every operation when it states none, while it is fresh.
        """
        return self._last

    @o_auth_token.setter
    def o_auth_token(self, token: OAuthToken | None) -> None:
        self._last = self._given = token
        self._tokens.clear()
        self._latest.clear()
        self._refused.clear()
        if token is not None and token.refresh_token:
            self._refresh = token.refresh_token
        if token is not None:
            granted = None if token.scope is None else frozenset(token.scope.split())
            self._tokens[granted or frozenset()] = _Cached(token, None, granted, self._fresh_until(token))

    def permits(self, scopes: Collection[str]) -> bool:
        """Whether an operation needing `scopes` may be called: always, unless `o_auth_scopes` leaves one out
        or, without a provider, a user's token states scopes that lack one."""
        return not self.unpermitted(scopes)

    def unpermitted(self, scopes: Collection[str]) -> frozenset[str]:
        """The scopes among `scopes` that no token of this manager can grant: those `o_auth_scopes` leave
        out, or those a user's token lacks when the server stated its scopes and no provider can give
        another."""
        if self._fixed is not None:
            return frozenset(scopes) - self._fixed
        if self._grants_tokens or self._token_provider() is not None:
            return frozenset()
        token = self._last
        if token is None or token.scope is None:
            return frozenset()
        return frozenset(scopes) - frozenset(token.scope.split())

    def scope_advice(self) -> str:
        """What to do about scopes that `unpermitted` names, for an error message."""
        if self._fixed is not None:
            return (
                "which the client's o_auth_scopes leave out: add it to them, or leave o_auth_scopes out "
                "so that each operation asks for the scopes it needs"
            )
        return "which the user's OAuth token does not grant: give one that does, or an o_auth_token_provider"

    def _fresh(self, needs: frozenset[str]) -> OAuthToken | None:
        cached = self._tokens.get(needs)
        return cached.token if cached is not None and time.time() < cached.fresh_until else None

    def _reusable(self, needs: frozenset[str], request: frozenset[str]) -> OAuthToken | None:
        """A fresh token that serves `needs`, remembered for them; None when one must be acquired."""
        now = time.time()
        # A copy: another thread may add a token meanwhile.
        found = next((cached for cached in list(self._tokens.values()) if cached.serves(needs, request, now)), None)
        if found is None:
            return None
        self._tokens[needs] = found
        return found.token

    def _request_for(self, needs: frozenset[str]) -> frozenset[str]:
        """The scopes a token for an operation needing `needs` is asked for. A user's tokens form one line,
        each refreshed from the one before, whatever the operation needs."""
        if not self._grants_tokens:
            return frozenset()
        return needs if self._fixed is None else self._fixed

    def _refuse_reentry(self) -> None:
        acquiring = _ACQUIRING.get()
        if acquiring is not None and acquiring[0] is self:
            raise RuntimeError(_REENTRY)

    def _previous(self, request: frozenset[str]) -> OAuthToken | None:
        """The last token for `request`: the one the API refused, else the newest, else the token given."""
        return self._refused.get(request) or self._latest.get(request) or self._given

    def _own_previous(self, request: frozenset[str]) -> OAuthToken | None:
        """The last token asked for with `request`, or the token given when it grants those scopes."""
        previous = self._refused.get(request) or self._latest.get(request)
        given = self._given
        if previous is None and given is not None and (given.scope is None or request <= set(given.scope.split())):
            return given
        return previous

    def _fresh_until(self, token: OAuthToken) -> float:
        return math.inf if token.expiry is None else token.expiry - self._margin(token)

    def _margin(self, token: OAuthToken) -> float:
        skew = self._credentials.o_auth_clock_skew if self._credentials else None
        if skew is not None:
            return skew
        # A share of the lifetime, so that a short-lived token is not re-fetched before every call.
        lifetime = token.expires_in or 0
        return min(_DEFAULT_MARGIN_CAP, _DEFAULT_MARGIN_SHARE * lifetime)

    def can_renew(self) -> bool:
        """Whether a new token can be had when the API refuses the current one."""
        if self._credentials is None:
            return False
        if self._grants_tokens or self._token_provider() is not None:
            return True
        return self._refresh_token(frozenset()) is not None

    def is_configured(self) -> bool:
        """Whether the manager has credentials, or at least a token, to authorize requests with."""
        return self._credentials is not None or self._last is not None

    def _drop(self, token: OAuthToken) -> bool:
        """Stop using `token`; whether it was in use."""
        dropped = False
        for needs, cached in list(self._tokens.items()):
            if cached.token is token and self._tokens.pop(needs, None) is not None:
                self._refused[needs] = token
                dropped = True
        return dropped

    def _keep(self, token: OAuthToken, request: frozenset[str]) -> None:
        # A token that does not state its scopes grants those it was asked for; a user's token, any.
        unstated = request if self._grants_tokens else None
        granted = unstated if token.scope is None else frozenset(token.scope.split())
        self._tokens[request] = _Cached(token, request, granted, self._fresh_until(token))
        self._latest[request] = self._last = token
        self._refused.pop(request, None)
        if token.refresh_token:
            self._refresh = token.refresh_token

    def _scope_parameter(self, scopes: Iterable[str] | None) -> str | None:
        """The `scope` of a token request for `scopes`; by default those being acquired, else `o_auth_scopes`."""
        if scopes is None:
            acquiring = _ACQUIRING.get()
            scopes = acquiring[1] if acquiring is not None and acquiring[0] is self else self._fixed
        wanted = _scope_set(scopes or ())
        if wanted == self._fixed:
            return self._client_credentials().scope_parameter()  # in the order given
        return " ".join(sorted(wanted)) or None

    def _require_credentials(self) -> OAuthCredentials:
        if self._credentials is None:
            raise ValueError("a new OAuth token is needed, and the client has no credentials to get one")
        return self._credentials

    def _client_credentials(self) -> ClientCredentialsAuthCredentials:
        credentials = self._credentials
        if not isinstance(credentials, ClientCredentialsAuthCredentials):
            raise ValueError("a new OAuth token is needed, and the client has no client credentials to get one")
        return credentials

    def _no_grant(self, reason: str) -> OAuthTokenUnavailableError:
        """Why a user's token cannot be renewed, for the caller (no secret or token in it)."""
        credentials = self._require_credentials()
        return OAuthTokenUnavailableError(
            f"a new OAuth token is needed ({reason}) and {type(credentials).__name__} cannot get one: give it "
            "an o_auth_token_provider, or a refresh token with o_auth_client_id (the scheme's refresh URL must "
            "be known)"
        )

    def _build_token_request(
        self, http_client: httpx2.Client | httpx2.AsyncClient, scope: str | None, refresh_token: str | None = None
    ) -> httpx2.Request:
        """A client-credentials token request, or a refresh-grant one when `refresh_token` is given."""
        credentials = self._require_credentials()
        url: str | None
        if refresh_token is not None and self._refresh_url:
            url, form = self._refresh_url, credentials.refresh_form(refresh_token)
        else:
            url, form = self._token_url, self._client_credentials().token_form(scope)
        if not url:
            raise ValueError("the spec names no token URL: create the client with one")
        headers = {"Accept": "application/json"}
        credentials.authenticate(form, headers, url)
        timeout = http_client.timeout
        if timeout.read is None or timeout.connect is None:
            timeout = DEFAULT_TOKEN_TIMEOUT
        _logger.debug(
            "requesting an OAuth token from %s (%s grant, scope %r, client authentication %s)",
            url,
            form["grant_type"],
            form.get("scope"),
            credentials.o_auth_client_authentication,
        )
        return http_client.build_request("POST", url, data=form, headers=headers, timeout=timeout)

    @staticmethod
    def _read_token_response(response: httpx2.Response, requested_at: float) -> OAuthToken:
        status = response.status_code
        body = _json_or_none(response)
        if not response.is_success:
            raise _provider_error(status, body)
        if not isinstance(body, dict):
            raise OAuthProviderError(
                f"the token endpoint answered HTTP {status} with no JSON object", status_code=status
            )
        if not isinstance(body.get("access_token"), str) or not body["access_token"]:
            raise OAuthProviderError(
                f"the token endpoint answered HTTP {status} with no access_token", status_code=status
            )
        token_type = body.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise OAuthProviderError(
                f"the token endpoint issued a token of type {token_type!r}; only Bearer tokens are supported",
                status_code=status,
            )
        try:
            token = OAuthToken.model_validate({**body, "expiry": None})
        except pydantic.ValidationError as error:
            invalid = sorted({str(detail["loc"][0]) for detail in error.errors() if detail["loc"]})
        else:
            invalid = []
        if invalid:
            # Raised outside the except block: the validation error quotes the response, token included.
            raise OAuthProviderError(
                f"the token endpoint's response has invalid fields: {', '.join(invalid)}", status_code=status
            )
        if token.expires_in is not None:
            # Epoch seconds are UTC by definition; counting from the request's start errs on the safe side.
            token.expiry = int(requested_at) + token.expires_in
        return token

    def _retry_schedule(self) -> _RetrySchedule:
        return _RetrySchedule(self._require_credentials().o_auth_retry)

    def _retry_delay(
        self, schedule: _RetrySchedule, response: httpx2.Response | None, error: Exception | None = None
    ) -> float | None:
        """The wait before the next attempt after a failed or final one; None when there is none."""
        delay = schedule.delay_after(response)
        failure = f"HTTP {response.status_code}" if response is not None else type(error).__name__
        if delay is not None:
            retry = f"{failure}; retrying in {delay:.2f} s"
            self._tell("retry", retry, attempts=schedule.attempts - 1, duration=schedule.elapsed())
        elif response is None:
            self._tell("failed", failure, attempts=schedule.attempts, duration=schedule.elapsed())
        return delay

    def _issued(
        self,
        schedule: _RetrySchedule,
        response: httpx2.Response,
        requested_at: float,
        reason: str,
        refresh_token: str | None,
    ) -> OAuthToken:
        """The token of a final answer, told about as fetched or refreshed; a refusal is told as failed."""
        try:
            token = self._read_token_response(response, requested_at)
        except OAuthProviderError as error:
            failure = f"HTTP {error.status_code}" + (f" {error.error}" if error.error else "")
            self._tell("failed", failure, attempts=schedule.attempts, duration=schedule.elapsed())
            raise
        if refresh_token is not None and token.refresh_token is None:
            token.refresh_token = refresh_token  # RFC 6749 section 6: the old one stays valid
        kind: TokenEventKind = "refreshed" if refresh_token is not None else "fetched"
        self._tell(kind, reason, token, attempts=schedule.attempts, duration=schedule.elapsed())
        return token

    def _need(self, request: frozenset[str]) -> str:
        """Why a new token for `request` is needed, for logs and events."""
        if request in self._refused:
            return "refused by the API with HTTP 401"
        if request in self._tokens or request in self._latest:
            return "expired"
        return "no token yet"

    def _refresh_token(self, request: frozenset[str]) -> str | None:
        """The refresh token to renew `request`'s token with, when the server issued one (or the user gave
        one) and there is a refresh URL."""
        if self._refresh_url is None:
            return None
        credentials = self._credentials
        if isinstance(credentials, UserTokenCredentials):
            return self._refresh if credentials.can_refresh() else None
        # Only a token asked for with these scopes: refreshing another would renew other scopes.
        previous = self._own_previous(request)
        return previous.refresh_token if previous is not None else None

    def _refresh_failed(self, reason: str, error: Exception) -> str:
        _logger.debug(
            "the refresh grant failed (%s); falling back to the client-credentials grant", type(error).__name__
        )
        return f"{reason}; the refresh grant failed"

    @contextlib.contextmanager
    def _telling_provider_failure(self) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            self._tell("failed", f"o_auth_token_provider raised {type(error).__name__}")
            raise

    def _reused(self, token: OAuthToken) -> OAuthToken:
        # On every request: the event is built only when someone listens.
        if self._on_event is not None or _logger.isEnabledFor(logging.DEBUG):
            self._tell("reused", "still fresh", token)
        return token

    def _tell(
        self,
        kind: TokenEventKind,
        reason: str,
        token: OAuthToken | None = None,
        *,
        attempts: int = 0,
        duration: float = 0.0,
    ) -> None:
        """Log an event at DEBUG and hand it to `o_auth_on_token_event`; never raises."""
        hook = self._on_event
        if hook is None and not _logger.isEnabledFor(logging.DEBUG):
            return
        expiry = token.expiry if token is not None else None
        event = TokenEvent(
            kind=kind,
            reason=reason,
            scopes=tuple(token.scope.split()) if token is not None and token.scope else (),
            expires_in=None if expiry is None else max(0, int(expiry - time.time())),
            token_id=_fingerprint(token.access_token) if token is not None else None,
            attempts=attempts,
            duration=duration,
        )
        if _logger.isEnabledFor(logging.DEBUG):
            _logger.debug("OAuth token %s: %s%s", kind, reason, _details(event))
        if hook is not None:
            try:
                hook(event)
            except Exception:
                _logger.warning("o_auth_on_token_event raised; the event is skipped", exc_info=True)

    def _token_provider(self) -> TokenProvider | None:
        return self._credentials.o_auth_token_provider if self._credentials else None

    def _token_update_callback(self) -> TokenUpdateCallback | None:
        return self._credentials.o_auth_on_token_update if self._credentials else None


class TokenManager(_TokenState):
    """Keeps the OAuth 2.0 tokens of one scheme for a `Client`: `ClientCredentialsAuthManager` for client
    credentials, `UserTokenAuthManager` for a user's tokens. Safe to share between threads."""

    def __init__(
        self,
        credentials: OAuthCredentials | None,
        *,
        token_url: str | None,
        refresh_url: str | None = None,
        http_client: httpx2.Client,
    ) -> None:
        super().__init__(credentials, token_url, refresh_url)
        self._http_client = http_client
        self._lock = threading.Lock()
        self._acquisitions: dict[frozenset[str], Future[OAuthToken]] = {}

    def _fetch(self, scope: str | None, reason: str, refresh_token: str | None = None) -> OAuthToken:
        schedule = self._retry_schedule()
        while True:
            request = self._build_token_request(self._http_client, scope, refresh_token)
            requested_at = time.time()
            try:
                response = self._http_client.send(request)
            except httpx2.TransportError as error:
                delay = self._retry_delay(schedule, None, error)
                if delay is None:
                    raise
            else:
                delay = self._retry_delay(schedule, response)
                if delay is None:
                    return self._issued(schedule, response, requested_at, reason, refresh_token)
            time.sleep(delay)

    def _renew(self, request: frozenset[str], reason: str) -> OAuthToken:
        refresh_token = self._refresh_token(request)
        if refresh_token is not None:
            try:
                return self._fetch(None, reason, refresh_token)
            except (OAuthProviderError, httpx2.TransportError) as error:
                if not self._grants_tokens:
                    raise
                reason = self._refresh_failed(reason, error)
        if not self._grants_tokens:
            raise self._no_grant(reason)
        return self._fetch(self._scope_parameter(request), reason)

    def token(self, scopes: Iterable[str] = frozenset()) -> OAuthToken:
        """A fresh token for an operation needing `scopes`: a cached one that serves them, or a new one
        shared by every thread that asked for the same scopes meanwhile."""
        needs = _scope_set(scopes)
        token = self._fresh(needs)
        if token is not None:
            return self._reused(token)
        request = self._request_for(needs)
        with self._lock:
            token = self._reusable(needs, request)
            if token is not None:
                return self._reused(token)
            self._refuse_reentry()
            pending = self._acquisitions.get(request)
            if pending is None:
                acquisition: Future[OAuthToken] = Future()
                self._acquisitions[request] = acquisition
        if pending is not None:
            return pending.result()
        try:
            token = self._acquire(request)
        except BaseException as error:
            # Removed before the waiters learn the outcome: a caller arriving later starts afresh.
            self._end_acquisition(request)
            acquisition.set_exception(error)
            raise
        self._end_acquisition(request)
        acquisition.set_result(token)
        return token

    def _end_acquisition(self, request: frozenset[str]) -> None:
        with self._lock:
            del self._acquisitions[request]

    def reject(self, token: OAuthToken) -> None:
        """Stop using a token the API refused (HTTP 401); the next call acquires a new one."""
        with self._lock:
            dropped = self._drop(token)
        if dropped:
            self._tell("dropped", "refused by the API with HTTP 401", token)

    def _acquire(self, request: frozenset[str]) -> OAuthToken:
        reason = self._need(request)
        acquiring = _ACQUIRING.set((self, request))
        try:
            provider = self._token_provider()
            if provider is None:
                token = self._renew(request, reason)
            else:
                with self._telling_provider_failure():
                    provided = provider(self._previous(request), self)
                if inspect.isawaitable(provided):
                    _close(provided)
                    raise TypeError("Client needs a plain o_auth_token_provider; use AsyncClient with a coroutine")
                token = _check_provided(provided)
                self._tell("provided", reason, token)
        finally:
            _ACQUIRING.reset(acquiring)
        self._keep(token, request)
        callback = self._token_update_callback()
        if callback is not None:
            try:
                outcome = callback(token)
            except Exception:
                _logger.exception("o_auth_on_token_update raised; the new token stays in use")
            else:
                if inspect.isawaitable(outcome):
                    _close(outcome)
                    raise TypeError("Client needs a plain o_auth_on_token_update; use AsyncClient with a coroutine")
        return token


class ClientCredentialsAuthManager(TokenManager):
    """Fetches, caches and renews the OAuth 2.0 client-credentials token of a `Client`. Safe to share
    between threads."""

    _grants_tokens = True

    def fetch_token(self, scopes: Iterable[str] | None = None) -> OAuthToken:
        """Request a new token from the token endpoint now. The manager does not start using it.

        Passing failures are retried as the credentials' `o_auth_retry` allows.

        Args:
            scopes: The scopes to ask for. By default, within an `o_auth_token_provider`, those of the
                token being acquired; elsewhere `o_auth_scopes`, or none (the server's default).

        Raises:
            OAuthProviderError: The token endpoint refused, or its answer is not a token.
            httpx2.TransportError: The last attempt failed to connect or timed out.
        """
        return self._fetch(self._scope_parameter(scopes), "fetch_token() called")


class UserTokenAuthManager(TokenManager):
    """Keeps the OAuth 2.0 token a user granted, for a `Client`: uses it while it is fresh, then asks the
    credentials' provider for a new one or renews it with the refresh grant. Safe to share between threads."""

    _grants_tokens = False


class AsyncTokenManager(_TokenState):
    """Keeps the OAuth 2.0 tokens of one scheme for an `AsyncClient`: `AsyncClientCredentialsAuthManager` for client
    credentials, `AsyncUserTokenAuthManager` for a user's tokens. Safe to share between tasks."""

    def __init__(
        self,
        credentials: OAuthCredentials | None,
        *,
        token_url: str | None,
        refresh_url: str | None = None,
        http_client: httpx2.AsyncClient,
    ) -> None:
        super().__init__(credentials, token_url, refresh_url)
        self._http_client = http_client
        self._acquisitions: dict[frozenset[str], asyncio.Task[OAuthToken]] = {}

    async def _fetch(self, scope: str | None, reason: str, refresh_token: str | None = None) -> OAuthToken:
        schedule = self._retry_schedule()
        while True:
            request = self._build_token_request(self._http_client, scope, refresh_token)
            requested_at = time.time()
            try:
                response = await self._http_client.send(request)
            except httpx2.TransportError as error:
                delay = self._retry_delay(schedule, None, error)
                if delay is None:
                    raise
            else:
                delay = self._retry_delay(schedule, response)
                if delay is None:
                    return self._issued(schedule, response, requested_at, reason, refresh_token)
            import asyncio

            await asyncio.sleep(delay)

    async def _renew(self, request: frozenset[str], reason: str) -> OAuthToken:
        refresh_token = self._refresh_token(request)
        if refresh_token is not None:
            try:
                return await self._fetch(None, reason, refresh_token)
            except (OAuthProviderError, httpx2.TransportError) as error:
                if not self._grants_tokens:
                    raise
                reason = self._refresh_failed(reason, error)
        if not self._grants_tokens:
            raise self._no_grant(reason)
        return await self._fetch(self._scope_parameter(request), reason)

    async def token(self, scopes: Iterable[str] = frozenset()) -> OAuthToken:
        """A fresh token for an operation needing `scopes`: a cached one that serves them, or a new one
        shared by every task that asked for the same scopes meanwhile."""
        needs = _scope_set(scopes)
        token = self._fresh(needs)
        if token is not None:
            return self._reused(token)
        import asyncio

        request = self._request_for(needs)
        token = self._reusable(needs, request)
        if token is not None:
            return self._reused(token)
        self._refuse_reentry()
        acquisition = self._acquisitions.get(request)
        if acquisition is None or acquisition.done() or acquisition.get_loop() is not asyncio.get_running_loop():
            # A task of its own, so that a caller being cancelled does not cancel the others' token.
            acquisition = self._acquisitions[request] = asyncio.ensure_future(self._acquire(request))
            acquisition.add_done_callback(functools.partial(self._acquisition_done, request))
        return await asyncio.shield(acquisition)

    def reject(self, token: OAuthToken) -> None:
        """Stop using a token the API refused (HTTP 401); the next call acquires a new one."""
        if self._drop(token):
            self._tell("dropped", "refused by the API with HTTP 401", token)

    def _acquisition_done(self, request: frozenset[str], acquisition: asyncio.Task[OAuthToken]) -> None:
        if self._acquisitions.get(request) is acquisition:
            del self._acquisitions[request]
        # Every waiter may have been cancelled; the failure must not be reported as never retrieved.
        if not acquisition.cancelled():
            acquisition.exception()

    async def _acquire(self, request: frozenset[str]) -> OAuthToken:
        # The task runs in a copy of its creator's context: this setting stays within it.
        reason = self._need(request)
        _ACQUIRING.set((self, request))
        provider = self._token_provider()
        if provider is None:
            token = await self._renew(request, reason)
        else:
            with self._telling_provider_failure():
                provided = provider(self._previous(request), self)
                token = _check_provided(await provided if inspect.isawaitable(provided) else provided)
            self._tell("provided", reason, token)
        _ACQUIRING.set(None)
        self._keep(token, request)
        callback = self._token_update_callback()
        if callback is not None:
            try:
                outcome = callback(token)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                _logger.exception("o_auth_on_token_update raised; the new token stays in use")
        return token


class AsyncClientCredentialsAuthManager(AsyncTokenManager):
    """Fetches, caches and renews the OAuth 2.0 client-credentials token of an `AsyncClient`. Safe to share
    between tasks."""

    _grants_tokens = True

    async def fetch_token(self, scopes: Iterable[str] | None = None) -> OAuthToken:
        """Request a new token from the token endpoint now. The manager does not start using it.

        Passing failures are retried as the credentials' `o_auth_retry` allows.

        Args:
            scopes: The scopes to ask for. By default, within an `o_auth_token_provider`, those of the
                token being acquired; elsewhere `o_auth_scopes`, or none (the server's default).

        Raises:
            OAuthProviderError: The token endpoint refused, or its answer is not a token.
            httpx2.TransportError: The last attempt failed to connect or timed out.
        """
        return await self._fetch(self._scope_parameter(scopes), "fetch_token() called")


class AsyncUserTokenAuthManager(AsyncTokenManager):
    """Keeps the OAuth 2.0 token a user granted, for an `AsyncClient`: uses it while it is fresh, then asks the
    credentials' provider for a new one or renews it with the refresh grant. Safe to share between tasks."""

    _grants_tokens = False


def _check_provided(token: object) -> OAuthToken:
    if not isinstance(token, OAuthToken):
        raise TypeError(f"o_auth_token_provider must return an OAuthToken, not {type(token).__name__}")
    return token


def _close(awaitable: Awaitable[Any]) -> None:
    if inspect.iscoroutine(awaitable):
        awaitable.close()


def _is_passing_failure(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def _retry_after(response: httpx2.Response) -> float | None:
    """The wait a `Retry-After` header asks for (RFC 9110 section 10.2.3), or None without a usable one."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


def _details(event: TokenEvent) -> str:
    details = []
    if event.token_id is not None:
        details.append(f"token {event.token_id}, scopes {' '.join(event.scopes) or 'unknown'}")
        details.append("no known expiry" if event.expires_in is None else f"expires in {event.expires_in} s")
    if event.attempts:
        details.append(f"{event.attempts} attempt{'s' if event.attempts > 1 else ''} in {event.duration:.3f} s")
    return f" ({', '.join(details)})" if details else ""


def _fingerprint(access_token: str) -> str:
    """8 hex digits of the token's SHA-256: tells tokens apart in logs, and cannot be turned back."""
    return hashlib.sha256(access_token.encode()).hexdigest()[:8]


def _json_or_none(response: httpx2.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _provider_error(status: int, body: Any) -> OAuthProviderError:
    fields = body if isinstance(body, dict) else {}
    error, description, uri = (fields.get(key) for key in ("error", "error_description", "error_uri"))
    error = error if isinstance(error, str) else None
    description = description[:_MAX_DESCRIPTION] if isinstance(description, str) else None
    uri = uri if isinstance(uri, str) else None
    message = f"the token endpoint refused with HTTP {status}"
    if error:
        message += f": {error}"
    if description:
        message += f" ({description})"
    if uri:
        message += f"; see {uri}"
    return OAuthProviderError(
        message, status_code=status, error=error, error_description=description, error_uri=uri, body=body
    )


def _check_secret(name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string")


@dataclasses.dataclass(frozen=True)
class HttpBearerCredentials:
    """A bearer token for an HTTP `bearer` security scheme, sent as `Authorization: Bearer <token>`."""

    token: str = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        _check_secret("token", self.token)


@dataclasses.dataclass(frozen=True)
class ApiKeyCredentials:
    """An API key, sent in the header, query parameter or cookie its security scheme names."""

    api_key: str = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        _check_secret("api_key", self.api_key)


@dataclasses.dataclass(frozen=True, kw_only=True)
class PartnerAuthCredentials(ClientCredentialsAuthCredentials):
    """Client credentials for the partnerAuth scheme; scopes are `PartnerAuthScopeEnum` members.

    Its client authentication is `client_secret_basic` unless `o_auth_client_authentication` says otherwise.
    """

    o_auth_client_authentication: ClientAuthentication = "client_secret_basic"


class PartnerAuthAuthManager(ClientCredentialsAuthManager):
    """Fetches, caches and renews the OAuth 2.0 token of the partnerAuth scheme for a `Client`."""


class AsyncPartnerAuthAuthManager(AsyncClientCredentialsAuthManager):
    """Fetches, caches and renews the OAuth 2.0 token of the partnerAuth scheme for an `AsyncClient`."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class InternalAuthCredentials(ClientCredentialsAuthCredentials):
    """Client credentials for the internalAuth scheme; scopes are `InternalAuthScopeEnum` members.

    Its client authentication is `client_secret_basic` unless `o_auth_client_authentication` says otherwise.
    """

    o_auth_client_authentication: ClientAuthentication = "client_secret_basic"


class InternalAuthAuthManager(ClientCredentialsAuthManager):
    """Fetches, caches and renews the OAuth 2.0 token of the internalAuth scheme for a `Client`."""


class AsyncInternalAuthAuthManager(AsyncClientCredentialsAuthManager):
    """Fetches, caches and renews the OAuth 2.0 token of the internalAuth scheme for an `AsyncClient`."""
