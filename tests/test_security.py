"""API key, rate limit, body limit, CORS, label validation and logs without question text."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from assistant.server.api import create_app
from assistant.server.security import SecuritySettings


def client_for(assistant, **settings) -> TestClient:
    return TestClient(create_app(assistant, security=SecuritySettings(**settings)), raise_server_exceptions=False)


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
    # another client (its own key) has its own bucket
    assert c.get("/api/docs", headers={"X-API-Key": "other"}).status_code == 200


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
