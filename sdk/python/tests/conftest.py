"""Fixtures: a fault-injecting ingest server per test, clients pointed at it (shut down after the test), and a helper
that waits for a condition with a deadline instead of sleeping."""

import os
import sys
import threading
import time
from typing import Any, Callable, Iterator, List

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from fault_server import API_KEY, FaultServer
from instance import Instance

import watchllm
from watchllm import _client


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


_worker: List[Instance] = []


@pytest.hookimpl(trylast=True)  # after -k / --deselect: start the Worker only if an end-to-end test will run
def pytest_collection_modifyitems(session: Any, config: Any, items: List[Any]) -> None:
    """End-to-end tests run last, and their Worker starts now, while the others run."""
    e2e = [item for item in items if item.path.name == "test_e2e.py"]
    if e2e:
        items[:] = [item for item in items if item not in e2e] + e2e
        _worker.append(Instance())


def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:
    for instance in _worker:
        instance.stop()


@pytest.fixture(scope="session")
def worker() -> Any:
    """The scratch Worker: {base, ingest_key, secret_key, project_id}."""
    instance = _worker[0]
    info = instance.info()
    if info is None:
        pytest.fail("the Worker did not start: %s" % "".join(instance.errors)[-3000:])
    return info


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
