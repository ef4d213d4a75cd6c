"""Evaluators' own question sets: spreadsheets written here (xlsx, csv in UTF-8 and GBK, jsonl),
the template, scoring without evidence strings, the HTML report, --compare, and /api/eval — all
through the real assistant, CLI and app."""

from __future__ import annotations

import io
import json
import time

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.cli import app as cli
from assistant.errors import InvalidInput
from assistant.evals.paired import compare_runs, mcnemar_exact
from assistant.evals.report import EvalRun, render_html
from assistant.evals.run import run
from assistant.evals.sheets import EXAMPLES, read_rows, to_cases
from assistant.server.api import create_app
from assistant.server.security import SecuritySettings

from conftest import CORPUS

HEAD = ["问题", "城市", "标准答案", "依据条款", "应拒答"]
GOOD = [
    ["乐山的项目试运行多久才能验收？", "乐山", "经3个月试运行正常后组织验收", "乐山 第31条", "否"],
    ["多少钱以上的项目要请监理？", "六安", "100万元及以上须引入监理", "第十六条", "否"],
    ["项目验收专家评审费每人多少钱？", "", "办法没有规定", "", "是"],
]
BAD = [
    ["启东验收谁组织？", "启东", "", "启东 第九十九条", "否"],
    ["", "六安", "", "", "否"],
    ["成都验收要多久？", "成都", "", "", "也许"],
]
runner = CliRunner()


def xlsx(rows: list[list[str]], head=HEAD) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(head)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", head=HEAD) -> bytes:
    return "\n".join(",".join(r) for r in [head, *rows]).encode(encoding)


@pytest.fixture()
def env(index_dir, assistant, monkeypatch):
    monkeypatch.setenv("REGASSIST_CORPUS", str(CORPUS))
    monkeypatch.setenv("REGASSIST_INDEX_DIR", str(index_dir))


# -- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("data, name", [
    (xlsx(GOOD), "set.xlsx"), (csv_bytes(GOOD), "set.csv"), (csv_bytes(GOOD, "gb18030"), "set.csv"),
    ("\n".join(json.dumps(dict(zip(HEAD, r)), ensure_ascii=False) for r in GOOD).encode(), "set.jsonl"),
])
def test_a_spreadsheet_becomes_cases_with_clauses_resolved(assistant, data, name):
    cases = to_cases(read_rows(data, name), assistant)
    assert [c.q for c in cases] == [r[0] for r in GOOD]
    trial, supervision, fee = cases
    assert trial.articles == ("leshan-2022/第三十一条",) and trial.cities == ("leshan-2022",)
    # A label without a city is read in the row's city; the city column scopes a question that names none.
    assert supervision.articles == ("luan-2021/第十六条",) and supervision.city == "六安"
    assert trial.city is None  # the question names 乐山 itself
    # A case without 编号 is named by its row: the spreadsheet's row (the header is row 1), or the line.
    assert fee.refuse and not fee.articles and fee.id == ("R3" if name.endswith(".jsonl") else "R4")


def test_english_headers_and_a_paragraph_label_are_accepted(assistant):
    head = ["id", "question", "city", "reference", "clauses", "refuse"]
    cases = to_cases(read_rows(xlsx([["a1", "六安试运行多久？", "六安", "1个月", "六安 第十九条第二款", "no"]], head),
                               "x.xlsx"), assistant)
    assert cases[0].id == "a1" and cases[0].articles == ("luan-2021/第十九条",)  # a 款 counts as its article


def test_every_bad_row_is_named_by_row_and_column(assistant):
    with pytest.raises(InvalidInput) as err:
        to_cases(read_rows(xlsx(GOOD + BAD), "bad.xlsx"), assistant)
    message = str(err.value)
    assert "第5行「依据条款」：《启东市电子政务工程建设项目管理暂行办法》没有“第九十九条”" in message
    assert "第6行「问题」：不能为空" in message
    assert "第7行「应拒答」：“也许”应为 是 或 否" in message and "第7行「城市」：语料库中没有“成都”" in message


