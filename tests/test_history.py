"""Chat history in SQLite: round trips, WAL, threads, recovery after kill -9, damage."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.history import HistoryError, HistoryStore
from tests.cli_runner import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

CITATION = {
    "n": 1,
    "paper_id": "p1",
    "title": "A Paper",
    "bibkey": "a2020paper",
    "source": "f.txt:3",
    "support": 0.9,
}


def _finish(store: HistoryStore, turn: int, answer: str = "Answer [1].") -> None:
    store.finish_turn(
        turn,
        answer=answer,
        mode="llm",
        refused=False,
        citations=[CITATION],
        removed_citations=["[9]"],
        usage={"total_tokens": 5},
    )


def test_sessions_and_turns_round_trip(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    first = store.new_session()
    turn = store.start_turn(first, "What is grokking?")
    _finish(store, turn)
    second = store.new_session("Pruning")
    store.start_turn(second, "later question")
    sessions = store.sessions()
    assert [s.id for s in sessions] == [second, first]
    assert sessions[1].title == "What is grokking?" and sessions[1].turns == 1
    (saved,) = store.turns(first)
    assert (saved.status, saved.answer, saved.citations, saved.removed_citations) == (
        "complete",
        "Answer [1].",
        [CITATION],
        ["[9]"],
    )
    assert saved.usage == {"total_tokens": 5}
    assert (
        store.delete_session(first) and store.turns(first) == [] and not store.delete_session(first)
    )


def test_wal_mode_is_on(tmp_path: Path) -> None:
    HistoryStore(tmp_path / "h.sqlite").close()
    assert (
        sqlite3.connect(tmp_path / "h.sqlite").execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    )


def test_threads_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    other = HistoryStore(tmp_path / "h.sqlite")
    session = store.new_session()

    def write(target: HistoryStore, n: int) -> None:
        for i in range(n):
            _finish(target, target.start_turn(session, f"q{i}"))

    threads = [threading.Thread(target=write, args=(s, 50)) for s in (store, other, store)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.turns(session)) == 150


def test_a_killed_process_leaves_an_incomplete_turn_and_earlier_turns_intact(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite"
    store = HistoryStore(path)
    session = store.new_session()
    _finish(store, store.start_turn(session, "first question"))
    script = (
        f"import sys, time; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r});"
        "from assistant.history import HistoryStore;"
        f"s = HistoryStore(__import__('pathlib').Path({str(path)!r}));"
        f"t = s.start_turn({session!r}, 'question being answered');"
        "s.append_partial(t, 'Half an ans'); print('started', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    reopened = HistoryStore(path)
    assert reopened.recover() == 1
    first, second = reopened.turns(session)
    assert first.status == "complete" and first.answer == "Answer [1]."
    assert second.status == "incomplete" and "interrupted" in (second.error or "")
    assert second.answer == "Half an ans"  # the partial text saved before the kill survives
    assert "(interrupted:" in reopened.to_markdown(session)
    assert reopened.recover() == 0  # already recovered: nothing left streaming


def test_damaged_database_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="move it aside"):
        HistoryStore(path)


def test_markdown_transcript(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    session = store.new_session()
    _finish(store, store.start_turn(session, "What is grokking?"))
    text = store.to_markdown(session)
    assert (
        "## What is grokking?" in text
        and "Answer [1]." in text
        and "- [1] A Paper [f.txt:3]" in text
    )


def test_session_saves_a_failed_answer_as_incomplete(tmp_path: Path) -> None:
    from assistant.ask import Asker, Done
    from assistant.session import ChatSession

    class Broken(GenericFakeChatModel):
        def _stream(self, *args, **kwargs):
            yield from list(super()._stream(*args, **kwargs))[:3]
            raise ConnectionError("stream cut")

    from assistant.library import Library
    from assistant.settings import Settings
    from tests.fakes import WordOverlapEmbeddings

    corpus = Path(__file__).resolve().parent.parent / "corpus" / "google-research-bhojanapalli.txt"
    library = Library(
        Settings(data_dir=tmp_path / "data", corpus=str(corpus)),
        embeddings=WordOverlapEmbeddings(),
    )
    library.index()
    store = HistoryStore(tmp_path / "h.sqlite")
    good = ChatSession(
        Asker(
            library.searcher(), llm=GenericFakeChatModel(messages=iter([AIMessage("Fine [1].")]))
        ),
        store,
    )
    assert isinstance(list(good.ask("label smoothing and noise"))[-1], Done)
    broken = ChatSession(
        Asker(
            library.searcher(),
            llm=Broken(
                messages=iter(
                    [AIMessage("Which venue?"), AIMessage("This will be cut off soon [1].")]
                )
            ),
        ),
        store,
        good.id,
    )
    with pytest.raises(ConnectionError):
        list(broken.ask("and the venue?"))
    first, second = store.turns(good.id)
    assert first.status == "complete"
    assert (
        second.status == "incomplete"
        and second.answer.startswith("This")
        and second.error == "ConnectionError"
    )


def test_history_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path))
    store = HistoryStore(tmp_path / "history.sqlite")
    session = store.new_session()
    _finish(store, store.start_turn(session, "What is grokking?"))
    listing = run_cli(capsys, "history", "--json").json()
    assert [s["id"] for s in listing] == [session]
    shown = run_cli(capsys, "history", "show", session)
    assert shown.code == 0 and "What is grokking?" in shown.out
    missing = run_cli(capsys, "history", "show", "nope")
    assert missing.code == 1 and "No session has the id 'nope'" in missing.err


def test_a_turn_is_on_disk_before_the_answer_exists(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    turn = store.start_turn(store.new_session(), "Is it saved already?")
    store.append_partial(turn, "So far")
    # Another connection (another process would see the same) finds the open turn.
    row = (
        sqlite3.connect(tmp_path / "h.sqlite")
        .execute("SELECT question, answer, status FROM turns WHERE id = ?", (turn,))
        .fetchone()
    )
    assert row == ("Is it saved already?", "So far", "streaming")


def test_recover_leaves_a_turn_that_a_live_process_is_still_answering(tmp_path: Path) -> None:
    # The TUI is streaming an answer while `ra history` starts up and recovers.
    tui = HistoryStore(tmp_path / "h.sqlite")
    session = tui.new_session()
    turn = tui.start_turn(session, "still streaming")
    assert HistoryStore(tmp_path / "h.sqlite").recover() == 0
    _finish(tui, turn)
    assert [t.status for t in tui.turns(session)] == ["complete"]


def test_sessions_are_listed_by_latest_activity_and_turns_in_asking_order(
    tmp_path: Path,
) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    old, new = store.new_session(), store.new_session()
    assert [s.id for s in store.sessions()] == [new, old]
    for question in ("one", "two", "three"):
        _finish(store, store.start_turn(old, question))
    assert [s.id for s in store.sessions()] == [old, new]
    assert [t.question for t in store.turns(old)] == ["one", "two", "three"]
    info = store.session(old)
    assert info is not None and info.turns == 3 and info.updated > info.created
    assert store.session("nope") is None and store.turns("nope") == []


def test_titles_default_to_the_first_question_cut_at_a_word(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    long = store.new_session()
    store.start_turn(
        long, "How does label smoothing\ninteract with   knowledge distillation in large models?"
    )
    store.start_turn(long, "A second question is not the title")
    named = store.new_session("  My title ")
    store.start_turn(named, "question")
    empty = store.new_session()
    titles = {s.id: s.title for s in store.sessions()}
    # 78 characters once the newline and double space are collapsed; cut before "distillation".
    assert titles[long] == "How does label smoothing interact with knowledge…"
    assert titles[named] == "My title"
    assert titles[empty] == "New chat"


def test_a_failed_turn_keeps_its_partial_text_but_never_reads_as_complete(
    tmp_path: Path,
) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    session = store.new_session("Noise")
    _finish(store, store.start_turn(session, "first"), answer="Complete answer [1].")
    turn = store.start_turn(session, "second")
    store.append_partial(turn, "Label smoothing")
    store.fail_turn(turn, partial="Label smoothing helps", error="the LLM stream broke off")
    store.append_partial(turn, "ignored: the turn has ended")
    first, second = store.turns(session)
    assert (second.status, second.answer, second.error) == (
        "incomplete",
        "Label smoothing helps",
        "the LLM stream broke off",
    )
    assert second.citations == [] and second.usage is None and first.status == "complete"
    text = store.to_markdown(session)
    assert text.startswith("# Noise\n")
    assert text.count("- [1] A Paper [f.txt:3]") == 1  # only the complete turn has references
    part = text[text.index("## second") :]
    assert part.startswith("## second\n\nLabel smoothing helps\n")
    assert "*(interrupted: the LLM stream broke off)*" in part and "References" not in part
    assert "*Citations removed by the check: [9]*" in text


def test_unknown_ids_are_key_errors(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite")
    with pytest.raises(KeyError):
        store.start_turn("nope", "q")
    with pytest.raises(KeyError):
        store.fail_turn(12345, partial="", error="x")
    with pytest.raises(KeyError):
        store.to_markdown("nope")


def test_reopening_keeps_everything_and_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        session = store.new_session()
        _finish(store, store.start_turn(session, "kept?"))
    with HistoryStore(path) as again:
        assert [t.answer for t in again.turns(session)] == ["Answer [1]."]
    versions = sqlite3.connect(path).execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(1,), (2,)]  # each migration recorded once, none run twice


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    HistoryStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(HistoryError, match="newer ra"):
        HistoryStore(path)


def test_damaged_database_message_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(HistoryError) as caught:
        HistoryStore(path)
    assert str(caught.value) == (
        f"The history database at {path} is damaged: move it aside and restart ra."
    )


def test_a_folder_that_cannot_be_created_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(HistoryError, match=r"cannot be created.*RA_DATA_DIR"):
        HistoryStore(blocker / "history.sqlite")


def test_an_answer_cancelled_before_it_is_saved_stays_interrupted(tmp_path: Path) -> None:
    """Escape during the citation check, after the last token: the turn must not be
    saved as complete, nor join the session's context."""
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from assistant.ask import Asker
    from assistant.library import Library
    from assistant.session import AnswerCancelled, ChatSession
    from assistant.settings import Settings
    from tests.fakes import WordOverlapEmbeddings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text((CORPUS / "google-research-bhojanapalli.txt").read_text())
    library = Library(
        Settings(data_dir=tmp_path / "data", corpus=str(corpus)),
        embeddings=WordOverlapEmbeddings(),
    )
    library.index()
    llm = GenericFakeChatModel(messages=iter([AIMessage(content="Smoothing helps [1].")]))
    session = ChatSession(Asker(library.searcher(), llm=llm), library.history)
    with pytest.raises(AnswerCancelled):
        list(session.ask("Does label smoothing help?", stop=lambda: True))
    turns = library.history.turns(session.id)
    assert [t.status for t in turns] == ["incomplete"] and session.turns == []
    assert turns[0].error == "AnswerCancelled"
