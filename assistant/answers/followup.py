"""Follow-ups: a question read in the light of the conversation before it.

"六安试运行多久？" then "那乐山呢？" asks the same of 乐山; "上城区什么时候集中申报？" then "要交哪些材料？"
asks about 上城区's 申报. What a follow-up omits — the city, the stage it is about, or everything but
a new city — is carried over from the previous questions, and the answer says what it carried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from assistant.corpus.maps import Stage
from assistant.search.query import Analyzer

MAX_TURNS = 6  # earlier questions looked at, newest first
# What is left of "那乐山呢？" / "500万以上呢" once places and numbers are gone: nothing of its own.
# The amount a question asks about, which a follow-up's number fills in.
_ASKED_AMOUNT = re.compile(r"(投资|金额|预算)?(多少钱|多少万元?|多少|几万元?)(及)?(以上|以下)?")
# An ask that asks nothing of its own ("乐山那边是怎么规定的？", "启东有什么要求") is filler too: it
# asks the previous question of the place it names.
_FILLER = re.compile(r"[那呢的吗吧么又还和跟与及或也呀啊嘛，,。？?！!：:、\s\u2002]|怎么样|如何|情况|分别|那边|这边|的话|如果是|如果|要是|假如|"
                     r"是?(怎么|咋|如何)(规定|说|要求|讲)|有(什么|啥|哪些)(规定|要求|说法)|"
                     r"不超过|超过|不到|低于|高于|不低于|不少于|少于|多于|以上|以下|以内|及以上|及以下")
# A kind of project ("运维项目", "新建类项目"), which names no stage of its own.
_KIND = re.compile(r"(运行维护|运维|维护|新建|续建|改建|扩建|升级改造)(类)?项目")
# A number with the bound around it: "超过500万", "500万以上".
_BEFORE = r"(?:不超过|超过|不到|低于|高于|不低于|不少于|少于|多于|达到)?"
_AFTER = r"(?:及以上|及以下|（含）以上|以上|以下|以内)?"


# A follow-up that asks for the next stage.
_NEXT = re.compile(r"下一步|然后呢|接下来呢?|之后呢|再然后|后面呢|再往后|下一个环节")
# A follow-up that names a thing and asks nothing of its own: "可研报告呢", "那运维项目呢".
_ELLIPTICAL = re.compile(r"^(?:那么?|还有|那如果是?)?(?P<named>(?:(?!什么|啥|怎|几|多少|多久|哪|谁|吗|吧|是否|能否|能不能|要不要|"
                         r"可不可以|有没有)[^，,。？?！!])+?)(?:的话)?呢[？?]?$")
_WHO_ASKED = re.compile(r"谁|哪(里|儿|个)?(出|来|掏|承担|负担|列支)")
# A fee or price named on its own ("监理费呢", "那评审费用呢").
_FEE_NAMED = re.compile(r"(费|费用|经费|价格|报价|收费)$")
# Where the previous question's ask starts: its interrogative word, with the modal and verb right
# before it ("要交什么表", "要多久").
_ASK_START = re.compile(r"(?:(?:要|得|需要|该|应该?|可以|能|会)[\u4e00-\u9fa5]{0,2}?)?"
                        r"(?:几|什么|啥|多少|多久|多长|哪|谁|怎么|怎样|如何|是否|能否|要不要|需不需要|能不能|可不可以|"
                        r"是不是|有没有)[^，,。；;]*")


def _ask_tail(question: str) -> str | None:
    """The asking part of a question's last ask: "启东的年度计划几月底前报？" → "几月底前报？"."""
    found = list(_ASK_START.finditer(question))
    return found[-1].group(0) if found else None


@dataclass(frozen=True)
class Carried:
    question: str           # the question as answered: with what it carried over
    note: str | None = None  # what was carried, in the user's words (None: nothing)
    stage: str | None = None  # the lifecycle stage asked about ("下一步呢": the one after the previous)
    again: bool = False  # the previous question asked again, of another place ("那乐山呢？")


