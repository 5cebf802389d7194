"""The three evaluation file readers share one JSON Lines reader: same errors, by line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.answer_evaluation import load_answer_questions
from assistant.writing_eval import load_items
from retrieval.errors import RetrievalError
from retrieval.evaluation import load_questions, read_questions

GOOD = {
    "retrieval": '{"question": "q", "gold_titles": ["T"], "id": 7}',
    "answers": '{"question": "q", "facts": ["f"]}',
    "writing": '{"id": "w", "kind": "reading_list", "request": "r", "gold_titles": ["T"]}',
}
LOADERS: dict[str, Callable[[Path], list[Any]]] = {
    "retrieval": load_questions,
    "answers": load_answer_questions,
    "writing": load_items,
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_each_reader_names_the_bad_line_and_the_empty_or_missing_file(
    kind: str, tmp_path: Path
) -> None:
    load = LOADERS[kind]
    path = tmp_path / "set.jsonl"
    path.write_text(f"{GOOD[kind]}\n\n{{not json\n")
    with pytest.raises(RetrievalError, match=r"set\.jsonl:3 is not .*: fix that line\."):
        load(path)
    path.write_text(f"\n{GOOD[kind]}\n\n")
    assert len(load(path)) == 1
    path.write_text("\n  \n")
    with pytest.raises(RetrievalError, match="holds no"):
        load(path)
    with pytest.raises(RetrievalError, match="Cannot read"):
        load(tmp_path / "missing.jsonl")


def test_rows_keep_their_defaults_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(f"\n{GOOD['retrieval']}\n")
    assert load_questions(path)[0].id == "7"
    path.write_text(f"{GOOD['answers']}\n")
    question = load_answer_questions(path)[0]
    assert (question.id, question.gold_facts, question.answerable) == ("line1", ("f",), True)
    # a question with nothing to rank is skipped, and counted; a file of them is an error
    path.write_text('{"question": "q", "gold_titles": [], "answerable": false}\n')
    with pytest.raises(RetrievalError, match="holds no question with gold titles"):
        load_questions(path)
    path.write_text(f'{{"question": "q", "gold_titles": []}}\n{GOOD["retrieval"]}\n')
    questions, skipped = read_questions(path)
    assert [q.id for q in questions] == ["7"] and skipped == 1
