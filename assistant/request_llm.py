"""Reading a request with the LLM: the model fills the `Request` structure as JSON.

Only the fields the model is good at are taken from it (task, topic, queries and the
constraints said in words); the source files stay the offline reader's, because only
the catalog knows their names. A reply that is not valid JSON for the structure
returns None, and the caller keeps the offline reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from assistant.llm_json import parse_reply
from assistant.phrasing import Audience, Task
from prompts import load_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.request import Request


class LlmReading(BaseModel):
    """What the model may say about a request."""

    task: Task
    topic: str = ""
    queries: list[str] = []
    n: int | None = None
    year_min: int | None = None
    year_max: int | None = None
    exclude: list[str] = []
    audience: Audience | None = None
    for_me: bool = False
    abstract: str | None = None


def read_with_llm(llm: BaseChatModel, text: str, offline: Request) -> Request | None:
    """The request as the model reads it, or None when its reply does not validate."""
    prompt = load_prompt("read_request").format(request=text.replace("<<<", "‹‹‹"))
    reply = str(llm.invoke(prompt).content).strip()
    reading = parse_reply(reply, LlmReading)
    if reading is None:
        return None
    try:
        queries = [q for q in reading.queries if q.strip()][:6] or offline.queries
        # The offline reading's own class: `assistant.request` imports this module, so
        # importing `Request` back would make a cycle.
        return type(offline).model_validate(
            {
                **offline.model_dump(),
                **reading.model_dump(exclude={"queries"}),
                "text": offline.text,
                "queries": queries,
                "topic": reading.topic.strip() or offline.topic,
            }
        )
    except ValidationError:
        return None
