"""Fixtures of the tests: a mock server of the API and a client of it with test credentials.

The mock is Prism, started from the spec in `openapi.json` for the session; it checks every request
against the spec and answers with data the spec describes. Prism follows a `$ref` wherever it stands, also
inside an example's data (an example of a JSON Schema document holds some), and refuses a spec whose
examples hold one that resolves nowhere in it: it gets a copy of the spec with those keys renamed. `WAREHOUSE_TEST_BASE_URL` names a
mock that is already running instead, and `PRISM` the command that starts Prism (by default with npx,
which needs Node.js).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx2
import pytest

from warehouse import (
    Client,
    ApiKeyCredentials,
    HttpBearerCredentials,
    InternalAuthCredentials,
    OAuthToken,
    PartnerAuthCredentials,
)

from .helpers import SPEC, record

PRISM = "npx --yes @stoplight/prism-cli@5.16.0"
STARTUP_SECONDS = 120.0
DOCUMENT_ERROR = re.compile(r"(?:MissingPointer|Resolver|Parser|InvalidPointer)Error: (?P<message>[^\n\\]*)")
"""How Prism (its $ref resolver) says it cannot read the spec."""


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The mock server's URL."""
    given = os.environ.get("WAREHOUSE_TEST_BASE_URL")
    if given:
        yield given
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = Path(tempfile.mkdtemp(prefix="prism-"))
    spec = folder / SPEC.name
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    spec.write_text(json.dumps(_Examples(document).without_dangling_refs(document)), encoding="utf-8")
    command = shlex.split(os.environ.get("PRISM") or PRISM)
    command += ["mock", str(spec), "--host", "127.0.0.1", "--port", str(port)]
    # Prism writes a line per request: a file, unlike a pipe nobody reads, never fills up.
    # A session of its own: npx runs Prism as a child, which must stop with it.
    with (
        tempfile.TemporaryFile("w+") as log,
        subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True) as prism,
    ):
        try:
            _wait_for(prism, port, log, command)
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(prism)
            shutil.rmtree(folder)


def _stop(prism: subprocess.Popen[bytes]) -> None:
    """Stop Prism and whatever it started (POSIX: its process group; elsewhere, the process)."""
    try:
        os.killpg(prism.pid, signal.SIGTERM)
    except (AttributeError, ProcessLookupError):
        prism.terminate()
    prism.wait(timeout=30)


class _Examples:
    """The spec with each `$ref` key inside example data that resolves nowhere in the spec renamed
    `x-example-$ref`; every other key, references included, as it is."""

    def __init__(self, document: Any) -> None:
        self._document = document

    def without_dangling_refs(self, node: Any, in_example: bool = False) -> Any:
        if isinstance(node, list):
            return [self.without_dangling_refs(item, in_example) for item in node]
        if not isinstance(node, dict):
            return node
        renamed = {}
        for key, value in node.items():
            if in_example and key == "$ref" and not self._resolves(value):
                key = "x-example-$ref"
            if key == "examples" and isinstance(value, dict) and not in_example:
                value = {name: self._example_object(item) for name, item in value.items()}
            else:
                holds_data = in_example or key == "example" or (key == "examples" and isinstance(value, list))
                value = self.without_dangling_refs(value, holds_data)
            renamed[key] = value
        return renamed

    def _example_object(self, example: Any) -> Any:
        """An Example Object: its `value` is data; its own `$ref` names another Example Object."""
        if not isinstance(example, dict):
            return example
        return {key: self.without_dangling_refs(value, key == "value") for key, value in example.items()}

    def _resolves(self, ref: Any) -> bool:
        if not isinstance(ref, str) or not ref.startswith("#"):
            return True  # not a local reference: left to Prism
        node = self._document
        for part in ref[1:].split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return False
        return True


def _wait_for(prism: subprocess.Popen[bytes], port: int, log: IO[str], command: list[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while prism.poll() is None and time.monotonic() < deadline:
        with socket.socket() as connection:
            if connection.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    log.seek(0)
    output = log.read()
    refusal = DOCUMENT_ERROR.search(output)
    if prism.poll() is not None and refusal:
        # Not the SDK's doing: the mock cannot read what the spec holds (such as a `$ref` in an example).
        pytest.skip(f"Prism cannot load the spec: {refusal['message']}")
    raise RuntimeError(f"Prism did not start ({shlex.join(command)}):\n{output[-4000:]}")


def _test_token(last_token: OAuthToken | None, auth_manager: object) -> OAuthToken:
    return OAuthToken(access_token="test-access-token")


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[Client]:
    """A client of the mock server with credentials for every security scheme."""
    with (
        httpx2.Client(timeout=30, event_hooks={"response": [record]}) as http_client,
        Client(
            base_url=base_url,
            http_client=http_client,
            partner_auth_credentials=PartnerAuthCredentials(
                o_auth_client_id="test-client",
                o_auth_client_secret="test-secret",
                o_auth_client_authentication="client_secret_basic",
                o_auth_token_provider=_test_token,
            ),
            internal_auth_credentials=InternalAuthCredentials(
                o_auth_client_id="test-client",
                o_auth_client_secret="test-secret",
                o_auth_client_authentication="client_secret_basic",
                o_auth_token_provider=_test_token,
            ),
            dashboard_key_credentials=ApiKeyCredentials(api_key="test-key"),
            bearer_token_credentials=HttpBearerCredentials(token="test-token"),
        ) as client,
    ):
        yield client
