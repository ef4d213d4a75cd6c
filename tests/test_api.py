"""The HTTP API through httpx (FastAPI's TestClient) against the real app on the real index."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from assistant.server.api import create_app

from conftest import DOC_IDS


@pytest.fixture(scope="module")
def client(assistant) -> TestClient:
    with TestClient(create_app(assistant), raise_server_exceptions=False) as c:
        yield c


def test_healthz_reports_the_loaded_index(client, assistant):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["corpus_hash"] == assistant.index.manifest["corpus_hash"]
    assert body["embedder"] == "use-m3" and body["documents"] == 4 and body["clauses"] == len(assistant.index.clauses)
    # open to anyone: the build's name, never a path on the server
    assert body["build"] == assistant.index.path.name and str(assistant.index.path.parent) not in str(body)


def test_ask_answers_with_the_cited_clause(client):
    r = client.post("/api/ask", json={"question": "乐山试运行多久才能验收？"})
    assert r.status_code == 200
    body = r.json()
    assert body["answerable"] and body["mode"] == "extractive"
    assert "3 个月" in body["answer"]
    assert (body["citations"][0]["doc_id"], body["citations"][0]["article"]) == ("leshan-2022", "第三十一条")
    assert all(c["type"] != "guard" for c in body["checks"])  # every number backed


def test_ask_with_city_field_scopes_the_answer(client):
    body = client.post("/api/ask", json={"question": "试运行多久", "city": "六安"}).json()
    assert {c["doc_id"] for c in body["citations"]} == {"luan-2021"}
    assert "1个月" in body["answer"]


def test_ask_out_of_corpus_says_so(client):
    body = client.post("/api/ask", json={"question": "北京市政务项目验收要多久？"}).json()
    assert body["answerable"] is False and body["citations"] == []
    assert "北京" in body["answer"]


@pytest.mark.parametrize("payload, field, words", [
    ({"question": ""}, "question", "不能为空"),
    ({"question": "   "}, "question", "不能为空"),
    ({"question": "验" * 501}, "question", "最多 500 个字符"),
    ({}, "question", "必填"),
    ({"question": "监理", "city": "市" * 51}, "city", "最多 50 个字符"),
])
def test_ask_rejects_bad_questions_with_422_naming_the_field(client, payload, field, words):
    r = client.post("/api/ask", json=payload)
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["field"] == field and words in body["errors"][0]["message"]
    assert "Traceback" not in r.text


def test_ask_rejects_malformed_json(client):
    r = client.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "请求参数不合法" in r.json()["error"]


def test_search_returns_ranked_clauses(client):
    hits = client.get("/api/search", params={"q": "开发商要交源代码吗", "k": 3, "city": "乐山"}).json()
    assert len(hits) == 3 and all(h["doc_id"] == "leshan-2022" for h in hits)
    assert hits[0]["article"] == "第四十三条"
    assert hits[0]["score"] >= hits[1]["score"]


@pytest.mark.parametrize("params, status, words", [
    ({"q": "监理", "city": "北京"}, 404, "六安市、乐山市、上城区、启东市"),
    ({"q": "监理", "k": 0}, 422, "不能小于 1"),
    ({"q": "监理", "k": 51}, 422, "不能大于 50"),
    ({"q": "监理", "k": "五"}, 422, "应为整数"),
    ({"q": ""}, 422, "不能为空"),
    ({"q": "  "}, 422, "不能为空"),
    ({}, 422, "必填"),
    ({"q": "监理", "mode": "magic"}, 422, "bm25"),
])
def test_search_errors(client, params, status, words):
    r = client.get("/api/search", params=params)
    assert r.status_code == status
    assert words in r.json()["error"]


def test_docs_lists_the_catalog_with_status_and_validity(client):
    docs = {d["doc_id"]: d for d in client.get("/api/docs").json()}
    assert tuple(docs) == DOC_IDS
    assert docs["shangcheng-draft"]["status"] == "征求意见稿" and "征求意见稿" in docs["shangcheng-draft"]["notice"]
    assert docs["leshan-2022"]["valid_until"] == "2027-06-24"
    assert docs["luan-2021"]["doc_number"] == "六政办〔2021〕21号" and docs["luan-2021"]["clauses"] == 29


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_doc_tree_holds_every_clause_in_order(client, assistant, doc_id):
    body = client.get(f"/api/docs/{doc_id}").json()
    labels = [c["label"] for ch in body["tree"] for s in ch["sections"] for c in s["clauses"]]
    assert labels == [c.label for c in assistant.corpus.documents[doc_id].clauses]


def test_doc_tree_groups_chapters_and_sections(client):
    tree = client.get("/api/docs/shangcheng-draft").json()["tree"]
    chapter5 = next(ch for ch in tree if ch["chapter"] and ch["chapter"].startswith("第五章"))
    assert [s["section"] for s in chapter5["sections"]][:2] == ["项目申报", "项目初审"]


def test_unknown_doc_is_404_naming_the_documents(client):
    r = client.get("/api/docs/beijing-2020")
    assert r.status_code == 404
    assert all(d in r.json()["error"] for d in DOC_IDS)


def test_article_returns_the_original_text_with_paragraphs(client, assistant):
    r = client.get(f"/api/articles/leshan-2022/{quote('第三十一条')}")
    body = r.json()
    assert r.status_code == 200
    assert body["text"] == assistant.corpus.clause("leshan-2022", "第三十一条").text
    assert [p["label"] for p in body["paragraphs"]] == ["第三十一条第一款", "第三十一条第二款", "第三十一条第三款"]
    assert body["url"] == f"/api/articles/leshan-2022/{quote('第三十一条')}"


def test_article_by_paragraph_label_and_by_attachment_section(client):
    assert client.get(f"/api/articles/leshan-2022/{quote('第三十一条第二款')}").json()["article"] == "第三十一条"
    body = client.get(f"/api/articles/qidong-2019/{quote('附件4·四、验收条件')}").json()
    assert body["section"] == "启东市电子政务工程建设项目验收大纲" and "试运行合格" in body["text"]


@pytest.mark.parametrize("path, words", [
    ("/api/articles/leshan-2022/第九十九条", "第九十九条"),
    ("/api/articles/luan-2021/第三十条", "共 29 个条款"),
    ("/api/articles/nope/第一条", "luan-2021"),
    ("/api/articles/luan-2021/..%2F..%2Fcatalog.yaml", "没有"),
    ("/api/articles/../../etc/passwd", "没有"),
])
def test_article_errors_are_404_naming_what_exists(client, path, words):
    r = client.get(path)
    assert r.status_code == 404
    assert words in r.json()["error"]


def test_compare_topics_are_data(client):
    topics = [t["topic"] for t in client.get("/api/compare/topics").json()]
    assert {"申报时间", "审批权限与金额门槛", "监理", "试运行", "验收材料", "知识产权", "责任追究"} <= set(topics)


def test_compare_free_question_maps_to_a_topic_with_figures(client):
    body = client.post("/api/compare", json={"question": "比较各地试运行期限"}).json()
    assert body["matched"] == "topics" and [r["topic"] for r in body["rows"]] == ["试运行"]
    cells = {c["doc_id"]: c for c in body["rows"][0]["cells"]}
    assert set(cells) == set(DOC_IDS)
    assert cells["luan-2021"]["clauses"][0]["article"] == "第十九条"
    assert "1个月" in cells["luan-2021"]["clauses"][0]["figures"]
    assert "3 个月" in cells["leshan-2022"]["clauses"][0]["figures"]
    assert "30天" in cells["shangcheng-draft"]["clauses"][0]["figures"]
    assert any("征求意见稿" in n for n in body["notes"])


def test_compare_shows_no_provision_rather_than_an_unrelated_clause(client):
    body = client.post("/api/compare", json={"topic": "知识产权"}).json()
    cells = {c["doc_id"]: c for c in body["rows"][0]["cells"]}
    assert cells["luan-2021"]["provided"] is False and cells["luan-2021"]["clauses"] == []
    assert cells["leshan-2022"]["clauses"][0]["article"] == "第四十三条"


def test_compare_selected_cities_and_unmatched_question(client):
    body = client.post("/api/compare", json={"question": "专家组成员怎么抽取", "cities": ["六安", "启东"]}).json()
    assert [c["doc_id"] for c in body["cities"]] == ["luan-2021", "qidong-2019"]
    if body["matched"] == "question":
        assert body["rows"][0]["topic"] == "专家组成员怎么抽取"


def test_compare_exports_csv_and_markdown(client):
    r = client.post("/api/compare?format=csv", json={"topics": ["试运行", "监理"], "cities": ["六安", "乐山"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0][0] == "主题" and rows[0][1].startswith("六安市") and [x[0] for x in rows[1:]] == ["试运行", "监理"]
    assert "第十九条" in rows[1][1] and "〔1个月〕" in rows[1][1]
    md = client.post("/api/compare?format=markdown", json={"topic": "知识产权"}).text
    assert md.startswith("| 主题 | 六安市 | 乐山市 | 上城区 | 启东市 |")
    assert "*未作规定*" in md and "**第四十三条**" in md


def test_exports_carry_no_formula_and_no_markup(client):
    # A topic no curated one matches becomes the row's label, as the user wrote it.
    question = "=信创适配<b>怎么要求</b>"
    r = client.post("/api/compare?format=csv", json={"question": question})
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert r.status_code == 200 and rows[1][0] == "'" + question
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    md = client.post("/api/compare?format=markdown", json={"question": question}).text
    assert "<b>" not in md and "=信创适配&lt;b&gt;怎么要求&lt;/b&gt;" in md


@pytest.mark.parametrize("payload, status, words", [
    ({"topic": "不存在的主题"}, 404, "可选主题"),
    ({"topic": "监理", "cities": ["北京"]}, 404, "目前收录"),
    ({"question": "问" * 501}, 422, "最多 500 个字符"),
])
def test_compare_errors(client, payload, status, words):
    r = client.post("/api/compare", json=payload)
    assert r.status_code == status and words in r.json()["error"]


def test_compare_bad_format_is_422(client):
    r = client.post("/api/compare?format=pdf", json={"topic": "监理"})
    assert r.status_code == 422 and "csv" in r.json()["error"]


def test_check_computes_rules_for_a_colloquial_amount(client):
    body = client.post("/api/check", json={"city": "六安", "amount": "三百万", "project_type": "新建"}).json()
    result = body["results"][0]
    assert result["doc_id"] == "luan-2021" and result["facts"]["amount_wan"] == 300
    rules = {c["rule"]: c for c in result["conclusions"]}
    proposal = next(c for c in rules.values() if c["article"] == "第九条")
    assert proposal["holds"] and "500万元" in proposal["quote"]
    supervision = next(c for c in rules.values() if c["article"] == "第十六条")
    assert supervision["holds"]  # 300万 ≥ 100万: 须引入监理
    checklist = result["checklist"]
    assert checklist["answerable"] and "第十九条" in {c["article"] for c in checklist["citations"]}


def test_check_amount_as_number_and_as_yuan_agree(client):
    a = client.post("/api/check", json={"city": "六安", "amount": 80}).json()["results"][0]
    b = client.post("/api/check", json={"city": "六安", "amount": "800,000元"}).json()["results"][0]
    assert a["facts"]["amount_wan"] == b["facts"]["amount_wan"] == 80
    assert [c["holds"] for c in a["conclusions"]] == [c["holds"] for c in b["conclusions"]]
    supervision = next(c for c in a["conclusions"] if c["article"] == "第十六条")
    assert supervision["holds"] is False


@pytest.mark.parametrize("payload, status, field", [
    ({"city": "六安", "amount": "很多钱"}, 422, "amount"),
    ({"city": "六安", "amount": -5}, 422, "amount"),
    ({"city": "六安", "amount": "nan"}, 422, "amount"),
    ({"city": "六安", "amount": "inf"}, 422, "amount"),
    ({"city": "六安", "project_type": "翻新"}, 422, "project_type"),
    ({"amount": 300}, 422, "city"),
    ({"city": "六安", "approval_date": "昨天"}, 422, "approval_date"),
    ({"city": "北京", "amount": 300}, 404, None),
])
def test_check_errors(client, payload, status, field):
    r = client.post("/api/check", json=payload)
    assert r.status_code == status
    body = r.json()
    if field:
        assert body["errors"][0]["field"] == field
    else:
        assert "目前收录" in body["error"]


def test_unknown_route_and_method_are_json(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and "/docs" in r.json()["error"]
    r = client.get("/api/ask")
    assert r.status_code == 405 and "不支持 GET" in r.json()["error"]


def test_openapi_has_chinese_examples(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/search", "/api/docs", "/api/docs/{doc_id}", "/api/articles/{doc_id}/{label}",
            "/api/compare", "/api/check", "/healthz"} <= set(spec["paths"])
    examples = spec["components"]["schemas"]["AskRequest"]["examples"]
    assert examples[0]["question"] == "乐山试运行多久才能验收？"


def test_a_city_the_corpus_lacks_is_named_back_the_same_way_everywhere(client):
    # A city parameter is the caller's error (404, naming the cities there are), in ask as in search.
    for stream in (False, True):  # streamed too: refused before the stream starts
        r = client.post("/api/ask", params={"stream": stream}, json={"question": "试运行多久", "city": "成都"})
        assert r.status_code == 404 and "成都" in r.json()["error"] and "六安市、乐山市、上城区、启东市" in r.json()["error"]
    # A city named in the question is the question's content: the comparison names it back.
    c = client.post("/api/compare", json={"question": "成都和六安试运行有什么不同"}).json()
    assert [x["doc_id"] for x in c["cities"]] == ["luan-2021"]
    assert any("没有成都的办法" in n and "六安市" in n for n in c["notes"])


@pytest.mark.parametrize("method, path, kwargs, field, words", [
    ("get", "/api/docs/LESHAN", {}, "doc_id", "只能用小写字母、数字和连字符"),
    ("post", "/api/ask", {"content": b'{"question": "x",', "headers": {"Content-Type": "application/json"}},
     "body", "不是合法的 JSON（第 17 个字符附近）"),
    ("post", "/api/ask", {"json": {"question": 123}}, "question", "应为文字"),
    ("post", "/api/ask", {"json": {"question": "x", "history": "abc"}}, "history", "应为列表"),
    ("post", "/api/ask", {"json": {"question": "x", "history": ["六安试运行多久？"]}}, "history.0",
     '应为 JSON 对象（如 history 的每一项：{"question"'),
    ("post", "/api/ask", {"params": {"stream": "maybe"}, "json": {"question": "x"}}, "stream", "应为 true 或 false"),
])
def test_every_4xx_names_the_field_as_sent_and_says_in_chinese_what_is_allowed(client, method, path, kwargs,
                                                                                field, words):
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": field, "message": r.json()["errors"][0]["message"]}]
    assert words in r.json()["errors"][0]["message"]
    assert not re.search(r"should|Input|valid|String", r.json()["error"])  # none of pydantic's English


def test_a_repeated_request_is_answered_from_the_service_s_responses(assistant):
    # (That what BM25 alone answered while the vector store was out is not kept is shown by
    # test_chroma_server: the same questions answer as the healthy assistant does once it is back.)
    from assistant.server.live import Live, make_service

    live = Live(make_service(assistant))
    service = live.current()
    with TestClient(create_app(live)) as c:
        params = {"q": "乐山试运行多久才能验收？", "k": 3}
        first = c.get("/api/search", params=params).json()
        assert c.get("/api/search", params=params).json() == first
        assert first == [h.to_json() for h in assistant.search(params["q"], k=3)]
        assert ("search", params["q"], 3, None, None) in service.responses.cache
        body = {"question": "六安的项目试运行要多久？", "city": "六安"}
        answer = c.post("/api/ask", json=body).json()
        assert c.post("/api/ask", json=body).json() == answer and "1个月" in answer["answer"]
        assert ("ask", body["question"], "六安", ()) in service.responses.cache
        # A city the corpus lacks is an error each time, never a kept answer.
        assert c.post("/api/ask", json={"question": "试运行多久", "city": "北京"}).status_code == 404
        assert not any(key[2] == "北京" for key in service.responses.cache)
