"""A local token count for servers that report no usage (llama.cpp ignores
`stream_options.include_usage`), so tokens are shown, labelled as estimated.

Offline on purpose: tiktoken would download its encoding at first use, and each model
has its own tokenizer anyway. The estimate follows how BPE tokenizers split text:
a short Latin word is one token, a long one a token per ~8 characters, each
punctuation mark one, and letters of scripts without spaces (CJK) about one each.
Simplified on purpose: no per-model vocabulary; expect tens of percent of error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Chat formats wrap every message in a few tokens of their own (role, separators).
MESSAGE_OVERHEAD = 4
_PIECE = re.compile(r"\w+|[^\w\s]")


def estimate_tokens(text: str) -> int:
    """Tokens in `text`, estimated: "Neural collapse, explained." -> 6 (explained: 9 letters, two)."""
    count = 0
    for piece in _PIECE.findall(text):
        if piece.isascii():
            count += 1 + (len(piece) - 1) // 8
        else:
            count += len(piece)  # a run of CJK characters has no spaces to split it
    return count


def estimate_prompt_tokens(messages: Iterable[str]) -> int:
    """Tokens of a chat prompt made of these message texts, framing included."""
    return sum(estimate_tokens(text) + MESSAGE_OVERHEAD for text in messages)
