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
    later the same way (held out too) and forty-eight later batches (studied, or held out until studied); every evidence string and
    keyword verbatim in a listed clause, refusals with no clause, follow-ups with a history."""
    corpus = load_corpus(CORPUS)
    assert [p.name for p in USERS] == ["frozen.yaml", "probe.yaml", "study10.yaml", "study11.yaml", "study12.yaml",
                                         "study13.yaml", "study14.yaml", "study15.yaml", "study16.yaml", "study17.yaml", "study18.yaml", "study19.yaml", "study2.yaml", "study20.yaml", "study21.yaml", "study22.yaml", "study23.yaml",
                                         "study24.yaml", "study25.yaml", "study26.yaml", "study27.yaml", "study28.yaml",
                                         "study29.yaml", "study3.yaml", "study30.yaml", "study31.yaml", "study32.yaml", "study33.yaml", "study34.yaml",
                                         "study35.yaml", "study36.yaml", "study37.yaml", "study38.yaml", "study39.yaml", "study4.yaml",
                                         "study40.yaml", "study41.yaml", "study42.yaml", "study43.yaml", "study44.yaml", "study45.yaml", "study46.yaml", "study47.yaml",
                                         "study48.yaml", "study49.yaml", "study5.yaml", "study50.yaml", "study51.yaml", "study52.yaml", "study53.yaml",
                                         "study54.yaml", "study55.yaml",
                                         "study6.yaml", "study7.yaml", "study8.yaml",
                                         "study9.yaml", "tune.yaml"]
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
    assert all(len(sets[name]) >= 100 and sum(c.kind == "near_domain" for c in sets[name]) >= 15
               for name in ("study4", "study5", "study6", "study7"))
    # study8 weighs premises: 30 of its 60 cases, half of them wrong.
    assert len(sets["study8"]) >= 60 and sum(c.kind == "premise" for c in sets["study8"]) >= 30
    # study9: premises (36) and follow-ups (24).
    assert sum(c.kind == "premise" for c in sets["study9"]) >= 36 and sum(c.kind == "followup" for c in sets["study9"]) >= 24
    # batch 10: two halves balanced by kind (study10 studied, study11 held out), 18 near-domain each.
    tens = [Counter(c.kind for c in sets[name]) for name in ("study10", "study11")]
    assert tens[0] == tens[1] and all(t["near_domain"] >= 18 and sum(t.values()) >= 60 for t in tens)
    # batch 12: near-domain questions (24 a half) and answerable twins on the same clauses.
    twelves = [Counter(c.kind for c in sets[name]) for name in ("study12", "study13")]
    assert all(t["near_domain"] >= 24 and sum(t.values()) >= 39 for t in twelves)
    # batch 14: two halves balanced by kind (study14 studied, study15 held out), 20 near-domain each.
    fourteens = [Counter(c.kind for c in sets[name]) for name in ("study14", "study15")]
    assert fourteens[0] == fourteens[1] and all(t["near_domain"] >= 20 and sum(t.values()) >= 60 for t in fourteens)
    # batch 16: near-domain questions (30 refusals a half, 5 of them follow-ups) and answerable twins.
    sixteens = [Counter((c.kind, c.refuse) for c in sets[name]) for name in ("study16", "study17")]
    assert sixteens[0] == sixteens[1] and all(sum(n for (_, refuse), n in t.items() if refuse) >= 30 for t in sixteens)
    # batch 18: every kind, 45 refusals (10 of them follow-ups), split by kind and refusal within one case.
    eighteens = _halves(sets, "study18", "study19")
    assert sum(c.refuse for c in eighteens) >= 45
    assert sum(c.refuse and c.kind == "followup" for c in eighteens) >= 10
    # batch 20: half of it to refuse (60, 12 of them follow-ups), split by kind and refusal within one case.
    twenties = _halves(sets, "study20", "study21")
    assert sum(c.refuse for c in twenties) >= 60
    assert sum(c.refuse and c.kind == "followup" for c in twenties) >= 12
    # batch 22: seventy refusals in ten classes (15 follow-ups), thirty answerable twins.
    twentytwos = _halves(sets, "study22", "study23")
    assert sum(c.refuse for c in twentytwos) >= 70
    assert sum(c.refuse and c.kind == "followup" for c in twentytwos) >= 15
    # batch 24: every kind as users ask it (a fifth of it scenarios), 32 refusals, split by kind and refusal.
    twentyfours = _halves(sets, "study24", "study25")
    assert sum(c.refuse for c in twentyfours) >= 32
    assert sum(c.kind == "scenario" for c in twentyfours) >= 24
    # batch 26: 150 cases of every kind (a fifth scenarios), 36 refusals (4 of them follow-ups), split by kind and refusal.
    twentysixes = _halves(sets, "study26", "study27")
    assert len(twentysixes) >= 150
    assert sum(c.refuse for c in twentysixes) >= 36
    assert sum(c.refuse and c.kind == "followup" for c in twentysixes) >= 4
    assert sum(c.kind == "scenario" for c in twentysixes) >= 30
    # batch 28: yes/no questions, 50 the texts do not settle (10 of them follow-ups) and 30 premises.
    twentyeights = _halves(sets, "study28", "study29", verdict=True)
    assert sum(c.refuse for c in twentyeights) >= 50
    assert sum(c.refuse and c.kind == "followup" for c in twentyeights) >= 10
    assert sum(c.kind == "premise" for c in twentyeights) >= 30
    # batch 30: 60 refusals (30 yes/no, 20 open, 10 follow-ups), 30 premises, 30 answerable of every kind.
    thirties = _halves(sets, "study30", "study31", verdict=True)
    assert sum(c.refuse for c in thirties) >= 60
    assert sum(c.refuse and c.kind == "followup" for c in thirties) >= 10
    assert sum(c.kind == "premise" for c in thirties) >= 30
    # batches 32, 34, 36 and 42, written apart with one mix: 40 refusals (12 open, 12 yes/no, 6 other places,
    # 10 follow-ups), 20 premises, 60 answerable of every kind.
    for studied, held in (("study32", "study33"), ("study34", "study35"), ("study36", "study37"), ("study42", "study43")):
        batch = _halves(sets, studied, held, verdict=True)
        assert sum(c.refuse for c in batch) >= 40, studied
        assert sum(c.refuse and c.kind == "followup" for c in batch) >= 10, studied
        assert sum(c.kind == "premise" for c in batch) >= 20, studied
        assert sum(not c.refuse and c.kind == "followup" for c in batch) >= 10, studied
    # batch 38: yes/no questions only — 40 the named city's text does not settle, 40 it settles
    # (20 是, 20 否), close in topic and wording.
    yes_no = _halves(sets, "study38", "study39", verdict=True)
    assert sum(c.refuse and c.kind == "near_domain" for c in yes_no) == 40
    assert sum(c.kind == "premise" and c.verdict == "是" for c in yes_no) == 20
    assert sum(c.kind == "premise" and c.verdict == "否" for c in yes_no) == 20
    # batch 40: open questions only — 40 whose asked attribute the named city's text does not state
    # (8 of them follow-ups), 40 close in topic and wording that it answers (8 follow-ups).
    open_asks = _halves(sets, "study40", "study41")
    assert sum(c.refuse for c in open_asks) == 40 and not any(c.verdict for c in open_asks)
    assert sum(c.refuse and c.kind == "followup" for c in open_asks) == 8
    assert sum(not c.refuse and c.kind == "followup" for c in open_asks) == 8
    # batch 44: 56 refusals (16 open, 14 yes/no, 8 other places, 10 follow-ups, 8 naming the topic but not
    # the attribute asked), 24 premises (12 是, 12 否), 80 answerable of every kind (13 follow-ups).
    assert _mix(_halves(sets, "study44", "study45", verdict=True)) == _counts(56, 10, 12, 12, 13)
    # batch 46: yes/no claims only, most with a number — 50 the named city's text does not settle, 50 it
    # settles (42 premises, 22 是 and 20 否, and 8 follow-ups, which carry no verdict); 8 follow-ups each.
    assert _mix(_halves(sets, "study46", "study47", verdict=True)) == _counts(50, 8, 22, 20, 8)
    # batch 48: 84 answerable of every kind (16 follow-ups, 6 compares, 20 premises: 10 是, 10 否) and 36
    # refusals (14 open, 10 yes/no, 6 other places or laws, 6 follow-ups).
    mixed = _halves(sets, "study48", "study49", verdict=True)
    assert _mix(mixed) == _counts(36, 6, 10, 10, 16) and sum(c.kind == "compare" for c in mixed) == 6
    # batch 50: yes/no claims only — 50 the named city's text does not settle (15 another city states, 15 the
    # same city states of another step, 12 on things named in passing, 8 follow-ups), 50 close twins it settles
    # (42 premises, 21 是 and 21 否, and 8 follow-ups).
    assert _mix(_halves(sets, "study50", "study51", verdict=True)) == _counts(50, 8, 21, 21, 8)
    # batch 52: 84 answerable of every kind (9 follow-ups, 6 compares, 16 premises: 8 是, 8 否) and 36
    # refusals (14 open, 10 yes/no, 6 other places or laws, 6 follow-ups).
    fresh = _halves(sets, "study52", "study53", verdict=True)
    assert _mix(fresh) == _counts(36, 6, 8, 8, 9) and sum(c.kind == "compare" for c in fresh) == 6
    # batch 54: written the same way as batch 52, with the same make-up.
    fresh = _halves(sets, "study54", "study55", verdict=True)
    assert _mix(fresh) == _counts(36, 6, 8, 8, 9) and sum(c.kind == "compare" for c in fresh) == 6


def _counts(refused: int, refused_followups: int, yes: int, no: int, answered_followups: int) -> dict:
    return {"refused": refused, "refused follow-ups": refused_followups, "是": yes, "否": no,
            "answered follow-ups": answered_followups}


def _mix(cases) -> dict:
    """A batch's make-up: refusals (and how many are follow-ups), premises by verdict, answered follow-ups."""
    return _counts(sum(c.refuse for c in cases), sum(c.refuse and c.kind == "followup" for c in cases),
                   sum(c.verdict == "是" for c in cases), sum(c.verdict == "否" for c in cases),
                   sum(not c.refuse and c.kind == "followup" for c in cases))


