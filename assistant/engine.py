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
    """What a question says about a concrete project (amounts in 万元, ratios in %). An amount
    given as a bound ("500万以下", "100万以上") is a range: `amount` is its boundary and
    `amount_range` the interval (lo, hi, lo_included, hi_included)."""

    amount: float | None = None
    change: float | None = None
    change_ratio: float | None = None
    approval_date: date | None = None
    amount_range: tuple[float, float, bool, bool] | None = None
    new_build: bool | None = None      # 新建 (True) / 升级、改造、扩建、续建 (False) / not said (None)
    software: bool = False             # 软件开发
    classified: bool = False           # 涉密

    @property
    def empty(self) -> bool:
        return (self.amount is None and self.change_ratio is None and self.approval_date is None
                and self.amount_range is None)


def extract_facts(question: str, quantities: list[Quantity] | None = None) -> Facts:
    """300万元 / 八十万 / 1,200,000元 → amount; "1000万…调整200万" or "调整20%" → change ratio;
    "2024年3月1日立项" → approval date."""
    quantities = find_quantities(question) if quantities is None else list(quantities)
    money = [q.value for q in quantities if q.kind == "money"]
    bound = None
    for q in quantities:
        if q.kind == "money":
            after = question[q.end:q.end + 4] if q.end <= len(question) else ""
            before = question[max(0, q.start - 3):q.start]
            bound = _bound(q.value, before, after) or bound
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
    kind = dict(new_build=True if _NEW.search(question) else False if _UPGRADE.search(question) else None,
                software=bool(_SOFTWARE.search(question)), classified="涉密" in question)
    if bound is not None and change is None and ratio is None:
        return Facts(amount=amount, approval_date=when, amount_range=bound, **kind)
    return Facts(amount=amount, change=change, change_ratio=ratio, approval_date=when, **kind)


_NEW = re.compile(r"新建")
_UPGRADE = re.compile(r"升级|改造|扩建|改建|续建|迭代")
_SOFTWARE = re.compile(r"软件开发|开发类|定制开发")


# Statutory reading (民法典第1259条): 以上、以下、以内 include the number; 不满、超过 do not.
_BELOW_INCL = ("及以下", "以下", "以内", "之内", "内")
_BELOW_EXCL = ("不满", "不到", "低于", "小于", "少于", "未达到", "未满")
_ABOVE_INCL = ("及以上", "以上")
_ABOVE_EXCL = ("超过", "高于", "大于", "多于")


def _bound(value: float, before: str, after: str) -> tuple[float, float, bool, bool] | None:
    if any(before.endswith(w) for w in _BELOW_EXCL):
        return (0.0, value, True, False)
    if any(before.endswith(w) for w in _ABOVE_EXCL):
        return (value, float("inf"), False, False)
    if before.endswith(("不超过", "不高于", "最多")):
        return (0.0, value, True, True)
    if before.endswith(("不低于", "至少", "达到")):
        return (value, float("inf"), True, False)
    if any(after.startswith(w) for w in _BELOW_INCL):
        return (0.0, value, True, True)
    if any(after.startswith(w) for w in _ABOVE_INCL):
        return (value, float("inf"), True, False)
    return None


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


def _range_text(rng: tuple[float, float, bool, bool]) -> str:
    lo, hi, lo_in, hi_in = rng
    if hi == float("inf"):
        return f"{_wan(lo)}{'及' if lo_in else ''}以上" if lo_in else f"超过{_wan(lo)}"
    return f"{_wan(hi)}以下" if hi_in else f"不满{_wan(hi)}"


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
    if rule.only_if == "new_build" and facts.new_build is False:
        return Conclusion(rule, False, "升级改造项目 ≠ 新建项目", f"本条只对新建项目作出规定（{rule.quote}）")
    conclusion = _evaluate(rule, facts)
    if conclusion is not None and rule.only_if == "new_build" and facts.new_build is None:
        conclusion = Conclusion(conclusion.rule, conclusion.holds, conclusion.computation,
                                conclusion.text + "（本条针对新建项目）", conclusion.values)
    return conclusion


def _evaluate(rule: Rule, facts: Facts) -> Conclusion | None:
    op = rule.comparator or ">="
    if rule.applies_to == "amount" and facts.amount_range is not None:
        fit = _range_vs(facts.amount_range, op, rule.value)
        stated = _range_text(facts.amount_range)
        threshold = f"{_SYMBOL[op]} {_wan(rule.value)}"
        if fit == "all":
            return Conclusion(rule, True, f"{stated} 均 {threshold}", rule.then) if rule.then else None
        if fit == "none":
            return (Conclusion(rule, False, f"{stated} 均不满足 {threshold}", rule.otherwise)
                    if rule.otherwise else None)
        if fit == "boundary":
            return None  # only the end point itself meets it: the neighbouring rule says the rest
        if fit == "mixed" and _only_endpoint_outside(facts.amount_range, op, rule.value):
            # "500万以下" against the text's own "500万元以下": the user names the text's category.
            return Conclusion(rule, True, f"{stated} 即 {threshold}", rule.then) if rule.then else None
        return Conclusion(rule, False, f"{stated} 跨越 {threshold}",
                          f"取决于具体金额：{threshold}的，{rule.then}" if rule.then else "取决于具体金额")
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
    if rule.applies_to == "amount_share" and facts.amount_range is not None:
        return Conclusion(rule, True, f"{_range_text(facts.amount_range)} × {_pct(rule.value)}", rule.then)
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


def guard(answer: str, sources: list[tuple[str, str]], computed: tuple[str, ...] = (),
          also: tuple[str, ...] = ()) -> list[dict]:
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
        contradicted = [{"clause": clause_id, "says": s.canonical}
                        for clause_id, text in sources for s in find_quantities(text) if s.unit == q.unit]
        findings.append({"type": "guard", "quantity": q.text, "normalized": q.canonical, "status": "unbacked",
                         "contradicted_by": list({(c["clause"], c["says"]): c for c in contradicted}.values())})
    return findings
