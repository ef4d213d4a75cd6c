"""Search as the assistant does it: the retriever the options choose, one list per city asked
about (or one deep list split by city), each reranked by how well its best 款/项 fits."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.corpus.model import Hit, PartKind
from assistant.errors import IndexNotBuilt
from assistant.search.embedders import Embedder
from assistant.search.index import Index
from assistant.search.matching import Matcher
from assistant.search.query import QueryAnalysis
from assistant.search.retrievers import (Bm25Retriever, DenseRetriever, FallbackRetriever, HybridRetriever, Mode,
                                         Ranked, Retriever)
from assistant.search.tokenizer import Tokenizer

RERANK_DEPTH = 8
PER_CITY_POOL = 60  # with no city named: candidates taken over all cities, then split by city
# Weight of the retrieval rank in the rerank (1/rank, against the fit scaled to the best), chosen
# on the project's cases and the users' tune half (`regassist eval`).
RANK_PRIOR = 0.25
# One attachment's sections share its title ("可行性研究报告编制要求"): a question naming that
# document matches all of them alike, and a dozen of the outline's headings can push out the
# article that answers ("可研报告什么时候交": 第七条). Past this many sections of one attachment
# among a list's first candidates, as many of the next other clauses join the list — for a
# question asking for a value (Searcher.search's spread_out).
SECTIONS_PER_ATTACHMENT = 2
# Candidates read to find those, when a list is crowded: this many times its depth.
SPREAD_POOL = 3


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
    # Order each city's relevant clauses by the fitted clause ranker (assistant/answers/ranking.py).
    ranker: bool = True


def _section_of(h: Hit) -> tuple[str, str] | None:
    """The attachment a hit is a section of (None for an article)."""
    if h.clause.kind is not PartKind.ATTACHMENT_SECTION:
        return None
    return h.meta.doc_id, h.clause.label.split("·", 1)[0]


def _over(hits: list[Hit]) -> tuple[dict[tuple[str, str], int], int]:
    """How many sections of each attachment `hits` hold, and how many past SECTIONS_PER_ATTACHMENT."""
    seen: dict[tuple[str, str], int] = {}
    crowded = 0
    for h in hits:
        k = _section_of(h)
        if k is not None:
            seen[k] = seen.get(k, 0) + 1
            crowded += seen[k] > SECTIONS_PER_ATTACHMENT
    return seen, crowded


def spread(hits: list[Hit], n: int = RERANK_DEPTH) -> tuple[list[Hit], int]:
    """`hits` with, right after the first `n`, for each section of one attachment past
    SECTIONS_PER_ATTACHMENT among those, the next hit further down that is not such a section
    (moved up); and how many were moved up."""
    seen, crowded = _over(hits[:n])
    extra = [h for h in hits[n:] if (k := _section_of(h)) is None or seen.get(k, 0) < SECTIONS_PER_ATTACHMENT][:crowded]
    moved = {id(h) for h in extra}
    return hits[:n] + extra + [h for h in hits[n:] if id(h) not in moved], len(extra)


def interleave(lists: list[list[Hit]], k: int) -> list[Hit]:
    """First of every list, then second of every list, … up to rank k."""
    merged: list[Hit] = []
    for rank in range(k):
        merged += [lst[rank] for lst in lists if rank < len(lst)]
    return merged


class Searcher:
    def __init__(self, index: Index, tokenizer: Tokenizer, embedder: Embedder | None, matcher: Matcher,
                 options: Options):
        self.index = index
        self.matcher = matcher
        self.options = options
        self.bm25 = Bm25Retriever(index, tokenizer)
        self.dense = DenseRetriever(index, embedder) if embedder is not None and index.collection is not None else None
        self.hybrid = (HybridRetriever(self.bm25, self.dense, weights=(1.0, options.dense_weight))
                       if self.dense is not None else None)
        self.dense_or_bm25 = FallbackRetriever(self.dense, self.bm25) if self.dense is not None else None

    def retriever(self, mode: Mode) -> Retriever:
        if mode is Mode.BM25:
            return self.bm25
        if self.dense is None:
            raise IndexNotBuilt("this index has no dense vectors — rebuild with an embedder: regassist index")
        return self.dense_or_bm25 if mode is Mode.DENSE else self.hybrid

    def hits(self, ranked: Ranked) -> list[Hit]:
        documents = self.index.corpus.documents
        out = []
        for row, score in ranked:
            clause = self.index.clauses[row]
            out.append(Hit(clause=clause, meta=documents[clause.doc_id].meta, score=score))
        return out

    def search(self, analysis: QueryAnalysis, k: int, doc_ids: tuple[str, ...], mode: Mode | None = None,
               rerank: bool | None = None, per_city: bool = False, spread_out: bool = False) -> list[Hit]:
        """The best `k` clauses. `spread_out`: a question asking for a value (when, who, how
        much), which an attachment's outline never states, gets the clauses its sections push out."""
        retriever = self.retriever(mode or self.options.mode)
        rerank = self.options.rerank if rerank is None else rerank
        depth = max(k, RERANK_DEPTH)

        def found(hits: list[Hit]) -> list[Hit]:
            """Reranked, with the clauses a crowded attachment pushed out moved up among those reranked."""
            hits, moved = spread(hits) if spread_out else (hits, 0)
            return self.rerank(analysis, hits[:depth + moved], rerank, RERANK_DEPTH + moved)

        def searched(scope: tuple[str, ...]) -> list[Hit]:
            hits = self.hits(retriever.search(analysis.search_text, depth, scope))
            if spread_out and _over(hits[:RERANK_DEPTH])[1]:
                # one attachment crowds the first candidates: read deeper for what it pushed out
                hits = self.hits(retriever.search(analysis.search_text, depth * SPREAD_POOL, scope))
            return found(hits)

        if len(doc_ids) > 1:
            # Every city asked about gets its own list, so none is crowded out.
            lists = [searched((d,)) for d in doc_ids]
            return interleave(lists, k)[: max(k, len(doc_ids))]
        if not doc_ids and (analysis.compare or per_city):
            # No city named: one deep list over all cities, split by city (so a corpus of hundreds
            # of cities costs one search, not hundreds), each city's share reranked on its own.
            by_doc: dict[str, list[Hit]] = {}
            for hit in self.hits(retriever.search(analysis.search_text, PER_CITY_POOL, ())):
                by_doc.setdefault(hit.meta.doc_id, []).append(hit)
            lists = [found(hits) for hits in by_doc.values()]
            return interleave(lists, k)[: max(k, len(lists))]
        return searched(doc_ids)[:k]

    def rerank(self, analysis: QueryAnalysis, hits: list[Hit], enabled: bool = True,
               depth: int = RERANK_DEPTH) -> list[Hit]:
        """Re-order the first `depth` hits by how well their best 款/项 fits the question."""
        if not enabled or len(hits) < 2:
            return hits
        score = self.matcher.scorer(analysis)
        head = hits[:depth]
        fits = [self.matcher.fit(score, h.clause) for h in head]
        top = max(fits) or 1.0
        # The fit decides, the retrieval rank breaks near-ties: a clause that shares the most
        # words does not always beat the one both retrievers ranked first.
        key = [f / top + RANK_PRIOR / (i + 1) for i, f in enumerate(fits)]
        order = sorted(range(len(head)), key=lambda i: (-key[i], i))
        return [head[i] for i in order] + hits[depth:]
