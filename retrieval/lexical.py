"""The lexical index: BM25 over chunk texts with bm25s, saved beside the Chroma files.

Local Chroma 1.5 refuses its own sparse/BM25 index, so BM25 lives here. Tokens are the
terms of retrieval/terms.py (folded words without stop words, Snowball-stemmed, so
'pruning', 'pruned' and 'prune' meet), the same terms the offline answers weigh;
documents and queries go through the same function. Saving writes a new directory and renames it into place, so a crash
leaves the old index or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval import terms as terms_module
from retrieval.atomic import replacing_directory
from retrieval.errors import RetrievalError
from retrieval.terms import terms

_IDS_FILE = "ids.json"
# Which tokenizer built the index: a new version of `ra` that stems differently must not
# search old tokens with new ones (every stemmed word would silently miss).
_TOKENIZER_FILE = "tokenizer.json"


@cache
def tokenizer_fingerprint() -> str:
    """A hash of the code that makes BM25's tokens (retrieval/terms.py)."""
    return hashlib.sha256(Path(terms_module.__file__).read_bytes()).hexdigest()[:16]


class LexicalIndexError(RetrievalError):
    """The saved BM25 index is missing or unreadable."""


def tokenize(text: str) -> list[str]:
    """BM25's tokens: the terms of retrieval/terms.py. 'The Pruned networks' -> ['prune', 'network']"""
    return terms(text)


class LexicalIndex:
    """BM25 over chunk ids and texts."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._position: dict[str, int] = {}
        self._bm25: Any = None

    def __len__(self) -> int:
        return len(self.ids)

    def build(self, ids: list[str], texts: list[str]) -> None:
        import bm25s

        self.ids = list(ids)
        self._position = {cid: i for i, cid in enumerate(self.ids)}
        self._bm25 = bm25s.BM25()
        if self.ids:
            self._bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)

    def search(
        self, query: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """The `k` best chunk ids with positive BM25 scores, optionally only `allowed` ones."""
        if not self.ids or self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        tokens = [t for t in dict.fromkeys(tokenize(query)) if t in vocab]
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[[self._position[c] for c in allowed if c in self._position]] = True
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, directory: Path) -> None:
        """Write atomically: a temp directory renamed over the old one."""
        with replacing_directory(directory) as tmp:
            if self._bm25 is not None and self.ids:
                self._bm25.save(str(tmp), show_progress=False)
            (tmp / _IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")
            (tmp / _TOKENIZER_FILE).write_text(
                json.dumps({"tokenizer": tokenizer_fingerprint()}), encoding="utf-8"
            )

    @staticmethod
    def current(directory: Path) -> bool:
        """Whether the index in `directory` was built with this version's tokens."""
        try:
            saved = json.loads((directory / _TOKENIZER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(saved, dict) and saved.get("tokenizer") == tokenizer_fingerprint()

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """A saved index; `LexicalIndexError` if it is missing or damaged."""
        import bm25s

        index = cls()
        if directory.exists() and not cls.current(directory):
            raise LexicalIndexError(
                f"The BM25 index in {directory} was built by another version of ra: "
                "run `ra index` to rebuild it."
            )
        try:
            index.ids = json.loads((directory / _IDS_FILE).read_text(encoding="utf-8"))
            if index.ids:
                index._bm25 = bm25s.BM25.load(str(directory), show_progress=False)
        except (OSError, ValueError, KeyError) as exc:
            raise LexicalIndexError(
                f"The BM25 index in {directory} is missing or damaged ({type(exc).__name__}): "
                "run `ra index` to rebuild it."
            ) from None
        index._position = {cid: i for i, cid in enumerate(index.ids)}
        return index
