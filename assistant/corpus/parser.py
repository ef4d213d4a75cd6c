"""Where articles are split: source text → header, chapters, articles (款, 项), attachments, trailer.

Survives what text extraction leaves behind: full/half-width mixes, sentences broken across page
breaks, a draft with no article numbers (labels synthesised from chapter + section + ordinal, and
missing chapter headings inferred), and attachments whose own headings read 第一章 ….

Invariant (tested for every document): fold("".join(part.text)) == fold(source).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.errors import ParseError
from assistant.corpus.model import DocMeta, Document, Item, Paragraph, Part, PartKind
from assistant.corpus.references import resolve
from assistant.text import CN_NUMERAL_CHARS as _CN, fold, int_to_cn, parse_cn_int

_CHAPTER = re.compile(rf"^第([{_CN}\d]+)章(?:[\s　]*)(.*)$")
_ARTICLE = re.compile(rf"^第([{_CN}\d]+)条(?:[\s　]+|(?=\S))")
_ATTACHMENT = re.compile(r"^附件\s*(\d+)\s*[:：]?\s*$")
_ATTACHMENT_LIST = re.compile(r"^附件\s*[:：]")
_TRAILER = re.compile(r"^抄\s*送\s*[:：]")
_ITEM = re.compile(rf"^(?:[-–•]\s*)?([（(]\s*[{_CN}]+\s*[)）]|\d+\s*[.．、](?!\d))")
_ATT_SECTION = re.compile(rf"^(?:[{_CN}]+、|第[{_CN}]+章|(?:注|说明)\s*[:：])")
_ASIDE = re.compile(r"^[（(][^()（）]*[)）]$")
_TERMINAL = tuple("。；;：:！？!?")
_PUNCT = re.compile(r"[，。；;：:、！？!?（）()《》“”\"'‘’,.\-—]")
# A page break leaves a long line cut mid-sentence; shorter lines are headings or table cells.
_MIN_BROKEN_LINE = 15


@dataclass
class _Line:
    text: str       # display text (page-break pieces rejoined)
    raw: str        # the source lines, blank lines included, exactly as in the source


@dataclass
class _Open:
    kind: PartKind
    label: str
    lines: list[_Line] = field(default_factory=list)
    chapter: str | None = None
    section: str | None = None
    inferred: bool = False
    display_heading: str | None = None


def _is_structural(line: str) -> bool:
    s = line.strip()
    return bool(_CHAPTER.match(s) or _ARTICLE.match(s) or _ATTACHMENT.match(s)
                or _ATTACHMENT_LIST.match(s) or _TRAILER.match(s) or _ITEM.match(s)
                or _ATT_SECTION.match(s))


def logical_lines(source: str) -> list[_Line]:
    """Non-blank lines, with a line that a page break cut mid-sentence joined to its continuation."""
    out: list[_Line] = []
    pending_blank = ""
    for raw in source.splitlines(keepends=True):
        if not raw.strip():
            pending_blank += raw
            continue
        stripped = raw.strip()
        if out and _continues(out[-1].text, raw):
            out[-1].text += stripped
            out[-1].raw += pending_blank + raw
        else:
            if out:
                out[-1].raw += pending_blank
            elif pending_blank:
                raw = pending_blank + raw
            out.append(_Line(text=stripped, raw=raw))
        pending_blank = ""
    if out:
        out[-1].raw += pending_blank
    return out


def _continues(previous: str, raw: str) -> bool:
    line = raw.strip()
    if "\t" in previous or "\t" in raw:
        return False  # table rows (启东 附件1) are laid out with tabs: never joined
    if len(fold(previous)) < _MIN_BROKEN_LINE or previous.endswith(_TERMINAL):
        return False
    if _ASIDE.match(line):
        return False  # "(20 年度)", "（征求意见稿）": a line of its own, not a continuation
    return not _is_structural(line)


def _is_heading(line: str) -> bool:
    """An unnumbered section heading: short, no punctuation, Chinese only (上城: 项目申报)."""
    s = fold(line)
    return 2 <= len(s) <= 10 and not _PUNCT.search(s) and not any(ch.isdigit() for ch in s)


def _number(token: str) -> int:
    value = parse_cn_int(token)
    if value is None:
        raise ParseError(f"not a number: {token!r}")
    return value


def parse_document(meta: DocMeta, source: str) -> Document:
    lines = logical_lines(source)
    if not lines:
        raise ParseError(f"{meta.file}: the text is empty")
    numbered = any(_ARTICLE.match(ln.text) for ln in lines)
    builder = _Builder(meta, numbered, lines)
    parts = builder.run()
    if not any(p.is_clause for p in parts):
        raise ParseError(
            f"{meta.file}:1-{source.count(chr(10)) + 1}: 没有找到任何条款（无论是“第X条”开头的行，还是“第X章”标题下的段落）"
            f" — 请确认这是一份办法的正文")
    parts = tuple(parts)
    return Document(meta=meta, parts=parts, source=source, references=resolve(parts, meta.title))


class _Builder:
    def __init__(self, meta: DocMeta, numbered: bool, lines: list[_Line]):
        self.meta, self.numbered, self.lines = meta, numbered, lines
        self.parts: list[Part] = []
        self.open: _Open | None = None
        self.mode = "header"  # header → body → attachments → trailer
        self.chapter_no = 0
        self.chapter: str | None = None
        self.section: str | None = None
        self.article_no = 0
        self.paragraph_no = 0
        self.chapter_has_heading = False
        self.attachment_no = 0
        self.attachment_title: str | None = None
        self.labels: set[str] = set()

    # -- helpers --------------------------------------------------------------------------

    def _start(self, kind: PartKind, label: str, line: _Line, **kw) -> None:
        self._close()
        self.open = _Open(kind=kind, label=label, lines=[line], chapter=self.chapter,
                          section=self.section, **kw)

    def _close(self) -> None:
        if self.open is None:
            return
        o, self.open = self.open, None
        label = o.label
        if label in self.labels and o.kind in (PartKind.ARTICLE, PartKind.ATTACHMENT_SECTION):
            raise ParseError(f"{self.meta.file}: duplicate clause label {label}")
        self.labels.add(label)
        text = "\n".join(ln.text for ln in o.lines)
        if o.kind is PartKind.ARTICLE:
            paragraphs = _paragraphs(label, o.lines, self.numbered)
        elif o.kind is PartKind.ATTACHMENT_SECTION:
            paragraphs = _paragraphs(label, o.lines, numbered=False)
        else:
            paragraphs = ()
        self.parts.append(Part(
            doc_id=self.meta.doc_id, kind=o.kind, label=label, text=text, ordinal=len(self.parts),
            chapter=o.chapter, section=o.section, inferred=o.inferred, paragraphs=paragraphs))

    def _next_chapter_number(self, index: int) -> int | None:
        for ln in self.lines[index + 1:]:
            m = _CHAPTER.match(ln.text)
            if m:
                return _number(m.group(1))
        return None

    # -- main loop ------------------------------------------------------------------------

    def run(self) -> list[Part]:
        for i, line in enumerate(self.lines):
            self._feed(i, line)
        self._close()
        return self.parts

    def _feed(self, i: int, line: _Line) -> None:
        s = line.text
        if self.mode != "trailer" and _TRAILER.match(s):
            self.mode = "trailer"
            self._start(PartKind.TRAILER, "抄送", line)
            return
        if self.mode == "trailer":
            self.open.lines.append(line)
            return
        if self.mode in ("body", "attachments"):
            m = _ATTACHMENT.match(s)
            if m:
                self._attachment(int(m.group(1)), line)
                return
        if self.mode == "attachments":
            self._attachment_line(line)
            return
        if self.mode == "body" and _ATTACHMENT_LIST.match(s):
            self._start(PartKind.ATTACHMENT_LIST, "附件目录", line)
            self.mode = "attachment_list"
            return
        if self.mode == "attachment_list":
            m = _ATTACHMENT.match(s)
            if m:
                self.mode = "attachments"
                self._attachment(int(m.group(1)), line)
            else:
                self.open.lines.append(line)
            return

        chapter = _CHAPTER.match(s)
        if chapter and _number(chapter.group(1)) > self.chapter_no:
            self._chapter(_number(chapter.group(1)), chapter.group(2), line)
            return
        article = _ARTICLE.match(s) if self.numbered else None
        if article and _number(article.group(1)) == self.article_no + 1:
            self.mode = "body"
            self.article_no += 1
            self._start(PartKind.ARTICLE, f"第{int_to_cn(self.article_no)}条", line)
            return
        if self.mode == "header":
            if self.open is None:
                self._start(PartKind.HEADER, "文头", line)
            else:
                self.open.lines.append(line)
            return
        if not self.numbered:
            self._unnumbered(i, line)
            return
        if self.open is None or self.open.kind is not PartKind.ARTICLE:
            raise ParseError(
                f"{self.meta.file}: text outside any article after {self.parts[-1].label}: {s[:30]}")
        self.open.lines.append(line)

    def _chapter(self, number: int, title: str, line: _Line, inferred: bool = False) -> None:
        self.mode = "body"
        self.chapter_no = number
        heading = f"第{int_to_cn(number)}章 {fold(title)}".strip()
        self.chapter, self.section, self.paragraph_no = heading, None, 0
        self._start(PartKind.CHAPTER, heading, line, inferred=inferred)
        self._close()

    def _unnumbered(self, i: int, line: _Line) -> None:
        """上城-style drafts: every paragraph is a clause labelled 第五章·项目申报·第2段."""
        s = line.text
        previous_ends = not self.parts or self.open is None or self.open.lines[-1].text.endswith(_TERMINAL)
        if _is_heading(s) and previous_ends:
            upcoming = self._next_chapter_number(i)
            first_heading = not any(p.kind is PartKind.SECTION and p.chapter == self.chapter
                                    for p in self.parts)
            if upcoming is not None and upcoming > self.chapter_no + 1 and first_heading:
                # The text skips a chapter number and this is the first heading since the last
                # chapter: it is the missing chapter's title (上城: 第四章 统筹建设, 第七章 项目实施).
                self._chapter(self.chapter_no + 1, s, line, inferred=True)
                return
            self.section, self.paragraph_no = fold(s), 0
            self._start(PartKind.SECTION, f"{self.chapter_label}·{self.section}", line)
            self._close()
            return
        if _ITEM.match(s) and self.open is not None and self.open.kind is PartKind.ARTICLE:
            self.open.lines.append(line)  # 1. 2. 3. under the paragraph that announced them
            return
        self.paragraph_no += 1
        parts = [self.chapter_label] + ([self.section] if self.section else []) + [f"第{self.paragraph_no}段"]
        self._start(PartKind.ARTICLE, "·".join(parts), line)

    @property
    def chapter_label(self) -> str:
        return self.chapter.split(" ")[0] if self.chapter else "正文"

    # -- attachments ----------------------------------------------------------------------

    def _attachment(self, number: int, line: _Line) -> None:
        self.mode = "attachments"
        self.attachment_no = number
        self.attachment_title = None
        self.chapter, self.section = None, None
        self._start(PartKind.ATTACHMENT_TITLE, f"附件{number}", line)

    def _attachment_line(self, line: _Line) -> None:
        s = line.text
        o = self.open
        if o.kind is PartKind.ATTACHMENT_TITLE and self.attachment_title is None:
            self.attachment_title = fold(s)
            o.lines.append(line)
            o.label = f"附件{self.attachment_no}·标题"
            self.section = self.attachment_title
            return
        if _ATT_SECTION.match(s):
            heading = fold(s)
            if heading.startswith(("注", "说明")):
                heading = heading[: 2 if heading.startswith("说明") else 1]
            self.section = self.attachment_title
            self._start(PartKind.ATTACHMENT_SECTION, f"附件{self.attachment_no}·{heading}", line)
            return
        if o.kind is PartKind.ATTACHMENT_TITLE:
            # Body that comes before any section heading (附件1's form) is a clause of its own.
            self._start(PartKind.ATTACHMENT_SECTION, f"附件{self.attachment_no}", line)
            return
        o.lines.append(line)


def _paragraphs(label: str, lines: list[_Line], numbered: bool) -> tuple[Paragraph, ...]:
    """Split an article into 款 (paragraphs) and 项 (items)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []  # (paragraph text, [(marker, item text)])
    for ln in lines:
        text = ln.text
        if numbered and not groups:
            text = _ARTICLE.sub("", text, count=1)
        m = _ITEM.match(text)
        if m and groups:
            groups[-1][1].append((fold(m.group(1)), text))
        else:
            groups.append((text, []))
    several = len(groups) > 1
    out = []
    for k, (text, items) in enumerate(groups, 1):
        plabel = f"{label}第{int_to_cn(k)}款" if several and numbered else label
        sep = "·" if not numbered else ""
        out.append(Paragraph(
            label=plabel,
            text=text,
            items=tuple(Item(label=f"{plabel}{sep}第{_item_number(marker, n)}项", marker=marker, text=t)
                        for n, (marker, t) in enumerate(items, 1)),
        ))
    return tuple(out)


def _item_number(marker: str, fallback: int) -> str:
    digits = re.sub(r"[^\d" + _CN + "]", "", marker)
    value = parse_cn_int(digits) if digits else None
    return int_to_cn(value if value else fallback)
