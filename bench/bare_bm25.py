"""The floor for one search on this machine: a bare article-BM25 server (jieba + bm25s behind
FastAPI/uvicorn; no dense vectors, no rerank, no routing, no security). bench/paired.py runs it
beside `regassist serve` and asks both the same questions.

    python bench/bare_bm25.py --port 8801
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_app(corpus_dir: Path):
    import bm25s
    import jieba
    from fastapi import FastAPI, Query

    from assistant.corpus.loader import load_corpus

    jieba.initialize()
    clauses = load_corpus(corpus_dir).clauses
    tokens = [[w for w in jieba.lcut_for_search(c.text) if w.strip()] or [""] for c in clauses]
    index = bm25s.BM25()
    index.index(tokens, show_progress=False)
    vocab = index.vocab_dict
    app = FastAPI()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "clauses": len(clauses)}

    @app.get("/search")
    def search(q: str = Query(min_length=1), k: int = 5):
        query = [w for w in dict.fromkeys(jieba.lcut_for_search(q)) if w in vocab]
        if not query:
            return []
        scores = index.get_scores(query)
        top = scores.argsort()[::-1][:k]
        return [{"id": clauses[i].id, "score": float(scores[i])} for i in top]

    return app


def main() -> None:
    import uvicorn

    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--corpus", type=Path, default=REPO / "corpus")
    args = ap.parse_args()
    uvicorn.run(make_app(args.corpus), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
