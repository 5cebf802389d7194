"""The one terms module: BM25, offline answers, selection, profile and triage agree."""

from __future__ import annotations

import ast
from pathlib import Path

from assistant import extractive, grouping, profile
from retrieval import lexical, terms
from retrieval.terms import STOPWORDS, content_words, idf, stem

ROOT = Path(__file__).resolve().parent.parent


def test_snowball_stems_meet_across_forms() -> None:
    assert stem("pruning") == stem("pruned") == stem("prune")
    assert stem("networks") == stem("network")
    assert stem("mentoring") == stem("mentor")
    # The old prefix stemmer cut both to 'transf': different words stay apart.
    assert stem("transformers") != stem("transfer")
    assert stem("gpt4") == "gpt4"


def test_an_agent_noun_meets_its_verb() -> None:
    """'Who advised me?' meets 'Advisor: Prof. ...' in BM25 and in the answer checks."""
    assert stem("advisor") == stem("advised") == stem("advising")
    assert stem("supervisor") == stem("supervised")
    assert stem("creator") == stem("created") and stem("predictor") == stem("predicted")
    # short bases keep their '-or': 'factor' is not 'fact', 'vector' not 'vect'
    assert stem("factor") != stem("fact") and stem("vector") == "vector"


def test_acronym_plurals_and_contractions() -> None:
    assert content_words("How do LLMs use GPUs?") == ["llm", "use", "gpu"]
    assert content_words("I'm meeting every author") == ["meeting", "author"]


def test_every_user_gets_the_same_terms() -> None:
    text = "Pruned LLMs generalize"
    assert lexical.tokenize(text) == extractive.terms(text) == terms.terms(text)
    assert grouping.stems(text) == terms.terms(text)
    assert extractive.stem is grouping.stem is profile.stem is terms.stem


def test_idf_is_one_formula() -> None:
    vocab = extractive.Vocabulary.build(["pruning networks", "networks", "networks"])
    assert vocab.idf(stem("pruning")) == idf(1, 3) > vocab.idf(stem("networks")) == idf(3, 3)


def test_no_private_stop_word_list_or_stemmer() -> None:
    """Only retrieval/terms.py defines STOPWORDS, a stem() or a tokenizer's stemmer."""
    offenders = []
    for path in [*ROOT.glob("retrieval/*.py"), *ROOT.glob("assistant/**/*.py")]:
        if path.name == "terms.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "stem":
                offenders.append(f"{path.name}: def stem")
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(n.upper() in {"STOPWORDS", "STOP_WORDS"} for n in names):
                    offenders.append(f"{path.name}: {names}")
    assert offenders == []
    assert "every" in STOPWORDS and "first" not in STOPWORDS


def test_a_topic_is_known_by_any_two_consecutive_words_of_its_name() -> None:
    from retrieval.query_hints import topic_aliases
    from retrieval.records import Paper

    papers = [
        Paper(
            title="Routers for a sparse mixture of experts",
            topic="Sparse Mixture of Expert Routers",
        ),
        Paper(title="Expert routing at scale", topic="Sparse Mixture of Expert Routers"),
    ] + [Paper(title=f"Unrelated paper {i}", topic="Others") for i in range(5)]
    aliases = dict(topic_aliases(papers))
    for alias in ("sparse mixture", "mixture expert", "expert routers", "mixture expert routers"):
        assert aliases[alias] == "Sparse Mixture of Expert Routers"
    assert "sparse mixture of expert routers" in aliases
    assert "routers" not in aliases  # one word alone names no topic
    assert "others" not in aliases  # a filing label (no paper uses its name) names none


def test_a_filing_label_names_no_theme() -> None:
    """'Others' files papers, it is no subject: found by measure (none of its papers use
    the word), and a reading list's themes are then not named after it."""
    from assistant.grouping import group_papers
    from retrieval.query_hints import filing_labels
    from retrieval.records import Paper

    papers = [
        Paper(
            title=f"Sparse routing study {i}",
            year=2020 + i,
            keywords=("Mixture of Experts",),
            topic="Others",
        )
        for i in range(4)
    ] + [
        Paper(title=f"Grokking in transformers {i}", year=2021, topic="Grokking") for i in range(3)
    ]
    labels = filing_labels(papers)
    assert labels == {"Others"}
    names = {g.name for g in group_papers(papers, "sparse routing", labels)}
    assert "Others" not in names and "Mixture of experts" in names
    assert "Others" in {
        g.name for g in group_papers(papers, "sparse routing")
    }  # without the labels
