"""How well PDFs are read: metadata against a gold file, clean text, and pages per second.

    python benchmarks/bench_pdfs.py DIR GOLD [--questions FILE] [--old-reader FILE]
        [--heldout N]

GOLD is JSON lines {"file", "title", "authors", "year", "abstract_start", "notes"} (the
format of ../shared/pdfs/gold.jsonl). Figures, over all files and apart for a held-out
split (every Nth gold row, N=5 by default; 0 for none):

- title: exact after NFKC, lower case, punctuation and spacing normalised;
- authors: F1 of the author sets, matched by surname without accents;
- year: equal, or None for a gold row whose notes start '[year not in PDF]';
- abstract: the gold start found at the start of (or within) the extracted abstract,
  or no abstract extracted when the gold has none;
- questions (with --questions, rows {"file", "fact", "page"}): the fact occurs in the
  text extracted for that page, hyphenation undone, lines joined;
- pages/s of the reader, and of an older reader module (--old-reader, a .py file with
  `parse_pdf_with_note(data, file)`) on the same files, in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrieval.parsers.pdf import read_pdf


def norm(text: str) -> str:
    """NFKC, lower case, no punctuation, one space: 'Dynamo: Amazon’s' -> 'dynamo amazon s'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def surname(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = norm(plain).split()
    return words[-1] if words else ""


def author_f1(found: tuple[str, ...], gold: list[str]) -> float:
    got, want = {surname(n) for n in found}, {surname(n) for n in gold}
    if not got and not want:
        return 1.0
    hits = len(got & want)
    if not hits:
        return 0.0
    precision, recall = hits / len(got), hits / len(want)
    return 2 * precision * recall / (precision + recall)


def score(row: dict, reading: object) -> dict[str, float]:
    meta = getattr(reading, "metadata", None)
    papers = reading.parsed.papers  # type: ignore[attr-defined]
    paper = papers[0] if papers else None
    title = paper.title if paper else None
    authors = paper.authors if paper else ()
    year = paper.year if paper else None
    abstract = (paper.abstract if paper else None) or (meta.abstract if meta else None)
    year_ok = year == row["year"] or (
        year is None and str(row.get("notes", "")).startswith("[year not in PDF]")
    )
    if row["abstract_start"] is None:
        abstract_ok = not abstract
    else:
        abstract_ok = bool(abstract) and norm(row["abstract_start"]) in norm(abstract or "")
    return {
        "title": float(bool(title) and norm(title or "") == norm(row["title"])),
        "authors": author_f1(authors, row["authors"]),
        "year": float(year_ok),
        "abstract": float(abstract_ok),
    }


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_pdf_reader", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--old-reader", type=Path)
    parser.add_argument("--heldout", type=int, default=5)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.gold.read_text().splitlines() if line.strip()]
    heldout = {r["file"] for i, r in enumerate(rows) if args.heldout and i % args.heldout == 4}
    readings, pages, started = {}, 0, time.perf_counter()
    for row in rows:
        reading = read_pdf((args.dir / row["file"]).read_bytes(), row["file"])
        readings[row["file"]] = reading
        pages += reading.pages
    elapsed = time.perf_counter() - started
    splits: dict[str, list[dict[str, float]]] = {"tuned": [], "held-out": []}
    for row in rows:
        scores = score(row, readings[row["file"]])
        splits["held-out" if row["file"] in heldout else "tuned"].append(scores)
        misses = [k for k, v in scores.items() if v < 1]
        if misses:
            print(f"  miss {', '.join(misses)}: {row['file']}")
    print(f"{'split':<10} {'files':>5} {'title':>6} {'authF1':>7} {'year':>6} {'abstr':>6}")
    for name, scored in [*splits.items(), ("all", splits["tuned"] + splits["held-out"])]:
        if not scored:
            continue
        means = {k: sum(s[k] for s in scored) / len(scored) for k in scored[0]}
        print(
            f"{name:<10} {len(scored):>5} {means['title']:>6.2f} {means['authors']:>7.2f} "
            f"{means['year']:>6.2f} {means['abstract']:>6.2f}"
        )
    if args.questions:
        questions = [json.loads(x) for x in args.questions.read_text().splitlines() if x.strip()]
        found = 0
        for q in questions:
            sections = readings[q["file"]].parsed.sections
            text = " ".join(s.text for s in sections if s.source.page == q["page"])
            found += norm(q["fact"]) in norm(text)
        print(f"questions: fact in the text of its page {found}/{len(questions)}")
    print(f"pages/s (PDFium reader): {pages / elapsed:.1f} ({pages} pages in {elapsed:.1f} s)")
    if args.old_reader:
        old = load_module(args.old_reader)
        started = time.perf_counter()
        for row in rows:
            try:
                old.parse_pdf_with_note((args.dir / row["file"]).read_bytes(), row["file"])
            except Exception as exc:  # the old reader's ParseError
                print(f"  old reader failed on {row['file']}: {exc}")
        old_elapsed = time.perf_counter() - started
        print(
            f"pages/s (old reader): {pages / old_elapsed:.1f} ({old_elapsed:.1f} s); "
            f"speed-up {old_elapsed / elapsed:.1f}x"
        )


if __name__ == "__main__":
    main()
