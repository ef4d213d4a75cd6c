"""Evaluation cases: questions with the clauses that answer them, verbatim evidence, keywords,
refusals and expected rule results (evals/cases.yaml), checked against the corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.corpus.loader import Corpus
from assistant.text import normalize

# The project's own set (evals/cases.yaml) and the users' set (evals/users/*.yaml, written from a
# user's seat: scenarios, materials, everyday words, premises, applicability, follow-ups, and
# near-domain questions the 办法 don't answer).
KINDS = ("fact", "procedure", "threshold", "compute", "reference", "compare", "trap", "refuse",
         "scenario", "materials", "colloquial", "premise", "applicability", "followup", "near_domain")
VERDICTS = ("是", "否")


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
    history: tuple[str, ...] = ()  # earlier questions of the conversation (follow-ups)
    verdict: str | None = None     # the one-word conclusion a yes/no question with a premise needs
    reference: str | None = None   # an evaluator's reference answer in their own words (spreadsheets)
    city: str | None = None        # the city the question is asked of, when only a column names it


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
            rules=tuple((str(r["id"]), bool(r["holds"])) for r in raw.get("rules") or ()),
            history=tuple(str(h) for h in raw.get("history") or ()),
            verdict=str(raw["verdict"]) if raw.get("verdict") is not None else None)
        if case.kind not in KINDS:
            raise ValueError(f"{case.id}: unknown kind {case.kind!r}; allowed: {', '.join(KINDS)}")
        if case.verdict is not None and case.verdict not in VERDICTS:
            raise ValueError(f"{case.id}: verdict {case.verdict!r}; allowed: {', '.join(VERDICTS)}")
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
