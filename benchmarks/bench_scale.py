"""Search and re-index at library scale: a synthetic 100k-paper BibTeX library.

Run: .venv/bin/python benchmarks/bench_scale.py [--papers 100000] [--real-papers 2000]
     [--chroma-server] [--keep DIR] [--real-build]

1. Generates BibTeX files (5,000 entries each) whose titles, authors, venues, years
   and abstracts are drawn from the sample corpus: a title is a real one with about
   half its words swapped for other title words, authors recombine the corpus's first
   names and surnames, an abstract reshuffles a real abstract with a third of its
   words replaced (`synthetic_library.py`).
2. Builds the index with the real pipeline (`Library.index()`: loaders, catalog,
   chunking, manifest, Chroma, BM25), except that document vectors are the normalised
   mean of real model vectors of their words (every vocabulary word embedded by the
   real int8 model), because embedding 100k abstracts on 2 shared cores takes most of
   an hour on a busy machine. That time is measured separately: real `ra index` on the
   first `--real-papers` papers, and the full build time is estimated from its rate.
   `--real-build` builds the whole library with the real `ra index` instead (about 9
   minutes for 100k papers on an idle 2-core machine).
3. In a fresh process (so RSS is the searcher's own): opens the 100k index as `ra`
   does and times hybrid search with the real int8 query model over the dev questions
   plus queries naming a synthetic paper's title or author (the lookup paths); p50,
   p95 and peak RSS; the sample corpus's p50 in the same process.
4. `ra index` with nothing changed, as a whole process, at 100k chunks.
5. With --chroma-server: the same search figures against `chroma run` serving the
   index's Chroma directory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from synthetic_library import WORD, synthetic_papers, write_bib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RA = str(ROOT / ".venv" / "bin" / "ra")
QUESTIONS = ROOT / "benchmarks" / "data" / "dev_questions.jsonl"


# --- 2. the build ---------------------------------------------------------------------


class WordMeanEmbeddings:
    """Document vectors as the normalised mean of real model vectors of their words.

    Same space as the real model's query vectors, clustered like real text, and
    about 1000x cheaper than running the model on each abstract.
    """

    def __init__(self, model: Any, words: list[str]) -> None:
        import numpy as np

        self.index = {w: i for i, w in enumerate(words)}
        self.vectors = np.asarray(model.embed_documents(words), dtype=np.float32)
        self.model = model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = [self.index[w] for w in WORD.findall(text.lower()) if w in self.index]
            if ids:
                out[row] = self.vectors[ids].mean(axis=0)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def build(papers: list[dict[str, Any]], data_dir: Path, corpus: Path) -> dict[str, Any]:
    """Index `corpus` into `data_dir` with the real pipeline and word-mean vectors."""
    from assistant.library import Library
    from assistant.settings import Settings

    library = Library(Settings(data_dir=data_dir, corpus=str(corpus)))
    real = library.embeddings
    words = sorted(
        {w for p in papers[:20000] for w in WORD.findall(f"{p['title']} {p['abstract']}".lower())}
    )
    start = time.perf_counter()
    library.__dict__["embeddings"] = WordMeanEmbeddings(real, words)
    words_s = time.perf_counter() - start
    start = time.perf_counter()
    summary = library.index()
    return {
        "papers": summary.papers,
        "chunks": summary.chunks,
        "vocabulary_words": len(words),
        "word_vectors_s": round(words_s, 1),
        "pipeline_s": round(time.perf_counter() - start, 1),
    }


def real_index_rate(papers: list[dict[str, Any]], n: int, tmp: Path) -> dict[str, Any]:
    """Real `ra index` (whole process, real int8 model) on the first `n` papers."""
    corpus = tmp / "real-corpus"
    write_bib(papers[:n], corpus)
    env = {**os.environ, "RA_DATA_DIR": str(tmp / "real-data"), "RA_CORPUS": str(corpus)}
    # the exported model is shared, so the export is not part of the timing
    env["RA_MODELS_DIR"] = str(tmp / "models")
    start = time.perf_counter()
    subprocess.run([RA, "index"], env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return {"papers": n, "seconds": round(seconds, 1), "papers_per_s": round(n / seconds, 1)}


def real_build(data_dir: Path, corpus: Path, models: Path) -> dict[str, Any]:
    """The whole library through the real `ra index` (whole process, real int8 model)."""
    import resource

    env = {**os.environ, "RA_DATA_DIR": str(data_dir), "RA_CORPUS": str(corpus)}
    env["RA_MODELS_DIR"] = str(models)
    start = time.perf_counter()
    out = subprocess.run([RA, "index", "--json"], env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    summary = json.loads(out.stdout)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return {
        "seconds": round(seconds, 1),
        "chunks": summary.get("chunks"),
        "chunks_per_s": round((summary.get("chunks") or 0) / seconds, 1),
        "peak_rss_mb": peak,
    }


# --- 3. search, in a fresh process ------------------------------------------------------

CHILD = r"""
import json, os, statistics, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from assistant.library import Library
from assistant.settings import Settings

