"""observe_openai with the real `openai` package against a local fake upstream: results and streams come back
unchanged, and each call is recorded with model, provider, usage (cached tokens too), input/output, timing, errors."""

import asyncio
import subprocess
import sys

import openai
import pydantic
import pytest
from fake_upstream import MODEL, FakeUpstream
from fake_upstream import recorded as recorded_answer

import watchllm
from watchllm import observe, observe_openai
from watchllm._providers import provider_for

TEXT = recorded_answer("openai/chat.json")["choices"][0]["message"]["content"]  # what every recorded answer says
MESSAGES = [{"role": "user", "content": "Say hello"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]


@pytest.fixture
def upstream():
    fake = FakeUpstream()
    yield fake
    fake.stop()


@pytest.fixture
def oai(upstream, client):
    return observe_openai(openai.OpenAI(api_key="sk-test", base_url=upstream.base_url, max_retries=0))


@pytest.fixture
def aoai(upstream, client):
    return observe_openai(openai.AsyncOpenAI(api_key="sk-test", base_url=upstream.base_url, max_retries=0))


def recorded(server, client, n):
    assert client.flush(timeout=10)
    assert server.wait_for(lambda: len(server.events) >= n)
    events = list(server.events.values())
    assert len(events) == n, [(e["type"], e["name"]) for e in events]
    return events


def only_call(server, client, n=1):
    events = recorded(server, client, n)
    return next(e for e in events if e["type"] == "model_response"), events


def test_records_a_chat_completion_and_returns_it_unchanged(server, client, oai, upstream):
    result = oai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, temperature=0.2)
    assert isinstance(result, openai.types.chat.ChatCompletion) and result.choices[0].message.content == TEXT
    assert upstream.requests[-1]["body"] == {"model": "gpt-4o-mini", "messages": MESSAGES, "temperature": 0.2}, (
        "request untouched"
    )
    (event,) = recorded(server, client, 1)
    assert (
        event["type"] == "model_response" and event["name"] == "chat.completions" and event["parent_event_id"] is None
    )
    assert event["model"] == MODEL and event["provider"] == "openai"
    assert event["usage"] == {"input_tokens": 12, "output_tokens": 7, "cached_input_tokens": 4}
    assert event["body"]["input"] == MESSAGES
    assert event["body"]["output"] == {"role": "assistant", "content": TEXT}
    assert (
        event["body"]["metadata"]["parameters"] == {"temperature": 0.2}
        and event["body"]["metadata"]["finish_reason"] == "stop"
    )
    assert event["status"] == "ok" and event["duration_ms"] >= 0


def test_a_stream_yields_the_same_chunks_and_records_the_assembled_tool_calls(server, client, oai, upstream):
    stream = oai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, tools=TOOLS, stream=True)
    assert isinstance(stream, openai.Stream)
    chunks = list(stream)
    assert len(chunks) == 6 and all(isinstance(c, openai.types.chat.ChatCompletionChunk) for c in chunks)
    assert "stream_options" not in upstream.requests[-1]["body"], "the caller's request is not changed"
    (event,) = recorded(server, client, 1)
    assert event["body"]["output"] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}}
        ],
    }
    metadata = event["body"]["metadata"]
    assert (
        metadata["stream"] is True
        and metadata["finish_reason"] == "tool_calls"
        and "time_to_first_token_ms" not in metadata
    )
    assert event["duration_ms"] >= event["first_token_ms"] >= 0 and "usage" not in event


def test_a_stream_with_include_usage_records_its_usage(server, client, oai):
    stream = oai.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == TEXT
    (event,) = recorded(server, client, 1)
    assert event["usage"] == {"input_tokens": 12, "output_tokens": 7, "cached_input_tokens": 4}
    assert event["body"]["output"]["content"] == TEXT and event["status"] == "ok"


def test_breaking_out_of_a_stream_records_what_came_as_aborted(server, client, oai):
    stream = oai.chat.completions.create(model="long", messages=MESSAGES, stream=True)
    with stream:
        for i, _ in enumerate(stream):
            if i == 2:
                break
    assert stream.response.is_closed
    (event,) = recorded(server, client, 1)
    assert event["status"] == "error" and event["body"]["metadata"]["error"]["error_type"] == "aborted"
    assert event["body"]["output"]["content"] == "Hello from"


