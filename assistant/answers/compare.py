"""Cities side by side: a topic × city table of each city's governing clause(s), with the key
figures (amounts, percentages, durations, dates, counts) pulled out — and "no provision" said as
such. Topics are data (corpus/topics.yaml); a free question maps onto topics, or is answered per
city by retrieval."""

from __future__ import annotations

import csv
import html
import io
import unicodedata
from dataclasses import dataclass, field

from assistant.answers.ask import answer as route_answer
from assistant.answers.context import Context
from assistant.answers.extractive import best_clauses, named_topics
from assistant.answers.lead import lead
from assistant.answers.notes import status_note
from assistant.answers.records import Answer
from assistant.answers.request import Asked, Request, understand
from assistant.answers.topics import match_topics
from assistant.corpus.maps import Stage
from assistant.corpus.model import DocMeta
from assistant.errors import NotFound
from assistant.search.scope import resolve_city
from assistant.text import HALF_YEAR, find_quantities

NO_PROVISION = "未作规定"
_EXCERPT_CHARS = 220
# Figures worth pulling out; counts only of people (专家3人以上): "二次开发", "一次" are prose.
_FIGURE_KINDS = frozenset({"money", "percent", "duration", "date"})


CELL_CLAUSES = 2  # clauses quoted in one city's cell


@dataclass(frozen=True)
class Excerpt:
    """One clause in a cell: the clause, the part of it that speaks to the topic, and its figures."""

    article: str          # the clause's label (第十九条)
    part: str             # the 款/项 that answers (第十九条第二款), or the clause
    excerpt: str          # that part's text (cut to _EXCERPT_CHARS)
    text: str             # the clause's full text
    figures: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # figure positions in `excerpt`, for highlighting

    def to_json(self) -> dict:
        return {"article": self.article, "part": self.part, "excerpt": self.excerpt, "text": self.text,
                "figures": list(self.figures)}


@dataclass(frozen=True)
class Cell:
    doc_id: str
    city: str
    findings: tuple[Excerpt, ...]  # empty: the document has no provision on the topic
    source: str                    # "curated" | "retrieved"

    @property
    def provided(self) -> bool:
        return bool(self.findings)

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "city": self.city, "provided": self.provided, "source": self.source,
                "clauses": [f.to_json() for f in self.findings]}


@dataclass(frozen=True)
class Row:
    topic: str
    cells: tuple[Cell, ...]

    def to_json(self) -> dict:
        return {"topic": self.topic, "cells": [c.to_json() for c in self.cells]}


@dataclass
class Comparison:
    docs: list[DocMeta]
    rows: list[Row]
    question: str | None = None
    # "topics": rows are topics of corpus/topics.yaml; "question": per-city retrieval; "refused": the
    # question is one 问答 refuses (no rows; the reason is the first note)
    matched: str = "topics"
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"question": self.question, "matched": self.matched,
                "cities": [{"doc_id": m.doc_id, "city": m.city, "title": m.title, "status": m.status.value}
                           for m in self.docs],
                "rows": [r.to_json() for r in self.rows], "notes": self.notes}

    def to_csv(self) -> str:
        """One line per topic, one column per city; a cell lists its clauses and their figures."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["主题"] + [f"{m.city}《{m.title}》" for m in self.docs])
        for row in self.rows:
            writer.writerow([_inert(row.topic)] + [_inert(_cell_text(c)) for c in row.cells])
        return out.getvalue()

    def to_markdown(self) -> str:
        """A Markdown table, figures in bold, followed by the documents' status notes."""
        head = "| 主题 | " + " | ".join(f"{m.city}" for m in self.docs) + " |"
        lines = [head, "|" + " --- |" * (len(self.docs) + 1)]
        for row in self.rows:
            cells = [_md(c) for c in row.cells]
            lines.append(f"| {_escape(row.topic)} | " + " | ".join(cells) + " |")
        sources = "；".join(f"{m.city}：《{m.title}》" for m in self.docs)
        lines += ["", f"来源：{sources}"] + ([""] + self.notes if self.notes else [])
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """An HTML table for the UI: figures marked, each clause expandable to its full text."""
        head = "".join(f"<th>{html.escape(m.city)}<br><small>{html.escape(m.title)}</small></th>" for m in self.docs)
        body = []
        for row in self.rows:
            cells = "".join(f"<td>{_html_cell(c)}</td>" for c in row.cells)
            body.append(f"<tr><th scope='row'>{html.escape(row.topic)}</th>{cells}</tr>")
        notes = "".join(f"<p class='note'>{html.escape(n)}</p>" for n in self.notes)
        return (f"<table class='compare'><thead><tr><th>主题</th>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>{notes}")


def _cell_text(cell: Cell) -> str:
    if not cell.findings:
        return NO_PROVISION
    parts = []
    for f in cell.findings:
        figures = f"〔{'、'.join(f.figures)}〕" if f.figures else ""
        parts.append(f"{f.part}{figures}：{f.excerpt}")
    return "\n".join(parts)


