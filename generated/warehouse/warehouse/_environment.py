"""Client settings read from environment variables, for `Client.from_environment()`.

Empty variables count as unset. A variable that is malformed, or one of a pair that is set without the
other, raises `ValueError` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import TypeVar, cast

from ._auth import (
    ClientCredentialsAuthCredentials,
    HttpBearerCredentials,
    ApiKeyCredentials,
)

Credentials = TypeVar("Credentials", bound=ClientCredentialsAuthCredentials)


def read_setting(environ: Mapping[str, str], variable: str) -> str | None:
    value = environ.get(variable, "").strip()
    return value or None


def read_client_credentials(
    environ: Mapping[str, str],
    prefix: str,
    credentials_class: type[Credentials],
    scopes: type[Enum],
) -> Credentials | None:
    """Client credentials from `<prefix>O_AUTH_CLIENT_ID`, `..._CLIENT_SECRET`, `..._SCOPES` (separated
    by spaces or commas) and `..._CLOCK_SKEW` (seconds); None when neither ID nor secret is set."""
    pair = _pair(environ, prefix + "O_AUTH_CLIENT_ID", prefix + "O_AUTH_CLIENT_SECRET")
    if pair is None:
        return None
    scope_variable, skew_variable = prefix + "O_AUTH_SCOPES", prefix + "O_AUTH_CLOCK_SKEW"
    return credentials_class(
        o_auth_client_id=pair[0],
        o_auth_client_secret=pair[1],
        o_auth_scopes=_scopes(scope_variable, read_setting(environ, scope_variable), scopes),
        o_auth_clock_skew=_seconds(skew_variable, read_setting(environ, skew_variable)),
    )


def read_bearer(environ: Mapping[str, str], prefix: str) -> HttpBearerCredentials | None:
    """A bearer token from `<prefix>TOKEN`."""
    token = read_setting(environ, prefix + "TOKEN")
    return HttpBearerCredentials(token=token) if token is not None else None


def read_api_key(environ: Mapping[str, str], prefix: str) -> ApiKeyCredentials | None:
    """An API key from `<prefix>API_KEY`."""
    api_key = read_setting(environ, prefix + "API_KEY")
    return ApiKeyCredentials(api_key=api_key) if api_key is not None else None


def _pair(environ: Mapping[str, str], first: str, second: str) -> tuple[str, str] | None:
    first_value, second_value = read_setting(environ, first), read_setting(environ, second)
    if first_value is None and second_value is None:
        return None
    if first_value is None:
        raise ValueError(f"{first} is not set")
    if second_value is None:
        raise ValueError(f"{second} is not set")
    return first_value, second_value


def _scopes(variable: str, value: str | None, scopes: type[Enum]) -> list[str] | None:
    if value is None:
        return None
    known = {member.value: cast(str, member) for member in scopes}  # scope enums are str enums
    chosen = []
    for scope in re.split(r"[\s,]+", value.strip(" ,")):
        if scope not in known:
            allowed = ", ".join(sorted(known))
            raise ValueError(
                f"{variable} names the unknown scope {scope!r}; known scopes: {allowed}"
            )
        chosen.append(known[scope])
    return chosen


def _seconds(variable: str, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{variable} must be a number of seconds, not {value!r}") from None
    if not seconds >= 0:
        raise ValueError(f"{variable} must be zero or more seconds, not {value!r}")
    return seconds
