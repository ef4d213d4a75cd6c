"""Gradio UI: `create_ui(assistant) -> gr.Blocks`, mounted by the API at /ui. Five tabs — 问答,
条款查阅, 城市对比, 项目自查 — each callback calls one core function and formats its result."""

from __future__ import annotations

import atexit
import html
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import gradio as gr

from assistant.answers.compare import Comparer
from assistant.answers.notes import status_note
from assistant.answers.records import Answer, AnswerMode
from assistant.answers.process import build_process
from assistant.answers.selfcheck import self_check
from assistant.evals.report import METRIC_NAMES
from assistant.evals.sheets import template_xlsx
from assistant.assistant import Assistant
from assistant.exports.diagram import to_svg
from assistant.exports.excel import comparison_xlsx
from assistant.exports.word import selfcheck_docx
from assistant.errors import InvalidInput, NotFound, RegassistError
from assistant.limits import MAX_QUESTION, checked_question
from assistant.llm.findings import CitationFinding
from assistant.llm.grounded import Grounded
from assistant.rules.evaluate import RuleConclusion
from assistant.rules.facts import ProjectKind, form_facts, project_facts
from assistant.rules.guard import GuardFinding
from assistant.search.scope import Scope
from assistant.server.jobs import EvalJobs

ALL_CITIES = "全部城市"

CSS = """
table.compare { border-collapse: collapse; width: 100%; font-size: 14px; }
table.compare th, table.compare td { border: 1px solid #d0d7de; padding: 6px 8px; vertical-align: top; text-align: left; }
table.compare thead th { background: #f3f6f9; }
table.compare tbody th { background: #fafbfc; white-space: nowrap; }
table.compare mark { background: #ffe58f; padding: 0 2px; }
table.compare .none { color: #8c959f; font-style: italic; }
table.compare .finding + .finding { margin-top: 6px; border-top: 1px dashed #d0d7de; padding-top: 6px; }
.note { color: #9a6700; }
.process-row { display: flex; gap: 12px; overflow-x: auto; align-items: flex-start; }
.process-row > div { flex: 1 1 0; min-width: 380px; }
.process-row svg { max-width: 100%; height: auto; }
.process { overflow-x: auto; }
#check-process { flex: 0 0 auto; max-width: 100%; }
"""


def _clause_link(doc_id: str, label: str) -> str:
    return f"?doc={quote(doc_id)}&article={quote(label)}"


def _asked_before(history: list) -> list[str]:
    """The user's earlier questions in the chat (the follow-up's history). Gradio gives a message's
    content as text or as a list of parts."""
    out = []
    for message in history:
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
        if isinstance(content, str) and content.strip():
            out.append(content.strip())
    return out


def format_answer(answer: Answer) -> str:
    """The answer, then each citation (expandable to the full clause), rule computations and the
    guard's findings — Markdown for the chat."""
    out = [html.escape(answer.answer).replace("\n", "<br>")]
    if answer.citations:
        out.append("<br><b>引用条款</b>")
        for c in answer.citations:
            body = html.escape(c.text).replace("\n", "<br>")
            out.append(f"<details><summary>《{html.escape(c.title)}》{html.escape(c.article)}（{html.escape(c.city)}）"
                       f"</summary><div class='clause'>{body}<br>"
                       f"<a href='{_clause_link(c.doc_id, c.article)}' target='_blank'>在条款查阅中打开</a></div></details>")
    rules = answer.checks_of(RuleConclusion)
    if rules:
        out.append("<br><b>规则计算</b>")
        out += [f"· {html.escape(c.computation)}：{html.escape(c.text)}（{html.escape(c.rule.article)}）"
                for c in rules]
    unbacked = answer.checks_of(GuardFinding)
    if unbacked:
        out.append("<br><b>⚠ 数字核对</b>")
        for c in unbacked:
            action = {"corrected": f"已按条款改为“{c.corrected_to}”", "removed": "所在句已删除"}.get(
                c.action, "未见于所引条款")
            out.append(f"· “{html.escape(c.quantity)}”与所引条款不符，{html.escape(action)}")
    cites = answer.checks_of(CitationFinding)
    if cites:
        out.append("<br><b>⚠ 引用核对</b>")
        labels = {"invented_id": "引用了未提供的条款编号", "unknown_article": "提到了所给条款之外的条号",
                  "other_city": "提到了其他城市的规定"}
        out += [f"· {labels.get(c.status, c.status)}（{html.escape(str(c.id or c.article or c.city))}），"
                f"所在句已删除" for c in cites]
    if answer.mode is AnswerMode.LLM:
        out.append("<br><small>由大模型依据所引条款改写，引用与数字已逐句核对。</small>")
    if not answer.answerable:
        out.append("<br><i>语料库未覆盖该问题，未作推测。</i>")
    return "<br>".join(out)


