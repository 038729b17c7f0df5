"""`npm run bench:python`: the Python SDK beside a baseline that does what the old product brief's SDK did (one
`requests.post` per event from a background thread, retried by tenacity: 3 attempts, exponential backoff 1 s → 2 s).

Measures, in one run: the cost of recording an event on the caller's thread, events per second delivered to a local
sink, and delivery of 10,000 events under 30% random faults plus a 5-second outage. The sink is the tests' fault
server (tests/fault_server.py) running in its own process.
"""

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from typing import Any, Callable, Dict, List

import requests
from tenacity import before_sleep_log, retry, retry_if_exception_type, stop_after_attempt, wait_exponential

import watchllm

HERE = os.path.dirname(os.path.abspath(__file__))
API_KEY = "wl_ingest_test"
FAULTS = {"error500": 0.10, "drop_before": 0.10, "drop_after": 0.05, "hang": 0.05}  # 30% of requests fail
TOTAL = 10_000
BASELINE_BUDGET = 60.0  # seconds the baseline gets to deliver under faults (it would need far longer)
logger = logging.getLogger("baseline")
logging.getLogger("watchllm").setLevel(logging.ERROR)
logger.setLevel(logging.ERROR)


class Baseline:
    """The brief's SDK: a queue drained by one thread, one POST per event, tenacity-retried, dropped after 3 tries."""

    def __init__(self, base_url: str, timeout: float = 1.0) -> None:
        self.url = base_url + "/api/v1/events"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + API_KEY
        self.queue: "queue.Queue[Any]" = queue.Queue()
        self.sent = self.dropped = 0
        self.stopped = False
        threading.Thread(target=self._run, daemon=True).start()

    @retry(
        stop=stop_after_attempt(3),
        wait=wait_exponential(multiplier=1, min=1, max=10),
        retry=retry_if_exception_type((requests.RequestException, requests.Timeout)),
        before_sleep=before_sleep_log(logger, logging.WARNING),
    )
    def _send_event_with_retry(self, event: Dict[str, Any]) -> Any:
        response = self.session.post(self.url, json={"events": [event]}, timeout=self.timeout)
        response.raise_for_status()
        return response

    def _run(self) -> None:
        while not self.stopped:
            event = self.queue.get()
            try:
                self._send_event_with_retry(event)
                self.sent += 1
            except Exception:
                self.dropped += 1
            self.queue.task_done()

    def capture(self, type: str, name: str, trace_id: str, parent: Any, **fields: Any) -> str:
        event_id = str(uuid.uuid4())
        event = {
            "event_id": event_id,
            "trace_id": trace_id,
            "parent_event_id": parent,
            "type": type,
            "name": name,
            "timestamp": int(time.time() * 1000),
            "status": "ok",
            **fields,
        }
        self.queue.put(event)
        return event_id

    def pending(self) -> int:
        return self.queue.unfinished_tasks

    def stop(self) -> None:
        """Ends the benchmark's use of it: its thread stops after the event in hand (the rest is abandoned)."""
        self.stopped = True


def record_ours(wl: watchllm.WatchLLM, i: int, phase: str = "") -> None:
    """The benchmark's unit of work, 4 events: a trace with a model call, a span and a log."""
    trace = wl.trace("agent", user_id="u1", trace_id="%s-%d" % (phase, i) if phase else None)
    trace.model_response("gpt-4o", usage={"input_tokens": 100, "output_tokens": 20}, output="hi", duration_ms=5)
    trace.span("tool").end()
    trace.log("done")
    trace.end()


def record_baseline(b: Baseline, i: int, phase: str = "") -> None:
    trace_id = "%s-%d" % (phase, i) if phase else str(uuid.uuid4())
    root = str(uuid.uuid4())
    b.capture(
        "model_response",
        "gpt-4o",
        trace_id,
        root,
        model="gpt-4o",
        duration_ms=5,
        body={"output": "hi"},
        usage={"input_tokens": 100, "output_tokens": 20},
        context={"user_id": "u1"},
    )
    b.capture("span", "tool", trace_id, root, context={"user_id": "u1"})
    b.capture("span", "agent", trace_id, None, context={"user_id": "u1"})
    b.capture("log", "end", trace_id, root)


