"""Clauses named by reference — 第三十一条, 第九条第三款, 附件4 — answered verbatim by lookup."""

from __future__ import annotations

from assistant.answers.context import Context
from assistant.answers.notes import refusal, status_note, where
from assistant.answers.records import Answer, cite
from assistant.corpus.model import DocMeta, Document, Part
from assistant.search.matching import Matcher
from assistant.search.query import QueryAnalysis
from assistant.text import int_to_cn


def article_count(doc: Document) -> int:
    return sum(1 for c in doc.clauses if c.label.startswith("第") and c.label.endswith("条"))


def order_by_question(matcher: Matcher, analysis: QueryAnalysis, parts: list[Part]) -> list[Part]:
    """The sections of a referenced attachment: all in order when the question only names it
    ("启东附件4"), else the two that fit the rest of the question best ("附件4验收条件有哪些")."""
    rest = [w for w, _, _ in matcher.question_terms(analysis) if w not in ("附件",) and not w.isdigit()]
    if len(parts) < 2 or not rest:
        return parts
    score = matcher.scorer(analysis)
    ranked = sorted(parts, key=lambda c: -matcher.fit(score, c))
    best = matcher.fit(score, ranked[0])
    return [c for c in ranked[:2] if matcher.fit(score, c) >= 0.8 * best] if best > 0 else parts


def referenced(ctx: Context, analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> list[Part]:
    """The clauses a question names by number, in the documents in scope."""
    if not (analysis.article_refs or analysis.attachment_refs):
        return []
    docs = [ctx.corpus.documents[d] for d in (doc_ids or tuple(ctx.corpus.documents))]
    out: list[Part] = []
    for ref in analysis.article_refs:
        if 0 < ref.number < 10_000:
            label = f"第{int_to_cn(ref.number)}条"
            out += [c for d in docs for c in d.clauses if c.label == label]
    for number in analysis.attachment_refs:
        out += [c for d in docs for c in d.clauses if c.label.startswith(f"附件{number}")]
    return out


def lookup(ctx: Context, analysis: QueryAnalysis, doc_ids: tuple[str, ...]) -> Answer | None:
    """第X条 / 第X条第Y款 / 附件N: answered by direct lookup, verbatim."""
    docs = [ctx.corpus.documents[d] for d in (doc_ids or tuple(ctx.corpus.documents))]
    found: list[tuple[DocMeta, Part, str]] = []
    missing: list[str] = []
    for ref in analysis.article_refs:
        label = f"第{int_to_cn(ref.number)}条" if 0 < ref.number < 10_000 else ref.text
        for doc in docs:
            clause = next((c for c in doc.clauses if c.label == label), None)
            if clause is None:
                missing.append(f"《{doc.meta.title}》没有{label}（共{article_count(doc)}条）")
                continue
            shown = clause.label
            if ref.paragraph or ref.item:
                want = label + (f"第{int_to_cn(ref.paragraph)}款" if ref.paragraph else "")
                want += f"第{int_to_cn(ref.item)}项" if ref.item else ""
                if any(p.label == want or any(i.label == want for i in p.items) for p in clause.paragraphs):
                    shown = want
            found.append((doc.meta, clause, shown))
    for number in analysis.attachment_refs:
        for doc in docs:
            parts = [c for c in doc.clauses if c.label.split("·")[0] == f"附件{number}"]
            parts = order_by_question(ctx.matcher, analysis, parts)
            found += [(doc.meta, c, c.label) for c in parts]
            if not parts:
                have = sorted({c.label.split("·")[0] for c in doc.clauses if c.label.startswith("附件")})
                missing.append(f"《{doc.meta.title}》没有附件{number}" + (f"（有{'、'.join(have)}）" if have else "（无附件）"))
    if not found:
        if missing and doc_ids:
            return refusal(analysis.question, "；".join(missing) + "。", list(ctx.corpus.catalog.docs))
        return None
    if not doc_ids and len({m.doc_id for m, _, _ in found}) > 1 and not analysis.compare:
        header = "问题未指明城市，以下列出各文件中的对应条款：\n"
    else:
        header = ""
    blocks, notes = [], []
    for meta, clause, shown in found:
        text = clause.text
        if shown != clause.label:
            para = next((p for p in clause.paragraphs if p.label == shown), None)
            item = next((i for p in clause.paragraphs for i in p.items if i.label == shown), None)
            text = (para.text if para else item.text if item else clause.text)
        blocks.append(f"{where(meta, shown)}（{meta.city}）：\n{text}")
        note = status_note(meta, ctx.today)
        if note and note not in notes:
            notes.append(note)
    text = header + "\n\n".join(blocks) + ("\n\n" + "\n".join(notes) if notes else "")
    citations = [cite(meta, clause) for meta, clause, _ in found]
    return Answer(question=analysis.question, answer=text, answerable=True, citations=citations)
