"""Rules as data, the engine's arithmetic at the boundaries the text draws, and the number guard."""

import pytest

from assistant.corpus.loader import load_corpus
from assistant.rules.evaluate import evaluate
from assistant.rules.facts import Facts, extract_facts
from assistant.rules.guard import guard
from assistant.errors import RuleError
from assistant.rules.book import load_rules
from assistant.text import find_quantities

from conftest import CORPUS


@pytest.fixture(scope="module")
def book():
    return load_rules(load_corpus(CORPUS))


def rule(book, rule_id):
    return next(r for r in book.rules if r.id == rule_id)


def test_every_rule_rests_on_a_quote_in_its_article(book):
    corpus = load_corpus(CORPUS)
    assert len(book.rules) >= 30
    for r in book.rules:
        assert r.quote.replace(" ", "") in corpus.clause(r.doc_id, r.article).text.replace(" ", "")


def test_every_number_bearing_clause_has_a_rule_or_a_stated_exception(book):
    corpus = load_corpus(CORPUS)
    covered = {(r.doc_id, r.article) for r in book.rules}
    uncovered = [c.id for c in corpus.clauses
                 if (find_quantities(c.text) or "半年" in c.text) and (c.doc_id, c.label) not in covered
                 and c.label not in book.exceptions.get(c.doc_id, {})]
    assert uncovered == []


def test_a_quote_not_in_its_article_fails_loudly_naming_the_rule(corpus_copy):
    path = corpus_copy / "rules" / "luan-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("开展不低于1个月的试运行", "开展不低于3个月的试运行"),
                    encoding="utf-8")
    with pytest.raises(RuleError, match="luan-trial-1m: quote not found"):
        load_rules(load_corpus(corpus_copy))


@pytest.mark.parametrize("amount,holds", [(99, False), (100, True), (101, True)])
def test_supervision_threshold_at_100_wan(book, amount, holds):
    c = evaluate(rule(book, "luan-supervision-100"), Facts(amount=amount))
    assert c.holds is holds
    assert c.text.startswith("原则上须引入监理") is holds
    assert ("不强制" in c.text) is not holds


@pytest.mark.parametrize("amount,above,below", [(499, False, True), (500, True, False), (501, True, False)])
def test_luan_500_wan_paths(book, amount, above, below):
    up = evaluate(rule(book, "luan-proposal-500-above"), Facts(amount=amount))
    down = evaluate(rule(book, "luan-proposal-500-below"), Facts(amount=amount))
    assert (up is not None) is above and (down is not None) is below


@pytest.mark.parametrize("amount,holds", [(499, True), (500, True), (501, False)])
def test_leshan_merge_up_to_500_wan(book, amount, holds):
    assert evaluate(rule(book, "leshan-merge-500"), Facts(amount=amount)).holds is holds


@pytest.mark.parametrize("ratio,holds", [(15.0, True), (15.1, False), (14.9, True)])
def test_leshan_adjustment_15_percent(book, ratio, holds):
    assert evaluate(rule(book, "leshan-adjust-15"), Facts(amount=1000, change_ratio=ratio)).holds is holds


def test_adjustment_computed_from_two_amounts(book):
    facts = extract_facts("乐山市批复总投资1000万元的项目，调整资金200万元，能自行调整后报备吗？")
    assert (facts.amount, facts.change, facts.change_ratio) == (1000, 200, 20)
    c = evaluate(rule(book, "leshan-adjust-15"), facts)
    assert not c.holds and c.computation == "200万元 ÷ 1000万元 = 20% > 15%"


@pytest.mark.parametrize("question,amount", [
    ("八十万的项目", 80), ("一千万元的项目", 1000), ("1,200,000元的项目", 120), ("三百万", 300), ("1.5亿元的项目", 15000),
])
def test_amounts_in_any_spelling(question, amount):
    assert extract_facts(question).amount == amount


def test_share_and_date_computations(book):
    c = evaluate(rule(book, "sc-security-budget-5pct"), Facts(amount=200))
    assert c.computation == "200万元 × 5% = 10万元"
    d = evaluate(rule(book, "sc-procurement-6m"), extract_facts("2024年8月31日立项发文的项目"))
    assert d.computation == "2024年8月31日 + 6个月 = 2025年2月28日"


