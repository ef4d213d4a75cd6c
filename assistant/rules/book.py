"""Where the numbers live: every quantitative provision of a document as data (corpus/rules/<doc_id>.yaml),
each resting on a verbatim quote that must be in its article — checked at load, naming the rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from assistant.corpus.catalog import RULES_DIR, safe_yaml
from assistant.corpus.loader import Corpus
from assistant.corpus.model import clause_id
from assistant.errors import RuleError
from assistant.text import normalize

KINDS = frozenset({"threshold", "ratio", "duration", "deadline", "count"})
COMPARATORS = frozenset({">=", ">", "<=", "<", "=="})
FACTS = frozenset({"amount", "change_ratio", "amount_share", "approval_date"})


@dataclass(frozen=True)
class Rule:
    id: str
    doc_id: str
    article: str
    quote: str
    kind: str
    topics: tuple[str, ...]
    value: float
    unit: str
    upper: float | None = None
    applies_to: str | None = None
    comparator: str | None = None
    then: str | None = None
    otherwise: str | None = None
    statement: str | None = None
    refers: tuple[str, ...] = ()  # other articles its conclusion relies on (cited with it)
    only_if: str | None = None    # a project condition the provision is limited to (new_build)

    @property
    def clause_id(self) -> str:
        return clause_id(self.doc_id, self.article)

    @property
    def quantity_text(self) -> str:
        value = f"{self.value:g}"
        return f"{value}至{self.upper:g}{self.unit}" if self.upper is not None else f"{value}{self.unit}"


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    exceptions: dict[str, dict[str, str]]  # doc_id → {article label: why no rule}

    def for_docs(self, doc_ids) -> list[Rule]:
        wanted = set(doc_ids)
        return [r for r in self.rules if r.doc_id in wanted]


def load_rules(corpus: Corpus, folder: Path | None = None) -> RuleBook:
    folder = folder or corpus.catalog.root / RULES_DIR
    rules: list[Rule] = []
    exceptions: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    for doc_id, doc in corpus.documents.items():
        path = folder / f"{doc_id}.yaml"
        if not path.is_file():
            continue
        data = safe_yaml(path.read_text(encoding="utf-8")) or {}
        exceptions[doc_id] = {str(k): str(v) for k, v in (data.get("exceptions") or {}).items()}
        for raw in data.get("rules") or []:
            rule = _parse(raw, doc_id, path.name)
            if rule.id in seen:
                raise RuleError(f"{path.name}: duplicate rule id {rule.id}")
            seen.add(rule.id)
            clause = next((c for c in doc.clauses if c.label == rule.article), None)
            if clause is None:
                raise RuleError(f"{path.name}: rule {rule.id} cites {rule.article}, which {doc_id} does not have")
            if normalize(rule.quote) not in normalize(clause.text):
                raise RuleError(f"{path.name}: rule {rule.id}: quote not found in {doc_id} {rule.article}: {rule.quote}")
            for label in rule.refers:
                if not any(c.label == label for c in doc.clauses):
                    raise RuleError(f"{path.name}: rule {rule.id} refers to {label}, which {doc_id} does not have")
            rules.append(rule)
    return RuleBook(rules=tuple(rules), exceptions=exceptions)


def _parse(raw: dict, doc_id: str, where: str) -> Rule:
    try:
        rule_id = str(raw["id"])
        quantity = raw["quantity"]
        kind = str(raw["kind"])
    except (KeyError, TypeError) as exc:
        raise RuleError(f"{where}: each rule needs id, article, quote, kind and quantity ({exc})") from exc
    if kind not in KINDS:
        raise RuleError(f"{where}: rule {rule_id}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    comparator = raw.get("comparator")
    if comparator is not None and comparator not in COMPARATORS:
        raise RuleError(f"{where}: rule {rule_id}: comparator {comparator!r} is not one of {', '.join(sorted(COMPARATORS))}")
    applies_to = raw.get("applies_to")
    if applies_to is not None and applies_to not in FACTS:
        raise RuleError(f"{where}: rule {rule_id}: applies_to {applies_to!r} is not one of {', '.join(sorted(FACTS))}")
    return Rule(
        id=rule_id, doc_id=doc_id, article=str(raw["article"]), quote=str(raw["quote"]), kind=kind,
        topics=tuple(str(t) for t in raw.get("topics") or ()), value=float(quantity["value"]),
        unit=str(quantity["unit"]), upper=float(quantity["upper"]) if "upper" in quantity else None,
        applies_to=applies_to, comparator=comparator, then=raw.get("then"), otherwise=raw.get("otherwise"),
        statement=raw.get("statement"), refers=tuple(str(r) for r in raw.get("refers") or ()),
        only_if=_condition(raw.get("only_if"), rule_id, where))


CONDITIONS = frozenset({"new_build"})


def _condition(value, rule_id: str, where: str) -> str | None:
    if value is not None and value not in CONDITIONS:
        raise RuleError(f"{where}: rule {rule_id}: only_if {value!r} is not one of {', '.join(sorted(CONDITIONS))}")
    return value
