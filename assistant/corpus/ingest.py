"""Adding a document: read .txt (UTF-8 or GB18030/GBK, detected), .docx or .pdf; check that it
parses; write it to the corpus as UTF-8; add its catalog entry. Nothing changes if any step fails."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.corpus.catalog import CATALOG_FILE, append_entry, load_catalog, parse_entry
from assistant.errors import IngestError, ParseError
from assistant.corpus.parser import parse_document


@dataclass(frozen=True)
class Extracted:
    text: str
    encoding: str  # utf-8 | gb18030 | … | docx | pdf


def read_text_file(path: Path) -> Extracted:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return Extracted(data[3:].decode("utf-8"), "utf-8-sig")
    try:
        return Extracted(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(f"{path}: cannot tell the text encoding — save it as UTF-8 and try again")
    encoding = best.encoding.lower()
    if encoding in ("gbk", "gb2312", "cp936", "hz"):
        encoding = "gb18030"  # the superset: never loses a character GBK could hold
    try:
        return Extracted(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        raise IngestError(f"{path}:{line}: not decodable as {encoding} — save it as UTF-8") from exc


def read_docx(path: Path) -> Extracted:
    from docx import Document as Docx

    doc = Docx(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return Extracted("\n".join(lines), "docx")


def read_pdf(path: Path) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n\n".join(pages)
    if not text.strip():
        raise IngestError(f"{path}: the PDF has no text layer (a scan?) — OCR it first")
    return Extracted(text, "pdf")


def extract(path: Path) -> Extracted:
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in (".txt", ".text", ""):
        return read_text_file(path)
    raise IngestError(f"{path}: unsupported file type {suffix!r}; use .txt, .docx or .pdf")


_TITLE = re.compile(r"^\S.{2,40}(?:办法|细则|规定|制度)(?:（[^）]*）)?$")


def guess_title(text: str) -> str | None:
    for line in text.splitlines():
        s = re.sub(r"\s+", "", line)
        if _TITLE.match(s) and "关于" not in s and "通知" not in s:
            return s
    return None


def ingest(path: Path, corpus_dir: Path, *, city: str, doc_id: str, title: str | None = None,
           status: str = "现行", province: str | None = None, level: str | None = None,
           doc_number: str | None = None, issuer: str | None = None, issue_date: date | None = None,
           aliases: tuple[str, ...] = ()) -> dict:
    """Add `path` to the corpus; returns the new catalog entry."""
    catalog = load_catalog(corpus_dir)
    if any(m.doc_id == doc_id for m in catalog.docs):
        raise IngestError(f"doc_id {doc_id!r} is already in the catalog; choose another --doc-id")
    extracted = extract(path)
    title = title or guess_title(extracted.text)
    if not title:
        raise IngestError(f"{path}: no title found (a line ending in 办法); give --title")
    file_name = f"{doc_id}.txt"
    if (corpus_dir / file_name).exists():
        raise IngestError(f"{corpus_dir / file_name} already exists; choose another --doc-id")
    entry = {"doc_id": doc_id, "file": file_name, "city": city, "aliases": list(aliases),
             "province": province, "level": level, "title": title, "doc_number": doc_number,
             "issuer": issuer, "issue_date": issue_date.isoformat() if issue_date else None,
             "effective_date": None, "status": status, "valid_until": None, "repeals": []}
    meta = parse_entry(entry, f"new document {doc_id}")
    try:
        parse_document(meta, extracted.text)
    except ParseError as exc:
        raise IngestError(f"{path}: {exc}") from exc
    catalog_path = corpus_dir / CATALOG_FILE
    before = catalog_path.read_text(encoding="utf-8")
    (corpus_dir / file_name).write_text(extracted.text, encoding="utf-8")
    try:
        append_entry(corpus_dir, entry)
        load_catalog(corpus_dir)
    except Exception:
        catalog_path.write_text(before, encoding="utf-8")
        (corpus_dir / file_name).unlink(missing_ok=True)
        raise
    return entry | {"encoding": extracted.encoding}