class Sink:
    """The fault server in its own process (so it doesn't share our GIL)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "..", "tests", "fault_server.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.proc.stdout.readline().strip()  # type: ignore[union-attr]

    def control(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url + path, data=data), timeout=10) as res:
            return json.load(res)

    def reset(self, **faults: Any) -> None:
        self.control("/__reset", faults)

    def received(self, phase: str) -> Dict[str, Any]:
        """What arrived of this phase's events (a stopped client's last batch may land after the next phase began)."""
        return self.control("/__received?phase=%s-" % phase)

    def stop(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(10)


def until(predicate: Callable[[], bool], deadline: float) -> bool:
    pause = threading.Event()
    while time.monotonic() < deadline:
        if predicate():
            return True
        pause.wait(0.02)
    return predicate()


def per_event_us(record: Callable[[Any, int], None], target: Any, runs: int = 15, units: int = 2_500) -> List[float]:
    """[wall, thread CPU] µs per event, each the best of `runs` runs: on a shared machine the best run is the one
    nothing else interrupted; CPU time on this thread leaves out time spent descheduled or waiting for the GIL."""
    for i in range(2_000):  # warm up
        record(target, i)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        for i in range(units):
            record(target, i)
        wall.append((time.perf_counter() - started) * 1e6 / (units * 4))
        cpu.append((time.thread_time() - started_cpu) * 1e6 / (units * 4))
    return [min(wall), min(cpu)]


def hot_path(sink: Sink) -> Dict[str, List[List[float]]]:
    """µs per event on the caller's thread, with delivery idle (nothing sent while measuring) and while it delivers."""
    out: Dict[str, List[List[float]]] = {"ours": [], "baseline": []}
    idle = watchllm.WatchLLM(
        api_key=API_KEY, base_url=sink.url, flush_at=1_000, flush_interval=3_600, max_queue_size=10_000_000
    )
    out["ours"].append(per_event_us(record_ours, idle))
    idle.shutdown(timeout=0)
    sink.reset()
    busy = watchllm.WatchLLM(api_key=API_KEY, base_url=sink.url, max_queue_size=10_000_000)
    out["ours"].append(per_event_us(record_ours, busy))
    busy.shutdown(timeout=0)
    quiet = Baseline("http://127.0.0.1:9")  # nothing listening: its thread fails fast and waits out its backoff
    out["baseline"].append(per_event_us(record_baseline, quiet))
    quiet.stop()
    sink.reset()
    baseline = Baseline(sink.url)
    out["baseline"].append(per_event_us(record_baseline, baseline))
    baseline.stop()
    return out


def throughput(sink: Sink) -> Dict[str, float]:
    """Events per second from the first event recorded until the sink holds all of them (no faults)."""
    sink.reset()
    wl = watchllm.WatchLLM(api_key=API_KEY, base_url=sink.url, max_queue_size=1_000_000)
    units = 12_500
    started = time.perf_counter()
    for i in range(units):
        record_ours(wl, i, "ours-rate")
    until(lambda: sink.received("ours-rate")["unique"] >= units * 4, time.monotonic() + 120)
    ours = sink.received("ours-rate")["unique"] / (time.perf_counter() - started)
    wl.shutdown(timeout=0)
    sink.reset()
    baseline = Baseline(sink.url)
    started = time.perf_counter()
    for i in range(units):
        record_baseline(baseline, i, "baseline-rate")
    until(lambda: baseline.pending() == 0, time.monotonic() + 10)  # bounded: it won't finish in time
    theirs = sink.received("baseline-rate")["unique"] / (time.perf_counter() - started)
    baseline.stop()
    return {"ours": ours, "baseline": theirs}


