"""What every answer builder reads: the corpus, the question analyser, the matcher and searcher,
the rules and the checklist map, and today's date (for validity notes). Built once per index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.corpus.loader import Corpus
from assistant.corpus.maps import Stage
from assistant.rules.book import RuleBook
from assistant.search.matching import Matcher
from assistant.search.query import Analyzer
from assistant.search.searcher import Searcher


@dataclass(frozen=True)
class Context:
    corpus: Corpus
    analyzer: Analyzer
    matcher: Matcher
    searcher: Searcher
    rules: RuleBook
    stages: list[Stage]   # lifecycle stages (corpus/checklist.yaml)
    topics: list[Stage]   # comparison topics (corpus/topics.yaml)
    today: date
    # Orders each city's relevant clauses (answers.ranking): the fitted model, or None for the
    # rule-based order (stating clauses first, then retrieval order).
    ranker: object | None = None
