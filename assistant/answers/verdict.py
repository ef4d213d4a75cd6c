"""The one-line conclusion of a yes/no question with a premise ("要满三个月吧？" → 不是).

Computed from the sentence that answers, never guessed: a number in the premise is compared with
the number the text gives (and the bound it sets: 不低于1个月, 不超过500万元); otherwise the claim's
polarity (不用, 不能 …) is compared with the text's (不再, 不予 …). When neither settles it, there is
no conclusion line and the quoted text answers on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answers.request import (OFFERS_ALTERNATIVES, POINTS, TAG_ASKED, Asked, claimed_value, in_order, share_base,
                                       understand)
from assistant.search.matching import aside_windows, negated, only_set_aside
from assistant.text import Quantity, comma_parts, find_quantities, half_years, parse_number

# A yes/no question: it asks whether its claim holds.
_YES_NO = re.compile(r"吗|吧|是不是|要不要|需不需要|能不能|可不可以|对不对|是否|有没有|(?<![费作使功信])用不用|行不行|对吧|是吧|真的假的")
# Words of the question form, not of the claim ("是不是必须…": 不 is not a negation of the claim).
# A confirmation asked for ("我理解没错吧", "没问题吧") is of the form too: its 没 negates nothing.
_FORM = re.compile(r"是不是|要不要|需不需要|能不能|可不可以|对不对|有没有|(?<![费作使功信])用不用|行不行|是否|是这样吗|是吗|对吧|是吧|对吗|"
                   r"(我的?理解|我说的|说的)?(没错|没问题|不错)(吧|吗|嘛)|真的假的|是真的吗|靠谱吗")
# Negations, longest first; a bound (不低于, 不超过) is not one. "未经验收不得投入使用" negates twice:
# what counts is the parity.
# Nor is a conjunction (不过, 不但, 不仅, 不管, 不论), nor an adverb or adjective (不断, 不少, 不定期, 不同).
_NEGATION = re.compile(r"(?!不低于|不少于|不超过|不高于|不足|不满|不合格|不过|不但|不仅|不管|不论|不断|不少|不定期|不定时|不同)(不得|不予|不能|不可|不应|不再|不用|不需|无需|无须|禁止|严禁|"
                       r"未经|没有|不|没|未|免)")  # 非 is a prefix (非涉密), not a negation
# The premise states a requirement on its number ("要满三个月", "至少30天", "10%以上"), not a fact
# about the project ("总投资400万的项目").
_REQUIREMENT = re.compile(r"满|至少|最少|最多|不少于|不低于|不超过|(?:不能|不得|不可)(?:少于|低于|超过|高于|多于)|以上|以下|以内|超过|"
                          r"占到|达到|只能|必须|须|要")
# (A modal between: "不能少于两年" is a lower bound, "不得超过" an upper one.)
_UNNEGATED = r"(?<!不)(?<!不能)(?<!不得)(?<!不可)"  # a comparison word not negated ("低于", not "不得低于")
_UPPER = re.compile(rf"不超过|不高于|(?:不能|不得|不可)(?:超过|高于|多于)|以下|以内|{_UNNEGATED}低于|不足|不满|"
                    rf"{_UNNEGATED}少于|只能|最多|上限")
_LOWER = re.compile(rf"不低于|不少于|(?:不能|不得|不可)(?:低于|少于)|以上|{_UNNEGATED}超过|至少|"
                    rf"{_UNNEGATED}高于|{_UNNEGATED}多于|达到")
_COUNT = re.compile(r"([一二两三四五六七八九十\d]+)次")
_PERIOD = re.compile(r"每(个)?(年|季度|月|半年|周)|每(?P<n>[两二三四五2-5])(个)?(?P<u>年|季度|月|周)|"
                     r"(?P<k>[一两二三四五1-5])个?(?P<v>年|季度|月)[^，。；]{0,3}一次|按(年度|季度|月)|年度|季度")


_WH = re.compile(r"什么|哪|谁|怎|咋|多少|多久|多长|几|何|啥|如何|干嘛")
# A claim that one party alone acts, or that something holds in every case; a sentence that names
# several parties, or holds only under a condition or as an allowance.
_EXCLUSIVE = re.compile(r"一家|只有|只由|只能由|仅由|唯一|单独|独自|自己一家|全包|全出|全掏|包圆")
# Costs or duties a sentence shares out: "资金分级承担", "共同出资".
_SHARED = re.compile(r"分级承担|共同承担|分担|共同出资|按比例|分别承担")
_SEVERAL_PARTIES = re.compile(r"、|会同|联合|和市|和区|及市|及区")
_UNIVERSAL = re.compile(r"都是|都要|都得|都由|全部|一律|所有|任何|全都")
_CONDITIONAL = re.compile(r"^(对|凡|如|若)|可委托|可以委托|原则上|较小|较简单|除外")
# Who a thing belongs to, is organised by or reported to: "归开发公司" against "归项目单位所有".
_PARTY = re.compile(r"(?:归|由)([\u4e00-\u9fa5]{2,8})")


def is_yes_no(question: str) -> bool:
    """吗/吧/是不是 …, or a statement asked with a question mark ("听说…要占10%以上？"); not a
    choice between alternatives ("公开招标还是邀请招标？"), which is answered by the text, not 是/不是."""
    if OFFERS_ALTERNATIVES.search(question) and not re.search(r"[吗吧么]", question):
        return False
    if _YES_NO.search(question):
        return True
    return question.rstrip().endswith(("？", "?")) and not _WH.search(question)


# In a claim checked against a rule, a negation that denies a duty or a permission ("不用请监理", "不能先用") — not one inside
# the proposed action ("可以不分可研和初设，直接编实施方案": 可以 is what is claimed).
_CLAIM_NEGATION = re.compile(r"不用|不需要?|无需|无须|不必|没必要|不能|不可以?|不得|不要|不应该?|不许|不准|禁止|"
                             r"不是|不算|不属于|不归|不在|不会|没有|没|未|免")


# Claims joined into one question: "必须用正版软件，而且要优先买国产的，对不对".
_CONJOINED = re.compile(r"[，,；;]\s*(?:而且|并且|同时|另外|此外)")
_MIN_PART = 4  # characters: a shorter piece is not a claim of its own


def without_contrast(claim: str) -> str:
    """The claim without a denied alternative that repeats its verb ("资产算市政府的，不算我们局的"
    claims the first; "不算我们局的" contrasts, it does not negate the claim)."""
    pieces = re.split(r"(?<=[，,])", claim)
    kept = [pieces[0]] if pieces else []
    for piece in pieces[1:]:
        m = _CONTRAST.match(piece)
        before = kept[-1] if kept else ""
        if m and re.search(rf"(?<![不没]){re.escape(m.group('verb'))}", before):
            continue
        kept.append(piece)
    out = "".join(kept)
    if out != claim and not is_yes_no(out):
        out = out.rstrip("，, ") + "吧？"
    return out


# A piece that denies with the verb the claim used: "不算我们局的", "而不是发改委", "不归我们管".
_CONTRAST = re.compile(r"^(?:而|但)?(?:不|没|并不)(?P<verb>是|算|归|属于|由)(?P<rest>[^，,。？?]{1,12}?)(?P<tail>[，,。？?]|(?:对吧|是吧|吧|吗)?[？?]?$)")


def claim_parts(claim: str) -> list[str]:
    """The claims of a yes/no question joined by 而且/并且…, each asked as a question of its own;
    [claim] when it makes one claim."""
    parts = [p.strip("，,；; ") for p in _CONJOINED.split(claim)]
    if len(parts) < 2 or any(len(p) < _MIN_PART for p in parts):
        return [claim]
    return [p if is_yes_no(p) else f"{p}吧？" for p in parts]


# What a sentence lists after "即：" names things ("不能共享的数据负面清单"), it does not negate.
_DEFINED_LIST = re.compile(r"[，,]?即[：:]")
# A second yes/no ask restates the first the other way round ("得找有资质的吧？随便找个不行吧？").
_SECOND_ASK = re.compile(r"(?<=[？?])")


def _first_claim(claim: str) -> str:
    """The claim as its first question states it."""
    parts = [p for p in _SECOND_ASK.split(claim) if p.strip()]
    return parts[0] if len(parts) > 1 and all(is_yes_no(p) for p in parts) else claim


def claim_negated(claim: str) -> bool:
    """Every negation's parity: compared with a sentence's read the same way."""
    return _negated(_FORM.sub("", claim))


def claim_denies(claim: str) -> bool:
    """Whether the claim denies the duty or permission a rule decides ("300万不用请监理吧"): its asks
    do — "还没采购" or "没验收" told before the ask is the project's state, not a denial. (A bare
    "对吧" asks of the whole claim said before it.)"""
    return len(_CLAIM_NEGATION.findall(_FORM.sub("", _asked_part(claim)))) % 2 == 1


def _asked_part(claim: str) -> str:
    """The asks of a claim, or the whole claim when it ends in a bare tag ("…，对吧") or asks nothing."""
    asks = understand(claim).asks
    return claim if not asks or any(TAG_ASKED.match(a) for a in asks) else "，".join(asks)


def _negated(text: str) -> bool:
    return len(_NEGATION.findall(text)) % 2 == 1


@dataclass(frozen=True)
class Verdict:
    holds: bool
    why: str             # which comparison decided it, for the record
    by_polarity: bool = False  # decided only by 肯定/否定: needs a sentence that restates the claim


UNDECIDED = Verdict(False, "无法判断")  # a comparison that cannot settle the claim either way


def bounded_number(claim: str) -> bool:
    """Whether the claim's amount comes with a bound (500万以上, 不到100万): a class of projects."""
    return any(q.kind == "money" and _bound(claim, q) for q, _, _ in _values(claim))


