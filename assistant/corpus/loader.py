"""The parsed corpus: documents by id, clauses in index order, lookup by label."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.catalog import Catalog, load_catalog
from assistant.errors import NotFound, ParseError
from assistant.corpus.model import Document, Paragraph, Part
from assistant.corpus.parser import parse_document
from assistant.text import fold


def read_source(path: Path, shown: Path | None = None) -> str:
    """Corpus texts are stored as UTF-8 (`regassist ingest` converts other encodings). Errors name
    `shown` (the file as the user knows it) and the line."""
    shown = shown or path
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ParseError(
            f"{shown}:{line}: 不是 UTF-8 编码（第 {line} 行，字节 {exc.start}）；"
            f"请用 `regassist ingest {shown}` 转换后加入") from exc


@dataclass
class Corpus:
    catalog: Catalog
    documents: dict[str, Document]
    clauses: list[Part] = field(default_factory=list)
    _by_id: dict[str, Part] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # clause id → its place in `clauses`

    def __post_init__(self) -> None:
        self.clauses = [c for d in self.documents.values() for c in d.clauses]
        ids = [c.id for c in self.clauses]  # made once: 0.1 s a time at 100,000 clauses
        self._by_id = dict(zip(ids, self.clauses))
        self.rows = dict(zip(ids, range(len(ids))))

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


def load_corpus(root: Path | str, shown_root: Path | None = None) -> Corpus:
    """Parse every document of the catalog at `root`; errors name files under `shown_root` (the
    corpus the user edits, when `root` is a build's copy of it)."""
    catalog = load_catalog(root)
    documents = {}
    for meta in catalog.docs:
        path = catalog.path(meta)
        shown = Path(shown_root) / meta.file if shown_root else path
        try:
            documents[meta.doc_id] = parse_document(meta, read_source(path, shown))
        except ParseError as exc:
            message = str(exc)
            if message.startswith(meta.file):
                message = message[len(meta.file):].lstrip(": ")
                message = f"{shown}:{message}" if message[:1].isdigit() else f"{shown}: {message}"
            raise ParseError(message if message.startswith(str(shown)) else f"{shown}: {message}") from exc
    return Corpus(catalog=catalog, documents=documents)
