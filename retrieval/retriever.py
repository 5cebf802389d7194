"""The hybrid search as a LangChain retriever, so chains and agents can use it.

Each document is the best chunk of one paper or section, with the metadata a chain
needs to cite it: paper id, title, source file and line, kind, year, score.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.hybrid import Filters, Hit, HybridSearcher, Mode


class PaperRetriever(BaseRetriever):
    """`HybridSearcher.search` behind LangChain's retriever interface."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 8
    mode: Mode = "hybrid"
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            hit_document(hit)
            for hit in self.searcher.search(query, k=self.k, mode=self.mode, filters=self.filters)
        ]


def hit_document(hit: Hit) -> Document:
    """A search hit as a LangChain `Document`."""
    chunk = hit.chunk
    metadata = {
        "paper_id": chunk.paper_id,
        "title": hit.title,
        "file": chunk.file,
        "line": chunk.line,
        "kind": chunk.kind,
        "year": chunk.year,
        "score": hit.score,
    }
    if hit.paper is not None:
        metadata["bibkey"] = hit.paper.bibkey
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.id)
