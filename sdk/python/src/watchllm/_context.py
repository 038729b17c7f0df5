"""The span code is running in: a ContextVar, so it follows asyncio tasks and threads started with copy_context()."""

from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from ._spans import Span

current: "ContextVar[Optional[Span]]" = ContextVar("watchllm_current_span", default=None)


def enter(span: "Span") -> "Token[Any]":
    return current.set(span)


def leave(token: "Optional[Token[Any]]", previous: "Optional[Span]") -> None:
    """Restore what was current; a token made in another context (a generator resumed elsewhere) can't be reset."""
    if token is None:
        return
    try:
        current.reset(token)
    except ValueError:
        current.set(previous)
