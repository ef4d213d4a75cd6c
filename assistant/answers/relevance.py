"""The answerability decision: does a clause speak to enough of the question to stand as its
answer? A question word no document uses (护照, 著作权) raises the bar; with nothing relevant the
assistant refuses instead of quoting the nearest clause."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answers.request import (COUNTED, FIRM_NOUNS, QUANTITATIVE, VALUED, Asked, Request, claim_of,
                                       claimed_base, claimed_value, focus, states_value, strip_procedure)
from assistant.answers.followup import stage_words
from assistant.answers.verdict import length_of, without_payer
from assistant.corpus.maps import Stage
from assistant.corpus.model import Hit, Part, PartKind
from assistant.search.index import indexed_text
from assistant.search.matching import NEGATED, Matcher, own_titles
from assistant.search.query import QueryAnalysis
from assistant.search.tokenizer import UNIT_MARK, _tag, specificity
from assistant.text import HALF_YEAR, comma_parts, find_quantities, parse_cn_int, with_half_years

# Relevance gate, chosen on the evaluation set (evals/): the best clause must carry at least this
# share of the question's IDF mass, and at least this much IDF in absolute terms.
MIN_COVERAGE = 0.4
MIN_MATCHED_IDF = 2.0
# A short ask ("六安验收", "验收没过会怎么样") is answered by a clause that carries most of it
# (SHORT_COVERAGE), if what it carries weighs this much.
MIN_TOPIC_IDF = 1.5
SHORT_COVERAGE = 0.6
UNKNOWN_SHARE = 0.5
FOREIGN_MIN_COVERAGE = 0.6
# The context's words count for this share of an ask's: "上城区的项目立项以后还没采购，…，要走什么手续？"
# is about 立项 and 采购, but a scenario's details must not drown the ask.
CONTEXT_WEIGHT = 0.35
# A bare ask over a long story ("…想把一个功能模块砍掉，预算减少10%，要走什么手续") is answered by a
# clause carrying this share of the story, if what it carries weighs twice MIN_MATCHED_IDF.
THIN_COVERAGE = 0.25
# A clause stating a value of the kind asked (a date for 什么时候, a duration for 多久) matches the
# attribute as a term of this weight (about a mid-frequency corpus word's IDF).
ATTRIBUTE_WEIGHT = 3.0


# Attributes asked for in the texts' own words ("交哪些材料", "纳入…吗"): their asking words are
# what the answering clause says, not just how the question asks.
_NAMING_ASKS = frozenset({Asked.MATERIALS, Asked.APPLIES})


@dataclass(frozen=True)
class Gate:
    """What the relevance gate weighs: the asks in full, the context (the rest of the question,
    the asker's situation removed) at CONTEXT_WEIGHT, and a clause that states a value of the
    kind asked (a date for 什么时候) as one more matched term. `foreign`: words of the asks that
    no document uses."""

    asks: QueryAnalysis
    context: QueryAnalysis | None
    foreign: tuple[str, ...]
    attribute: Asked | None
    thin: bool = False  # the asks name nothing ("要走什么手续"): the context is what is asked
    across: bool = False  # several documents asked at once: each is read in its own words
    headed: tuple[str, ...] = ()  # foreign words that head what is asked ("专家的回避有什么规定")
    excluded: tuple[str, ...] = ()  # kinds the scoped 办法 name only to set aside (非涉密, 涉密项目除外)
    stages: frozenset[str] = frozenset()  # words of the asks naming a lifecycle stage (验收, 立项)


def with_stages(matcher: Matcher, gate: Gate, stages: Sequence[Stage]) -> Gate:
    """The gate, knowing which words of the asks name a lifecycle stage by its name or an alias."""
    names = stage_words(stages)
    return replace(gate, stages=frozenset(w for w, _ in matcher.tokenizer.terms(gate.asks.question) if w in names))


def build_gate(matcher: Matcher, analysis: QueryAnalysis, request: Request, doc_ids: tuple[str, ...] = ()) -> Gate:
    """Of several asks ("要写哪几部分，有模板吗"), those naming something no document uses are set
    aside when another remains: the answer is to that one. Only the asks' words are held against
    it — the context ("领导突然交代…") is the situation."""
    asks = [(a, x) for a, x in zip(request.asks, request.asked)]
    # Whether the scoped 办法 require something they never mention ("启东：开发商要不要交源代码？"):
    # they do not say. Other asks are weighed against the whole corpus's words.
    yes_no = (Asked.WHETHER, Asked.CHOICE)
    # What an open ask asks for by name that only documents out of scope name ("六安…要有什么资质").
    unnamed = {a: unnamed_heads(matcher, a, doc_ids) if x not in yes_no else [] for a, x in asks}
    # A bare tag ("…归建设单位所有 是吧") asks whether what was said just before it is so: the
    # claim's words are the ask's.
    claims = {a: claim_of(request, a) for a, _ in asks}
    foreign_of = {a: [w for w in foreign_terms(matcher, _part(analysis, strip_procedure(claims[a])),
                                               doc_ids if x in yes_no else (), kinds_of_known=x in yes_no)
                      if x not in yes_no or claims[a] == a or specificity(w) >= CLAIM_SPECIFICITY]
                                 or unknown_content(matcher, _part(analysis, focus(x, strip_procedure(a))), said=a)
                                 or unnamed[a]
                  for a, x in asks}
    # An ask added after the question ("…，有模板吗") is set aside; the question itself is not
    # ("数据资源局有几个科室，项目归哪个科管": the first ask decides).
    # Nor is a question put two ways ("能放我们自己机房吗，不上政务云行不行"): one way the texts
    # speak of answers both.
    if asks and (not foreign_of[asks[0][0]]
                 or asks[0][1] in yes_no and any(x in yes_no and not foreign_of[a] for a, x in asks[1:])):
        asks = [(a, x) for a, x in asks if not foreign_of[a]]
    ask_text = "，".join(strip_procedure(a) for a, _ in asks)
    context = "，".join(request.context)
    attribute = next((x for _, x in asks if x in VALUED), None) or _claimed_time(asks)
    foreign = tuple(dict.fromkeys(w for a, _ in asks for w in foreign_of[a]))
    ask_part = _part(analysis, ask_text)
    # Thin is judged without the words that ask for the attribute: "六安和乐山分别怎么处理" names
    # nothing of its own (处理 is how a consequence is asked for), so its context is the topic —
    # and the asking words do not pull toward clauses that merely use them.
    named = _part(analysis, "，".join(strip_procedure(a) if x in _NAMING_ASKS else focus(x, strip_procedure(a))
                                     for a, x in asks))
    # An ask naming only what no text knows ("收益怎么分成") names something: it is not thin.
    thin = (bool(context.strip()) and _naming_weight(matcher, named) < MIN_MATCHED_IDF
            and not unknown_content(matcher, named, said="，".join(a for a, _ in asks)))
    if thin and known_weight(matcher, ask_part)[0] >= MIN_MATCHED_IDF:
        ask_part = named
    heads = {h for a, _ in asks for h in nominal_heads(strip_procedure(a)) | _held_by(strip_procedure(a)) | set(unnamed[a])}
    headed = tuple(w for w in foreign if w in heads)
    # A kind the scoped 办法 name only to set aside (六安: "非涉密电子政务项目…"): asked of it
    # ("六安的涉密项目怎么验收"), they do not say — the word counts as one they never use.
    # (Whether the 办法 reach it — "涉密项目也要照做吗" — is answered by the clause setting it aside.)
    excluded = tuple(_excluded_kinds(matcher, ask_part, doc_ids)) \
        if not any(x in (*yes_no, Asked.APPLIES) for _, x in asks) else ()
    foreign, headed = foreign + excluded, headed + excluded
    return Gate(ask_part, _part(analysis, context) if context.strip() else None, foreign, attribute, thin,
                across=len(doc_ids) > 1, headed=headed, excluded=excluded)


def _excluded_kinds(matcher: Matcher, part: QueryAnalysis, doc_ids: tuple[str, ...]) -> list[str]:
    """Words of the ask (not negated there) that every scoped document uses only to set aside
    (under 非, before 除外, after 不含)."""
    # Only a word each text sets aside at all is worth reading its clauses for.
    words = [w for w, _, alts in matcher.question_terms(part) if len(w) >= 2 and NEGATED + w not in alts
             and doc_ids and all(w in matcher.set_aside_in(d) for d in doc_ids)]
    return [w for w in words if all(NEGATED + w in v and w not in v for v in map(matcher.doc_vocabulary, doc_ids))]


def _choice_of_values(asked: Asked, ask: str) -> Asked:
    """A choice between amounts of time ("一年一签还是一次签三年") asks for the duration the text
    gives, as 多久 would; any other ask is itself."""
    if asked is Asked.CHOICE and any(q.kind == "duration" for q in find_quantities(ask)):
        return Asked.DURATION
    return asked


def _claimed_time(asks) -> Asked | None:
    """A yes/no claim of a time ("可研12月前交就行吧", "试运行两个月够吗") asks for the time the
    text gives: a date or a duration, as 什么时候 or 多久 would."""
    for text, asked in asks:
        if asked is not Asked.WHETHER:
            continue
        claimed = claimed_value(text)
        if claimed in (Asked.DATE, Asked.DURATION):
            return claimed
    return None




def unknown_content(matcher: Matcher, part: QueryAnalysis, said: str = "") -> list[str]:
    """The nouns of an ask when nothing of it is a word any document uses ("税点一般多少" → 税点):
    the texts do not speak of it. An ask of only asking or colloquial words ("要走什么手续",
    "能自己先改了再说吗") names nothing and is read with its context instead. `said`: the ask as
    written, when `part` has lost its asking words ("什么意思": 意思 is how it asks)."""
    terms = [(w, alts) for w, _, alts in matcher.question_terms(part)
             if not find_quantities(w) and not _WH.search(w)]
    if any(alts & matcher.idf.keys() for _, alts in terms):
        return []
    if any(q.canonical in matcher.idf for q in find_quantities(part.question)):
        return []  # "500万这条线上有啥讲究": the amount the texts use is what it asks about
    heads = {m.group(2) for text in (part.question, said) for m in _DETERMINED.finditer(text)}
    return [w for w, _ in terms if len(w) >= 2 and w not in heads and matcher.tokenizer.reads_as_noun(w)
            and not placed_by(w, part.question)]  # (正文之外: where, not what)


def _part(analysis: QueryAnalysis, text: str) -> QueryAnalysis:
    return replace(analysis, question=text, topic=text)


def coverage(matcher: Matcher, gate: Gate, clause: Part) -> tuple[float, float]:
    """(coverage, matched weight) of the question by a clause, the context weighing less."""
    have = matcher.clause_tokens(clause.id)
    # A word no document uses, by any spelling, weighs UNKNOWN_SHARE of its weight: a colloquial
    # word (没过, 突然) no clause could match must not sink an answer, yet a question made of
    # such words (个人所得税专项附加扣除) is not answered by the one word it shares. A noun no
    # document uses is held against the answer in full by is_relevant (gate.foreign).
    known = matcher.idf.keys()
    # Several cities asked at once ("在哪个系统或者平台上填报？六安、乐山、上城"): a word one city's
    # text never uses (填报, where 六安 says 申报) weighs for that city as an unknown word does.
    own = matcher.doc_vocabulary(clause.id.split("/", 1)[0]) if gate.across else known

    def weigh(w: float, alts: frozenset[str], share: float = UNKNOWN_SHARE) -> float:
        return w if alts & known and alts & own else share * w

    terms = [(weigh(w, alts), alts) for _, w, alts in matcher.question_terms(gate.asks)]
    words = {word for word, _, _ in matcher.question_terms(gate.asks)}
    if gate.context is not None:
        # An ask that names nothing the corpus knows ("要走什么手续", "中间要经过哪些") asks about
        # its context, which then weighs in full.
        weight = 1.0 if gate.thin else CONTEXT_WEIGHT
        # The context's unknown words are the story around the ask (突然, 督办, 要换): they weigh nothing.
        terms += [(weight * weigh(w, alts, 0.0), alts) for word, w, alts in matcher.question_terms(gate.context)
                  if word not in words]
    total = sum(w for w, _ in terms)
    matched = sum(w for w, alts in terms if alts & have)
    if gate.attribute is not None:
        total += ATTRIBUTE_WEIGHT
        if states_value(gate.attribute, clause.text):
            matched += ATTRIBUTE_WEIGHT
    return (matched / total, matched) if total else (0.0, 0.0)


# What an ask is about, after 的 and before its asking words ("评审专家的回避有什么规定": 回避).
_NOMINALISED = re.compile(r"的([\u4e00-\u9fa5]{2,4}?)(?=\s*(分别|各自|都|又|还|具体)?\s*(有|是|该|要|应|怎么|如何|什么|哪些|啥))")


def nominal_heads(ask: str) -> set[str]:
    """The words heading what an ask is about ("X的回避有什么规定" → 回避, "…的预付款怎么追回" → 预付款)."""
    return {m.group(1) for m in _NOMINALISED.finditer(ask)}


def _held_by(ask: str) -> set[str]:
    """The runs before "由谁", "是谁", "是哪位": what the ask wants the holder of ("专家组组长由谁担任")."""
    return {w for m in _WHOSE.finditer(ask) for n in (2, 3, 4)
            if not (w := ask[max(0, m.start() - n):m.start()]).startswith(("这", "那"))}


# "…由谁担任", "…是谁", "…归谁": the word before is the one whose holder is asked ("审计那块是谁负责":
# a demonstrative points, it names nothing).
_WHOSE = re.compile(r"(由|归|是)(谁|哪位)")


# Words placing something before, after or beside a point of reference ("正文后面", "正文之外").
_LOCATIVE = r"(?:之外|以外|后面|后边|之后|以后|前面|前边|之前|以前)"


def placed_by(word: str, text: str) -> bool:
    """Whether a text uses a word as a point of reference ("正文之外还要附哪些图表")."""
    return bool(re.search(re.escape(word) + _LOCATIVE, text))


# A word specific enough to be what a claim or an ask turns on (回避 0.50, 资质 0.83; not 拿到 0.41,
# 手续 0.38, 环节 0.38 — the shapes an answer takes, which texts give without naming them).
CLAIM_SPECIFICITY = 0.45
# A thing asked for by name (资质, 模板, 表格) that the texts must say of what is asked: rare in
# general Chinese, unlike the words of any answer (要求, 材料, 流程, 调研).
THING_SPECIFICITY = 0.8


def unnamed_heads(matcher: Matcher, ask: str, doc_ids: tuple[str, ...]) -> list[str]:
    """What an open ask asks for by name ("监理单位要有什么资质": 资质) when the corpus knows the
    thing — another document names it — but no document in scope does, by any spelling: those
    texts do not say what it is, and their nearest clause is not its answer."""
    if not doc_ids:
        return []
    vocab = matcher.vocabulary(doc_ids)
    # ... or what it asks about, the thing it opens with ("结余资金怎么处理": 结余).
    subject = _SUBJECT.match(strip_procedure(ask))
    words = [m.group(2) for m in _DETERMINED.finditer(ask)]
    words += [w for w, _ in matcher.tokenizer.terms(subject.group(1))] if subject else []
    out = []
    for word in dict.fromkeys(words):
        if (word in vocab or word not in matcher.idf or specificity(word) < CLAIM_SPECIFICITY
                or not matcher.tokenizer.names_a_thing(word)):
            continue
        if not matcher.spellings(word) & vocab:
            out.append(word)
    return out


# The thing an open ask opens with, before how it asks of it (or the procedure words, stripped).
_SUBJECT = re.compile(r"([\u4e00-\u9fa5]{2,8}?)(?:应该|应当|要|该|需要|得)?(?:怎么|如何|怎样|咋|\s)")


def detached_heads(matcher: Matcher, analysis: QueryAnalysis, request: Request,
                   doc_ids: tuple[str, ...]) -> tuple[str, str] | None:
    """What an open ask asks for by name ("做风险评估必须找有什么资质的机构": 资质) when the texts in
    scope name it only in clauses about something else (启东: the 资质 of a 监理单位): they do not
    say it of what is asked. (word, what it is asked of) or None. What it is asked of are the
    ask's and the context's specific words the scoped texts use; one of them must share a clause
    with the word."""
    if not doc_ids:
        return None
    vocab = matcher.vocabulary(doc_ids)
    for ask, asked in zip(request.asks, request.asked):
        if asked is not Asked.WHAT:
            continue  # what the answer is (流程, 材料, 时间) need not be the clause's word
        terms = matcher.question_terms(_part(analysis, "，".join((*request.context, ask))))
        for m in _DETERMINED.finditer(ask):
            word = m.group(2)
            if (word not in vocab or specificity(word) < THING_SPECIFICITY or not _tag(word).startswith(("n", "vn"))
                    or not matcher.tokenizer.names_a_thing(word)):
                continue  # an act asked for by kind ("要走什么审批") is the answer's, not a thing's
            spelled = (matcher.spellings(word) | {word}) & vocab
            topic = [(w, alts & vocab, weight) for w, weight, alts in terms
                     if w != word and not (alts & spelled) and len(w) >= 2 and w not in _ASKING_WORDS
                     and specificity(w) >= CLAIM_SPECIFICITY and alts & vocab]
            if not topic:
                continue
            holding = [matcher.clause_tokens(c.id) for d in doc_ids for c in matcher.corpus.documents[d].clauses
                       if spelled & matcher.clause_tokens(c.id)]
            # The weightiest of them, as a whole word ("出第三方审计报告的机构要什么资质": 审计报告, not
            # 第三方, 机构 or the 报告 in it: 乐山 says 资质 of an 评估机构 that writes other 报告).
            weightiest, alts, _ = max(topic, key=lambda t: t[2])
            alts = ((matcher.spellings(weightiest) | {weightiest}) & vocab) or alts
            if not any(alts & tokens for tokens in holding):
                return word, _named_topic(matcher, _part(analysis, "，".join(w for w, _, _ in topic)))
    return None


def foreign_terms(matcher: Matcher, analysis: QueryAnalysis, doc_ids: tuple[str, ...] = (),
                  kinds_of_known: bool = False) -> list[str]:
    """Nouns of an ask that no document in scope uses, by any spelling the lexicon knows (护照,
    著作权, 公积金; 源代码 for 启东): they do not cover what it names. Whether a word is a noun is
    jieba's dictionary's call (Tokenizer.names_a_thing). `kinds_of_known`: a yes/no ask about a
    kind of something the texts treat (盗版软件 → 软件) is theirs to answer."""
    if doc_ids:
        vocab: frozenset[str] | dict = matcher.vocabulary(doc_ids)
    else:
        vocab = matcher.index.bm25.vocab_dict
    quantities = {q.canonical for q in analysis.quantities}
    out = []
    # The noun after 哪些/什么/这些 names the form of the answer (哪些类型, 这些章节), not its topic.
    heads = {m.group(2) for m in _DETERMINED.finditer(analysis.question)}
    # A verb after 的 that the ask is about is a noun there: "评审专家的回避有什么规定" asks of 回避.
    nominal = nominal_heads(analysis.question)
    # ... and the word before 由谁/是谁, unless an adverb or a pronoun ("到底由谁来编", "那块是谁负责").
    nominal |= {w for w in _held_by(analysis.question) if _tag(w)[:1] in ("n", "v", "")}
    for word, parts in matcher.tokenizer.terms(analysis.question):
        if (len(word) < 2 or word in vocab or word in quantities or _WH.search(word) or word in heads
                or not (matcher.tokenizer.names_a_thing(word) or word in nominal
                        or (word.isascii() and word.isalpha()))):
            continue
        if any(word in place or place in word for place in analysis.unknown_places) or LEVEL_WORD.match(word):
            continue  # a place, or a level of government (县里, 市里): where, not what
        if placed_by(word, analysis.question):
            continue  # "正文之外还要附哪些图表": a point of reference for what is asked, not what is asked
        if kinds_of_known and matcher.tokenizer.head(word) in vocab:
            continue  # "能不能用盗版软件": whether a kind of what the texts regulate (软件) is allowed
        if matcher.tokenizer.acted_on(word) in vocab:
            continue  # "签合同时": an act on what the texts name (签订合同), in the words of speech
        # A key names the word when the word is part of it, or is its head: Chinese compounds
        # end in what they are (盗版软件 is 软件; 审计费 is a 费, not an 审计).
        synonyms = set()
        for key, tokens in matcher.synonym_tokens.items():
            if word in key or word.endswith(key):
                synonyms |= tokens
        if not any(t in vocab for t in synonyms):
            out.append(word)
    return out


def is_relevant(matcher: Matcher, gate: Gate, hit: Hit) -> bool:
    """The relevance gate. A noun no document uses (护照, 著作权) weighs up to as much as the rarest
    corpus word and raises the bar to FOREIGN_MIN_COVERAGE: the clause must answer the rest
    of the question well for the answer to stand."""
    cov, matched = coverage(matcher, gate, hit.clause)
    if gate.foreign:
        # ... in proportion to how specific it is in general Chinese: 破解版, 评审费 in full; 分数,
        # 动作, 牌子 (words of everyday speech, if less common than 大家) in part.
        # A foreign word heading what is asked ("…的回避有什么规定") is the topic itself: in full.
        total = matched / max(cov, 1e-9) + sum(1.0 if w in gate.headed else specificity(w)
                                                for w in gate.foreign) * matcher.max_idf
        return bool(total) and matched / total >= FOREIGN_MIN_COVERAGE and matched >= MIN_MATCHED_IDF
    short = cov >= SHORT_COVERAGE and matched >= MIN_TOPIC_IDF
    if gate.context is not None:
        # A story with an ask of its own ("…监理也签过字了。接下来验收怎么走？"): the story is the
        # situation, and a clause that carries most of the ask answers it.
        ask_cov, ask_matched = coverage(matcher, replace(gate, context=None), hit.clause)
        if ask_cov >= SHORT_COVERAGE and ask_matched >= MIN_TOPIC_IDF:
            return True
    if gate.thin and cov >= THIN_COVERAGE and matched >= 2 * MIN_MATCHED_IDF:
        return True  # a long story with a bare ask: the clause carries a good share of what it names
    # A lifecycle stage the ask names (验收, 运维) is a topic by the data, however common its word
    # is in the texts: a clause naming it carries the ask with less weight matched.
    staged = bool(gate.stages & matcher.clause_tokens(hit.clause.id)) and matched >= MIN_TOPIC_IDF
    return cov >= MIN_COVERAGE and (matched >= MIN_MATCHED_IDF or short or staged)


_WH = re.compile(r"哪|什么|啥|几|多少|谁|怎|咋|干嘛")
_DEADLINE_ASKED = re.compile(r"截止|最晚|最迟")
_DEADLINE_STATED = re.compile(r"月底|(日|号|年度|月份?)前|之前|以前|截止|内")
# A date asked to the day ("具体哪天", "几号", "几月几日") is stated only by a day of the month
# ("每月20日前"), not by "9月底" or "每年7-8月份" (a document number, 〔2021〕21号, is no day).
_DAY_ASKED = re.compile(r"几号|哪(一)?天|几月几[日号]|(具体|准确|确切)(的)?(日期|日子|时间)")
_DAY_STATED = re.compile(r"(?<![〕\d])[\d一二三四五六七八九十]{1,3}\s*[日号](?![常内])")
# A month asked for ("几月底之前", "哪个月") is stated by a month of the year or a part of it
# ("10 月底", "7-8月份", "年底", "第一季度"), not by "次年度" or "…前" alone. The sentence need
# not name the ask's words: "几月份开评审会" is answered by "每年7-8月份…集中审查论证".
_MONTH_ASKED = re.compile(r"几月|哪(个|一)?月")
_MONTH_NAMED = re.compile(r"(?<![\d个])[\d一二三四五六七八九十]{1,2}\s*月")  # a month of the year by its number
_MONTH_STATED = re.compile(rf"{_MONTH_NAMED.pattern}|年底|年初|年中|年末|季度|上半年|下半年|每月|月底")


def date_unit(ask: str) -> re.Pattern | None:
    """What a sentence must hold to state the date an ask wants to the unit it names; None: any date."""
    if _DAY_ASKED.search(ask):
        return _DAY_STATED
    return _MONTH_STATED if _MONTH_ASKED.search(ask) else None


LEVEL_WORD = re.compile(r"^(省|市|县|区|镇|乡|村|街道|园区)(里|级|属|直|本级|一级)$")
_DETERMINED = re.compile(r"(哪些|哪几个?|哪种|哪类|几类|几种|什么|啥|这些|那些|这个|那个)([\u4e00-\u9fa5]{2})")
_ASKED_NAMES = {
    Asked.FEE: "收费或金额标准", Asked.RATE: "比例", Asked.PAYER: "费用来源", Asked.STANDARD: "技术标准或规范", Asked.THRESHOLD: "金额门槛", Asked.COUNT: "人数或数量",
    Asked.FREQUENCY: "频次", Asked.DURATION: "期限", Asked.DATE: "具体日期",
    Asked.GRADE: "资质等级", Asked.CONTACT: "联系方式或地址",
}
# The firm a provider ask asks for, and the verbs of seeking one ("找哪家机构做").
_FIRM_WORDS = re.compile(rf"云?({FIRM_NOUNS}|机构)|找|用的是|在运营|运营|做|比较好|靠谱|好")
# Words of the asking, left out when a refusal names what is not covered.
_ASKING_WORDS = frozenset({"是指", "指的是", "就是", "标准", "多少", "费用", "这边", "一般", "大概", "具体", "只能", "至少", "最多", "截止", "截至", "最晚", "最迟"})
# A sentence speaks to an ask when it carries this share of the ask's word weight.
ASK_COVERAGE = 0.5
# ... and names one of the ask's two weightiest words, the second if it weighs this share of the first.
MIN_KEY_SHARE = 0.25
# An attachment's sentence leads over an article's only when it fits this much better (1 / share).
ATTACHMENT_SHARE = 0.8


def unstated(matcher: Matcher, analysis: QueryAnalysis, request: Request, hits: list[Hit],
             stages: Sequence[Stage] = (), whose: str = "收录的办法") -> str | None:
    """For a quantitative ask (多少钱, 几个专家, 多久一次) or who pays: None when some sentence of
    a relevant clause states such a value about what is asked; otherwise the reason to refuse —
    the clauses share words with the question but do not say what it asks. `whose`: the texts
    the refusal speaks for ("六安市的办法" when the question names its city)."""
    detached = detached_heads(matcher, analysis, request, tuple(dict.fromkeys(h.meta.doc_id for h in hits)))
    if detached is not None:
        word, topic = detached
        return f"{whose}没有规定{topic + '的' if topic else ''}{word}。"
    for asked, text in zip(request.asked, request.asks):
        focused = request
        if asked is Asked.WHETHER:
            # "专家组是不是至少得有5个人": settled only where a text gives a count to compare. (A
            # bare "对吗" asks of the claim said before it.)
            claim = claim_of(request, text)
            claimed = claimed_value(claim)
            # (An amount claimed as a line is settled by a sentence that draws it for what is asked:
            # "500万以下的项目也是…编建议书吧" by 六安's line for who writes it, not "超过500万的都要报市
            # 政府审定" by 乐山's 500万 for merging 可研 and 初设.)
            if claimed is not None and request.context:
                # ... and a value so claimed is of what was said before it too: "专家评审会 专家至少得
                # 5个人 对吧" claims a count of the review's experts, not of any experts.
                claim = "，".join((*request.context, text))
            paid_for = without_payer(claim) if claimed is None else None
            if paid_for is not None:
                # "评审费要我们自己掏吗": who pays, which a text must state of that cost — asked of
                # what is paid for, not of the payer claimed (the ask read without it).
                claimed, claim = Asked.PAYER, paid_for
                focused = replace(request, asks=tuple(paid_for if a == text else a for a in request.asks))
            if claimed is not None:
                asked, text = claimed, claim
        asked = _choice_of_values(asked, text)
        unit = date_unit(text) if asked is Asked.DATE else None
        if asked is Asked.DATE and unit is None and _DAY_STATED.search(text) and not _MONTH_NAMED.search(text):
            # A day of each month claimed ("每月20号前报进度") is settled only by a day the text gives.
            unit = _DAY_STATED
        if asked is Asked.DATE and unit is None and _MONTH_STATED.search(text):
            # A date claimed on the calendar ("是不是9月底就截止了") is settled only by one the text
            # gives on the calendar, not by a step it follows ("立项后").
            unit = _MONTH_STATED
        if asked not in QUANTITATIVE and unit is None:
            continue
        part, total, score = _ask_focus(matcher, analysis, focused, asked, text, stages)
        if unit is not None and request.context and total:
            # "项目进度 每个月几号前报": what the day is of may be said before the ask.
            part = _part(analysis, "，".join((focus(asked, text), *request.context)))
            total, score = known_weight(matcher, part)
        if asked in _TIMES and hits:
            # How long or when is framed in the asker's words ("立项能保留多久"): a word no text in
            # scope uses (保留, where 上城 says 有效期) cannot be what its sentence is about.
            vocab = matcher.vocabulary(h.meta.doc_id for h in hits)
            total = known_weight(matcher, part, vocab=vocab)[0]
        keyed = unit is not _MONTH_STATED
        if not keyed and not total:
            continue  # a month asked of nothing named ("各自最晚几月份要报上去"): the context says what
        if asked is Asked.THRESHOLD and total and _by_kind(matcher, part, hits):
            continue  # "投资多少以上要请监理" of 上城: "纳入政府采购的项目实行工程监理制" is its rule
        counted = counted_noun(matcher, text) if asked is Asked.COUNT else ""
        of = claimed_base(text) if asked is Asked.RATE else ""
        base = (rate_base(matcher, text) or frozenset(matcher.tokenizer.tokens(of))
                if asked is Asked.RATE else frozenset())
        if not total or not any(_states(matcher, asked, part, score, total, h.clause, stages, unit, keyed,
                                        said=analysis.topic, counted=counted, base=base)
                                for h in hits):
            if asked is Asked.PROVIDER:  # "等保测评找哪家机构": the work, without the firm asked for
                topic = _named_topic(matcher, _part(analysis, _FIRM_WORDS.sub(" ", part.question)))
                return f"{whose}没有指定由哪家机构或厂商承担{topic}。" if topic else f"{whose}没有指定具体的机构或厂商。"
            # An ask naming nothing of two characters ("能延多久") is named by what was said before
            # it ("申请延期验收").
            topic = _named_topic(matcher, part) or (
                _named_topic(matcher, _part(analysis, "，".join(request.context))) if request.context else "")
            name = _ASKED_NAMES[asked]
            if asked is Asked.GRADE and re.search(r"等保|等级保护|保护等级", text):
                name = "等级保护的级别"  # "等保应该定几级": a level, not a firm's 资质
            if (asked is Asked.COUNT and re.search(r"(几|多少|[一二两三四五六七八九十\d])次", text)
                    and not re.search(r"(几|多少|[一二两三四五六七八九十\d])(个|名|位|人)", text)):
                name = "次数"  # "还能再整改几次" (but "请3个以上专家搞一次初验" claims how many experts)
            if asked is Asked.RATE:  # asked as a share or as points
                name = "分值" if re.search(r"分(?!之)|权重", text) else "比例"
                thing = (_named_topic(matcher, part, leave=frozenset(matcher.tokenizer.tokens(of)))
                         if of and name == "比例" else "")
                if thing:  # "没有规定网络安全预算占总投资的比例", the base apart from what it is a share of
                    return f"{whose}没有规定{thing}占{of}的{name}。"
            if topic.endswith(name):  # "首付款比例": the topic names what is asked already
                return f"{whose}没有规定{topic}。"
            return f"{whose}没有规定{topic + '的' if topic else ''}{name}。"
    return None


# A duty laid on a kind of project rather than on an amount: "纳入政府采购的项目实行工程监理制".
_KIND_DUTY = re.compile(r"(纳入|列入|属于|涉及)[^，。；]{1,16}的项目[^。；]{0,6}(实行|须|必须|应当|应)")


def _by_kind(matcher: Matcher, part: QueryAnalysis, hits: list[Hit]) -> bool:
    """Whether a hit sets the duty an amount is asked for (its weightiest word) on a kind of project
    instead: the amount asked for has no answer, the rule does."""
    known = [(w, word) for word, w, alts in matcher.question_terms(part) if alts & matcher.idf.keys()]
    if not known:
        return False
    key = {max(known)[1]}  # the word itself: 公开招标 is not the 招标 of "项目监理独立招标"
    # The word must be the duty ("…实行工程监理制"), not the kind ("纳入政府采购的项目…").
    return any(m and key & set(matcher.tokenizer.tokens(s[m.end():]))
               for h in hits for s in sentences(h.clause) for m in [_KIND_DUTY.search(s)])


_SPAN_CHARS = 12  # a refusal names what is not covered in the ask's own words, up to this long


def _named_topic(matcher: Matcher, part: QueryAnalysis, leave: frozenset[str] = frozenset()) -> str:
    """What an ask is asked of, for a refusal: the words of it the texts know (but those to `leave`
    out), never the user's own numbers (every number in an answer has a source)."""
    words = [w for w, weight, alts in matcher.question_terms(part)
             if alts & matcher.idf.keys() and len(w) >= 2 and weight >= 0.5 and w not in leave
             and w not in _ASKING_WORDS and not find_quantities(w) and not _MONTH_STATED.search(w)
             and not re.search(r"\d", w) and not HALF_YEAR.search(w)]
    # (Joined, each word keeps the negation before it: "竣工验收不合格整改", not "…合格整改".)
    return _named_span(part.question, words) or "".join(
        f"{m.group(1)}{w}" if (m := re.search(rf"([不未没非]){re.escape(w)}", part.question)) else w for w in words)


def _named_span(text: str, words: list[str]) -> str:
    """The ask's own words from the first named word to the last ("监理费按项目总投资", not
    "监理投资" with the 费 between left out); "" when they are not in order or run too long."""
    if not words:
        return ""
    squeezed = re.sub(r"\s+", "", text)
    start = squeezed.find(words[0])
    end = squeezed.rfind(words[-1])
    if start < 0 or end < start or any(w not in squeezed[start:end + len(words[-1])] for w in words):
        return ""
    span = squeezed[start:end + len(words[-1])].rstrip("的")
    if len(span) > _SPAN_CHARS or find_quantities(span) or HALF_YEAR.search(span) or re.search(r"[，,。、；;？?：:\d]", span):
        return ""
    return span


def stating(matcher: Matcher, analysis: QueryAnalysis, request: Request, hits: list[Hit],
            stages: Sequence[Stage] = ()) -> list[Hit]:
    """The hits whose clause states the value a valued ask wants (the payer, a duration …) about
    what is asked — the governing clauses, whatever else shares more words."""
    found: dict[str, tuple[float, Hit]] = {}
    for asked, text in zip(request.asked, request.asks):
        if asked in VALUED:
            part, total, score = _ask_focus(matcher, analysis, request, asked, text, stages)
            for h in hits:
                best = _states(matcher, asked, part, score, total, h.clause, stages, said=analysis.topic) if total else 0.0
                if best and best > found.get(h.clause.id, (0.0, h))[0]:
                    found[h.clause.id] = (best, h)
    # The clause whose stating sentence fits the ask best first (第十九条 "由…组织…竣工验收" before
    # 第十五条 "…负责…组织实施" for "验收谁来组织").
    return by_governing_fit(found.values())


def by_governing_fit(fitted) -> list[Hit]:
    """(fit, hit) pairs as governing clauses rank: best fit first, the 办法's own articles before an
    attachment that says it too (an outline or a form restates; the article governs)."""
    return [h for _, h in sorted(fitted, key=lambda t: -t[0] * (ATTACHMENT_SHARE if t[1].clause.kind
                                                                is PartKind.ATTACHMENT_SECTION else 1))]


def _ask_focus(matcher: Matcher, analysis: QueryAnalysis, request: Request, asked: Asked, text: str,
               stages: Sequence[Stage] = ()):
    """What an ask is asked of, its known weight and scorer. An ask that names nothing of its own
    ("钱从哪出") is asked of the rest of the question — of the step the story heads for when the
    story names one ("系统刚把合同里的内容全部做完，想尽快验收，得等多久": 验收)."""
    part = _part(analysis, focus(asked, text))
    total, score = known_weight(matcher, part)
    if total < MIN_TOPIC_IDF:
        rest = [a for a in request.asks if a != text] + list(request.context)
        before = list(request.asks[:request.asks.index(text)]) if text in request.asks else []
        if _POINTING.search(text) and before:
            # "监理和等保测评都要做吗？这些钱从哪出": 这些 points at what the ask before it named,
            # not at the story (本级, 新建, 市级财政出钱).
            rest = before[-1:]
        elif not before and (heading := next((c for c in reversed(request.context)
                                             if _stages_named(matcher, c, stages)), None)) is not None:
            rest = [heading]
        part = _part(analysis, "，".join(rest))
        total, score = known_weight(matcher, part)
    return part, total, score


_POINTING = re.compile(r"这些|那些|这个|那个|这笔|这项|这几")


def _built_on(matcher: Matcher, word: str, alts: frozenset[str]) -> frozenset[str]:
    """The other pieces of the longer words built on a word among its synonyms: 延 → 延期验收
    brings 验收, which does not name 延 (延期, which holds it, does)."""
    return frozenset(p for a in alts if word in a and a != word for p in matcher.pieces(a) if word not in p)


_MONEY = re.compile(r"费用|经费|资金|钱|费")
# Asks for what money is about: who pays it, how much a thing costs, what share it takes.
_OF_MONEY = frozenset({Asked.PAYER, Asked.FEE, Asked.RATE})
# Asks for a time: how long, when, how often.
_TIMES = frozenset({Asked.DURATION, Asked.DATE, Asked.FREQUENCY})
# Values said of something in the same breath: a number asked for must stand in the part of the
# sentence (between commas) that names what it is asked of, or a part either side of it.
_NEAR_VALUE = frozenset({Asked.DURATION, Asked.COUNT, Asked.FEE, Asked.RATE})


def _around_value(asked: Asked, sentence: str) -> str:
    """The comma-separated parts of a sentence that hold a value of the asked kind, each with the
    parts either side of it ("项目投入运行后 12 至 24 个月内，项目单位应开展自评价")."""
    parts = comma_parts(sentence)
    out = []
    for i, p in enumerate(parts):
        if not states_value(asked, p):
            continue
        # A value before 的 belongs to the noun after it ("不低于1个月的试运行，…提出竣工验收申请"
        # is how long the trial runs): that phrase, not the parts around it, says what it is of.
        # (A 的 ending the part closes a condition — "…不超过预算金额15%的，由…" — and owns nothing.)
        owned = [q for q in find_quantities(p) if (o := _OWNED.match(p, q.end)) and p[o.end():].strip()]
        if owned and len(owned) == len(find_quantities(p)):
            out += [p[owned[0].start:]]
        else:
            out += parts[max(0, i - 1): i + 2]
    return "，".join(out) or sentence


# A title said as a step of the procedure ("专家评审那个环节"), not as a topic's words.
_AS_A_STEP = r"((那个|这个|的)?(环节|阶段|步骤|那一步|这一步|这一关|那一关)|会(?!计))"
_OWNED = re.compile(r"\s*(?:（含）|\(含\))?(?:以上|以下|以内|左右)?的")


def _states(matcher: Matcher, asked: Asked, part: QueryAnalysis, score, total: float, clause: Part,
            stages: Sequence[Stage] = (), unit: re.Pattern | None = None, keyed: bool = True,
            said: str = "", counted: str = "", base: frozenset[str] = frozenset()) -> float:
    """The best fit of a sentence of the clause that states a value of the asked kind, carries ASK_COVERAGE of the
    ask's weight and names one of its two weightiest words ("立项后多久必须开工": a duration about
    立项 or 开工, not the 1个月 of 试运行); 0 when none does."""
    known = sorted(((w, word, alts) for word, w, alts in matcher.question_terms(part)
                    if alts & matcher.idf.keys() and not _cut_loose(word)), key=lambda t: -t[0])
    # A word is named by itself or a synonym, not by a piece of it (延期验收 is not named by 验收).
    # Nor by a piece of another word of the ask (延 of "延期验收…延多久" is not named by 验收), nor by
    # the rest of a longer word built on it ("乐山申请延期验收，最长能往后延几个月": not the 3 个月 of
    # 试运行 before 验收).
    pieces = frozenset().union(*(matcher.pieces(word) for _, word, _ in known))
    # Who pays for something is said of that thing: "验收的费用谁出" is not answered by another
    # cost's "费用纳入该项目预算" — the money is named by every answer, the thing by the right one.
    # (What is paid for is named by any of its pieces: "项目论证费用" names 审查论证's 论证.)
    # So is what a fee or a share of money is of: "监理费按总投资的百分之几" is not answered by a share
    # of 资金 ("资金调整数额不超过批复总投资15%").
    things = [t for t in known if not _MONEY.fullmatch(t[1])] if asked in _OF_MONEY else []
    paid_for = bool(things)
    if paid_for:
        known = things
    # The word for a share itself (比例, spelt as any "%") says what is asked, not what it is of:
    # "首付款比例不能超过30%" is not answered by another thing's 15%.
    if asked is Asked.RATE:
        known = [t for t in known if UNIT_MARK + "%" not in t[2]] or known
    # A share is of something, out of a base: "监理费按总投资的百分之几" is asked of 监理费, and a
    # share of 总投资 that is another thing's ("资金调整数额不超过批复总投资15%") does not answer it.
    of_what = [t for t in known if t[1] not in base and not t[2] & base]
    if base and of_what:
        known = of_what
    # The second weightiest counts only if it weighs something (项目, in every clause, does not).
    named = [t for t in known[:2] if t[0] >= MIN_KEY_SHARE * known[0][0]]
    # (Nor is what money is paid for named by the money its spellings reach: 预付款 is not 资金.)
    # A step (初验) is named by its own spellings (初步验收), not by its stage's name (验收: the
    # "2个月内整改再提请验收" of any acceptance).
    spellings = _step_spellings(matcher, stages)
    keys = frozenset().union(*(frozenset(w for w, st in spellings.items() if st == spellings[word]) if word in spellings
                               else frozenset(a for a in alts if not _MONEY.fullmatch(a)) or alts if paid_for
                               else (alts - pieces - _built_on(matcher, word, alts)) or alts
                               for _, word, alts in named))
    # A value asked of one stage (立项评审 几个专家) is not answered by a sentence about another
    # (初验…专家3人…组织评审): a sentence that names stages names, itself or by its clause's
    # heading, every stage the ask names.
    asked_stages = _stages_named(matcher, part.topic, stages)
    heads = indexed_text(clause)[: -len(clause.text)] if asked_stages and clause.text else ""

    def of_stage(text: str) -> bool:
        named = _stages_named(matcher, text, stages)
        return not named or asked_stages <= named | _stages_named(matcher, heads, stages)

    # ... nor one asked of a step (终验) by a sentence about another step of the same stage (初验).
    asked_steps = _steps_in(part.topic, spellings)

    def other_step(text: str) -> bool:
        named = _steps_in(text, spellings)
        return bool(named) and not named & asked_steps and {st for st, _ in named} & {st for st, _ in asked_steps}

    # ... nor one asked of a step the document never names (乐山 has no 初验): the value it gives
    # its stage as a whole (验收 after 3 个月试运行) is not the step's.
    vocab = matcher.doc_vocabulary(clause.doc_id) if asked_steps else frozenset()
    if any(not any(w in vocab for w, named in spellings.items() if named == step) for step in asked_steps):
        return 0.0

    # An ask naming a section of the document by its title as a step ("专家评审那个环节…几位专家";
    # `said`: the whole question) asks of that section: a value under another heading (初验's 专家3人)
    # is not its answer.
    text = f"{part.topic}，{said}"
    titled = {t for t in matcher.titles(clause.doc_id) if re.search(re.escape(t) + _AS_A_STEP, text)}
    elsewhere = bool(titled) and not titled & own_titles(clause)
    deadline = asked is Asked.DATE and _DEADLINE_ASKED.search(part.topic)
    # The part of a claim that holds its number ("1个月之内必须提竣工验收申请"): a length the text
    # gives of something must be claimed of that thing.
    # (A part that names nothing but the length — "要试运行，时间是3个月吧", "最少是1个月吗" — claims it
    # of the part before.)
    parts = comma_parts(part.question)
    claimed_part = next((f"{parts[i - 1]}，{p}" if i and _bare_length(p) else p
                         for i, p in enumerate(parts) if with_half_years(p)), "")
    best = 0.0
    # An item of a list is read with its paragraph's lead-in ("项目合同中应当明确…以下内容：" before
    # "4.…维保期一般不少于2年"): what the item is about may be named there.
    for s, read in sentences_read_with_lead(clause):
        if elsewhere and not any(t in s for t in titled):
            continue
        # Unkeyed, the sentence may put the ask in its own words: half the weight will do.
        if not states_value(asked, s) or score(read) < (1 if keyed else 0.5) * ASK_COVERAGE * total:
            continue
        if deadline and not _DEADLINE_STATED.search(s):
            continue  # "截止到几月" is answered by "7月底前", not by the "7-8月份" of another step
        if unit is not None and not unit.search(s):
            continue
        if level_excluded(part.topic, s):
            continue  # "等保二级…多久测一次" is not answered by the 每年 of "第三级（含）以上的…"
        if keyed and not keys & set(matcher.tokenizer.tokens(read)) or (asked_stages and not of_stage(s)):
            continue
        if asked_steps and other_step(s):
            continue
        if asked in _NEAR_VALUE:
            near = _around_value(asked, s)
            # "建设完成半年内…向项目审批部门提交…" gives no time limit of what 审批 grants; nor does
            # "初验材料…生成后的5个工作日内" of the step 初验 (it qualifies the 材料, what the time is of).
            if not any(k not in spellings or not _qualifies(matcher, near, k)
                       for k in keys & set(matcher.tokenizer.tokens(near))):
                continue
        if counted and not counts_of(s, counted):
            continue  # "几个专家" is not answered by "初步验收和竣工验收两个阶段"
        if asked is Asked.DURATION and claimed_part and any((o := length_of(s, q)) and o not in claimed_part
                                                            for q in find_quantities(s) if q.kind == "duration"):
            continue  # "试运行结束后，1个月之内必须提竣工验收申请" is not settled by "1个月的试运行": its length
        if asked is Asked.DURATION and counted_from_another_stage(matcher, stages, part.question, s):
            continue  # "初验通过以后…半年内" is not settled by "建设完成半年内…": counted from another event
        best = max(best, score(read))
    return best


# What a part says of a length besides the length itself: a word for it, a bound, a tag.
_LENGTH_TALK = re.compile(r"时间|期限|时长|周期|时限|最少|最多|至少|最长|最短|不少于|不低于|不超过|以上|以内|之内|内|"
                          r"对吧|是吧|是不是|对不对|对吗|是吗|吧|吗|呢|是|为|就|要|得|需要|的|[？?\s]")


def _bare_length(part: str) -> bool:
    """Whether a part names nothing but a length ("时间是3个月吧", "最少是1个月吗")."""
    rest = part
    for q in sorted(find_quantities(part), key=lambda q: -q.start):
        rest = rest[:q.start] + rest[q.end:]
    return not _LENGTH_TALK.sub("", rest)


def _qualifies(matcher: Matcher, text: str, word: str) -> bool:
    """Whether every use of a word in a text is glued before a noun it qualifies (初验材料, 验收报告):
    the phrase is about that noun, not the word."""
    at = text.find(word)
    if at < 0:
        return False
    while at >= 0:
        rest = text[at + len(word):]
        after = next((w for w, _ in matcher.tokenizer.terms(rest[:6])), "")
        if not (after and rest.startswith(after) and _tag(after).startswith("n") and not _tag(after).startswith("nr")):
            return False
        at = text.find(word, at + 1)
    return True


# What a share is taken of: "按总投资的百分之几", "占总投资多少比例".
_RATE_BASE = re.compile(r"(?:按|占|为)([^，。？?、]{1,10}?)的?(?:百分之|几个点|多少比例|多大比例|什么比例|比例|百分比|几成|多少%)")


def rate_base(matcher: Matcher, ask: str) -> frozenset[str]:
    """The words of the base a share is asked out of ("监理费按总投资的百分之几" → 总投资)."""
    m = _RATE_BASE.search(ask)
    return frozenset(w for w, _ in matcher.tokenizer.terms(m.group(1))) if m else frozenset()


# What a count asks the number of: the noun after the classifier ("要请几个专家" → 专家) — or
# claims it of ("请3个以上的专家").
_COUNT_ASKED = re.compile(r"(?:几|多少)(?:个|名|位|家|张|项|份|类)([\u4e00-\u9fa5]{2,6})")
_COUNT_CLAIMED = re.compile(r"[\d一二两三四五六七八九十]+(?:个|名|位|家|张|项|份|类)(?:（含）|\(含\))?(?:以上|以下|左右)?的?"
                            r"([\u4e00-\u9fa5]{2,6})")


def counted_noun(matcher: Matcher, ask: str) -> str:
    """The noun a count asks the number of ("几个专家" → 专家), its first word; "" when the ask names none."""
    m = _COUNT_ASKED.search(ask)
    claimed = None if m or re.search(r"几|多少", ask) else _COUNT_CLAIMED.search(ask)  # ("一个部门…几次": asked)
    words = [w for w, _ in matcher.tokenizer.terms((m or claimed).group(1))] if m or claimed else []
    if not words or len(words[0]) < 2 or _tag(words[0]).startswith(("a", "d")):
        return ""  # "请几个合适": how many is fitting, of no noun
    # (A claim's count may be followed by what it says of it — "3个而且要单数", "两个就够了" — not a noun.)
    return words[0] if m or (_tag(words[0]).startswith("n") and claimed.group(1).startswith(words[0])) else ""


def counts_of(sentence: str, noun: str) -> bool:
    """Whether a count in the sentence is of `noun`: the noun right after it ("3名专家"), or
    before it in the same comma part ("专家3人（含）以上"), not a count of something else
    ("初步验收和竣工验收两个阶段" counts no 专家)."""
    for part in comma_parts(sentence):
        for m in COUNTED.finditer(part):
            if part.startswith(noun, m.end()) or noun in part[:m.start()]:
                return True
    return False


# A protection level asked of ("等保二级", "三级系统") and one a sentence bounds ("第三级（含）以上").
_LEVEL_ASKED = re.compile(r"(?<![第\d一二三四五])([一二三四五1-5])级")
_LEVEL_BOUND = re.compile(r"第?([一二三四五1-5])级(?:（含）|\(含\))?(以上|以下)")


def level_excluded(ask: str, sentence: str) -> bool:
    """Whether every level the ask names falls outside the bound the sentence sets."""
    bound = _LEVEL_BOUND.search(sentence)
    asked = [parse_cn_int(m.group(1)) for m in _LEVEL_ASKED.finditer(ask)]
    if bound is None or not asked:
        return False
    edge = parse_cn_int(bound.group(1))
    return all((a < edge) if bound.group(2) == "以上" else (a > edge) for a in asked)


_BODY_BY_WORK = re.compile(r"[\u4e00-\u9fa5]{0,4}?(审批|审核|审查|采购|验收|运维|评审)(部门|机构|单位|中心)")


# A time limit in a text ("建设完成半年内", "6个月内"), and the mark of what a claimed one counts from
# ("初步验收完成后，…半年内", "没通过的话，半年内").
_LIMIT_AFTER = re.compile(r"\s*(?:（含）|\(含\))?(?:以内|之内|内)")
_COUNTED_FROM = re.compile(r"后|以后|之后|的话|起")


def counted_from_another_stage(matcher: Matcher, stages: Sequence[Stage], claim: str, sentence: str) -> bool:
    """Whether a time limit claimed from one stage's event ("初步验收完成后，竣工验收也要在半年内办完")
    is one the sentence counts from another stage's ("建设完成半年内…完成初步验收"): the limit is not
    the claim's, whatever its length."""
    claimed = [q for q in with_half_years(claim) if q.kind == "duration"]
    stated = [q for q in with_half_years(sentence) if q.kind == "duration" and _LIMIT_AFTER.match(sentence, q.end)]
    if not claimed or not stated:
        return False
    before = claim[:claimed[0].start]
    if not _COUNTED_FROM.search(before):
        return False  # "初验要在半年内完成吧" names no event it counts from
    parts = re.split(r"[，,；;。]", sentence[:stated[0].start])
    start = "，".join(parts[-2:])
    ours, theirs = _stages_named(matcher, before, stages), _stages_named(matcher, start, stages)
    return bool(ours) and bool(theirs) and not ours & theirs


def _stages_named(matcher: Matcher, text: str, stages: Sequence[Stage]) -> frozenset[str]:
    """The lifecycle stages a text names: a word that is a stage's name or alias, or ends with one
    (专家评审 → 审查, 竣工验收 → 验收), or a word of four characters or more that opens with one
    (立项文件 → 立项; 项目建设单位 names no stage). A body named after its work (项目审批部门,
    验收机构) names no stage either: "验收报告报项目审批部门备案" is about 验收, not 立项."""
    text = _BODY_BY_WORK.sub(" ", text)
    words = [w for w, _ in matcher.tokenizer.terms(text)]

    def names(w: str, s: Stage) -> bool:
        return any(w == k or w.endswith(k) or (len(w) >= 4 and w.startswith(k)) for k in (s.name, *s.aliases))

    named = set()
    at = 0
    for i, w in enumerate(words):
        at = text.find(w, at)
        end = at + len(w) if at >= 0 else -1
        at = max(at, 0)
        for s in stages:
            if not names(w, s):
                continue
            # A stage's verb right before another stage ("申请验收", "报送审核") is that stage's act:
            # applying for acceptance is 验收, not 申报.
            following = words[i + 1] if i + 1 < len(words) else ""
            if (w in s.aliases and following and end >= 0 and text.startswith(following, end)
                    and any(t is not s and names(following, t) for t in stages)):
                continue
            named.add(s.name)
    return frozenset(named)


_PHASE = frozenset("初终复首前后自中事")


def _step_spellings(matcher: Matcher, stages: Sequence[Stage]) -> dict[str, tuple[str, str]]:
    """The stages' steps by every spelling: the aliases of a stage that come in pairs (初验 and 终验
    of 验收), each as (stage, step), a step written another way (初步验收 for 初验, 竣工验收 for 终验)
    as the same step."""
    out: dict[str, tuple[str, str]] = {}
    for s in stages:
        # A step is one of a pair told apart by when it comes (初验/终验, 自评价/后评价).
        paired = [a for a in s.aliases if a[0] in _PHASE and any(
            b != a and len(b) == len(a) and b[-1] == a[-1] and b[0] in _PHASE for b in s.aliases)]
        for alias in paired:
            spellings = {alias} | {w for w in s.aliases if w in matcher.synonym_tokens.get(alias, ())}
            step = min(spellings | {a for a in s.aliases if alias in matcher.synonym_tokens.get(a, ())})
            out.update((w, (s.name, step)) for w in spellings)
    return out


def _steps_in(text: str, spellings: dict[str, tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """The steps a text names, as (stage, step)."""
    return frozenset(step for w, step in spellings.items() if w in text)


# Parts of speech that name nothing: adverbs (先, 再, 已经), pronouns, conjunctions, prepositions,
# particles, modal words.
_FUNCTION_TAGS = frozenset({"d", "r", "c", "p", "u", "y", "e", "o"})


def names_nothing(word: str) -> bool:
    """Whether a word is one that names nothing: an adverb (再), a pronoun (自己), a conjunction …"""
    return _tag(word, "n") in _FUNCTION_TAGS


def _cut_loose(word: str) -> bool:
    """A single character that names nothing, cut loose by jieba (只 of "只要钱的变动", 才, 被): no
    topic a value could be said of. (Longer such words — 每个, 自己 — stay: they weigh next to
    what they go with.)"""
    return len(word) == 1 and names_nothing(word)


def _naming_weight(matcher: Matcher, part: QueryAnalysis) -> float:
    """The weight of the words of a text the corpus knows, leaving out words that name nothing
    ("先做了再补手续": 再 is how, not what)."""
    known = matcher.idf.keys()
    return sum(w for word, w, alts in matcher.question_terms(part) if alts & known and not names_nothing(word))


def known_weight(matcher: Matcher, part: QueryAnalysis, vocab=None):
    """The weight of the words of a text the corpus knows (a colloquial word no text can match
    does not count) — or, given `vocab`, the words it holds — and the scorer for it."""
    known = matcher.idf.keys() if vocab is None else vocab
    total = sum(w for word, w, alts in matcher.question_terms(part) if alts & known and not _cut_loose(word))
    return total, matcher.scorer(part)


def sentences(clause) -> list[str]:
    return [s for s, _ in sentences_with_heads(clause)]


def sentences_read_with_lead(clause) -> list[tuple[str, str]]:
    """Each sentence with the text it is read in: an item ("4.…维保期一般不少于2年") with its
    paragraph's lead-in ("项目合同中应当明确…维保年限等相关条款，包含…以下内容："), any other
    sentence alone."""
    out = []
    for para in clause.paragraphs or ():
        out += [(x, x) for x in re.split(r"(?<=[。；;！？])", para.text) if x.strip()]
        for item in para.items:
            out += [(x, f"{para.text}{x}") for x in re.split(r"(?<=[。；;！？])", item.text) if x.strip()]
    return out or [(clause.text, clause.text)]


def sentences_with_heads(clause) -> list[tuple[str, str]]:
    """Each sentence (cut at 。 and ；) with the first piece of the full sentence it belongs to:
    "市密码管理局参与…；负责…监督管理工作。" — the second piece's subject is named in the first."""
    out = []
    for para in clause.paragraphs or ():
        for text in (para.text, *(i.text for i in para.items)):
            head = None
            for x in re.split(r"(?<=[。；;！？])", text):
                if not x.strip():
                    continue
                head = head or x
                out.append((x, head))
                if x.endswith(("。", "！", "？")):
                    head = None
    return out or [(clause.text, clause.text)]
