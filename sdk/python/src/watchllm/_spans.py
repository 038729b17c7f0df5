"""Traces and spans. A span is one event, recorded when it ends (with its duration); model calls, tool calls, logs and
errors under it are recorded at once. Every event carries the trace's user and session; the root also its tags and
metadata (`context` on the wire)."""

import json
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, cast

from . import _context
from ._errors import logger
from ._events import RECORDED, body_of, clip, describe_error, fill_model_response, mark_recorded, now_ms, status_of
from ._ids import new_id
from ._serialize import snapshot

if TYPE_CHECKING:
    from contextvars import Token

    from ._client import WatchLLM

MAX_CONTEXT_BYTES = 8_000  # the ingest API refuses an event whose context is over 8 KB


def score_of(
    trace_id: str,
    event_id: Optional[str],
    name: str,
    value: Any,
    comment: Optional[str] = None,
    source: str = "sdk",
    user_id: Optional[str] = None,
    metadata: Optional[Dict[str, Any]] = None,
    score_id: Optional[str] = None,
) -> Dict[str, Any]:
    """A score in the wire format of POST /api/v1/scores."""
    score: Dict[str, Any] = {
        "trace_id": str(trace_id),
        "event_id": event_id,
        "name": clip(name, 200),
        "value": value,
        "source": source,
        "timestamp": int(now_ms()),
    }
    if score_id:
        score["score_id"] = score_id
    if comment is not None:
        score["comment"] = comment
    context: Dict[str, Any] = {}
    if user_id is not None:
        context["user_id"] = user_id
    if metadata:
        context["metadata"] = snapshot(metadata)
    if context:
        score["context"] = context
    return score


