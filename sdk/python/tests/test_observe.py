"""@observe on functions, coroutines and generators: nesting through contextvars across threads (copy_context) and
asyncio tasks, inputs and outputs, errors recorded once."""

import asyncio
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import watchllm
from watchllm import observe


def tree(server, client, n):
    assert client.flush(timeout=10)
    assert server.wait_for(lambda: len(server.events) >= n)
    events = list(server.events.values())
    assert len(events) == n, sorted(e["name"] for e in events)
    return {e["name"]: e for e in events}


def test_nested_calls_become_one_trace_with_inputs_outputs_and_parents(server, client):
    @observe(as_type="tool_call", name="search")
    def search(query, limit=3):
        return ["doc-%d" % i for i in range(limit)]

    @observe()
    def answer(question, *, user):
        watchllm.current_trace().update(user_id=user, tags=["faq"])
        docs = search(question, limit=2)
        return "answer from %d docs" % len(docs)

    assert answer("what is up?", user="u-9") == "answer from 2 docs"
    events = tree(server, client, 2)
    root, tool = (
        events["test_nested_calls_become_one_trace_with_inputs_outputs_and_parents.<locals>.answer"],
        events["search"],
    )
    assert root["parent_event_id"] is None and root["type"] == "span"
    assert root["body"] == {"input": {"question": "what is up?", "user": "u-9"}, "output": "answer from 2 docs"}
    assert root["context"] == {"user_id": "u-9", "tags": ["faq"]}
    assert (
        tool["type"] == "tool_call"
        and tool["parent_event_id"] == root["event_id"]
        and tool["trace_id"] == root["trace_id"]
    )
    assert tool["body"] == {"input": {"query": "what is up?", "limit": 2}, "output": ["doc-0", "doc-1"]}
    assert tool["context"] == {"user_id": "u-9"}
    assert watchllm.current_span() is None, "nothing is left current after the call"


def test_each_outermost_call_opens_its_own_trace_and_methods_skip_self(server, client):
    class Agent:
        @observe(name="run", capture_output=False)
        def run(self, task):
            return task.upper()

    agent = Agent()
    agent.run("a")
    agent.run("b")
    assert client.flush(timeout=5) and server.wait_for(lambda: len(server.events) == 2)
    runs = list(server.events.values())
    assert {e["body"]["input"]["task"] for e in runs} == {"a", "b"} and all("output" not in e["body"] for e in runs)
    assert len({e["trace_id"] for e in runs}) == 2


def test_an_error_is_recorded_once_where_it_was_raised_and_propagates(server, client):
    @observe(name="inner", capture_input=False)
    def inner():
        raise ValueError("bad input")

    @observe(name="outer")
    def outer():
        inner()

    with pytest.raises(ValueError, match="bad input"):
        outer()
    events = tree(server, client, 3)
    assert events["ValueError"]["parent_event_id"] == events["inner"]["event_id"]
    assert events["inner"]["status"] == "error" and events["outer"]["status"] == "error"
    assert "body" not in events["inner"] or "input" not in events["inner"]["body"]


def test_calls_nest_across_threads_started_with_copy_context(server, client):
    @observe(name="work")
    def work(n):
        return n * 2

    @observe(name="fan-out")
    def fan_out():
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(contextvars.copy_context().run, work, n) for n in range(4)]
            results = [f.result() for f in futures]
        plain = threading.Thread(target=work, args=(100,))  # no copied context: a trace of its own
        plain.start()
        plain.join()
        return results

    assert fan_out() == [0, 2, 4, 6]
    assert client.flush(timeout=5) and server.wait_for(lambda: len(server.events) == 6)
    events = list(server.events.values())
    root = next(e for e in events if e["name"] == "fan-out")
    workers = [e for e in events if e["name"] == "work"]
    nested = [e for e in workers if e["parent_event_id"] == root["event_id"]]
    assert sorted(e["body"]["output"] for e in nested) == [0, 2, 4, 6]
    (alone,) = [e for e in workers if e not in nested]
    assert alone["parent_event_id"] is None and alone["trace_id"] != root["trace_id"]


