"""The synthetic library `bench_scale.py` indexes: papers whose titles, authors, venues,
years and abstracts are drawn from the sample corpus (a title is a real one with about
half its words swapped for other title words, authors recombine the corpus's first names
and surnames, an abstract reshuffles a real abstract with a third of its words
replaced), written as BibTeX files of `PER_FILE` entries each."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PER_FILE = 5000
WORD = re.compile(r"[a-z][a-z'-]+")


def _vocabulary() -> dict[str, Any]:
    from retrieval.catalog import build_catalog

    papers = build_catalog([ROOT / "corpus"]).papers
    firsts, lasts = set(), set()
    for p in papers:
        for a in p.authors:
            parts = a.replace(",", " ").split()
            if len(parts) >= 2 and parts[0].isalpha() and len(parts[0]) > 1:
                firsts.add(parts[0])
                lasts.add(parts[-1])
    return {
        "titles": [p.title for p in papers if len(p.title.split()) >= 4],
        "title_words": sorted({w for p in papers for w in p.title.split() if w.isalpha()}),
        "abstracts": [p.abstract for p in papers if p.abstract and len(p.abstract) > 200],
        "abstract_words": sorted(
            {w for p in papers if p.abstract for w in p.abstract.split() if w.isalpha()}
        ),
        "firsts": sorted(firsts),
        "lasts": sorted(lasts),
        "venues": sorted({p.venue for p in papers if p.venue}),
    }


def synthetic_papers(n: int, seed: int = 16) -> list[dict[str, Any]]:
    """`n` papers with unique titles, drawn from the sample corpus's words and names."""
    from retrieval.text import normalize_title

    vocab = _vocabulary()
    rng = random.Random(seed)
    seen: set[str] = set()
    papers = []
    while len(papers) < n:
        words = rng.choice(vocab["titles"]).split()
        words = [rng.choice(vocab["title_words"]) if rng.random() < 0.5 else w for w in words]
        title = " ".join(words)
        norm = normalize_title(title)
        if norm in seen:
            continue
        seen.add(norm)
        sentences = re.split(r"(?<=\.)\s+", rng.choice(vocab["abstracts"]))
        rng.shuffle(sentences)
        body = " ".join(sentences).split()[: rng.randint(60, 140)]
        body = [rng.choice(vocab["abstract_words"]) if rng.random() < 0.33 else w for w in body]
        authors = [
            f"{rng.choice(vocab['firsts'])} {rng.choice(vocab['lasts'])}"
            for _ in range(rng.randint(1, 6))
        ]
        papers.append(
            {
                "title": title,
                "authors": authors,
                "venue": rng.choice(vocab["venues"]),
                "year": rng.randint(1995, 2025),
                "abstract": " ".join(body),
            }
        )
    return papers


def _bib_escape(text: str) -> str:
    return re.sub(r"[{}\\%&$#_^~]", " ", text)


def write_bib(papers: list[dict[str, Any]], directory: Path) -> list[Path]:
    """BibTeX files of `PER_FILE` entries each (a large library is many .bib files)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for start in range(0, len(papers), PER_FILE):
        path = directory / f"library-{start // PER_FILE:03d}.bib"
        entries = []
        for i, p in enumerate(papers[start : start + PER_FILE], start):
            entries.append(
                f"@inproceedings{{syn{i},\n"
                f"  title = {{{_bib_escape(p['title'])}}},\n"
                f"  author = {{{' and '.join(p['authors'])}}},\n"
                f"  booktitle = {{{_bib_escape(p['venue'])}}},\n"
                f"  year = {{{p['year']}}},\n"
                f"  abstract = {{{_bib_escape(p['abstract'])}}},\n}}\n"
            )
        path.write_text("\n".join(entries), encoding="utf-8")
        files.append(path)
    return files
