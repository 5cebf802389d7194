"""Errors the retrieval layer raises for problems a user can fix.

Each message is one sentence saying what to do; the CLI and TUI show it as it is.
"""


class RetrievalError(Exception):
    """Base class: a user-fixable problem with the corpus, the index or a server."""


class IndexBusy(RetrievalError):
    """Another process holds the index lock."""


class IndexMissing(RetrievalError):
    """There is no complete index to search yet."""


class EmbeddingsUnavailable(RetrievalError):
    """The embedding model cannot be loaded."""
