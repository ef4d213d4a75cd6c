"""Numbers come from the text, arithmetic comes from code: project facts from a question, the rules
that apply to them, and a guard that checks every quantity of an answer against its sources."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .rules import Rule, RuleBook
from .text import Quantity, canonical_quantities, find_quantities

_CHANGE = re.compile(r"调整|变更|核减|增加|减少|追加|改动|调减|调增|压缩")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


@dataclass(frozen=True)
class Facts:
    """What a question says about a concrete project (amounts in 万元, ratios in %)."""

    amount: float | None = None
    change: float | None = None
    change_ratio: float | None = None
    approval_date: date | None = None

    @property
    def empty(self) -> bool:
        return self.amount is None and self.change_ratio is None and self.approval_date is None


def extract_facts(question: str, quantities: list[Quantity] | None = None) -> Facts:
    """300万元 / 八十万 / 1,200,000元 → amount; "1000万…调整200万" or "调整20%" → change ratio;
    "2024年3月1日立项" → approval date."""
    quantities = find_quantities(question) if quantities is None else list(quantities)
    money = [q.value for q in quantities if q.kind == "money"]
    percents = [q.value for q in quantities if q.kind == "percent"]
    amount = change = ratio = None
    if _CHANGE.search(question):
        if percents:
            ratio = percents[0]
            amount = max(money) if money else None
        elif len(money) >= 2:
            amount, change = max(money), min(money)
            ratio = change / amount * 100 if amount else None
        elif money:
            amount = money[0]
    elif money:
        amount = max(money)
    when = None
    m = _DATE.search(question)
    if m and "立项" in question:
        try:
            when = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            when = None
    return Facts(amount=amount, change=change, change_ratio=ratio, approval_date=when)


@dataclass(frozen=True)
class Conclusion:
    rule: Rule
    holds: bool
    computation: str
    text: str
    values: tuple[str, ...] = ()  # quantities the computation produced (backed for the guard)

    def to_json(self) -> dict:
        return {"type": "rule", "rule": self.rule.id, "doc_id": self.rule.doc_id, "article": self.rule.article,
                "quote": self.rule.quote, "computation": self.computation, "holds": self.holds,
                "conclusion": self.text}


def _wan(value: float) -> str:
    return f"{value:g}万元"


def _pct(value: float) -> str:
    return f"{round(value, 2):g}%"


def _compare(left: float, comparator: str, right: float) -> bool:
    eps = 1e-9
    return {">=": left >= right - eps, ">": left > right + eps, "<=": left <= right + eps,
            "<": left < right - eps, "==": abs(left - right) <= eps}[comparator]


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def evaluate(rule: Rule, facts: Facts) -> Conclusion | None:
    """The rule applied to the facts, computed; None when the facts say nothing it applies to."""
    op = rule.comparator or ">="
    if rule.applies_to == "amount" and facts.amount is not None:
        holds = _compare(facts.amount, op, rule.value)
        sign = _SYMBOL[op] if holds else _SYMBOL[_negate(op)]
        computation = f"{_wan(facts.amount)} {sign} {_wan(rule.value)}"
        text = rule.then if holds else rule.otherwise
        return Conclusion(rule, holds, computation, text) if text else None
    if rule.applies_to == "change_ratio" and facts.change_ratio is not None:
        holds = _compare(facts.change_ratio, op, rule.value)
        sign = _SYMBOL[op] if holds else _SYMBOL[_negate(op)]
        ratio = _pct(facts.change_ratio)
        if facts.change is not None and facts.amount:
            computation = f"{_wan(facts.change)} ÷ {_wan(facts.amount)} = {ratio} {sign} {_pct(rule.value)}"
        else:
            computation = f"{ratio} {sign} {_pct(rule.value)}"
        text = rule.then if holds else rule.otherwise
        return Conclusion(rule, holds, computation, text, values=(ratio,)) if text else None
    if rule.applies_to == "amount_share" and facts.amount is not None:
        minimum = facts.amount * rule.value / 100
        computation = f"{_wan(facts.amount)} × {_pct(rule.value)} = {_wan(round(minimum, 4))}"
        return Conclusion(rule, True, computation, f"{rule.then}，即不低于{_wan(round(minimum, 4))}",
                          values=(_wan(round(minimum, 4)),))
    if rule.applies_to == "approval_date" and facts.approval_date is not None and rule.unit == "个月":
        due = _add_months(facts.approval_date, int(rule.value))
        fmt = f"{due.year}年{due.month}月{due.day}日"
        start = f"{facts.approval_date.year}年{facts.approval_date.month}月{facts.approval_date.day}日"
        computation = f"{start} + {rule.quantity_text} = {fmt}"
        return Conclusion(rule, True, computation, f"应在{fmt}前完成采购（{rule.statement}）",
                          values=(f"{due.year}年", f"{due.month}月", f"{due.day}日"))
    return None


def _negate(op: str) -> str:
    return {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "≠"}.get(op, op)


def check(book: RuleBook, doc_ids, facts: Facts, question: str) -> list[Conclusion]:
    """Every rule of these documents that the question's topic and facts reach, evaluated."""
    if facts.empty:
        return []
    out = []
    for rule in book.for_docs(doc_ids):
        if rule.applies_to is None or not any(t in question for t in rule.topics):
            continue
        conclusion = evaluate(rule, facts)
        if conclusion is not None:
            out.append(conclusion)
    return out


def guard(answer: str, sources: list[str], computed: tuple[str, ...] = (), also: tuple[str, ...] = ()) -> list[dict]:
    """Every quantity in `answer` must be in a source text (a cited clause, catalog metadata) or
    come from a computation; anything else is reported, with what the sources say instead."""
    backed = set(canonical_quantities(" ".join(computed)))
    for text in [*sources, *also]:
        backed |= set(canonical_quantities(text))
    source_quantities = [q for text in sources for q in find_quantities(text)]
    findings = []
    for q in find_quantities(answer):
        if q.canonical in backed:
            continue
        said = sorted({s.canonical for s in source_quantities if s.unit == q.unit})
        findings.append({"type": "guard", "quantity": q.text, "normalized": q.canonical, "status": "unbacked",
                         "sources_say": said})
    return findings
