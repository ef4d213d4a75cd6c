"""Text normalisation and quantities: one place that knows 五百万 = 500万元 = 5,000,000元.

Display text is never changed; these functions build the *matching* form of a text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from assistant.search.caching import Memo

_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Remove every whitespace character (the lossless invariant compares folded texts)."""
    return _WS.sub("", text)


def normalize(text: str) -> str:
    """Matching form: NFKC (full-width → half-width) with whitespace removed."""
    return fold(unicodedata.normalize("NFKC", text))


def comma_parts(sentence: str) -> list[str]:
    """A sentence's parts between commas and semicolons, in order, empty ones left out."""
    return [p for p in re.split(r"[，,；;]", sentence) if p.strip()]


def cn_date(d: date) -> str:
    """2022年6月25日: the one way dates are written in answers, notes and checks."""
    return f"{d.year}年{d.month}月{d.day}日"


# --- Chinese numerals ---------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"


def parse_cn_int(text: str) -> int | None:
    """Parse a Chinese (or mixed) integer: 十七 → 17, 三十一 → 31, 一百零五 → 105, 3千 → 3000.

    Returns None when the text is not a number. 万/亿 are handled by callers (they are units of money).
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, None
    for ch in text:
        if ch.isdigit():
            current = (current or 0) * 10 + int(ch)
        elif ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if current is None else current) * _CN_UNITS[ch]
            current = None
        else:
            return None
    return total + (current or 0)


def int_to_cn(n: int) -> str:
    """17 → 十七, 31 → 三十一, 105 → 一百零五 (for article labels; 1 ≤ n < 10000)."""
    if n <= 0 or n >= 10_000:
        raise ValueError(f"article number out of range: {n}")
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit_value)
        if d:
            parts.append(digits[d] + unit)
        elif parts and n and not parts[-1].endswith("零"):
            parts.append("零")
    text = "".join(parts).rstrip("零")
    return text[1:] if text.startswith("一十") else text


# --- quantities ---------------------------------------------------------------------------

_NUM = rf"(?:\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)"
_RANGE_SEP = r"(?:至|到|-|~|～|—|－)"

_QUANTITY = re.compile(
    rf"""
    (?<![第\d{CN_NUMERAL_CHARS}〕])
    (?:(?P<pct_cn>百分之(?P<pct_cn_n>{_NUM}))
      |(?P<n1>{_NUM})(?:(?P<sep>{_RANGE_SEP})(?P<n2>{_NUM}))?
       (?P<about>多|来|余)?
       (?P<unit>万元|亿元|万|亿|元|%|个月|个工作日|工作日|个星期|星期|周(?!年|岁|边|期|转|末)|天|年(?!度|级)|月底|月份|月|日|号|人|名(?!称|单|义|录|额|字|次)|位(?!置|于|数)|个|次|回(?!事|复|答|避|收|报|访|顾|归|来|去|头|馈|执|款|购|拨|迁|落|流|升|转|放|滚|合|程)|条|章|款|项))
    """,
    re.VERBOSE,
)

# Units that make a number a duration / date / count, with their canonical spelling.
_UNIT_CANON = {
    "个月": "个月", "个工作日": "个工作日", "工作日": "个工作日", "天": "天", "年": "年",
    "个星期": "周", "星期": "周", "周": "周",
    "月底": "月底", "月份": "月", "月": "月", "日": "日", "号": "日", "人": "人", "个": "个", "次": "次",
    "名": "人", "位": "人",  # people counted: "3名专家", "请7位"
    "回": "次",  # spoken for 次: "一年里走两回"
}
_KIND = {
    "个月": "duration", "个工作日": "duration", "天": "duration", "年": "duration", "周": "duration",
    "月底": "date", "月": "date", "日": "date", "人": "count", "个": "count", "次": "count",
}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as found in a text. `canonical` is the form used for matching."""

    kind: str  # money | percent | duration | date | count
    value: float
    unit: str  # 万元 | % | 个月 | 天 | 周 | 年 | 个工作日 | 月 | 月底 | 日 | 人 | 个 | 次
    text: str
    start: int
    end: int

    @property
    def canonical(self) -> str:
        return f"{_fmt(self.value)}{self.unit}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_number(text: str) -> float | None:
    """'3,000,000' → 3000000.0, '1.5' → 1.5, '三百' → 300.0, '两' → 2.0."""
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        value = parse_cn_int(text)
        return None if value is None else float(value)


