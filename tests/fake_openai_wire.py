"""The wire side of the fake OpenAI server: the HTTP handler that answers each endpoint
from a `FakeOpenAI` script (JSON, SSE streams, replayed transcripts, injected faults),
and the threading server that can drop every connection still open when a test ends."""

from __future__ import annotations

import base64
import contextlib
import json
import re
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fake_openai_script import (
    EMBEDDING_DIM,
    MAX_DELAY_S,
    MODEL,
    FakeOpenAI,
    Fault,
    deltas,
    embed,
)

_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to use this model.", "invalid_request_error", None),
    404: (
        "The model does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
    ),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


def handler_for(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    """The handler class that answers every request from `state`'s script."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, as real servers
        _chunked = True

        def log_message(self, *_args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            fault = state._take("GET", self.path, dict(self.headers), None)
            if not self._authorized() or (fault and self._generic_fault(fault)):
                return
            if self.path.rstrip("/").endswith("/models"):
                model = {"id": MODEL, "object": "model", "created": 0, "owned_by": "fake"}
                self._json(200, {"object": "list", "data": [model]})
            else:
                self._error(404)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                body: Any = json.loads(raw or b"{}")
            except ValueError:
                body = raw.decode(errors="replace")
            fault = state._take("POST", self.path, dict(self.headers), body)
            if not self._authorized() or (fault and self._generic_fault(fault)):
                return
            if not isinstance(body, dict):
                self._error(400)
            elif state.rejects & body.keys():
                field_name = sorted(state.rejects & body.keys())[0]
                message = f"Unrecognized request argument supplied: {field_name}"
                self._json(
                    400,
                    {
                        "error": {
                            "message": message,
                            "type": "invalid_request_error",
                            "param": field_name,
                            "code": None,
                        }
                    },
                )
            elif self.path.endswith("/chat/completions"):
                self._chat(body, fault)
            elif self.path.endswith("/embeddings"):
                self._embeddings(body)
            else:
                self._error(404)

        def _authorized(self) -> bool:
            """As real servers: no bearer token, or the wrong one, is a 401."""
            scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
            if scheme == "Bearer" and token and state.api_key in (None, token):
                return True
            self._error(401)
            return False

        # -- faults that look the same on every endpoint ----------------------------

        def _generic_fault(self, fault: Fault) -> bool:
            """Serve `fault` if it is not about content; True when the request is done."""
            if fault.kind == "timeout":
                # Wakes early when the server stops, so a test never waits the full delay.
                state.stopping.wait(min(fault.delay, MAX_DELAY_S))
                if state.stopping.is_set():
                    self.close_connection = True
                    return True
                return False  # late, but then an ordinary reply
            if fault.kind == "refused":
                self.close_connection = True
                return True
            if fault.kind in ("malformed_json", "malformed"):
                self._send(200, "application/json", b"this is not json")
                return True
            if fault.kind.isdigit():
                headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.kind == "429" else {}
                self._error(int(fault.kind), headers)
                return True
            return False

        # -- endpoints -----------------------------------------------------------------

        def _chat(self, body: dict[str, Any], fault: Fault | None) -> None:
            kind = fault.kind if fault else None
            reply = "" if kind == "empty" else state._reply()
            model = str(body.get("model", MODEL))
            if isinstance(reply, bytes):
                self._replay(reply, stream=bool(body.get("stream")))
                return
            text = reply if isinstance(reply, str) else ""
            if kind == "malformed_sse":
                self._start_stream()
                self._chunk(b"data: {this is not json\n\n")
                self._chunk(b"data: [DONE]\n\n")
                self._end_stream()
            elif body.get("stream"):
                pieces = deltas(reply) if isinstance(reply, str) else reply
                self._stream(pieces, model, body, fault if kind == "cut" else None)
            else:
                message = {"role": "assistant", "content": text, "refusal": None}
                completion = {
                    **_head(model, "chat.completion"),
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                    "usage": self._usage(),
                }
                if kind != "cut":
                    self._json(200, completion)
                    return
                # Announce the whole body, send half, hang up.
                data = json.dumps(completion).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True

        def _replay(self, data: bytes, *, stream: bool) -> None:
            """A recorded reply, byte for byte: SSE event by event, or one JSON body."""
            if not stream:
                self._send(200, "application/json", data)
                return
            self._start_stream()
            for piece in re.findall(rb".*?\n\n|.+$", data, flags=re.DOTALL):
                self._pace(b'"content"' in piece)
                self._chunk(piece)
            self._end_stream()

        def _pace(self, content: bool) -> None:
            if state.delta_delay:
                state.stopping.wait(state.delta_delay)
            if content:
                with state._lock:
                    state.deltas_sent += 1

        def _stream(
            self, pieces: list[Any], model: str, body: dict[str, Any], cut: Fault | None
        ) -> None:
            asked = bool((body.get("stream_options") or {}).get("include_usage"))
            with_usage = asked and state.send_usage
            head = _head(model, "chat.completion.chunk")

            def event(choices: list[dict[str, Any]], **extra: Any) -> None:
                chunk = {**head, "choices": choices, **extra}
                if with_usage:
                    chunk.setdefault("usage", None)  # as OpenAI: null until the last chunk
                self._pace(bool(choices and choices[0]["delta"].get("content")))
                self._chunk(f"data: {json.dumps(chunk)}\n\n".encode())

            self._start_stream(eof=bool(cut and cut.eof))
            event(
                [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]
            )
            for i, piece in enumerate(pieces):
                if cut and i == cut.after:
                    if cut.eof:
                        self.wfile.flush()
                    # else: no terminating chunk, so the client sees the body break off.
                    self.close_connection = True
                    return
                event([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
            finish = [{"index": 0, "delta": {}, "finish_reason": "stop"}]
            if with_usage and state.usage_on_finish:
                event(finish, usage=self._usage())
            else:
                event(finish)
                if with_usage:
                    event([], usage=self._usage())
            self._chunk(b"data: [DONE]\n\n")
            self._end_stream()

        def _embeddings(self, body: dict[str, Any]) -> None:
            inputs = body.get("input", [])
            if isinstance(inputs, str) or (inputs and isinstance(inputs[0], int)):
                inputs = [inputs]
            dim = int(body.get("dimensions") or EMBEDDING_DIM)
            data = []
            words = 0
            for i, item in enumerate(inputs):
                # Token-id input (the client's default with check_embedding_ctx_length):
                # the ids stand in for the words.
                text = item if isinstance(item, str) else " ".join(f"t{t}" for t in item)
                words += len(text.split())
                vector = embed(text, dim)
                encoded: Any = vector
                if body.get("encoding_format") == "base64":  # the openai client's default
                    encoded = base64.b64encode(struct.pack(f"<{dim}f", *vector)).decode()
                data.append({"object": "embedding", "index": i, "embedding": encoded})
            self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "model": body.get("model", "text-embedding-3-small"),
                    "usage": {"prompt_tokens": words, "total_tokens": words},
                },
            )

        # -- wire helpers --------------------------------------------------------------

        def _usage(self) -> dict[str, int]:
            prompt, completion = state.usage
            return {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }

        def _error(self, status: int, headers: dict[str, str] | None = None) -> None:
            message, kind, code = _ERRORS.get(status, (f"HTTP {status}", "server_error", None))
            error = {"message": message, "type": kind, "param": None, "code": code}
            self._json(status, {"error": error}, headers)

        def _json(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            self._send(status, "application/json", json.dumps(body).encode(), headers)

        def _send(
            self, status: int, kind: str, data: bytes, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _start_stream(self, *, eof: bool = False) -> None:
            self._chunked = not eof
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            if self._chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:  # the body ends where the connection does (HTTP/1.0 style)
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()

        def _chunk(self, data: bytes) -> None:
            if self._chunked:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            else:
                self.wfile.write(data)
            self.wfile.flush()  # each SSE event reaches the client as it is made

        def _end_stream(self) -> None:
            if self._chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


def _head(model: str, obj: str) -> dict[str, Any]:
    return {"id": "chatcmpl-fake", "object": obj, "created": 0, "model": model}


class FakeServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that can close idle keep-alive connections and join its threads.

    The client's connection pool keeps sockets open after a test, which would leave
    handler threads blocked reading them; `close_all()` wakes them so none is leaked.
    """

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self._open: set[socket.socket] = set()
        self._workers: list[threading.Thread] = []
        self._guard = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="fake-openai-handler",
            daemon=True,
        )
        with self._guard:
            self._open.add(request)
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(worker)
        worker.start()

    def shutdown_request(self, request: Any) -> None:
        with self._guard:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up early (a timeout test) is expected, not news

    def close_all(self, timeout: float = 5.0) -> None:
        with self._guard:
            sockets, workers = list(self._open), list(self._workers)
        for sock in sockets:
            with contextlib.suppress(OSError):  # the client may have closed it already
                sock.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(timeout)
