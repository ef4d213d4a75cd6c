from pathlib import Path

import pytest

from assistant.corpus.catalog import load_catalog
from assistant.errors import CatalogError
from assistant.corpus.model import Status

from conftest import DOC_IDS


def test_catalog_lists_the_four_documents(corpus_dir):
    catalog = load_catalog(corpus_dir)
    assert tuple(m.doc_id for m in catalog.docs) == DOC_IDS
    leshan = catalog.get("leshan-2022")
    assert leshan.valid_until is not None and leshan.valid_until.isoformat() == "2027-06-24"
    assert catalog.get("shangcheng-draft").status is Status.DRAFT
    assert catalog.get("qidong-2019").doc_number == "启政办发〔2019〕64号"
    assert catalog.get("luan-2021").repeals == ("六安市政务信息化项目管理办法（六政办〔2020〕20号）",)
    assert "六安" in catalog.get("luan-2021").names


def _rewrite(corpus: Path, old: str, new: str) -> None:
    path = corpus / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old,new,message", [
    ("    title: 乐山市市级政务信息化项目管理办法\n", "", "missing required field.*title"),
    ("doc_id: qidong-2019", "doc_id: luan-2021", "duplicate doc_id 'luan-2021'"),
    ("status: 暂行", "status: 试行", "现行 / 暂行 / 征求意见稿 / 废止"),
    ("issue_date: 2019-08-13", "issue_date: 2019年8月13日", "qidong-2019: issue_date"),
    ("    province: 四川省\n", "    province: 四川省\n    mayor: 张三\n", "unknown field.*mayor"),
], ids=["missing-field", "duplicate-id", "bad-status", "bad-date", "unknown-field"])
def test_catalog_errors_name_the_entry_and_field(corpus_copy, old, new, message):
    _rewrite(corpus_copy, old, new)
    with pytest.raises(CatalogError, match=message):
        load_catalog(corpus_copy)


def test_missing_file_is_named(corpus_copy):
    (corpus_copy / "qidong-2019.txt").unlink()
    with pytest.raises(CatalogError, match="file not found.*qidong-2019.txt"):
        load_catalog(corpus_copy)


def test_an_edit_is_read_even_when_the_catalog_was_read_before(corpus_copy, tmp_path, monkeypatch):
    # The validated records are kept in the user's cache, keyed by the catalog's bytes: an edit of
    # the same length, in the same second, is read; an error in it is still reported.
    monkeypatch.setenv("REGASSIST_CACHE_DIR", str(tmp_path / "cache"))
    path = corpus_copy / "catalog.yaml"
    first = load_catalog(corpus_copy)
    assert list((tmp_path / "cache" / "catalogs").iterdir())
    title = first.docs[0].title
    path.write_text(path.read_text(encoding="utf-8").replace(title, title[:-1] + "X", 1), encoding="utf-8")
    assert load_catalog(corpus_copy).docs[0].title == title[:-1] + "X"
    path.write_text(path.read_text(encoding="utf-8").replace("doc_id:", "doc_idx:", 1), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(corpus_copy)
