"""Files the assistant keeps for itself: caches keyed by the file they were made from, written whole.

A cache entry's name carries the size and modification time of its source, so a changed source
(another model wheel, another jieba) is never read through a stale entry. Writes go to a file of
the writing process's own and are swapped in by rename: two processes filling the same cache, or
a crash half-way, never leave a half-written entry behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def keyed_name(source: Path, prefix: str, suffix: str) -> str:
    """`prefix-<size>-<mtime>suffix`: a name that changes whenever `source` does."""
    stat = source.stat()
    return f"{prefix}-{stat.st_size}-{int(stat.st_mtime)}{suffix}"


@contextmanager
def written_whole(path: Path) -> Iterator[BinaryIO]:
    """Open a file to write `path` in full; it replaces `path` only when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
