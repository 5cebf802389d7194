"""The ONNX embedding routes against sentence-transformers fp32, the reference.

The int8 route is judged by what matters, retrieval: on a fixture of the sample
corpus's papers and the dev questions, exact (brute-force) dense recall@10 with int8
vectors must match fp32's within 0.02, and fp32 ONNX must give the reference vectors.
These load the real model, so they are marked slow.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from retrieval.catalog import build_catalog
from retrieval.chunking import catalog_chunks
from retrieval.embeddings import LOCAL_MAX_TOKENS
from retrieval.evaluation import gold_ranks, load_questions
from retrieval.onnx_embeddings import OnnxEmbeddings, model_file
from retrieval.st_embeddings import LocalEmbeddings
from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow


def _models() -> Path:
    return Path(os.environ["RA_MODELS_DIR"])


@cache
def _reference() -> LocalEmbeddings:
    return LocalEmbeddings()


@cache
def _fixture() -> tuple[list[str], list[str], list[tuple[str, ...]], list[str]]:
    """(chunk texts, their titles, gold titles per question, questions): every chunk of a
    paper some dev question asks for, plus 150 other papers as distractors."""
    questions = [
        q for q in load_questions(ROOT / "benchmarks/data/dev_questions.jsonl") if q.gold_titles
    ]
    gold = {t.casefold() for q in questions for t in q.gold_titles}
    chunks = [c for c in catalog_chunks(build_catalog([CORPUS])) if c.kind == "paper"]
    wanted = [c for c in chunks if c.title.casefold() in gold]
    others = [c for c in chunks if c.title.casefold() not in gold][:150]
    picked = wanted + others
    return (
        [c.embed_text for c in picked],
        [c.title for c in picked],
        [q.gold_titles for q in questions],
        [q.question for q in questions],
    )


def _dense_recall(vectors: np.ndarray, queries: np.ndarray) -> float:
    _, titles, gold, _ = _fixture()
    scores = queries @ vectors.T
    recalls = []
    for row, want in zip(scores, gold, strict=True):
        top = [titles[i] for i in np.argsort(-row)[:10]]
        ranks = gold_ranks(top, want)
        recalls.append(sum(r is not None for r in ranks) / len(ranks))
    return float(np.mean(recalls))


def _embed(model: Embeddings, texts: list[str]) -> np.ndarray:
    return np.asarray(model.embed_documents(texts))


def test_int8_recall_matches_fp32_on_the_fixture() -> None:
    texts, _, _, questions = _fixture()
    reference = _dense_recall(_embed(_reference(), texts), _embed(_reference(), questions))
    int8 = OnnxEmbeddings(_models(), "int8", max_tokens=LOCAL_MAX_TOKENS)
    fast = _dense_recall(_embed(int8, texts), _embed(int8, questions))
    assert reference > 0.5  # the fixture is hard enough to tell models apart, not empty
    assert abs(fast - reference) <= 0.02, (fast, reference)


def test_fp32_onnx_gives_the_reference_vectors() -> None:
    texts, _, _, questions = _fixture()
    sample = [*texts[:40], *questions[:10], "x", "word " * 400]  # short, long, truncated
    fp32 = OnnxEmbeddings(_models(), "fp32", max_tokens=LOCAL_MAX_TOKENS)
    ours = _embed(fp32, sample)
    theirs = _embed(_reference(), sample)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.9999
    one = np.asarray(fp32.embed_query(sample[0]))  # a batch of one traces no other shape
    assert float(one @ theirs[0]) > 0.9999


def test_int8_vector_does_not_depend_on_the_batch() -> None:
    texts, *_ = _fixture()
    int8 = OnnxEmbeddings(_models(), "int8", max_tokens=LOCAL_MAX_TOKENS)
    together = _embed(int8, texts[:30])
    alone = np.asarray([int8.embed_query(t) for t in texts[:30]])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)


def test_query_with_an_exported_model_never_imports_torch() -> None:
    OnnxEmbeddings(_models(), "int8").embed_query("export it first if needed")
    assert model_file(_models(), "int8").exists()
    code = (
        "import sys; from pathlib import Path\n"
        "from retrieval.onnx_embeddings import OnnxEmbeddings\n"
        f"v = OnnxEmbeddings(Path({str(_models())!r}), 'int8').embed_query('pruning')\n"
        "print(len(v), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["384", "False", "False"]


def test_two_threads_exporting_at_once_both_get_the_model(tmp_path: Path) -> None:
    """An index run and a question in one process (the TUI) may both find the model
    missing. In a fresh interpreter, two threads importing transformers at once made
    one of them fail with 'needs transformers: run make install'."""
    code = (
        "import sys, threading; from pathlib import Path\n"
        "from retrieval.onnx_embeddings import export_model\n"
        "errors = []\n"
        "def run():\n"
        "    try:\n"
        f"        export_model(Path({str(tmp_path)!r}), 'int8', 128)\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=run) for _ in range(2)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(errors)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
    assert model_file(tmp_path, "int8").exists()
