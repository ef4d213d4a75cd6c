"""Settings read from the environment (prefix REGASSIST_) — only at the edges (CLI, API)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .embed import DEFAULT_EMBEDDER
from .retrieve import Mode

# Fusion chosen by the evaluation (evals/report.md): see README "Retrieval choices".
DEFAULT_MODE = Mode.HYBRID
_REPO = Path(__file__).resolve().parents[1]


def _default_dir(name: str) -> Path:
    here = Path.cwd() / name
    if name == "corpus":
        return here if (here / "catalog.yaml").is_file() else _REPO / name
    return here if (Path.cwd() / "corpus" / "catalog.yaml").is_file() else _REPO / name


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path
    index_dir: Path
    embedder: str
    mode: Mode

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        return cls(
            corpus_dir=Path(env.get("REGASSIST_CORPUS") or _default_dir("corpus")),
            index_dir=Path(env.get("REGASSIST_INDEX_DIR") or _default_dir("index")),
            embedder=env.get("REGASSIST_EMBEDDER") or DEFAULT_EMBEDDER,
            mode=Mode.parse(env.get("REGASSIST_MODE") or DEFAULT_MODE.value),
        )
