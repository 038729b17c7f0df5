"""Building wire events: the fields of a model call, an error's message/type/stack, and a model call recorded with
or without a parent span (an observed client called outside any span makes a trace of its own)."""

import time
import traceback
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from ._ids import new_id
from ._serialize import snapshot
from ._usage import to_usage

if TYPE_CHECKING:
    from ._client import WatchLLM
    from ._spans import Span

RECORDED = "__watchllm_recorded__"


def clip(value: Any, limit: int) -> str:
    text = value if type(value) is str else str(value)
    return text if len(text) <= limit else text[:limit]


def status_of(status: Optional[str], default: str = "ok") -> str:
    if status is None:
        return default
    return "error" if status == "error" else "ok"


def now_ms() -> float:
    return time.time() * 1000.0


def describe_error(error: Any) -> Tuple[str, str, str]:
    """(message, error_type, stack) of an exception, or of a message with the stack that recorded it."""
    if isinstance(error, BaseException):
        stack = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return str(error) or type(error).__name__, type(error).__name__, stack
    return str(error), "Error", "".join(traceback.format_stack()[:-2])


def mark_recorded(error: BaseException) -> None:
    try:
        setattr(error, RECORDED, True)
    except Exception:
        pass


def body_of(input: Any, output: Any, metadata: Any) -> Dict[str, Any]:
    body: Dict[str, Any] = {}
    if input is not None:
        body["input"] = snapshot(input)
    if output is not None:
        body["output"] = snapshot(output)
    if metadata:
        body["metadata"] = snapshot(metadata)
    return body


def fill_model_response(
    event: Dict[str, Any],
    model: Any,
    provider: Optional[str],
    input: Any,
    output: Any,
    usage: Any,
    duration_ms: Optional[float],
    cost_usd: Optional[float],
    metadata: Any,
) -> None:
    """The model call's own fields, on an event whose ids, name, time and status are set."""
    event["model"] = clip(model or "unknown", 128)
    if provider:
        event["provider"] = clip(provider, 64)
    if usage is not None:
        mapped = to_usage(usage)
        if mapped:
            event["usage"] = mapped
    if duration_ms is not None:
        event["duration_ms"] = max(0.0, float(duration_ms))
    if cost_usd is not None:
        event["cost_usd"] = max(0.0, float(cost_usd))
    body = body_of(input, output, metadata)
    if body:
        event["body"] = body


def record_model_call(
    client: "WatchLLM",
    parent: "Optional[Span]",
    name: str,
    model: Any,
    status: str = "ok",
    error: Optional[BaseException] = None,
    duration_ms: Optional[float] = None,
    **fields: Any,
) -> None:
    """A model call under parent, or a trace of its own when there is none; a failed call gets an error event under
    it (message, type, stack), and the exception is marked so the spans it leaves don't record it again."""
    if not client.enabled:
        return
    at = now_ms() - (duration_ms or 0)
    if parent is not None:
        event = parent._child_event("model_response", name or model, at, status_of(status), {})
        context = parent._root._context
    else:
        event = {
            "event_id": new_id(),
            "trace_id": new_id(),
            "parent_event_id": None,
            "type": "model_response",
            "name": clip(name or model, 256),
            "timestamp": int(at),
            "status": status_of(status),
        }
        context = None
    fill_model_response(
        event,
        model,
        fields.get("provider"),
        fields.get("input"),
        fields.get("output"),
        fields.get("usage"),
        duration_ms,
        fields.get("cost_usd"),
        fields.get("metadata"),
    )
    if fields.get("first_token_ms") is not None:
        event["first_token_ms"] = max(0.0, float(fields["first_token_ms"]))
    client._enqueue(event)
    if error is None:
        return
    message, error_type, stack = describe_error(error)
    failure: Dict[str, Any] = {
        "event_id": new_id(),
        "trace_id": event["trace_id"],
        "parent_event_id": event["event_id"],
        "type": "error",
        "name": clip(error_type, 256),
        "timestamp": int(now_ms()),
        "status": "error",
        "body": {"message": snapshot(message), "error_type": error_type, "stack": snapshot(stack)},
    }
    if context:
        failure["context"] = context
    client._enqueue(failure)
    if isinstance(error, BaseException):
        mark_recorded(error)