def _money_wan(number: float, unit: str) -> float:
    if unit in ("万元", "万"):
        return number
    if unit in ("亿元", "亿"):
        return number * 10_000
    return number / 10_000  # 元


# What the texts' quantities may hold in memory: every sentence of a large corpus's answers fits, and
# a caller sending long texts cannot make it grow past this (bounded in bytes, as every memo here).
QUANTITY_CACHE_BYTES = 16 * 1024 * 1024


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text` (NFKC-normalised first), in order.

    A range such as "12 至 24 个月" yields two quantities that share the unit.
    Ordinals (第三条) and article/chapter counts are not quantities.
    """
    return list(_quantities(text))


def _found_quantities(text: str) -> tuple[Quantity, ...]:
    norm = unicodedata.normalize("NFKC", text)
    squeezed, positions = _squeeze(norm)
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(squeezed):
        start, end = positions[m.start()], positions[m.end() - 1] + 1
        if m.group("pct_cn"):
            value = parse_number(m.group("pct_cn_n"))
            if value is not None:
                found.append(Quantity("percent", value, "%", norm[start:end], start, end))
            continue
        unit = m.group("unit")
        if unit in ("条", "章", "款", "项"):
            continue  # structural references, not quantities
        if m.group("about") and unit not in ("万元", "亿元", "万", "亿"):
            continue
        # "200来万", "300多万": at least the number said (the rest is less than its last digit's
        # place, so no round threshold falls inside).
        numbers = [m.group("n1")] + ([m.group("n2")] if m.group("n2") else [])
        values = [parse_number(n) for n in numbers]  # 一千二百万 arrives as 一千二百 + 万
        if any(v is None for v in values):
            continue
        if all(ch in CN_NUMERAL_CHARS for ch in numbers[0]) and unit in ("个", "日", "号", "月") \
                and len(numbers[0]) == 1 and numbers[0] in "一":
            continue  # 一个/一日/一月 in running prose are not quantities worth matching
        for value in values:
            if unit in ("万元", "亿元", "万", "亿", "元"):
                found.append(Quantity("money", _money_wan(value, unit), "万元", norm[start:end], start, end))
            elif unit == "%":
                found.append(Quantity("percent", value, "%", norm[start:end], start, end))
            elif unit == "年" and value >= 1900:
                found.append(Quantity("date", value, "年", norm[start:end], start, end))
            elif unit == "年" and norm[end:end + 1] == "半":  # 一年半: 1.5年
                found.append(Quantity("duration", value + 0.5, "年", norm[start:end + 1], start, end + 1))
            elif unit == "个" and norm[end:end + 2] == "半月":  # 三个半月: 3.5个月
                found.append(Quantity("duration", value + 0.5, "个月", norm[start:end + 2], start, end + 2))
            else:
                canon = _UNIT_CANON[unit]
                found.append(Quantity(_KIND[canon], value, canon, norm[start:end], start, end))
    # Half a month in words ("试运行半个月"); 三个半月 is read above.
    for m in _HALF_MONTH.finditer(norm):
        if not any(q.start <= m.start() < q.end for q in found):
            found.append(Quantity("duration", 0.5, "个月", m.group(0), m.start(), m.end()))
    return tuple(sorted(found, key=lambda q: q.start))


# The clauses' sentences are read for quantities by many answers: each is read once per process.
_quantities = Memo(_found_quantities, QUANTITY_CACHE_BYTES)


_HALF_MONTH = re.compile(r"(?<![\d一二两三四五六七八九十个])半个?月")


def _squeeze(text: str) -> tuple[str, list[int]]:
    """Drop whitespace (digits arrive as "3 个月") and keep a map back to the original offsets."""
    chars, positions = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            positions.append(i)
    return "".join(chars), positions


HALF_YEAR = re.compile(r"半年")  # a duration in words: 6个月


def half_years(text: str) -> list[Quantity]:
    """Each 半年 of a text as the duration it is (6个月), which find_quantities leaves out."""
    return [Quantity("duration", 6, "个月", m.group(0), m.start(), m.end()) for m in HALF_YEAR.finditer(text)]


def with_half_years(text: str) -> list[Quantity]:
    """Every quantity of a text in order, each 半年 among them as the 6个月 it is."""
    return sorted([*find_quantities(text), *half_years(text)], key=lambda q: q.start)


def canonical_quantities(text: str) -> list[str]:
    """Canonical spellings of the quantities in `text` (半年 counts as 6个月)."""
    out = [q.canonical for q in find_quantities(text)]
    out += ["6个月"] * len(HALF_YEAR.findall(text))
    return out
