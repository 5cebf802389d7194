"""Embedding routes against sentence-transformers fp32: throughput and retrieval recall.

Run: .venv/bin/python benchmarks/bench_embed.py [--skip-pdfs] [--json OUT]

In one process, on the same texts (the sample corpus's chunks):
1. texts/s of raw `SentenceTransformer.encode` (fp32, torch, batch 16, as the index
   used before) and of each ONNX route through the path `ra index` uses;
2. recall@10 and MRR on benchmarks/data/dev_questions.jsonl (hybrid and dense) with an
   index built by each: sentence-transformers fp32 as the reference;
3. with ../shared/pdfs, recall@10 on its questions: a question counts as found when a
   top-10 hybrid hit comes from its PDF (file) and from its page (page).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = ROOT / "benchmarks" / "data" / "dev_questions.jsonl"
PDFS = ROOT.parent / "shared" / "pdfs"


def library_with(data_dir: Path, corpus: Path, embeddings: Any, embeddings_id: str) -> Any:
    """A Library whose embeddings are `embeddings`, indexed into its own directory."""
    from assistant.library import Library
    from assistant.settings import Settings

    library = Library(Settings(data_dir=data_dir, corpus=str(corpus)))
    library.__dict__["embeddings"] = embeddings
    library.__dict__["embeddings_id"] = embeddings_id
    return library


def throughput(texts: list[str], encode: Any, repeat: int = 2) -> float:
    """Best texts/s of `repeat` runs (the first run also warms caches)."""
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        encode(texts)
        best = max(best, len(texts) / (time.perf_counter() - start))
    return best


def pdf_recall(searcher: Any, path: Path) -> dict[str, float]:
    questions = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    hits = searcher.search_many([q["question"] for q in questions], k=10)
    file_ok = page_ok = 0
    for q, hs in zip(questions, hits, strict=True):
        same_file = [h for h in hs if Path(h.chunk.file).name == q["file"]]
        file_ok += bool(same_file)
        page_ok += any(h.chunk.page == q.get("page") for h in same_file)
    n = len(questions)
    return {"n": n, "file@10": round(file_ok / n, 4), "page@10": round(page_ok / n, 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-pdfs", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    from retrieval.catalog import build_catalog
    from retrieval.chunking import catalog_chunks
    from retrieval.embeddings import LOCAL_MAX_TOKENS, embeddings_id
    from retrieval.evaluation import evaluate, load_questions
    from retrieval.onnx_embeddings import OnnxEmbeddings, cores
    from retrieval.st_embeddings import LocalEmbeddings

    corpus = ROOT / "corpus"
    texts = [c.embed_text for c in catalog_chunks(build_catalog([corpus]))]
    questions = load_questions(QUESTIONS)
    figures: dict[str, Any] = {"texts": len(texts), "cores": cores(), "routes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp) / "models"
        reference = LocalEmbeddings()
        raw = reference._model()
        routes: dict[str, Any] = {"st-fp32": reference}
        start = time.perf_counter()
        for route in ("fp32", "int8"):
            routes[f"onnx-{route}"] = OnnxEmbeddings(models, route, max_tokens=LOCAL_MAX_TOKENS)
            routes[f"onnx-{route}"].embed_query("export and load outside the timing")
        figures["export_s"] = round(time.perf_counter() - start, 1)

        def st_encode(batch: list[str]) -> Any:
            return raw.encode(batch, batch_size=reference.batch_size, normalize_embeddings=True)

        raw_rate = throughput(texts, st_encode)
        print(f"{len(texts)} chunk texts, {cores()} cores (machine shared with other jobs)")
        print(f"  sentence-transformers fp32 encode: {raw_rate:.1f} texts/s")
        for name, model in routes.items():
            rate = raw_rate if name == "st-fp32" else throughput(texts, model.embed_documents)
            figures["routes"][name] = {"texts_per_s": round(rate, 1), "ratio": rate / raw_rate}
            print(f"  {name}: {rate:.1f} texts/s = {rate / raw_rate:.2f}x raw fp32")

        for name, model in routes.items():
            route_id = embeddings_id("local", None) + f"-{name}"
            library = library_with(Path(tmp) / name, corpus, model, route_id)
            library.index()
            report = evaluate(library.searcher(), questions, ["hybrid", "dense"])["modes"]
            entry = figures["routes"][name]
            for mode in ("hybrid", "dense"):
                entry[f"dev_{mode}_recall@10"] = report[mode]["recall@10"]
                entry[f"dev_{mode}_mrr"] = report[mode]["mrr"]
            print(
                f"  {name}: dev recall@10 hybrid {report['hybrid']['recall@10']:.3f} "
                f"(MRR {report['hybrid']['mrr']:.3f}), dense {report['dense']['recall@10']:.3f} "
                f"(MRR {report['dense']['mrr']:.3f})"
            )
            if not args.skip_pdfs and PDFS.is_dir():
                pdf_lib = library_with(Path(tmp) / f"pdf-{name}", PDFS, model, route_id)
                start = time.perf_counter()
                summary = pdf_lib.index()
                seconds = time.perf_counter() - start
                pdf = pdf_recall(pdf_lib.searcher(), PDFS / "questions.jsonl")
                entry["pdf"] = {**pdf, "chunks": summary.chunks, "index_s": round(seconds, 1)}
                print(
                    f"  {name}: PDF questions (n={pdf['n']}) file@10 {pdf['file@10']:.3f}, "
                    f"page@10 {pdf['page@10']:.3f}; indexed {summary.chunks} PDF chunks "
                    f"in {seconds:.0f} s ({summary.chunks / seconds:.0f} chunks/s)"
                )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
