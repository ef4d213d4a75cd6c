"""Topic maps: which clauses of each document speak to a lifecycle stage (corpus/checklist.yaml)
or a comparison topic (corpus/topics.yaml). Data, checked against the parsed corpus at load."""

from __future__ import annotations

from dataclasses import dataclass


from assistant.corpus.catalog import CHECKLIST_FILE, safe_yaml
from assistant.corpus.loader import Corpus
from assistant.errors import RuleError


@dataclass(frozen=True)
class Stage:
    """A named topic of a document's lifecycle (a checklist stage or a comparison topic): plain
    words to find each document's clause by retrieval, and curated clauses where known."""

    name: str
    query: str
    clauses: dict[str, tuple[str, ...]]  # doc_id → curated clause labels (empty: no provision)
    aliases: tuple[str, ...] = ()        # how users name it ("试运行期限", "试运行多久")


def load_stages(corpus: Corpus, file: str = CHECKLIST_FILE, key: str = "stages", name: str = "stage") -> list[Stage]:
    """A topic → clause map (corpus/checklist.yaml, corpus/topics.yaml; empty if absent), its labels checked."""
    path = corpus.catalog.root / file
    if not path.is_file():
        return []
    data = safe_yaml(path.read_text(encoding="utf-8")) or {}
    stages = []
    for raw in data.get(key) or []:
        try:
            stage = Stage(str(raw[name]), str(raw["query"]),
                          {str(d): tuple(str(x) for x in labels or ()) for d, labels in (raw.get("clauses") or {}).items()},
                          tuple(str(a) for a in raw.get("aliases") or ()))
        except (KeyError, TypeError, AttributeError) as exc:
            raise RuleError(f"{path.name}: each entry of '{key}' needs '{name}' and 'query' ({exc})") from exc
        for doc_id, labels in stage.clauses.items():
            doc = corpus.documents.get(doc_id)
            if doc is None:
                raise RuleError(f"{path.name}: {name} {stage.name}: unknown doc_id {doc_id}")
            known = {c.label for c in doc.clauses}
            for label in labels:
                if label not in known:
                    raise RuleError(f"{path.name}: {name} {stage.name}: {doc_id} has no clause {label}")
        stages.append(stage)
    return stages
