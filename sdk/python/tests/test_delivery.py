"""Delivery: batches, gzip, retries with backoff and Retry-After, re-queueing through outages, a bounded queue, and
never blocking or raising into the app."""

import logging
import socket
import subprocess
import sys
import textwrap
import threading
import time
from email.utils import formatdate

from conftest import wait_until
from fault_server import Faults

from watchllm import WatchLLMError
from watchllm._transport import retry_after_seconds


def record(client, n, prefix="e"):
    """n one-event traces; their trace ids (each root span's event carries one)."""
    ids = []
    for i in range(n):
        trace = client.trace("%s%d" % (prefix, i))
        trace.end()
        ids.append(trace.event_id)
    return ids


def test_sends_batches_of_flush_at_and_gzips_those_over_1_kb(server, make_client):
    client = make_client(flush_at=10, flush_interval=60)
    ids = record(client, 25)
    assert server.wait_for(lambda: len(server.events) >= 20), "two full batches go without waiting for the interval"
    assert client.flush(timeout=5)
    assert sorted(server.events) == sorted(ids)
    sizes = sorted(r["events"] for r in server.requests)
    assert sizes == [5, 10, 10]
    client.trace("small").end()
    assert client.flush(timeout=5)
    assert server.requests[-1]["events"] == 1
    assert [r["gzip"] for r in server.requests] == [r["json_bytes"] > 1024 for r in server.requests], "gzip above 1 KB"
    assert server.requests[0]["gzip"] and not server.requests[-1]["gzip"]
    stats = client.stats()
    assert (stats["recorded"], stats["delivered"], stats["queued"], stats["sending"], stats["requests"]) == (
        26,
        26,
        0,
        0,
        4,
    )


def test_delivers_10000_events_once_each_through_random_faults_and_a_5_second_outage(server, make_client):
    server.faults = Faults(error500=0.1, drop_before=0.1, drop_after=0.05, hang=0.05, too_many=0.02, retry_after="0.5")
    errors = []
    client = make_client(flush_at=100, timeout=0.5, backoff=0.2, on_error=errors.append)
    ids = record(client, 5_000)
    assert server.wait_for(lambda: len(server.events) >= 1_000, timeout=30)
    outage_start = time.time()
    server.faults.outage_until = outage_start + 5
    ids += record(client, 5_000, prefix="during-outage-")
    assert client.flush(timeout=90), client.stats()
    assert len(ids) == 10_000 == len(set(ids))
    assert set(server.events) == set(ids), "every event arrived, and nothing else"
    outcomes = server.statuses()
    lost_acks = outcomes["stored-then-dropped"]
    duplicates = sum(server.counts.values()) - len(ids)
    assert duplicates <= 100 * lost_acks, "copies only where the server stored a batch but its answer was lost"
    assert outcomes["dropped"] > 0 and outcomes["500"] > 0 and outcomes["hang"] > 0
    assert any(r["at"] >= outage_start + 5 for r in server.requests), "the queue was still sending after the outage"
    assert {e.code for e in errors} <= {"network", "http_500", "http_429"}
    stats = client.stats()
    assert stats["queued"] == 0 and stats["dropped"] == 0 and stats["retries"] > 0


def test_keeps_what_failed_every_retry_for_the_next_round(server, make_client):
    server.faults.outage_until = time.time() + 1.5
    client = make_client(max_retries=0, backoff=0.01)
    ids = record(client, 30)
    assert client.flush(timeout=10)
    assert set(server.events) == set(ids)
    assert server.statuses()["dropped"] >= 2, "several rounds failed, each gave the batch back"


def test_waits_as_long_as_retry_after_says(server, make_client):
    server.faults.too_many = 1.0
    server.faults.retry_after = "1"
    client = make_client(backoff=0.01)
    record(client, 1)
    assert client.flush(timeout=0) is False
    assert server.wait_for(lambda: len(server.requests) >= 2, timeout=5)
    server.faults.too_many = 0
    assert client.flush(timeout=5)
    gaps = [b["at"] - a["at"] for a, b in zip(server.requests, server.requests[1:])]
    assert min(gaps) >= 0.95, gaps


def test_reads_retry_after_in_seconds_or_as_an_http_date():
    assert retry_after_seconds("3") == 3.0 and retry_after_seconds("0.5") == 0.5
    assert 8 <= retry_after_seconds(formatdate(time.time() + 10, usegmt=True)) <= 10.5
    assert retry_after_seconds(None) == 0 and retry_after_seconds("soon") == 0


def test_other_4xx_answers_drop_the_batch_and_say_why(server, make_client, caplog):
    errors = []
    server.faults.status = 401
    client = make_client(on_error=errors.append)
    record(client, 3)
    with caplog.at_level(logging.WARNING, logger="watchllm"):
        assert client.flush(timeout=5) is False, "refused: not delivered"
    assert len(server.requests) == 1, "not retried: it would fail again"
    assert [e.code for e in errors] == ["http_401"] and isinstance(errors[0], WatchLLMError)
    assert "injected 401" in errors[0].message
    assert any("refused" in r.getMessage() for r in caplog.records)
    assert client.stats()["discarded"] == 3 and client.stats()["queued"] == 0


