"""Errors raised by the httpccg client."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """The API answered with an error status.

    Attributes:
        status_code: The HTTP status of the response.
        body: The response body: parsed JSON when it is JSON, else the text.
    """

    def __init__(self, message: str, *, status_code: int, body: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class OAuthProviderError(ApiError):
    """The OAuth 2.0 token endpoint refused to issue a token, or answered with something that is not one.

    Attributes:
        error: The RFC 6749 section 5.2 error code, such as `invalid_client`, when the server sent one.
        error_description: The server's explanation, when it sent one.
        error_uri: A page about the error, when the server sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: str | None = None,
        error_description: str | None = None,
        error_uri: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, status_code=status_code, body=body)
        self.error = error
        self.error_description = error_description
        self.error_uri = error_uri
