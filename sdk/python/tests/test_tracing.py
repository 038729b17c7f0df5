"""Traces, spans and the events they become on the wire."""

import time

import pytest
from conftest import wait_until

import watchllm
from watchllm import to_usage


def delivered(server, client, n):
    assert client.flush(timeout=10)
    assert wait_until(lambda: len(server.events) >= n)
    return sorted(server.events.values(), key=lambda e: (e["timestamp"], e["type"] != "span"))


def by_name(events):
    return {e["name"]: e for e in events}


def test_records_a_trace_tree_with_context_durations_and_the_wire_fields(server, client):
    before = time.time() * 1000
    with client.trace(
        "agent",
        user_id="u-42",
        session_id="s-7",
        tags=["prod", "beta"],
        metadata={"release": "1.2"},
        input={"question": "balance?"},
    ) as trace:
        with trace.span("retrieve", input="balance", metadata={"k": 3}) as span:
            span.tool_call("search", input="balance", output=["doc1"], duration_ms=12.5)
            span.log("found", {"count": 1})
        trace.model_response(
            "gpt-4o",
            provider="openai",
            input=[{"role": "user", "content": "hi"}],
            output="hello",
            usage={"prompt_tokens": 100, "completion_tokens": 20, "prompt_tokens_details": {"cached_tokens": 40}},
            duration_ms=840,
            cost_usd=0.0012,
        )
        trace.end(output="your balance is 3")
    events = by_name(delivered(server, client, 5))
    assert set(events) == {"agent", "retrieve", "search", "log", "gpt-4o"}
    root, span, tool, log, model = (events[n] for n in ("agent", "retrieve", "search", "log", "gpt-4o"))
    assert trace.id == root["trace_id"] and trace.event_id == root["event_id"]
    assert all(e["trace_id"] == trace.id for e in events.values())
    assert root["parent_event_id"] is None and root["type"] == "span" and root["status"] == "ok"
    assert root["context"] == {
        "user_id": "u-42",
        "session_id": "s-7",
        "tags": ["prod", "beta"],
        "metadata": {"release": "1.2"},
    }
    assert root["body"] == {"input": {"question": "balance?"}, "output": "your balance is 3"}
    assert span["parent_event_id"] == root["event_id"] and span["body"] == {"input": "balance", "metadata": {"k": 3}}
    assert span["context"] == {"user_id": "u-42", "session_id": "s-7"}
    assert tool["parent_event_id"] == span["event_id"] and tool["type"] == "tool_call" and tool["duration_ms"] == 12.5
    assert tool["body"] == {"input": "balance", "output": ["doc1"]}
    assert log["type"] == "log" and log["body"] == {"message": "found", "data": {"count": 1}}
    assert model["type"] == "model_response" and model["model"] == "gpt-4o" and model["provider"] == "openai"
    assert model["usage"] == {"input_tokens": 100, "output_tokens": 20, "cached_input_tokens": 40}
    assert model["cost_usd"] == 0.0012 and model["duration_ms"] == 840
    for e in events.values():
        assert isinstance(e["timestamp"], int) and before - 1000 <= e["timestamp"] <= time.time() * 1000 + 1
    # Recorded right after the trace started, the 840 ms call can't have begun before it: it starts with the root,
    # and the root lasts at least as long.
    assert model["timestamp"] == root["timestamp"] and root["duration_ms"] >= 840
    assert root["duration_ms"] >= span["duration_ms"] >= 0


def test_a_call_with_only_a_duration_never_starts_before_its_parent_and_stretches_it(server, client):
    with client.trace("instant") as trace:
        with trace.span("retrieve") as span:
            span.tool_call("search_docs", duration_ms=120)
    events = by_name(delivered(server, client, 3))
    root, span, tool = events["instant"], events["retrieve"], events["search_docs"]
    assert tool["timestamp"] >= span["timestamp"] >= root["timestamp"]
    assert tool["duration_ms"] == 120
    end = lambda e: e["timestamp"] + e["duration_ms"]  # noqa: E731
    assert end(span) >= end(tool) - 1 and end(root) >= end(span) - 1  # whole milliseconds on the wire
    # The trace's header (first start to last end) is the root's own span.
    first = min(e["timestamp"] for e in events.values())
    last = max(end(e) for e in events.values())
    assert first == root["timestamp"] and last - first <= root["duration_ms"] + 1