def measure(library, queries):
    start = time.perf_counter()
    searcher = library.searcher()
    open_s = time.perf_counter() - start
    for q in queries[:5]:
        searcher.search(q)
    times = []
    for q in queries:
        start = time.perf_counter()
        searcher.search(q)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {{"open_s": round(open_s, 2), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "queries": len(times)}}

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return round(int(line.split()[1]) / 1024)

queries = json.loads(Path({queries!r}).read_text())
out = {{}}
big = Library(Settings(data_dir=Path({big!r}), corpus={corpus!r}, chroma_url={url!r}))
out["big"] = measure(big, queries["big"])
out["big"]["peak_rss_mb"] = rss_mb()
sample = Library(Settings(data_dir=Path({sample!r}), corpus={sample_corpus!r}))
out["sample"] = measure(sample, queries["sample"])
print(json.dumps(out))
"""


def search_figures(
    big: Path, corpus: Path, sample: Path, queries: Path, url: str | None, models: Path
) -> dict[str, Any]:
    code = CHILD.format(
        root=str(ROOT),
        big=str(big),
        corpus=str(corpus),
        sample=str(sample),
        sample_corpus=str(ROOT / "corpus"),
        queries=str(queries),
        url=url,
    )
    env = {**os.environ, "RA_MODELS_DIR": str(models)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def queries_for(papers: list[dict[str, Any]], seed: int = 3) -> dict[str, list[str]]:
    dev = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line]
    rng = random.Random(seed)
    named = []
    for _ in range(50):
        p = rng.choice(papers)
        named.append(f"what does {p['title']} find")
        named.append(f"papers by {rng.choice(p['authors'])} on {p['title'].split()[-1]}")
    return {"big": dev + named, "sample": dev}


# --- 4. no-op re-index, 5. chroma server --------------------------------------------------


def noop_index(data_dir: Path, corpus: Path, runs: int = 3) -> list[float]:
    env = {**os.environ, "RA_DATA_DIR": str(data_dir), "RA_CORPUS": str(corpus)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([RA, "index", "--json"], env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode != 0 or json.loads(out.stdout)["added"]:
            raise RuntimeError(f"no-op index changed something: {out.stdout} {out.stderr}")
    return times


def chroma_server(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = str(ROOT / ".venv" / "bin" / "chroma")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("chroma run did not answer")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--real-papers", type=int, default=2000)
    parser.add_argument("--chroma-server", action="store_true")
    parser.add_argument("--keep", type=Path, help="build here and keep it (reused if present)")
    parser.add_argument(
        "--real-build",
        action="store_true",
        help="build the big index with the real `ra index` and model, not stand-in vectors",
    )
    args = parser.parse_args()

    figures: dict[str, Any] = {"papers_asked": args.papers}
    tmp = Path(tempfile.mkdtemp(prefix="ra-scale-"))
    work = args.keep or tmp
    try:
        corpus, big, sample = work / "corpus", work / "big", work / "sample"
        models = work / "models"
        os.environ["RA_MODELS_DIR"] = str(models)
        start = time.perf_counter()
        papers = synthetic_papers(args.papers)
        if not (big / "indexes").exists():
            files = write_bib(papers, corpus)
            figures["generate_s"] = round(time.perf_counter() - start, 1)
            figures["bib_mb"] = round(sum(f.stat().st_size for f in files) / 2**20)
            print(f"generated {len(papers)} papers in {len(files)} .bib files", flush=True)
            if args.real_build:
                figures["build"] = real_build(big, corpus, models)
            else:
                figures["build"] = build(papers, big, corpus)
            print(f"build: {figures['build']}", flush=True)
        if args.real_papers:
            figures["real_index"] = real_index_rate(papers, args.real_papers, tmp)
            rate = figures["real_index"]["papers_per_s"]
            figures["real_build_estimate_min"] = round(args.papers / rate / 60, 1)
            print(f"real `ra index`: {figures['real_index']}", flush=True)
        from assistant.library import Library
        from assistant.settings import Settings

        if not (sample / "indexes").exists():
            Library(Settings(data_dir=sample, corpus=str(ROOT / "corpus"))).index()
        qfile = work / "queries.json"
        qfile.write_text(json.dumps(queries_for(papers)))
        figures["search"] = search_figures(big, corpus, sample, qfile, None, models)
        print(f"search (embedded Chroma): {figures['search']}", flush=True)
        figures["noop_index_s"] = [round(t, 2) for t in noop_index(big, corpus)]
        print(f"no-op `ra index` at {args.papers} papers: {figures['noop_index_s']} s", flush=True)
        if args.chroma_server:
            proc, url = chroma_server(big / "chroma")
            try:
                figures["search_server"] = search_figures(big, corpus, sample, qfile, url, models)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            print(f"search (chroma run): {figures['search_server']}", flush=True)
        figures["load_average_end"] = os.getloadavg()[0]
        print(json.dumps(figures))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
