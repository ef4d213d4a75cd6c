"""The extractive answer: search the cities in scope, keep the clauses that pass the relevance
gate, choose which to cite, lead each with the 款/项 that answers — or refuse plainly."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.answers.context import Context
from assistant.answers.followup import stage_words
from assistant.answers.forms import forms_not_included
from assistant.answers.intent import FIRST_STEP
from assistant.answers.lead import LABEL_PREFIX, is_heading, lead
from assistant.answers.notes import refusal, status_note, where
from assistant.answers.outline import is_form, outline
from assistant.answers.ranking import candidates, rank
from assistant.answers.records import Answer, Citation, cite
from assistant.answers.relevance import (CLAIM_SPECIFICITY, LEVEL_WORD, MIN_MATCHED_IDF, MIN_TOPIC_IDF, SHORT_COVERAGE, Gate, build_gate, with_stages, by_governing_fit, counted_from_another_stage, coverage, is_relevant, known_weight, names_nothing,
                                         sentences, sentences_read_with_lead, sentences_with_heads, stating,
                                         unstated)
from assistant.answers.request import (COMPARE_WORDS, QUANTITATIVE, VALUED, Asked, Request, as_written, focus, other_documents,
                                      states_value, strip_procedure, understand)
from assistant.answers.topics import match_topics
from assistant.answers.verdict import (Verdict, claim_denies, claim_parts, claims_payer, claimed_actor, claimed_body, compares_numbers, denies_consequence, duty_mismatch, is_yes_no,
                                      judge, of_the_other_kind, quantified, sanction_verdict, subject_mismatch, without_contrast)
from assistant.corpus.maps import Stage
from assistant.corpus.model import DocMeta, Hit, Part, PartKind
from assistant.rules.evaluate import RuleConclusion, check
from assistant.rules.facts import extract_facts
from assistant.search.index import indexed_text
from assistant.search.matching import NEGATED
from assistant.search.places import county_names
from assistant.search.tokenizer import _tag, established, specificity, spoken_verb
from assistant.search.query import PLACE_MARK, QueryAnalysis
from assistant.search.retrievers import Mode
from assistant.text import canonical_quantities, comma_parts, find_quantities

MAX_CITATIONS = 4
WIDE_RUNNER_UPS = 2  # in a comparison of three or four cities, runner-ups cited beside their city's first
PERIODS = ("每月", "每年", "每季度", "每半年", "定期", "按年度")  # how the texts say how often
DATES = ("#月底", "#月", "#日")  # any date on the calendar, as the index marks one (7月底 → "#月底")
SANCTIONS = ("不得", "不予", "取消", "暂停", "追究", "责令整改")  # how the texts say what follows a breach
AMOUNT_LABEL = re.compile(r"(总投资|投资|预算|概算|金额|资金)(大概|大约|约|是|为|有)?(?=[\d一二三四五六七八九十两百千万]+(万|元|亿))")
PER_CITY_HITS = 5
SECOND_FIT = 0.7      # cite a second clause of the same document at this share of the first's fit
OTHER_CITY_FIT = 0.6  # with no city named, cite another city at this share of the best fit
CLAIM_COVERAGE = 0.4  # a sentence settles a yes/no claim by a number or a party with this share of its words
RESTATED = 0.55        # ... and by 肯定/否定 alone only when it restates the claim (this share)
SANCTION_COVERAGE = 0.3  # a sanction sentence denies "没啥影响吧" with this share of the claim's words
PAYER_COVERAGE = 0.3     # a sentence saying who pays settles "我们自己掏吧" with this share of the claim's words
RECALL_COVERAGE = 0.6  # a follow-up asking more of the previous answer ("具体是哪三张") is answered from its clause carrying this share of its asks


def extractive_answer(ctx: Context, question: str, analysis: QueryAnalysis, doc_ids: tuple[str, ...],
                      routing: bool = True, earlier: tuple[str, ...] = (), stage: str | None = None,
                      again: bool = False) -> Answer:
    """`earlier`: the clauses the conversation's previous answer cited (a follow-up's "那条",
    "三张清单具体是哪三张" speaks of them); `stage`: the lifecycle stage a follow-up asks about
    ("下一步呢"), answered by the clauses that govern it in the city's 办法; `again`: the previous
    question asked of another place ("那六安呢"), answered first by the clauses the comparison
    topics pair with the previous answer's."""
    covered = list(ctx.corpus.catalog.docs)
    judged = analysis
    body = claimed_body(analysis.topic) if is_yes_no(analysis.topic) else None
    if body is not None:
        # "竣工验收是发改委牵头组织的吧": the body is what the claim puts to the test. The clause
        # is chosen as for "竣工验收是谁牵头组织的" (the clause that says who), and the claim is
        # judged against it as asked.
        analysis = _without_words(analysis, body, body.lstrip("市区县"))
    request = understand(analysis.topic)
    if Asked.FREQUENCY in request.asked:
        # "进度多久报一次" asks for a period (每月, 每年), not a duration: search for that.
        analysis = replace(analysis, expansions=tuple(e for e in analysis.expansions if not e.startswith("#"))
                           + PERIODS)
    gate = with_stages(ctx.matcher, build_gate(ctx.matcher, analysis, request, doc_ids if routing else ()), ctx.stages)
    scope = doc_ids if routing else ()
    others = other_documents(analysis.topic, [m.title for m in covered])
    if others:
        # What a law or another level's 办法 says is not in the corpus; the clauses that send the
        # reader to it are further reading, not its text.
        near = [h for h in ctx.searcher.search(analysis, 3, scope, per_city=routing)
                if is_relevant(ctx.matcher, gate, h)]
        names = "、".join(f"“{as_written(n, question)}”" for n in others)
        return refusal(question, f"收录的只有各市（区）的项目管理办法，没有{names}的条文，无法据此回答。", covered,
                       [(h.meta, h.clause.label) for h in near[:3]])
    docs = [ctx.corpus.documents[d] for d in (scope or tuple(ctx.corpus.documents))]
    forms = forms_not_included(request, docs)
    if forms:
        # "记录表有哪些栏目": the 办法 name the form; its contents are not in the corpus.
        names = "、".join(f"“{f}”" for f in forms)
        mention = [(d.meta, c.label) for d in docs for c in d.clauses if any(f in c.text for f in forms)]
        return refusal(question, f"收录的办法只提到{names}，未收录其具体内容，无法据此回答。", covered, mention[:3])
    if Asked.CHOICE in request.asked and gate.foreign:
        # "要甲级资质还是乙级": texts that never name an alternative do not choose between them.
        return _not_covered(question, analysis, doc_ids, gate.foreign, covered)
    unnamed = unnamed_alternatives(ctx, request, docs) if Asked.CHOICE in request.asked else []
    if unnamed:
        # "用的是阿里云还是华为云": brands and names jieba's table does not call things, same rule.
        return _not_covered(question, analysis, doc_ids, tuple(unnamed), covered)
    # With no city named, every city is searched on its own: the answer shows each city's
    # rule that fits (labelled), rather than one city's rule as if it were everyone's.
    if Asked.APPLIES in request.asked and routing:
        # Whether the 办法 govern a project is said by their scope clauses; what the project is
        # (乡镇自己出钱建的系统) is the situation they are read against, never a reason to refuse.
        relevant = scope_hits(ctx, analysis, doc_ids or tuple(ctx.corpus.documents))
        if relevant:
            # Per city its two best scope clauses: what the 办法 govern, and what they leave out
            # or send elsewhere (涉密 → 保密规定) — read together they answer.
            per_doc = 2 if len({h.meta.doc_id for h in relevant}) <= 2 else 1
            chosen = [h for i, h in enumerate(relevant)
                      if sum(x.meta.doc_id == h.meta.doc_id for x in relevant[:i]) < per_doc]
            return compose(ctx, question, analysis, chosen[:MAX_CITATIONS])
    after = next_stage(ctx, analysis.topic) if stage is None and len(doc_ids) == 1 else None
    named_stage = next((st for st in ctx.stages if st.name == (stage or after)), None)
    if named_stage is not None and len(doc_ids) == 1:
        hits = clause_hits(ctx, doc_ids[0], named_stage.clauses.get(doc_ids[0], ())[:SPAN_CLAUSES])
        if hits:
            answer = compose(ctx, question, analysis, hits)
            if after is None:
                return answer
            return replace(answer, answer=f"按所述进度，下一环节是{after}：\n{answer.answer}")
    asked_stage = next((st for st in ctx.stages if st.name == only_stage(ctx, analysis, request)), None) \
        if len(doc_ids) == 1 else None
    if asked_stage is not None and asked_stage.clauses.get(doc_ids[0]):
        # "乐山立项流程", "启东项目立项怎么走": the steps of one stage and nothing else — the clauses that
        # govern the stage in the city's 办法, then the one that fits the question best (a clause
        # naming 立项 most often is no procedure of it on its own).
        best = next((h for h in ctx.searcher.search(analysis, PER_CITY_HITS, scope, per_city=routing)
                     if is_relevant(ctx.matcher, gate, h)), None)
        curated = clause_hits(ctx, doc_ids[0], asked_stage.clauses[doc_ids[0]][:SPAN_CLAUSES])
        hits = curated + ([best] if best is not None and best.clause.id not in {h.clause.id for h in curated} else [])
        return compose(ctx, question, analysis, hits[:MAX_CITATIONS])
    span = stage_span(ctx, analysis.topic, doc_ids[0]) if len(doc_ids) == 1 and set(request.asked) <= _STEP_ASKS else []
    if span:
        # "从申报到拿到立项文件，中间要经过哪些环节": the stages between, each by its clauses.
        labels = dict.fromkeys(label for stage in span for label in stage.clauses.get(doc_ids[0], ()))
        hits = clause_hits(ctx, doc_ids[0], list(labels)[:SPAN_CLAUSES])
        if hits:
            return compose(ctx, question, analysis, hits)
    figures = figure_hits(ctx, analysis, request, doc_ids or tuple(ctx.corpus.documents))
    if figures:
        return compose(ctx, question, analysis, figures)
    # Five candidates per city searched: a city's runner-up may be the one that states the value
    # asked for (六安 第十二条 "项目论证费用纳入年度预算" for "论证的钱谁出").
    cities = len(scope or ctx.corpus.documents) if routing else 1
    hits = ctx.searcher.search(analysis, PER_CITY_HITS * cities, scope, per_city=routing,
                               spread_out=gate.attribute is not None)
    hits += _asked_alone(ctx, analysis, request, hits, PER_CITY_HITS * cities, scope, routing)
    if Asked.DATE in request.asked:
        # "可研报告最晚啥时候交" asks for a day of the calendar: a clause giving one of what is asked
        # ("…可行性研究报告…一并在每年 11 月 30 日前报送") joins the candidates, though others share
        # more words (附件3, the report's outline).
        dated = replace(analysis, expansions=analysis.expansions + DATES)
        seen = {h.clause.id for h in hits}
        fresh = [h for h in ctx.searcher.search(dated, PER_CITY_HITS * cities, scope, mode=Mode.BM25, per_city=routing)
                 if h.clause.id not in seen]
        hits += stating(ctx.matcher, analysis, request, fresh, ctx.stages)
    if Asked.CONSEQUENCE in request.asked:
        # "没验收先用会咋样" asks what follows: candidates too from a search for how the texts
        # attach a sanction, beside (not instead of) those of the question's own words.
        sanctioned = replace(analysis, expansions=analysis.expansions + SANCTIONS)
        seen = {h.clause.id for h in hits}
        hits += [h for h in ctx.searcher.search(sanctioned, PER_CITY_HITS * cities, scope, mode=Mode.BM25,
                                                per_city=routing) if h.clause.id not in seen]
    relevant = [h for h in hits if is_relevant(ctx.matcher, gate, h)]
    if not _ABOUT_A_FORM.search(analysis.topic):
        # A form's rows (其中申请 财政拨款…) answer only a question about the form.
        relevant = [h for h in relevant if not is_form(h.clause.text)]
    if analysis.compare and routing and not gate.headed:
        # (What no text names heads the ask — "专家的回避有什么规定": no topic's clauses answer it.)
        relevant = compared(ctx, analysis, request, doc_ids or tuple(ctx.corpus.documents), relevant)
    facts = extract_facts(question, list(analysis.quantities))
    rule_scope = doc_ids or tuple(dict.fromkeys(h.meta.doc_id for h in hits))
    # The words that label the project's amount ("预算80万") are its facts, not the question's topic.
    topic = AMOUNT_LABEL.sub(" ", analysis.question)
    # A stage named in the user's words ("这个得怎么报" → 申报) reaches the rules of that stage.
    # ... and so does a word the lexicon reads in the texts' words ("报给谁批" → 审批).
    topic += "".join(f" {w}" for w in analysis.expansions if not w.startswith("#"))
    topic += "".join(f" {s.name}" for s in ctx.stages if any(k in topic for k in (s.name, *s.aliases)))
    conclusions = _named_first(check(ctx.rules, rule_scope, facts, topic), analysis) if doc_ids else []
    counterparts = _counterparts(ctx, earlier, doc_ids) if again and doc_ids else []
    if counterparts:
        # "启东年度计划什么时候报？" then "那六安呢": the topic the previous answer's clause is
        # curated under (申报时间) has 六安's clause for it, in 六安's own words (7月底前…申报).
        have = {h.clause.id for h in relevant}
        relevant += [h for h in counterparts if h.clause.id not in have]
    if not relevant and conclusions:
        # The rule engine recognised the project and a provision it falls under: answer with it.
        relevant = [h for h in hits if h.clause.id in {c.rule.clause_id for c in conclusions}] or hits[:1]
    if not relevant and gate.excluded:
        # "六安的涉密项目怎么验收": 六安's 办法 govern 非涉密 projects and set 涉密 ones aside.
        kinds = "、".join(gate.excluded)
        setting = [(ctx.corpus.documents[d].meta, c.label) for d in doc_ids for c in ctx.corpus.documents[d].clauses
                   if any(NEGATED + t in ctx.matcher.clause_tokens(c.id) for t in gate.excluded)]
        return refusal(question, f"{'、'.join(analysis.cities)}的办法只规定了非{kinds}的情形，{kinds}的不在其内，"
                       "无法据此回答。", covered, setting[:3])
    if not relevant and gate.foreign:
        return _not_covered(question, analysis, doc_ids, gate.foreign, covered)
    if not relevant:
        return refusal(question, "语料库中没有与该问题直接相关的条款。", covered)
    missing = unstated(ctx.matcher, analysis, request, relevant, ctx.stages, whose=_whose(analysis, doc_ids))
    if missing is not None:
        return refusal(question, missing, covered, [(h.meta, h.clause.label) for h in relevant[:3]])
    # An ask set aside for naming what no text has ("有模板吗") does not stop the outline.
    answer = outline(ctx, gate.asks, relevant)
    if answer is not None:
        return answer
    # A clause that states what is asked (the payer, the period) leads its city's candidates; for
    # "how is stage X done", the clauses that govern stage X (corpus/checklist.yaml) do.
    governing = (stating(ctx.matcher, analysis, request, relevant, ctx.stages) or permitting(ctx, analysis, relevant)
                 or stage_clauses(ctx, request, relevant))
    if conclusions and Asked.STEPS in request.asked:
        # "估了650万 这个得怎么报": the article whose rule the project falls under is how it is done
        # (六安 第九条: 7月底前 申报, then who compiles and approves) — its steps lead.
        ruled = [Hit(clause=c, meta=ctx.corpus.documents[c.doc_id].meta, score=1.0)
                 for c in map(ctx.corpus.by_id, dict.fromkeys(c.rule.clause_id for c in conclusions))]
        governing = ruled + [h for h in governing if h.clause.id not in {r.clause.id for r in ruled}]
    ordered = governing + [h for h in relevant if h.clause.id not in {g.clause.id for g in governing}]
    silent: list[str] = []
    if governing and not doc_ids and not analysis.compare:
        # No city named: only the cities whose 办法 state it answer; the rest are said to be silent.
        stated = {h.meta.doc_id for h in governing}
        ordered = [h for h in ordered if h.meta.doc_id in stated]
        silent = [m.city for m in ctx.corpus.catalog.docs if m.doc_id not in stated]
    unsure: frozenset[str] = frozenset()
    if ctx.ranker is not None:
        ranking = rank(ctx.ranker, candidates(ctx.matcher, analysis, request, gate, ordered, relevant, governing,
                                              ctx.stages, ctx.topics, ctx.searcher.dense))
        ordered, unsure = ranking.ordered, ranking.unsure
    if counterparts:
        # (A city's clause stating what is asked — who, when — still governs: the pairing is by topic.)
        stated_in = {h.meta.doc_id for h in governing}
        paired = {h.clause.id for h in counterparts if h.meta.doc_id not in stated_in}
        ordered = [h for h in ordered if h.clause.id in paired] + [h for h in ordered if h.clause.id not in paired]
    recalled = _recalled(ctx, gate, earlier, doc_ids) if _BACK.search(analysis.topic) else []
    if recalled:
        # A follow-up that the previous answer's clause carries ("知识产权那条具体怎么约定") is
        # answered from that clause first.
        ordered = recalled + [h for h in ordered if h.clause.id not in {r.clause.id for r in recalled}]
    chosen = choose(ctx, ordered, analysis, doc_ids, unsure)
    if is_yes_no(analysis.topic):  # "节能分析那章是不是一定要写": the mark's meaning answers
        chosen += _legends(ctx, chosen)
        chosen += _same_condition(ctx, analysis, chosen)
    chosen += _procedures_named(ctx, chosen)
    if len(doc_ids) == 1:  # ("有什么不一样" of one city compares within it, not cities)
        chosen += _per_ask(ctx, analysis, request, ordered + [h for h in hits if h not in ordered], chosen)
    if not doc_ids:
        conclusions = _named_first(check(ctx.rules, tuple(dict.fromkeys(h.meta.doc_id for h in chosen)), facts, topic),
                                   analysis)
    answer = compose(ctx, question, analysis, chosen, conclusions, gate.attribute,
                     asks=request.asks if len(set(request.asked)) > 1 else ())
    if silent:
        answer = replace(answer, answer=f"{answer.answer}\n{'、'.join(silent)}的办法对此未作规定。")
    line = conclusion(ctx, judged, chosen, conclusions)
    if line is None:
        in_scope = doc_ids or tuple(dict.fromkeys(h.meta.doc_id for h in chosen))
        asked = _asked_permission(ctx, judged.topic) if in_scope and is_yes_no(judged.topic) else None
        if asked is None:
            return answer
        related = [(h.meta, h.clause.label) for h in chosen[:3]]
        unsettled = _unsettled_act(ctx, asked, in_scope)
        if unsettled:
            # "审查论证专家…是不是必须回避": no text in scope speaks of 回避 — what the claim turns on.
            return _not_covered(question, analysis, doc_ids, unsettled, covered, related)
        if _never_together(ctx, asked, in_scope):
            # "启东概算调整报批之前，是不是必须先请专家论证": 启东 speaks of 概算调整 and of 专家论证,
            # never in one sentence — nothing there says the one requires the other.
            return refusal(question, f"{_whose(analysis, doc_ids)}没有规定{asked}，无法据此判断。", covered, related)
        return answer
    # After a computation's verdict the computation itself follows on the same line.
    return replace(answer, answer=f"{line}{'。' if conclusions else chr(10)}{answer.answer}")


