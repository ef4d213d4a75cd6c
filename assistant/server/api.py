"""HTTP API over the core: `create_app(assistant)` builds the FastAPI app (nothing is loaded at
import). Handlers parse input, call one core function and map domain errors to statuses."""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
from datetime import date
from enum import Enum
from typing import Annotated, Iterator, Optional
from urllib.parse import quote

from fastapi import Body, FastAPI, File, Path as PathParam, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answers.notes import status_note
from assistant.answers.process import build_process
from assistant.answers.selfcheck import self_check
from assistant.assistant import Assistant
from assistant.corpus.model import Document, Part
from assistant.exports.diagram import to_svg
from assistant.errors import IndexNotBuilt, InvalidInput, NotFound, RegassistError, VectorStoreUnavailable
from assistant.server.jobs import Busy, EvalJobs
from assistant.llm.grounded import Grounded
from assistant.rules.facts import form_facts
from assistant.search.retrievers import Mode
from assistant.search.tokenizer import warm_tagger
from assistant.server.live import Current, Live, make_service, open_live
from assistant.limits import MAX_CITY, MAX_QUESTION
from assistant.server.security import DOC_ID, InvalidLabel, SecuritySettings, check_label, install_security

log = logging.getLogger(__name__)

MAX_K = 50
MAX_TURNS = 20  # earlier turns a follow-up may carry (the assistant reads the last few)


class Turn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="之前的问题")
    answer: Optional[str] = Field(None, max_length=20_000, description="当时的回答（可省略）")


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question": "乐山试运行多久才能验收？"},
        {"question": "500万以下项目需要什么材料？", "city": "六安"},
        {"question": "那乐山呢？", "history": [{"question": "六安试运行多久？"}]},
    ]})
    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="问题（中文，口语即可）")
    city: Optional[str] = Field(None, max_length=MAX_CITY, description="限定城市，如 乐山、六安市")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_TURNS,
                                description="本次对话之前的问答（旧的在前）：追问省略的城市、环节从中沿用")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("问题不能为空")
        return v.strip()


class CompareFormat(str, Enum):
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


class CheckFormat(str, Enum):
    JSON = "json"
    DOCX = "docx"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


AmountQuery = Annotated[Optional[str], Query(max_length=50, description="项目金额：数字按万元计，或带单位的文字（三百万）")]
KindQuery = Annotated[Optional[str], Query(max_length=20, description="新建 / 升级改造")]
RatioQuery = Annotated[Optional[float], Query(ge=0, le=1000, description="投资调整比例（%）")]


def _download(content: bytes, media_type: str, filename: str) -> Response:
    # RFC 5987: a Chinese file name for browsers, an ASCII one for everything else.
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=regassist.{filename.rsplit('.', 1)[-1]}; "
                               f"filename*=UTF-8''{quote(filename)}"})


class CompareRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"topic": "试运行"},
        {"question": "比较各地试运行期限", "cities": ["六安", "乐山"]},
        {"topics": ["监理", "验收材料"]},
    ]})
    topic: Optional[str] = Field(None, max_length=50, description="对比主题（见 GET /api/compare/topics）")
    topics: Optional[list[str]] = Field(None, max_length=50, description="多个对比主题")
    question: Optional[str] = Field(None, max_length=MAX_QUESTION, description="自由提问，自动匹配主题")
    cities: Optional[list[str]] = Field(None, max_length=50, description="参与对比的城市（默认全部）")


class CheckRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"city": "六安", "amount": 300, "project_type": "新建"},
        {"city": "乐山", "amount": "三百万", "change_ratio": 12},
    ]})
    city: str = Field(min_length=1, max_length=MAX_CITY, description="城市")
    amount: Optional[float | str] = Field(None, description="项目金额：数字按万元计，或带单位的文字（三百万、3,000,000元）")
    project_type: Optional[str] = Field(None, description="新建 / 升级改造")
    software: bool = Field(False, description="软件开发类")
    classified: bool = Field(False, description="涉密项目")
    change_ratio: Optional[float] = Field(None, ge=0, le=1000, description="投资调整比例（%）")
    approval_date: Optional[date] = Field(None, description="立项（批复）日期")


