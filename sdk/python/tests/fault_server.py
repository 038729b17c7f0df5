"""A local stand-in for POST /api/v1/events that misbehaves on request: random 500s, connections dropped before or
after storing the batch, hangs past the client's timeout, 429 with Retry-After, a full outage, a fixed status. It
checks every event against the wire format (rejecting what the real API would, and unknown fields too) and counts
each event_id it stores."""

import collections
import gzip
import json
import random
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional

API_KEY = "wl_ingest_test"
TYPES = {"span", "model_response", "tool_call", "log", "error"}
FIELDS = {
    "event_id",
    "trace_id",
    "parent_event_id",
    "type",
    "name",
    "timestamp",
    "duration_ms",
    "status",
    "body",
    "context",
    "model",
    "provider",
    "usage",
    "cost_usd",
    "first_token_ms",
}
USAGE = {"input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens"}


@dataclass
class Faults:
    error500: float = 0.0
    drop_before: float = 0.0
    drop_after: float = 0.0
    hang: float = 0.0
    too_many: float = 0.0
    retry_after: str = "1"
    outage_until: float = 0.0  # time.time() until which every connection is dropped
    status: int = 0  # answer every request with this status
    max_events: int = 1_000  # more in one request: 413 too_many_events
    hang_seconds: float = 30.0


def problems(event: Any) -> List[str]:
    """What the real ingest validation would refuse in this event (plus fields it doesn't know)."""
    if not isinstance(event, dict):
        return ["not an object"]
    out = ["unknown field %s" % k for k in event if k not in FIELDS]

    def ident(key: str, optional: bool = False) -> None:
        value = event.get(key)
        if value is None and optional:
            return
        if not isinstance(value, str) or not 1 <= len(value) <= 128:
            out.append("%s: expected a string of 1-128" % key)

    ident("event_id")
    ident("trace_id")
    ident("parent_event_id", optional=True)
    if event.get("type") not in TYPES:
        out.append("type: %r" % event.get("type"))
    ts = event.get("timestamp")
    if isinstance(ts, bool) or not isinstance(ts, (int, float)) or not 946_684_800_000 <= ts <= 4_102_444_800_000:
        out.append("timestamp: expected epoch milliseconds, got %r" % (ts,))
    if "name" in event and (not isinstance(event["name"], str) or not 1 <= len(event["name"]) <= 256):
        out.append("name")
    if "status" in event and event["status"] not in ("ok", "error"):
        out.append("status")
    duration = event.get("duration_ms")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0):
        out.append("duration_ms")
    for key in ("body", "context"):
        if event.get(key) is not None and not isinstance(event[key], dict):
            out.append(key)
    context = event.get("context") or {}
    if isinstance(context, dict):
        if len(json.dumps(context)) > 8_000:
            out.append("context over 8 KB")
        tags = context.get("tags")
        if tags is not None and (
            not isinstance(tags, list) or len(tags) > 50 or any(not isinstance(t, str) or len(t) > 64 for t in tags)
        ):
            out.append("context.tags")
        if "metadata" in context and not isinstance(context["metadata"], dict):
            out.append("context.metadata")
    usage = event.get("usage")
    if usage is not None:
        if not isinstance(usage, dict) or set(usage) - USAGE or not {"input_tokens", "output_tokens"} <= set(usage):
            out.append("usage: %r" % (usage,))
        elif any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in usage.values()):
            out.append("usage values")
    if event.get("model") is not None and (not isinstance(event["model"], str) or len(event["model"]) > 128):
        out.append("model")
    if event.get("provider") is not None and (not isinstance(event["provider"], str) or len(event["provider"]) > 64):
        out.append("provider")
    return out


