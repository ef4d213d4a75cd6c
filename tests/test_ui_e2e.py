"""The web UI end to end: the real server (API + Gradio at /ui) on loopback, driven in Debian's
headless Chromium through Playwright. Screenshots of each tab are saved as test artifacts
(REGASSIST_ARTIFACTS, default test-artifacts/e2e; the README's come from docs/screenshots)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from assistant.server.api import create_app
from servers import serving

CHROMIUM = os.environ.get("REGASSIST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("REGASSIST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts" / "e2e"))
WAIT_MS = 120_000  # the deadline of every wait for the page (see the page fixture)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def server(assistant):
    with serving(create_app(assistant, with_ui=True)) as base:
        yield base


@pytest.fixture(scope="module")
def llm_server(assistant):
    """The same UI answering through a (scripted) OpenAI-compatible model on loopback."""
    from assistant.settings import LlmSettings
    from assistant.llm.grounded import Grounded
    from assistant.llm.chat import OpenAIChat
    from fake_llm import FakeLLM

    fake = FakeLLM().start()
    chat = OpenAIChat(LlmSettings(base_url=fake.base_url, model="qwen-test", timeout=5))
    grounded = Grounded(assistant, chat, Path(__file__).resolve().parents[1] / "prompts")
    try:
        with serving(create_app(assistant, with_ui=True, grounded=grounded)) as base:
            yield base, fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def page(server):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        why = f"no Chromium at {CHROMIUM}: apt-get install chromium (as root), or set REGASSIST_CHROMIUM"
        if os.environ.get("REGASSIST_REQUIRE_BROWSER") == "1":
            pytest.fail(why)  # CI: a missing browser is a failure, never a silent skip
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        # Every wait polls for a condition up to this deadline. On a busy 2-core machine (a second
        # test run beside this one) a file upload has taken more than 30 s to show.
        page.set_default_timeout(WAIT_MS)
        yield page
        browser.close()


def _tab(page, name: str) -> None:
    """Open a tab, clicking again until it shows as selected: on a busy machine a click that
    lands before the page's scripts are ready is lost, and the tab's contents never render."""
    tab = page.get_by_role("tab", name=name)
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        tab.click()
        try:
            page.wait_for_function("el => el.getAttribute('aria-selected') === 'true'", arg=tab.element_handle(),
                                   timeout=5_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise AssertionError(f"the {name} tab never showed as selected after clicking it") from None


def _upload(page, component: str, path: Path) -> None:
    """Set a file on an upload component until it shows the file's name. Beside a second test run
    the name has failed to show within 120 s; setting the file again is what a user would do."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(component).wait_for()
    deadline = time.monotonic() + 2 * WAIT_MS / 1000
    while True:
        page.locator(f"{component} input[type=file]").set_input_files(str(path))
        try:
            page.locator(component).get_by_text(path.name).wait_for(timeout=WAIT_MS // 2)
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise AssertionError(f"{path.name} never showed in {component} after uploading it") from None


def test_root_redirects_to_the_ui(server):
    r = httpx.get(server + "/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/ui/"


def test_ask_shows_the_answer_and_the_cited_clause(page, server):
    page.goto(server + "/ui/")
    page.locator("#question textarea").fill("乐山试运行多久才能验收？")
    page.locator("#ask-button").click()
    bot = page.locator("#chat")
    bot.get_by_text("第三十一条第一款").first.wait_for()
    assert "3 个月" in bot.inner_text()
    summary = bot.locator("summary", has_text="第三十一条").first
    summary.click()  # expand the citation to the full clause
    bot.get_by_text("验收资料包括项目建设总结").first.wait_for()
    assert "有效期至2027年6月24日" in bot.inner_text()
    page.screenshot(path=str(ARTIFACTS / "ask.png"), full_page=True)


def test_chat_answers_a_follow_up_from_the_conversation(page, server):
    """Two turns: the second omits the topic; the chat sends its history and the answer says
    what it carried over."""
    page.goto(server + "/ui/")
    page.locator("#question textarea").fill("六安试运行多久？")
    page.locator("#ask-button").click()
    bot = page.locator("#chat")
    bot.get_by_text("不低于1个月").first.wait_for()
    page.locator("#question textarea").fill("那乐山呢？")
    page.locator("#ask-button").click()
    bot.get_by_text("承接上一问").first.wait_for()
    text = bot.inner_text()
    assert "3 个月" in text and "按乐山市作答" in text and "语料库中没有" not in text
    page.screenshot(path=str(ARTIFACTS / "follow-up.png"), full_page=True)


def test_ask_out_of_corpus_says_not_covered(page, server):
    page.goto(server + "/ui/")
    page.locator("#question textarea").fill("北京市政务项目验收要多久？")
    page.locator("#ask-button").click()
    page.locator("#chat").get_by_text("语料库未覆盖该问题").wait_for()


def test_compare_shows_all_four_cities(page, server):
    page.goto(server + "/ui/")
    _tab(page, "城市对比")
    page.get_by_label("或自由提问（优先）").fill("比较各地试运行期限")
    page.locator("#compare-button").click()
    table = page.locator("#compare-table table.compare")
    table.wait_for()
    header = table.locator("thead").inner_text()
    for city in ("六安市", "乐山市", "上城区", "启东市"):
        assert city in header
    marks = table.locator("mark").all_inner_texts()
    assert {"1个月", "3 个月", "30天"} <= set(marks)
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    # the export links download the same table
    link = page.locator("a[href*='.csv']").first
    link.wait_for()
    href = link.get_attribute("href")
    csv_text = httpx.get(href if href.startswith("http") else server + href).content.decode("utf-8-sig")
    assert csv_text.startswith("主题,六安市") and "〔1个月〕" in csv_text


def test_compare_exports_excel_and_draws_each_city_side_by_side(page, server):
    page.goto(server + "/ui/")
    _tab(page, "城市对比")
    page.locator("#compare-cities").get_by_label("上城区").uncheck()
    page.locator("#compare-cities").get_by_label("启东市").uncheck()
    page.get_by_label("或自由提问（优先）").fill("比较各地试运行期限")
    page.locator("#compare-button").click()
    page.locator("#compare-table table.compare").wait_for()
    link = page.locator("a[href*='.xlsx']").first
    link.wait_for()
    href = link.get_attribute("href")
    import io
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(httpx.get(href if href.startswith("http") else server + href).content))
    assert [c.value for c in book["对比"][1]][1:] == ["六安市《六安市电子政务项目建设管理办法》",
                                                      "乐山市《乐山市市级政务信息化项目管理办法》"]
    page.get_by_text("各城市流程图").click()
    diagrams = page.locator("#compare-process svg")
    diagrams.first.wait_for()
    assert diagrams.count() == 2
    left, right = diagrams.nth(0).bounding_box(), diagrams.nth(1).bounding_box()
    assert left and right and right["x"] > left["x"] + left["width"] - 1  # side by side


def test_compare_refuses_what_the_chat_refuses(page, server):
    page.goto(server + "/ui/")
    _tab(page, "城市对比")
    page.get_by_label("或自由提问（优先）").fill("各地验收专家评审费标准是多少")
    page.locator("#compare-button").click()
    page.locator("#compare-table").get_by_text("收录的办法没有规定").wait_for()
    assert page.locator("#compare-table table.compare").count() == 0


def test_browse_opens_a_clause_from_a_direct_link(page, server):
    page.goto(server + "/ui/?doc=qidong-2019&article=" + quote("第十三条"))
    clause = page.locator("#clause")
    clause.get_by_text("启东市电子政务工程建设项目管理暂行办法》第十三条").wait_for()
    assert "工程监理" in clause.inner_text()
    page.get_by_label("在本文件中检索").fill("验收")
    page.get_by_role("button", name="检索", exact=True).click()
    page.get_by_text("第二十条").first.wait_for()
    assert "第十三条" in clause.inner_text()  # the linked clause stays open
    href = page.get_by_role("link", name="第二十条").first.get_attribute("href")  # a result links to its clause
    page.goto(href if href.startswith("http") else server + href)
    clause.get_by_text("暂行办法》第二十条").wait_for()
    page.get_by_label("在本文件中检索").fill("验收")
    page.get_by_role("button", name="检索", exact=True).click()
    page.get_by_text("附件4·一、验收时限").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "browse.png"), full_page=True)