def test_an_error_in_the_middle_of_a_stream_is_recorded_and_raised(server, client, oai):
    with pytest.raises(openai.APIError, match="upstream overloaded"):
        for _ in oai.chat.completions.create(model="breaks-mid-stream", messages=MESSAGES, stream=True):
            pass
    call, events = only_call(server, client, 2)
    (error,) = [e for e in events if e["type"] == "error"]
    assert call["status"] == "error" and call["body"]["output"]["content"] == TEXT
    assert error["parent_event_id"] == call["event_id"] and error["body"]["error_type"] == "APIError"


def test_a_failed_call_is_recorded_once_even_when_it_leaves_observed_spans(server, client, oai):
    @observe(name="agent")
    def agent():
        return oai.chat.completions.create(model="missing-model", messages=MESSAGES)

    with pytest.raises(openai.NotFoundError):
        agent()
    call, events = only_call(server, client, 3)
    agent_event = next(e for e in events if e["name"] == "agent")
    (error,) = [e for e in events if e["type"] == "error"]
    assert call["parent_event_id"] == agent_event["event_id"] and agent_event["status"] == "error"
    assert call["status"] == "error" and call["model"] == "missing-model"
    assert (
        call["body"]["metadata"]["error"]["status_code"] == 404
        and call["body"]["metadata"]["error"]["error_type"] == "NotFoundError"
    )
    assert error["parent_event_id"] == call["event_id"] and "does not exist" in error["body"]["message"]


def test_async_calls_and_streams_are_recorded(server, client, aoai):
    async def main():
        result = await aoai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        stream = await aoai.chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
        assert isinstance(stream, openai.AsyncStream)
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        cut = await aoai.chat.completions.create(model="long", messages=MESSAGES, stream=True)
        async for _ in cut:
            break
        await cut.close()
        async with aoai.chat.completions.with_streaming_response.create(model="gpt-4o-mini", messages=MESSAGES) as raw:
            assert (await raw.parse()).choices[0].message.content == TEXT
        return result.choices[0].message.content, text

    assert asyncio.run(main()) == (TEXT, TEXT)
    events = recorded(server, client, 4)
    statuses = sorted((e["status"], e["body"]["output"]["content"]) for e in events)
    assert statuses == [("error", None)] + [("ok", TEXT)] * 3
    aborted = next(e for e in events if e["status"] == "error")
    assert aborted["body"]["metadata"]["error"]["error_type"] == "aborted"
    assert sum(1 for e in events if e.get("usage")) == 3


def test_responses_plain_and_streamed_are_recorded(server, client, oai):
    response = oai.responses.create(model="gpt-4o-mini", input="Say hi", instructions="Be brief")
    assert response.output_text == TEXT
    stream = oai.responses.create(model="gpt-4o-mini", input="Say hi", stream=True)
    kinds = [event.type for event in stream]
    opening = ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]
    assert kinds[:4] == opening
    assert kinds[4:9] == ["response.output_text.delta"] * 5 and kinds[-1] == "response.completed"
    events = recorded(server, client, 2)
    for event in events:
        assert (
            event["name"] == "responses" and event["model"] == MODEL and event["body"]["output"] == TEXT
        )
        assert event["usage"] == {"input_tokens": 20, "output_tokens": 5, "cached_input_tokens": 8}
    plain = next(e for e in events if "stream" not in e["body"]["metadata"])
    assert plain["body"]["input"] == {"instructions": "Be brief", "input": "Say hi"}
    streamed = next(e for e in events if e["body"]["metadata"].get("stream"))
    assert streamed["first_token_ms"] >= 0


def test_embeddings_record_count_and_size_not_vectors(server, client, oai):
    result = oai.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert [d.embedding for d in result.data] == [[0.25, 0.5, 0.75]] * 2
    (event,) = recorded(server, client, 1)
    assert event["name"] == "embeddings" and event["body"]["output"] == {"embeddings": 2, "dimensions": 3}
    assert event["usage"]["input_tokens"] == 6 and event["provider"] == "openai"


def test_structured_output_parse_and_legacy_completions_are_recorded(server, client, oai):
    class Answer(pydantic.BaseModel):
        city: str
        temperature: int

    parsed = oai.chat.completions.parse(model="gpt-4o-mini", messages=MESSAGES, response_format=Answer)
    assert parsed.choices[0].message.parsed == Answer(city="Paris", temperature=21)
    text = oai.completions.create(model="gpt-3.5-turbo-instruct", prompt="Once")
    assert text.choices[0].text == TEXT
    events = {e["name"]: e for e in recorded(server, client, 2)}
    assert events["chat.completions.parse"]["body"]["output"]["parsed"] == {"city": "Paris", "temperature": 21}
    assert events["chat.completions.parse"]["body"]["metadata"]["parameters"]["response_format"] == "Answer"
    assert (
        events["completions"]["body"]["output"] == TEXT and events["completions"]["body"]["input"] == "Once"
    )