# The note of an outline that says what its mark means: "说明：1. 带*号的内容按需提供".
_LEGEND = re.compile(r"带\s*[*＊]\s*号")


def _legends(ctx: Context, chosen: list[Hit]) -> list[Hit]:
    """For sections quoted with a mark (第十二章节能分析*), the same attachment's note saying what
    the mark means: without it the quote does not say whether the section must be written."""
    out: list[Hit] = []
    for h in chosen:
        if h.clause.kind is not PartKind.ATTACHMENT_SECTION or "*" not in h.clause.text + h.clause.label:
            continue
        attachment = h.clause.label.split("·", 1)[0]
        for c in ctx.corpus.documents[h.meta.doc_id].clauses:
            if (c.label.startswith(attachment + "·") and _LEGEND.search(c.text)
                    and all(x.clause.id != c.id for x in chosen + out)):
                out.append(Hit(clause=c, meta=h.meta, score=0.0))
    return out


# A follow-up that asks more of what the previous answer said: "具体是哪三张", "那条怎么约定", "其中…".
_POINTED = re.compile(r"[那这]一?条")
_BACK = re.compile(r"具体|那条|这条|那一条|这一条|其中|哪[一二两三四五六七八九十几]个?[张条项类种]|是指|指的是|什么意思|啥意思")


