"""The sentences every answer shares: where a quote comes from, what the reader must know about
the document's validity, and a plain refusal naming what the corpus holds."""

from __future__ import annotations

from datetime import date
from typing import Sequence

from assistant.answers.records import Answer
from assistant.corpus.model import DocMeta, Status
from assistant.text import cn_date


def status_note(meta: DocMeta, today: date) -> str | None:
    """What a reader must know about the document's validity before relying on it."""
    if meta.status is Status.DRAFT:
        return f"注意：《{meta.title}》为征求意见稿，尚未正式施行，条文可能调整。"
    if meta.status is Status.REPEALED:
        return f"注意：《{meta.title}》已废止，仅供参考。"
    if meta.valid_until is not None:
        until = cn_date(meta.valid_until)
        if meta.valid_until < today:
            return f"注意：《{meta.title}》的有效期已于{until}届满，请核实是否已有新规定。"
        return f"《{meta.title}》有效期至{until}。"
    if meta.status is Status.INTERIM:
        return f"《{meta.title}》为暂行办法。"
    return None


def where(meta: DocMeta, label: str) -> str:
    return f"《{meta.title}》{label}"


def refusal(question: str, reason: str, covered: list[DocMeta],
            related: Sequence[tuple[DocMeta, str]] = ()) -> Answer:
    """A plain refusal. `related`: the nearest provisions, named as further reading — they share
    the question's words but do not say what it asks, so they are not cited as its answer."""
    cities = "、".join(f"{m.city}（{m.status.value}）" if m.status is Status.DRAFT else m.city for m in covered)
    text = f"{reason}目前收录的办法：{cities}。请换一种问法，或指明城市与环节。"
    if related:
        text += "\n相关条款（未规定所问内容，仅供参考）：" + "；".join(where(m, label) for m, label in related) + "。"
    return Answer(question=question, answer=text, answerable=False)


def catalog_dates(meta: DocMeta) -> str:
    """The dates of a document's catalog entry, as answers write them (backed for the guard)."""
    return " ".join(cn_date(d) for d in (meta.issue_date, meta.effective_date, meta.valid_until) if d)
