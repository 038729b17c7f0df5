"""After os.fork() the child has its own empty queue and delivery thread; parent and child never share events or ids."""

import os

from conftest import wait_until


def test_a_forked_child_delivers_its_own_events_with_a_fresh_queue_and_thread(server, make_client):
    client = make_client(flush_interval=60, flush_at=1_000)
    parent_trace = client.trace("before-fork")
    parent_trace.end()  # queued in the parent, not sent yet
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report back through the pipe, never run pytest's teardown
        code = 1
        try:
            stats = client.stats()
            child = client.trace("in-child")
            child.end()
            delivered = client.flush(timeout=10)
            os.write(write, ("%d %d %s %s" % (stats["queued"], stats["recorded"], delivered, child.event_id)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        queued, recorded, delivered, child_id = pipe.read().split()
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert (queued, recorded, delivered) == ("0", "0", "True"), "the child started with an empty queue"
    assert list(server.events) == [child_id], "the child sent only its own event"
    assert client.flush(timeout=5)
    assert wait_until(lambda: len(server.events) == 2)
    assert set(server.events) == {child_id, parent_trace.event_id}
    assert set(server.counts.values()) == {1}, "nothing was sent twice"


def test_parent_and_child_make_different_ids(make_client):
    client = make_client()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write, " ".join(client.trace("c").span("s").event_id for _ in range(100)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child_ids = set(pipe.read().split())
    os.waitpid(pid, 0)
    parent_ids = {client.trace("p").span("s").event_id for _ in range(100)}
    assert len(child_ids) == 100 and not child_ids & parent_ids