def _per_ask(ctx: Context, analysis: QueryAnalysis, request: Request, pool: list[Hit],
             chosen: list[Hit]) -> list[Hit]:
    """For a question that asks several things of one city ("要准备哪些材料、走什么流程，验收前能
    不能先用"), the clause that carries each ask best, when the clauses chosen for the whole
    question do not: each ask is answered by its own provision. `pool`: the ranked relevant
    candidates, then the rest of the search's (an ask's clause need not fit the whole question)."""
    if len(set(request.asks)) < 2:
        return []
    out: list[Hit] = []
    for ask, asked in zip(request.asks, request.asked):
        if len(chosen) + len(out) >= MAX_CITATIONS:
            break
        if _known_topic(ctx, focus(asked, strip_procedure(ask))) < MIN_TOPIC_IDF:
            continue  # "谁来组织", "怎么办": asks of the question's topic, answered by its clauses
        part = replace(analysis, question=strip_procedure(ask), topic=strip_procedure(ask))
        gate = Gate(part, None, (), asked if asked in VALUED else None)
        covered = [(coverage(ctx.matcher, gate, h.clause), h) for h in pool]
        best = max(covered, key=lambda t: t[0][1], default=None)
        if best is None or best[1] in chosen or best[1] in out:
            continue
        (cov, matched), hit = best
        if cov >= SHORT_COVERAGE and matched >= MIN_MATCHED_IDF and not any(
                coverage(ctx.matcher, gate, h.clause)[1] >= matched for h in chosen):
            out.append(hit)
    return out


def _recalled(ctx: Context, gate: Gate, earlier: tuple[str, ...], doc_ids: tuple[str, ...]) -> list[Hit]:
    """The previous answer's clauses, in scope, that carry most of the follow-up's asks — or, when
    it points at one of them ("那条"), every thing the asks name."""
    out = []
    pointed = bool(_POINTED.search(gate.asks.question))
    for clause_id in earlier:
        doc_id = clause_id.split("/", 1)[0]
        if doc_ids and doc_id not in doc_ids:
            continue
        hit = Hit(clause=ctx.corpus.by_id(clause_id), meta=ctx.corpus.documents[doc_id].meta, score=1.0)
        cov, matched = coverage(ctx.matcher, replace(gate, context=None), hit.clause)
        if cov >= RECALL_COVERAGE and matched >= MIN_TOPIC_IDF and is_relevant(ctx.matcher, gate, hit):
            out.append((matched, hit))
        elif pointed and not gate.foreign and _names_all_things(ctx, gate, hit.clause):
            # "知识产权那条具体怎么约定": what it points back to is named by the clause; how the
            # user says it is written there (约定) is theirs.
            out.append((matched, hit))
    # The clause that carries the follow-up best leads; between equals, the one that speaks of it
    # most (第十七条 names 清单 four times, defining the 三清单; 第十九条 lists them once).
    words = [w for w, _, _ in ctx.matcher.question_terms(gate.asks)]
    return [h for _, h in sorted(out, key=lambda t: (-t[0], -sum(t[1].clause.text.count(w) for w in words)))]


def clause_hits(ctx: Context, doc_id: str, labels, score: float = 1.0) -> list[Hit]:
    """A document's clauses by label (curated in corpus/checklist.yaml or topics.yaml), as hits."""
    meta = ctx.corpus.documents[doc_id].meta
    return [Hit(clause=ctx.corpus.clause(doc_id, label), meta=meta, score=score) for label in labels]


def _counterparts(ctx: Context, earlier: tuple[str, ...], doc_ids: tuple[str, ...]) -> list[Hit]:
    """The clauses of the documents in scope that the comparison topics (corpus/topics.yaml) pair
    with the previous answer's clauses of another document."""
    before = [tuple(c.split("/", 1)) for c in earlier]
    out = []
    for topic in ctx.topics:
        if not any(label in topic.clauses.get(doc_id, ()) for doc_id, label in before if doc_id not in doc_ids):
            continue
        for doc_id in doc_ids:
            out += clause_hits(ctx, doc_id, topic.clauses.get(doc_id, ()), score=0.0)
    return list({h.clause.id: h for h in out}.values())


def _names_all_things(ctx: Context, gate: Gate, clause) -> bool:
    """Whether a clause carries every noun of the asks the texts know, and they weigh MIN_TOPIC_IDF."""
    have = ctx.matcher.clause_tokens(clause.id)
    things = [(w, alts) for word, w, alts in ctx.matcher.question_terms(gate.asks)
              if alts & ctx.matcher.idf.keys() and len(word) >= 2 and ctx.matcher.tokenizer.reads_as_noun(word)]
    return (sum(w for w, _ in things) >= MIN_TOPIC_IDF and all(alts & have for _, alts in things))


def _asked_alone(ctx: Context, analysis: QueryAnalysis, request: Request, hits: list[Hit], k: int,
                 scope: tuple[str, ...], routing: bool) -> list[Hit]:
    """More candidates for a question that tells a story: those of its asks searched alone
    ("…公安局牵头…三家都要出钱。可研报告和初设到底由谁来编" searched as its last sentence), so that
    the story's words (公安局, 准备) do not crowd the clause that answers out of the list."""
    if not request.context:
        return []
    asks = "，".join(request.asks)
    if _known_topic(ctx, asks) < MIN_TOPIC_IDF:
        return []
    alone = ctx.analyzer.analyze(asks)
    alone = replace(analysis, question=alone.question, topic=alone.topic, expansions=alone.expansions)
    seen = {h.clause.id for h in hits}
    # BM25 alone: the asks' words are what this search adds; a second question vector would cost
    # more than the whole search.
    return [h for h in ctx.searcher.search(alone, k, scope, mode=Mode.BM25, per_city=routing) if h.clause.id not in seen]


def _actor_verdict(ctx: Context, analysis: QueryAnalysis, hits: list[Hit]) -> tuple[Verdict, tuple] | None:
    """"专家组是发改委组建和管理的吧": the sentence that says what is done (组建和管理专家组),
    found without the body claimed, settles it when its subject is another body."""
    actor = claimed_actor(analysis.topic)
    if actor is None or quantified(analysis.topic):
        return None
    known, score = known_weight(ctx.matcher, ctx.analyzer.analyze(analysis.topic.replace(actor, " ")))
    scored = [(score(s), s, h, head) for h in hits for s, head in sentences_with_heads(h.clause)]
    # A sentence that says who does it ("建设项目由市数字经济局组织竣工验收") before one that only
    # shares the words ("…是…组织项目验收的重要依据").
    saying = [t for t in scored if known and t[0] >= RESTATED * known and states_value(Asked.WHO, t[1])]
    best = max(saying or scored, key=lambda t: t[0], default=None)
    if best is None or not known or best[0] < RESTATED * known:
        return None
    verdict = subject_mismatch(analysis.topic, best[1], best[3])
    return (verdict, best[:3]) if verdict else None


# The act a permission is asked for: "可以先用吗" → 先用, "能不能先把采购挂出去" → 先把采购挂出去.
# ... or required: "是不是必须回避" → 回避, "要不要从头重新算" → 从头重新算.
_PERMITTED = re.compile(r"(?:能不能|可不可以|不可以|可以|能否|可否|允许|不能|能|是不是必须|是否必须|必须|"
                        r"是不是一定要|是否一定要|一定要|一定得|非得|要不要|需不需要|是否需要|"
                        r"不需要|需要|用不用|不用)"
                        r"(?P<act>[^，,。？?吗么呢吧]{1,10})")


# An occasion said before an ask: "报批之前", "验收的时候", "评审会上", "试运行期间".
# ... or an act done, with what it was done to ("签完项目合同", "交完材料"; not "我们建完了", a story).
_OCCASION = re.compile(r"(之前|以前|前|之后|以后|后|时|的时候|期间|会上)$|(?<=[\u4e00-\u9fa5])完[\u4e00-\u9fa5]{2,6}$")
_PERMITTED_END = re.compile(r"[吗么呢吧啊呀？?。！!\s]+$")


