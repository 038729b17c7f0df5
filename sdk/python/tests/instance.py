"""A scratch WatchLLM Worker for the end-to-end tests (scripts/e2e-instance.ts, with this repo's Node and wrangler).
Started as soon as pytest has collected an end-to-end test, so its ~40 s start overlaps the other tests."""

import json
import os
import subprocess
import threading
from typing import Any, Dict, List, Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


class Instance:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["node", "scripts/e2e-instance.ts"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: List[str] = []
        self.errors: List[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.errors.extend(self.proc.stderr), daemon=True).start()  # type: ignore[arg-type]

    def _read(self) -> None:
        self.lines.append(self.proc.stdout.readline())  # type: ignore[union-attr]
        self.ready.set()

    def info(self, timeout: float = 240) -> Optional[Dict[str, Any]]:
        """{base, ingest_key, secret_key, project_id}, or None if it did not start in time."""
        self.ready.wait(timeout)
        line = self.lines[0].strip() if self.lines else ""
        return json.loads(line) if line else None

    def stop(self) -> None:
        """Closing its stdin stops the Worker and removes its state."""
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
