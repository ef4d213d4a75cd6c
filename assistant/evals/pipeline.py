"""`regassist eval` as one function: the cases through the assistant (or its LLM answerer), the
retrieval ablations and the baselines, as an EvalRun the caller writes."""

from __future__ import annotations

from typing import Callable

from assistant.evals.baselines import compare
from assistant.evals.cases import Case
from assistant.evals.report import EvalRun
from assistant.evals.run import retrieval_only, run
from assistant.search.retrievers import Mode


def ablations(assistant, cases: list[Case]) -> list[dict]:
    """Retrieval with each mode, with and without city routing and reranking, and dense weights."""
    rows = [retrieval_only(assistant, cases, mode, routing, f"{mode.value}, routing {'on' if routing else 'off'}"
                           + ("" if rerank else ", no rerank"), rerank=rerank)
            for mode in Mode for routing in (True, False) for rerank in (True, False)]
    for weight in (0.1, 0.3, 0.5, 1.0):
        variant = assistant.with_options(dense_weight=weight)
        rows.append(retrieval_only(variant, cases, Mode.HYBRID, True, f"hybrid, dense weight {weight}"))
    return rows


def evaluate(assistant, cases: list[Case], cases_name: str = "evals/cases.yaml",
             aggregate_only: bool = False) -> EvalRun:
    """The extractive run with ablations and baselines."""
    return EvalRun(run(assistant, cases), "regassist eval", ablations(assistant, cases), compare(assistant, cases),
                   cases_name=cases_name, aggregate_only=aggregate_only)


def evaluate_llm(assistant, cases: list[Case], ask: Callable, model: str, cases_name: str = "evals/cases.yaml",
                 aggregate_only: bool = False) -> EvalRun:
    """The same cases and metrics through the LLM (retrieval metrics are those of the extractive
    run: the model sees the clauses retrieval found)."""
    return EvalRun(run(assistant, cases, name="llm", ask_fn=ask), f"regassist eval --llm（{model}）", model=model,
                   cases_name=cases_name, aggregate_only=aggregate_only)