def compares_numbers(claim: str, sentence: str) -> bool:
    """Whether the sentence gives a number the claim's number can be compared with."""
    return _by_number(claim, sentence) is not None


def quantified(claim: str) -> bool:
    """A claim about every case or about one party alone ("全部由…组织", "只由…一家"): settled by
    the exception or the other parties the text names (judge), before who does the thing."""
    return bool(_UNIVERSAL.search(claim) or _EXCLUSIVE.search(claim))


# A claimed order of two steps: "先开专家评审会，专家通过了再做部门初审", "初验之后再试运行".
_CLAIMED_ORDER = re.compile(r"先(?P<a>[^，,。？?先再]{2,14}?)[，,]?[^，,。？?先再]{0,8}?(?:再|然后|之后|以后)(?P<b>[^，,。？?再]{2,14})|"
                            r"(?P<a2>[^，,。？?先再]{2,12}?)(?:之后|以后|后|通过了?|完成了?)(?:再|才)(?P<b2>[^，,。？?再]{2,14})")
# ... and a sentence that puts one step before another: "项目初审通过的，由…组织专家评审".
_AFTER_STEP = r"[^，。；]{0,8}?(?:通过|完成|结束|合格)?[^，。；]{0,3}?(?:的|后|之后|以后)[，,]?[^。；]{0,40}?"


def _common_run(text: str, sentence: str, least: int = 2) -> str:
    """The longest run of `text` (at least `least` characters) that the sentence holds."""
    for n in range(len(text), least - 1, -1):
        for i in range(len(text) - n + 1):
            if text[i:i + n] in sentence:
                return text[i:i + n]
    return ""


def _by_order(claim: str, sentence: str) -> Verdict | None:
    """A claim that one step comes before another, against a sentence that puts one after the
    other's passing or completion ("项目初审通过的，由…组织专家评审"); None when it does not."""
    m = _CLAIMED_ORDER.search(claim)
    if m is None:
        return None
    a, b = m.group("a") or m.group("a2"), m.group("b") or m.group("b2")
    first, then = _common_run(a, sentence), _common_run(b, sentence)
    if not first or not then or first in then or then in first:
        return None
    if re.search(re.escape(first) + _AFTER_STEP + re.escape(then), sentence):
        return Verdict(True, "顺序一致")
    if re.search(re.escape(then) + _AFTER_STEP + re.escape(first), sentence):
        return Verdict(False, f"顺序相反：先{then}，后{first}")
    return None


# Where a text puts every such system ("全部部署在市政务云平台"), and where a claim puts one
# ("放在我们单位自己机房里也行吧").
_MANDATED_PLACE = re.compile(r"(?:全部|统一|一律|均应?|均须|必须|应当?)(?:部署|迁移|迁入|存放|托管|放)(?:在|到|至|于)(?P<place>[^，。；、]{2,12})")
_CLAIMED_PLACE = re.compile(r"(?P<neg>不能|不可以|不可|不得|不许|不让)?(?:部署|迁移|存放|托管|放|搬)(?:在|到|至|进)"
                            r"(?P<place>[^，,。？?吗吧呢、]{2,14})")


