"""The evaluation set is data; it must stay true to the corpus and cover it."""

from collections import Counter
from pathlib import Path

from assistant.corpus import load_corpus
from assistant.evals import KINDS, check_case, load_cases

from conftest import CORPUS, DOC_IDS

CASES = Path(__file__).resolve().parents[1] / "evals" / "cases.yaml"


def test_every_evidence_string_is_in_its_clause():
    corpus = load_corpus(CORPUS)
    problems = [p for case in load_cases(CASES) for p in check_case(case, corpus)]
    assert problems == []


def test_the_set_is_large_and_varied():
    cases = load_cases(CASES)
    assert len(cases) >= 150
    kinds = Counter(c.kind for c in cases)
    assert {"fact", "procedure", "threshold", "reference", "compare", "trap", "refuse"} <= set(kinds)
    assert set(kinds) <= set(KINDS)
    per_doc = Counter(a.split("/")[0] for c in cases for a in c.articles)
    assert all(per_doc[d] >= 30 for d in DOC_IDS)
    assert sum(c.refuse for c in cases) >= 15
