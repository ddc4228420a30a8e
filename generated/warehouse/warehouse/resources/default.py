"""The operations tagged `default`: `DefaultResource` and, for `AsyncClient`, `AsyncDefaultResource`."""

from __future__ import annotations

from .. import _runtime, models

_GET_HEALTH: _runtime.Endpoint[str] = _runtime.Endpoint(
    "GET", "/health", str, response_format="text", accept="text/plain"
)


class DefaultResource:
    """Operations tagged 'default'."""

    def __init__(self, runtime: _runtime.SyncRuntime) -> None:
        self._runtime = runtime

    def get_health(self) -> str:
        """Whether the service is up

        Raises:
            ApiError: The API answered with an error status.
        """
        return self._runtime.call(_GET_HEALTH)


class AsyncDefaultResource:
    """Operations tagged 'default'."""

    def __init__(self, runtime: _runtime.AsyncRuntime) -> None:
        self._runtime = runtime

    async def get_health(self) -> str:
        """Whether the service is up

        Raises:
            ApiError: The API answered with an error status.
        """
        return await self._runtime.call(_GET_HEALTH)