def _place_mismatch(claim: str, sentence: str) -> Verdict | None:
    """For a claim putting a system somewhere other than where the text puts every one: 不是 —
    or 是 when the claim is that it may not go there ("不能放在自己机房吧")."""
    mandated, claimed = _MANDATED_PLACE.search(sentence), _CLAIMED_PLACE.search(claim)
    if mandated is None or claimed is None:
        return None
    here, there = mandated.group("place"), claimed.group("place")
    if _bigrams(here) & _bigrams(there):
        return None  # the same place ("放在市政务云上吧")
    return Verdict(bool(claimed.group("neg")), f"地点不同：{there} / {here}")


def judge(claim: str, sentence: str) -> Verdict | None:
    """Whether the text's sentence confirms the question's claim; None when it cannot tell."""
    by_order = _by_order(claim, sentence)
    if by_order is not None:
        return by_order
    by_number = _by_number(claim, sentence)
    if by_number is UNDECIDED:
        return None
    if by_number is not None:
        # The right date sent to the wrong body ("每月20日前报给区财政局") is still wrong.
        return (recipient_mismatch(claim, sentence) if by_number.holds else None) or by_number
    if bounded_number(claim):
        return None  # "500万以上的…": a class of projects, settled by a number or a rule, never by wording
    if of_the_other_kind(claim, sentence):
        return None  # "涉密项目能上政务云吧" against "非涉密电子政务项目，全部部署在市政务云平台"
    party_q, party_s = _PARTY.search(claim), _PARTY.search(sentence)
    # A duty both name ("由市发改委审批" against "…报市发改委审批") is settled by who does it, below.
    shared_duty = any(d in claim and d in sentence for d in _DUTY)
    if party_q and party_s and not shared_duty and len(set(party_q.group(1)) & set(party_s.group(1))) < 2:
        return Verdict(False, f"主体不同：{party_q.group(1)} / {party_s.group(1)}")
    duties = _claimed_duties(claim)
    if duties and _NAMED_BODY.search(claim[:max(claim.find(d) for d in duties)]) and not any(
            d in sentence or set(d) <= set(sentence) for d in duties):
        # "是市数字经济局一家审批的吧" against "市数字经济局负责指导、协调…登记备案": the body named,
        # the duty claimed of it not — the sentence does not say who does that.
        return None
    actor = (_actor_mismatch(claim, sentence) or recipient_mismatch(claim, sentence) or payer_mismatch(claim, sentence)
             or _place_mismatch(claim, sentence) or owner_mismatch(claim, sentence))
    if actor is not None:
        return actor
    if _EXCLUSIVE.search(claim) and _SHARED.search(sentence):
        return Verdict(False, "分担")  # "钱是市里全包的吧" against "资金分级承担"
    if _EXCLUSIVE.search(claim):
        party = _PARTY.search(sentence)
        if party and _SEVERAL_PARTIES.search(sentence[party.start():party.start() + 24]):
            return Verdict(False, "不止一方")  # "就由市财政局一家负责" against "由市数管局、市财政局、市发改委负责"
    if _UNIVERSAL.search(claim) and _CONDITIONAL.search(sentence):
        return Verdict(False, "仅限部分情形")  # "都是建设单位自己组织" against "对规模较小的…可委托"
    period_q, period_s = _periods(claim), _periods(sentence)
    if period_q and period_s and not period_q & period_s:
        return Verdict(False, f"周期不同：{'、'.join(sorted(period_q))} / {'、'.join(sorted(period_s))}")
    claimed = claimed_value(claim)
    if period_q & period_s and claimed is Asked.FREQUENCY and not _counts(sentence):
        # "每年报一次数管局备案" against "按年度报市数管局备案": the rhythm claimed is the one stated.
        return Verdict(True, f"周期相同：{'、'.join(sorted(period_q & period_s))}")
    # A time of year told in the story ("年中突然接到任务…现在还能申报吗") is when things happened,
    # not a time claimed for the act: only the asks' own times are compared.
    # (A bare "对吧" asks of the whole claim said before it.)
    asked = _asked_part(claim)
    months_q, months_s = _months(asked), _months(sentence)
    if months_q and months_s and not months_q & months_s and (_TIME_OF_YEAR.search(asked) or _TIME_OF_YEAR.search(sentence)):
        return Verdict(False, "时间不同")  # "每年第一季度提交" against "每年年底前提交"
    if any(q.kind in ("date", "duration") and _BY_TIME.match(claim, q.end) for q, _, _ in _values(claim)):
        # "12月前交就行吧", "一年内做完": a claim of a deadline or a time limit is settled by a
        # time the text gives, never by the wording of a sentence that gives none. ("12月复核没
        #通过" only says when something happened.)
        return None
    if claimed is not None:
        return None  # "档案资料是不是要求至少保存10年": a claimed bound, against a sentence giving no such number
    if _unmatched_number(asked, sentence):
        return None  # "超期了下期评审是不是直接扣5分": a number the sentence has nothing to weigh against
    if _APPLIES_ASKED.search(claim) and not _APPLIES_STATED.search(sentence):
        # "县区的项目用的是这个办法吗" is settled by what the 办法 applies to, not by a sentence that
        # shares its words ("各县区结合自身实际，制定相应管理办法" says they make their own).
        return None
    neg_q = claim_negated(_first_claim(claim))
    neg_s = _negated(_restating_part(claim, _DEFINED_LIST.split(sentence)[0]))
    other = _denied_other_party(claim, sentence)
    if other is not None and not neg_s:
        return other  # "资产不算我们局的" against "资产归市政府所有": true of another party
    aligned = _aligned_polarity(_first_claim(claim), _DEFINED_LIST.split(sentence)[0])
    if aligned is not None:
        neg_q, neg_s = False, not aligned
    return Verdict(neg_q == neg_s, "肯定/否定一致" if neg_q == neg_s else "肯定/否定相反", by_polarity=True)


_PART = re.compile(r"[，,、；;。？?！!]")


def _aligned_polarity(claim: str, sentence: str) -> bool | None:
    """For a claim whose negations fall in several of its parts ("没通过验收，审计不给审、财政也不给安排
    经费"): whether each of its parts denies as the sentence's part that restates it does — a
    list of denials counted as one parity would cancel out, and a part's own condition and
    consequence ("没通过验收的项目不能投入运行") deny together. None when the claim's negations sit in
    one part, or a negated part restates none of the sentence's."""
    parts = [p for p in _PART.split(_FORM.sub("", claim)) if p.strip()]
    negated = [p for p in parts if _NEGATION.search(p)]
    if len(negated) < 2:
        return None
    pieces = [p for p in _PART.split(sentence) if p.strip()]
    for part in parts:
        words = _bigrams(part)
        shared, best = max(((len(words & _bigrams(q)), q) for q in pieces), default=(0, ""))
        if part in negated and not shared:
            return None
        # (A part said without a negation is held to a part it restates in two words or more.)
        if shared >= (1 if part in negated else 2) and (part in negated) != bool(_NEGATION.search(best)):
            return False
    return True


