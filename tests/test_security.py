"""API key, rate limit by principal, throttled guessing, body and header deadlines, body limit,
CORS, label validation and logs without question text."""

from __future__ import annotations

import json
import logging
import socket
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.server.api import create_app
from assistant.server.security import FAILED_AUTH_PER_MINUTE, ID_BYTES, MAX_CLIENTS, RateLimiter, SecuritySettings
from servers import serving


def client_for(assistant, address: str = "testclient", **settings) -> TestClient:
    return TestClient(create_app(assistant, security=SecuritySettings(**settings)), raise_server_exceptions=False,
                      client=(address, 50000))


def test_api_key_is_required_when_configured(assistant):
    c = client_for(assistant, api_key="s3cret-key")
    r = c.post("/api/ask", json={"question": "乐山试运行多久才能验收？"})
    assert r.status_code == 401 and "API 密钥" in r.json()["error"] and r.headers["www-authenticate"] == "Bearer"
    assert c.get("/api/docs", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/docs", headers={"Authorization": "Bearer s3cret-key"}).status_code == 200
    assert c.get("/api/docs", headers={"X-API-Key": "s3cret-key"}).status_code == 200
    assert c.get("/healthz").status_code == 200  # load balancers need no key
    assert c.get("/openapi.json").status_code == 200


def test_without_a_key_the_api_is_open(assistant):
    assert client_for(assistant).get("/api/docs").status_code == 200


def test_rate_limit_per_client(assistant):
    c = client_for(assistant, rate=3, per=60)
    codes = [c.get("/api/docs").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = c.get("/api/docs")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "请求过于频繁" in r.json()["error"]
    assert f"请 {r.headers['retry-after']} 秒后重试" in r.json()["error"]  # body and header agree
    assert c.get("/healthz").status_code == 200  # only /api/* is limited
    # with no key configured a key is not an identity: a new value is the same client
    assert c.get("/api/docs", headers={"X-API-Key": "other"}).status_code == 429


def test_another_address_has_its_own_bucket(assistant):
    app = create_app(assistant, security=SecuritySettings(rate=2, per=60))
    first, second = (TestClient(app, client=(ip, 50000)) for ip in ("10.0.0.1", "10.0.0.2"))
    assert [first.get("/api/docs").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/docs").status_code == 200


def test_the_key_is_the_principal_whichever_header_carries_it(assistant):
    c = client_for(assistant, api_key="s3cret-key", rate=4, per=60)
    carriers = [{"Authorization": "Bearer s3cret-key"}, {"X-API-Key": "s3cret-key"}] * 3
    codes = [c.get("/api/docs", headers=h).status_code for h in carriers]
    assert codes == [200, 200, 200, 200, 429, 429]


def test_rotating_keys_or_forwarded_addresses_do_not_reset_the_limit(assistant):
    """A real server on loopback: X-Forwarded-For is believed only from a configured proxy."""
    security = SecuritySettings(rate=3, per=60)
    with serving(create_app(assistant, security=security), security=security) as base:
        codes = [httpx.get(f"{base}/api/docs", headers={"X-Forwarded-For": f"203.0.113.{i}", "X-API-Key": f"k{i}"})
                 .status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    trusted = SecuritySettings(rate=3, per=60, trusted_proxies=("127.0.0.1",))
    with serving(create_app(assistant, security=trusted), security=trusted) as base:
        codes = [httpx.get(f"{base}/api/docs", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                 for i in range(5)]
    assert codes == [200] * 5  # behind a trusted proxy each forwarded client has its own bucket


def test_the_limiters_table_is_bounded():
    limiter = RateLimiter(5, 60)
    for i in range(MAX_CLIENTS + 5_000):
        limiter.take(f"ip:10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    assert len(limiter) <= MAX_CLIENTS
    with pytest.raises(ValueError):
        limiter.take("key:" + "x" * ID_BYTES)  # ids are digests and addresses, never a client's raw text


def test_wrong_keys_are_throttled_per_address(assistant):
    app = create_app(assistant, security=SecuritySettings(api_key="s3cret-key"))
    guesser, other = (TestClient(app, client=(ip, 50000)) for ip in ("10.0.0.7", "10.0.0.8"))
    codes = [guesser.get("/api/docs", headers={"X-API-Key": f"guess{i}"}).status_code
             for i in range(FAILED_AUTH_PER_MINUTE + 2)]
    assert codes == [401] * FAILED_AUTH_PER_MINUTE + [429, 429]
    r = guesser.get("/api/docs", headers={"X-API-Key": "s3cret-key"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1  # the right key waits too
    assert other.get("/api/docs", headers={"X-API-Key": "s3cret-key"}).status_code == 200


def test_requests_without_a_key_do_not_lock_an_address_out(assistant):
    # A browser or a probe that sends no key is told to send one; it is not guessing.
    c = client_for(assistant, address="10.0.0.11", api_key="s3cret-key")
    assert {c.get("/api/docs").status_code for _ in range(FAILED_AUTH_PER_MINUTE + 5)} == {401}
    assert c.get("/api/docs", headers={"X-API-Key": "s3cret-key"}).status_code == 200


def test_an_ipv6_client_is_its_64():
    from assistant.server.security import peer

    same = {peer({"client": (f"2001:db8:1:2::{i:x}", 1)}) for i in range(1, 200)}
    assert same == {"ip:2001:db8:1:2::/64"}
    assert peer({"client": ("2001:db8:1:3::1", 1)}) != same.pop()
    assert peer({"client": ("::ffff:10.0.0.1", 1)}) == peer({"client": ("10.0.0.1", 1)}) == "ip:10.0.0.1"


def test_ui_logins_and_calls_are_limited(assistant):
    app = create_app(assistant, with_ui=True, security=SecuritySettings(api_key="s3cret-key", rate=3, per=60))
    c = TestClient(app, client=("10.0.0.9", 50000))
    codes = [c.post("/ui/login", data={"username": "u", "password": f"guess{i}"}).status_code
             for i in range(FAILED_AUTH_PER_MINUTE + 1)]
    assert codes == [400] * FAILED_AUTH_PER_MINUTE + [429]
    with TestClient(app, client=("10.0.0.10", 50000)) as ui:  # started: Gradio's queue runs the calls
        _ui_calls_are_limited(ui)


def _ui_calls_are_limited(ui: TestClient) -> None:
    assert ui.post("/ui/login", data={"username": "u", "password": "s3cret-key"}).json() == {"success": True}
    # The UI's function calls count like /api/* calls (3 a minute here); its pages do not.
    # Fetching a call's result is part of the call: it never loses the answer to the limit.
    codes = []
    for _ in range(3):
        started = ui.post("/ui/gradio_api/call/ask", json={"data": ["六安试运行多久？", "全部城市", []]})
        result = ui.get(f"/ui/gradio_api/call/ask/{started.json()['event_id']}")
        codes += [started.status_code, result.status_code]
        events = [json.loads(line[6:]) for line in result.text.splitlines() if line.startswith("data: ")]
        assert "event: error" not in result.text and "第十九条" in json.dumps(events[-1], ensure_ascii=False)
    assert codes == [200] * 6
    assert [ui.post("/ui/gradio_api/call/ask", json={"data": ["六安试运行多久？", "全部城市", []]}).status_code
            for _ in range(2)] == [429, 429]
    assert ui.get("/ui/gradio_api/info").status_code == 200


def _raw(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    return sock


def test_slow_headers_and_short_bodies_are_cut_off(assistant):
    """A client that trickles its headers is disconnected after the header deadline; one that
    sends less body than its Content-Length is answered 408 after the body deadline."""
    security = SecuritySettings(header_timeout=1.0, body_timeout=1.0)
    with serving(create_app(assistant, security=security), security=security) as base:
        slow = [_raw(base) for _ in range(10)]
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
        for sock in slow:
            assert sock.recv(1024) == b""  # closed by the server (the socket's own timeout is 60 s)
            sock.close()
        sock = _raw(base)
        sock.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"question\": \"")
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            assert chunk, "closed without a reply"
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 408")
        while sock.recv(4096):
            pass  # ... and the connection is closed after it (recv returns b"")
        sock.close()
        assert httpx.get(f"{base}/healthz").status_code == 200  # the server serves on


def test_body_size_limit(assistant):
    c = client_for(assistant, max_body=1000)
    r = c.post("/api/ask", json={"question": "验" * 600})
    assert r.status_code == 413 and "最多 1000 字节" in r.json()["error"]

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"question": "'
        for _ in range(20):
            yield "验收".encode() * 50
        yield b'"}'

    r = c.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert c.post("/api/ask", json={"question": "乐山试运行多久才能验收？"}).status_code == 200


def test_cors_is_off_unless_configured(assistant):
    headers = {"Origin": "https://oa.example.gov.cn", "Access-Control-Request-Method": "POST"}
    r = client_for(assistant).options("/api/ask", headers=headers)
    assert "access-control-allow-origin" not in r.headers
    c = client_for(assistant, cors_origins=("https://oa.example.gov.cn",))
    r = c.options("/api/ask", headers=headers)
    assert r.headers["access-control-allow-origin"] == "https://oa.example.gov.cn"
    r = c.options("/api/ask", headers={**headers, "Origin": "https://evil.example.com"})
    assert r.headers.get("access-control-allow-origin") != "https://evil.example.com"


@pytest.mark.parametrize("path, status", [
    ("/api/articles/luan-2021/..%5C..%5Ccatalog.yaml", 422),
    ("/api/articles/luan-2021/a..b", 422),
    ("/api/articles/luan-2021/%2E%2E", 422),
    ("/api/articles/LUAN/第一条", 422),
    ("/api/docs/..%2F..%2Fetc", 404),
    ("/api/articles/luan-2021/..%2F..%2Fcorpus%2Fcatalog.yaml", 404),
])
def test_ids_and_labels_are_validated(assistant, path, status):
    r = client_for(assistant).get(path)
    assert r.status_code == status
    assert "error" in r.json() and "doc_id:" not in r.text  # a JSON error, never a file's content


def test_settings_from_env():
    s = SecuritySettings.from_env({"REGASSIST_API_KEY": "k", "REGASSIST_RATE_LIMIT": "120/minute",
                                   "REGASSIST_CORS_ORIGINS": "https://a.gov.cn, https://b.gov.cn",
                                   "REGASSIST_MAX_BODY": "2048"})
    assert (s.rate, s.per, s.max_body, s.cors_origins) == (120, 60, 2048, ("https://a.gov.cn", "https://b.gov.cn"))
    assert "k" not in repr(s).replace("max_body", "").replace("log_questions", "")
    with pytest.raises(ValueError, match="60/minute"):
        SecuritySettings.from_env({"REGASSIST_RATE_LIMIT": "lots"})
    assert SecuritySettings.from_env({}) == SecuritySettings()
    s = SecuritySettings.from_env({"REGASSIST_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2", "REGASSIST_BODY_TIMEOUT": "5",
                                   "REGASSIST_HEADER_TIMEOUT": "2.5"})
    assert (s.trusted_proxies, s.body_timeout, s.header_timeout) == (("10.0.0.1", "10.0.0.2"), 5.0, 2.5)
    with pytest.raises(ValueError, match="REGASSIST_BODY_TIMEOUT"):
        SecuritySettings.from_env({"REGASSIST_BODY_TIMEOUT": "inf"})


def test_question_text_stays_out_of_logs_unless_enabled(assistant, caplog):
    caplog.set_level(logging.INFO)
    secret = "某某单位的内部项目试运行多久"
    client_for(assistant).get("/api/search", params={"q": secret})
    client_for(assistant).post("/api/ask", json={"question": secret})
    assert "/api/search" in caplog.text and "/api/ask" in caplog.text
    assert secret not in caplog.text
    caplog.clear()
    client_for(assistant, log_questions=True).post("/api/ask", json={"question": secret})
    assert secret in caplog.text


def test_refused_requests_are_logged_like_the_rest(assistant, caplog):
    import logging

    c = client_for(assistant, api_key="s3cret-key", rate=1, per=60, max_body=100)
    with caplog.at_level(logging.INFO, logger="assistant.server.security"):
        c.get("/api/docs", headers={"Authorization": "Bearer wrong"})
        c.post("/api/ask", content=b"x" * 200, headers={"Content-Type": "application/json",
                                                         "Authorization": "Bearer s3cret-key"})
        c.get("/api/docs", headers={"Authorization": "Bearer s3cret-key"})
        c.get("/api/docs", headers={"Authorization": "Bearer s3cret-key"})
    lines = [r.getMessage() for r in caplog.records]
    assert any(" /api/docs 401 " in x for x in lines) and any(" /api/ask 413 " in x for x in lines)
    assert any(" /api/docs 429 " in x for x in lines)


def test_caches_are_bounded_in_bytes(assistant):
    """Long distinct questions do not grow the tokenizer's or the matcher's caches past their
    budgets (bytes, not entries)."""
    from assistant.search.tokenizer import Tokenizer

    tokenizer = Tokenizer(cache_bytes=256 * 1024)
    texts = [f"第{i}个项目：" + "乐山市住建局的城市更新信息管理系统已经批复了，总投资和建设目标都不变，" * 6 for i in range(400)]
    for text in texts:
        assert tokenizer.tokens(text)
    assert 0 < tokenizer._cached_tokens.bytes <= 256 * 1024
    assert len(tokenizer._cached_tokens.cache) < len(texts)  # the oldest were let go
    assert tokenizer.tokens(texts[-1]) == list(tokenizer._cached_tokens.fn(texts[-1]))  # what is kept is right
    matcher = assistant.context.matcher
    for text in texts:
        matcher.question_terms(assistant.context.analyzer.analyze(text))
    assert matcher.question_terms.bytes <= matcher.question_terms.max_bytes
