"""How a command gets its `Workspace`: the one wiring root, built from the settings the
root command read, with whatever collaborators `main` was handed (tests pass fakes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.workspace import Workspace

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from retrieval.vectorstore import ChunkStore

# The key under which the root command keeps the collaborators in click's shared `meta`.
COLLABORATORS = "ra.collaborators"


@dataclass(frozen=True)
class Collaborators:
    """What `main` may hand every command instead of building it from the settings."""

    embeddings: Embeddings | None = None
    store: ChunkStore | None = None
    llm: BaseChatModel | None = None


def workspace_for(ctx: typer.Context, corpus: list[Path] | None = None) -> Workspace:
    """The command's workspace (not yet opened): settings from the root command,
    collaborators from `main`, the corpus from `--corpus` when given."""
    root = ctx.find_root()
    given = root.meta.get(COLLABORATORS, Collaborators())
    return Workspace(
        root.obj, corpus, llm=given.llm, embeddings=given.embeddings, store=given.store
    )
