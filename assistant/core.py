"""The assistant: search, ask, show — the one entry point the CLI, API, UI and evals call."""

from __future__ import annotations

import logging
import math
import re
from difflib import SequenceMatcher
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from .answer import Answer, Citation, cite, refusal, status_note, where
from .catalog import LEXICON_DIR
from .corpus import Corpus
from .engine import Conclusion, Facts, check, extract_facts, guard
from .embed import Embedder, make_embedder
from .errors import IndexNotBuilt, NotFound
from .index import Index, Progress, build_index, expected_manifest, indexed_text, load_index, make_tokenizer
from .catalog import load_catalog
from .model import DocMeta, Hit, Part, PartKind
from .query import Analyzer, QueryAnalysis
from .rules import load_rules, load_stages
from .retrieve import Bm25Retriever, DenseRetriever, HybridRetriever, Mode, Ranked
from .text import fold, int_to_cn, normalize
from .tokenize import Tokenizer, is_common_noun

log = logging.getLogger(__name__)

# Relevance gate, chosen on the evaluation set (evals/): the best clause must carry at least this
# share of the question's IDF mass, and at least this much IDF in absolute terms.
MIN_COVERAGE = 0.4
MIN_MATCHED_IDF = 2.0
MAX_CITATIONS = 4
FOREIGN_MIN_COVERAGE = 0.6
# Weight of a (non-noun) question word the corpus never uses, as a share of the rarest word's IDF.
OOV_WEIGHT = 0.3
_LIST_ITEMS = 10
PHRASE_BONUS = 0.3
SYNONYM_CREDIT = 0.7  # a synonym or the pieces of a compound match a question word this much
RERANK_DEPTH = 8
# 款/项 texts whose tokens are kept for scoring: the hot set of a city-sized corpus, bounded so a
# 100k-clause corpus does not hold every text's tokens (bench/bench.py peak RSS).
TEXT_CACHE = 20_000
PER_CITY_POOL = 60  # with no city named: candidates taken over all cities, then split by city
SECOND_FIT = 0.7      # cite a second clause of the same document at this share of the first's fit
OTHER_CITY_FIT = 0.6  # with no city named, cite another city at this share of the best fit
_SHORT_CLAUSE = 160    # characters: a clause this short is quoted whole
_LONG_PARAGRAPH = 200  # characters: a 款 longer than this is cut to its best sentences
_COMPARATORS = frozenset("小于 大于 低于 高于 超过 不超过 以下 以上 以内 不到 至少 达到 不足 少于 多于 不少于 不低于 "
                         "不满 未满 未达到 及以上 及以下".split())
# "500万以下项目需要什么材料？", "全流程自查": a checklist across the lifecycle (with an amount, or
# when the whole process is asked for).
_CHECKLIST_Q = re.compile(r"(需要|要)(准备|交|提交)?(什么|哪些)(材料|资料|手续|程序|流程)|全流程|全过程|整个流程|自查|要走哪些")
_CHECKLIST_ALL = re.compile(r"全流程|全过程|整个流程|自查|从申报到")
_CHECKLIST_CHARS = 150
_OUTLINE_FRAME = frozenset({"内容", "章节", "部分", "包括", "编写", "编制", "要求"})
_OUTLINE_Q = re.compile(r"(写|包括|包含|编制|有)(哪些|什么)(内容|章节|部分)?|(哪些|什么)(内容|章节)|编写要求|编制要求")
# Words that name one stage of the lifecycle: a question naming one is about that stage.
_STAGE_WORDS = ("申报", "审查", "评审", "论证", "立项", "审批", "采购", "招标", "监理", "合同", "验收", "试运行",
                "运维", "维护", "绩效", "评价")


def _wants_checklist(analysis: QueryAnalysis) -> bool:
    """The whole lifecycle is asked for ("全流程", "自查"), or the materials/steps for a project of
    some amount without naming one stage ("500万以下项目需要什么材料？")."""
    q = analysis.question
    if _CHECKLIST_ALL.search(q):
        return True
    return bool(_CHECKLIST_Q.search(q) and analysis.quantities and not any(w in q for w in _STAGE_WORDS))
_CITY_LEVEL = re.compile(r"本级|市级|省级|全市|全省")
# A question about the document itself, and the clauses that answer it.
_DOCUMENT_Q = re.compile(r"(办法|这个文件|该文件|本文件|这份文件).{0,8}(生效|施行|有效期|有效吗|还有效|废止|失效|过期|"
                         r"现行|征求意见|印发|什么时候(发布|出台|实施|开始))")
_DOCUMENT_CLAUSE = re.compile(r"施行|实施。|有效期|同时废止")
_BASIS_Q = re.compile(r"(制定|出台|定)(这个|本|该)?(办法)?的?(目的|依据|根据)|(依据|根据)(哪些|什么|哪个)(文件|规定|上位)|"
                      r"上位(文件|法)|(这个|本|该)办法.{0,6}(依据|根据|目的)")
_BASIS_CLAUSE = re.compile(r"制定本办法")


def _interleave(lists: list[list[Hit]], k: int) -> list[Hit]:
    """First of every list, then second of every list, … up to rank k."""
    merged: list[Hit] = []
    for rank in range(k):
        merged += [lst[rank] for lst in lists if rank < len(lst)]
    return merged


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
_LABEL_PREFIX = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+条[\s　]*")