class Span:
    """A span of work inside a trace. Use it as a context manager, or call .end()."""

    __slots__ = (
        "_client",
        "_ended",
        "_entered",
        "_failed",
        "_input",
        "_kind",
        "_last_end_ms",
        "_metadata",
        "_parent",
        "_root",
        "_start_ms",
        "_t0",
        "event_id",
        "name",
        "parent_id",
        "trace_id",
    )

    def __init__(
        self,
        client: "WatchLLM",
        root: "Optional[Trace]",
        trace_id: str,
        parent_id: Optional[str],
        name: str,
        input: Any = None,
        metadata: Optional[Dict[str, Any]] = None,
        kind: str = "span",
        parent: "Optional[Span]" = None,
    ) -> None:
        self._client = client
        self._parent = parent
        self._last_end_ms = 0.0
        self._root: Trace = root if root is not None else cast("Trace", self)  # a Trace is its own root
        self.event_id = new_id()
        self.trace_id = trace_id
        self.parent_id = parent_id
        self.name = clip(name or kind, 256)
        self._kind = kind
        self._input = None if input is None else snapshot(input)
        self._metadata = snapshot(metadata) if metadata else None
        self._start_ms = now_ms()
        self._t0 = time.perf_counter()
        self._ended = False
        self._failed = False
        self._entered: List[Tuple[Token[Any], Optional[Span]]] = []

    @property
    def id(self) -> str:
        """This span's event id (a Trace's `id` is the trace id)."""
        return self.event_id

    def __repr__(self) -> str:
        return "<%s %r id=%s trace=%s>" % (type(self).__name__, self.name, self.event_id, self.trace_id)

    # -- children ---------------------------------------------------------------------------------------------------

    def span(self, name: str, input: Any = None, metadata: Optional[Dict[str, Any]] = None) -> "Span":
        """A child span: `with trace.span("retrieve") as span: ...`, or call `.end(output)` yourself."""
        return Span(self._client, self._root, self.trace_id, self.event_id, name, input, metadata, parent=self)

    def _call_start(self, duration_ms: Optional[float]) -> float:
        """Where a call recorded now with `duration_ms` and no start begins: it just ended and took that long, but it
        never starts before this span (work measured elsewhere is moved to fit). Its end stretches this span."""
        now = now_ms()
        took = max(0.0, float(duration_ms or 0))
        start = max(self._start_ms, now - took)
        self._note_end(start + took)
        return start

    def _note_end(self, end_ms: float) -> None:
        self._last_end_ms = max(self._last_end_ms, end_ms)

    def score(
        self,
        name: str,
        value: Any,
        comment: Optional[str] = None,
        source: str = "sdk",
        score_id: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Scores this span (on a trace: the whole trace): `trace.score("quality", 0.9, comment="clear")`."""
        root = self._root
        event_id = None if root is self else self.event_id
        user_id = root._context.get("user_id") if root._context else None
        self._client._enqueue_score(
            score_of(self.trace_id, event_id, name, value, comment, source, user_id, metadata, score_id)
        )

    def _child_event(self, kind: str, name: Any, at_ms: float, status: str, body: Dict[str, Any]) -> Dict[str, Any]:
        event: Dict[str, Any] = {
            "event_id": new_id(),
            "trace_id": self.trace_id,
            "parent_event_id": self.event_id,
            "type": kind,
            "name": clip(name, 256),
            "timestamp": int(at_ms),
            "status": status,
        }
        context = self._root._context
        if context:
            event["context"] = context
        if body:
            event["body"] = body
        return event

    def model_response(
        self,
        model: str,
        name: Optional[str] = None,
        provider: Optional[str] = None,
        input: Any = None,
        output: Any = None,
        usage: Any = None,
        duration_ms: Optional[float] = None,
        cost_usd: Optional[float] = None,
        status: str = "ok",
        metadata: Optional[Dict[str, Any]] = None,
        first_token_ms: Optional[float] = None,
    ) -> None:
        """Records a model call under this span. `usage`: WatchLLM's shape or any provider's (OpenAI, Anthropic,
        Gemini; a dict or the SDK's object); `first_token_ms`: for a streamed call, ms to the first token."""
        if not self._client.enabled:
            return
        try:
            event = self._child_event(
                "model_response", name or model, self._call_start(duration_ms), status_of(status), {}
            )
            fill_model_response(event, model, provider, input, output, usage, duration_ms, cost_usd, metadata)
            if first_token_ms is not None:
                event["first_token_ms"] = max(0.0, float(first_token_ms))
            self._client._enqueue(event)
        except Exception:
            logger.debug("WatchLLM: could not record a model response", exc_info=True)

    def tool_call(
        self,
        name: str,
        input: Any = None,
        output: Any = None,
        duration_ms: Optional[float] = None,
        status: str = "ok",
        metadata: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Records a tool call under this span."""
        if not self._client.enabled:
            return
        try:
            event = self._child_event("tool_call", name, self._call_start(duration_ms), status_of(status), {})
            if duration_ms is not None:
                event["duration_ms"] = max(0.0, float(duration_ms))
            body = body_of(input, output, metadata)
            if body:
                event["body"] = body
            self._client._enqueue(event)
        except Exception:
            logger.debug("WatchLLM: could not record a tool call", exc_info=True)

    def log(self, message: str, data: Any = None) -> None:
        """Records a log line (and optional data) under this span."""
        if not self._client.enabled:
            return
        try:
            body: Dict[str, Any] = {"message": snapshot(message if isinstance(message, str) else str(message))}
            if data is not None:
                body["data"] = snapshot(data)
            self._client._enqueue(self._child_event("log", "log", now_ms(), "ok", body))
        except Exception:
            logger.debug("WatchLLM: could not record a log", exc_info=True)

    def error(self, error: Any) -> None:
        """Records an error (an exception, or a message) with its type and stack, and marks this span failed."""
        self._failed = True
        if isinstance(error, BaseException):
            mark_recorded(error)
        if not self._client.enabled:
            return
        try:
            message, error_type, stack = describe_error(error)
            body = {"message": snapshot(message), "error_type": error_type, "stack": snapshot(stack)}
            self._client._enqueue(self._child_event("error", error_type, now_ms(), "error", body))
        except Exception:
            logger.debug("WatchLLM: could not record an error", exc_info=True)

    # -- ending -----------------------------------------------------------------------------------------------------

    def end(self, output: Any = None, status: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None) -> None:
        """Records this span with its duration (the first call only)."""
        if self._ended:
            return
        self._ended = True
        if not self._client.enabled:
            return
        # A span lasts at least until its children's end, so the tree and the trace's header agree.
        took = max((time.perf_counter() - self._t0) * 1000.0, self._last_end_ms - self._start_ms)
        if self._parent is not None:
            self._parent._note_end(self._start_ms + took)
        try:
            event: Dict[str, Any] = {
                "event_id": self.event_id,
                "trace_id": self.trace_id,
                "parent_event_id": self.parent_id,
                "type": self._kind,
                "name": self.name,
                "timestamp": int(self._start_ms),
                "duration_ms": round(took, 3),
                "status": status_of(status, "error" if self._failed else "ok"),
            }
            if metadata:
                extra = snapshot(metadata)
                merged = dict(self._metadata or {})
                merged.update(extra if isinstance(extra, dict) else {"value": extra})
                self._metadata = merged
            body = {}
            if self._input is not None:
                body["input"] = self._input
            if output is not None:
                body["output"] = snapshot(output)
            if self._metadata:
                body["metadata"] = self._metadata
            self._finish(event, body)
            self._client._enqueue(event)
        except Exception:
            logger.debug("WatchLLM: could not record a span", exc_info=True)

    def _finish(self, event: Dict[str, Any], body: Dict[str, Any]) -> None:
        context = self._root._context
        if context:
            event["context"] = context
        if body:
            event["body"] = body

    def _fail(self, error: BaseException) -> None:
        """An exception left this span: record it unless an inner span already did; the span fails either way."""
        if isinstance(error, GeneratorExit):
            return
        if getattr(error, RECORDED, False):
            self._failed = True
        else:
            self.error(error)

    def __enter__(self) -> "Span":
        previous = _context.current.get()
        self._entered.append((_context.enter(self), previous))
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc is not None:
                self._fail(exc)
            self.end()
        finally:
            if self._entered:
                token, previous = self._entered.pop()
                _context.leave(token, previous)


class Trace(Span):
    """A trace: its root span carries the name, input/output, user, session, tags and metadata."""

    __slots__ = ("_context", "_session_id", "_tags", "_trace_metadata", "_user_id")

    def __init__(
        self,
        client: "WatchLLM",
        name: str,
        user_id: Optional[str] = None,
        session_id: Optional[str] = None,
        tags: Optional[List[str]] = None,
        metadata: Optional[Dict[str, Any]] = None,
        input: Any = None,
        trace_id: Optional[str] = None,
        kind: str = "span",
    ) -> None:
        self._user_id: Optional[str] = None
        self._session_id: Optional[str] = None
        self._tags: Optional[List[str]] = None
        self._trace_metadata: Optional[Dict[str, Any]] = None
        self._context: Optional[Dict[str, Any]] = None
        Span.__init__(self, client, None, str(trace_id) if trace_id else new_id(), None, name, input, None, kind)
        self.update(user_id=user_id, session_id=session_id, tags=tags, metadata=metadata)

    @property
    def id(self) -> str:
        """The trace id (read it back with GET /api/v1/traces/<id>)."""
        return self.trace_id

    def update(
        self,
        name: Optional[str] = None,
        user_id: Optional[str] = None,
        session_id: Optional[str] = None,
        tags: Optional[List[str]] = None,
        metadata: Optional[Dict[str, Any]] = None,
        input: Any = None,
    ) -> None:
        """Sets the trace's name, user, session, tags (added), metadata (merged) or input before it ends."""
        if name:
            self.name = clip(name, 256)
        if user_id is not None:
            self._user_id = clip(user_id, 256)
        if session_id is not None:
            self._session_id = clip(session_id, 256)
        if tags:
            merged = list(self._tags or [])
            for tag in tags:
                tag = clip(tag, 64)
                if tag not in merged:
                    merged.append(tag)
            self._tags = merged[:50]
        if metadata:
            taken = snapshot(metadata)
            self._trace_metadata = {
                **(self._trace_metadata or {}),
                **(taken if isinstance(taken, dict) else {"value": taken}),
            }
        if input is not None:
            self._input = snapshot(input)
        context = {}
        if self._user_id is not None:
            context["user_id"] = self._user_id
        if self._session_id is not None:
            context["session_id"] = self._session_id
        self._context = context or None

    def _finish(self, event: Dict[str, Any], body: Dict[str, Any]) -> None:
        context = dict(self._context or {})
        if self._tags:
            context["tags"] = self._tags
        if self._trace_metadata:
            context["metadata"] = self._trace_metadata
            if len(json.dumps(context, default=str).encode()) > MAX_CONTEXT_BYTES:
                # The whole event would be refused: keep the metadata, in the body.
                del context["metadata"]
                body["trace_metadata"] = self._trace_metadata
                logger.warning("WatchLLM: trace metadata over %d bytes recorded in the body", MAX_CONTEXT_BYTES)
        if context:
            event["context"] = context
        if body:
            event["body"] = body
