"""The API's operations, grouped by tag; reach them through a client, such as `client.stock`."""
