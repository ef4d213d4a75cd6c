"""The extractive answer: search the cities in scope, keep the clauses that pass the relevance
gate, choose which to cite, lead each with the 款/项 that answers — or refuse plainly."""

from __future__ import annotations

from assistant.answers.context import Context
from assistant.answers.lead import lead
from assistant.answers.notes import refusal, status_note, where
from assistant.answers.outline import outline
from assistant.answers.records import Answer, Citation, cite
from assistant.answers.relevance import foreign_terms, is_relevant
from assistant.corpus.model import Hit, Part
from assistant.rules.evaluate import RuleConclusion, check
from assistant.rules.facts import extract_facts
from assistant.search.query import QueryAnalysis

MAX_CITATIONS = 4
SECOND_FIT = 0.7      # cite a second clause of the same document at this share of the first's fit
OTHER_CITY_FIT = 0.6  # with no city named, cite another city at this share of the best fit


def extractive_answer(ctx: Context, question: str, analysis: QueryAnalysis, doc_ids: tuple[str, ...],
                      routing: bool = True) -> Answer:
    covered = list(ctx.corpus.catalog.docs)
    foreign = foreign_terms(ctx.matcher, analysis)
    scope = doc_ids if routing else ()
    # With no city named, every city is searched on its own: the answer shows each city's
    # rule that fits (labelled), rather than one city's rule as if it were everyone's.
    hits = ctx.searcher.search(analysis, 5, scope, per_city=routing)
    relevant = [h for h in hits if is_relevant(ctx.matcher, analysis, h, foreign)]
    facts = extract_facts(question, list(analysis.quantities))
    rule_scope = doc_ids or tuple(dict.fromkeys(h.meta.doc_id for h in hits))
    conclusions = check(ctx.rules, rule_scope, facts, analysis.question) if doc_ids else []
    if not relevant and conclusions:
        # The rule engine recognised the project and a provision it falls under: answer with it.
        relevant = [h for h in hits if h.clause.id in {c.rule.clause_id for c in conclusions}] or hits[:1]
    if not relevant and foreign:
        terms = "、".join(f"“{t}”" for t in foreign)
        return refusal(question, f"所收录的办法均未涉及{terms}，无法据此回答。", covered)
    if not relevant:
        return refusal(question, "语料库中没有与该问题直接相关的条款。", covered)
    answer = outline(ctx, analysis, relevant)
    if answer is not None:
        return answer
    chosen = choose(ctx, relevant, analysis, doc_ids)
    if not doc_ids:
        conclusions = check(ctx.rules, tuple(dict.fromkeys(h.meta.doc_id for h in chosen)), facts,
                            analysis.question)
    return compose(ctx, question, analysis, chosen, conclusions)


def choose(ctx: Context, hits: list[Hit], analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> list[Hit]:
    """The clauses to cite: per city, the best one and a runner-up whose best 款/项 fits the
    question nearly as well (SECOND_FIT); with no city named, only the cities whose best
    clause fits nearly as well as the overall best (OTHER_CITY_FIT)."""
    score = ctx.matcher.scorer(analysis)
    fit = {h.clause.id: ctx.matcher.fit(score, h.clause) for h in hits}
    by_doc: dict[str, list[Hit]] = {}
    for h in hits:
        by_doc.setdefault(h.meta.doc_id, []).append(h)
    chosen: list[Hit] = []
    # Room for a runner-up per city: one city, or a comparison of two (MAX_CITATIONS = 4).
    room = len(by_doc) == 1 or len(doc_ids) == 1 or (analysis.compare and len(by_doc) <= 2)
    for doc_hits in by_doc.values():
        first = doc_hits[0]
        chosen.append(first)
        if room and len(doc_hits) > 1 and fit[doc_hits[1].clause.id] >= SECOND_FIT * fit[first.clause.id]:
            chosen.append(doc_hits[1])
    if not (analysis.compare or doc_ids):
        best = max(fit[h.clause.id] for h in chosen)
        chosen = [h for h in chosen if fit[h.clause.id] >= OTHER_CITY_FIT * best]
    return chosen[:MAX_CITATIONS]


def compose(ctx: Context, question: str, analysis: QueryAnalysis, hits: list[Hit],
            conclusions: list[RuleConclusion] = ()) -> Answer:
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
        label, parts = lead(ctx.matcher, analysis, hit.clause)
        prefix = f"【{hit.meta.city}】" if several or not analysis.doc_ids else ""
        lines.append(f"{prefix}根据{where(hit.meta, label)}：“{''.join(parts)}”")
        if all(x.doc_id != hit.meta.doc_id or x.article != hit.clause.label for x in citations):
            citations.append(cite(hit.meta, hit.clause))
        note = status_note(hit.meta, ctx.today)
        if note and note not in notes:
            notes.append(note)
    missing = [c for c, d in zip(analysis.cities, analysis.doc_ids)
               if d not in {h.meta.doc_id for h in hits}]
    if missing:
        notes.append(f"{'、'.join(missing)}的办法中未找到与该问题直接相关的条款。")
    if analysis.unknown_places:
        notes.append(f"语料库中没有{'、'.join(analysis.unknown_places)}的办法，以上仅为已收录城市的规定。")
    if analysis.regions:
        notes.append(f"语料库中没有{'、'.join(analysis.regions)}本级的办法，以上为其辖区内已收录的文件。")
    text = "\n".join(lines + ([""] + notes if notes else []))
    return Answer(question=question, answer=text, answerable=True, citations=citations, checks=list(conclusions))


def best_clauses(ctx: Context, query: str, doc_id: str, k: int = 2) -> list[tuple[Part, str, str]]:
    """A document's clauses that answer `query` — (clause, label of the part that answers, its
    lead text) — the best one and up to k-1 runners-up that fit nearly as well; empty when no
    clause passes the relevance gate (the document has no provision on it)."""
    analysis = ctx.analyzer.analyze(query)
    hits = [h for h in ctx.searcher.search(analysis, max(k, 2), (doc_id,))
            if is_relevant(ctx.matcher, analysis, h)]
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
