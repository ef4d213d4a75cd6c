"""Settings read from the environment (prefix REGASSIST_) — only at the edges (CLI, API)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from assistant.search.embedders import DEFAULT_EMBEDDER
from assistant.search.retrievers import Mode

DEFAULT_LLM_TIMEOUT = 30.0
LLM_KEY_VAR = "REGASSIST_LLM_API_KEY"

# Fusion chosen by the evaluation (evals/report.md): see README "Retrieval choices".
DEFAULT_MODE = Mode.HYBRID
_REPO = Path(__file__).resolve().parents[1]


def default_cache_dir(env: dict[str, str]) -> Path:
    base = env.get("REGASSIST_CACHE_DIR") or os.path.join(
        env.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "regassist")
    return Path(base)


def _default_dir(name: str) -> Path:
    here = Path.cwd() / name
    if name == "corpus":
        return here if (here / "catalog.yaml").is_file() else _REPO / name
    return here if (Path.cwd() / "corpus" / "catalog.yaml").is_file() else _REPO / name


@dataclass(frozen=True)
class LlmSettings:
    """Where the model is. The API key is a reference to an environment variable, never its value:
    it is read when the client is made and is never logged or written."""

    base_url: str
    model: str
    api_key_var: str = LLM_KEY_VAR
    timeout: float = DEFAULT_LLM_TIMEOUT

    @classmethod
    def from_env(cls, env: dict[str, str]) -> "LlmSettings | None":
        base_url = (env.get("REGASSIST_LLM_BASE_URL") or "").strip()
        if not base_url:
            return None
        model = (env.get("REGASSIST_LLM_MODEL") or "").strip()
        if not model:
            raise ValueError("REGASSIST_LLM_BASE_URL 已设置，但缺少 REGASSIST_LLM_MODEL（模型名，如 qwen2.5-7b-instruct）")
        try:
            timeout = float(env.get("REGASSIST_LLM_TIMEOUT") or DEFAULT_LLM_TIMEOUT)
        except ValueError:
            raise ValueError("REGASSIST_LLM_TIMEOUT 应为秒数，如 30") from None
        if timeout <= 0:
            raise ValueError("REGASSIST_LLM_TIMEOUT 应大于 0")
        return cls(base_url=base_url, model=model, timeout=timeout)

    def describe(self) -> str:
        return f"{self.model} @ {self.base_url}"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path
    index_dir: Path
    embedder: str
    mode: Mode
    prompts_dir: Path
    llm: LlmSettings | None = None  # None: extractive answers only (the default)
    chroma_url: str | None = None   # a `chroma run` server shared by workers; None: embedded store
    cache_dir: Path | None = None   # the embedder's tokenizer and unpacked weights, jieba's sorted dictionary (REGASSIST_CACHE_DIR)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        return cls(
            corpus_dir=Path(env.get("REGASSIST_CORPUS") or _default_dir("corpus")),
            index_dir=Path(env.get("REGASSIST_INDEX_DIR") or _default_dir("index")),
            embedder=env.get("REGASSIST_EMBEDDER") or DEFAULT_EMBEDDER,
            mode=Mode.parse(env.get("REGASSIST_MODE") or DEFAULT_MODE.value),
            prompts_dir=Path(env.get("REGASSIST_PROMPTS") or _default_dir("prompts")),
            llm=LlmSettings.from_env(env),
            chroma_url=(env.get("REGASSIST_CHROMA_URL") or "").strip() or None,
            cache_dir=default_cache_dir(env),
        )
