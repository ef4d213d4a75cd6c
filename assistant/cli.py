"""`regassist` command line: parse arguments, call one core function, print, map errors to exit codes."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from assistant.settings import Settings
from assistant.errors import IndexNotBuilt, InvalidInput, NotFound, RegassistError
from assistant.limits import checked_question
from assistant.search.retrievers import Mode

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="regassist：电子政务/政务信息化项目管理办法问答助手（条款引用、城市对比）。")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as exc:
        _fail(str(exc), 2)


def _fail(message: str, code: int = 1):
    typer.secho(f"错误：{message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


class _Bar:
    """A progress bar on stderr for index builds (tqdm), one per stage."""

    def __init__(self) -> None:
        self.bars: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        names = {"tokenize": "分词", "bm25": "BM25", "embed": "向量"}
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=names.get(stage, stage), file=sys.stderr,
                                          unit="条", leave=True, disable=None)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def _assistant(settings: Settings, mode: Optional[str] = None, rebuild: bool = True):
    from assistant.assistant import Assistant, Options

    options = Options(mode=Mode.parse(mode) if mode else settings.mode)
    try:
        return Assistant.open(settings.corpus_dir, settings.index_dir, settings.embedder, options,
                              rebuild=rebuild, progress=_Bar(), chroma_url=settings.chroma_url,
                              cache_dir=settings.cache_dir)
    except RegassistError as exc:
        _fail(str(exc))


def _grounded(settings: Settings, assistant):
    """Answers through the LLM when one is configured (REGASSIST_LLM_BASE_URL), else extractive."""
    from assistant.llm.grounded import make_grounded

    try:
        return make_grounded(assistant, settings)
    except RegassistError as exc:
        _fail(str(exc))


def _dump(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def index(force: bool = typer.Option(False, "--force", help="即使索引是最新的也重建")):
    """构建（或更新）索引：解析 corpus/ 中的办法，写入 Chroma 与 BM25。"""
    from assistant.corpus.catalog import load_catalog
    from assistant.search.embedders import make_embedder
    from assistant.search.index import build_index, expected_manifest, load_index, make_tokenizer

    s = _settings()
    try:
        catalog = load_catalog(s.corpus_dir)
        tokenizer = make_tokenizer(catalog)
        embedder = make_embedder(s.embedder, s.cache_dir)
        expected = expected_manifest(catalog, tokenizer, embedder, s.chroma_url)
        if not force:
            try:
                idx = load_index(s.index_dir, expected, s.chroma_url)
                typer.echo(f"索引已是最新：{idx.path}（{idx.manifest['clauses']} 个条款）")
                return
            except IndexNotBuilt:
                pass
        path = build_index(s.corpus_dir, s.index_dir, tokenizer, embedder, progress=_Bar(), chroma_url=s.chroma_url)
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        typer.echo(f"索引已构建：{path}（{manifest['clauses']} 个条款，{manifest['build_seconds']} 秒，"
                   f"向量模型 {manifest['embedder']}）")
    except RegassistError as exc:
        _fail(str(exc))


@app.command()
def search(query: str, city: Optional[str] = typer.Option(None, "--city", help="只在该城市的办法中检索"),
           k: int = typer.Option(5, "--k", min=1, max=100, help="返回条数"),
           mode: Optional[str] = typer.Option(None, "--mode", help="bm25 / dense / hybrid"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON")):
    """检索条款（最相关的在前）。"""
    a = _assistant(_settings(), mode)
    try:
        hits = a.search(query, k=k, scope=a.scope(city) if city else None)
    except NotFound as exc:
        _fail(str(exc))
    if as_json:
        _dump([h.to_json() for h in hits])
        return
    if not hits:
        typer.echo("没有检索到相关条款。")
    for i, h in enumerate(hits, 1):
        typer.secho(f"{i}. {h.meta.city}《{h.meta.title}》{h.clause.label}  (score {h.score:.4f})", bold=True)
        typer.echo(h.clause.text + "\n")


@app.command()
def ask(question: str, city: Optional[str] = typer.Option(None, "--city", help="限定城市"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON")):
    """提问：给出答案与引用条款；语料不涉及时明确说明。"""
    s = _settings()
    try:
        question = checked_question(question)
    except InvalidInput as exc:
        _fail(str(exc), code=2)  # as the API's 422: the input, not the service
    a = _assistant(s)
    try:
        answer = _grounded(s, a).ask(question, city=city)
    except NotFound as exc:
        _fail(str(exc))
    if as_json:
        _dump(answer.to_json())
        return
    typer.echo(answer.answer)
    if answer.citations:
        typer.secho("\n引用条款：", bold=True)
        for c in answer.citations:
            typer.secho(f"— {c.city}《{c.title}》{c.article}", bold=True)
            typer.echo(c.text)


@app.command()
def chat(city: Optional[str] = typer.Option(None, "--city", help="限定城市")):
    """连续问答：追问可省略城市与环节（“那乐山呢？”）。输入空行或“退出”结束。"""
    s = _settings()
    a = _assistant(s)
    grounded = _grounded(s, a)
    history: list[str] = []
    typer.echo("连续问答（空行或“退出”结束）。追问时可省略城市与环节，例如先问“六安试运行多久？”再问“那乐山呢？”。")
    for line in sys.stdin:
        question = line.strip()
        if not question or question in ("退出", "exit", "quit"):
            break
        try:
            answer = grounded.ask(checked_question(question), city=city, history=history)
        except (InvalidInput, NotFound) as exc:
            typer.secho(f"错误：{exc}", fg=typer.colors.RED, err=True)
            continue
        typer.echo(answer.answer)
        for c in answer.citations:
            typer.secho(f"— {c.city}《{c.title}》{c.article}", bold=True)
        typer.echo("")
        history.append(question)


@app.command()
def show(doc_id: str, label: str, as_json: bool = typer.Option(False, "--json", help="输出 JSON")):
    """按编号查看条款原文，例如：regassist show leshan-2022 第三十一条"""
    a = _assistant(_settings())
    try:
        meta, clause = a.show(doc_id, label)
    except NotFound as exc:
        _fail(str(exc))
    if as_json:
        _dump({"doc_id": meta.doc_id, "city": meta.city, "title": meta.title, "article": clause.label,
               "chapter": clause.chapter, "text": clause.text})
        return
    typer.secho(f"{meta.city}《{meta.title}》{clause.label}" + (f"（{clause.chapter}）" if clause.chapter else ""),
                bold=True)
    typer.echo(clause.text)


@app.command()
def ingest(path: Path, city: str = typer.Option(..., "--city", help="城市，例如 苏州市"),
           doc_id: str = typer.Option(..., "--doc-id", help="稳定的 ASCII 编号，例如 suzhou-2023"),
           title: Optional[str] = typer.Option(None, "--title", help="标题（默认从正文识别）"),
           status: str = typer.Option("现行", "--status", help="现行 / 暂行 / 征求意见稿 / 废止"),
           province: Optional[str] = typer.Option(None, "--province"),
           level: Optional[str] = typer.Option(None, "--level", help="地级市 / 县级市 / 市辖区 …"),
           doc_number: Optional[str] = typer.Option(None, "--doc-number", help="文号"),
           issuer: Optional[str] = typer.Option(None, "--issuer", help="发文机关"),
           issue_date: Optional[str] = typer.Option(None, "--issue-date", help="YYYY-MM-DD"),
           alias: list[str] = typer.Option([], "--alias", help="城市的其他叫法，可重复")):
    """添加一份办法（.txt UTF-8/GBK、.docx、.pdf），写入 corpus/ 与目录文件；随后运行 regassist index。"""
    from assistant.corpus.ingest import ingest as do_ingest

    s = _settings()
    try:
        when = date.fromisoformat(issue_date) if issue_date else None
    except ValueError:
        _fail(f"--issue-date 应为 YYYY-MM-DD，收到 {issue_date!r}", 2)
    try:
        entry = do_ingest(path, s.corpus_dir, city=city, doc_id=doc_id, title=title, status=status,
                          province=province, level=level, doc_number=doc_number, issuer=issuer,
                          issue_date=when, aliases=tuple(alias))
    except RegassistError as exc:
        _fail(str(exc))
    typer.echo(f"已添加 {entry['doc_id']}：{entry['title']}（{entry['city']}，编码 {entry['encoding']}）。"
               "运行 regassist index 更新索引。")


@app.command("eval")
def evaluate(cases: Path = typer.Option(None, "--cases", help="评测集（默认 evals/cases.yaml）"),
             out: Path = typer.Option(None, "--out", help="报告目录（默认 evals/）"),
             gate: bool = typer.Option(False, "--gate", help="低于 evals/thresholds.yaml 中的门槛时以退出码 1 结束"),
             verbose: bool = typer.Option(False, "--verbose", "-v", help="列出失败的用例"),
             llm: bool = typer.Option(False, "--llm", help="经配置的大模型回答（REGASSIST_LLM_*），报告写入 report-llm.*"),
             limit: int = typer.Option(0, "--limit", min=0, help="只跑前 N 个用例（0 = 全部）"),
             aggregate: bool = typer.Option(False, "--aggregate", help="只报告汇总指标、不列出用例（封存的评测集用）"),
             template: bool = typer.Option(False, "--template",
                                           help="输出评测集模板（Excel）到标准输出：regassist eval --template > 模板.xlsx"),
             compare: Optional[tuple[Path, Path]] = typer.Option(None, "--compare", metavar="RUN_A.json RUN_B.json",
                                                       help="对比两次评测（各自的 .json 报告）：翻转的用例、指标变化、McNemar 检验")):
    """运行评测集：检索 hit@k/MRR、引用与关键词准确率、拒答准确率、跨城市污染，写出报告。

    评测集可以是项目自己的 YAML，也可以是评测者的表格（.xlsx / .csv / .jsonl / .yaml），列为
    问题、城市、标准答案、依据条款、应拒答（见 --template）。"""
    import time

    from assistant.evals.pipeline import evaluate as run_eval, evaluate_llm
    from assistant.evals.report import table

    if template:
        _write_template()
        return
    if compare:
        _compare_runs(*compare)
        return
    s = _settings()
    root = s.corpus_dir.parent
    cases_path = cases or root / "evals" / "cases.yaml"
    if not cases_path.is_file():
        _fail(f"找不到评测集 {cases_path}", 2)
    out_dir = out or cases_path.parent
    stem = "report" if cases_path.name == "cases.yaml" else f"report-{cases_path.stem}"
    try:
        shown = str(cases_path.resolve().relative_to(root.resolve()))
    except ValueError:
        shown = str(cases_path)
    # What the committed report failed, read before this run writes its own over it.
    before = _committed_failures(cases_path.parent / f"{stem}.json") if gate else None
    a = _assistant(s)
    started = time.perf_counter()
    from assistant.evals.sheets import is_project_schema, load_any

    try:
        all_cases = load_any(cases_path, a)
    except (InvalidInput, ValueError) as exc:
        _fail(str(exc), 2)
    if limit:
        all_cases = all_cases[:limit]
    if not is_project_schema(cases_path.read_bytes(), cases_path.name):
        # An evaluator's own set: every case through the answers, with progress; the report in
        # Markdown, JSON (with each case, for --compare) and one HTML file to read or send on.
        if llm and s.llm is None:
            _fail("--llm 需要先配置大模型：REGASSIST_LLM_BASE_URL 与 REGASSIST_LLM_MODEL", 2)
        _evaluate_sheet(a, all_cases, shown, out_dir, stem, aggregate, _grounded(s, a).ask if llm else None,
                        s.llm.model if llm else None)
        typer.echo(f"用时 {time.perf_counter() - started:.1f} 秒")
        return
    if llm:
        if s.llm is None:
            _fail("--llm 需要先配置大模型：REGASSIST_LLM_BASE_URL 与 REGASSIST_LLM_MODEL", 2)
        result = evaluate_llm(a, all_cases, _grounded(s, a).ask, s.llm.model, shown, aggregate)
        report_path = result.write(out_dir, stem.replace("report", "report-llm", 1), chart=False)
        metrics = result.report.metrics()
        typer.echo(table({f"llm ({s.llm.model})": metrics}, tuple(metrics)))
        typer.echo(f"\n{len(all_cases)} 个用例，用时 {time.perf_counter() - started:.1f} 秒；报告：{report_path}")
    else:
        result = run_eval(a, all_cases, shown, aggregate)
        report_path = result.write(out_dir, stem)
        metrics = result.report.metrics()
        typer.echo(table({"assistant": metrics}, tuple(metrics)))
        typer.echo("")
        typer.echo(table({x["name"]: x for x in result.ablations}, ("cases", "hit@1", "hit@5", "mrr")))
        typer.echo("")
        typer.echo(table({x["name"]: x for x in result.baselines}, ("cases", "chunks", "hit@1", "hit@5", "mrr")))
        typer.echo(f"\n{len(all_cases)} 个用例，用时 {time.perf_counter() - started:.1f} 秒；"
                   f"报告：{report_path}，图表：{report_path.with_suffix('.png')}")
    if verbose and not aggregate:
        for r in result.report.failures():
            typer.echo(f"失败 {r.case.id} {r.case.q}")
    if gate:
        _gate(result.report, cases_path, before)


def _write_template() -> None:
    from assistant.evals.sheets import template_xlsx

    if sys.stdout.isatty():
        _fail("模板是 Excel 文件，请重定向到文件：regassist eval --template > 模板.xlsx", 2)
    sys.stdout.buffer.write(template_xlsx())
    sys.stdout.flush()


def _compare_runs(a_path: Path, b_path: Path) -> None:
    from assistant.evals.paired import compare_runs, load_run

    try:
        paired = compare_runs(load_run(a_path), load_run(b_path), a_path.name, b_path.name)
    except InvalidInput as exc:
        _fail(str(exc), 2)
    typer.echo(paired.render())


def _evaluate_sheet(a, cases, shown: str, out_dir: Path, stem: str, aggregate: bool, ask_fn, model) -> None:
    from tqdm import tqdm

    from assistant.evals.report import EvalRun, table
    from assistant.evals.run import run

    with tqdm(total=len(cases), desc="评测", unit="题", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        report = run(a, cases, name="llm" if ask_fn else "default", ask_fn=ask_fn or None,
                     progress=lambda done, total: bar.update(1))
    command = f"regassist eval --cases {shown}" + (f" --llm（{model}）" if model else "")
    result = EvalRun(report, command, model=model, cases_name=shown, aggregate_only=aggregate,
                     places={m.doc_id: m.city for m in a.corpus.catalog.docs})
    name = stem.replace("report", "report-llm", 1) if model else stem
    md = result.write(out_dir, name, chart=False, cases=True)
    metrics = report.metrics()
    typer.echo(table({"assistant": metrics}, tuple(metrics)))
    typer.echo(f"\n{len(cases)} 个用例，通过 {sum(r.passed for r in report.results)} 个。"
               f"报告：{md.with_suffix('.html')}（网页），{md}，{md.with_suffix('.json')}")


def _committed_failures(path: Path) -> list[str] | None:
    try:
        failures = json.loads(path.read_text(encoding="utf-8")).get("failures")
    except (OSError, ValueError, AttributeError):
        return None
    return failures if isinstance(failures, list) else None


def _gate(report, cases_path: Path, before: list[str] | None) -> None:
    import yaml

    from assistant.evals.report import flipped, thresholds_failed

    thresholds = yaml.safe_load((cases_path.parent / "thresholds.yaml").read_text(encoding="utf-8"))
    failed = thresholds_failed(report, thresholds)
    if before is not None:
        broke, fixed = flipped(before, [r.case.id for r in report.failures()])
        typer.echo(f"与提交的报告相比：新失败 {len(broke)} 个{'（' + '、'.join(broke) + '）' if broke else ''}，"
                   f"新通过 {len(fixed)} 个{'（' + '、'.join(fixed) + '）' if fixed else ''}。")
    if failed:
        _fail("评测低于门槛：" + "；".join(failed))
    typer.echo("评测门槛：全部达到。")


class LogLevel(str, Enum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（对外提供服务时用 0.0.0.0）"),
          port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口"),
          ui: bool = typer.Option(True, "--ui/--no-ui", help="同时提供网页界面（/ui）"),
          workers: int = typer.Option(1, "--workers", min=1, max=64, help="进程数（>1 时仅提供 /api 接口）"),
          log_level: LogLevel = typer.Option(LogLevel.INFO, "--log-level",
                                             help="日志级别：info 每个请求一行（方法、路径、状态码、耗时）")):
    """启动 HTTP 服务：/api 接口、/docs 接口文档、/ui 网页界面。"""
    import uvicorn

    from assistant.server.api import configure_logging, limit_blas_threads
    from assistant.server.transport import server_options

    limit_blas_threads()  # inherited by the worker processes through the environment
    os.environ["REGASSIST_LOG_LEVEL"] = log_level.value  # ... as is the log level
    configure_logging()
    s = _settings()
    try:
        from assistant.server.security import SecuritySettings

        security = SecuritySettings.from_env(dict(os.environ))
    except ValueError as exc:
        _fail(str(exc), 2)
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if workers > 1:
        index(force=False)  # build the index first when needed, once, before any worker starts
        typer.echo(f"启动 {workers} 个进程（仅 /api 接口；网页界面需单进程）：{base}/docs", err=True)
        uvicorn.run("assistant.server.api:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", **server_options(security))
        return
    from assistant.server.api import create_app
    from assistant.server.live import open_live

    try:
        live = open_live(s, rebuild=True, progress=_Bar())
    except RegassistError as exc:
        _fail(str(exc))
    app_ = create_app(live, with_ui=ui, security=security)
    if s.llm:
        typer.echo(f"回答经大模型改写：{s.llm.describe()}（引用与数字逐句核对）", err=True)
    typer.echo(f"服务已启动：{base}/ui/ （网页界面）  {base}/docs （接口文档）  按 Ctrl+C 停止", err=True)
    uvicorn.run(app_, host=host, port=port, log_level="warning", **server_options(security))


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
    app()


if __name__ == "__main__":
    main()
