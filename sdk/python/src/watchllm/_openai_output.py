"""What a model call's result says, for OpenAI-style results: output, usage and model of a finished call, and
accumulators that rebuild them from a stream's chunks (text, tool calls from their deltas, usage)."""

from typing import Any, Dict, List, Optional

from ._serialize import snapshot


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def chat_output(completion: Any) -> Any:
    """chat.completions / completions: the message (or text) of each choice; one choice → that message alone."""
    outputs = []
    for choice in _get(completion, "choices") or []:
        message = _get(choice, "message")
        outputs.append(snapshot(message) if message is not None else _get(choice, "text"))
    return outputs[0] if len(outputs) == 1 else (outputs or None)


def finish_reasons(completion: Any) -> List[Any]:
    return [r for r in (_get(c, "finish_reason") for c in _get(completion, "choices") or []) if r]


def responses_output(response: Any) -> Any:
    """responses: the text when the output is only messages, else every output item (tool calls, reasoning...)."""
    items = _get(response, "output") or []
    if items and all(_get(item, "type") == "message" for item in items):
        text = _get(response, "output_text")
        if isinstance(text, str):
            return text
    return snapshot(items) if items else None


def embeddings_output(result: Any) -> Dict[str, Any]:
    """embeddings: how many and their size, never the vectors."""
    data = _get(result, "data") or []
    first = _get(data[0], "embedding") if data else None
    out: Dict[str, Any] = {"embeddings": len(data)}
    if isinstance(first, list):
        out["dimensions"] = len(first)
    return out


class ChatStream:
    """chat.completions (and completions) chunks → the assembled message of each choice, usage, model."""

    def __init__(self) -> None:
        self.choices: Dict[int, Dict[str, Any]] = {}
        self.usage: Any = None
        self.model: Optional[str] = None
        self.error: Any = None

    def add(self, chunk: Any) -> bool:
        """Takes a chunk; True when it carried content (for time to first token)."""
        self.model = _get(chunk, "model") or self.model
        usage = _get(chunk, "usage")
        if usage is not None:
            self.usage = usage
        content = False
        for choice in _get(chunk, "choices") or []:
            state = self.choices.setdefault(
                _get(choice, "index", 0) or 0, {"role": None, "text": [], "refusal": [], "tools": {}, "finish": None}
            )
            delta = _get(choice, "delta")
            text = _get(delta, "content") if delta is not None else _get(choice, "text")
            if text:
                state["text"].append(text)
                content = True
            state["finish"] = _get(choice, "finish_reason") or state["finish"]
            if delta is None:
                continue
            state["role"] = _get(delta, "role") or state["role"]
            refusal = _get(delta, "refusal")
            if refusal:
                state["refusal"].append(refusal)
                content = True
            for call in _get(delta, "tool_calls") or []:
                content = True
                tool = state["tools"].setdefault(
                    _get(call, "index", 0) or 0, {"id": None, "type": "function", "name": [], "arguments": []}
                )
                tool["id"] = _get(call, "id") or tool["id"]
                tool["type"] = _get(call, "type") or tool["type"]
                function = _get(call, "function")
                if function is not None:
                    if _get(function, "name"):
                        tool["name"].append(_get(function, "name"))
                    if _get(function, "arguments"):
                        tool["arguments"].append(_get(function, "arguments"))
        return content

    def output(self) -> Any:
        messages = []
        for _, state in sorted(self.choices.items()):
            message: Dict[str, Any] = {"role": state["role"] or "assistant", "content": "".join(state["text"]) or None}
            if state["refusal"]:
                message["refusal"] = "".join(state["refusal"])
            if state["tools"]:
                message["tool_calls"] = [
                    {
                        "id": t["id"],
                        "type": t["type"],
                        "function": {"name": "".join(t["name"]), "arguments": "".join(t["arguments"])},
                    }
                    for _, t in sorted(state["tools"].items())
                ]
            messages.append(message)
        return messages[0] if len(messages) == 1 else (messages or None)

    def finish_reasons(self) -> List[Any]:
        return [s["finish"] for _, s in sorted(self.choices.items()) if s["finish"]]


class ResponsesStream:
    """responses stream events → the final response's output (or the text deltas seen), usage, model."""

    def __init__(self) -> None:
        self.text: List[str] = []
        self.response: Any = None
        self.usage: Any = None
        self.model: Optional[str] = None
        self.error: Any = None

    def add(self, event: Any) -> bool:
        kind = _get(event, "type") or ""
        response = _get(event, "response")
        if response is not None:
            self.response = response
            self.model = _get(response, "model") or self.model
            self.usage = _get(response, "usage") or self.usage
        if kind == "response.output_text.delta":
            self.text.append(_get(event, "delta") or "")
            return True
        if kind == "response.failed":
            self.error = _get(response, "error") or "response failed"
        elif kind == "error":
            self.error = _get(event, "message") or "stream error"
        return kind.endswith(".delta")

    def output(self) -> Any:
        if self.response is not None and _get(self.response, "output"):
            return responses_output(self.response)
        return "".join(self.text) or None

    def finish_reasons(self) -> List[Any]:
        status = _get(self.response, "status") if self.response is not None else None
        return [status] if status else []
