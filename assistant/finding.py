"""Finding an answer's sources, and what the whole corpus tells the checks.

One search over the corpus, reordered for what the question is: the paper that
introduces an idea first (assistant/origin.py), nobody else's first-person bio for a
question in the first person (assistant/speaker.py), a person's papers for a question
about their works (assistant/works_of.py), each named file's best passages for a
question that names files (assistant/named_sources.py). The corpus-wide lookups the
answer checks use (terms, titles, names, venues, the researcher's own names) are built
once per index, here.
"""

from __future__ import annotations

from functools import cached_property

from assistant.catalog_terms import CatalogTerms, SourceFile, acronyms_in
from assistant.extractive import Vocabulary
from assistant.grounding import CorpusReferences
from assistant.named_sources import files_named, joined_hits
from assistant.offline_answer import Lookups
from assistant.origin import is_origin_question, origin_name, prefer_origin
from assistant.profile import profile_files
from assistant.speaker import own_voice_first, researcher_names
from assistant.spelling import Speller
from assistant.thresholds import Thresholds
from assistant.titles import TitleIndex
from assistant.works_of import AuthorIndex, works_asked, works_of
from retrieval.hybrid import Hit, HybridSearcher
from retrieval.terms import STOPWORDS
from retrieval.text import normalize_title


class Finder:
    """The sources of an answer from one searcher, and the corpus's lookups."""

    def __init__(
        self, searcher: HybridSearcher, thresholds: Thresholds, profile_globs: str | None = None
    ) -> None:
        self.searcher = searcher
        self.thresholds = thresholds
        self.profile_globs = profile_globs  # RA_PROFILE: the files that say who "I" is

    @cached_property
    def vocabulary(self) -> Vocabulary:
        chunks = self.searcher.chunks.values()
        return Vocabulary.build((c.text for c in chunks), (c.file for c in chunks))

    @cached_property
    def speller(self) -> Speller:
        texts = [c.text for c in self.searcher.chunks.values()]
        return Speller(texts + [c.title for c in self.searcher.chunks.values()])

    @cached_property
    def titles(self) -> TitleIndex:
        return TitleIndex(self.searcher.catalog, [c.text for c in self.searcher.chunks.values()])

    @cached_property
    def references(self) -> CorpusReferences:
        """The URLs, identifiers and names of the corpus, to flag a model's invented ones."""
        papers = self.searcher.catalog.papers
        texts = [c.text for c in self.searcher.chunks.values()]
        texts += [link.url for p in papers for link in p.links]
        return CorpusReferences(texts, (a for p in papers for a in p.authors))

    @cached_property
    def me(self) -> frozenset[str]:
        """The researcher's names: the owners of the profile files (the CV, the statement)."""
        catalog = self.searcher.catalog
        return researcher_names(catalog, profile_files(catalog, self.profile_globs))

    @cached_property
    def authors(self) -> AuthorIndex:
        return AuthorIndex.build(self.searcher.catalog)

    @cached_property
    def files(self) -> list[SourceFile]:
        """The corpus's files with the words that name them ('the feed', 'my CV')."""
        return self.catalog_terms.sources

    @cached_property
    def lookups(self) -> Lookups:
        papers = self.searcher.catalog.papers
        venues = frozenset(normalize_title(p.venue) for p in papers if p.venue)
        return Lookups(
            self.vocabulary,
            self.titles,
            self.thresholds,
            self.people,
            self.authors,
            venues,
            self.me,
            tuple(self.files),
        )

    @cached_property
    def people(self) -> frozenset[str]:
        """The words of the corpus's author names, lower case, that name no common word
        ('he', 'long' and 'can' are surnames too): who a 'who' question may be answered by."""
        names = self.references.names
        return frozenset(n for n in names if len(n) > 2 and n not in STOPWORDS)

    @cached_property
    def catalog_terms(self) -> CatalogTerms:
        return CatalogTerms(self.searcher.catalog)

    def spelled(self, name: str) -> str | None:
        """An acronym spelled out as the corpus defines it: 'SAM' -> 'sharpness-aware
        minimization'; None for a name that is no acronym the corpus defines."""
        return self.catalog_terms.expand(name) if acronyms_in(name) == [name.strip()] else None

    def hits(self, question: str, k: int) -> tuple[list[Hit], list[Hit]]:
        """The search's hits, and the `k` to answer from: the papers of the people whose
        works the question asks for, or the best of each file it names; then the rest."""
        # An origin question looks deeper: the introducing paper often ranks below the
        # follow-ups that repeat its name.
        depth = k * 2 if is_origin_question(question) else k
        found = self.searcher.search(question, k=depth)
        # ... and searches for the name alone: a long question about a follow-up ('The
        # feed has a variant of SAM: what is the original SAM paper?') ranks the original
        # below them, and its absence must not be concluded from that.
        name = origin_name(question) if depth > k else None
        if name is not None:
            seen = {h.key for h in found}
            query = " ".join(filter(None, (name, self.spelled(name))))
            found += [h for h in self.searcher.search(query, k=k) if h.key not in seen]
        hits = own_voice_first(question, prefer_origin(question, found, self.vocabulary), self.me)
        # A question about someone's papers lists them: the author filter finds those
        # that share no other word with the question.
        names = works_asked(question, self.authors)
        works = works_of(self.searcher, question, names, k) if names else []
        listed = {h.key for h in works}
        if works:
            return found, (works + [h for h in hits if h.key not in listed])[:k]
        # A question joining two files takes the best of each in turn.
        files = files_named(question, self.files)
        return found, joined_hits(self.searcher, question, files, hits, k)[:k]
