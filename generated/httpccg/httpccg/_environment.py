"""Client settings read from environment variables, for `Client.from_environment()`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from enum import Enum
from typing import cast

from ._auth import ClientCredentialsAuthCredentials


@dataclasses.dataclass(frozen=True)
class EnvironmentSettings:
    credentials: ClientCredentialsAuthCredentials | None
    base_url: str | None
    token_url: str | None


def read_environment(
    prefix: str, scopes: type[Enum], environ: Mapping[str, str]
) -> EnvironmentSettings:
    """Read `<prefix>O_AUTH_CLIENT_ID`, `..._CLIENT_SECRET`, `..._SCOPES`, `..._CLOCK_SKEW`,
    `<prefix>BASE_URL` and `<prefix>TOKEN_URL`; empty variables count as unset.

    Raises:
        ValueError: A variable is missing or malformed; the message names it.
    """

    def get(name: str) -> str | None:
        value = environ.get(prefix + name, "").strip()
        return value or None

    client_id, client_secret = get("O_AUTH_CLIENT_ID"), get("O_AUTH_CLIENT_SECRET")
    credentials = None
    if client_id is not None or client_secret is not None:
        if client_id is None or client_secret is None:
            missing = "O_AUTH_CLIENT_ID" if client_id is None else "O_AUTH_CLIENT_SECRET"
            raise ValueError(f"{prefix}{missing} is not set")
        credentials = ClientCredentialsAuthCredentials(
            o_auth_client_id=client_id,
            o_auth_client_secret=client_secret,
            o_auth_scopes=_scopes(prefix + "O_AUTH_SCOPES", get("O_AUTH_SCOPES"), scopes),
            o_auth_clock_skew=_seconds(prefix + "O_AUTH_CLOCK_SKEW", get("O_AUTH_CLOCK_SKEW")),
        )
    return EnvironmentSettings(credentials, get("BASE_URL"), get("TOKEN_URL"))


def _scopes(variable: str, value: str | None, scopes: type[Enum]) -> list[str] | None:
    if value is None:
        return None
    known = {member.value: cast(str, member) for member in scopes}  # OAuthScopeEnum is a str enum
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