def _halves(sets, studied: str, held: str, verdict: bool = False) -> list:
    """A batch's two halves, asserted split evenly by kind and refusal (and by verdict): their cases together."""
    key = (lambda c: (c.kind, c.refuse, c.verdict)) if verdict else (lambda c: (c.kind, c.refuse))  # noqa: E731
    a, b = Counter(map(key, sets[studied])), Counter(map(key, sets[held]))
    assert all(abs(a[k] - b[k]) <= 1 for k in a | b), (studied, held)
    return sets[studied] + sets[held]


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
    cases = _small_set(tmp_path, "max_misses: {hit@5: 0, refusal_acc: 0, contamination: 0}\nmin: {mrr: 0.9}\n")
    # The committed report failed case a; it passes now: the gate says which cases flipped.
    (tmp_path / "report.json").write_text(json.dumps({"failures": ["a"]}), encoding="utf-8")
    ok = runner.invoke(app, ["eval", "--cases", str(cases), "--out", str(out), "--gate"])
    assert ok.exit_code == 0, ok.output
    assert "全部达到" in ok.output and "新失败 0 个，新通过 1 个（a）" in ok.output
    assert (out / "report.md").is_file() and (out / "report.png").stat().st_size > 10_000
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]["refusal_acc"] == 1.0 and report["baselines"]
    # a floor above what is measured must fail the run (exit 1), naming the metric
    _small_set(tmp_path, "max_misses: {hit@5: 0}\nmin: {citations_per_answer: 9.0}\n")
    bad = runner.invoke(app, ["eval", "--cases", str(cases), "--out", str(out), "--gate"])
    assert bad.exit_code == 1 and "citations_per_answer" in bad.output


