"""What a question asks for, in the order the assistant tries to answer it: a refusal of scope,
a clause named by number, the document itself, the whole lifecycle, or an extractive answer."""

from __future__ import annotations

import re
from enum import Enum

from assistant.search.query import QueryAnalysis


class Intent(str, Enum):
    UNKNOWN_PLACE = "unknown_place"      # only places the corpus does not cover (深圳 …)
    CITY_LEVEL = "city_level"            # "杭州市本级": the parent city's own rules, not held
    CLAUSE_LOOKUP = "clause_lookup"      # 第X条 / 第X条第Y款 / 附件N
    DOCUMENT_STATUS = "document_status"  # in force? valid until? what it repeals
    DOCUMENT_BASIS = "document_basis"    # its purpose and legal basis
    CHECKLIST = "checklist"              # the lifecycle for a project
    ANSWER = "answer"                    # retrieval, the relevance gate, the clause that answers


_CITY_LEVEL = re.compile(r"本级|市级|省级|全市|全省")
_DOCUMENT_Q = re.compile(r"(办法|这个文件|该文件|本文件|这份文件).{0,8}(生效|施行|有效期|有效吗|还有效|长期有效|一直有效|"
                         r"有效的|(没|有)?(规定)?期限|废止|失效|过期|到期|期满|"
                         r"现行|征求意见|印发|开始(执行|实施|施行)|(已经|正式)[^，。？?]{0,4}(实施|施行|生效|执行)|"
                         r"((什么|啥)时候|何时|哪天|哪一?年)(发布|出台|实施|开始|执行|施行|生效|印发|起))|"
                         # how long the document itself lasts ("这个办法能管几年"), not a period it sets
                         r"(办法|这个文件|该文件|本文件|这份文件)(本身)?(能|可以|还能|还)?(管|用|有效|执行|施行)?"
                         r"(几年|多少年|多久|多长时间|到(什么时候|哪年|何时))")
_BASIS_Q = re.compile(r"(制定|出台|定)(这个|本|该)?(办法)?的?(目的|依据|根据)|(依据|根据)(哪些|什么|哪个)(文件|规定|上位)|"
                      r"上位(文件|法)|(这个|本|该)办法.{0,6}(依据|根据|目的)")
# "500万以下项目需要什么材料？", "全流程自查": a checklist across the lifecycle (with an amount, or
# when the whole process is asked for).
_CHECKLIST_Q = re.compile(r"(需要|要)(准备|交|提交)?(什么|哪些)(材料|资料|手续|程序|流程)|全流程|全过程|整个流程|自查|要走哪些")
_CHECKLIST_ALL = re.compile(r"全流程|全过程|整个流程|整个过程|全套流程|从头到尾|自查|从申报到")
# Where to start: the first stage of the lifecycle ("第一步干嘛", "先做什么").
FIRST_STEP = re.compile(r"第一步|先(要)?(做|干|办)(什么|啥|嘛)(?!(?![后再然呢啊呀才])[\u4e00-\u9fa5]{2})|从哪(里|儿)?(开始|入手|着手)|怎么开始")
# Words that name one stage of the lifecycle: a question naming one is about that stage.
_STAGE_WORDS = ("申报", "审查", "评审", "论证", "立项", "审批", "采购", "招标", "监理", "合同", "验收", "试运行",
                "运维", "维护", "绩效", "评价")


def wants_whole_lifecycle(question: str) -> bool:
    """"全流程", "从头到尾", "自查": every stage is asked for, whatever else the question names."""
    return bool(_CHECKLIST_ALL.search(question))


def wants_checklist(analysis: QueryAnalysis) -> bool:
    """The whole lifecycle is asked for ("全流程", "自查"), or the materials/steps for a project of
    some amount without naming one stage ("500万以下项目需要什么材料？")."""
    q = analysis.question
    if _CHECKLIST_ALL.search(q) or FIRST_STEP.search(q):
        return True
    return bool(_CHECKLIST_Q.search(q) and analysis.quantities and not any(w in q for w in _STAGE_WORDS))


def intents(analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> list[Intent]:
    """The intents to try, in order; each answer builder may decline and pass to the next."""
    if analysis.unknown_places and not doc_ids:
        return [Intent.UNKNOWN_PLACE]
    if analysis.regions and (analysis.cities or _CITY_LEVEL.search(analysis.question)):
        return [Intent.CITY_LEVEL]  # with a city named, regions holds only one asked of at its own level
    out = []
    if analysis.article_refs or analysis.attachment_refs:
        out.append(Intent.CLAUSE_LOOKUP)
    if _DOCUMENT_Q.search(analysis.question):
        out.append(Intent.DOCUMENT_STATUS)
    if _BASIS_Q.search(analysis.question):
        out.append(Intent.DOCUMENT_BASIS)
    if wants_checklist(analysis):
        out.append(Intent.CHECKLIST)
    return out + [Intent.ANSWER]
