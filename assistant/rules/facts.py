"""A concrete project as the rules see it: facts from a question (amount, change, dates, kind) or
from a form (项目自查), amounts parsed in any spelling (300万元, 三百万, 3,000,000元)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from assistant.text import Quantity, find_quantities

_CHANGE = re.compile(r"调整|变更|核减|增加|减少|追加|改动|调减|调增|压缩")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


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
    ratio_range: tuple[float, float, bool, bool] | None = None  # a change ratio given as a bound ("超过10%")
    new_build: bool | None = None      # 新建 (True) / 升级、改造、扩建、续建 (False) / not said (None)
    software: bool = False             # 软件开发
    classified: bool = False           # 涉密

    @property
    def empty(self) -> bool:
        return (self.amount is None and self.change_ratio is None and self.approval_date is None
                and self.amount_range is None and self.ratio_range is None)


def extract_facts(question: str, quantities: list[Quantity] | None = None) -> Facts:
    """300万元 / 八十万 / 1,200,000元 → amount; "1000万…调整200万" or "调整20%" → change ratio;
    "2024年3月1日立项" → approval date."""
    quantities = find_quantities(question) if quantities is None else list(quantities)
    money = [q.value for q in quantities if q.kind == "money"]
    bound = None
    for q in quantities:
        if q.kind == "money":
            bound = _bound(q.value, *_around(question, q)) or bound
    percents = [q for q in quantities if q.kind == "percent"]
    amount = change = ratio = None
    if _CHANGE.search(question):
        if percents:
            ratio_bound = _bound(percents[0].value, *_around(question, percents[0]))
            if ratio_bound is not None:
                # "核减超过10%": a class of changes, which a rule may hold for all, none or some of.
                kind = _kind(question)
                return Facts(amount=max(money) if money else None, ratio_range=ratio_bound, **kind)
            ratio = percents[0].value
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
    kind = _kind(question)
    if bound is not None and change is None and ratio is None:
        return Facts(amount=amount, approval_date=when, amount_range=bound, **kind)
    return Facts(amount=amount, change=change, change_ratio=ratio, approval_date=when, **kind)


def _around(question: str, q: Quantity) -> tuple[str, str]:
    """The three characters before a quantity and the four after it: where its bound is written."""
    return question[max(0, q.start - 3):q.start], question[q.end:q.end + 4] if q.end <= len(question) else ""


def _kind(question: str) -> dict:
    return dict(new_build=True if _NEW.search(question) else False if _UPGRADE.search(question) else None,
                software=bool(_SOFTWARE.search(question)), classified="涉密" in question)


_NEW = re.compile(r"新建")
_UPGRADE = re.compile(r"升级|改造|扩建|改建|续建|迭代")
_SOFTWARE = re.compile(r"软件开发|开发类|定制开发")


# Statutory reading (民法典第1259条): 以上、以下、以内 include the number; 不满、超过 do not.
_BELOW_INCL = ("及以下", "以下", "以内", "之内", "内")
_BELOW_EXCL = ("不满", "不到", "低于", "小于", "少于", "未达到", "未满")
_ABOVE_INCL = ("及以上", "以上")
_ABOVE_EXCL = ("超过", "高于", "大于", "多于")


def _bound(value: float, before: str, after: str) -> tuple[float, float, bool, bool] | None:
    # A negated bound first: 不超过 ends in 超过, 不低于 in 低于, and reads the other way.
    if before.endswith(("不超过", "不高于", "不大于", "不多于", "最多")):
        return (0.0, value, True, True)
    if before.endswith(("不低于", "不少于", "不小于", "至少", "达到")):
        return (value, float("inf"), True, False)
    if any(before.endswith(w) for w in _BELOW_EXCL):
        return (0.0, value, True, False)
    if any(before.endswith(w) for w in _ABOVE_EXCL):
        return (value, float("inf"), False, False)
    if any(after.startswith(w) for w in _BELOW_INCL):
        return (0.0, value, True, True)
    if any(after.startswith(w) for w in _ABOVE_INCL):
        return (value, float("inf"), True, False)
    return None


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
        if not math.isfinite(value):
            raise ValueError("金额应为有限的数字（单位万元），如 300 或 300万元")
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


def form_facts(amount: float | int | str | None = None, project_type: str | None = None, software: bool = False,
               classified: bool = False, change_ratio: float | None = None,
               approval_date: date | None = None) -> Facts:
    """A project described in a form (the API's fields, the UI's boxes); ValueError says which
    value cannot be read (an amount's message names 金额)."""
    return project_facts(parse_amount(amount), ProjectKind.parse(project_type), software, classified,
                         change_ratio, approval_date)
