"""Vector arithmetic on embeddings, kept in plain Python: the vectors compared per
request are few (a request's queries against a few dozen candidates), and plain lists
spare every caller a numpy conversion."""

from __future__ import annotations

import math
from collections.abc import Sequence


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """The cosine of the angle between `a` and `b`; 0.0 when either is all zeros.

    ([1, 0], [1, 1]) -> 0.7071...
    """
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