# -- error mapping ---------------------------------------------------------------------------

_MESSAGES = {
    "missing": "必填",
    "string_too_short": "不能为空",
    "string_too_long": "过长：最多 {max_length} 个字符",
    "too_long": "过多：最多 {max_length} 项",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "json_invalid": "不是合法的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
    "enum": "可选值：{expected}",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "float_type": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "date_type": "应为日期（YYYY-MM-DD）",
    "literal_error": "可选值：{expected}",
}
_PATTERNS = {DOC_ID: "只能用小写字母、数字和连字符“-”（如 leshan-2022）"}


def _field(err: dict) -> str:
    if err.get("type") == "json_invalid":
        return "body"  # its loc holds the character position, not a field
    parts = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _message(err: dict) -> str:
    """In Chinese, saying what is allowed; never pydantic's English."""
    kind, ctx = err.get("type", ""), err.get("ctx", {})
    if kind == "value_error":
        return str(ctx.get("error") or err.get("msg"))
    if kind == "string_pattern_mismatch":
        return "格式不合法：" + _PATTERNS.get(ctx.get("pattern", ""), f"应匹配 {ctx.get('pattern', '')}")
    if kind == "json_invalid":
        loc = [p for p in err.get("loc", ()) if isinstance(p, int)]
        return "不是合法的 JSON" + (f"（第 {loc[0]} 个字符附近）" if loc else "")
    if kind in ("model_attributes_type", "dict_type") and tuple(err.get("loc", ())) != ("body",):
        return "应为 JSON 对象（如 history 的每一项：{\"question\": \"…\", \"answer\": \"…\"}）" \
            if "history" in err.get("loc", ()) else "应为 JSON 对象"
    template = _MESSAGES.get(kind)
    if template:
        try:
            return template.format(**ctx)
        except (KeyError, IndexError):
            return template
    return f"取值不合法（{kind or '未知原因'}）"


