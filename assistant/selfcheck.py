"""项目自查: a concrete project (city, amount, kind) → the rule engine's conclusions and the cited
lifecycle checklist of that city's document. Shared by the API and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .answer import Answer, status_note
from .core import Assistant
from .engine import Conclusion, Facts
from .text import find_quantities


class ProjectKind(str, Enum):
    NEW = "新建"
    UPGRADE = "升级改造"
    UNSPECIFIED = "未说明"

    @classmethod
    def parse(cls, value: str | None) -> "ProjectKind":
        if not value:
            return cls.UNSPECIFIED
        for kind in cls:
            if value == kind.value or value == kind.name.lower():
                return kind
        raise ValueError(f"项目类型“{value}”无效，可选：{'、'.join(k.value for k in cls)}")


def parse_amount(value: float | int | str | None) -> float | None:
    """An amount in 万元: a number is taken as 万元; text may carry its own unit (三百万, 3,000,000元,
    1.2亿元)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("金额不能为负数")
        return float(value)
    text = str(value).strip()
    try:
        return parse_amount(float(text.replace(",", "")))
    except ValueError:
        pass
    money = [q for q in find_quantities(text) if q.kind == "money"]
    if not money:
        raise ValueError(f"无法识别金额“{text}”：请写成数字（单位万元）或带单位，如 300万元、三百万、3,000,000元")
    return money[0].value


def project_facts(amount: float | None = None, kind: ProjectKind = ProjectKind.UNSPECIFIED, software: bool = False,
                  classified: bool = False, change_ratio: float | None = None,
                  approval_date: date | None = None) -> Facts:
    return Facts(amount=amount, change_ratio=change_ratio, approval_date=approval_date,
                 new_build={ProjectKind.NEW: True, ProjectKind.UPGRADE: False}.get(kind),
                 software=software, classified=classified)


@dataclass
class SelfCheck:
    city: str
    doc_id: str
    title: str
    facts: Facts
    conclusions: list[Conclusion]
    checklist: Answer | None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        f = self.facts
        return {
            "city": self.city, "doc_id": self.doc_id, "title": self.title,
            "facts": {"amount_wan": f.amount, "new_build": f.new_build, "software": f.software,
                      "classified": f.classified, "change_ratio": f.change_ratio,
                      "approval_date": f.approval_date.isoformat() if f.approval_date else None},
            "conclusions": [c.to_json() for c in self.conclusions],
            "checklist": self.checklist.to_json() if self.checklist else None,
            "notes": self.notes,
        }


def self_check(assistant: Assistant, city: str, facts: Facts) -> list[SelfCheck]:
    """One SelfCheck per document of the city (NotFound names the cities covered)."""
    out = []
    for doc_id in assistant.resolve_city(city):
        meta = assistant.corpus.documents[doc_id].meta
        conclusions = assistant.check(meta.city, facts) if not facts.empty else []
        checklist = assistant.checklist(f"{meta.city}项目全流程自查", (doc_id,), facts=facts)
        note = status_note(meta, assistant.today)
        out.append(SelfCheck(city=meta.city, doc_id=doc_id, title=meta.title, facts=facts,
                             conclusions=[c for c in conclusions if c.rule.doc_id == doc_id],
                             checklist=checklist, notes=[note] if note else []))
    return out
