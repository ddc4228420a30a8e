"""The operations tagged `Service`: `ServiceResource` and, for `AsyncClient`, `AsyncServiceResource`."""

from __future__ import annotations

from .. import _runtime, models

_GET_SERVICE_STATUS: _runtime.Endpoint[models.ServiceStatus] = _runtime.Endpoint("GET", "/status", models.ServiceStatus)


class ServiceResource:
    """Information about the service itself."""

    def __init__(self, runtime: _runtime.SyncRuntime) -> None:
        self._runtime = runtime

    def get_service_status(self) -> models.ServiceStatus:
        """Service status

        Tells whether the service is up. Needs no authentication.

        Raises:
            ApiError: The API answered with an error status.
        """
        return self._runtime.call(_GET_SERVICE_STATUS)


class AsyncServiceResource:
    """Information about the service itself."""

    def __init__(self, runtime: _runtime.AsyncRuntime) -> None:
        self._runtime = runtime

    async def get_service_status(self) -> models.ServiceStatus:
        """Service status

        Tells whether the service is up. Needs no authentication.

        Raises:
            ApiError: The API answered with an error status.
        """
        return await self._runtime.call(_GET_SERVICE_STATUS)
