"""Serving through faults: a rebuild swapped in whole while requests run, a bad corpus file that
leaves the current index serving, a damaged index that is rebuilt rather than served, and many
threads at once on one Assistant."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from assistant.server.api import create_app
from assistant.settings import Settings
from assistant.search.index import current_build
from assistant.server.live import open_live


QUESTIONS = ["乐山试运行多久才能验收？", "六安的项目试运行要多久？", "500万以下项目需要什么材料？", "启东项目一定要请监理吗",
             "开发商验收时要交源代码吗", "上城区维保期多久？", "比较各地试运行期限", "北京市政务项目验收要多久？"]


def _cli(*args, env):
    exe = os.path.join(os.path.dirname(sys.executable), "regassist")
    return subprocess.run([exe, *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=300)


def test_concurrent_requests_on_one_assistant_match_serial_answers(assistant):
    serial = {q: assistant.ask(q).to_json() for q in QUESTIONS}
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda q: (q, assistant.ask(q).to_json()), QUESTIONS * 12))
    assert all(answer == serial[q] for q, answer in results)
    with ThreadPoolExecutor(16) as pool:
        hits = list(pool.map(lambda q: [h.to_json() for h in assistant.search(q)], QUESTIONS * 6))
    assert hits == [[h.to_json() for h in assistant.search(q)] for q in QUESTIONS * 6]


@pytest.fixture()
def live_env(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    env = {"REGASSIST_CORPUS": str(corpus_copy), "REGASSIST_INDEX_DIR": str(index_dir)}
    return corpus_copy, index_dir, env


def test_rebuild_while_serving_swaps_whole_and_bad_files_leave_it_serving(live_env):
    corpus, index_dir, env = live_env
    live = open_live(Settings.from_env(env), rebuild=True)
    live.interval = 0.1
    client = TestClient(create_app(live))
    question = "六安运维情况多久报一次备案"
    ask = lambda: client.post("/api/ask", json={"question": question}).json()  # noqa: E731
    assert "按年度报" in ask()["answer"]
    old = live.current()
    first_build = current_build(index_dir).name

    # a bad file: the rebuild fails naming file and line; the served index is untouched
    luan = corpus / "luan-2021.txt"
    good_text = luan.read_text(encoding="utf-8")
    luan.write_bytes(good_text.encode("gbk"))
    result = _cli("index", env=env)
    assert result.returncode == 1 and f"{luan}:1: 不是 UTF-8" in result.stderr
    luan.write_text("六安市电子政务项目建设管理办法\n\n只是一段说明。\n", encoding="utf-8")
    result = _cli("index", env=env)
    assert result.returncode == 1 and f"{luan}:1-4: 没有找到任何条款" in result.stderr
    time.sleep(0.4)
    assert current_build(index_dir).name == first_build and live.current() is old
    assert "按年度报" in ask()["answer"]

    # a change that breaks a rule's quote (corpus/rules/): refused at build time, nothing swapped
    luan.write_text(good_text.replace("不低于1个月", "不低于2个月"), encoding="utf-8")
    result = _cli("index", env=env)
    assert result.returncode == 1 and "quote not found" in result.stderr and "第十九条" in result.stderr
    assert current_build(index_dir).name == first_build

    # a good change: rebuilt aside, swapped in; a request holding the old service still finishes
    luan.write_text(good_text.replace("按年度报", "按季度报"), encoding="utf-8")
    result = _cli("index", env=env)
    assert result.returncode == 0, result.stderr
    # Polled with a generous deadline: loading the new build takes seconds on a busy machine.
    deadline = time.monotonic() + 180
    while live.current() is old and time.monotonic() < deadline:
        time.sleep(0.1)
    assert live.current() is not old, f"the rebuilt index was not swapped in within 180 s: {live.last_error}"
    assert live.reloads == 1
    assert "按季度报" in ask()["answer"]
    assert "按年度报" in old.grounded.ask(question).answer  # in flight: the old build is intact
    health = client.get("/healthz").json()
    assert health["build"] == current_build(index_dir).name and health["reloads"] == 1
    live.stop()


def test_a_damaged_index_is_rebuilt_at_start_never_served(live_env):
    corpus, index_dir, env = live_env
    assert _cli("index", env=env).returncode == 0
    build = current_build(index_dir)
    shutil.rmtree(build / "bm25")  # damaged
    live = open_live(Settings.from_env(env), rebuild=True)
    assert live.current().assistant.index.path != build
    assert "3 个月" in live.current().assistant.ask("乐山试运行多久才能验收？").answer
    manifest = json.loads((current_build(index_dir) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["clauses"] == len(live.current().assistant.corpus.clauses)
    live.stop()


def test_a_duplicate_doc_id_is_refused_naming_it(live_env):
    corpus, index_dir, env = live_env
    catalog = corpus / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("doc_id: qidong-2019", "doc_id: luan-2021"), encoding="utf-8")
    result = _cli("index", env=env)
    assert result.returncode == 1 and "luan-2021" in result.stderr and "catalog.yaml" in result.stderr
