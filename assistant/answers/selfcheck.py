"""项目自查: a concrete project (its documents, amount, kind) → the rule engine's conclusions and the
cited lifecycle checklist of each document. Shared by the API and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answers.checklist import Checklist, build_checklist
from assistant.answers.context import Context
from assistant.answers.notes import status_note
from assistant.rules.evaluate import RuleConclusion, check_every
from assistant.rules.facts import Facts
from assistant.search.scope import Scope


@dataclass
class SelfCheck:
    city: str
    doc_id: str
    title: str
    facts: Facts
    conclusions: list[RuleConclusion]
    checklist: Checklist | None  # the document's checklist (one document)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        f = self.facts
        return {
            "city": self.city, "doc_id": self.doc_id, "title": self.title,
            "facts": {"amount_wan": f.amount, "new_build": f.new_build, "software": f.software,
                      "classified": f.classified, "change_ratio": f.change_ratio,
                      "approval_date": f.approval_date.isoformat() if f.approval_date else None},
            "conclusions": [c.to_json() for c in self.conclusions],
            "checklist": self.checklist.to_answer().to_json() if self.checklist else None,
            "notes": self.notes,
        }


def self_check(ctx: Context, scope: Scope, facts: Facts) -> list[SelfCheck]:
    """One SelfCheck per document in scope: every rule of the document on the project's facts,
    and its checklist."""
    out = []
    for doc_id in scope.doc_ids:
        meta = ctx.corpus.documents[doc_id].meta
        conclusions = check_every(ctx.rules, (doc_id,), facts)
        checklist = build_checklist(ctx, f"{meta.city}项目全流程自查", (doc_id,), facts=facts)
        note = status_note(meta, ctx.today)
        out.append(SelfCheck(city=meta.city, doc_id=doc_id, title=meta.title, facts=facts, conclusions=conclusions,
                             checklist=checklist, notes=[note] if note else []))
    return out
