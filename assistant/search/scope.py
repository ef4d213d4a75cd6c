"""Which documents a request is about, resolved once at the edge: from a city name, a doc_id, or
the places a question names. Layers below take doc_ids and never turn them back into names."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.corpus.catalog import Catalog
from assistant.errors import NotFound
from assistant.search.query import Analyzer


@dataclass(frozen=True)
class Scope:
    doc_ids: tuple[str, ...] = ()  # empty: every document (or, for a question, the places it names)


def resolve_city(analyzer: Analyzer, catalog: Catalog, city: str) -> Scope:
    """A city name in any spelling the catalog knows (六安, 六安市, 杭州上城区) → its documents."""
    found = analyzer.analyze(city).doc_ids
    if not found:
        known = "、".join(m.city for m in catalog.docs)
        raise NotFound(f"语料库中没有“{city}”的办法。目前收录：{known}")
    return Scope(found)

