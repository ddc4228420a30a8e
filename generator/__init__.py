"""generate-sdk: typed Python SDKs from OpenAPI documents with OAuth 2.0 client credentials."""

__version__ = "0.1.0"
