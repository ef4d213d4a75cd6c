"""The HTTP API against the floor, on fresh questions: `regassist serve` as users run it (web UI
mounted, an API key set, request logs at warning) and a bare BM25 server (bench/bare_bm25.py),
both newly started on loopback, each asked every question once, interleaved (the order of the
pair alternates), over one keep-alive connection each. Prints p50/p95 of both and their ratio;
writes bench/results/paired.json.

    python bench/paired.py                 # search: the users' questions; ask: the 320 evaluation questions
    python bench/paired.py --limit 100     # fewer questions

Each question is new to both servers (no answer, vector or token cache has seen it): users'
questions are mostly new, so this is the latency they meet.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode


REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
KEY = "bench-key"
WARMUP = ("预热：项目验收", "预热：申报材料", "预热：运维经费")  # in no question set
sys.path.insert(0, str(REPO / "bench"))

from load import free_port, questions, start, stop_server  # noqa: E402


def _timed(conn: http.client.HTTPConnection, method: str, path: str, body: dict | None = None) -> float:
    headers = {"Authorization": f"Bearer {KEY}"}
    payload = None
    if body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    response.read()
    ms = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"{method} {path} → {response.status}")
    return ms


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 2)


def _paired(name: str, questions: list[str], ours, bare) -> dict:
    """Each question once to each server, the order alternating."""
    a, b = [], []
    for i, q in enumerate(questions):
        if i % 2:
            b.append(bare(q))
            a.append(ours(q))
        else:
            a.append(ours(q))
            b.append(bare(q))
        if (i + 1) % 50 == 0:
            print(f"… {name} {i + 1}/{len(questions)}", file=sys.stderr, flush=True)
    row = {"endpoint": name, "questions": len(questions),
           "p50_ms": _pct(a, 50), "p95_ms": _pct(a, 95), "bare_p50_ms": _pct(b, 50), "bare_p95_ms": _pct(b, 95)}
    row["ratio_p50"] = round(row["p50_ms"] / row["bare_p50_ms"], 2)
    row["ratio_p95"] = round(row["p95_ms"] / row["bare_p95_ms"], 2)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="questions per phase (0: all)")
    ap.add_argument("--json", type=Path, default=RESULTS / "paired.json")
    args = ap.parse_args()
    users = questions(sorted((REPO / "evals" / "users").glob("*.yaml")))
    old = [q for q in questions() if q not in set(users)]
    if args.limit:
        users, old = users[:args.limit], old[:args.limit]

    env = {**os.environ, "REGASSIST_API_KEY": KEY, "REGASSIST_LOG_LEVEL": "warning", "OPENBLAS_NUM_THREADS": "1"}
    exe = Path(sys.executable).with_name("regassist")
    ours_port, bare_port = free_port(), free_port()
    subprocess.run([str(exe), "index"], cwd=REPO, env=env, check=True, capture_output=True)
    ours = start([str(exe), "serve", "--host", "127.0.0.1", "--port", str(ours_port), "--log-level", "warning"],
                  ours_port, env, seconds=300)
    bare = start([sys.executable, str(REPO / "bench" / "bare_bm25.py"), "--port", str(bare_port)], bare_port, env, seconds=300)
    try:
        oc = http.client.HTTPConnection("127.0.0.1", ours_port, timeout=60)
        bc = http.client.HTTPConnection("127.0.0.1", bare_port, timeout=60)
        bare_search = lambda q: _timed(bc, "GET", "/search?" + urlencode({"q": q, "k": 5}))  # noqa: E731
        for q in WARMUP:  # first requests load models and tables: not what a user waits for after start-up
            _timed(oc, "GET", "/api/search?" + urlencode({"q": q}))
            _timed(oc, "POST", "/api/ask", {"question": q})
            bare_search(q)
        rows = [
            _paired("search", users, lambda q: _timed(oc, "GET", "/api/search?" + urlencode({"q": q, "k": 5})),
                    bare_search),
            _paired("ask", old, lambda q: _timed(oc, "POST", "/api/ask", {"question": q}), bare_search),
        ]
    finally:
        stop_server(ours)
        stop_server(bare)
    columns = ["endpoint", "questions", "p50_ms", "p95_ms", "bare_p50_ms", "bare_p95_ms", "ratio_p50", "ratio_p95"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in columns) + " |")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"cpus": os.cpu_count(), "results": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
