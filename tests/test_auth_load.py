"""Single-flight under load: however many callers need a token at once, one token request is made.

Token requests are counted by the fault-injecting proxy in front of the real server (support.proxy);
API requests go to the server directly and are counted in its log.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from httpccg import (
    AsyncClient,
    Client,
    ClientCredentialsAuthCredentials,
    OAuthProviderError,
    OAuthScopeEnum,
    TokenRetryPolicy,
)
from support.proxy import Fault, FaultProxy
from support.server import OAuthTestServer

TASKS = 1000
THREADS = 64
QUICK = TokenRetryPolicy(max_attempts=4, base_delay=0.05, max_delay=2.0, max_total=10.0)
# The short client's tokens live 4 s; counting them expired 3 s early makes renewal due after 1 s.
EARLY_EXPIRY = 3.0


def credentials(server: OAuthTestServer, client: str) -> ClientCredentialsAuthCredentials:
    client_id, secret = server.clients[client]
    return ClientCredentialsAuthCredentials(
        o_auth_client_id=client_id,
        o_auth_client_secret=secret,
        o_auth_scopes=[OAuthScopeEnum.READ_SCOPE],
        o_auth_clock_skew=EARLY_EXPIRY if client == "short" else None,
        o_auth_retry=QUICK,
    )


def many_tasks(
    server: OAuthTestServer, proxy: FaultProxy, *, client: str = "basic", renew: bool = False
) -> list[Any]:
    """Run TASKS concurrent calls on one cold AsyncClient (after one call and its token's expiry with `renew`)."""

    async def call(api: AsyncClient) -> Any:
        try:
            return (await api.items.get_item(1)).name
        except OAuthProviderError as error:
            return error.status_code

    async def main() -> list[Any]:
        async with AsyncClient(
            client_credentials_auth_credentials=credentials(server, client),
            base_url=server.base_url,
            token_url=proxy.token_url,
        ) as api:
            if renew:
                await api.items.get_item(1)
                wait_until_stale(api.client_credentials_auth_manager.o_auth_token)
            return list(await asyncio.gather(*(call(api) for _ in range(TASKS))))

    return asyncio.run(main())


def many_threads(
    server: OAuthTestServer, proxy: FaultProxy, *, client: str = "basic", renew: bool = False
) -> list[Any]:
    """Run THREADS concurrent calls on one cold Client (after one call and its token's expiry with `renew`)."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[Any] = []
    with Client(
        client_credentials_auth_credentials=credentials(server, client),
        base_url=server.base_url,
        token_url=proxy.token_url,
    ) as api:
        if renew:
            api.items.get_item(1)
            wait_until_stale(api.client_credentials_auth_manager.o_auth_token)

        def work() -> None:
            barrier.wait()
            try:
                outcomes.append(api.items.get_item(1).name)
            except OAuthProviderError as error:
                outcomes.append(error.status_code)

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes


def wait_until_stale(token: Any) -> None:
    assert token is not None and token.expiry is not None
    time.sleep(max(0.0, token.expiry - EARLY_EXPIRY - time.time()) + 0.05)


RUNNERS = {"1000-tasks": (many_tasks, TASKS), "64-threads": (many_threads, THREADS)}


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow-2s"])
@pytest.mark.parametrize("runner", RUNNERS)
def test_cold_client_makes_one_token_request(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, runner: str, slow: bool
) -> None:
    run, callers = RUNNERS[runner]
    if slow:
        fault_proxy.always(Fault(delay=2.0, name="slow"))
    outcomes = run(fresh_server, fault_proxy)
    assert outcomes == ["Widget"] * callers
    assert fault_proxy.token_count() == 1
    assert len(fresh_server.api_requests()) == callers


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow-2s"])
@pytest.mark.parametrize("runner", RUNNERS)
def test_expiry_makes_one_renewal(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, runner: str, slow: bool
) -> None:
    run, callers = RUNNERS[runner]
    if slow:
        fault_proxy.always(Fault(delay=2.0, name="slow"))
    outcomes = run(fresh_server, fault_proxy, client="short", renew=True)
    assert outcomes == ["Widget"] * callers
    assert fault_proxy.token_count() == 2  # the first token, then one renewal for all callers
    assert [request["status"] for request in fresh_server.api_requests()] == [200] * (callers + 1)


# Single-flight holds while the one acquisition retries.


@pytest.mark.parametrize("runner", RUNNERS)
def test_callers_share_the_retries_of_one_acquisition(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, runner: str
) -> None:
    run, callers = RUNNERS[runner]
    fault_proxy.inject(Fault.answer(500, {"error": "server_error"}), count=2)
    outcomes = run(fresh_server, fault_proxy)
    assert outcomes == ["Widget"] * callers
    assert fault_proxy.token_count() == 3


@pytest.mark.parametrize("runner", RUNNERS)
def test_callers_share_a_failed_acquisition_which_is_not_cached(
    fresh_server: OAuthTestServer, fault_proxy: FaultProxy, runner: str
) -> None:
    run, callers = RUNNERS[runner]
    fault_proxy.inject(Fault.answer(503, {"error": "temporarily_unavailable"}), count=QUICK.max_attempts)
    assert run(fresh_server, fault_proxy) == [503] * callers
    assert fault_proxy.token_count() == QUICK.max_attempts
    assert run(fresh_server, fault_proxy) == ["Widget"] * callers
    assert fault_proxy.token_count() == QUICK.max_attempts + 1
