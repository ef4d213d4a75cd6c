"""What a user takes away: each city's process (record, JSON, SVG), the self-check as a Word file,
the comparison as an Excel workbook, and clauses' references resolved — on the real corpus and index."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import docx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from assistant.answers.process import actor_of, build_process
from assistant.corpus.loader import load_corpus
from assistant.answers.process import Process, Step
from assistant.corpus.model import DocMeta, Status
from assistant.corpus.parser import parse_document
from assistant.exports.diagram import to_svg
from assistant.rules.facts import project_facts
from assistant.server.api import create_app

from conftest import CORPUS, DOC_IDS

LIFECYCLE = ["申报", "审查", "立项", "采购", "建设", "验收", "运维", "评价"]


@pytest.fixture(scope="module")
def client(assistant):
    with TestClient(create_app(assistant), raise_server_exceptions=False) as c:
        yield c


# -- process -------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_each_document_has_its_stages_in_order_with_clauses_and_time_limits(assistant, doc_id):
    process = build_process(assistant.context, doc_id, project_facts())
    assert [s.stage for s in process.steps] == LIFECYCLE
    doc = assistant.corpus.documents[doc_id]
    labels = {c.label for c in doc.clauses}
    for step in process.steps:
        assert step.provided and set(step.clauses) <= labels, (step.stage, step.clauses)
    # Every time limit of the rule book that names a stage is on that stage's step, with its clause.
    timed = {(t.rule_id, t.article) for s in process.steps for t in s.timings}
    stage_words = {w for s in assistant.context.stages for w in (s.name, *s.aliases)}
    for rule in assistant.context.rules.for_docs((doc_id,)):
        if rule.kind in ("deadline", "duration") and rule.statement and any(
                w in t for t in rule.topics for w in stage_words):
            assert (rule.id, rule.article) in timed, rule.id


def test_known_deadlines_sit_on_their_steps(assistant):
    def timings(doc_id, stage):
        step = next(s for s in build_process(assistant.context, doc_id, project_facts()).steps if s.stage == stage)
        return " ".join(f"{t.statement}（{t.article}）" for t in step.timings)

    assert "7月底前" in timings("luan-2021", "申报") and "第九条" in timings("luan-2021", "申报")
    assert "7-8月份" in timings("luan-2021", "审查")
    assert "3个月试运行" in timings("leshan-2022", "验收") and "第三十一条" in timings("leshan-2022", "验收")
    assert "30天" in timings("shangcheng-draft", "验收")
    assert "6个月内完成采购" in timings("shangcheng-draft", "采购")
    assert "10月底前" in timings("qidong-2019", "申报")


def test_the_amount_changes_the_path_where_a_threshold_applies(assistant):
    def approval(amount):
        steps = build_process(assistant.context, "luan-2021", project_facts(amount)).steps
        return next(s for s in steps if s.stage == "立项"), next(s for s in steps if s.stage == "建设")

    small, small_build = approval(300)
    large, large_build = approval(600)
    taken = lambda step: [b for b in step.branches if b.taken]  # noqa: E731
    assert [b.rule_id for b in taken(small)] == ["luan-proposal-500-below"]
    assert [b.rule_id for b in taken(large)] == ["luan-proposal-500-above"]
    assert "打捆编制" in taken(small)[0].then and taken(small)[0].computation == "300万元 < 500万元"
    # Who compiles the proposal follows the path: 市数管局 (bundled) below 500万, the unit above.
    assert small.actor == "市数管局" and large.actor == "项目建设单位"
    # Both are at or above 100万: 监理 applies to both; 80万 takes the other way.
    assert [b.taken for b in small_build.branches] == [True] == [b.taken for b in large_build.branches]
    tiny = next(s for s in build_process(assistant.context, "luan-2021", project_facts(80)).steps if s.stage == "建设")
    assert [b.taken for b in tiny.branches] == [False]
    # Without an amount every branch is open.
    open_ = next(s for s in build_process(assistant.context, "luan-2021", project_facts()).steps if s.stage == "立项")
    assert {b.taken for b in open_.branches} == {None}


def test_a_city_without_a_provision_shows_what_it_has_and_names_what_is_missing(assistant):
    ctx = assistant.context
    stages = [replace(s, clauses={**s.clauses, "leshan-2022": ()}) if s.name in ("运维", "评价") else s
              for s in ctx.stages]
    process = build_process(replace(ctx, stages=stages), "leshan-2022", project_facts())
    assert process.missing == ["运维", "评价"]
    assert [s.stage for s in process.steps if s.provided] == LIFECYCLE[:6]
    svg = to_svg(process)
    assert "未作规定的环节：运维、评价" in svg and svg.count("该文件未作规定") == 2


@pytest.mark.parametrize("text, actor", [
    ("每年7-8月份，市数管局初审通过后，会同市财政局组织专家", "市数管局"),
    ("由市数管局会同项目建设单位打捆编制项目建议书", "市数管局"),
    ("电子政务项目依法履行政府采购程序", None),
])
def test_the_actor_is_the_unit_that_acts(text, actor):
    assert actor_of(text) == actor


def test_process_api_serves_json_and_svg(client):
    r = client.get("/api/process/luan-2021", params={"amount": "三百万"})
    assert r.status_code == 200
    body = r.json()
    assert [s["stage"] for s in body["steps"]] == LIFECYCLE and body["facts"]["amount_wan"] == 300
    approval = next(s for s in body["steps"] if s["stage"] == "立项")
    assert [b["rule"] for b in approval["branches"] if b["taken"]] == ["luan-proposal-500-below"]
    r = client.get("/api/process/luan-2021.svg", params={"amount": "600"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<?xml") and "<svg" in r.text and "项目金额 ≥ 500万元" in r.text
    assert client.get("/api/process/nope-1.svg").status_code == 404
    bad = client.get("/api/process/luan-2021", params={"amount": "很多"})
    assert bad.status_code == 422 and "amount" in bad.json()["error"]


def test_svg_text_is_escaped():
    process = Process("x-1", "测试市", "<script>alert(1)</script>办法",
                      (Step("申报", ("第一条",), "A&B局", "<b>申报</b>"),), project_facts(), note="注意<img src=x>")
    svg = to_svg(process)
    assert "<script>" not in svg and "<img" not in svg and "&lt;script&gt;" in svg and "A&amp;B局" in svg


# -- Word --------------------------------------------------------------------------------


def test_the_self_check_downloads_as_a_word_file_with_every_citation_and_conclusion(client):
    request = {"city": "六安", "amount": 300, "project_type": "新建"}
    data = client.post("/api/check", json=request).json()["results"][0]
    r = client.post("/api/check", params={"format": "docx"}, json=request)
    assert r.status_code == 200 and "wordprocessingml" in r.headers["content-type"]
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    document = docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for c in data["conclusions"]:
        assert c["computation"] in text and c["conclusion"] in text and c["article"] in text
    for citation in data["checklist"]["citations"]:
        assert f"《{citation['title']}》{citation['article']}" in text
    assert "300万元" in text and "新建" in text and "语料版本" in text and "生成日期" in text
    # Chinese fonts set for East Asian text, so Word and WPS render it alike.
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_a_draft_document_carries_its_status_note_into_the_word_file(client):
    r = client.post("/api/check", params={"format": "docx"}, json={"city": "上城区"})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "征求意见稿" in text and "未填写金额" in text


# -- Excel -------------------------------------------------------------------------------


def test_the_comparison_opens_in_excel_with_figures_marked_and_full_texts(client):
    request = {"topics": ["试运行", "监理"]}
    data = client.post("/api/compare", json=request).json()
    r = client.post("/api/compare", params={"format": "xlsx"}, json=request)
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    book = openpyxl.load_workbook(io.BytesIO(r.content), rich_text=True)
    sheet = book["对比"]
    assert [c.value for c in sheet[1]][0] == "主题" and len(sheet[1]) == 1 + len(data["cities"])
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(data["rows"]))] == ["试运行", "监理"]
    for i, row in enumerate(data["rows"]):
        for j, cell in enumerate(row["cells"]):
            target = sheet.cell(row=i + 2, column=j + 2)
            text = str(target.value)
            if not cell["provided"]:
                assert text == "未作规定"
                continue
            for clause in cell["clauses"]:
                assert clause["part"] in text
                assert clause["text"][:100] in target.comment.text
                for figure in clause["figures"]:
                    marked = [b.text for b in target.value if hasattr(b, "font") and b.font.b]
                    assert figure in marked, (figure, marked)
    texts = book["条文"]
    parts = {row[2].value for row in texts.iter_rows(min_row=2)}
    assert {c["part"] for row in data["rows"] for cell in row["cells"] for c in cell["clauses"]} == parts


def test_control_characters_do_not_break_the_excel_export(client):
    r = client.post("/api/compare", params={"format": "xlsx"}, json={"question": "试运行\u000b期限", "cities": ["乐山"]})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "试运行期限" in [c.value for c in book["说明"]["A"]][0]


def test_a_path_the_text_gives_for_the_other_side_is_drawn(assistant):
    process = build_process(assistant.context, "luan-2021", project_facts(80))
    build = next(s for s in process.steps if s.stage == "建设")
    assert build.branches[0].otherwise and build.branches[0].taken is False
    svg = to_svg(process)
    assert "否则：未达到须引入监理的100万元门槛" in svg
    ratio = next(s for s in build_process(assistant.context, "leshan-2022", project_facts()).steps if s.stage == "建设")
    assert ratio.branches[0].fact == "change_ratio" and "视调整比例而定" in to_svg(
        build_process(assistant.context, "leshan-2022", project_facts()))


def test_an_excel_cell_is_never_a_formula(client):
    r = client.post("/api/compare", params={"format": "xlsx"},
                    json={"question": "=HYPERLINK(\"http://x\") 试运行多久", "cities": ["乐山"]})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)


# -- references ----------------------------------------------------------------------------


def test_every_reference_in_the_four_documents_resolves_or_says_why_not():
    corpus = load_corpus(CORPUS)
    unresolved = []
    for doc in corpus.documents.values():
        labels = {c.label for c in doc.clauses}
        for r in doc.references:
            assert doc.clauses and r.source in labels
            if r.target is not None:
                assert r.target in labels and r.reason is None
            else:
                assert r.reason, r
                unresolved.append((doc.doc_id, r.source, r.text, r.reason))
            # Internal references (an article, a chapter, an attachment) resolve in these documents.
            assert r.kind == "document" or r.target is not None or r.reason == "其他文件的条款，未收录", r
    # The ones that lead nowhere are laws, other documents and forms the 办法 name but do not include.
    assert unresolved and all(reason.startswith(("外部文件", "本办法提到的表格")) for *_, reason in unresolved), unresolved
    references = {(d.doc_id, r.source, r.text): r.target for d in corpus.documents.values() for r in d.references}
    assert references[("leshan-2022", "第三十九条", "本办法第三十七条")] == "第三十七条"
    assert references[("leshan-2022", "第三十九条", "三十八条")] == "第三十八条"
    assert references[("qidong-2019", "第八条", "本办法第七条")] == "第七条"
    assert references[("qidong-2019", "第二十四条", "第二章")] == "第七条"  # 第二章's first article
    assert references[("qidong-2019", "第七条", "附件 1")] == "附件1"
    assert references[("qidong-2019", "第十九条", "《验收工作大纲》")].startswith("附件4")


def test_a_broken_reference_is_kept_with_its_reason():
    meta = DocMeta(doc_id="t-1", city="测试市", title="测试市电子政务项目管理办法", file="t.txt", status=Status.CURRENT)
    doc = parse_document(meta, "第一条　按照本办法第九十九条执行，材料见附件 5，作为附件一并上报。\n第二条　参照第一条。\n"
                               "第三条　依照《政府采购法》第二十六条，按第一条及一般程序办理，附件一和附件二另行印发。\n")
    refs = [(r.source, r.text, r.target, r.reason) for r in doc.references]
    assert refs == [("第一条", "本办法第九十九条", None, "本文件没有第九十九条"),
                    ("第一条", "附件 5", None, "本文件未收录附件5的内容"),
                    ("第二条", "第一条", "第一条", None),
                    ("第三条", "《政府采购法》", None, "外部文件（法规、上级或其他文件），未收录"),
                    ("第三条", "第二十六条", None, "其他文件的条款，未收录"),  # not this text's 第二十六条
                    ("第三条", "第一条", "第一条", None),  # "及一般程序" lists no article
                    ("第三条", "附件一", None, "本文件未收录附件1的内容"),
                    ("第三条", "附件二", None, "本文件未收录附件2的内容")]


def test_the_article_view_returns_its_references(client):
    body = client.get("/api/articles/leshan-2022/第三十九条").json()
    refs = body["references"]
    assert [(r["text"], r["target"]) for r in refs] == [("本办法第三十七条", "第三十七条"), ("三十八条", "第三十八条")]
    assert refs[0]["url"] == "/api/articles/leshan-2022/%E7%AC%AC%E4%B8%89%E5%8D%81%E4%B8%83%E6%9D%A1"
    assert body["text"][refs[0]["start"]:refs[0]["end"]] == "本办法第三十七条"
    external = client.get("/api/articles/luan-2021/第一条").json()["references"]
    assert external and all(r["target"] is None and r["url"] is None and r["reason"] for r in external)
