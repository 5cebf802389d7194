"""The fake OpenAI server through the real clients: what each fault turns into.

These tests are the evidence for the table in tests/fake_openai.py. LangChain 1.x raises
its own subclasses (`langchain_openai.chat_models.base.OpenAIRateLimitError`, ...), which
are both the openai exception and a `langchain_core.exceptions.ModelError`; the asserts
name the openai class, which is what `assistant.llm.explain_llm_error` matches on.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from langchain_core.exceptions import ModelError
from langchain_core.messages import AIMessageChunk
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import SecretStr

from tests.fake_openai import (
    DEFAULT_REPLY,
    FakeOpenAI,
    closed_port_url,
    deltas,
    embed,
    fake_openai,  # noqa: F401 - the fixture
    serve_fake_openai,
)

REPLY = "Label smoothing helps with noisy labels [1]."


def chat(server: FakeOpenAI, *, retries: int = 0, timeout: float = 5.0, **kw: Any) -> ChatOpenAI:
    return ChatOpenAI(
        base_url=server.base_url,
        api_key=SecretStr("test-key"),
        model="gpt-4o-mini",
        max_retries=retries,
        timeout=timeout,
        **kw,
    )


def collect(stream: Iterator[AIMessageChunk], into: list[AIMessageChunk]) -> None:
    for chunk in stream:
        into.append(chunk)


def text_of(chunks: list[AIMessageChunk]) -> str:
    return "".join(str(c.content) for c in chunks)


def test_invoke_returns_the_enqueued_reply_and_the_request_is_recorded(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.enqueue(REPLY, "Second reply.")
    llm = chat(fake_openai)
    first = llm.invoke("Does label smoothing help?")
    assert first.content == REPLY
    assert first.usage_metadata is not None and first.usage_metadata["total_tokens"] == 150
    assert llm.invoke("again").content == "Second reply."
    assert llm.invoke("and again").content == DEFAULT_REPLY  # the queue is empty
    request = fake_openai.requests[0]
    assert (request["method"], request["path"]) == ("POST", "/v1/chat/completions")
    assert request["body"]["model"] == "gpt-4o-mini"
    assert request["body"]["messages"] == [
        {"role": "user", "content": "Does label smoothing help?"}
    ]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["authorization"] == "Bearer test-key"


def test_stream_yields_word_deltas_and_the_usage_the_server_reports(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.usage = (11, 7)
    fake_openai.enqueue(REPLY)
    chunks = list(chat(fake_openai, stream_usage=True).stream("q"))
    pieces = [c.content for c in chunks if c.content]
    # REPLY has 7 words; each arrives as its own delta.
    assert pieces == ["Label ", "smoothing ", "helps ", "with ", "noisy ", "labels ", "[1]."]
    assert "".join(str(p) for p in pieces) == REPLY
    usage = [c.usage_metadata for c in chunks if c.usage_metadata]
    assert len(usage) == 1
    assert (usage[0]["input_tokens"], usage[0]["output_tokens"], usage[0]["total_tokens"]) == (
        11,
        7,
        18,
    )
    finish = [c.response_metadata.get("finish_reason") for c in chunks if c.response_metadata]
    assert finish[-1] == "stop"
    body = fake_openai.requests[-1]["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_no_usage_chunk_unless_the_client_asks(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    chunks = list(chat(fake_openai, stream_usage=False).stream("q"))
    assert text_of(chunks) == DEFAULT_REPLY
    assert not any(c.usage_metadata for c in chunks)
    assert "stream_options" not in fake_openai.requests[-1]["body"]


def test_deltas_join_back_to_the_exact_text() -> None:
    for text in ["", "one", " lead and  double spaces\nnewline ", "[1]. [2]."]:
        assert "".join(deltas(text)) == text
    assert deltas("a  b") == ["a  ", "b"]


def test_429_is_retried_after_retry_after_and_then_succeeds(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("429", retry_after=0.3)
    fake_openai.enqueue(REPLY)
    started = time.monotonic()
    assert chat(fake_openai, retries=2).invoke("q").content == REPLY
    assert time.monotonic() - started >= 0.3  # the client waited as told
    assert len(fake_openai.requests) == 2


def test_429_without_retries_is_a_rate_limit_error(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    fake_openai.fail_next("429")
    with pytest.raises(openai.RateLimitError) as caught:
        chat(fake_openai).invoke("q")
    assert isinstance(caught.value, ModelError)  # LangChain's wrapper is both


def test_500_without_retries_is_an_internal_server_error(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("500")
    with pytest.raises(openai.InternalServerError) as caught:
        list(chat(fake_openai).stream("q"))
    assert caught.value.status_code == 500 and len(fake_openai.requests) == 1


def test_500_once_is_retried_away(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    fake_openai.fail_next("500")
    fake_openai.enqueue(REPLY)
    assert text_of(list(chat(fake_openai, retries=1).stream("q"))) == REPLY
    assert len(fake_openai.requests) == 2


def test_401_is_an_authentication_error_and_is_not_retried(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("401")  # one fault: a retry would have succeeded
    with pytest.raises(openai.AuthenticationError) as caught:
        chat(fake_openai, retries=2).invoke("q")
    assert "Incorrect API key provided" in str(caught.value)
    assert caught.value.code == "invalid_api_key"
    assert len(fake_openai.requests) == 1


def test_other_statuses_map_to_their_openai_classes(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    fake_openai.fail_next("404")
    with pytest.raises(openai.NotFoundError):
        chat(fake_openai).invoke("q")
    fake_openai.fail_next("503")
    with pytest.raises(openai.InternalServerError):  # every 5xx is this class
        chat(fake_openai).invoke("q")


def test_a_silent_server_times_out_within_the_client_timeout(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("timeout", delay=10)
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        list(chat(fake_openai, timeout=0.5).stream("q"))
    assert time.monotonic() - started < 3


def test_a_slow_first_byte_is_retried_and_answered(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    fake_openai.fail_next("timeout", delay=2)
    fake_openai.enqueue(REPLY)
    assert chat(fake_openai, retries=1, timeout=0.5).invoke("q").content == REPLY
    assert len(fake_openai.requests) == 2


def test_stopping_the_server_does_not_wait_for_a_sleeping_timeout() -> None:
    with serve_fake_openai() as server:
        server.fail_next("timeout", delay=30)
        with pytest.raises(openai.APITimeoutError):
            chat(server, timeout=0.3).invoke("q")
        started = time.monotonic()
    assert time.monotonic() - started < 3


def test_no_server_thread_outlives_the_server() -> None:
    before = set(threading.enumerate())
    with serve_fake_openai() as server:
        llm = chat(server)
        llm.invoke("q")  # the client's pool now holds a keep-alive connection
        list(llm.stream("q"))
        assert any(t.name.startswith("fake-openai") for t in threading.enumerate())
    leaked = [t for t in set(threading.enumerate()) - before if t.name.startswith("fake-openai")]
    assert leaked == []


def test_a_dropped_connection_is_a_connection_error_and_retried(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("refused")
    with pytest.raises(openai.APIConnectionError):
        chat(fake_openai).invoke("q")
    fake_openai.fail_next("refused")
    assert chat(fake_openai, retries=1).invoke("q").content == DEFAULT_REPLY


def test_nothing_listening_is_a_connection_error() -> None:
    llm = ChatOpenAI(
        base_url=closed_port_url(),
        api_key=SecretStr("test-key"),
        max_retries=0,
        timeout=2,
    )
    with pytest.raises(openai.APIConnectionError):
        llm.invoke("q")


def test_a_cut_stream_raises_a_connection_error_after_the_first_deltas(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    # Real servers send chunked bodies; a dropped socket leaves the last chunk unfinished,
    # which httpx2 reports as RemoteProtocolError and openai wraps as APIConnectionError.
    # Mid-stream errors are not retried: the request had already succeeded.
    fake_openai.fail_next("cut", after=3)
    fake_openai.enqueue(REPLY)
    received: list[AIMessageChunk] = []
    with pytest.raises(openai.APIConnectionError):
        collect(chat(fake_openai, retries=2).stream("q"), received)
    assert text_of(received) == "Label smoothing helps "
    assert len(fake_openai.requests) == 1


def test_a_cleanly_ended_cut_stream_raises_nothing_and_has_no_finish_reason(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    # A close-delimited body that stops early looks complete to HTTP: only the missing
    # finish_reason (and usage) tells the caller the answer was cut.
    fake_openai.fail_next("cut", after=2, eof=True)
    fake_openai.enqueue(REPLY)
    chunks = list(chat(fake_openai, stream_usage=True).stream("q"))
    assert text_of(chunks) == "Label smoothing "
    assert not any(c.response_metadata.get("finish_reason") for c in chunks)
    assert not any(c.usage_metadata for c in chunks)


def test_a_cut_json_body_is_a_connection_error_that_is_retried(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("cut")
    with pytest.raises(openai.APIConnectionError):
        chat(fake_openai).invoke("q")
    fake_openai.fail_next("cut")
    assert chat(fake_openai, retries=1).invoke("q").content == DEFAULT_REPLY


def test_malformed_replies_raise_value_errors_that_are_not_retried(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    # invoke: the JSON decoder's own error escapes the client unwrapped. One fault and two
    # retries allowed: a retry would have succeeded, so raising shows there was none.
    fake_openai.fail_next("malformed_json")
    with pytest.raises(json.JSONDecodeError):
        chat(fake_openai, retries=2).invoke("q")
    assert len(fake_openai.requests) == 1
    # stream: the client finds no SSE events in the body, so LangChain has no chunks.
    fake_openai.fail_next("malformed_json")
    with pytest.raises(ValueError, match="No generation chunks were returned"):
        list(chat(fake_openai).stream("q"))
    # stream: a data line that is not JSON.
    fake_openai.fail_next("malformed_sse")
    with pytest.raises(json.JSONDecodeError):
        list(chat(fake_openai).stream("q"))
    # invoke of an SSE body: LangChain refuses the shape.
    fake_openai.fail_next("malformed_sse")
    with pytest.raises(ValueError, match="Unexpected response type"):
        chat(fake_openai).invoke("q")


def test_an_empty_completion_is_not_an_error(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    fake_openai.fail_next("empty", times=2)
    fake_openai.enqueue(REPLY)
    reply = chat(fake_openai).invoke("q")
    assert reply.content == "" and reply.response_metadata["finish_reason"] == "stop"
    assert text_of(list(chat(fake_openai).stream("q"))) == ""
    assert chat(fake_openai).invoke("q").content == REPLY  # the queued reply waited


def test_embeddings_are_the_hashed_words_of_the_text(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    embeddings = OpenAIEmbeddings(
        base_url=fake_openai.base_url,
        api_key=SecretStr("test-key"),
        model="text-embedding-3-small",
        check_embedding_ctx_length=False,  # else it downloads a tiktoken encoding
    )
    texts = ["label smoothing and noisy labels", "noisy labels", "sparse attention kernels"]
    vectors = embeddings.embed_documents(texts)
    assert [len(v) for v in vectors] == [64, 64, 64]
    for got, text in zip(vectors, texts, strict=True):
        assert got == pytest.approx(embed(text), abs=1e-6)  # float32 on the wire

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True)) / math.hypot(*a) / math.hypot(*b)

    query = embeddings.embed_query("noisy labels")
    assert cosine(query, vectors[1]) == pytest.approx(1.0)
    assert cosine(query, vectors[0]) > cosine(query, vectors[2])
    assert fake_openai.requests[0]["path"] == "/v1/embeddings"


def test_models_are_listed(fake_openai: FakeOpenAI) -> None:  # noqa: F811
    client = openai.OpenAI(base_url=fake_openai.base_url, api_key="test-key", max_retries=0)
    assert [m.id for m in client.models.list()] == ["gpt-4o-mini"]
    assert fake_openai.requests[-1]["method"] == "GET"


def test_a_fault_can_target_one_endpoint_and_unknown_kinds_are_refused(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.fail_next("500", path="embeddings")
    assert chat(fake_openai).invoke("q").content == DEFAULT_REPLY
    client = openai.OpenAI(base_url=fake_openai.base_url, api_key="test-key", max_retries=0)
    with pytest.raises(openai.InternalServerError):
        client.embeddings.create(input="x", model="text-embedding-3-small")
    with pytest.raises(ValueError, match="unknown fault"):
        fake_openai.fail_next("explode")


def _post(base_url: str, body: dict[str, object], key: str | None = "sk-x") -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"{base_url}/chat/completions", json.dumps(body).encode(), headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.parametrize(
    ("name", "stream"),
    [
        ("llamacpp-stream-stop.sse", True),
        ("llamacpp-stream-length.sse", True),
        ("llamacpp-nonstream.json", False),
    ],
)
def test_a_recorded_transcript_is_replayed_byte_for_byte(
    fake_openai: FakeOpenAI,  # noqa: F811
    name: str,
    stream: bool,
) -> None:
    recorded = fake_openai.replay(name)
    status, body = _post(fake_openai.base_url, {"model": "smollm2", "stream": stream})
    assert status == 200 and body == recorded


def test_requests_without_a_bearer_token_or_with_the_wrong_key_get_a_401(
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    assert _post(fake_openai.base_url, {"model": "m"}, key=None)[0] == 401
    fake_openai.api_key = "sk-right"
    assert _post(fake_openai.base_url, {"model": "m"}, key="sk-wrong")[0] == 401
    assert _post(fake_openai.base_url, {"model": "m"}, key="sk-right")[0] == 200
