"""Client settings read from environment variables, for `Client.from_environment()`.

Empty variables count as unset. A variable that is malformed, or one that is needed by the others that
are set and is not, raises `ValueError` naming it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar, cast

from ._auth import (
    _CLIENT_AUTHENTICATIONS,
    _SECRET_AUTHENTICATIONS,
    ClientCredentialsAuthCredentials,
    OAuthToken,
    UserTokenCredentials,
)

Credentials = TypeVar("Credentials", bound=ClientCredentialsAuthCredentials)
UserCredentials = TypeVar("UserCredentials", bound=UserTokenCredentials)


def read_setting(environ: Mapping[str, str], variable: str) -> str | None:
    value = environ.get(variable, "").strip()
    return value or None


def read_client_credentials(
    environ: Mapping[str, str], prefix: str, credentials_class: type[Credentials], scopes: type[Enum]
) -> Credentials | None:
    """Client credentials from the `<prefix>O_AUTH_...` variables; None when none of `CLIENT_ID`,
    `CLIENT_SECRET` and `PRIVATE_KEY_FILE` is set.

    `CLIENT_AUTHENTICATION` names the method (the credentials' default when unset); `CLIENT_SECRET` is
    needed by `client_secret_basic` and `client_secret_post` only; `private_key_jwt` reads its key from
    the PEM file `PRIVATE_KEY_FILE`, with `PRIVATE_KEY_ID` and `SIGNING_ALGORITHM`. `SCOPES` are
    separated by spaces or commas, `CLOCK_SKEW` is in seconds.
    """
    variable = {name: f"{prefix}O_AUTH_{name}" for name in _OAUTH_VARIABLES}
    value = {name: read_setting(environ, variable[name]) for name in _OAUTH_VARIABLES}
    client_id = value["CLIENT_ID"]
    if client_id is None and value["CLIENT_SECRET"] is None and value["PRIVATE_KEY_FILE"] is None:
        return None
    method = value["CLIENT_AUTHENTICATION"] or _default(credentials_class, "o_auth_client_authentication")
    if method not in _CLIENT_AUTHENTICATIONS:
        known = ", ".join(_CLIENT_AUTHENTICATIONS)
        raise ValueError(f"{variable['CLIENT_AUTHENTICATION']} must be one of {known}, not {method!r}")
    needed = ["CLIENT_ID"]
    if method in _SECRET_AUTHENTICATIONS:
        needed.append("CLIENT_SECRET")
    if method == "private_key_jwt":
        needed.append("PRIVATE_KEY_FILE")
    for name in needed:
        if value[name] is None:
            raise ValueError(f"{variable[name]} is not set")
    settings: dict[str, Any] = {
        "o_auth_client_authentication": method,
        "o_auth_client_secret": value["CLIENT_SECRET"],
        "o_auth_private_key_id": value["PRIVATE_KEY_ID"],
        "o_auth_scopes": _scopes(variable["SCOPES"], value["SCOPES"], scopes),
        "o_auth_clock_skew": _seconds(variable["CLOCK_SKEW"], value["CLOCK_SKEW"]),
    }
    if value["SIGNING_ALGORITHM"] is not None:
        settings["o_auth_signing_algorithm"] = value["SIGNING_ALGORITHM"]
    if value["PRIVATE_KEY_FILE"] is not None:
        settings["o_auth_private_key"] = _file(variable["PRIVATE_KEY_FILE"], value["PRIVATE_KEY_FILE"])
    return credentials_class(o_auth_client_id=cast(str, client_id), **settings)


def read_user_token(
    environ: Mapping[str, str], prefix: str, credentials_class: type[UserCredentials]
) -> UserCredentials | None:
    """A user's tokens from `<prefix>O_AUTH_ACCESS_TOKEN` and `<prefix>O_AUTH_REFRESH_TOKEN`, with the client
    that refreshes them from `<prefix>O_AUTH_CLIENT_ID` and `<prefix>O_AUTH_CLIENT_SECRET`; None when
    neither token is set."""
    access_token = read_setting(environ, f"{prefix}O_AUTH_ACCESS_TOKEN")
    refresh_token = read_setting(environ, f"{prefix}O_AUTH_REFRESH_TOKEN")
    if access_token is None and refresh_token is None:
        return None
    return credentials_class(
        o_auth_token=OAuthToken(access_token=access_token) if access_token is not None else None,
        o_auth_refresh_token=refresh_token,
        o_auth_client_id=read_setting(environ, f"{prefix}O_AUTH_CLIENT_ID"),
        o_auth_client_secret=read_setting(environ, f"{prefix}O_AUTH_CLIENT_SECRET"),
    )


_OAUTH_VARIABLES = (
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CLIENT_AUTHENTICATION",
    "PRIVATE_KEY_FILE",
    "PRIVATE_KEY_ID",
    "SIGNING_ALGORITHM",
    "SCOPES",
    "CLOCK_SKEW",
)


def _default(credentials_class: type[ClientCredentialsAuthCredentials], field: str) -> Any:
    return next(item.default for item in dataclasses.fields(credentials_class) if item.name == field)


def _file(variable: str, path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        # The message names the file, never its content.
        raise ValueError(f"{variable} names a file that cannot be read: {path} ({error.strerror})") from None


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
            raise ValueError(f"{variable} names the unknown scope {scope!r}; known scopes: {allowed}")
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
