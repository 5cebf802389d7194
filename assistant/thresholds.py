"""Every similarity threshold, in one place, per embedding model.

Cosine similarities are on a different scale for each embedding model (OpenAI's
text-embedding-3 vectors sit lower and closer together than MiniLM's), so a threshold
tuned for one model means something else for another. Each model the assistant knows
gets its own row: the answering code's floors and weak-support cut, and the cut that
chooses papers for reading lists and drafts (`SelectionCut`). A model without a row
gets `DEFAULT`: MiniLM's answer cuts, and a selection cut that is relative only (no
floor), since its scale is unknown. `ra eval answers` and `ra eval writing` on your
own files are how to check or calibrate a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SelectionCut:
    """How reading lists and drafts keep candidates (`assistant.selection`)."""

    # Keep a paper whose relevance is within `margin` of the `reference`-th best
    # candidate's, and whose cosine with the request itself is at least `floor`.
    floor: float
    margin: float
    reference: int = 3
    # How much the fused search rank adds to relevance when ordering (0..1 scaled).
    rank_weight: float = 0.2
    # Pseudo-relevance feedback: relevance mixes the cosine with the request and the
    # cosine with the centre of the `feedback` best candidates (weight on the centre).
    feedback: int = 5
    feedback_weight: float = 0.5
    # Added to the relevance of a paper a curated list files under the topic asked for.
    topic_bonus: float = 0.05
    # A paper leaves when its similarity to an excluded subject comes this close to its
    # relevance to the request.
    exclude_margin: float = 0.05
    # Subtracted from relevance, times the share of the words a query's best candidates
    # share that the paper lacks, for every query (`assistant.agreement`); 0 turns it off.
    agreement_weight: float = 0.0


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs applied to one embedding model's similarities."""

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
    selection: SelectionCut = SelectionCut(floor=0.0, margin=0.20)


# Answers: calibrated on benchmarks/data/answers_tune.jsonl and
# ../shared/devsets/questions.jsonl ("Answers (issue 13)" in benchmarks/RESULTS.md).
# Selection: a grid search on the tuning half of ../shared/devsets/writing.jsonl and
# benchmarks/data/writing_own.jsonl ("Reading lists ... (issue 12)").
MINILM = Thresholds(
    min_similarity=0.25,
    near_similarity=0.40,
    weak_support=0.35,
    calibrated_on="all-MiniLM-L6-v2, sample corpus dev sets",
    # Re-tuned for the int8 ONNX route (the default since issue 16): the centre weighs
    # less and the search rank more than for fp32 (0.5 and 0.2 there).
    # The agreement weight was chosen with drafts of up to 15 papers (issue 12, second
    # round): 0.15-0.5 give the same figures; without it a look-alike enters at 12.
    selection=SelectionCut(
        floor=0.40, margin=0.20, rank_weight=0.3, feedback_weight=0.3, agreement_weight=0.2
    ),
)
BY_MODEL: dict[str, Thresholds] = {"all-minilm-l6-v2": MINILM}
DEFAULT = Thresholds(
    min_similarity=MINILM.min_similarity,
    near_similarity=MINILM.near_similarity,
    weak_support=MINILM.weak_support,
    calibrated_on="not calibrated: MiniLM's answer cuts, a relative selection cut",
)
# The local models are MiniLM whichever runtime embeds with them.
_LOCAL_CLASSES = {"OnnxEmbeddings": "all-MiniLM-L6-v2", "LocalEmbeddings": "all-MiniLM-L6-v2"}


def model_of(embeddings: Any) -> str | None:
    """The name of the model behind an embeddings object, when it says or is ours."""
    for attribute in ("model_name", "model"):
        name = getattr(embeddings, attribute, None)
        if isinstance(name, str):
            return name
    return _LOCAL_CLASSES.get(type(embeddings).__name__)


def thresholds_for(model_name: str | None) -> Thresholds:
    """The row for an embedding model ('all-MiniLM-L6-v2', 'local-all-minilm-l6-v2-128')."""
    if model_name:
        name = model_name.lower()
        for key, row in BY_MODEL.items():
            if key in name:
                return row
    return DEFAULT
