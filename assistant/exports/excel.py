"""The comparison as an Excel workbook (openpyxl): sheet 对比 has one row per topic and one column
per city, the figures in bold red and each cell's full clause text in its comment; sheet 条文
lists every clause in full; sheet 说明 has the sources and the documents' status notes."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from assistant.answers.compare import NO_PROVISION, Cell, Comparison, Excerpt

FIGURE = InlineFont(b=True, color="C00000")
LABEL = InlineFont(b=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F6F9")
WRAP = Alignment(wrap_text=True, vertical="top")
COMMENT_CHARS = 2000  # Excel shows long comments badly; the 条文 sheet has every text in full


def _clean(text: str) -> str:
    """Text an .xlsx can hold: control characters (a vertical tab pasted from Word) dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _text(cell, value: str) -> None:
    """A cell that is text whatever it starts with ("=…" is never read as a formula)."""
    cell.value = _clean(value)
    cell.data_type = "s"


def _rich(finding: Excerpt) -> list:
    parts: list = [TextBlock(LABEL, _clean(f"{finding.part}："))]
    at = 0
    for start, end in finding.spans:
        if start > at:
            parts.append(_clean(finding.excerpt[at:start]))
        parts.append(TextBlock(FIGURE, _clean(finding.excerpt[start:end])))
        at = end
    if at < len(finding.excerpt):
        parts.append(_clean(finding.excerpt[at:]))
    return [p for p in parts if (p.text if isinstance(p, TextBlock) else p)]  # no empty runs


def _cell_value(cell: Cell) -> CellRichText | str:
    if not cell.findings:
        return NO_PROVISION
    parts: list = []
    for i, finding in enumerate(cell.findings):
        if i:
            parts.append("\n")
        parts += _rich(finding)
    return CellRichText(parts)


def comparison_xlsx(comparison: Comparison) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "对比"
    heads = ["主题"] + [f"{m.city}《{m.title}》" for m in comparison.docs]
    for col, head in enumerate(heads, 1):
        c = sheet.cell(row=1, column=col)
        _text(c, head)
        c.font, c.fill, c.alignment = Font(bold=True), HEADER_FILL, WRAP
    sheet.column_dimensions["A"].width = 16
    for col in range(2, len(heads) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=col).column_letter].width = 48
    sheet.freeze_panes = "B2"
    for r, row in enumerate(comparison.rows, 2):
        topic = sheet.cell(row=r, column=1)
        _text(topic, row.topic)
        topic.font, topic.alignment = Font(bold=True), WRAP
        for col, cell in enumerate(row.cells, 2):
            target = sheet.cell(row=r, column=col)
            value = _cell_value(cell)
            if isinstance(value, str):
                _text(target, value)
                target.font = Font(italic=True, color="8C959F")
            else:
                target.value = value
            target.alignment = WRAP
            if cell.findings:
                full = "\n\n".join(f"{f.article}：{f.text}" for f in cell.findings)
                if len(full) > COMMENT_CHARS:
                    full = full[:COMMENT_CHARS] + "……（全文见“条文”表）"
                target.comment = Comment(_clean(full), "regassist", width=420, height=300)

    texts = book.create_sheet("条文")
    for col, head in enumerate(["主题", "城市", "条款", "摘录（答案所在的款/项）", "条文全文"], 1):
        c = texts.cell(row=1, column=col)
        _text(c, head)
        c.font, c.fill = Font(bold=True), HEADER_FILL
    for letter, width in zip("ABCDE", (14, 10, 22, 50, 90)):
        texts.column_dimensions[letter].width = width
    r = 2
    for row in comparison.rows:
        for cell in row.cells:
            for f in cell.findings:
                for col, value in enumerate((row.topic, cell.city, f.part, f.excerpt, f.text), 1):
                    c = texts.cell(row=r, column=col)
                    _text(c, value)
                    c.alignment = WRAP
                r += 1

    about = book.create_sheet("说明")
    lines = ([comparison.question and f"问题：{comparison.question}"] + ["来源："]
             + [f"{m.city}：《{m.title}》（{m.status.value}）" for m in comparison.docs]
             + comparison.notes + ["", f"“{NO_PROVISION}”：该文件对此主题没有条款。数字以红色粗体标出；单元格批注为条文全文。"])
    for i, line in enumerate(x for x in lines if x is not None):
        _text(about.cell(row=i + 1, column=1), line)
    about.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
