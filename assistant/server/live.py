"""What a server process answers from, swapped whole when the index is rebuilt.

`Live` holds the current `Service` (assistant + comparer + answerer). A watcher thread checks the
index's CURRENT pointer; when a new build appears it is loaded aside and swapped in with one
assignment. A request takes the service once at its start, so requests in flight finish on the
build they began with (which the index keeps until the build after next). A build that cannot be
loaded is logged and skipped: the current one keeps serving."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assistant.answers.compare import Comparer
from assistant.assistant import Assistant
from assistant.llm.grounded import Grounded
from assistant.search.caching import Memo
from assistant.search.index import CURRENT

log = logging.getLogger(__name__)

RELOAD_INTERVAL = 1.0  # seconds between checks of the CURRENT pointer


# Responses kept per service (its build): the JSON of answers already given.
RESPONSE_CACHE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Service:
    assistant: Assistant
    comparer: Comparer
    grounded: Grounded
    # The same request again — the question many 项目单位 ask, a page reloaded — is answered from
    # here; a new build comes with a new service, so nothing outlives the index it came from.
    responses: Memo = field(default_factory=lambda: Memo(None, RESPONSE_CACHE_BYTES), compare=False)

    def healthy(self) -> bool:
        """Whether every part answered: what BM25 alone answered while the vector store was down is
        not kept for when it is back."""
        dense = self.assistant.searcher.dense
        return dense is None or dense.failed_at is None


def make_service(assistant: Assistant, grounded: Grounded | None = None) -> Service:
    return Service(assistant, Comparer(assistant.context), grounded or Grounded(assistant))


def _pointer(index_dir: Path) -> str:
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return ""


class Live:
    """The service in use; `reload` builds a new Assistant from the current build."""

    def __init__(self, service: Service, index_dir: Path | None = None,
                 load: Callable[[], Service] | None = None, interval: float = RELOAD_INTERVAL):
        self._service = service
        self.index_dir = index_dir
        self._load = load
        self.interval = interval
        self.build = _pointer(index_dir) if index_dir else ""
        self.reloads = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def current(self) -> Service:
        return self._service

    def check(self) -> bool:
        """Load and swap in a build that became current since the last check; True if swapped."""
        if self.index_dir is None or self._load is None:
            return False
        with self._lock:
            name = _pointer(self.index_dir)
            if not name or name == self.build:
                return False
            try:
                service = self._load()
            except Exception as exc:  # a damaged or foreign build is never served
                if self.last_error != f"{name}: {exc}":
                    log.error("new index build %s not loaded, still serving %s: %s", name, self.build, exc)
                self.last_error = f"{name}: {exc}"
                return False
            log.warning("index build %s now serving (was %s)", name, self.build)
            # The bookkeeping first, the swap last: whoever sees the new service sees its build
            # name and the reload counted.
            self.build = name
            self.reloads += 1
            self.last_error = None
            self._service = service  # one assignment: a request sees the old service or the new
            return True

    def start(self) -> "Live":
        if self.index_dir is not None and self._load is not None and self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="regassist-reload", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # never let the watcher die
                log.exception("index reload check failed")


class Current:
    """Attribute access forwarded to a part of the current service (for the UI, built once)."""

    def __init__(self, live: Live, part: str):
        self._live, self._part = live, part

    def __getattr__(self, name: str):
        return getattr(getattr(self._live.current(), self._part), name)


def open_live(settings, rebuild: bool = False, progress=None) -> Live:
    """The service for `settings` (building the index first when rebuild=True and it is missing
    or stale), watching the index for new builds."""
    from assistant.search.searcher import Options
    from assistant.llm.grounded import make_grounded

    def open_assistant(rebuild_now: bool, progress_=None) -> Assistant:
        return Assistant.open(settings.corpus_dir, settings.index_dir, settings.embedder, Options(mode=settings.mode),
                              rebuild=rebuild_now, progress=progress_, chroma_url=settings.chroma_url,
                              cache_dir=settings.cache_dir)

    def load() -> Service:
        a = open_assistant(False)
        return make_service(a, make_grounded(a, settings))

    first = open_assistant(rebuild, progress)
    return Live(make_service(first, make_grounded(first, settings)), settings.index_dir, load).start()
