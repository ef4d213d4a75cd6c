"""Outline questions — "建议书要写哪些内容" — about an attachment that *is* that outline (启东
附件2 建议书编写要求): the answer is the attachment's list of sections."""

from __future__ import annotations

import re

from assistant.answers.context import Context
from assistant.answers.notes import status_note
from assistant.answers.records import Answer, cite
from assistant.corpus.model import Hit, PartKind
from assistant.search.query import QueryAnalysis
from assistant.text import normalize

OUTLINE_DEPTH = 3  # the best hits searched for the attachment asked about
_OUTLINE_FRAME = frozenset({"内容", "章节", "部分", "包括", "编写", "编制", "要求", "栏目", "填写", "填"})
# What an outline is made of, as a question names it.
_OUTLINE_PARTS = frozenset({"章节", "部分", "栏目", "项目", "方面", "东西", "信息", "附件", "材料", "资料"})
_OUTLINE_Q = re.compile(r"(写|填|包括|包含|编制|有)(些)?(哪些|什么|哪几|啥)(内容|章节|部分|栏目|项)?|(哪些|什么|哪几)(内容|章节|栏目|部分)|"
                        r"编写要求|编制要求")


# The thing a 哪些/什么 asks for by name ("有哪些节点"): an outline is asked for by its parts only.
_HEAD_ASKED = re.compile(r"(?:哪些|什么|哪几个?|啥)([\u4e00-\u9fa5]{2})")


def outline(ctx: Context, analysis: QueryAnalysis, hits: list[Hit]) -> Answer | None:
    if not hits or not _OUTLINE_Q.search(analysis.question):
        return None
    head = _HEAD_ASKED.search(analysis.question)
    if head and head.group(1) not in _OUTLINE_FRAME | _OUTLINE_PARTS and ctx.matcher.tokenizer.names_a_thing(head.group(1)):
        return None  # "申报程序有哪些节点": the steps' dates, not the 申报表's fields
    # The outline asked about: the first of the best hits that is a section of an attachment whose
    # title the question names ("申报表上要填些啥" — the article that names the form may rank first).
    asked = [(w, alts) for w, _, alts in ctx.matcher.question_terms(analysis) if len(w) >= 2]
    top = next((h.clause for h in hits[:OUTLINE_DEPTH] if h.clause.kind is PartKind.ATTACHMENT_SECTION
                and h.clause.section), None)
    if top is None:
        return None
    title = normalize(top.section)
    in_title = [w for w, alts in asked if any(a in title for a in (alts | {w}) if len(a) >= 2)]
    # ... words no text uses (jieba's 上要, 填些 of "表上要填些啥") name no part of it.
    specific = [w for w, alts in asked if w not in in_title and w not in _OUTLINE_FRAME and alts & ctx.matcher.idf.keys()]
    if not in_title or specific:
        return None  # the question asks about one part ("投资估算那一章", "按需提供"): answer that part
    attachment = top.label.split("·")[0]
    doc = ctx.corpus.documents[top.doc_id]
    sections = [c for c in doc.clauses if c.label.split("·")[0] == attachment]
    form = next((c for c in sections if is_form(c.text)), None)
    if form is not None:
        # A form (申报表): what it asks for are its fields, not its header row or its sections.
        text = f"根据《{doc.meta.title}》{attachment}《{top.section}》，表中须填写：{'、'.join(form_fields(form.text))}。"
        sections = [form] + [c for c in sections if c is not form]
    else:
        heads = "；".join(c.label.split("·", 1)[1] if "·" in c.label else c.label for c in sections)
        text = (f"根据《{doc.meta.title}》{attachment}《{top.section}》，应包括：{heads}。"
                f"各部分的具体要求见所引各节原文。")
    note = status_note(doc.meta, ctx.today)
    return Answer(question=analysis.question, answer=text + (f"\n\n{note}" if note else ""),
                  answerable=True, citations=[cite(doc.meta, c) for c in sections])


_CHECKBOX = re.compile(r"<input[^>]*>\s*")
_BLANK = re.compile(r"_{2,}|-{3,}|\(盖章\)|（盖章）")


def is_form(text: str) -> bool:
    """A table laid out as tab-separated rows (a 申报表), not running text."""
    return sum("\t" in line for line in text.splitlines()) >= 3


def form_fields(text: str) -> list[str]:
    """The fields of a form, in order: each row's label cells, a checkbox group as its options
    (项目性质（新建/续建/…）), blanks and ruling lines dropped."""
    out: list[str] = []
    for line in text.splitlines():
        for cell in (c.strip() for c in re.split(r"\t|(?<=[:：])\s", line)):
            cell = _BLANK.sub("", cell).strip().rstrip(":：")
            if cell.startswith("<input") and out:
                out[-1] += f"（{'/'.join(o.strip() for o in _CHECKBOX.split(cell) if o.strip())}）"
                continue
            # An inline choice ("规划编制 (□是 □否)") reads as （是/否）.
            cell = re.sub(r"[(（]\s*((?:<input[^>]*>\s*[^<)）]+)+)[)）]",
                          lambda m: "（" + "/".join(o.strip() for o in _CHECKBOX.split(m.group(1)) if o.strip()) + "）",
                          cell).replace(" ", "")
            if cell and not cell.startswith(("(", "（")) and len(cell) <= 40 and cell not in out:
                out.append(cell)
    return out
