"""A small HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol, so
tests run the real `ChatOpenAI` client end to end, and can inject faults.

Replies are scripted with `enqueue(text)`; streamed replies go out as SSE deltas, one
word each, with a final usage chunk when the client asks for one. `fail_next(kind)`
makes the next request(s) fail: "401", "429" (with Retry-After), "500", "cut" (the
stream stops without [DONE]), "malformed" (a body that is not JSON), "empty" (a
completion with no content), "timeout" (no first byte for `delay` seconds).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

DEFAULT_REPLY = "This is a default answer [1]."


@dataclass
class Fault:
    kind: str
    retry_after: float = 0.0
    delay: float = 0.0


@dataclass
class FakeOpenAI:
    base_url: str = ""
    replies: deque[str] = field(default_factory=deque)
    faults: deque[Fault] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    usage: tuple[int, int] = (120, 30)

    def enqueue(self, *texts: str) -> None:
        self.replies.extend(texts)

    def fail_next(self, kind: str, times: int = 1, **options: float) -> None:
        for _ in range(times):
            self.faults.append(Fault(kind, **options))


def _handler(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:  # keep test output clean
            pass

        def _json(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._json(200, {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append({"body": body, "headers": dict(self.headers)})
            fault = state.faults.popleft() if state.faults else None
            if fault and fault.kind == "timeout":
                time.sleep(fault.delay)
            if fault and fault.kind == "401":
                self._json(
                    401,
                    {
                        "error": {
                            "message": "Incorrect API key provided: sk-...",
                            "type": "invalid_request_error",
                            "code": "invalid_api_key",
                        }
                    },
                )
                return
            if fault and fault.kind == "429":
                self._json(
                    429,
                    {"error": {"message": "Rate limit", "type": "requests"}},
                    {"Retry-After": str(fault.retry_after)},
                )
                return
            if fault and fault.kind == "500":
                self._json(500, {"error": {"message": "boom", "type": "server_error"}})
                return
            if fault and fault.kind == "malformed":
                data = b"this is not json"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            text = (
                ""
                if fault and fault.kind == "empty"
                else (state.replies.popleft() if state.replies else DEFAULT_REPLY)
            )
            if body.get("stream"):
                self._stream(text, body, cut=bool(fault and fault.kind == "cut"))
            else:
                prompt, completion = state.usage
                self._json(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "x"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": text},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {
                            "prompt_tokens": prompt,
                            "completion_tokens": completion,
                            "total_tokens": prompt + completion,
                        },
                    },
                )

        def _stream(self, text: str, body: dict[str, Any], *, cut: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            words = [w + " " for w in text.split(" ")] if text else []
            if words:
                words[-1] = words[-1].rstrip(" ")
            base = {
                "id": "chatcmpl-1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": body.get("model", "x"),
            }
            for i, word in enumerate(words):
                if cut and i == max(1, len(words) // 2):
                    self.wfile.flush()
                    self.close_connection = True
                    return
                chunk = {
                    **base,
                    "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            final = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            self.wfile.write(f"data: {json.dumps(final)}\n\n".encode())
            if (body.get("stream_options") or {}).get("include_usage"):
                prompt, completion = state.usage
                usage = {
                    **base,
                    "choices": [],
                    "usage": {
                        "prompt_tokens": prompt,
                        "completion_tokens": completion,
                        "total_tokens": prompt + completion,
                    },
                }
                self.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early (a timeout test) is expected, not news


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    state = FakeOpenAI()
    server = _QuietServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
