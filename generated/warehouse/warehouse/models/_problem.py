"""Data models of the Warehouse API."""

from __future__ import annotations

from . import _Model


class Problem(_Model):
    """An RFC 9457 problem report."""

    type: str | None = None
    title: str
    status: int
    detail: str | None = None
