"""Evaluation: run the Q&A set through the same code path as the API and score retrieval and answers.

Evaluators are small pure functions: (case, result) → bool.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .answer import Answer
from .corpus import Corpus
from .model import Hit
from .text import canonical_quantities, normalize

KINDS = ("fact", "procedure", "threshold", "compute", "reference", "compare", "trap", "refuse")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    q: str
    cities: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    forbidden: tuple[str, ...] = ()
    refuse: bool = False
    rules: tuple[tuple[str, bool], ...] = ()  # (rule id, expected result) the answer's checks must show


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    seen = set()
    for raw in data["cases"]:
        case = Case(
            id=raw["id"], kind=raw["kind"], q=raw["q"],
            cities=tuple(raw.get("cities") or ()), articles=tuple(raw.get("articles") or ()),
            evidence=tuple(raw.get("evidence") or ()),
            keywords=tuple(tuple(str(v) for v in group) for group in raw.get("keywords") or ()),
            forbidden=tuple(raw.get("forbidden") or ()), refuse=bool(raw.get("refuse", False)),
            rules=tuple((str(r["id"]), bool(r["holds"])) for r in raw.get("rules") or ()))
        if case.kind not in KINDS:
            raise ValueError(f"{case.id}: unknown kind {case.kind!r}; allowed: {', '.join(KINDS)}")
        if case.id in seen:
            raise ValueError(f"duplicate case id {case.id}")
        seen.add(case.id)
        cases.append(case)
    return cases


def check_case(case: Case, corpus: Corpus) -> list[str]:
    """Problems with a case against the corpus: unknown clauses, evidence not in the text."""
    problems = []
    texts = []
    for cid in case.articles:
        try:
            texts.append(normalize(corpus.by_id(cid).text))
        except KeyError:
            problems.append(f"{case.id}: no clause {cid}")
    for ev in case.evidence:
        if not any(normalize(ev) in t for t in texts):
            problems.append(f"{case.id}: evidence not in its clauses: {ev}")
    for d in case.cities:
        if d not in corpus.documents:
            problems.append(f"{case.id}: unknown doc_id {d}")
    return problems


# -- evaluators -------------------------------------------------------------------------------

def first_rank(case: Case, hits: list[Hit]) -> int | None:
    """1-based rank of the first retrieved clause that answers the case."""
    wanted = set(case.articles)
    for rank, hit in enumerate(hits, 1):
        if hit.clause.id in wanted:
            return rank
    return None


def cited_evidence(case: Case, answer: Answer) -> bool:
    """Every evidence string is in a cited clause, and (without evidence) an expected clause is cited."""
    if not answer.citations:
        return False
    cited = [normalize(c.text) for c in answer.citations]
    if case.evidence:
        return all(any(normalize(ev) in t for t in cited) for ev in case.evidence)
    ids = {f"{c.doc_id}/{c.article}" for c in answer.citations}
    return bool(ids & set(case.articles))


def has_keywords(case: Case, answer: Answer) -> bool:
    text = normalize(answer.answer)
    return all(any(normalize(v) in text for v in group) for group in case.keywords)


def no_forbidden(case: Case, answer: Answer) -> bool:
    text = normalize(answer.answer)
    return not any(normalize(f) in text for f in case.forbidden)


def rules_right(case: Case, answer: Answer) -> bool:
    """Every expected rule was applied, with the expected result."""
    got = {c["rule"]: c["holds"] for c in answer.checks if c.get("type") == "rule"}
    return all(got.get(rule_id) is holds for rule_id, holds in case.rules)


def contamination(case: Case, answer: Answer) -> bool:
    """A citation from a city the question did not ask about."""
    return bool(case.cities) and any(c.doc_id not in case.cities for c in answer.citations)


def unbacked_numbers(answer: Answer, catalog=None) -> list[str]:
    """Quantities in the answer that no cited clause contains and no rule computation (in `checks`)
    produced. Dates from the catalog entry of a cited document (issue date, valid-until) count as
    backed: they are its metadata."""
    cited = set()
    for check in answer.checks:
        if check.get("type") == "rule":
            cited |= set(canonical_quantities(check.get("computation", "")))
    for c in answer.citations:
        cited |= set(canonical_quantities(c.text))
        if catalog is not None:
            meta = catalog.get(c.doc_id)
            for d in (meta.issue_date, meta.effective_date, meta.valid_until):
                if d is not None:
                    cited |= set(canonical_quantities(f"{d.year}年{d.month}月{d.day}日"))
    return [q for q in canonical_quantities(answer.answer) if q not in cited]


# -- runner -----------------------------------------------------------------------------------

@dataclass
class CaseResult:
    case: Case
    rank: int | None
    answerable: bool
    cited_ok: bool
    keywords_ok: bool
    forbidden_ok: bool
    contaminated: bool
    unbacked: list[str]
    ms: float
    n_citations: int = 0
    rules_ok: bool | None = None
    mode: str = "extractive"


@dataclass
class Report:
    name: str
    results: list[CaseResult] = field(default_factory=list)

    def metrics(self, subset: list[CaseResult] | None = None) -> dict[str, float]:
        rs = self.results if subset is None else subset
        answerable = [r for r in rs if not r.case.refuse]
        ranked = [r for r in answerable if r.case.articles]
        n = max(len(ranked), 1)
        m = {
            "cases": len(rs),
            "hit@1": sum(1 for r in ranked if r.rank == 1) / n,
            "hit@5": sum(1 for r in ranked if r.rank is not None and r.rank <= 5) / n,
            "mrr": sum(1 / r.rank for r in ranked if r.rank) / n,
        }
        if answerable:
            na = len(answerable)
            m["citation_acc"] = sum(r.cited_ok for r in answerable) / na
            m["keyword_acc"] = sum(r.keywords_ok and r.forbidden_ok for r in answerable) / na
        m["refusal_acc"] = sum((not r.answerable) == r.case.refuse for r in rs) / max(len(rs), 1)
        m["contamination"] = sum(r.contaminated for r in rs) / max(len(rs), 1)
        m["unbacked_numbers"] = sum(len(r.unbacked) for r in rs)
        ruled = [r for r in rs if r.rules_ok is not None]
        if ruled:
            m["rule_acc"] = sum(r.rules_ok for r in ruled) / len(ruled)
        answered = [r for r in rs if r.answerable]
        m["citations_per_answer"] = sum(r.n_citations for r in answered) / max(len(answered), 1)
        m["p50_ms"] = sorted(r.ms for r in rs)[len(rs) // 2] if rs else 0.0
        if any(r.mode != "extractive" for r in rs):
            # LLM mode: how many answered questions kept the model's text, how many fell back.
            m["llm_answers"] = sum(r.mode == "llm" for r in answered) / max(len(answered), 1)
            m["llm_fallbacks"] = sum(r.mode == "extractive-fallback" for r in answered)
        return m

    def by(self, key) -> dict[str, dict[str, float]]:
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for r in self.results:
            for g in key(r):
                groups[g].append(r)
        return {g: self.metrics(rs) for g, rs in sorted(groups.items())}

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results
                if (r.answerable == r.case.refuse) or (not r.case.refuse and not (r.cited_ok and r.keywords_ok))
                or r.contaminated or r.rules_ok is False]


def run_case(assistant, case: Case, search_fn=None, ask_fn=None) -> CaseResult:
    started = time.perf_counter()
    answer = (ask_fn or assistant.ask)(case.q)
    ms = (time.perf_counter() - started) * 1000
    hits = (search_fn or (lambda q: assistant.search(q, k=5)))(case.q) if case.articles else []
    return CaseResult(
        case=case, rank=first_rank(case, hits), answerable=answer.answerable,
        cited_ok=cited_evidence(case, answer) if not case.refuse else not answer.citations,
        keywords_ok=has_keywords(case, answer), forbidden_ok=no_forbidden(case, answer),
        contaminated=contamination(case, answer),
        unbacked=unbacked_numbers(answer, assistant.corpus.catalog), ms=ms,
        n_citations=len(answer.citations), rules_ok=rules_right(case, answer) if case.rules else None,
        mode=answer.mode)


def run(assistant, cases: list[Case], name: str = "default", ask_fn=None) -> Report:
    """Every case through `ask_fn` (default `assistant.ask`; the LLM mode passes `Grounded.ask`)."""
    report = Report(name=name)
    for case in cases:
        report.results.append(run_case(assistant, case, ask_fn=ask_fn))
    return report


def retrieval_only(assistant, cases: list[Case], mode, routing: bool = True, name: str = "",
                   rerank: bool = True) -> dict:
    """hit@1 / hit@5 / MRR of one retrieval configuration (for ablations)."""
    ranks = []
    for case in cases:
        if case.refuse or not case.articles:
            continue
        hits = assistant.search(case.q, k=5, mode=mode, routing=routing, rerank=rerank)
        ranks.append(first_rank(case, hits))
    n = max(len(ranks), 1)
    return {"name": name, "cases": len(ranks),
            "hit@1": sum(1 for r in ranks if r == 1) / n,
            "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r) / n}


# -- report -----------------------------------------------------------------------------------

METRIC_ORDER = ("cases", "hit@1", "hit@5", "mrr", "citation_acc", "keyword_acc", "rule_acc", "refusal_acc",
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


def render_report(report: Report, ablations: list[dict], command: str, baselines: list[dict] = ()) -> str:
    overall = report.metrics()
    lines = [
        "# Evaluation report",
        "",
        f"Produced by `{command}` over `evals/cases.yaml` ({overall['cases']} cases), through the same",
        "`Assistant.search` / `Assistant.ask` code path that the CLI and API use.",
        "",
        "## Overall",
        "",
        table({"assistant": overall}, METRIC_ORDER),
        "",
        "- hit@k / MRR: an expected clause among the top k of `search` (cases with expected clauses).",
        "- citation_acc: every evidence string appears in a cited clause.",
        "- keyword_acc: the answer contains every expected keyword (one variant per group) and no forbidden string.",
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
        table(report.by(lambda r: [a.split("/")[0] for a in r.case.articles] or ["(none)"]), METRIC_ORDER),
        "",
        "## Failing cases",
        "",
    ]
    fails = report.failures()
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


def thresholds_failed(metrics: dict, thresholds: dict) -> list[str]:
    """Metrics under their committed minimum (or over, for the `max_` ones)."""
    failed = []
    for key, bound in thresholds.items():
        if key.startswith("max_"):
            name = key[4:]
            if metrics.get(name, 0) > bound:
                failed.append(f"{name} = {fmt(metrics.get(name))} > {bound}")
        elif metrics.get(key, 0) < bound:
            failed.append(f"{key} = {fmt(metrics.get(key))} < {bound}")
    return failed


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