def test_reports_each_rejected_event_and_keeps_the_valid_ones(server, make_client):
    errors = []
    client = make_client(on_error=errors.append)
    good = client.trace("good")
    good.end()
    bad = client.trace("bad", trace_id="x" * 200)  # over the API's 128 characters
    bad.end()
    assert client.flush(timeout=5) is False
    assert list(server.events) == [good.event_id]
    (error,) = errors
    assert error.code == "rejected" and error.details[0]["index"] == 1 and error.details[0]["event_id"] == bad.event_id
    assert "trace_id" in error.details[0]["message"]
    bad_only = client.trace("bad again", trace_id="y" * 200)
    bad_only.end()
    assert client.flush(timeout=5) is False
    assert [e.code for e in errors] == ["rejected", "rejected"], "a batch of only invalid events (400) is reported too"
    assert client.stats()["rejected"] == 2 and client.stats()["delivered"] == 1


def test_splits_a_batch_the_server_finds_too_big(server, make_client):
    server.faults.max_events = 30
    client = make_client(flush_at=100, flush_interval=60)
    ids = record(client, 100)
    assert client.flush(timeout=5)
    assert set(server.events) == set(ids)
    assert max(r["events"] for r in server.requests if r["outcome"] == "202") <= 30


def test_a_full_queue_drops_the_oldest_events_and_counts_them(server, make_client):
    errors = []
    server.faults.outage_until = time.time() + 3600
    client = make_client(max_queue_size=50, flush_at=1_000, flush_interval=60, on_error=errors.append)
    ids = record(client, 120)
    stats = client.stats()
    assert (stats["dropped"], stats["queued"], stats["recorded"]) == (70, 50, 120)
    assert {e.code for e in errors} == {"dropped"}
    server.faults.outage_until = 0
    assert client.flush(timeout=5)
    assert set(server.events) == set(ids[70:]), "the newest 50 were kept"


def test_a_dead_endpoint_costs_flush_its_timeout_and_nothing_raises(make_client):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(base_url="http://127.0.0.1:%d" % port, timeout=10, backoff=1.0)
    record(client, 100)
    started = time.monotonic()
    assert client.flush(timeout=2) is False
    assert time.monotonic() - started < 3
    assert client.stats()["queued"] + client.stats()["sending"] == 100
    assert client.shutdown(timeout=0.5) is False


def test_a_server_that_never_answers_holds_neither_flush_nor_the_app(server, make_client):
    server.faults.hang = 1.0
    server.faults.hang_seconds = 20
    client = make_client(timeout=10, flush_at=10)
    record(client, 10)
    assert server.wait_for(lambda: len(server.requests) >= 1, timeout=5), "a request is stuck in flight"
    started = time.perf_counter()
    record(client, 2_000)
    per_event = (time.perf_counter() - started) / 2_000
    assert per_event < 200e-6, "recording does not wait for delivery (%.1f µs per event)" % (per_event * 1e6)
    started = time.monotonic()
    assert client.flush(timeout=2) is False
    assert time.monotonic() - started < 3


def test_a_throwing_on_error_and_odd_input_never_reach_the_app(server, make_client):
    def explode(error):
        raise RuntimeError("handler bug")

    class Hostile:
        def __repr__(self):
            raise ValueError("no repr")

    server.faults.status = 400
    client = make_client(on_error=explode)
    trace = client.trace(None, tags=[1, None], metadata={"x": Hostile()}, input=Hostile())  # type: ignore[arg-type]
    trace.model_response(None, usage="garbage", duration_ms=-5, output=Hostile())  # type: ignore[arg-type]
    trace.tool_call("t", input=object())
    trace.error(Hostile())
    trace.end(output=Hostile())
    assert client.flush(timeout=5) is False
    server.faults.status = 0
    trace = client.trace("after")
    trace.end()
    assert client.flush(timeout=5)
    assert trace.event_id in server.events


def test_many_threads_record_at_once_and_each_event_arrives_once(server, make_client):
    client = make_client(flush_at=50)
    ids, lock = [], threading.Lock()

    def work(n):
        mine = record(client, 500, prefix="t%d-" % n)
        with lock:
            ids.extend(mine)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert client.flush(timeout=20)
    assert set(server.events) == set(ids) and len(ids) == 4_000
    assert set(server.counts.values()) == {1}


def test_shutdown_flushes_and_later_events_are_ignored(server, make_client):
    client = make_client(flush_interval=60)
    ids = record(client, 5)
    assert client.shutdown(timeout=5) is True
    assert set(server.events) == set(ids)
    record(client, 5, prefix="late")
    assert client.stats()["recorded"] == 5 and client.flush(timeout=1) is True and client.shutdown() is True


def test_what_is_queued_at_exit_is_sent(server):
    script = textwrap.dedent(
        """
        import watchllm
        wl = watchllm.WatchLLM(api_key="wl_ingest_test", base_url=%r, flush_interval=60)
        for i in range(42):
            wl.trace("at-exit-%%d" %% i).end()
        """
        % server.url
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert wait_until(lambda: len(server.events) == 42, timeout=5)
    assert sorted(e["name"] for e in server.events.values()) == sorted("at-exit-%d" % i for i in range(42))
