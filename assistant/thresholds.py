"""Similarity thresholds, in one place, calibrated per embedding model.

Cosine similarities have a different scale for each embedding model: two related
abstracts score about 0.5 with MiniLM and higher with OpenAI's models. Every cut
that compares a similarity with a number reads it from the `Calibration` of the
model in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Calibration:
    """Cuts for one embedding model."""

    name: str
    # Selection (reading lists, drafts): keep a paper whose relevance is within
    # `margin` of the `reference`-th best candidate's and at least `floor`.
    floor: float
    margin: float
    # How much the fused search rank adds to relevance when ordering (0..1 scaled).
    rank_weight: float
    # Added to the relevance of a paper a curated list files under the topic asked for.
    reference: int = 3
    # Pseudo-relevance feedback: relevance mixes the request's cosine with the cosine to
    # the centre of the `feedback` best candidates, with this weight on the centre.
    feedback: int = 5
    feedback_weight: float = 0.5
    topic_bonus: float = 0.05
    # A paper leaves when its similarity to an excluded subject comes this close to
    # its relevance to the request.
    exclude_margin: float = 0.05


# all-MiniLM-L6-v2, measured on benchmarks/data/writing_dev.jsonl and the tuning half
# of ../shared/devsets/writing.jsonl (see benchmarks/RESULTS.md).
MINILM = Calibration("all-MiniLM-L6-v2", floor=0.40, margin=0.20, rank_weight=0.2)
# OpenAI text-embedding-3-*: not measured here (no network); similarities run higher
# and closer together, so the margin is narrower. Treat as a starting point.
OPENAI = Calibration("openai", floor=0.45, margin=0.12, rank_weight=0.2)


# Any other embedding model: its scale is unknown, so only the relative margin cuts.
UNCALIBRATED = Calibration("uncalibrated", floor=0.0, margin=0.20, rank_weight=0.2)


def calibration_for(embeddings: Any) -> Calibration:
    """The calibration of the embedding model behind `embeddings`."""
    name = type(embeddings).__name__.lower() if embeddings is not None else ""
    if "openai" in name:
        return OPENAI
    if "local" in name or "minilm" in name or "onnx" in name:
        return MINILM
    return UNCALIBRATED