def test_with_raw_response_keeps_working_and_is_recorded(server, client, oai):
    raw = oai.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES)
    assert raw.headers["x-request-id"] == "req_fake_1"
    completion = raw.parse()
    assert (
        isinstance(completion, openai.types.chat.ChatCompletion)
        and completion.choices[0].message.content == TEXT
    )
    raw_stream = oai.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in raw_stream.parse()) == TEXT
    client_level = oai.with_raw_response.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert client_level.parse().choices[0].message.content == TEXT
    events = recorded(server, client, 3)
    assert all(e["body"]["output"]["content"] == TEXT and e["status"] == "ok" for e in events)


def test_with_streaming_response_keeps_working_and_is_recorded(server, client, oai):
    with oai.chat.completions.with_streaming_response.create(model="gpt-4o-mini", messages=MESSAGES) as response:
        assert response.headers["x-request-id"] == "req_fake_1"
        assert response.parse().choices[0].message.content == TEXT
    with oai.chat.completions.with_streaming_response.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=True
    ) as response:
        lines = [line for line in response.iter_lines() if line]
        assert lines[-1] == "data: [DONE]"
    events = recorded(server, client, 2)
    parsed = next(e for e in events if e.get("usage"))
    unread = next(e for e in events if not e.get("usage"))
    assert parsed["body"]["output"]["content"] == TEXT and "output" not in unread["body"]


def test_with_options_and_the_stream_helper_stay_observed(server, client, oai):
    faster = oai.with_options(timeout=5)
    assert isinstance(faster, openai.OpenAI) and faster is not oai
    faster.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    with oai.chat.completions.stream(model="gpt-4o-mini", messages=MESSAGES) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content == TEXT
    events = recorded(server, client, 2)
    assert all(e["body"]["output"]["content"] == TEXT for e in events)
    assert sum(1 for e in events if e["body"]["metadata"].get("stream")) == 1


def test_calls_go_under_the_given_parent_or_the_current_span(server, client, upstream):
    trace = client.trace("pinned")
    pinned = observe_openai(openai.OpenAI(api_key="sk", base_url=upstream.base_url), parent=trace)
    free = observe_openai(openai.OpenAI(api_key="sk", base_url=upstream.base_url))
    with client.trace("ambient") as ambient:
        pinned.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        free.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    trace.end()
    events = recorded(server, client, 4)
    calls = [e for e in events if e["type"] == "model_response"]
    assert sorted(e["parent_event_id"] for e in calls) == sorted([trace.event_id, ambient.event_id])
    assert {e["trace_id"] for e in calls} == {trace.id, ambient.id}


def test_observing_twice_records_each_call_once_and_a_disabled_client_records_nothing(server, client, oai, upstream):
    again = observe_openai(oai)
    assert again is oai
    oai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    recorded(server, client, 1)
    off = watchllm.WatchLLM(enabled=False)
    quiet = observe_openai(openai.OpenAI(api_key="sk", base_url=upstream.base_url), parent=off.trace("off"))
    assert (
        quiet.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content
        == TEXT
    )
    assert client.flush(timeout=5) and len(server.events) == 1


def test_azure_clients_are_observed_and_providers_come_from_host_then_model(server, client, upstream):
    azure = observe_openai(
        openai.AzureOpenAI(api_key="k", api_version="2024-06-01", azure_endpoint=upstream.base_url[:-3])
    )
    assert (
        azure.chat.completions.create(model="my-deployment", messages=MESSAGES).choices[0].message.content
        == TEXT
    )
    (event,) = recorded(server, client, 1)
    assert event["model"] == MODEL
    assert provider_for("myres.openai.azure.com", "my-deployment") == "azure"
    assert provider_for("api.groq.com", "llama-3.3-70b") == "groq" and provider_for("api.x.ai", "grok-4") == "x-ai"
    assert (
        provider_for("127.0.0.1", "claude-sonnet-4") == "anthropic"
        and provider_for("localhost", "openai/gpt-4o") == "openai"
    )
    assert (
        provider_for("127.0.0.1", "my-local-model") is None
        and provider_for("llm.corp.example", "mystery") == "llm.corp.example"
    )


def test_importing_watchllm_does_not_import_openai():
    code = "import sys, watchllm; print('openai' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