def _unmatched_number(asked: str, sentence: str) -> bool:
    """Whether the asks carry points, an amount or a share that the sentence gives none of. (Times and
    counts are claims of their own, put to the test as such; a date in a story is when it happened.)"""
    if POINTS.search(asked) and not POINTS.search(sentence):
        return True
    kinds = {q.kind for q in find_quantities(asked)} & {"money", "percent"}
    return bool(kinds) and not kinds & {q.kind for q in find_quantities(sentence)}


# A claim that the 办法 applies ("归这个办法管吗", "用的是本办法吧", "适用吗"), and a sentence that
# says what it applies to.
# ("归市机关事务局管吧" asks who manages a thing, not whether the 办法 apply.)
_APPLIES_ASKED = re.compile(r"(?:这个|这|本|该|此)办法|适用|按[^，,。？?]{0,6}办法")
_APPLIES_STATED = re.compile(r"本办法|适用|参照")


def of_the_other_kind(claim: str, sentence: str) -> bool:
    """Whether the sentence names what the claim speaks of (涉密) only to set it aside (非涉密,
    涉密项目除外): it says nothing of that kind either way."""
    windows = aside_windows(sentence)
    kinds = {claim[i:i + 2] for i in range(len(claim) - 1)} if windows else set()
    return any(kind in windows and not negated(claim, kind) and only_set_aside(sentence, kind) for kind in kinds)


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fa5]", "", text)
    return {han[i:i + 2] for i in range(len(han) - 1)}


def _restating_part(claim: str, sentence: str) -> str:
    """The sentence without the parts at its end (between commas) that share no word with the
    claim: a negation there is about another act ("…配合做好绩效评价…工作，如实提供项目有关资料和
    情况，不得拒绝、隐匿" does not deny 绩效评价). A condition and what follows it stand together
    ("未通过验收的项目，不得投入运行"), and every negation up to the last part that restates the
    claim counts."""
    parts = comma_parts(sentence)
    words = _bigrams(_FORM.sub("", claim))
    shared = [i for i, p in enumerate(parts) if words & _bigrams(p)]
    if not shared:
        return sentence
    last = max(shared[-1], 1 if len(parts) > 1 else 0)
    return "，".join(parts[: last + 1])


# A claim that denies a thing belongs to a party ("不算我们局的", "不归区里"), and a sentence that
# gives it to one ("归市政府所有", "属于项目建设单位").
_DENIED_OWNER = re.compile(r"不(?:算|归|属于|是)(?P<party>[\u4e00-\u9fa5]{1,8}?)(?:的|所有|管)?(?=[，,。？?吧吗呢]|$)")
_OWNER = re.compile(r"(?:归|属于)(?P<party>[\u4e00-\u9fa5]{1,8}?)(?:所有|管理|的|[，,。；;]|$)")


def _denied_other_party(claim: str, sentence: str) -> Verdict | None:
    """是 for a claim denying that a thing is one party's when the sentence gives it to another."""
    denied, owner = _DENIED_OWNER.search(_FORM.sub("", claim)), _OWNER.search(sentence)
    if denied is None or owner is None:
        return None
    a, b = denied.group("party"), owner.group("party")
    if _OWN_UNIT.match(a):
        a = "单位"
    if a in b or b in a or a.lstrip("市区县") in b:
        return None  # the same party: the polarity decides
    return Verdict(True, f"否认的是另一方：{a} / {b}")


# A claim that a thing is one party's ("资产算我们建设单位的", "归区里所有吧"), and a sentence that
# says whose it is ("资产归市政府所有"). (Not "属于政府采购的项目": a kind, not an owner.)
_CLAIMED_OWNER = re.compile(r"(?<![不没])(?:算|归)(?P<party>[\u4e00-\u9fa5]{1,8}?)(?:的|所有)了?(?=[，,。？?吧吗呢]|$)")
_OWNED_BY = re.compile(r"(?:归|属于)(?P<party>[\u4e00-\u9fa5]{1,8}?)所有")


def owner_mismatch(claim: str, sentence: str) -> Verdict | None:
    """不是 for a claim giving a thing to one party when the sentence gives it to another
    ("资产算我们建设单位的" against "资产归市政府所有")."""
    claimed, owner = _CLAIMED_OWNER.search(_FORM.sub("", claim)), _OWNED_BY.search(sentence)
    if claimed is None or owner is None:
        return None
    a, b = claimed.group("party"), owner.group("party")
    kind_a, kind_b = _party_kind(a), _party_kind(b)
    if kind_a is None or kind_b is None or kind_a == kind_b:
        return None  # the same kind of party, or one not told: the polarity decides
    return Verdict(False, f"归属不同：{a} / {b}")


# The kinds of party a thing can be given to, as claims and texts name them; the first that
# matches decides (承建单位 is the contractor, not the 建设单位).
_PARTY_KINDS = (("contractor", re.compile(r"承建|开发商|公司|厂商|厂家|供应商|乙方|服务商")),
                ("unit", re.compile(r"我们|咱们|我|自己|本单位|建设单位|项目单位|建设方|使用单位|甲方")),
                ("government", re.compile(r"政府|财政|国家|集体|[市区县]里|[局委办]$")))


def _party_kind(party: str) -> str | None:
    return next((kind for kind, pattern in _PARTY_KINDS if pattern.search(party)), None)


# Who does what: the body named right before a duty ("数管局审批" against "报市发改委审批").
_DUTY = ("审批", "批复", "审核", "组织", "编制", "备案")
_BODY_ENDS = r"局|委|办|办公室|单位|小组|部门|政府|中心"  # how the name of a body ends
_BODY = re.compile(rf"(?:{_BODY_ENDS})$")
_BEFORE_BODY = re.compile(r"[是由报向经把将，,、的和及与并]")


def _body(text: str) -> str | None:
    """The body named right before a duty: the words after the last 是/由/报/向 …, ending in 局/委/…"""
    tail = re.sub(r"(来|负责|牵头|统一|会同|进行)$", "", text)
    tail = _BEFORE_BODY.split(tail)[-1]
    tail = _HOW_OFTEN.sub("", tail)  # "报一次数管局": how often it goes is no part of the body's name
    return tail if 2 <= len(tail) <= 10 and _BODY.search(tail) else None


