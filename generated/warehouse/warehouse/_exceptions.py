"""Errors raised by the warehouse client."""

from __future__ import annotations

from typing import Any

import httpx2


class ApiError(Exception):
    """The API answered with an error status.

    Statuses with a subclass of their own raise it: `BadRequestError` (400), `AuthenticationError`
    (401), `PermissionDeniedError` (403), `NotFoundError` (404), `ConflictError` (409),
    `UnprocessableEntityError` (422), `RateLimitError` (429) and `InternalServerError` (5xx).

    Attributes:
        status_code: The HTTP status of the response.
        headers: The response headers.
        body: The response body: the model the API declares for the status when the body fits it, else
            the parsed JSON, else the text.
    """

    def __init__(
        self, message: str, *, status_code: int, body: Any = None, headers: httpx2.Headers | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.headers = headers if headers is not None else httpx2.Headers()
        self.body = body


class BadRequestError(ApiError):
    """HTTP 400: the API found the request malformed or invalid."""


class AuthenticationError(ApiError):
    """HTTP 401: the API did not accept the credentials, even with a renewed token."""


class PermissionDeniedError(ApiError):
    """HTTP 403: the credentials do not allow this request (a scope may be missing)."""


class NotFoundError(ApiError):
    """HTTP 404: what the request names does not exist."""


class ConflictError(ApiError):
    """HTTP 409: the request conflicts with the current state of the resource."""


class UnprocessableEntityError(ApiError):
    """HTTP 422: the API understood the request but its content is not valid."""


class RateLimitError(ApiError):
    """HTTP 429: too many requests; the `Retry-After` header, when sent, tells when to try again."""


class InternalServerError(ApiError):
    """HTTP 5xx: the API failed to handle the request."""


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


class OAuthTokenUnavailableError(Exception):
    """An operation needs a user's OAuth token that the client does not have and cannot get: the token
    given has expired, and there is neither a provider nor a refresh token to renew it. The user must go
    through the authorization flow again. (A token the API refuses, when it cannot be renewed, raises the
    API's `AuthenticationError`.)"""
