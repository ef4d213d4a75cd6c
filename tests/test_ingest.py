"""Adding a city is data: a file and a catalog entry. Encodings are detected, not assumed."""

from datetime import date

import pytest

from assistant.corpus.catalog import load_catalog
from assistant.assistant import Assistant
from assistant.errors import IngestError
from assistant.corpus.ingest import extract, ingest

SAMPLE = """某某市政务信息化项目管理办法

第一章 总则
第一条 为规范本市政务信息化项目管理，制定本办法。
第二条 项目建设单位应当在每年6月底前完成项目申报。
第二章 验收管理
第三条 项目建设完成后，应当开展不少于2个月的试运行。
第四条 本办法自发布之日起施行。
"""


def test_gbk_file_is_detected_and_stored_as_utf8(corpus_copy, tmp_path):
    src = tmp_path / "mouxian.txt"
    src.write_bytes(SAMPLE.encode("gbk"))
    assert extract(src).encoding == "gb18030"
    entry = ingest(src, corpus_copy, city="某某市", doc_id="mouxian-2024", status="现行")
    assert entry["title"] == "某某市政务信息化项目管理办法"
    assert (corpus_copy / "mouxian-2024.txt").read_text(encoding="utf-8") == SAMPLE
    catalog = load_catalog(corpus_copy)
    assert catalog.get("mouxian-2024").city == "某某市"
    # the new city is answerable after the (automatic) rebuild, with no code change
    a = Assistant.open(corpus_copy, tmp_path / "index", today=date(2026, 11, 25))
    answer = a.ask("某某市试运行多久？")
    assert answer.answerable and answer.citations[0].doc_id == "mouxian-2024"
    assert "2个月" in answer.answer


def test_docx_text_is_read(corpus_copy, tmp_path):
    from docx import Document

    doc = Document()
    for line in SAMPLE.splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "mouxian.docx"
    doc.save(str(path))
    entry = ingest(path, corpus_copy, city="某某市", doc_id="mouxian-docx")
    assert entry["encoding"] == "docx"
    assert "第三条" in (corpus_copy / "mouxian-docx.txt").read_text(encoding="utf-8")


def test_file_with_no_articles_is_rejected_and_nothing_changes(corpus_copy, tmp_path):
    before = (corpus_copy / "catalog.yaml").read_text(encoding="utf-8")
    src = tmp_path / "notes.txt"
    src.write_text("某某市政务信息化项目管理办法\n会议纪要：大家讨论了很多事情。\n", encoding="utf-8")
    with pytest.raises(IngestError, match="没有找到任何条款"):
        ingest(src, corpus_copy, city="某某市", doc_id="notes")
    assert (corpus_copy / "catalog.yaml").read_text(encoding="utf-8") == before
    assert not (corpus_copy / "notes.txt").exists()


def test_duplicate_doc_id_is_rejected(corpus_copy, tmp_path):
    src = tmp_path / "x.txt"
    src.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(IngestError, match="already in the catalog"):
        ingest(src, corpus_copy, city="某某市", doc_id="luan-2021")


def test_unsupported_type_says_what_works(tmp_path):
    src = tmp_path / "x.xls"
    src.write_bytes(b"\x00\x01")
    with pytest.raises(IngestError, match=r"\.txt, \.docx or \.pdf"):
        extract(src)


def test_pdf_text_layer_is_read(corpus_copy, tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a CID font: no font file needed
    path = tmp_path / "mouxian.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    y = 800
    for line in SAMPLE.splitlines():
        c.drawString(40, y, line)
        y -= 18
    c.save()
    entry = ingest(path, corpus_copy, city="某某市", doc_id="mouxian-pdf")
    assert entry["encoding"] == "pdf"
    text = (corpus_copy / "mouxian-pdf.txt").read_text(encoding="utf-8")
    assert "第三条 项目建设完成后，应当开展不少于2个月的试运行。" in text


def test_pdf_without_text_layer_says_to_ocr(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 100, 100)  # drawing only, no text
    c.save()
    with pytest.raises(IngestError, match="no text layer"):
        extract(path)
