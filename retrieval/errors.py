"""Errors the retrieval layer raises for problems a user can fix, and `RaError`, the
root of every such error in the app (here, in the lowest layer, so that every layer
can subclass it).

Each message is one sentence saying what to do; the CLI and TUI show it as it is.
"""


class RaError(Exception):
    """A problem the user can fix, not a bug: `advice` is the one sentence that says
    what to do, which the CLI prints (exit status 1) and the TUI shows, without a
    traceback. Anything else that escapes is a bug and keeps its traceback."""

    @property
    def advice(self) -> str:
        return str(self)


class RetrievalError(RaError):
    """Base class: a user-fixable problem with the corpus, the index or a server."""


class IndexBusy(RetrievalError):
    """Another process holds the index lock."""


class IndexMissing(RetrievalError):
    """There is no complete index to search yet."""


class EmbeddingsUnavailable(RetrievalError):
    """The embedding model cannot be loaded."""