def _permission(ctx: Context, ask: str) -> re.Match | None:
    """The permission an ask asks for: its modal standing as a word of its own (not the 能 of 节能)
    before an act that asks nothing of its own (not "必须单独写一章什么内容")."""
    words = ctx.matcher.tokenizer.cut(ask)
    starts = list(itertools.accumulate([0] + [len(w) for w in words]))
    for m in _PERMITTED.finditer(ask):
        # The word the modal's first character falls in, if it starts before it: a word of general
        # Chinese there (节能, 功能) holds the character; one jieba's HMM glued (会能) does not.
        i = bisect.bisect_right(starts, m.start()) - 1
        if starts[i] < m.start() and established(words[i]):
            continue
        if not _WH_ASKED.search(ask[m.start("act"):]):
            return m
    return None


_TIMES = re.compile(r"(好几|几|多|很多|若干|[一二两三四五六七八九十\d]+)次")  # how many times: a number, not a word


def _permitted_act(ctx: Context, claim: str) -> tuple[str, ...] | None:
    """The texts' words for the act a permission question asks about (先用 → 投入使用, 投入运行),
    whole; empty when it asks none; None when a word of it is no text's at all ("跨年度实施":
    what it turns on, 跨年度, no text says — its wording cannot settle it)."""
    asks = understand(claim).asks
    m = _permission(ctx, asks[0]) if asks else None  # the claim is the first ask; a later one adds to it
    if m is None:
        return ()
    act = m.group("act")
    named = {key: values for key, values in ctx.analyzer.synonyms.items() if key in act}
    # (Words that name nothing, or nothing in particular — 大家 in "先上线给大家用" — are not what it
    # turns on.)
    words = [w for w, _, _ in ctx.matcher.question_terms(ctx.analyzer.analyze(act)) if len(w) >= 2 and _names_something(w)]
    corpus = ctx.analyzer.corpus_text
    if any(w not in corpus and not any(w in k or k in w for k in named) and not find_quantities(w)
           and not _TIMES.fullmatch(w) for w in words):
        return None
    words += [v for values in named.values() for v in values]
    return tuple(w for w in dict.fromkeys(words) if w in corpus)


_ASKING = re.compile(r"哪|什么|啥|几|多少|谁|怎|咋|吗|么|呢|吧|如何|是否")
_WH_ASKED = re.compile(r"哪|什么|啥|几|多少|谁|怎|咋|如何")


def _unsettled_act(ctx: Context, asked: _Permission, doc_ids: tuple[str, ...]) -> tuple[str, ...]:
    """For a question whether an act is allowed or required that no sentence settled: the words of
    the act naming what it turns on (回避, 计入, 从头) that no document in scope uses by any spelling
    — the texts do not speak of it, so quoting their nearest clause would read as an answer."""
    vocab = ctx.matcher.vocabulary(doc_ids)
    text = "，".join((asked.act, *asked.then))
    out = []
    for word, _, alts in ctx.matcher.question_terms(ctx.analyzer.analyze(text)):
        # (A word before 的 qualifies a thing — "软件能不能用盗版的": a kind of what the texts
        # treat, 软件, whose rule "必须使用正版软件" the reader weighs.)
        if (len(word) < 2 or alts & vocab or f"{word}的" in text or find_quantities(word) or names_nothing(word)
                or spoken_verb(word) or not established(word)
                or specificity(word) < CLAIM_SPECIFICITY or _tag(word)[:1] in ("s", "m")):
            continue
        if not ctx.matcher.spellings(word) & vocab:
            out.append(word)
    return tuple(out)


# Words before the modal that ask, not what is asked of: "是不是就不能", "应该不用".
_HOW_ASKED = re.compile(r"(?:是不是|是否|应该|应当|就|还|也|都|到底|究竟)+$")
# How a permission is asked, as a refusal says what is not settled.
_WHETHER_WORDS = {"能不能": "能否", "可不可以": "可否", "可以": "可否", "能否": "能否", "可否": "可否", "允许": "是否允许",
                  "能": "能否", "是不是必须": "是否必须", "是否必须": "是否必须", "必须": "是否必须",
                  "是不是一定要": "是否必须", "是否一定要": "是否必须", "一定要": "是否必须", "一定得": "是否必须", "非得": "是否必须",
                  "要不要": "是否需要", "需不需要": "是否需要", "是否需要": "是否需要", "需要": "是否需要", "用不用": "是否需要",
                  "不能": "能否", "不可以": "可否", "不需要": "是否需要", "不用": "是否需要"}


@dataclass(frozen=True)
class _Permission:
    """A permission asked for: what of (the words before the modal: "概算调整报批之前"), how
    (是不是必须), the act (先请专家论证), and the words of each the texts know that weigh as a topic
    does, with their spellings (empty when there are none)."""

    subject: str
    modal: str
    act: str
    of: frozenset[str]
    acting: frozenset[str]
    then: tuple[str, ...] = ()  # the asks after it that run the act on ("…，直接和原承建单位续签")
    said: str = ""  # the act as the ask words it, to its end (the act itself is cut at ten characters)
    # What it is asked of when the ask names nothing before its modal: the words said before the ask
    # ("乐山项目验收的时候，是不是必须由主要负责人到场签字": 验收).
    around: frozenset[str] = frozenset()
    acts: tuple[frozenset[str], ...] = ()  # each word of the act, with its spellings

    def named_in(self, ctx: Context, text: str, of: frozenset[str] | None = None) -> bool:
        """Whether a text names both what it is asked of and the act."""
        toks = set(ctx.matcher.tokenizer.tokens(text))
        return bool((self.of if of is None else of) & toks and self.acting & toks)

    def __str__(self) -> str:  # as a refusal says what is not settled
        subject = _HOW_ASKED.sub("", self.subject.strip())  # "…第二年是不是就不能…": 是不是就 is how it asks
        return f"{subject}{_WHETHER_WORDS.get(self.modal, self.modal)}{(self.said or self.act).rstrip('了啊呀')}"


def _when(word: str) -> bool:
    """A time word (今年, 年底; 第二年, 下个月)."""
    return _tag(word)[:1] == "t" or bool(re.search(r"[年月日天周]$", word) and _tag(word)[:1] == "m")


def _asked_permission(ctx: Context, claim: str) -> _Permission | None:
    request = understand(claim)
    m = _permission(ctx, request.asks[0]) if request.asks else None
    if m is None:
        return None

    def key(text: str, pieces: bool = False, whole_only: bool = False) -> frozenset[str]:
        return frozenset().union(*words(text, pieces, whole_only))

    def words(text: str, pieces: bool = False, whole_only: bool = False) -> tuple[frozenset[str], ...]:
        """The words of a text the texts know that weigh as a topic does (not 电子政务, which every
        clause is about), with their spellings — not their pieces (密码测评 is not named by the 测评
        of 等保测评) unless they are all the texts have, or `pieces` asks for them; `whole_only`:
        never by pieces alone (a word no text uses whole — "我们改好了", 改好 — is no topic)."""
        # (When it is asked — 第二年, 今年 — is the asker's situation, not what it is asked of; a
        # level of government — 市里, 区里 — is where, not what.)
        terms = [(weight, w, alts) for w, weight, alts in ctx.matcher.question_terms(ctx.analyzer.analyze(text))
                 if len(w) >= 2 and alts & ctx.matcher.idf.keys() and _names_something(w) and not _when(w)
                 and not LEVEL_WORD.match(w)]
        out: list[frozenset[str]] = []
        for weight, word, alts in terms:
            if weight >= MIN_TOPIC_IDF:
                whole = (alts - ctx.matcher.pieces(word)) | {word}
                if whole_only and not whole & ctx.matcher.idf.keys():
                    continue
                out.append(frozenset(whole if whole & ctx.matcher.idf.keys() and not pieces else alts))
        return tuple(out)

    # The act runs on into the asks after it that ask nothing of their own ("能不能不重新采购，
    # 直接和原承建单位续签").
    then = []
    for text, asked in zip(request.asks[1:], request.asked[1:]):
        if asked is not Asked.WHAT or _ASKING.search(text):
            break
        then.append(text)
    subject, act = request.asks[0][:m.start()].lstrip("的"), m.group("act")
    said = _PERMITTED_END.sub("", request.asks[0][m.start("act"):])
    of = key(subject, whole_only=True)
    around = key(request.context[-1], pieces=True) if request.context and not of else frozenset()
    if around and _OCCASION.search(request.context[-1]) and not canonical_quantities(request.context[-1]):
        # "概算调整报批之前，是不是必须先请专家论证": a time or occasion framing the ask is what it
        # is asked of — not a story of the asker's (those are told, not framed by 之前, 时, 会上). (Never
        # one with the asker's numbers: a refusal names it, and every number shown has a source.)
        subject, of = request.context[-1], key(request.context[-1])
    return _Permission(subject, m.group(0)[:len(m.group(0)) - len(act)], act, of, key(act), tuple(then), said,
                       around, words(act))


def _settles(ctx: Context, analysis: QueryAnalysis, sentence: str) -> bool:
    """Whether a sentence can settle a permission asked for: it names both what it is asked of and
    the act (any sentence can, for a question asking none)."""
    asked = _asked_permission(ctx, analysis.topic)
    if asked is None:
        return True
    if not asked.acting:
        return False
    # (What the ask is asked of may have been said before it: a sentence settling it names that too.
    # Only a verdict is held to it; a refusal is not made of it, the words before an ask being as
    # often the asker's situation.)
    of = asked.of or asked.around
    if of and not asked.named_in(ctx, sentence, of):
        return False
    # ... and every word of the act: "由分管领导亲自汇报" is not settled by a sentence on 汇报 PPT.
    toks = set(ctx.matcher.tokenizer.tokens(sentence))
    return all(w & toks for w in asked.acts)


