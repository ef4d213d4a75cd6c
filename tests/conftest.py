"""Shared fixtures: the real corpus, one real index (Chroma + bm25s + USE) built once per session."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
DOC_IDS = ("luan-2021", "leshan-2022", "shangcheng-draft", "qidong-2019")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def assistant(index_dir) -> Assistant:
    return Assistant.open(CORPUS, index_dir, today=date(2026, 11, 25), cache_dir=Settings.from_env().cache_dir)


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    """A private copy of the corpus that a test may change."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest
