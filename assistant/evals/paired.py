"""Two runs over the same cases, compared: which cases flipped in each direction, how each metric
moved, and whether the flips are more than chance (McNemar's exact test on the discordant pairs).
The runs are the JSON reports `regassist eval` writes (with each case's result)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InvalidInput


@dataclass(frozen=True)
class Flip:
    id: str
    q: str
    reason_a: str
    reason_b: str


@dataclass(frozen=True)
class Paired:
    name_a: str
    name_b: str
    cases: int                         # cases in both runs
    fixed: tuple[Flip, ...]            # failed in A, pass in B
    broke: tuple[Flip, ...]            # passed in A, fail in B
    metrics: dict[str, tuple[float, float]]  # metric → (A, B), recomputed over the shared cases where per-case
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()
    mismatched: tuple[str, ...] = ()  # same id, different question: not paired

    @property
    def p_value(self) -> float:
        return mcnemar_exact(len(self.fixed), len(self.broke))

    def render(self) -> str:
        """The comparison as Markdown (what the CLI prints)."""
        lines = [f"# 两次评测对比：A = {self.name_a}，B = {self.name_b}", "",
                 f"共同用例 {self.cases} 个。B 相对 A：新通过 {len(self.fixed)} 个，新失败 {len(self.broke)} 个；"
                 f"McNemar 精确检验 p = {self.p_value:.4f}"
                 + ("（差异显著，p < 0.05）" if self.p_value < 0.05 else "（差异不显著，可能是偶然）"), "",
                 "| 指标 | A | B | B − A |", "|---|---|---|---|"]
        for key, (a, b) in self.metrics.items():
            lines.append(f"| {key} | {_num(a)} | {_num(b)} | {_num(b - a, signed=True)} |")
        for title, flips in (("新通过（A 未通过，B 通过）", self.fixed), ("新失败（A 通过，B 未通过）", self.broke)):
            lines += ["", f"## {title}：{len(flips)}", ""]
            lines += [f"- {f.id} {f.q}\n  - A：{f.reason_a}\n  - B：{f.reason_b}" for f in flips] or ["（无）"]
        if self.mismatched:
            lines += ["", f"编号相同但问题不同、未参与对比的用例：{'、'.join(self.mismatched)}"
                      "（编号由行号生成时，插入或删除行会使之错位：请在表格中填写“编号”列）"]
        if self.only_a or self.only_b:
            lines += ["", f"只在 A 中的用例：{'、'.join(self.only_a) or '无'}；只在 B 中的用例：{'、'.join(self.only_b) or '无'}"
                      "（不参与对比）"]
        return "\n".join(lines) + "\n"


def _num(x: float, signed: bool = False) -> str:
    text = f"{x:+.3f}" if signed else f"{x:.3f}"
    return text if abs(x) < 10 else (f"{x:+.1f}" if signed else f"{x:.1f}")


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for b and c discordant pairs: the binomial probability,
    under p = 1/2, of a split at least as uneven as min(b, c) : max(b, c)."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def load_run(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"无法读取评测结果 {path}：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise InvalidInput(f"{path} 中没有逐条结果：请用 regassist eval 生成的 .json 报告（封存的评测集不含逐条结果）")
    return data


# Per-case quantities averaged over the shared cases, so both sides count the same cases.
_PER_CASE = {"pass_rate": lambda c: float(c["passed"]),
             "refusal_acc": lambda c: float(c["answerable"] != c["refuse"]),
             "clause_acc": lambda c: float(c["clause_ok"]) if c["expected"] and not c["refuse"] else None,
             "citation_acc": lambda c: float(c["cited_ok"]) if not c["refuse"] else None,
             "numbers_acc": lambda c: float(not c["missing_numbers"]) if c.get("missing_numbers") is not None else None,
             "char_f1": lambda c: c.get("char_f1"), "rouge_l": lambda c: c.get("rouge_l")}


def compare_runs(a: dict, b: dict, name_a: str = "A", name_b: str = "B") -> Paired:
    cases_a = {c["id"]: c for c in a["cases"]}
    cases_b = {c["id"]: c for c in b["cases"]}
    # A case is paired by its id and its question: ids made from row numbers (R2, R3…) shift when a
    # row is inserted, and a shifted pair is not the same case.
    shared = [i for i in cases_a if i in cases_b and cases_a[i]["q"] == cases_b[i]["q"]]
    mismatched = tuple(i for i in cases_a if i in cases_b and cases_a[i]["q"] != cases_b[i]["q"])
    fixed, broke = [], []
    for i in shared:
        x, y = cases_a[i], cases_b[i]
        if x["passed"] != y["passed"]:
            (fixed if y["passed"] else broke).append(Flip(i, x["q"], x["reason"], y["reason"]))
    metrics = {}
    for key, value in _PER_CASE.items():
        pairs = [(value(cases_a[i]), value(cases_b[i])) for i in shared]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        if pairs:
            metrics[key] = (sum(x for x, _ in pairs) / len(pairs), sum(y for _, y in pairs) / len(pairs))
    return Paired(name_a, name_b, len(shared), tuple(fixed), tuple(broke), metrics,
                  tuple(i for i in cases_a if i not in cases_b), tuple(i for i in cases_b if i not in cases_a),
                  mismatched)
