"""Every similarity threshold of the answering code, in one place, per embedding model.

Cosine similarities are on a different scale for each embedding model (OpenAI's
text-embedding-3 vectors sit lower and closer together than MiniLM's), so a threshold
tuned for one model means something else for another. Each model the assistant knows
gets its own row; a model without a row uses the default row, which is MiniLM's, and
`ra eval answers` on your own questions is how to check or calibrate it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs the answering code applies to one embedding model's similarities."""

    # Below this, the nearest passage is too far from the question to answer from,
    # unless its words say otherwise (a rare name, a section heading).
    min_similarity: float
    # At or above this, the passages are near enough that a few absent words do not
    # make the question unanswerable.
    near_similarity: float
    # A cited sentence whose best window of the cited passage is less similar than
    # this is marked weakly supported, `[n?]`.
    weak_support: float
    calibrated_on: str


# Calibrated on benchmarks/data/answers_tune.jsonl and ../shared/devsets/questions.jsonl
# with the sample corpus (benchmarks/RESULTS.md, "Answers (issue 13)").
MINILM = Thresholds(
    min_similarity=0.25,
    near_similarity=0.40,
    weak_support=0.35,
    calibrated_on="all-MiniLM-L6-v2, sample corpus dev sets",
)
BY_MODEL: dict[str, Thresholds] = {"all-minilm-l6-v2": MINILM}
DEFAULT = MINILM


def thresholds_for(model_name: str | None) -> Thresholds:
    """The row for an embedding model ('all-MiniLM-L6-v2', 'local-all-minilm-l6-v2-128')."""
    if model_name:
        name = model_name.lower()
        for key, row in BY_MODEL.items():
            if key in name:
                return row
    return DEFAULT
