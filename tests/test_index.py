"""The on-disk index against the real Chroma and bm25s: manifest, swaps, rebuilds, damage."""

import json
import os
import shutil
from datetime import date

import numpy as np
import pytest

from assistant.assistant import Assistant
from assistant.corpus.loader import load_corpus
from assistant.search.embedders import UseEmbedder
from assistant.errors import IndexNotBuilt
from assistant.search.index import build_index, current_build, expected_manifest, load_index, make_tokenizer


def test_manifest_records_what_the_index_was_built_from(assistant):
    manifest = assistant.index.manifest
    assert manifest["clauses"] == len(assistant.index.clauses) > 200
    assert manifest["embedder"] == "use-m3"
    assert manifest["tokenizer"]["jieba"] == "0.42.1"
    assert set(manifest["documents"]) == {"luan-2021", "leshan-2022", "shangcheng-draft", "qidong-2019"}
    assert assistant.index.collection.count() == manifest["clauses"]
    meta = assistant.index.collection.get(ids=["luan-2021/第九条"], include=["metadatas"])["metadatas"][0]
    assert meta["city"] == "六安市" and meta["label"] == "第九条" and meta["status"] == "现行"
    assert meta["chapter"] == "第二章 申报和立项管理"


def test_missing_index_says_what_to_run(tmp_path):
    with pytest.raises(IndexNotBuilt, match="regassist index"):
        load_index(tmp_path / "nowhere")


def test_corpus_change_rebuilds_the_index(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    first = Assistant.open(corpus_copy, index_dir, today=date(2026, 11, 25))
    old_build = first.index.path
    assert not first.search("量子加密专线", k=3, city="六安")[0].clause.text.count("量子加密专线")
    path = corpus_copy / "luan-2021.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("市审计局负责电子政务项目审计监督工作。",
                                 "市审计局负责电子政务项目审计监督工作，并检查量子加密专线。"), encoding="utf-8")
    second = Assistant.open(corpus_copy, index_dir, today=date(2026, 11, 25))
    assert second.index.path != old_build
    assert second.index.manifest["corpus_hash"] != first.index.manifest["corpus_hash"]
    top = second.search("量子加密专线", k=3, city="六安")[0]
    assert top.clause.label == "第五条" and "量子加密专线" in top.clause.text
    # only the changed clause was embedded again; every other vector is the one built before
    assert first.index.manifest["embedded"] == first.index.manifest["clauses"]
    assert second.index.manifest["embedded"] == 1
    unchanged = first.index.collection.get(ids=["leshan-2022/第三十一条"], include=["embeddings"])["embeddings"][0]
    again = second.index.collection.get(ids=["leshan-2022/第三十一条"], include=["embeddings"])["embeddings"][0]
    assert np.array_equal(np.asarray(unchanged), np.asarray(again))
    # the previous build is kept (requests in flight may still read it); CURRENT names the new one
    assert current_build(index_dir) == second.index.path and old_build.exists()


