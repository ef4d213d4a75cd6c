"""The on-disk index: Chroma (dense) beside bm25s (sparse), with a manifest and whole-build swaps.

Layout under the index directory:
    CURRENT                    name of the build in use (replaced atomically)
    builds/<name>/manifest.json   written last: a build without it is incomplete and never served;
                                  it holds each file's size and BLAKE2b digest, checked at load
    builds/<name>/corpus/         copy of the catalog, texts and lexicon the build was made from
    builds/<name>/bm25/           bm25s arrays over jieba tokens
    builds/<name>/chroma/         Chroma persistent store, collection "clauses" (embedded mode)

With a Chroma server (REGASSIST_CHROMA_URL) the vectors live there instead, one collection per
build ("regassist-<name>"), so several API workers share them; everything else stays on disk.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import bm25s
import chromadb
import numpy as np
from chromadb.config import Settings

from assistant.corpus.catalog import CATALOG_FILE, LEXICON_DIR, MAP_FILES, RULES_DIR, Catalog, load_catalog
from assistant.corpus.loader import Corpus, load_corpus
from assistant.search.embedders import Embedder
from assistant.errors import IndexNotBuilt, VectorStoreUnavailable
from assistant.corpus.model import DocMeta, Part
from assistant.search.tokenizer import Tokenizer, load_jieba_counts
from assistant.search.vectors import VectorCache, embed_new

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
COLLECTION = "clauses"
CURRENT = "CURRENT"
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def make_tokenizer(catalog: Catalog) -> Tokenizer:
    """The tokenizer for a corpus: its lexicon folder plus its place names as whole words."""
    names = tuple(n for m in catalog.docs for n in m.names)
    return Tokenizer(catalog.root / LEXICON_DIR, names)


def _heads(clause: Part) -> list[str]:
    heads = []
    if clause.chapter:
        heads.append(clause.chapter.split(" ", 1)[-1])
    if clause.section:
        heads.append(clause.section)
    return heads


def indexed_text(clause: Part) -> str:
    """What retrieval sees of a clause: its chapter and section titles, then its text."""
    return " ".join(_heads(clause) + [clause.text])


def passages(clauses: list[Part]) -> tuple[list[str], list[int]]:
    """BM25 passages and the clause row each belongs to: the whole clause, each of its 款 when it
    has several, and each 项 with the sentence that introduces it. A clause scores as its best
    passage, so one item of a ten-item article (乐山 第八条) is not drowned by the other nine."""
    texts: list[str] = []
    rows: list[int] = []
    for row, clause in enumerate(clauses):
        heads = _heads(clause)
        texts.append(" ".join(heads + [clause.text]))
        rows.append(row)
        paragraphs = clause.paragraphs
        for para in paragraphs:
            if len(paragraphs) > 1 or para.items:
                texts.append(" ".join(heads + [para.text] + [i.text for i in para.items]))
                rows.append(row)
            for item in para.items:
                texts.append(" ".join(heads + [para.text, item.text]))
                rows.append(row)
    return texts, rows


def expected_manifest(catalog: Catalog, tokenizer: Tokenizer, embedder: Embedder | None,
                      chroma_url: str | None = None) -> dict:
    """What a build must have been made from to be served: the catalog alone tells (no parsing)."""
    return {
        "schema": SCHEMA_VERSION,
        "corpus_hash": catalog.fingerprint(),
        "tokenizer": tokenizer.settings(),
        "embedder": embedder.name if embedder is not None else None,
        "vector_store": chroma_url or "embedded",
    }


def _matches(manifest: dict, expected: dict) -> bool:
    return all(manifest.get(k) == v for k, v in expected.items())


def chroma_client(path: Path, url: str | None = None):
    """The embedded persistent client under the build, or an HTTP client to a `chroma run` server
    (several processes may share a server; an embedded directory is not process-safe)."""
    settings = Settings(anonymized_telemetry=False)
    if not url:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise VectorStoreUnavailable(f"REGASSIST_CHROMA_URL 应形如 http://127.0.0.1:8001，而不是 {url!r}")
    try:
        return chromadb.HttpClient(host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 80),
                                   ssl=parsed.scheme == "https", settings=settings)
    except Exception as exc:
        raise VectorStoreUnavailable(f"无法连接 Chroma 服务 {url}（{exc}）— 请确认 `chroma run` 已启动") from exc


def collection_name(manifest: dict) -> str:
    return manifest.get("collection") or COLLECTION


@dataclass
class Index:
    """A loaded build: the corpus it was made from, its BM25 model and its Chroma collection."""

    path: Path
    manifest: dict
    corpus: Corpus
    bm25: bm25s.BM25
    collection: object | None  # chromadb Collection; None when built without an embedder
    row_of: dict[str, int]     # clause id → clause row
    passage_rows: "np.ndarray"  # BM25 passage → clause row

    @property
    def clauses(self) -> list[Part]:
        return self.corpus.clauses


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    names = pointer.read_text(encoding="utf-8").split()
    if not names:
        return None
    build = index_dir / "builds" / names[0]
    return build if (build / "manifest.json").is_file() else None


def _read_manifest(build: Path) -> dict:
    """The build's manifest; a file that is not a JSON object (truncated, emptied, replaced) makes
    the build damaged, to be rebuilt — never a traceback."""
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise IndexNotBuilt(f"index at {build} is damaged (manifest.json: {exc}) — run: regassist index") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("clauses"), int):
        raise IndexNotBuilt(f"index at {build} is damaged (manifest.json is not a build's manifest) — run: regassist index")
    return manifest


# Files a build's manifest vouches for: the corpus snapshot and the BM25 arrays. The embedded
# Chroma store is left out: SQLite rewrites its own files when opened; its clause count is checked.
_CHECKED = ("corpus", "bm25", "parsed")
_HASH_CHUNK = 1 << 20


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _checked_files(build: Path) -> dict[str, Path]:
    """The files of the build the manifest vouches for, by their path in the build."""
    return {path.relative_to(build).as_posix(): path for folder in _CHECKED
            for path in sorted((build / folder).rglob("*")) if path.is_file()}


def checksums(build: Path) -> dict[str, dict]:
    """Size and BLAKE2b digest of every file of the build that the manifest vouches for."""
    return {name: {"bytes": path.stat().st_size, "blake2b": _digest(path)}
            for name, path in _checked_files(build).items()}


# The files verified at an earlier load, by their stat: a file whose size, times and inode are
# those it had when its digest last matched is not read again (as git's index does). Editing,
# replacing or copying a file changes its ctime or inode, which no tool sets back.
_VERIFIED = "verified.json"


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _verified_stats(build: Path) -> dict:
    try:
        stamp = json.loads((build / _VERIFIED).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def verify(build: Path, manifest: dict) -> None:
    """IndexNotBuilt when a file of the build differs from what its manifest recorded (changed,
    missing, added), or the manifest records nothing (a build made before checksums). A file
    unchanged since its digest last matched (same size, times and inode) is not hashed again:
    at 100,000 clauses hashing the build's 220 MB takes 0.34 s, its stats 0.05 s (bench/startup.py)."""
    recorded = manifest.get("files")
    if not isinstance(recorded, dict) or not recorded:
        raise IndexNotBuilt(f"index at {build} has no checksums (built by an older version) — run: regassist index")
    found = _checked_files(build)
    verified = _verified_stats(build)
    stamp: dict[str, list] = {}
    for name in sorted(found.keys() | recorded.keys()):
        want, path = recorded.get(name), build / name
        if want is not None and not isinstance(want, dict):
            what = "recorded wrongly"
        elif want is None or name not in found:
            what = "added" if want is None else "missing"
        else:
            try:
                st = path.stat()
                key = [*_stat_key(st), want.get("blake2b")]
                changed = st.st_size != want.get("bytes") or (
                    verified.get(name) != key and _digest(path) != want.get("blake2b"))
            except OSError as exc:
                changed, name = True, f"{name} ({exc.strerror})"
            if not changed:
                stamp[name] = key
                continue
            what = "changed"
        raise IndexNotBuilt(f"index at {build} is damaged ({name} {what} since it was built) — run: regassist index")
    if stamp != verified:
        _write_verified(build, stamp)


