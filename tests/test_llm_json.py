"""The LLM's JSON replies: fenced, wrapped in prose, or malformed."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.llm_json import parse_reply
from assistant.reading_list import _parse_themes
from retrieval.records import Paper


class _Pick(BaseModel):
    task: str
    n: int | None = None


def test_fenced_and_prose_wrapped_replies_validate_and_junk_is_none() -> None:
    assert parse_reply('{"task": "ask"}', _Pick) == _Pick(task="ask")
    fenced = 'Here you are:\n```json\n{"task": "ask", "n": 3}\n```\nAnything else?'
    assert parse_reply(fenced, _Pick) == _Pick(task="ask", n=3)
    assert parse_reply('```\n{"task": "ask"}\n```', _Pick) == _Pick(task="ask")
    # Prose after the object may hold braces of its own: only the object is read.
    assert parse_reply('Sure: {"task": "ask"} (see {this})', _Pick) == _Pick(task="ask")
    for junk in ("", "no JSON here", '{"task": 3}', '{"task": "ask"', "[1, 2]", '{"n": 2}'):
        assert parse_reply(junk, _Pick) is None, junk


def test_a_fenced_reading_list_keeps_good_themes_and_drops_bad_entries() -> None:
    a = Paper(title="A", year=2021, bibkey="a")
    b = Paper(title="B", year=2019, bibkey="b")
    reply = (
        "The list:\n```json\n"
        '{"themes": [{"name": "T", "papers": [{"key": "a", "why": "w"}, 3, '
        '{"bibkey": "b", "summary": "s"}, {"key": "ghost"}]}, {"name": "Bad", "papers": 2}]}'
        "\n```"
    )
    themes = _parse_themes(reply, {"a": a, "b": b})
    assert themes is not None and [t.name for t in themes] == ["T"]
    assert [(e.paper.bibkey, e.why) for e in themes[0].papers] == [("b", ""), ("a", "w")]
    assert themes[0].papers[0].summary == "s"
