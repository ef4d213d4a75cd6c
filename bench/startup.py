"""What a cold start spends, step by step, on a built index (a benchmark, not a test).

    python bench/startup.py                     # real, 10k and 100k clauses (indexes from bench/bench.py)
    python bench/startup.py --sizes 100000 --runs 3

Each step runs in a new process, as a cold start does (the file system cache is warm, as on a
server that restarts): importing the package, verifying the build's files (by their stats, as
every load after the first does, against hashing all of them, as the first load of a build on a
machine does), getting jieba ready (its word counts read by bisection from the sorted dictionary,
against unmarshalling jieba's own dict), reading the parsed
documents the build kept against parsing the texts again, reading the passage table against
cutting the clauses again, loading BM25, and Chroma's first read of the vectors. Each step's
process reports its peak RSS too, so the memory of the kept documents and of parsing is compared
on the same corpus. Then a whole cold `regassist ask` with its wall time and peak RSS. The median
of `--runs` processes is printed per step; writes bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
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

QUESTION = "乐山试运行多久才能验收？"
STEPS = ("import", "verify", "hash", "jieba", "jieba_dict", "parsed", "parse", "rows", "cut", "bm25", "chroma")
LABELS = {
    "import": "导入 assistant 与依赖",
    "verify": "校验索引文件（按上次校验后的文件状态）",
    "hash": "（对照）重新计算全部文件摘要（某个索引在本机第一次加载时）",
    "jieba": "jieba 就绪（词频按排好序的词典二分查找）",
    "jieba_dict": "（对照）jieba 自己的词频字典",
    "parsed": "读建索引时存下的解析结果",
    "parse": "（对照）重新解析原文",
    "rows": "读段落表",
    "cut": "（对照）重新切分段落",
    "bm25": "读 BM25",
    "chroma": "Chroma 第一次读向量（打开集合并查询一次）",
}


def dirs(size: str) -> tuple[Path, Path]:
    corpus = REPO / "corpus" if size == "real" else CACHE / f"corpus-{size}"
    return corpus, CACHE / f"index-{size}"


def step(name: str, size: str) -> dict:
    """Runs in a child process: time one start-up step after doing what it needs first (untimed)."""
    t = time.perf_counter()
    import numpy as np

    from assistant.search import index as ix
    imported = time.perf_counter() - t
    _, index_dir = dirs(size)
    build = ix.current_build(index_dir)
    if build is None:
        raise SystemExit(f"no index at {index_dir} — run: python bench/bench.py --sizes {size}")
    manifest = ix._read_manifest(build)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    if name == "import":
        seconds = imported
    elif name == "verify":
        ix.verify(build, manifest)
    elif name == "hash":
        ix.checksums(build)
    elif name == "jieba":
        from assistant.corpus.catalog import load_catalog
        tokenizer = ix.make_tokenizer(load_catalog(dirs(size)[0]))
        t = time.perf_counter()
        tokenizer.tokens(QUESTION)
    elif name == "jieba_dict":
        from assistant.search.tokenizer import load_jieba_counts
        load_jieba_counts()
    elif name == "parsed":
        corpus = ix._load_parsed(build)
        if corpus is None:
            raise SystemExit(f"{build} keeps no parsed documents — rebuild: regassist index --force")
    elif name == "parse":
        from assistant.corpus.loader import load_corpus
        load_corpus(build / "corpus")
    elif name == "rows":
        np.load(build / ix._PASSAGE_ROWS, allow_pickle=False)
    elif name == "cut":
        corpus = ix._load_parsed(build)
        t = time.perf_counter()
        ix.passages(corpus.clauses)
    elif name == "bm25":
        import bm25s
        bm25s.BM25.load(str(build / "bm25"), load_corpus=False, show_progress=False)
    elif name == "chroma":
        if not manifest.get("embedder"):
            return {"step": name, "s": None, "peak_rss_mib": None}
        from assistant.search.embedders import make_embedder
        from assistant.settings import default_cache_dir
        vector = make_embedder(manifest["embedder"], default_cache_dir(dict(os.environ))).embed([QUESTION])
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        collection = ix.chroma_client(build / "chroma").get_collection(ix.collection_name(manifest))
        collection.query(query_embeddings=vector.tolist(), n_results=5)
    if name != "import":
        seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"step": name, "s": seconds, "peak_rss_mib": peak / 1024, "step_rss_mib": (peak - before) / 1024}


def cold_ask(size: str) -> dict:
    corpus, index_dir = dirs(size)
    env = {**os.environ, "REGASSIST_CORPUS": str(corpus), "REGASSIST_INDEX_DIR": str(index_dir)}
    exe = Path(sys.executable).with_name("regassist")
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(exe), "ask", QUESTION, "--json"],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"cold ask failed at {size}:\n{proc.stderr[-2000:]}")
    return {"s": seconds, "peak_rss_mib": int(proc.stderr.strip().splitlines()[-1]) / 1024}


def child(name: str, size: str) -> dict:
    from steps import run_step

    return run_step(__file__, ["--step", name, "--sizes", size])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="real,10000,100000")
    ap.add_argument("--runs", type=int, default=3, help="processes per step (the median is kept)")
    ap.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "startup.json")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.sizes)))
        return
    results = {}
    for size in args.sizes.split(","):
        rows = {}
        for name in STEPS:
            print(f"… {size} {name}", file=sys.stderr, flush=True)
            runs = [child(name, size) for _ in range(args.runs)]
            if runs[0]["s"] is None:
                continue
            rows[name] = {k: round(statistics.median(r[k] for r in runs), 3)
                          for k in ("s", "peak_rss_mib", "step_rss_mib")}
        asks = [cold_ask(size) for _ in range(args.runs)]
        rows["cold_ask"] = {k: round(statistics.median(r[k] for r in asks), 3) for k in ("s", "peak_rss_mib")}
        results[size] = rows
        print(f"\n{size}: step | seconds | step's peak RSS growth (MiB) | process peak RSS (MiB)")
        for name, r in rows.items():
            label = LABELS.get(name, "冷启动 regassist ask（整个进程）")
            print(f"  {label} | {r['s']:.3f} | {r.get('step_rss_mib', '')} | {r['peak_rss_mib']:.0f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"cpus": os.cpu_count(), "runs": args.runs, "results": results}, indent=2,
                                    ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
