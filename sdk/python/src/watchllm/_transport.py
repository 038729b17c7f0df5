"""One HTTP POST of a batch to /api/v1/events (or /api/v1/scores) over a kept-alive http.client connection,
gzipped above 1 KB."""

import email.utils
import gzip
import http.client
import json
import socket
import ssl
import time
import urllib.parse
from typing import Any, Dict, Optional

from ._version import VERSION

GZIP_ABOVE = 1024
USER_AGENT = "watchllm-python/" + VERSION


class Answer:
    """What one attempt got: an HTTP status and body, or the exception that stopped it (status 0)."""

    __slots__ = ("body", "error", "retry_after", "status")

    def __init__(self, status: int, body: Any = None, retry_after: float = 0.0, error: Optional[BaseException] = None):
        self.status = status
        self.body = body
        self.retry_after = retry_after
        self.error = error


def retry_after_seconds(header: Optional[str]) -> float:
    """Retry-After in seconds or as an HTTP date → seconds to wait (0 when absent or unreadable)."""
    if not header:
        return 0.0
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return 0.0


class Transport:
    def __init__(self, base_url: str, api_key: str, timeout: float, path: str = "/api/v1/events") -> None:
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("base_url must be an http(s) URL, got %r" % base_url)
        self._https = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port
        self._path = url.path.rstrip("/") + path
        self._timeout = timeout
        self._headers = {
            "Authorization": "Bearer " + api_key,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self._conn: Optional[http.client.HTTPConnection] = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=self._timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def post(self, payload: bytes) -> Answer:
        headers: Dict[str, str] = dict(self._headers)
        if len(payload) > GZIP_ABOVE:
            payload = gzip.compress(payload, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        for _ in range(2):
            reused = self._conn is not None
            conn = self._conn or self._connect()
            self._conn = conn
            try:
                conn.request("POST", self._path, body=payload, headers=headers)
                res = conn.getresponse()
                data = res.read()
                if res.will_close:
                    self.close()
                return Answer(res.status, _json(data), retry_after_seconds(res.getheader("Retry-After")))
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as err:
                self.close()
                if reused:
                    continue  # a kept-alive connection the server had closed: once more on a new one
                return Answer(0, error=err)
            except (OSError, http.client.HTTPException, socket.timeout) as err:
                self.close()
                return Answer(0, error=err)
        return Answer(0, error=ConnectionError("connection closed"))


def _json(data: bytes) -> Any:
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None
