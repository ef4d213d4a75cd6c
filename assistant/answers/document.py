"""Questions about a document itself: is it in force, until when, what it repeals (from the
catalog and its final provisions), or its purpose and legal basis (the clause that says 制定本办法)."""

from __future__ import annotations

import re
from datetime import date

from assistant.answers.context import Context
from assistant.answers.extractive import conclusion
from assistant.answers.lead import LABEL_PREFIX
from assistant.answers.notes import refusal, status_note, where
from assistant.answers.verdict import is_yes_no
from assistant.answers.records import Answer, cite
from assistant.corpus.model import Hit, Status
from assistant.search.query import QueryAnalysis
from assistant.text import cn_date

STATUS_CLAUSE = re.compile(r"施行|实施。|有效期|同时废止")
BASIS_CLAUSE = re.compile(r"制定本办法")


def document_answer(ctx: Context, analysis: QueryAnalysis, doc_ids: tuple[str, ...], status: bool) -> Answer | None:
    """status=True: the catalog's record with the final provisions; else the purpose and basis."""
    pattern = STATUS_CLAUSE if status else BASIS_CLAUSE
    docs = [ctx.corpus.documents[d] for d in (doc_ids or tuple(ctx.corpus.documents))]
    lines, notes, citations, quoted = [], [], [], []
    for doc in docs:
        clauses = [c for c in doc.clauses if pattern.search(c.text)]
        if not clauses:
            continue
        # final provisions carry 施行 / 有效期 / 废止; the first clause says why and on what basis
        clause = clauses[-1] if status else clauses[0]
        meta = doc.meta
        said = [f"《{meta.title}》" + (f"（{meta.doc_number}）" if meta.doc_number else "")]
        if status:
            if meta.issue_date:
                said.append(f"{meta.issuer or ''}{cn_date(meta.issue_date)}印发")
            said.append(f"状态：{meta.status.value}")
            if meta.valid_until:
                said.append(f"有效期至{cn_date(meta.valid_until)}")
            elif _TERM_ASKED.search(analysis.question):
                said.append("没有规定有效期")
            if meta.repeals:
                said.append("同时废止" + "、".join(f"《{r}》" for r in meta.repeals))
        prefix = f"【{meta.city}】" if len(docs) > 1 else ""
        quote = f"{where(meta, clause.label)}：“{LABEL_PREFIX.sub('', clause.text, count=1)}”"
        lines.append(f"{prefix}{'，'.join(said)}。依据{quote}" if status else f"{prefix}根据{quote}")
        citations.append(cite(meta, clause))
        quoted.append(Hit(clause=clause, meta=meta, score=0.0))
        note = status_note(meta, ctx.today)
        if note and note not in notes and "有效期至" not in note:  # validity is already said
            notes.append(note)
    if not citations:
        return None
    if status and _WHEN.search(analysis.question) and not is_yes_no(analysis.topic) \
            and not any(h.meta.issue_date or h.meta.effective_date for h in quoted):
        # "哪天正式印发生效": no date to give — a draft is undated, and the text says only
        # "自发布之日起实施". Say so, with the final provision as reading, rather than answer.
        named = "、".join(f"《{h.meta.title}》（{h.meta.status.value}）" for h in quoted)
        return refusal(analysis.question, f"收录的文本和目录都没有载明{named}的印发或施行日期。",
                       list(ctx.corpus.catalog.docs), [(h.meta, h.clause.label) for h in quoted])
    q = analysis.question
    if status and _TERM_ASKED.search(q) and not any(p.search(q) for p in (_TIMELESS, _LAPSED, _IN_FORCE, _IN_YEAR)) \
            and all(h.meta.valid_until is None for h in quoted):
        # "有效期是5年吧", "什么时候到期" of a document whose text sets no term (it only says when it
        # takes effect): no term to give or to confirm.
        named = "、".join(f"《{h.meta.title}》" for h in quoted)
        return refusal(q, f"{named}没有规定有效期。", list(ctx.corpus.catalog.docs),
                       [(h.meta, h.clause.label) for h in quoted])
    # "有效期是5年没错吧": the conclusion first, computed from the clause quoted — of the claim
    # without the words that name the document ("这个市级政务信息化项目管理办法有效期是3年").
    claim = _without_titles(analysis.topic, [d.meta.title for d in docs])
    claimed = analysis if claim == analysis.topic else ctx.analyzer.analyze(claim)
    verdict = _validity_claim(ctx, analysis, quoted) or conclusion(ctx, claimed, quoted)
    text = "\n".join(([verdict] if verdict else []) + lines + ([""] + notes if notes else []))
    return Answer(question=analysis.question, answer=text, answerable=True, citations=citations)


