"""Reports: the markdown report, tables, the chart, the regression gate — and EvalRun, which
writes report.md / report.json / report.png from one run (the CLI only calls it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.evals.run import Report

METRIC_ORDER = ("cases", "hit@1", "hit@5", "mrr", "citation_acc", "clause_acc", "keyword_acc", "rule_acc",
                "refusal_acc", "refused_when_should", "answered_when_should", "verdict_acc",
                "contamination", "unbacked_numbers", "citations_per_answer", "p50_ms", "llm_answers", "llm_fallbacks")


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
    answer_metrics = ("citation_acc", "keyword_acc", "refusal_acc")
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

    def to_json(self) -> dict:
        out = {"model": self.model} if self.model else {}
        failures = self.report.failures()
        return {**out, "metrics": self.report.metrics(), "ablations": self.ablations, "baselines": self.baselines,
                "by_kind": self.report.by(lambda r: [r.case.kind]), "by_document": self.report.by(by_document),
                "misses": {k: len(v) for k, v in self.report.misses().items()},
                "failures": len(failures) if self.aggregate_only else [r.case.id for r in failures]}

    def write(self, out_dir: Path, stem: str = "report", chart: bool = True) -> Path:
        """<stem>.md, <stem>.json (and <stem>.png) in out_dir; returns the markdown's path."""
        out_dir.mkdir(parents=True, exist_ok=True)
        md = out_dir / f"{stem}.md"
        md.write_text(render_report(self.report, self.ablations, self.command, self.baselines, self.cases_name,
                                    self.aggregate_only), encoding="utf-8")
        (out_dir / f"{stem}.json").write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2),
                                              encoding="utf-8")
        if chart:
            write_chart(out_dir / f"{stem}.png", self.report.metrics(), self.ablations, self.baselines)
        return md
