"""The generated README's quick starts run against the real servers, so the docs cannot drift."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import GOLDEN_HTTPCCG
from support.server import OAuthTestServer


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env, "PYTHONPATH": str(GOLDEN_HTTPCCG)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_quick_start_runs(fresh_server: OAuthTestServer) -> None:
    sync_block = _python_blocks((GOLDEN_HTTPCCG / "README.md").read_text())[0]
    client_id, secret = fresh_server.clients["basic"]
    code = sync_block.replace('"OAuthClientId"', repr(client_id)).replace('"OAuthClientSecret"', repr(secret))
    # The spec's server is a placeholder address; point the example at the test server.
    code = code.replace("Client(\n", f"Client(\n    base_url={fresh_server.base_url!r},\n", 1)
    assert code.count(fresh_server.base_url) == 1 and repr(secret) in code
    result = _run(code, {})
    assert result.returncode == 0, result.stderr
    assert "Widget" in result.stdout
    assert len(fresh_server.token_requests()) == 1


def test_async_quick_start_runs_from_the_environment(fresh_server: OAuthTestServer) -> None:
    async_block = _python_blocks((GOLDEN_HTTPCCG / "README.md").read_text())[1]
    client_id, secret = fresh_server.clients["basic"]
    env = {
        "HTTPCCG_O_AUTH_CLIENT_ID": client_id,
        "HTTPCCG_O_AUTH_CLIENT_SECRET": secret,
        "HTTPCCG_O_AUTH_SCOPES": "read_scope",
        "HTTPCCG_BASE_URL": fresh_server.base_url,
    }
    result = _run(async_block, env)
    assert result.returncode == 0, result.stderr
    assert "Widget" in result.stdout
    [request] = fresh_server.token_requests()
    assert request["scope"] == "read_scope"
