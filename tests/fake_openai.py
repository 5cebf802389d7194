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

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.fake_openai_script import (
    DEFAULT_REPLY,
    EMBEDDING_DIM,
    MODEL,
    FakeOpenAI,
    Fault,
    deltas,
    embed,
)
from tests.fake_openai_wire import FakeServer, handler_for

__all__ = [
    "DEFAULT_REPLY",
    "EMBEDDING_DIM",
    "MODEL",
    "FakeOpenAI",
    "Fault",
    "closed_port_url",
    "deltas",
    "embed",
    "fake_openai",
    "serve_fake_openai",
]


@contextmanager
def serve_fake_openai() -> Iterator[FakeOpenAI]:
    """Run the fake server for the duration of the block; all its threads end after."""
    state = FakeOpenAI()
    server = FakeServer(handler_for(state))
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
