"""The number guard: every quantity an answer states must be in a cited clause, in the cited
document's catalog dates, or come from a rule computation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from assistant.text import canonical_quantities, find_quantities


@dataclass(frozen=True)
class GuardFinding:
    """A quantity of the answer that no source backs, with what the cited clauses say in its unit.
    The LLM path records what it did about it (action: corrected / removed)."""

    type: ClassVar[str] = "guard"
    quantity: str
    normalized: str
    contradicted_by: tuple[tuple[str, str], ...] = ()  # (clause id, quantity it states)
    action: str | None = None
    corrected_to: str | None = None
    sentence: str | None = None

    @property
    def says(self) -> list[str]:
        return sorted({says for _, says in self.contradicted_by})

    def to_json(self) -> dict:
        out = {"type": self.type, "quantity": self.quantity, "normalized": self.normalized, "status": "unbacked",
               "contradicted_by": [{"clause": c, "says": s} for c, s in self.contradicted_by]}
        if self.action is not None:
            out["action"] = self.action
        if self.corrected_to is not None:
            out["corrected_to"] = self.corrected_to
        if self.sentence is not None:
            out["sentence"] = self.sentence
        return out


def guard(answer: str, sources: list[tuple[str, str]], computed: tuple[str, ...] = (),
          also: tuple[str, ...] = ()) -> list[GuardFinding]:
    """Every quantity in `answer` must be in a source — (clause id, text) of a cited clause — or in
    catalog metadata (`also`), or come from a rule computation (`computed`). Anything else is
    reported with the cited clauses that state a quantity of the same unit (what the text says)."""
    backed = set(canonical_quantities(" ".join(computed)))
    for _, text in sources:
        backed |= set(canonical_quantities(text))
    for text in also:
        backed |= set(canonical_quantities(text))
    findings = []
    for q in find_quantities(answer):
        if q.canonical in backed:
            continue
        contradicted = [(clause_id, s.canonical)
                        for clause_id, text in sources for s in find_quantities(text) if s.unit == q.unit]
        findings.append(GuardFinding(q.text, q.canonical, tuple(dict.fromkeys(contradicted))))
    return findings