class _FailingEmbedder(UseEmbedder):
    """The real embedder, made to fail once the build is under way (a crash mid-build: the BM25
    part is already written)."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("simulated crash while embedding")
        return super().embed(texts)


def test_a_crash_mid_build_leaves_the_previous_build_in_use(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    corpus = load_corpus(corpus_copy)
    tokenizer = make_tokenizer(corpus.catalog)
    good = build_index(corpus_copy, index_dir, tokenizer, UseEmbedder())
    shutil.rmtree(index_dir / "vectors")  # nothing to reuse: the next build embeds, and crashes doing it
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(corpus_copy, index_dir, tokenizer, _FailingEmbedder())
    assert current_build(index_dir) == good
    assert not [p for p in (index_dir / "builds").iterdir() if p.name.startswith(".tmp-")]
    loaded = load_index(index_dir, expected_manifest(corpus.catalog, tokenizer, UseEmbedder()))
    assert loaded.path == good


def test_damaged_index_is_detected_and_rebuilt(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    first = Assistant.open(corpus_copy, index_dir)
    shutil.rmtree(first.index.path / "bm25")
    corpus = load_corpus(corpus_copy)
    tokenizer = make_tokenizer(corpus.catalog)
    with pytest.raises(IndexNotBuilt, match="damaged"):
        load_index(index_dir, expected_manifest(corpus.catalog, tokenizer, UseEmbedder()))
    again = Assistant.open(corpus_copy, index_dir)
    assert again.index.path != first.index.path
    assert again.ask("乐山试运行多久才能验收？").answerable


def test_a_build_without_manifest_is_never_served(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    build = build_index(corpus_copy, index_dir, make_tokenizer(load_corpus(corpus_copy).catalog), UseEmbedder())
    (build / "manifest.json").unlink()
    with pytest.raises(IndexNotBuilt):
        load_index(index_dir)


def test_vectors_in_chroma_are_the_embedder_s(assistant):
    got = assistant.index.collection.get(ids=["leshan-2022/第三十一条"], include=["embeddings"])
    stored = np.asarray(got["embeddings"][0], dtype=np.float32)
    assert stored.shape == (512,) and abs(float(np.linalg.norm(stored)) - 1.0) < 1e-3
    assert json.loads((assistant.index.path / "manifest.json").read_text(encoding="utf-8"))["embedder"] == "use-m3"


@pytest.mark.parametrize("damage", ["{not json", "", "[]", '{"clauses": "many"}'])
def test_a_damaged_manifest_is_rebuilt_not_a_crash(corpus_copy, tmp_path, damage):
    index_dir = tmp_path / "index"
    first = Assistant.open(corpus_copy, index_dir)
    (first.index.path / "manifest.json").write_text(damage, encoding="utf-8")
    corpus = load_corpus(corpus_copy)
    with pytest.raises(IndexNotBuilt, match="damaged"):
        load_index(index_dir, expected_manifest(corpus.catalog, make_tokenizer(corpus.catalog), UseEmbedder()))
    again = Assistant.open(corpus_copy, index_dir)
    assert again.index.path != first.index.path and again.ask("乐山试运行多久才能验收？").answerable


def _scribble_npy(build):
    path = build / "bm25" / "data.csc.index.npy"
    data = bytearray(path.read_bytes())
    data[-4096:] = os.urandom(4096)  # same size, other bytes
    path.write_bytes(bytes(data))


def _edit_article(build):
    path = build / "corpus" / "leshan-2022.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("3 个月", "1 个月"), encoding="utf-8")


def _break_a_rule_quote(build):
    path = next((build / "corpus" / "rules").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("quote: ", "quote: 改过的", 1), encoding="utf-8")


def _add_a_file(build):
    (build / "bm25" / "extra.npy").write_bytes(b"\x93NUMPY")


def _garble_the_checksums(build):
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = {name: 1 for name in manifest["files"]}
    (build / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _rewrite_the_parsed_documents(build):
    path = build / "parsed" / "documents.pkl"
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")


@pytest.mark.parametrize("damage", [_scribble_npy, _edit_article, _break_a_rule_quote, _add_a_file,
                                    _garble_the_checksums, _rewrite_the_parsed_documents])
def test_content_damage_is_rebuilt_never_served(corpus_copy, tmp_path, damage):
    """The manifest records each file's size and digest: a build whose BM25 arrays or corpus
    snapshot changed after it was built is damaged, and the next start builds a new one."""
    index_dir = tmp_path / "index"
    first = Assistant.open(corpus_copy, index_dir)
    damage(first.index.path)
    corpus = load_corpus(corpus_copy)
    with pytest.raises(IndexNotBuilt, match="damaged"):
        load_index(index_dir, expected_manifest(corpus.catalog, make_tokenizer(corpus.catalog), UseEmbedder()))
    again = Assistant.open(corpus_copy, index_dir)
    assert again.index.path != first.index.path
    answer = again.ask("乐山试运行多久才能验收？")
    assert "3 个月" in answer.answer or "3个月" in answer.answer
    assert all(h.score < 1e6 for h in again.search("乐山试运行多久", k=3))


def test_a_file_changed_after_a_verified_load_is_still_caught(corpus_copy, tmp_path):
    """A load hashes only files whose stats differ from when their digest last matched: a file
    rewritten with its size and modification time put back still differs (its ctime, which no
    tool sets back), and is hashed and caught."""
    index_dir = tmp_path / "index"
    first = Assistant.open(corpus_copy, index_dir)
    stamp = json.loads((first.index.path / "verified.json").read_text(encoding="utf-8"))
    assert set(stamp) == set(first.index.manifest["files"])
    expected = expected_manifest(first.corpus.catalog, first.tokenizer, UseEmbedder())
    assert load_index(index_dir, expected).manifest == first.index.manifest  # unchanged: served
    path = first.index.path / "corpus" / "leshan-2022.txt"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("3 个月", "1 个月"), encoding="utf-8")  # same size in UTF-8
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    with pytest.raises(IndexNotBuilt, match="leshan-2022.txt changed"):
        load_index(index_dir, expected)


def test_a_build_keeps_its_parsed_documents_and_loads_them_instead_of_parsing(assistant, tmp_path):
    build = assistant.index.path
    assert (build / "parsed" / "documents.pkl").is_file() and "parsed/documents.pkl" in assistant.index.manifest["files"]
    parsed = load_corpus(build / "corpus")
    assert assistant.corpus.catalog == parsed.catalog  # the records, rooted at the build's copy
    assert [c.id for c in assistant.corpus.clauses] == [c.id for c in parsed.clauses]
    assert all(a.text == b.text and a.paragraphs == b.paragraphs for a, b in zip(assistant.corpus.clauses, parsed.clauses))
    # A build made before the parsed documents were kept still loads, by parsing.
    older = tmp_path / "index"
    shutil.copytree(build.parent.parent, older)
    kept = current_build(older) / "parsed"
    shutil.rmtree(kept)
    manifest_path = current_build(older) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = {k: v for k, v in manifest["files"].items() if not k.startswith("parsed/")}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    index = load_index(older, expected_manifest(load_corpus(build / "corpus").catalog, assistant.tokenizer, UseEmbedder()))
    assert [c.id for c in index.corpus.clauses] == [c.id for c in parsed.clauses]