_HOW_OFTEN = re.compile(r"^(?:[一二两三四五六七八九十\d]+次|每(?:个)?[年月季周]度?|按[年月季]度?)")


_NAMED_BODY = re.compile(rf"[\u4e00-\u9fa5]{{1,8}}?(?:{_BODY_ENDS})")


def _lead(before: str) -> str | None:
    """Who leads a duty: "市数管局初审通过后，会同市财政局、市发改委…组织" is led by 市数管局 (the
    body before 会同), not by the last body of the list — unless the duty is sent on to a body
    ("…报市发改委审批"); otherwise the body right before the duty."""
    near = _body(before[-12:])
    if near and re.search(r"(?:报|报送|提交|送|经)" + re.escape(near) + "$", before):
        return near  # "…会同项目建设单位…编制项目建议书报市发改委审批": 市发改委 approves
    if "会同" in before:
        bodies = _NAMED_BODY.findall(before[:before.rindex("会同")])
        if bodies:
            return _BEFORE_BODY.split(bodies[-1])[-1]
    return near


def _claimed_duties(claim: str) -> set[str]:
    """The duties (审批, 备案 …) the asked part of a claim names."""
    return {d for d in _DUTY if d in _asked_part(claim)}


def duty_mismatch(claim: str, outcome: str) -> Verdict | None:
    """不是 for a claim that names a step (报…审批) when the rule's outcome for the project names
    others of the kind and not it (…实施变更内控流程，并向区数据资源局备案): a filing is no approval."""
    claimed = _claimed_duties(claim)
    stated = {d for d in _DUTY if d in outcome}
    if claimed and stated and not claimed & stated:
        return Verdict(False, f"程序不同：{'、'.join(sorted(claimed))} / {'、'.join(sorted(stated))}")
    return None


def _actor_mismatch(claim: str, sentence: str) -> Verdict | None:
    for duty in _DUTY:
        at_q, at_s = claim.find(duty), sentence.find(duty)
        if at_q < 0 or at_s < 0:
            continue
        a, b = _body(claim[max(0, at_q - 12):at_q]), _lead(sentence[max(0, at_s - 40):at_s])
        if a and b and not _same_body(a, b):
            return Verdict(False, f"{duty}的主体不同：{a} / {b}")
    return None


# Whom a claim says a thing goes to: "交给审计局", "报给区财政局", "向发改委报".
_TO_BODY = re.compile(rf"(?:交给|报给|报送给?|提交给?|送给|交到|报到|上报给?|交|向)(?P<body>[\u4e00-\u9fa5]{{1,8}}?(?:{_BODY_ENDS}))")


def _same_body(a: str, b: str) -> bool:
    """One body named twice: in full, without its level (市), or by a short name ("整合共享办" of
    "市政务信息系统整合共享工作领导小组办公室")."""
    return a in b or b in a or a.lstrip("市区县") in b or _abbreviates(a, b)


def _abbreviates(a: str, b: str) -> bool:
    """"发改委" for "市发展改革委", "数据局" for "区数据资源局": either one the other's abbreviation."""
    short, long = sorted((a, b), key=len)
    return in_order(short, long)


# To whom a sentence sends a thing: "提交市发展改革委、市财政局和市数字经济局", "向区数据资源局报送".
_SENT_TO = re.compile(r"(?:提交|报送|上报|递交|报|送|交|向)(?P<to>[^，。；;：:]{2,24})")


def recipient_mismatch(claim: str, sentence: str) -> Verdict | None:
    """"绩效监控报告交给审计局吧" against "提交市发展改革委、市财政局和市数字经济局": the body a claim
    sends a thing to is not among those the sentence sends it to (by name or abbreviation:
    "整合共享办" is the 整合共享工作领导小组办公室)."""
    m = _TO_BODY.search(_FORM.sub("", claim))
    if m is None:
        return None
    a = _BEFORE_BODY.split(m.group("body"))[-1]
    if _OWN_UNIT.match(a):
        a = "单位"
    spans = [t.group("to") for t in _SENT_TO.finditer(sentence) if _NAMED_BODY.search(t.group("to"))]
    if not spans or any(_abbreviates(a.lstrip("市区县"), span) for span in spans):
        return None
    return Verdict(False, f"对象不同：{a}")


# Who a claim says pays: "论证费用得我们项目单位自己掏吧", "应该是区数据资源局出吧".
_CLAIM_PAYER = re.compile(r"(?P<payer>我们(?:单位|局)?|咱们|自己|本单位|项目(?:建设)?单位|建设单位|"
                          r"[区市县]?[\u4e00-\u9fa5]{1,6}?(?:局|委|办|政府|财政))(?:自己)?(?:来)?(?:掏|出钱|出|承担|负担|买单)")
# Who a sentence says pays: "由项目建设单位承担"; or that it is in a budget: "纳入年度预算".
_SENT_PAYER = re.compile(r"由(?P<payer>[\u4e00-\u9fa5、]{2,16}?)(?:承担|负担|支付|出资|列支)|(?P<budget>(?:纳入|列入)[^。；，]{0,10}预算)")


_DENIED_PAYER = re.compile(r"(不用|不需要?|无需|不是|不由|不归|不让)(我们|咱们)?$")


def claims_payer(claim: str) -> bool:
    text = _FORM.sub("", claim)
    return bool(_CLAIM_PAYER.search(text) or _budget_claimed(text))


def without_payer(claim: str) -> str | None:
    """A claim of who pays with the payer taken out — what is paid for ("评审费要我们自己掏吗" →
    "评审费要吗"; "等保测评费能算在这里面吗" → "等保测评费吗"); None when it claims no payer."""
    for find in (_CLAIM_PAYER.search, _budget_claimed):
        for text in (claim, _FORM.sub("", claim)):
            m = find(text)
            if m is not None:
                return text[:m.start()] + text[m.end():]
    return None


def _budget_claimed(text: str) -> re.Match | None:
    """A budget claimed for a cost named just before it, in the same part ("等保测评费能算在这里面吗"; not
    "放在我们单位自己机房里", nor a budget said apart from the cost: "…的钱得另外申请，不能算在预算里")."""
    m = _CLAIM_BUDGET.search(text)
    return m if m and re.search(r"(费|钱|经费|资金)[^，,。？?；;]{0,10}$", text[:m.start()]) else None


