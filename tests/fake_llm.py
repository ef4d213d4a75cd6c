"""A scriptable OpenAI-compatible chat server on loopback (POST /v1/chat/completions, plain and
streamed), for tests: the real LangChain client talks to it over HTTP. Replies are queued by the
test (`script`); with none queued it behaves like a careful model and quotes the first clause it
was given, citing its id."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from servers import serving

_CLAUSE = re.compile(r"\[(C\d+)\] [^\n]*：\n([^\n]+)")


@dataclass
class Reply:
    text: str = ""
    status: int = 200        # an HTTP error status to answer with instead
    delay: float = 0.0       # seconds before answering (a timeout test sets it above the client's)


def careful_answer(prompt: str) -> str:
    """Quote the first given clause's opening sentence and cite it."""
    m = _CLAUSE.search(prompt)
    if not m:
        return "所给条款未涉及。"
    sentence = re.split(r"(?<=[。；])", m.group(2))[0]
    return f"根据所给条款，{sentence}[{m.group(1)}]"


class FakeLLM:
    def __init__(self) -> None:
        self.queue: deque[Reply] = deque()
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.app = self._make_app()
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply | str) -> None:
        self.queue.extend(r if isinstance(r, Reply) else Reply(text=r) for r in replies)

    def _next(self, prompt: str) -> Reply:
        reply = self.queue.popleft() if self.queue else Reply(text=careful_answer(prompt))
        return reply

    def _make_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat(request: Request):
            body = await request.json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
            reply = self._next(prompt)
            if reply.delay:
                await asyncio.sleep(reply.delay)
            if reply.status != 200:
                return JSONResponse({"error": {"message": "scripted failure", "type": "server_error"}},
                                    status_code=reply.status)
            model = body.get("model", "fake")
            if not body.get("stream"):
                return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                        "model": model,
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": len(prompt), "completion_tokens": len(reply.text),
                                  "total_tokens": len(prompt) + len(reply.text)}}

            async def events():
                pieces = [reply.text[i:i + 8] for i in range(0, len(reply.text), 8)] or [""]
                for i, piece in enumerate(pieces):
                    delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
                    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                             "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                    yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
                    await asyncio.sleep(0)
                end = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                yield f"data: {json.dumps(end)}\n\n"
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        return app

    def start(self) -> "FakeLLM":
        self._stack = ExitStack()
        base = self._stack.enter_context(serving(self.app, health=""))
        self.port = int(base.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        self._stack.close()