def _error(status: int, message: str, headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


# -- records -------------------------------------------------------------------------------

def _doc_json(doc: Document, today: date) -> dict:
    m = doc.meta
    return {
        "doc_id": m.doc_id, "city": m.city, "title": m.title, "status": m.status.value,
        "doc_number": m.doc_number, "issuer": m.issuer, "province": m.province, "level": m.level,
        "issue_date": m.issue_date, "effective_date": m.effective_date, "valid_until": m.valid_until,
        "repeals": list(m.repeals), "clauses": len(doc.clauses), "notice": status_note(m, today),
    }


def _tree(doc: Document) -> list[dict]:
    """Chapters → sections → clauses, in reading order (a clause outside any chapter sits under
    chapter null)."""
    chapters: list[dict] = []
    for c in doc.clauses:
        if not chapters or chapters[-1]["chapter"] != c.chapter:
            chapters.append({"chapter": c.chapter, "sections": []})
        sections = chapters[-1]["sections"]
        if not sections or sections[-1]["section"] != c.section:
            sections.append({"section": c.section, "clauses": []})
        sections[-1]["clauses"].append({"label": c.label, "kind": c.kind.value, "preview": c.text[:60]})
    return chapters


def article_path(doc_id: str, label: str) -> str:
    return f"/api/articles/{quote(doc_id)}/{quote(label)}"


def _clause_json(doc: Document, clause: Part, today: date) -> dict:
    return {
        "doc_id": doc.doc_id, "city": doc.meta.city, "title": doc.meta.title, "status": doc.meta.status.value,
        "article": clause.label, "chapter": clause.chapter, "section": clause.section, "text": clause.text,
        "paragraphs": [{"label": p.label, "text": p.text,
                        "items": [{"label": i.label, "marker": i.marker, "text": i.text} for i in p.items]}
                       for p in clause.paragraphs],
        "notice": status_note(doc.meta, today), "url": article_path(doc.doc_id, clause.label),
        # What the clause refers to ("本办法第三十七条", "附件 1", "第二章"), resolved; start/end are
        # offsets in `text`. An unresolved one has a reason instead of a url.
        "references": [r.to_json() | {"url": article_path(doc.doc_id, r.target) if r.target else None}
                       for r in doc.references_of(clause.label)],
    }


def _domain_handler(status: int, prefix: str):
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return _error(status, f"{prefix}{exc}")
    return handle


def _sse(events) -> Iterator[str]:
    for event in events:
        if event["type"] == "final":
            event = {**event, "answer": event["answer"].to_json()}
        yield f"event: {event['type']}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"


def create_app(assistant: "Assistant | Live", with_ui: bool = False, grounded: Grounded | None = None,
               security: SecuritySettings | None = None) -> FastAPI:
    """The API (and, with_ui, the Gradio UI at /ui on the same server). Give an Assistant, or a
    `Live` service that swaps in rebuilt indexes. `grounded` carries the LLM when one is
    configured; without it answers are extractive. `security`: API key, rate limit, body limit,
    CORS (all off by default)."""
    live = assistant if isinstance(assistant, Live) else Live(make_service(assistant, grounded))
    # /docs from files installed with the project, not a CDN: it works offline. (ReDoc is left
    # out: its page fetches its logo from a CDN.)
    app = FastAPIOffline(
        redoc_url=None,
        title="regassist",
        description="电子政务/政务信息化项目管理办法问答：条款引用、条款查阅、城市对比、项目自查。",
        version="0.1.0",
    )
    security = security or SecuritySettings()
    install_security(app, security)
    # The tagger's table loads in the background: no user's first question waits seconds for it.
    threading.Thread(target=warm_tagger, name="warm-tagger", daemon=True).start()

    _install_errors(app)
    _ask_routes(app, live, security)
    _browse_routes(app, live)
    _compare_routes(app, live)
    _process_routes(app, live)
    _eval_routes(app, EvalJobs(lambda: live.current().assistant))
    if with_ui:
        _mount_ui(app, live, security)
    return app


def _install_errors(app: FastAPI) -> None:
    """Every error as JSON `{"error", "errors"?}` naming the field or what exists; never a traceback."""
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"field": _field(e), "message": _message(e)} for e in exc.errors()]
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors)
        return _error(422, f"请求参数不合法：{summary}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(404, f"没有这个地址：{request.url.path}。接口列表见 /docs")
        if exc.status_code == 405:
            return _error(405, f"{request.url.path} 不支持 {request.method} 请求。接口列表见 /docs")
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(InvalidLabel)
    async def _bad_label(request: Request, exc: InvalidLabel):
        return _error(422, f"请求参数不合法：label：{exc}", errors=[{"field": "label", "message": str(exc)}])

    # Domain errors → statuses (the most specific class wins); the message says what to do.
    for exc_type, status, prefix in ((VectorStoreUnavailable, 503, "向量库不可用："), (NotFound, 404, ""),
                                     (IndexNotBuilt, 503, "索引不可用："), (Busy, 429, ""),
                                     (InvalidInput, 422, "请求参数不合法："), (RegassistError, 400, "")):
        app.add_exception_handler(exc_type, _domain_handler(status, prefix))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _error(500, "服务器内部错误，请稍后重试；若持续出现请联系管理员。")


def _ask_routes(app: FastAPI, live: Live, security: SecuritySettings) -> None:
    """/healthz, /api/ask, /api/search."""
    @app.get("/healthz", tags=["运维"], summary="健康检查")
    def healthz() -> dict:
        svc = live.current()
        a = svc.assistant
        m = a.index.manifest
        dense = a.searcher.dense
        # A vector store on a server is asked now (its outage may not have met a request yet:
        # answers from cached vectors never reach it); the embedded one fails only with the disk.
        if dense is not None and m.get("vector_store", "embedded") != "embedded":
            dense.probe()
        hybrid_down = dense is not None and dense.failed_at is not None
        # The build's name, never a path on this machine: /healthz needs no key.
        return {"status": "degraded" if hybrid_down else "ok",
                "build": a.index.path.name, "corpus_hash": m.get("corpus_hash"), "embedder": m.get("embedder"),
                "vector_store": ("unavailable" if hybrid_down else m.get("vector_store", "embedded")),
                "documents": len(a.corpus.documents), "clauses": len(a.index.clauses),
                "mode": a.options.mode.value, "answers": "llm" if svc.grounded.enabled else "extractive",
                "reloads": live.reloads, "reload_error": live.last_error}

    @app.post("/api/ask", tags=["问答"], summary="提问：返回引用条款的答案",
              responses={200: {"content": {"text/event-stream": {}}}})
    def ask(req: AskRequest,
            stream: Annotated[bool, Query(description="以 server-sent events 逐段返回（配置了大模型时）；"
                                                       "最后一个 final 事件带核对后的完整回答")] = False):
        if security.log_questions:
            log.info("question (%s): %s", req.city or "-", req.question)
        history = [t.question for t in req.history]
        service = live.current()
        if req.city:
            service.assistant.scope(req.city)  # a city the corpus lacks: 404 before any answer starts
        if stream:
            return StreamingResponse(_sse(service.grounded.stream(req.question, city=req.city or None,
                                                                  history=history)),
                                     media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        def answered() -> dict:
            return service.grounded.ask(req.question, city=req.city or None, history=history).to_json()

        if service.grounded.enabled:  # a model's answer is written afresh each time
            return answered()
        return service.responses.get(("ask", req.question, req.city or None, tuple(history)), answered,
                                     keep=service.healthy)

    @app.get("/api/search", tags=["问答"], summary="检索条款（最相关的在前）")
    def search(q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION, description="检索词",
                                       examples=["开发商验收要交什么"])],
               k: Annotated[int, Query(ge=1, le=MAX_K, description="返回条数")] = 5,
               city: Annotated[Optional[str], Query(max_length=MAX_CITY, description="限定城市")] = None,
               mode: Annotated[Optional[Mode], Query(description="检索方式")] = None) -> list[dict]:
        if not q.strip():
            raise RequestValidationError([{"type": "string_too_short", "loc": ("query", "q"), "msg": "",
                                           "input": q}])
        service = live.current()
        a = service.assistant

        def found() -> list[dict]:
            scope = a.scope(city) if city else None
            return [h.to_json() for h in a.search(q.strip(), k=k, scope=scope, mode=mode)]

        return service.responses.get(("search", q.strip(), k, city, mode), found, keep=service.healthy)