def _never_together(ctx: Context, asked: _Permission, doc_ids: tuple[str, ...]) -> bool:
    """For a question whether an act is allowed or required of something ("概算调整报批之前，是不是
    必须先请专家论证") that no sentence settled: whether no sentence of the documents in scope names
    both what it is asked of (概算调整) and the act (专家论证)."""
    if not asked.of or not asked.acting:
        return False
    if canonical_quantities(asked.said):
        # "验收之前是不是必须试运行3个月": a number claimed is settled by a number the text gives
        # (claimed_value), and a refusal naming the asker's number would show one without a source.
        return False
    for doc_id in doc_ids:
        for clause in ctx.corpus.documents[doc_id].clauses:
            have = ctx.matcher.clause_tokens(clause.id)
            if not (asked.of & have and asked.acting & have):
                continue
            # A sentence is read under its attachment's title: "1. 经济效益分析" is of 可研报告 in
            # 附件3 "…可行性研究报告编制要求".
            titles = indexed_text(clause)[:-len(clause.text)] if clause.text else ""
            if any(asked.named_in(ctx, f"{titles}{s}") for s in sentences(clause)):
                return False
    return True


# A rule on an act: forbidden (不得投入运行), allowed (可以委托), or allowed only so (方可).
_DEONTIC = r"(?:不得|不能|不准|禁止|严禁|可以|允许|方可|才能|必须|须)"


@lru_cache(maxsize=256)
def _rule_on(act: tuple[str, ...]) -> re.Pattern:
    """A sentence's rule on the act: a modal right before its words ("不得正式投入使用")."""
    return re.compile(_DEONTIC + r"[^，,。；;：:]{0,6}?(?:" + "|".join(map(re.escape, act)) + ")")


def permitting(ctx: Context, analysis: QueryAnalysis, hits: list[Hit]) -> list[Hit]:
    """For a question asking whether an act is allowed ("没验收能不能先上线"), the hits with a
    sentence that forbids or allows that act in so many words ("未通过验收的项目，不得投入运行"),
    best fit first — before a clause that lists the act among others ("有下列行为之一的，应当承担
    相应的责任：…交付使用的") or shares more of the question's words."""
    if not _PERMISSION.search(analysis.topic):
        return []
    act = _permitted_act(ctx, analysis.topic)
    if not act:
        return []
    rule = _rule_on(act)
    score = ctx.matcher.scorer(analysis)
    found = [(max(fits), h) for h in hits
             for fits in [[score(s) for s in sentences(h.clause) if rule.search(s) and not is_heading(s)]] if fits]
    return by_governing_fit(found)


# A named procedure ("启动特殊申报程序"), and an article headed by one ("第九条 特殊申报程序（一）…").
_PROCEDURE = re.compile(r"[\u4e00-\u9fa5]{2,6}程序")
_HEADED = re.compile(r"^(?:第[一二三四五六七八九十百]+条\s*)?(?P<name>[\u4e00-\u9fa5]{2,6}程序)")


def _procedures_named(ctx: Context, chosen: list[Hit]) -> list[Hit]:
    """The articles setting out a procedure the answer's clauses name by its title ("…可以启动
    特殊申报程序" → 第九条 "特殊申报程序（一）…"; and 第九条 → 第八条 "特殊申报程序使用规范"): how it
    runs, or when it may, is read with it."""
    out: list[Hit] = []
    have = {h.clause.id for h in chosen}
    for hit in chosen:
        named = set(_PROCEDURE.findall(hit.clause.text))
        doc = ctx.corpus.documents[hit.meta.doc_id]
        for clause in doc.clauses if named else ():
            m = _HEADED.match(clause.text)
            if clause.id not in have and m and any(n.endswith(m.group("name")) for n in named):
                out.append(Hit(clause=clause, meta=doc.meta, score=hit.score))
                have.add(clause.id)
    return out


CONDITION_SHARE = 0.75  # of the condition's word weight, another clause's ruling sentence names this much


def _same_condition(ctx: Context, analysis: QueryAnalysis, chosen: list[Hit]) -> list[Hit]:
    """For a permission asked ("年度计划里没有…能不能先自己采购了再补手续") and answered by a rule
    on its act under a condition ("未列入年度建设计划项目，不得自行采购"): the other clause of that
    document ruling on the same condition ("不得擅自建设未列入年度计划的项目。确需新增项目，须向市政府
    专题请示批准后列入计划") — the way the text leaves open, read beside the rule."""
    asks = understand(analysis.topic).asks
    asked = _permission(ctx, asks[0]) if chosen and asks else None
    # (The act by the words the texts use: "先把采购挂出去" is 采购, however it is said.)
    act = tuple(w for w, _, _ in ctx.matcher.question_terms(ctx.analyzer.analyze(asked.group("act")))
                if len(w) >= 2 and w in ctx.analyzer.corpus_text) if asked else ()
    if not act:
        return []
    first = chosen[0]
    rule = _rule_on(act)
    ruling = next(((s, found) for s in sentences(first.clause) if (found := rule.search(s))), None)
    if ruling is None:
        return []
    sentence, found = ruling
    condition = comma_parts(sentence[:found.start()])[-1:]  # "未列入年度建设计划项目"
    vocab = ctx.matcher.doc_vocabulary(first.meta.doc_id)
    weights = {w: ctx.matcher.idf[w] for text in condition for w in ctx.matcher.tokenizer.tokens(text)
               if w in vocab and ctx.matcher.idf.get(w, 0.0) >= MIN_TOPIC_IDF}
    if len(weights) < 2:
        return []
    needed = CONDITION_SHARE * sum(weights.values())
    named = lambda tokens: sum(x for w, x in weights.items() if w in tokens)  # noqa: E731
    doc = ctx.corpus.documents[first.meta.doc_id]
    have = {h.clause.id for h in chosen}
    for clause in doc.clauses:
        if (clause.id in have or clause.kind is PartKind.ATTACHMENT_SECTION
                or named(ctx.matcher.clause_tokens(clause.id)) < needed):
            continue
        if any(re.search(_DEONTIC, s) and named(set(ctx.matcher.tokenizer.tokens(s))) >= needed
               for s in sentences(clause)):
            return [Hit(clause=clause, meta=doc.meta, score=first.score)]
    return []


def _every_holds(lines: list[str | None]) -> str | None:
    """One conclusion from several (claims joined by 而且, or one claim of several cities): the
    first 不是, else 是 with each sentence; None when any is unsettled."""
    if any(line is None for line in lines):
        return None
    denied = [line for line in lines if line.startswith("不是")]
    return denied[0] if denied else "是：" + "；".join(line.removeprefix("是：") for line in lines)


def _without_words(analysis: QueryAnalysis, *words: str) -> QueryAnalysis:
    """The question asking who, where it names a body: the first mention becomes 谁, the others blank."""
    pattern = "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    def ask_who(text: str) -> str:
        text = re.sub(pattern, "谁", text, count=1)
        return re.sub(pattern, lambda m: PLACE_MARK * len(m.group(0)), text)
    return replace(analysis, question=ask_who(analysis.question), topic=ask_who(analysis.topic))


def _rule_named(c: RuleConclusion, analysis: QueryAnalysis) -> bool:
    """Whether the question names what the rule governs in its own words (监理), not only through
    a stage its words stand for (年度计划 → 申报)."""
    return any(t in analysis.topic for t in c.rule.topics)


def _named_first(conclusions: list[RuleConclusion], analysis: QueryAnalysis) -> list[RuleConclusion]:
    """The rules the question names lead (the first line computes what was asked)."""
    return sorted(conclusions, key=lambda c: not _rule_named(c, analysis))


