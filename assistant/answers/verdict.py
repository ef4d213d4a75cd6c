"""The one-line conclusion of a yes/no question with a premise ("要满三个月吧？" → 不是).

Computed from the sentence that answers, never guessed: a number in the premise is compared with
the number the text gives (and the bound it sets: 不低于1个月, 不超过500万元); otherwise the claim's
polarity (不用, 不能 …) is compared with the text's (不再, 不予 …). When neither settles it, there is
no conclusion line and the quoted text answers on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import Quantity, find_quantities

# A yes/no question: it asks whether its claim holds.
_YES_NO = re.compile(r"吗|吧|是不是|要不要|需不需要|能不能|可不可以|对不对|是否|有没有|用不用|行不行|对吧|是吧")
# Words of the question form, not of the claim ("是不是必须…": 不 is not a negation of the claim).
_FORM = re.compile(r"是不是|要不要|需不需要|能不能|可不可以|对不对|有没有|用不用|行不行|是否|是这样吗|是吗|对吧|是吧|对吗")
_NEGATION = re.compile(r"不|没|无需|无须|未|非|禁止|严禁|免")
# The premise states a requirement on its number ("要满三个月", "至少30天", "10%以上"), not a fact
# about the project ("总投资400万的项目").
_REQUIREMENT = re.compile(r"满|至少|最少|最多|不少于|不低于|不超过|以上|以下|以内|超过|占到|达到|只能|必须|须|要")
_UPPER = re.compile(r"不超过|不高于|以下|以内|低于|不足|少于|只能|最多|上限")
_LOWER = re.compile(r"不低于|不少于|以上|超过|至少|高于|多于|达到")
_COUNT = re.compile(r"([一二两三四五六七八九十\d]+)次")
_PERIOD = re.compile(r"每(个)?(年|季度|月|半年|周)|按(年度|季度|月)|年度|季度")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class Verdict:
    holds: bool
    why: str  # which comparison decided it, for the record


_WH = re.compile(r"什么|哪|谁|怎|多少|多久|多长|几|何|啥|如何")
# Who a thing belongs to, is organised by or reported to: "归开发公司" against "归项目单位所有".
_PARTY = re.compile(r"(?:归|由)([\u4e00-\u9fa5]{2,8})")


def is_yes_no(question: str) -> bool:
    """吗/吧/是不是 …, or a statement asked with a question mark ("听说…要占10%以上？")."""
    if _YES_NO.search(question):
        return True
    return question.rstrip().endswith(("？", "?")) and not _WH.search(question)


def claim_negated(claim: str) -> bool:
    return bool(_NEGATION.search(_FORM.sub("", claim)))


def judge(claim: str, sentence: str) -> Verdict | None:
    """Whether the text's sentence confirms the question's claim; None when it cannot tell."""
    by_number = _by_number(claim, sentence)
    if by_number is not None:
        return by_number
    party_q, party_s = _PARTY.search(claim), _PARTY.search(sentence)
    if party_q and party_s and len(set(party_q.group(1)) & set(party_s.group(1))) < 2:
        return Verdict(False, f"主体不同：{party_q.group(1)} / {party_s.group(1)}")
    period_q, period_s = _periods(claim), _periods(sentence)
    if period_q and period_s and not period_q & period_s:
        return Verdict(False, f"周期不同：{'、'.join(sorted(period_q))} / {'、'.join(sorted(period_s))}")
    neg_q = claim_negated(claim)
    neg_s = bool(_NEGATION.search(sentence))
    return Verdict(neg_q == neg_s, "肯定/否定一致" if neg_q == neg_s else "肯定/否定相反")


def _counts(text: str) -> list[float]:
    out = []
    for m in _COUNT.finditer(text):
        n = m.group(1)
        out.append(float(n) if n.isdigit() else float(_CN.get(n, 0)))
    return out


def _periods(text: str) -> set[str]:
    return {m.group(0).replace("每个", "每").replace("按", "").replace("每年", "年度")
            .replace("每季度", "季度").replace("每月", "月") for m in _PERIOD.finditer(text)}


def _bound(sentence: str, q: Quantity) -> str | None:
    before = sentence[max(0, q.start - 6):q.start]
    after = sentence[q.end:q.end + 4]
    if _UPPER.search(before) or _UPPER.search(after):
        return "upper"
    if _LOWER.search(before) or _LOWER.search(after):
        return "lower"
    return None


def _by_number(claim: str, sentence: str) -> Verdict | None:
    asked = [q for q in find_quantities(claim) if q.kind != "date"]
    stated = [q for q in find_quantities(sentence) if q.kind != "date"]
    counts_q, counts_s = _counts(claim), _counts(sentence)
    if counts_q and counts_s and not any(q.kind == "count" for q in asked):
        bound = "upper" if _UPPER.search(sentence) else None
        holds = counts_q[-1] <= counts_s[0] if bound == "upper" else counts_q[-1] == counts_s[0]
        return Verdict(holds, f"次数：{counts_q[-1]:g} / {counts_s[0]:g}")
    for q in asked:
        same = [s for s in stated if s.kind == q.kind and s.unit == q.unit]
        if not same:
            continue
        s = same[0]
        around = claim[max(0, q.start - 4):q.end + 3]
        if _REQUIREMENT.search(around):
            return Verdict(q.value == s.value, f"要求：{q.canonical} / {s.canonical}")
        bound = _bound(sentence, s)
        if bound == "upper":
            return Verdict(q.value <= s.value, f"{q.canonical} ≤ {s.canonical}")
        if bound == "lower":
            return Verdict(q.value >= s.value, f"{q.canonical} ≥ {s.canonical}")
        return Verdict(q.value == s.value, f"{q.canonical} / {s.canonical}")
    return None