def inline_svg(svg: str) -> str:
    """An SVG document as markup to put inside a page (its XML declaration dropped)."""
    return svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg


def _md_text(text: str) -> str:
    """Clause text shown as Markdown literally (a 《》 title or a bracket is not markup)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _linked(doc_id: str, clause_text: str, text: str, refs) -> str:
    """A paragraph of a clause as Markdown, each resolved reference in it a link to its target
    (reference offsets are in the clause's text; the paragraph is found in it)."""
    at = clause_text.find(text)
    if at < 0 or not refs:
        return _md_text(text)
    out, cursor = [], 0
    for r in refs:
        start, end = r.start - at, r.end - at
        if r.target is None or start < cursor or end > len(text):
            continue
        out += [_md_text(text[cursor:start]), f"[{_md_text(text[start:end])}](/ui/{_clause_link(doc_id, r.target)})"]
        cursor = end
    out.append(_md_text(text[cursor:]))
    return "".join(out)


def _clause_markdown(assistant: Assistant, doc_id: str, label: str) -> str:
    try:
        meta, clause = assistant.show(doc_id, label)
    except NotFound as exc:
        return f"**{exc}**"
    where = " · ".join(x for x in (clause.chapter, clause.section) if x)
    note = status_note(meta, assistant.today)
    lines = [f"### 《{meta.title}》{clause.label}", f"{meta.city}" + (f" · {where}" if where else "")]
    if note:
        lines.append(f"> {note}")
    lines.append("")
    doc = assistant.corpus.documents[doc_id]
    refs = doc.references_of(clause.label)
    # Each 款 with its 项 (an item is a line of its own), references linked.
    lines += ["  \n".join(_linked(doc_id, clause.text, t, refs) for t in (p.text, *(i.text for i in p.items)))
              for p in clause.paragraphs] or [_linked(doc_id, clause.text, clause.text, refs)]
    if refs:
        listed = list({(r.text, r.target): r for r in refs}.values())
        lines.append("**本条引用**：" + "；".join(
            f"[{_md_text(r.text)}](/ui/{_clause_link(doc_id, r.target)})（{r.target}）" if r.target
            else f"{_md_text(r.text)}（{r.reason}）" for r in listed))
    lines.append("")
    lines.append(f"直达链接：[/ui/{_clause_link(doc_id, clause.label)}](/ui/{_clause_link(doc_id, clause.label)})"
                 f" · 接口：`/api/articles/{doc_id}/{clause.label}`")
    return "\n\n".join(lines)


class Exports:
    """Files offered for download (the comparison's CSV and Markdown), all in one directory of
    this process, which keeps the newest KEEP exports. `close` removes it: the server calls it at
    shutdown (a server stopped by SIGTERM never runs atexit: uvicorn re-raises the signal after
    its shutdown), and atexit covers everything else."""

    KEEP = 20

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="regassist-exports-"))
        self._lock = threading.Lock()
        self._made: list[Path] = []
        atexit.register(self.close)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def new(self) -> Path:
        with self._lock:
            folder = Path(tempfile.mkdtemp(dir=self.root))
            self._made.append(folder)
            while len(self._made) > self.KEEP:
                shutil.rmtree(self._made.pop(0), ignore_errors=True)
            return folder