def _write_verified(build: Path, stamp: dict) -> None:
    """Keep the stats of the files just verified; a read-only build is verified in full each time."""
    tmp = build / f".{_VERIFIED}.{uuid.uuid4().hex}"
    try:
        tmp.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(tmp, build / _VERIFIED)
    except OSError as exc:
        log.debug("could not keep the verified stats of %s: %s", build, exc)
        tmp.unlink(missing_ok=True)


_PARSED = Path("parsed") / "documents.pkl"
_PASSAGE_ROWS = Path("parsed") / "passage_rows.npy"


def _save_parsed(build: Path, corpus: Corpus, passage_rows: list[int]) -> None:
    """The catalog's records, then each parsed document, kept with the build: loading them takes
    a quarter of parsing the texts again (0.09 s against 0.39 s at 10,000 clauses), which a cold
    start pays at every size. One pickle per document: the unpickler's memo of every object it
    has made lives for one document, not for the corpus (about 90 MiB less at 100,000 clauses)."""
    (build / _PARSED).parent.mkdir()
    with (build / _PARSED).open("wb") as fh:
        pickle.dump(corpus.catalog.docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
        for document in corpus.documents.values():
            pickle.dump(document, fh, protocol=pickle.HIGHEST_PROTOCOL)
    # The clause each BM25 passage belongs to: cutting the clauses into passages again costs
    # ~0.35 s at 100,000 clauses.
    np.save(build / _PASSAGE_ROWS, np.asarray(passage_rows, dtype=np.int64), allow_pickle=False)


def _load_parsed(build: Path) -> Corpus | None:
    """The build's parsed documents (verified with the rest of its files), or None for a build
    made before they were kept."""
    path = build / _PARSED
    if not path.is_file():
        return None
    gc.disable()  # a few hundred thousand small objects: collecting while loading them triples the time
    try:
        with path.open("rb") as fh:
            docs = pickle.load(fh)
            if not (isinstance(docs, tuple) and all(isinstance(m, DocMeta) for m in docs)):
                return None  # kept in an earlier layout: parse the texts instead
            documents = [pickle.load(fh) for _ in docs]
    finally:
        # The loaded corpus lives as long as the process: a full collection walking its objects
        # again (about 0.5 s at 100,000 clauses, at the next burst of allocations) finds nothing.
        gc.freeze()
        gc.enable()
    if [d.meta.doc_id for d in documents] != [m.doc_id for m in docs]:
        raise IndexNotBuilt(f"index at {build} is damaged (parsed documents) — run: regassist index")
    # The catalog as parsed at build time (its YAML costs as much again to read at 100,000 clauses),
    # rooted at the build's copy of the corpus.
    return Corpus(catalog=Catalog(root=build / "corpus", docs=docs), documents={d.meta.doc_id: d for d in documents})


def load_index(index_dir: Path, expected: dict | None = None, chroma_url: str | None = None) -> Index:
    """Load the build CURRENT points to; IndexNotBuilt if there is none, it is incomplete, or it
    was built from another corpus / tokenizer / embedder than `expected`."""
    build = current_build(index_dir)
    if build is None:
        raise IndexNotBuilt(f"no index at {index_dir} — run: regassist index")
    manifest = _read_manifest(build)
    if expected is not None and not _matches(manifest, expected):
        changed = [k for k, v in expected.items() if manifest.get(k) != v]
        raise IndexNotBuilt(
            f"index at {index_dir} is stale ({', '.join(changed)} changed) — run: regassist index")
    verify(build, manifest)  # content damage is never served
    try:
        corpus = _load_parsed(build) or load_corpus(build / "corpus")
        bm25 = bm25s.BM25.load(str(build / "bm25"), load_corpus=False, show_progress=False)
    except Exception as exc:  # a damaged build is never served
        raise IndexNotBuilt(f"index at {build} is damaged ({exc}) — run: regassist index") from exc
    collection = _open_collection(build, manifest, chroma_url) if manifest.get("embedder") else None
    if len(corpus.clauses) != manifest["clauses"]:
        raise IndexNotBuilt(f"index at {build} is damaged (clause count) — run: regassist index")
    try:
        rows = np.load(build / _PASSAGE_ROWS, allow_pickle=False)
    except FileNotFoundError:  # a build made before the rows were kept
        rows = np.asarray(passages(corpus.clauses)[1], dtype=np.int64)
    if len(rows) != manifest.get("passages") or (len(rows) and not 0 <= rows.min() <= rows.max() < len(corpus.clauses)):
        raise IndexNotBuilt(f"index at {build} is damaged (passage count) — run: regassist index")
    return Index(path=build, manifest=manifest, corpus=corpus, bm25=bm25, collection=collection,
                 row_of=corpus.rows, passage_rows=rows)


def _open_collection(build: Path, manifest: dict, chroma_url: str | None):
    """The build's Chroma collection, holding as many clauses as the manifest says."""
    try:
        collection = chroma_client(build / "chroma", chroma_url).get_collection(collection_name(manifest))
        count = collection.count()
    except (IndexNotBuilt, VectorStoreUnavailable):
        raise
    except Exception as exc:
        if chroma_url and _unreachable(exc):
            raise VectorStoreUnavailable(
                f"无法连接 Chroma 服务 {chroma_url}（{type(exc).__name__}）— 请确认 `chroma run` 已启动") from exc
        raise IndexNotBuilt(f"index at {build} is damaged ({exc}) — run: regassist index") from exc
    if count != manifest["clauses"]:
        raise IndexNotBuilt(f"Chroma holds {count} clauses, manifest says {manifest['clauses']}")
    return collection


def _check_data(corpus: Corpus) -> None:
    """The rule files and topic maps must fit the texts (each quote in its article, each label a
    clause): a build that the server could not load never becomes current."""
    from assistant.corpus.catalog import CHECKLIST_FILE, TOPICS_FILE
    from assistant.corpus.maps import load_stages
    from assistant.rules.book import load_rules

    load_rules(corpus)
    load_stages(corpus, CHECKLIST_FILE)
    load_stages(corpus, TOPICS_FILE, key="topics", name="topic")


def _unreachable(exc: BaseException) -> bool:
    """A connection-level failure (server down), as opposed to a missing or damaged collection."""
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("connect", "timeout", "refused", "unreachable", "network"))


