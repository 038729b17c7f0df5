"""The tests' one fake provider upstream (test/support/fake-upstream.ts, serving the recorded answers under
test/fixtures/providers/, as the gateway and TypeScript SDK tests use it), started once per session with the repo's
Node. Each FakeUpstream sees only the requests made since it was created."""

import atexit
import json
import os
import subprocess
import urllib.request
from typing import Any, Dict, List, Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures", "providers")
_server: Dict[str, Any] = {}


def recorded(name: str) -> Any:
    """A recorded JSON answer, e.g. recorded("openai/chat.json")."""
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return json.load(f)


MODEL: str = recorded("openai/chat.json")["model"]


def _url() -> str:
    if "url" not in _server:
        node = os.environ.get("WATCHLLM_NODE", "node")
        process = subprocess.Popen(
            [node, os.path.join(ROOT, "test", "support", "fake-upstream.ts")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert process.stdout is not None
        line = process.stdout.readline().decode().strip()
        if not line.startswith("http://"):
            process.kill()
            raise RuntimeError("the fake upstream did not start (%s): %r" % (node, line))
        _server.update(url=line, process=process)
        atexit.register(_stop)
    return str(_server["url"])


def _stop() -> None:
    process: Optional[subprocess.Popen[bytes]] = _server.get("process")
    if process and process.stdin:
        process.stdin.close()
        process.wait(timeout=10)


class FakeUpstream:
    def __init__(self) -> None:
        self.url = _url()
        self.base_url = self.url + "/v1"
        self._seen = len(self._log())

    def _log(self) -> List[Dict[str, Any]]:
        with urllib.request.urlopen(self.url + "/__fake/requests", timeout=10) as response:
            return list(json.load(response))

    @property
    def requests(self) -> List[Dict[str, Any]]:
        """The requests made since this FakeUpstream was created: path, headers and (JSON) body each."""
        return self._log()[self._seen :]

    def stop(self) -> None:
        """The server is shared by the session and stops with it."""