def stage_words(stages: Iterable[Stage]) -> dict[str, str]:
    """The words that name a lifecycle stage or a compared topic (申报, 验收, 试运行多久 …), longest
    first, each with the name of its stage or topic (a word named twice keeps the later one)."""
    words = {w: s.name for s in stages for w in (s.name, *s.aliases) if len(w) >= 2}
    return dict(sorted(words.items(), key=lambda kv: len(kv[0]), reverse=True))


def _stage_in(stages: dict[str, str], text: str) -> str:
    return next((name for word, name in stages.items() if word in text), "")


def _bounded(question: str, quantities) -> str:
    """The follow-up's amount or share with its bound, as written ("超过500万", "10%以上")."""
    for q in quantities:
        if q.kind in ("money", "percent"):
            m = re.search(_BEFORE + re.escape(q.text) + _AFTER, question)
            if m and m.group(0) != q.text:
                return m.group(0)
    return ""


# A follow-up made only of how it asks: "分哪几种？", "都包括什么？", "具体有哪些？".
_BARE = re.compile(r"^(?:那|那么|这|这个|它|具体|都|还|一共|总共|主要)*(?:分|分为|分成|有|包括|包含|是|指|要|需要|得)?"
                   r"(?:哪几|哪些|几|什么|啥|多少)(?:种|类|个|项|样|部分|方面|内容|块|步)?(?:呢|啊|呀)?[？?]?$")
# How a yes/no question ends: "…要做效果评估吗？" asks of 效果评估.
_YES_NO_END = re.compile(r"(?:吗|吧|么|呢|没有|不)?[？?]?$")


# A kind of project pointed at ("这种项目", "这类系统"): the one the previous question described.
_THIS_KIND = re.compile(r"(?:这种|这类|这样的|此类|该类|这一类|这个类型的?)(项目|系统)")
# The previous question's description of its project: a phrase ending in 项目 or 系统, within
# one clause of the question ("用政府购买服务方式的项目", "500万以上的项目").
_PROJECT_PHRASE = re.compile(r"[^，,。；;？?！!\s\u2002]{2,24}?(?:项目|系统)")
_SPEAKER = re.compile(r"^(?:那么?|如果是?|要是|假如|我们的?|咱们的?|我们局的?|我局的?)")


def _described(topic: str) -> str:
    """The kind of project a question describes ("乐山用政府购买服务方式的项目…" → 用政府购买服务方式的项目),
    or "" when it describes none beyond the bare word."""
    for m in _PROJECT_PHRASE.finditer(topic):
        phrase = _SPEAKER.sub("", m.group(0))
        if len(phrase) >= 4 and not _THIS_KIND.search(phrase):
            return phrase
    return ""


def carry_over(analyzer: Analyzer, stages: dict[str, str], question: str, history: Sequence[str],
               lifecycle: Sequence[str] = ()) -> Carried:
    """The question with what it omits taken from the previous ones (newest first). `lifecycle`:
    the stages in their order (申报, 审查, 立项 …), for "下一步呢"."""
    earlier = [h.strip() for h in history if h and h.strip()][-MAX_TURNS:]
    if not earlier:
        return Carried(question)
    previous = carry_over(analyzer, stages, earlier[-1], earlier[:-1], lifecycle).question
    pointed = _THIS_KIND.search(question)
    kind = _described(analyzer.analyze(previous).topic) if pointed else ""
    if not kind:
        return _carry(analyzer, stages, question, previous, lifecycle)
    # "那这种项目验收谁来组织？" after "乐山用政府购买服务方式的项目要满足哪些条件？": the kind described.
    carried = _carry(analyzer, stages, question.replace(pointed.group(0), kind, 1), previous, lifecycle)
    said = f"“{pointed.group(0)}”指上一问说的“{kind}”"
    return replace(carried, note=f"{carried.note}；{said}" if carried.note else said)