STORE_BATCH = 4096  # clauses per Chroma add (its own limit is larger; this bounds one request)


def build_index(corpus_dir: Path, index_dir: Path, tokenizer: Tokenizer, embedder: Embedder | None,
                progress: Progress = _no_progress, batch: int = 256, chroma_url: str | None = None) -> Path:
    """Build aside, then swap in whole: a crash mid-build leaves the previous build in use."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now

    catalog = load_catalog(corpus_dir)
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{name}"
    tmp.mkdir()
    try:
        _copy_corpus(catalog, tmp / "corpus")
        corpus = load_corpus(tmp / "corpus", shown_root=corpus_dir)  # parse once: exactly what will be served
        _check_data(corpus)
        clauses = corpus.clauses
        texts = [indexed_text(c) for c in clauses]
        passage_texts, passage_rows = passages(clauses)
        _save_parsed(tmp, corpus, passage_rows)
        lap("parse")

        tokens = tokenize_all(tokenizer, passage_texts, progress)
        lap("tokenize")
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        bm25.save(str(tmp / "bm25"), show_progress=False)
        del tokens
        progress("bm25", 1, 1)
        lap("bm25")

        cname = f"regassist-{name}" if chroma_url else COLLECTION
        if embedder is not None:
            client = chroma_client(tmp / "chroma", chroma_url)
            collection = client.create_collection(
                cname, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
            # Only texts no earlier build embedded are embedded: a new document costs its own clauses.
            vectors, embedded = embed_new(embedder, texts, VectorCache(index_dir, embedder.name), batch, progress)
            lap("embed")
            for start in range(0, len(clauses), STORE_BATCH):
                chunk = clauses[start:start + STORE_BATCH]
                collection.add(
                    ids=[c.id for c in chunk],
                    embeddings=vectors[start:start + STORE_BATCH],
                    documents=[c.text for c in chunk],
                    metadatas=[_metadata(corpus, c) for c in chunk],
                )
            lap("store")

        manifest = expected_manifest(corpus.catalog, tokenizer, embedder, chroma_url) | {
            "collection": cname,
            "clauses": len(clauses),
            "passages": len(passage_texts),
            "bm25": {"k1": bm25.k1, "b": bm25.b, "method": bm25.method},
            "documents": list(corpus.documents),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - started, 3),
            "timings": timings,
            "embedded": embedded if embedder is not None else 0,  # the rest reused from earlier builds
            "files": checksums(tmp),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                           encoding="utf-8")
        final = builds / name
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if chroma_url and embedder is not None:
            _drop_collections(chroma_url, [f"regassist-{name}"])
        raise
    _swap(index_dir, name)
    pruned = _prune(builds, keep={name, *_previous(index_dir, name)})
    if chroma_url:
        _drop_collections(chroma_url, [f"regassist-{n}" for n in pruned])
    return final


def _drop_collections(url: str, names: list[str]) -> None:
    """Remove the server collections of builds no longer kept (best effort: a server that is down
    keeps them until the next build)."""
    try:
        client = chroma_client(Path("."), url)
        existing = {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}
        for n in names:
            if n in existing:
                client.delete_collection(n)
    except Exception as exc:
        log.warning("could not remove old Chroma collections %s: %s", names, exc)


# Below this many passages one process tokenises faster than starting workers (jieba loads its
# dictionary in each, ~1 s).
PARALLEL_TOKENIZE_MIN = 20_000


def tokenize_all(tokenizer: Tokenizer, texts: list[str], progress: Progress = _no_progress) -> list[list[str]]:
    """BM25 tokens of every passage, on all CPU cores for a large corpus."""
    workers = os.cpu_count() or 1
    if len(texts) < PARALLEL_TOKENIZE_MIN or workers < 2:
        out = []
        for i, text in enumerate(texts, 1):
            out.append(tokenizer.tokens(text) or [""])
            if i % 500 == 0 or i == len(texts):
                progress("tokenize", i, len(texts))
        return out
    from concurrent.futures import ProcessPoolExecutor

    size = 2_000
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    out: list[list[str]] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                             initargs=(tokenizer.lexicon_dir, tokenizer.names)) as pool:
        for part in pool.map(_worker_tokens, chunks):
            out += part
            progress("tokenize", len(out), len(texts))
    return out


_WORKER: Tokenizer | None = None


def _worker_init(lexicon_dir, names) -> None:
    global _WORKER
    load_jieba_counts()  # millions of lookups: jieba's own dict
    _WORKER = Tokenizer(lexicon_dir, names)


def _worker_tokens(texts: list[str]) -> list[list[str]]:
    return [_WORKER.tokens(t) or [""] for t in texts]


def _metadata(corpus: Corpus, clause: Part) -> dict:
    meta = corpus.documents[clause.doc_id].meta
    return {
        "doc_id": clause.doc_id,
        "city": meta.city,
        "chapter": clause.chapter or "",
        "section": clause.section or "",
        "label": clause.label,
        "ordinal": clause.ordinal,
        "status": meta.status.value,
        "kind": clause.kind.value,
    }


def _copy_corpus(catalog: Catalog, dest: Path) -> None:
    src = catalog.root
    dest.mkdir(parents=True)
    shutil.copy2(src / CATALOG_FILE, dest / CATALOG_FILE)
    for meta in catalog.docs:
        target = dest / meta.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / meta.file, target)
    for folder in (LEXICON_DIR, RULES_DIR):
        if (src / folder).is_dir():
            shutil.copytree(src / folder, dest / folder)
    for name in MAP_FILES:
        if (src / name).is_file():
            shutil.copy2(src / name, dest / name)


def _swap(index_dir: Path, name: str) -> None:
    pointer = index_dir / CURRENT
    previous = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
    tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    tmp.write_text(name + "\n" + previous + "\n", encoding="utf-8")
    os.replace(tmp, pointer)  # atomic: readers see the old build or the new one, never a mix


def _previous(index_dir: Path, name: str) -> list[str]:
    lines = (index_dir / CURRENT).read_text(encoding="utf-8").split()
    return [n for n in lines[1:2] if n != name]


def _prune(builds: Path, keep: set[str]) -> list[str]:
    """Keep the current build and the one before it (requests in flight may still read it)."""
    removed = []
    for child in builds.iterdir():
        if child.name not in keep and not child.name.startswith(".tmp-"):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed
