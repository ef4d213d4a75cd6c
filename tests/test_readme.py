"""The README's commands are executable documentation: every `regassist …` and `curl …` line of
its bash blocks is run here — as a real process, against the real corpus and index, and the
curl lines against a `regassist serve` started on loopback — and must succeed.

Each example runs as written, with only these substitutions, so that it can run in a test:
optional parts in brackets ([--force]) are left out; a server listens on 127.0.0.1 and a free
port (never 0.0.0.0 or a fixed port), and curl talks to it; `eval` writes its reports to a scratch
directory (never into the checkout) and, except for the gate, runs its first cases only;
`ingest` reads a small 办法 written for the test, into a private copy of the corpus. A line that
cannot run here is listed in NOT_RUN with the reason, so a new example is never skipped silently.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from servers import free_port, start_group, stop_group, wait_http

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent
# Lines that need what a test cannot give them, and why (tested elsewhere).
NOT_RUN = {
    "regassist eval --llm": "needs a model server; the LLM path runs against tests/fake_llm.py in test_llm.py",
}
EVAL_LIMIT = "3"


def examples() -> list[str]:
    """Every regassist/curl line of the README's bash blocks, continuation lines joined."""
    lines: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        text = re.sub(r"\\\n\s*", " ", block)
        lines += [ln.strip() for ln in text.splitlines() if re.match(r"\s*(regassist|curl)\s", ln)]
    # A command shown twice (regassist index, regassist serve) runs once.
    return list({" ".join(_argv(ln)): ln for ln in reversed(lines)}.values())[::-1]


def _argv(line: str) -> list[str]:
    """The line as argv: its comment dropped, optional [parts] left out."""
    argv = shlex.split(line, comments=True)
    out, optional = [], False
    for arg in argv:
        if arg.startswith("["):
            optional = True
        if not optional:
            out.append(arg)
        if arg.endswith("]"):
            optional = False
    return out


def _not_run(line: str) -> str | None:
    return next((why for prefix, why in NOT_RUN.items() if " ".join(_argv(line)).startswith(prefix)), None)


ALL = examples()
# The evaluator's walk-through (template → two runs → compare) runs in order, in one scratch folder.
FLOW = [ln for ln in ALL if "我的评测集" in ln]
CLI = [ln for ln in ALL if ln.startswith("regassist") and not _not_run(ln)
       and _argv(ln)[1] not in ("serve", "ingest") and ln not in FLOW]
SERVE = [ln for ln in ALL if ln.startswith("regassist serve")]
CURL = [ln for ln in ALL if ln.startswith("curl")]


@pytest.fixture(scope="module")
def env(index_dir, assistant) -> dict[str, str]:
    # `assistant` builds the shared index first, so every command finds it current.
    import os

    return {**os.environ, "REGASSIST_CORPUS": str(CORPUS), "REGASSIST_INDEX_DIR": str(index_dir),
            "REGASSIST_LLM_BASE_URL": ""}


def test_the_readme_has_examples_of_every_command():
    commands = {_argv(ln)[1] for ln in ALL if ln.startswith("regassist")}
    assert {"ask", "chat", "search", "show", "index", "ingest", "eval", "serve"} <= commands
    assert len(CURL) >= 4
    assert all(ln in CLI + SERVE + FLOW or _not_run(ln) or _argv(ln)[1] == "ingest" or ln in CURL for ln in ALL)
    assert len(FLOW) == 4


def _run(argv: list[str], env: dict, tmp_path: Path, stdin: str | None = None, cwd: Path | None = None):
    argv = [str(BIN / "regassist"), *argv[1:]]
    if argv[1] == "eval":
        argv += ["--out", str(tmp_path / "reports")]
        if "--gate" not in argv:
            argv += ["--limit", EVAL_LIMIT]
    return subprocess.run(argv, env=env, input=stdin or "", capture_output=True, text=True, timeout=600,
                          cwd=cwd or README.parent)


@pytest.mark.parametrize("line", CLI, ids=lambda ln: " ".join(_argv(ln))[:60])
def test_a_cli_example_runs(line, env, tmp_path):
    stdin = "六安试运行多久？\n那乐山呢？\n" if _argv(line)[1] == "chat" else None
    done = _run(_argv(line), env, tmp_path, stdin)
    assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert done.stdout.strip(), line
    if stdin:  # the follow-up is answered for 乐山, carried over from the first question
        assert "乐山" in done.stdout and "3 个月" in done.stdout


