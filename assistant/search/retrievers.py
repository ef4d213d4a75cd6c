"""Retrieval: BM25 over jieba tokens, dense over Chroma, and their fusion — one `search` shape each."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from enum import Enum
from typing import Protocol

import numpy as np

from assistant.search.embedders import Embedder
from assistant.search.index import Index
from assistant.search.tokenizer import Tokenizer

# Reciprocal rank fusion constant (Cormack et al. 2009): 60 keeps the first ranks of each list
# from dominating while still rewarding agreement between the lists.
log = logging.getLogger(__name__)

RRF_K = 60
# A query limited to this many documents is scored exactly over their vectors (see DenseRetriever).
EXACT_DOCUMENTS = 8
QUERY_CACHE = 4096  # query vectors kept (a USE-m3 query vector is 2 KB; ~2 ms to compute)
# Share of BM25 score that quantities stated in a question (500万元, 3个月) contribute; see
# Bm25Retriever.scores.
QUANTITY_WEIGHT = 0.5


def _is_quantity(token: str) -> bool:
    """A quantity the question states (3个月, 500万元). "#个月" tokens come from the lexicon's
    synonyms ("多久" → any duration) and count in full."""
    return token[:1].isdigit() and not token.isdigit()


class Mode(str, Enum):
    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"

    @classmethod
    def parse(cls, value: str) -> "Mode":
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown retrieval mode {value!r}; allowed: {allowed}") from None


Ranked = list[tuple[int, float]]  # (clause row, score), best first


class Retriever(Protocol):
    def search(self, query: str, k: int, doc_ids: tuple[str, ...] = ()) -> Ranked: ...


class Bm25Retriever:
    def __init__(self, index: Index, tokenizer: Tokenizer):
        self.index, self.tokenizer = index, tokenizer
        self._doc_code = {d: i for i, d in enumerate(index.corpus.documents)}
        self._doc_of_row = np.array([self._doc_code[c.doc_id] for c in index.clauses], dtype=np.int32)

    def scores(self, query: str) -> np.ndarray:
        """One score per clause: the best of its passages. Quantities in the question count at
        QUANTITY_WEIGHT: they find thresholds (500万元) but may be a wrong premise (试运行3个月)."""
        tokens = self.tokenizer.query_tokens(query, self.index.bm25.vocab_dict)
        words = [t for t in tokens if not _is_quantity(t)]
        numbers = [t for t in tokens if _is_quantity(t)]
        passage_scores = np.zeros(len(self.index.passage_rows), dtype=np.float32)
        if words:
            passage_scores += np.asarray(self.index.bm25.get_scores(words), dtype=np.float32)
        if numbers:
            passage_scores += QUANTITY_WEIGHT * np.asarray(self.index.bm25.get_scores(numbers), dtype=np.float32)
        clause_scores = np.zeros(len(self.index.clauses), dtype=np.float32)
        np.maximum.at(clause_scores, self.index.passage_rows, passage_scores)
        return clause_scores

    def search(self, query: str, k: int, doc_ids: tuple[str, ...] = ()) -> Ranked:
        scores = self.scores(query)
        if doc_ids:
            codes = [self._doc_code[d] for d in doc_ids if d in self._doc_code]
            scores = np.where(np.isin(self._doc_of_row, codes), scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class DenseRetriever:
    """Vectors in Chroma. A query over the whole corpus uses Chroma's HNSW index; a query limited to
    a few documents scores their vectors exactly, fetched from Chroma once per document and kept
    (Chroma's filtered search scans its metadata: ~70 ms at 100k clauses, against ~1 ms here)."""

    def __init__(self, index: Index, embedder: Embedder, cached_documents: int = 256):
        if index.collection is None:
            raise ValueError("this index was built without an embedder; dense search is unavailable")
        self.index, self.embedder = index, embedder
        self._vectors: "OrderedDict[str, tuple[np.ndarray, np.ndarray]]" = OrderedDict()
        self._cached_documents = cached_documents
        self._lock = threading.Lock()
        self._queries: "OrderedDict[str, np.ndarray]" = OrderedDict()
        # When the vector store last failed (None: healthy). Only a call that reached the store
        # clears it: an answer from cached vectors says nothing about whether the store is back.
        self.failed_at: float | None = None
        self._probed_at = float("-inf")

    def _store(self, call):
        """A call to the vector store, its outcome recorded (logged once per outage and recovery)."""
        try:
            result = call()
        except Exception:
            if self.failed_at is None:
                log.warning("vector store failed, answering from BM25 alone until it returns", exc_info=True)
            self.failed_at = time.monotonic()
            raise
        if self.failed_at is not None:
            log.warning("vector store is back")
            self.failed_at = None
        return result

    PROBE_EVERY = 1.0  # seconds: /healthz polled often asks the store at most this often

    def probe(self) -> None:
        """Ask the vector store whether it answers (for /healthz), at most once per PROBE_EVERY;
        the outcome lands in failed_at."""
        now = time.monotonic()
        if now - self._probed_at < self.PROBE_EVERY:
            return
        self._probed_at = now
        try:
            self._store(self.index.collection.count)
        except Exception:
            pass

    def _doc_vectors(self, doc_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(clause rows, vectors) of one document."""
        with self._lock:
            if doc_id in self._vectors:
                self._vectors.move_to_end(doc_id)
                return self._vectors[doc_id]
        got = self._store(lambda: self.index.collection.get(where={"doc_id": doc_id}, include=["embeddings"]))
        rows = np.array([self.index.row_of[i] for i in got["ids"]], dtype=np.int64)
        vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(rows), -1)
        with self._lock:
            self._vectors[doc_id] = (rows, vectors)
            while len(self._vectors) > self._cached_documents:
                self._vectors.popitem(last=False)
        return rows, vectors

    def _query_vector(self, query: str) -> np.ndarray:
        """The query's vector; the last QUERY_CACHE queries' are kept (questions repeat: the
        same FAQ asked by many 项目单位, a UI re-run, the compare topics)."""
        with self._lock:
            vector = self._queries.get(query)
            if vector is not None:
                self._queries.move_to_end(query)
                return vector
        vector = np.asarray(self.embedder.embed([query]), dtype=np.float32)
        vector.setflags(write=False)
        with self._lock:
            self._queries[query] = vector
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector

    def vectors_of(self, clause_ids: list[str]) -> np.ndarray:
        """The clauses' vectors, in order (each document's fetched once and kept); zeros for a
        clause the store does not hold."""
        out = []
        for clause_id in clause_ids:
            rows, vectors = self._doc_vectors(clause_id.split("/", 1)[0])
            where = np.flatnonzero(rows == self.index.row_of[clause_id])
            out.append(vectors[where[0]] if len(where) else np.zeros(vectors.shape[1], dtype=np.float32))
        return np.asarray(out, dtype=np.float32)

    def similarities(self, query: str, clause_ids: list[str]) -> list[float]:
        """The query's cosine with each clause."""
        if not clause_ids:
            return []
        return [float(x) for x in self.vectors_of(clause_ids) @ self._query_vector(query)[0]]

    def search(self, query: str, k: int, doc_ids: tuple[str, ...] = ()) -> Ranked:
        vector = self._query_vector(query)
        if doc_ids and len(doc_ids) <= EXACT_DOCUMENTS:
            parts = [self._doc_vectors(d) for d in doc_ids]
            rows = np.concatenate([r for r, _ in parts])
            if not len(rows):
                return []
            scores = np.concatenate([v for _, v in parts]) @ vector[0]
            top = np.argsort(-scores, kind="stable")[:k]
            return [(int(rows[i]), float(scores[i])) for i in top]
        where = None
        if doc_ids:
            where = {"doc_id": {"$in": list(doc_ids)}}
        n = min(k, len(self.index.clauses))
        result = self._store(lambda: self.index.collection.query(query_embeddings=vector, n_results=n, where=where,
                                                                 include=["distances"]))
        ids, distances = result["ids"][0], result["distances"][0]
        return [(self.index.row_of[i], 1.0 - float(d)) for i, d in zip(ids, distances)]


def rrf(rankings: list[Ranked], weights: list[float] | None = None, k: int = RRF_K) -> Ranked:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the lists a clause appears in."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (row, _) in enumerate(ranking, 1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda t: (-t[1], t[0]))


class HybridRetriever:
    """BM25 and dense lists fused by RRF; each list is taken deeper than k so fusion can reorder."""

    def __init__(self, bm25: Bm25Retriever, dense: DenseRetriever, weights: tuple[float, float] = (1.0, 1.0),
                 depth: int = 50):
        self.bm25, self.dense, self.weights, self.depth = bm25, dense, weights, depth

    def search(self, query: str, k: int, doc_ids: tuple[str, ...] = ()) -> Ranked:
        depth = max(self.depth, k)
        sparse = self.bm25.search(query, depth, doc_ids)
        try:
            dense = self.dense.search(query, depth, doc_ids)
        except Exception:  # a Chroma server that is down: BM25 alone still answers (recorded by dense)
            return sparse[:k]
        return rrf([sparse, dense], list(self.weights))[:k]


class FallbackRetriever:
    """Dense search that answers from BM25 while the vector store is down (mode=dense never fails
    a request because Chroma does)."""

    def __init__(self, dense: DenseRetriever, bm25: Bm25Retriever):
        self.dense, self.bm25 = dense, bm25

    def search(self, query: str, k: int, doc_ids: tuple[str, ...] = ()) -> Ranked:
        try:
            return self.dense.search(query, k, doc_ids)
        except Exception:
            return self.bm25.search(query, k, doc_ids)