@dataclass(frozen=True)
class Options:
    mode: Mode = Mode.HYBRID
    routing: bool = True   # restrict retrieval to the cities a question names
    # RRF weight of the dense list against BM25's 1.0, chosen on the evaluation set
    # (evals/report.md, "dense weight"): USE-m3 alone trails BM25 by ~6 points of hit@5, but
    # fused at 0.5 and reranked it lifts hit@1 and hit@5 above BM25 alone.
    dense_weight: float = 0.5
    # Re-order the first RERANK_DEPTH candidates by how well their best 款/项 fits the question.
    rerank: bool = True


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
        self.rules = load_rules(self.corpus)
        self.stages = load_stages(self.corpus)
        self.bm25 = Bm25Retriever(index, tokenizer)
        self.dense = DenseRetriever(index, embedder) if embedder is not None and index.collection is not None else None
        self.hybrid = (HybridRetriever(self.bm25, self.dense, weights=(1.0, options.dense_weight))
                       if self.dense is not None else None)
        indptr = np.asarray(index.bm25.scores["indptr"])
        n = len(index.passage_rows)  # document frequencies are counted over BM25 passages
        df = np.diff(indptr)
        self._idf = {tok: math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5))
                     for tok, i in index.bm25.vocab_dict.items() if i < len(df)}
        self._max_idf = max(self._idf.values()) if self._idf else 1.0
        self._oov_weight = OOV_WEIGHT * self._max_idf
        self._clause_tokens = lru_cache(maxsize=200_000)(self._tokens_of)
        # Texts scored against questions are the corpus's own 款/项/sentences: tokenise and
        # normalise each once (thread-safe: lru_cache locks its bookkeeping).
        self._text_tokens = lru_cache(maxsize=TEXT_CACHE)(lambda text: frozenset(tokenizer.tokens(text)))
        self._normalized = lru_cache(maxsize=TEXT_CACHE)(normalize)
        # The gate, reranker and lead all weigh the same question: work it out once per analysis.
        self._question_terms = lru_cache(maxsize=1024)(self._question_terms_of)
        self._synonym_tokens = {key: frozenset(t for v in values for t in tokenizer.tokens(v))
                                for key, values in self.analyzer.synonyms.items()}

    # -- construction ---------------------------------------------------------------------

    def with_options(self, **changes) -> "Assistant":
        """The same index with other options (for ablations): Assistant.with_options(mode=Mode.BM25)."""
        return Assistant(self.index, self.tokenizer, self.embedder, replace(self.options, **changes), self.today)

    @classmethod
    def open(cls, corpus_dir: Path, index_dir: Path, embedder: str | None = None,
             options: Options = Options(), rebuild: bool = True, progress: Progress | None = None,
             today: date | None = None, chroma_url: str | None = None) -> "Assistant":
        """Load the index for `corpus_dir`, building it first when missing or stale (rebuild=True).
        `chroma_url`: vectors in a `chroma run` server instead of the embedded store."""
        emb = make_embedder(embedder)
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

    # -- search ---------------------------------------------------------------------------

    def retriever(self, mode: Mode):
        if mode is Mode.BM25:
            return self.bm25
        if self.dense is None:
            raise IndexNotBuilt("this index has no dense vectors — rebuild with an embedder: regassist index")
        return self.dense if mode is Mode.DENSE else self.hybrid

    def _hits(self, ranked: Ranked) -> list[Hit]:
        out = []
        for row, score in ranked:
            clause = self.index.clauses[row]
            out.append(Hit(clause=clause, meta=self.corpus.documents[clause.doc_id].meta, score=score))
        return out

    def resolve_city(self, city: str) -> tuple[str, ...]:
        found = self.analyzer.analyze(city).doc_ids
        if not found:
            known = "、".join(m.city for m in self.corpus.catalog.docs)
            raise NotFound(f"语料库中没有“{city}”的办法。目前收录：{known}")
        return found

    def search(self, query: str, k: int = 5, city: str | None = None, mode: Mode | None = None,
               routing: bool | None = None, rerank: bool | None = None) -> list[Hit]:
        analysis = self.analyzer.analyze(query)
        doc_ids = self._scope(analysis, city, routing)
        hits = self._search(analysis, k, doc_ids, mode or self.options.mode, rerank)
        if doc_ids:
            # A clause whose quantitative rule the question's project falls under governs it.
            facts = extract_facts(query, list(analysis.quantities))
            governing = [self.corpus.by_id(c.rule.clause_id) for c in check(self.rules, doc_ids, facts, analysis.question)]
            if governing:
                ids = {c.id for c in governing}
                lead = [Hit(clause=c, meta=self.corpus.documents[c.doc_id].meta, score=1.0)
                        for c in dict.fromkeys(governing)]
                hits = (lead + [h for h in hits if h.clause.id not in ids])[:max(k, len(lead))]
        referenced_clauses = self._referenced(analysis, doc_ids)
        if len(referenced_clauses) > 1:
            # Several clauses named at once (附件4): the question's other words pick the order.
            rank = {h.clause.id: i for i, h in enumerate(
                self._search(analysis, len(self.index.clauses), doc_ids, Mode.BM25))}
            referenced_clauses.sort(key=lambda c: rank.get(c.id, len(rank)))
        referenced = [Hit(clause=c, meta=self.corpus.documents[c.doc_id].meta, score=1.0)
                      for c in referenced_clauses]
        if referenced:
            # A clause named by reference (第三十一条, 附件4) is the answer: it leads the list.
            ids = {h.clause.id for h in referenced}
            hits = (referenced + [h for h in hits if h.clause.id not in ids])[:max(k, len(referenced))]
        return hits

    def _order_by_question(self, analysis: QueryAnalysis, parts: list[Part]) -> list[Part]:
        """The sections of a referenced attachment: all in order when the question only names it
        ("启东附件4"), else the two that fit the rest of the question best ("附件4验收条件有哪些")."""
        rest = [w for w, _, _ in self._question_terms(analysis) if w not in ("附件",) and not w.isdigit()]
        if len(parts) < 2 or not rest:
            return parts
        score = self._scorer(analysis)
        ranked = sorted(parts, key=lambda c: -self._fit(score, c))
        best = self._fit(score, ranked[0])
        return [c for c in ranked[:2] if self._fit(score, c) >= 0.8 * best] if best > 0 else parts

    def _referenced(self, analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> list[Part]:
        docs = [self.corpus.documents[d] for d in (doc_ids or tuple(self.corpus.documents))]
        out: list[Part] = []
        for ref in analysis.article_refs:
            if 0 < ref.number < 10_000:
                label = f"第{int_to_cn(ref.number)}条"
                out += [c for d in docs for c in d.clauses if c.label == label]
        for number in analysis.attachment_refs:
            out += [c for d in docs for c in d.clauses if c.label.startswith(f"附件{number}")]
        return out

    def _scope(self, analysis: QueryAnalysis, city: str | None, routing: bool | None) -> tuple[str, ...]:
        if city:
            return self.resolve_city(city)
        routing = self.options.routing if routing is None else routing
        return analysis.doc_ids if routing else ()

    def _search(self, analysis: QueryAnalysis, k: int, doc_ids: tuple[str, ...], mode: Mode,
                rerank: bool | None = None, per_city: bool = False) -> list[Hit]:
        retriever = self.retriever(mode)
        rerank = self.options.rerank if rerank is None else rerank
        depth = max(k, RERANK_DEPTH)
        if len(doc_ids) > 1:
            # Every city asked about gets its own list, so none is crowded out.
            lists = [self._rerank(analysis, self._hits(retriever.search(analysis.search_text, depth, (d,))), rerank)
                     for d in doc_ids]
            return _interleave(lists, k)[: max(k, len(doc_ids))]
        if not doc_ids and (analysis.compare or per_city):
            # No city named: one deep list over all cities, split by city (so a corpus of hundreds
            # of cities costs one search, not hundreds), each city's share reranked on its own.
            by_doc: dict[str, list[Hit]] = {}
            for hit in self._hits(retriever.search(analysis.search_text, PER_CITY_POOL, ())):
                by_doc.setdefault(hit.meta.doc_id, []).append(hit)
            lists = [self._rerank(analysis, hits[:depth], rerank) for hits in by_doc.values()]
            return _interleave(lists, k)[: max(k, len(lists))]
        return self._rerank(analysis, self._hits(retriever.search(analysis.search_text, depth, doc_ids)), rerank)[:k]

    # -- relevance ------------------------------------------------------------------------

    def _tokens_of(self, clause_id: str) -> frozenset[str]:
        # With its chapter and section titles: an attachment section is about its attachment.
        return frozenset(self.tokenizer.tokens(indexed_text(self.corpus.by_id(clause_id))))

    @staticmethod
    def _credit(word: str, alts: frozenset[str], pieces: frozenset[str], have: set[str] | frozenset[str]) -> float:
        """How fully a text matches one question word: the word itself or a synonym counts in
        full; its pieces alone (招标 for 招标采购) count for the share of pieces present."""
        if word in have:
            return 1.0
        if (alts - pieces - {word}) & have:
            return SYNONYM_CREDIT
        return SYNONYM_CREDIT * len(pieces & have) / len(pieces) if pieces else 0.0

    def _question_terms_of(self, analysis: QueryAnalysis) -> tuple[tuple[str, float, frozenset[str]], ...]:
        """(word, weight, tokens that count as a match for it). A colloquial word matches its
        synonyms (开发商 → 承建单位); a compound matches its parts (数据三清单 → 三清单)."""
        place_words = {n for m in self.corpus.catalog.docs for n in m.names} | set(analysis.regions)
        terms = []
        seen = set()
        quantities = {q.canonical for q in analysis.quantities}
        for word, parts in self.tokenizer.terms(analysis.question):
            if word in seen or word in quantities or any(word in p or p in word for p in place_words):
                continue  # a number in the question may be a wrong premise: it must not gate
            if quantities and word in _COMPARATORS:
                continue  # "小于100万": the comparison belongs to the number
            seen.add(word)
            alts = {word, *parts}
            for key, syn_tokens in self._synonym_tokens.items():
                if word in key or key in word:
                    alts |= syn_tokens
            known = [self._idf[a] for a in alts if a in self._idf]
            if word in self._idf:
                weight = self._idf[word]
            elif known:
                weight = max(known)
            else:
                # A colloquial word the corpus never uses (建完, 报上去) weighs a little; a noun it
                # never uses stops the answer earlier (foreign_terms).
                weight = self._oov_weight
            if len(word) == 1:
                weight *= 0.5  # single characters (费, 批, 钱) are weak evidence either way
            terms.append((word, weight, frozenset(alts)))
        # A lexicon key made only of stopwords (指的是, 多久) still asks for something: its
        # expansions (所称/是指, any duration) become a term of their own.
        covered = {w for w, _, _ in terms}
        for key, tokens in self._synonym_tokens.items():
            if key in analysis.topic and not any(key in w or w in key for w in covered) and tokens:
                known = [self._idf[t] for t in tokens if t in self._idf]
                if known:
                    terms.append((key, max(known), frozenset(tokens)))
        return tuple(terms)

    def foreign_terms(self, analysis: QueryAnalysis) -> list[str]:
        """Nouns of the question that no document uses, by any spelling the lexicon knows
        (护照, 著作权, 公积金): the corpus does not cover what they name."""
        vocab = self.index.bm25.vocab_dict
        out = []
        for word, parts in self.tokenizer.terms(analysis.question):
            foreign_script = word.isascii() and word.isalpha()  # ICP, Python: no document uses them
            if len(word) < 2 or word in vocab or not (is_common_noun(word) or foreign_script):
                continue
            if any(word in place or place in word for place in analysis.unknown_places):
                continue
            synonyms = set()
            for key, tokens in self._synonym_tokens.items():
                if word in key or key in word:
                    synonyms |= tokens
            if not synonyms & vocab.keys():
                out.append(word)
        return out

    def relevance(self, analysis: QueryAnalysis, clause: Part) -> tuple[float, float]:
        """(coverage, matched idf): how much of the question the clause speaks to."""
        terms = self._question_terms(analysis)
        if not terms:
            return 0.0, 0.0
        have = self._clause_tokens(clause.id)
        total = sum(w for _, w, _ in terms)
        matched = sum(w for _, w, alts in terms if alts & have)
        return matched / total, matched

    def _relevant(self, analysis: QueryAnalysis, hit: Hit, foreign: list[str] = ()) -> bool:
        """The relevance gate. A noun no document uses (护照, 著作权) weighs as much as the rarest
        corpus word and raises the bar to FOREIGN_MIN_COVERAGE: the clause must answer the rest
        of the question well for the answer to stand."""
        coverage, matched = self.relevance(analysis, hit.clause)
        if foreign:
            total = matched / max(coverage, 1e-9) + len(foreign) * (self._max_idf - self._oov_weight)
            coverage = matched / total
            return coverage >= FOREIGN_MIN_COVERAGE and matched >= MIN_MATCHED_IDF
        return coverage >= MIN_COVERAGE and matched >= MIN_MATCHED_IDF

    def best_clauses(self, query: str, doc_id: str, k: int = 2) -> list[tuple[Part, str, str]]:
        """A document's clauses that answer `query` — (clause, label of the part that answers, its
        lead text) — the best one and up to k-1 runners-up that fit nearly as well; empty when no
        clause passes the relevance gate (the document has no provision on it)."""
        analysis = self.analyzer.analyze(query)
        hits = [h for h in self._search(analysis, max(k, 2), (doc_id,), self.options.mode)
                if self._relevant(analysis, h)]
        if not hits:
            return []
        score = self._scorer(analysis)
        best = self._fit(score, hits[0].clause)
        kept = [hits[0]] + [h for h in hits[1:k] if self._fit(score, h.clause) >= SECOND_FIT * best]
        out = []
        for hit in kept:
            label, lead = self._lead(analysis, hit.clause)
            out.append((hit.clause, label, "".join(lead)))
        return out

    def lead(self, query: str, clause: Part) -> tuple[str, str]:
        """The part of `clause` that answers `query`: (its label, its text)."""
        label, lead = self._lead(self.analyzer.analyze(query), clause)
        return label, "".join(lead)

    # -- ask ------------------------------------------------------------------------------

    def ask(self, question: str, city: str | None = None) -> Answer:
        """Answer a question: cited clauses, rule computations for a concrete project, and the
        guard's findings in `checks` (every quantity of the answer checked against its sources)."""
        answer = self._answer(question, city)
        if answer.answerable:
            answer.checks += guard(answer.answer, [(f"{c.doc_id}/{c.article}", c.text) for c in answer.citations],
                                   computed=tuple(c["computation"] for c in answer.checks if c.get("type") == "rule"),
                                   also=tuple(self.catalog_dates(c.doc_id) for c in answer.citations))
        return answer

    def check(self, city: str | None, facts: Facts, question: str = "") -> list[Conclusion]:
        """The rule engine for a concrete project: every rule of the city's document (all cities
        when none is given) whose topic the question mentions — or every rule, without a question."""
        doc_ids = self.resolve_city(city) if city else tuple(self.corpus.documents)
        if question:
            return check(self.rules, doc_ids, facts, question)
        topics = " ".join(t for r in self.rules.for_docs(doc_ids) for t in r.topics)
        return check(self.rules, doc_ids, facts, topics)

    def catalog_dates(self, doc_id: str) -> str:
        meta = self.corpus.documents[doc_id].meta
        return " ".join(f"{d.year}年{d.month}月{d.day}日" for d in (meta.issue_date, meta.effective_date,
                                                                 meta.valid_until) if d)

    def _answer(self, question: str, city: str | None) -> Answer:
        analysis = self.analyzer.analyze(question)
        covered = list(self.corpus.catalog.docs)
        if city:
            try:
                doc_ids = self.resolve_city(city)
            except NotFound as exc:
                return refusal(question, f"{exc}。", [])
        else:
            doc_ids = analysis.doc_ids
        if analysis.unknown_places and not doc_ids:
            places = "、".join(analysis.unknown_places)
            return refusal(question, f"语料库中没有{places}的办法，无法回答。", covered)
        if analysis.regions and not analysis.cities and _CITY_LEVEL.search(analysis.question):
            # "杭州市本级…": the city's own rules, which the corpus does not hold (only a district's).
            regions = "、".join(analysis.regions)
            return refusal(question, f"语料库中没有{regions}本级的办法，无法回答。", covered)
        if analysis.article_refs or analysis.attachment_refs:
            answer = self._lookup(analysis, doc_ids)
            if answer is not None:
                return answer
        if _DOCUMENT_Q.search(analysis.question):
            answer = self._document_answer(analysis, doc_ids, _DOCUMENT_CLAUSE, facts=True)
            if answer is not None:
                return answer
        if _BASIS_Q.search(analysis.question):
            answer = self._document_answer(analysis, doc_ids, _BASIS_CLAUSE, facts=False)
            if answer is not None:
                return answer
        if _wants_checklist(analysis):
            answer = self.checklist(question, doc_ids)
            if answer is not None:
                return answer
        foreign = self.foreign_terms(analysis)
        scope = doc_ids if self.options.routing else ()
        # With no city named, every city is searched on its own: the answer shows each city's
        # rule that fits (labelled), rather than one city's rule as if it were everyone's.
        hits = self._search(analysis, 5, scope, self.options.mode, per_city=self.options.routing)
        relevant = [h for h in hits if self._relevant(analysis, h, foreign)]
        facts = extract_facts(question, list(analysis.quantities))
        rule_scope = doc_ids or tuple(dict.fromkeys(h.meta.doc_id for h in hits))
        conclusions = check(self.rules, rule_scope, facts, analysis.question) if doc_ids else []
        if not relevant and conclusions:
            # The rule engine recognised the project and a provision it falls under: answer with it.
            relevant = [h for h in hits if h.clause.id in {c.rule.clause_id for c in conclusions}] or hits[:1]
        if not relevant and foreign:
            terms = "、".join(f"“{t}”" for t in foreign)
            return refusal(question, f"所收录的办法均未涉及{terms}，无法据此回答。", covered)
        if not relevant:
            return refusal(question, "语料库中没有与该问题直接相关的条款。", covered)
        outline = self._outline(analysis, relevant)
        if outline is not None:
            return outline
        chosen = self._choose(relevant, analysis, doc_ids)
        if not doc_ids:
            conclusions = check(self.rules, tuple(dict.fromkeys(h.meta.doc_id for h in chosen)), facts,
                                analysis.question)
        return self._compose(question, analysis, chosen, conclusions)

    def _choose(self, hits: list[Hit], analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> list[Hit]:
        """The clauses to cite: per city, the best one and a runner-up whose best 款/项 fits the
        question nearly as well (SECOND_FIT); with no city named, only the cities whose best
        clause fits nearly as well as the overall best (OTHER_CITY_FIT)."""
        score = self._scorer(analysis)
        fit = {h.clause.id: self._fit(score, h.clause) for h in hits}
        by_doc: dict[str, list[Hit]] = {}
        for h in hits:
            by_doc.setdefault(h.meta.doc_id, []).append(h)
        chosen: list[Hit] = []
        # Room for a runner-up per city: one city, or a comparison of two (MAX_CITATIONS = 4).
        room = len(by_doc) == 1 or len(doc_ids) == 1 or (analysis.compare and len(by_doc) <= 2)
        for doc_hits in by_doc.values():
            first = doc_hits[0]
            chosen.append(first)
            if room and len(doc_hits) > 1 and fit[doc_hits[1].clause.id] >= SECOND_FIT * fit[first.clause.id]:
                chosen.append(doc_hits[1])
        if not (analysis.compare or doc_ids):
            best = max(fit[h.clause.id] for h in chosen)
            chosen = [h for h in chosen if fit[h.clause.id] >= OTHER_CITY_FIT * best]
        return chosen[:MAX_CITATIONS]

    def _scorer(self, analysis: QueryAnalysis):
        """text → how well it answers the question: words matched (by weight, with partial credit
        for pieces), synonyms a little, and a phrase the user echoes a bonus per character."""
        terms = self._question_terms(analysis)
        extra: set[str] = set()
        for e in analysis.expansions:
            extra |= set(self.tokenizer.tokens(e))
        extra -= {a for _, _, alts in terms for a in alts}  # expansions of a stopword (多久 → #个月)
        pieces = {word: frozenset(p for p in self.tokenizer.tokens(word) if p != word) for word, _, _ in terms}
        question = normalize(analysis.topic)
        # The question is indexed once (SequenceMatcher indexes its second sequence); each text
        # is then matched against it — the longest common run is the same either way round.
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(question)

        def score(text: str) -> float:
            toks = self._text_tokens(text)
            norm = self._normalized(text)
            matcher.set_seq1(norm)
            run = matcher.find_longest_match(0, len(norm), 0, len(question)).size
            return (sum(w * self._credit(word, alts, pieces[word], toks) for word, w, alts in terms)
                    + 0.3 * sum(self._idf.get(t, 0.0) for t in extra & toks)
                    + PHRASE_BONUS * max(0, run - 3))

        return score

    def _fit(self, score, clause: Part) -> float:
        """The best score of any 款 or 项 of the clause (or of the clause when it has none), each
        read with the clause's chapter and section titles (附件3's 可行性研究报告编制要求)."""
        heads = indexed_text(clause)[: -len(clause.text)] if clause.text else ""
        texts = [p.text for p in clause.paragraphs] + [i.text for p in clause.paragraphs for i in p.items]
        return max((score(heads + t) for t in texts), default=score(heads + clause.text))

    def _rerank(self, analysis: QueryAnalysis, hits: list[Hit], enabled: bool = True) -> list[Hit]:
        """Re-order the first RERANK_DEPTH hits by how well their best 款/项 fits the question."""
        if not enabled or len(hits) < 2:
            return hits
        score = self._scorer(analysis)
        head = hits[:RERANK_DEPTH]
        fits = {h.clause.id: self._fit(score, h.clause) for h in head}
        order = sorted(range(len(head)), key=lambda i: (-fits[head[i].clause.id], i))
        return [head[i] for i in order] + hits[RERANK_DEPTH:]

    def _lead(self, analysis: QueryAnalysis, clause: Part) -> tuple[str, list[str]]:
        """The label of the part that answers (款 or 项, else the clause) and the text to lead with.

        Short clauses are quoted whole. Otherwise the best-matching 款 or 项 is found: an item comes
        with the sentence that introduces it, a sentence that announces a list comes with the
        list, and a long 款 is cut to its best sentences."""
        score = self._scorer(analysis)
        body = _LABEL_PREFIX.sub("", clause.text, count=1)
        paragraphs = clause.paragraphs
        if len(fold(body)) <= _SHORT_CLAUSE or not paragraphs:
            label = paragraphs[0].label if len(paragraphs) == 1 else clause.label
            return label, [body]
        segments = []  # (score, paragraph index, item index or -1)
        for pi, para in enumerate(paragraphs):
            segments.append((score(para.text), pi, -1))
            for ii, item in enumerate(para.items):
                segments.append((score(item.text), pi, ii))
        best = max(segments, key=lambda s: (s[0], -s[1], -s[2]))
        para = paragraphs[best[1]]
        intro = _LABEL_PREFIX.sub("", para.text, count=1)
        if best[2] >= 0:
            items = [s for s in segments if s[1] == best[1] and s[2] >= 0 and s[0] >= 0.7 * best[0]]
            items = sorted(sorted(items, key=lambda s: -s[0])[:3], key=lambda s: s[2])
            label = para.items[best[2]].label if len(items) == 1 else para.label
            return label, [intro] + [para.items[s[2]].text for s in items]
        if para.items and intro.rstrip().endswith(("：", ":")):
            return para.label, [intro] + [i.text for i in para.items[:_LIST_ITEMS]]
        if len(fold(intro)) <= _LONG_PARAGRAPH:
            return para.label, [intro]
        parts = [x.strip() for x in re.split(r"(?<=[。！？!?])", intro) if x.strip()]
        scored = sorted(((score(x), i) for i, x in enumerate(parts)), reverse=True)
        top = scored[0][0]
        keep = sorted(i for sc, i in scored[:2] if sc >= 0.7 * top)
        return para.label, [parts[i] for i in keep]

    def _compose(self, question: str, analysis: QueryAnalysis, hits: list[Hit],
                 conclusions: list[Conclusion] = ()) -> Answer:
        lines: list[str] = []
        notes: list[str] = []
        citations: list[Citation] = []
        several = len({h.meta.doc_id for h in hits} | {c.rule.doc_id for c in conclusions}) > 1
        for c in conclusions:
            # Rule results lead: the computation by code, on the number the text gives.
            meta = self.corpus.documents[c.rule.doc_id].meta
            prefix = f"【{meta.city}·计算】" if several or not analysis.doc_ids else "【计算】"
            lines.append(f"{prefix}{c.computation}：{c.text}。（{where(meta, c.rule.article)}：“{c.rule.quote}”）")
            for label in (c.rule.article, *c.rule.refers):
                clause = self.corpus.clause(c.rule.doc_id, label)
                if all(x.doc_id != meta.doc_id or x.article != clause.label for x in citations):
                    citations.append(cite(meta, clause))
        for hit in hits:
            label, lead = self._lead(analysis, hit.clause)
            prefix = f"【{hit.meta.city}】" if several or not analysis.doc_ids else ""
            lines.append(f"{prefix}根据{where(hit.meta, label)}：“{''.join(lead)}”")
            if all(x.doc_id != hit.meta.doc_id or x.article != hit.clause.label for x in citations):
                citations.append(cite(hit.meta, hit.clause))
            note = status_note(hit.meta, self.today)
            if note and note not in notes:
                notes.append(note)
        missing = [c for c, d in zip(analysis.cities, analysis.doc_ids)
                   if d not in {h.meta.doc_id for h in hits}]
        if missing:
            notes.append(f"{'、'.join(missing)}的办法中未找到与该问题直接相关的条款。")
        if analysis.unknown_places:
            notes.append(f"语料库中没有{'、'.join(analysis.unknown_places)}的办法，以上仅为已收录城市的规定。")
        if analysis.regions:
            notes.append(f"语料库中没有{'、'.join(analysis.regions)}本级的办法，以上为其辖区内已收录的文件。")
        text = "\n".join(lines + ([""] + notes if notes else []))
        return Answer(question=question, answer=text, answerable=True, citations=citations,
                      checks=[c.to_json() for c in conclusions])

    def _lookup(self, analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> Answer | None:
        """第X条 / 第X条第Y款 / 附件N: answered by direct lookup, verbatim."""
        docs = [self.corpus.documents[d] for d in (doc_ids or tuple(self.corpus.documents))]
        found: list[tuple[DocMeta, Part, str]] = []
        missing: list[str] = []
        for ref in analysis.article_refs:
            label = f"第{int_to_cn(ref.number)}条" if 0 < ref.number < 10_000 else ref.text
            for doc in docs:
                clause = next((c for c in doc.clauses if c.label == label), None)
                if clause is None:
                    missing.append(f"《{doc.meta.title}》没有{label}（共{_article_count(doc)}条）")
                    continue
                shown = clause.label
                if ref.paragraph or ref.item:
                    want = label + (f"第{int_to_cn(ref.paragraph)}款" if ref.paragraph else "")
                    want += f"第{int_to_cn(ref.item)}项" if ref.item else ""
                    if any(p.label == want or any(i.label == want for i in p.items) for p in clause.paragraphs):
                        shown = want
                found.append((doc.meta, clause, shown))
        for number in analysis.attachment_refs:
            for doc in docs:
                parts = [c for c in doc.clauses if c.label.split("·")[0] == f"附件{number}"]
                parts = self._order_by_question(analysis, parts)
                found += [(doc.meta, c, c.label) for c in parts]
                if not parts:
                    have = sorted({c.label.split("·")[0] for c in doc.clauses if c.label.startswith("附件")})
                    missing.append(f"《{doc.meta.title}》没有附件{number}" + (f"（有{'、'.join(have)}）" if have else "（无附件）"))
        if not found:
            if missing and doc_ids:
                return refusal(analysis.question, "；".join(missing) + "。", list(self.corpus.catalog.docs))
            return None
        if not doc_ids and len({m.doc_id for m, _, _ in found}) > 1 and not analysis.compare:
            header = "问题未指明城市，以下列出各文件中的对应条款：\n"
        else:
            header = ""
        blocks, notes = [], []
        for meta, clause, shown in found:
            text = clause.text
            if shown != clause.label:
                para = next((p for p in clause.paragraphs if p.label == shown), None)
                item = next((i for p in clause.paragraphs for i in p.items if i.label == shown), None)
                text = (para.text if para else item.text if item else clause.text)
            blocks.append(f"{where(meta, shown)}（{meta.city}）：\n{text}")
            note = status_note(meta, self.today)
            if note and note not in notes:
                notes.append(note)
        text = header + "\n\n".join(blocks) + ("\n\n" + "\n".join(notes) if notes else "")
        citations = [cite(meta, clause) for meta, clause, _ in found]
        return Answer(question=analysis.question, answer=text, answerable=True, citations=citations)

    def _document_answer(self, analysis: QueryAnalysis, doc_ids: tuple[str, ...], clause_pattern: re.Pattern,
                         facts: bool) -> Answer | None:
        """Questions about a document itself — in force? valid until? what it repeals (facts=True:
        the catalog's record with the final provisions), or its purpose and legal basis (the
        clause that says 制定本办法)."""
        docs = [self.corpus.documents[d] for d in (doc_ids or tuple(self.corpus.documents))]
        lines, notes, citations = [], [], []
        for doc in docs:
            clauses = [c for c in doc.clauses if clause_pattern.search(c.text)]
            if not clauses:
                continue
            # final provisions carry 施行 / 有效期 / 废止; the first clause says why and on what basis
            clause = clauses[-1] if facts else clauses[0]
            meta = doc.meta
            said = [f"《{meta.title}》" + (f"（{meta.doc_number}）" if meta.doc_number else "")]
            if facts:
                if meta.issue_date:
                    said.append(f"{meta.issuer or ''}{_cn_date(meta.issue_date)}印发")
                said.append(f"状态：{meta.status.value}")
                if meta.valid_until:
                    said.append(f"有效期至{_cn_date(meta.valid_until)}")
                if meta.repeals:
                    said.append("同时废止" + "、".join(f"《{r}》" for r in meta.repeals))
            prefix = f"【{meta.city}】" if len(docs) > 1 else ""
            quote = f"{where(meta, clause.label)}：“{_LABEL_PREFIX.sub('', clause.text, count=1)}”"
            lines.append(f"{prefix}{'，'.join(said)}。依据{quote}" if facts else f"{prefix}根据{quote}")
            citations.append(cite(meta, clause))
            note = status_note(meta, self.today)
            if note and note not in notes and "有效期至" not in note:  # validity is already said
                notes.append(note)
        if not citations:
            return None
        text = "\n".join(lines + ([""] + notes if notes else []))
        return Answer(question=analysis.question, answer=text, answerable=True, citations=citations)

    def _outline(self, analysis: QueryAnalysis, hits: list[Hit]) -> Answer | None:
        """"建议书要写哪些内容" when the best clause is a section of an attachment that *is* that
        outline (启东 附件2 建议书编写要求): the answer is the attachment's list of sections."""
        if not hits or not _OUTLINE_Q.search(analysis.question):
            return None
        top = hits[0].clause
        if top.kind is not PartKind.ATTACHMENT_SECTION or not top.section:
            return None
        title = normalize(top.section)
        asked = [(w, alts) for w, _, alts in self._question_terms(analysis) if len(w) >= 2]
        in_title = [w for w, alts in asked if any(a in title for a in (alts | {w}) if len(a) >= 2)]
        specific = [w for w, _ in asked if w not in in_title and w not in _OUTLINE_FRAME]
        if not in_title or specific:
            return None  # the question asks about one part ("投资估算那一章", "按需提供"): answer that part
        attachment = top.label.split("·")[0]
        doc = self.corpus.documents[top.doc_id]
        sections = [c for c in doc.clauses if c.label.split("·")[0] == attachment]
        heads = "；".join(c.label.split("·", 1)[1] if "·" in c.label else c.label for c in sections)
        text = (f"根据《{doc.meta.title}》{attachment}《{top.section}》，应包括：{heads}。"
                f"各部分的具体要求见所引各节原文。")
        note = status_note(doc.meta, self.today)
        return Answer(question=analysis.question, answer=text + (f"\n\n{note}" if note else ""),
                      answerable=True, citations=[cite(doc.meta, c) for c in sections])

    def checklist(self, question: str, doc_ids: tuple[str, ...] = (), facts: Facts | None = None) -> Answer | None:
        """The whole lifecycle for a project, per city (each city side by side when none is named):
        申报 → 审查 → 立项 → 采购 → 建设 → 验收 → 运维 → 评价, each item with its clause, the rule
        results for the project's amount, and the time limits that apply."""
        stages = self.stages
        if not stages:
            return None
        facts = extract_facts(question) if facts is None else facts
        docs = doc_ids or tuple(self.corpus.documents)
        lines, notes, citations, checks = [], [], [], []
        for doc_id in docs:
            meta = self.corpus.documents[doc_id].meta
            block = [f"【{meta.city}】《{meta.title}》"]
            for c in check(self.rules, (doc_id,), facts, " ".join(t for r in self.rules.for_docs((doc_id,))
                                                                   for t in r.topics)):
                block.append(f"· 计算：{c.computation}：{c.text}（{c.rule.article}）")
                checks.append(c.to_json())
                citations.append(cite(meta, self.corpus.clause(doc_id, c.rule.article)))
            for stage in stages:
                stage_analysis = self.analyzer.analyze(stage.query)
                clauses = [self.corpus.clause(doc_id, label) for label in stage.clauses.get(doc_id, ())]
                if not clauses:
                    hits = self._search(stage_analysis, 1, (doc_id,), self.options.mode)
                    clauses = [h.clause for h in hits if h.score > 0][:1]
                if not clauses:
                    block.append(f"· {stage.name}：该文件未作规定")
                    continue
                for clause in clauses:
                    label, lead = self._lead(stage_analysis, clause)
                    text = "".join(lead)
                    text = text if len(text) <= _CHECKLIST_CHARS else text[:_CHECKLIST_CHARS] + "……"
                    block.append(f"· {stage.name}（{label}）：{text}")
                    citations.append(cite(meta, clause))
            timed = [r for r in self.rules.for_docs((doc_id,)) if r.kind in ("deadline", "duration") and r.statement]
            if timed:
                block.append("· 时限：" + "；".join(f"{r.statement}（{r.article}）" for r in timed))
                citations += [cite(meta, self.corpus.clause(doc_id, r.article)) for r in timed]
            lines.append("\n".join(block))
            note = status_note(meta, self.today)
            if note and note not in notes:
                notes.append(note)
        unique = list({(c.doc_id, c.article): c for c in citations}.values())
        text = "\n\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "")
        return Answer(question=question, answer=text, answerable=True, citations=unique, checks=checks,
                      kind="checklist")

    # -- show -----------------------------------------------------------------------------

    def show(self, doc_id: str, label: str) -> tuple[DocMeta, Part]:
        clause = self.corpus.clause(doc_id, label)
        return self.corpus.documents[doc_id].meta, clause


def _article_count(doc) -> int:
    return sum(1 for c in doc.clauses if c.label.startswith("第") and c.label.endswith("条"))
