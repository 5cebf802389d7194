"""How a request says its task, read by rules: a reading list, a related-work draft,
triage, the profile or a question (its constraints: assistant/constraints.py).

The patterns here look for the words that name a task ('a reading list on', 'draft the
related work for', 'what's new in the feed'), never for a topic: what is left once the
task and the constraints are cut out is the topic (`assistant.request`).
"""

from __future__ import annotations

import re
from typing import Literal

from retrieval.terms import content_words

Task = Literal["ask", "reading_list", "related_work", "triage", "profile"]
Audience = Literal["newcomer", "expert"]
MAX_N = 50
NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"dozen": 12, "a dozen": 12, "half a dozen": 6, "couple": 2, "a couple": 2, "few": 4}


# --- the task -------------------------------------------------------------------------

NUM = r"(\d{1,2}|" + "|".join(sorted((re.escape(w) for w in NUMBERS), key=len, reverse=True)) + r")"
_ROUTES: tuple[tuple[Task, re.Pattern[str]], ...] = (
    (
        "related_work",
        re.compile(
            r"\brelated[- ]work\b|\blit(?:erature)? review\b|\bbackground section\b"
            r"|\b(?:draft|drafting|write|writing|compose|composing|prepare|preparing)\b[^.?!]{0,60}\b(?:paragraphs?|section|survey)\b"
            r"|\bposition (?:my|our|the) (?:[\w-]+ ){0,2}?(?:paper|work|submission|manuscript)\b"
            r"|\b(?:prior|previous|existing) work (?:section|paragraphs?)\b",
            re.I,
        ),
    ),
    (
        "reading_list",
        re.compile(
            r"\breading[- ]?list\b|\bsyllabus\b|\bwhat to read\b|\bread(?:ing)? up on\b"
            r"|\b(?:should|must|could|can|do) (?:i|we|she|he|they|you|(?:my |our |the |a )?(?:[a-z-]+ )?(?:students?|group|team|lab|class)) (?:start (?:with|by reading)|begin with|(?:start )?(?:read|study))\b"
            r"|\b(?:i|we) (?:should|must|need to|ought to) (?:read|study)\b"
            r"|\b(?:papers?|things) (?:i|we) should read\b|\bpapers? to read\b|\bmust[- ]reads?\b"
            r"|\bget (?:me |us |her |him |them )?up to speed\b"
            r"|\b(?:recommend|suggest|give|find|collect|curate|send|gather|looking for|want|need|compile|assemble|point me to)\b"
            r"(?: [a-z0-9~-]+){0,5}? (?:papers|readings|references)\b"
            r"|\bpapers,? (?:pls|please)\b|^\s*(?:some |any |good |key )?papers (?:on|about|covering)\b"
            r"|\b(?:key|essential|seminal|foundational|classic|must-read|core|good|best|useful) (?:[\w-]+ )?(?:papers|readings|references)\b"
            r"|\b(?:list|set|selection) of (?:papers|readings|references)\b"
            r"|\b(?:suggest|recommend)\w*\s+(?:some |any |good |further )?(?:reading|readings|literature)\b"
            r"|\bpapers?\s+(?:i|we|she|he|they)\s+(?:should|must|need to|ought to)\s+(?:know|read)\b"
            r"|\bwhere (?:should|do|can|would) (?:i|we|one|she|he|they) (?:start|begin)\b"
            r"|\b(?:i|we) (?:should|must|need to|ought to) (?:look at|know about)\b"
            rf"|\b(?:top|best)\s+{NUM}\b(?:\s+[\w()-]+){{0,4}}?\s+(?:papers|readings|references)\b"
            r"|\bpapers?\b[^.?!]{0,40}\b(?:to (?:begin|start) with|to start from)\b",
            re.I,
        ),
    ),
    (
        "triage",
        re.compile(
            r"\btriage\b|\bwhat'?s new\b|\bwhat is new\b|\banything new\b"
            r"|\bnew (?:papers|arrivals|entries|items)\b[^.?!]{0,40}\b(?:for me|my|relevant|worth)\b"
            r"|\b(?:today'?s|this week'?s|latest|recent) (?:papers|feed|arxiv|entries)\b[^.?!]{0,40}\b(?:for me|my|relevant|worth|should i)\b"
            r"|\b(?:rank|sort|filter|skim|go through)\b[^.?!]{0,30}\b(?:feed|new papers|daily papers)\b"
            r"|\b(?:in|from) (?:my|the|today'?s) (?:daily )?(?:feed|arxiv)\b[^.?!]{0,60}\b(?:worth|relevant|for me|given my|should i)\b",
            re.I,
        ),
    ),
    (
        "profile",
        re.compile(
            r"\bmy (?:research )?profile\b"
            r"|\bwhat (?:are|is) my (?:main )?(?:research )?(?:themes|agenda|interests|topics|directions)\b"
            r"|\b(?:summari[sz]e|describe|show|outline|list)\b (?:me )?my (?:research )?(?:agenda|themes|interests|profile|directions)\b"
            r"|\b(?:recap|summari[sz]e|describe|outline)\b[^.?!]{0,50}\bmy (?:research )?(?:agenda|themes|interests|profile|directions)\b",
            re.I,
        ),
    ),
)


def route(text: str) -> Task:
    """The task a request asks for; a question that names no other task is answered."""
    for task, pattern in _ROUTES:
        if pattern.search(text):
            return task
    return "ask"


def cue(text: str, task: Task) -> re.Match[str] | None:
    """Where `text` names `task` ('a reading list', 'related work'), if it does."""
    for name, pattern in _ROUTES:
        if name == task:
            return pattern.search(text)
    return None


def first_words(text: str, words: int = 12) -> str:
    """The start of the first sentence, as a short topic for a pasted abstract."""
    first = re.split(r"(?<=[.?!])\s+", text.strip())[0]
    return " ".join(first.split()[:words]).rstrip(".,;:")


def content_count(text: str) -> int:
    return len(content_words(text))
