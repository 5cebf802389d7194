"""The formats handled by libraries (issue 17): Markdown headings (markdown-it-py), the
manifest (pydantic), BibTeX export (bibtexparser's writer, pylatexenc), timed against
another checkout in the same run.

Run: .venv/bin/python benchmarks/bench_formats.py [--runs 5] [--versus OTHER_CHECKOUT]

Each run is a fresh Python process with the checkout's packages first on the path; with
`--versus`, runs alternate between the two checkouts so that a busy machine slows both
alike. Measured, median of `--runs` (each the best of 3 inside the process):

- markdown 10k: `retrieval.parsers.markdown.parse` of 10,000 headings with a body line
  each (20,000 lines, inline markup on every body line);
- markdown corpus: the sample research statement and CV, 50 times each;
- manifest: `save_manifest` then `load_manifest` of the sample corpus's parses, as 40
  copies of its five files (about 28 MB of JSON);
- bibtex: `assistant.export.bibtex` of every paper in the sample catalog.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, tempfile, time
from pathlib import Path

from assistant.export import bibtex
from retrieval.catalog import build_catalog
from retrieval.loaders import load_corpus
from retrieval.manifest import Manifest, load_manifest, save_manifest
from retrieval.parsers import markdown


def best(fn):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


corpus = Path(sys.argv[1])
big = "\n".join(
    f"{'#' * (i % 6 + 1)} H{i}\nbody {i} with **bold** and [a link](https://x.org)"
    for i in range(10_000)
)
docs = [(corpus / n).read_text(encoding="utf-8") for n in ("research-statement.md", "cv.md")]
loaded = load_corpus([corpus])
files = {f"{f.path}{i}": f for i in range(40) for f in loaded.files}
manifest = Manifest(embeddings="x", status="complete", files=files)
papers = list(build_catalog([corpus]).papers)
path = Path(tempfile.mkdtemp()) / "manifest.json"


def manifest_round_trip():
    save_manifest(path, manifest)
    load_manifest(path, "x")


print(json.dumps({
    "markdown 10k": best(lambda: markdown.parse(big, "big.md")),
    "markdown corpus": best(lambda: [markdown.parse(d, "d.md") for d in docs * 50]),
    "manifest": best(manifest_round_trip),
    f"bibtex {len(papers)}": best(lambda: bibtex(papers)),
}))
"""


def run_once(checkout: Path) -> dict[str, float]:
    """One fresh process timing `checkout`'s code on this checkout's sample corpus."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(ROOT / "corpus")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--versus", type=Path, help="another checkout to time alike")
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.versus.resolve()] if args.versus else [])
    runs: dict[Path, list[dict[str, float]]] = {c: [] for c in checkouts}
    for _ in range(args.runs):
        for checkout in checkouts:
            runs[checkout].append(run_once(checkout))
    names = list(runs[ROOT][0])
    print(f"median of {args.runs} runs (each the best of 3), seconds")
    header = "| what | this checkout |" + (" versus | ratio |" if args.versus else "")
    print(header)
    print("| --- | --- |" + (" --- | --- |" if args.versus else ""))
    for name in names:
        mine = statistics.median(r[name] for r in runs[ROOT])
        row = f"| {name} | {mine:.3f} |"
        if args.versus:
            other = statistics.median(r[name] for r in runs[checkouts[1]])
            row += f" {other:.3f} | {mine / other:.2f}x |"
        print(row)


if __name__ == "__main__":
    main()
