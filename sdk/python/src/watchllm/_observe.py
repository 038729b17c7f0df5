"""@observe: records a function call (sync or async, plain or generator) as a span or tool call under the current
span, or as a new trace when nothing is current; arguments and the return value become its input and output."""

import functools
import inspect
from typing import Any, Callable, Dict, List, Optional, TypeVar, overload

from . import _context
from ._client import get_client
from ._errors import logger
from ._serialize import MAX_ITEMS, snapshot
from ._spans import Span, Trace

F = TypeVar("F", bound=Callable[..., Any])
KINDS = ("span", "tool_call")


@overload
def observe(func: F) -> F: ...
@overload
def observe(
    func: None = None,
    *,
    name: Optional[str] = None,
    as_type: str = "span",
    capture_input: bool = True,
    capture_output: bool = True,
) -> Callable[[F], F]: ...
def observe(
    func: Optional[Callable[..., Any]] = None,
    *,
    name: Optional[str] = None,
    as_type: str = "span",
    capture_input: bool = True,
    capture_output: bool = True,
) -> Any:
    """`@observe()` or `@observe(name="search", as_type="tool_call", capture_input=False)` on any function."""
    if as_type not in KINDS:
        raise ValueError("as_type must be one of %s, got %r" % (KINDS, as_type))

    def decorate(fn: Callable[..., Any]) -> Any:
        call = _Call(
            fn,
            str(name or getattr(fn, "__qualname__", None) or getattr(fn, "__name__", "call")),
            as_type,
            capture_input,
            capture_output,
        )
        if inspect.isasyncgenfunction(fn):
            wrapper: Any = _async_generator(fn, call)
        elif inspect.isgeneratorfunction(fn):
            wrapper = _generator(fn, call)
        elif inspect.iscoroutinefunction(fn):
            wrapper = _coroutine(fn, call)
        else:
            wrapper = _function(fn, call)
        return functools.wraps(fn)(wrapper)

    return decorate(func) if func is not None else decorate


class _Call:
    """What a decorated function records, and how it starts and ends its span without ever raising."""

    __slots__ = ("capture_input", "capture_output", "kind", "name", "signature", "skip_first")

    def __init__(self, fn: Callable[..., Any], name: str, kind: str, capture_input: bool, capture_output: bool):
        self.name = name
        self.kind = kind
        self.capture_input = capture_input
        self.capture_output = capture_output
        try:
            self.signature: Optional[inspect.Signature] = inspect.signature(fn)
            params = list(self.signature.parameters)
            self.skip_first = bool(params) and params[0] in ("self", "cls")
        except (TypeError, ValueError):
            self.signature, self.skip_first = None, False

    def arguments(self, args: Any, kwargs: Any) -> Any:
        if self.signature is not None:
            try:
                bound: Dict[str, Any] = dict(self.signature.bind_partial(*args, **kwargs).arguments)
                if self.skip_first and bound:
                    bound.pop(next(iter(bound)))
                return bound
            except TypeError:
                pass
        return {"args": list(args), "kwargs": kwargs}

    def start(self, parent: Optional[Span], args: Any, kwargs: Any) -> Optional[Span]:
        try:
            data = snapshot(self.arguments(args, kwargs)) if self.capture_input else None
            if parent is None:
                client = get_client()
                return Trace(client, self.name, input=data, kind=self.kind) if client.enabled else None
            return Span(
                parent._client,
                parent._root,
                parent.trace_id,
                parent.event_id,
                self.name,
                data,
                None,
                self.kind,
                parent=parent,
            )
        except Exception:
            logger.debug("WatchLLM: could not start a span", exc_info=True)
            return None

    def ok(self, span: Optional[Span], output: Any, metadata: Optional[Dict[str, Any]] = None) -> None:
        if span is not None:
            try:
                span.end(output if self.capture_output else None, metadata=metadata)
            except Exception:
                logger.debug("WatchLLM: could not end a span", exc_info=True)

    def failed(self, span: Optional[Span], error: BaseException) -> None:
        if span is not None:
            try:
                span._fail(error)
                span.end()
            except Exception:
                logger.debug("WatchLLM: could not end a span", exc_info=True)


def _function(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        span = call.start(_context.current.get(), args, kwargs)
        token = _context.enter(span) if span is not None else None
        try:
            result = fn(*args, **kwargs)
        except BaseException as error:
            call.failed(span, error)
            raise
        finally:
            _context.leave(token, None)
        call.ok(span, result)
        return result

    return wrapper


def _coroutine(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        span = call.start(_context.current.get(), args, kwargs)
        token = _context.enter(span) if span is not None else None
        try:
            result = await fn(*args, **kwargs)
        except BaseException as error:
            call.failed(span, error)
            raise
        finally:
            _context.leave(token, None)
        call.ok(span, result)
        return result

    return wrapper


class _Yields:
    """A generator's output: the text when it yields strings, else the items (at most MAX_ITEMS of them)."""

    __slots__ = ("count", "items")

    def __init__(self) -> None:
        self.items: List[Any] = []
        self.count = 0

    def add(self, item: Any) -> None:
        self.count += 1
        if len(self.items) < MAX_ITEMS:
            self.items.append(item)

    def output(self) -> Any:
        if self.items and all(type(i) is str for i in self.items):
            return "".join(self.items)
        return self.items


def _generator(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    # The span's parent is where the generator was made; it starts when iteration starts. Each step runs with the span
    # current, and the consumer's context is left as it was between steps.
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        parent = _context.current.get()
        inner = fn(*args, **kwargs)
        span = call.start(parent, args, kwargs)
        yields = _Yields()
        to_send: Any = None
        to_throw: Optional[BaseException] = None
        while True:
            token = _context.enter(span) if span is not None else None
            try:
                item = inner.throw(to_throw) if to_throw is not None else inner.send(to_send)
            except StopIteration as stop:
                call.ok(span, yields.output() if stop.value is None else stop.value)
                return stop.value
            except BaseException as error:
                call.failed(span, error)
                raise
            finally:
                _context.leave(token, None)
            yields.add(item)
            to_send, to_throw = None, None
            try:
                to_send = yield item
            except GeneratorExit:
                inner.close()
                call.ok(span, yields.output(), {"closed_early": True})
                raise
            except BaseException as error:
                to_throw = error

    return wrapper


def _async_generator(fn: Callable[..., Any], call: _Call) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        parent = _context.current.get()
        inner = fn(*args, **kwargs)
        span = call.start(parent, args, kwargs)
        yields = _Yields()
        to_send: Any = None
        to_throw: Optional[BaseException] = None
        while True:
            token = _context.enter(span) if span is not None else None
            try:
                item = await (inner.athrow(to_throw) if to_throw is not None else inner.asend(to_send))
            except StopAsyncIteration:
                call.ok(span, yields.output())
                return
            except BaseException as error:
                call.failed(span, error)
                raise
            finally:
                _context.leave(token, None)
            yields.add(item)
            to_send, to_throw = None, None
            try:
                to_send = yield item
            except GeneratorExit:
                await inner.aclose()
                call.ok(span, yields.output(), {"closed_early": True})
                raise
            except BaseException as error:
                to_throw = error

    return wrapper
