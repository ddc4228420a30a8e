"""SDK runtime benchmark: the generated SDK's auth layer beside authlib's and httpx-auth's client-credentials
clients, the import time of the largest generated SDK, and the memory of one client.

    .venv/bin/python bench/runtime.py [--repeat N]

It makes sure `bench/.venv-alternative` holds authlib, httpx-auth, httpx and the generated SDKs' own
dependencies (httpx2, pydantic), then runs itself again with that environment's Python, so that every
library is measured in one process. authlib speaks httpx2, like the generated SDK, and runs over the same
`httpx2.MockTransport`; httpx-auth supports httpx only and runs over an `httpx.MockTransport`, which
answers the same way. Every client holds a token valid for an hour, so no token is requested while timing.

Measured per request:
- auth layer: the code each library runs per request to authorize it, called directly on a built request
  (generated SDK: choosing the credentials and scopes, `token(scopes)` of the manager and setting the
  header; authlib: `ensure_active_token` and its `OAuth2Auth` flow; httpx-auth: its auth flow up to the
  request it yields);
- whole request: one GET through each client over the mock transport, beside the same GET through a
  plain client without auth; for the SDK it is a whole operation call (building the request and
  decoding the JSON response with pydantic).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ALTERNATIVE_VENV,
    ROOT,
    SHARED_SPECS,
    WORK,
    machine,
    table,
    update_results,
    verdict,
    version,
)

RUNTIME_PACKAGES = ("authlib", "httpx-auth", "httpx", "httpx2>=2.16,<3", "pydantic>=2.11,<3")
GOLDEN_SDK = ROOT / "generated" / "httpccg"
LARGEST_SPEC = SHARED_SPECS / "pinterest-v5.json"
LARGEST_SDK = WORK / "runtime" / "pinterest"
BASE_URL = "https://api.example.com"
TOKEN_URL = "https://auth.example.com/token"
BATCH = 2000
ITEMS_URL = f"{BASE_URL}/items"


Timed = Callable[[], Any]
"""A call to time: a function, or a coroutine function when its measure's name ends in `async`."""


def interleaved(measures: dict[str, dict[str, Timed]], repeat: int) -> dict[str, dict[str, float]]:
    """Median time of one call of each measure, in microseconds, over `repeat` rounds; each round runs one
    batch of every library's every measure, so that all see the same load on a shared machine."""
    loop = asyncio.new_event_loop()
    samples: dict[str, dict[str, list[float]]] = {
        library: {name: [] for name in calls} for library, calls in measures.items()
    }
    for _ in range(repeat):
        for library, calls in measures.items():
            for name, call in calls.items():
                batch = _async_batch(call) if name.endswith("async") else _batch(call)
                samples[library][name].append(loop.run_until_complete(batch))
    loop.close()
    return {
        library: {name: statistics.median(values) for name, values in by_name.items()}
        for library, by_name in samples.items()
    }


async def _batch(call: Timed) -> float:
    start = time.perf_counter_ns()
    for _ in range(BATCH):
        call()
    return (time.perf_counter_ns() - start) / BATCH / 1000


async def _async_batch(call: Timed) -> float:
    start = time.perf_counter_ns()
    for _ in range(BATCH):
        await call()
    return (time.perf_counter_ns() - start) / BATCH / 1000


def _answer(request: Any) -> Any:
    import httpx2

    return httpx2.Response(200, json=[], request=request)


def _answer_httpx(request: Any) -> Any:
    import httpx

    return httpx.Response(200, json=[], request=request)


def _sdk(folder: Path) -> Any:
    sys.path.insert(0, str(folder))
    import httpccg

    return httpccg


def _hour_token(sdk: Any) -> Any:
    return sdk.OAuthToken(access_token="cached-token", expires_in=3600, expiry=int(time.time()) + 3600)


def _credentials(sdk: Any) -> Any:
    return sdk.ClientCredentialsAuthCredentials(
        o_auth_client_id="bench", o_auth_client_secret="secret", o_auth_token=_hour_token(sdk)
    )


