"""The OAuth 2.0 scopes the httpCCG API defines, apart from its models so that the client needs none of them."""

from __future__ import annotations

import enum


class OAuthScopeEnum(str, enum.Enum):
    """The OAuth 2.0 scopes of the API; the value of each member is the scope sent to the token endpoint."""

    READ_SCOPE = "read_scope"
    """Read scope"""

    WRITE_SCOPE = "write_scope"
    """Write scope"""
