"""JSON Lines files a user gives `ra eval`: one pydantic model per line, errors by line.

Every evaluation file (retrieval questions, answer questions, writing requests) is
read by `read_rows`, each caller passing the model of its own rows, so an unreadable
file, a bad line and an empty file read the same whatever the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, Field, ValidationError

from retrieval.errors import RetrievalError

Row = TypeVar("Row", bound=BaseModel)


class QuestionRow(BaseModel):
    """What every question file's line holds (retrieval and answers); other keys are
    ignored, so one file can serve both evaluations."""

    question: str
    gold_titles: list[str] = Field(default_factory=list)
    id: str | int | None = None
    type: str = "all"

    def row_id(self, number: int) -> str:
        """The line's id, or 'line7' for line 7 when it gives none."""
        return str(self.id if self.id is not None else f"line{number}")


def read_rows(path: Path, model: type[Row], shape: str, what: str) -> list[tuple[int, Row]]:
    """(line number, row) for each non-blank line of `path`, validated as `model`.

    A line that is not one raises '{path}:{n} is not {shape} ({reason}): fix that line.';
    a file with no rows raises '{path} holds no {what}: ...'.
    """
    try:
        lines = path.expanduser().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise RetrievalError(
            f"Cannot read {path} ({reason}): give a UTF-8 JSON Lines file."
        ) from None
    rows: list[tuple[int, Row]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append((number, model.model_validate_json(line)))
        except ValidationError as exc:
            raise RetrievalError(
                f"{path}:{number} is not {shape} ({_reason(exc)}): fix that line."
            ) from None
    if not rows:
        raise RetrievalError(f"{path} holds no {what}: add one JSON object per line.")
    return rows


def _reason(exc: ValidationError) -> str:
    """ "gold_titles: Field required" from pydantic's first error."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])
