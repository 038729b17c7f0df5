"""Bounded, JSON-safe snapshots of whatever an app records as input, output or metadata.

Taken on the caller's thread when the event is recorded, so a list the app mutates afterwards is recorded as it was.
Bounded so that recording a huge object costs little: strings are clipped, containers cut after MAX_ITEMS, nesting
after MAX_DEPTH, and the whole snapshot stops after MAX_NODES values and MAX_CHARS characters.
"""

import dataclasses
import datetime
import enum
import math
from collections.abc import Mapping
from typing import Any, List

MAX_STRING = 32_000
MAX_ITEMS = 1_000
MAX_DEPTH = 12
MAX_NODES = 5_000
MAX_CHARS = 200_000
TRUNCATED = "…[truncated by WatchLLM]"

_SCALARS = (type(None), bool, int)


def snapshot(value: Any) -> Any:
    """A JSON-safe copy of value (dicts, lists, str, numbers, bools, None), within the bounds above."""
    kind = type(value)
    if kind is str and len(value) <= MAX_STRING:
        return value
    if kind in _SCALARS:
        return value
    return _Snap().take(value, 0)


class _Snap:
    __slots__ = ("chars", "nodes")

    def __init__(self) -> None:
        self.nodes = MAX_NODES
        self.chars = MAX_CHARS

    def text(self, s: str) -> str:
        limit = min(MAX_STRING, self.chars)
        if len(s) > limit:
            s = s[: max(0, limit)] + TRUNCATED
        self.chars -= len(s)
        return s

    def take(self, value: Any, depth: int) -> Any:
        self.nodes -= 1
        if self.nodes < 0:
            return "…"
        kind = type(value)
        if kind is str:
            return self.text(value)
        if kind in _SCALARS:
            return value
        if kind is float:
            return value if math.isfinite(value) else str(value)
        if depth >= MAX_DEPTH:
            return _placeholder(value)
        if kind is dict or isinstance(value, Mapping):
            return self.mapping(value, depth)
        if kind in (list, tuple) or isinstance(value, (list, tuple, set, frozenset)):
            return self.sequence(value, depth)
        return self.other(value, depth)

    def mapping(self, value: Any, depth: int) -> Any:
        out = {}
        for i, (k, v) in enumerate(value.items()):
            if i >= MAX_ITEMS:
                out["…"] = "%d more" % (len(value) - MAX_ITEMS)
                break
            out[k if type(k) is str else str(k)] = self.take(v, depth + 1)
        return out

    def sequence(self, value: Any, depth: int) -> List[Any]:
        out = []
        for i, v in enumerate(value):
            if i >= MAX_ITEMS:
                out.append("…%d more" % (len(value) - MAX_ITEMS))
                break
            out.append(self.take(v, depth + 1))
        return out

    def other(self, value: Any, depth: int) -> Any:
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return self.take(float(value), depth)
        if isinstance(value, str):
            return self.text(str(value))
        if isinstance(value, enum.Enum):
            return self.take(value.value, depth)
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "<%d bytes>" % len(value)
        if isinstance(value, type):
            return value.__name__
        if isinstance(value, BaseException):
            return {"error_type": type(value).__name__, "message": self.text(str(value))}
        dump = getattr(value, "model_dump", None)  # pydantic v2 (OpenAI's and Anthropic's response objects)
        if callable(dump):
            try:
                # warnings=False: a generic field (ParsedChatCompletion's `parsed`) must not warn in the app's logs.
                return self.take(dump(mode="json", exclude_none=True, warnings=False), depth)
            except TypeError:
                try:
                    return self.take(dump(mode="json", exclude_none=True), depth)
                except Exception:
                    pass
            except Exception:
                pass
        if dataclasses.is_dataclass(value):
            fields = {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value)}
            return self.mapping(fields, depth)
        legacy = getattr(value, "dict", None)  # pydantic v1
        if callable(legacy) and hasattr(value, "__fields__"):
            try:
                return self.take(legacy(), depth)
            except Exception:
                pass
        return self.text(_describe(value))


def _placeholder(value: Any) -> str:
    """What stands for a value nested too deep: its type and size, never its (unbounded) repr."""
    try:
        return "<%s of %d>" % (type(value).__name__, len(value))
    except Exception:
        return "<%s>" % type(value).__name__


def _describe(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = "<%s>" % type(value).__name__
    return text if len(text) <= 1_000 else text[:1_000] + TRUNCATED
