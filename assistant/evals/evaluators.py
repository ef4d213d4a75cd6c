"""Evaluators: small pure functions from (case, answer or hits) to a verdict, and the one place
hit@k and MRR are computed."""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz.distance import LCSseq

from assistant.answers.notes import catalog_dates
from assistant.answers.records import Answer
from assistant.corpus.model import Hit
from assistant.evals.cases import Case
from assistant.rules.evaluate import RuleConclusion
from assistant.text import canonical_quantities, normalize


def rank_metrics(ranks: list[int | None]) -> dict[str, float]:
    """hit@1 / hit@5 / MRR over 1-based ranks of the first right result (None: not found)."""
    n = max(len(ranks), 1)
    return {"hit@1": sum(1 for r in ranks if r == 1) / n,
            "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r) / n}


def first_rank(case: Case, hits: list[Hit]) -> int | None:
    """1-based rank of the first retrieved clause that answers the case."""
    wanted = set(case.articles)
    for rank, hit in enumerate(hits, 1):
        if hit.clause.id in wanted:
            return rank
    return None


def cited_evidence(case: Case, answer: Answer) -> bool:
    """Every evidence string is in a cited clause, and (without evidence) an expected clause is cited;
    a case that expects neither (a spreadsheet row without 依据条款) asks only that something is cited."""
    if not answer.citations:
        return False
    if not case.evidence and not case.articles:
        return True
    cited = [normalize(c.text) for c in answer.citations]
    if case.evidence:
        return all(any(normalize(ev) in t for t in cited) for ev in case.evidence)
    ids = {f"{c.doc_id}/{c.article}" for c in answer.citations}
    return bool(ids & set(case.articles))


def cited_governing(case: Case, answer: Answer) -> bool:
    """A governing clause is cited for every document the expected clauses come from (a comparison
    needs each city's clause; within one document any listed clause counts)."""
    cited = {c.clause_id for c in answer.citations}
    by_doc: dict[str, set[str]] = {}
    for cid in case.articles:
        by_doc.setdefault(cid.split("/")[0], set()).add(cid)
    return bool(by_doc) and all(ids & cited for ids in by_doc.values())


# How a first line says yes or no (是 / 否) to a question with a premise.
_YES = ("是", "对", "需要", "要", "可以", "应当", "必须", "适用", "属于", "能")
_NO = ("不", "否", "无需", "没有", "未", "非")


def verdict_right(case: Case, answer: Answer) -> bool:
    """The first line of the answer states the expected conclusion."""
    first = answer.answer.strip().split("\n", 1)[0].lstrip("【】计算 ：:")
    if case.verdict == "是":
        return first.startswith(_YES) and not first.startswith(_NO)
    return first.startswith(_NO)


def has_keywords(case: Case, answer: Answer) -> bool:
    text = normalize(answer.answer)
    return all(any(normalize(v) in text for v in group) for group in case.keywords)


def no_forbidden(case: Case, answer: Answer) -> bool:
    text = normalize(answer.answer)
    return not any(normalize(f) in text for f in case.forbidden)


def rules_right(case: Case, answer: Answer) -> bool:
    """Every expected rule was applied, with the expected result."""
    got = {c.rule.id: c.holds for c in answer.checks_of(RuleConclusion)}
    return all(got.get(rule_id) is holds for rule_id, holds in case.rules)


def contamination(case: Case, answer: Answer) -> bool:
    """A citation from a city the question did not ask about."""
    return bool(case.cities) and any(c.doc_id not in case.cities for c in answer.citations)


def unbacked_numbers(answer: Answer, catalog=None) -> list[str]:
    """Quantities in the answer that no cited clause contains and no rule computation (in `checks`)
    produced. Dates from the catalog entry of a cited document (issue date, valid-until) count as
    backed: they are its metadata."""
    cited = set()
    for conclusion in answer.checks_of(RuleConclusion):
        cited |= set(canonical_quantities(conclusion.computation))
    for c in answer.citations:
        cited |= set(canonical_quantities(c.text))
        if catalog is not None:
            cited |= set(canonical_quantities(catalog_dates(catalog.get(c.doc_id))))
    return [q for q in canonical_quantities(answer.answer) if q not in cited]


def missing_numbers(case: Case, answer: Answer) -> list[str] | None:
    """The quantities of the reference answer (canonical: 3个月, 100万元, 15%) that the answer does
    not state; None when the reference states none."""
    if not case.reference or case.refuse:
        return None  # a refusal's reference ("办法没有规定…") is not a statement of figures
    wanted = canonical_quantities(case.reference)
    if not wanted:
        return None
    have = set(canonical_quantities(answer.answer))
    return [q for q in dict.fromkeys(wanted) if q not in have]


_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)


def _chars(text: str) -> str:
    return _NOT_TEXT.sub("", normalize(text))


def char_f1(reference: str, answer: str) -> float:
    """Character-level F1 of an answer against a reference (bag of characters): an indicator of
    overlap, not of correctness."""
    ref, got = Counter(_chars(reference)), Counter(_chars(answer))
    common = sum((ref & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def rouge_l(reference: str, answer: str) -> float:
    """ROUGE-L F1 over characters (longest common subsequence): an indicator, as char_f1."""
    ref, got = _chars(reference), _chars(answer)
    lcs = LCSseq.similarity(ref, got)
    if not lcs:
        return 0.0
    precision, recall = lcs / len(got), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)
