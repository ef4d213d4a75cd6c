"""Prompts are files (prompts/answer.md, compare.md, checklist.md): the system part above the
separator line, the user template below it. Read once, at start-up."""

from __future__ import annotations

from pathlib import Path
from string import Template

from assistant.errors import RegassistError

PROMPT_SEPARATOR = "---user---"
PROMPT_NAMES = ("answer", "compare", "checklist")


class PromptError(RegassistError):
    pass


def load_prompt(folder: Path, name: str) -> tuple[str, Template]:
    path = folder / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"缺少提示词文件 {path}（应有 answer.md、compare.md、checklist.md）") from exc
    if PROMPT_SEPARATOR not in text:
        raise PromptError(f"{path}: 缺少分隔行 {PROMPT_SEPARATOR}（其上为 system，其下为 user）")
    system, user = text.split(PROMPT_SEPARATOR, 1)
    return system.strip(), Template(user.strip())
