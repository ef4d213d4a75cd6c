"""Memo caches bounded in bytes, not entries: a cache keyed by what callers send (a question, any
text) holds as much whether they send 20 characters or 500."""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from cachetools import LRUCache

# What the cache itself spends per entry (its dict slots, the LRU order, the (size, value) pair):
# measured with tracemalloc at ~200 bytes beyond the key and value.
ENTRY_OVERHEAD = 240
K = TypeVar("K")
V = TypeVar("V")


def approx_bytes(obj, _depth: int = 0) -> int:
    """What an object holds, roughly: strings, numbers and the containers and dataclasses made of them."""
    size = sys.getsizeof(obj)
    if _depth > 6 or isinstance(obj, (str, bytes, int, float, bool)) or obj is None:
        return size
    if isinstance(obj, dict):
        return size + sum(approx_bytes(k, _depth + 1) + approx_bytes(v, _depth + 1) for k, v in obj.items())
    if isinstance(obj, (tuple, list, set, frozenset)):
        return size + sum(approx_bytes(x, _depth + 1) for x in obj)
    if dataclasses.is_dataclass(obj):
        return size + sum(approx_bytes(getattr(obj, f.name), _depth + 1) for f in dataclasses.fields(obj))
    return size


class Memo:
    """`fn` of one hashable argument, memoised in an LRU cache of at most `max_bytes` (key and
    value counted); thread-safe, and `fn` runs outside the lock. Without `fn`, a cache of what
    `get` is given to compute."""

    def __init__(self, fn: Callable[[K], V] | None, max_bytes: int):
        self.fn, self.max_bytes = fn, max_bytes
        self.cache: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda entry: entry[0])
        self._lock = threading.Lock()

    def __call__(self, key: K) -> V:
        return self.get(key, lambda: self.fn(key))

    def get(self, key: K, compute: Callable[[], V], keep: Callable[[], bool] = lambda: True) -> V:
        """The value kept for `key`, or `compute()`'s, then kept — unless `keep()` says otherwise
        once it is computed (an exception keeps nothing)."""
        with self._lock:
            entry = self.cache.get(key)
        if entry is not None:
            return entry[1]
        value = compute()
        size = ENTRY_OVERHEAD + approx_bytes(key) + approx_bytes(value)
        if size <= self.max_bytes and keep():
            with self._lock:
                self.cache[key] = (size, value)
        return value

    @property
    def bytes(self) -> int:
        return self.cache.currsize
