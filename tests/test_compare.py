"""City comparison: topics as data, figures pulled out, "no provision" said as such."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from assistant.answers.compare import NO_PROVISION, Comparer, excerpt
from assistant.assistant import Assistant
from assistant.errors import RuleError


@pytest.fixture(scope="module")
def comparer(assistant) -> Comparer:
    return Comparer(assistant.context)


def test_finding_marks_every_figure_in_the_excerpt():
    f = excerpt("第四十六条", "第四十六条", "项目投入运行后 12 至 24 个月内，项目单位应开展自评价；超过15%的，半年内报批。",
                "全文")
    assert f.figures == ("12 至 24 个月", "15%", "半年")
    assert [f.excerpt[s:e] for s, e in f.spans] == list(f.figures)
    assert "，" in f.excerpt  # Chinese punctuation kept as written


def test_finding_leaves_ordinals_and_prose_counts_alone():
    f = excerpt("第十条", "第十条", "依照第三条，涉及二次开发的，每年开展一次测评，专家3人以上。", "全文")
    assert f.figures == ("3人",)


@pytest.mark.parametrize("question, topics", [
    ("比较各地试运行期限", ["试运行"]),
    ("各地的等保和密评要求有什么不同", ["网络安全与密码"]),
    ("六安和乐山的验收材料有什么区别", ["验收材料"]),
    ("各城市招标和监理的规定", ["采购", "监理"]),
    ("各地对专家库怎么管理", []),
])
def test_free_questions_map_onto_topics(comparer, question, topics):
    assert sorted(t.name for t in comparer.match_topics(question)) == sorted(topics)


def test_question_naming_cities_compares_those_cities(comparer):
    result = comparer.compare(question="六安和乐山的验收材料有什么区别")
    assert [m.doc_id for m in result.docs] == ["luan-2021", "leshan-2022"]
    assert [r.topic for r in result.rows] == ["验收材料"]


def test_unmatched_question_is_answered_per_city_by_retrieval(comparer):
    result = comparer.compare(question="项目资产归谁所有")
    assert result.matched == "question" and len(result.rows) == 1
    cells = {c.doc_id: c for c in result.rows[0].cells}
    assert cells["luan-2021"].findings[0].article == "第二十二条"
    assert not cells["qidong-2019"].provided  # 启东 says nothing about it: no clause is borrowed
    assert all(c.source == "retrieved" for c in cells.values())


def test_every_topic_has_a_cell_per_city_and_curated_gaps_stay_empty(comparer):
    result = comparer.compare()
    assert [r.topic for r in result.rows] == comparer.topic_names and len(result.rows) >= 15
    for row in result.rows:
        assert [c.doc_id for c in row.cells] == ["luan-2021", "leshan-2022", "shangcheng-draft", "qidong-2019"]
    ip = {c.doc_id: c for c in next(r for r in result.rows if r.topic == "知识产权").cells}
    assert not ip["luan-2021"].provided and not ip["qidong-2019"].provided
    rows = {r[0]: r for r in csv.reader(io.StringIO(result.to_csv()))}
    assert rows["知识产权"][1] == NO_PROVISION and rows["知识产权"][2].startswith("第四十三条")


def test_topic_labels_are_checked_against_the_corpus(corpus_copy, index_dir, tmp_path):
    from assistant.corpus.loader import load_corpus
    from assistant.corpus.maps import load_stages

    path = corpus_copy / "topics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["topics"][0]["clauses"]["luan-2021"] = ["第九十条"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="申报时间: luan-2021 has no clause 第九十条"):
        load_stages(load_corpus(corpus_copy), "topics.yaml", key="topics", name="topic")


def test_a_city_without_curated_clauses_is_compared_by_retrieval(corpus_copy, tmp_path):
    """Adding a city is data: with no entry in topics.yaml its cells come from retrieval, and a
    topic its document does not treat stays empty rather than borrowing an unrelated clause."""
    path = corpus_copy / "topics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for topic in data["topics"]:
        topic.get("clauses", {}).pop("leshan-2022", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    a = Assistant.open(corpus_copy, tmp_path / "index")
    result = Comparer(a.context).compare(topics=["试运行", "知识产权"], cities=["乐山"])
    trial, ip = (r.cells[0] for r in result.rows)
    assert trial.source == "retrieved" and trial.findings[0].article == "第三十一条"
    assert "3 个月" in trial.findings[0].figures
    assert ip.findings[0].article == "第四十三条"


def test_the_ui_keeps_its_exports_in_one_directory_and_only_the_newest(assistant):
    from assistant.server.ui import Callbacks, Exports

    from assistant.llm.grounded import Grounded

    cb = Callbacks(assistant, Comparer(assistant.context), Grounded(assistant))
    paths = [cb.compare(["试运行"], ["六安市", "乐山市"], "")[1] for _ in range(Exports.KEEP + 5)]
    folders = [p for p in cb.exports.root.iterdir() if p.is_dir()]  # beside them: the 评测 template
    assert len(folders) == Exports.KEEP and all(p.startswith(str(cb.exports.root)) for p in paths)
    assert [p.name for p in cb.exports.root.iterdir() if p.is_file()] == ["评测集模板.xlsx"]
    assert open(paths[-1], encoding="utf-8-sig").read().startswith("主题")


def test_a_question_asking_one_thing_of_a_topic_is_answered_per_city_not_by_the_topic(comparer):
    # "谁组织" is not what the 验收材料 topic curates; "延期验收" is narrower than 验收.
    who = comparer.compare(question="各地项目验收谁组织")
    assert who.matched == "question"
    cells = {c.doc_id: c for c in who.rows[0].cells}
    assert cells["luan-2021"].findings[0].article == "第十九条" and "组织" in cells["luan-2021"].findings[0].excerpt
    late = comparer.compare(question="六安和启东的项目延期验收怎么办")
    assert late.matched == "question"
    assert {c.doc_id: c.findings[0].article for c in late.rows[0].cells}["luan-2021"] == "第二十条"
    # The topic at large stays the topic's row.
    assert comparer.compare(question="几个地方对试运行的要求有啥不一样").rows[0].topic == "试运行"
