"""Extractive answers: lead with the sentence(s) that answer, quote the clause, cite it, warn about
the document's status — or say plainly that the corpus does not cover the question."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import DocMeta, Part, Status



@dataclass(frozen=True)
class Citation:
    doc_id: str
    city: str
    title: str
    article: str
    text: str

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "city": self.city, "title": self.title,
                "article": self.article, "text": self.text}


@dataclass
class Answer:
    question: str
    answer: str
    answerable: bool
    citations: list[Citation] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    mode: str = "extractive"
    kind: str = "answer"  # answer | checklist: which prompt an LLM rewrites it with

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer, "answerable": self.answerable,
                "citations": [c.to_json() for c in self.citations], "checks": self.checks,
                "mode": self.mode}


def cite(meta: DocMeta, clause: Part) -> Citation:
    return Citation(doc_id=meta.doc_id, city=meta.city, title=meta.title, article=clause.label,
                    text=clause.text)


def status_note(meta: DocMeta, today: date) -> str | None:
    """What a reader must know about the document's validity before relying on it."""
    if meta.status is Status.DRAFT:
        return f"注意：《{meta.title}》为征求意见稿，尚未正式施行，条文可能调整。"
    if meta.status is Status.REPEALED:
        return f"注意：《{meta.title}》已废止，仅供参考。"
    if meta.valid_until is not None:
        until = f"{meta.valid_until.year}年{meta.valid_until.month}月{meta.valid_until.day}日"
        if meta.valid_until < today:
            return f"注意：《{meta.title}》的有效期已于{until}届满，请核实是否已有新规定。"
        return f"《{meta.title}》有效期至{until}。"
    if meta.status is Status.INTERIM:
        return f"《{meta.title}》为暂行办法。"
    return None


def where(meta: DocMeta, label: str) -> str:
    return f"《{meta.title}》{label}"


def refusal(question: str, reason: str, covered: list[DocMeta]) -> Answer:
    cities = "、".join(f"{m.city}（{m.status.value}）" if m.status is Status.DRAFT else m.city for m in covered)
    text = f"{reason}目前收录的办法：{cities}。请换一种问法，或指明城市与环节。"
    return Answer(question=question, answer=text, answerable=False)
