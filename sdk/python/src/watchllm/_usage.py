"""Provider usage shapes → WatchLLM's: cached tokens are counted inside input_tokens, as OpenAI reports them. Field
names from the generated table of contract/providers.ts; fractional counts are rounded half up, as the Worker does."""

import math
from collections.abc import Mapping
from typing import Any, Dict, Optional

from ._provider_table import USAGE_FIELDS

_OPENAI = USAGE_FIELDS["openai"]
_ANTHROPIC = USAGE_FIELDS["anthropic"]
_GEMINI = USAGE_FIELDS["gemini"]


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if type(obj) is dict or isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _n(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(0, value)
    if isinstance(value, float) and math.isfinite(value):
        return max(0, math.floor(value + 0.5))
    return 0


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _has(obj: Any, key: str) -> bool:
    if type(obj) is dict or isinstance(obj, Mapping):
        return key in obj
    return getattr(obj, key, None) is not None


def to_usage(raw: Any) -> Optional[Dict[str, int]]:
    """OpenAI chat/completions/embeddings and responses, Anthropic (whose input_tokens exclude cache reads and
    writes), Gemini, or WatchLLM's own shape; a dict or an SDK object. None when it is none of these."""
    if (
        type(raw) is dict
        and "prompt_tokens" not in raw
        and "cache_read_input_tokens" not in raw
        and "input_tokens" in raw
    ):
        # WatchLLM's own shape (and OpenAI responses / Anthropic without caching): the common case, kept cheap.
        cached = raw.get("cached_input_tokens")
        if cached is None:
            cached = _get(raw.get("input_tokens_details"), "cached_tokens")
        usage = {
            "input_tokens": _n(raw["input_tokens"]),
            "output_tokens": _n(raw.get("output_tokens")),
            "cached_input_tokens": _n(cached),
        }
        if "cache_creation_input_tokens" in raw:
            written = _n(raw["cache_creation_input_tokens"])
            usage["input_tokens"] += written
            usage["cache_write_tokens"] = written
        elif raw.get("cache_write_tokens") is not None:
            usage["cache_write_tokens"] = _n(raw["cache_write_tokens"])
        return usage
    if raw is None or isinstance(raw, (str, bytes, int, float)):
        return None
    if _has(raw, _OPENAI["input"]):
        # DeepSeek reports its cache hits beside the prompt: prompt_cache_hit_tokens.
        cached = _n(_get(_get(raw, _OPENAI["details"]), _OPENAI["cached"])) or _n(_get(raw, _OPENAI["cacheHit"]))
        return {
            "input_tokens": _n(_get(raw, _OPENAI["input"])),
            "output_tokens": _n(_get(raw, _OPENAI["output"])),
            "cached_input_tokens": cached,
        }
    if _has(raw, _ANTHROPIC["read"]) or _has(raw, _ANTHROPIC["written"]):
        read = _n(_get(raw, _ANTHROPIC["read"]))
        written = _n(_get(raw, _ANTHROPIC["written"]))
        return {
            "input_tokens": _n(_get(raw, "input_tokens")) + read + written,
            "output_tokens": _n(_get(raw, "output_tokens")),
            "cached_input_tokens": read,
            "cache_write_tokens": written,
        }
    if _has(raw, "input_tokens"):
        cached = _get(raw, "cached_input_tokens")
        if cached is None:
            cached = _get(_get(raw, "input_tokens_details"), "cached_tokens")
        usage = {
            "input_tokens": _n(_get(raw, "input_tokens")),
            "output_tokens": _n(_get(raw, "output_tokens")),
            "cached_input_tokens": _n(cached),
        }
        if _get(raw, "cache_write_tokens") is not None:
            usage["cache_write_tokens"] = _n(_get(raw, "cache_write_tokens"))
        return usage
    if _has(raw, _GEMINI["input"]) or _has(raw, "prompt_token_count"):
        # google-genai's objects use the snake_case of Gemini's JSON names.
        names = _GEMINI if _has(raw, _GEMINI["input"]) else {k: _snake(v) for k, v in _GEMINI.items()}
        return {
            "input_tokens": _n(_get(raw, names["input"])),
            "output_tokens": _n(_get(raw, names["output"])),
            "cached_input_tokens": _n(_get(raw, names["cached"])),
        }
    return None