def _carry(analyzer: Analyzer, stages: dict[str, str], question: str, previous: str,
           lifecycle: Sequence[str]) -> Carried:
    prev = analyzer.analyze(previous)
    now = analyzer.analyze(question)
    if _NEXT.search(question) and not now.doc_ids and prev.doc_ids:
        # "六安的项目怎么申报？" then "然后呢？下一步找谁": the stage after 申报.
        stage = _stage_in({w: n for w, n in stages.items() if n in lifecycle}, prev.topic)
        if stage and lifecycle.index(stage) + 1 < len(lifecycle):
            after = lifecycle[lifecycle.index(stage) + 1]
            cities = "、".join(prev.cities)
            return Carried(f"{cities}{after}：{question}", f"承接上一问（{stage}）的下一环节（{after}），按{cities}作答",
                           stage=after)
    own = _FILLER.sub("", now.topic)
    for q in now.quantities:
        own = own.replace(q.text, "")
    if len(own) <= 1:
        # Nothing of its own but a place or a number: the previous question, asked again of it.
        places = "、".join(now.cities) or "、".join(prev.cities)
        extra = "".join(q.text for q in now.quantities)
        body = prev.topic.strip()
        bounded = _bounded(question, now.quantities)
        earlier_bound = next((m for q in prev.quantities if q.kind == "money"
                              for m in [re.search(_BEFORE + re.escape(q.text) + _AFTER, body)] if m), None)
        if extra and _ASKED_AMOUNT.search(body):
            # "多少钱以上要请监理？" then "如果是80万呢": the same question of an 80万 project.
            text = f"{places}{_ASKED_AMOUNT.sub(extra, body, count=1)}"
        elif extra and earlier_bound is not None:
            # "500万以下的…打捆报吗？" then "那超过500万的呢" (or "那300万的呢"): the same question
            # of the other bound, or of the other amount.
            text = f"{places}{body[:earlier_bound.start()]}{bounded or extra}{body[earlier_bound.end():]}"
        else:
            text = f"{places}{body}" + (f"（{bounded or extra}）" if extra else "")
        stage = _stage_in(stages, body)
        return Carried(text, f"承接上一问{f'（{stage}）' if stage else ''}，按{places}作答",
                       again=bool(now.doc_ids) and not extra)
    elliptical = _ELLIPTICAL.match(question.strip())
    tail = _ask_tail(previous) if elliptical else None
    named = elliptical.group("named") if tail else ""
    if tail and _FEE_NAMED.search(named) and not _WHO_ASKED.search(tail):
        # "多少钱以上要请监理？" then "监理费呢": a fee named asks what it is, not the previous ask of it
        # — unless that ask was who pays ("论证费用谁出？" then "验收的费用呢？").
        tail = "是多少？"
    if tail and (now.doc_ids or prev.doc_ids):
        # "启东的年度计划几月底前报？" then "可研报告呢": the same ask (几月底前报) of what it names.
        places = "" if now.doc_ids else "、".join(prev.cities)
        # "那运维项目呢" names a kind of project: the stage asked of stays (申报).
        stage = _stage_in(stages, prev.topic) if _KIND.search(named) else ""
        return Carried(f"{places}{named}{stage}{tail}",
                       f"承接上一问的问法（{stage}{tail.rstrip('？?')}）" + (f"，按{places}作答" if places else ""))
    if _BARE.match(question.strip()) and not now.doc_ids and prev.doc_ids:
        # "启东…要做效果评估吗？" then "分哪几种？": an ask with nothing of its own asks of the
        # previous question's topic.
        cities = "、".join(prev.cities)
        about = _YES_NO_END.sub("", prev.topic).strip(" ，,。？?\u2002")
        return Carried(f"{cities}{about}，{question}", f"承接上一问（{about}），按{cities}作答")
    if now.doc_ids or now.compare or not prev.doc_ids:
        return Carried(question)
    cities = "、".join(prev.cities)
    # "那运维项目要交啥" after "新建项目申报要交什么表？": 运维 names the kind of project, not a stage.
    topic = "" if _stage_in(stages, _KIND.sub("", question)) else _stage_in(stages, prev.topic)
    text = f"{cities}{topic}：{question}" if topic else f"{cities}：{question}"
    note = f"沿用上一问的城市（{cities}）" + (f"与环节（{topic}）" if topic else "")
    return Carried(text, note)