def test_an_exception_in_a_trace_records_one_error_marks_it_failed_and_propagates(server, client):
    with pytest.raises(KeyError):
        with client.trace("failing") as trace:
            with trace.span("inner"):
                {}["missing"]
    events = delivered(server, client, 3)
    errors = [e for e in events if e["type"] == "error"]
    assert len(errors) == 1, "recorded once, where it was raised"
    inner = next(e for e in events if e["name"] == "inner")
    root = next(e for e in events if e["name"] == "failing")
    assert errors[0]["parent_event_id"] == inner["event_id"]
    assert errors[0]["name"] == "KeyError" and errors[0]["status"] == "error"
    assert errors[0]["body"]["error_type"] == "KeyError" and "'missing'" in errors[0]["body"]["message"]
    assert "Traceback" in errors[0]["body"]["stack"] and "test_tracing.py" in errors[0]["body"]["stack"]
    assert inner["status"] == "error" and root["status"] == "error"


def test_error_takes_a_message_too_and_marks_the_span_failed(server, client):
    trace = client.trace("manual")
    trace.error("quota exceeded")
    trace.end()
    events = by_name(delivered(server, client, 2))
    assert (
        events["Error"]["body"]["message"] == "quota exceeded" and "test_tracing.py" in events["Error"]["body"]["stack"]
    )
    assert events["manual"]["status"] == "error"


def test_inputs_are_recorded_as_they_were_when_recorded(server, client):
    messages = [{"role": "user", "content": "first"}]
    trace = client.trace("snap", input=messages)
    trace.model_response("gpt-4o", input=messages, output="ok")
    messages.append({"role": "assistant", "content": "later"})
    trace.end()
    for e in delivered(server, client, 2):
        assert e["body"]["input"] == [{"role": "user", "content": "first"}]


def test_odd_values_become_json_and_huge_ones_are_bounded(server, client):
    class Thing:
        def __repr__(self):
            return "<thing>"

    trace = client.trace(
        "odd",
        input={
            "set": {1},
            "bytes": b"abc",
            "obj": Thing(),
            3: float("nan"),
            "long": "x" * 100_000,
            "deep": [[[[[[[[[[[[[["bottom"]]]]]]]]]]]]]],
            "many": list(range(5000)),
        },
    )
    trace.end()
    (root,) = delivered(server, client, 1)
    data = root["body"]["input"]
    assert data["set"] == [1] and data["bytes"] == "<3 bytes>" and data["obj"] == "<thing>" and data["3"] == "nan"
    assert len(data["long"]) < 33_000 and data["long"].endswith("[truncated by WatchLLM]")
    assert len(data["many"]) == 1001 and data["many"][-1] == "…4000 more"
    assert "bottom" not in str(data["deep"]) and "<list of 1>" in str(data["deep"])


def test_update_sets_user_session_and_tags_for_the_rest_of_the_trace(server, client):
    trace = client.trace("later")
    trace.update(user_id="u-1", session_id="s-1", tags=["a"], metadata={"m": 1})
    trace.log("after update")
    trace.update(tags=["b", "a"], metadata={"n": 2})
    trace.end()
    events = by_name(delivered(server, client, 2))
    assert events["log"]["context"] == {"user_id": "u-1", "session_id": "s-1"}
    assert events["later"]["context"] == {
        "user_id": "u-1",
        "session_id": "s-1",
        "tags": ["a", "b"],
        "metadata": {"m": 1, "n": 2},
    }


def test_trace_metadata_too_big_for_the_context_goes_into_the_body(server, client):
    trace = client.trace("big", metadata={"blob": "y" * 9_000})
    trace.end()
    (root,) = delivered(server, client, 1)
    assert "metadata" not in root.get("context", {}) and root["body"]["trace_metadata"]["blob"] == "y" * 9_000


def test_a_given_trace_id_is_kept_and_ids_are_unique(server, client):
    ids = {client.trace("t").span("s").event_id for _ in range(2000)}
    assert len(ids) == 2000
    trace = client.trace("mine", trace_id="my-trace-1")
    trace.end()
    trace.end()  # a second end records nothing
    (root,) = delivered(server, client, 1)
    assert root["trace_id"] == "my-trace-1" and trace.id == "my-trace-1"
    assert client.stats()["recorded"] == 1


