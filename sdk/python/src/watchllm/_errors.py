"""Delivery problems, handed to on_error and logged on the `watchllm` logger; never raised into the app."""

import logging
import time
from typing import Any, Callable, Dict, Optional

logger = logging.getLogger("watchllm")


class WatchLLMError(Exception):
    """code: `network`, `http_<status>`, `rejected` (invalid events), `dropped` (queue full), `internal`."""

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __repr__(self) -> str:
        return "WatchLLMError(%r, %r)" % (self.code, self.message)


class Reporter:
    """Calls on_error for every problem; logs each kind at most once per LOG_EVERY seconds, so an outage or a full
    queue doesn't flood the app's logs."""

    LOG_EVERY = 30.0

    def __init__(self, on_error: Optional[Callable[[WatchLLMError], Any]]) -> None:
        self._on_error = on_error
        self._logged: Dict[str, float] = {}

    def __call__(self, code: str, message: str, details: Any = None, level: int = logging.WARNING) -> None:
        error = WatchLLMError(code, message, details)
        try:
            now = time.monotonic()
            if now - self._logged.get(code, -1e9) >= self.LOG_EVERY:
                self._logged[code] = now
                logger.log(level, "WatchLLM: %s", message)
        except Exception:
            pass
        if self._on_error is not None:
            try:
                self._on_error(error)
            except Exception:
                logger.debug("WatchLLM: on_error raised", exc_info=True)
