"""What an answer is: the text, whether the corpus answers it, the clauses it cites and the
typed checks behind it (rule conclusions, guard findings, the LLM path's findings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, Protocol

from assistant.corpus.model import DocMeta, Part, clause_id


class AnswerMode(str, Enum):
    """Where the answer's text comes from."""
    EXTRACTIVE = "extractive"
    LLM = "llm"
    FALLBACK = "extractive-fallback"  # the model failed or wrote nothing verifiable


class AnswerKind(str, Enum):
    """Which prompt an LLM rewrites it with."""
    ANSWER = "answer"
    CHECKLIST = "checklist"


class Check(Protocol):
    """One entry of `Answer.checks`: a typed record that knows its wire form (README, `checks`)."""
    type: ClassVar[str]

    def to_json(self) -> dict: ...


@dataclass(frozen=True)
class Citation:
    doc_id: str
    city: str
    title: str
    article: str
    text: str

    @property
    def clause_id(self) -> str:
        return clause_id(self.doc_id, self.article)

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "city": self.city, "title": self.title,
                "article": self.article, "text": self.text}


@dataclass
class Answer:
    question: str
    answer: str
    answerable: bool
    citations: list[Citation] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    mode: AnswerMode = AnswerMode.EXTRACTIVE
    kind: AnswerKind = AnswerKind.ANSWER

    def checks_of(self, kind: type) -> list:
        """The checks of one record type: answer.checks_of(RuleConclusion)."""
        return [c for c in self.checks if isinstance(c, kind)]

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer, "answerable": self.answerable,
                "citations": [c.to_json() for c in self.citations], "checks": [c.to_json() for c in self.checks],
                "mode": self.mode.value}


def cite(meta: DocMeta, clause: Part) -> Citation:
    return Citation(doc_id=meta.doc_id, city=meta.city, title=meta.title, article=clause.label,
                    text=clause.text)
