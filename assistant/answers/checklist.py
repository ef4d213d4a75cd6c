"""The lifecycle of a project, per document: 申报 → 审查 → 立项 → 采购 → 建设 → 验收 → 运维 → 评价,
each stage with its clause (corpus/checklist.yaml, else retrieval), the rule conclusions for the
project's facts and the document's time limits. A record first; text is rendered from it."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answers.context import Context
from assistant.answers.lead import lead
from assistant.answers.notes import status_note
from assistant.answers.records import Answer, AnswerKind, Citation, cite
from assistant.corpus.maps import Stage
from assistant.corpus.model import DocMeta, Part
from assistant.rules.evaluate import RuleConclusion, check_every
from assistant.rules.facts import Facts, extract_facts

CHECKLIST_CHARS = 150  # a stage's lead text is cut to this many characters


@dataclass(frozen=True)
class ChecklistItem:
    stage: str
    label: str | None = None        # the 款/项 that answers; None: the document has no provision
    text: str = ""

    def line(self) -> str:
        if self.label is None:
            return f"{self.stage}：该文件未作规定"
        return f"{self.stage}（{self.label}）：{self.text}"


@dataclass(frozen=True)
class TimeLimit:
    statement: str
    article: str


@dataclass(frozen=True)
class DocChecklist:
    meta: DocMeta
    conclusions: tuple[RuleConclusion, ...]
    items: tuple[ChecklistItem, ...]
    limits: tuple[TimeLimit, ...]
    citations: tuple[Citation, ...]
    note: str | None = None

    def lines(self) -> list[str]:
        """The bullets of this document's checklist, in order (without the bullet mark)."""
        out = [f"计算：{c.computation}：{c.text}（{c.rule.article}）" for c in self.conclusions]
        out += [item.line() for item in self.items]
        if self.limits:
            out.append("时限：" + "；".join(f"{t.statement}（{t.article}）" for t in self.limits))
        return out


@dataclass(frozen=True)
class Checklist:
    question: str
    docs: tuple[DocChecklist, ...]

    def to_answer(self, first_step: bool = False) -> Answer:
        """The checklist as an answer. `first_step`: the question asks where to start ("第一步干嘛"),
        so the first line names each document's first stage that has a provision."""
        blocks, notes, citations, checks = [], [], [], []
        if not first_step:
            # The first line answers: the stages in order, each with a provision below.
            for doc in self.docs:
                stages = list(dict.fromkeys(i.stage for i in doc.items if i.label is not None))
                if stages:
                    city = f"【{doc.meta.city}】" if len(self.docs) > 1 else f"{doc.meta.city}的项目"
                    blocks.append(f"{city}依次经过：{' → '.join(stages)}（各环节的条文见下）。")
            blocks = ["\n".join(blocks)] if blocks else []
        if first_step:
            for doc in self.docs:
                first = next((i for i in doc.items if i.label is not None), None)
                if first is not None:
                    city = f"【{doc.meta.city}】" if len(self.docs) > 1 else ""
                    blocks.append(f"{city}第一步是{first.stage}（{first.label}）：{first.text}")
        for doc in self.docs:
            blocks.append("\n".join([f"【{doc.meta.city}】《{doc.meta.title}》"] + [f"· {x}" for x in doc.lines()]))
            checks += doc.conclusions
            citations += doc.citations
            if doc.note and doc.note not in notes:
                notes.append(doc.note)
        unique = list({(c.doc_id, c.article): c for c in citations}.values())
        text = "\n\n".join(blocks) + ("\n\n" + "\n".join(notes) if notes else "")
        return Answer(question=self.question, answer=text, answerable=True, citations=unique, checks=checks,
                      kind=AnswerKind.CHECKLIST)


def build_checklist(ctx: Context, question: str, doc_ids: tuple[str, ...] = (),
                    facts: Facts | None = None) -> Checklist | None:
    """Each document in scope (every document when none is named), side by side."""
    if not ctx.stages:
        return None
    facts = extract_facts(question) if facts is None else facts
    return Checklist(question, tuple(_doc_checklist(ctx, doc_id, facts)
                                     for doc_id in (doc_ids or tuple(ctx.corpus.documents))))


def clauses_for_stage(ctx: Context, stage: Stage, doc_id: str) -> list[Part]:
    """The clauses that govern a stage in a document: the curated ones (corpus/checklist.yaml), else
    the best retrieved for the stage's words (a new city works with its text alone); none when
    the document has no provision."""
    clauses = [ctx.corpus.clause(doc_id, label) for label in stage.clauses.get(doc_id, ())]
    if clauses or doc_id in stage.clauses:
        return clauses  # an empty curated entry: the document has no provision
    hits = ctx.searcher.search(ctx.analyzer.analyze(stage.query), 1, (doc_id,))
    return [h.clause for h in hits if h.score > 0][:1]


def _doc_checklist(ctx: Context, doc_id: str, facts: Facts) -> DocChecklist:
    meta = ctx.corpus.documents[doc_id].meta
    citations: list[Citation] = []
    conclusions = tuple(check_every(ctx.rules, (doc_id,), facts))
    citations += [cite(meta, ctx.corpus.clause(doc_id, c.rule.article)) for c in conclusions]
    items = []
    for stage in ctx.stages:
        stage_analysis = ctx.analyzer.analyze(stage.query)
        clauses = clauses_for_stage(ctx, stage, doc_id)
        if not clauses:
            items.append(ChecklistItem(stage.name))
            continue
        for clause in clauses:
            label, parts = lead(ctx.matcher, stage_analysis, clause)
            text = "".join(parts)
            text = text if len(text) <= CHECKLIST_CHARS else text[:CHECKLIST_CHARS] + "……"
            items.append(ChecklistItem(stage.name, label, text))
            citations.append(cite(meta, clause))
    timed = [r for r in ctx.rules.for_docs((doc_id,)) if r.kind in ("deadline", "duration") and r.statement]
    citations += [cite(meta, ctx.corpus.clause(doc_id, r.article)) for r in timed]
    return DocChecklist(meta, conclusions, tuple(items), tuple(TimeLimit(r.statement, r.article) for r in timed),
                        tuple(citations), status_note(meta, ctx.today))