def test_browse_follows_a_clause_reference(page, server):
    page.goto(server + "/ui/?doc=leshan-2022&article=" + quote("第三十九条"))
    clause = page.locator("#clause")
    clause.get_by_text("管理办法》第三十九条").wait_for()
    link = clause.get_by_role("link", name="本办法第三十七条").first
    href = link.get_attribute("href")
    page.goto(href if href.startswith("http") else server + href)
    clause.get_by_text("管理办法》第三十七条").wait_for()
    assert "运维方案" in clause.inner_text()


def test_self_check_lists_cited_rules_for_a_project(page, server):
    page.goto(server + "/ui/")
    _tab(page, "项目自查")
    page.get_by_label("项目金额").fill("三百万")
    page.get_by_label("新建").check()
    page.locator("#check-button").click()
    report = page.locator("#check-report")
    report.get_by_text("规则计算").wait_for()
    text = report.inner_text()
    assert "六安市" in text and "第十六条" in text and "全流程清单" in text
    # The process for this project, drawn: every stage, the path 300万 takes marked.
    diagram = page.locator("#check-process svg")
    diagram.wait_for()
    box = diagram.bounding_box()
    assert box and box["width"] >= 800 and box["height"] > box["width"]  # drawn at its own size: legible
    drawn = diagram.text_content()
    for stage in ("申报", "审查", "立项", "采购", "建设", "验收", "运维", "评价"):
        assert stage in drawn
    assert "项目金额 < 500万元" in drawn and "✔ 适用" in drawn
    diagram.screenshot(path=str(ARTIFACTS / "process.png"))
    page.screenshot(path=str(ARTIFACTS / "check.png"), full_page=True)
    # The Word file is offered for download and is the self-check.
    link = page.locator("#check-word a[href*='.docx']").first
    link.wait_for()
    href = link.get_attribute("href")
    word = httpx.get(href if href.startswith("http") else server + href)
    import docx
    import io
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "项目自查报告（六安市）" in text and "300万元 ≥ 100万元" in text


