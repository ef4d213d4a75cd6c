"""The retrieval that users build today, for comparison in `regassist eval`:

- naive chunks: each document's whole text split by LangChain's RecursiveCharacterTextSplitter
  (500 characters, 50 overlap), embedded with the same embedder into Chroma, searched by vector;
- a Langchain-Chatchat-style ensemble over the same chunks: BM25 over jieba words and the dense
  list, fused by weighted reciprocal rank at 0.5 / 0.5 (LangChain's EnsembleRetriever, c = 60).

Neither knows cities or articles. Both are scored with the same evidence criterion as the
assistant's own clause retrieval (`evidence_rank`), in the same run.
"""

from __future__ import annotations

import uuid

import bm25s
import chromadb
import jieba
import numpy as np
from chromadb.config import Settings

from assistant.corpus.loader import Corpus
from assistant.search.embedders import Embedder
from assistant.evals.cases import Case
from assistant.search.retrievers import rrf
from assistant.evals.evaluators import rank_metrics
from assistant.text import normalize

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
ENSEMBLE_WEIGHTS = (0.5, 0.5)


def targets(case: Case, corpus: Corpus) -> list[str]:
    """What a retrieved text must contain to count as a hit: the case's evidence strings, or the
    opening of each expected clause's text when the case lists none."""
    if case.evidence:
        return [normalize(e) for e in case.evidence]
    out = []
    for cid in case.articles:
        body = normalize(corpus.by_id(cid).text)
        out.append(body[:24])
    return out


def evidence_rank(texts: list[str], wanted: list[str]) -> int | None:
    """1-based rank of the first text that contains any wanted string."""
    for rank, text in enumerate(texts, 1):
        norm = normalize(text)
        if any(w in norm for w in wanted):
            return rank
    return None


class NaiveChunks:
    def __init__(self, corpus: Corpus, embedder: Embedder):
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.chunks = [text for doc in corpus.documents.values() for text in splitter.split_text(doc.source)]
        self.embedder = embedder
        client = chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False))
        self.collection = client.create_collection(f"naive-{uuid.uuid4().hex[:8]}", embedding_function=None,
                                                   configuration={"hnsw": {"space": "cosine"}})
        ids = [str(i) for i in range(len(self.chunks))]
        for start in range(0, len(self.chunks), 64):
            batch = self.chunks[start:start + 64]
            self.collection.add(ids=ids[start:start + 64], documents=batch,
                                embeddings=np.asarray(embedder.embed(batch), dtype=np.float32))
        self.bm25 = bm25s.BM25()
        self.bm25.index([[w for w in jieba.lcut(c) if w.strip()] or [""] for c in self.chunks],
                        show_progress=False)

    def dense(self, query: str, k: int) -> list[tuple[int, float]]:
        res = self.collection.query(query_embeddings=self.embedder.embed([query]), n_results=k,
                                    include=["distances"])
        return [(int(i), 1 - d) for i, d in zip(res["ids"][0], res["distances"][0])]

    def sparse(self, query: str, k: int) -> list[tuple[int, float]]:
        tokens = [w for w in jieba.lcut(query) if w in self.bm25.vocab_dict]
        if not tokens:
            return []
        scores = self.bm25.get_scores(tokens)
        top = np.argsort(-scores)[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def ensemble(self, query: str, k: int) -> list[tuple[int, float]]:
        depth = max(k, 20)
        return rrf([self.sparse(query, depth), self.dense(query, depth)], list(ENSEMBLE_WEIGHTS))[:k]

    def texts(self, ranked: list[tuple[int, float]]) -> list[str]:
        return [self.chunks[i] for i, _ in ranked]


def compare(assistant, cases: list[Case], k: int = 5) -> list[dict]:
    """hit@1 / hit@5 / MRR by evidence for the assistant's clauses and both baselines."""
    corpus = assistant.corpus
    naive = NaiveChunks(corpus, assistant.embedder)
    runs = {
        "article clauses (assistant, routing on)": lambda q: [h.clause.text for h in assistant.search(q, k=k)],
        "article clauses (assistant, routing off)": lambda q: [h.clause.text for h in assistant.search(q, k=k, routing=False)],
        "naive chunks 500/50, dense (Chroma)": lambda q: naive.texts(naive.dense(q, k)),
        "naive chunks 500/50, BM25+dense 0.5/0.5": lambda q: naive.texts(naive.ensemble(q, k)),
    }
    rows = []
    scored = [c for c in cases if not c.refuse and (c.evidence or c.articles)]
    for name, fn in runs.items():
        ranks = [evidence_rank(fn(c.q)[:k], targets(c, corpus)) for c in scored]
        rows.append({"name": name, "cases": len(ranks), **rank_metrics(ranks),
                     "chunks": len(naive.chunks) if "naive" in name else len(assistant.index.clauses)})
    return rows
