"""Which of a city's relevant clauses governs the question: a small linear model over features
that say how a clause answers (it states the asked value, it is the clause the checklist or a
topic names, its best sentence is about the asked words, both retrievers ranked it high), not
which words the question used. The weights are data (assistant/answers/ranker.json), fitted by
`python -m assistant.evals.ranker` on the study halves of the users' cases and the project's own
cases; the frozen half never sees the fit."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.answers.relevance import Gate, coverage, sentences
from assistant.answers.request import Request, states_value
from assistant.corpus.maps import Stage
from assistant.corpus.model import Hit, PartKind
from assistant.search.matching import Matcher
from assistant.search.query import QueryAnalysis

MODEL_FILE = Path(__file__).with_name("ranker.json")

FEATURES = (
    "order_prior",      # 1/(rank+1) in the rule-based order (stating clauses, then retrieval order)
    "search_prior",     # 1/(rank+1) in the retrieval order alone
    "gate_coverage",    # share of the question's weight the clause carries (asks full, context less)
    "gate_matched",     # that weight, / the city's best
    "ask_coverage",     # share of the asks' own weight (the context left out)
    "states_value",     # the clause states a value of the kind asked (a date for 什么时候 …)
    "stating",          # a sentence states that value about what is asked (relevance.stating)
    "stage_clause",     # a clause the checklist names for a stage the question names
    "topic_clause",     # a clause topics.yaml names for a topic the question names
    "attachment",       # an attachment's section, not an article
    "dense",            # cosine of question and clause vectors minus the city's best (0 without vectors)
    "gate_fit",         # best 款/项 score on what the gate weighs (no asking words), / the city's best
    "gate_density",     # best sentence score on that / sqrt(its length), / the city's best
    "subject",          # best score of a sentence's opening words (its subject: "涉密政务信息化项目管理按照…"), / the city's best
    "agreement",        # in a comparison, how alike the clause is to the other cities' candidates (their texts on one topic agree)
)
AGREEMENT_DEPTH = 3  # the other cities' first candidates a clause is compared with
# How much of a sentence's start is read as its subject.
SUBJECT_CHARS = 12
_OPENING = re.compile(r"^(第[零〇一二三四五六七八九十百千\d]+条|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．])[\s　]*")


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]
    bias: float = 0.0

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "Ranker | None":
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: its features {data['features']} are not this version's {list(FEATURES)}; "
                             "refit it with `python -m assistant.evals.ranker`")
        return cls(tuple(float(w) for w in data["weights"]), float(data.get("bias", 0.0)))

    def scores(self, x: np.ndarray) -> np.ndarray:
        return x @ np.asarray(self.weights) + self.bias

    def order(self, hits: Sequence[Hit], x: np.ndarray) -> list[int]:
        """The positions of a city's candidates, best first (ties keep the rule-based order)."""
        s = self.scores(x)
        return sorted(range(len(hits)), key=lambda i: (-s[i], i))


@dataclass(frozen=True)
class Candidates:
    """One question's candidates, grouped by city in the order the cities come, with features."""
    groups: tuple[tuple[Hit, ...], ...]
    features: tuple[np.ndarray, ...]


