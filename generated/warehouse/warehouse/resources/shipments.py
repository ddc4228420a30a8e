"""The operations tagged `Shipments`: `ShipmentsResource` and, for `AsyncClient`, `AsyncShipmentsResource`."""

from __future__ import annotations

from .. import _runtime, models

_CREATE_SHIPMENT: _runtime.Endpoint[models.Shipment] = _runtime.Endpoint(
    "POST",
    "/shipments",
    models.Shipment,
    security=({"partnerAuth": ("https://api.warehouse.example/auth/shipments",)}, {"bearerToken": ()}),
    errors={"4XX": models.Problem},
)
_GET_SHIPMENT_LABEL: _runtime.Endpoint[bytes] = _runtime.Endpoint(
    "GET",
    "/shipments/{id}/label",
    bytes,
    security=({"partnerAuth": ("https://api.warehouse.example/auth/stock.read",)}, {"internalAuth": ()}),
    errors={"404": models.Problem},
    response_format="binary",
    accept="application/pdf",
)
_GET_SHIPMENT_MANIFEST: _runtime.Endpoint[str] = _runtime.Endpoint(
    "GET",
    "/shipments/{id}/manifest",
    str,
    security=({"partnerAuth": ("https://api.warehouse.example/auth/stock.read",)}, {"internalAuth": ()}),
    response_format="text",
    accept="text/csv",
)


class ShipmentsResource:
    """Shipments leaving the warehouse."""

    def __init__(self, runtime: _runtime.SyncRuntime) -> None:
        self._runtime = runtime

    def create_shipment(self, *, body: models.NewShipment) -> models.Shipment:
        """create_shipment

        Args:
            body: The request body.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/shipments`, or `bearer_token_credentials`.

        Raises:
            ApiError: HTTP 4XX, body `models.Problem`: The request failed.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_CREATE_SHIPMENT, body=body)

    def get_shipment_label(self, id_: int, *, format_: models.GetShipmentLabelFormat | None = None) -> bytes:
        """get_shipment_label

        Args:
            id_: The `id` path parameter.
            format_: The `format` query parameter.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            NotFoundError: HTTP 404, body `models.Problem`: The request failed.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_GET_SHIPMENT_LABEL, path={"id": id_}, query={"format": format_})

    def get_shipment_manifest(self, id_: int) -> str:
        """get_shipment_manifest

        Args:
            id_: The `id` path parameter.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_GET_SHIPMENT_MANIFEST, path={"id": id_})


class AsyncShipmentsResource:
    """Shipments leaving the warehouse."""

    def __init__(self, runtime: _runtime.AsyncRuntime) -> None:
        self._runtime = runtime

    async def create_shipment(self, *, body: models.NewShipment) -> models.Shipment:
        """create_shipment

        Args:
            body: The request body.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/shipments`, or `bearer_token_credentials`.

        Raises:
            ApiError: HTTP 4XX, body `models.Problem`: The request failed.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_CREATE_SHIPMENT, body=body)

    async def get_shipment_label(self, id_: int, *, format_: models.GetShipmentLabelFormat | None = None) -> bytes:
        """get_shipment_label

        Args:
            id_: The `id` path parameter.
            format_: The `format` query parameter.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            NotFoundError: HTTP 404, body `models.Problem`: The request failed.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_GET_SHIPMENT_LABEL, path={"id": id_}, query={"format": format_})

    async def get_shipment_manifest(self, id_: int) -> str:
        """get_shipment_manifest

        Args:
            id_: The `id` path parameter.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_GET_SHIPMENT_MANIFEST, path={"id": id_})
