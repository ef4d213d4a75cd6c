"""项目自查 as a Word document (python-docx), to attach to an application or meeting notes: the
project's facts, each rule's conclusion with its arithmetic, the staged checklist with each
clause quoted and cited, the cited clauses in full, the documents' status notes, the date and the
corpus version. Fonts are set for East Asian text (宋体 / 黑体), so Word and WPS show it alike."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.answers.selfcheck import SelfCheck
from assistant.rules.facts import Facts, ProjectKind

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def _font(style, east_asian: str, size: float | None = None) -> None:
    style.font.name = LATIN_FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the names above
    if size:
        style.font.size = Pt(size)


def facts_rows(city: str, facts: Facts) -> list[tuple[str, str]]:
    kind = {True: ProjectKind.NEW, False: ProjectKind.UPGRADE}.get(facts.new_build, ProjectKind.UNSPECIFIED).value
    return [("城市", city), ("项目金额", f"{facts.amount:g}万元" if facts.amount is not None else "未填写"),
            ("项目类型", kind), ("软件开发类", "是" if facts.software else "否"),
            ("涉密项目", "是" if facts.classified else "否")]


def selfcheck_docx(results: list[SelfCheck], version: str, today: date) -> bytes:
    doc = Document()
    _font(doc.styles["Normal"], BODY_FONT, 11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _font(doc.styles[name], HEADING_FONT)
    cities = "、".join(r.city for r in results)
    doc.add_heading(f"项目自查报告（{cities}）", level=0)
    doc.add_paragraph(f"生成日期：{today.isoformat()}　语料版本：{version}　生成工具：regassist")
    doc.add_paragraph("说明：本报告由收录的管理办法条文和规则计算自动生成，条文以原文引用；"
                      "办理时以有关部门的最新要求为准。")
    for r in results:
        doc.add_heading(f"{r.city}：《{r.title}》", level=1)
        for note in r.notes:
            doc.add_paragraph(note, style="Intense Quote")
        doc.add_heading("项目信息", level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, value in facts_rows(r.city, r.facts):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = key, value
        doc.add_heading("规则计算", level=2)
        if r.conclusions:
            for c in r.conclusions:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(f"{c.computation}：").bold = True
                p.add_run(f"{c.text}（{c.rule.article}：“{c.rule.quote}”）")
        else:
            doc.add_paragraph("未填写金额等数字，金额相关规则未计算。" if r.facts.empty else "没有规则适用于所填的项目信息。")
        if r.checklist is None:
            continue
        checklist = r.checklist.docs[0]
        doc.add_heading("全流程清单", level=2)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, head in zip(table.rows[0].cells, ("环节", "条款", "条文摘录")):
            cell.text = head
            cell.paragraphs[0].runs[0].bold = True
        for item in checklist.items:
            cells = table.add_row().cells
            cells[0].text = item.stage
            cells[1].text = item.label or "—"
            cells[2].text = f"“{item.text}”" if item.label else "该文件未作规定"
        if checklist.limits:
            doc.add_heading("时限", level=2)
            for t in checklist.limits:
                doc.add_paragraph(f"{t.statement}（{t.article}）", style="List Bullet")
        doc.add_heading("引用条款原文", level=2)
        for citation in r.checklist.to_answer().citations:
            p = doc.add_paragraph()
            p.add_run(f"《{citation.title}》{citation.article}").bold = True
            doc.add_paragraph(citation.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
