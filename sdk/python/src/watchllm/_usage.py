"""Provider usage shapes → WatchLLM's: cached tokens are counted inside input_tokens, as OpenAI reports them."""

from collections.abc import Mapping
from typing import Any, Dict, Optional


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
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return max(0, int(value))
    return 0


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
    if _has(raw, "prompt_tokens"):
        return {
            "input_tokens": _n(_get(raw, "prompt_tokens")),
            "output_tokens": _n(_get(raw, "completion_tokens")),
            "cached_input_tokens": _n(_get(_get(raw, "prompt_tokens_details"), "cached_tokens")),
        }
    if _has(raw, "cache_read_input_tokens") or _has(raw, "cache_creation_input_tokens"):
        read = _n(_get(raw, "cache_read_input_tokens"))
        written = _n(_get(raw, "cache_creation_input_tokens"))
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
    if _has(raw, "promptTokenCount") or _has(raw, "prompt_token_count"):
        camel = _has(raw, "promptTokenCount")
        return {
            "input_tokens": _n(_get(raw, "promptTokenCount" if camel else "prompt_token_count")),
            "output_tokens": _n(_get(raw, "candidatesTokenCount" if camel else "candidates_token_count")),
            "cached_input_tokens": _n(_get(raw, "cachedContentTokenCount" if camel else "cached_content_token_count")),
        }
    return None
