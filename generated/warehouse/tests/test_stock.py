"""Tests of the operations tagged `Stock` against a mock server of the spec: each call is accepted, and its answer has the declared type."""

from __future__ import annotations

from warehouse import Client, models

from .helpers import accepted, conforms, value


def test_list_articles(client: Client) -> None:
    """`GET /articles`"""
    with accepted("get", "/articles"):
        result = client.stock.list_articles()
    conforms(result, list[models.Article])


def test_create_article(client: Client) -> None:
    """`POST /articles`"""
    with accepted("post", "/articles"):
        result = client.stock.create_article(body=value(models.Article, {"sku": "WH-0001", "name": "example"}))
    conforms(result, models.Article)


def test_put_article_stock(client: Client) -> None:
    """`PUT /articles/{sku}/stock`"""
    with accepted("put", "/articles/{sku}/stock"):
        client.stock.put_article_stock("example")