def test_a_sheet_without_a_question_column_says_which_columns(assistant):
    with pytest.raises(InvalidInput, match="缺少列“问题”"):
        read_rows(xlsx(GOOD, head=["提问", "城市", "标准答案", "依据条款", "应拒答"]), "x.xlsx")
    with pytest.raises(InvalidInput, match="不支持的文件类型"):
        read_rows(b"%PDF", "x.pdf")


def test_the_cli_names_the_bad_rows_and_exits_2(env, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(GOOD + BAD))
    result = runner.invoke(cli, ["eval", "--cases", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "第5行「依据条款」" in result.output and "第6行「问题」" in result.output


def test_the_template_round_trips(env, assistant, tmp_path):
    result = runner.invoke(cli, ["eval", "--template"])
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"
    assert openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).sheetnames == ["评测集", "填写说明"]
    cases = to_cases(read_rows(result.stdout_bytes, "模板.xlsx"), assistant)
    assert [c.q for c in cases] == [e["问题"] for e in EXAMPLES]
    assert cases[1].articles == ("luan-2021/第十六条",)  # "六安 第16条"
    assert [c.articles for c in cases][2] == ("luan-2021/第十九条", "leshan-2022/第三十一条")
    assert cases[3].refuse


# -- scoring and reports -------------------------------------------------------------------


def test_scoring_without_evidence_gives_each_case_a_reason(assistant):
    rows = GOOD + [["乐山的项目试运行多久才能验收？", "乐山", "试运行6个月", "乐山 第三十一条", "否"],
                   ["乐山的项目试运行多久才能验收？", "乐山", "", "乐山 第三十条", "否"],
                   ["乐山试运行多久才能验收？", "乐山", "", "", "是"]]
    report = run(assistant, to_cases(read_rows(xlsx(rows), "x.xlsx"), assistant))
    trial, supervision, fee, wrong_number, wrong_clause, wrong_refuse = report.results
    assert trial.passed and trial.missing_numbers == [] and trial.reason.startswith("通过：引用了乐山市 第三十一条")
    assert supervision.passed and fee.passed and fee.reason == "通过：正确说明收录的办法未覆盖"
    assert not wrong_number.passed and "标准答案中的数字未出现在回答中：6个月" in wrong_number.reason
    assert not wrong_clause.passed and "未引用依据条款 乐山市 第三十条" in wrong_clause.reason
    assert not wrong_refuse.passed and wrong_refuse.reason.startswith("应拒答，却作了回答")
    m = report.metrics()
    assert m["pass_rate"] == 3 / 6 and m["numbers_acc"] == 2 / 3
    assert 0 < trial.char_f1 <= 1 and 0 < trial.rouge_l <= 1 and "char_f1" in m and "rouge_l" in m


def test_the_html_report_is_one_file_with_every_case(assistant):
    report = run(assistant, to_cases(read_rows(xlsx(GOOD), "x.xlsx"), assistant))
    page = render_html(EvalRun(report, "test", cases_name="x.xlsx"))
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    for r in report.results:
        assert f"id='case-{r.case.id}'" in page
    assert "通过率" in page and "按城市" in page and "字符 F1（参考）" in page
    held_out = render_html(EvalRun(report, "test", cases_name="x.xlsx", aggregate_only=True))
    assert "case-" not in held_out and "只报告汇总指标" in held_out


def test_cli_writes_html_md_and_json_with_each_case(env, tmp_path):
    path = tmp_path / "set.xlsx"
    path.write_bytes(xlsx(GOOD))
    result = runner.invoke(cli, ["eval", "--cases", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report-set.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["cases"]] == ["R2", "R3", "R4"] and all(c["reason"] for c in data["cases"])
    assert (tmp_path / "report-set.html").read_text(encoding="utf-8").count("id='case-") == 3
    assert (tmp_path / "report-set.md").is_file()


# -- comparing runs --------------------------------------------------------------------------


def _case(i, passed, reason="r"):
    return {"id": i, "q": f"问题{i}", "passed": passed, "reason": reason, "answerable": True, "refuse": False,
            "expected": ["x/第一条"], "clause_ok": passed, "cited_ok": passed, "missing_numbers": None,
            "char_f1": None, "rouge_l": None}


def test_compare_lists_the_flips_in_both_directions(tmp_path):
    a = {"cases": [_case("c1", True), _case("c2", False, "未引用"), _case("c3", False), _case("c4", True),
                   _case("c5", True), _case("only-a", True)]}
    b = {"cases": [_case("c1", True), _case("c2", True), _case("c3", True), _case("c4", False, "应作答，却回答"),
                   _case("c5", True), _case("only-b", False)]}
    paired = compare_runs(a, b, "A", "B")
    assert [f.id for f in paired.fixed] == ["c2", "c3"] and [f.id for f in paired.broke] == ["c4"]
    assert paired.fixed[0].reason_a == "未引用" and paired.broke[0].reason_b == "应作答，却回答"
    assert paired.cases == 5 and paired.only_a == ("only-a",) and paired.only_b == ("only-b",)
    assert paired.metrics["pass_rate"] == (3 / 5, 4 / 5)
    assert paired.p_value == 1.0  # 2 against 1 is no evidence
    # The CLI reads two reports and prints the same.
    (tmp_path / "a.json").write_text(json.dumps(a), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(b), encoding="utf-8")
    out = runner.invoke(cli, ["eval", "--compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert out.exit_code == 0 and "新通过 2 个，新失败 1 个" in out.stdout and "- c4 问题c4" in out.stdout
    bad = runner.invoke(cli, ["eval", "--compare", str(tmp_path / "a.json"), str(tmp_path / "missing.json")])
    assert bad.exit_code == 2 and "无法读取评测结果" in bad.output


@pytest.mark.parametrize("b, c, p", [(0, 0, 1.0), (0, 5, 0.0625), (0, 6, 0.03125), (1, 9, 0.021484375), (5, 5, 1.0)])
def test_mcnemar_exact(b, c, p):
    assert mcnemar_exact(b, c) == pytest.approx(p)


# -- the API -------------------------------------------------------------------------------


def _poll(client, job_id, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(f"/api/eval/{job_id}").json()
        if body["status"] in ("done", "failed", "timeout"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"evaluation job {job_id} did not finish within {seconds} s: {body}")


def test_api_runs_an_uploaded_set_as_a_job_with_progress(assistant):
    with TestClient(create_app(assistant), raise_server_exceptions=False) as client:
        r = client.post("/api/eval", files={"file": ("set.xlsx", xlsx(GOOD))})
        assert r.status_code == 202 and r.json()["total"] == 3
        job = r.json()["job"]
        body = _poll(client, job)
        assert body["status"] == "done" and body["done"] == body["total"] == 3 and body["metrics"]["cases"] == 3
        page = client.get(body["report"])
        assert page.status_code == 200 and page.text.count("id='case-") == 3
        results = client.get(body["results"]).json()
        assert [c["id"] for c in results["cases"]] == ["R2", "R3", "R4"]
        bad = client.post("/api/eval", files={"file": ("bad.csv", csv_bytes(BAD))})
        assert bad.status_code == 422 and "第2行「依据条款」" in bad.json()["error"]
        assert client.get("/api/eval/" + "0" * 32).status_code == 404


def test_api_bounds_the_upload(assistant):
    security = SecuritySettings(max_upload=10_000)
    with TestClient(create_app(assistant, security=security), raise_server_exceptions=False) as client:
        big = client.post("/api/eval", files={"file": ("big.csv", csv_bytes(GOOD * 200))})
        assert big.status_code == 413
        # Other requests keep the small body limit.
        assert client.post("/api/ask", content=b"{" + b" " * 70_000 + b"}",
                           headers={"content-type": "application/json"}).status_code == 413


def test_a_job_stops_at_its_time_limit_with_what_it_has(assistant):
    from assistant.server.jobs import EvalJobs

    jobs = EvalJobs(lambda: assistant, time_limit=0.0)
    job = jobs.submit(xlsx(GOOD), "set.xlsx")
    deadline = time.monotonic() + 60
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.status == "timeout" and job.done < job.total and "时限" in job.error
    assert job.run is not None and "评测报告" in job.html()


# -- hostile or awkward files ------------------------------------------------------------------


def test_yaml_aliases_are_refused_before_they_expand(assistant):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\ncases:\n  - {问题: *b}\n"
    with pytest.raises(InvalidInput, match="锚点与别名"):
        read_rows(bomb.encode(), "bomb.yaml")


def test_a_sheet_declaring_a_huge_size_is_read_within_limits(assistant):
    book = openpyxl.Workbook()
    book.active.append(HEAD)
    book.active.append(GOOD[0])
    book.active["XFD3"] = "far away"  # the sheet now declares 16,384 columns
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    rows = read_rows(out.getvalue(), "wide.xlsx")
    assert [r.cells["question"] for r in rows] == [GOOD[0][0]] and time.monotonic() - started < 10
    many = xlsx([GOOD[0]] * 2001)
    with pytest.raises(InvalidInput, match="超过 2000 行"):
        read_rows(many, "many.xlsx")


def test_cells_read_as_excel_shows_them(assistant):
    book = openpyxl.Workbook()
    book.active.append(HEAD)
    book.active.append(["乐山项目投资调整超过多少要重新报批？", "乐山", 0.15, "乐山 第二十九条", "否"])
    book.active["C2"].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    (row,) = read_rows(out.getvalue(), "pct.xlsx")
    assert row.cells["reference"] == "15%"
    gbk = "\n".join(json.dumps(dict(zip(HEAD, r)), ensure_ascii=False) for r in GOOD).encode("gb18030")
    assert len(read_rows(gbk, "set.jsonl")) == 3
    with pytest.raises(InvalidInput, match="单元格过长"):
        read_rows(csv_bytes([["问" * 2001, "", "", "", ""]]), "long.csv")


def test_clause_cells_as_people_write_them(assistant):
    from assistant.evals.sheets import resolve_clauses

    assert resolve_clauses(assistant, "乐山 第十条，六安 第九条", []) == (["leshan-2022/第十条", "luan-2021/第九条"], [])
    assert resolve_clauses(assistant, "乐山 第31条，第三十二条", []) == (
        ["leshan-2022/第三十一条", "leshan-2022/第三十二条"], [])
    assert resolve_clauses(assistant, "启东 附件4·四、验收条件", []) == (["qidong-2019/附件4·四、验收条件"], [])
    ids, problems = resolve_clauses(assistant, "启东 附件4", [])
    assert not ids and "附件请写到节" in problems[0]


def test_a_refusal_row_is_not_judged_on_its_reference_numbers(assistant):
    rows = [["项目验收专家评审费每人多少钱？", "", "办法没有规定，市场价一般500元", "", "是"]]
    (result,) = run(assistant, to_cases(read_rows(xlsx(rows), "x.xlsx"), assistant)).results
    assert result.passed and result.missing_numbers is None and "数字" not in result.reason


def test_compare_pairs_a_case_by_id_and_question(tmp_path):
    a = {"cases": [_case("R2", True), _case("R3", False)]}
    shifted = dict(_case("R3", True), q="插入的新问题")
    b = {"cases": [_case("R2", True), shifted]}
    paired = compare_runs(a, b)
    assert paired.cases == 1 and paired.mismatched == ("R3",) and not paired.fixed
    assert "编号相同但问题不同" in paired.render()


def test_a_failed_job_says_why_it_has_no_report(assistant):
    from assistant.server.jobs import EvalJobs

    class Broken:
        def __getattr__(self, name):
            return getattr(assistant, name)

        def ask(self, *args, **kwargs):
            raise RuntimeError("boom")

    jobs = EvalJobs(lambda: Broken())
    job = jobs.submit(xlsx(GOOD), "set.xlsx")
    deadline = time.monotonic() + 60
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.status == "failed" and "boom" in job.error and job.done == 0
    assert job.run is not None and job.run.report.results == []  # the report holds what was done: nothing
