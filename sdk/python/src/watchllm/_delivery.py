"""The bounded queue and the daemon thread that empties it: batches of flush_at events or every flush_interval, each
sent with retries (exponential backoff, full jitter, at least what Retry-After asks); a batch that still failed goes
back to the front of the queue for the next round, so an outage loses nothing within max_queue_size."""

import json
import random
import threading
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from ._errors import Reporter
from ._transport import Answer, Transport

MAX_BATCH_EVENTS = 1_000  # the ingest API's limits: 1,000 events and 4 MB (decompressed) per request
MAX_BATCH_BYTES = 3_500_000
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 60.0
COUNTERS = ("recorded", "delivered", "dropped", "rejected", "discarded", "requests", "retries")

Item = Tuple[Dict[str, Any], bytes]


def _encode(event: Dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _object(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _retryable(status: int) -> bool:
    return status == 0 or status == 408 or status == 429 or status >= 500


class Delivery:
    def __init__(
        self,
        make_transport: Callable[[], Transport],
        report: Reporter,
        flush_at: int,
        flush_interval: float,
        max_queue_size: int,
        max_retries: int,
        backoff: float,
        kind: str = "events",
    ) -> None:
        self._make_transport = make_transport
        self._kind = kind  # what a batch carries: "events" or "scores" (the request body's key)
        self._report = report
        self._flush_at = flush_at
        self._interval = flush_interval
        self._max = max_queue_size
        self._max_retries = max_retries
        self._backoff = backoff
        self.reset()

    def reset(self) -> None:
        """A fresh queue, lock and (not yet started) thread: at creation, and in a child after os.fork()."""
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._queue: Deque[Dict[str, Any]] = deque()
        self._sending = 0
        self._thread: Optional[threading.Thread] = None
        self._cannot_start = False
        self._transport: Optional[Transport] = None
        self._closed = False
        self._failed_rounds = 0  # rounds that gave a batch back
        self._failing = 0  # consecutive ones
        self._not_before = 0.0  # monotonic time before which the server asked us not to send
        self.counts: Dict[str, int] = dict.fromkeys(COUNTERS, 0)

    # -- the caller's side ------------------------------------------------------------------------------------------

    def put(self, event: Dict[str, Any]) -> None:
        if self._closed:
            return
        dropped = False
        with self._lock:
            queue = self._queue
            if len(queue) >= self._max:
                queue.popleft()
                self.counts["dropped"] += 1
                dropped = True
            queue.append(event)
            self.counts["recorded"] += 1
            full = len(queue) >= self._flush_at
        if full and not self._wake.is_set():
            self._wake.set()
        if self._thread is None and not self._cannot_start:
            self._start()
        if dropped:
            self._report(
                "dropped",
                "queue full (max_queue_size=%d): dropped the oldest event" % self._max,
                {"dropped_total": self.counts["dropped"]},
            )

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            thread = threading.Thread(target=self._run, name="watchllm-delivery", daemon=True)
            try:
                thread.start()
            except RuntimeError:  # interpreter shutting down: flush() sends on the caller's thread instead
                self._cannot_start = True
                return
            self._thread = thread

    def stats(self) -> Dict[str, int]:
        with self._lock:
            out = dict(self.counts)
            out["queued"] = len(self._queue)
            out["sending"] = self._sending
        return out

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything queued now. timeout=None: until it is delivered or a batch failed every attempt;
        otherwise keeps trying until the deadline. True when all of it was delivered (none left, none refused)."""
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        with self._lock:
            if not self._queue and not self._sending:
                return True
            failed_before = self._failed_rounds
            refused_before = self._refused()
        if self._thread is None and not self._cannot_start:
            self._start()
        thread = self._thread
        if thread is None or not thread.is_alive():
            return self._drain_here(deadline) and self._refused() == refused_before
        self._wake.set()
        with self._changed:
            while self._queue or self._sending:
                if self._failed_rounds != failed_before and deadline is None:
                    return False  # with a deadline, the next rounds (at the thread's own pace) may still deliver
                remaining = 0.5 if deadline is None else min(0.5, deadline - time.monotonic())
                if remaining <= 0 or not thread.is_alive():
                    return False
                self._changed.wait(remaining)
            return self._refused() == refused_before

    def _refused(self) -> int:
        """Events the server refused (batch) or rejected (one by one): sent, but not delivered."""
        return self.counts["discarded"] + self.counts["rejected"]

    def close(self, timeout: Optional[float] = None) -> bool:
        if self._stop.is_set():  # closed already
            return not self._queue and not self._sending
        self._closed = True
        delivered = self.flush(timeout)
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(0.1)
        return delivered

    def _drain_here(self, deadline: Optional[float]) -> bool:
        """No delivery thread (it couldn't start at interpreter exit): send on the caller's thread."""
        try:
            while True:
                if self._drain(deadline):
                    return True
                remaining = 0.0 if deadline is None else deadline - time.monotonic()
                if remaining <= 0 or self._stop.wait(min(self._pause(), remaining)):
                    return False
        except Exception as err:  # never into the app
            self._report("internal", "delivery failed: %r" % err)
            return False

    # -- the delivery thread ----------------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._wake.wait(self._pause())
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    self._drain(None)
                except Exception as err:
                    self._report("internal", "delivery failed: %r" % err)
        finally:
            if self._transport is not None:
                self._transport.close()

    def _pause(self) -> float:
        """How long to wait before the next round: flush_interval, longer (with jitter) while rounds keep failing."""
        pause = self._interval
        if self._failing:
            pause += random.uniform(0, min(MAX_BACKOFF, self._backoff * 2 ** min(self._failing, 10)))
        return max(pause, self._not_before - time.monotonic())

    def _drain(self, deadline: Optional[float]) -> bool:
        """Sends batches until the queue is empty (True) or a batch failed every attempt and went back (False)."""
        while True:
            with self._lock:
                if not self._queue:
                    self._changed.notify_all()
                    return True
                if self._stop.is_set():  # shut down: leave the rest queued
                    return False
                take = min(self._flush_at, MAX_BATCH_EVENTS, len(self._queue))
                batch = [self._queue.popleft() for _ in range(take)]
                self._sending = take
            items, rest = self._encode(batch)
            wait = self._not_before - time.monotonic()
            if wait > 0 and self._stop.wait(wait):
                failed: List[Dict[str, Any]] = [event for event, _ in items]
            else:
                failed = self._send(items, deadline)
            with self._lock:
                self._sending = 0
                back = failed + rest
                if back:
                    self._queue.extendleft(reversed(back))
                    over = len(self._queue) - self._max
                    for _ in range(max(0, over)):
                        self._queue.popleft()
                    if over > 0:
                        self.counts["dropped"] += over
                if failed:
                    self._failed_rounds += 1
                    self._failing += 1
                else:
                    self._failing = 0
                self._changed.notify_all()
            if failed:
                return False

    def _encode(self, batch: List[Dict[str, Any]]) -> Tuple[List[Item], List[Dict[str, Any]]]:
        """Each event as JSON, up to MAX_BATCH_BYTES; the events beyond go back to the queue as they are."""
        items: List[Item] = []
        size = 0
        for i, event in enumerate(batch):
            try:
                data = _encode(event)
            except Exception as err:
                self.counts["discarded"] += 1
                self._report("internal", "an event could not be encoded as JSON: %r" % err)
                continue
            if items and size + len(data) > MAX_BATCH_BYTES:
                return items, batch[i:]
            items.append((event, data))
            size += len(data) + 1
        return items, []

    def _send(self, items: List[Item], deadline: Optional[float]) -> List[Dict[str, Any]]:
        """Sends one batch with retries; returns the events to give back to the queue (none when delivered, or
        refused for good and reported)."""
        if not items:
            return []
        if self._transport is None:
            self._transport = self._make_transport()
        payload = b'{"' + self._kind.encode() + b'":[' + b",".join(data for _, data in items) + b"]}"
        answer = Answer(0)
        for attempt in range(self._max_retries + 1):
            if attempt:
                delay = random.uniform(0, min(MAX_BACKOFF, self._backoff * 2 ** (attempt - 1)))
                delay = max(delay, min(answer.retry_after, MAX_RETRY_AFTER))
                if deadline is not None and time.monotonic() + delay > deadline:
                    break
                if self._stop.wait(delay):
                    break
                self.counts["retries"] += 1
            answer = self._transport.post(payload)
            self.counts["requests"] += 1
            if not _retryable(answer.status):
                return self._settle(items, answer, deadline)
        if answer.status == 429 and answer.retry_after:
            self._not_before = time.monotonic() + min(answer.retry_after, MAX_RETRY_AFTER)
        reason = repr(answer.error) if answer.status == 0 else "HTTP %d" % answer.status
        self._report(
            "network" if answer.status == 0 else "http_%d" % answer.status,
            "could not deliver %d event(s) (%s); kept in the queue for the next round" % (len(items), reason),
            {"status": answer.status},
        )
        return [event for event, _ in items]

    def _settle(self, items: List[Item], answer: Answer, deadline: Optional[float]) -> List[Dict[str, Any]]:
        body = _object(answer.body)
        error = _object(body.get("error"))
        details = _object(error.get("details"))
        if 200 <= answer.status < 300:
            rejected = body.get("rejected")
            rejected = rejected if isinstance(rejected, list) else []
            self.counts["delivered"] += len(items) - len(rejected)
            self._rejected(rejected)
            return []
        if answer.status == 400 and isinstance(details.get("rejected"), list):  # no event of the batch was valid
            self._rejected(details["rejected"])
            return []
        if answer.status == 413 and len(items) > 1:  # smaller batches than the server takes: halve and go on
            half = len(items) // 2
            return self._send(items[:half], deadline) + self._send(items[half:], deadline)
        self.counts["discarded"] += len(items)
        message = error.get("message") or "ingest answered %d" % answer.status
        self._report("http_%d" % answer.status, "%d event(s) refused: %s" % (len(items), message), error or None)
        return []

    def _rejected(self, rejected: List[Any]) -> None:
        if not rejected:
            return
        self.counts["rejected"] += len(rejected)
        first = rejected[0] if isinstance(rejected[0], dict) else {}
        self._report(
            "rejected",
            "%d event(s) rejected as invalid, e.g. %s: %s"
            % (len(rejected), first.get("event_id"), first.get("message")),
            rejected,
        )
