"""Whose words answer a question asked in the first person.

'Who advised my PhD?' is asked by the researcher whose CV and statement the corpus
holds; a publication page of someone else, with its bio written in the first person ('I
was advised by ...'), answers it with the wrong person's advisor. The researcher is the
owner of the profile files' sections (assistant/profile.py); sections that other people
wrote about themselves answer a first-person question only when it names them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.catalog import Catalog
from retrieval.hybrid import Hit

# 'I', and 'i' as people type it ("which journals have i refereed for?"), not the '(i)'
# of an enumeration
_FIRST_PERSON = re.compile(r"\bI\b|(?<!\()\bi\b(?!\))|\b[Mm](?:y|e|ine|yself)\b")


def is_first_person(question: str) -> bool:
    """'What did I propose?' -> True; 'What does Bhojanapalli propose?' -> False."""
    return bool(_FIRST_PERSON.search(question))


def researcher_names(catalog: Catalog, profile_files: Sequence[str]) -> frozenset[str]:
    """The owners of the profile files' sections: who 'I' is."""
    chosen = set(profile_files)
    return frozenset(s.owner for s in catalog.sections if s.owner and s.source.file in chosen)


def own_voice_first(question: str, hits: Sequence[Hit], me: frozenset[str]) -> list[Hit]:
    """The hits without other people's profile sections when the question says 'I' or
    'my' and does not name them; unchanged otherwise, or when the researcher is not
    known. 'Who advised my PhD?' is not answered by another researcher's bio."""
    if not me or not is_first_person(question):
        return list(hits)
    named = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]+", question)}

    def other_voice(hit: Hit) -> bool:
        owners = set(hit.chunk.authors)
        if hit.chunk.kind != "profile" or not owners or owners & me:
            return False
        return not any(w.lower() in named for o in owners for w in o.split() if len(w) > 2)

    return [h for h in hits if not other_voice(h)]
