"""What checking a build's checksums costs at load: a synthetic corpus of N clauses (bench/synth.py)
indexed with BM25 only (the checked files are the corpus snapshot and the BM25 arrays; vectors
are not checked), then `verify` timed over several runs — by the files' stats, as every load after
a build's first does — beside hashing every file again (what that first load pays), and set against
the whole load.

    python bench/verify.py --clauses 100000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.corpus.loader import load_corpus  # noqa: E402
from assistant.search.index import build_index, checksums, current_build, load_index, make_tokenizer, verify  # noqa: E402
sys.path.insert(0, str(REPO / "bench"))
from synth import synthesize  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clauses", type=int, default=100_000, help="0: the four real documents")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cache = REPO / "bench" / "cache"
    corpus_dir = (REPO / "corpus" if not args.clauses
                  else synthesize(REPO / "corpus", cache / f"corpus-{args.clauses}", args.clauses))
    index_dir = cache / f"bm25-only-{args.clauses or 'real'}"
    build = current_build(index_dir)
    if build is None or "files" not in json.loads((build / "manifest.json").read_text(encoding="utf-8")):
        print("building a BM25-only index …", file=sys.stderr)
        build = build_index(corpus_dir, index_dir, make_tokenizer(load_corpus(corpus_dir).catalog), None)
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    verify(build, manifest)  # the first load of a build on this machine: every digest, kept by stats
    times, hashing = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        verify(build, manifest)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        checksums(build)  # what that first load pays
        hashing.append(time.perf_counter() - started)
    started = time.perf_counter()
    load_index(index_dir)
    load = time.perf_counter() - started
    print(f"{manifest['clauses']} clauses, {len(files)} files, {sum(f['bytes'] for f in files.values()) / 2**20:.1f} MiB: "
          f"verify median {statistics.median(times) * 1000:.1f} ms over {args.runs} runs "
          f"(every digest again, as a build's first load: {statistics.median(hashing) * 1000:.1f} ms); "
          f"whole load {load:.2f} s ({statistics.median(times) / load:.0%} of it)")


if __name__ == "__main__":
    main()
