"""What the LLM path found and did, as typed checks (the README's table of `checks` entries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class CitationFinding:
    """A sentence removed because it cites an id, an article or a city it was not given."""

    type: ClassVar[str] = "citation"
    status: str          # invented_id | unknown_article | other_city
    sentence: str
    id: str | None = None
    article: str | None = None
    city: str | None = None
    action: str = "removed"

    def to_json(self) -> dict:
        out = {"type": self.type, "status": self.status}
        for key in ("id", "article", "city"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return {**out, "action": self.action, "sentence": self.sentence}


@dataclass(frozen=True)
class InjectionFinding:
    """Instruction-like text in the question or a clause, treated as text."""

    type: ClassVar[str] = "injection"
    where: str   # "question" or a clause id
    text: str

    def to_json(self) -> dict:
        return {"type": self.type, "where": self.where, "text": self.text, "status": "treated_as_text"}


@dataclass(frozen=True)
class LlmFallback:
    """The model's answer was not used; the extractive answer stands, with this reason."""

    type: ClassVar[str] = "llm"
    reason: str

    def to_json(self) -> dict:
        return {"type": self.type, "status": "fallback", "reason": self.reason}
