"""The chat model class the app builds: LangChain's `ChatOpenAI`, except that a reply
the client cannot read is raised as our `MalformedReply`.

An OpenAI-compatible server can send a body that is not JSON, an SSE line that is not
JSON, or JSON of the wrong shape; the client then raises a bare `ValueError`. Naming
it here, where only the client's code runs, is what lets the rest of the app treat
every other `ValueError` as the bug it is. Imported only when an LLM is configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

from assistant.errors import MalformedReply


@contextmanager
def _reading_the_reply() -> Iterator[None]:
    try:
        yield
    except ValueError as exc:
        raise MalformedReply(
            f"The LLM server's reply could not be read ({type(exc).__name__}: {exc})."
        ) from exc


class CheckedChatOpenAI(ChatOpenAI):
    """`ChatOpenAI` whose unreadable replies raise `MalformedReply`."""

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        with _reading_the_reply():
            return super()._generate(*args, **kwargs)

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        chunks = 0
        with _reading_the_reply():
            for chunk in super()._stream(*args, **kwargs):
                chunks += 1
                yield chunk
        if not chunks:  # LangChain would raise a bare ValueError for an empty stream
            raise MalformedReply("The LLM server's reply held no chunks of an answer.")