class Callbacks:
    """What each control does: one core call, its result formatted. The layout wires them up."""

    def __init__(self, assistant: Assistant, comparer: Comparer, grounded: Grounded, jobs: EvalJobs | None = None,
                 exports: Exports | None = None):
        self.assistant, self.comparer, self.grounded = assistant, comparer, grounded
        self.jobs = jobs or EvalJobs(lambda: assistant)
        self.docs = list(assistant.corpus.documents.values())
        self.exports = exports or Exports()
        self.template = self.exports.root / "评测集模板.xlsx"  # beside the rotating exports, never pruned
        self.template.write_bytes(template_xlsx())

    def evaluate(self, path: str | None):
        """Runs an uploaded question set as a job; yields its progress, then the summary and the
        HTML report to download."""
        if not path:
            yield "请先上传评测集（.xlsx / .csv / .jsonl / .yaml），可先下载模板填写。", None
            return
        try:
            job = self.jobs.submit(Path(path).read_bytes(), Path(path).name)
        except RegassistError as exc:
            yield f"**无法评测**：{html.escape(str(exc))}".replace("\n", "  \n"), None
            return
        # Waiting in the queue is not the job's time: its own limit counts from when it starts.
        while not job.finished and (job.started is None or time.monotonic() < job.started + self.jobs.time_limit + 60):
            yield ("排队中：前面还有评测任务在运行……" if job.status == "queued"
                   else f"评测中：{job.done}/{job.total} 个用例……"), None
            time.sleep(0.5)
        if job.run is None:
            yield f"**评测未完成**：{html.escape(job.error or job.not_ready())}", None
            return
        report = self.exports.new() / f"评测报告-{Path(job.name).stem}.html"
        report.write_text(job.html(), encoding="utf-8")
        m = job.run.report.metrics()
        passed = sum(r.passed for r in job.run.report.results)
        lines = [f"**评测完成**：{job.total} 个用例，通过 {passed} 个（{m['pass_rate']:.0%}）。" + (f"  \n{job.error}" if job.error else ""),
                 "", "| 指标 | 数值 |", "|---|---|"]
        for key in ("citation_acc", "clause_acc", "refusal_acc", "numbers_acc", "contamination", "unbacked_numbers",
                    "char_f1", "rouge_l"):
            if key in m:
                lines.append(f"| {METRIC_NAMES[key][0]} | {m[key]:.3f} |" if isinstance(m[key], float)
                             else f"| {METRIC_NAMES[key][0]} | {m[key]} |")
        failed = [r for r in job.run.report.results if not r.passed][:20]
        if failed:
            lines += ["", "**未通过的用例**（完整对照见下载的报告）："]
            lines += [f"- {html.escape(r.case.id)}：{html.escape(r.case.q)} —— {html.escape(r.reason)}" for r in failed]
        yield "\n".join(lines), str(report)

    def chapters_of(self, doc_id: str) -> list[str]:
        doc = self.assistant.corpus.documents[doc_id]
        return list(dict.fromkeys(c.chapter or "（无章）" for c in doc.clauses))

    def labels_of(self, doc_id: str, chapter: str | None) -> list[str]:
        doc = self.assistant.corpus.documents[doc_id]
        return [c.label for c in doc.clauses if chapter is None or (c.chapter or "（无章）") == chapter]

    def ask(self, question: str, city: str, history: list):
        """Streams the model's text as it comes (marked unchecked), then replaces it with the
        checked answer; extractive answers arrive at once."""
        question = (question or "").strip()
        if not question:
            yield "", history
            return
        history = history + [{"role": "user", "content": question}]
        try:
            checked_question(question)
        except InvalidInput as exc:
            yield "", history + [{"role": "assistant", "content": f"{exc}。"}]
            return
        text = ""
        earlier = _asked_before(history[:-1])
        for event in self.grounded.stream(question, city=None if city in (None, "", ALL_CITIES) else city,
                                          history=earlier):
            if event["type"] == "token":
                text += event["text"]
                draft = html.escape(text).replace("\n", "<br>") + "<br><i>（生成中，完成后将逐句核对条款与数字）</i>"
                yield "", history + [{"role": "assistant", "content": draft}]
            else:
                yield "", history + [{"role": "assistant", "content": format_answer(event["answer"])}]

    def pick_doc(self, doc_id: str):
        chapters = self.chapters_of(doc_id)
        labels = self.labels_of(doc_id, chapters[0])
        return (gr.update(choices=chapters, value=chapters[0]), gr.update(choices=labels, value=labels[0]),
                _clause_markdown(self.assistant, doc_id, labels[0]))

    def pick_chapter(self, doc_id: str, chapter: str):
        labels = self.labels_of(doc_id, chapter)
        return gr.update(choices=labels, value=labels[0] if labels else None), (
            _clause_markdown(self.assistant, doc_id, labels[0]) if labels else "")

    def pick_clause(self, doc_id: str, label: str):
        return _clause_markdown(self.assistant, doc_id, label) if label else ""

    def find(self, query: str, doc_id: str):
        query = (query or "").strip()
        if not query:
            return "请输入检索词。"
        hits = self.assistant.search(query[:MAX_QUESTION], k=8, scope=Scope((doc_id,)))
        rows = [f"{i}. [{h.clause.label}](/ui/{_clause_link(h.meta.doc_id, h.clause.label)})："
                f"{h.clause.text[:80].replace(chr(10), ' ')}…" for i, h in enumerate(hits, 1)]
        return "\n".join(rows) or "没有找到相关条款。"

    def open_link(self, request: gr.Request):
        """/ui/?doc=luan-2021&article=第九条 opens that clause in 条款查阅."""
        params = dict(request.query_params) if request else {}
        doc_id = params.get("doc")
        if doc_id not in self.assistant.corpus.documents:
            doc_id = self.docs[0].doc_id
            label = None
        else:
            label = params.get("article")
        try:
            clause = self.assistant.corpus.clause(doc_id, label) if label else self.assistant.corpus.documents[doc_id].clauses[0]
        except NotFound:
            clause = self.assistant.corpus.documents[doc_id].clauses[0]
        chapter = clause.chapter or "（无章）"
        tab = gr.update(selected="browse") if label else gr.update()
        return (doc_id, gr.update(choices=self.chapters_of(doc_id), value=chapter),
                gr.update(choices=self.labels_of(doc_id, chapter), value=clause.label),
                _clause_markdown(self.assistant, doc_id, clause.label), tab)

    def compare(self, topics: list[str], chosen: list[str], question: str):
        question = (question or "").strip()[:MAX_QUESTION]
        if not chosen:
            return "<p class='note'>请至少选择一个城市。</p>", None, None, None, ""
        try:
            result = self.comparer.compare(topics=None if question else (topics or None),
                                      question=question or None, cities=chosen)
        except RegassistError as exc:
            return f"<p class='note'>{html.escape(str(exc))}</p>", None, None, None, ""
        if result.matched == "refused":
            # The same refusal 问答 gives: no table of clauses that do not say what is asked.
            return f"<p class='note'>{html.escape(result.notes[0])}</p>", None, None, None, ""
        folder = self.exports.new()
        csv_path, md_path, xlsx_path = folder / "城市对比.csv", folder / "城市对比.md", folder / "城市对比.xlsx"
        csv_path.write_text("\ufeff" + result.to_csv(), encoding="utf-8")
        md_path.write_text(result.to_markdown(), encoding="utf-8")
        xlsx_path.write_bytes(comparison_xlsx(result))
        header = ""
        if result.matched == "question":
            header = "<p class='note'>该问题未对应到预设主题，以下为各城市检索到的最相关条款。</p>"
        return header + result.to_html(), str(csv_path), str(md_path), str(xlsx_path), self.processes(result.docs)

    def processes(self, docs) -> str:
        """Each compared city's process diagram, side by side."""
        facts = project_facts()
        svgs = [inline_svg(to_svg(build_process(self.assistant.context, m.doc_id, facts))) for m in docs]
        return "<div class='process-row'>" + "".join(f"<div>{x}</div>" for x in svgs) + "</div>"

    def check(self, doc_id: str, amount: str, kind: str, software: bool, classified: bool):
        """The self-check as text, the process diagram for the project, and the Word file."""
        try:
            facts = form_facts(amount, kind, software, classified)
            results = self_check(self.assistant.context, Scope((doc_id,)), facts)
        except (ValueError, RegassistError) as exc:
            return f"**{exc}**", "", None
        diagram = inline_svg(to_svg(build_process(self.assistant.context, doc_id, facts)))
        word = self.exports.new() / f"项目自查-{results[0].city}.docx"
        word.write_bytes(selfcheck_docx(results, self.assistant.version, self.assistant.today))
        return self._check_text(results, facts.amount), f"<div class='process'>{diagram}</div>", str(word)

    def _check_text(self, results, value) -> str:
        out = []
        for r in results:
            out.append(f"## {r.city}：《{r.title}》")
            out += [f"> {n}" for n in r.notes]
            if r.conclusions:
                out.append("**规则计算**")
                out += [f"- {c.computation}：{c.text}（{c.rule.article}：“{c.rule.quote}”）" for c in r.conclusions]
            elif value is None:
                out.append("*未填写金额：以下为全流程清单，金额相关规则未计算。*")
            if r.checklist:
                doc = r.checklist.docs[0]
                out.append("**全流程清单**")
                out += [f"- {line}" for line in doc.lines()]
                if doc.note:
                    out.append(doc.note)
                out.append("**引用条款**：" + "、".join(
                    f"[{c.article}](/ui/{_clause_link(c.doc_id, c.article)})" for c in r.checklist.to_answer().citations))
        return "\n\n".join(out)


