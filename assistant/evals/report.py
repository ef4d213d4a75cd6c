"""Reports: the markdown report, tables, the chart, the regression gate — and EvalRun, which
writes report.md / report.json / report.png from one run (the CLI only calls it)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.evals.run import Report

METRIC_ORDER = ("cases", "hit@1", "hit@5", "mrr", "citation_acc", "clause_acc", "keyword_acc", "rule_acc",
                "refusal_acc", "refused_when_should", "answered_when_should", "verdict_acc", "numbers_acc",
                "contamination", "unbacked_numbers", "citations_per_answer", "pass_rate", "char_f1", "rouge_l",
                "p50_ms", "llm_answers", "llm_fallbacks")


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def table(rows: dict[str, dict], columns: tuple[str, ...]) -> str:
    head = "| | " + " | ".join(columns) + " |"
    sep = "|---|" + "---|" * len(columns)
    body = [f"| {name} | " + " | ".join(fmt(m.get(c, "")) for c in columns) + " |"
            for name, m in rows.items()]
    return "\n".join([head, sep, *body])


def render_report(report: Report, ablations: list[dict], command: str, baselines: list[dict] = (),
                  cases_name: str = "evals/cases.yaml", aggregate_only: bool = False) -> str:
    """The markdown report. aggregate_only: no case is named (for a held-out set)."""
    overall = report.metrics()
    lines = [
        "# Evaluation report",
        "",
        f"Produced by `{command}` over `{cases_name}` ({overall['cases']} cases), through the same",
        "`Assistant.search` / `Assistant.ask` code path that the CLI and API use.",
        "",
        "## Overall",
        "",
        table({"assistant": overall}, METRIC_ORDER),
        "",
        "- hit@k / MRR: an expected clause among the top k of `search` (cases with expected clauses).",
        "- citation_acc: every evidence string appears in a cited clause.",
        "- clause_acc: a governing clause is cited for every document the expected clauses come from.",
        "- keyword_acc: the answer contains every expected keyword (one variant per group) and no forbidden string.",
        "- refused_when_should / answered_when_should: the two directions of refusal_acc.",
        "- verdict_acc: questions with a premise whose answer's first line states the expected 是/否.",
        "- refusal_acc: `answerable` is false exactly for the cases marked `refuse`.",
        "- contamination: share of cases citing a city the question did not ask about.",
        "- unbacked_numbers: quantities in answers that no cited clause (or the cited document's catalog dates) contains.",
        "- rule_acc: cases with a concrete project whose answer applied each expected rule with the expected result.",
        "- citations_per_answer: mean number of clauses cited by an answered question (fewer is more precise).",
        "",
        "## Retrieval ablations",
        "",
        table({a["name"]: a for a in ablations}, ("cases", "hit@1", "hit@5", "mrr")),
        "",
        "## Against the retrieval users build today",
        "",
        "Hit = a retrieved text contains the case's evidence (or, without evidence, the opening of an",
        "expected clause); the same criterion for clauses and for chunks. The baselines do not know cities.",
        "",
        table({b["name"]: b for b in baselines}, ("cases", "chunks", "hit@1", "hit@5", "mrr")) if baselines else "(not run)",
        "",
        "![retrieval and answers](report.png)",
        "",
        "## By kind",
        "",
        table(report.by(lambda r: [r.case.kind]), METRIC_ORDER),
        "",
        "## By document",
        "",
        table(report.by(by_document), METRIC_ORDER),
        "",
        "## Failing cases",
        "",
    ]
    fails = report.failures()
    if aggregate_only:
        lines.append(f"{len(fails)} failing cases (not listed: this set is reported in aggregate only).")
        return "\n".join(lines) + "\n"
    if not fails:
        lines.append("None.")
    for r in fails:
        why = []
        if r.answerable == r.case.refuse:
            why.append("should refuse" if r.case.refuse else "refused")
        elif not r.case.refuse:
            if not r.cited_ok:
                why.append("evidence not cited")
            if not r.keywords_ok:
                why.append("keyword missing")
        if r.contaminated:
            why.append("other city cited")
        if r.rules_ok is False:
            why.append("rule not applied as expected")
        lines.append(f"- `{r.case.id}` {r.case.q} — {', '.join(why)} (rank {r.rank})")
    return "\n".join(lines) + "\n"


def thresholds_failed(report, thresholds: dict) -> list[str]:
    """What breaks the gate: a case-level metric missed by more cases than `max_misses` allows
    (today's count plus a stated margin, so one flipped case does not fail CI), or a mean under
    its `min`. Each failure names the cases that miss."""
    failed = []
    misses = report.misses()
    for key, bound in (thresholds.get("max_misses") or {}).items():
        ids = misses[key]
        if len(ids) > bound:
            failed.append(f"{key} 有 {len(ids)} 个用例未达到（上限 {bound}）：{'、'.join(ids[:20])}")
    metrics = report.metrics()
    for key, bound in (thresholds.get("min") or {}).items():
        if metrics.get(key, 0) < bound:
            failed.append(f"{key} = {fmt(metrics.get(key))} < {bound}")
    return failed


def flipped(before: list[str], now: list[str]) -> tuple[list[str], list[str]]:
    """(newly failing, newly passing) case ids against an earlier run's failures."""
    return [c for c in now if c not in set(before)], [c for c in before if c not in set(now)]


def write_chart(path: Path, overall: dict, ablations: list[dict], baselines: list[dict]) -> None:
    """A PNG of the run: retrieval configurations and baselines side by side, and answer quality."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [a for a in ablations if "no rerank" not in a["name"] and "weight" not in a["name"]] + list(baselines)
    names = [r["name"].replace("naive chunks 500/50, ", "naive: ").replace("article clauses ", "clauses ")
             for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 6), gridspec_kw={"width_ratios": [3, 1]})
    width = 0.27
    xs = range(len(rows))
    for i, metric in enumerate(("hit@1", "hit@5", "mrr")):
        left.bar([x + (i - 1) * width for x in xs], [r[metric] for r in rows], width, label=metric)
    left.set_xticks(list(xs))
    left.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
    left.set_ylim(0, 1.05)
    left.set_title("Retrieval (top 5)")
    left.legend()
    # A set of refusals only has no citation or keyword accuracy: those bars are left out.
    answer_metrics = [m for m in ("citation_acc", "keyword_acc", "refusal_acc") if m in overall]
    right.bar(range(len(answer_metrics)), [overall[m] for m in answer_metrics], color="tab:green")
    right.set_xticks(range(len(answer_metrics)))
    right.set_xticklabels(answer_metrics, rotation=35, ha="right", fontsize=8)
    right.set_ylim(0, 1.05)
    right.set_title(f"Answers ({overall['cases']} cases)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def by_document(result) -> list[str]:
    return [a.split("/")[0] for a in result.case.articles] or ["(none)"]


@dataclass
class EvalRun:
    """One evaluation, ready to write: the report and, for the extractive run, its retrieval
    ablations and the baselines; `model` names the LLM of an --llm run."""

    report: Report
    command: str
    ablations: list[dict] = field(default_factory=list)
    baselines: list[dict] = field(default_factory=list)
    model: str | None = None
    cases_name: str = "evals/cases.yaml"
    aggregate_only: bool = False  # a held-out set: metrics only, no case named
    places: dict[str, str] = field(default_factory=dict)  # doc_id → city, for a reader of the HTML

    def to_json(self, cases: bool = False) -> dict:
        """The run's numbers; `cases`: each case's result too (what --compare pairs up), never for
        a held-out set."""
        out = {"model": self.model} if self.model else {}
        failures = self.report.failures()
        body = {**out, "metrics": self.report.metrics(), "ablations": self.ablations, "baselines": self.baselines,
                "by_kind": self.report.by(lambda r: [r.case.kind]), "by_document": self.report.by(by_document),
                "misses": {k: len(v) for k, v in self.report.misses().items()},
                "failures": len(failures) if self.aggregate_only else [r.case.id for r in failures]}
        if cases and not self.aggregate_only:
            body["cases"] = [case_json(r) for r in self.report.results]
        return body

    def write(self, out_dir: Path, stem: str = "report", chart: bool = True, cases: bool = False) -> Path:
        """<stem>.md, <stem>.json, <stem>.html (and <stem>.png) in out_dir; returns the markdown's
        path. `cases`: the JSON lists every case's result (for --compare)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        md = out_dir / f"{stem}.md"
        md.write_text(render_report(self.report, self.ablations, self.command, self.baselines, self.cases_name,
                                    self.aggregate_only), encoding="utf-8")
        (out_dir / f"{stem}.json").write_text(json.dumps(self.to_json(cases), ensure_ascii=False, indent=2),
                                              encoding="utf-8")
        (out_dir / f"{stem}.html").write_text(render_html(self), encoding="utf-8")
        if chart:
            write_chart(out_dir / f"{stem}.png", self.report.metrics(), self.ablations, self.baselines)
        return md


def case_json(r) -> dict:
    return {"id": r.case.id, "kind": r.case.kind, "q": r.case.q, "reference": r.case.reference,
            "expected": list(r.case.articles), "refuse": r.case.refuse, "passed": r.passed, "reason": r.reason,
            "answerable": r.answerable, "answer": r.answer, "cited": list(r.cited), "clause_ok": r.clause_ok,
            "cited_ok": r.cited_ok, "missing_numbers": r.missing_numbers, "char_f1": r.char_f1, "rouge_l": r.rouge_l}


# What each number means, for a reader of the HTML report.
METRIC_NAMES = {
    "cases": ("用例数", ""),
    "pass_rate": ("通过率", "判定为“通过”的用例占比（拒答判断正确，且作答时引用了依据条款、标准答案中的数字都在回答中、没有无出处的数字、没有引用未问及的城市）"),
    "citation_acc": ("引用准确率", "应作答的用例中，引用了依据条款（或依据原文）的占比"),
    "clause_acc": ("依据条款命中率", "填写了依据条款的用例中，每个涉及的城市都引用了其依据条款的占比"),
    "refusal_acc": ("拒答判断准确率", "该拒答的拒答、该作答的作答，两者合计的占比"),
    "refused_when_should": ("应拒答时拒答", ""),
    "answered_when_should": ("应作答时作答", ""),
    "numbers_acc": ("数字一致率", "标准答案含数字的用例中，这些数字（按同一规则归一：3个月、100万元、15%）都出现在回答中的占比"),
    "contamination": ("跨城市引用率", "引用了问题未涉及城市条款的用例占比（越低越好）"),
    "unbacked_numbers": ("无出处数字", "回答中既不在引用条款、也非规则计算得出的数字个数（越低越好）"),
    "char_f1": ("字符 F1（参考）", "回答与标准答案的字符重合度，仅作参考：措辞不同不代表错误"),
    "rouge_l": ("ROUGE-L（参考）", "按最长公共子序列计的字符相似度，仅作参考"),
    "hit@1": ("检索首位命中", "依据条款排在检索结果第 1 位的占比"),
    "hit@5": ("检索前五命中", ""),
    "keyword_acc": ("关键词准确率", ""),
    "verdict_acc": ("是/否结论准确率", ""),
    "citations_per_answer": ("每个回答的引用数", ""),
    "p50_ms": ("回答耗时中位数（毫秒）", ""),
}
HTML_METRICS = ("cases", "pass_rate", "citation_acc", "clause_acc", "refusal_acc", "refused_when_should",
                "answered_when_should", "numbers_acc", "contamination", "unbacked_numbers", "char_f1", "rouge_l",
                "hit@1", "hit@5", "p50_ms")
_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 24px; color: #1f2328; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 14px; }
th, td { border: 1px solid #d0d7de; padding: 6px 8px; vertical-align: top; text-align: left; }
thead th { background: #f3f6f9; }
td.num { text-align: right; white-space: nowrap; }
.pass { color: #1a7f37; font-weight: bold; } .fail { color: #cf222e; font-weight: bold; }
.answer { white-space: pre-wrap; max-width: 520px; } .note { color: #57606a; font-size: 13px; }
table.cases td { max-width: 360px; }
"""


def _h(text) -> str:
    return html.escape("" if text is None else str(text))


def _metric_table(rows: dict[str, dict], keys: tuple[str, ...]) -> str:
    keys = tuple(k for k in keys if any(k in m for m in rows.values()))
    head = "".join(f"<th>{_h(METRIC_NAMES.get(k, (k, ''))[0])}</th>" for k in keys)
    body = "".join(f"<tr><th>{_h(name)}</th>" + "".join(f"<td class='num'>{_h(fmt(m[k]) if k in m else '')}</td>"
                                                        for k in keys) + "</tr>" for name, m in rows.items())
    return f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(run: EvalRun) -> str:
    """One self-contained HTML file (no script, no CDN): the summary, tables by kind and by city,
    and every case side by side (question, reference, answer, citations, verdict and reason)."""
    report = run.report
    overall = report.metrics()
    place = lambda doc_id: run.places.get(doc_id, doc_id)  # noqa: E731
    by_city = report.by(lambda r: [place(d) for d in r.case.cities] or ["（未指定）"])
    explained = "".join(f"<li><b>{_h(METRIC_NAMES[k][0])}</b>：{_h(METRIC_NAMES[k][1])}</li>"
                        for k in HTML_METRICS if k in overall and METRIC_NAMES.get(k, ("", ""))[1])
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>评测报告 · {_h(run.cases_name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>评测报告</h1><p class='note'>评测集：{_h(run.cases_name)}；命令：{_h(run.command)}；"
        f"{overall['cases']} 个用例，经与接口相同的问答流程回答。</p>",
        "<h2>汇总</h2>", _metric_table({"本次评测": overall}, HTML_METRICS), f"<ul class='note'>{explained}</ul>",
        "<h2>按类型</h2>", _metric_table(report.by(lambda r: [r.case.kind]), HTML_METRICS),
        "<h2>按城市</h2>", _metric_table(by_city, HTML_METRICS),
    ]
    if run.aggregate_only:
        parts.append("<p class='note'>封存的评测集：只报告汇总指标，不列出用例。</p>")
    else:
        rows = []
        for r in report.results:
            verdict = "<span class='pass'>通过</span>" if r.passed else "<span class='fail'>未通过</span>"
            answer = r.answer if r.answerable else f"（未覆盖）{r.answer}"
            indicators = "" if r.char_f1 is None else f"<br><span class='note'>字符F1 {r.char_f1:.2f} · ROUGE-L {r.rouge_l:.2f}</span>"
            expected = "拒答" if r.case.refuse else "、".join(
                f"{place(a.split('/', 1)[0])} {a.split('/', 1)[1]}" for a in r.case.articles)
            rows.append(
                f"<tr id='case-{_h(r.case.id)}'><td>{_h(r.case.id)}<br><span class='note'>{_h(r.case.kind)}</span></td>"
                f"<td>{_h(r.case.q)}</td><td>{_h(r.case.reference or '')}<br><span class='note'>依据：{_h(expected)}</span></td>"
                f"<td class='answer'>{_h(answer)}</td><td>{_h('、'.join(r.cited))}</td>"
                f"<td>{verdict}<br>{_h(r.reason)}{indicators}</td></tr>")
        parts.append(f"<h2>逐条结果（{len(rows)}）</h2><table class='cases'><thead><tr><th>编号</th><th>问题</th>"
                     "<th>标准答案</th><th>回答</th><th>引用</th><th>结论</th></tr></thead><tbody>"
                     + "".join(rows) + "</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)
