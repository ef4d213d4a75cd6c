"""Latency, build cost and footprint of the assistant at three corpus sizes (a benchmark, not a test).

    python bench/bench.py                       # real (4 documents), 10k and 100k clauses
    python bench/bench.py --sizes real --n 300  # just the real corpus

Each size is measured in its own process (so peak memory is that size's): warm `search` and `ask`
p50/p95 over the evaluation questions, a cold `regassist ask` (a new process on the built index),
index build time by stage, and peak RSS. The BM25 stage is timed against rank_bm25 on the same
tokens, in another process. Large corpora are generated from the real one (bench/synth.py) and,
with their indexes, cached under bench/cache/. Prints a table; writes bench/results/latest.json.
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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / "cache"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

TARGETS = {  # on 2 CPU cores
    "real": {"search_p95_ms": 30, "ask_p95_ms": 60, "cold_ask_s": 3.0},
    "100000": {"search_p95_ms": 150, "bm25_speedup": 100, "peak_rss_mib": 4096, "bm25_build_s": 60},
}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def corpus_for(size: str) -> Path:
    if size == "real":
        return REPO / "corpus"
    from synth import synthesize

    return synthesize(REPO / "corpus", CACHE / f"corpus-{size}", int(size))


def questions() -> list[str]:
    from assistant.evals.cases import load_cases

    return [c.q for c in load_cases(REPO / "evals" / "cases.yaml")]


def measure(size: str, n: int, cold_runs: int) -> dict:
    """Runs in a child process: build (or reuse) the index, then time search / ask / cold ask."""
    from assistant.assistant import Assistant

    corpus_dir = corpus_for(size)
    index_dir = CACHE / f"index-{size}"
    t = time.perf_counter()
    from assistant.settings import Settings

    a = Assistant.open(corpus_dir, index_dir, cache_dir=Settings.from_env().cache_dir)
    open_s = time.perf_counter() - t
    manifest = a.index.manifest
    qs = questions()
    rng = random.Random(7)
    sample = [rng.choice(qs) for _ in range(n)]
    for q in qs[:20]:
        a.ask(q)  # warm, as a running server is
    search_ms, ask_ms = [], []
    for q in sample:
        t = time.perf_counter()
        a.search(q, k=5)
        search_ms.append((time.perf_counter() - t) * 1000)
    for q in sample:
        t = time.perf_counter()
        a.ask(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
    exe = Path(sys.executable).with_name("regassist")
    env = {**os.environ, "REGASSIST_CORPUS": str(corpus_dir), "REGASSIST_INDEX_DIR": str(index_dir)}
    cold = []
    for _ in range(cold_runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "ask", "乐山试运行多久才能验收？", "--json"], env=env, check=True,
                       capture_output=True)
        cold.append(time.perf_counter() - t)
    timings = manifest.get("timings", {})
    embed_s = timings.get("embed")
    return {
        "size": size,
        "clauses": manifest["clauses"],
        "passages": manifest["passages"],
        "documents": len(manifest["documents"]),
        "build_s": manifest["build_seconds"],
        "build_stages_s": timings,
        "bm25_build_s": round(timings.get("tokenize", 0) + timings.get("bm25", 0), 2),
        "dense_rate_per_s": round(manifest["clauses"] / embed_s, 1) if embed_s else None,
        "embedder": manifest["embedder"],
        "open_s": round(open_s, 2),
        "search_p50_ms": round(pct(search_ms, 50), 2),
        "search_p95_ms": round(pct(search_ms, 95), 2),
        "ask_p50_ms": round(pct(ask_ms, 50), 2),
        "ask_p95_ms": round(pct(ask_ms, 95), 2),
        "cold_ask_s": round(statistics.median(cold), 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def bm25_ratio(size: str, queries: int) -> dict:
    """Runs in a child process: bm25s against rank_bm25, same passages, same jieba tokens."""
    import bm25s
    from rank_bm25 import BM25Okapi

    from assistant.corpus.loader import load_corpus
    from assistant.search.index import make_tokenizer, passages, tokenize_all

    corpus = load_corpus(corpus_for(size))
    tokenizer = make_tokenizer(corpus.catalog)
    texts, _ = passages(corpus.clauses)
    tokens = tokenize_all(tokenizer, texts)
    fast = bm25s.BM25()
    fast.index(tokens, show_progress=False)
    slow = BM25Okapi(tokens)
    qs = [tokenizer.query_tokens(q, fast.vocab_dict) for q in questions()[:queries]]
    qs = [q for q in qs if q]
    t = time.perf_counter()
    for _ in range(5):
        for q in qs:
            fast.get_scores(q)
    fast_ms = (time.perf_counter() - t) * 1000 / (5 * len(qs))
    t = time.perf_counter()
    for q in qs:
        slow.get_scores(q)
    slow_ms = (time.perf_counter() - t) * 1000 / len(qs)
    return {"size": size, "bm25s_ms_per_query": round(fast_ms, 3), "rank_bm25_ms_per_query": round(slow_ms, 2),
            "bm25_speedup": round(slow_ms / fast_ms, 1), "queries": len(qs)}


def child(args: list[str]) -> dict:
    from steps import run_step

    return run_step(__file__, args)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="real,10000,100000")
    ap.add_argument("--n", type=int, default=200, help="timed calls per operation")
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--ratio-queries", type=int, default=20)
    ap.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "latest.json")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--ratio", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.n, args.cold_runs)))
        return
    if args.ratio:
        print(json.dumps(bm25_ratio(args.ratio, args.ratio_queries)))
        return

    results = []
    for size in args.sizes.split(","):
        print(f"… {size}", file=sys.stderr, flush=True)
        row = child(["--one", size, "--n", str(args.n), "--cold-runs", str(args.cold_runs)])
        row |= child(["--ratio", size, "--ratio-queries", str(args.ratio_queries)])
        results.append(row)
    columns = ["size", "clauses", "passages", "build_s", "bm25_build_s", "dense_rate_per_s", "search_p50_ms",
               "search_p95_ms", "ask_p50_ms", "ask_p95_ms", "cold_ask_s", "peak_rss_mib", "bm25s_ms_per_query",
               "rank_bm25_ms_per_query", "bm25_speedup"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for r in results:
        print("| " + " | ".join(str(r.get(c, "")) for c in columns) + " |")
    for r in results:
        for metric, target in TARGETS.get(r["size"], {}).items():
            value = r.get(metric) if metric != "cold_ask_s" else r.get("cold_ask_s")
            ok = value is not None and (value >= target if metric == "bm25_speedup" else value <= target)
            print(f"{r['size']:>7} {metric:<16} {value} (target {'≥' if metric == 'bm25_speedup' else '≤'} {target})"
                  f" {'ok' if ok else 'MISSED'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, indent=2, ensure_ascii=False),
                         encoding="utf-8")


if __name__ == "__main__":
    main()
