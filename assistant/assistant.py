"""The assistant: search, ask, show, check, checklist — the one entry point the CLI, API, UI and
evals call. A small facade: the work is done by the parts under corpus/, search/, rules/ and
answers/, which it builds once per index and hands a shared Context."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Sequence

from assistant.answers.ask import answer as route_answer
from assistant.answers.checklist import Checklist, build_checklist
from assistant.answers.context import Context
from assistant.answers.ranking import Ranker
from assistant.answers.followup import carry_over, stage_words
from assistant.answers.lookup import referenced
from assistant.answers.notes import catalog_dates
from assistant.answers.records import Answer
from assistant.corpus.catalog import LEXICON_DIR, TOPICS_FILE, load_catalog
from assistant.corpus.loader import Corpus
from assistant.corpus.maps import load_stages
from assistant.corpus.model import DocMeta, Hit, Part
from assistant.errors import IndexNotBuilt, NotFound
from assistant.rules.book import load_rules
from assistant.rules.evaluate import RuleConclusion, check, check_every
from assistant.rules.facts import Facts, extract_facts
from assistant.rules.guard import guard
from assistant.search.embedders import Embedder, make_embedder
from assistant.search.index import Index, Progress, build_index, expected_manifest, load_index, make_tokenizer
from assistant.search.matching import Matcher
from assistant.search.query import Analyzer
from assistant.search.retrievers import Mode
from assistant.search.scope import Scope, resolve_city
from assistant.search.searcher import Options, Searcher
from assistant.search.tokenizer import Tokenizer

log = logging.getLogger(__name__)

__all__ = ["Assistant", "Options", "Scope"]


class Assistant:
    def __init__(self, index: Index, tokenizer: Tokenizer, embedder: Embedder | None,
                 options: Options = Options(), today: date | None = None):
        self.index = index
        self.corpus: Corpus = index.corpus
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.options = options
        self.today = today or date.today()
        lexicon = self.corpus.catalog.root / LEXICON_DIR
        corpus_text = "".join(d.source for d in self.corpus.documents.values())
        self.analyzer = Analyzer(self.corpus.catalog, tokenizer, lexicon if lexicon.is_dir() else None,
                                 corpus_text)
        self.matcher = Matcher(index, tokenizer, self.analyzer.synonyms)
        self.searcher = Searcher(index, tokenizer, embedder, self.matcher, options)
        self.rules = load_rules(self.corpus)
        self.context = Context(self.corpus, self.analyzer, self.matcher, self.searcher, self.rules,
                               load_stages(self.corpus),
                               load_stages(self.corpus, TOPICS_FILE, key="topics", name="topic"), self.today,
                               Ranker.load() if options.ranker else None)
        # Lifecycle stages last: "验收" carries over as the stage 验收, not the topic 验收材料.
        self.stage_words = stage_words([*self.context.topics, *self.context.stages])

    # -- construction ---------------------------------------------------------------------

    def with_options(self, **changes) -> "Assistant":
        """The same index with other options (for ablations): Assistant.with_options(mode=Mode.BM25)."""
        return Assistant(self.index, self.tokenizer, self.embedder, replace(self.options, **changes), self.today)

    @classmethod
    def open(cls, corpus_dir: Path, index_dir: Path, embedder: str | None = None,
             options: Options = Options(), rebuild: bool = True, progress: Progress | None = None,
             today: date | None = None, chroma_url: str | None = None, cache_dir: Path | None = None) -> "Assistant":
        """Load the index for `corpus_dir`, building it first when missing or stale (rebuild=True).
        `chroma_url`: vectors in a `chroma run` server instead of the embedded store."""
        emb = make_embedder(embedder, cache_dir)
        catalog = load_catalog(corpus_dir)
        tokenizer = make_tokenizer(catalog)
        expected = expected_manifest(catalog, tokenizer, emb, chroma_url)
        try:
            index = load_index(index_dir, expected, chroma_url)
        except IndexNotBuilt as exc:
            if not rebuild:
                raise
            log.info("building index: %s", exc)
            build_index(corpus_dir, index_dir, tokenizer, emb, progress=progress or (lambda *a: None),
                        chroma_url=chroma_url)
            index = load_index(index_dir, expected, chroma_url)
        # The manifest matched, so the build's lexicon is this one: the same tokenizer serves.
        return cls(index, tokenizer, emb, options, today)

    # -- scope ----------------------------------------------------------------------------

    @property
    def hybrid(self):
        return self.searcher.hybrid

    @property
    def version(self) -> str:
        """What a generated file says it was made from: the corpus fingerprint and the build's time."""
        manifest = self.index.manifest
        return f"{str(manifest.get('corpus_hash', ''))[:12]}（索引构建于 {manifest.get('built_at', '未知')}）"

    def scope(self, city: str) -> Scope:
        """Resolve a city in any spelling, once (NotFound names what the corpus holds). A doc_id
        needs no resolving: Scope((doc_id,))."""
        return resolve_city(self.analyzer, self.corpus.catalog, city)

    def _doc_ids(self, analysis, city: str | None, scope: Scope | None, routing: bool | None) -> tuple[str, ...]:
        if scope is not None:
            return scope.doc_ids
        if city:
            return self.scope(city).doc_ids
        routing = self.options.routing if routing is None else routing
        return analysis.doc_ids if routing else ()

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, city: str | None = None, mode: Mode | None = None,
               routing: bool | None = None, rerank: bool | None = None, scope: Scope | None = None) -> list[Hit]:
        analysis = self.analyzer.analyze(query)
        doc_ids = self._doc_ids(analysis, city, scope, routing)
        hits = self.searcher.search(analysis, k, doc_ids, mode, rerank)
        if doc_ids:
            # A clause whose quantitative rule the question's project falls under governs it.
            facts = extract_facts(query, list(analysis.quantities))
            governing = [self.corpus.by_id(c.rule.clause_id) for c in check(self.rules, doc_ids, facts, analysis.question)]
            hits = self._lead_with(governing, hits, k)
        named = referenced(self.context, analysis, doc_ids)
        if len(named) > 1:
            # Several clauses named at once (附件4): the question's other words pick the order.
            rank = {h.clause.id: i for i, h in enumerate(
                self.searcher.search(analysis, len(self.index.clauses), doc_ids, Mode.BM25))}
            named.sort(key=lambda c: rank.get(c.id, len(rank)))
        # A clause named by reference (第三十一条, 附件4) is the answer: it leads the list.
        return self._lead_with(named, hits, k)

    def _lead_with(self, clauses: list[Part], hits: list[Hit], k: int) -> list[Hit]:
        if not clauses:
            return hits
        lead_hits = [Hit(clause=c, meta=self.corpus.documents[c.doc_id].meta, score=1.0)
                     for c in dict.fromkeys(clauses)]
        ids = {h.clause.id for h in lead_hits}
        return (lead_hits + [h for h in hits if h.clause.id not in ids])[:max(k, len(lead_hits))]

    # -- ask ------------------------------------------------------------------------------

    def ask(self, question: str, city: str | None = None, scope: Scope | None = None,
            history: Sequence[str] = ()) -> Answer:
        """Answer a question: cited clauses, rule computations for a concrete project, and the
        guard's findings in `checks` (every quantity of the answer checked against its sources).
        `history`: the conversation's earlier questions; what this one omits (the city, the
        stage, everything but a new city) is carried over from them, and the answer says so."""
        carried = carry_over(self.analyzer, self.stage_words, question, history,
                             [s.name for s in self.context.stages]) if city is None and scope is None else None
        if carried is not None and carried.note:
            # What the previous answer cited is what "那条", "具体是哪三张" speak of.
            earlier = [h for h in history if h and h.strip()]
            previous = self.ask(earlier[-1], history=earlier[:-1]) if earlier else None
            cited = tuple(c.clause_id for c in previous.citations) if previous is not None else ()
            answer = self._answer(carried.question, None, None, cited, carried.stage, carried.again)
            text = f"{answer.answer}\n\n（{carried.note}。）"
            return replace(answer, question=question, answer=text)
        return self._answer(question, city, scope)

    def _answer(self, question: str, city: str | None, scope: Scope | None, earlier: tuple[str, ...] = (),
                stage: str | None = None, again: bool = False) -> Answer:
        analysis = self.analyzer.analyze(question)
        if scope is None and city:
            scope = self.scope(city)  # a city parameter the corpus lacks is the caller's error: NotFound
        doc_ids = scope.doc_ids if scope is not None else analysis.doc_ids
        answer = route_answer(self.context, question, analysis, doc_ids, self.options.routing, earlier, stage, again)
        if answer.answerable:
            answer.checks += guard(answer.answer, [(c.clause_id, c.text) for c in answer.citations],
                                   computed=tuple(c.computation for c in answer.checks_of(RuleConclusion)),
                                   also=tuple(self.catalog_dates(c.doc_id) for c in answer.citations))
        return answer

    def check(self, scope: Scope, facts: Facts, question: str = "") -> list[RuleConclusion]:
        """The rule engine for a concrete project: every rule of the documents in scope (all when
        the scope is empty) whose topic the question mentions — or every rule, without a question."""
        doc_ids = scope.doc_ids or tuple(self.corpus.documents)
        return check(self.rules, doc_ids, facts, question) if question else check_every(self.rules, doc_ids, facts)

    def checklist(self, question: str, scope: Scope = Scope(), facts: Facts | None = None) -> Checklist | None:
        """The whole lifecycle for a project, per document (each side by side when none is named)."""
        return build_checklist(self.context, question, scope.doc_ids, facts)

    def catalog_dates(self, doc_id: str) -> str:
        return catalog_dates(self.corpus.documents[doc_id].meta)

    # -- show -----------------------------------------------------------------------------

    def show(self, doc_id: str, label: str) -> tuple[DocMeta, Part]:
        clause = self.corpus.clause(doc_id, label)
        return self.corpus.documents[doc_id].meta, clause
