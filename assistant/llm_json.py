"""JSON replies from the LLM, validated by pydantic models.

Models asked for JSON often wrap it in a ```json fence or in a sentence ("Here is the
list: {...}"). `parse_reply` takes the fenced block when there is one, else the JSON
value that starts at the first '{' (trailing prose ignored), and validates it as the
caller's model. A reply that is not one is None: each caller has an offline fallback.
"""

from __future__ import annotations

import json
import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

Reply = TypeVar("Reply", bound=BaseModel)

_FENCED = re.compile(r"```[ \t]*(?:json)?[ \t]*\n(.*?)(?:```|$)", re.S | re.I)
_DECODER = json.JSONDecoder()


def parse_reply(reply: str, model: type[Reply]) -> Reply | None:
    """`reply` as `model`, or None when it holds no JSON object that validates.

    'Sure:\\n```json\\n{"task": "ask"}\\n```' -> model(task='ask')
    """
    fenced = _FENCED.search(reply)
    text = fenced.group(1) if fenced else reply
    start = text.find("{")
    if start < 0:
        return None
    try:
        data, _ = _DECODER.raw_decode(text, start)
        return model.model_validate(data)
    except (json.JSONDecodeError, ValidationError):
        return None
