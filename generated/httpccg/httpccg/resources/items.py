"""The operations tagged `Items`: `ItemsResource` and, for `AsyncClient`, `AsyncItemsResource`."""

from __future__ import annotations

from .. import _runtime, models

_LIST_ITEMS: _runtime.Endpoint[list[models.Item]] = _runtime.Endpoint(
    "GET",
    "/items",
    list[models.Item],
    security=({"ClientCredentialsAuth": ("read_scope",)},),
    errors={"401": models.Error},
)
_CREATE_ITEM: _runtime.Endpoint[models.Item] = _runtime.Endpoint(
    "POST",
    "/items",
    models.Item,
    security=({"ClientCredentialsAuth": ("write_scope",)},),
    errors={"400": models.Error, "401": models.Error},
)
_GET_ITEM: _runtime.Endpoint[models.Item] = _runtime.Endpoint(
    "GET",
    "/items/{itemId}",
    models.Item,
    security=({"ClientCredentialsAuth": ("read_scope",)},),
    errors={"404": models.Error},
)
_DELETE_ITEM: _runtime.Endpoint[None] = _runtime.Endpoint(
    "DELETE",
    "/items/{itemId}",
    None,
    security=({"ClientCredentialsAuth": ("write_scope",)},),
    errors={"404": models.Error},
)


class ItemsResource:
    """Items held in the inventory."""

    def __init__(self, runtime: _runtime.SyncRuntime) -> None:
        self._runtime = runtime

    def list_items(
        self, *, limit: int | None = None, status: models.ItemStatus | None = None, x_request_id: str | None = None
    ) -> list[models.Item]:
        """List items

        Returns the items in the inventory, newest first.

        Args:
            limit: The largest number of items to return.
            status: Only items with this status.
            x_request_id: An identifier echoed back by the server for tracing.

        Needs an OAuth token granting `read_scope`.

        Raises:
            AuthenticationError: HTTP 401, body `models.Error`: The access token is missing, expired or lacks a scope.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(
            _LIST_ITEMS, query={"limit": limit, "status": status}, headers={"X-Request-Id": x_request_id}
        )

    def create_item(self, *, body: models.NewItem) -> models.Item:
        """Create an item

        Args:
            body: The request body.

        Needs an OAuth token granting `write_scope`.

        Raises:
            BadRequestError: HTTP 400, body `models.Error`: The item is not valid.
            AuthenticationError: HTTP 401, body `models.Error`: The access token is missing, expired or lacks a scope.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_CREATE_ITEM, body=body)

    def get_item(self, item_id: int) -> models.Item:
        """Get an item

        Args:
            item_id: The item's identifier.

        Needs an OAuth token granting `read_scope`.

        Raises:
            NotFoundError: HTTP 404, body `models.Error`: No item has this identifier.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_GET_ITEM, path={"itemId": item_id})

    def delete_item(self, item_id: int) -> None:
        """Delete an item

        Args:
            item_id: The item's identifier.

        Needs an OAuth token granting `write_scope`.

        Raises:
            NotFoundError: HTTP 404, body `models.Error`: No item has this identifier.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_DELETE_ITEM, path={"itemId": item_id})


class AsyncItemsResource:
    """Items held in the inventory."""

    def __init__(self, runtime: _runtime.AsyncRuntime) -> None:
        self._runtime = runtime

    async def list_items(
        self, *, limit: int | None = None, status: models.ItemStatus | None = None, x_request_id: str | None = None
    ) -> list[models.Item]:
        """List items

        Returns the items in the inventory, newest first.

        Args:
            limit: The largest number of items to return.
            status: Only items with this status.
            x_request_id: An identifier echoed back by the server for tracing.

        Needs an OAuth token granting `read_scope`.

        Raises:
            AuthenticationError: HTTP 401, body `models.Error`: The access token is missing, expired or lacks a scope.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(
            _LIST_ITEMS, query={"limit": limit, "status": status}, headers={"X-Request-Id": x_request_id}
        )

    async def create_item(self, *, body: models.NewItem) -> models.Item:
        """Create an item

        Args:
            body: The request body.

        Needs an OAuth token granting `write_scope`.

        Raises:
            BadRequestError: HTTP 400, body `models.Error`: The item is not valid.
            AuthenticationError: HTTP 401, body `models.Error`: The access token is missing, expired or lacks a scope.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_CREATE_ITEM, body=body)

    async def get_item(self, item_id: int) -> models.Item:
        """Get an item

        Args:
            item_id: The item's identifier.

        Needs an OAuth token granting `read_scope`.

        Raises:
            NotFoundError: HTTP 404, body `models.Error`: No item has this identifier.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_GET_ITEM, path={"itemId": item_id})

    async def delete_item(self, item_id: int) -> None:
        """Delete an item

        Args:
            item_id: The item's identifier.

        Needs an OAuth token granting `write_scope`.

        Raises:
            NotFoundError: HTTP 404, body `models.Error`: No item has this identifier.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_DELETE_ITEM, path={"itemId": item_id})