def generated_sdk() -> dict[str, Timed]:
    import httpx2

    sdk = _sdk(GOLDEN_SDK)
    from httpccg import _runtime
    from httpccg.resources import items

    endpoint = items._LIST_ITEMS
    transport = httpx2.MockTransport(_answer)
    client = sdk.Client(
        client_credentials_auth_credentials=_credentials(sdk), http_client=httpx2.Client(transport=transport)
    )
    runtime, request = client._runtime, client._http_client.build_request("GET", ITEMS_URL)
    manager_type = sdk.ClientCredentialsAuthManager

    def authorize() -> None:
        manager, scopes = _runtime._apply_static(request, runtime._auth.choose(endpoint), manager_type)
        _runtime._authorize(request, manager.token(scopes))

    async_client = sdk.AsyncClient(
        client_credentials_auth_credentials=_credentials(sdk),
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(_answer)),
    )
    async_runtime = async_client._runtime
    async_manager_type = sdk.AsyncClientCredentialsAuthManager

    async def authorize_async() -> None:
        manager, scopes = _runtime._apply_static(
            request, async_runtime._auth.choose(endpoint), async_manager_type
        )
        _runtime._authorize(request, await manager.token(scopes))

    plain = httpx2.Client(transport=transport)
    plain_async = httpx2.AsyncClient(transport=httpx2.MockTransport(_answer))
    return {
        "auth layer, sync": authorize,
        "auth layer, async": authorize_async,
        "whole request, sync": client.items.list_items,
        "whole request, async": async_client.items.list_items,
        "plain request, sync": lambda: plain.get(ITEMS_URL),
        "plain request, async": lambda: plain_async.get(ITEMS_URL),
    }


def authlib_clients() -> dict[str, Timed]:
    import httpx2
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuth2Client

    token = {"access_token": "cached-token", "token_type": "Bearer", "expires_at": int(time.time()) + 3600}
    options = dict(
        client_id="bench", client_secret="secret", token_endpoint=TOKEN_URL, grant_type="client_credentials"
    )
    client = OAuth2Client(token=dict(token), transport=httpx2.MockTransport(_answer), **options)
    async_client = AsyncOAuth2Client(token=dict(token), transport=httpx2.MockTransport(_answer), **options)
    request = client.build_request("GET", ITEMS_URL)

    def authorize() -> None:
        # What OAuth2Client.request adds to httpx2's request: the token check, then its auth flow.
        if not client.ensure_active_token(client.token):
            raise RuntimeError("token not active")
        next(client.token_auth.sync_auth_flow(request))

    async def authorize_async() -> None:
        await async_client.ensure_active_token(async_client.token)
        await async_client.token_auth.async_auth_flow(request).__anext__()

    return {
        "auth layer, sync": authorize,
        "auth layer, async": authorize_async,
        "whole request, sync": lambda: client.get(ITEMS_URL),
        "whole request, async": lambda: async_client.get(ITEMS_URL),
    }


def httpx_auth_clients() -> dict[str, Timed]:
    import httpx
    import httpx_auth

    auth = httpx_auth.OAuth2ClientCredentials(TOKEN_URL, client_id="bench", client_secret="secret")
    # The token cache is what a first token request fills; filled here so that no request goes out.
    httpx_auth.OAuth2.token_cache.tokens[auth.state] = ("cached-token", time.time() + 3600)
    client = httpx.Client(auth=auth, transport=httpx.MockTransport(_answer_httpx))
    async_client = httpx.AsyncClient(auth=auth, transport=httpx.MockTransport(_answer_httpx))
    request = client.build_request("GET", ITEMS_URL)

    async def authorize_async() -> None:
        await auth.async_auth_flow(request).__anext__()

    plain = httpx.Client(transport=httpx.MockTransport(_answer_httpx))
    plain_async = httpx.AsyncClient(transport=httpx.MockTransport(_answer_httpx))
    return {
        "auth layer, sync": lambda: next(auth.sync_auth_flow(request)),
        "auth layer, async": authorize_async,
        "whole request, sync": lambda: client.get(ITEMS_URL),
        "whole request, async": lambda: async_client.get(ITEMS_URL),
        "plain request, sync": lambda: plain.get(ITEMS_URL),
        "plain request, async": lambda: plain_async.get(ITEMS_URL),
    }