# When a document was issued or took effect ("哪天正式印发", "什么时候开始实施").
_WHEN = re.compile(r"(什么|啥)时候|何时|哪(一)?天|哪(一)?年|几月|几号|日期")
TITLE_RUN = 4  # characters in a row shared with a title that name the document


def _without_titles(text: str, titles: list[str]) -> str:
    """The text without its runs of TITLE_RUN or more characters found in one of the titles."""
    out, i = [], 0
    while i < len(text):
        end = i
        while end < len(text) and any(text[i:end + 1] in t for t in titles):
            end += 1
        if end - i >= TITLE_RUN:
            out.append(" ")
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# A question about a document's term: how long it holds, when it lapses.
_TERM_ASKED = re.compile(r"有效期|有效[多几]|[多几]年有效|多久|几年|(到|过|满)期|失效|用到(什么|啥)时候|期限")
# A claim about how long a document holds: for ever ("长期有效的，没规定期限吧"), or no longer.
_TIMELESS = re.compile(r"长期有效|一直有效|永久有效|没(有)?(规定)?(期限|有效期)|不会(过期|失效)")
_LAPSED = re.compile(r"(已经|早就|已)(失效|过期|废止)")


# A claim that a document is in force ("已经正式实施了吧", "现在还有效吗"), or still will be in a
# year ("2027年以后还有效吗", "到2026年底还能用吗").
_IN_FORCE = re.compile(r"(已经|正式|现在)[^，。？?]{0,4}(实施|施行|生效|执行)|还(有效|能用|在用|管用)|是现行")
_IN_YEAR = re.compile(r"(20\d\d)\s*年[^，。？?]{0,4}(以后|之后|后|底|年底)?[^，。？?]{0,4}还")


def _validity_claim(ctx: Context, analysis: QueryAnalysis, quoted: list[Hit]) -> str | None:
    """是/不是 for a claim about one document's validity, from its catalog record (status, 有效期至)
    and the clause that states it."""
    q = analysis.question
    if not is_yes_no(analysis.topic):
        return None  # "哪天正式生效" asks a date, not whether it is in force
    timeless, lapsed, in_force, year = _TIMELESS.search(q), _LAPSED.search(q), _IN_FORCE.search(q), _IN_YEAR.search(q)
    if len(quoted) != 1 or not (timeless or lapsed or in_force or year):
        return None
    hit = quoted[0]
    meta, until = hit.meta, hit.meta.valid_until
    quote = f"{where(meta, hit.clause.label)}规定“{LABEL_PREFIX.sub('', hit.clause.text, count=1)}”"
    if meta.status in (Status.DRAFT, Status.REPEALED) and (in_force or year):
        return f"不是：《{meta.title}》状态为{meta.status.value}，不是正在施行的办法；{quote}"
    if until is None:
        # No end date in the record: in force as its status says, never lapsed by time.
        if (in_force or lapsed) and meta.status in (Status.CURRENT, Status.INTERIM):
            return f"{'不是' if lapsed else '是'}：《{meta.title}》状态为{meta.status.value}，没有规定有效期；{quote}"
        if timeless:  # "没规定期限吧": none is set
            return f"是：《{meta.title}》没有规定有效期；{quote}"
        return None
    if year:
        # Still in force after a year, or at its end: only if it holds past that year's last day.
        holds = until >= date(int(year.group(1)), 12, 31)
    else:
        holds = False if timeless else (until < ctx.today if lapsed else until >= ctx.today)
    return f"{'是' if holds else '不是'}：{quote}，有效期至{cn_date(until)}。"