def _escape(text: str) -> str:
    # Text from a question or a clause is text, never markup in whatever renders the table.
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", "<br>")


# A spreadsheet reads a cell starting with these as a formula (=HYPERLINK(…), @SUM, -2+3+cmd|…).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character is quoted with '."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _marked(finding: Excerpt, open_: str, close: str, escape) -> str:
    out, at = [], 0
    for start, end in finding.spans:
        out += [escape(finding.excerpt[at:start]), open_, escape(finding.excerpt[start:end]), close]
        at = end
    out.append(escape(finding.excerpt[at:]))
    return "".join(out)


def _md(cell: Cell) -> str:
    if not cell.findings:
        return f"*{NO_PROVISION}*"
    return "<br>".join(f"**{f.part}**：{_marked(f, '**', '**', _escape)}" for f in cell.findings)


def _html_cell(cell: Cell) -> str:
    if not cell.findings:
        return f"<span class='none'>{NO_PROVISION}</span>"
    blocks = []
    for f in cell.findings:
        blocks.append(
            f"<div class='finding'><b>{html.escape(f.part)}</b>："
            f"{_marked(f, '<mark>', '</mark>', html.escape)}"
            f"<details><summary>全文</summary>{html.escape(f.text)}</details></div>")
    return "".join(blocks)


def excerpt(article: str, part: str, excerpt: str, text: str) -> Excerpt:
    """A Excerpt with its figures located: every quantity of the excerpt (NFKC-normalised, as the
    quantity finder reads it), and 半年."""
    if len(excerpt) > _EXCERPT_CHARS:
        excerpt = excerpt[:_EXCERPT_CHARS] + "……"
    # Quantities are found in the NFKC form; where that keeps every offset (full-width digits and
    # punctuation map one to one) the original text is shown, else the normalised one.
    norm = unicodedata.normalize("NFKC", excerpt)
    if len(norm) != len(excerpt):
        excerpt = norm
    spans = sorted({(q.start, q.end) for q in find_quantities(excerpt) if q.kind in _FIGURE_KINDS or q.unit == "人"}
                   | {(m.start(), m.end()) for m in HALF_YEAR.finditer(excerpt)})
    merged: list[tuple[int, int]] = []
    for start, end in spans:  # a range (12至24个月) is found as two quantities over one span
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    figures = tuple(dict.fromkeys(excerpt[s:e] for s, e in merged))
    return Excerpt(article=article, part=part, excerpt=excerpt, text=text, figures=figures, spans=tuple(merged))


# Asks a topic's curated clauses do not aim at: who does it, who pays, what follows a breach,
# whether something holds (a topic's cells do show its periods, dates and amounts).
_NOT_A_TOPIC_AT_LARGE = frozenset({Asked.WHO, Asked.PAYER, Asked.CONSEQUENCE, Asked.WHETHER, Asked.CHOICE})
# How rare a word before a topic's name must be to make it a narrower thing (延期 of 延期验收; 项目
# of 项目申报 is not).
_NARROWING_IDF = 1.5