def test_coroutines_nest_across_asyncio_tasks(server, client):
    @observe(name="fetch")
    async def fetch(i):
        await asyncio.sleep(0)
        return i

    @observe(name="gather")
    async def gather():
        first = await fetch(0)
        rest = await asyncio.gather(*(fetch(i) for i in range(1, 4)), asyncio.create_task(fetch(4)))
        return [first, *rest]

    async def main():
        both = await asyncio.gather(gather(), gather())
        return both

    assert asyncio.run(main()) == [[0, 1, 2, 3, 4]] * 2
    assert client.flush(timeout=5) and server.wait_for(lambda: len(server.events) == 12)
    events = list(server.events.values())
    roots = [e for e in events if e["name"] == "gather"]
    assert len(roots) == 2 and all(r["parent_event_id"] is None for r in roots)
    for root in roots:
        children = [e for e in events if e["parent_event_id"] == root["event_id"]]
        assert sorted(e["body"]["output"] for e in children) == [0, 1, 2, 3, 4]
        assert all(e["trace_id"] == root["trace_id"] for e in children)


def test_generators_record_what_they_yielded_with_the_span_current_inside(server, client):
    seen = []

    @observe(name="child")
    def child():
        return "c"

    @observe(name="tokens")
    def tokens(n):
        for i in range(n):
            seen.append(watchllm.current_span().name)
            child()
            yield "t%d " % i

    @observe(name="handler")
    def handler():
        out = []
        for token in tokens(3):
            out.append(token)
            assert watchllm.current_span().name == "handler", "the consumer's context is its own between steps"
        return "".join(out)

    assert handler() == "t0 t1 t2 "
    assert seen == ["tokens"] * 3
    tree(server, client, 5)
    events = list(server.events.values())
    by_id = {e["event_id"]: e for e in events}
    gen = next(e for e in events if e["name"] == "tokens")
    assert gen["body"]["output"] == "t0 t1 t2 " and gen["body"]["input"] == {"n": 3}
    assert by_id[gen["parent_event_id"]]["name"] == "handler"
    assert all(by_id[e["parent_event_id"]]["name"] == "tokens" for e in events if e["name"] == "child")


def test_a_generator_closed_early_records_what_came_and_errors_inside_propagate(server, client):
    @observe(name="numbers")
    def numbers():
        yield 1
        yield 2
        yield 3

    @observe(name="broken")
    def broken():
        yield 1
        raise RuntimeError("mid-stream")

    gen = numbers()
    assert next(gen) == 1
    gen.close()
    with pytest.raises(RuntimeError):
        list(broken())
    events = tree(server, client, 3)
    assert events["numbers"]["body"]["output"] == [1] and events["numbers"]["body"]["metadata"] == {
        "closed_early": True
    }
    assert events["numbers"]["status"] == "ok"
    assert (
        events["broken"]["status"] == "error"
        and events["RuntimeError"]["parent_event_id"] == events["broken"]["event_id"]
    )


def test_generators_pass_send_and_throw_through():
    @observe(name="echo")
    def echo():
        received = yield "ready"
        while True:
            try:
                received = yield "got %s" % received
            except KeyError:
                received = "thrown"

    gen = echo()
    assert next(gen) == "ready"
    assert gen.send("a") == "got a"
    assert gen.throw(KeyError()) == "got thrown"
    gen.close()


def test_async_generators_nest_and_record_their_items(server, client):
    @observe(name="chunk")
    async def chunk(i):
        return i

    @observe(name="stream")
    async def stream(n):
        for i in range(n):
            yield await chunk(i)

    @observe(name="consume")
    async def consume():
        got = [x async for x in stream(3)]
        assert watchllm.current_span().name == "consume"
        return got

    assert asyncio.run(consume()) == [0, 1, 2]
    named = tree(server, client, 5)
    by_id = {e["event_id"]: e for e in server.events.values()}
    assert named["stream"]["body"]["output"] == [0, 1, 2]
    assert by_id[named["stream"]["parent_event_id"]]["name"] == "consume"
    chunks = [e for e in server.events.values() if e["name"] == "chunk"]
    assert len(chunks) == 3 and all(e["parent_event_id"] == named["stream"]["event_id"] for e in chunks)


def test_with_trace_makes_a_trace_current_for_decorated_code(server, client):
    @observe(name="step")
    def step():
        return 1

    with client.trace("manual") as trace:
        step()
        with trace.span("phase") as phase:
            step()
            assert watchllm.current_span() is phase and watchllm.current_trace() is trace
    tree(server, client, 4)
    events = list(server.events.values())
    by_id = {e["event_id"]: e for e in events}
    assert sorted(by_id[e["parent_event_id"]]["name"] for e in events if e["name"] == "step") == ["manual", "phase"]


def test_as_type_is_checked_and_a_bare_decorator_works(client):
    with pytest.raises(ValueError):
        observe(as_type="model")

    @observe
    def bare(x):
        return x + 1

    assert bare(1) == 2 and bare.__name__ == "bare"