def create_ui(assistant: Assistant, comparer: Comparer | None = None, grounded: Grounded | None = None,
              jobs: EvalJobs | None = None, exports: Exports | None = None) -> gr.Blocks:
    cb = Callbacks(assistant, comparer or Comparer(assistant.context), grounded or Grounded(assistant), jobs, exports)
    docs = cb.docs
    cities = [d.meta.city for d in docs]
    doc_choices = [(f"{d.meta.city}：《{d.meta.title}》（{d.meta.status.value}）", d.doc_id) for d in docs]

    # -- layout --------------------------------------------------------------------------

    with gr.Blocks(title="regassist 政务信息化项目管理办法问答") as ui:
        gr.Markdown("## regassist · 政务信息化项目管理办法问答\n"
                    "收录：" + "、".join(f"{d.meta.city}《{d.meta.title}》（{d.meta.status.value}）" for d in docs))
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="ask"):
                chat = gr.Chatbot(label="问答", height=460, sanitize_html=True, elem_id="chat",
                                  buttons=["copy"], feedback_options=None)
                with gr.Row():
                    question = gr.Textbox(label="问题", placeholder="例如：乐山试运行多久才能验收？", scale=5,
                                          max_lines=4, elem_id="question")
                    city = gr.Dropdown([ALL_CITIES] + cities, value=ALL_CITIES, label="城市", scale=1)
                ask_button = gr.Button("提问", variant="primary", elem_id="ask-button")
                gr.Examples(["乐山试运行多久才能验收？", "500万以下项目需要什么材料？", "开发商验收时要交源代码吗",
                             "六安等保测评费用谁出"], inputs=question, label="示例")
                ask_button.click(cb.ask, [question, city, chat], [question, chat])
                question.submit(cb.ask, [question, city, chat], [question, chat])
            with gr.Tab("条款查阅", id="browse"):
                with gr.Row():
                    doc = gr.Dropdown(doc_choices, value=docs[0].doc_id, label="文件", scale=3)
                    first_chapters = cb.chapters_of(docs[0].doc_id)
                    chapter = gr.Dropdown(first_chapters, value=first_chapters[0], label="章", scale=2)
                    first_labels = cb.labels_of(docs[0].doc_id, first_chapters[0])
                    label = gr.Dropdown(first_labels, value=first_labels[0], label="条款", scale=2)
                clause_view = gr.Markdown(_clause_markdown(assistant, docs[0].doc_id, first_labels[0]),
                                          elem_id="clause")
                with gr.Row():
                    query = gr.Textbox(label="在本文件中检索", placeholder="例如：监理、验收资料", scale=5)
                    find_button = gr.Button("检索", scale=1)
                found = gr.Markdown()
                doc.input(cb.pick_doc, doc, [chapter, label, clause_view])
                chapter.input(cb.pick_chapter, [doc, chapter], [label, clause_view])
                label.input(cb.pick_clause, [doc, label], clause_view)
                find_button.click(cb.find, [query, doc], found)
                query.submit(cb.find, [query, doc], found)
            with gr.Tab("城市对比", id="compare"):
                with gr.Row():
                    topic_box = gr.CheckboxGroup(cb.comparer.topic_names, value=cb.comparer.topic_names, label="主题")
                with gr.Row():
                    city_box = gr.CheckboxGroup(cities, value=cities, label="城市", scale=2, elem_id="compare-cities")
                    free = gr.Textbox(label="或自由提问（优先）", placeholder="例如：比较各地试运行期限", scale=3)
                compare_button = gr.Button("对比", variant="primary", elem_id="compare-button")
                table = gr.HTML(elem_id="compare-table")
                with gr.Row():
                    csv_file = gr.File(label="导出 CSV")
                    md_file = gr.File(label="导出 Markdown")
                    xlsx_file = gr.File(label="导出 Excel")
                with gr.Accordion("各城市流程图", open=False):
                    compare_process = gr.HTML(elem_id="compare-process")
                compare_button.click(cb.compare, [topic_box, city_box, free],
                                     [table, csv_file, md_file, xlsx_file, compare_process])
            with gr.Tab("项目自查", id="check"):
                with gr.Row():
                    check_city = gr.Dropdown([(d.meta.city, d.doc_id) for d in docs], value=docs[0].doc_id,
                                             label="城市")
                    amount = gr.Textbox(label="项目金额", placeholder="300（万元）或 三百万、3,000,000元")
                    kind = gr.Radio([k.value for k in ProjectKind], value=ProjectKind.UNSPECIFIED.value,
                                    label="项目类型")
                with gr.Row():
                    software = gr.Checkbox(label="软件开发类")
                    classified = gr.Checkbox(label="涉密项目")
                check_button = gr.Button("生成自查清单", variant="primary", elem_id="check-button")
                word_file = gr.File(label="下载 Word（自查报告）", elem_id="check-word")
                # The diagram at its own width (its text stays legible), the report beside it.
                with gr.Row():
                    diagram = gr.HTML(elem_id="check-process")
                    report = gr.Markdown(elem_id="check-report")
                check_button.click(cb.check, [check_city, amount, kind, software, classified],
                                   [report, diagram, word_file])
            with gr.Tab("评测", id="eval"):
                gr.Markdown("上传自己的问答评测集：列为 **问题、城市、标准答案、依据条款、应拒答**（可先下载模板填写）。"
                            "每个问题按问答流程回答，核对是否引用了依据条款、拒答是否正确、标准答案中的数字是否都在回答中；"
                            "字符相似度仅作参考。")
                with gr.Row():
                    gr.File(value=str(cb.template), label="模板", interactive=False, elem_id="eval-template")
                    upload = gr.File(label="评测集", file_types=[".xlsx", ".csv", ".jsonl", ".yaml", ".yml"],
                                     elem_id="eval-upload")
                eval_button = gr.Button("开始评测", variant="primary", elem_id="eval-button")
                eval_status = gr.Markdown(elem_id="eval-status")
                eval_report = gr.File(label="下载评测报告（HTML）", elem_id="eval-report")
                eval_button.click(cb.evaluate, upload, [eval_status, eval_report])
        ui.load(cb.open_link, None, [doc, chapter, label, clause_view, tabs])
    return ui
