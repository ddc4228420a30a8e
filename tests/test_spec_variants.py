"""Specs in this generator's scope other than the example: each generates a package that imports,
passes mypy --strict and authenticates against the real server."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from generator.pipeline import generate_to
from support.server import OAuthTestServer

CALL = """
from {package} import Client, ClientCredentialsAuthCredentials, OAuthScopeEnum
credentials = ClientCredentialsAuthCredentials(
    o_auth_client_id={client_id!r}, o_auth_client_secret={secret!r}, o_auth_scopes=list(OAuthScopeEnum)
)
with Client(client_credentials_auth_credentials=credentials, base_url={base_url!r}) as client:
    print(sorted(item.name for item in client.{resource}.list_items()))
"""


def _base_spec() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "specs" / "httpccg.yaml").read_text())


def _openapi_31_json(server: OAuthTestServer) -> dict[str, Any]:
    """3.1 in JSON: type arrays for null, an absolute tokenUrl, no servers, per-operation security only."""
    spec = _base_spec()
    spec["openapi"] = "3.1.0"
    del spec["servers"]
    global_security = spec.pop("security")
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation.setdefault("security", global_security)
    spec["components"]["securitySchemes"]["ClientCredentialsAuth"]["flows"]["clientCredentials"]["tokenUrl"] = server.token_url
    note = spec["components"]["schemas"]["Item"]["properties"]["note"]
    del note["nullable"]
    note["type"] = ["string", "null"]
    return spec


def _renamed(server: OAuthTestServer) -> dict[str, Any]:
    """Names that need work: a scheme and tag with spaces, scopes with colons, a keyword parameter; and
    a scheme whose clients authenticate with client_secret_post unless their credentials say otherwise."""
    spec = copy.deepcopy(_base_spec())
    spec["info"]["title"] = "Inventory Service (v2)"
    scheme = spec["components"]["securitySchemes"].pop("ClientCredentialsAuth")
    scheme["x-client-authentication"] = "client_secret_post"
    spec["components"]["securitySchemes"]["oauth client"] = scheme
    spec["security"] = [{"oauth client": ["read_scope"]}]
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and operation.get("tags") == ["Items"]:
                operation["tags"] = ["Stock items"]
                if operation.get("security"):
                    operation["security"] = [{"oauth client": ["write_scope"]}]
    spec["paths"]["/items"]["get"]["parameters"].append({"name": "class", "in": "query", "schema": {"type": "string"}})
    return spec


@pytest.mark.parametrize(
    ("variant", "file_name", "package", "resource", "client"),
    [(_openapi_31_json, "spec.json", "variant31", "items", "basic"), (_renamed, "spec.yaml", None, "stock_items", "post")],
)
def test_variant_generates_a_working_typed_package(
    fresh_server: OAuthTestServer,
    tmp_path: Path,
    variant: Any,
    file_name: str,
    package: str | None,
    resource: str,
    client: str,
) -> None:
    spec_path = tmp_path / file_name
    spec = variant(fresh_server)
    spec_path.write_text(json.dumps(spec) if file_name.endswith(".json") else yaml.safe_dump(spec))
    result = generate_to(spec_path, tmp_path / "out", package)
    package_name = result.package
    if package is None:
        assert package_name == "inventory_service_v2"

    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), package_name],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout

    # The server holds each client to its registered method: the post client succeeds only if the spec's
    # x-client-authentication became the default.
    client_id, secret = fresh_server.clients[client]
    code = CALL.format(package=package_name, client_id=client_id, secret=secret, base_url=fresh_server.base_url, resource=resource)
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "out", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['Gadget', 'Widget']"
    assert [(request["status"], request["auth_method"]) for request in fresh_server.token_requests()] == [
        (200, "post" if client == "post" else "basic")
    ]