class _Run:
    """What the gate reads of a run: the cases missing each metric, and the means."""

    def __init__(self, misses: dict, metrics: dict):
        self._misses, self._metrics = misses, metrics

    def misses(self):
        return self._misses

    def metrics(self):
        return self._metrics


def test_the_gate_counts_cases_with_a_margin_and_names_them():
    from assistant.evals.report import flipped, thresholds_failed

    run = _Run({"hit@1": ["c1", "c2", "c3"], "contamination": []}, {"mrr": 0.95})
    assert thresholds_failed(run, {"max_misses": {"hit@1": 3, "contamination": 0}, "min": {"mrr": 0.94}}) == []
    assert thresholds_failed(run, {"max_misses": {"hit@1": 2}}) == ["hit@1 有 3 个用例未达到（上限 2）：c1、c2、c3"]
    assert thresholds_failed(run, {"min": {"mrr": 0.96}}) == ["mrr = 0.950 < 0.96"]
    assert flipped(["c1", "c9"], ["c1", "c2"]) == (["c2"], ["c9"])


def test_the_committed_gate_sits_within_its_margin_of_the_committed_report():
    """Each bound is today's count plus a margin of one or two cases: never looser than that."""
    import yaml

    root = CASES.parent
    bounds = yaml.safe_load((root / "thresholds.yaml").read_text(encoding="utf-8"))["max_misses"]
    today = json.loads((root / "report.json").read_text(encoding="utf-8"))["misses"]
    assert all(today[k] <= b <= today[k] + 2 for k, b in bounds.items())
    assert all(bounds[k] == 0 for k in ("refusal_acc", "contamination", "unbacked_numbers", "rule_acc"))


def test_a_set_of_refusals_only_gets_its_report_and_chart(tmp_path, index_dir, assistant, monkeypatch):
    # No answerable case: no citation or keyword accuracy, and the chart leaves those bars out.
    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("REGASSIST_CORPUS", str(CORPUS))
    monkeypatch.setenv("REGASSIST_INDEX_DIR", str(index_dir))
    cases = tmp_path / "refusals.yaml"
    cases.write_text("""cases:
- id: r1
  kind: near_domain
  q: 乐山验收专家的评审费一个人给多少？
  refuse: true
- id: r2
  kind: refuse
  q: 深圳市电子政务项目怎么申报？
  refuse: true
""", encoding="utf-8")
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["eval", "--cases", str(cases), "--out", str(out)])
    assert done.exit_code == 0, done.output
    report = json.loads((out / "report-refusals.json").read_text(encoding="utf-8"))
    assert report["metrics"]["refusal_acc"] == 1.0 and "citation_acc" not in report["metrics"]
    assert (out / "report-refusals.png").stat().st_size > 10_000