# A claim of the budget a cost is paid from: "等保测评费能算在这里面吗", "密评的钱算不算在项目预算里".
_CLAIM_BUDGET = re.compile(r"(?:能|可以|可|要|得)?(?:算不算|算在|算进|算到|计入|纳入|列入|列在|放在|放进|包含在|含在|包括在)"
                           r"[^，。？?]{0,10}?(?:里面|里头|里|之中|中|之内|内|预算)")


def payer_mismatch(claim: str, sentence: str) -> Verdict | None:
    """"验收费用应该是区数据资源局出吧" against "项目验收涉及的费用由项目建设单位承担"; "论证费用我们
    单位自己掏吧" against "项目论证费用纳入年度预算" (a budget, not the unit's own money)."""
    text = _FORM.sub("", claim)
    m, n = _CLAIM_PAYER.search(text), _SENT_PAYER.search(sentence)
    if m is None or n is None:
        return None
    a = re.sub(r"^(应该|应当|就|都|也|是|得|要|由|归|让)+", "", m.group("payer"))
    own = bool(_OWN_UNIT.match(a)) or a.endswith("单位")
    # "不用我们单位掏" denies that payer: it holds where the text names another.
    denied = bool(_DENIED_PAYER.search(text[max(0, m.start() - 6):m.start()]))
    if n.group("budget"):
        return Verdict(denied, "出资方：预算") if own else None
    b = n.group("payer")
    same = own and "单位" in b or not own and _abbreviates(a.lstrip("市区县"), b)
    if denied:
        return Verdict(not same, f"出资方：{a} / {b}")
    return None if same else Verdict(False, f"出资方不同：{a} / {b}")


# A claim that names who does a thing: "专家组是发改委组建和管理的吧", "由市财政局负责的吧".
# The body after 是/由 ("是发改委审批的吧") or asked to do it (让/请…), or the asker's own unit as a
# claim's subject ("我们单位自己写建议书…就行", "要我们单独编吗"; not the object in "委托我们管", nor
# the asker introduced: "我们是六安市本级的单位").
_CLAIMED_ACTOR = re.compile(rf"(?:(?:是|由|让|请|叫)(?P<body>[\u4e00-\u9fa5]{{1,8}}?(?:{_BODY_ENDS}))|(?:(?<=^)|(?<=[，,；;要让得])|(?=(?:我们|咱们)(?:单位|局|委|部门)?(?:自己|自行)))(?P<own>(?:我们|咱们)(?:单位|局|委|部门)?)(?!是))"
                            r"(?=[\u4e00-\u9fa5、和及]{1,10}的|负责|牵头|来|在|自己|自行|单独|审批|审核|审查|组织|编制|批复|管理|"
                            # a verb of doing it, in everyday words: "是数管局打捆编建议书吧", "让数管局帮我们打捆编"
                            r"(?:帮(?:我们|咱们)?)?(?:统一|打捆|集中|直接)?(?:编|报|批|审|做|搞|弄|出具|验收|采购))")
# The asker's own unit, as the texts name it: "我们单位", "本单位", "我们局" are the 项目(建设)单位.
_OWN_UNIT = re.compile(r"^(我们|咱们|我|本|自己)(单位|局|委|部门|办)?$")
_SUBJECT_CHARS = 12  # a sentence's subject is named within its first characters


def claimed_actor(claim: str) -> str | None:
    """The body a claim says does the thing, or None."""
    m = _CLAIMED_ACTOR.search(_FORM.sub("", claim))
    return (m.group("body") or m.group("own")) if m else None


def claimed_body(claim: str) -> str | None:
    """The agency a claim says does the thing: "是发改委牵头组织的吧" → 发改委."""
    m = _CLAIMED_ACTOR.search(_FORM.sub("", claim))
    body = m.group("body") if m else None
    return body if body and _AGENCY.search(body) else None


_AGENCY = re.compile(r"(局|委|办|办公室)$")  # a government agency (not 建设单位, 主管部门: the asker's side)


_AGENT = re.compile(rf"由([\u4e00-\u9fa5]{{1,24}}?(?:{_BODY_ENDS})(?:办公室)?)")  # …领导小组办公室 in full
_AGENT_OF = re.compile(_AGENT.pattern + r"([^，。；;]*)")  # … and what it does, to the end of its phrase


def subject_mismatch(claim: str, sentence: str, head: str = "") -> Verdict | None:
    """"是发改委组建和管理的吧" against "市数管局建立和管理市电子政务专家组": the sentence's subject
    is the body that does what it says. A piece after ； with no subject of its own ("；负责…监督管理
    工作") has the subject of its sentence's first piece (head)."""
    a = claimed_actor(claim)
    if a is None:
        return None
    # A duty the claim gives the body ("由市发改委审批": right after it) and the sentence names
    # ("…报市发改委审批") is done by the body before it in the sentence.
    after = claim[claim.find(a) + len(a):][:4]
    duty = next((d for d in _DUTY if d in after and d in sentence), None)
    b = _lead(sentence[max(0, sentence.find(duty) - 40):sentence.find(duty)]) if duty else None
    if b is None and duty:
        # "竣工验收由市政务信息系统整合共享工作领导小组办公室按照国家技术标准及时组织竣工验收":
        # the agent after 由, however far before the duty.
        agents = _AGENT.findall(sentence[:sentence.find(duty)])
        b = agents[-1] if agents else None
    if b is None and not duty:
        # "纳入政府采购的项目，由区数据资源局牵头组织技术专家对项目进行验收": the agent after 由
        # of what the claim speaks of (专家, 验收) — not a word at the start that ends like a body
        # (纳入政府), nor the agent of another act ("由市数字经济局组织竣工验收" for who issues a report).
        claimed = _bigrams(claim.replace(a, " "))
        b = next((_BEFORE_BODY.split(m.group(1))[-1] for m in _AGENT_OF.finditer(sentence)
                  if _bigrams(m.group(2)) & claimed), None)
    if b is None:
        m = _NAMED_BODY.match(re.sub(r"^[\s　]*(由|经)?", "", sentence)[:_SUBJECT_CHARS])
        if m is None and head and head != sentence:
            m = _NAMED_BODY.match(re.sub(r"^[\s　]*(由|经)?", "", head)[:_SUBJECT_CHARS])
        if m is None:
            return None
        b = _BEFORE_BODY.split(m.group(0))[-1]
    if _OWN_UNIT.match(a):
        a = "单位"  # the asker's unit is the 项目建设单位 / 项目单位 of the texts
    if _same_body(a, b):
        return None
    return Verdict(False, f"主体不同：{a} / {b}")


