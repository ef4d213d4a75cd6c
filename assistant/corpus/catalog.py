"""The corpus catalog: which documents exist, for which city, in which state of validity."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from assistant.errors import CatalogError
from assistant.files import written_whole
from assistant.corpus.model import DocMeta, Status

CATALOG_FILE = "catalog.yaml"
LEXICON_DIR = "lexicon"
RULES_DIR = "rules"
CHECKLIST_FILE = "checklist.yaml"
TOPICS_FILE = "topics.yaml"  # comparison topics (城市对比)
MAP_FILES = (CHECKLIST_FILE, TOPICS_FILE)  # topic → clause maps, part of a build
REQUIRED = ("doc_id", "file", "city", "title", "status")
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE_FIELDS = ("issue_date", "effective_date", "valid_until")
_KNOWN = set(REQUIRED) | set(_DATE_FIELDS) | {
    "aliases", "province", "parent", "level", "doc_number", "issuer", "repeals"}


@dataclass(frozen=True)
class Catalog:
    root: Path
    docs: tuple[DocMeta, ...]

    def get(self, doc_id: str) -> DocMeta:
        for meta in self.docs:
            if meta.doc_id == doc_id:
                return meta
        known = "、".join(m.doc_id for m in self.docs)
        raise KeyError(f"unknown doc_id {doc_id!r}; known: {known}")

    def path(self, meta: DocMeta) -> Path:
        return self.root / meta.file

    def fingerprint(self) -> str:
        """Hash of everything a build is made from: catalog, texts, lexicon and rule files."""
        h = hashlib.sha256()
        files = [self.root / CATALOG_FILE] + [self.path(m) for m in self.docs]
        files += [self.root / name for name in MAP_FILES if (self.root / name).is_file()]
        for folder in (LEXICON_DIR, RULES_DIR):
            if (self.root / folder).is_dir():
                files += sorted(p for p in (self.root / folder).rglob("*") if p.is_file())
        for path in files:
            h.update(str(path.relative_to(self.root)).encode())
            h.update(path.read_bytes())
        return h.hexdigest()[:16]


def _as_date(value, doc_id: str, key: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CatalogError(f"{doc_id}: {key} must be an ISO date (YYYY-MM-DD), got {value!r}") from exc


def parse_entry(entry: dict, where: str) -> DocMeta:
    """Validate one catalog entry; errors name the entry and the field."""
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: each document must be a mapping of fields")
    missing = [k for k in REQUIRED if not entry.get(k)]
    if missing:
        raise CatalogError(f"{where}: missing required field(s): {', '.join(missing)}")
    doc_id = str(entry["doc_id"])
    if not _DOC_ID.match(doc_id):
        raise CatalogError(f"{where}: doc_id {doc_id!r} must be lowercase ASCII letters, digits and '-'")
    unknown = sorted(set(entry) - _KNOWN)
    if unknown:
        raise CatalogError(f"{doc_id}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KNOWN))}")
    try:
        status = Status(entry["status"])
    except ValueError as exc:
        allowed = " / ".join(s.value for s in Status)
        raise CatalogError(f"{doc_id}: status {entry['status']!r} is not one of {allowed}") from exc
    return DocMeta(
        doc_id=doc_id,
        file=str(entry["file"]),
        city=str(entry["city"]),
        title=str(entry["title"]),
        status=status,
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        province=entry.get("province"),
        parent=entry.get("parent"),
        level=entry.get("level"),
        doc_number=entry.get("doc_number"),
        issuer=entry.get("issuer"),
        repeals=tuple(str(r) for r in entry.get("repeals") or ()),
        **{k: _as_date(entry.get(k), doc_id, k) for k in _DATE_FIELDS},
    )


# libyaml's safe loader when PyYAML has it (its wheels do): a catalog of 1,852 documents loads in
# 0.6 s instead of 3.7 s, a third of a cold start at 100k clauses. Same safe subset of YAML.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_yaml(text: str):
    """YAML's safe subset, read by libyaml when PyYAML has it (the catalog, the lexicon, the maps
    and the rules of a large corpus are read at every start)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def load_catalog(root: Path | str) -> Catalog:
    """Load and validate `root/catalog.yaml`: required fields, unique doc_ids, files present."""
    root = Path(root)
    path = root / CATALOG_FILE
    if not path.is_file():
        raise CatalogError(f"no catalog at {path} — create it (see corpus/catalog.yaml in the repo)")
    cached = _cache_file(path)
    docs = _read_cached(cached) if cached else None
    if docs is None:
        docs = _parse_catalog(path)
        if cached:
            _write_cached(cached, docs)
    for meta in docs:
        if not (root / meta.file).is_file():
            raise CatalogError(f"{meta.doc_id}: file not found: {root / meta.file}")
    return Catalog(root=root, docs=docs)


# A catalog's validated records are kept in the user's cache: reading 1,852 entries of YAML takes
# ~0.7 s at every start, their pickle a hundredth.

def _cache_file(catalog_file: Path) -> Path | None:
    """Keyed by the catalog's bytes and the record's fields: an edit, even within the second, or
    another version of DocMeta is read from the YAML."""
    from assistant.settings import default_cache_dir

    try:
        key = hashlib.blake2b(catalog_file.read_bytes(), digest_size=16)
    except OSError:
        return None
    key.update(" ".join(DocMeta.__dataclass_fields__).encode())
    return default_cache_dir(dict(os.environ)) / "catalogs" / f"{key.hexdigest()}.pkl"


def _read_cached(path: Path) -> tuple[DocMeta, ...] | None:
    try:
        with path.open("rb") as fh:
            docs = pickle.load(fh)
    except Exception:  # absent, or written by another version: read the YAML
        return None
    return docs if isinstance(docs, tuple) and all(isinstance(m, DocMeta) for m in docs) else None


def _write_cached(path: Path, docs: tuple[DocMeta, ...]) -> None:
    try:
        with written_whole(path) as fh:
            pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:  # the cache is an optimisation only
        pass


def _parse_catalog(path: Path) -> tuple[DocMeta, ...]:
    try:
        data = safe_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{path}: expected a non-empty list under 'documents:'")
    docs: list[DocMeta] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries, 1):
        meta = parse_entry(entry, f"{path.name} document #{i}")
        if meta.doc_id in seen:
            raise CatalogError(
                f"{path.name}: duplicate doc_id {meta.doc_id!r} (documents #{seen[meta.doc_id]} and #{i})")
        seen[meta.doc_id] = i
        docs.append(meta)
    return tuple(docs)


def append_entry(root: Path, entry: dict) -> None:
    """Add an entry to the catalog file, keeping the existing text (and its comments) as is."""
    path = root / CATALOG_FILE
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=None)
    indented = "\n".join(("  " + line) if line else line for line in block.splitlines())
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" + indented + "\n")
