"""A local fake of the OpenAI API for the real `openai` package: chat completions (plain, streamed, tool calls,
structured output), responses (plain and streamed), embeddings (float and base64), legacy completions, and errors
(before the answer or in the middle of a stream). It keeps every request so tests can check none was altered."""

import base64
import json
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

MODEL = "gpt-4o-mini-2024-07-18"
USAGE = {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15, "prompt_tokens_details": {"cached_tokens": 4}}
RESPONSES_USAGE = {
    "input_tokens": 20,
    "output_tokens": 5,
    "total_tokens": 25,
    "input_tokens_details": {"cached_tokens": 8},
    "output_tokens_details": {"reasoning_tokens": 0},
}
WORDS = ["Hel", "lo ", "there"]
TOOL_ARGUMENTS = ['{"ci', 'ty": "Pa', 'ris"}']


def chunk(choices: List[Any], **extra: Any) -> Dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": MODEL,
        "choices": choices,
        **extra,
    }


def response_object(status: str = "completed", text: str = "Hi from responses") -> Dict[str, Any]:
    output = (
        [
            {
                "type": "message",
                "id": "msg_1",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        ]
        if status == "completed"
        else []
    )
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1_700_000_000,
        "model": MODEL,
        "status": status,
        "output": output,
        "usage": RESPONSES_USAGE if status == "completed" else None,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        owner = self

        class Handler(_Handler):
            fake = owner

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = "http://127.0.0.1:%d/v1" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeOpenAI

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle + delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        self.fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
        if body.get("model") == "missing-model":
            return self.json(
                404,
                {
                    "error": {
                        "message": "The model `missing-model` does not exist",
                        "type": "invalid_request_error",
                        "code": "model_not_found",
                    }
                },
            )
        path = self.path.split("?")[0]  # Azure: /openai/deployments/<deployment>/chat/completions?api-version=...
        routes = (
            ("/chat/completions", self.chat),
            ("/responses", self.responses_api),
            ("/embeddings", self.embeddings),
            ("/completions", self.completions),
        )
        route = next((handler for suffix, handler in routes if path.endswith(suffix)), None)
        if route is None:
            return self.json(404, {"error": {"message": "no route %s" % self.path}})
        route(body)

    def json(self, status: int, data: Any) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("x-request-id", "req_fake")
        self.end_headers()
        self.wfile.write(raw)

    def sse(self, events: List[Any], named: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        for event in events:
            prefix = "event: %s\n" % event["type"] if named and isinstance(event, dict) and "type" in event else ""
            self.wfile.write(("%sdata: %s\n\n" % (prefix, json.dumps(event))).encode())
        if not named:
            self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def chat(self, body: Dict[str, Any]) -> None:
        tools = bool(body.get("tools"))
        structured = (body.get("response_format") or {}).get("type") == "json_schema"
        content = '{"answer": "42"}' if structured else "Hello there"
        if not body.get("stream"):
            message: Dict[str, Any] = {"role": "assistant", "content": None if tools else content, "refusal": None}
            if tools:
                message["tool_calls"] = [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": "".join(TOOL_ARGUMENTS)},
                    }
                ]
            n = int(body.get("n") or 1)
            choices = [
                {"index": i, "message": message, "finish_reason": "tool_calls" if tools else "stop", "logprobs": None}
                for i in range(n)
            ]
            return self.json(
                200,
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "created": 1_700_000_000,
                    "model": MODEL,
                    "choices": choices,
                    "usage": USAGE,
                },
            )
        events = [chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])]
        if tools:
            events.append(
                chunk(
                    [
                        {
                            "index": 0,
                            "delta": {
                                "tool_calls": [
                                    {
                                        "index": 0,
                                        "id": "call_1",
                                        "type": "function",
                                        "function": {"name": "get_weather", "arguments": ""},
                                    }
                                ]
                            },
                            "finish_reason": None,
                        }
                    ]
                )
            )
            events += [
                chunk(
                    [
                        {
                            "index": 0,
                            "delta": {"tool_calls": [{"index": 0, "function": {"arguments": a}}]},
                            "finish_reason": None,
                        }
                    ]
                )
                for a in TOOL_ARGUMENTS
            ]
        else:
            words = WORDS * 20 if body.get("model") == "long" else WORDS
            events += [chunk([{"index": 0, "delta": {"content": w}, "finish_reason": None}]) for w in words]
        if body.get("model") == "breaks-mid-stream":
            events.append({"error": {"message": "upstream overloaded", "type": "server_error"}})
        events.append(chunk([{"index": 0, "delta": {}, "finish_reason": "tool_calls" if tools else "stop"}]))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append(chunk([], usage=USAGE))
        self.sse(events)

    def responses_api(self, body: Dict[str, Any]) -> None:
        if not body.get("stream"):
            return self.json(200, response_object())
        events: List[Any] = [
            {"type": "response.created", "sequence_number": 0, "response": response_object("in_progress")}
        ]
        for i, word in enumerate(["Hi ", "from ", "responses"]):
            events.append(
                {
                    "type": "response.output_text.delta",
                    "sequence_number": i + 1,
                    "item_id": "msg_1",
                    "output_index": 0,
                    "content_index": 0,
                    "delta": word,
                    "logprobs": [],
                }
            )
        events.append({"type": "response.completed", "sequence_number": 4, "response": response_object()})
        self.sse(events, named=True)

    def embeddings(self, body: Dict[str, Any]) -> None:
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vector = [0.25, 0.5, 0.75]
        encoded: Any = (
            base64.b64encode(struct.pack("<3f", *vector)).decode()
            if body.get("encoding_format") == "base64"
            else vector
        )
        data = [{"object": "embedding", "index": i, "embedding": encoded} for i in range(len(inputs))]
        self.json(
            200,
            {
                "object": "list",
                "data": data,
                "model": "text-embedding-3-small",
                "usage": {"prompt_tokens": 4, "total_tokens": 4},
            },
        )

    def completions(self, body: Dict[str, Any]) -> None:
        self.json(
            200,
            {
                "id": "cmpl-1",
                "object": "text_completion",
                "created": 1_700_000_000,
                "model": "gpt-3.5-turbo-instruct",
                "choices": [{"index": 0, "text": "completed text", "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
            },
        )
