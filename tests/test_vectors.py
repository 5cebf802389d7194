"""The one cosine the selection, triage and citation support share."""

from __future__ import annotations

import math

from assistant.vectors import cosine


def test_cosine_is_scale_free_and_zero_for_a_zero_vector() -> None:
    assert math.isclose(cosine([1.0, 0.0], [1.0, 1.0]), 1 / math.sqrt(2))
    assert math.isclose(cosine([2.0, 4.0], [1.0, 2.0]), 1.0)
    assert math.isclose(cosine([1.0, 0.0], [-3.0, 0.0]), -1.0)
    assert cosine([0.0, 0.0], [1.0, 2.0]) == 0.0
