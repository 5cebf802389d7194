"""What the fake OpenAI server says and records: its scripted replies and faults
(`FakeOpenAI`, `Fault`), the vectors it embeds with and the deltas it streams. The
faults and their effects are tabled in tests/fake_openai.py."""

from __future__ import annotations

import hashlib
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_REPLY = "This is a default answer [1]."
MODEL = "gpt-4o-mini"
EMBEDDING_DIM = 64
DATA = Path(__file__).resolve().parent / "data"
MAX_DELAY_S = 30.0  # a "timeout" fault never holds a handler longer than this
STATUS_KINDS = {"401", "429", "500"}
CONTENT_KINDS = {"cut", "malformed_sse", "empty"}  # only chat completions have content
OTHER_KINDS = {"timeout", "refused", "malformed_json", "malformed"}


@dataclass
class Fault:
    """One scripted failure; see the table in the module docstring."""

    kind: str
    retry_after: float = 0.1  # "429": seconds in the Retry-After header
    delay: float = 5.0  # "timeout": seconds before the reply (capped at MAX_DELAY_S)
    after: int = 2  # "cut": deltas sent before the stream stops
    eof: bool = False  # "cut": end the body cleanly instead of dropping the socket
    path: str | None = None  # only requests whose path contains this

    def matches(self, path: str) -> bool:
        if self.path is not None and self.path not in path:
            return False
        return self.kind not in CONTENT_KINDS or path.endswith("/chat/completions")


@dataclass
class FakeOpenAI:
    """The server's script and record, shared with its handler threads."""

    base_url: str = ""
    replies: list[str | list[Any] | bytes] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    usage: tuple[int, int] = (120, 30)
    send_usage: bool = True  # False: never, even when the client asks (llama.cpp)
    usage_on_finish: bool = False  # usage on the finish chunk instead of a chunk of its own
    rejects: set[str] = field(default_factory=set)  # body fields answered with a 400
    api_key: str | None = None  # None: any bearer token is accepted
    delta_delay: float = 0.0  # seconds before each stream event
    deltas_sent: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enqueue(self, *replies: str | list[Any]) -> None:
        """Queue replies, served in order to chat completions: a text (streamed a word a
        delta) or a list of raw delta contents, sent as they are."""
        with self._lock:
            self.replies.extend(replies)

    def replay(self, name: str) -> bytes:
        """Answer the next chat completion with the recorded bytes of tests/data/NAME."""
        data = (DATA / name).read_bytes()
        with self._lock:
            self.replies.append(data)
        return data

    def fail_next(self, kind: str, times: int = 1, **options: Any) -> None:
        """Make the next `times` matching requests fail as `kind` (see the module docstring).

        fail_next("429", times=2, retry_after=0.2); fail_next("cut", after=3, eof=True)
        """
        known = STATUS_KINDS | CONTENT_KINDS | OTHER_KINDS
        if kind not in known and not (kind.isdigit() and len(kind) == 3):
            raise ValueError(f"unknown fault {kind!r}: use one of {sorted(known)} or a status")
        with self._lock:
            self.faults.extend(Fault(kind, **options) for _ in range(times))

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The bodies of the chat-completion requests received, in order."""
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def _take(self, method: str, path: str, headers: dict[str, str], body: Any) -> Fault | None:
        with self._lock:
            self.requests.append({"method": method, "path": path, "headers": headers, "body": body})
            for i, fault in enumerate(self.faults):
                if fault.matches(path):
                    return self.faults.pop(i)
        return None

    def _reply(self) -> str | list[Any] | bytes:
        with self._lock:
            return self.replies.pop(0) if self.replies else DEFAULT_REPLY


def embed(text: str, dim: int = EMBEDDING_DIM) -> list[float]:
    """The fake's embedding: words hashed into `dim` buckets, counted, unit length.

    Texts sharing words have a positive cosine; a text with no words gets [1, 0, 0, ...].
    """
    vector = [0.0] * dim
    for word in re.findall(r"\w+", text.lower()):
        bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        vector[bucket % dim] += 1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        vector[0] = 1.0
        return vector
    return [v / norm for v in vector]


def deltas(text: str) -> list[str]:
    """The stream pieces of a reply: one word each, with its spaces, joining back exactly.

    "Label smoothing  helps [1]." -> ["Label ", "smoothing  ", "helps ", "[1]."]
    """
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
