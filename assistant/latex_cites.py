"""LaTeX citation commands in a draft: their keys, dropping unknown ones, and the
Markdown style's (Author et al., Year) rendering of them."""

from __future__ import annotations

import re

from retrieval.records import Paper
from retrieval.text import surname

# \cite, \citep, \citet, \citealp, \citeauthor..., starred, with up to two [optional] notes.
CITE_COMMAND = re.compile(
    r"\\(cite(?:p|t|alp|alt|author|year)?\*?)((?:\[[^\]]*\]){0,2})\{([^{}]*)\}"
)


def cite_keys(text: str) -> list[str]:
    """Keys of every \\cite, \\citep and \\citet, in order of first use."""
    keys: list[str] = []
    for match in CITE_COMMAND.finditer(text):
        keys += [k.strip() for k in match.group(3).split(",") if k.strip()]
    return list(dict.fromkeys(keys))


def keep_known_keys(text: str, known: set[str]) -> tuple[str, list[str]]:
    """Drop keys that name no selected paper; a citation left empty goes entirely."""
    removed: list[str] = []

    def fix(match: re.Match[str]) -> str:
        keys = [k.strip() for k in match.group(3).split(",") if k.strip()]
        good = [k for k in keys if k in known]
        removed.extend(k for k in keys if k not in known)
        if not good:
            return ""
        return f"\\{match.group(1)}{match.group(2)}{{{','.join(good)}}}"

    cleaned = CITE_COMMAND.sub(fix, text)
    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", cleaned)
    return re.sub(r"[ \t]{2,}", " ", cleaned), list(dict.fromkeys(removed))


def author_year(paper: Paper) -> tuple[str, str]:
    """('Frankle et al.', '2018') for the Markdown style."""
    names = [surname(a) for a in paper.authors if a.strip()]
    if not names:
        who = paper.title.split(":")[0]
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return who, str(paper.year) if paper.year else "n.d."


def render_markdown(text: str, by_key: dict[str, Paper]) -> str:
    """\\citet{a} -> 'Frankle et al. (2018)'; \\citep{a,b} -> '(Frankle et al., 2018; Lee et al., 2019)'."""

    def render(match: re.Match[str]) -> str:
        papers = [by_key[k.strip()] for k in match.group(3).split(",") if k.strip() in by_key]
        pairs = [author_year(p) for p in papers]
        if match.group(1).startswith(("citet", "citealt", "citeauthor")):
            return "; ".join(f"{who} ({year})" for who, year in pairs)
        return "(" + "; ".join(f"{who}, {year}" for who, year in pairs) + ")"

    return CITE_COMMAND.sub(render, text)
