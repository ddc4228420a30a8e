"""Data models of the httpCCG API."""

from __future__ import annotations

from . import _Model


class ServiceStatus(_Model):
    """An object of the 'ServiceStatus' schema."""

    status: str
    """`ok` when the service is healthy."""
    version: str | None = None
