"""End to end: the SDK, as an app uses it, against the real Worker (`wrangler dev` on migrated local D1, started by
scripts/e2e-instance.ts), read back through the trace API with the project's secret key."""

import json
import time
import urllib.error
import urllib.request

import openai
import pytest
from conftest import wait_until
from fake_upstream import FakeUpstream

import watchllm
from watchllm import observe, observe_openai


def read_trace(worker, trace_id):
    request = urllib.request.Request(
        "%s/api/v1/traces/%s" % (worker["base"], trace_id), headers={"Authorization": "Bearer " + worker["secret_key"]}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise


def test_a_traced_agent_reads_back_as_the_same_tree_with_usage_and_cost(worker):
    upstream = FakeUpstream()
    errors = []
    wl = watchllm.WatchLLM(api_key=worker["ingest_key"], base_url=worker["base"], on_error=errors.append)
    llm = observe_openai(openai.OpenAI(api_key="sk-test", base_url=upstream.base_url, max_retries=0))

    @observe(name="lookup", as_type="tool_call")
    def lookup(customer):
        return {"plan": "pro", "notes": "n" * 2_000}  # over 1 KB: the batch goes gzipped

    seen = {}

    @observe(name="support-agent")
    def agent(question):
        seen["trace_id"] = watchllm.current_trace().id
        watchllm.current_trace().update(
            user_id="u-42", session_id="s-7", tags=["e2e", "python"], metadata={"release": "1.2"}
        )
        lookup("u-42")
        with watchllm.current_span().span("answer") as span:
            reply = llm.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
            span.log("answered", {"chars": len(reply.choices[0].message.content)})
        return reply.choices[0].message.content

    try:
        assert agent("What is my plan?") == "Hello from the fake upstream."
        assert wl.flush(timeout=30), (wl.stats(), errors)
        assert wl.stats()["delivered"] == 5 and errors == []
        trace_id = seen["trace_id"]
        assert wait_until(lambda: len((read_trace(worker, trace_id) or {}).get("events", [])) == 5, timeout=30)
        answer = read_trace(worker, trace_id)
    finally:
        wl.shutdown(timeout=5)
        upstream.stop()
    summary, events = answer["trace"], answer["events"]
    assert sorted("%d %s %s" % (e["depth"], e["type"], e["name"]) for e in events) == [
        "0 span support-agent",
        "1 span answer",
        "1 tool_call lookup",
        "2 log log",
        "2 model_response chat.completions",
    ]
    assert events[0]["name"] == "support-agent"
    assert summary["user_id"] == "u-42" and summary["session_id"] == "s-7" and summary["tags"] == ["e2e", "python"]
    assert summary["models"] == ["gpt-4o-mini-2024-07-18"] and summary["status"] == "ok"
    assert (summary["input_tokens"], summary["output_tokens"], summary["cached_input_tokens"]) == (12, 7, 4)
    assert summary["total_cost"] > 0, "priced from the built-in price table"
    call = next(e for e in events if e["type"] == "model_response")
    assert call["provider"] == "openai" and call["duration_ms"] >= 0


def test_a_failing_run_reads_back_as_failed_with_its_error(worker):
    wl = watchllm.WatchLLM(api_key=worker["ingest_key"], base_url=worker["base"])
    try:
        with pytest.raises(ZeroDivisionError):
            with wl.trace("e2e-failure", user_id="u-9") as trace:
                with trace.span("divide"):
                    _ = 1 / 0
        assert wl.flush(timeout=30)
        assert wait_until(lambda: len((read_trace(worker, trace.id) or {}).get("events", [])) == 3, timeout=30)
        answer = read_trace(worker, trace.id)
    finally:
        wl.shutdown(timeout=5)
    assert answer["trace"]["status"] == "error"
    assert answer["trace"]["error_count"] == 3, "the error, the span it left and the trace"
    (error,) = [e for e in answer["events"] if e["type"] == "error"]
    assert error["name"] == "ZeroDivisionError" and error["depth"] == 2
    assert time.time() * 1000 - answer["trace"]["start_time"] < 120_000, "timestamps are epoch milliseconds"


def read_scores(worker, trace_id):
    request = urllib.request.Request(
        "%s/api/v1/scores?trace_id=%s" % (worker["base"], trace_id),
        headers={"Authorization": "Bearer " + worker["secret_key"]},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["scores"]


def test_scores_of_a_trace_a_span_and_later_feedback_read_back(worker):
    errors = []
    wl = watchllm.WatchLLM(api_key=worker["ingest_key"], base_url=worker["base"], on_error=errors.append)
    try:
        with wl.trace("scored-agent", user_id="u-py") as trace:
            with trace.span("retrieve") as span:
                span.score("recall", 0.5, comment="1 of 2 docs")
            trace.score("quality", "good")
        wl.score(trace_id=trace.id, name="thumbs", value=False, source="feedback")
        wl.score(trace_id=trace.id, name="label", value="x", source="annotation")  # not for an ingest key
        assert wl.flush(timeout=30) is False  # the annotation was rejected: sent, but not delivered
        assert wait_until(lambda: len(read_scores(worker, trace.id)) == 3, timeout=30)
        by = {s["name"]: s for s in read_scores(worker, trace.id)}
        assert by["recall"]["value"] == 0.5 and by["recall"]["event_id"] == span.id
        assert by["recall"]["comment"] == "1 of 2 docs" and by["recall"]["user_id"] == "u-py"
        assert by["quality"]["value"] == "good" and by["quality"]["event_id"] is None
        assert by["thumbs"]["value"] is False and by["thumbs"]["source"] == "feedback"
        assert [e.code for e in errors] == ["rejected"]
    finally:
        wl.shutdown()
