"""The records everything else passes around: small, frozen, with ids derived from (doc_id, label)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class Status(str, Enum):
    CURRENT = "现行"
    INTERIM = "暂行"
    DRAFT = "征求意见稿"
    REPEALED = "废止"


class PartKind(str, Enum):
    HEADER = "header"                  # notice header, 文号, salutation, title before the body
    CHAPTER = "chapter"                # 第X章 heading (inferred=True when the text lacks the number)
    SECTION = "section"                # unnumbered section heading (上城: 项目申报, 项目初审 …)
    ARTICLE = "article"                # 第X条, or a labelled paragraph of an unnumbered draft
    ATTACHMENT_LIST = "attachment_list"  # "附件：1. … 2. …" after the last article
    ATTACHMENT_TITLE = "attachment_title"  # "附件 4:" + the attachment's own title
    ATTACHMENT_SECTION = "attachment_section"  # a section of an attachment (附件4·四、验收条件)
    TRAILER = "trailer"                # 抄送, 印发 date


CLAUSE_KINDS = frozenset({PartKind.ARTICLE, PartKind.ATTACHMENT_SECTION})


def clause_id(doc_id: str, label: str) -> str:
    """Stable id of a clause: survives re-indexing, used in citations, eval labels and links."""
    return f"{doc_id}/{label}"


@dataclass(frozen=True)
class DocMeta:
    doc_id: str
    file: str
    city: str
    title: str
    status: Status
    aliases: tuple[str, ...] = ()
    province: str | None = None
    parent: str | None = None
    level: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issue_date: date | None = None
    effective_date: date | None = None
    valid_until: date | None = None
    repeals: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling by which a question may name this document's place (longest first)."""
        short = self.city[:-1] if len(self.city) > 2 and self.city[-1] in "市区县" else self.city
        names = {self.city, short, *self.aliases}
        return tuple(sorted(names, key=len, reverse=True))


@dataclass(frozen=True)
class Item:
    label: str   # 第十一条第五项
    marker: str  # （五）
    text: str


@dataclass(frozen=True)
class Paragraph:
    label: str   # 第九条第三款 (or the article label when the article has one paragraph)
    text: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Part:
    """One piece of a document in reading order. Concatenating every part's text gives back the
    source (whitespace aside): nothing lost, nothing duplicated."""

    doc_id: str
    kind: PartKind
    label: str
    text: str
    ordinal: int
    chapter: str | None = None
    section: str | None = None
    inferred: bool = False
    paragraphs: tuple[Paragraph, ...] = ()

    @property
    def id(self) -> str:
        return clause_id(self.doc_id, self.label)

    @property
    def is_clause(self) -> bool:
        return self.kind in CLAUSE_KINDS


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    parts: tuple[Part, ...]
    source: str
    # Each clause's references to other parts of the document, resolved at parse time
    # (assistant/corpus/references.py).
    references: tuple = ()

    def references_of(self, label: str) -> list:
        """The references made in one clause, in reading order."""
        return [r for r in self.references if r.source == label]

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    @property
    def clauses(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.is_clause)


@dataclass(frozen=True)
class Hit:
    """A clause returned by retrieval, best first."""

    clause: Part
    meta: DocMeta
    score: float
    sources: dict[str, float] = field(default_factory=dict)  # per-retriever scores, for diagnostics

    def to_json(self) -> dict:
        return {
            "doc_id": self.meta.doc_id,
            "city": self.meta.city,
            "title": self.meta.title,
            "article": self.clause.label,
            "text": self.clause.text,
            "score": round(self.score, 6),
        }
