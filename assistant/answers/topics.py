"""The comparison topics a free question names (corpus/topics.yaml): "比较各地试运行期限" → 试运行.
Shared by 城市对比 (rows) and 问答 (a compared city the retrieval finds nothing for falls back to
the topic's curated clauses), so the two views read a question the same way."""

from __future__ import annotations

import re

from assistant.corpus.maps import Stage
from assistant.corpus.model import DocMeta
from assistant.text import normalize

# Words that make a question a comparison and say nothing about its topic.
_FRAME = re.compile(r"比较|对比|比一比|各地|各个城市|各城市|几个城市|有什么|有何|哪些|不同|区别|差异|异同|的|一下|规定|要求|？|\?")


def match_topics(topics: list[Stage], docs: list[DocMeta], question: str) -> list[Stage]:
    """Topics a free question names, longest name first wins a shared word; none when the
    question names no topic. `docs`: the catalog, whose place names are not topic words."""
    q = normalize(question)
    for meta in docs:
        for name in meta.names:
            q = q.replace(name, "")
    q = _FRAME.sub(" ", q)
    found: list[Stage] = []
    spans: list[tuple[int, int]] = []
    keys = sorted(((k, t) for t in topics for k in (t.name, *t.aliases)), key=lambda kt: -len(kt[0]))
    for key, topic in keys:
        at = q.find(key)
        if at < 0 or any(s < at + len(key) and at < e for s, e in spans):
            continue
        spans.append((at, at + len(key)))
        if topic not in found:
            found.append(topic)
    return found
