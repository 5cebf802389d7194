"""Content questions over a folder of PDFs: does the offline answer contain the fact and
cite the page it is printed on?

    python benchmarks/bench_pdf_answers.py DIR QUESTIONS [--data-dir PATH [--no-index]]

QUESTIONS is JSON lines {"file", "question", "fact", "page"} (../shared/pdfs/
questions.jsonl). The PDFs of DIR are indexed with `ra index` into a fresh data directory
(or the one given), then each question goes through the same Asker as `ra ask`, with no LLM.
A question counts when the normalised fact occurs in the answer text and one of the
answer's citations is a chunk of that file on that page; both parts are also reported
on their own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument(
        "--no-index", action="store_true", help="ask against the index already in --data-dir"
    )
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ra-pdf-bench-"))
    os.environ["RA_DATA_DIR"] = str(data_dir)
    # Only the PDFs: a README beside them (as in ../shared/pdfs) quotes some facts.
    pdfs = sorted(str(p.resolve()) for p in args.dir.iterdir() if p.suffix.lower() == ".pdf")
    os.environ["RA_CORPUS"] = os.pathsep.join(pdfs)
    for key in ("OPENAI_API_KEY", "RA_LLM_BASE_URL", "RA_LLM_MODEL"):
        os.environ.pop(key, None)  # offline answers only
    if not args.no_index:
        index = [sys.executable, "-c", "from shell.cli import main; main()", "index"]
        # Exit code 2 means some files were skipped (a gold file beside the PDFs): fine.
        if subprocess.run(index, cwd=ROOT).returncode not in (0, 2):
            raise SystemExit("indexing failed")

    sys.path.insert(0, str(ROOT))
    from assistant.ask import Asker
    from assistant.library import Library
    from assistant.settings import Settings
    from retrieval.text import normalize_title

    library = Library(Settings())
    asker = Asker(library.searcher(), embeddings=library.embeddings)
    rows = [json.loads(x) for x in args.questions.read_text().splitlines() if x.strip()]
    both = fact_only = page_only = 0
    for row in rows:
        answer = asker.answer(row["question"])
        has_fact = normalize_title(row["fact"]) in normalize_title(answer.text)
        cites_page = any(
            c.source.hit.chunk.file == row["file"] and c.source.hit.chunk.page == row["page"]
            for c in answer.citations
        )
        both += has_fact and cites_page
        fact_only += has_fact
        page_only += cites_page
        mark = "ok " if has_fact and cites_page else "   "
        print(f"{mark} fact={has_fact!s:5} page={cites_page!s:5} {row['question'][:70]}")
    n = len(rows)
    print(
        f"fact and right page: {both}/{n} ({both / n:.0%}); fact: {fact_only}/{n}; page: {page_only}/{n}"
    )


if __name__ == "__main__":
    main()
