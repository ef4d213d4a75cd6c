"""Evaluation runs: every case through the same `Assistant.search` / `ask` code path as the API,
scored by the evaluators; a Report aggregates metrics overall, by kind and by document."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from assistant.answers.records import AnswerMode
from assistant.evals.cases import Case
from assistant.evals.evaluators import (char_f1, cited_evidence, cited_governing, contamination, first_rank,
                                        has_keywords, missing_numbers, no_forbidden, rank_metrics, rouge_l, rules_right,
                                        unbacked_numbers, verdict_right)


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
    mode: str = AnswerMode.EXTRACTIVE.value
    clause_ok: bool = False
    verdict_ok: bool | None = None
    answer: str = ""
    cited: tuple[str, ...] = ()           # "乐山市 第三十一条" per citation
    missing_numbers: list[str] | None = None  # of the reference answer; None: it states none
    char_f1: float | None = None          # indicators against the reference answer
    rouge_l: float | None = None
    expected: tuple[str, ...] = ()        # the expected clauses as a reader names them ("乐山市 第三十条")

    @property
    def passed(self) -> bool:
        return _passed(self)

    @property
    def reason(self) -> str:
        """Why the case passed or failed, in the words a reader of the report needs."""
        case = self.case
        if case.refuse and self.answerable:
            return f"应拒答，却作了回答（引用：{'、'.join(self.cited) or '无'}）"
        if not case.refuse and not self.answerable:
            return "应作答，却回答收录的办法未覆盖"
        problems = []
        if self.contaminated:
            problems.append(f"引用了问题未涉及的城市（引用：{'、'.join(self.cited)}）")
        if not case.refuse and not self.cited_ok:
            expected = "、".join(self.expected or (_shown(a) for a in case.articles))
            problems.append(f"未引用依据条款 {expected}（实际引用：{'、'.join(self.cited) or '无'}）" if expected
                            else "依据条款的原文未出现在引用中")
        if not case.refuse and not (self.keywords_ok and self.forbidden_ok):
            problems.append("回答缺少应有的关键词，或含有不应出现的内容")
        if self.missing_numbers:
            problems.append(f"标准答案中的数字未出现在回答中：{'、'.join(self.missing_numbers)}")
        if self.rules_ok is False:
            problems.append("规则计算的结果与预期不符")
        if self.unbacked:
            problems.append(f"回答中的数字没有出处：{'、'.join(self.unbacked)}")
        if problems:
            return "；".join(problems)
        if case.refuse:
            return "通过：正确说明收录的办法未覆盖"
        return f"通过：引用了{'、'.join(self.cited)}" + ("，标准答案中的数字都在回答中" if self.missing_numbers == [] else "")


def _shown(clause_id: str) -> str:
    doc, label = clause_id.split("/", 1)
    return f"{doc} {label}"


def _passed(r: CaseResult) -> bool:
    if r.answerable == r.case.refuse or r.contaminated or r.rules_ok is False or r.unbacked:
        return False
    if r.case.refuse:
        return True
    return r.cited_ok and r.keywords_ok and r.forbidden_ok and not r.missing_numbers


@dataclass
class Report:
    name: str
    results: list[CaseResult] = field(default_factory=list)

    def metrics(self, subset: list[CaseResult] | None = None) -> dict[str, float]:
        rs = self.results if subset is None else subset
        answerable = [r for r in rs if not r.case.refuse]
        ranked = [r for r in answerable if r.case.articles]
        m = {"cases": len(rs), **rank_metrics([r.rank for r in ranked])}
        if answerable:
            na = len(answerable)
            m["citation_acc"] = sum(r.cited_ok for r in answerable) / na
            m["keyword_acc"] = sum(r.keywords_ok and r.forbidden_ok for r in answerable) / na
        with_clauses = [r for r in answerable if r.case.articles]
        if with_clauses:
            m["clause_acc"] = sum(r.clause_ok for r in with_clauses) / len(with_clauses)
        m["refusal_acc"] = sum((not r.answerable) == r.case.refuse for r in rs) / max(len(rs), 1)
        refusable = [r for r in rs if r.case.refuse]
        if refusable and answerable:
            # Both directions: refused when it should, answered when it should.
            m["refused_when_should"] = sum(not r.answerable for r in refusable) / len(refusable)
            m["answered_when_should"] = sum(r.answerable for r in answerable) / len(answerable)
        verdicts = [r for r in rs if r.verdict_ok is not None]
        if verdicts:
            m["verdict_acc"] = sum(r.verdict_ok for r in verdicts) / len(verdicts)
        m["contamination"] = sum(r.contaminated for r in rs) / max(len(rs), 1)
        m["unbacked_numbers"] = sum(len(r.unbacked) for r in rs)
        numbered = [r for r in rs if r.missing_numbers is not None]
        if numbered:
            m["numbers_acc"] = sum(not r.missing_numbers for r in numbered) / len(numbered)
        referenced = [r for r in rs if r.char_f1 is not None]
        if referenced:
            # Indicators only: similarity to an evaluator's wording, not correctness.
            m["char_f1"] = sum(r.char_f1 for r in referenced) / len(referenced)
            m["rouge_l"] = sum(r.rouge_l for r in referenced) / len(referenced)
        m["pass_rate"] = sum(r.passed for r in rs) / max(len(rs), 1)
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

    def misses(self) -> dict[str, list[str]]:
        """Per case-level metric, the ids of the cases that miss it (what the gate counts)."""
        answerable = [r for r in self.results if not r.case.refuse]
        ranked = [r for r in answerable if r.case.articles]
        return {
            "hit@1": [r.case.id for r in ranked if r.rank != 1],
            "hit@5": [r.case.id for r in ranked if r.rank is None or r.rank > 5],
            "citation_acc": [r.case.id for r in answerable if not r.cited_ok],
            "keyword_acc": [r.case.id for r in answerable if not (r.keywords_ok and r.forbidden_ok)],
            "refusal_acc": [r.case.id for r in self.results if (not r.answerable) != r.case.refuse],
            "contamination": [r.case.id for r in self.results if r.contaminated],
            "unbacked_numbers": [r.case.id for r in self.results if r.unbacked],
            "rule_acc": [r.case.id for r in self.results if r.rules_ok is False],
        }

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]


def run_case(assistant, case: Case, search_fn=None, ask_fn=None) -> CaseResult:
    started = time.perf_counter()
    ask = ask_fn or assistant.ask
    extra = {"history": case.history} if case.history else {}
    if case.city:
        extra["city"] = case.city
    answer = ask(case.q, **extra)
    ms = (time.perf_counter() - started) * 1000
    hits = (search_fn or (lambda q: assistant.search(q, k=5, city=case.city)))(case.q) if case.articles else []
    reference = case.reference
    return CaseResult(
        case=case, rank=first_rank(case, hits), answerable=answer.answerable,
        cited_ok=cited_evidence(case, answer) if not case.refuse else not answer.citations,
        keywords_ok=has_keywords(case, answer), forbidden_ok=no_forbidden(case, answer),
        contaminated=contamination(case, answer),
        unbacked=unbacked_numbers(answer, assistant.corpus.catalog), ms=ms,
        n_citations=len(answer.citations), rules_ok=rules_right(case, answer) if case.rules else None,
        mode=answer.mode.value, clause_ok=cited_governing(case, answer),
        verdict_ok=verdict_right(case, answer) if case.verdict else None,
        answer=answer.answer, cited=tuple(f"{c.city} {c.article}" for c in answer.citations),
        missing_numbers=missing_numbers(case, answer),
        char_f1=char_f1(reference, answer.answer) if reference else None,
        rouge_l=rouge_l(reference, answer.answer) if reference else None,
        expected=tuple(_named(assistant, a) for a in case.articles))


def _named(assistant, clause_id: str) -> str:
    doc_id, label = clause_id.split("/", 1)
    doc = assistant.corpus.documents.get(doc_id)
    return f"{doc.meta.city if doc else doc_id} {label}"


def run(assistant, cases: list[Case], name: str = "default", ask_fn=None, progress=None) -> Report:
    """Every case through `ask_fn` (default `assistant.ask`; the LLM mode passes `Grounded.ask`).
    `progress(done, total)` is called after each case."""
    report = Report(name=name)
    for i, case in enumerate(cases, 1):
        report.results.append(run_case(assistant, case, ask_fn=ask_fn))
        if progress is not None:
            progress(i, len(cases))
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
    return {"name": name, "cases": len(ranks), **rank_metrics(ranks)}
