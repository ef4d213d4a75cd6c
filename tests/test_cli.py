"""The CLI through typer's runner, and once as a real process (the installed console script)."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assistant.cli import app

from conftest import CORPUS


@pytest.fixture()
def env(index_dir, assistant, monkeypatch):
    # `assistant` builds the shared index first, so the CLI finds it current.
    monkeypatch.setenv("REGASSIST_CORPUS", str(CORPUS))
    monkeypatch.setenv("REGASSIST_INDEX_DIR", str(index_dir))
    return {"REGASSIST_CORPUS": str(CORPUS), "REGASSIST_INDEX_DIR": str(index_dir)}


runner = CliRunner()


def test_ask_json_cites_article_9(env):
    result = runner.invoke(app, ["ask", "六安市500万元以下的项目，项目建议书由谁编制？", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answerable"] and data["citations"][0]["article"] == "第九条"
    assert data["citations"][0]["doc_id"] == "luan-2021"


def test_ask_plain_prints_answer_and_clauses(env):
    result = runner.invoke(app, ["ask", "乐山市办法第三十一条"])
    assert result.exit_code == 0
    assert "第三十一条 项目完成所有建设内容，并经 3 个月试运行正常后" in result.stdout
    assert "引用条款" in result.stdout


def test_search_with_city_and_k(env):
    result = runner.invoke(app, ["search", "试运行", "--city", "上城", "--k", "2", "--json"])
    rows = json.loads(result.stdout)
    assert len(rows) == 2 and all(r["city"] == "上城区" for r in rows)


def test_show_and_its_error(env):
    ok = runner.invoke(app, ["show", "leshan-2022", "第五十七条"])
    assert ok.exit_code == 0 and "有效期 5 年" in ok.stdout
    bad = runner.invoke(app, ["show", "leshan-2022", "第九十九条"])
    assert bad.exit_code == 1 and "没有“第九十九条”" in bad.output


def test_index_reports_current(env):
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0 and "索引已是最新" in result.stdout


def test_unknown_mode_is_a_usage_error(env, monkeypatch):
    monkeypatch.setenv("REGASSIST_MODE", "magic")
    result = runner.invoke(app, ["search", "试运行"])
    assert result.exit_code == 2 and "bm25, dense, hybrid" in result.output


def test_console_script_refuses_out_of_corpus_city(env):
    exe = os.path.join(os.path.dirname(sys.executable), "regassist")
    proc = subprocess.run([exe, "ask", "深圳市电子政务项目怎么申报？", "--json"], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["answerable"] is False and data["citations"] == []


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_starts_the_api_and_ui_on_loopback(env, workers, tmp_path):
    """`regassist serve` as users start it: one process with the UI, or several API workers;
    stopped as a service manager stops it (SIGTERM), it leaves no temporary files behind."""
    import httpx

    from servers import free_port, start_group, stop_group, wait_http

    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "regassist")
    proc = start_group([exe, "serve", "--port", str(port), "--workers", str(workers)],
                       {**os.environ, **env, "TMPDIR": str(tmp_path)})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz", proc)
        r = httpx.post(base + "/api/ask", json={"question": "乐山试运行多久才能验收？"}, timeout=30)
        assert r.json()["citations"][0]["article"] == "第三十一条"
        ui = httpx.get(base + "/ui/", timeout=30)
        assert (ui.status_code == 200) == (workers == 1)  # the UI needs a single process
        # The UI's downloads (comparison tables, reports, the question-set template) have a directory.
        assert len(list(tmp_path.glob("regassist-exports-*"))) == (workers == 1)
    finally:
        stop_group(proc)
    assert proc.returncode is not None and list(tmp_path.glob("regassist-exports-*")) == []
    # One log line per request by default: method, path, status and time, never the question.
    log = proc.stderr.read()
    assert any("POST /api/ask 200" in line and line.rstrip().endswith("ms") for line in log.splitlines()), log
    assert "乐山试运行多久" not in log


def test_ask_for_a_city_the_corpus_lacks_fails_with_the_api_s_message(env):
    bad = runner.invoke(app, ["ask", "试运行多久", "--city", "成都"])
    assert bad.exit_code == 1 and "语料库中没有“成都”的办法" in bad.output


@pytest.mark.parametrize("question, words", [("", "问题不能为空"), ("   ", "问题不能为空"), ("试" * 501, "最多 500 个字符")])
def test_ask_refuses_an_empty_or_over_long_question_as_the_api_does(env, question, words):
    result = runner.invoke(app, ["ask", question])
    assert result.exit_code == 2 and words in result.output
