"""`ra eval writing`: reading lists and related-work drafts measured against gold.

A file holds one request per line, as `../shared/devsets/writing.jsonl` does:
`{"id", "kind": "reading_list" | "related_work", "request", "gold_titles",
"must_not_cite"}`. Each request goes through the same code as the commands (the
request reader, then the reading list or the draft), so a user can measure the tool
on their own corpus and requests.

Coverage is the share of gold titles included, out of what the request could hold:
a reading list is cut at the count the request asks for (15 when it names none), so
'5 papers' is fully covered by any five gold titles; a draft counts the papers it
cites. Off-topic counts the must-not-cite titles included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from retrieval.jsonl import read_rows
from retrieval.text import normalize_title

if TYPE_CHECKING:
    from assistant.workspace import Workspace

Kind = Literal["reading_list", "related_work"]
DEFAULT_LIST_N = 15


class WritingItem(BaseModel):
    """One request of an evaluation file."""

    id: str
    kind: Kind
    request: str = Field(min_length=1)
    gold_titles: list[str] = Field(default_factory=list)
    must_not_cite: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class ItemResult:
    id: str
    kind: Kind
    coverage: float
    off_topic: int
    included: list[str]
    found: int
    possible: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "coverage": round(self.coverage, 3),
            "off_topic": self.off_topic,
            "included": self.included,
        }


def load_items(path: Path) -> list[WritingItem]:
    """The requests of a JSONL file; a bad line is one sentence naming it."""
    shape = 'a writing request with id, kind ("reading_list" or "related_work"), request'
    shape += " and gold_titles"
    return [item for _, item in read_rows(path, WritingItem, shape, "requests")]


def evaluate_item(workspace: Workspace, item: WritingItem) -> ItemResult:
    """Run one request as the command line would, and score it."""
    request = workspace.read(item.request, item.kind)
    if item.kind == "reading_list":
        result = workspace.reading_list(request)
        included = [p.title for p in result.papers]
        possible = min(len(item.gold_titles), request.n or DEFAULT_LIST_N)
    else:
        draft = workspace.related_work(request, style="latex")
        included = [p.title for p in draft.cited]
        possible = min(len(item.gold_titles), request.n or len(item.gold_titles))
    have = {normalize_title(t) for t in included}
    found = sum(1 for t in item.gold_titles if normalize_title(t) in have)
    off = sum(1 for t in item.must_not_cite if normalize_title(t) in have)
    coverage = found / possible if possible else 1.0
    return ItemResult(item.id, item.kind, min(1.0, coverage), off, included, found, possible)


def summarize(results: list[ItemResult]) -> dict[str, Any]:
    """The JSON report: per item, and per kind (mean coverage, total off-topic)."""
    report: dict[str, Any] = {"items": [r.to_json() for r in results]}
    for kind in ("reading_list", "related_work"):
        mine = [r for r in results if r.kind == kind]
        report[kind] = {
            "n": len(mine),
            "coverage": round(sum(r.coverage for r in mine) / len(mine), 3) if mine else None,
            "off_topic": sum(r.off_topic for r in mine),
        }
    return report
