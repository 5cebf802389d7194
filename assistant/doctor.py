"""`ra doctor`: every part the assistant needs, checked, each with OK or what to fix."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from assistant.library import Library
from assistant.llm import describe_mode, explain_llm_error, llm_configured
from retrieval.errors import RetrievalError
from retrieval.indexer import file_changes
from retrieval.loaders import LoadResult, load_corpus
from retrieval.manifest import Manifest, load_manifest


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # works, but worth knowing


def run_checks(library: Library) -> list[Check]:
    """All checks, in the order a user would fix them."""
    # The corpus is read once, reusing the manifest's parses, for both checks below.
    manifest = load_manifest(library.layout.manifest, library.embeddings_id)
    loaded = load_corpus(
        library.roots, max_file_mb=library.settings.max_file_mb, cache=manifest.cache()
    )
    return [
        _configuration(library),
        _data_dir(library),
        _corpus(library, loaded),
        _index(manifest, loaded),
        _embeddings(library),
        _chroma(library),
        _llm(library),
    ]


def _configuration(library: Library) -> Check:
    s = library.settings
    return Check("configuration", True, f"{describe_mode(s)}; embeddings {library.embeddings_id}")


def _data_dir(library: Library) -> Check:
    path = library.settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as exc:
        return Check(
            "data directory",
            False,
            f"{path} is not writable ({exc.strerror}): fix its permissions or set RA_DATA_DIR.",
        )
    return Check("data directory", True, str(path))


def _corpus(library: Library, loaded: LoadResult) -> Check:
    if not loaded.files:
        return Check(
            "corpus", False, "nothing could be read: point RA_CORPUS or --corpus at your papers."
        )
    detail = f"{len(loaded.files)} files from {', '.join(str(r) for r in library.roots)}"
    if loaded.skipped:
        return Check(
            "corpus",
            True,
            f"{detail}; {len(loaded.skipped)} skipped (see `ra corpus`)",
            warning=True,
        )
    return Check("corpus", True, detail)


def _index(manifest: Manifest, loaded: LoadResult) -> Check:
    if manifest.status != "complete":
        state = "was interrupted" if manifest.status == "building" else "does not exist yet"
        return Check("index", False, f"the index {state}: run `ra index`.")
    changes = file_changes(manifest, loaded.files)
    changed = changes.added + changes.updated + changes.removed
    detail = f"{manifest.papers} papers, {manifest.chunks} chunks"
    if changed:
        return Check(
            "index", True, f"{detail}; {changed} files changed since: run `ra index`.", warning=True
        )
    return Check("index", True, f"{detail}, up to date")


def _embeddings(library: Library) -> Check:
    try:
        vector = library.embeddings.embed_query("doctor")
    except RetrievalError as exc:
        return Check("embedding model", False, str(exc))
    except Exception as exc:
        return Check(
            "embedding model",
            False,
            f"the embedding model failed ({type(exc).__name__}): check RA_EMBEDDINGS.",
        )
    return Check("embedding model", True, f"{library.embeddings_id}, {len(vector)} dimensions")


def _chroma(library: Library) -> Check:
    where = library.settings.chroma_url or str(library.layout.chroma)
    try:
        count = library.open_store().count()
    except RetrievalError as exc:
        return Check("chroma", False, str(exc))
    return Check("chroma", True, f"{count} chunks at {where}")


def _llm(library: Library) -> Check:
    settings = library.settings
    if not llm_configured(settings):
        return Check(
            "llm",
            True,
            "none configured: answers are extractive (set OPENAI_API_KEY or RA_LLM_BASE_URL).",
            warning=True,
        )
    from assistant.llm import build_chat_model

    try:
        model = build_chat_model(settings, max_retries=0)
        model.bind(max_tokens=1).invoke("Reply with OK.")
    except Exception as exc:
        return Check("llm", False, explain_llm_error(exc, settings))
    where = settings.llm_base_url or "OpenAI"
    return Check("llm", True, f"{settings.llm_model} at {where} answered")


def env_summary() -> str:
    """Which RA_* variables are set (names only: values may hold secrets)."""
    names = sorted(n for n in os.environ if n.startswith("RA_") or n == "OPENAI_API_KEY")
    return ", ".join(names) or "none"
