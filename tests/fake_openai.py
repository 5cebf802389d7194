"""A small HTTP server on 127.0.0.1 that speaks the OpenAI API, so tests run the real
`ChatOpenAI` / `OpenAIEmbeddings` client path end to end, offline, and can inject faults.

Endpoints: POST /v1/chat/completions (JSON, or SSE when `stream` is true: one delta per
word, a finish chunk, the usage chunk when `stream_options.include_usage` asks for it,
then `data: [DONE]`), GET /v1/models, POST /v1/embeddings (vectors hashed from the words
of the text, so similar texts get similar vectors). Replies are scripted with
`enqueue(text)`; with none queued the server says `DEFAULT_REPLY`. Every request is
recorded in `.requests` as {"method", "path", "headers", "body"}.

`fail_next(kind, times=1, **options)` makes the next `times` requests fail. What each
fault produces through langchain-openai 1.7.3 / openai 3.54 (over httpx2), as
tests/test_fake_openai.py checks. LangChain raises its own subclasses (e.g.
`langchain_openai.chat_models.base.OpenAIRateLimitError`), each both the openai class
below and a `langchain_core.exceptions.ModelError`. "Retried" means the client tries
again by itself when `max_retries` > 0, so only `times` > `max_retries` surfaces it.

kind                server does                               -> client raises
"401"               401, error JSON with code invalid_api_key -> openai.AuthenticationError,
                                                                 not retried
"429"               429, Retry-After: `retry_after` (0.1 s)   -> openai.RateLimitError,
                                                                 retried after that wait
"500"               500, error JSON                           -> openai.InternalServerError,
                                                                 retried
"404", "503", ...   that status (any 3 digits), error JSON    -> openai.NotFoundError; every
                                                                 5xx InternalServerError
"timeout"           silent for `delay` s (5, at most 30),     -> openai.APITimeoutError,
                    then the normal reply                        retried
"refused"           reads the request, closes, no response    -> openai.APIConnectionError,
                                                                 retried
"cut" (stream)      `after` (2) deltas, then drops the socket -> openai.APIConnectionError
                    inside the chunked body, as servers do       after those deltas arrive;
                                                                 not retried
"cut", eof=True     `after` deltas, then a clean end of body: -> nothing: the stream stops;
                    no finish_reason, usage or [DONE]            only the missing
                                                                 finish_reason shows it
"cut" (invoke)      half the announced JSON body, hangs up    -> openai.APIConnectionError,
                                                                 retried
"malformed_json"    200, body "this is not json"              -> invoke: json.JSONDecodeError,
(or "malformed")                                                 not retried; stream:
                                                                 ValueError("No generation
                                                                 chunks were returned")
"malformed_sse"     200 SSE, a data line that is not JSON     -> stream: json.JSONDecodeError;
                                                                 invoke: ValueError("Unexpected
                                                                 response type ...")
"empty"             a completion whose content is ""          -> nothing: content "",
                                                                 finish_reason "stop"
closed_port_url()   nothing listens                           -> openai.APIConnectionError

The ValueErrors are not openai errors: code that catches only `openai.OpenAIError`
misses malformed replies. Faults "cut", "malformed_sse" and "empty" apply to chat
completions only, the others to any request; `path="embeddings"` (any part of the path)
narrows a fault further.

Real wire formats: `replay(name)` queues a transcript recorded from a real server
(tests/data/, copied byte for byte from ../shared/llm-transcripts): the next chat
completion is answered with exactly those bytes, an SSE stream event by event, or a
JSON body. Other shapes real servers send: `usage_on_finish` puts the usage on the
finish chunk (no separate usage chunk), `send_usage=False` never sends usage (as
llama.cpp, which ignores `stream_options`), `rejects={"stream_options"}` answers any
request naming that field with a 400, as strict servers do, and `enqueue` takes a
list of raw delta contents (None, numbers, lists of content parts) besides text.

Authorization is checked as real servers do: a request without `Authorization:
Bearer <something>` gets a 401, and with `api_key` set the token must be that key.
`delta_delay` paces stream events; `deltas_sent` counts the content deltas written.

Simplified on purpose: token counts are fixed (`usage`, default 120 in / 30 out) rather
than counted; one model name is listed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import math
import re
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

DEFAULT_REPLY = "This is a default answer [1]."
MODEL = "gpt-4o-mini"
EMBEDDING_DIM = 64
DATA = Path(__file__).resolve().parent / "data"
MAX_DELAY_S = 30.0  # a "timeout" fault never holds a handler longer than this
STATUS_KINDS = {"401", "429", "500"}
CONTENT_KINDS = {"cut", "malformed_sse", "empty"}  # only chat completions have content
OTHER_KINDS = {"timeout", "refused", "malformed_json", "malformed"}

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


@dataclass
class Fault:
    """One scripted failure; see the table in the module docstring."""

    kind: str
    retry_after: float = 0.1  # "429": seconds in the Retry-After header
    delay: float = 5.0  # "timeout": seconds before the reply (capped at MAX_DELAY_S)
    after: int = 2  # "cut": deltas sent before the stream stops
    eof: bool = False  # "cut": end the body cleanly instead of dropping the socket
    path: str | None = None  # only requests whose path contains this

    def matches(self, path: str) -> bool:
        if self.path is not None and self.path not in path:
            return False
        return self.kind not in CONTENT_KINDS or path.endswith("/chat/completions")


@dataclass
class FakeOpenAI:
    """The server's script and record, shared with its handler threads."""

    base_url: str = ""
    replies: list[str | list[Any] | bytes] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    usage: tuple[int, int] = (120, 30)
    send_usage: bool = True  # False: never, even when the client asks (llama.cpp)
    usage_on_finish: bool = False  # usage on the finish chunk instead of a chunk of its own
    rejects: set[str] = field(default_factory=set)  # body fields answered with a 400
    api_key: str | None = None  # None: any bearer token is accepted
    delta_delay: float = 0.0  # seconds before each stream event
    deltas_sent: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enqueue(self, *replies: str | list[Any]) -> None:
        """Queue replies, served in order to chat completions: a text (streamed a word a
        delta) or a list of raw delta contents, sent as they are."""
        with self._lock:
            self.replies.extend(replies)

    def replay(self, name: str) -> bytes:
        """Answer the next chat completion with the recorded bytes of tests/data/NAME."""
        data = (DATA / name).read_bytes()
        with self._lock:
            self.replies.append(data)
        return data

    def fail_next(self, kind: str, times: int = 1, **options: Any) -> None:
        """Make the next `times` matching requests fail as `kind` (see the module docstring).

        fail_next("429", times=2, retry_after=0.2); fail_next("cut", after=3, eof=True)
        """
        known = STATUS_KINDS | CONTENT_KINDS | OTHER_KINDS
        if kind not in known and not (kind.isdigit() and len(kind) == 3):
            raise ValueError(f"unknown fault {kind!r}: use one of {sorted(known)} or a status")
        with self._lock:
            self.faults.extend(Fault(kind, **options) for _ in range(times))

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The bodies of the chat-completion requests received, in order."""
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def _take(self, method: str, path: str, headers: dict[str, str], body: Any) -> Fault | None:
        with self._lock:
            self.requests.append({"method": method, "path": path, "headers": headers, "body": body})
            for i, fault in enumerate(self.faults):
                if fault.matches(path):
                    return self.faults.pop(i)
        return None

    def _reply(self) -> str | list[Any] | bytes:
        with self._lock:
            return self.replies.pop(0) if self.replies else DEFAULT_REPLY


def embed(text: str, dim: int = EMBEDDING_DIM) -> list[float]:
    """The fake's embedding: words hashed into `dim` buckets, counted, unit length.

    Texts sharing words have a positive cosine; a text with no words gets [1, 0, 0, ...].
    """
    vector = [0.0] * dim
    for word in re.findall(r"\w+", text.lower()):
        bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        vector[bucket % dim] += 1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        vector[0] = 1.0
        return vector
    return [v / norm for v in vector]


def deltas(text: str) -> list[str]:
    """The stream pieces of a reply: one word each, with its spaces, joining back exactly.

    "Label smoothing  helps [1]." -> ["Label ", "smoothing  ", "helps ", "[1]."]
    """
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


def _handler(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
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


class _Server(ThreadingHTTPServer):
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


@contextmanager
def serve_fake_openai() -> Iterator[FakeOpenAI]:
    """Run the fake server for the duration of the block; all its threads end after."""
    state = FakeOpenAI()
    server = _Server(_handler(state))
    loop = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="fake-openai", daemon=True
    )
    loop.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        state.stopping.set()
        server.shutdown()
        server.close_all()
        server.server_close()
        loop.join(5)


def closed_port_url() -> str:
    """A base URL where nothing listens: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI server; `.base_url` for the client, `.enqueue`, `.fail_next`."""
    with serve_fake_openai() as state:
        yield state
