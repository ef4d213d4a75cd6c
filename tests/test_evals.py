"""The evaluation set is data; it must stay true to the corpus and cover it."""

import json
from collections import Counter
from pathlib import Path

from assistant.corpus.loader import load_corpus
from assistant.evals.cases import KINDS, check_case, load_cases

from conftest import CORPUS, DOC_IDS

CASES = Path(__file__).resolve().parents[1] / "evals" / "cases.yaml"


def test_every_evidence_string_is_in_its_clause():
    corpus = load_corpus(CORPUS)
    problems = [p for case in load_cases(CASES) for p in check_case(case, corpus)]
    assert problems == []


USERS = sorted((CASES.parent / "users").glob("*.yaml"))


def test_the_users_sets_are_true_to_the_corpus_and_split_in_halves():
    """Written from a user's seat: two halves (one studied, one held out), a probe set written
    later the same way (held out too) and three later batches (studied); every evidence string and
    keyword verbatim in a listed clause, refusals with no clause, follow-ups with a history."""
    corpus = load_corpus(CORPUS)
    assert [p.name for p in USERS] == ["frozen.yaml", "probe.yaml", "study2.yaml", "study3.yaml", "study4.yaml",
                                         "tune.yaml"]
    sets = {p.stem: load_cases(p) for p in USERS}
    halves = {name: sets[name] for name in ("frozen", "tune")}
    every = [c for cases in sets.values() for c in cases]
    assert len({c.id for c in every}) == len(every) >= 150
    assert [p for c in every for p in check_case(c, corpus)] == []
    for c in every:
        texts = [corpus.by_id(a).text for a in c.articles]
        assert all(any(any(v in t for t in texts) for v in group) for group in c.keywords), c.id
        assert not (c.refuse and c.articles), c.id
        assert (c.kind == "followup") == bool(c.history), c.id
        assert (c.kind == "premise") == (c.verdict is not None), c.id
    kinds = [Counter(c.kind for c in cases) for cases in halves.values()]
    assert all(abs(a[k] - b[k]) <= 1 for a, b in [kinds] for k in a)  # balanced by kind
    assert sum(c.kind == "near_domain" for cases in halves.values() for c in cases) >= 30
    assert len(sets["probe"]) >= 60
    assert all(len(sets[name]) >= 100 and sum(c.kind == "near_domain" for c in sets[name]) >= 20
               for name in ("study2", "study3"))
    assert len(sets["study4"]) >= 100 and sum(c.kind == "near_domain" for c in sets["study4"]) >= 15


def test_the_set_is_large_and_varied():
    cases = load_cases(CASES)
    assert len(cases) >= 150
    kinds = Counter(c.kind for c in cases)
    assert {"fact", "procedure", "threshold", "reference", "compare", "trap", "refuse"} <= set(kinds)
    assert set(kinds) <= set(KINDS)
    per_doc = Counter(a.split("/")[0] for c in cases for a in c.articles)
    assert all(per_doc[d] >= 30 for d in DOC_IDS)
    assert sum(c.refuse for c in cases) >= 15


def _small_set(tmp_path, thresholds: str):
    cases = tmp_path / "cases.yaml"
    cases.write_text("""cases:
- id: a
  kind: fact
  q: 乐山试运行多久才能验收？
  cities: [leshan-2022]
  articles: [leshan-2022/第三十一条]
  evidence: [经 3 个月试运行正常后]
  keywords: [[3 个月]]
- id: b
  kind: refuse
  q: 深圳市电子政务项目怎么申报？
  refuse: true
""", encoding="utf-8")
    (tmp_path / "thresholds.yaml").write_text(thresholds, encoding="utf-8")
    return cases


def test_eval_gate_fails_under_a_threshold_and_passes_over_it(tmp_path, index_dir, assistant, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("REGASSIST_CORPUS", str(CORPUS))
    monkeypatch.setenv("REGASSIST_INDEX_DIR", str(index_dir))
    runner = CliRunner()
    out = tmp_path / "out"
    cases = _small_set(tmp_path, "hit@5: 1.0\nrefusal_acc: 1.0\nmax_contamination: 0.0\n")
    ok = runner.invoke(app, ["eval", "--cases", str(cases), "--out", str(out), "--gate"])
    assert ok.exit_code == 0, ok.output
    assert "全部达到" in ok.output
    assert (out / "report.md").is_file() and (out / "report.png").stat().st_size > 10_000
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]["refusal_acc"] == 1.0 and report["baselines"]
    # a floor above what is measured must fail the run (exit 1), naming the metric
    _small_set(tmp_path, "hit@5: 1.0\ncitations_per_answer: 9.0\n")
    bad = runner.invoke(app, ["eval", "--cases", str(cases), "--out", str(out), "--gate"])
    assert bad.exit_code == 1 and "citations_per_answer" in bad.output


def test_thresholds_failed_reads_floors_and_ceilings():
    from assistant.evals.report import thresholds_failed

    metrics = {"hit@5": 0.96, "contamination": 0.01}
    assert thresholds_failed(metrics, {"hit@5": 0.97}) == ["hit@5 = 0.960 < 0.97"]
    assert thresholds_failed(metrics, {"max_contamination": 0.0}) == ["contamination = 0.010 > 0.0"]
    assert thresholds_failed(metrics, {"hit@5": 0.95, "max_contamination": 0.05}) == []
