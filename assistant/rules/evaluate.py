"""Rules applied to a project: thresholds, ratios, shares and dates computed by code on the number
the text gives (乐山's 15% adjustment rule, 六安's 100万元 监理 threshold …), one RuleConclusion each."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from assistant.rules.book import Rule, RuleBook
from assistant.rules.facts import Facts
from assistant.text import cn_date

SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}  # how a comparator is written


def _range_vs(rng: tuple[float, float, bool, bool], op: str, x: float) -> str:
    """'all' | 'none' | 'boundary' (only the end point meets the rule) | 'mixed'."""
    lo, hi, lo_in, hi_in = rng
    # the rule's set of amounts, as an interval
    rule = {">=": (x, float("inf"), True, False), ">": (x, float("inf"), False, False),
            "<=": (0.0, x, True, True), "<": (0.0, x, True, False), "==": (x, x, True, True)}[op]
    r_lo, r_hi, r_lo_in, r_hi_in = rule
    inside_lo = lo > r_lo or (lo == r_lo and (r_lo_in or not lo_in))
    inside_hi = hi < r_hi or (hi == r_hi and (r_hi_in or not hi_in))
    if inside_lo and inside_hi:
        return "all"
    o_lo, o_hi = max(lo, r_lo), min(hi, r_hi)
    if o_lo > o_hi:
        return "none"
    if o_lo == o_hi:
        closed = ((o_lo > lo or lo_in) and (o_hi < hi or hi_in) and (o_lo > r_lo or r_lo_in)
                  and (o_hi < r_hi or r_hi_in))
        return "boundary" if closed else "none"
    return "mixed"


def _only_endpoint_outside(rng: tuple[float, float, bool, bool], op: str, x: float) -> bool:
    """The user's range leaves the rule's range only at the shared boundary (…以下 includes X,
    the rule's "<X" does not)."""
    lo, hi, lo_in, hi_in = rng
    return (op == "<" and hi == x and hi_in) or (op == ">" and lo == x and lo_in)


def _range_text(rng: tuple[float, float, bool, bool], fmt=None) -> str:
    fmt = fmt or _wan
    lo, hi, lo_in, hi_in = rng
    if hi == float("inf"):
        return f"{fmt(lo)}{'及' if lo_in else ''}以上" if lo_in else f"超过{fmt(lo)}"
    return f"{fmt(hi)}以下" if hi_in else f"不满{fmt(hi)}"


@dataclass(frozen=True)
class RuleConclusion:
    type: ClassVar[str] = "rule"
    rule: Rule
    holds: bool
    computation: str
    text: str
    values: tuple[str, ...] = ()  # quantities the computation produced (backed for the guard)

    def to_json(self) -> dict:
        return {"type": self.type, "rule": self.rule.id, "doc_id": self.rule.doc_id, "article": self.rule.article,
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


def evaluate(rule: Rule, facts: Facts) -> RuleConclusion | None:
    """The rule applied to the facts, computed; None when the facts say nothing it applies to."""
    if rule.only_if == "new_build" and facts.new_build is False:
        return RuleConclusion(rule, False, "升级改造项目 ≠ 新建项目", f"本条只对新建项目作出规定（{rule.quote}）")
    conclusion = _evaluate(rule, facts)
    if conclusion is not None and rule.only_if == "new_build" and facts.new_build is None:
        conclusion = RuleConclusion(conclusion.rule, conclusion.holds, conclusion.computation,
                                conclusion.text + "（本条针对新建项目）", conclusion.values)
    return conclusion


def _evaluate(rule: Rule, facts: Facts) -> RuleConclusion | None:
    op = rule.comparator or ">="
    if rule.applies_to == "amount" and facts.amount_range is not None:
        return _of_range(rule, op, facts.amount_range, _wan, "金额")
    if rule.applies_to == "change_ratio" and facts.ratio_range is not None:
        return _of_range(rule, op, facts.ratio_range, _pct, "比例")
    if rule.applies_to == "amount" and facts.amount is not None:
        holds = _compare(facts.amount, op, rule.value)
        sign = SYMBOL[op] if holds else SYMBOL[_negate(op)]
        computation = f"{_wan(facts.amount)} {sign} {_wan(rule.value)}"
        text = rule.then if holds else rule.otherwise
        return RuleConclusion(rule, holds, computation, text) if text else None
    if rule.applies_to == "change_ratio" and facts.change_ratio is not None:
        holds = _compare(facts.change_ratio, op, rule.value)
        sign = SYMBOL[op] if holds else SYMBOL[_negate(op)]
        ratio = _pct(facts.change_ratio)
        if facts.change is not None and facts.amount:
            computation = f"{_wan(facts.change)} ÷ {_wan(facts.amount)} = {ratio} {sign} {_pct(rule.value)}"
        else:
            computation = f"{ratio} {sign} {_pct(rule.value)}"
        text = rule.then if holds else rule.otherwise
        return RuleConclusion(rule, holds, computation, text, values=(ratio,)) if text else None
    if rule.applies_to == "amount_share" and facts.amount_range is not None:
        return RuleConclusion(rule, True, f"{_range_text(facts.amount_range)} × {_pct(rule.value)}", rule.then)
    if rule.applies_to == "amount_share" and facts.amount is not None:
        minimum = facts.amount * rule.value / 100
        computation = f"{_wan(facts.amount)} × {_pct(rule.value)} = {_wan(round(minimum, 4))}"
        return RuleConclusion(rule, True, computation, f"{rule.then}，即不低于{_wan(round(minimum, 4))}",
                          values=(_wan(round(minimum, 4)),))
    if rule.applies_to == "approval_date" and facts.approval_date is not None and rule.unit == "个月":
        due = _add_months(facts.approval_date, int(rule.value))
        fmt = cn_date(due)
        start = cn_date(facts.approval_date)
        computation = f"{start} + {rule.quantity_text} = {fmt}"
        return RuleConclusion(rule, True, computation, f"应在{fmt}前完成采购（{rule.statement}）",
                          values=(f"{due.year}年", f"{due.month}月", f"{due.day}日"))
    return None


def _of_range(rule: Rule, op: str, rng: tuple[float, float, bool, bool], fmt, what: str) -> RuleConclusion | None:
    """A rule applied to a class of projects ("500万以下", "超过10%"): it holds for all of them, for
    none, or it depends on the exact value."""
    fit = _range_vs(rng, op, rule.value)
    stated = _range_text(rng, fmt)
    threshold = f"{SYMBOL[op]} {fmt(rule.value)}"
    if fit == "all":
        return RuleConclusion(rule, True, f"{stated} 均 {threshold}", rule.then) if rule.then else None
    if fit == "none":
        return (RuleConclusion(rule, False, f"{stated} 均不满足 {threshold}", rule.otherwise)
                if rule.otherwise else None)
    if fit == "boundary":
        return None  # only the end point itself meets it: the neighbouring rule says the rest
    if fit == "mixed" and _only_endpoint_outside(rng, op, rule.value):
        # "500万以下" against the text's own "500万元以下": the user names the text's category.
        return RuleConclusion(rule, True, f"{stated} 即 {threshold}", rule.then) if rule.then else None
    return RuleConclusion(rule, False, f"{stated} 跨越 {threshold}",
                          f"取决于具体{what}：{threshold}的，{rule.then}" if rule.then else f"取决于具体{what}")


def _negate(op: str) -> str:
    return {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "≠"}.get(op, op)


def check_every(book: RuleBook, doc_ids, facts: Facts) -> list[RuleConclusion]:
    """Every rule of these documents evaluated on the facts, whatever the question's topic."""
    return check(book, doc_ids, facts, " ".join(t for r in book.for_docs(doc_ids) for t in r.topics))


def check(book: RuleBook, doc_ids, facts: Facts, question: str) -> list[RuleConclusion]:
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
