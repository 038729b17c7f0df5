"""observe_openai: records what an OpenAI client (OpenAI, AsyncOpenAI, Azure, any OpenAI-compatible base URL) does
as model responses, without importing `openai` and without changing what the app gets back.

The client is instrumented in place: each recorded method (chat.completions.create/parse, responses.create/parse,
embeddings.create, completions.create) is replaced on that client's resource object by a wrapper that calls the
original. Results are returned as they are: the same objects, the same types; a stream is the same Stream object,
whose chunk iterator is observed as the app reads it. with_raw_response / with_streaming_response are rebuilt on the
wrapped methods, and with_options()/copy() give observed copies.
"""

import functools
import inspect
import time
from contextvars import ContextVar
from typing import Any, Callable, Dict, Optional, Tuple, TypeVar

from . import _context
from ._client import get_client
from ._errors import logger
from ._events import record_model_call
from ._openai_output import (
    ChatStream,
    ResponsesStream,
    chat_output,
    embeddings_output,
    finish_reasons,
    responses_output,
)
from ._openai_streams import observe_api_response, observe_stream
from ._providers import provider_for
from ._serialize import snapshot
from ._spans import Span

C = TypeVar("C")
RAW_HEADER = "X-Stainless-Raw-Response"
METHODS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("chat.completions", ("create", "parse")),
    ("beta.chat.completions", ("create", "parse")),
    ("responses", ("create", "parse")),
    ("embeddings", ("create",)),
    ("completions", ("create",)),
)
NOT_PARAMETERS = {
    "messages",
    "input",
    "prompt",
    "instructions",
    "model",
    "stream",
    "extra_headers",
    "extra_query",
    "extra_body",
    "timeout",
}
_inside = ContextVar("watchllm_inside_openai_call", default=False)


def observe_openai(client: C, parent: Optional[Span] = None) -> C:
    """Instruments client (in place) and returns it. Calls are recorded under `parent`, else under the span current
    where the call is made (@observe, `with trace:`), else each call is a trace of its own."""
    try:
        host = _host(getattr(client, "base_url", None))
        for path, names in METHODS:
            resource = _resource(client, path)
            if resource is not None:
                for name in names:
                    _instrument(resource, name, path, parent, host)
        _instrument_copies(client, parent)
    except Exception:
        logger.warning("WatchLLM: could not instrument %r; its calls are not recorded", type(client), exc_info=True)
    return client


def _host(base_url: Any) -> str:
    host = getattr(base_url, "host", None)
    if host is None and base_url is not None:
        from urllib.parse import urlsplit

        host = urlsplit(str(base_url)).hostname
    return str(host or "").lower()


def _resource(client: Any, path: str) -> Any:
    obj = client
    for part in path.split("."):
        try:
            obj = getattr(obj, part, None)
        except Exception:
            return None
        if obj is None:
            return None
    return obj


def _instrument(resource: Any, name: str, path: str, parent: Optional[Span], host: str) -> None:
    method = getattr(resource, name, None)
    if not callable(method):
        return
    original = getattr(method, "__watchllm_original__", method)
    label = path if name == "create" else "%s.%s" % (path, name)
    wrapper = _async_wrapper if inspect.iscoroutinefunction(original) else _sync_wrapper
    wrapped = functools.wraps(original)(wrapper(original, label, path, parent, host))
    wrapped.__watchllm_original__ = original  # type: ignore[attr-defined]
    setattr(resource, name, wrapped)
    # with_raw_response / with_streaming_response capture the bound methods when first built: rebuild them lazily.
    cached = getattr(resource, "__dict__", {})
    cached.pop("with_raw_response", None)
    cached.pop("with_streaming_response", None)


def _instrument_copies(client: Any, parent: Optional[Span]) -> None:
    copy = getattr(client, "copy", None)
    if not callable(copy):
        return
    original = getattr(copy, "__watchllm_original__", copy)

    @functools.wraps(original)
    def observed_copy(*args: Any, **kwargs: Any) -> Any:
        return observe_openai(original(*args, **kwargs), parent)

    observed_copy.__watchllm_original__ = original  # type: ignore[attr-defined]
    client.copy = observed_copy
    if callable(getattr(client, "with_options", None)):
        client.with_options = observed_copy