def under_faults(sink: Sink, name: str) -> Dict[str, Any]:
    """10,000 events (in traces of 4) over ~3 s of steady traffic, 30% faults, and a 5 s outage from 1 s in."""
    sink.reset(**FAULTS)
    errors: List[str] = []
    if name == "ours":
        wl = watchllm.WatchLLM(
            api_key=API_KEY, base_url=sink.url, timeout=1.0, on_error=lambda e: errors.append(e.code)
        )
        record: Callable[[int], None] = lambda i: record_ours(wl, i, "ours-faults")  # noqa: E731
    else:
        baseline = Baseline(sink.url, timeout=1.0)
        record = lambda i: record_baseline(baseline, i, "baseline-faults")  # noqa: E731
    started = time.monotonic()
    outage = False
    pause = threading.Event()
    for i in range(TOTAL // 4):
        record(i)
        if i % 25 == 24:
            pause.wait(0.03)  # steady traffic: 100 events every 30 ms
        if not outage and time.monotonic() - started > 1.0:
            outage = True
            sink.control("/__faults", {**FAULTS, "outage_until": time.time() + 5})
    if name == "ours":
        wl.flush(timeout=180)
        done = wl.stats()
        wl.shutdown(timeout=0)
        gave_up = done["dropped"] + done["discarded"]
    else:
        until(lambda: baseline.pending() == 0, started + BASELINE_BUDGET)
        baseline.stop()
        gave_up = baseline.dropped
    elapsed = time.monotonic() - started
    got = sink.received("%s-faults" % name)
    handled = got["unique"] + gave_up
    return {
        "unique": got["unique"],
        "copies": got["copies"],
        "seconds": elapsed,
        "gave_up": gave_up,
        "projected": elapsed * TOTAL / max(1, handled),
        "requests": sum(got["outcomes"].values()),
        "failed": sum(v for k, v in got["outcomes"].items() if k != "202"),
        "finished": got["unique"] + gave_up >= TOTAL,
    }


def main() -> None:
    sink = Sink()
    try:
        print("measuring the caller's thread…", file=sys.stderr)
        hot = hot_path(sink)
        print("measuring throughput…", file=sys.stderr)
        rate = throughput(sink)
        print("delivering 10,000 events under faults (WatchLLM)…", file=sys.stderr)
        ours = under_faults(sink, "ours")
        print("delivering 10,000 events under faults (baseline, at most %d s)…" % BASELINE_BUDGET, file=sys.stderr)
        theirs = under_faults(sink, "baseline")
    finally:
        sink.stop()

    def delivered(r: Dict[str, Any]) -> str:
        text = "{:,} / {:,} ({:.2f}%) in {:.1f} s".format(r["unique"], TOTAL, 100.0 * r["unique"] / TOTAL, r["seconds"])
        if r["finished"]:
            return text
        return text + "; stopped there: at its pace all 10,000 would take ~{:,.0f} min".format(r["projected"] / 60)

    def cost(us: List[float]) -> str:
        return "%.1f µs / %.1f µs" % (us[0], us[1])

    rows = [
        ("caller's thread per event, delivery idle: wall / CPU", cost(hot["ours"][0]), cost(hot["baseline"][0])),
        ("caller's thread per event, while delivering: wall / CPU", cost(hot["ours"][1]), cost(hot["baseline"][1])),
        (
            "delivered to a local sink, no faults",
            "{:,.0f} events/s".format(rate["ours"]),
            "{:,.0f} events/s".format(rate["baseline"]),
        ),
        ("delivered under 30% faults + 5 s outage", delivered(ours), delivered(theirs)),
        ("events given up (dropped after retries)", "{:,}".format(ours["gave_up"]), "{:,}".format(theirs["gave_up"])),
        (
            "requests / failed by the server",
            "{:,} / {:,}".format(ours["requests"], ours["failed"]),
            "{:,} / {:,}".format(theirs["requests"], theirs["failed"]),
        ),
        (
            "duplicate deliveries (lost acks, deduplicated by event_id)",
            "{:,}".format(ours["copies"] - ours["unique"]),
            "{:,}".format(theirs["copies"] - theirs["unique"]),
        ),
    ]
    print(
        "Python %s, watchllm %s, requests %s, %d cores"
        % (sys.version.split()[0], watchllm.__version__, requests.__version__, os.cpu_count() or 0)
    )
    print("| measure | watchllm (Python) | baseline: requests.post per event + tenacity |")
    print("|---|---|---|")
    for row in rows:
        print("| %s | %s | %s |" % row)


if __name__ == "__main__":
    main()
