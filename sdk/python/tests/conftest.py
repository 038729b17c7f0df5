"""Fixtures: a fault-injecting ingest server per test, clients pointed at it (shut down after the test), and a helper
that waits for a condition with a deadline instead of sleeping."""

import os
import sys
import threading
import time
from typing import Any, Callable, Iterator, List

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from fault_server import API_KEY, FaultServer  # noqa: E402

import watchllm  # noqa: E402
from watchllm import _client  # noqa: E402


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.005) -> bool:
    """Polls predicate until it is true or the deadline passes (True if it became true)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        pause.wait(interval)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer(seed=1)
    yield srv
    srv.stop()


@pytest.fixture
def make_client(server: FaultServer) -> Iterator[Callable[..., watchllm.WatchLLM]]:
    made: List[watchllm.WatchLLM] = []

    def make(**options: Any) -> watchllm.WatchLLM:
        settings = dict(api_key=API_KEY, base_url=server.url, flush_interval=0.05, timeout=2.0, backoff=0.05)
        settings.update(options)
        client = watchllm.WatchLLM(**settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.shutdown(timeout=0)


@pytest.fixture
def client(make_client: Callable[..., watchllm.WatchLLM]) -> watchllm.WatchLLM:
    """A client that is also the default one (for @observe and observe_openai)."""
    c = make_client()
    _client._default = c
    return c


@pytest.fixture(autouse=True)
def no_default_client() -> Iterator[None]:
    previous = _client._default
    _client._default = None
    yield
    _client._default = previous
