"""Test doubles: an embedding model whose vectors come from the words of the text.

Texts that share words get similar vectors, so tests can assert rankings without
loading torch. Same idea as simonw/llm's embedding fakes.
"""

from __future__ import annotations

import hashlib
import math

from langchain_core.embeddings import Embeddings

from retrieval.terms import content_words

DIM = 256


class WordOverlapEmbeddings(Embeddings):
    """Bag of hashed words, L2-normalized; counts the texts it embeds."""

    def __init__(self) -> None:
        self.embedded = 0
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * DIM
        for word in content_words(text):
            stem = word[:6]
            vec[int(hashlib.md5(stem.encode()).hexdigest(), 16) % DIM] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