def _browse_routes(app: FastAPI, live: Live) -> None:
    """/api/docs, /api/docs/{doc_id}, /api/articles/{doc_id}/{label}."""
    @app.get("/api/docs", tags=["条款查阅"], summary="收录的文件（含状态与有效期）")
    def docs() -> list[dict]:
        a = live.current().assistant
        return [_doc_json(d, a.today) for d in a.corpus.documents.values()]

    @app.get("/api/docs/{doc_id}", tags=["条款查阅"], summary="文件结构：章 → 节 → 条")
    def doc(doc_id: Annotated[str, PathParam(max_length=100, pattern=DOC_ID, examples=["luan-2021"])]) -> dict:
        a = live.current().assistant
        d = a.corpus.document(doc_id)
        return {**_doc_json(d, a.today), "tree": _tree(d)}

    @app.get("/api/articles/{doc_id}/{label}", tags=["条款查阅"], summary="一个条款的原文")
    def article(doc_id: Annotated[str, PathParam(max_length=100, pattern=DOC_ID, examples=["leshan-2022"])],
                label: Annotated[str, PathParam(max_length=100, examples=["第三十一条"])]) -> dict:
        a = live.current().assistant
        d = a.corpus.document(doc_id)
        check_label(label)
        try:
            clause = a.corpus.clause(doc_id, label)
        except NotFound as missing:
            try:
                clause, _ = a.corpus.paragraph(doc_id, label)  # 第三十一条第二款 → its article
            except NotFound:
                raise missing from None
        return _clause_json(d, clause, a.today)


