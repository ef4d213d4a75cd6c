"""Scale-out: a real `chroma run` server on loopback holds the vectors, two API workers share it,
and they answer exactly as the embedded store does. Killing the server mid-run degrades search to
BM25 (no failed request); when it returns, answers are whole again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import CORPUS, REPO
from servers import free_port, start_group, stop_group, wait_http

BIN = Path(sys.executable).parent


class Chroma:
    def __init__(self, path: Path):
        self.path, self.port, self.proc = path, free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Chroma":
        self.proc = start_group([str(BIN / "chroma"), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                 "--port", str(self.port)])
        wait_http(f"{self.url}/api/v2/heartbeat", self.proc)
        return self

    def kill(self) -> None:
        stop_group(self.proc)


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = Chroma(tmp_path_factory.mktemp("chroma")).start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def workers(chroma, tmp_path_factory, assistant):
    index_dir = tmp_path_factory.mktemp("index-server")
    env = {**os.environ, "REGASSIST_CORPUS": str(CORPUS), "REGASSIST_INDEX_DIR": str(index_dir),
           "REGASSIST_CHROMA_URL": chroma.url}
    built = subprocess.run([str(BIN / "regassist"), "index"], env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    port = free_port()
    proc = start_group([str(BIN / "regassist"), "serve", "--port", str(port), "--workers", "2", "--no-ui"], env)
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/healthz", proc)
    yield base, index_dir
    stop_group(proc)


def _questions(n: int = 40) -> list[str]:
    cases = yaml.safe_load((REPO / "evals" / "cases.yaml").read_text(encoding="utf-8"))
    cases = cases["cases"] if isinstance(cases, dict) else cases
    return [c["q"] for c in cases][::max(1, len(cases) // n)][:n]


def test_the_build_keeps_vectors_in_the_server_and_the_rest_on_disk(workers, chroma):
    import chromadb

    base, index_dir = workers
    build = next(p for p in (index_dir / "builds").iterdir() if not p.name.startswith("."))
    assert (build / "bm25").is_dir() and not (build / "chroma").exists()
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma.port)
    names = [c.name if hasattr(c, "name") else c for c in client.list_collections()]
    assert names == [f"regassist-{build.name}"]
    assert httpx.get(f"{base}/healthz").json()["vector_store"] == chroma.url


def test_two_workers_on_the_server_answer_as_the_embedded_store(workers, assistant):
    base, _ = workers
    for q in _questions():
        got = httpx.post(f"{base}/api/ask", json={"question": q}, timeout=60).json()
        assert got == assistant.ask(q).to_json(), q
        hits = httpx.get(f"{base}/api/search", params={"q": q, "k": 5}, timeout=60).json()
        assert [(h["doc_id"], h["article"]) for h in hits] == [
            (h.meta.doc_id, h.clause.label) for h in assistant.search(q, k=5)], q


def test_chroma_down_degrades_to_bm25_and_recovers(workers, chroma, assistant):
    base, _ = workers
    unrouted = ["开发商验收时要交源代码吗", "项目资产归谁所有", "监理费用从哪里出", "等保测评多久做一次"]
    chroma.kill()
    # Health says so at once, before any request has met the outage.
    assert {httpx.get(f"{base}/healthz").json()["status"] for _ in range(4)} == {"degraded"}
    # A dense search answers from BM25, and the connection it came on keeps serving.
    with httpx.Client(base_url=base, timeout=60) as client:
        for q in unrouted:
            r = client.get("/api/search", params={"q": q, "k": 3, "mode": "dense"})
            assert r.status_code == 200 and r.json(), q
            assert client.post("/api/ask", json={"question": q}).status_code == 200
    statuses = set()
    for _ in range(3):
        for q in unrouted:
            r = httpx.post(f"{base}/api/ask", json={"question": q}, timeout=60)
            assert r.status_code == 200 and r.json()["answerable"], q
            statuses.add(httpx.get(f"{base}/healthz").json()["status"])
    assert "degraded" in statuses
    chroma.start()  # same port, same data
    deadline = time.monotonic() + 60
    # Each worker recovers on its next dense query: keep asking until every answer matches the
    # in-process assistant's and every worker reports ok (a worker the kernel sent no request
    # to yet is still degraded).
    while time.monotonic() < deadline:
        answers = [httpx.post(f"{base}/api/ask", json={"question": q}, timeout=60).json() for q in unrouted * 2]
        statuses = {httpx.get(f"{base}/healthz").json()["status"] for _ in range(6)}
        if all(a == assistant.ask(a["question"]).to_json() for a in answers) and statuses == {"ok"}:
            break
        time.sleep(1)
    else:
        raise AssertionError(f"answers or health did not recover after the Chroma server came back: {statuses}")
