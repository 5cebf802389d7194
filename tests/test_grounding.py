"""LLM answers checked for grounding: an answer that cites nothing is shown as ungrounded,
with the offline quoted answer beside it; uncited sentences and unknown URLs are flagged.

The llama.cpp transcripts (tests/data/grounding/, from a real server) are replayed byte
for byte by a small server here, so the real ChatOpenAI client reads a real wire format.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.citations import check_citations
from assistant.grounding import (
    UNCITED_MARK,
    UNGROUNDED_BANNER,
    CorpusReferences,
    ground,
    mark_uncited,
)
from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data" / "grounding"
QUESTION = "What does my research statement say about pruning?"


class _Replay(BaseHTTPRequestHandler):
    """POST /v1/chat/completions -> the recorded llama.cpp reply, stream or not."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if body.get("stream"):
            payload = (DATA / "llamacpp-stream-stop.sse").read_bytes()
            kind = "text/event-stream"
        else:
            payload = (DATA / "llamacpp-nonstream.json").read_bytes()
            kind = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def llamacpp() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- the check itself


def _refs() -> CorpusReferences:
    return CorpusReferences(
        ["Code: https://github.com/idiap/fullgrad-saliency (arXiv:1905.00780)"],
        ["Suraj Srinivas", "François Fleuret"],
    )


def test_an_answer_without_a_valid_citation_is_ungrounded() -> None:
    text = "Neural collapse is an unsupervised technique used in many deep networks today."
    checked = check_citations(text, 3)
    grounding = ground(checked, _refs())
    assert not grounding.grounded
    assert grounding.uncited == (text,)


def test_a_cited_and_supported_sentence_grounds_the_answer() -> None:
    text = "Saliency maps use full gradients [1]. They are also used for every other thing here."
    checked = check_citations(text, 3, support=lambda pairs: [0.9] * len(pairs))
    grounding = ground(checked, _refs())
    assert grounding.grounded
    assert grounding.uncited == ("They are also used for every other thing here.",)
    # a citation the passage does not support ([1?]) grounds nothing
    weak = check_citations(text, 3, support=lambda pairs: [0.1] * len(pairs))
    assert not ground(weak, _refs()).grounded


def test_invented_urls_and_references_are_flagged_known_ones_are_not() -> None:
    text = (
        "See https://github.com/idiap/fullgrad-saliency/ and arXiv:1905.00780 [1]. "
        "Details are at https://example.org/neural-collapse.html and arXiv:2101.99999. "
        "Srinivas and Fleuret (2019) agree, as do Zorblatt et al. (2021)."
    )
    unknown = _refs().unknown(text)
    assert unknown == [
        "https://example.org/neural-collapse.html",
        "2101.99999",
        "Zorblatt et al. (2021)",
    ]


def test_uncited_sentences_are_marked_in_the_text() -> None:
    text = "A cited claim about saliency maps [1]. An uncited claim about many other things here."
    checked = check_citations(text, 2)
    marked = mark_uncited(checked.text, checked.uncited)
    assert marked.endswith("other things here." + UNCITED_MARK)
    assert marked.count(UNCITED_MARK) == 1


# ---------------------------------------------------------------- the real wire format


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from assistant.library import Library
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("grounding")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "research-statement.md", corpus)
    Library(Settings(data_dir=root / "data", corpus=str(corpus))).index()
    return corpus, root / "data"


@pytest.fixture
def llamacpp_env(
    small_index: tuple[Path, Path], llamacpp: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, data = small_index
    monkeypatch.setenv("RA_CORPUS", str(corpus))
    monkeypatch.setenv("RA_DATA_DIR", str(data))
    monkeypatch.setenv("RA_LLM_BASE_URL", llamacpp)
    monkeypatch.setenv("RA_LLM_TIMEOUT", "5")


@pytest.mark.slow
def test_cli_json_marks_the_llamacpp_answer_ungrounded(
    llamacpp_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "ask", QUESTION, "--json")
    assert run.code == 0, run.err
    answer = run.json()
    assert answer["mode"] == "llm" and not answer["refused"]
    assert answer["grounded"] is False and answer["citations"] == []
    assert answer["uncited_sentences"] and all(
        s in answer["answer"] for s in answer["uncited_sentences"]
    )
    assert answer["answer"].startswith("Neural collapse is a type of unsupervised")
    # the offline answer quoted from the corpus comes with it
    # (whichever sources it quotes: each quote carries its citation)
    assert answer["fallback_answer"] and re.search(r"\[\d+\]", answer["fallback_answer"])


@pytest.mark.slow
def test_cli_shows_the_banner_and_the_quoted_answer(
    llamacpp_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "ask", QUESTION)
    assert run.code == 0, run.err
    flat = " ".join(run.out.split())
    assert "Ungrounded: the model cited none of your sources" in flat
    assert "quoted from your corpus" in flat and "References" in flat
    assert "(no source)" in flat


async def test_tui_shows_the_ungrounded_banner_and_the_quoted_answer(
    llamacpp: str, tmp_path: Path
) -> None:
    """Pilot: the llama.cpp answer arrives through ChatOpenAI and is bannered."""
    from textual.widgets import Input, Static

    from assistant.library import Library
    from assistant.llm import build_chat_model
    from assistant.settings import Settings
    from assistant.workspace import Workspace
    from tests.fakes import WordOverlapEmbeddings
    from tui.app import create_app
    from tui.widgets import MessageView

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "research-statement.md", corpus)
    settings = Settings(
        data_dir=tmp_path / "data", corpus=str(corpus), llm_base_url=llamacpp, llm_timeout=5
    )
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    app = create_app(Workspace(settings, llm=build_chat_model(settings), library=library))
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(400):
            if app.workspace.ready:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        prompt = app.query_one("#prompt", Input)
        prompt.focus()
        prompt.value = QUESTION
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        view = list(app.query(MessageView))[-1]
        banners = list(view.query(".banner"))
        assert len(banners) == 1 and isinstance(banners[0], Static)
        assert UNGROUNDED_BANNER in str(banners[0].render())
        assert "Quoted from your corpus instead" in view.raw
        assert re.search(r"\*\*\[\d+\]\*\*", view.raw)  # the quotes' citations, rendered
        assert "Every claim is cited" not in " ".join(str(m.raw) for m in app.query(MessageView))


@pytest.mark.slow
def test_an_llm_is_not_asked_about_a_paper_the_corpus_lacks(
    llamacpp_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    question = "Who are the authors of 'Attention Is All You Need'?"
    run = run_cli(capsys, "ask", question, "--json")
    assert run.code == 0, run.err
    answer = run.json()
    assert answer["mode"] == "llm" and answer["refused"] and answer["citations"] == []
    assert answer["answer"] == "Your corpus has no paper titled 'Attention Is All You Need'."
    assert "Neural collapse" not in answer["answer"]  # the model's reply was never asked for
