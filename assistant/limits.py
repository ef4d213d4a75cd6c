"""Limits on what a caller may send, shared by the API and the CLI so both refuse the same input
with the same words."""

from __future__ import annotations

from assistant.errors import InvalidInput

# Characters of one question. Questions written from a user's seat run to 80 characters (the
# longest of evals/); 500 leaves room for a pasted project description, and bounds what one
# request costs (tokenising, weighing, caching).
MAX_QUESTION = 500
MAX_CITY = 50        # characters of a city's name


def checked_question(text: str) -> str:
    """The question without surrounding blanks; InvalidInput when it is empty or too long."""
    question = text.strip()
    if not question:
        raise InvalidInput("问题不能为空")
    if len(question) > MAX_QUESTION:
        raise InvalidInput(f"问题过长：最多 {MAX_QUESTION} 个字符（现有 {len(question)} 个）")
    return question
