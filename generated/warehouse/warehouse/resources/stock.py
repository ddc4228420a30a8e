"""The operations tagged `Stock`: `StockResource` and, for `AsyncClient`, `AsyncStockResource`."""

from __future__ import annotations

import datetime
import uuid

from .. import _runtime, models

_LIST_ARTICLES: _runtime.Endpoint[list[models.Article]] = _runtime.Endpoint(
    "GET",
    "/articles",
    list[models.Article],
    security=({"partnerAuth": ("https://api.warehouse.example/auth/stock.read",)}, {"internalAuth": ()}),
    styles={
        ("query", "category"): _runtime.Style("form", explode=False),
        ("query", "filter"): _runtime.Style("deepObject", explode=True),
    },
    errors={"400": models.Problem},
)
_CREATE_ARTICLE: _runtime.Endpoint[models.Article] = _runtime.Endpoint(
    "POST",
    "/articles",
    models.Article,
    security=({"partnerAuth": ("https://api.warehouse.example/auth/stock.write",)},),
    errors={"409": models.Problem},
)
_PUT_ARTICLE_STOCK: _runtime.Endpoint[None] = _runtime.Endpoint(
    "PUT",
    "/articles/{sku}/stock",
    None,
    security=({"internalAuth": ("stock:write",), "dashboardKey": ()},),
    body_format="form",
    content_type="application/x-www-form-urlencoded",
)


class StockResource:
    """Articles and their stock levels."""

    def __init__(self, runtime: _runtime.SyncRuntime) -> None:
        self._runtime = runtime

    def list_articles(
        self,
        *,
        category: list[models.Category] | None = None,
        filter_: models.ListArticlesFilter | None = None,
        from_: datetime.date | None = None,
        x_request_id: uuid.UUID | None = None,
        session: str | None = None,
    ) -> list[models.Article]:
        """List articles

        Args:
            category: Only articles of these categories.
            filter_: The `filter` query parameter.
            from_: Articles changed on or after this day.
            x_request_id: The `X-Request-Id` header parameter.
            session: The `session` cookie parameter.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            BadRequestError: HTTP 400, body `models.Problem`: The request failed.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(
            _LIST_ARTICLES,
            query={"category": category, "filter": filter_, "from": from_},
            headers={"X-Request-Id": x_request_id},
            cookies={"session": session},
        )

    def create_article(self, *, body: models.Article) -> models.Article:
        """Create an article

        Args:
            body: The request body.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.write`.

        Raises:
            ConflictError: HTTP 409, body `models.Problem`: An article with this SKU exists.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_CREATE_ARTICLE, body=body)

    def put_article_stock(
        self, sku: str, *, quantity: int | None = None, reason: models.PutArticlesSkuStockBodyReason | None = None
    ) -> None:
        """Set the stock level of an article

        Counted stock replaces the recorded one.

        The request body is sent as `application/x-www-form-urlencoded`.

        Args:
            sku: The `sku` path parameter.
            quantity: The `quantity` form field.
            reason: The `reason` form field.

        Needs an OAuth token from `internal_auth_credentials` granting `stock:write` and `dashboard_key_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return self._runtime.call(_PUT_ARTICLE_STOCK, path={"sku": sku}, form={"quantity": quantity, "reason": reason})


class AsyncStockResource:
    """Articles and their stock levels."""

    def __init__(self, runtime: _runtime.AsyncRuntime) -> None:
        self._runtime = runtime

    async def list_articles(
        self,
        *,
        category: list[models.Category] | None = None,
        filter_: models.ListArticlesFilter | None = None,
        from_: datetime.date | None = None,
        x_request_id: uuid.UUID | None = None,
        session: str | None = None,
    ) -> list[models.Article]:
        """List articles

        Args:
            category: Only articles of these categories.
            filter_: The `filter` query parameter.
            from_: Articles changed on or after this day.
            x_request_id: The `X-Request-Id` header parameter.
            session: The `session` cookie parameter.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.read`, or an OAuth token from `internal_auth_credentials`.

        Raises:
            BadRequestError: HTTP 400, body `models.Problem`: The request failed.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(
            _LIST_ARTICLES,
            query={"category": category, "filter": filter_, "from": from_},
            headers={"X-Request-Id": x_request_id},
            cookies={"session": session},
        )

    async def create_article(self, *, body: models.Article) -> models.Article:
        """Create an article

        Args:
            body: The request body.

        Needs an OAuth token from `partner_auth_credentials` granting `https://api.warehouse.example/auth/stock.write`.

        Raises:
            ConflictError: HTTP 409, body `models.Problem`: An article with this SKU exists.
            ApiError: The API answered with another error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(_CREATE_ARTICLE, body=body)

    async def put_article_stock(
        self, sku: str, *, quantity: int | None = None, reason: models.PutArticlesSkuStockBodyReason | None = None
    ) -> None:
        """Set the stock level of an article

        Counted stock replaces the recorded one.

        The request body is sent as `application/x-www-form-urlencoded`.

        Args:
            sku: The `sku` path parameter.
            quantity: The `quantity` form field.
            reason: The `reason` form field.

        Needs an OAuth token from `internal_auth_credentials` granting `stock:write` and `dashboard_key_credentials`.

        Raises:
            ApiError: The API answered with an error status.
            OAuthProviderError: No OAuth token could be obtained.
        """
        return await self._runtime.call(
            _PUT_ARTICLE_STOCK, path={"sku": sku}, form={"quantity": quantity, "reason": reason}
        )
