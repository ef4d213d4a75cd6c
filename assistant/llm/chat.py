"""The optional LLM: one protocol (`ChatModel`), one adapter over LangChain's ChatOpenAI (any
OpenAI-compatible server: vLLM, Ollama, a hosted endpoint)."""

from __future__ import annotations

import os
from typing import Iterator, Protocol

from assistant.settings import LlmSettings
from assistant.errors import LlmUnavailable


class ChatModel(Protocol):
    """A chat model: messages ({"role", "content"}) in, text out — whole, or in pieces."""

    def complete(self, messages: list[dict]) -> str: ...

    def stream(self, messages: list[dict]) -> Iterator[str]: ...


def _messages(messages: list[dict]):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


class OpenAIChat:
    """ChatModel over langchain-openai's ChatOpenAI. Temperature 0: the same question, the same
    answer. No retries inside the client: a failure falls back to the extractive answer at once."""

    def __init__(self, settings: LlmSettings):
        from langchain_openai import ChatOpenAI

        self.settings = settings
        # OpenAI clients refuse a missing key; local servers (vLLM, Ollama) ignore it.
        key = os.environ.get(settings.api_key_var) or "not-needed"
        self._model = ChatOpenAI(base_url=settings.base_url, model=settings.model, api_key=key,
                                 timeout=settings.timeout, max_retries=0, temperature=0)

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAIChat({self.settings.describe()})"

    def complete(self, messages: list[dict]) -> str:
        try:
            reply = self._model.invoke(_messages(messages))
        except Exception as exc:  # openai/httpx errors: connection, timeout, HTTP status
            raise LlmUnavailable(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        return reply.content if isinstance(reply.content, str) else ""

    def stream(self, messages: list[dict]) -> Iterator[str]:
        try:
            for chunk in self._model.stream(_messages(messages)):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:
            raise LlmUnavailable(f"{type(exc).__name__}: {str(exc)[:200]}") from exc


def make_chat(settings: LlmSettings | None) -> ChatModel | None:
    return OpenAIChat(settings) if settings else None