def candidates(matcher: Matcher, analysis: QueryAnalysis, request: Request, gate: Gate, ordered: Sequence[Hit],
               relevant: Sequence[Hit], governing: Sequence[Hit], stages: Sequence[Stage], topics: Sequence[Stage],
               dense=None) -> Candidates:
    by_doc: dict[str, list[Hit]] = {}
    for h in ordered:
        by_doc.setdefault(h.meta.doc_id, []).append(h)
    asked_of = "，".join(p.question for p in (gate.asks, gate.context) if p is not None)
    gate_score = matcher.scorer(replace(analysis, question=asked_of, topic=asked_of))
    ask_gate = replace(gate, context=None, thin=False)
    named_stages = [s for s in stages if any(k in analysis.topic for k in (s.name, *s.aliases))]
    named_topics = [t for t in topics if any(k in analysis.topic for k in (t.name, *t.aliases))]
    stating_ids = {h.clause.id for h in governing}
    groups, feats = [], []
    asks_name_something = _has_terms(matcher, gate)
    for doc_id, hits in by_doc.items():
        searched = {cid: r for r, cid in enumerate(h.clause.id for h in relevant if h.meta.doc_id == doc_id)}
        curated_stage = {label for s in named_stages for label in s.clauses.get(doc_id, ())}
        curated_topic = {label for t in named_topics for label in t.clauses.get(doc_id, ())[:1]}
        vectors = _similarities(dense, analysis, hits)
        rows = []
        for i, h in enumerate(hits):
            c = h.clause
            cov, matched = coverage(matcher, gate, c)
            ask_cov = coverage(matcher, ask_gate, c)[0] if asks_name_something else 0.0
            sents = sentences(c)
            gate_density = max((gate_score(s) / math.sqrt(max(len(s), 8)) for s in sents), default=0.0)
            # The same sentences' opening words: what each is about.
            subject = max((gate_score(_OPENING.sub("", s.strip())[:SUBJECT_CHARS]) for s in sents), default=0.0)
            rows.append([
                1.0 / (i + 1),
                1.0 / (searched[c.id] + 1) if c.id in searched else 0.0,
                cov,
                matched,
                ask_cov,
                float(gate.attribute is not None and states_value(gate.attribute, c.text)),
                float(c.id in stating_ids),
                float(c.label in curated_stage),
                float(c.label in curated_topic),
                float(c.kind is PartKind.ATTACHMENT_SECTION),
                vectors[i],
                matcher.fit(gate_score, c),
                gate_density,
                subject,
            ])
        x = np.asarray(rows, dtype=np.float64)
        x = np.hstack([x, np.zeros((len(hits), 1))])
        for col in (3, 11, 12, 13):  # relative to the city's best
            top = x[:, col].max()
            x[:, col] = x[:, col] / top if top > 0 else 0.0
        groups.append(tuple(hits))
        feats.append(x)
    if len(groups) > 1 and dense is not None:
        for i, a in enumerate(_agreements(dense, groups)):
            feats[i][:, -1] = a
    return Candidates(tuple(groups), tuple(feats))


def _agreements(dense, groups: list[tuple[Hit, ...]]) -> list[np.ndarray]:
    """For each city's candidates: the mean, over the other cities, of the best cosine with one of
    their first AGREEMENT_DEPTH candidates, minus the city's best such mean."""
    try:
        vectors = [dense.vectors_of([h.clause.id for h in g]) for g in groups]
    except Exception:  # the vector store is down
        return [np.zeros(len(g)) for g in groups]
    out = []
    for i, v in enumerate(vectors):
        others = [(v @ w[:AGREEMENT_DEPTH].T).max(axis=1) for j, w in enumerate(vectors) if j != i and len(w)]
        mean = np.mean(others, axis=0) if others else np.zeros(len(v))
        out.append(mean - mean.max())
    return out


def _has_terms(matcher: Matcher, gate: Gate) -> bool:
    return any(w > 0 for _, w, _ in matcher.question_terms(gate.asks))


def _similarities(dense, analysis: QueryAnalysis, hits: Sequence[Hit]) -> list[float]:
    """Each hit's cosine with the question minus the best of them (0 everywhere without vectors)."""
    if dense is None:
        return [0.0] * len(hits)
    try:
        sims = dense.similarities(analysis.search_text, [h.clause.id for h in hits])
    except Exception:  # the vector store is down: the other features still rank
        return [0.0] * len(hits)
    top = max(sims, default=0.0)
    return [s - top for s in sims]


# The ranker's margin under which it cannot tell a city's first candidate from its second: the
# fitted odds that the second governs are exp(-margin), so 2.5 cites a runner-up it gives 8 % or more
# (measured: +0.05 citations per answer on the users' sets, the governing clause cited more often
# on the held-out ones).
UNSURE_MARGIN = 2.5


@dataclass(frozen=True)
class Ranking:
    ordered: list[Hit]
    unsure: frozenset[str]  # runner-ups the ranker could not tell from their city's first (clause ids)


def rank(ranker, found: Candidates) -> Ranking:
    """The candidates, each city's reordered by the ranker (anything with Ranker.order), and the
    runner-ups it scores within UNSURE_MARGIN of their city's first (when it scores at all)."""
    out: list[Hit] = []
    unsure: set[str] = set()
    for hits, x in zip(found.groups, found.features):
        order = ranker.order(hits, x)
        out += [hits[i] for i in order]
        scores = getattr(ranker, "scores", None)
        if scores is not None and len(order) > 1:
            s = scores(x)
            if s[order[0]] - s[order[1]] < UNSURE_MARGIN:
                unsure.add(hits[order[1]].clause.id)
    return Ranking(out, frozenset(unsure))
