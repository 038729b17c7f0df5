"""Streams and lazily read responses of an observed OpenAI client, recorded as the app reads them.

A stream stays the very object the client returned (same type, same .response, usable with `with`): only its chunk
iterator is replaced by one that passes every chunk through and notes what it carried. The call is recorded when the
stream ends, fails, is closed early (status error, `aborted`), or is garbage-collected unfinished.
"""

import functools
import inspect
import time
from typing import TYPE_CHECKING, Any

from ._errors import logger

if TYPE_CHECKING:
    from ._openai import Call


def _take(call: "Call", acc: Any, chunk: Any) -> None:
    try:
        if acc.add(chunk) and call.first is None:
            call.first = time.perf_counter()
    except Exception:
        logger.debug("WatchLLM: could not read a stream chunk", exc_info=True)


def observe_stream(call: "Call", stream: Any) -> None:
    acc = call.new_stream()
    inner = stream._iterator
    close = stream.close
    if inspect.iscoroutinefunction(close):

        async def observed_async() -> Any:
            try:
                async for chunk in inner:
                    _take(call, acc, chunk)
                    yield chunk
            except GeneratorExit:
                call.finish_stream(aborted=True)
                raise
            except BaseException as error:
                call.finish_stream(error=error)
                raise
            call.finish_stream()

        @functools.wraps(close)
        async def observed_aclose(*args: Any, **kwargs: Any) -> Any:
            call.finish_stream(aborted=True)
            return await close(*args, **kwargs)

        stream._iterator = observed_async()
        stream.close = observed_aclose
        return

    def observed() -> Any:
        try:
            for chunk in inner:
                _take(call, acc, chunk)
                yield chunk
        except GeneratorExit:
            call.finish_stream(aborted=True)
            raise
        except BaseException as error:
            call.finish_stream(error=error)
            raise
        call.finish_stream()

    @functools.wraps(close)
    def observed_close(*args: Any, **kwargs: Any) -> Any:
        call.finish_stream(aborted=True)
        return close(*args, **kwargs)

    stream._iterator = observed()
    stream.close = observed_close


def observe_api_response(call: "Call", response: Any) -> Any:
    """with_streaming_response: recorded when the app parses the body (a result, or a stream observed as above);
    closed without parsing, the call is recorded without output."""
    parse = response.parse
    close = response.close

    def seen(value: Any, kwargs: Any) -> Any:
        if kwargs.get("to") is None and not call.done and call.stream is None:
            try:
                if hasattr(value, "_iterator") and hasattr(value, "response"):
                    observe_stream(call, value)
                else:
                    call.finish_result(value)
            except Exception:
                logger.debug("WatchLLM: could not observe a parsed response", exc_info=True)
        return value

    def closed() -> None:
        if call.stream is not None:
            call.finish_stream(aborted=True)
        else:
            call.finish()

    if inspect.iscoroutinefunction(parse):

        @functools.wraps(parse)
        async def observed_aparse(*args: Any, **kwargs: Any) -> Any:
            return seen(await parse(*args, **kwargs), kwargs)

        @functools.wraps(close)
        async def observed_aclose(*args: Any, **kwargs: Any) -> Any:
            closed()
            return await close(*args, **kwargs)

        response.parse = observed_aparse
        response.close = observed_aclose
        return response

    @functools.wraps(parse)
    def observed_parse(*args: Any, **kwargs: Any) -> Any:
        return seen(parse(*args, **kwargs), kwargs)

    @functools.wraps(close)
    def observed_close(*args: Any, **kwargs: Any) -> Any:
        closed()
        return close(*args, **kwargs)

    response.parse = observed_parse
    response.close = observed_close
    return response