def conclusion(ctx: Context, analysis: QueryAnalysis, hits: list[Hit],
               conclusions: list[RuleConclusion] = ()) -> str | None:
    """The first line of a yes/no question's answer (是 / 不是): the rule engine's result when a
    rule decided it, else computed from the one sentence of the cited text that speaks to its
    claim best; None when the question is not yes/no or no sentence speaks to the claim closely
    enough to settle it. A claim about several cities ("乐山跟六安一样，试运行都是1个月吧") holds
    when it holds for each: the first city it fails for answers 不是."""
    if not is_yes_no(analysis.topic):
        return None
    analysis = replace(analysis, topic=without_contrast(analysis.topic))
    docs = list(dict.fromkeys([h.meta.doc_id for h in hits] + [c.rule.doc_id for c in conclusions]))
    if len(docs) > 1:
        if conclusions:
            return None
        return _every_holds([conclusion(ctx, analysis, [h for h in hits if h.meta.doc_id == d]) for d in docs])
    if len(docs) != 1:
        return None
    if conclusions:
        # A rule settles the claim only when the claim names what it governs in its own words:
        # "…列进年度计划了…还得另外找什么第三方吗" is not confirmed by the 立项 rule that the stage
        # 年度计划 stands for reached.
        named = [c for c in conclusions if _rule_named(c, analysis)]
        if not named:
            return None
        c = named[0]
        if counted_from_another_stage(ctx.matcher, ctx.stages, analysis.topic, c.text):
            return None  # "初验通过以后…半年内" against the rule "建设完成半年内…初步验收"
        if subject_mismatch(analysis.topic, c.text) is not None:
            return "不是"  # "400万可以由我们单位自己编建议书吧" against "由市数管局会同…打捆编制"
        if c.holds and duty_mismatch(analysis.topic, c.text) is not None:
            return "不是"  # "核减不到15%，也得报区数据资源局审批吧" against "…实施变更内控流程，并向…备案"
        return "是" if c.holds != claim_denies(analysis.topic) else "不是"
    parts = claim_parts(analysis.topic)
    if len(parts) > 1:
        # "必须用正版软件，而且要优先买国产的，对不对": each claim settled on its own; all must hold.
        return _every_holds([conclusion(ctx, ctx.analyzer.analyze(p), hits) for p in parts])
    known, score = known_weight(ctx.matcher, analysis)
    # An item is read with its lead-in: "…合同中应当明确…维保年限…：4.…维保期一般不少于2年".
    reads = [(s, read, h) for h in hits for s, read in sentences_read_with_lead(h.clause)]
    read_as = {s: read for s, read, _ in reads}
    # A form's row or a heading ("历年已安排资金 (万元)") states nothing to confirm or deny.
    scored = [(score(read), s, h) for s, read, h in reads if not is_form(h.clause.text) and not is_heading(s)]
    close = [t for t in scored if known and t[0] >= CLAIM_COVERAGE * known]
    act = _permitted_act(ctx, analysis.topic)
    if act is None:
        return None
    if act:
        # "没验收可以先用吗" is settled by a sentence on using it (不得投入运行), not by one on the
        # same condition's other consequences (不安排运行维护经费).
        close = [t for t in close if any(w in t[1] for w in act)]
    # A claim with a number ("一年内做完采购就行吧") is settled by a sentence giving a number to
    # compare it with ("立项发文后6个月内未完成采购的…"), before one that only shares its words.
    numbered = [t for t in close if compares_numbers(analysis.topic, t[1])]
    # ... and a claim of who pays ("论证费用我们自己掏吧") by a sentence that says who pays.
    paying = [t for t in scored if known and t[0] >= PAYER_COVERAGE * known and states_value(Asked.PAYER, t[1])] \
        if claims_payer(analysis.topic) else []
    # ... and a permission by a sentence that rules on the act (不得投入运行) before one that only
    # names it (…经试运行…).
    ruled = [t for t in close if _rule_on(act).search(t[1])] if act else []
    best = max(paying or numbered or ruled or close, key=lambda t: t[0], default=None)
    by_actor = _actor_verdict(ctx, analysis, hits)
    # "直接停掉应该没啥影响吧": a claim that an act has no consequence is denied by a sentence
    # attaching a sanction to it, if the project falls under its condition (一年半 < 不满两年).
    sanctions = [t for t in scored if known and t[0] >= SANCTION_COVERAGE * known
                 and states_value(Asked.CONSEQUENCE, t[1])] if denies_consequence(analysis.topic) else []
    sanctioned = max(sanctions, key=lambda t: t[0], default=None)
    by_sanction = sanction_verdict(analysis.topic, sanctioned[1]) if sanctioned else None
    if by_actor is not None:
        verdict, best = by_actor
    elif by_sanction is not None:
        verdict, best = by_sanction, sanctioned
    elif sanctioned is not None:
        return None  # a sanction whose condition the project falls outside: the text does not settle it
    elif best is None:
        return None
    elif of_the_other_kind(analysis.topic, read_as.get(best[1], best[1])):
        return None  # "涉密项目也要照做吗" against "项目建设（涉密项目除外）必须满足…：（五）…"
    elif counted_from_another_stage(ctx.matcher, ctx.stages, analysis.topic, best[1]):
        return None  # "初步验收完成后…半年内" against "建设完成半年内…": counted from another event
    else:
        verdict = judge(analysis.topic, best[1])
    if verdict is None or (verdict.by_polarity and best[0] < RESTATED * known):
        return None
    if verdict.by_polarity and not _settles(ctx, analysis, read_as.get(best[1], best[1])):
        return None  # "启东项目验收可以请第三方机构做吗" is not settled by "效果评估可以由第三方机构执行"
    unnamed = _unnamed(ctx, analysis, hits) if verdict.by_polarity and (
        _PERMISSION.search(analysis.topic) or _OBLIGATION.search(analysis.topic)) else []
    if unnamed:
        # "软件能不能用盗版的": a sentence that does not name what the claim turns on (盗版) cannot
        # confirm or deny it by its wording — not a list that names 软件, not "必须使用正版软件".
        return None
    hit = best[2]
    sentence = LABEL_PREFIX.sub("", best[1].strip(), count=1)
    return f"{'是' if verdict.holds else '不是'}：{where(hit.meta, hit.clause.label)}规定“{sentence}”"


# A question about a form: its fields, how to fill it in, a template.
_ABOUT_A_FORM = re.compile(r"表|填|栏|格式|模板|样式|样本")
# Asking whether something is allowed, or whether there is one ("有没有模板").
_PERMISSION = re.compile(r"能不能|可不可以|能否|可否|行不行|行得通|行吗|可行|允许|有没有|可以.{0,12}[吗么]|能.{0,12}[吗么]")

# Claiming a duty or an only way ("必须找指定的测评机构", "只能用国产的"): what it turns on must be named
# by the sentence that settles it, as for a permission.
_OBLIGATION = re.compile(r"必须|必需|一定(要|得)|非得|非要|只能|只许|务必")


def _unnamed(ctx: Context, analysis: QueryAnalysis, hits: list[Hit]) -> list[str]:
    """Words of a claim that the cited documents never use, by any spelling (盗版 in "软件能不能
    用盗版的"): what the claim turns on, which their wording cannot confirm or deny."""
    vocab = ctx.matcher.vocabulary(h.meta.doc_id for h in hits)
    return [w for w, _, alts in ctx.matcher.question_terms(analysis)
            if len(w) >= 2 and not find_quantities(w) and not alts & vocab and _names_something(w)]


def _names_something(word: str) -> bool:
    """Whether a word names something in particular: not a pronoun or an adverb, not everyday
    speech (大家, 领导) — what a claim turns on is (盗版, 跨年度)."""
    return not names_nothing(word) and specificity(word) > 0


# A clause that says what the 办法 govern: "本办法适用于…", "本办法所称…", "…参照执行", "…除外",
# "可参照本办法制定实施细则", "…参照应用系统建设类项目立项流程", and where another level makes its
# own rules ("各县区结合自身实际，制定相应管理办法").
_SCOPE_CLAUSE = re.compile(r"本办法所称|适用本办法|本办法适用|不适用|参照[^。；]{0,20}(执行|流程|程序|办理)|参照本办法|不纳入|"
                           r"项目的?除外|另有规定|项目[^。；，]{0,2}[，,]?按照?[^。；]{0,16}规定(执行|办理)|"
                           r"(制定|制订)(?!本办法)[^。；]{0,12}(办法|细则)|^[^。；，]{0,12}项目[^。；，]{0,4}(主要有|分为)")

# A question asked from below a city's level (县里, 乡镇, 街道), and a scope sentence that says which
# level the 办法 govern or what the levels below do.
_BELOW_CITY = re.compile(r"县|镇|乡|街道")
_LEVELS = re.compile(r"本级|各(县|镇|乡|区县|街道)|县（市、区）|县区|乡镇|镇（")


def scope_hits(ctx: Context, analysis: QueryAnalysis, doc_ids: tuple[str, ...], per_doc: int = 2) -> list[Hit]:
    """Each document's scope clauses, those that fit the question best first (涉密 → the clause
    on 涉密 projects, 驻市单位 → the one naming them)."""
    # Weighed by what the project is, not by the words that ask ("管不管", "适用吗").
    score = ctx.matcher.scorer(ctx.analyzer.analyze(focus(Asked.APPLIES, analysis.topic)))
    # Asked from below the city (霍邱县, 县里出钱, 乡镇): the sentences that say which level the
    # 办法 govern (市本级) or what the levels below do (各县区制定相应管理办法) answer first.
    below = any(p in county_names() for p in analysis.unknown_places) or bool(_BELOW_CITY.search(analysis.topic))

    def fit(clause: Part) -> tuple[bool, float, int] | None:
        # Weighed by the sentences that state the scope, not by the rest of the clause, and by how
        # densely (score / √length): a sentence that says only that ("涉密政务信息化项目管理按照保密
        # 相关规定执行") before a long list that shares as many words ("本办法适用的…主要包括：…").
        # None for a clause with no scope sentence.
        return max(((below and bool(_LEVELS.search(s)), round(score(s) / math.sqrt(max(len(s), 8)), 6), -len(s))
                    for s in sentences(clause) if _SCOPE_CLAUSE.search(s)), default=None)

    out: list[Hit] = []
    for doc_id in doc_ids:
        doc = ctx.corpus.documents[doc_id]
        fits = [(f, c) for c in doc.clauses if (f := fit(c)) is not None]
        ranked = sorted(fits, key=lambda t: (tuple(-x for x in t[0]), t[1].ordinal))[:per_doc]
        out += [Hit(clause=c, meta=doc.meta, score=f[1]) for f, c in ranked]
    return out


FIGURE_CLAUSES = 2  # per document, the clauses that state a figure asked about


