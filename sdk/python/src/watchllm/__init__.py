"""WatchLLM: trace LLM apps (model calls, tool calls, spans, logs, errors) into WatchLLM. Standard library only.

import watchllm
wl = watchllm.WatchLLM()                     # WATCHLLM_API_KEY / WATCHLLM_BASE_URL
with wl.trace("support-agent", user_id="u-42") as trace:
    with trace.span("retrieve") as span:
        span.tool_call("search", input=question, output=docs)
    trace.model_response("gpt-4o", input=messages, output=reply, usage=completion.usage)
"""

from typing import Optional

from . import _context
from ._client import WatchLLM, configure, get_client
from ._errors import WatchLLMError
from ._observe import observe
from ._openai import observe_openai
from ._spans import Span, Trace
from ._usage import to_usage
from ._version import VERSION

__version__ = VERSION
__all__ = [
    "Span",
    "Trace",
    "WatchLLM",
    "WatchLLMError",
    "configure",
    "current_span",
    "current_trace",
    "flush",
    "get_client",
    "observe",
    "observe_openai",
    "shutdown",
    "to_usage",
]


def current_span() -> Optional[Span]:
    """The span code is running in (`with trace.span(...)`, an @observe'd call), or None."""
    return _context.current.get()


def current_trace() -> Optional[Trace]:
    """The trace code is running in, or None: `watchllm.current_trace().update(user_id=...)` from inside @observe."""
    span = _context.current.get()
    root = span._root if span is not None else None
    return root if isinstance(root, Trace) else None


def flush(timeout: Optional[float] = None) -> bool:
    """Flushes the default client (see WatchLLM.flush)."""
    return get_client().flush(timeout)


def shutdown(timeout: Optional[float] = None) -> bool:
    """Shuts the default client down (see WatchLLM.shutdown)."""
    return get_client().shutdown(timeout)
