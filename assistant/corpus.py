"""The parsed corpus: documents by id, clauses in index order, lookup by label."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, load_catalog
from .errors import NotFound, ParseError
from .model import Document, Paragraph, Part
from .parser import parse_document
from .text import fold


def read_source(path: Path) -> str:
    """Corpus texts are stored as UTF-8 (`regassist ingest` converts other encodings)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"{path}: not UTF-8 (byte {exc.start}); add it with `regassist ingest {path}` to convert it") from exc


@dataclass
class Corpus:
    catalog: Catalog
    documents: dict[str, Document]
    clauses: list[Part] = field(default_factory=list)
    _by_id: dict[str, Part] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clauses = [c for d in self.documents.values() for c in d.clauses]
        self._by_id = {c.id: c for c in self.clauses}

    def document(self, doc_id: str) -> Document:
        try:
            return self.documents[doc_id]
        except KeyError:
            known = "、".join(self.documents)
            raise NotFound(f"没有编号为 {doc_id!r} 的文件。可用的文件：{known}") from None

    def clause(self, doc_id: str, label: str) -> Part:
        """A clause by label (第九条, 附件4·四、验收条件, 第五章·项目申报·第2段); whitespace and
        full/half-width differences in the label are ignored."""
        doc = self.document(doc_id)
        found = self._by_id.get(f"{doc_id}/{label}")
        if found is None:
            wanted = fold(label).replace(":", "·").replace(".", "·")
            found = next((c for c in doc.clauses if fold(c.label) == wanted), None)
        if found is None:
            sample = "、".join(c.label for c in doc.clauses[:5])
            raise NotFound(
                f"《{doc.meta.title}》中没有“{label}”。该文件共 {len(doc.clauses)} 个条款，例如：{sample} …")
        return found

    def paragraph(self, doc_id: str, label: str) -> tuple[Part, Paragraph | None]:
        """Resolve 第三十一条第二款 / 第十一条第五项 to (article, paragraph-or-None)."""
        for clause in self.document(doc_id).clauses:
            for para in clause.paragraphs:
                if para.label == label:
                    return clause, para
        raise NotFound(f"《{self.documents[doc_id].meta.title}》中没有“{label}”。")

    def by_id(self, clause_id: str) -> Part:
        return self._by_id[clause_id]


def load_corpus(root: Path | str) -> Corpus:
    catalog = load_catalog(root)
    documents = {}
    for meta in catalog.docs:
        documents[meta.doc_id] = parse_document(meta, read_source(catalog.path(meta)))
    return Corpus(catalog=catalog, documents=documents)
