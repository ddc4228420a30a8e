"""What generated operations put on the wire, read by a real HTTP server that records each request."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator.pipeline import generate_to

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Recorder", "version": "1.0"},
    "security": [],
    "paths": {
        "/notes": {
            "post": {
                "operationId": "addNote",
                "requestBody": {
                    "required": False,
                    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {"type": "string"}}}},
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
        "/tags/{names}": {
            "get": {
                "operationId": "getTags",
                "parameters": [
                    {"name": "names", "in": "path", "required": True, "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
                    {"name": "when", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"204": {"description": "seen"}},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}}
        }
    },
}


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.requests.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
        )
        self.send_response(204)
        self.end_headers()

    do_GET = do_POST = _record  # noqa: N815 - the names http.server calls

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("recorder")
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    result = generate_to(spec, folder / "out")
    return folder / "out", [str(warning) for warning in result.warnings]


def _call(project: Path, base_url: str, code: str) -> None:
    program = f"from recorder import Client\nimport datetime\nclient = Client(base_url={base_url!r})\n{code}\n"
    result = subprocess.run([sys.executable, "-c", program], cwd=project, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_optional_body_left_out_sends_no_body(project: tuple[Path, list[str]], recorder: Any) -> None:
    base_url, requests = recorder
    requests.clear()
    _call(project[0], base_url, "client.default.add_note()\nclient.default.add_note(body={'a': 'b'})")
    without, with_body = requests
    assert without["body"] == b"" and "Content-Type" not in without["headers"]
    assert json.loads(with_body["body"]) == {"a": "b"}


def test_array_path_parameters_use_the_simple_style(project: tuple[Path, list[str]], recorder: Any) -> None:
    base_url, requests = recorder
    requests.clear()
    _call(project[0], base_url, "client.default.get_tags(['a b', 'c/d'], when=datetime.date(2026, 1, 2), flag=True)")
    [request] = requests
    assert request["path"] == "/tags/a%20b,c%2Fd?when=2026-01-02&flag=true"
    assert "Authorization" not in request["headers"]


def test_authorization_header_parameter_is_ignored_with_a_warning(project: tuple[Path, list[str]]) -> None:
    folder, warnings = project
    assert any("/paths/~1tags~1{names}/get/parameters/1" in w and "'Authorization' is ignored" in w for w in warnings)
    assert "authorization" not in (folder / "recorder" / "resources" / "default.py").read_text()


def test_generated_spec_is_typed(project: tuple[Path, list[str]], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), "recorder"],
        cwd=project[0],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout




def test_an_accept_header_set_on_the_http_client_wins(project: tuple[Path, list[str]], recorder: Any) -> None:
    base_url, requests = recorder
    requests.clear()
    code = (
        "import httpx2\n"
        "from recorder import Client as C\n"
        "with C(base_url=client.base_url, http_client=httpx2.Client(headers={'Accept': 'application/vnd.x.1+json'})) as c:\n"
        "    c.default.get_tags(['a'])\n"
        "client.default.get_tags(['b'])\n"
    )
    _call(project[0], base_url, code)
    custom, default = requests
    assert custom["headers"]["Accept"] == "application/vnd.x.1+json"
    assert default["headers"]["Accept"] == "application/json"
