"""Who may call the API and how much: an optional API key (constant-time comparison), a rate limit
per principal (the key, whichever header carries it, else the peer address), failed keys and UI
logins throttled per address, a request body limit and deadline, CORS only when configured, ids
and labels validated, and no question text in the logs unless enabled. Settings come from the
environment (REGASSIST_*)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
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
# An evaluator's question set (a spreadsheet) is the one larger body: uploaded to /api/eval or
# through the UI's upload, each up to this many bytes.
DEFAULT_MAX_UPLOAD = 2 * 1024 * 1024
_UPLOADS = ("/api/eval", "/ui/gradio_api/upload")
DEFAULT_BODY_TIMEOUT = 30.0   # seconds to receive a request body once its headers are in
DEFAULT_HEADER_TIMEOUT = 10.0  # seconds to receive a request's headers (server.py)
# Wrong API keys and UI passwords: this many per address per minute, then 429 until it refills.
FAILED_AUTH_PER_MINUTE = 10
# The limiter's table: ids are at most ID_BYTES (a key's digest, an IP address), so bounding the
# entries bounds the bytes (≈ 250 bytes an entry with the dict slot and the bucket).
MAX_CLIENTS = 20_000
ID_BYTES = 48
# UI calls that start a function (ask, compare, check…: POSTs), limited like /api/*; page assets,
# the queue's event stream and the GET that fetches a call's result are not.
_UI_CALLS = ("/ui/gradio_api/call/", "/ui/gradio_api/queue/join", "/ui/gradio_api/run/", "/ui/gradio_api/api/")
_UI_LOGIN = ("/ui/login", "/ui/login/")
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
    max_upload: int = DEFAULT_MAX_UPLOAD
    cors_origins: tuple[str, ...] = ()
    log_questions: bool = False
    # Proxies whose X-Forwarded-For names the client (uvicorn's forwarded_allow_ips); none by
    # default, so a client cannot pick its own address by sending the header.
    trusted_proxies: tuple[str, ...] = ()
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    header_timeout: float = DEFAULT_HEADER_TIMEOUT

    @classmethod
    def from_env(cls, env: dict[str, str]) -> "SecuritySettings":
        rate, per = 0, 60
        spec = (env.get("REGASSIST_RATE_LIMIT") or "").strip()
        if spec:
            m = _RATE.match(spec)
            if not m:
                raise ValueError(f"REGASSIST_RATE_LIMIT 应形如 60/minute 或 5/second，而不是 {spec!r}")
            rate, per = int(m.group(1)), _PER[m.group(2)]
        sizes = {}
        for name, default in (("REGASSIST_MAX_BODY", DEFAULT_MAX_BODY), ("REGASSIST_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)):
            try:
                sizes[name] = int(env.get(name) or default)
            except ValueError:
                raise ValueError(f"{name} 应为字节数，如 {default}") from None
        max_body = sizes["REGASSIST_MAX_BODY"]
        origins = tuple(o.strip() for o in (env.get("REGASSIST_CORS_ORIGINS") or "").split(",") if o.strip())
        proxies = tuple(p.strip() for p in (env.get("REGASSIST_TRUSTED_PROXIES") or "").split(",") if p.strip())
        timeouts = {}
        for name, default in (("REGASSIST_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT),
                              ("REGASSIST_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT)):
            try:
                timeouts[name] = float(env.get(name) or default)
            except ValueError:
                raise ValueError(f"{name} 应为秒数，如 {default:g}") from None
            if not (0 < timeouts[name] < math.inf):
                raise ValueError(f"{name} 应为正的秒数，如 {default:g}")
        return cls(api_key=(env.get("REGASSIST_API_KEY") or None), rate=rate, per=per, max_body=max_body,
                   max_upload=sizes["REGASSIST_MAX_UPLOAD"],
                   cors_origins=origins, log_questions=(env.get("REGASSIST_LOG_QUESTIONS") or "") in ("1", "true", "yes"),
                   trusted_proxies=proxies, body_timeout=timeouts["REGASSIST_BODY_TIMEOUT"],
                   header_timeout=timeouts["REGASSIST_HEADER_TIMEOUT"])


class RateLimiter:
    """A token bucket per client: `rate` requests per `per` seconds, bursts up to `rate`."""

    def __init__(self, rate: int, per: int, max_clients: int = MAX_CLIENTS):
        self.rate, self.per, self.max_clients = rate, per, max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def _tokens(self, client: str, now: float) -> float:
        tokens, at = self._buckets.get(client, (float(self.rate), now))
        return min(float(self.rate), tokens + (now - at) * self.rate / self.per)

    def wait(self, client: str) -> float:
        """Seconds until `client` may be served (0: now), nothing taken."""
        with self._lock:
            tokens = self._tokens(client, time.monotonic())
        return 0.0 if tokens >= 1 else (1 - tokens) * self.per / self.rate

    def take(self, client: str) -> float:
        """0 if allowed, else seconds until a request would be. `client` is an id of at most
        ID_BYTES (principal())."""
        if len(client) > ID_BYTES:
            raise ValueError(f"client ids are at most {ID_BYTES} characters")
        now = time.monotonic()
        with self._lock:
            tokens = self._tokens(client, now)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) * self.per / self.rate
            if len(self._buckets) > self.max_clients:  # forget the idlest tenth
                for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: self.max_clients // 10]:
                    self._buckets.pop(key, None)
        return wait


def _presented_key(headers: dict[bytes, bytes]) -> str:
    """The API key a request carries: X-API-Key, else Authorization: Bearer."""
    given = headers.get(b"x-api-key", b"").decode("latin-1")
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return given


def peer(scope) -> str:
    """The client's address as the server saw it (rewritten from X-Forwarded-For only when the
    connection comes from a trusted proxy, by uvicorn). An IPv6 client is its /64: one host
    holds a whole /64 and could otherwise pick a fresh address per request."""
    host = str((scope.get("client") or ("?",))[0])
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "ip:" + host[: ID_BYTES - 3]
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return f"ip:{address.ipv4_mapped}"
        return "ip:" + str(ipaddress.ip_network(f"{host}/64", strict=False))
    return f"ip:{address}"


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
        self.failures = RateLimiter(FAILED_AUTH_PER_MINUTE, 60)
        # The principal of a request carrying the configured key: one id, whichever header carries it.
        self._key_id = ("key:" + hashlib.sha256(settings.api_key.encode("utf-8")).hexdigest()[:32]
                        if settings.api_key else None)

    def _key_ok(self, headers: dict[bytes, bytes]) -> bool:
        return hmac.compare_digest(_presented_key(headers).encode("utf-8"), self.settings.api_key.encode("utf-8"))

    def principal(self, scope, headers: dict[bytes, bytes]) -> str:
        """Whom a request is counted against: the API key when one is configured and presented
        (checked before this is asked), else the peer address — never a value the client picks."""
        if self._key_id is not None and _presented_key(headers):
            return self._key_id
        return peer(scope)

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

        async def too_many(wait: float) -> None:
            seconds = max(1, math.ceil(wait))  # the body says what Retry-After says
            await refuse(429, f"请求过于频繁，请 {seconds} 秒后重试", [(b"retry-after", str(seconds).encode())])

        upload = scope.get("method") == "POST" and (path == _UPLOADS[0] or path.startswith(_UPLOADS[1]))
        limit = self.settings.max_upload if upload else self.settings.max_body
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await refuse(413, f"请求体过大：最多 {limit} 字节")
        protected = path.startswith("/api/")
        login = path in _UI_LOGIN and scope.get("method") == "POST"
        if (protected and self.settings.api_key) or login:
            # An address that keeps presenting wrong keys or passwords waits, right key or not.
            wait = self.failures.wait(peer(scope))
            if wait > 0:
                return await too_many(wait)
        if protected and self.settings.api_key and not self._key_ok(headers):
            if _presented_key(headers):
                # A wrong key counts as a guess; no key at all (a browser, a probe) does not, so
                # keyless requests cannot lock an address (or a proxy's clients) out.
                self.failures.take(peer(scope))
            return await refuse(401, "需要有效的 API 密钥：请在请求头 Authorization: Bearer <密钥> 或 X-API-Key 中提供",
                                [(b"www-authenticate", b"Bearer")])
        ui_call = path.startswith(_UI_CALLS) and scope.get("method") == "POST"
        if (protected or ui_call) and self.limiter is not None:
            wait = self.limiter.take(self.principal(scope, headers) if protected else peer(scope))
            if wait > 0:
                return await too_many(wait)
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            # The body is read here, up to the limit and within the deadline, then replayed: a
            # client that sends less than its Content-Length, or trickles it, is answered 408.
            chunks, seen, more = [], 0, True
            deadline = time.monotonic() + self.settings.body_timeout
            while more:
                try:
                    message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
                except (TimeoutError, asyncio.TimeoutError):  # one class from Python 3.11 on
                    return await refuse(408, f"请求体在 {self.settings.body_timeout:g} 秒内未收完，已放弃",
                                        [(b"connection", b"close")])
                if message["type"] != "http.request":
                    return  # the client went away mid-body: nothing to answer
                chunks.append(message.get("body", b""))
                seen += len(chunks[-1])
                more = message.get("more_body", False)
                if seen > limit:
                    return await refuse(413, f"请求体过大：最多 {limit} 字节")
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
        if login and status["code"] in (400, 401, 403):
            self.failures.take(peer(scope))
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