class Call:
    """One recorded call: where it goes, what was asked, when it started; finished once (ok, error or aborted)."""

    __slots__ = (
        "client",
        "done",
        "first",
        "input",
        "label",
        "metadata",
        "model",
        "parent",
        "path",
        "provider_host",
        "stream",
        "t0",
    )

    def __init__(self, label: str, path: str, kwargs: Dict[str, Any], parent: Optional[Span], host: str) -> None:
        self.parent = parent if parent is not None else _context.current.get()
        self.client = self.parent._client if self.parent is not None else get_client()
        self.label = label
        self.path = path
        self.model = kwargs.get("model")
        self.provider_host = host
        asked = kwargs.get("messages", kwargs.get("input", kwargs.get("prompt")))
        if kwargs.get("instructions") is not None:
            asked = {"instructions": kwargs.get("instructions"), "input": asked}
        self.input = snapshot(asked)
        parameters = {k: v for k, v in kwargs.items() if k not in NOT_PARAMETERS and not _omitted(v)}
        self.metadata: Dict[str, Any] = {"parameters": snapshot(parameters)} if parameters else {}
        if kwargs.get("stream"):
            self.metadata["stream"] = True
        self.t0 = time.perf_counter()
        self.first: Optional[float] = None
        self.done = False
        self.stream: Any = None  # the accumulator, once the result turned out to be a stream

    def new_stream(self) -> Any:
        self.stream = ResponsesStream() if self.path == "responses" else ChatStream()
        return self.stream

    def finish(
        self,
        output: Any = None,
        usage: Any = None,
        model: Any = None,
        reasons: Any = None,
        error: Optional[BaseException] = None,
        failure: Any = None,
    ) -> None:
        """Records the call (the first time only). error: an exception; failure: a description (aborted, failed)."""
        if self.done:
            return
        self.done = True
        try:
            metadata = dict(self.metadata)
            if reasons:
                metadata["finish_reason"] = reasons[0] if len(reasons) == 1 else reasons
            if error is not None:
                metadata["error"] = {"error_type": type(error).__name__, "message": str(error)}
                status_code = getattr(error, "status_code", None)
                if isinstance(status_code, int):
                    metadata["error"]["status_code"] = status_code
            elif failure is not None:
                metadata["error"] = failure
            model = model or self.model or "unknown"
            record_model_call(
                self.client,
                self.parent,
                self.label,
                model,
                "error" if error is not None or failure is not None else "ok",
                error=error,
                duration_ms=round((time.perf_counter() - self.t0) * 1000.0, 3),
                input=self.input,
                output=output,
                usage=usage,
                metadata=metadata,
                provider=provider_for(self.provider_host, str(model)),
                first_token_ms=None if self.first is None else round((self.first - self.t0) * 1000.0, 3),
            )
        except Exception:
            logger.debug("WatchLLM: could not record an OpenAI call", exc_info=True)

    def finish_result(self, result: Any) -> None:
        """A finished (non-streamed) result of this call's kind."""
        if self.path == "embeddings":
            output = embeddings_output(result)
        elif self.path == "responses":
            output = responses_output(result)
        else:
            output = chat_output(result)
        get = result.get if isinstance(result, dict) else functools.partial(getattr, result)
        failure = get("error", None) if self.path == "responses" else None
        self.finish(
            output,
            get("usage", None),
            get("model", None),
            finish_reasons(result) or _status(get),
            failure=snapshot(failure) if failure else None,
        )

    def finish_stream(self, aborted: bool = False, error: Optional[BaseException] = None) -> None:
        acc = self.stream
        failure = None
        if aborted:
            failure = {"error_type": "aborted", "message": "the stream was closed before its end"}
        elif acc.error is not None:
            failure = snapshot(acc.error)
        self.finish(acc.output(), acc.usage, acc.model, acc.finish_reasons(), error=error, failure=failure)


def _status(get: Callable[..., Any]) -> Any:
    status = get("status", None)
    return [status] if isinstance(status, str) else None


def _omitted(value: Any) -> bool:
    return type(value).__name__ in ("NotGiven", "Omit")


def _start(label: str, path: str, kwargs: Dict[str, Any], parent: Optional[Span], host: str) -> Optional[Call]:
    if _inside.get():
        return None  # a recorded method calling another one: record the outer call only
    try:
        call = Call(label, path, kwargs, parent, host)
        return call if call.client.enabled else None
    except Exception:
        logger.debug("WatchLLM: could not start recording an OpenAI call", exc_info=True)
        return None


def _observe(call: Call, result: Any, kwargs: Dict[str, Any]) -> Any:
    """Arranges for the result to be recorded; returns it unchanged (the same object)."""
    try:
        raw = (kwargs.get("extra_headers") or {}).get(RAW_HEADER)
        if raw == "stream":  # with_streaming_response: the body is read later, by the app
            return observe_api_response(call, result)
        value = result.parse() if raw == "true" else result  # with_raw_response: parse() caches what it returns
        if hasattr(value, "_iterator") and hasattr(value, "response"):
            observe_stream(call, value)
        else:
            call.finish_result(value)
    except Exception:
        logger.debug("WatchLLM: could not observe an OpenAI result", exc_info=True)
        call.finish()
    return result


def _sync_wrapper(original: Callable[..., Any], label: str, path: str, parent: Optional[Span], host: str) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        call = _start(label, path, kwargs, parent, host)
        token = _inside.set(True)
        try:
            result = original(*args, **kwargs)
        except BaseException as error:
            if call is not None:
                call.finish(error=error)
            raise
        finally:
            _inside.reset(token)
        if call is None:
            return result
        if inspect.iscoroutine(result):  # AsyncOpenAI's methods are plain functions that return coroutines
            return _awaited(call, result, kwargs)
        return _observe(call, result, kwargs)

    return wrapper


async def _awaited(call: Call, pending: Any, kwargs: Dict[str, Any]) -> Any:
    try:
        result = await pending
    except BaseException as error:
        call.finish(error=error)
        raise
    return _observe(call, result, kwargs)


def _async_wrapper(original: Callable[..., Any], label: str, path: str, parent: Optional[Span], host: str) -> Any:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        call = _start(label, path, kwargs, parent, host)
        token = _inside.set(True)
        try:
            result = await original(*args, **kwargs)
        except BaseException as error:
            if call is not None:
                call.finish(error=error)
            raise
        finally:
            _inside.reset(token)
        return result if call is None else _observe(call, result, kwargs)

    return wrapper