def memory_per_client_kb(make: Callable[[], Any], count: int = 50) -> float:
    """Memory the Python heap holds for one more client (tracemalloc), each with its own HTTP client."""
    make()  # imports and one-time caches are not the client's
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    clients = [make() for _ in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del clients
    return (after - before) / count / 1024


def client_memory() -> dict[str, float]:
    import httpx
    import httpx2
    import httpx_auth
    from authlib.integrations.httpx_client import OAuth2Client

    sdk = _sdk(GOLDEN_SDK)
    shared = httpx2.Client()
    return {
        "generated SDK `Client` (own httpx2.Client)": memory_per_client_kb(
            lambda: sdk.Client(client_credentials_auth_credentials=_credentials(sdk))
        ),
        "generated SDK `Client` (shared httpx2.Client given)": memory_per_client_kb(
            lambda: sdk.Client(client_credentials_auth_credentials=_credentials(sdk), http_client=shared)
        ),
        "authlib `OAuth2Client` (is an httpx2.Client)": memory_per_client_kb(
            lambda: OAuth2Client(client_id="bench", client_secret="secret", token_endpoint=TOKEN_URL)
        ),
        "httpx-auth `OAuth2ClientCredentials` on an httpx.Client": memory_per_client_kb(
            lambda: httpx.Client(
                auth=httpx_auth.OAuth2ClientCredentials(TOKEN_URL, client_id="bench", client_secret="secret")
            )
        ),
        "plain httpx2.Client, for scale": memory_per_client_kb(lambda: httpx2.Client()),
    }


def largest_sdk_package(generator_python: str) -> tuple[Path, str] | None:
    """The pinterest SDK (the largest real spec), generated into bench/.work; None without ../shared."""
    if not LARGEST_SPEC.exists():
        print(f"SKIPPED the import time: {LARGEST_SPEC} is absent (../shared is not beside this clone)")
        return None
    # Generated again each run (it rewrites only what changed), so that it is what this generator makes.
    print(f"generating the pinterest SDK into {LARGEST_SDK} ...", flush=True)
    LARGEST_SDK.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [generator_python, "-m", "generator", str(LARGEST_SPEC), "-o", str(LARGEST_SDK)],
        check=True,
        cwd=LARGEST_SDK.parent,
        stderr=subprocess.DEVNULL,
    )
    package = next(path.parent.name for path in LARGEST_SDK.glob("*/_client.py"))
    return LARGEST_SDK, package


_CREDENTIALS = (
    "credentials = sdk.ClientCredentialsAuthCredentials(o_auth_client_id='bench', o_auth_client_secret='secret', "
    "o_auth_token=sdk.OAuthToken(access_token='t', expires_in=3600, expiry=int(time.time()) + 3600))\n"
)
_MOCK_CLIENT = (
    "import httpx2\n"
    "answer = lambda request: httpx2.Response(200, json={'id': '1', 'title': 'x'}, request=request)\n"
    "client = sdk.Client(client_credentials_auth_credentials=credentials, base_url='https://api.example.com', "
    "http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))\n"
)
_FIRST_CALL = "assert client.pins.pins_get('1').id == '1'\n"
IMPORT_PROBES = {
    "`import httpx2, pydantic` (the dependencies alone)": ("", "import httpx2, pydantic\n"),
    "the dependencies and one pydantic model class (the floor of a pydantic SDK)": (
        "",
        "import httpx2, pydantic\nclass Token(pydantic.BaseModel):\n    access_token: str\n",
    ),
    "`import {package}` (dependencies included)": ("", "import {package} as sdk\n"),
    "`import {package}` and a `Client` with client-credentials credentials (it makes its httpx2.Client,"
    " TLS set-up included)": (
        "",
        "import {package} as sdk\n"
        + _CREDENTIALS
        + "sdk.Client(client_credentials_auth_credentials=credentials)\n",
    ),
    "`import {package}` and a `Client` given an httpx2.Client over a mock transport (no TLS set-up)": (
        "",
        "import {package} as sdk\n" + _CREDENTIALS + _MOCK_CLIENT,
    ),
    "... and its first call, `client.pins.pins_get()` (loads the resource's module and the models it uses,"
    " builds the `Pin` validator)": (
        "",
        "import {package} as sdk\n" + _CREDENTIALS + _MOCK_CLIENT + _FIRST_CALL,
    ),
    "that first call alone, after the import and the `Client` (not timed)": (
        "import {package} as sdk\n" + _CREDENTIALS + _MOCK_CLIENT,
        _FIRST_CALL,
    ),
    "`import {package}` with httpx2 and pydantic already imported (not timed)": (
        "import httpx2, pydantic\n",
        "import {package} as sdk\n",
    ),
}
"""What each import row times in a fresh process, and what that process runs before the clock starts."""