# A claim that something has no consequence: "停掉应该没啥影响吧", "不会被处理吧".
_NO_CONSEQUENCE = re.compile(r"没(啥|什么|有)?(影响|后果|事儿?|关系|问题)|不会(有)?(啥|什么)?(影响|后果|事|问题|怎么样)|"
                             r"不会被(处理|处罚|追责|通报)|没人管")


def denies_consequence(claim: str) -> bool:
    return bool(_NO_CONSEQUENCE.search(claim))


def sanction_verdict(claim: str, sentence: str) -> Verdict | None:
    """不是 for "没啥影响吧" against a sentence that attaches a sanction, unless the claim's number
    puts the project outside the sentence's condition (then it cannot tell)."""
    by_number = _by_number(claim, sentence)
    if by_number is UNDECIDED or (by_number is not None and not by_number.holds):
        return None
    return Verdict(False, "有后果")


# Times of the year in words, as the months they cover.
_TIME_OF_YEAR = re.compile(r"年底|年末|年初|上半年|下半年|年中|第([一二三四1-4])季度|([一二三四1-4])季度")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WORD_MONTHS = {"年底": {12}, "年末": {12}, "年初": {1}, "上半年": set(range(1, 7)), "下半年": set(range(7, 13)),
                "年中": {6, 7}}


def _months(text: str) -> set[int]:
    """The months of the year a text names: 10月底 → {10}; 年底 → {12}; 第一季度 → {1, 2, 3}."""
    out: set[int] = set()
    for m in _TIME_OF_YEAR.finditer(text):
        q = m.group(1) or m.group(2)
        out |= set(range(3 * _QUARTERS[q] - 2, 3 * _QUARTERS[q] + 1)) if q else _WORD_MONTHS[m.group(0)]
    out |= {int(q.value) for q in find_quantities(text) if q.kind == "date" and q.unit in ("月", "月底") and 1 <= q.value <= 12}
    return out


_ODD = re.compile(r"^[（(]?含?[）)]?(以上|以下)?(单数|奇数)")
_SEVERAL = re.compile(r"(好几|几|多|很多|若干)次")


def _counts(text: str) -> list[float]:
    """Counts of times: 一次 → 1; 好几次/多次 → 2 (more than once)."""
    found = [(m.start(), parse_number(m.group(1)) or 0.0) for m in _COUNT.finditer(text)]
    found += [(m.start(), 2.0) for m in _SEVERAL.finditer(text)]
    return [v for _, v in sorted(found)]


def _periods(text: str) -> set[str]:
    """How often: 每年/按年度 → 年度, 每个月 → 月, 每两年 → 每2年."""
    out = set()
    for m in _PERIOD.finditer(text):
        p = m.group(0).replace("每个", "每").replace("个", "")
        n, unit = (m.group("n"), m.group("u")) if m.group("n") else (m.group("k"), m.group("v"))
        if n:  # 每两年, 三年一次 → 每3年; 一年一次 → 年度
            p = f"每{unit}" if parse_number(n) == 1 else f"每{parse_number(n):g}{unit}"
        out.add(p.replace("按", "").replace("每年", "年度").replace("每季度", "季度").replace("每月", "月"))
    return out


def _bound(sentence: str, q: Quantity) -> str | None:
    # The comparator may stand before the base of a share ("不超过预算金额15%"), within its phrase.
    before = _PHRASE_BREAK.split(sentence[max(0, q.start - _BOUND_REACH):q.start])[-1]
    after = sentence[q.end:q.end + 6]  # "3人（含）以上"
    if _UPPER.search(before) or _UPPER.search(after) or after.startswith("内"):  # 半年内, 30日内
        return "upper"
    if _LOWER.search(before) or _LOWER.search(after):
        return "lower"
    return None


def _values(text: str) -> list[tuple[Quantity, str, float]]:
    """(quantity, unit it compares in, value in that unit): durations in months where they are
    counted in years or months (一年 = 12个月, 半年 = 6个月); a year number (2021年) is no value."""
    out = []
    found = find_quantities(text)
    month_ends = {i for i, (q, d) in enumerate(zip(found, found[1:])) if _month_end(text, q, d)}
    for i, q in enumerate(found):
        if i in month_ends:  # "11 月 30 日" is "11月底"
            end = found[i + 1]
            out.append((replace(q, unit="月底", text=text[q.start:end.end], end=end.end), "月底", q.value))
            continue
        if i - 1 in month_ends:
            continue
        if q.kind == "date" and q.unit == "年":
            continue
        if q.unit == "次" and q.text.startswith("二"):
            continue  # 二次开发, 二次评审: "secondary" (two times is 两次)
        if q.kind == "duration" and q.unit in ("年", "个月"):
            out.append((q, "个月", q.value * (12 if q.unit == "年" else 1)))
        elif q.kind == "duration" and q.unit == "周":
            out.append((q, "天", q.value * 7))  # 两个星期 = 14天
        elif q.kind == "count" and q.unit in ("个", "人"):
            out.append((q, "人", q.value))  # 两个专家 against 专家3人
        else:
            out.append((q, q.unit, q.value))
    out += [(q, "个月", 6.0) for q in half_years(text)]
    return out


_BY_TIME = re.compile(r"\s*(以内|之内|内|以前|之前|前|为止|以后|之后|后|就?截止|就?结束|截至)")
_LAST_DAY = {2: (28, 29), 4: (30,), 6: (30,), 9: (30,), 11: (30,)}


def _month_end(text: str, month: Quantity, day: Quantity) -> bool:
    """Whether a month and the day after it ("11 月 30 日") name the month's last day."""
    return (month.kind == day.kind == "date" and (month.unit, day.unit) == ("月", "日")
            and not text[month.end:day.start].strip() and 1 <= month.value <= 12
            and day.value in _LAST_DAY.get(int(month.value), (31,)))


_BASE_TAIL = 3  # two bases of a share are one when they end alike (总投资, 项目总投资; not 合同金额, 预算金额)
_BOUND_REACH = 10  # characters before a number searched for its comparator
_PHRASE_BREAK = re.compile(r"[，,；;。？?、：:]")


