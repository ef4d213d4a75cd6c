"""Fit the clause ranker (assistant/answers/ranking.py) on evaluation cases and write its weights.

    python -m assistant.evals.ranker                      # fit on the study sets, write assistant/answers/ranker.json
    python -m assistant.evals.ranker --check              # cross-validated, nothing written

Every study case is asked once with a recorder in place of the ranker: for each city, its
candidates' features and whether the case names the clause as governing. A pairwise logistic
regression (each governing clause against each other candidate of the same city) gives the
weights. Only the sets named here are read; the frozen and probe sets are never fitted on.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

from assistant.answers.ranking import FEATURES, MODEL_FILE
from assistant.evals.cases import Case, load_cases

# The studied halves of every batch (the held-out halves, frozen and probe are never read).
TRAINING_SETS = ("evals/cases.yaml", "evals/users/tune.yaml",
                 *(f"evals/users/study{n}.yaml" for n in (2, 3, 4, 5, 6, 8, 9, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28,
                                                          30, 32, 34, 36)))
# Regularisation of the logistic regression (sklearn's C): chosen by the cross-validation below.
C = 1.0


@dataclass
class Group:
    source: str
    case_id: str
    labels: np.ndarray   # 1 where the case names the clause as governing
    x: np.ndarray


@dataclass
class Recorder:
    """Stands in for the ranker while cases are asked: keeps each city's candidates with their
    labels, and leaves the rule-based order as it is."""
    case: Case | None = None
    source: str = ""
    groups: list[Group] = field(default_factory=list)

    def order(self, hits, x) -> list[int]:
        if self.case is not None:
            labels = np.array([h.clause.id in self.case.articles for h in hits], dtype=np.int8)
            self.groups.append(Group(self.source, self.case.id, labels, np.asarray(x, dtype=np.float64)))
        return list(range(len(hits)))


def record(assistant, sets: list[str]) -> list[Group]:
    recorder = Recorder()
    assistant.context = replace(assistant.context, ranker=recorder)
    for path in sets:
        recorder.source = path
        for case in load_cases(Path(path)):
            if case.refuse or not case.articles:
                continue
            recorder.case = case
            assistant.ask(case.q, history=case.history)
    return [g for g in recorder.groups if 0 < g.labels.sum() < len(g.labels)]


def pairs(groups: list[Group]) -> tuple[np.ndarray, np.ndarray]:
    """(feature differences, ±1): every governing clause against every other of its city, both ways."""
    diffs = [g.x[i] - g.x[j] for g in groups for i in np.flatnonzero(g.labels) for j in np.flatnonzero(g.labels == 0)]
    d = np.asarray(diffs)
    return np.vstack([d, -d]), np.concatenate([np.ones(len(d)), -np.ones(len(d))])


def fit(groups: list[Group], c: float = C) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    x, y = pairs(groups)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    model.fit(x, y)
    return model.coef_[0]


def top1(groups: list[Group], weights: np.ndarray | None, n: int = 1) -> float:
    """Share of cities with a governing clause among the first n candidates (None: the rule-based order)."""
    right = 0
    for g in groups:
        order = np.arange(len(g.labels)) if weights is None else np.argsort(-(g.x @ weights), kind="stable")
        right += int(g.labels[order[:n]].any())
    return right / len(groups) if groups else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.evals.ranker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="cross-validate by set; write nothing")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("-C", type=float, default=C, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    from assistant.assistant import Assistant, Options
    from assistant.settings import Settings
    settings = Settings.from_env()
    # Without the fitted model: the one on disk may be of other features, and is what is refitted.
    assistant = Assistant.open(settings.corpus_dir, settings.index_dir, settings.embedder,
                               options=Options(ranker=False), cache_dir=settings.cache_dir)
    groups = record(assistant, list(TRAINING_SETS))
    print(f"{len(groups)} cities with a governing clause among other candidates, "
          f"from {len({g.case_id for g in groups})} cases", file=sys.stderr)
    # Leave one set out: fitted on the others, ranked on it.
    right = {"rule-based": 0.0, "fitted": 0.0}
    for held in TRAINING_SETS:
        train = [g for g in groups if g.source != held]
        test = [g for g in groups if g.source == held]
        w = fit(train, args.C)
        right["rule-based"] += top1(test, None) * len(test)
        right["fitted"] += top1(test, w) * len(test)
        print(f"  {held:28s} cities {len(test):4d}  top-1 rule-based {top1(test, None):.3f}  fitted {top1(test, w):.3f}"
              f"  top-2 {top1(test, None, 2):.3f} / {top1(test, w, 2):.3f}", file=sys.stderr)
    print(f"  held out, together: first is governing in {right['rule-based']:.0f} cities rule-based, "
          f"{right['fitted']:.0f} fitted, of {len(groups)}", file=sys.stderr)
    w = fit(groups, args.C)
    print(f"  all (fitted on all)            top-1 rule-based {top1(groups, None):.3f}  fitted {top1(groups, w):.3f}",
          file=sys.stderr)
    for name, value in zip(FEATURES, w):
        print(f"    {name:16s} {value:+.3f}", file=sys.stderr)
    if args.check:
        return 0
    args.out.write_text(json.dumps({
        "features": list(FEATURES), "weights": [round(float(v), 4) for v in w], "bias": 0.0,
        "fitted_on": list(TRAINING_SETS), "cities": len(groups), "C": args.C,
        "fitted": date.today().isoformat(),
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