def import_ms(folder: Path, package: str, runs: int) -> dict[str, float]:
    """Median wall time of each of IMPORT_PROBES in fresh processes, interleaved so that all see the same
    load; bytecode is compiled beforehand."""
    environment = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": ""}
    probes = {
        name.replace("{package}", package): (
            "import time\n"
            + preload.replace("{package}", package)
            + "start = time.perf_counter()\n"
            + timed.replace("{package}", package)
            + "print((time.perf_counter() - start) * 1000)\n"
        )
        for name, (preload, timed) in IMPORT_PROBES.items()
    }
    # Writes the .pyc of every module, the models' included.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], env=environment, check=True)
    times: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(runs):
        for name, probe in probes.items():
            done = subprocess.run(
                [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True
            )
            times[name].append(float(done.stdout))
    return {name: statistics.median(values) for name, values in times.items()}


def measure(repeat: int, generator_python: str) -> None:
    print(f"timing the auth layers ({repeat} batches of {BATCH} calls each) ...", flush=True)
    measures = {
        "generated SDK (httpx2)": generated_sdk(),
        "authlib (httpx2)": authlib_clients(),
        "httpx-auth (httpx)": httpx_auth_clients(),
    }
    results = interleaved(measures, repeat)
    sdk, auth_lib, auth_x = results.values()
    timing_rows = []
    for measure_name in (
        "auth layer, sync",
        "auth layer, async",
        "whole request, sync",
        "whole request, async",
    ):
        timing_rows.append([measure_name] + [f"{values[measure_name]:.1f} µs" for values in results.values()])
    for measure_name in ("plain request, sync", "plain request, async"):
        timing_rows.append(
            [
                measure_name + " (no auth, for scale)",
                f"{sdk[measure_name]:.1f} µs (httpx2)",
                f"{sdk[measure_name]:.1f} µs (httpx2)",
                f"{auth_x[measure_name]:.1f} µs (httpx)",
            ]
        )
    memory = client_memory()
    memory_rows = [[name, f"{kb:.0f} KB"] for name, kb in memory.items()]
    budgets = []
    for mode in ("sync", "async"):
        ours = sdk[f"auth layer, {mode}"]
        others = min(auth_lib[f"auth layer, {mode}"], auth_x[f"auth layer, {mode}"])
        budgets.append(
            [f"auth layer with a cached token, {mode}", f"{ours:.1f} µs", "< 5 µs", verdict(ours < 5)]
        )
        budgets.append(
            [
                f"auth layer, {mode}, vs the faster of authlib and httpx-auth",
                f"{ours:.1f} µs vs {others:.1f} µs",
                "not above",
                verdict(ours <= others),
            ]
        )
    import_rows: list[list[str]] = []
    largest = largest_sdk_package(generator_python)
    if largest is not None:
        folder, package = largest
        files = sum(1 for _ in folder.rglob("*.py"))
        timings = import_ms(folder, package, 7)
        import_rows = [[name, f"{ms:.0f} ms"] for name, ms in timings.items()]
        dependencies, _, whole, *_ = timings.values()
        budgets.append(
            [
                f"`import` of the largest generated SDK (pinterest, {files} modules), fresh process",
                f"{whole:.0f} ms ({whole / dependencies:.1f}× `import httpx2, pydantic`: {dependencies:.0f} ms)",
                "< 150 ms",
                verdict(whole < 150),
            ]
        )
    else:
        budgets.append(
            ["`import` of the largest generated SDK", "not measured", "< 150 ms", "../shared absent"]
        )
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("httpx2", "httpx", "pydantic", "authlib", "httpx-auth")
    )
    body = "\n\n".join(
        [
            "\n".join(
                machine()
                + [
                    f"- Packages (bench/.venv-alternative): {versions}",
                    "- Command: `.venv/bin/python bench/runtime.py"
                    + (f" --repeat {repeat}`" if repeat != 7 else "`"),
                ]
            ),
            f"Per request, cached token, over an in-process mock transport that answers `[]` at once; median of {repeat} rounds, each timing one batch of {BATCH} calls of every library in turn. "
            "authlib and the generated SDK run over httpx2, httpx-auth over httpx (it supports nothing else).",
            table(["per request", *results], timing_rows),
            "Memory per client (tracemalloc, mean of 50 clients, each with the HTTP client it makes by default):",
            table(["client", "memory"], memory_rows),
            "Import time (median of 7 fresh processes, each row once per round; bytecode already compiled; "
            "the clock starts after the interpreter's own start-up):",
            (
                table(["in a fresh process", "time"], import_rows)
                if import_rows
                else "not measured: ../shared is absent"
            ),
            "Budgets (issue 6):",
            table(["budget", "measured", "budget", "verdict"], budgets),
        ]
    )
    print("\n" + body)
    update_results("SDK runtime", body)


def ensure_environment() -> Path:
    python = ALTERNATIVE_VENV / "bin" / "python"
    if not python.exists():
        import venv

        print(f"creating {ALTERNATIVE_VENV} ...", flush=True)
        venv.create(ALTERNATIVE_VENV, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *RUNTIME_PACKAGES], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description="SDK runtime benchmark (see the module docstring).")
    parser.add_argument(
        "--repeat", type=int, default=7, help="batches of each timing; the median is reported"
    )
    parser.add_argument("--generator-python", default=sys.executable, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if Path(sys.prefix).resolve() != ALTERNATIVE_VENV.resolve():
        python = ensure_environment()
        command = [str(python), __file__, "--repeat", str(args.repeat), "--generator-python", sys.executable]
        raise SystemExit(subprocess.run(command).returncode)
    measure(args.repeat, args.generator_python)


if __name__ == "__main__":
    main()