def test_chat_streams_the_model_and_shows_the_checked_answer(page, llm_server):
    base, fake = llm_server
    fake.script("六安的电子政务项目建设完成后，要试运行3个月才能申请竣工验收。[C1]")
    page.goto(base + "/ui/")
    page.locator("#question textarea").fill("六安的项目试运行要多久？")
    page.locator("#ask-button").click()
    bot = page.locator("#chat")
    bot.get_by_text("由大模型依据所引条款改写").wait_for()
    text = bot.inner_text()
    assert "试运行1个月" in text and "〔第十九条〕" in text
    assert "已按条款改为“1个月”" in text  # the guard's correction is shown
    page.screenshot(path=str(ARTIFACTS / "ask-llm.png"), full_page=True)


def test_api_docs_render_with_the_network_blocked(page, server):
    """/docs loads Swagger UI from files installed with the project: with every request that
    leaves loopback aborted, the page still lists the API's operations."""
    left: list[str] = []

    def only_loopback(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    try:
        page.goto(server + "/docs")
        page.locator(".opblock").first.wait_for()
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert {"/api/ask", "/api/search", "/api/compare", "/api/check"} <= {p.replace("\u200b", "") for p in paths}
        assert left == []
    finally:
        page.unroute("**/*")


def test_eval_tab_runs_an_uploaded_set_and_its_report_shows_every_case(page, server, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    rows = [["问题", "城市", "标准答案", "依据条款", "应拒答"],
            ["乐山的项目试运行多久才能验收？", "乐山", "经3个月试运行正常后组织验收", "乐山 第31条", "否"],
            ["多少钱以上的项目要请监理？", "六安", "100万元及以上须引入监理", "第十六条", "否"],
            ["项目验收专家评审费每人多少钱？", "", "办法没有规定", "", "是"]]
    for row in rows:
        book.active.append(row)
    path = tmp_path / "我的评测集.xlsx"
    book.save(path)
    page.goto(server + "/ui/")
    _tab(page, "评测")
    _upload(page, "#eval-upload", path)
    page.locator("#eval-button").click()
    status = page.locator("#eval-status")
    status.get_by_text("评测完成").wait_for(timeout=2 * WAIT_MS)
    assert "3 个用例，通过 3 个" in status.inner_text()
    link = page.locator("#eval-report a[href*='.html']").first
    link.wait_for()
    href = link.get_attribute("href")
    report = tmp_path / "report.html"
    report.write_bytes(httpx.get(href if href.startswith("http") else server + href).content)
    page.goto(report.as_uri())
    assert page.locator("tr[id^='case-']").count() == 3
    assert page.get_by_text("通过率").count() > 0 and page.get_by_text("按城市").count() == 1
    for question in (r[0] for r in rows[1:]):
        assert page.get_by_text(question).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "eval-report.png"), full_page=True)
