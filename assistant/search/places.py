"""China's administrative divisions, to notice a question about a place the corpus does not cover.

The names come from the `cpca` package's table of GB/T 2260 divisions (province, prefecture and
county level, with their codes): a maintained list rather than one written by hand. Its data file
is read directly — importing `cpca` itself needs `pkg_resources` and builds a matcher we do not use.
Short forms are derived by dropping the administrative suffix (蚌埠市 → 蚌埠, 怀远县 → 怀远) when
at least two characters remain.
"""

from __future__ import annotations

import csv
import functools
import importlib.metadata
import io

DATA_FILE = "cpca/resources/adcodes.csv"
# Longest first: 自治州 before 州, 特别行政区 before 区.
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "县", "区",
            "州", "盟", "旗")


class PlacesUnavailable(RuntimeError):
    pass


@functools.cache
def _rows() -> tuple[tuple[str, str], ...]:
    """(code, name) of every division in cpca's GB/T 2260 table."""
    try:
        files = importlib.metadata.files("cpca") or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise PlacesUnavailable("未安装 cpca（行政区划数据）：请运行 pip install -e . 重新安装依赖。") from exc
    path = next((f for f in files if str(f).replace("\\", "/") == DATA_FILE), None)
    if path is None:
        raise PlacesUnavailable(f"cpca 包中缺少 {DATA_FILE}：请重新安装 cpca。")
    text = path.read_text(encoding="utf-8")
    return tuple((r["adcode"].strip(), r["name"].strip()) for r in csv.DictReader(io.StringIO(text)) if r.get("name"))


@functools.cache
def division_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(full names, short forms, short forms of provinces and prefecture-level cities) of every
    province, prefecture and county-level division (county codes end in a non-zero pair)."""
    rows = _rows()
    full = {name for _, name in rows}
    short, upper = set(), set()
    for code, name in rows:
        form = _short_form(name)
        if form is not None:
            short.add(form)
            if code[4:6] == "00":  # a province or a prefecture-level city
                upper.add(form)
    return frozenset(full), frozenset(short - full), frozenset(upper - full)


def _short_form(name: str) -> str | None:
    """The name without its administrative suffix (蚌埠市 → 蚌埠), when two characters remain."""
    return next((name[: -len(x)] for x in SUFFIXES if name.endswith(x) and len(name) - len(x) >= 2), None)


@functools.cache
def county_names() -> frozenset[str]:
    """Full names and short forms of the county-level divisions (counties, county-level cities,
    districts): a question from 霍邱县 or 峨眉山市 is asked from below a prefecture's 办法."""
    upper = division_names()[2]
    rows = _rows()
    counties = {name for code, name in rows if code[4:6] != "00"}
    prefectures = {name for code, name in rows if code[4:6] == "00"}
    out = counties | {f for f in map(_short_form, counties) if f is not None}
    # A short form that is also a province's or a prefecture's (吉林) names the larger place.
    return frozenset(out - prefectures - upper)