class Comparer:
    """Builds comparisons over the corpus of a Context. Topics come from corpus/topics.yaml."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.topics: list[Stage] = ctx.topics
        # Every name of a topic or a stage (试运行, 验收, 竣工验收 …)
        self._topic_words = frozenset(k for t in (*ctx.topics, *ctx.stages) for k in (t.name, *t.aliases))

    @property
    def topic_names(self) -> list[str]:
        return [t.name for t in self.topics]

    def topic(self, name: str) -> Stage:
        for t in self.topics:
            if name == t.name or name in t.aliases:
                return t
        raise NotFound(f"没有名为“{name}”的对比主题。可选主题：{'、'.join(self.topic_names)}")

    def docs(self, cities: list[str] | None, question: str | None = None) -> list[DocMeta]:
        """The documents to compare: the cities asked for (each resolved, unknown ones named in
        the error), else those the question names, else every document."""
        corpus = self.ctx.corpus
        if cities:
            ids = [d for city in cities for d in resolve_city(self.ctx.analyzer, corpus.catalog, city).doc_ids]
        elif question:
            ids = list(self.ctx.analyzer.analyze(question).doc_ids) or list(corpus.documents)
        else:
            ids = list(corpus.documents)
        return [corpus.documents[d].meta for d in dict.fromkeys(ids)]

    def match_topics(self, question: str) -> list[Stage]:
        return match_topics(self.topics, self.ctx.corpus.catalog.docs, question)

    def compare(self, topics: list[str] | None = None, question: str | None = None,
                cities: list[str] | None = None) -> Comparison:
        """Rows for the named topics (all topics when neither topics nor question is given); a
        question maps onto the topics it names, or is itself the one row, answered per city."""
        docs = self.docs(cities, question)
        notes = [n for n in dict.fromkeys(status_note(m, self.ctx.today) for m in docs) if n]
        unknown = self.ctx.analyzer.analyze(question).unknown_places if question and not cities else ()
        if unknown:
            # "成都和六安…": the city the corpus lacks is named back, never silently dropped.
            known = "、".join(m.city for m in self.ctx.corpus.catalog.docs)
            notes.insert(0, f"语料库中没有{'、'.join(unknown)}的办法（目前收录：{known}），表中只列已收录的城市。")
        if topics:
            chosen = [self.topic(t) for t in topics]
        elif question:
            answer = self._asked(question, docs, bool(cities))
            if not answer.answerable:
                # 问答 refuses it: 城市对比 does not answer it either (the same reading of the question).
                refused = answer.answer.split("目前收录的办法")[0].strip()
                return Comparison(docs=docs, rows=[], question=question, matched="refused", notes=[refused, *notes])
            chosen = self.match_topics(question)
            # (A question naming more than its topics — 源代码 beside 知识产权 — is answered as
            # 问答 answers it, as is one asking one thing of a topic.)
            request = understand(self.ctx.analyzer.analyze(question).topic)
            if not chosen or self._asks_of_a_topic(question, request) or not named_topics(self.ctx, request, chosen):
                # Each city's cell quotes what 问答 cites for it: one reading, one choice of clause.
                row = Row(topic=question, cells=tuple(self._answered(answer, question, m) for m in docs))
                return Comparison(docs=docs, rows=[row], question=question, matched="question", notes=notes)
        else:
            chosen = list(self.topics)
        rows = [Row(topic=t.name, cells=tuple(self._cell(t, m) for m in docs)) for t in chosen]
        return Comparison(docs=docs, rows=rows, question=question, notes=notes)

    def _asks_of_a_topic(self, question: str, request: Request) -> bool:
        """Whether the question asks one thing of a topic (who organises 验收, what follows a
        breach, how long, by when) rather than the topic at large ("试运行的要求有啥不一样"): then
        the topic's curated clauses are not the answer; what 问答 cites for each city is."""
        if set(request.asked) & _NOT_A_TOPIC_AT_LARGE:
            return True
        # Or something narrower than the topic, in one word: 延期验收 is not 验收 at large (竣工验收,
        # a stage's own name, and 项目申报 are).
        keys, idf = self._topic_words, self.ctx.matcher.idf
        for w, _ in self.ctx.matcher.tokenizer.terms(question):
            if w in keys or w not in idf:
                continue
            for k in keys:
                rest = w.replace(k, "") if k in w else ""
                if rest and idf.get(rest, 0.0) >= _NARROWING_IDF:
                    return True
        return False

    def _asked(self, question: str, docs: list[DocMeta], named: bool) -> Answer:
        """The question as 问答 answers it for these cities."""
        analysis = self.ctx.analyzer.analyze(question)
        doc_ids = tuple(m.doc_id for m in docs) if named else analysis.doc_ids
        return route_answer(self.ctx, question, analysis, doc_ids)

    def _answered(self, answer: Answer, question: str, meta: DocMeta) -> Cell:
        """A city's cell from the clauses 问答 cites for it (at most CELL_CLAUSES); a city it cites
        nothing of has no provision on the question. An answer citing no city's clause (one read
        another way, a checklist) leaves the cell to retrieval."""
        if not answer.citations:
            return self._retrieved(question, meta)
        labels = [c.article for c in answer.citations if c.doc_id == meta.doc_id][:CELL_CLAUSES]
        analysis = self.ctx.analyzer.analyze(question)
        findings = []
        for label in dict.fromkeys(labels):
            clause = self.ctx.corpus.clause(meta.doc_id, label)
            part, parts = lead(self.ctx.matcher, analysis, clause)
            findings.append(excerpt(clause.label, part, "".join(parts), clause.text))
        return Cell(meta.doc_id, meta.city, tuple(findings), "retrieved")

    def _cell(self, topic: Stage, meta: DocMeta) -> Cell:
        if meta.doc_id in topic.clauses:
            findings = []
            for label in topic.clauses[meta.doc_id]:
                clause = self.ctx.corpus.clause(meta.doc_id, label)
                part, parts = lead(self.ctx.matcher, self.ctx.analyzer.analyze(topic.query), clause)
                findings.append(excerpt(clause.label, part, "".join(parts), clause.text))
            return Cell(meta.doc_id, meta.city, tuple(findings), "curated")
        return self._retrieved(topic.query, meta, text_words=True)

    def _retrieved(self, query: str, meta: DocMeta, text_words: bool = False) -> Cell:
        found = best_clauses(self.ctx, query, meta.doc_id, text_words=text_words)
        return Cell(meta.doc_id, meta.city,
                    tuple(excerpt(c.label, part, lead, c.text) for c, part, lead in found), "retrieved")
