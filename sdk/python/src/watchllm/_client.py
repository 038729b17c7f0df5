"""The client: options, the default client, and what happens at exit and after os.fork()."""

import atexit
import os
import threading
import urllib.parse
import weakref
from typing import Any, Callable, Dict, List, Optional, Union

from . import _ids
from ._delivery import Delivery
from ._errors import Reporter, WatchLLMError, logger
from ._spans import Trace, score_of
from ._transport import Transport

DEFAULT_BASE_URL = "https://api.watchllm.dev"

_clients: "weakref.WeakSet[WatchLLM]" = weakref.WeakSet()
_default: "Optional[WatchLLM]" = None
_default_lock = threading.Lock()


class WatchLLM:
    """A WatchLLM client. The first one made becomes the default (used by @observe and observe_openai).

    >>> wl = WatchLLM(api_key="wl_ingest_...", base_url="http://127.0.0.1:8787")
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        flush_at: int = 100,
        flush_interval: float = 1.0,
        max_queue_size: int = 10_000,
        timeout: float = 10.0,
        max_retries: int = 3,
        enabled: bool = True,
        on_error: Optional[Callable[[WatchLLMError], Any]] = None,
        backoff: float = 1.0,
        environment: Optional[str] = None,
        release: Optional[str] = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("WATCHLLM_API_KEY", "")
        self.base_url = (base_url or os.environ.get("WATCHLLM_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = max(0.001, float(timeout))
        # Where and which version of the app every event comes from (an event's own context wins).
        stamp = {
            "environment": environment if environment is not None else os.environ.get("WATCHLLM_ENVIRONMENT"),
            "release": release if release is not None else os.environ.get("WATCHLLM_RELEASE"),
        }
        self._stamp: Dict[str, str] = {k: v for k, v in stamp.items() if v}
        self.enabled = bool(enabled) and bool(key)
        if enabled and not key:
            logger.warning("WatchLLM: no API key (api_key= or WATCHLLM_API_KEY): nothing will be recorded")
        url = urllib.parse.urlsplit(self.base_url)
        if self.enabled and (url.scheme not in ("http", "https") or not url.hostname):
            logger.error("WatchLLM: base_url %r is not an http(s) URL: nothing will be recorded", self.base_url)
            self.enabled = False
        base, timeout_s = self.base_url, self.timeout
        self._delivery = Delivery(
            make_transport=lambda: Transport(base, key, timeout_s),
            report=Reporter(on_error),
            flush_at=min(1_000, max(1, int(flush_at))),
            flush_interval=max(0.01, float(flush_interval)),
            max_queue_size=max(1, int(max_queue_size)),
            max_retries=max(0, int(max_retries)),
            backoff=max(0.0, float(backoff)),
        )
        # Scores travel the same way, to POST /api/v1/scores, with their own queue and thread.
        self._score_delivery = Delivery(
            make_transport=lambda: Transport(base, key, timeout_s, "/api/v1/scores"),
            report=Reporter(on_error),
            flush_at=min(1_000, max(1, int(flush_at))),
            flush_interval=max(0.01, float(flush_interval)),
            max_queue_size=max(1, int(max_queue_size)),
            max_retries=max(0, int(max_retries)),
            backoff=max(0.0, float(backoff)),
            kind="scores",
        )
        _clients.add(self)
        global _default
        with _default_lock:
            if _default is None:
                _default = self

    def trace(
        self,
        name: str,
        user_id: Optional[str] = None,
        session_id: Optional[str] = None,
        tags: Optional[List[str]] = None,
        metadata: Optional[Dict[str, Any]] = None,
        input: Any = None,
        trace_id: Optional[str] = None,
    ) -> Trace:
        """Starts a trace. `with wl.trace("agent", user_id="u-42") as trace: ...`, or call `trace.end(output)`."""
        return Trace(self, name, user_id, session_id, tags, metadata, input, trace_id)

    def score(
        self,
        trace_id: str,
        name: str,
        value: Union[float, int, bool, str],
        event_id: Optional[str] = None,
        comment: Optional[str] = None,
        source: str = "sdk",
        user_id: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
        score_id: Optional[str] = None,
    ) -> None:
        """Scores a trace (or one event of it), e.g. feedback that arrives later:
        `wl.score(trace_id=trace.id, name="thumbs", value=True, source="feedback")`. Same delivery as events."""
        self._enqueue_score(
            score_of(trace_id, event_id, name, value, comment, source, user_id, metadata, score_id)
        )

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends what is queued. Blocks until it is delivered (True) or, without a timeout, until a batch failed
        every retry (False); with a timeout, keeps trying until then. Never raises."""
        if not self.enabled:
            return True
        try:
            events = self._delivery.flush(timeout)
            return self._score_delivery.flush(timeout) and events
        except Exception:
            logger.debug("WatchLLM: flush failed", exc_info=True)
            return False

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        """Flushes, then stops the delivery thread; events recorded afterwards are ignored. Never raises."""
        if not self.enabled:
            return True
        try:
            events = self._delivery.close(timeout)
            return self._score_delivery.close(timeout) and events
        except Exception:
            logger.debug("WatchLLM: shutdown failed", exc_info=True)
            return False

    def stats(self) -> Dict[str, int]:
        """Counters: recorded, delivered, queued, sending, dropped (queue full), rejected (invalid events),
        discarded (refused batches), requests, retries."""
        return self._delivery.stats()

    def _enqueue_score(self, score: Dict[str, Any]) -> None:
        if self.enabled:
            try:
                self._score_delivery.put(score)
            except Exception:
                logger.debug("WatchLLM: could not queue a score", exc_info=True)

    def _enqueue(self, event: Dict[str, Any]) -> None:
        if self.enabled:
            try:
                if self._stamp:
                    event["context"] = {**self._stamp, **(event.get("context") or {})}
                self._delivery.put(event)
            except Exception:
                logger.debug("WatchLLM: could not queue an event", exc_info=True)


def configure(**options: Any) -> WatchLLM:
    """Makes a client with these options (those of WatchLLM(...)) and makes it the default one."""
    global _default
    client = WatchLLM(**options)
    with _default_lock:
        _default = client
    return client


def get_client() -> WatchLLM:
    """The default client; one is made from WATCHLLM_API_KEY / WATCHLLM_BASE_URL if there is none yet."""
    client = _default
    return client if client is not None else WatchLLM()


def _shutdown_all() -> None:
    for client in list(_clients):
        client.shutdown(timeout=client.timeout)


def _after_fork_in_child() -> None:
    global _default_lock
    _default_lock = threading.Lock()  # another thread may have held it at the fork
    _ids.reseed()
    for client in list(_clients):
        client._delivery.reset()
        client._score_delivery.reset()


atexit.register(_shutdown_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
