"""Vectors kept across builds: a rebuild embeds only the texts it has not embedded before.

Keyed by the embedder's name and a hash of the exact text embedded, so a changed clause, a
changed heading or another embedder is embedded afresh, and an unchanged clause keeps the very
vector it had (same model, same text: the same vector). One file per embedder under the index
directory, rewritten whole after each build (only the current texts are kept, so it does not grow
with every edit) and swapped in by rename, so a crash never leaves it half written.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from assistant.files import written_whole


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class VectorCache:
    def __init__(self, index_dir: Path, embedder_name: str):
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", embedder_name)
        self.path = index_dir / "vectors" / f"{slug}.npz"

    def load(self) -> dict[str, np.ndarray]:
        """key → vector; empty when there is no file or it cannot be read (then all is embedded)."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            return {}
        if len(keys) != len(vectors):
            return {}
        return {str(k): v for k, v in zip(keys, vectors)}

    def save(self, keys: list[str], vectors: np.ndarray) -> None:
        with written_whole(self.path) as fh:
            np.savez(fh, keys=np.asarray(keys, dtype="U32"), vectors=np.asarray(vectors, dtype=np.float32))


def embed_new(embedder, texts: list[str], cache: VectorCache, batch: int, progress) -> tuple[np.ndarray, int]:
    """Vectors for every text, embedding only those the cache lacks (in batches, with progress);
    returns them and how many were embedded. The cache is then rewritten with exactly these texts."""
    known = cache.load()
    keys = [text_key(t) for t in texts]
    missing = [i for i, k in enumerate(keys) if k not in known]
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), batch):
        rows = missing[start:start + batch]
        vectors = np.asarray(embedder.embed([texts[i] for i in rows]), dtype=np.float32)
        fresh.update({keys[i]: v for i, v in zip(rows, vectors)})
        progress("embed", min(start + batch, len(missing)), len(missing))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    out = np.stack([fresh[k] if k in fresh else known[k] for k in keys]).astype(np.float32)
    cache.save(keys, out)
    return out, len(missing)
