"""Questions as users write them: a project described in their own words, everyday words, a premise
to confirm or correct, follow-ups, and near-domain questions the 办法 do not answer — through the
real assistant, the API and the CLI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evals.evaluators import unbacked_numbers
from assistant.server.api import create_app


def _cited(answer) -> set[str]:
    return {f"{c.doc_id}/{c.article}" for c in answer.citations}


def _refused(answer) -> bool:
    return not answer.answerable and not answer.citations


def _refused_without_verdict(assistant, *questions: str) -> None:
    """Each claim refused, with no 是/不是 given for it."""
    for question in questions:
        a = assistant.ask(question)
        assert _refused(a) and not a.answer.startswith(("是", "不是")), question


def _confirmed(assistant, question: str, clause: str) -> None:
    """The claim answered 是, citing the clause that settles it."""
    a = assistant.ask(question)
    assert a.answer.startswith("是") and clause in _cited(a), question


def _refused_as(assistant, question: str, named: str) -> None:
    """The question refused, the answer's first line naming what is not covered."""
    a = assistant.ask(question)
    assert _refused(a) and named in a.answer.split("\n")[0], (question, a.answer)


def _refused_without_number(assistant, question: str, number: str) -> None:
    """The claim refused, and the user's number not repeated in the answer."""
    a = assistant.ask(question)
    assert _refused(a) and number not in a.answer, question


# -- plain topic questions are answered, in 问答 as in 城市对比 ---------------------------------------

@pytest.mark.parametrize("question", ["六安的项目怎么验收？", "六安验收"])
def test_a_plain_topic_question_is_answered_from_the_city_s_acceptance_clauses(assistant, question):
    a = assistant.ask(question)
    assert a.answerable
    assert _cited(a) & {"luan-2021/第十九条", "luan-2021/第二十条"}
    assert {c.doc_id for c in a.citations} == {"luan-2021"}


def test_a_two_city_topic_question_cites_both_cities(assistant):
    a = assistant.ask("六安和启东验收有什么不同")
    assert a.answerable and {c.doc_id for c in a.citations} == {"luan-2021", "qidong-2019"}


# -- the user's situation never decides a refusal -----------------------------------------------

def test_a_project_described_in_everyday_words_gets_its_lifecycle(assistant):
    a = assistant.ask("我们单位要建一个300万的视频监控平台，六安的，从头到尾要怎么弄？")
    assert a.answerable and {c.doc_id for c in a.citations} == {"luan-2021"}
    assert "300万元 ≥ 100万元" in a.answer and "监理" in a.answer  # the rule engine, on the user's number
    assert "luan-2021/第十六条" in _cited(a)


def test_the_first_step_of_a_described_project_is_the_filing_step(assistant):
    a = assistant.ask("乐山市某局准备建一个智慧停车管理系统，概算350万，第一步要做什么？")
    first = a.answer.splitlines()[0]
    assert first.startswith("第一步是申报（第十五条）")
    assert "350万元 ≤ 500万元" in a.answer  # what 350万 means for the approval documents
    assert {c.doc_id for c in a.citations} == {"leshan-2022"}


def test_whether_the_rules_apply_is_answered_from_the_scope_clauses(assistant):
    a = assistant.ask("乡镇自己出钱建的系统归启东这个办法管吗？")
    assert a.answerable and "qidong-2019/第二条" in _cited(a)
    assert "各镇（园区、街道）" in a.answer


# -- near-domain questions are refused, naming what is not covered -----------------------------

def test_a_fee_standard_the_rules_do_not_state_is_refused(assistant):
    a = assistant.ask("项目验收专家的评审费每人按多少钱标准发？")
    assert _refused(a) and "没有规定" in a.answer and "金额" in a.answer


def test_an_unknown_city_is_recognised_by_its_short_name(assistant):
    for question, place in (("蚌埠的政务信息化项目怎么申报？", "蚌埠"), ("怀远县的项目验收", "怀远县")):
        a = assistant.ask(question)
        assert _refused(a) and f"没有{place}的办法" in a.answer


@pytest.mark.parametrize("question, place", [
    ("杭州余杭区的电子政务项目，立项要经过哪几轮评审？", "余杭区"),  # a district beside 上城区, in its city
    ("安徽合肥的项目怎么申报", "合肥"),                            # jieba tags 合肥 n, not ns
    ("嘉兴的项目怎么立项", "嘉兴"),                                # ... and 嘉兴 nr
    ("南通海门区的电子政务项目建完多久内要初验？", "海门区"),       # a short form with its suffix
])
def test_another_place_within_a_covered_region_is_not_answered_from_the_region_s_city(assistant, question, place):
    a = assistant.ask(question)
    assert _refused(a) and f"没有{place}的办法" in a.answer


def test_a_brand_that_starts_like_a_city_is_not_a_place(assistant):
    assert assistant.analyzer.analyze("能不能用阿里云").unknown_places == ()
    # The region alone still stands for its city.
    assert assistant.analyzer.analyze("杭州的项目立项要经过哪几轮评审？").doc_ids == ("shangcheng-draft",)




@pytest.mark.parametrize("question, named", [
    ("开发商要不要交源代码？启东", "启东市的办法未涉及“源代码”"),        # only other cities regulate it
    ("等保和密评的费用从哪里出？乐山", "费用来源"),                       # the city says nothing of the funding
    ("启东的监理单位要求甲级资质还是乙级资质？", "乙级"),                 # alternatives the texts never name
    ("浙江省公共数据条例对数据共享是怎么规定的", "公共数据条例"),         # a provincial regulation, by name
    ("等保2.0里二级系统多久要做一次测评？", "等保2.0"),                   # a standard, by its version
    ("GB/T 22239对三级系统有什么要求", "GB/T 22239"),                     # ... or by its code
    ("乐山办法里说的《政务信息系统定义和范围》国家标准，标准号是多少？", "政务信息系统定义和范围"),
])
def test_what_the_texts_do_not_say_is_refused_naming_it(assistant, question, named):
    a = assistant.ask(question)
    assert _refused(a) and named in a.answer


# -- the sentence that answers -----------------------------------------------------------------

def test_a_heading_is_never_the_answer_the_list_under_it_is(assistant):
    for question in ("启东验收大纲规定的验收条件有哪些？", "启东项目验收需要什么条件？"):
        a = assistant.ask(question)
        assert "qidong-2019/附件4·四、验收条件" in _cited(a)
        assert "档案文件整理齐全" in a.answer and "经测试和试运行合格" in a.answer


def test_who_pays_is_answered_with_the_sentence_that_says_it(assistant):
    a = assistant.ask("六安的项目论证费用谁出？")
    assert a.answer.splitlines()[0] == "根据《六安市电子政务项目建设管理办法》第十二条：“项目论证费用纳入年度预算。”"


@pytest.mark.parametrize("question, verdict, quoted", [
    ("六安的系统试运行要满三个月才能申请验收吧？", "不是", "不低于1个月"),
    ("上城区是不是初验通过后至少要试运行30天？", "是", "不少于30天"),
    ("听说上城新建项目网络安全的预算要占到总投资的10%以上？", "不是", "不低于项目总投资的5%"),
])
def test_a_premise_gets_a_one_line_conclusion_from_the_text(assistant, question, verdict, quoted):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(f"{verdict}：") and quoted in first


# -- follow-ups ---------------------------------------------------------------------------------

def test_a_follow_up_asks_the_same_of_another_city(assistant):
    a = assistant.ask("那乐山呢？", history=["六安试运行多久？"])
    assert a.answerable and {c.doc_id for c in a.citations} == {"leshan-2022"}
    assert "3 个月" in a.answer and "承接上一问" in a.answer


def test_a_follow_up_keeps_the_city_and_the_stage(assistant):
    a = assistant.ask("要交哪些材料？", history=["上城区电子政务项目每年什么时候集中申报？"])
    assert a.answerable and {c.doc_id for c in a.citations} == {"shangcheng-draft"}
    assert "沿用上一问的城市（上城区）与环节（申报）" in a.answer


def test_cannot_make_it_in_time_is_read_as_the_texts_not_on_time(assistant):
    """申请不了, 赶不上: a negative potential complement; the texts write 不能按期 / 未按期."""
    a = assistant.ask("乐山的项目到时候申请不了验收咋办？")
    assert a.answerable and a.answer.startswith("根据《乐山市市级政务信息化项目管理办法》第三十一条第二款")
    assert "不能按期申请验收" in a.answer.splitlines()[0]
    b = assistant.ask("赶不上这个时间怎么处理？", history=["启东项目建完后多长时间内要做完初步验收？"])
    assert b.answerable and {c.doc_id for c in b.citations} == {"qidong-2019"}
    assert "延期验收申请" in b.answer


def test_without_history_the_same_follow_up_is_not_answered_as_if_it_had_one(assistant):
    assert not assistant.ask("那乐山呢？").answerable


def test_the_api_takes_the_conversation_history(assistant):
    client = TestClient(create_app(assistant))
    r = client.post("/api/ask", json={"question": "那乐山呢？", "history": [{"question": "六安试运行多久？"}]})
    assert r.status_code == 200
    body = r.json()
    assert body["answerable"] and {c["doc_id"] for c in body["citations"]} == {"leshan-2022"}
    bad = client.post("/api/ask", json={"question": "那乐山呢？", "history": [{"question": ""}]})
    assert bad.status_code == 422


def test_regassist_chat_carries_the_city_over(index_dir, assistant, monkeypatch):
    from conftest import CORPUS

    monkeypatch.setenv("REGASSIST_CORPUS", str(CORPUS))
    monkeypatch.setenv("REGASSIST_INDEX_DIR", str(index_dir))
    result = CliRunner().invoke(app, ["chat"], input="六安试运行多久？\n那乐山呢？\n退出\n")
    assert result.exit_code == 0, result.output
    luan, leshan = result.stdout.split("承接上一问")[0].rsplit("第三十一条", 1)[0], result.stdout
    assert "不低于1个月" in luan  # the first answer: 六安
    assert "第三十一条" in leshan and "3 个月" in leshan and "承接上一问（试运行），按乐山市作答" in leshan


def test_what_another_law_says_is_not_in_the_corpus(assistant):
    a = assistant.ask("个人信息保护法对政务系统有什么要求？")
    assert _refused(a) and "没有“个人信息保护法”的条文" in a.answer
    # Whether a city's 办法 send the reader to a law is theirs to say.
    b = assistant.ask("乐山采购要按招标投标法执行吗")
    assert b.answerable and "leshan-2022/第四十一条" in _cited(b)
    # Set before the ask, the document is still what is asked about.
    c = assistant.ask("按政府采购法，服务类项目达到多少金额必须公开招标？")
    assert _refused(c) and "没有“政府采购法”的条文" in c.answer
    d = assistant.ask("国家政务信息化项目建设管理办法里，中央部门的项目审批权限是怎么划分的？")
    assert _refused(d) and "国家政务信息化项目建设管理办法" in d.answer


def test_a_refusal_names_the_nearest_provisions_as_reading_not_as_the_answer(assistant):
    a = assistant.ask("六安这边项目论证请的专家，评审费一个人给多少钱？有标准吗")
    assert _refused(a) and "相关条款（未规定所问内容，仅供参考）" in a.answer and "第十二条" in a.answer


@pytest.mark.parametrize("question", ["启东申报表要填哪些内容？",
                                      # colloquial, and the article naming the form ranks above it
                                      "启东那个电子政务工程建设项目申报表上要填些啥？"])
def test_a_form_is_answered_by_its_fields(assistant, question):
    a = assistant.ask(question)
    assert "qidong-2019/附件1" in _cited(a)
    assert "项目性质（新建/续建/结转/维护/其他）" in a.answer and "<input" not in a.answer


def test_a_follow_up_with_a_number_asks_the_same_of_that_project(assistant):
    a = assistant.ask("如果是80万呢", history=["六安的项目多少钱以上要请监理？"])
    assert a.answer.startswith("不是。【计算】80万元 < 100万元")
    assert "luan-2021/第十六条" in _cited(a)
    # A bound carried with its number: "500万以下的呢" is the class below 500万, not a project of 500万.
    b = assistant.ask("500万以下的呢", history=["六安电子政务项目谁审批"])
    assert "【计算】500万元以下 即 < 500万元：由市数管局会同项目建设单位打捆编制项目建议书" in b.answer
    assert "≥ 500万元" not in b.answer


def test_who_pays_is_said_of_what_is_paid_for(assistant):
    # 六安 says who pays for 论证 (第十二条) and for testing (第十六条), not for 验收: another cost's
    # "费用纳入该项目预算" does not answer it. 上城 says it (第八章·第2段). A follow-up naming another
    # cost asks the previous ask (谁出) of it, not its amount.
    assert not assistant.ask("六安验收的费用谁出").answerable
    assert "shangcheng-draft/第八章·第2段" in _cited(assistant.ask("上城验收的费用谁出"))
    assert "luan-2021/第十二条" in _cited(assistant.ask("六安项目论证费用谁出"))
    later = assistant.ask("验收的费用呢？", history=["上城区项目论证费用谁出"])
    assert later.answerable and "由项目建设单位承担" in later.answer and "谁出" in later.answer


def test_a_question_asked_again_of_another_city_is_answered_from_the_paired_clause(assistant):
    # 启东 says 年度计划; 六安 says 每年7月底前…完成项目申报 — the comparison topic 申报时间 pairs
    # them, so "那六安呢" gets 六安 第九条, not a clause that shares the word 年度计划.
    later = assistant.ask("那六安呢？", history=["启东年度计划什么时候报"])
    assert later.citations[0].clause_id == "luan-2021/第九条" and "7月底前" in later.answer
    # A clause stating what is asked still governs: who organises 启东's 竣工验收 is 第十九条.
    who = assistant.ask("那启东呢？", history=["乐山市级政务信息化项目的竣工验收是哪个部门来组织？"])
    assert "qidong-2019/第十九条" in _cited(who)


def test_a_number_for_one_step_is_not_the_number_for_its_pair(assistant):
    # 上城's 初验 takes 专家3人（含）以上; its 验收 (终验) gives no number: "终验呢" is not answered with
    # the 初验's 3, as a wrong number is worse than none.
    first = assistant.ask("上城区项目初验要几个专家")
    assert first.answerable and "3人" in first.answer
    later = assistant.ask("终验呢？", history=["上城区项目初验要几个专家"])
    assert not later.answerable and "3人" not in later.answer.split("相关条款")[0]


def test_a_bounded_share_is_a_class_of_changes_the_rule_may_not_settle(assistant):
    from assistant.rules.facts import extract_facts

    assert extract_facts("资金核减超过10%").ratio_range == (10.0, float("inf"), False, False)
    assert extract_facts("资金核减不超过10%").ratio_range == (0.0, 10.0, True, True)
    assert extract_facts("资金核减10%").change_ratio == 10.0
    # Above 10% may be above or below 上城's 15%: it depends, and the answer says so.
    above = assistant.ask("上城区项目变更资金核减超过10%怎么办").answer
    assert "【计算】超过10% 跨越 ≤ 15%：取决于具体比例" in above and "10% ≤ 15%" not in above
    below = assistant.ask("上城区项目变更资金核减不超过10%怎么办").answer
    assert "【计算】10%以下 均 ≤ 15%：由项目建设单位实施变更内控流程" in below



def test_ask_and_compare_agree_on_what_the_texts_do_not_say(assistant):
    client = TestClient(create_app(assistant))
    question = "各地验收专家评审费标准是多少"
    asked = client.post("/api/ask", json={"question": question}).json()
    compared = client.post("/api/compare", json={"question": question}).json()
    assert not asked["answerable"] and compared["matched"] == "refused" and compared["rows"] == []
    assert compared["notes"][0] in asked["answer"]
    # A question 问答 answers is compared city by city, each from the clause 城市对比 curates.
    tried = client.post("/api/ask", json={"question": "几个地方对试运行的要求有啥不一样"}).json()
    assert {f'{c["doc_id"]}/{c["article"]}' for c in tried["citations"]} >= {
        "luan-2021/第十九条", "leshan-2022/第三十一条", "shangcheng-draft/第八章·第1段"}


def test_who_pays_with_no_city_named_answers_from_the_cities_that_say_it(assistant):
    a = assistant.ask("论证的钱谁出？")
    assert a.answer.splitlines()[0] == "【六安市】根据《六安市电子政务项目建设管理办法》第十二条：“项目论证费用纳入年度预算。”"
    assert {c.doc_id for c in a.citations} == {"luan-2021"}
    assert "乐山市、上城区、启东市的办法对此未作规定。" in a.answer


# -- premises checked against the number the text gives -----------------------------------------

@pytest.mark.parametrize("question, verdict, quoted", [
    ("乐山的系统投入运行三个月就要做自评价吧", "不是", "12 至 24 个月"),           # a range
    ("乐山自评价是投入运行后一年内做吧", "不是", "12 至 24 个月"),               # a deadline against a range
    ("乐山的自评价是投入运行两年内完成吧", "是", "12 至 24 个月"),                 # the range's own end
    ("乐山项目投入运行后12到24个月内要做自评价，是这样吗", "是", "12 至 24 个月"),  # a range against the range
    ("上城区初验邀请2个专家组成专家组可以吧", "不是", "专家3人（含）以上"),          # 个 against 人, a bound after （含）
    ("启东同一事项一年可以启动多次特殊申报吧", "不是", "每年只能启动一次"),          # 多次 against 一次
    ("上城区立项后一年内完成采购就可以吧", "不是", "6个月内未完成采购"),            # the sentence with the comparable number
    ("乐山的办法有效期是3年吧", "不是", "有效期 5 年"),                             # a document's own status
])
def test_a_premise_s_number_is_compared_with_the_text_s(assistant, question, verdict, quoted):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(f"{verdict}：") and quoted in first


def test_a_rule_s_verdict_is_not_flipped_by_a_negation_inside_the_proposed_action(assistant):
    # "可以不分…直接编实施方案" claims the merger is allowed: 不分 is the action, 可以 the claim.
    first = assistant.ask("乐山项目总投资300万，可以不分可研和初设直接编实施方案吗").answer.splitlines()[0]
    assert first.startswith("是")


# -- asks typed without punctuation, and what an ask names -------------------------------------

def test_a_question_typed_with_spaces_is_read_ask_by_ask(assistant):
    # The unit (医保局) and the project's story are the situation; "能立项吗" is the ask.
    a = assistant.ask("乐山医保局 一期还没验收 想报二期升级 能立项吗")
    assert a.answerable and "leshan-2022/第八条" in _cited(a)


def test_an_ask_naming_only_what_no_text_uses_is_refused(assistant):
    assert _refused(assistant.ask("乐山项目承建单位开发票 税点一般多少"))


def test_a_count_stated_for_another_stage_does_not_answer(assistant):
    # 上城 states 专家3人 for 初验, not for the 专家评审 of 立项.
    a = assistant.ask("上城区立项专家评审要请几个专家？")
    assert not a.answerable and "第八章·第1段" not in {c.article for c in a.citations}


def test_a_scope_question_is_answered_by_the_clause_naming_the_unit(assistant):
    a = assistant.ask("上城区的区属国企项目也按这个办法管吗")
    assert "shangcheng-draft/第十章·第3段" in _cited(a)
    assert "区属国企项目由区国资办统筹管理" in a.answer.splitlines()[0]


def test_each_city_s_own_provision_on_classified_projects_answers_whether_they_apply(assistant):
    # Scope is weighed by what the project is (涉密), and of two scope sentences that fit alike
    # the one that says nothing else leads; 涉密 reads 国家秘密 (启东 第三十一条).
    a = assistant.ask("涉密项目归上城、启东的办法管吗")
    assert {"shangcheng-draft/第十章·第4段", "qidong-2019/第三十一条"} <= _cited(a)


def test_what_to_do_asked_with_zha_is_the_ask_not_the_story(assistant):
    # "咋办" asks; the story before it (建完了, 初验还没做) is its context.
    a = assistant.ask("启东 系统半年前就建完了 初验到现在还没做 咋办")
    assert a.answerable and "qidong-2019/第二十条" in _cited(a)


def test_a_question_asking_several_things_quotes_the_part_for_each(assistant):
    a = assistant.ask("乐山绩效监控报告包括哪些内容？什么时候报？")
    first = a.answer.splitlines()[0]
    assert "每年年底前" in a.answer and "主要包括项目实施进度和资金计划执行情况" in a.answer
    assert first.startswith("根据《乐山市市级政务信息化项目管理办法》第四十五条")


def test_who_leads_is_answered_from_the_article_not_the_attachment_restating_it(assistant):
    a = assistant.ask("启东竣工验收谁牵头组织？")
    assert a.citations[0].article == "第十九条"


def test_what_a_form_named_by_the_text_holds_is_not_in_the_corpus(assistant):
    # 第十二条 names 《六安市电子政务项目审查论证记录表》; its columns are not in the corpus.
    a = assistant.ask("六安的审查论证记录表包括哪些栏目？")
    assert _refused(a) and "审查论证记录表" in a.answer
    # 启东's 申报表 is its 附件1: what it holds is answered.
    assert assistant.ask("启东申报表需要填写什么内容").answerable


@pytest.mark.parametrize("question, quoted", [
    ("六安的办法是不是只由市发改委一家解释？", "市数管局、市财政局、市发改委"),   # one party claimed, several named
    ("启东的竣工验收全部由项目建设单位自己组织吧？", "可委托项目建设单位"),        # every case claimed, an allowance stated
    ("六安的项目集中审查论证是市发改委牵头组织专家搞的，对吧？", "市数管局初审通过后，会同"),  # 会同: led by the first
    ("六安市县都用的跨层级系统，钱都是市里全出吧？", "资金分级承担"),               # one payer claimed, a share stated
])
def test_an_exclusive_or_universal_premise_is_corrected_by_the_text(assistant, question, quoted):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith("不是：") and quoted in first


def test_a_deadline_asked_is_answered_by_a_date_things_are_due_by(assistant):
    # 六安 第九条 "于每年7月底前…完成项目申报", not 第十二条's "每年7-8月份" of the review.
    a = assistant.ask("六安和启东每年申报项目截止到几月？")
    first = {}
    for c in a.citations:
        first.setdefault(c.doc_id, c.article)
    assert first == {"luan-2021": "第九条", "qidong-2019": "第七条"}


def test_a_day_asked_for_is_stated_only_by_a_day_of_the_month(assistant):
    # 上城区 "每月20日前…报送项目建设进度" states a day; 六安 第十二条's "每年7-8月份" does not.
    a = assistant.ask("上城区项目建设进度每个月几号之前要报给数据局？")
    assert a.answerable and "20日前" in a.answer.splitlines()[0]
    b = assistant.ask("六安的集中审查论证具体哪天开始？")
    assert not b.answerable and b.answer.startswith("六安市的办法没有规定集中审查论证的具体日期")
    assert "第十二条" in b.answer  # the nearest provision, as reading


def test_applying_for_a_stage_is_that_stage_not_the_declaration(assistant):
    # "申请验收" asks of 验收: 乐山 第三十一条's "经 3 个月试运行正常后，组织项目验收" answers it,
    # though it never says 申请.
    a = assistant.ask("那乐山呢？", history=["六安项目建完要试运行多久才能申请验收？"])
    assert a.answerable and _cited(a) == {"leshan-2022/第三十一条"} and "3 个月" in a.answer.splitlines()[0]


def test_a_grade_of_qualification_no_text_states_is_refused_and_having_one_is_answered(assistant):
    # The texts ask for 具备资质 / 具有信息工程监理相应资质 and never name a grade.
    a = assistant.ask("六安请监理公司，对方要几级资质？")
    assert not a.answerable and a.answer.startswith("六安市的办法没有规定监理公司的资质等级")
    b = assistant.ask("乐山委托第三方咨询评估机构做评估，是不是非得甲级资质？")
    assert not b.answerable and "资质等级" in b.answer.splitlines()[0]
    c = assistant.ask("启东项目监理得找有信息工程监理资质的单位吧？")
    assert c.answerable and c.answer.startswith("是") and "qidong-2019/第十三条" in _cited(c)


def test_which_firm_to_use_is_refused_in_the_city_carried_over(assistant):
    # "比较好" is "rather good", not a comparison: the follow-up keeps 上城区, and no 办法 names a firm.
    a = assistant.ask("等保测评找哪家机构比较好？", history=["上城区项目要做等保测评吗？"])
    assert not a.answerable and a.answer.startswith("上城区的办法没有指定由哪家机构或厂商承担等保测评")
    assert "沿用上一问的城市（上城区）" in a.answer and "《乐山" not in a.answer  # related reading: 上城区 only
    b = assistant.ask("比较一下乐山和六安的绩效评价")
    assert {c.doc_id for c in b.citations} == {"leshan-2022", "luan-2021"}


def test_a_verb_and_its_object_is_an_act_the_text_words_otherwise(assistant):
    # 承担责任 (one set phrase to jieba) is 承担 + 责任: 启东 第三十条 "应当承担相应的责任".
    a = assistant.ask("启东项目哪些情况要承担责任？")
    assert a.answerable and "qidong-2019/第三十条" in _cited(a)


def test_a_share_of_the_investment_no_text_states_is_refused(assistant):
    a = assistant.ask("启东项目的监理费占总投资多少？")
    assert not a.answerable and a.answer.startswith("启东市的办法没有规定监理") and "比例" in a.answer.splitlines()[0]


def test_a_negation_about_another_act_does_not_deny_the_claim(assistant):
    # 乐山 第四十四条 "…配合做好绩效评价、审计等监督管理工作，…，不得拒绝、隐匿…": the 不得 is
    # about refusing to cooperate, not about 绩效评价.
    first = assistant.ask("乐山的项目要不要做绩效评价？").answer.splitlines()[0]
    assert first.startswith("是") and not first.startswith("是不")


def test_everyday_asks_of_when_who_and_what_to_do(assistant):
    # When the 办法 itself took effect is the document's record, not a clause with a date in it.
    a = assistant.ask("六安的办法啥时候开始执行的？")
    assert a.answer.startswith("《六安市电子政务项目建设管理办法》") and "2021年8月6日" in a.answer.splitlines()[0]
    # "谁出意见" asks who issues it, not who pays.
    b = assistant.ask("乐山项目验收合格后谁出意见？")
    assert b.answerable and "由市数字经济局出具项目验收意见" in b.answer
    # "干嘛" asks what to do; a section's own heading line is not quoted as if it answered.
    c = assistant.ask("启东项目完工后半年内要干嘛？")
    assert c.answerable and "“一、验收时限" not in c.answer and "初步验收" in c.answer.splitlines()[0]


def test_a_time_limit_is_stated_only_where_the_sentence_says_it_of_what_is_asked(assistant):
    # 启东 附件4 "建设完成半年内，…完成初步验收工作，并向项目审批部门提交…": the 半年 is not how
    # long an approved extension lasts, and 项目审批部门 is a body, not the 立项 stage.
    a = assistant.ask("启东申请延期验收，审批部门批了之后最长能延几个月？")
    assert not a.answerable and "期限" in a.answer.splitlines()[0]
    b = assistant.ask("乐山系统用起来以后多久要搞自评价")
    assert b.answerable and "12 至 24 个月" in b.answer.splitlines()[0]


def test_a_fee_is_stated_only_by_what_something_costs(assistant):
    # "监理费呢" after the 监理 threshold asks the fee; "投资预算达到100万元" is no fee.
    a = assistant.ask("监理费呢？", history=["六安项目多少钱以上要请监理？"])
    assert not a.answerable and a.answer.startswith("六安市的办法没有规定监理的收费或金额标准")
    b = assistant.ask("专家费怎么算？", history=["上城区项目初验要几个专家？"])
    assert not b.answerable and b.answer.startswith("上城区的办法没有规定验收专家的收费或金额标准")
    # "不管多少钱都得请监理" asks no price: the threshold answers it.
    c = assistant.ask("听说六安不管多少钱的项目都得请监理，是吧？")
    assert c.answerable and "100万元" in c.answer.splitlines()[0]


def test_whether_a_project_goes_by_this_banfa_is_read_from_the_scope(assistant):
    a = assistant.ask("乐山的区县项目要走这个办法吗？")
    assert a.answerable and "leshan-2022/第五十五条" in _cited(a)


@pytest.mark.parametrize("question, first", [
    ("乐山的办法2027年以后还有效吗？", "不是："),   # 有效期至2027年6月24日
    ("乐山的办法2026年还有效吗", "是："),
    ("上城区的办法已经正式实施了吧？", "不是："),   # 征求意见稿
    ("启东的办法已经失效了吧", "不是："),           # 暂行, no end date
    ("六安试运行半个月就可以申请验收了吧？", "不是："),  # 半个月 < 不低于1个月
])
def test_claims_about_a_document_s_force_and_half_a_month_get_their_conclusion(assistant, question, first):
    assert assistant.ask(question).answer.startswith(first)


def test_who_a_claim_says_does_it_in_everyday_words_is_checked_against_the_rule(assistant):
    # "是数管局打捆编" names who: for 500万以上 the rule says 项目建设单位 编制, so 不是; for 300万, 是.
    assert assistant.ask("六安500万以上的项目是数管局打捆编建议书吧？").answer.startswith("不是")
    assert assistant.ask("六安300万的项目是数管局打捆编建议书吧？").answer.startswith("是")


def test_by_whom_is_stated_by_the_agent_however_far_its_verb(assistant):
    # "项目初验由项目建设单位在项目建设完成后，邀请…" says who does the 初验, not 区数据资源局's 验收.
    assert assistant.ask("上城区项目初验是区数据资源局组织的吧？").answer.startswith("不是")
    assert "项目初验由项目建设单位" in assistant.ask("上城区初验谁组织？").answer.splitlines()[0]


@pytest.mark.parametrize("question", ["上城区会议室大屏项目要按这个办法申报吗？", "上城区街道的项目算区本级的吗？"])
def test_whether_a_project_falls_under_the_banfa_is_answered_from_its_scope(assistant, question):
    # The project's own words (会议室, 街道) do not refuse it: 上城区's scope clause answers.
    a = assistant.ask(question)
    assert a.answerable and "shangcheng-draft/第一章·第2段" in _cited(a)


def test_a_lifecycle_answer_opens_with_the_stages_not_a_title(assistant):
    first = assistant.ask("六安项目从申报到验收要走哪些步骤？").answer.splitlines()[0]
    assert first.startswith("六安市的项目依次经过：申报 → 审查 → 立项") and "《" not in first


def test_a_follow_up_on_the_other_side_of_an_amount_line_is_asked_of_that_side(assistant):
    # "500万以下…打捆报？" then "那超过500万的呢": the question carried is about 超过500万, and no
    # verdict is drawn from the sentence about the other side of the line.
    a = assistant.ask("那超过500万的呢", history=["六安500万以下的项目是不是数管局打捆报？"])
    assert "luan-2021/第九条" in _cited(a)
    assert not a.answer.startswith(("是", "不是"))
    b = assistant.ask("那300万的呢", history=["乐山600万的项目可研和初设能合并吗"])
    assert b.answer.startswith("是") and "300万元 ≤ 500万元" in b.answer.splitlines()[0]


def test_a_lower_bound_in_words_is_read_as_one(assistant):
    # 不少于30天 is a lower bound: "至少30天" agrees with it.
    first = assistant.ask("上城区初验通过后至少要试运行30天吧").answer.splitlines()[0]
    assert first.startswith("是：") and "不少于30天" in first


def test_a_claim_about_a_documents_validity_is_answered_first(assistant):
    a = assistant.ask("乐山这个政务信息化项目管理办法是长期有效的，没规定期限吧？")
    assert a.answer.startswith("不是：") and "有效期 5 年" in a.answer.split("\n")[0]
    assert "leshan-2022/第五十七条" in _cited(a)
    assert unbacked_numbers(a, assistant.corpus.catalog) == []  # 2027年6月24日 is the catalog's date


def test_how_long_the_document_itself_lasts_is_its_validity_not_a_period_it_sets(assistant):
    a = assistant.ask("乐山这个办法能管几年啊")
    assert a.answerable and "有效期至2027年6月24日" in a.answer.split("\n")[0]
    assert "leshan-2022/第五十七条" in _cited(a)
    b = assistant.ask("六安办法规定试运行多久")  # a period the document sets
    assert "1个月" in b.answer.split("\n")[0] and "luan-2021/第十九条" in _cited(b)


def test_each_city_of_a_comparison_is_read_in_its_own_words(assistant):
    # 上城's 第九章 says 下架 for data not shared; 乐山 says 不予审批: a word one city never uses
    # does not sink the other's clause.
    a = assistant.ask("数据不按要求共享会被怎么处理？乐山和上城分别是怎么规定的")
    assert {"leshan-2022/第三十三条", "shangcheng-draft/第九章·第6段"} <= _cited(a)


def test_a_follow_up_naming_another_kind_of_project_keeps_the_stage(assistant):
    # 运维项目 is a kind of project, not the 运维 stage: the 申报 of the question before carries.
    a = assistant.ask("那运维项目要交啥", history=["启东新建项目申报要交什么表？"])
    assert "qidong-2019/第七条" in _cited(a) and "项目状况说明书和预算清单" in a.answer


def test_how_often_is_looked_for_as_a_period_not_a_duration(assistant):
    # 上城 第七章·第8段 "每月20日前…报送项目建设进度": a period; 多久 must not send the search to durations.
    a = assistant.ask("上城区项目进度多长时间报一次")
    assert "shangcheng-draft/第七章·第8段" in _cited(a) and "每月20日前" in a.answer


def test_what_follows_a_breach_is_answered_by_the_clause_that_states_a_sanction(assistant):
    # 乐山 第十一条 states the duty to share; 第三十三条 what follows when data is not shared.
    a = assistant.ask("乐山系统数据不共享出来会有啥后果")
    assert a.citations[0].article == "第三十三条"


def test_an_ask_naming_only_unknown_things_is_not_carried_by_its_story(assistant):
    # "佣金怎么结" names something (佣金) no text uses: the platform the story names does not answer it.
    answer = assistant.ask("上城区 一体化智能化公共数据平台 佣金怎么结")
    assert _refused(answer) and "佣金" in answer.answer


def test_a_compound_is_named_by_its_head_not_by_its_modifier(assistant):
    # 审计费 is a fee: that the texts speak of 审计 does not make them speak of it.
    answer = assistant.ask("启东 电子政务项目 审计费怎么收")
    assert _refused(answer) and "审计费" in answer.answer


def test_whether_something_never_named_is_allowed_gets_no_yes_from_a_list_that_names_its_kind(assistant):
    # 附件4 lists "设备和软件技术说明书": that is no permission to use pirated software; nor is
    # 第十一条's "必须使用正版软件" a yes by its 必须 — it is quoted for the reader to judge.
    answer = assistant.ask("启东做项目 软件能不能用盗版的")
    assert not answer.answer.startswith(("是", "不是"))
    assert "正版软件" in answer.answer.split("\n", 1)[0]


def test_a_figure_asked_about_is_answered_by_the_clauses_that_state_it(assistant):
    # "100万这个数是管什么的": the question is about the figure; the clause stating it says what it governs.
    answer = assistant.ask("六安的100万这个数是管什么的？")
    assert answer.answerable and "luan-2021/第十六条" in _cited(answer) and "100万元" in answer.answer
    # ... in 问答 and in 城市对比 alike, each city from its own clause with the figure.
    client = TestClient(create_app(assistant))
    compared = client.post("/api/compare", json={"question": "六安和乐山在500万这条线上各有什么说法"}).json()
    cells = {c["doc_id"]: c for c in compared["rows"][0]["cells"]}
    assert compared["matched"] == "question"
    assert all("500万元" in c["clauses"][0]["text"] for c in cells.values())
    asked = client.post("/api/ask", json={"question": "六安和乐山在500万这条线上各有什么说法"}).json()
    assert {c["doc_id"] for c in asked["citations"]} == {"luan-2021", "leshan-2022"}


@pytest.mark.parametrize("question, clause, first_line", [
    # "现在该提前做些什么" names nothing of its own: the story (维保到期, 运维费) is what it asks about.
    ("乐山市的一个业务系统维保年底到期，以后要自己出运维费，我们现在该提前做些什么？", "leshan-2022/第三十七条",
     "上一年度应将运维方案报市数字经济局审核"),
    # 报 is a word of its own ("按年度报市数管局备案"), not a stopword.
    ("六安运维情况要报给谁？", "luan-2021/第二十一条", "报市数管局备案"),
    # "立项文件有效期两年" speaks of 立项: a duration asked of 立项 is stated there.
    ("上城区立项以后多久有效？", "shangcheng-draft/第六章·第3段", "有效期两年"),
], ids=["what-to-do-asks-its-story", "report-to-whom", "stage-opens-a-compound"])
def test_the_governing_clause_leads_and_its_first_line_answers(assistant, question, clause, first_line):
    answer = assistant.ask(question)
    assert answer.answerable and answer.citations[0].clause_id == clause
    assert first_line in answer.answer.split("\n", 1)[0]


def test_the_rule_engine_reads_the_question_in_the_texts_words(assistant):
    # "报给谁批" is 审批 in the texts: 600万 reaches 第九条's 500万 threshold.
    answer = assistant.ask("六安的项目，预算600万，材料报给谁批？")
    first = answer.answer.split("\n", 1)[0]
    assert first.startswith("【计算】600万元 ≥ 500万元") and "市发改委审批" in first


def test_a_handled_question_is_not_a_question_of_sanctions(assistant):
    # "涉密的项目怎么处理" asks how they are handled: the clause sending them to the secrecy rules,
    # not a sanctions clause; "挪用资金会怎么处理" does ask for the sanction.
    handled = assistant.ask("涉密的项目，上城是怎么处理的？")
    assert handled.citations[0].clause_id == "shangcheng-draft/第十章·第4段"
    sanctioned = assistant.ask("乐山挪用项目资金会怎么处理？")
    assert sanctioned.citations[0].clause_id == "leshan-2022/第四十八条" and "予以查处" in sanctioned.answer


def test_another_document_by_its_title_is_refused_and_an_abbreviated_corpus_title_is_not(assistant):
    other = assistant.ask("启东政务信息资源共享管理办法里，共享数据要求多久更新一次？")
    assert _refused(other) and "政务信息资源共享管理办法" in other.answer
    own = assistant.ask("六安的电子政务管理办法里对验收怎么规定的")
    assert own.answerable and "luan-2021/第十九条" in _cited(own)


def test_words_offered_as_alternatives_are_one_term(assistant):
    # "评估或者评价": 启东 says 评估, 乐山 评价 — either carries the question.
    assert assistant.tokenizer.alternatives("在哪个系统或者平台上填报") == [("系统", "平台")]
    answer = assistant.ask("乐山和启东，项目运行以后的评估或者评价是怎么做的？")
    assert {"leshan-2022/第四十六条", "qidong-2019/第二十七条"} <= _cited(answer)


def test_the_stages_between_two_a_question_names_are_answered_by_their_clauses(assistant):
    # "建完到验收要走哪些步骤": 建设 to 验收 in the checklist's order, each stage by its clauses.
    answer = assistant.ask("乐山的项目建完到验收要走哪些步骤？")
    assert {"leshan-2022/第二十六条", "leshan-2022/第三十一条"} <= _cited(answer)
    # A duration between two stages is not a list of steps.
    assert not assistant.ask("六安从立项到验收要多久？").answerable


@pytest.mark.parametrize("question, cited", [
    # A county below the city: the level the 办法 govern (市本级) and what the counties do.
    ("我是霍邱县教体局的，县财政出钱做的信息化项目，也按六安市这个电子政务项目建设管理办法走吗？",
     {"luan-2021/第三条", "luan-2021/第二十七条"}),
    # "能不能直接套…那个办法" asks whether it applies; 县级的 峨眉山 is answered by 参照本办法.
    ("峨眉山市是县级的，我们局的信息化项目能不能直接套乐山市级那个办法，还是要另外定？", {"leshan-2022/第五十五条"}),
    # Buying a service: the article that says projects come by building or buying.
    ("乐山这边，我们不自己建，准备直接向公司购买服务，这也算政务信息化项目、要走这个办法吗？", {"leshan-2022/第三条"}),
], ids=["county", "county-level-city", "bought-service"])
def test_whether_the_rules_apply_below_the_city_or_to_a_bought_service(assistant, question, cited):
    answer = assistant.ask(question)
    assert answer.answerable and cited <= _cited(answer)
    assert "luan-2021/第二十四条" not in _cited(answer)  # 资金支付按照…执行 says nothing of scope


@pytest.mark.parametrize("question, quoted", [
    # The body claimed against the subject of the sentence on the act.
    ("六安的电子政务专家组是发改委组建和管理的吧？", "市数管局建立和管理市电子政务专家组"),
    # A claim about the document, read without its title.
    ("乐山这个市级政务信息化项目管理办法有效期是3年，我没记错吧", "有效期 5 年"),
], ids=["who-acts", "document-validity"])
def test_a_wrong_premise_is_corrected_in_the_first_line(assistant, question, quoted):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith("不是：") and quoted in first


def test_everyday_words_and_a_potential_complement_name_no_topic(assistant):
    # 大家 is who uses it, not what is asked: 第二十条 answers.
    answer = assistant.ask("六安这边系统还没验收，能不能先上线让大家用着？")
    assert answer.answerable and "luan-2021/第二十条" in _cited(answer)
    assert not assistant.tokenizer.names_a_thing("行得通") and not assistant.tokenizer.names_a_thing("大家")
    assert assistant.tokenizer.names_a_thing("增值税") and assistant.tokenizer.names_a_thing("护照")


def test_a_form_s_rows_answer_only_a_question_about_the_form(assistant):
    # "其中" is also a row of 启东's 申报表 (其中申请 财政拨款): the form is not an answer to this.
    answer = assistant.ask("启东电子政务项目的事后评估，其中是谁来做的？")
    assert "qidong-2019/附件1" not in _cited(answer)
    assert "qidong-2019/附件1" in _cited(assistant.ask("启东的项目申报表要填哪些内容？"))


@pytest.mark.parametrize("ask, asked", [
    ("多少钱以上必须请监理", "threshold"),      # an amount as a line, not a price
    ("要是项目没批就先开干了，会受什么处理", "consequence"),
    ("项目里要是有新建土建工程的，还是得做，对吧", "whether"),  # 还是得: "still has to", no choice
    ("要甲级资质还是乙级", "choice"),
    ("没验收就先用起来会咋样", "consequence"),
    ("拖了半年，上面会怎么处理我们", "consequence"),
    ("涉密的系统怎么处理", "steps"),               # how it is handled, not what follows
    ("要优先买国产的，对不对", "whether"),
    ("申报之前除了可研还得准备什么别的材料", "materials"),  # 之前 is when, the ask is what
    ("这个要在立项之前", "date"),
    ("监理费按什么费率收取", "rate"),
])
def test_what_an_ask_asks_for(ask, asked):
    from assistant.answers.request import understand

    assert [a.value for a in understand(ask).asked][-1] == asked


def test_asks_listed_with_a_dunhao_are_asks_of_their_own():
    from assistant.answers.request import understand

    listed = understand("我们最晚啥时候报、要填哪些表？")
    assert listed.asks == ("我们最晚啥时候报", "要填哪些表") and listed.asked[0].value == "date"
    # Items listed under one ask stay one ask.
    assert len(understand("初验、试运行、正式验收分别怎么搞").asks) == 1


def test_a_wide_comparison_cites_a_runner_up_where_the_ranker_is_unsure(assistant):
    # Three cities: each city's first clause, and beside it a runner-up the ranker cannot tell
    # from it, for at most WIDE_RUNNER_UPS cities.
    from assistant.answers.extractive import WIDE_RUNNER_UPS

    answer = assistant.ask("涉密的系统，乐山、上城、启东的办法是怎么处理的？")
    cited = _cited(answer)
    assert {"leshan-2022/第五十四条", "shangcheng-draft/第十章·第4段", "qidong-2019/第三十一条"} <= cited
    assert {c.doc_id for c in answer.citations} == {"leshan-2022", "shangcheng-draft", "qidong-2019"}
    assert len(answer.citations) <= 3 + WIDE_RUNNER_UPS


def test_a_claim_of_no_consequence_is_denied_by_a_sanction_whose_condition_the_project_meets(assistant):
    # One year of use is under 不满两年: the sanction applies, so "没啥事吧" is answered 不是.
    inside = assistant.ask("上城区的应用建成才用了一年就停用了，没啥事吧？").answer.splitlines()[0]
    assert inside.startswith("不是：") and "不满两年而停用" in inside
    # Three years is outside that condition: the clause is quoted, no verdict is made up.
    outside = assistant.ask("上城区的应用用了三年以后停用，应该没啥影响吧？").answer.splitlines()[0]
    assert not outside.startswith(("是：", "不是：")) and "不满两年而停用" in outside


def test_a_conjunction_is_no_negation_of_a_claim():
    from assistant.answers.verdict import claim_negated

    assert not claim_negated("不过项目里要是有新建土建工程的，还是得做，对吧")
    assert claim_negated("一般不用做节能评估了吧")


def test_an_unused_word_raises_the_bar_by_how_specific_it_is(assistant):
    from assistant.search.tokenizer import specificity

    # 大家 is everyday speech, 分数 half specific, 评审费 wholly (jieba's general counts).
    assert specificity("大家") == 0.0 and 0.2 < specificity("分数") < 0.8 and specificity("评审费") == 1.0
    # 分数 (the texts say 低绩) does not stop the clause on low performance from answering ...
    answer = assistant.ask("上城区绩效评价分数低的应用会怎么处理？")
    assert answer.answerable and answer.citations[0].clause_id == "shangcheng-draft/第九章·第3段"
    # ... while a fee the texts never state is still refused.
    assert not assistant.ask("六安验收专家评审费每人多少钱？").answerable


@pytest.mark.parametrize("question, first_line, quoted", [
    # A confirmation asked for ("我说的没问题吧"): its 没 negates nothing.
    ("六安市本级电子政务项目要在每年7月底前完成申报，我说的没问题吧", "是：", "于每年7月底前"),
    # How often: "三年测一次" against "每年开展一次"; the count of times alone (一次) agrees.
    ("上城区三级等保的系统三年测一次就行吧？", "不是：", "每年开展一次等保测评"),
    ("上城区等保三级的系统每年要做一次等保测评，是吧", "是：", "每年开展一次等保测评"),
    # A day of the month in speech (25号) against the text's (20日).
    ("上城在建项目每月25号前报进度就可以吧", "不是：", "每月20日前"),
    # A duty after ；: its subject is named in the sentence's first piece (市密码管理局).
    ("六安的信创适配是市数管局在管吧？", "不是：", "信创适配监督管理工作"),
    # Two claims joined by 而且: each settled by its own sentence; one wrong makes the answer 不是.
    ("乐山项目验收前承建方要移交源代码，而且知识产权原则上归项目单位，对不对？", "是：", "移交合格的项目技术文档"),
    ("乐山项目验收前承建方要移交源代码，而且知识产权归承建方所有，对不对？", "不是：", "归项目单位所有"),
], ids=["confirmation-tag", "every-n-years", "every-year", "day-of-month", "subject-after-semicolon",
        "two-claims-hold", "one-of-two-claims-wrong"])
def test_a_premise_is_read_as_users_state_it(assistant, question, first_line, quoted):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(first_line) and quoted in first


def test_claims_joined_by_a_conjunction_are_claims_of_their_own():
    from assistant.answers.verdict import claim_parts

    assert claim_parts("必须用正版软件，而且要优先买国产的，对不对？") == ["必须用正版软件吧？", "要优先买国产的，对不对？"]
    assert claim_parts("试运行要满一个月吧？") == ["试运行要满一个月吧？"]


@pytest.mark.parametrize("question, cited", [
    # What follows using a project before acceptance: the sanction clause, not the acceptance outline.
    ("启东的项目没验收就投入使用了会怎样", "qidong-2019/第二十一条"),
    ("乐山的项目没通过验收就上线用了，会被怎么处理", "leshan-2022/第三十二条"),
    # A figure in the story (不到两年) is a fact about the project, not the thing asked about.
    ("上城区我们有个应用用了一年多就不用了，单位会有什么后果", "shangcheng-draft/第十章·第1段"),
], ids=["qidong-unaccepted", "leshan-unaccepted", "figure-in-the-story"])
def test_what_follows_is_answered_by_a_sanction(assistant, question, cited):
    answer = assistant.ask(question)
    assert answer.answerable and answer.citations[0].clause_id == cited


def test_an_article_of_another_document_is_refused_not_looked_up_in_the_cities(assistant):
    answer = assistant.ask("《政府采购法实施条例》第二十九条是怎么规定的")
    assert not answer.answerable and "政府采购法实施条例" in answer.answer
    # A city's own article is still looked up.
    assert _cited(assistant.ask("六安办法第十五条")) == {"luan-2021/第十五条"}


def test_a_yes_no_question_put_two_ways_is_answered_by_the_way_the_text_speaks_of(assistant):
    # 服务器 of one's own is not a word of 六安's text; 政务云 is, and 第七条 answers both ways.
    answer = assistant.ask("六安我们的业务系统能放在单位自己的服务器上吗，不部署到政务云可以吗")
    assert answer.answerable and answer.citations[0].clause_id == "luan-2021/第七条"
    assert not assistant.ask("启东开发商要不要交源代码").answerable


def test_a_comparison_names_its_topic_whatever_time_it_is_asked_of(assistant):
    # "验收之后的绩效评价": the topic is 绩效评价 (each city's curated clauses), not 验收.
    cited = _cited(assistant.ask("六安和上城项目验收之后的绩效评价各自怎么做？"))
    assert {"luan-2021/第二十三条", "shangcheng-draft/第九章·第1段"} <= cited
    assert "luan-2021/第五条" not in cited


def test_the_same_relation_in_speech_and_in_the_texts_makes_one_run():
    from assistant.search.matching import run_form

    assert run_form("专家评审会之前") == run_form("专家评审会前") and run_form("建成以后") == "建成后"


def test_materials_asked_before_a_stage_are_answered_by_the_clause_listing_them(assistant):
    answer = assistant.ask("上城区我们有个应用要推到各个街道社区去用，申报之前除了可研还得准备什么材料？")
    assert answer.citations[0].clause_id == "shangcheng-draft/第五章·项目申报·第3段" and "调研报告" in answer.answer


def test_a_spoken_act_on_what_the_texts_name_is_theirs_to_answer(assistant):
    # 签合同 is speech for 签订合同: an act on 合同, which the texts name — not an unknown thing.
    t = assistant.tokenizer
    assert t.acted_on("签合同") == "合同" and t.acted_on("办手续") == "手续"
    assert t.acted_on("评审专家") is None and t.acted_on("护照") is None
    answer = assistant.ask("六安签合同的时候，对数据有什么要求")
    assert answer.answerable and answer.citations[0].clause_id == "luan-2021/第十七条"


def test_every_review_between_filing_and_approval_is_quoted(assistant):
    # 上城's reviews: 合规性审查, 初审, 专家评审, 复核审查 — then the 联席会议 approves.
    cited = _cited(assistant.ask("上城区项目报上去以后到批下来立项，要经过几道审查？"))
    assert {"shangcheng-draft/第五章·项目申报·第4段", "shangcheng-draft/第五章·项目初审·第1段",
            "shangcheng-draft/第五章·专家评审·第1段", "shangcheng-draft/第五章·复核审查·第1段",
            "shangcheng-draft/第五章·项目立项·第1段"} <= cited


def test_a_follow_up_asking_more_of_the_previous_answer_is_answered_from_its_clause(assistant):
    # "具体指哪三张" asks more of what the previous answer cited (第十七条's 数据“三清单”).
    history = ["六安电子政务项目签合同时对数据有啥要求？"]
    assert "luan-2021/第十七条" in _cited(assistant.ask(history[0]))
    answer = assistant.ask("三张清单具体指哪三张？", history=history)
    assert answer.citations[0].clause_id == "luan-2021/第十七条" and "数据负面清单" in answer.answer


@pytest.mark.parametrize("question, first_line", [
    # The rule for 300万 has 市数管局 lead (会同 the unit): "我们单位自己编" is another body.
    ("六安一个300万的项目，建议书由我们单位自己编好直接报发改委审批，对吧？", "不是。"),
    ("六安一个800万的项目，建议书由我们单位自己编好报市发改委审批，对吧？", "是。"),
    # An item is read with its lead-in (合同中应当明确…：4.…维保期一般不少于2年).
    ("上城区项目合同里维保期写一年就行了吧", "不是："),
    # "不超过500万" is at most 500万, not above it.
    ("乐山这边总投资不超过500万的自建项目，可研和初设能合成一个实施方案报吧？", "是。"),
], ids=["own-unit-vs-rule", "own-unit-per-rule", "item-with-lead-in", "negated-bound"])
def test_a_premise_is_checked_against_the_rule_and_the_item_that_settle_it(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


def test_a_negated_bound_reads_the_other_way():
    from assistant.rules.facts import extract_facts

    assert extract_facts("总投资不超过500万的项目").amount_range == (0.0, 500.0, True, True)
    assert extract_facts("投资不低于100万的项目").amount_range == (100.0, float("inf"), True, False)
    assert extract_facts("超过500万的").amount_range == (500.0, float("inf"), False, False)


def test_the_same_year_in_speech_is_the_texts_year(assistant):
    # 当年 is how users say 年内 / 当年度.
    first = assistant.ask("启东复核没过，当年还能不能再申请复核？").answer.splitlines()[0]
    assert first.startswith("不是：") and "年内不再复核" in first


def test_a_spoken_verb_with_diao_is_matched_by_the_texts_verb(assistant):
    # 撤掉 is what the texts call 撤销; 停掉, 停用 — the texts' verbs beginning with the same character.
    assert "撤销" in assistant.analyzer.spoken_verb("撤") and "停用" in assistant.analyzer.spoken_verb("停")
    assert assistant.analyzer.spoken_verb("关") == ()  # 关于, 关键 are no verbs
    answer = assistant.ask("上城项目不想做了要撤掉，得走啥手续？")
    assert answer.answerable and answer.citations[0].clause_id == "shangcheng-draft/第七章·第11段"


def test_a_document_the_texts_mention_or_a_parent_city_s_own_rules_are_refused_by_name(assistant):
    # A law the 办法 cite is not their text: refused, named as the user wrote it.
    answer = assistant.ask("六安办法里提到的《安徽省大数据发展条例》，对不按规定共享数据的单位有什么具体处罚？")
    assert not answer.answerable and "“安徽省大数据发展条例”" in answer.answer
    # The parent city at its own level, with a corpus city named beside it.
    answer = assistant.ask("启东上面南通市本级的电子政务项目管理办法，年度项目申报截止时间是哪一天？")
    assert not answer.answerable and "南通市本级" in answer.answer
    # Naming the parent city as where the city lies does not refuse.
    assert assistant.ask("启东属于南通市，启东的项目几月底前报年度计划？").answerable


def test_each_ask_of_a_question_asking_several_things_gets_its_provision(assistant):
    # Materials for acceptance (第十九条) and whether it may be used before (第二十条).
    cited = _cited(assistant.ask("六安的项目建完了，验收要交哪些材料？没验收之前能先用吗？"))
    assert {"luan-2021/第十九条", "luan-2021/第二十条"} <= cited


@pytest.mark.parametrize("question, first_line", [
    ("乐山的项目绩效监控报告每年年底前交给审计局就行了吧", "不是："),
    ("乐山的项目绩效监控报告每年年底前交给发改委、财政局和数字经济局吧", "是："),   # abbreviations of the bodies
    ("上城区项目建设进度每月20日前报给区财政局，是吧", "不是："),                 # the right date, the wrong body
    ("上城区项目建设进度每月20日前报给数据局，是吧", "是："),
    ("乐山项目验收前，承建方要把源代码交给市数字经济局，对吧", "不是："),
], ids=["wrong-body", "bodies-abbreviated", "right-date-wrong-body", "right-date-right-body", "not-the-unit"])
def test_whom_a_claim_sends_a_thing_to_is_checked_against_the_text(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


@pytest.mark.parametrize("question, first_line, quoted", [
    # "真的假的" asks whether a reported claim holds.
    ("听说六安的项目试运行要满3个月才能申请验收，真的假的", "不是：", "不低于1个月"),
    # A claim about two cities holds only if it holds for each: 乐山 says 3 个月.
    ("乐山跟六安一样，试运行都是1个月吧", "不是：", "3 个月试运行"),
], ids=["reported-claim", "two-cities"])
def test_a_reported_or_a_two_city_claim_gets_its_conclusion(assistant, question, first_line, quoted):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(first_line) and quoted in first


def test_a_permission_is_settled_by_a_sentence_on_that_act(assistant):
    # "先用着" is 投入运行: 启东 第二十一条 says 不得投入运行 — that sentence answers, not an item of the outline.
    first = assistant.ask("启东的系统没通过验收，能先用着吗").answer.splitlines()[0]
    assert first.startswith("不是：") and "不得投入运行" in first
    # 乐山 第三十二条 attaches other consequences (no 运维经费), never says it may not be used: no verdict made up.
    first = assistant.ask("乐山的项目还没验收，可以先用吗").answer.splitlines()[0]
    assert not first.startswith(("是：", "不是：")) and "不安排该项目运行维护经费" in first


@pytest.mark.parametrize("question, first_line", [
    ("乐山的政务信息化项目由市财政局审批，对吧", "不是："),
    ("六安的项目建议书由市发改委审批吧", "是："),      # "…报市发改委审批": the body before the duty
    ("六安的项目建议书由市数管局审批吧", "不是："),
], ids=["wrong-approver", "right-approver", "compiler-is-not-approver"])
def test_who_does_a_duty_is_the_body_named_before_it(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


@pytest.mark.parametrize("question, first_line", [
    ("乐山项目单位要在每年第一季度提交上一年度的绩效报告吧", "不是："),   # 每年年底前
    ("乐山项目单位每年年底前要交绩效监控报告吧", "是："),
    ("上城区每年上半年集中申报下一年度项目，对吧", "不是："),            # 每年9月底
    ("乐山的项目固定资产归市机关事务局管吧", "是："),                   # who manages it, not whether the 办法 apply
], ids=["quarter-vs-year-end", "year-end", "half-year-vs-september", "managed-by-a-body"])
def test_a_time_of_year_in_words_is_compared_as_months(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


@pytest.mark.parametrize("history, question, carried, cited", [
    # "可研报告呢" asks the previous question's ask (几月底前报) of 可研报告.
    ("启东的年度计划几月底前报？", "可研报告呢", "启东市可研报告几月底前报？", "qidong-2019/第七条"),
    # A kind of project keeps the stage asked of.
    ("启东的新建项目申报要交什么表？", "那运维项目呢", "启东市运维项目申报要交什么表？", "qidong-2019/第七条"),
], ids=["named-thing", "kind-of-project"])
def test_an_elliptical_follow_up_asks_the_previous_ask_of_what_it_names(assistant, history, question, carried, cited):
    from assistant.answers.followup import carry_over

    assert carry_over(assistant.analyzer, assistant.stage_words, question, [history]).question == carried
    answer = assistant.ask(question, history=[history])
    assert cited in _cited(answer) and "承接上一问的问法" in answer.answer


def test_a_next_step_follow_up_is_answered_by_the_next_stage_s_clauses(assistant):
    # After 申报 comes 审查: 六安 第十二条 (the checklist's clause for it).
    answer = assistant.ask("然后呢？下一步找谁", history=["六安的项目怎么申报？"])
    assert _cited(answer) == {"luan-2021/第十二条"} and "下一环节（审查）" in answer.answer


@pytest.mark.parametrize("question, unstated", [
    # 六安 第六条 names the 专家组 and no number of experts: it cannot confirm "至少5个人".
    ("六安竣工验收的专家组是不是至少得有5个人？", "六安市的办法没有规定"),
    # 第二十条 says 提前, with no number of days.
    ("我们六安的项目要申请延期验收，是不是得在合同约定验收日前30天就提出来？", "六安市的办法没有规定"),
], ids=["count", "days-before"])
def test_a_claimed_bound_no_text_gives_a_number_for_is_refused(assistant, question, unstated):
    a = assistant.ask(question)
    assert not a.answerable and a.answer.startswith(unstated)


def test_an_ask_pointing_back_asks_of_what_the_ask_before_it_named(assistant):
    # "这些钱" are the costs of 监理 and 等保测评, not of the story's 本级/新建/市级财政.
    a = assistant.ask("六安市本级新建一个150万的软件开发项目，市级财政出钱，监理和等保测评都要做吗？这些钱从哪出")
    assert a.answerable and "费用纳入该项目预算" in a.answer and "引入监理" in a.answer


@pytest.mark.parametrize("question, first_line", [
    ("上城区是先开专家评审会，专家通过了再做部门初审，顺序是这样吗？", "不是："),   # 项目初审通过的，…组织专家评审
    ("上城区是先初审，初审通过了再开专家评审会吧", "是："),
], ids=["reversed", "in-order"])
def test_a_claimed_order_of_two_steps_is_read_from_the_sentence_putting_one_after_the_other(assistant, question, first_line):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(first_line) and "项目初审通过的" in first


@pytest.mark.parametrize("question, first_line", [
    ("上城区项目合同里的维保期一般不能少于两年，对不对？", "是："),   # 不能少于 is 不少于: a lower bound
    ("上城区项目合同里的维保期一般不能少于3年，对吧？", "不是："),   # a bound the text does not set
], ids=["same-bound", "stronger-bound"])
def test_a_bound_with_a_modal_between_is_read_as_the_bound(assistant, question, first_line):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(first_line) and "不少于2年" in first


@pytest.mark.parametrize("question, first_line", [
    ("六安的非涉密系统放在我们单位自己机房里也行吧", "不是："),   # 全部部署在市政务云平台
    ("听说六安非涉密的项目全都得上市政务云，不能放在自己单位机房，是真的吗？", "是："),
], ids=["another-place", "not-another-place"])
def test_a_place_the_text_does_not_put_systems_in_is_judged_against_the_place_it_does(assistant, question, first_line):
    first = assistant.ask(question).answer.splitlines()[0]
    assert first.startswith(first_line) and "全部部署在市政务云平台" in first


def test_a_number_telling_the_situation_is_not_a_claim_to_check(assistant):
    # "一张表格只能填写一个项目" answers; "两个项目" is what the unit has, not a bound it claims.
    a = assistant.ask("启东那个电子政务工程建设项目申报表，我们有两个项目能不能填一张")
    assert a.answerable and "一张表格只能填写一个项目" in a.answer


def test_a_fee_s_standard_is_asked_as_a_fee_and_refused_for_the_city_named(assistant):
    # "按什么标准收" of a fee asks what it costs, not which technical standard applies; the refusal
    # speaks for the city asked about, not for every city collected.
    a = assistant.ask("上城区项目的监理费按什么标准收")
    assert not a.answerable and a.answer.startswith("上城区的办法没有规定监理的收费或金额标准")


def test_a_rate_the_texts_never_state_is_refused(assistant):
    answer = assistant.ask("六安电子政务项目的监理费按什么费率收取？")
    assert not answer.answerable and "比例" in answer.answer


def test_a_permission_whose_act_the_texts_name_nowhere_gets_no_verdict_from_a_negation_elsewhere(assistant):
    # "不能按合同约定时间验收的" is a case of 验收, not a ruling on signing a contract for three years.
    first = assistant.ask("六安项目的合同可以签三年吗").answer.splitlines()[0]
    assert not first.startswith(("是", "不是"))


def test_a_permission_turning_on_a_word_no_text_uses_gets_no_verdict(assistant):
    # 跨年度 is no text's word: "能不能跨年度实施" is not settled by a sentence on 实施细则.
    first = assistant.ask("启东的电子政务项目能不能跨年度实施？").answer.splitlines()[0]
    assert not first.startswith(("是：", "不是："))


@pytest.mark.parametrize("question, named, related", [
    # 六安's 办法 never speak of 回避: the 审查论证 clause is further reading, not a 是/不是.
    ("六安的审查论证专家如果和申报单位有利害关系，是不是必须回避？", "六安市的办法未涉及“回避”", "第十二条"),
    # The act runs on past the comma: 续签 is what the claim turns on.
    ("上城区维保期结束后，运维服务能不能不重新采购，直接和原承建单位续签？", "上城区的办法未涉及“续签”", "上城区"),
])
def test_a_permission_turning_on_an_act_no_text_in_scope_speaks_of_is_refused(assistant, question, named, related):
    a = assistant.ask(question)
    assert _refused(a) and named in a.answer
    assert related in a.answer.split("相关条款", 1)[1]


@pytest.mark.parametrize("question", [
    "六安没列进年度计划的项目能先干着吗",   # 先干: a verb in speech's dress, 不得擅自建设 answers
    "要是没批就先改了 结果超概算了 事后还能补办吗",   # 补办: done after the fact, 不再受理 answers
    "启东的可研报告里节能分析、环保消防那几章是不是一定要写？",   # the 能 of 节能 asks no permission
], ids=["spoken-verb", "done-after-the-fact", "modal-inside-a-word"])
def test_a_permission_asked_in_everyday_words_is_answered(assistant, question):
    assert assistant.ask(question).answerable


@pytest.mark.parametrize("question, unsettled", [
    # 六安 speaks of 验收 and of 在线 (审批监管平台), never in one sentence.
    ("六安的验收会可以在线上开吗", "六安市的办法没有规定验收会可否在线上开"),
    # "效果评估可以由第三方机构执行" is said of 效果评估: it does not confirm it of 验收.
    ("启东项目验收可以请第三方机构做吗", "启东市的办法没有规定项目验收可否请第三方机构做"),
    # A prohibition claimed ("是不是就不能…") is a permission asked the other way round.
    ("在六安，绩效评估结果差的单位第二年是不是就不能再申报新项目了？", "六安市的办法没有规定绩效评估结果差的单位第二年能否再申报新项目"),
], ids=["online-meeting", "another-stage-s-permission", "claimed-prohibition"])
def test_a_permission_no_sentence_names_with_what_it_is_asked_of_is_not_settled(assistant, question, unsettled):
    a = assistant.ask(question)
    assert _refused(a) and a.answer.startswith(unsettled) and "相关条款" in a.answer


@pytest.mark.parametrize("question, first_line", [
    ("上城项目初验，我们请4个专家组验收组自己评，可以吧？", "不是："),   # 3人（含）以上单数: 4 is even
    ("上城项目初验请5个专家可以吧", "是："),
    # What a definition lists ("即：…不能共享的数据负面清单") names things, it negates nothing.
    ("跟六安的承建商签合同，数据那几张清单不用写进合同吧？", "不是："),
    # A second yes/no ask restating the first the other way round does not flip it.
    ("启东项目找监理，得找有信息工程监理资质的单位吧？随便找个工程监理不行吧？", "是："),
], ids=["even-count", "odd-count", "definition-list", "restated-ask"])
def test_a_premise_s_count_list_and_restatement_are_read_as_meant(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


@pytest.mark.parametrize("question, first_line", [
    ("六安每年七八月份那次专家集中论证，论证的费用得我们项目单位自己掏吧？", "不是："),  # 纳入年度预算
    ("六安的论证费用不用我们单位掏，是纳入年度预算的吧？", "是："),
    ("上城项目验收产生的费用，应该是区数据资源局出吧？", "不是："),                    # 由项目建设单位承担
    ("上城项目验收产生的费用是我们建设单位自己出吧？", "是："),
    ("上城项目验收产生的费用不用我们建设单位出吧", "不是："),                         # 费用不用: no 用不用
], ids=["own-vs-budget", "denied-own", "wrong-body", "own-unit", "denied-but-pays"])
def test_who_a_claim_says_pays_is_checked_against_who_the_text_says_pays(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


def test_a_duration_of_a_compound_topic_is_not_stated_by_a_duration_of_its_piece(assistant):
    # 启东 says 延期验收 must be applied for, never for how long: the 半年内 of 初步验收 (a piece
    # of the ask's 延期验收, reached through its single character 延) does not state it.
    refused = assistant.ask("启东项目延期验收最长可以延多久？")
    assert _refused(refused) and "延期验收的期限" in refused.answer
    stated = assistant.ask("启东验收要在建设完成后多久内完成？")
    assert stated.answerable and "半年内" in stated.answer.splitlines()[0]


@pytest.mark.parametrize("question", [
    "乐山的项目要是申请延期验收，能延多久？",  # 延 reaches 延期验收 and, through it, 验收: 3 个月 is 试运行's
    "六安项目延期验收能延多久？",              # 项目 (in every clause) is no word the 1个月 of 试运行 is about
])
def test_a_duration_is_not_stated_by_a_sentence_naming_only_what_the_ask_is_built_on(assistant, question):
    refused = assistant.ask(question)
    assert _refused(refused) and "延期验收的期限" in refused.answer
    city = question[:2]
    stated = assistant.ask(f"{city}项目试运行要多久？")
    assert stated.answerable and ("个月" in stated.answer.splitlines()[0])


@pytest.mark.parametrize("question, named", [
    ("上城的监理费按项目总投资的多少比例来取？", "比例"),           # 多少比例: a rate, whatever the word order
    ("启东事后评估的评分标准，具体哪些指标、各占多少分？", "分值"),  # points: no text scores anything
])
def test_a_rate_or_score_asked_in_any_order_is_refused_when_no_sentence_states_one(assistant, question, named):
    # 上城 第七章·第7段 says 支付的条件及比例 but states none; 启东 附件3 lists the headings
    # 效益与评价指标分析 — a heading is no answer to how many points.
    a = assistant.ask(question)
    assert _refused(a) and "没有规定" in a.answer and named in a.answer


def test_asking_for_the_steps_quotes_every_step(assistant):
    # "分几步" asks for the procedure's steps: the whole numbered list, not the best-fitting item.
    a = assistant.ask("启东一般申报程序分几步")
    assert _cited(a) >= {"qidong-2019/第七条"}
    assert all(f"（{n}）" in a.answer for n in "一二三四")
    b = assistant.ask("启东验收分几步走")  # 分几步走 is how it is asked, not what
    assert b.answerable and {c.doc_id for c in b.citations} == {"qidong-2019"}


def test_what_an_ask_sets_aside_is_not_what_it_asks(assistant):
    # "除了正文" is what the asker already has: 正文, a word no clause uses, does not refuse the ask.
    a = assistant.ask("启东交可研报告，除了正文还得附哪些图和表？")
    assert "qidong-2019/附件3·说明" in _cited(a) and "附图、表资料" in a.answer


@pytest.mark.parametrize("question, first_line", [
    ("我是市教体局信息中心的，智慧校园项目预算200来万，六安这边项目建议书要我们单独编吗？", "不是。【计算】200万元 < 500万元"),
    ("六安500万以下的项目，是不是我们单位自己写建议书直接报发改委就行？", "不是。"),
    ("六安800万的项目，建议书是我们单位自己编吧？", "是。【计算】800万元 ≥ 500万元"),
    # 我们 as the object ("委托我们管") claims no actor.
    ("六安市本级政府出钱建的电子政务项目，资产是归市政府的，放在我们单位的那些硬件只是委托我们管，没错吧？", "是"),
], ids=["about-amount", "own-unit-subject", "own-unit-above", "own-unit-object"])
def test_the_asker_s_unit_as_a_claim_s_subject_is_checked_against_the_rule(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


def test_how_a_stage_is_done_quotes_each_paragraph_of_its_clause_that_speaks_to_it(assistant):
    # 乐山 第三十一条: 试运行 first (第一款), then 市数字经济局 organises the acceptance (第二款).
    a = assistant.ask("乐山验收咋弄")
    first = a.answer.splitlines()[0]
    assert "第三十一条" in first and "3 个月试运行" in first and "由市数字经济局组织竣工验收" in first


@pytest.mark.parametrize("question, cited, stage", [
    ("六安这边，市场监管局的智慧监管平台刚开发完，合同上写下个月验收，我们现在该干啥？", "luan-2021/第十九条", "验收"),
    ("乐山的项目立项批下来了，下一步要做什么？", "leshan-2022/第四十条", "采购"),
], ids=["built-then-accept", "approved-then-procure"])
def test_what_to_do_now_is_the_stage_after_the_one_the_story_finished(assistant, question, cited, stage):
    a = assistant.ask(question)
    assert cited in _cited(a) and f"下一环节是{stage}" in a.answer


def test_what_to_get_ready_before_a_step_is_asked_by_the_story_not_by_a_date(assistant):
    # "之前有啥特别要准备的" asks what to do, not by when: the sentence the project's situation
    # (下沉到街道和社区) falls under answers, not the sentence with the time word 前.
    a = assistant.ask("上城区民政局要做个养老服务的应用，要下沉到街道和社区用，写可研之前有啥特别要准备的？")
    assert "不少于5个街道的调研报告" in a.answer.splitlines()[0]


def test_a_denied_alternative_after_the_claim_contrasts_it_does_not_negate_it(assistant):
    a = assistant.ask("六安市本级财政投的系统建完了，资产算市政府的，不算我们局的，对吧？")
    assert a.answer.startswith("是：") and "归市政府所有" in a.answer.splitlines()[0]


def test_an_amount_with_decimals_is_no_standard_s_version(assistant):
    from assistant.answers.request import other_documents
    assert other_documents("乐山项目预算350.5万要请监理吗") == []


def test_a_rule_s_result_does_not_answer_a_duration_it_does_not_state(assistant):
    # 500万以上 falls under 六安 第九条 (who approves), which says nothing of how long approval takes.
    a = assistant.ask("六安500万以上的项目报发改委审批，一般多少个工作日能批下来？")
    assert _refused(a) and "期限" in a.answer


def test_a_choice_between_alternatives_no_text_names_is_refused_naming_them(assistant):
    # 阿里云 and 华为云 are names jieba's table does not call things: the alternatives themselves count.
    a = assistant.ask("上城区统一的云资源平台用的是阿里云还是华为云？")
    assert _refused(a) and "阿里云" in a.answer and "华为云" in a.answer


def test_a_choice_question_is_answered_by_the_text_not_by_yes_or_no(assistant):
    a = assistant.ask("乐山项目采购用公开招标还是邀请招标？")
    assert "leshan-2022/第四十条" in _cited(a) and not a.answer.startswith(("是", "不是"))


@pytest.mark.parametrize("question", ["六安我们单位的非涉密业务系统，能不能部署在自己机房？",
                                      "六安这边系统能不能就放我们自己单位机房 不上政务云"])
def test_hosting_in_one_s_own_server_room_is_answered_by_where_the_text_deploys(assistant, question):
    # 机房 is how users ask where a system runs; 六安 says it in 部署 and 政务云 (第七条).
    a = assistant.ask(question)
    assert "luan-2021/第七条" in _cited(a) and "全部部署在市政务云平台" in a.answer


def test_a_follow_up_made_only_of_its_asking_words_asks_of_the_previous_topic(assistant):
    a = assistant.ask("分哪几种？", history=["启东电子政务项目要做效果评估吗？"])
    assert "qidong-2019/第二十五条" in _cited(a) and "事前评估、事后评估和应用评估" in a.answer
    assert "承接上一问" in a.answer


def test_an_ask_s_focus_drops_every_way_its_attribute_is_asked():
    from assistant.answers.request import Asked, focus

    assert "几号" not in focus(Asked.DATE, "书面说明最晚几号交给数管局")
    assert "什么时候" not in focus(Asked.DATE, "项目什么时候申报之前")
    assert "截止" in focus(Asked.DATE, "截止到几月")  # a deadline's own word stays
    assert "时间" not in focus(Asked.DURATION, "批下来最多能延多长时间")  # 多长时间 is one way of asking


def test_a_value_stated_for_a_range_of_levels_does_not_answer_a_level_outside_it(assistant):
    # 上城: "网络安全等级第三级（含）以上的项目系统应当每年开展一次等保测评" — nothing for 二级.
    assert _refused(assistant.ask("上城区等保二级的系统多久要测评一次？"))
    a = assistant.ask("上城区等保三级的系统多久要测评一次？")
    assert "shangcheng-draft/第七章·第10段" in _cited(a) and "每年开展一次等保测评" in a.answer


@pytest.mark.parametrize("question, named", [
    ("上城的监理费按项目总投资的多少比例来取？", "没有规定监理费按项目总投资的比例"),
    ("启东事后评估的评分标准，具体哪些指标、各占多少分？", "分值"),
])
def test_a_refusal_names_what_is_not_covered_in_the_ask_s_own_words(assistant, question, named):
    assert named in assistant.ask(question).answer


@pytest.mark.parametrize("question, first_line", [
    ("六安市本级财政投的系统，资产不算我们局的，对吧？", "是："),   # 归市政府所有: another party's
    ("六安市本级财政投的系统，资产不归市政府，对吧？", "不是："),   # the same party, denied
], ids=["other-party", "same-party"])
def test_denying_a_thing_is_one_party_s_is_checked_against_whose_the_text_says(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(first_line)


@pytest.mark.parametrize("question, first_line, clause", [
    # The claimed agency is put to the test; the clause is the one saying who does the thing.
    ("乐山的项目验收是市发展改革委组织的吧？", "不是：", "leshan-2022/第三十一条"),
    ("乐山的项目验收是市数字经济局组织的吧？", "是：", "leshan-2022/第三十一条"),
    # The agent after 由, however far before the duty; a short name is the same body.
    ("启东的竣工验收是市财政局组织的吧？", "不是：", "qidong-2019/第十九条"),
    ("启东的竣工验收是整合共享办来组织吧？", "是：", "qidong-2019/第十九条"),
], ids=["other-agency", "named-agency", "agent-far-before", "short-name"])
def test_a_claim_naming_an_agency_is_checked_against_the_clause_that_says_who(assistant, question, first_line, clause):
    a = assistant.ask(question)
    assert a.answer.startswith(first_line) and clause in _cited(a)


def test_how_many_times_is_a_count_a_period_of_months_is_not():
    from assistant.answers.request import Asked, states_value, understand

    assert understand("还能再整改几次").asked == (Asked.COUNT,)
    assert understand("钱分几次付有要求吗").asked != (Asked.COUNT,)  # how it is split
    assert not states_value(Asked.COUNT, "验收不合格的，可在2个月内进行整改再提请验收")
    assert states_value(Asked.COUNT, "邀请信息技术、网络安全及业务领域等专家3人（含）以上单数成立验收专家组")


def test_a_count_of_times_no_text_states_is_refused(assistant):
    a = assistant.ask("上城区整改完第二次验收还不过呢，还能再整改几次？")
    assert _refused(a) and "整改的次数" in a.answer.split("\n")[0]


def test_another_document_asked_about_by_pointing_back_to_it_is_not_in_the_corpus(assistant):
    a = assistant.ask("启东说信息资源目录按《启东市政务信息资源共享管理办法》管，那个办法里目录要多久更新一次？")
    assert _refused(a) and "启东市政务信息资源共享管理办法" in a.answer.split("\n")[0]
    b = assistant.ask("启东项目信息资源目录按什么管理？")  # what the 办法 itself says of it
    assert b.answerable and "qidong-2019/第十六条" in _cited(b)


def test_not_making_it_in_time_asks_for_an_extension_and_zha_ban_is_no_yes_no_question(assistant):
    # 来不及 / 赶不上: the texts say 不能按时 / 不能按期 and answer with 延期验收.
    a = assistant.ask("来不及的话咋办？", history=["启东项目建完后多长时间内要做完初步验收？"])
    assert a.answerable and "延期验收" in a.answer and "qidong-2019/附件4·一、验收时限" in _cited(a)
    b = assistant.ask("赶不上的话咋办？", history=["乐山项目建完后多久要验收？"])
    assert "延期验收" in b.answer and not b.answer.startswith(("是：", "不是："))  # 咋办 asks how, not whether


def test_a_month_asked_for_is_answered_only_by_a_sentence_giving_a_month(assistant):
    # 乐山 第十五条 says needs are filed for 次年度, with no month; 启东 第七条 gives "10 月底前".
    _refused_as(assistant, "乐山每年几月份之前报下一年度的项目需求？", "具体日期")
    b = assistant.ask("启东每年几月份报下一年度项目计划")
    assert "qidong-2019/第七条" in _cited(b) and "10 月底" in b.answer


def test_an_amount_asked_before_the_fee_asks_the_fee(assistant):
    a = assistant.ask("上城区专家评审一次给多少评审费")
    assert _refused(a) and a.answer.startswith("上城区的办法没有规定专家评审的收费或金额标准")


@pytest.mark.parametrize("question, first_line", [
    ("启东每年11月底前报可研就行吧", "是"),  # "11 月 30 日前" is the end of November
    ("启东可研报告10月底前交就行吧", "不是"),
])
def test_a_month_s_last_day_is_its_end(assistant, question, first_line):
    a = assistant.ask(question)
    assert a.answer.startswith(f"{first_line}：") and "11 月 30 日" in a.answer.split("\n")[0]


def test_a_deadline_claim_is_not_settled_by_a_sentence_without_a_time(assistant):
    # Whatever is cited, no sentence without a time may say 是 or 不是 to "12月前交".
    a = assistant.ask("启东可研报告12月前交就行吧")
    first = a.answer.split("\n")[0]
    assert not first.startswith(("是：", "不是：")) or "11 月 30 日" in first


def test_a_word_a_clause_uses_only_under_fei_is_its_opposite(assistant):
    from assistant.search.matching import NEGATED

    tokens = assistant.matcher.clause_tokens("luan-2021/第七条")  # "非涉密电子政务项目，全部部署在市政务云平台"
    assert NEGATED + "涉密" in tokens and "涉密" not in tokens
    assert "涉密" in assistant.matcher.clause_tokens("leshan-2022/第五十四条")  # "涉密政务信息化项目管理按照…"
    negated = {w: alts for w, _, alts in assistant.matcher.question_terms(assistant.analyzer.analyze("不涉密的系统放哪"))}
    plain = {w: alts for w, _, alts in assistant.matcher.question_terms(assistant.analyzer.analyze("涉密的系统放哪"))}
    assert NEGATED + "涉密" in negated["涉密"] and NEGATED + "涉密" not in plain["涉密"]


def test_that_is_enough_is_no_word_of_the_topic(assistant):
    tokens = assistant.matcher.tokenizer.tokens("启东可研报告12月前交就行吧")
    assert "行" not in tokens and "可研" in tokens
    assert "行" not in assistant.matcher.tokenizer.tokens("报备一下也行吗")


def test_a_question_asking_a_value_is_not_crowded_out_by_one_attachment_s_sections(assistant):
    from assistant.search.searcher import SECTIONS_PER_ATTACHMENT

    analysis = assistant.analyzer.analyze("启东可研报告什么时候交")
    plain = assistant.searcher.search(analysis, 5, ("qidong-2019",))
    spread = assistant.searcher.search(analysis, 5, ("qidong-2019",), spread_out=True)
    assert sum(h.clause.label.startswith("附件3") for h in plain) > SECTIONS_PER_ATTACHMENT  # every 附件3 heading
    assert sum(h.clause.label.startswith("附件3") for h in spread) <= SECTIONS_PER_ATTACHMENT
    assert any(h.clause.kind.value == "article" for h in spread)


def test_a_date_no_record_gives_is_refused_naming_the_document_s_status(assistant):
    # The draft is undated: "本办法自发布之日起实施" gives no day.
    a = assistant.ask("上城区办法是哪天正式印发的？")
    assert _refused(a) and "征求意见稿" in a.answer.split("\n")[0] and "第十章·第6段" in a.answer
    b = assistant.ask("乐山的办法什么时候开始实施的")  # the catalog dates it
    assert b.answerable and "2022年6月25日" in b.answer
    c = assistant.ask("上城区办法已经正式实施了吧")  # a yes/no claim is still answered
    assert c.answer.startswith("不是：")


@pytest.mark.parametrize("question, word", [
    ("上城区评审专家的回避有什么要求", "回避"),           # a verb no text uses, heading what is asked
    ("乐山信息化建设领导小组的组长是哪位领导？", "组长"),  # a noun jieba's table tags as a verb
])
def test_a_word_no_text_uses_heading_the_ask_is_refused(assistant, question, word):
    a = assistant.ask(question)
    assert _refused(a) and f"“{word}”" in a.answer.split("\n")[0]


def test_a_comparison_of_what_no_text_names_is_refused_in_both_views(assistant):
    from assistant.answers.compare import Comparer

    question = "六安和上城区对评审专家的回避分别有什么规定？"
    assert _refused(assistant.ask(question))
    table = Comparer(assistant.context).compare(question=question)
    assert table.matched == "refused" and not table.rows


def test_a_quoted_name_the_text_never_spells_out_is_refused(assistant):
    a = assistant.ask("启东特殊申报时让报送的“指定材料”都包括哪些？")
    assert _refused(a) and "“指定材料”" in a.answer and "第九条" in a.answer  # 第九条 as reading
    b = assistant.ask("六安竣工验收的“申请材料”包括哪些？")  # spelled out: "申请材料包括：项目合同、…"
    assert "luan-2021/第十九条" in _cited(b) and "源代码" in b.answer


@pytest.mark.parametrize("question, first_line", [
    ("六安的项目试运行两周就能申请竣工验收了吧", "不是"),   # 14 days against 不低于1个月
    ("上城区初验后试运行要满3个月才行吧", "不是"),         # a requirement of 3 months against 不少于30天
])
def test_days_and_weeks_are_compared_with_months(assistant, question, first_line):
    assert assistant.ask(question).answer.startswith(f"{first_line}：")


def test_a_kind_the_text_sets_aside_is_not_what_it_governs(assistant):
    # 六安: "非涉密电子政务项目，全部部署在市政务云平台" (第七条), "项目建设（涉密项目除外）…" (第十一条).
    a = assistant.ask("六安的涉密项目验收怎么走？")
    assert _refused(a) and "非涉密" in a.answer.split("\n")[0] and "第十一条" in a.answer
    b = assistant.ask("六安这边涉密系统也要照第十一条那些要求做吗")
    assert b.answerable and not b.answer.startswith(("是：", "不是：")) and "涉密项目除外" in b.answer
    c = assistant.ask("六安涉密项目能上政务云吗")  # 第七条 speaks of 非涉密 ones only: no 是
    assert not c.answer.startswith("是：")


def test_a_section_quoted_with_a_mark_comes_with_the_note_saying_what_the_mark_means(assistant):
    a = assistant.ask("启东可研报告第十二章节能分析必须写吗")
    assert "qidong-2019/附件3·说明" in _cited(a) and "带*号的内容按需提供" in a.answer


def test_the_contents_of_a_report_the_text_only_names_are_refused(assistant):
    a = assistant.ask("六安试运行完要形成试运行报告，这个报告要写哪些内容？")  # "这个报告": the one named before
    assert _refused(a) and "“试运行报告”" in a.answer.split("\n")[0]
    b = assistant.ask("乐山的绩效监控报告要写哪些内容")  # "项目绩效监控报告主要包括…"
    assert "leshan-2022/第四十五条" in _cited(b) and "项目实施进度和资金计划执行情况" in b.answer


def test_a_value_before_de_is_of_the_noun_after_it(assistant):
    # 六安 第十九条: "开展不低于1个月的试运行，形成试运行报告后向市数管局提出竣工验收申请" — how
    # long the trial runs, not by when the application is due.
    a = assistant.ask("六安试运行完了，竣工验收申请要在几天之内交上去？")
    assert _refused(a)
    b = assistant.ask("六安试运行要多久")
    assert "luan-2021/第十九条" in _cited(b) and "不低于1个月" in b.answer


def test_a_section_named_as_a_step_is_asked_of_by_its_own_clauses(assistant):
    # 上城: 专家3人（含）以上 is said of 初验 (第八章), not of the 专家评审 step of 第五章.
    a = assistant.ask("上城区专家评审这个环节要请几个专家？")
    assert _refused(a)
    b = assistant.ask("上城区初验要请几个专家？")
    assert "shangcheng-draft/第八章·第1段" in _cited(b) and "3人（含）以上单数" in b.answer


def test_a_choice_between_durations_no_text_gives_is_refused(assistant):
    a = assistant.ask("启东外包运维的合同是一年一签还是可以一次签三年？")
    assert _refused(a) and "期限" in a.answer.split("\n")[0]


def test_a_form_s_row_confirms_nothing(assistant):
    a = assistant.ask("那“历年已安排资金”这一栏，要附以前的拨款文件吧？", history=["启东的项目申报表要填哪些栏目？"])
    assert not a.answer.startswith(("是：", "不是："))


@pytest.mark.parametrize("question, word", [
    ("启东验收专家组的组长由谁担任？", "组长"),
    ("六安数管局局长是谁？", "局长"),
])
def test_the_holder_of_a_post_no_text_names_is_refused(assistant, question, word):
    a = assistant.ask(question)
    assert _refused(a) and f"“{word}”" in a.answer.split("\n")[0]
    b = assistant.ask("乐山项目责任人是谁")  # "政务信息化项目责任人为项目单位主要负责人"
    assert "leshan-2022/第二十六条" in _cited(b)


def test_how_many_years_asks_for_a_duration(assistant):
    from assistant.answers.request import Asked, understand

    assert understand("档案要保存多少年").asked == (Asked.DURATION,)
    assert understand("要试运行几个星期").asked == (Asked.DURATION,)
    assert understand("每年几月报").asked == (Asked.DATE,)  # a month of the year


def test_the_item_stating_the_value_leads_a_one_sentence_list(assistant):
    a = assistant.ask("启东特殊申报程序一年能启动几次？")
    first = a.answer.split("\n")[0]
    assert "第八条第二项" in first and "每年只能启动一次" in first and "使用规范" not in first  # no heading


def test_when_a_document_expires_is_its_record(assistant):
    a = assistant.ask("乐山的办法什么时候到期？")
    assert "有效期至2027年6月24日" in a.answer.split("\n")[0]


def test_a_count_is_of_the_noun_asked_about(assistant):
    # 启东 第十九条: "项目验收包括初步验收和竣工验收两个阶段" counts stages, not experts.
    a = assistant.ask("启东初步验收要请几个专家？")
    assert _refused(a) and "两个阶段" not in a.answer.split("\n")[0]
    b = assistant.ask("上城区初验要请几名专家？")  # "专家3人（含）以上单数": the count after its noun
    assert "shangcheng-draft/第八章·第1段" in _cited(b) and "3人（含）以上单数" in b.answer


def test_a_share_is_of_the_thing_asked_not_of_its_base_or_of_money(assistant):
    # 乐山 第二十九条's "资金调整数额不超过批复总投资 15%" is a share of 总投资, but not the 监理费's.
    _refused_without_number(assistant, "乐山项目的监理费占总投资多少比例？", "15%")
    b = assistant.ask("上城区新建项目的网络安全预算占总投资多少比例？")
    assert "shangcheng-draft/第七章·第10段" in _cited(b) and "5%" in b.answer.split("\n")[0]


def test_this_kind_of_project_is_the_one_the_previous_question_described(assistant):
    # "这类项目" after a question about 500万以下 projects is that kind: 六安 第九条's second case.
    a = assistant.ask("这类项目报谁审批？", history=["六安总投资500万以下的项目要编什么材料？"])
    first = a.answer.split("\n")[0]
    assert "打捆编制项目建议书" in first and "“这类项目”指上一问说的“总投资500万以下的项目”" in a.answer
    b = assistant.ask("这种项目最后由谁来验收？", history=["乐山政府购买服务的项目需要编什么方案？"])
    assert "政府购买服务项目由项目单位按要求组织验收" in b.answer.split("\n")[0]


def test_whether_the_banfa_applies_is_not_settled_by_a_sentence_sharing_its_words(assistant):
    # 六安 第二十七条 "各县区结合自身实际，制定相应管理办法" shares 县区 and 办法 with the question but says
    # the counties make their own: it confirms nothing ("是" was a wrong conclusion).
    a = assistant.ask("六安县区的项目也用这个办法吗？")
    assert not a.answer.startswith(("是：", "不是：")) and "各县区结合自身实际" in a.answer


def test_an_ask_made_of_adverbs_is_about_its_context(assistant):
    # "能不能先干了再补手续": 先/再 say how, not what — the ask is about the context (概算要追加),
    # which 启东 第十四条 answers ("必须事先向项目审批部门提交调整报告").
    a = assistant.ask("启东的项目建到一半投资概算不够要调整，能不能先干了再补手续？")
    assert "qidong-2019/第十四条" in _cited(a) and "事先" in a.answer.split("\n")[0]


@pytest.mark.parametrize("question, clause, rule", [
    ("启东的系统还没验收，能不能先用？", "第二十一条", "不得投入运行"),            # not 附件4's "…投入使用的各项准备…"
    ("六安的系统没验收，可以先上线给大家用吗", "第二十条", "不得正式投入使用"),      # 大家 names nothing to turn on
])
def test_whether_an_act_is_allowed_is_settled_by_the_sentence_ruling_on_it(assistant, question, clause, rule):
    a = assistant.ask(question)
    first = a.answer.split("\n")[0]
    assert first.startswith("不是：") and clause in first and rule in first


def test_a_comparison_naming_more_than_a_curated_topic_is_not_decided_by_it(assistant):
    # topics.yaml's 知识产权 has nothing for 六安 (who owns it); 源代码 named beside it is 六安 第十九条's.
    a = assistant.ask("六安和乐山，对源代码、知识产权这块各有什么规定？")
    assert "luan-2021/第十九条" in _cited(a) and "leshan-2022/第四十三条" in _cited(a)
    b = assistant.ask("六安和乐山，知识产权方面各有什么规定？")  # the topic alone: 六安 says nothing
    assert "luan-2021/第十九条" not in _cited(b) and "leshan-2022/第四十三条" in _cited(b)
    # 城市对比 reads them the same way.
    from assistant.answers.compare import Comparer

    cells = lambda q: {c["city"]: [x["article"] for x in c["clauses"]]  # noqa: E731
                       for row in Comparer(assistant.context).compare(question=q).to_json()["rows"] for c in row["cells"]}
    assert cells("六安和乐山，对源代码、知识产权这块各有什么规定？")["六安市"] == ["第十九条"]
    assert cells("六安和乐山，知识产权方面各有什么规定？")["六安市"] == []


def test_a_rule_confirms_only_a_claim_naming_what_it_governs(assistant):
    # "已经列进年度计划了" reaches the 立项 rule through its stage; it does not ask about it. The
    # rule the question names (监理) leads and settles it.
    a = assistant.ask("六安市民政局有个系统已经列进年度计划了，预算130万，马上招标。要不要另外请监理？")
    first = a.answer.split("\n")[0]
    assert first.startswith("是。【计算】130万元 ≥ 100万元") and "引入监理" in first
    b = assistant.ask("六安市民政局有个系统已经列进年度计划了，预算130万，马上招标。还要另外找什么第三方吗？")
    assert not b.answer.startswith(("是", "不是"))


def test_a_claim_of_what_is_required_is_settled_only_by_a_sentence_on_that_act(assistant):
    # 六安 第十二条 restates 专家/审查论证 but says nothing of 回避: it was read as "是". No text of
    # 六安 speaks of 回避 at all: the clause is further reading, not the answer.
    a = assistant.ask("六安集中审查论证的专家，碰到自己单位的项目是不是必须回避？")
    assert _refused(a) and "未涉及“回避”" in a.answer and "第十二条" in a.answer.split("相关条款", 1)[1]


def test_a_date_claimed_on_the_calendar_is_settled_only_by_one_the_text_gives(assistant):
    # 乐山's 办法 names no month at all: "9月底就截止了" is not settled by 第十五条's wording.
    a = assistant.ask("乐山市级部门报次年度信息化项目需求，是不是9月底就截止了？")
    assert _refused(a) and "乐山市的办法没有规定" in a.answer
    # The refusal names what the date is of, not the claimed month or the asking word (截止).
    said = a.answer.split("。")[0]
    assert "信息化项目需求" in said and "月底" not in said and "截止" not in said
    # 启东 gives the month: the claim is judged by it.
    b = assistant.ask("启东下一年度的电子政务项目计划，是不是9月底前就得交？")
    assert b.answer.startswith("不是：") and "10 月底前" in b.answer.split("\n")[0]


def test_a_claimed_bound_is_not_confirmed_by_a_sentence_giving_another_kind_of_number(assistant):
    # 上城 第七章·第6段 gives 5个工作日 for filing documents; nothing of keeping them 10 years.
    a = assistant.ask("上城区电子政务项目的档案资料是不是要求至少保存10年？")
    assert not a.answer.startswith(("是", "不是"))


def test_a_time_told_in_the_story_is_not_a_time_claimed_for_the_act(assistant):
    # "年中" is when the task came, not when the user claims to file: 第七条's 10 月底 does not deny
    # "现在还能申报吗" (第八条 opens the special procedure for exactly this).
    a = assistant.ask("启东市公安局年中突然接到任务要建一个系统，去年没报计划，现在还能申报吗？怎么报？")
    assert not a.answer.startswith("不是") and "qidong-2019/第八条" in _cited(a)
    # A time the claim itself gives is still compared: 第一季度 against 每年年底前.
    b = assistant.ask("乐山项目绩效监控报告是每年第一季度交吧？")
    assert b.answer.startswith("不是：") and "年底前" in b.answer.split("\n")[0]


def test_a_rule_on_an_act_is_read_with_the_clause_ruling_on_its_condition(assistant):
    # 第十六条 forbids buying what the annual plan lacks; 第十四条, on the same condition, says how
    # such a project gets in (专题请示) — the way the text leaves open.
    a = assistant.ask("六安市卫健委今年5月份临时接到任务，要建一个80万左右的疫苗冷链监管小系统，年度计划里没有。能不能先自己采购了再补手续？")
    assert {"luan-2021/第十六条", "luan-2021/第十四条"} <= set(_cited(a)) and "专题请示" in a.answer


def test_a_procedure_named_by_its_title_is_read_with_the_article_setting_it_out(assistant):
    # 启东 第八条 opens 特殊申报程序 for what could not be filed in time; 第九条 (headed 特殊申报程序)
    # is how it runs. 第二十四条's "按第二章所述一般申报程序" is 第七条.
    a = assistant.ask("启东 我们局今年年中突然接到上面任务要建个防汛防疫数据平台 去年根本没报计划 现在咋整还能申请钱吗")
    assert {"qidong-2019/第八条", "qidong-2019/第九条"} <= set(_cited(a))
    b = assistant.ask("启东运维的钱怎么申请")
    assert {"qidong-2019/第二十四条", "qidong-2019/第七条"} <= set(_cited(b))


def test_the_steps_asked_are_quoted_whole(assistant):
    # A procedure told sentence by sentence: 初验, then 30 days of 试运行, then the application.
    a = assistant.ask("上城区项目建完后验收是怎么个流程？初验、试运行、正式验收分别怎么搞")
    assert "不少于30天的试运行" in a.answer and "专家3人（含）以上单数" in a.answer
    # Steps numbered on into the next 款: 启东 第七条 (五) "随部门预算同步报送市财政局".
    b = assistant.ask("启东的一般申报程序，从报计划到进部门预算，具体哪几步？")
    assert all(s in b.answer for s in ("10 月底前", "11 月 30 日前", "12 月底前", "随部门预算"))


def test_asked_what_to_hand_in_the_listing_paragraph_leads(assistant):
    # "东西" shares nothing with "申请材料包括：…"; the ask is for materials all the same.
    a = assistant.ask("六安项目弄完了要申请竣工验收，得交哪些东西？")
    first = a.answer.split("\n")[0]
    assert "第十九条" in first and "申请材料包括" in first and "源代码" in first


def test_how_to_file_a_project_a_rule_recognised_quotes_that_article_s_steps(assistant):
    # The rule (650万 ≥ 500万 → 建议书及实施方案报市发改委审批) comes from 第九条, whose first 款 is
    # when and where to file; the project's name (大数据平台) does not send the answer to 第七条.
    a = assistant.ask("我们是六安市人社局 想明年上个就业服务大数据平台 估了650万 这个得怎么报")
    lines = a.answer.split("\n")
    assert lines[0].startswith("【计算】650万元 ≥ 500万元") and "第九条" in lines[1] and "7月底前" in lines[1]


def test_where_to_start_is_asked_within_the_stage_named_or_after_the_one_done(assistant):
    # "先做什么后做什么" of 验收 asks the order within it, after the build the story says is done —
    # not the lifecycle's first stage (申报).
    a = assistant.ask("启东项目建完以后验收怎么走？先做什么后做什么？")
    assert a.answer.startswith("按所述进度，下一环节是验收") and "第一步是申报" not in a.answer
    assert "qidong-2019/第二十条" in _cited(a)
    b = assistant.ask("乐山项目建完了，第一步干嘛")
    assert b.answer.startswith("按所述进度，下一环节是验收") and _cited(b) == {"leshan-2022/第三十一条"}
    # A project not yet started, no stage named: the lifecycle's first stage, per city.
    c = assistant.ask("我们局要上一套智慧停车系统，预算350万，第一步干嘛？")
    assert c.answer.startswith("【六安市】第一步是申报")


def test_a_few_under_a_claim_tag_is_a_claim_not_a_count_asked(assistant):
    # "找几个专家弄一下就行了吧" claims a few will do; 上城 第八章 has 区数据资源局 lead the acceptance
    # of a project bought through 政府采购 — not the unit itself.
    a = assistant.ask("上城区纳入政府采购的项目，终验我们单位自己找几个专家弄一下就行了吧？")
    first = a.answer.split("\n")[0]
    assert first.startswith("不是：") and "由区数据资源局牵头组织技术专家" in first


def test_a_share_is_compared_only_with_a_share_of_the_same_base(assistant):
    # "合同金额的30%" is not settled by "核减数额不超过预算金额15%": a share of another thing.
    a = assistant.ask("上城区合同里的首付款，是不是不能超过合同金额的30%？")
    assert not a.answer.startswith(("是", "不是"))
    # A line claimed for the rule's own line: 不低于10% against 不低于5% of the same 总投资.
    b = assistant.ask("听说上城区要求新建项目网络安全预算不低于总投资的10%，对吗？")
    assert b.answer.startswith("不是：") and "5%" in b.answer.split("\n")[0]


def test_every_numbered_step_is_quoted_when_the_question_also_asks_a_date(assistant):
    # Steps and their months asked together: 启东 第七条 (一)–(四), then (五) in the next 款.
    a = assistant.ask("启东的一般申报程序是怎么走的，每一步的截止时间是几月？")
    assert all(s in a.answer for s in ("10 月底前", "11 月 30 日前", "12 月底前", "随部门预算同步报送"))


def test_a_claim_is_not_confirmed_by_a_sentence_not_naming_what_was_said_before_the_ask(assistant):
    # "乐山项目验收的时候，是不是必须由…到场签字": 第二十六条 names the 主要负责人 as the project's
    # 责任人 and says nothing of 验收 — its wording confirms nothing.
    a = assistant.ask("乐山项目验收的时候，是不是必须由项目单位主要负责人到场签字？")
    assert not a.answer.startswith(("是", "不是"))



def test_an_occasion_said_before_a_bare_ask_is_what_it_is_asked_of(assistant):
    # "…报批之前，是不是一定要…": 启东 speaks of 概算调整 and of 专家论证, never in one sentence.
    a = assistant.ask("启东项目调整概算报批之前，是不是一定要先请专家论证？")
    assert _refused(a) and a.answer.startswith("启东市的办法没有规定项目调整概算报批之前是否必须先请专家论证")
    # A sentence on the 汇报 PPT does not settle who must give the 汇报.
    b = assistant.ask("上城区专家评审会上，是不是必须由分管领导亲自来汇报？")
    assert not b.answer.startswith(("是", "不是"))


def test_a_word_placing_what_is_asked_is_not_what_is_asked(assistant):
    # "正文之外/后面还要附哪些图表": 正文 (no text's word) places the attachments asked for; 启东
    # 附件3's note lists the drawings and tables a feasibility report carries.
    for q in ("启东的可研报告，正文之外还得附上哪些图表？", "启东的可研报告正文后面要附什么图和表？"):
        a = assistant.ask(q)
        assert a.answerable and "qidong-2019/附件3·说明" in _cited(a), q
    # A word no text uses that is itself what is asked still is not covered.
    b = assistant.ask("启东的可研报告要不要附上护照复印件？")
    assert not b.answerable


def test_a_calendar_date_each_year_is_claimed_as_a_date(assistant):
    # "每年X月底前" names a day of the calendar, each year — a date the text must give, not how often.
    _confirmed(assistant, "六安是不是每年7月底前完成项目申报？", "luan-2021/第九条")
    b = assistant.ask("乐山是不是每年5月底前就得把下一年的需求报上去？")
    assert not b.answerable and "日期" in b.answer
    assert unbacked_numbers(b, assistant.corpus.catalog) == []  # the asker's 5月 is not repeated


def test_a_rhythm_claimed_for_an_act_needs_a_text_stating_one(assistant):
    # "一年一签" claims how often; 上城 states no period for its maintenance contracts, so a
    # sentence requiring maintenance is not a "是".
    a = assistant.ask("上城区的运维合同是不是一年一签？")
    assert not a.answerable and "频次" in a.answer
    assert not a.answer.startswith(("是", "不是"))


def test_a_part_of_an_amount_is_asked_as_a_share_of_it(assistant):
    # "能到预算金额的多少" asks a share: 上城's "资金核减数额不超过预算金额15%的，…" states one (the
    # 的 closing that condition owns no noun after it).
    a = assistant.ask("上城区项目变更后，核减的资金最多能到预算金额的多少？")
    assert a.answerable and "shangcheng-draft/第七章·第12段" in _cited(a) and "15%" in a.answer
    # A share of the contract paid in advance: no text in 乐山 states one (the 15% of 资金调整 is a
    # share of other money, and 首付款 is not named by 资金).
    b = assistant.ask("乐山的合同签了以后，首付款最多能付到合同金额的多少？")
    assert not b.answerable and "比例" in b.answer


def test_a_span_may_start_at_a_step_said_in_the_asker_s_words(assistant):
    # "从填报需求到拿到审批批复": 填报 is said in 乐山's clause for 申报; "交材料" is where 上城's
    # 申报 clauses hand in the 材料. Every stage between is quoted by its clauses.
    a = assistant.ask("乐山的政务信息化项目，从填报需求到拿到审批批复，大体要走哪些环节？")
    assert {"leshan-2022/第十五条", "leshan-2022/第十七条", "leshan-2022/第二十四条"} <= _cited(a)
    b = assistant.ask("上城区申报项目，从交材料到最后拿到立项文件，一共要过几关？")
    assert {"shangcheng-draft/第五章·项目初审·第1段", "shangcheng-draft/第五章·项目立项·第1段"} <= _cited(b)


def test_a_date_asked_reaches_the_clause_giving_one_of_what_is_asked(assistant):
    # 启东 第七条 gives the day the feasibility report is due ("一并在每年 11 月 30 日前报送"); the
    # report's outline (附件3) shares more words but gives no date. The day may be spaced in the text.
    for q in ("启东可研报告最晚什么时候要交？", "启东的可行性研究报告最迟哪天前要报上去？"):
        a = assistant.ask(q)
        assert a.answerable and "qidong-2019/第七条" in _cited(a), q
        assert "11 月 30 日" in a.answer or "11月30日" in a.answer, q


def test_a_payer_claimed_needs_a_text_saying_who_pays_for_that_cost(assistant):
    # "…的钱是不是得我们单位自己出": who pays, asked of what is paid for. 乐山 says nothing of who
    # pays for acceptance experts, so nothing settles it (it was "是" by who organises acceptance).
    a = assistant.ask("乐山项目验收请专家的钱，是不是得我们单位自己出？")
    assert not a.answerable and "费用来源" in a.answer
    assert not a.answer.startswith(("是", "不是"))
    # Where the text says who pays for that cost, the claim is judged against it.
    b = assistant.ask("上城项目验收的费用，应该是区数据资源局出吧？")
    assert b.answer.startswith("不是") and "shangcheng-draft/第八章·第2段" in _cited(b)


def test_an_act_done_said_before_a_bare_ask_is_what_it_is_asked_of(assistant):
    # "签完合同，是不是必须…备案": an act done with what it was done to frames the ask, as "…之后"
    # does; 启东 never speaks of 合同 and 备案 in one sentence.
    a = assistant.ask("启东签完合同，是不是必须报领导小组办公室备案？")
    assert not a.answerable and "签完合同" in a.answer
    # The asker's own story ("我们把材料改好了") is no topic: 启东 第七条 says what follows a failed 复核.
    b = assistant.ask("启东复核没通过，我们把材料改好了，当年还能再申请复核吗？")
    assert b.answerable and "qidong-2019/第七条" in _cited(b)


def test_the_word_for_a_share_is_not_what_the_share_is_of(assistant):
    # "首付款比例不能超过30%": 比例 (spelt as any "%") is what is asked; 乐山's only 15% is of
    # 资金调整, not of a down payment — nothing settles the claim (it was "不是" by that 15%).
    a = assistant.ask("乐山项目合同的首付款比例最多30%，对吗？")
    assert not a.answerable and "首付款比例" in a.answer and "比例的比例" not in a.answer
    assert unbacked_numbers(a, assistant.corpus.catalog) == []
    # A share the text does give of what is asked is still found.
    b = assistant.ask("上城的网络安全投入占项目总投资的比例有要求吗？")
    assert b.answerable and "shangcheng-draft/第七章·第10段" in _cited(b)


def test_a_thing_asked_for_that_only_another_city_names_is_refused_for_this_one(assistant):
    # "什么资质": 启东 第十三条 names the 监理 firm's 资质; 六安's 办法 never speak of a 资质, so its
    # nearest 监理 clause is not the answer (it was quoted as one).
    a = assistant.ask("六安的监理单位要具备什么资质？")
    assert not a.answerable and "资质" in a.answer and not a.citations
    b = assistant.ask("启东的监理单位要有什么资质？")
    assert b.answerable and "qidong-2019/第十三条" in _cited(b) and "资质" in b.answer
    # The shape an answer takes (手续, 环节) is not a thing named: the texts give it in other words.
    c = assistant.ask("上城区项目建完到正式验收，中间要经过哪些环节？")
    assert c.answerable


def test_a_duty_claimed_is_not_confirmed_by_a_sentence_that_never_names_what_it_turns_on(assistant):
    # "必须请区里指定的测评公司": 上城's 办法 require 等保测评 but never speak of a 指定 firm, so their
    # 等保 sentence neither confirms nor denies the claim (it was "是" by its wording).
    a = assistant.ask("上城等保测评必须请区里指定的测评公司，对不对？")
    assert not a.answer.startswith(("是", "不是"))
    # A duty the sentence does state is still confirmed.
    _confirmed(assistant, "乐山的项目必须委托工程监理单位吧？", "leshan-2022/第二十六条")


def test_a_list_of_denials_is_checked_part_by_part(assistant):
    # 启东 第二十一条: "未通过验收的项目，不得投入运行，市审计部门不予审计，市财政部门不予安排…经费".
    # Three denials in the claim against four in the sentence: counted as one parity they read as
    # opposite ("不是"); each part of the claim denies as the part it restates does.
    _confirmed(assistant, "启东项目没通过验收的话，审计部门不审计、财政不安排运维经费，是这样规定的吧？", "qidong-2019/第二十一条")
    # One part the other way round makes the claim wrong (it was "是" by parity).
    b = assistant.ask("启东项目没通过验收，审计部门照样审计，财政也不安排运维经费，对吧？")
    assert b.answer.startswith("不是")
    c = assistant.ask("乐山的项目没有验收的，就不安排运维经费、也不给政务云资源，对吧？")
    assert c.answer.startswith("是") and "leshan-2022/第三十二条" in _cited(c)


def test_a_thing_claimed_to_be_one_party_s_is_judged_by_whose_the_text_says_it_is(assistant):
    # 六安 第二十二条: "…项目资产归市政府所有". Claimed for the unit or the contractor it is "不是"
    # (it was "是" by the sentence's wording, or no conclusion); claimed for the government, "是".
    for q in ("六安市本级政府投资的电子政务项目，形成的资产算我们项目单位的，对不对？",
              "六安市本级政府投资的项目，建成的资产算承建公司的吧？"):
        a = assistant.ask(q)
        assert a.answer.startswith("不是") and "luan-2021/第二十二条" in _cited(a), q
    b = assistant.ask("六安市本级政府投资的项目，资产归市政府所有吧？")
    assert b.answer.startswith("是")


def test_a_rule_s_verdict_reads_the_ask_not_the_project_s_state(assistant):
    # "还没采购" is where the project stands, not a denial: the ask ("…备案就行吧") is what the rule's
    # outcome (≤ 15%: 内控流程 + 备案, 上城 第七章·第12段) confirms (it was "不是").
    _confirmed(assistant, "上城项目立项后还没采购，要改主要建设内容，核减的钱在预算10%以内，单位自己走内控流程、报区数据资源局备案就行吧？", "shangcheng-draft/第七章·第12段")
    # A step the outcome does not name (审批 where it says 备案) is denied by it.
    b = assistant.ask("上城项目立项后还没采购，要改主要建设内容，论证后核减的钱是预算的10%，是不是还得报区数据资源局审批？")
    assert b.answer.startswith("不是")


def test_the_body_asked_to_do_a_step_is_the_one_the_claim_puts_to_the_test(assistant):
    # "请市数管局帮我们打捆编": 数管局 is claimed to compile; at 600万 六安 第九条 has the unit compile
    # it ("由项目建设单位编制"), so the claim is wrong (it was "是": the asker's introduction,
    # "我们是…单位", was read as the claimed actor).
    a = assistant.ask("我们是六安市直单位，项目概算600万，可以请市数管局帮我们打捆编项目建议书吧？")
    assert a.answer.startswith("不是") and "luan-2021/第九条" in _cited(a)
    b = assistant.ask("我们是六安市直单位，项目概算600万，项目建议书由我们单位自己编吧？")
    assert b.answer.startswith("是")


def test_a_count_said_in_spoken_units_is_compared_with_the_text_s(assistant):
    # "一年里能启动三回": 回 counts as 次 does; 启东 第八条 allows one a year, so the claim is wrong
    # (there was no conclusion: the count went unread).
    a = assistant.ask("启东同一件事，一个部门一年里能启动三回特殊申报程序吧？")
    assert a.answer.startswith("不是") and "qidong-2019/第八条" in _cited(a)


def test_a_bound_claimed_after_only_or_before_a_tag_is_put_to_the_test(assistant):
    # "最多只能延2个月": 只能 bounds the number as 最多 does. 六安 gives no length for a delay, so
    # nothing settles it (it was "不是" by the 1 个月 of 试运行).
    a = assistant.ask("六安项目申请延期验收，最多只能延2个月吧？")
    assert not a.answerable and "2个月" not in a.answer and "2 个月" not in a.answer
    # A count claimed before a bare "对吧" is of what was said before it: 上城 gives 3 experts for 初验,
    # none for the review before 立项.
    b = assistant.ask("上城项目立项的专家评审会 专家至少要请7个人 对吧")
    assert not b.answerable and "7" not in b.answer
    c = assistant.ask("上城项目初验 专家得3人以上 对吧")
    assert c.answer.startswith("是") and "shangcheng-draft/第八章·第1段" in _cited(c)


def test_a_price_claimed_needs_a_text_that_states_one(assistant):
    # 乐山 第三十八条 says 市数字经济局 sets the lines' highest budget prices, not what they are: a
    # price claimed is not settled (it was "是" by the sentence's wording), and the refusal does not
    # repeat the asker's number.
    a = assistant.ask("乐山通讯专线的最高预算价格是每条每年8万元，对吗？")
    assert not a.answerable and "8万" not in a.answer and not a.answer.startswith(("是", "不是"))


def test_points_or_an_amount_claimed_are_not_confirmed_by_a_sentence_without_any(assistant):
    # 上城 第七章·第1段 counts overruns in the next scoring, 乐山 第四十七/四十八条 name sanctions — neither
    # gives points or a fine. A number claimed there is not confirmed (both were "是").
    for q in ("上城项目超期了，下一期申报打分是不是扣10分？", "乐山项目超了批复概算，是不是罚款5万元？"):
        a = assistant.ask(q)
        assert not a.answer.startswith(("是", "不是")), q


def test_an_amount_limit_asked_as_a_standard_needs_a_text_that_sets_one(assistant):
    # "金额标准是多少" asks a limit in money: 启东 names 公开招标 but sets no amount for it; 六安 第十六条
    # sets 100万元 for a 监理, which answers.
    a = assistant.ask("启东的项目要走公开招标，金额标准是多少？")
    assert not a.answerable and not a.citations
    b = assistant.ask("六安项目请监理的金额标准是多少？")
    assert b.answerable and "luan-2021/第十六条" in _cited(b) and "100万元" in b.answer


def test_what_another_law_says_is_not_answered_from_the_clause_that_names_it(assistant):
    # "按《政府采购法》具体怎么招标": 怎么 asks what the law says (its 么 is no question particle), which the
    # corpus does not hold; "要按…执行吗" asks whether the 办法 send the reader there, which they answer.
    a = assistant.ask("六安项目按《政府采购法》具体怎么招标？")
    assert not a.answerable and "政府采购法" in a.answer
    b = assistant.ask("乐山项目要按《政府采购法》执行吗")
    assert b.answerable


def test_a_body_s_name_holding_guan_is_not_asking_whether_the_rules_apply(assistant):
    # "按月报给市数管局": the 管 of 数管局 is no "按…管" (whether the 办法 govern); 六安 第二十一条
    # says 按年度, so the claim is wrong (the scope clauses answered it).
    a = assistant.ask("六安的运维情况是不是按月报给市数管局备案？")
    assert a.answer.startswith("不是") and "luan-2021/第二十一条" in _cited(a)


def test_a_budget_claimed_for_a_cost_needs_a_text_on_that_cost_s_funding(assistant):
    # "等保测评费可以算在网络数据安全预算里吗": which budget pays a cost, as who pays does. 上城 sets the
    # security budget's share but never says what 等保测评 is paid from (it was answered by that share).
    a = assistant.ask("上城项目的等保测评费可以算在网络数据安全预算里吗？")
    assert not a.answerable and not a.citations
    # 六安 第十六条 says where the 等保 costs go ("费用纳入该项目预算").
    b = assistant.ask("六安软件开发类新项目的等保测评费能算在项目预算里吗？")
    assert b.answerable and "luan-2021/第十六条" in _cited(b) and "纳入该项目预算" in b.answer


def test_a_claim_before_a_bare_tag_is_held_to_the_words_the_city_uses(assistant):
    # "…归建设单位 对吧": the tag asks whether what was said before it is so. 启东's 办法 never speak
    # of copyright (著作权, 知识产权), so they do not settle it (it quoted 第十一条 on 正版软件).
    a = assistant.ask("启东的项目合同里要写明著作权归建设单位 对吧")
    assert _refused(a) and not a.citations
    # Everyday words of the claim do not refuse it: 乐山 第二十九条 settles the 15% line.
    b = assistant.ask("乐山项目调内容，只要钱的变动不超过总投资的20%就能自己调，是这样吗？")
    assert b.answer.startswith("不是") and "leshan-2022/第二十九条" in _cited(b)


def test_the_amount_a_threshold_is_measured_in_is_not_what_it_is_for(assistant):
    # "投资多少以上才必须请监理": 投资 is what the line is drawn in; the 监理 said before is what it is
    # for. 乐山 requires 监理 without an amount (it quoted 第十八条's "总投资不超过500万元的").
    a = assistant.ask("乐山要请监理的话 投资多少钱以上才必须请")
    assert _refused(a) and "监理" in a.answer and not a.citations
    b = assistant.ask("六安投资多少以上要请监理")
    assert "luan-2021/第十六条" in _cited(b) and "100万元" in b.answer


def test_a_day_of_each_month_claimed_needs_a_day_the_text_gives(assistant):
    # "每月20号前报一次进度": 上城 第七章·第8段 gives 每月20日前; 乐山 gives no day for progress reports
    # (the 一次 made the claim read as a count of times, and a clause on 绩效监控 was quoted).
    _refused_without_number(assistant, "乐山是不是每月20号前要报一次项目进度", "20")
    _confirmed(assistant, "上城是不是每月20号前要报一次项目进度", "shangcheng-draft/第七章·第8段")


def test_an_amount_bounding_a_kind_of_project_is_a_claimed_threshold(assistant):
    # "超过2000万的项目都要报市政府审定吧": 乐山 第二十四条 sends some projects to the city government
    # but sets no amount for it; 六安 第九条 draws its line at 500万, which the rule engine weighs.
    _refused_without_number(assistant, "乐山超过2000万的项目都要报市政府审定吧", "2000")
    _confirmed(assistant, "六安500万以上的项目由建设单位编项目建议书报市发改委审批吧", "luan-2021/第九条")


def test_a_thing_asked_for_must_be_said_of_what_it_is_asked_of(assistant):
    # "等保测评要找有什么资质的机构": 启东 speaks of 资质 only for 监理单位 (第十三条); of the testing
    # it says nothing (it quoted the 监理 clause).
    a = assistant.ask("启东做等保测评要找有什么资质的机构")
    assert _refused(a) and "资质" in a.answer and not a.citations
    b = assistant.ask("启东监理单位要有什么资质")
    assert "qidong-2019/第十三条" in _cited(b) and "资质" in b.answer


def test_which_survey_comes_first_is_not_asking_for_the_first_step(assistant):
    # "先做什么调研" asks which survey (上城 第五章·项目申报·第3段: 5个街道的调研报告), not where the
    # procedure starts (it answered "第一步是申报").
    a = assistant.ask("上城要贯通到街道和社区的应用，写可研前先做什么调研")
    assert "shangcheng-draft/第五章·项目申报·第3段" in _cited(a) and "调研报告" in a.answer
    assert not a.answer.startswith("第一步")


def test_how_often_a_thing_is_sent_is_no_part_of_the_body_it_goes_to(assistant):
    # "一年报一次数管局备案": 一次 is how often, not part of the body's name. 六安 第二十一条 sends the
    # yearly report to 市数管局 — the same body (it answered "不是" for "一次数管局").
    _confirmed(assistant, "六安的运维情况是不是一年报一次数管局备案？", "luan-2021/第二十一条")
    b = assistant.ask("六安的运维情况是不是一年报一次财政局备案？")
    assert b.answer.startswith("不是")


def test_points_claimed_as_a_bar_need_a_text_that_sets_a_score(assistant):
    # "80分以上才算合格": a score, which none of the 办法 sets (启东 第二十五条 only lists what the
    # evaluation covers); it was answered with that clause. The refusal repeats no number.
    a = assistant.ask("启东效果评估是不是得80分以上才算合格")
    assert _refused(a) and "80" not in a.answer and "分值" in a.answer
    # Without points the claim is the text's to settle: 上城 第七章·第1段 counts overruns in the next scoring.
    _confirmed(assistant, "上城项目超期会影响下期申报评审打分吧", "shangcheng-draft/第七章·第1段")


def test_an_amount_claimed_for_a_named_cost_is_a_fee_not_the_project_s_size(assistant):
    # "评估论证的费用每个项目不超过3万吧": a fee claimed for 评估论证, which 乐山 does not set; the rule
    # engine took 3万 for the project's investment and answered "是" (≤ 500万, 第十八条).
    _refused_without_number(assistant, "乐山可研评估论证的费用每个项目不超过3万吧", "3万")
    # Who pays for it, without an amount, is 六安 第十二条's to settle.
    _confirmed(assistant, "六安项目论证费用是纳入年度预算的吧", "luan-2021/第十二条")


def test_a_floor_claimed_is_not_settled_by_another_thing_s_ceiling(assistant):
    # "数据安全的投入不低于总投资的8%": 乐山 sets no share for security spending; its only share of
    # 总投资 is the ceiling on adjustments (第二十九条, 15%), which confirmed the claim (8 ≤ 15).
    a = assistant.ask("乐山项目里数据安全的投入不低于总投资的8%对吧")
    assert _refused(a) and "8%" not in a.answer and "占总投资的比例" in a.answer
    # 上城 sets the floor itself (第七章·第10段: 不低于项目总投资的5%).
    b = assistant.ask("上城新建项目的网络安全投入不能低于总投资的10%吧")
    assert b.answer.startswith("不是") and "shangcheng-draft/第七章·第10段" in _cited(b)


def test_an_adverb_cut_loose_is_no_topic_a_value_must_be_said_of(assistant):
    # jieba cuts "只要钱的变化" into 只 / 要钱 / …: 只 weighed as a topic word that 乐山 第二十九条's 15%
    # had to be said of, and the claim was refused.
    _confirmed(assistant, "乐山项目调内容，只要钱的变化不超过总投资的15%就行吧", "leshan-2022/第二十九条")


def test_a_step_the_city_never_names_has_no_time_of_its_own(assistant):
    # "半年之内得把初验做完": 六安 names no 初验 (its 验收 is one 竣工验收 after a month's trial run),
    # so no time it gives is the step's; it answered "是". The refusal repeats no 半年.
    a = assistant.ask("六安项目建好以后半年之内得把初验做完吧")
    assert _refused(a) and "初验" in a.answer and "半年" not in a.answer
    # 启东 第二十条 gives the step its half year.
    _confirmed(assistant, "启东项目建设完成后半年内要完成初步验收吧", "qidong-2019/第二十条")


def test_a_step_is_named_by_its_own_spellings_not_by_its_stage_s_name(assistant):
    # "完工以后两个月内就得搞初验": 上城 gives 初验 no deadline. Its "验收不合格的，可在2个月内进行整改"
    # names 验收, the stage, not the step, and "初验材料…生成后的5个工作日内" times the 材料; the 内
    # of 两个月内 is the number's bound, no topic. It answered "是".
    a = assistant.ask("上城的项目完工以后两个月内就得搞初验吧")
    assert _refused(a) and "初验" in a.answer and "两个月" not in a.answer
    _confirmed(assistant, "上城初验通过以后试运行至少30天吧", "shangcheng-draft/第八章·第1段")


def test_a_document_that_sets_no_term_has_none_to_give_or_confirm(assistant):
    # 六安 第二十九条 only says when it takes effect: "有效期多久" and "有效期是5年吧" are refused with
    # that provision as reading (they were answered with its status card, as if it said).
    a = assistant.ask("六安的办法有效期多久")
    assert _refused(a) and "没有规定有效期" in a.answer and "第二十九条" in a.answer
    b = assistant.ask("启东的办法有效期是三年对吧")
    assert _refused(b) and "没有规定有效期" in b.answer
    c = assistant.ask("六安这个办法没规定期限吧")
    assert c.answer.startswith("是") and "luan-2021/第二十九条" in _cited(c)
    # Several documents: each says its own, 乐山 its date.
    d = assistant.ask("几个办法的有效期分别是多久")
    assert "有效期至2027年6月24日" in d.answer and d.answer.count("没有规定有效期") == 3


def test_how_many_then_what_each_is_asks_what_each_is(assistant):
    # "有几个关键日期分别是什么时候": what each date is, not how many there are; it was refused as a
    # count 六安 does not set ("没有规定关键日期的人数或数量").
    a = assistant.ask("六安的项目一年有几个关键日期分别是什么时候")
    assert not _refused(a) and "luan-2021/第九条" in _cited(a) and "人数或数量" not in a.answer


def test_a_share_claimed_of_a_base_is_said_of_what_came_before_it(assistant):
    # "合同里的首付款，是不是不能超过合同金额的30%": the claim is of 首付款, said before the ask, out
    # of 合同金额. 上城 sets no share for it; its only share (第七章·第12段, 核减不超过预算金额15%) is
    # another thing's. It was answered with that clause.
    a = assistant.ask("上城的合同里，预付款是不是不能超过合同金额的40%？")
    assert _refused(a) and "预付款占合同金额的比例" in a.answer and "40" not in a.answer
    _confirmed(assistant, "上城变更的时候，资金核减不超过预算金额15%的，建设单位自己走内控流程就行吧", "shangcheng-draft/第七章·第12段")


def test_a_count_claimed_is_of_the_event_said_before_it_and_in_any_counter(assistant):
    # "立项时开专家评审会，评审专家至少要请7位": 7位 is a count of people (it was no number, and a
    # sentence sharing the words confirmed the claim "是"); the event said before the ask (立项的专家
    # 评审会) is what it is claimed of, so 上城's 初验 panel of 3人 does not settle it.
    _refused_without_number(assistant, "上城立项时开专家评审会，评审专家至少要请7位吧", "7")
    b = assistant.ask("上城立项那次专家评审会，专家是不是至少得请7个人？")
    assert _refused(b)
    c = assistant.ask("上城初验请的专家至少3位吧")
    assert c.answer.startswith("是") and "shangcheng-draft/第八章·第1段" in _cited(c)
    # An open count names what it counts after 几: "一个部门" is who asks, not what is counted.
    d = assistant.ask("启东一个部门一年能走几次特殊申报程序")
    assert not _refused(d) and "qidong-2019/第八条" in _cited(d)


def test_a_length_the_text_gives_of_a_step_settles_no_deadline_claimed_for_another(assistant):
    # "初验通过以后，30天之内就要申请终验": 上城's 30天 is the length of 试运行 ("不少于30天的试运行"),
    # not a time to apply within; it answered "是".
    _refused_without_number(assistant, "上城初验通过以后，30天之内就要申请终验，对吧", "30")
    _confirmed(assistant, "六安项目试运行1个月就够了吧", "luan-2021/第十九条")


def test_a_rhythm_claimed_needs_a_text_that_states_one(assistant):
    # "每个月要向数字经济局报一次情况": how often, which 乐山 does not state of 试运行; a sentence sharing
    # the words confirmed it ("是"). A rhythm the text states confirms a claim of it.
    a = assistant.ask("乐山项目试运行期间，每个月要向数字经济局报一次情况吧")
    assert _refused(a)
    _confirmed(assistant, "六安的项目运维情况每年报一次数管局备案吧", "luan-2021/第二十一条")


def test_a_rate_claimed_of_a_base_needs_a_text_that_sets_it(assistant):
    # "监理费占总投资的3%": a share, which 启东 does not set (its 附件3 only lists 投资估算 among a
    # feasibility report's chapters, which it quoted).
    _refused_without_number(assistant, "启东项目单位自己搞的话，监理费占总投资的3%对吧", "3%")


def test_a_length_the_text_gives_of_one_event_settles_no_time_claimed_for_another(assistant):
    # "验收不合格的项目，给2个月时间整改": 乐山's 3 个月 is how long 试运行 lasts ("经 3 个月试运行正常
    # 后"); it said "不是" as if 乐山 gave 3 months to rectify.
    a = assistant.ask("乐山验收不合格的项目，给2个月时间整改后再验，对吧")
    assert not a.answer.startswith(("是", "不是"))
    b = assistant.ask("乐山项目试运行两个月就够了吧")
    assert b.answer.startswith("不是") and "leshan-2022/第三十一条" in _cited(b)


def test_a_span_of_time_claimed_needs_a_text_that_gives_one(assistant):
    # "在系统运行6到12个月之间做": a span claimed, which 六安 第二十三条 does not give ("根据需要"); a
    # sentence sharing the words confirmed it. 乐山 第四十六条 gives its 12 至 24 个月.
    _refused_without_number(assistant, "六安的绩效评估是在系统运行6到12个月之间做吧", "12")
    _confirmed(assistant, "乐山项目投入运行后12到24个月内要做自评价吧", "leshan-2022/第四十六条")


def test_is_that_what_it_says_asks_of_the_claim_before_it(assistant):
    # "…至少占总投资3%，是这么规定的吧": the tag asks whether the claim before it is the rule; 六安 sets
    # no such share (it quoted 第十六条 on 等级保护).
    _refused_without_number(assistant, "六安的项目网络安全预算至少占总投资3%，是这么规定的吧", "3%")
    _confirmed(assistant, "上城新建项目的网络数据安全预算不低于总投资的5%，是这样规定的吗", "shangcheng-draft/第七章·第10段")


def test_a_meeting_named_after_a_section_asks_of_that_section(assistant):
    # "专家评审会请的专家也要3人以上单数": the meeting of 上城's 专家评审 section, which sets no number;
    # the 3人（含）以上单数 of 第八章·第1段 is the 初验 panel's (it answered "是" from it).
    _refused_without_number(assistant, "上城开专家评审会请的专家也要3人以上单数吧", "3人")
    _confirmed(assistant, "上城初验专家要3人以上单数吧", "shangcheng-draft/第八章·第1段")


def test_a_length_said_last_or_given_is_claimed_and_needs_a_text_that_states_it(assistant):
    # "一届任期两年，是不是": 六安 names its 专家组 but no term; it answered "是" from 第六条.
    # "给1个月整改": a time allowed, which 启东 does not set for a failed 初验.
    _refused_without_verdict(assistant, "六安专家组的专家，一届任期两年，是不是", "启东的项目初验没通过，给1个月整改再验，对吧")
    # The same shape, where the text gives the length, is still confirmed.
    _confirmed(assistant, "上城跟承建单位签的合同，维保期得有2年，对吗", "shangcheng-draft/第七章·第9段")


def test_an_item_of_a_list_is_read_with_its_lead_in(assistant):
    # "4.明确…维保期一般不少于2年" is an item of "项目建设单位与承建单位签订的项目合同中应当明确…": the
    # contract the claim names is in the lead-in (it was refused as not stated).
    _confirmed(assistant, "上城跟承建单位签的合同，维保期至少2年吧", "shangcheng-draft/第七章·第9段")


def test_a_part_naming_nothing_but_a_length_claims_it_of_the_part_before(assistant):
    # "试运行开展起来，最少是30天吗": the 30天 is the 试运行's, named in the part before (it was refused).
    a = assistant.ask("上城区试运行开展起来，最少是30天吗")
    assert not _refused(a) and "shangcheng-draft/第八章·第1段" in _cited(a)


def test_an_amount_claimed_as_a_line_needs_a_text_that_draws_it_for_what_is_asked(assistant):
    # 乐山 draws 500万 for merging 可研 and 初设, and sends some projects to 市政府 with no amount:
    # "500万以上的都要上市政府" is not settled by the other line (it was answered from 第十八条).
    _refused_without_verdict(assistant, "乐山500万以上的项目都要上市政府常务会吧")
    # The line drawn for what is asked still settles it.
    _confirmed(assistant, "乐山500万以下的项目可研和初设可以合并报吧", "leshan-2022/第十八条")


def test_a_stage_the_ask_names_is_its_topic_however_common_its_word(assistant):
    # "做完之后" and "怎么走" weigh; 验收 (IDF under the matched-weight floor) is the stage asked of,
    # and 六安's acceptance clauses name it (it was refused as matching nothing).
    a = assistant.ask("六安项目做完之后验收怎么走")
    assert not _refused(a) and "luan-2021/第十九条" in _cited(a)


def test_a_length_claimed_of_a_period_it_names_needs_a_text_that_gives_one(assistant):
    # "有3个月整改期": the length of a period for 六安's failed acceptance, which its text does not
    # give (it answered "是" from 第二十条, which has no number); 启东 got "不是" the same way.
    _refused_without_verdict(assistant, "六安竣工验收不合格的，是不是有3个月整改期？", "启东验收没通过，有1个月整改期吧")
    _confirmed(assistant, "上城审计发现问题，是不是有3个月整改期", "shangcheng-draft/第九章·第6段")


def test_what_an_open_ask_is_about_must_be_named_by_the_city_asked(assistant):
    # "结余资金怎么处理": 六安 and 乐山 say what happens to what is left over; 启东 never names it
    # (it answered from 第十八条, on changing a project).
    a = assistant.ask("启东项目结余资金如何处理")
    assert _refused(a) and "结余" in a.answer.splitlines()[0]
    b = assistant.ask("六安项目结余资金怎么处理")
    assert not _refused(b) and "luan-2021/第二十五条" in _cited(b)


def test_a_span_of_time_claimed_for_a_single_act_needs_a_text_that_gives_one(assistant):
    # "12到24个月内要做一次绩效评价" is 乐山's window for 自评价; 六安 and 启东 give none (the 一次
    # made it read as how often, and it was answered).
    _refused_without_verdict(assistant, "六安系统运行后12到24个月内要做一次绩效评价吧", "启东项目上线后是不是要在12到24个月内做一次后评价")
    _confirmed(assistant, "乐山项目投入运行后是不是要在12到24个月内做一次自评价？", "leshan-2022/第四十六条")


def test_a_unit_named_as_what_something_is_is_not_the_asker(assistant):
    # "责任人是项目单位的一把手": 项目单位 is who the 责任人 is, not a unit telling its story; read as
    # the asker it was dropped, and the claim was refused as matching nothing.
    _confirmed(assistant, "乐山项目责任人是项目单位的一把手，是吧", "leshan-2022/第二十六条")


def test_who_approves_is_the_body_the_work_is_sent_to(assistant):
    # 六安 第九条: "由市数管局会同项目建设单位…打捆编制项目建议书报市发改委审批" — 市数管局 writes it,
    # 市发改委 approves (the claim that 市数管局 approves got "是").
    a = assistant.ask("六安项目都是市数管局审批的吧")
    assert a.answer.startswith("不是") and "luan-2021/第九条" in _cited(a)


def test_a_body_claimed_to_do_a_duty_is_not_confirmed_by_a_sentence_without_that_duty(assistant):
    # 启东 第九条 has the 领导小组办公室 receive the application; it does not say it approves (it got "是").
    a = assistant.ask("启东项目是领导小组办公室审批的吧")
    assert not a.answer.startswith("是")


def test_a_time_limit_counted_from_another_stage_is_not_the_one_claimed(assistant):
    # 启东 sets 半年 from the end of construction (建设完成半年内…完成初步验收); a 半年 claimed from
    # the initial acceptance, or from a failed final one, is not it (both got "是"): no text sets one.
    _refused_without_verdict(assistant, "启东初验通过以后，竣工验收要在半年内做完吧", "启东竣工验收没过的话，半年内不能再申请吧")
    b = assistant.ask("启东建设完成后半年内要完成初验吧")
    assert b.answer.startswith("是")


def test_the_end_of_a_month_claimed_is_a_deadline_that_needs_a_text_that_sets_it(assistant):
    # 六安 files 运维情况 by the year with no date; "也是6月底这个时间吧" was answered from 第十九条.
    a = assistant.ask("六安项目运维情况报数管局备案，也是6月底这个时间吧")
    assert _refused(a) and "6月" not in a.answer.splitlines()[0]
    _confirmed(assistant, "六安项目申报也是7月底吧", "luan-2021/第九条")


def test_an_ask_for_each_value_quotes_every_item_that_states_one(assistant):
    # 启东 第七条's 一般申报程序 sets three dates in three items; "哪几个时间节点" wants each (the
    # third, 12 月底, was left out as fitting less well).
    a = assistant.ask("启东电子政务项目一般申报程序，一年里一共有哪几个时间节点？")
    assert "qidong-2019/第七条" in _cited(a)
    assert all(date in a.answer for date in ("10 月底", "11 月 30 日", "12 月底"))


def test_the_steps_of_one_stage_are_answered_first_by_the_clauses_that_govern_it(assistant):
    # "立项的流程": 上城's 项目立项 section and 乐山's 第十八条 govern the stage (corpus/checklist.yaml);
    # clauses naming 立项 more often (上城 第十章, 乐山 第八条's list of what is 不予立项) led alone.
    a = assistant.ask("上城立项的流程是怎样的")
    assert a.citations[0].doc_id == "shangcheng-draft" and a.citations[0].article == "第五章·项目立项·第1段"
    b = assistant.ask("乐山项目立项的流程是什么")
    assert "leshan-2022/第十八条" in _cited(b) and b.citations[0].article != "第八条"


def test_a_designated_firm_claimed_needs_a_text_that_names_one(assistant):
    # No 办法 designates a firm: "必须找市里指定的监理公司吧" and "指定的测评机构" are refused, not
    # confirmed or denied from a clause that asks for 资质 or a 第三方.
    _refused_without_verdict(assistant, "启东项目监理必须找市里指定的监理公司吧", "乐山的等保测评得找市里指定的测评机构做，对吧")


def test_a_refusal_names_what_is_not_covered_with_its_negation(assistant):
    # The refusal said "没有规定竣工验收合格整改的期限": the 不 of 不合格 was dropped with the
    # function words, which turned the condition around.
    a = assistant.ask("六安竣工验收不合格的，是不是有3个月整改期？")
    assert _refused(a) and a.answer.startswith("六安市的办法没有规定竣工验收不合格整改的期限")


def test_how_big_a_project_must_be_to_count_as_a_kind_asks_for_the_amount(assistant):
    # "多小算规模较小", "有没有金额标准" ask where an amount draws the line: 启东 lets 规模较小 projects
    # be accepted by their own unit without saying how small; 乐山 draws its line at 500万元.
    _refused_as(assistant, "启东的项目多小才算“建设规模较小”？", "金额门槛")
    b = assistant.ask("乐山总投资多少钱算可以合并编报实施方案的项目？")
    assert "leshan-2022/第十八条" in _cited(b) and "500万元" in b.answer


def test_a_qualification_is_asked_of_the_firm_the_question_names(assistant):
    # 乐山 asks for 资质 of a 第三方咨询评估机构 (第二十四条) and lists a 第三方审计报告 among the
    # acceptance papers (第三十一条): neither says what firm may audit.
    a = assistant.ask("那出第三方审计报告的机构要什么资质？", history=["乐山项目竣工验收要准备哪些资料？"])
    assert _refused(a) and "资质" in a.answer.split("\n")[0]
    b = assistant.ask("启东监理单位要有什么资质？")
    assert b.answerable and "qidong-2019/第十三条" in _cited(b)


def test_a_number_beside_how_many_times_is_still_claimed(assistant):
    # "开一次评审会" is the act's rhythm; "5个以上专家" beside it is a count that a text must state.
    a = assistant.ask("六安项目验收是不是要请5个以上专家开一次评审会？")
    assert _refused(a) and "人数" in a.answer.split("\n")[0] and "5" not in a.answer
    _confirmed(assistant, "上城区的项目初验是不是得请3位以上专家评一次？", "shangcheng-draft/第八章·第1段")


def test_secondary_development_is_no_count_of_times():
    # 二次开发 is "secondary" development; two times is 两次.
    from assistant.answers.verdict import judge

    v = judge("验收前是不是还得搞一次初验", "项目验收前承建方应向项目单位移交合格的项目技术文档和定制开发或二次开发的源代码。")
    assert v is None or "次" not in v.why


def test_a_bare_ask_in_a_story_is_asked_of_the_step_the_story_heads_for(assistant):
    # "最快要等多久" names nothing: it is asked of 验收, the step the story heads for, not of the
    # story's 系统 and 合同, which the sentence with 乐山's 3 个月 does not name.
    a = assistant.ask("我们单位在乐山，系统按合同都开发完了，准备验收，最快要等多久？")
    assert a.answerable and a.citations[0].article == "第三十一条" and "3 个月" in a.answer.split("\n")[0]


def test_how_many_is_fitting_counts_the_noun_before_it(assistant):
    # "几个合适" judges the number; it counts no 合适. 上城 sets the 专家组 at 3 人（含）以上单数.
    a = assistant.ask("上城区项目初验的时候，验收专家组找几个合适？")
    assert a.answerable and a.citations[0].article == "第八章·第1段" and "3人" in a.answer.split("\n")[0]


def test_the_nodes_of_a_procedure_are_its_dates_not_a_form_s_fields(assistant):
    # "申报程序有哪些节点" asks when each step falls (启东 第七条: 10 月底, 11 月 30 日, 12 月底), not
    # what the 申报表 (附件1) asks to fill in; "哪几个节点" is asked of 节点 as "哪些节点" is.
    for question in ("启东电子政务项目申报程序，按先后都有哪些节点？", "启东项目一般申报程序要经过哪几个节点？"):
        a = assistant.ask(question)
        assert a.citations[0].article == "第七条" and "表中须填写" not in a.answer and "10 月底" in a.answer, question
    b = assistant.ask("上城区项目申报有哪几个节点？")
    assert b.answerable and b.citations[0].article == "第五章·项目申报·第1段"
    c = assistant.ask("启东申报表要填哪些内容？")  # a form's fields, asked for as such
    assert "表中须填写" in c.answer


def test_an_amount_said_to_define_a_kind_of_project_needs_a_text_that_draws_it(assistant):
    # 启东 lets 规模较小 projects be accepted by their own unit without an amount: "指的是30万以下吧"
    # is refused, not confirmed from the clause that names them; 乐山 draws its line at 500万元.
    a = assistant.ask("启东可以委托建设单位自己组织竣工验收的小项目，指的是投资30万以下吧？")
    assert _refused(a) and not a.answer.startswith(("是", "不是")) and "30" not in a.answer
    _confirmed(assistant, "乐山可以合并编报实施方案的项目，就是总投资500万以下的吧？", "leshan-2022/第十八条")


def test_a_protection_level_asked_needs_a_text_that_sets_one(assistant):
    # No 办法 says which 等保 level a kind of system takes (上城 only lays duties on 第三级（含）以上
    # systems): "等保定几级" is refused as such, not answered with the clause on 等保 duties.
    a = assistant.ask("我们是上城区的，做个内部办公用的小系统，等保要定到几级？")
    assert _refused(a) and "资质" not in a.answer
    _refused_as(assistant, "上城区一个业务系统，等保应该定几级？", "等级保护的级别")


def test_once_a_year_is_a_rhythm_claimed(assistant):
    # "一年做一次" says 每年一次: 乐山 sets one 自评价 12 至 24 个月 after going live, no yearly rhythm,
    # so the claim is not confirmed from that sentence; 六安's 申报 每年7月底前 is yearly.
    _refused_without_verdict(assistant, "乐山项目是不是一年做一次自评价？")
    _confirmed(assistant, "六安项目一年申报一次，对吧？", "luan-2021/第九条")


def test_how_to_reach_a_body_is_not_in_the_texts(assistant):
    # No 办法 gives a phone number, an address or a web address: asked for, they are refused as
    # such, not answered with the clause that names the body or the platform.
    _refused_as(assistant, "上城区数据资源局在哪办公？", "联系方式或地址")
    _refused_as(assistant, "乐山项目备案登记平台的网址是什么？", "网址")
    b = assistant.ask("启东项目申报要交给哪个部门？")  # who, still answered
    assert b.answerable and "qidong-2019/第七条" in _cited(b)
