"""Where a search (or an ask) spends its time, on fresh questions: cProfile over the in-process
assistant, each of the users' questions asked once, the functions by cumulative time.

    python bench/hotspots.py                  # /api/search's work: Assistant.search
    python bench/hotspots.py --ask --top 40   # Assistant.ask
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from load import questions as users_questions  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ask", action="store_true", help="profile ask instead of search")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--callers", default="", help="also print who calls the functions matching this pattern")
    args = ap.parse_args()
    from threadpoolctl import threadpool_limits

    from assistant.assistant import Assistant
    from assistant.search.tokenizer import warm_tagger
    from assistant.settings import Settings

    threadpool_limits(1)  # as a serving process runs (assistant/server/api.py)
    s = Settings.from_env()
    assistant = Assistant.open(s.corpus_dir, s.index_dir, s.embedder, cache_dir=s.cache_dir)
    questions = users_questions(sorted((REPO / "evals" / "users").glob("*.yaml")))[: args.limit or None]
    call = assistant.ask if args.ask else (lambda q: assistant.search(q, k=5))
    warm_tagger()  # what a server loads in the background at start (assistant/server/api.py)
    call("预热：项目验收")  # loads what the first request loads
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for q in questions:
        call(q)
    profiler.disable()
    ms = (time.perf_counter() - started) * 1000 / len(questions)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(f"{'ask' if args.ask else 'search'}: {len(questions)} fresh questions, {ms:.1f} ms each under the profiler")
    print(out.getvalue())
    if args.callers:
        callers = io.StringIO()
        pstats.Stats(profiler, stream=callers).sort_stats("cumulative").print_callers(args.callers)
        print(callers.getvalue())


if __name__ == "__main__":
    main()