def test_a_disabled_client_or_one_without_key_records_nothing_and_never_fails(server, make_client, monkeypatch):
    monkeypatch.delenv("WATCHLLM_API_KEY", raising=False)
    for c in (make_client(enabled=False), make_client(api_key="")):
        with c.trace("nothing") as trace:
            trace.model_response("gpt-4o", usage={"prompt_tokens": 1})
            trace.span("s").end()
        assert c.enabled is False and c.flush() is True and c.stats()["recorded"] == 0
    assert server.requests == []


def test_the_api_key_and_base_url_come_from_the_environment(server, monkeypatch):
    monkeypatch.setenv("WATCHLLM_API_KEY", "wl_ingest_test")
    monkeypatch.setenv("WATCHLLM_BASE_URL", server.url + "/")
    c = watchllm.configure(flush_interval=0.05)
    try:
        assert watchllm.get_client() is c
        c.trace("from-env").end()
        assert watchllm.flush(timeout=5)
        assert [e["name"] for e in server.events.values()] == ["from-env"]
    finally:
        c.shutdown(timeout=0)


def test_environment_and_release_go_on_every_event_from_options_or_the_environment(server, make_client, monkeypatch):
    c = make_client(environment="staging", release="abc123")
    with c.trace("run", user_id="u-1") as trace:
        trace.model_response("gpt-4o-mini", first_token_ms=120, duration_ms=300)
    events = delivered(server, c, 2)
    assert all(e["context"]["environment"] == "staging" and e["context"]["release"] == "abc123" for e in events)
    assert next(e for e in events if e["type"] == "model_response")["first_token_ms"] == 120
    assert next(e for e in events if e["type"] == "span")["context"]["user_id"] == "u-1"

    monkeypatch.setenv("WATCHLLM_ENVIRONMENT", "production")
    monkeypatch.setenv("WATCHLLM_RELEASE", "v2.1.0")
    server.events.clear()
    from_env = make_client()
    from_env.trace("from-env").end()
    (event,) = delivered(server, from_env, 1)
    assert event["context"] == {"environment": "production", "release": "v2.1.0"}


def test_usage_shapes_of_openai_anthropic_and_gemini_map_to_watchllms():
    assert to_usage({"prompt_tokens": 10, "completion_tokens": 2, "prompt_tokens_details": {"cached_tokens": 4}}) == {
        "input_tokens": 10,
        "output_tokens": 2,
        "cached_input_tokens": 4,
    }
    assert to_usage({"input_tokens": 30, "output_tokens": 5, "input_tokens_details": {"cached_tokens": 10}}) == {
        "input_tokens": 30,
        "output_tokens": 5,
        "cached_input_tokens": 10,
    }
    # Anthropic counts cache reads and writes outside input_tokens: WatchLLM counts them inside.
    assert to_usage(
        {"input_tokens": 50, "output_tokens": 7, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 200}
    ) == {"input_tokens": 1250, "output_tokens": 7, "cached_input_tokens": 1000, "cache_write_tokens": 200}
    assert to_usage({"promptTokenCount": 8, "candidatesTokenCount": 3, "cachedContentTokenCount": 2}) == {
        "input_tokens": 8,
        "output_tokens": 3,
        "cached_input_tokens": 2,
    }
    assert to_usage({"input_tokens": 3, "output_tokens": 1, "cached_input_tokens": 1, "cache_write_tokens": 2}) == {
        "input_tokens": 3,
        "output_tokens": 1,
        "cached_input_tokens": 1,
        "cache_write_tokens": 2,
    }

    class AnthropicUsage:  # SDK objects work like dicts
        input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens = 5, 1, 20, None

    assert to_usage(AnthropicUsage()) == {
        "input_tokens": 25,
        "output_tokens": 1,
        "cached_input_tokens": 20,
        "cache_write_tokens": 0,
    }
    assert to_usage("nonsense") is None and to_usage({"tokens": 3}) is None


def test_usage_reads_deepseek_cache_hits_and_rounds_fractions_as_the_worker_does():
    # The same table and rules as contract/providers.ts (the gateway, OTLP and the TypeScript SDK).
    assert to_usage({"prompt_tokens": 812.5, "completion_tokens": 2.4, "prompt_cache_hit_tokens": 600}) == {
        "input_tokens": 813,
        "output_tokens": 2,
        "cached_input_tokens": 600,
    }

    class GeminiUsage:  # google-genai's objects: snake_case names
        prompt_token_count, candidates_token_count, cached_content_token_count = 40, 3, 32

    assert to_usage(GeminiUsage()) == {"input_tokens": 40, "output_tokens": 3, "cached_input_tokens": 32}