def test_guard_flags_a_planted_wrong_number_and_passes_the_right_one():
    clause = [("luan-2021/第十九条", load_corpus(CORPUS).clause("luan-2021", "第十九条").text)]
    wrong = [f.to_json() for f in guard("六安市项目试运行3个月后即可申请验收。", clause)]
    assert wrong == [{"type": "guard", "quantity": "3个月", "normalized": "3个月", "status": "unbacked",
                      "contradicted_by": [{"clause": "luan-2021/第十九条", "says": "1个月"}]}]
    assert guard("六安市项目试运行不低于1个月（一个月）。", clause) == []
    assert guard("合计10万元。", clause, computed=("200万元 × 5% = 10万元",)) == []


def test_ask_leads_with_the_computation(assistant):
    a = assistant.ask("乐山市批复总投资1000万元的项目，调整资金200万元，能自行调整后报备吗？")
    rules = [c for c in a.to_json()["checks"] if c["type"] == "rule"]
    assert rules and rules[0]["holds"] is False and "20% > 15%" in rules[0]["computation"]
    # A yes/no question: the verdict, then the computation that decides it.
    assert a.answer.startswith("不是。【计算】200万元 ÷ 1000万元 = 20% > 15%")
    assert {c.article for c in a.citations} >= {"第二十九条", "第二十八条"}
    assert [c for c in a.to_json()["checks"] if c["type"] == "guard"] == []


def test_check_api_for_a_project(assistant):
    out = assistant.check(assistant.scope("六安"), Facts(amount=80))
    by_rule = {c.rule.id: c for c in out}
    assert by_rule["luan-supervision-100"].holds is False
    assert "luan-proposal-500-below" in by_rule and "luan-proposal-500-above" not in by_rule


@pytest.mark.parametrize("question,rule_id,holds,present", [
    ("500万以下的项目", "luan-proposal-500-below", True, True),    # the text's own category
    ("500万以下的项目", "luan-proposal-500-above", None, False),   # only the end point would meet it
    ("500万以下的项目", "leshan-merge-500", True, True),
    ("500万以下的项目", "luan-supervision-100", False, True),      # spans 100万: depends on the amount
    ("不满100万的项目", "luan-supervision-100", False, True),
    ("100万以上的项目", "luan-supervision-100", True, True),
    ("超过500万的项目", "leshan-merge-500", False, True),
])
def test_amounts_given_as_bounds(book, question, rule_id, holds, present):
    c = evaluate(rule(book, rule_id), extract_facts(question))
    assert (c is not None) is present
    if present:
        assert c.holds is holds
    if rule_id == "luan-supervision-100" and question.startswith("500万以下"):
        assert c.text.startswith("取决于具体金额")


def test_checklist_per_city_for_a_project_amount(assistant):
    a = assistant.ask("500万以下项目需要什么材料？")
    assert a.answerable
    for city in ("【六安市】", "【乐山市】", "【上城区】", "【启东市】"):
        assert city in a.answer
    for stage in ("· 申报", "· 验收", "· 运维"):
        assert stage in a.answer
    rules = {c["rule"]: c for c in a.to_json()["checks"] if c["type"] == "rule"}
    assert rules["luan-proposal-500-below"]["holds"] and "luan-proposal-500-above" not in rules
    assert rules["leshan-merge-500"]["holds"]
    assert {c.doc_id for c in a.citations} == {"luan-2021", "leshan-2022", "shangcheng-draft", "qidong-2019"}
    assert [c for c in a.to_json()["checks"] if c["type"] == "guard"] == []


def test_project_kind_limits_a_new_build_rule(book):
    r = rule(book, "sc-security-budget-5pct")
    new = evaluate(r, extract_facts("上城一个200万的新建项目"))
    assert new.holds and new.computation == "200万元 × 5% = 10万元" and "针对新建" not in new.text
    upgrade = evaluate(r, extract_facts("上城一个200万的升级改造项目"))
    assert upgrade.holds is False and "只对新建项目" in upgrade.text
    unsaid = evaluate(r, extract_facts("上城一个200万的项目"))
    assert unsaid.holds and unsaid.text.endswith("（本条针对新建项目）")
    facts = extract_facts("六安一个软件开发类涉密项目")
    assert facts.software and facts.classified and facts.new_build is None


def test_checklist_labels_are_checked_against_the_corpus(corpus_copy):
    from assistant.corpus.maps import load_stages

    assert [s.name for s in load_stages(load_corpus(CORPUS))] == ["申报", "审查", "立项", "采购", "建设", "验收", "运维", "评价"]
    path = corpus_copy / "checklist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("luan-2021: [第二十一条]", "luan-2021: [第九十条]"),
                    encoding="utf-8")
    with pytest.raises(RuleError, match="运维: luan-2021 has no clause 第九十条"):
        load_stages(load_corpus(corpus_copy))
