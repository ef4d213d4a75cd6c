"""Who may call the API and how much: an optional API key (constant-time comparison), a per-client
rate limit, a request body limit, CORS only when configured, ids and labels validated, and no
question text in the logs unless enabled. Settings come from the environment (REGASSIST_*)."""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field

from fastapi import FastAPI

from assistant.errors import RegassistError

log = logging.getLogger(__name__)

DOC_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
DEFAULT_MAX_BODY = 64 * 1024
_BAD_LABEL = re.compile(r"[/\\\x00-\x1f]|\.\.")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|sec|s|minute|min|m|hour|h)\s*$")
_PER = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "m": 60, "hour": 3600, "h": 3600}


class InvalidLabel(RegassistError):
    pass


def check_label(label: str) -> None:
    """A clause label is text like 第三十一条 or 附件4·四、验收条件: never a path."""
    if _BAD_LABEL.search(label):
        raise InvalidLabel(f"条款编号“{label[:40]}”不合法：不能包含 /、\\、.. 或控制字符")


@dataclass(frozen=True)
class SecuritySettings:
    api_key: str | None = field(default=None, repr=False)  # never shown
    rate: int = 0            # requests per `per` seconds per client; 0: no limit
    per: int = 60
    max_body: int = DEFAULT_MAX_BODY
    cors_origins: tuple[str, ...] = ()
    log_questions: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str]) -> "SecuritySettings":
        rate, per = 0, 60
        spec = (env.get("REGASSIST_RATE_LIMIT") or "").strip()
        if spec:
            m = _RATE.match(spec)
            if not m:
                raise ValueError(f"REGASSIST_RATE_LIMIT 应形如 60/minute 或 5/second，而不是 {spec!r}")
            rate, per = int(m.group(1)), _PER[m.group(2)]
        try:
            max_body = int(env.get("REGASSIST_MAX_BODY") or DEFAULT_MAX_BODY)
        except ValueError:
            raise ValueError("REGASSIST_MAX_BODY 应为字节数，如 65536") from None
        origins = tuple(o.strip() for o in (env.get("REGASSIST_CORS_ORIGINS") or "").split(",") if o.strip())
        return cls(api_key=(env.get("REGASSIST_API_KEY") or None), rate=rate, per=per, max_body=max_body,
                   cors_origins=origins, log_questions=(env.get("REGASSIST_LOG_QUESTIONS") or "") in ("1", "true", "yes"))


class RateLimiter:
    """A token bucket per client: `rate` requests per `per` seconds, bursts up to `rate`."""

    def __init__(self, rate: int, per: int, max_clients: int = 100_000):
        self.rate, self.per, self.max_clients = rate, per, max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 if allowed, else seconds until a request would be."""
        now = time.monotonic()
        refill = self.rate / self.per
        with self._lock:
            tokens, at = self._buckets.get(client, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - at) * refill)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / refill
            if len(self._buckets) > self.max_clients:  # forget the idlest clients
                for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: self.max_clients // 10]:
                    self._buckets.pop(key, None)
        return wait


async def _reply(send, status: int, message: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + list(headers)})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: body limit, API key and rate limit on /api/*, and a request log line that
    carries no question text (unless log_questions)."""

    def __init__(self, app, settings: SecuritySettings):
        self.app = app
        self.settings = settings
        self.limiter = RateLimiter(settings.rate, settings.per) if settings.rate else None

    def _key_ok(self, headers: dict[bytes, bytes]) -> bool:
        given = headers.get(b"x-api-key", b"").decode("latin-1")
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if not given and auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        return hmac.compare_digest(given.encode("utf-8"), self.settings.api_key.encode("utf-8"))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        started = time.perf_counter()

        async def refuse(status: int, message: str, extra=()) -> None:
            # A refused request is logged like any other (method, path, status, time).
            await _reply(send, status, message, extra)
            log.info("%s %s %s %.1fms", scope.get("method"), path, status, (time.perf_counter() - started) * 1000)

        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.settings.max_body:
            return await refuse(413, f"请求体过大：最多 {self.settings.max_body} 字节")
        protected = path.startswith("/api/")
        if protected and self.settings.api_key and not self._key_ok(headers):
            return await refuse(401, "需要有效的 API 密钥：请在请求头 Authorization: Bearer <密钥> 或 X-API-Key 中提供",
                                [(b"www-authenticate", b"Bearer")])
        if protected and self.limiter is not None:
            client = headers.get(b"x-api-key", b"").decode("latin-1") or (scope.get("client") or ("?",))[0]
            wait = self.limiter.take(client)
            if wait > 0:
                seconds = max(1, math.ceil(wait))  # the body says what Retry-After says
                return await refuse(429, f"请求过于频繁，请 {seconds} 秒后重试",
                                    [(b"retry-after", str(seconds).encode())])
        if length is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # No Content-Length (chunked): read the body here, up to the limit, then replay it.
            chunks, seen, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                seen += len(chunks[-1])
                more = message.get("more_body", False)
                if seen > self.settings.max_body:
                    return await _reply(send, 413, f"请求体过大：最多 {self.settings.max_body} 字节")
            body = b"".join(chunks)
            replayed = False
            upstream = receive

            async def receive():  # noqa: F811 — the app reads the buffered body first
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await upstream()  # then waits for the client to go away

        status = {"code": 0}

        async def watched_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watched_send)
        if protected:
            query = scope.get("query_string", b"").decode("latin-1") if self.settings.log_questions else ""
            log.info("%s %s%s %s %.1fms", scope.get("method"), path, f"?{query}" if query else "",
                     status["code"], (time.perf_counter() - started) * 1000)


def install_security(app: FastAPI, settings: SecuritySettings) -> None:
    app.add_middleware(Guard, settings=settings)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type", "X-API-Key"])