def figure_hits(ctx: Context, analysis: QueryAnalysis, request: Request, doc_ids: tuple[str, ...]) -> list[Hit]:
    """For a question about a figure itself ("500万这条线上有啥讲究", "100万这个数是管什么的"):
    the asks name nothing the texts know but an amount, a share or a period they use. Each
    document's clauses that state it (by its canonical token) answer — what the figure governs
    there; none when the asks name a topic of their own."""
    asked = [q for q in find_quantities(analysis.topic)
             if q.kind in ("money", "percent", "duration", "date") and q.canonical in ctx.matcher.idf]
    if not asked or is_yes_no(analysis.topic) or set(request.asked) & (QUANTITATIVE | {Asked.CONSEQUENCE}):
        # "试运行满一个月才能验收，对吧": a premise to check, not a figure to look up; "不到两年就
        # 停掉了，会有啥后果": what follows, with the figure a fact about the project.
        return []
    named = "，".join(focus(x, strip_procedure(a)) for a, x in zip(request.asks, request.asked))
    for q in find_quantities(named):
        named = named.replace(q.text, " ")
    # ... the words that name the texts themselves (办法里的, 规定的) name no topic.
    if _known_topic(ctx, COMPARE_WORDS.sub(" ", named)) >= MIN_TOPIC_IDF:
        return []
    tokens = {q.canonical for q in asked}
    out = []
    for doc_id in doc_ids:
        doc = ctx.corpus.documents[doc_id]
        found = [c for c in doc.clauses if tokens & ctx.matcher.clause_tokens(c.id)]
        out += [Hit(clause=c, meta=doc.meta, score=1.0) for c in found[:FIGURE_CLAUSES]]
    return out[:MAX_CITATIONS] if len(doc_ids) > 1 else out


def _known_topic(ctx: Context, text: str) -> float:
    terms = ctx.matcher.question_terms(ctx.analyzer.analyze(text))
    return sum(w for word, w, alts in terms if alts & ctx.matcher.idf.keys() and len(word) >= 2)


SPAN_CLAUSES = 6  # clauses quoted for the stages between two that a question names
_STEP_ASKS = frozenset({Asked.STEPS, Asked.WHAT})
# "从申报到拿到立项文件", "报上去以后，到最后批下来", "建完到正式验收": where a span starts and ends.
_SPAN = re.compile(r"从?(?P<start>[^，。？?从到至]{1,14}?)(?:到|至)(?P<end>[^，。？?]{1,14})|"
                   r"(?P<start2>[^，。？?从]{1,12}?)(?:以后|之后)[^。？?到至]{0,6}(?:到|至)(?P<end2>[^，。？?]{1,14})")


def stage_span(ctx: Context, topic: str, doc_id: str) -> list[Stage]:
    """The lifecycle stages from the one a question starts at to the one it ends at, in the
    checklist's order (both named, the start before the end); empty for any other question.
    `doc_id`: the city's 办法, whose clauses for each stage say which a step in the asker's words
    ("交材料", "填报需求") belongs to."""
    m = _SPAN.search(topic)
    if m is None:
        return []
    start, end = (m.group("start"), m.group("end")) if m.group("start") else (m.group("start2"), m.group("end2"))
    first = _stage_of(ctx, start, last=True)
    last = _stage_of(ctx, end, last=False)
    if m.group(0).startswith("从"):
        # Where a span said as one ("从…到…"; "下沉到街道", "建到一半" are no steps) starts may be
        # said in the asker's words; where it ends is a stage named ("拿钱" is no step of one).
        first = first or _stage_by_clauses(ctx, start, doc_id)
    if first is None or last is None:
        return []
    order = [s.name for s in ctx.stages]
    i, j = order.index(first), order.index(last)
    return ctx.stages[i:j + 1] if i < j else []


# "我们现在该干啥", "下一步要做什么": what comes next for the asker, after what the story says is done.
_WHAT_NOW = re.compile(r"(现在|接下来|下一步|然后|目前)(该|要|得|应该|需要)?(干|做|办|弄|搞)(啥|什么|嘛|些什么)|" + FIRST_STEP.pattern)
_DONE = re.compile(r"^(?:完|好|完成|完毕|结束|通过|下来)")
_DONE_IN = ("完", "好", "下来")


def only_stage(ctx: Context, analysis: QueryAnalysis, request: Request) -> str | None:
    """The lifecycle stage a question asks the steps of when it names nothing else ("乐山项目立项的
    流程是什么", "六安的项目怎么验收" → 立项, 验收; not "错过了怎么办" after a question on 申报); None
    otherwise."""
    if set(request.asked) != {Asked.STEPS}:
        return None
    names = stage_words(ctx.stages)
    part = replace(analysis, question=strip_procedure(analysis.topic), topic=strip_procedure(analysis.topic))
    named = set()
    for word, weight, _ in ctx.matcher.question_terms(part):
        if word in names:
            named.add(names[word])
        elif weight >= _NAMES_NOTHING:
            return None  # "乐山项目建完之后验收怎么走": more than the stage
    return next(iter(named)) if len(named) == 1 else None


_NAMES_NOTHING = 0.5  # a word weighing less (项目, in every clause) names nothing of a question's own


def names_a_stage(ctx: Context, topic: str) -> bool:
    """Whether a question names a lifecycle stage, by its name or an alias (验收, 建完, 批下来)."""
    return _stage_of(ctx, topic, last=False) is not None


def next_stage(ctx: Context, topic: str) -> str | None:
    """The lifecycle stage after the last one the question says is finished ("智慧监管平台刚开发完，…
    我们现在该干啥" → 验收), when it asks what to do now; None otherwise."""
    if not _WHAT_NOW.search(topic):
        return None
    done = [(m.end(), s.name) for s in ctx.stages for k in (s.name, *s.aliases)
            for m in re.finditer(re.escape(k), topic) if k.endswith(_DONE_IN) or _DONE.match(topic[m.end():])]
    if not done:
        return None
    order = [s.name for s in ctx.stages]
    i = order.index(max(done)[1])
    return order[i + 1] if i + 1 < len(order) else None


def _stage_of(ctx: Context, text: str, last: bool) -> str | None:
    """The stage a phrase names (its last one for where a span starts, its first for where it ends)."""
    found = [(text.find(k), s.name) for s in ctx.stages for k in (s.name, *s.aliases) if k in text]
    if not found:
        return None
    return (max if last else min)(found)[1]


def _stage_by_clauses(ctx: Context, text: str, doc_id: str) -> str | None:
    """The first stage whose clauses in a city's 办法 name every weighty word of a step said in the
    asker's words ("填报需求": 乐山 第十五条, 申报; 材料 is handed in at 申报 before 验收); None when
    no stage's clauses do."""
    words = [alts for w, weight, alts in ctx.matcher.question_terms(ctx.analyzer.analyze(text))
             if weight >= MIN_TOPIC_IDF and alts & ctx.matcher.idf.keys()]
    if not words:
        return None
    found = [s.name for s in ctx.stages
             if any(all(alts & ctx.matcher.clause_tokens(ctx.corpus.clause(doc_id, label).id) for alts in words)
                    for label in s.clauses.get(doc_id, ()))]
    return found[0] if found else None


def stage_clauses(ctx: Context, request: Request, hits: list[Hit]) -> list[Hit]:
    """For a how-to ask about one lifecycle stage and nothing else ("六安的项目建完了怎么验收"),
    each city's first curated clause for that stage, found among the candidates or added."""
    if Asked.STEPS not in request.asked:
        return []
    asks = "".join(request.asks)
    named = [s for s in ctx.stages if s.name in asks]
    if len(named) != 1:
        return []
    # Only when the stage is all it asks about ("建完了怎么验收"): "验收没通过怎么办" asks more.
    if _asks_beyond(ctx, asks, (named[0].name,)):
        return []
    out = []
    for doc_id in dict.fromkeys(h.meta.doc_id for h in hits):
        for label in named[0].clauses.get(doc_id, ())[:1]:
            clause = ctx.corpus.clause(doc_id, label)
            out.append(next((h for h in hits if h.clause.id == clause.id),
                            Hit(clause=clause, meta=ctx.corpus.documents[doc_id].meta, score=0.0)))
    return out


def compared(ctx: Context, analysis: QueryAnalysis, request: Request, doc_ids: tuple[str, ...],
             hits: list[Hit]) -> list[Hit]:
    """The candidates of a comparison, read as 城市对比 reads it. A topic the question names by
    its name or a specific alias (试运行, 绩效评价, 源代码 — not a bare 验收) is answered per city from
    its curated clauses (corpus/topics.yaml; the ranker chooses among them), and a city whose entry
    is empty has no provision;
    otherwise a city the retrieval found nothing for falls back to the topic's curated clause."""
    topics = match_topics(ctx.topics, ctx.corpus.catalog.docs, analysis.question)
    named = named_topics(ctx, request, topics)
    out = list(hits)
    for doc_id in doc_ids:
        decided = next((t for t in named if doc_id in t.clauses), None)
        if decided is not None:
            out = [h for h in out if h.meta.doc_id != doc_id]
            out += clause_hits(ctx, doc_id, decided.clauses[doc_id])
        elif not any(h.meta.doc_id == doc_id for h in out):
            label = next((t.clauses[doc_id][0] for t in topics if t.clauses.get(doc_id)), None)
            if label is not None:
                out += clause_hits(ctx, doc_id, (label,), score=0.0)
    return out


def named_topics(ctx: Context, request: Request, topics: list[Stage]) -> list[Stage]:
    """The topics a question names and asks about nothing more than ("运维经费怎么申请" asks about
    the funds of 运维): their curated clauses answer it, per city — in 问答 and in 城市对比 alike."""
    focused = "，".join(focus(x, strip_procedure(a)) for a, x in zip(request.asks, request.asked))
    # Named by the question's words, not by how it asks ("多少钱以上必须请" asks for an amount of
    # 监理, it does not name the topic of amounts) ...
    said = "，".join((focused, *request.context))
    # ... nor by when it is asked of ("项目建成以后的绩效评价": the topic is 绩效评价), nor by the
    # words that frame it (知识产权这块); and all of it counts (源代码 beside 知识产权 is more).
    return [t for t in topics if any(k in said for k in (t.name, *(a for a in t.aliases if len(a) >= 3)))
            and not _asks_beyond(ctx, _FRAMING.sub(" ", _AFTER.sub(" ", said)), (t.name, *t.aliases),
                                 ignore=COMPARE_WORDS)]