def _by_number(claim: str, sentence: str) -> Verdict | None:
    asked_values = _values(claim)
    stated_values = _values(sentence)
    asked = [q for q, _, _ in asked_values]
    counts_q, counts_s = _counts(claim), _counts(sentence)
    if counts_q and counts_s:
        period_q, period_s = _periods(claim), _periods(sentence)
        if period_q and period_s and not period_q & period_s:  # "每两年一次" against "每年开展一次"
            return Verdict(False, f"周期不同：{'、'.join(sorted(period_q))} / {'、'.join(sorted(period_s))}")
    if counts_q and counts_s and not any(q.kind == "count" for q in asked):
        bound = "upper" if _UPPER.search(sentence) else None
        holds = counts_q[-1] <= counts_s[0] if bound == "upper" else counts_q[-1] == counts_s[0]
        return Verdict(holds, f"次数：{counts_q[-1]:g} / {counts_s[0]:g}")
    for q, unit, value in asked_values:
        same = [(s, v) for s, u, v in stated_values if s.kind == q.kind and u == unit]
        if not same:
            continue
        s, stated = same[0]
        if q.kind == "duration" and (owner := length_of(sentence, s)) and not any(
                owner in p for p in comma_parts(claim) if q.text in p):
            # "给2个月时间整改后再验" against "经 3 个月试运行正常后": that is how long 试运行 lasts.
            return UNDECIDED
        if q.kind == "percent":
            # "合同金额的30%" is not compared with "预算金额15%": a share of another thing.
            a, b = share_base(claim, q), share_base(sentence, s)
            k = min(_BASE_TAIL, len(a), len(b))
            if a and b and a[-k:] != b[-k:]:
                return UNDECIDED
        ends = [v for x, v in same if (x.start, x.end) == (s.start, s.end)]
        if len(ends) == 2:  # "12 至 24 个月内": the claim holds inside the range
            low, high = sorted(ends)
            claimed = [v for x, u, v in asked_values if (x.start, x.end) == (q.start, q.end) and u == unit]
            if len(claimed) == 2:  # a range against a range ("12到24个月内"): the same, or inside it
                inside = low <= min(claimed) and max(claimed) <= high
                return Verdict(inside, f"{q.text} {'在' if inside else '不在'} {s.text} 之间")
            # A claimed bound is a claim about the range's end: "一年内" sets the deadline at 12
            # months where the text's is 24 (and its window opens at 12); "一年以后" opens it.
            edge = {"upper": high, "lower": low}.get(_bound(claim, q) or "")
            if edge is not None:
                return Verdict(value == edge, f"{claim[q.start:q.end + 2]} / {s.text}")
            return Verdict(low <= value <= high, f"{q.text} 在 {s.text} 之间" if low <= value <= high
                           else f"{q.text} 不在 {s.text} 之间")
        claim_bound, stated_bound = _bound(claim, q), _bound(sentence, s)
        if claim_bound and stated_bound and claim_bound != stated_bound:
            # "超过500万的…" against "500万元以下的…": the sentence speaks of the other side of the
            # line; what holds on the claim's side is another sentence's to say. A floor claimed
            # against a ceiling stated ("不能低于总投资的5%" against "调整数额不超过总投资15%") is
            # neither confirmed nor denied by it.
            return UNDECIDED
        if claim_bound and claim_bound == stated_bound:
            # "不低于总投资的10%" against "不低于项目总投资的5%": a line claimed for the rule's line.
            return Verdict(value == stated, f"界限：{q.text} / {s.text}")
        if q.kind == "count" and _ODD.match(sentence[s.end:s.end + 8]) and value % 2 == 0:
            return Verdict(False, f"{q.text} 不是单数")  # "请4个专家" against "3人（含）以上单数"
        around = claim[max(0, q.start - 4):q.end + 3]
        if _REQUIREMENT.search(around):
            return Verdict(value == stated, f"要求：{q.text} / {s.text}")
        bound = _bound(sentence, s)
        if bound == "upper":
            return Verdict(value <= stated, f"{q.text} ≤ {s.text}")
        if bound == "lower":
            return Verdict(value >= stated, f"{q.text} ≥ {s.text}")
        return Verdict(value == stated, f"{q.text} / {s.text}")
    return _days_against_months(claim, sentence, asked_values, stated_values)


# The bound words right after a duration, which make it a deadline ("半年内", "5个工作日内").
_AFTER_DURATION = re.compile(r"\s*(?:（含）|\(含\))?(?:以上|以下|以内|左右|之内|内|前|后|以后|之后)?(的)?")


# What makes a duration the span of an event that follows it: "经 3 个月试运行", "满两年".
_SPAN_BEFORE = re.compile(r"(?:经|经过|(?<![不未])满|历时|为期)\s*$")


def length_of(sentence: str, q: Quantity) -> str:
    """What a duration in a sentence is the length of, as the two characters after it ("不低于1个月的
    试运行", "经 3 个月试运行正常后" → 试运); "" for a deadline ("半年内") or where nothing follows."""
    after = _AFTER_DURATION.match(sentence, q.end)
    if after.group(0).strip(" 的"):
        return ""
    if not after.group(1) and not _SPAN_BEFORE.search(sentence[max(0, q.start - 4):q.start]):
        return ""  # "不足两年停用": a condition on an act, not the act's length
    rest = sentence[after.end():after.end() + 2]
    return rest if re.fullmatch(r"[\u4e00-\u9fa5]{2}", rest) else ""


def _days_against_months(claim: str, sentence: str, asked_values, stated_values) -> Verdict | None:
    """A claim in days (两个星期, 20天) against a bound in months (不低于1个月), or the reverse: a
    month is 28 to 31 days, so it is settled only when the two do not overlap."""
    for q, unit, value in asked_values:
        other = {"天": "个月", "个月": "天"}.get(unit) if q.kind == "duration" else None
        cross = [(s, v) for s, u, v in stated_values if s.kind == "duration" and u == other]
        if not cross:
            continue
        s, stated = cross[0]
        days = lambda v, u: (v * 28, v * 31) if u == "个月" else (v, v)  # noqa: E731
        (cl, ch), (sl, sh) = days(value, unit), days(stated, other)
        if _REQUIREMENT.search(claim[max(0, q.start - 4):q.end + 3]):
            # "要满3个月才行" against "不少于30天": a claim of what is required, not of what will do
            return Verdict(False, f"要求：{q.text} / {s.text}") if ch < sl or cl > sh else UNDECIDED
        bound = _bound(sentence, s)
        if bound == "lower" and (cl >= sh or ch < sl):
            return Verdict(cl >= sh, f"{q.text} {'≥' if cl >= sh else '<'} {s.text}")
        if bound == "upper" and (ch <= sl or cl > sh):
            return Verdict(ch <= sl, f"{q.text} {'≤' if ch <= sl else '>'} {s.text}")
        if bound is None and (ch < sl or cl > sh):
            return Verdict(False, f"{q.text} / {s.text}")
        return UNDECIDED
    return None
