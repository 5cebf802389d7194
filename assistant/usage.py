"""What one LLM reply used: its tokens, their cost, and whether it was cut short.

Plain data shared by the answer, the writing tasks and the history, kept apart from
the LLM client (`assistant.llm`) so that none of them needs the client to describe a
reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# finish_reason values that mean the model stopped before its answer was finished.
TRUNCATING = frozenset({"length", "content_filter"})
# USD per million tokens (input, output), for the cost line; unknown models show tokens only.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


@dataclass(frozen=True)
class Usage:
    """Tokens one answer used, and its cost when the model's price is known."""

    input_tokens: int
    output_tokens: int
    cost_usd: float | None = None
    # True when the server reported no usage and the tokens were counted locally.
    estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def to_json(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "cost_usd": self.cost_usd,
            "estimated": self.estimated,
        }

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None or other.cost_usd is None
            else self.cost_usd + other.cost_usd
        )
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            cost,
            self.estimated or other.estimated,
        )


def usage_of(metadata: dict[str, Any] | None, model: str) -> Usage | None:
    """Usage from LangChain's `usage_metadata`, priced if the model is in `PRICES`."""
    if not metadata:
        return None
    return priced(
        int(metadata.get("input_tokens") or 0), int(metadata.get("output_tokens") or 0), model
    )


def priced(tokens_in: int, tokens_out: int, model: str, *, estimated: bool = False) -> Usage:
    """Usage with its cost when `model` has a known price; None cost otherwise."""
    price = PRICES.get(model)
    cost = None
    if price is not None:
        cost = round((tokens_in * price[0] + tokens_out * price[1]) / 1_000_000, 6)
    return Usage(tokens_in, tokens_out, cost, estimated)


def estimated_usage(prompt: list[str], answer: str, model: str) -> Usage:
    """Usage counted locally, for a server that reported none; marked estimated."""
    from assistant.token_estimate import estimate_prompt_tokens, estimate_tokens

    return priced(estimate_prompt_tokens(prompt), estimate_tokens(answer), model, estimated=True)


def usage_line(usage: Usage) -> str:
    """'1,234 tokens · $0.0012' or '~1,234 tokens (estimated)', as CLI and TUI show it."""
    tokens = (
        f"~{usage.total_tokens:,} tokens (estimated)"
        if usage.estimated
        else (f"{usage.total_tokens:,} tokens")
    )
    cost = f" · ${usage.cost_usd:.4f}" if usage.cost_usd is not None else ""
    return tokens + cost