def _compare_routes(app: FastAPI, live: Live) -> None:
    """/api/compare/topics, /api/compare, /api/check."""
    @app.get("/api/compare/topics", tags=["城市对比"], summary="对比主题")
    def topics() -> list[dict]:
        return [{"topic": t.name, "aliases": list(t.aliases)} for t in live.current().comparer.topics]

    @app.post("/api/compare", tags=["城市对比"], summary="城市对比：主题 × 城市",
              responses={200: {"content": {"text/csv": {}, "text/markdown": {}, XLSX_TYPE: {}}}})
    def compare(req: Annotated[CompareRequest, Body()],
                format: Annotated[CompareFormat, Query(description="json / csv / markdown / xlsx")] = CompareFormat.JSON):
        names = ([req.topic] if req.topic else []) + list(req.topics or [])
        result = live.current().comparer.compare(topics=names or None, question=(req.question or "").strip() or None,
                                  cities=req.cities or None)
        if format is CompareFormat.CSV:
            return PlainTextResponse("\ufeff" + result.to_csv(), media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": "attachment; filename=compare.csv"})
        if format is CompareFormat.MARKDOWN:
            return PlainTextResponse(result.to_markdown(), media_type="text/markdown; charset=utf-8")
        if format is CompareFormat.XLSX:
            from assistant.exports.excel import comparison_xlsx  # openpyxl loads on the first export, not at start

            return _download(comparison_xlsx(result), XLSX_TYPE, "城市对比.xlsx")
        return result.to_json()

    @app.post("/api/check", tags=["项目自查"], summary="项目自查：规则计算与全流程清单",
              responses={200: {"content": {DOCX_TYPE: {}}}})
    def check(req: CheckRequest,
              format: Annotated[CheckFormat, Query(description="json / docx（Word 文件）")] = CheckFormat.JSON):
        facts = _facts(req.amount, req.project_type, req.software, req.classified, req.change_ratio, req.approval_date)
        if isinstance(facts, JSONResponse):
            return facts
        a = live.current().assistant
        results = self_check(a.context, a.scope(req.city), facts)
        if format is CheckFormat.DOCX:
            from assistant.exports.word import selfcheck_docx  # python-docx loads on the first export

            return _download(selfcheck_docx(results, a.version, a.today), DOCX_TYPE,
                             f"项目自查-{'、'.join(r.city for r in results)}.docx")
        return {"results": [r.to_json() for r in results]}


def _facts(amount, project_type, software=False, classified=False, change_ratio=None, approval_date=None):
    """The project's facts, or the 422 naming the field that cannot be read."""
    try:
        return form_facts(amount, project_type, software, classified, change_ratio, approval_date)
    except ValueError as exc:
        field = "amount" if "金额" in str(exc) else "project_type"
        return _error(422, f"请求参数不合法：{field}：{exc}", errors=[{"field": field, "message": str(exc)}])


def _eval_routes(app: FastAPI, jobs: EvalJobs) -> None:
    """/api/eval: an evaluator's question set in, a job with progress, the HTML report out."""
    app.state.eval_jobs = jobs  # the UI's 评测 tab runs its jobs here too

    @app.post("/api/eval", tags=["评测"], summary="上传评测集（.xlsx/.csv/.jsonl/.yaml），返回任务编号", status_code=202)
    def submit(file: Annotated[UploadFile, File(description="列：问题、城市、标准答案、依据条款、应拒答（模板：regassist eval --template）")]):
        data = file.file.read()
        try:
            job = jobs.submit(data, file.filename or "upload.xlsx")
        except Busy as exc:
            return _error(429, str(exc), headers={"Retry-After": "30"})
        return job.to_json() | {"url": f"/api/eval/{job.id}"}

    @app.get("/api/eval/{job_id}", tags=["评测"], summary="评测任务的进度与结果")
    def status(job_id: Annotated[str, PathParam(max_length=64, pattern=r"^[0-9a-f]{32}$")]) -> dict:
        return jobs.get(job_id).to_json()

    @app.get("/api/eval/{job_id}/report.html", tags=["评测"], summary="评测报告（单个 HTML 文件）",
             response_class=Response, responses={200: {"content": {"text/html": {}}}})
    def report_html(job_id: Annotated[str, PathParam(max_length=64, pattern=r"^[0-9a-f]{32}$")]):
        job = jobs.get(job_id)
        if job.run is None:
            return _error(409, job.not_ready())
        return Response(job.html(), media_type="text/html; charset=utf-8")

    @app.get("/api/eval/{job_id}/report.json", tags=["评测"], summary="评测结果（含逐条结果，可用于 regassist eval --compare）")
    def report_json(job_id: Annotated[str, PathParam(max_length=64, pattern=r"^[0-9a-f]{32}$")]):
        job = jobs.get(job_id)
        if job.run is None:
            return _error(409, job.not_ready())
        return job.run.to_json(cases=True)


def _process_routes(app: FastAPI, live: Live) -> None:
    """/api/process/{doc_id} (JSON) and /api/process/{doc_id}.svg."""
    def process(doc_id: str, amount: str | None, project_type: str | None, change_ratio: float | None = None):
        facts = _facts(amount, project_type, change_ratio=change_ratio)
        if isinstance(facts, JSONResponse):
            return facts
        a = live.current().assistant
        a.corpus.document(doc_id)  # NotFound (404) names the documents there are
        return build_process(a.context, doc_id, facts)

    # The .svg route first: the JSON route's {doc_id} would otherwise take "luan-2021.svg".
    @app.get("/api/process/{doc_id}.svg", tags=["项目自查"], summary="流程图（SVG）",
             response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
    def process_svg(doc_id: Annotated[str, PathParam(max_length=100, pattern=DOC_ID, examples=["luan-2021"])],
                    amount: AmountQuery = None,
                    project_type: KindQuery = None, change_ratio: RatioQuery = None):
        found = process(doc_id, amount, project_type, change_ratio)
        if isinstance(found, JSONResponse):
            return found
        return Response(to_svg(found), media_type="image/svg+xml; charset=utf-8")

    @app.get("/api/process/{doc_id}", tags=["项目自查"], summary="项目流程：各环节的主体、时限、金额门槛与依据条款")
    def process_json(doc_id: Annotated[str, PathParam(max_length=100, pattern=DOC_ID, examples=["luan-2021"])],
                     amount: AmountQuery = None,
                     project_type: KindQuery = None, change_ratio: RatioQuery = None):
        found = process(doc_id, amount, project_type, change_ratio)
        return found if isinstance(found, JSONResponse) else found.to_json()


def _mount_ui(app: FastAPI, live: Live, security: SecuritySettings) -> None:
    """The Gradio UI at /ui on the same server (login with the API key when one is set)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline: no usage pings
    import gradio as gr

    from assistant.server.ui import CSS, Exports, create_ui

    exports = Exports()  # the downloads' directory lives as long as the server
    app.router.on_shutdown.append(exports.close)
    ui = create_ui(Current(live, "assistant"), Current(live, "comparer"), Current(live, "grounded"),
                   jobs=app.state.eval_jobs, exports=exports)
    key = security.api_key
    # With an API key the UI asks for it at login (any user name, the key as password).
    auth = (lambda _user, password: hmac.compare_digest(password.encode(), key.encode())) if key else None
    gr.mount_gradio_app(app, ui, path="/ui", footer_links=[], css=CSS, auth=auth,
                        auth_message="请输入访问密钥（用户名任意）" if key else None)

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/ui/")


def limit_blas_threads() -> None:
    """One BLAS thread per server process. Requests are served concurrently already; numpy's
    OpenBLAS spinning a thread per core in each of several processes on the same cores cut
    /api/search from ~800 to ~60 requests/s on 2 cores (bench/load.py)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=int(os.environ["OPENBLAS_NUM_THREADS"]), user_api="blas")


def configure_logging() -> None:
    """The project's own log lines at REGASSIST_LOG_LEVEL (default info: one line per request,
    without the question's text unless REGASSIST_LOG_QUESTIONS=1); other libraries at warning."""
    level = os.environ.get("REGASSIST_LOG_LEVEL", "info").upper()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("assistant").setLevel(getattr(logging, level, logging.INFO))


def app_from_env() -> FastAPI:
    """The API for one worker process (`regassist serve --workers N`): settings from the
    environment, the index already built by the parent (never rebuilt here)."""
    from assistant.settings import Settings

    configure_logging()
    limit_blas_threads()
    s = Settings.from_env()
    return create_app(open_live(s), security=SecuritySettings.from_env(dict(os.environ)))