# Words that frame a topic rather than name one: "数据共享方面", "知识产权这块".
_FRAMING = re.compile(r"这一?方面|方面|这一?块|那一?块|这些|那些|领域")
# A time a topic is asked of: "建成以后的", "验收之后的".
_AFTER = re.compile(r"[\u4e00-\u9fa5]{1,6}(以后|之后|后)的")


def _asks_beyond(ctx: Context, text: str, names: tuple[str, ...], ignore: re.Pattern | None = None) -> bool:
    """Whether `text` asks about more than `names`: its words without them (longest first), those
    the texts use and `ignore` does not match, still weigh MIN_TOPIC_IDF."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    terms = ctx.matcher.question_terms(ctx.analyzer.analyze(text))
    return sum(w for word, w, alts in terms if alts & ctx.matcher.idf.keys()
               and not (ignore and ignore.search(word))) >= MIN_TOPIC_IDF


# "A还是B": the two alternatives a choice is between.
_ALTERNATIVES = re.compile(r"(?P<a>[^，,。？?还是]{2,10})还是(?P<b>[^，,。？?]{2,10}?)(?:呢|吗|啊)?[？?]?$")
_ALTERNATIVE_LEAD = re.compile(r"^(?:.*?(?:用的是|用|选|找|要|是|按|走|上))")


def unnamed_alternatives(ctx: Context, request: Request, docs: list) -> list[str]:
    """The alternatives of a choice ("阿里云还是华为云") when neither shares a word of two
    characters or more with the texts in scope: they do not choose between what they never name."""
    vocab = ctx.matcher.vocabulary(d.meta.doc_id for d in docs)
    for ask, asked in zip(request.asks, request.asked):
        m = _ALTERNATIVES.search(ask) if asked is Asked.CHOICE else None
        if m is None:
            continue
        sides = [_ALTERNATIVE_LEAD.sub("", m.group("a")), m.group("b")]
        words = [[w for w in ctx.matcher.tokenizer.tokens(side) if len(w) >= 2] for side in sides]
        if all(words) and not any(w in vocab for side in words for w in side):
            return [side for side in sides]
    return []


def _whose(analysis: QueryAnalysis, doc_ids: tuple[str, ...], every: str = "收录的办法") -> str:
    """The texts a refusal speaks for: the cities the question names, else `every` (all collected)."""
    return f"{'、'.join(analysis.cities)}的办法" if doc_ids and analysis.cities else every


def _not_covered(question: str, analysis: QueryAnalysis, doc_ids: tuple[str, ...], terms: tuple[str, ...],
                 covered: list[DocMeta], related: list[tuple[DocMeta, str]] = ()) -> Answer:
    """The refusal naming the words no text in scope uses; `related`: the nearest provisions, as
    further reading."""
    named = "、".join(f"“{t}”" for t in terms)
    return refusal(question, f"{_whose(analysis, doc_ids, every='所收录的办法均')}未涉及{named}，无法据此回答。", covered,
                   list(related))


def choose(ctx: Context, hits: list[Hit], analysis: QueryAnalysis, doc_ids: tuple[str, ...],
           unsure: frozenset[str] = frozenset()) -> list[Hit]:
    """The clauses to cite: per city, the best one and a runner-up whose best 款/项 fits the
    question nearly as well (SECOND_FIT) or that the ranker cannot tell from the best (`unsure`);
    with no city named, only the cities whose best clause fits nearly as well as the overall
    best (OTHER_CITY_FIT)."""
    score = ctx.matcher.scorer(analysis)
    fit = {h.clause.id: ctx.matcher.fit(score, h.clause) for h in hits}
    by_doc: dict[str, list[Hit]] = {}
    for h in hits:
        by_doc.setdefault(h.meta.doc_id, []).append(h)
    chosen: list[Hit] = []
    # Room for a runner-up per city: one city, or a comparison of two (MAX_CITATIONS = 4) ...
    room = len(by_doc) == 1 or len(doc_ids) == 1 or (analysis.compare and len(by_doc) <= 2)
    # ... and in a comparison of more, for up to WIDE_RUNNER_UPS cities whose first the ranker is unsure of.
    wide = analysis.compare and len(by_doc) > 2
    extra = 0
    for doc_hits in by_doc.values():
        first = doc_hits[0]
        chosen.append(first)
        # A form (申报表) seconds nothing: one of its rows ("预计总投资 年度需要资金") says nothing alone.
        if len(doc_hits) < 2 or is_form(doc_hits[1].clause.text):
            continue
        second = doc_hits[1]
        if room and (fit[second.clause.id] >= SECOND_FIT * fit[first.clause.id] or second.clause.id in unsure):
            chosen.append(second)
        elif wide and second.clause.id in unsure and extra < WIDE_RUNNER_UPS:
            chosen.append(second)
            extra += 1
    if not (analysis.compare or doc_ids):
        best = max(fit[h.clause.id] for h in chosen)
        chosen = [h for h in chosen if fit[h.clause.id] >= OTHER_CITY_FIT * best]
    return chosen[:max(MAX_CITATIONS, len(by_doc) + extra)]


def compose(ctx: Context, question: str, analysis: QueryAnalysis, hits: list[Hit],
            conclusions: list[RuleConclusion] = (), attribute: Asked | None = None,
            asks: tuple[str, ...] = ()) -> Answer:
    """The answer's text: rule results first, then each clause led by the part that answers.
    `asks`: the questions of a question that asks several things ("写些什么，啥时候交，交给谁"),
    each to be answered by its own part of the clause."""
    lines: list[str] = []
    notes: list[str] = []
    citations: list[Citation] = []
    several = len({h.meta.doc_id for h in hits} | {c.rule.doc_id for c in conclusions}) > 1
    for c in conclusions:
        # Rule results lead: the computation by code, on the number the text gives.
        meta = ctx.corpus.documents[c.rule.doc_id].meta
        prefix = f"【{meta.city}·计算】" if several or not analysis.doc_ids else "【计算】"
        lines.append(f"{prefix}{c.computation}：{c.text}。（{where(meta, c.rule.article)}：“{c.rule.quote}”）")
        for label in (c.rule.article, *c.rule.refers):
            clause = ctx.corpus.clause(c.rule.doc_id, label)
            if all(x.doc_id != meta.doc_id or x.article != clause.label for x in citations):
                citations.append(cite(meta, clause))
    for hit in hits:
        label, parts = lead(ctx.matcher, analysis, hit.clause, attribute, asks)
        prefix = f"【{hit.meta.city}】" if several or not analysis.doc_ids else ""
        lines.append(f"{prefix}根据{where(hit.meta, label)}：“{''.join(parts)}”")
        if all(x.doc_id != hit.meta.doc_id or x.article != hit.clause.label for x in citations):
            citations.append(cite(hit.meta, hit.clause))
        note = status_note(hit.meta, ctx.today)
        if note and note not in notes:
            notes.append(note)
    cited = {h.meta.doc_id for h in hits} | {c.rule.doc_id for c in conclusions}
    missing = [c for c, d in zip(analysis.cities, analysis.doc_ids) if d not in cited]
    if analysis.compare and not analysis.doc_ids:
        missing = [m.city for m in ctx.corpus.catalog.docs if m.doc_id not in cited]
    if missing:
        notes.append(f"{'、'.join(missing)}的办法中未找到与该问题直接相关的条款。")
    if analysis.unknown_places:
        notes.append(f"语料库中没有{'、'.join(analysis.unknown_places)}的办法，以上仅为已收录城市的规定。")
    if analysis.regions:
        notes.append(f"语料库中没有{'、'.join(analysis.regions)}本级的办法，以上为其辖区内已收录的文件。")
    text = "\n".join(lines + ([""] + notes if notes else []))
    return Answer(question=question, answer=text, answerable=True, citations=citations, checks=list(conclusions))


def best_clauses(ctx: Context, query: str, doc_id: str, k: int = 2,
                 text_words: bool = False) -> list[tuple[Part, str, str]]:
    """A document's clauses that answer `query` — (clause, label of the part that answers, its
    lead text) — the best one and up to k-1 runners-up that fit nearly as well; empty when no
    clause passes the relevance gate (the document has no provision on it), the same gate a
    question asked in 问答 passes. `text_words`: the query is a topic's list of the texts' own
    words (topics.yaml), not a question: none of them is held against it."""
    analysis = ctx.analyzer.analyze(query)
    request = understand(analysis.topic)
    gate = with_stages(ctx.matcher, build_gate(ctx.matcher, analysis, request, (doc_id,)), ctx.stages)
    if text_words:
        gate = replace(gate, foreign=())
    # A figure asked about ("500万这条线上有啥讲究") is answered as 问答 answers it.
    hits = (figure_hits(ctx, analysis, request, (doc_id,)) if not text_words else []) or [
        h for h in ctx.searcher.search(analysis, max(k, 2), (doc_id,)) if is_relevant(ctx.matcher, gate, h)]
    if not hits:
        return []
    score = ctx.matcher.scorer(analysis)
    best = ctx.matcher.fit(score, hits[0].clause)
    kept = [hits[0]] + [h for h in hits[1:k] if ctx.matcher.fit(score, h.clause) >= SECOND_FIT * best]
    out = []
    for hit in kept:
        label, parts = lead(ctx.matcher, analysis, hit.clause)
        out.append((hit.clause, label, "".join(parts)))
    return out
