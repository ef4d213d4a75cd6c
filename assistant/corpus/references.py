"""A clause's references to other parts of its document, resolved when the document is parsed:
"符合本办法第三十七条、三十八条规定的" → 第三十七条 and 第三十八条; "按第二章所述一般申报程序" → the first
clause of 第二章; "（附件 1）", "（见附件 2）" → the attachment; 《…验收大纲》 → the attachment of that
title, and "以下简称《验收工作大纲》" → the same. A reference that resolves to nothing in the document
(a law, another city's 办法, a form the text names but does not include) is kept, with the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.model import Part, PartKind
from assistant.text import CN_NUMERAL_CHARS as _NUM, parse_cn_int

# 本办法第三十七条、三十八条 / 第七条 / 第二章: a number list after one 第.
# A listed number counts only when the list ends in 条/章 ("第三条及一般程序" lists nothing).
_ARTICLES = re.compile(rf"(?:本办法)?第([{_NUM}]+)(条|章)((?:[、和及与]第?[{_NUM}]+(?:条|章)?)*[、和及与]第?[{_NUM}]+(?:条|章))?")
_LISTED = re.compile(rf"[、和及与](第?)([{_NUM}]+)(条|章)?")
# 附件 1 / 附件4 / 附件二: an Arabic or a Chinese number.
_ATTACHMENT = re.compile(rf"附件\s*(?:(\d+)|([{_NUM}]+))")
# "作为附件一并上报": 一 starting a word (一并, 一起, 一份) is not an attachment's number.
_NOT_NUMBER = re.compile(r"一(?![和及与、中所的（）()，。；;：:\s]|$)")
# What makes a 第X条 another text's article: it follows that text's title or name (《政府采购法》第二十六条,
# 招标投标法第十条).
_OTHER_TEXT = re.compile(r"(》|法|条例|规定|细则|办法)\s*$")
_TITLE = re.compile(r"《([^》]{2,60})》")
_ALIAS = re.compile(r"^[^》]{0,12}以下简称《([^》]{2,30})》")


@dataclass(frozen=True)
class Reference:
    """One reference in a clause: where it is (`source`, `start`/`end` in its text), what it
    says, and the clause it leads to — or, unresolved, why not."""

    source: str               # label of the clause it appears in
    text: str                 # as written: 第三十七条, 三十八条, 第二章, 附件 1, 《…》
    kind: str                 # article | chapter | attachment | document
    start: int
    end: int
    target: str | None = None  # label of the clause it leads to
    reason: str | None = None  # why it leads nowhere in this document

    def to_json(self) -> dict:
        return {"text": self.text, "kind": self.kind, "start": self.start, "end": self.end,
                "target": self.target, "reason": self.reason}


def resolve(parts: tuple[Part, ...], title: str) -> tuple[Reference, ...]:
    """Every reference of every clause of a document, in reading order."""
    clauses = [p for p in parts if p.is_clause]
    labels = {c.label for c in clauses}
    chapters = {}
    for c in clauses:
        if c.chapter and not c.label.startswith("附件"):
            chapters.setdefault(_chapter_no(c.chapter), c.label)
    attachments: dict[int, str] = {}
    for c in clauses:
        m = re.match(r"附件(\d+)", c.label)
        if m:
            attachments.setdefault(int(m.group(1)), c.label)
    titled = {_squash(p.text): int(m.group(1)) for p in parts if p.kind is PartKind.ATTACHMENT_TITLE
              and (m := re.match(r"附件(\d+)", p.label))}
    out: list[Reference] = []
    aliases: dict[str, str | None] = {}  # a short name holds from where it is given to the end
    for clause in clauses:
        text = clause.text
        own = len(clause.label) if text.startswith(clause.label) else 0
        # An attachment section's own heading ("第一章 项目概述" of 附件3) names itself, not a chapter.
        own = max(own, _heading_end(clause, text))
        found: list[Reference] = []
        for m in _ARTICLES.finditer(text, own):
            if not m.group(0).startswith("本办法") and _OTHER_TEXT.search(text[max(own, m.start() - 3):m.start()]):
                found.append(Reference(clause.label, m.group(0), "article", m.start(), m.end(), None,
                                       "其他文件的条款，未收录"))
                continue
            found += _articles(clause.label, m, labels, chapters)
        for m in _ATTACHMENT.finditer(text, own):
            if m.group(2) == "一" and _NOT_NUMBER.match(text, m.start(2)):
                continue
            n = int(m.group(1)) if m.group(1) else parse_cn_int(m.group(2))
            target = attachments.get(n) if n is not None else None
            found.append(Reference(clause.label, m.group(0), "attachment", m.start(), m.end(), target,
                                   None if target else f"本文件未收录附件{n}的内容"))
        for m in _TITLE.finditer(text, own):
            name = m.group(1)
            alias = _ALIAS.match(text[m.end():])
            attached = _ATTACHED.match(text, m.end())
            if attached:
                # 《…申报表》（附件 1）: the attachment reference right after it resolves it (and the
                # short name it is given: "以下简称《验收工作大纲》").
                if alias:
                    aliases[alias.group(1)] = attachments.get(int(attached.group(1)))
                continue
            target = _titled(name, titled, attachments) or aliases.get(name)
            if alias:
                aliases[alias.group(1)] = target
            if name == title:
                found.append(Reference(clause.label, m.group(0), "document", m.start(), m.end(), None, "即本办法"))
                continue
            found.append(Reference(clause.label, m.group(0), "document", m.start(), m.end(), target,
                                   None if target else _unresolved(name)))
        out += sorted(found, key=lambda r: r.start)
    return tuple(out)


def _articles(source: str, m: re.Match, labels: set[str], chapters: dict) -> list[Reference]:
    """第三十七条、三十八条 → one reference per number, each resolved in the document."""
    kind = "article" if m.group(2) == "条" else "chapter"
    head_end = m.start(3) if m.group(3) else m.end()
    refs = [_one(source, m.group(0)[: head_end - m.start()], m.group(1), kind, m.start(), head_end, labels, chapters)]
    for x in _LISTED.finditer(m.group(3) or ""):
        sub_kind = {"条": "article", "章": "chapter"}.get(x.group(3) or "", kind)
        start = m.start(3) + x.start(2) - len(x.group(1))
        end = m.start(3) + x.end()
        refs.append(_one(source, m.string[start:end], x.group(2), sub_kind, start, end, labels, chapters))
    return refs


def _one(source: str, text: str, number: str, kind: str, start: int, end: int, labels: set[str],
         chapters: dict) -> Reference:
    n = parse_cn_int(number)
    if kind == "article":
        label = f"第{number}条"
        if label in labels:
            return Reference(source, text, kind, start, end, label)
        return Reference(source, text, kind, start, end, None, f"本文件没有{label}")
    target = chapters.get(n)
    return Reference(source, text, kind, start, end, target, None if target else f"本文件没有第{number}章")


def _chapter_no(chapter: str) -> int | None:
    m = re.match(rf"第([{_NUM}]+)章", chapter)
    return parse_cn_int(m.group(1)) if m else None


def _heading_end(clause: Part, text: str) -> int:
    if not clause.label.startswith("附件"):
        return 0
    m = re.match(rf"\s*第[{_NUM}]+章[^\n]*", text)
    return m.end() if m else 0


_ATTACHED = re.compile(r"[（(]\s*(?:见)?附件\s*(\d+)")
# What a title that leads nowhere names: a form or material the 办法 name without including it,
# or a law or another document.
_FORM = re.compile(r"(表|单|书|要点|报告|大纲|清单|目录|模板|样式)$")


def _unresolved(name: str) -> str:
    if _FORM.search(name):
        return "本办法提到的表格或材料，正文未附其内容"
    return "外部文件（法规、上级或其他文件），未收录"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _titled(name: str, titled: dict[str, int], attachments: dict[int, str]) -> str | None:
    """The attachment whose title is (or contains) this name."""
    key = _squash(name)
    for title, n in titled.items():
        if key and (key == title or key in title):
            return attachments.get(n)
    return None
