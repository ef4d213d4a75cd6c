"""The clause ranker: the shipped weights match the features the code computes, and fitted on
all study sets but one, the model puts a governing clause first more often than the rule-based
order on the set it did not see."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assistant.answers.ranking import FEATURES, MODEL_FILE, Ranker
from assistant.assistant import Assistant, Options
from assistant.evals.ranker import TRAINING_SETS, fit, record, top1
from conftest import REPO


def test_the_shipped_model_is_of_these_features_and_in_use(assistant):
    ranker = Ranker.load(MODEL_FILE)
    assert ranker is not None and len(ranker.weights) == len(FEATURES)
    assert assistant.context.ranker == ranker
    assert Assistant(assistant.index, assistant.tokenizer, assistant.embedder,
                     Options(ranker=False)).context.ranker is None


def test_a_model_of_other_features_is_refused_with_what_to_do(tmp_path):
    stale = tmp_path / "ranker.json"
    stale.write_text('{"features": ["fit"], "weights": [1.0]}', encoding="utf-8")
    try:
        Ranker.load(stale)
    except ValueError as exc:
        assert "python -m assistant.evals.ranker" in str(exc)
    else:
        raise AssertionError("a model of other features was loaded")


def test_fitted_without_a_set_the_model_ranks_that_set_at_least_as_well(assistant, monkeypatch):
    monkeypatch.chdir(REPO)
    fresh = Assistant(assistant.index, assistant.tokenizer, assistant.embedder, Options(ranker=False), assistant.today)
    groups = record(fresh, list(TRAINING_SETS))
    assert len(groups) > 300
    rule_based, fitted = [], []
    for held in TRAINING_SETS:
        weights = fit([g for g in groups if g.source != held])
        test = [g for g in groups if g.source == held]
        rule_based.append(top1(test, None) * len(test))
        fitted.append(top1(test, weights) * len(test))
    # Over the held-out sets together: more cities with the governing clause first.
    assert sum(fitted) > sum(rule_based), (sum(fitted), sum(rule_based))


def test_a_recording_ranker_sees_each_city_apart(assistant):
    seen = []

    class Spy:
        def order(self, hits, x):
            seen.append(({h.meta.doc_id for h in hits}, np.asarray(x).shape))
            return list(range(len(hits)))

    spied = Assistant(assistant.index, assistant.tokenizer, assistant.embedder, assistant.options, assistant.today)
    spied.context = replace(spied.context, ranker=Spy())
    spied.ask("六安和乐山的试运行各有什么要求？")
    assert seen and all(len(docs) == 1 and shape[1] == len(FEATURES) for docs, shape in seen)


def test_a_runner_up_the_model_cannot_tell_from_the_first_is_marked_unsure(assistant):
    from assistant.answers.ranking import UNSURE_MARGIN, Candidates, rank

    hits = tuple(assistant.search("乐山试运行多久才能验收", k=3))
    x = np.zeros((3, len(FEATURES)))
    x[:, 0] = [1.0, 0.5, 0.0]
    close = Ranker((1.0,) + (0.0,) * (len(FEATURES) - 1))              # margin 0.5
    sure = Ranker((4 * UNSURE_MARGIN,) + (0.0,) * (len(FEATURES) - 1))  # margin 2 × UNSURE_MARGIN
    found = Candidates((hits,), (x,))
    assert rank(close, found).unsure == {hits[1].clause.id}
    assert rank(sure, found).unsure == frozenset()
    assert rank(sure, found).ordered == list(hits)