def test_the_evaluator_walk_through_runs_in_order(env, tmp_path):
    """The template written with `>`, filled in as it comes (its example rows), evaluated twice
    into two folders, the two runs compared: the same code gives no flips."""
    outputs = []
    for line in FLOW:
        argv = _argv(line)
        target = None
        if ">" in argv:
            argv, target = argv[: argv.index(">")], argv[argv.index(">") + 1]
        done = subprocess.run([str(BIN / "regassist"), *argv[1:]], env=env, capture_output=True, timeout=600,
                              cwd=tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stderr.decode()[-2000:]}"
        if target:
            (tmp_path / target).write_bytes(done.stdout)
        outputs.append(done.stdout)
    assert (tmp_path / "改动前" / "report-我的评测集.html").is_file()
    assert (tmp_path / "改动后" / "report-我的评测集.json").is_file()
    assert "新通过 0 个，新失败 0 个" in outputs[-1].decode()


def _loopback(argv: list[str], port: int) -> list[str]:
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--host", "--port"):
            skip = True
            continue
        out.append(arg)
    return out + ["--host", "127.0.0.1", "--port", str(port)]


@pytest.mark.parametrize("line", SERVE, ids=lambda ln: " ".join(_argv(ln))[:60])
def test_a_serve_example_serves(line, env):
    port = free_port()
    argv = _loopback(_argv(line), port)
    proc = start_group([str(BIN / "regassist"), *argv[1:]], env=env)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, seconds=300)
    finally:
        stop_group(proc)


@pytest.fixture(scope="module")
def served(env):
    port = free_port()
    proc = start_group([str(BIN / "regassist"), "serve", "--no-ui", "--host", "127.0.0.1", "--port", str(port)],
                       env=env)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, seconds=300)
        yield port
    finally:
        stop_group(proc)


@pytest.mark.parametrize("line", CURL, ids=lambda ln: " ".join(_argv(ln))[:60])
def test_a_curl_example_answers(line, served, tmp_path):
    argv = [a.replace("localhost:8000", f"127.0.0.1:{served}") for a in _argv(line)]
    # A file the example saves to (-o 自查.docx) is saved where the test looks instead.
    argv = [a for i, a in enumerate(argv) if a != "-o" and (i == 0 or argv[i - 1] != "-o")]
    body = tmp_path / "body"
    done = subprocess.run([*argv, "-o", str(body), "-w", "%{http_code}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("2"), f"{line}\n{done.stdout}\n{done.stderr}"
    content = body.read_bytes()
    assert content.strip(), line
    if "format=docx" in line or "format=xlsx" in line:
        assert content[:2] == b"PK", line  # an Office file (a zip), not an error page
    elif ".svg" in line:
        assert b"<svg" in content, line


def test_the_add_a_city_example_adds_a_city(tmp_path, env):
    """The ingest examples on a 办法 written for the test, into a private corpus and index: the
    new city is then answered from."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    private = {**env, "REGASSIST_CORPUS": str(corpus), "REGASSIST_INDEX_DIR": str(tmp_path / "index")}
    text = ("某市政务信息化项目管理办法\n\n第一条 为规范政务信息化项目管理，制定本办法。\n\n"
            "第二条 项目建成后须经 2 个月试运行方可验收。\n\n第三条 本办法自公布之日起施行。\n")
    lines = [ln for ln in ALL if ln.startswith("regassist ingest")]
    assert lines
    for i, line in enumerate(lines):
        argv = _argv(line)
        source = tmp_path / argv[2]
        if source.suffix == ".docx":
            import docx

            document = docx.Document()
            for para in text.split("\n\n"):
                document.add_paragraph(para.strip())
            document.save(source)
        else:
            source.write_text(text, encoding="utf-8")
        # Each example adds its own city: the second gets an id and name of its own.
        if i:
            argv = [a.replace("moushi-2024", f"moushi{i}-2024").replace("某市", f"某{i}市") if a != argv[2] else a
                    for a in argv]
        done = _run(argv, private, tmp_path, cwd=tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    done = _run(["regassist", "index"], private, tmp_path, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    done = _run(["regassist", "ask", "某市的项目试运行多久？"], private, tmp_path, cwd=tmp_path)
    assert done.returncode == 0 and "2 个月" in done.stdout, done.stdout