class FaultServer:
    def __init__(self, seed: Optional[int] = None) -> None:
        self.faults = Faults()
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.counts: collections.Counter[str] = collections.Counter()
        self.events: Dict[str, Dict[str, Any]] = {}
        self.requests: List[Dict[str, Any]] = []
        self.stopping = threading.Event()
        owner = self

        class Handler(_Handler):
            server_owner = owner

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Waits (on the server's own notifications) until predicate() holds or the timeout passes."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.changed.wait(remaining)
        return True

    def statuses(self) -> "collections.Counter[str]":
        with self.lock:
            return collections.Counter(r["outcome"] for r in self.requests)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_owner: FaultServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle + delayed ACK stall each answer by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        """GET /__received?phase=<trace id prefix> (run as a separate process, for the benchmark): what arrived."""
        srv = self.server_owner
        prefix = self.path.partition("phase=")[2]
        with srv.lock:
            ids = [i for i, event in srv.events.items() if event["trace_id"].startswith(prefix)]
            summary = {
                "unique": len(ids),
                "copies": sum(srv.counts[i] for i in ids),
                "outcomes": collections.Counter(r["outcome"] for r in srv.requests),
            }
        self._answer({}, 200, summary)

    def do_POST(self) -> None:
        srv = self.server_owner
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path in ("/__faults", "/__reset"):  # control, when run as a separate process
            with srv.lock:
                if self.path == "/__reset":
                    srv.counts.clear(), srv.events.clear(), srv.requests.clear()
                srv.faults = Faults(**json.loads(raw or b"{}"))
            return self._answer({}, 200, {})
        gzipped = self.headers.get("Content-Encoding") == "gzip"
        record = {"at": time.time(), "bytes": len(raw), "gzip": gzipped, "outcome": "?", "events": 0}
        with srv.changed:
            srv.requests.append(record)
            f, roll = srv.faults, srv.random.random
            drop_before, hang, error500, too_many = (
                roll() < f.drop_before,
                roll() < f.hang,
                roll() < f.error500,
                roll() < f.too_many,
            )
            drop_after = roll() < f.drop_after
            srv.changed.notify_all()
        if time.time() < f.outage_until or drop_before:
            return self._drop(record, "dropped")
        if hang:
            record["outcome"] = "hang"
            srv.stopping.wait(f.hang_seconds)
            return self._drop(record, "hang")
        if error500:
            return self._answer(record, 500, {"error": {"code": "internal_error", "message": "injected"}})
        if too_many:
            return self._answer(
                record, 429, {"error": {"code": "rate_limited", "message": "slow down"}}, {"Retry-After": f.retry_after}
            )
        if f.status:
            return self._answer(record, f.status, {"error": {"code": "injected", "message": "injected %d" % f.status}})
        if self.headers.get("Authorization") != "Bearer " + API_KEY:
            return self._answer(
                record, 401, {"error": {"code": "invalid_api_key", "message": "The API key is not valid."}}
            )
        try:
            raw = gzip.decompress(raw) if gzipped else raw
            record["json_bytes"] = len(raw)
            payload = json.loads(raw)
            events = payload["events"] if isinstance(payload, dict) else payload
        except (ValueError, KeyError, OSError) as err:
            return self._answer(record, 400, {"error": {"code": "invalid_json", "message": str(err)}})
        if len(events) > f.max_events:
            return self._answer(record, 413, {"error": {"code": "too_many_events", "message": "too many"}})
        record["events"] = len(events)
        rejected, accepted = [], []
        for index, event in enumerate(events):
            found = problems(event)
            if found:
                event_id = event.get("event_id") if isinstance(event, dict) else None
                rejected.append(
                    {"index": index, "event_id": event_id, "code": "invalid_event", "message": "; ".join(found)}
                )
            else:
                accepted.append(event)
        if not accepted:
            return self._answer(
                record,
                400,
                {
                    "error": {
                        "code": "invalid_request",
                        "message": "No event in the batch is valid.",
                        "details": {"accepted": 0, "rejected": rejected},
                    }
                },
            )
        with srv.changed:
            for event in accepted:
                srv.counts[event["event_id"]] += 1
                srv.events[event["event_id"]] = event
            srv.changed.notify_all()
        if drop_after:
            return self._drop(record, "stored-then-dropped")
        self._answer(record, 202, {"accepted": len(accepted), "rejected": rejected})

    def _answer(self, record: Dict[str, Any], status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> None:
        record["outcome"] = str(status)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self._notify()

    def _drop(self, record: Dict[str, Any], outcome: str) -> None:
        record["outcome"] = outcome
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._notify()

    def _notify(self) -> None:
        with self.server_owner.changed:
            self.server_owner.changed.notify_all()


if __name__ == "__main__":  # a separate process (the benchmark): prints its URL, serves until stdin closes
    import sys

    server = FaultServer()
    print(server.url, flush=True)
    sys.stdin.read()
    server.stop()
