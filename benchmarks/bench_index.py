"""Index and search speed on the sample corpus, and search at 100k synthetic chunks.

Run: .venv/bin/python benchmarks/bench_index.py [--skip-100k]

Measures, in one run on this machine:
1. cold `ra index` as a whole process (target < 20 s);
2. the in-process index throughput (default ONNX int8 route) against raw
   sentence-transformers fp32 `encode` on the same chunk texts (target >= 2x);
3. `ra index` with nothing changed, as a whole process (target < 2 s);
4. warm hybrid search p50 over the dev questions (target < 25 ms);
5. hybrid search p50 with 100k synthetic chunks (target < 60 ms): random unit
   vectors in Chroma and texts drawn from the corpus vocabulary in BM25, queried
   with real query embeddings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RA = str(ROOT / ".venv" / "bin" / "ra")
QUESTIONS = ROOT / "benchmarks" / "data" / "dev_questions.jsonl"


def run_ra(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([RA, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def p50_ms(fn, items) -> float:  # type: ignore[no-untyped-def]
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-100k", action="store_true")
    args = parser.parse_args()

    from assistant.library import Library
    from assistant.settings import Settings

    questions = [
        json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line
    ]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "RA_DATA_DIR": f"{tmp}/cold", "RA_CORPUS": str(ROOT / "corpus")}
        cold = run_ra(["index"], env)
        unchanged = statistics.median(run_ra(["index"], env) for _ in range(3))
        print(f"cold `ra index` (whole process): {cold:.1f} s (target < 20 s)")
        print(
            f"`ra index`, nothing changed (whole process, median of 3): {unchanged:.2f} s (target < 2 s)"
        )

        settings = Settings(data_dir=Path(tmp) / "warm", corpus=str(ROOT / "corpus"))
        library = Library(settings)
        library.embeddings.embed_query("warm up the model")  # load outside the timing
        start = time.perf_counter()
        summary = library.index()
        index_s = time.perf_counter() - start
        from retrieval.chunking import catalog_chunks
        from retrieval.st_embeddings import LocalEmbeddings

        texts = [c.embed_text for c in catalog_chunks(library.catalog())]
        reference = LocalEmbeddings()  # sentence-transformers fp32, the raw baseline
        model = reference._model()
        start = time.perf_counter()
        model.encode(texts, batch_size=reference.batch_size, normalize_embeddings=True)
        raw_s = time.perf_counter() - start
        print(
            f"in-process index of {summary.chunks} chunks: {index_s:.1f} s "
            f"({summary.chunks / index_s:.0f} chunks/s); raw sentence-transformers fp32 encode "
            f"of the same texts: {raw_s:.1f} s ({len(texts) / raw_s:.0f} chunks/s); index "
            f"throughput = {raw_s / index_s:.2f}x raw fp32 (target >= 2x)"
        )

        searcher = library.searcher()
        for q in questions[:5]:
            searcher.search(q)
        print(
            f"hybrid search p50, warm, {len(questions)} dev questions: {p50_ms(searcher.search, questions):.1f} ms (target < 25 ms)"
        )
        for mode in ("dense", "bm25"):
            ms = p50_ms(lambda q, m=mode: searcher.search(q, mode=m), questions)
            print(f"  {mode} only: {ms:.1f} ms")

        if not args.skip_100k:
            bench_100k(Path(tmp) / "big", library, questions)


def bench_100k(path: Path, library, questions: list[str]) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from retrieval.catalog import Catalog
    from retrieval.hybrid import HybridSearcher
    from retrieval.lexical import LexicalIndex
    from retrieval.records import Chunk
    from retrieval.vectorstore import ChunkStore

    n = 100_000
    rng = random.Random(7)
    vocab = sorted(
        {w for c in library.catalog().papers for w in c.title.lower().split() if w.isalpha()}
    )
    chunks = [
        Chunk(
            id=f"s{i}",
            text=" ".join(rng.choices(vocab, k=60)),
            kind="document",
            file=f"synthetic{i // 1000}.txt",
            line=i % 1000 + 1,
            title=f"synthetic {i}",
        )
        for i in range(n)
    ]
    vectors = np.random.default_rng(7).standard_normal((n, 384)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    start = time.perf_counter()
    store = ChunkStore.open("bench-100k", path=path / "chroma")
    store.upsert(chunks, vectors.tolist())
    lexical = LexicalIndex()
    lexical.build([c.id for c in chunks], [c.text for c in chunks])
    print(f"built 100k synthetic chunks (Chroma + BM25) in {time.perf_counter() - start:.0f} s")
    searcher = HybridSearcher(
        Catalog(papers=[], sections=[]),
        chunks,
        store=store,
        lexical=lexical,
        embeddings=library.embeddings,
    )
    for q in questions[:5]:
        searcher.search(q)
    print(
        f"hybrid search p50 at 100k chunks: {p50_ms(searcher.search, questions):.1f} ms (target < 60 ms)"
    )


if __name__ == "__main__":
    main()
