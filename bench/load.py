"""Load test of the HTTP API on loopback, bounded in time.

Starts `regassist serve` (the real server, as users start it) on 127.0.0.1, waits for /healthz,
then runs N client threads, each on its own keep-alive connection, sending GET /api/search (or
POST /api/ask) with questions cycled from the evaluation set, for a fixed duration. Reports
requests/s, latency percentiles and errors, writes bench/results/load-<endpoint>.json, and stops
the server.

    python bench/load.py                       # 8 clients, 30 s, /api/search, 2 workers
    python bench/load.py --endpoint ask --workers 1 --seconds 20
    python bench/load.py --endpoint mix --clients 32 --seconds 60 --rebuild-at 20
                                               # ask and search, an index rebuild mid-run
    python bench/load.py --workers 1 --ui --fresh
                                               # every question new: the users' questions, once each
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote


REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions(paths: list[Path] | None = None) -> list[str]:
    """The questions of evaluation sets (default: evals/cases.yaml), each once, in order."""
    from assistant.evals.cases import load_cases

    return list(dict.fromkeys(c.q for p in (paths or [REPO / "evals" / "cases.yaml"]) for c in load_cases(p)))


def start_server(port: int, workers: int, ui: bool) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("regassist")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    return start(cmd + ([] if ui else ["--no-ui"]), port)


def start(cmd: list[str], port: int, env: dict | None = None, seconds: float = 180) -> subprocess.Popen:
    """A server process in its own group, once GET /healthz on `port` answers 200. Its log goes to
    a temporary file: a pipe nobody reads fills up (64 KB, a few seconds of request log lines under
    load) and then blocks the server."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=log, text=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"{cmd[0]} exited ({proc.returncode}): {log.read()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"{cmd[0]} did not become healthy within {seconds:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Fresh:
    """Questions handed out once each, across all clients: no request repeats another."""

    def __init__(self, qs: list[str]):
        self._it, self._lock = iter(qs), threading.Lock()

    def next(self) -> str | None:
        with self._lock:
            return next(self._it, None)


def client(port: int, endpoint: str, qs: list[str], until: float, warm_until: float, out: dict, seed: int,
           fresh: Fresh | None = None) -> None:
    rng = random.Random(seed)
    order = qs[:]
    rng.shuffle(order)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, i = {"search": [], "ask": []}, [], 0
    while True:
        now = time.perf_counter()
        if now >= until:
            break
        q = fresh.next() if fresh is not None and now >= warm_until else order[i % len(order)]
        if q is None:
            break  # every fresh question asked
        i += 1
        kind = endpoint if endpoint != "mix" else ("search", "ask")[i % 2]
        try:
            if kind == "search":
                conn.request("GET", f"/api/search?q={quote(q)}&k=5")
            else:
                body = json.dumps({"question": q}, ensure_ascii=False).encode("utf-8")
                conn.request("POST", "/api/ask", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException) as exc:
            status = repr(exc)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = time.perf_counter()
        if now >= warm_until:
            latencies[kind].append(done - now)
            if status != 200:
                errors.append(str(status))
    out["latencies"], out["errors"] = latencies, errors


def _get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    return conn.getresponse().read().decode("utf-8")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", choices=["search", "ask", "mix"], default="search")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0, help="measured duration (after warm-up)")
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--workers", type=int, default=2, help="server processes (regassist serve --workers)")
    ap.add_argument("--ui", action="store_true", help="serve the UI too (single process only)")
    ap.add_argument("--fresh", action="store_true",
                    help="every question new: each of the users' questions (evals/users) asked once, after a "
                         "warm-up on the project's own; ends when all are asked")
    ap.add_argument("--rebuild-at", type=float, default=0.0,
                    help="run `regassist index --force` this many seconds into the measured run")
    args = ap.parse_args()

    port = free_port()
    print(f"starting regassist serve on 127.0.0.1:{port} ({args.workers} worker(s)) …", file=sys.stderr)
    proc = start_server(port, args.workers, args.ui)
    try:
        qs = questions()
        # Fresh: the users' questions, none of which the warm-up (the project's own) asks.
        pool = [q for q in questions(sorted((REPO / "evals" / "users").glob("*.yaml"))) if q not in set(qs)]
        fresh = Fresh(pool) if args.fresh else None
        start = time.perf_counter()
        warm_until, until = start + args.warmup, start + args.warmup + args.seconds
        outs = [{} for _ in range(args.clients)]
        threads = [threading.Thread(target=client, args=(port, args.endpoint, qs, until, warm_until, outs[i], i, fresh))
                   for i in range(args.clients)]
        before = json.loads(_get(port, "/healthz"))["build"]
        for t in threads:
            t.start()
        rebuild = None
        if args.rebuild_at:
            time.sleep(max(0.0, warm_until + args.rebuild_at - time.perf_counter()))
            exe = Path(sys.executable).with_name("regassist")
            t0 = time.perf_counter()
            done = subprocess.run([str(exe), "index", "--force"], cwd=REPO, capture_output=True, text=True)
            rebuild = {"at_s": args.rebuild_at, "seconds": round(time.perf_counter() - t0, 1),
                       "exit": done.returncode}
        for t in threads:
            t.join(timeout=args.warmup + args.seconds + 60)
        measured = min(time.perf_counter(), until) - warm_until  # a fresh run may end early
        after = json.loads(_get(port, "/healthz"))["build"]
        if rebuild is not None:
            rebuild |= {"build_before": before, "build_after": after, "swapped": before != after}
    finally:
        stop_server(proc)
    per_kind = {k: [x for o in outs for x in o.get("latencies", {}).get(k, [])] for k in ("search", "ask")}
    latencies = per_kind["search"] + per_kind["ask"]
    errors = [x for o in outs for x in o.get("errors", [])]
    result = {
        "endpoint": f"/api/{args.endpoint}", "clients": args.clients, "workers": args.workers, "ui": args.ui,
        "fresh": args.fresh, "seconds": round(measured, 1), "requests": len(latencies), "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "rps": round(len(latencies) / measured, 1),
        "p50_ms": round(1000 * percentile(latencies, 50), 2),
        "p95_ms": round(1000 * percentile(latencies, 95), 2),
        "p99_ms": round(1000 * percentile(latencies, 99), 2),
        "max_ms": round(1000 * max(latencies, default=float("nan")), 2),
        "cpus": os.cpu_count(), "distinct_questions": len(pool) if args.fresh else len(set(qs)),
        "by_endpoint": {f"/api/{k}": {"requests": len(v), "p50_ms": round(1000 * percentile(v, 50), 2),
                                      "p95_ms": round(1000 * percentile(v, 95), 2)}
                        for k, v in per_kind.items() if v},
        "rebuild": rebuild,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{args.endpoint}{'-fresh' if args.fresh else ''}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                                                        encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if errors or (rebuild is not None and (rebuild["exit"] != 0 or not rebuild["swapped"])):
        sys.exit(1)


if __name__ == "__main__":
    main()
