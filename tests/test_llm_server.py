"""`ra ask` through the real ChatOpenAI client against a local OpenAI-compatible server:
streaming with usage, retries on 429, and one clear sentence for every fault."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.fake_openai import FakeOpenAI, fake_openai  # noqa: F401 - the fixture

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KEY = "sk-test-PLANTED-KEY-123"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def indexed(small_real_index: tuple[Path, Path]) -> tuple[Path, Path]:
    """A small corpus indexed once per session with the real model."""
    return small_real_index


@pytest.fixture
def llm_env(
    indexed: tuple[Path, Path],
    fake_openai: FakeOpenAI,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> FakeOpenAI:
    corpus, data = indexed
    monkeypatch.setenv("RA_CORPUS", str(corpus))
    monkeypatch.setenv("RA_DATA_DIR", str(data))
    monkeypatch.setenv("RA_LLM_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("RA_LLM_TIMEOUT", "2")
    return fake_openai


QUESTION = "Does label smoothing mitigate label noise?"


@pytest.mark.slow
def test_streamed_answer_with_usage_and_checked_citations(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.enqueue(
        "Label smoothing helps when labels are noisy [1]. It also helps calibration [17]."
    )
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    answer = run.json()
    assert answer["mode"] == "llm" and not answer["refused"]
    assert answer["removed_citations"] == ["[17]"] and "[17]" not in answer["answer"]
    assert answer["citations"][0]["title"] == "Does label smoothing mitigate label noise?"
    assert answer["usage"]["input_tokens"] == 120 and answer["usage"]["output_tokens"] == 30
    assert answer["usage"]["cost_usd"] == pytest.approx((120 * 0.15 + 30 * 0.60) / 1e6)
    request = llm_env.requests[-1]
    assert request["body"]["stream"] is True
    user = request["body"]["messages"][-1]["content"]
    assert "<<<SOURCE 1>>>" in user and QUESTION in user
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.slow
def test_rate_limit_is_retried_after_the_server_says(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.fail_next("429", retry_after=0.2)
    llm_env.enqueue("Yes [1].")
    started = time.monotonic()
    run = run_cli(capsys, "ask", QUESTION, "--no-stream")
    assert run.code == 0, run.err
    assert len(llm_env.requests) == 2 and time.monotonic() - started >= 0.2
    assert "Yes [1" in run.out  # [1?]: "Yes" alone is weakly supported by the passage


@pytest.mark.slow
def test_slow_first_byte_times_out_then_retries(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.fail_next("timeout", delay=3)
    llm_env.enqueue("Recovered [1].")
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    assert "Recovered" in run.json()["answer"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "times", "message"),
    [
        ("401", 1, "rejected the API key: check OPENAI_API_KEY"),
        ("500", 4, "failed (HTTP 500): try again shortly"),
        ("cut", 1, "broke off"),
        ("cut-eof", 1, "broke off"),
        ("malformed", 4, "try again"),
    ],
)
def test_faults_end_in_one_sentence_without_the_key(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str], kind: str, times: int, message: str
) -> None:
    if kind == "cut-eof":  # the body ends cleanly, but with no finish_reason
        llm_env.fail_next("cut", times=times, after=3, eof=True)
    else:
        llm_env.fail_next(kind, times=times)
    llm_env.enqueue("This answer must not appear complete [1].")
    run = run_cli(capsys, "ask", QUESTION)
    assert run.code == 1
    assert message in run.err
    assert "Traceback" not in run.err + run.out
    assert KEY not in run.err + run.out
    assert "References" not in run.out


@pytest.mark.slow
def test_sentinel_from_the_model_is_a_refusal(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.enqueue("I could not find this in your corpus.")
    answer = run_cli(capsys, "ask", "What GPU did the label smoothing paper use?", "--json").json()
    assert answer["refused"] and answer["citations"] == []


@pytest.mark.slow
def test_doctor_checks_every_part_and_never_prints_the_key(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "doctor", "--json")
    assert run.code == 0, run.out + run.err
    checks = {c["check"]: c for c in run.json()}
    assert list(checks) == [
        "configuration",
        "data directory",
        "corpus",
        "index",
        "embedding model",
        "chroma",
        "llm",
    ]
    assert all(c["ok"] for c in checks.values())
    assert "up to date" in checks["index"]["detail"] and "answered" in checks["llm"]["detail"]
    body = llm_env.requests[-1]["body"]
    assert body.get("max_tokens", body.get("max_completion_tokens")) == 1
    llm_env.fail_next("401")
    bad = run_cli(capsys, "doctor")
    assert bad.code == 1 and "FAIL llm" in bad.out and "rejected the API key" in bad.out
    assert KEY not in bad.out + bad.err and "OPENAI_API_KEY" in bad.out


def test_doctor_on_an_empty_data_dir_says_to_index(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RA_CORPUS", str(CORPUS / "cv.md"))
    monkeypatch.setattr(
        "assistant.doctor._embeddings",
        lambda library: __import__("assistant.doctor").doctor.Check(
            "embedding model", True, "skipped in this test"
        ),
    )
    run = run_cli(capsys, "doctor", "--json")
    assert run.code == 1
    checks = {c["check"]: c for c in run.json()}
    assert not checks["index"]["ok"] and "run `ra index`" in checks["index"]["detail"]
    assert checks["llm"]["warning"] and "extractive" in checks["llm"]["detail"]


# --- real servers' wire formats ------------------------------------------------------

STOP_TEXT = "".join(
    json.loads(line[6:])["choices"][0]["delta"].get("content", "")
    for line in (DATA / "llamacpp-stream-stop.sse").read_text().splitlines()
    if line.startswith("data: {")
)


@pytest.mark.slow
def test_llamacpp_stream_without_usage_reports_estimated_usage(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.replay("llamacpp-stream-stop.sse")
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    answer = run.json()
    # The model cited nothing: every sentence is marked, and the answer is ungrounded.
    assert answer["finish_reason"] == "stop" and not answer["grounded"]
    assert answer["answer"].replace(" *(no source)*", "") == STOP_TEXT.strip()
    usage = answer["usage"]
    assert usage["estimated"] is True
    assert usage["output_tokens"] > 0 and usage["input_tokens"] > usage["output_tokens"]
    assert usage["cost_usd"] is not None  # gpt-4o-mini's price is known
    llm_env.replay("llamacpp-stream-stop.sse")
    run = run_cli(capsys, "ask", QUESTION)
    assert "tokens (estimated)" in run.err


@pytest.mark.slow
def test_unknown_model_gets_tokens_but_no_cost(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_LLM_MODEL", "smollm2")
    llm_env.replay("llamacpp-stream-stop.sse")
    usage = run_cli(capsys, "ask", QUESTION, "--json").json()["usage"]
    assert usage["estimated"] is True and usage["total_tokens"] > 0 and usage["cost_usd"] is None


@pytest.mark.slow
def test_a_length_cut_answer_is_marked_truncated_in_json_cli_and_history(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.replay("llamacpp-stream-length.sse")
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    answer = run.json()
    assert answer["finish_reason"] == "length"
    assert answer["answer"] == "Neural collapse is a type of unsupervised *(no source)*"
    turn = run_cli(capsys, "history", "show", "--json").json()["turns"][-1]
    assert turn["status"] == "truncated" and turn["truncated"] and not turn["interrupted"]
    assert turn["finish_reason"] == "length"
    assert "truncated: the model stopped at its length limit" in " ".join(
        run_cli(capsys, "history", "show").out.split()
    )
    llm_env.replay("llamacpp-stream-length.sse")
    run = run_cli(capsys, "ask", QUESTION)
    assert run.code == 0 and "Truncated (length)" in run.err and "ra history continue" in run.err
    # Continuing sends the cut text back as the assistant's and asks for the rest.
    llm_env.enqueue(" learning [1].")
    run = run_cli(capsys, "history", "continue", "--json")
    assert run.code == 0, run.err
    assert run.json()["answer"].startswith("Neural collapse is a type of unsupervised learning")
    messages = llm_env.chat_requests[-1]["messages"]
    assert messages[-2] == {
        "role": "assistant",
        "content": "Neural collapse is a type of unsupervised",
    }
    turn = run_cli(capsys, "history", "show", "--json").json()["turns"][-1]
    assert turn["status"] == "complete" and turn["finish_reason"] == "stop"


@pytest.mark.slow
def test_usage_on_the_finish_chunk_is_read_as_reported(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.usage_on_finish = True
    llm_env.enqueue("Yes [1].")
    usage = run_cli(capsys, "ask", QUESTION, "--json").json()["usage"]
    assert usage["input_tokens"] == 120 and usage["output_tokens"] == 30
    assert usage["estimated"] is False


@pytest.mark.slow
def test_no_usage_at_all_is_estimated(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.send_usage = False
    llm_env.enqueue("Label smoothing helps with noisy labels [1].")
    usage = run_cli(capsys, "ask", QUESTION, "--json").json()["usage"]
    # Label smoothing(2) helps with noisy labels [ 1 ] . : counted from the streamed text
    assert usage["estimated"] is True and usage["output_tokens"] == 11


@pytest.mark.slow
def test_deltas_that_are_not_strings(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.enqueue([None, "Label smoothing ", [{"type": "text", "text": "helps"}], " [1]."])
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    assert run.json()["answer"] == "Label smoothing helps [1]."


@pytest.mark.slow
def test_a_400_for_stream_options_is_retried_once_without_it(
    llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    llm_env.rejects = {"stream_options"}
    llm_env.enqueue("Yes [1].")
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    assert run.json()["usage"]["estimated"] is True
    bodies = llm_env.chat_requests
    assert len(bodies) == 2 and "stream_options" in bodies[0] and "stream_options" not in bodies[1]
    llm_env.rejects = {"messages"}  # a 400 for another reason is not retried away
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 1 and "HTTP 400" in run.err and len(llm_env.chat_requests) == 4


@pytest.mark.slow
def test_the_server_checks_the_key(llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    llm_env.api_key = "sk-the-servers-own-key"
    run = run_cli(capsys, "ask", QUESTION)
    assert run.code == 1 and "rejected the API key" in run.err and KEY not in run.err + run.out
