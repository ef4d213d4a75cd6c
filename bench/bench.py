"""Latency and footprint of the assistant on the four documents (a benchmark, not a test).

    python bench/bench.py [--n 300] [--json bench/results/latest.json]

Reports warm `search` and `ask` p50/p95 over the evaluation questions, a cold `regassist ask` on a
built index (a new process each time), index build time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.core import Assistant  # noqa: E402
from assistant.corpus import load_corpus  # noqa: E402
from assistant.embed import make_embedder  # noqa: E402
from assistant.evals import load_cases  # noqa: E402
from assistant.index import build_index, make_tokenizer  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, inputs) -> list[float]:
    out = []
    for x in inputs:
        t = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="timed calls per operation")
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "latest.json")
    args = ap.parse_args()
    corpus_dir = REPO / "corpus"
    questions = [c.q for c in load_cases(REPO / "evals" / "cases.yaml")]
    rng = random.Random(7)
    sample = [rng.choice(questions) for _ in range(args.n)]

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        corpus = load_corpus(corpus_dir)
        tokenizer = make_tokenizer(corpus.catalog)
        embedder = make_embedder(None)
        embedder.embed(["预热"])  # model load is not build time
        t = time.perf_counter()
        build_index(corpus_dir, index_dir, tokenizer, embedder)
        build_s = time.perf_counter() - t

        a = Assistant.open(corpus_dir, index_dir)
        for q in questions[:20]:
            a.ask(q)  # warm caches the way a running server has them
        search_ms = timed(lambda q: a.search(q, k=5), sample)
        ask_ms = timed(a.ask, sample)

        exe = Path(sys.executable).with_name("regassist")
        env = {**os.environ, "REGASSIST_CORPUS": str(corpus_dir), "REGASSIST_INDEX_DIR": str(index_dir)}
        cold = []
        for _ in range(args.cold_runs):
            t = time.perf_counter()
            subprocess.run([str(exe), "ask", "乐山试运行多久才能验收？", "--json"], env=env, check=True,
                           capture_output=True)
            cold.append(time.perf_counter() - t)

    result = {
        "clauses": len(a.index.clauses),
        "passages": len(a.index.passage_rows),
        "index_build_s": round(build_s, 2),
        "search_p50_ms": round(pct(search_ms, 50), 2),
        "search_p95_ms": round(pct(search_ms, 95), 2),
        "ask_p50_ms": round(pct(ask_ms, 50), 2),
        "ask_p95_ms": round(pct(ask_ms, 95), 2),
        "cold_ask_s_median": round(statistics.median(cold), 2),
        "cold_ask_s_max": round(max(cold), 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "calls": args.n,
        "cpus": os.cpu_count(),
    }
    width = max(len(k) for k in result)
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
