"""ask: route a question by intent to the builder that answers it; each may decline and pass on."""

from __future__ import annotations

from assistant.answers.checklist import build_checklist
from assistant.answers.context import Context
from assistant.answers.document import document_answer
from assistant.answers.extractive import extractive_answer, names_a_stage
from assistant.answers.intent import FIRST_STEP, Intent, intents, wants_whole_lifecycle
from assistant.answers.lookup import lookup
from assistant.answers.notes import refusal
from assistant.answers.records import Answer
from assistant.answers.request import other_documents
from assistant.search.query import QueryAnalysis


def answer(ctx: Context, question: str, analysis: QueryAnalysis, doc_ids: tuple[str, ...],
           routing: bool = True, earlier: tuple[str, ...] = (), stage: str | None = None,
           again: bool = False) -> Answer:
    """`earlier`: the clauses the conversation's previous answer cited; `stage`: the lifecycle
    stage a follow-up asks about ("下一步呢"); `again`: the previous question asked of another place."""
    covered = list(ctx.corpus.catalog.docs)
    for intent in intents(analysis, doc_ids):
        if intent is Intent.UNKNOWN_PLACE:
            return refusal(question, f"语料库中没有{'、'.join(analysis.unknown_places)}的办法，无法回答。", covered)
        if intent is Intent.CITY_LEVEL:
            # "杭州市本级…": the city's own rules, which the corpus does not hold (only a district's).
            return refusal(question, f"语料库中没有{'、'.join(analysis.regions)}本级的办法，无法回答。", covered)
        if intent is Intent.ANSWER:
            return extractive_answer(ctx, question, analysis, doc_ids, routing, earlier, stage, again)
        found = _try(ctx, intent, question, analysis, doc_ids)
        if found is not None:
            return found
    raise AssertionError("intents() always ends with Intent.ANSWER")


def _try(ctx: Context, intent: Intent, question: str, analysis: QueryAnalysis,
         doc_ids: tuple[str, ...]) -> Answer | None:
    if intent is Intent.CLAUSE_LOOKUP:
        if not doc_ids and other_documents(analysis.topic, [m.title for m in ctx.corpus.catalog.docs]):
            return None  # "《国家…办法》第十五条": another document's article, which the answer refuses
        return lookup(ctx, analysis, doc_ids)
    if intent in (Intent.DOCUMENT_STATUS, Intent.DOCUMENT_BASIS):
        return document_answer(ctx, analysis, doc_ids, status=intent is Intent.DOCUMENT_STATUS)
    if intent is Intent.CHECKLIST:
        if FIRST_STEP.search(question) and not wants_whole_lifecycle(question) and names_a_stage(ctx, analysis.topic):
            # "验收怎么走？先做什么后做什么", "建完了第一步干嘛": where to start within the stage it
            # names, or after the one it says is done — not the first stage of the lifecycle.
            return None
        checklist = build_checklist(ctx, question, doc_ids)
        return checklist.to_answer(first_step=bool(FIRST_STEP.search(question))) if checklist is not None else None
    return None
