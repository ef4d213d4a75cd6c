"""An evaluator's own question set, as people keep one: a spreadsheet (.xlsx, .csv), or .jsonl /
.yaml rows, with the columns 问题, 城市, 标准答案, 依据条款, 应拒答 (English aliases accepted; 编号 and
类型 optional). Rows become Cases: cities and clause labels are resolved against the corpus
("乐山 第31条" → leshan-2022/第三十一条; a 款 counts as its article), and every problem is reported
with its row and column, all at once."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import InvalidInput, NotFound
from assistant.evals.cases import Case, load_cases
from assistant.text import int_to_cn

# Column → the names it may have in a header (Chinese first, then English aliases).
COLUMNS: dict[str, tuple[str, ...]] = {
    "question": ("问题", "question", "q", "query"),
    "city": ("城市", "city", "cities", "地区"),
    "reference": ("标准答案", "参考答案", "reference", "answer", "expected_answer", "gold"),
    "clauses": ("依据条款", "条款", "clauses", "citations", "articles", "references"),
    "refuse": ("应拒答", "拒答", "refuse", "should_refuse", "unanswerable"),
    "id": ("编号", "id", "case_id"),
    "kind": ("类型", "kind", "type", "category"),
}
HEADERS = {c: names[0] for c, names in COLUMNS.items()}
REQUIRED = ("question",)
_YES = {"是", "y", "yes", "true", "1", "对", "应拒答", "拒答"}
_NO = {"否", "n", "no", "false", "0", "", "不", "不拒答", "无"}
_SPLIT = re.compile(r"[；;，,、\n]+")
_LABEL = re.compile(r"第\s*(\d+|[一二三四五六七八九十百零〇]+)\s*条")
MAX_ROWS = 2000
SUFFIXES = (".xlsx", ".csv", ".jsonl", ".yaml", ".yml")
# The template's filled rows: real questions and the clauses that answer them.
EXAMPLES = [
    {"编号": "R1", "问题": "乐山的项目试运行多久才能验收？", "城市": "乐山",
     "标准答案": "项目完成所有建设内容并经3个月试运行正常后组织验收。", "依据条款": "乐山 第三十一条", "应拒答": "否"},
    {"编号": "R2", "问题": "项目投资多少钱以上要请监理？", "城市": "六安",
     "标准答案": "原则上投资预算达到100万元及以上的电子政务项目须引入监理。", "依据条款": "六安 第16条", "应拒答": "否"},
    {"编号": "R3", "问题": "六安和乐山试运行的要求有什么不同？", "城市": "六安、乐山",
     "标准答案": "六安不低于1个月；乐山3个月试运行正常后组织验收。", "依据条款": "六安 第十九条；乐山 第三十一条",
     "应拒答": "否"},
    {"编号": "R4", "问题": "项目验收专家的评审费每人按多少钱发？", "城市": "",
     "标准答案": "收录的办法没有规定评审费标准。", "依据条款": "", "应拒答": "是"},
]


@dataclass(frozen=True)
class Row:
    """One row as read: its number in the file (for errors) and its cells by column."""

    number: int
    cells: dict[str, str]


def read_rows(data: bytes, name: str) -> list[Row]:
    """The rows of a file by its suffix; InvalidInput names what cannot be read."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        raw = _xlsx(data)
    elif suffix == ".csv":
        raw = _csv(data)
    elif suffix == ".jsonl":
        raw = _jsonl(data)
    elif suffix in (".yaml", ".yml"):
        raw = _yaml(data)
    else:
        raise InvalidInput(f"不支持的文件类型“{suffix or name}”：请用 {'、'.join(SUFFIXES)}")
    rows = [r for r in raw if any(v.strip() for v in r.cells.values())]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"评测集有 {len(rows)} 行，最多 {MAX_ROWS} 行：请拆分后分别评测")
    return rows


def _columns(header: list[str], where: str) -> dict[int, str]:
    """Header cells → column keys; an unknown header is ignored, a missing 问题 is an error."""
    found: dict[int, str] = {}
    for i, head in enumerate(header):
        key = _column(head)
        if key is not None and key not in found.values():
            found[i] = key
    missing = [HEADERS[c] for c in REQUIRED if c not in found.values()]
    if missing:
        raise InvalidInput(f"{where}缺少列“{'、'.join(missing)}”：表头应包括 {'、'.join(HEADERS[c] for c in COLUMNS)}"
                           f"（也可用英文列名，如 question、city、reference、clauses、refuse）")
    return found


def _column(head) -> str | None:
    text = str(head or "").strip().lower()
    return next((c for c, names in COLUMNS.items() if text in names), None)


MAX_CELL = 2000  # characters of one cell (a question is at most 500; a reference answer a paragraph)
MAX_COLUMNS = 64


def _cell(value, number_format: str = "") -> str:
    """A cell's text: a whole number without ".0", a percentage as Excel shows it (0.15 → 15%)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in number_format:
        value = f"{value * 100:g}%"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, dict)):
        raise InvalidInput("单元格应为文字或数字，不能是列表或嵌套结构")
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise InvalidInput(f"单元格过长：最多 {MAX_CELL} 个字符（现有 {len(text)} 个）")
    return text


def _table(rows: list[list], where: str) -> list[Row]:
    if len(rows) > MAX_ROWS + 1:
        raise InvalidInput(f"{where}超过 {MAX_ROWS} 行：请拆分后分别评测")
    if not rows:
        raise InvalidInput(f"{where}是空的：第一行应为表头（{'、'.join(HEADERS.values())}）")
    columns = _columns([_cell(h) for h in rows[0]], where)
    out = []
    for n, values in enumerate(rows[1:], 2):
        try:
            out.append(Row(n, {key: _cell(values[i]) if i < len(values) else "" for i, key in columns.items()}))
        except InvalidInput as exc:
            raise InvalidInput(f"第{n}行：{exc}") from None
    return out


def _xlsx(data: bytes) -> list[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or mislabelled file
        raise InvalidInput(f"无法读取 Excel 文件（{type(exc).__name__}）：请确认是 .xlsx 格式") from exc
    try:
        sheet = book.worksheets[0]
        # The size a file declares is not trusted: rows and columns are read up to the limits only.
        sheet.reset_dimensions()
        rows = []
        for n, row in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS), 1):
            try:
                rows.append([_cell(c.value, getattr(c, "number_format", "") or "") for c in row])
            except InvalidInput as exc:
                raise InvalidInput(f"第{n}行：{exc}") from None
        title = sheet.title
    finally:
        book.close()
    return _table(rows, f"工作表“{title}”")


def _decode(data: bytes, what: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel and Windows tools in Chinese save GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"无法识别{what}的编码：请另存为 UTF-8")


def _csv(data: bytes) -> list[Row]:
    try:
        rows = [row[:MAX_COLUMNS] for row in itertools.islice(csv.reader(io.StringIO(_decode(data, " CSV "))),
                                                              MAX_ROWS + 2)]
    except csv.Error as exc:
        raise InvalidInput(f"CSV 无法解析：{exc}") from exc
    return _table(rows, "CSV 文件")


def _jsonl(data: bytes) -> list[Row]:
    rows = []
    for n, line in enumerate(_decode(data, " JSONL ").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise InvalidInput(f"第{n}行不是合法的 JSON：{exc}") from exc
        if not isinstance(obj, dict):
            raise InvalidInput(f"第{n}行应为 JSON 对象（{{\"问题\": …}}）")
        rows.append((n, obj))
    return _objects(rows, "JSONL 文件")


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: a few hundred bytes of nested aliases expand to gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise InvalidInput("YAML 中不能使用锚点与别名（&、*）：请把每个用例写完整")
        return super().compose_node(parent, index)


def safe_yaml(text: str):
    try:
        return yaml.load(text, Loader=_NoAliases)  # noqa: S506 — a SafeLoader without aliases
    except yaml.YAMLError as exc:
        raise InvalidInput(f"YAML 无法解析：{exc}") from exc


def _yaml(data: bytes) -> list[Row]:
    obj = safe_yaml(_decode(data, " YAML "))
    items = obj.get("cases") if isinstance(obj, dict) else obj
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise InvalidInput("YAML 应为用例列表（每项含“问题”等字段），或含 cases 列表")
    return _objects(list(enumerate(items, 1)), "YAML 文件")


def _objects(items: list[tuple[int, dict]], where: str) -> list[Row]:
    keys = {k for _, obj in items for k in obj}
    columns = {k: _column(k) for k in keys}
    if "question" not in columns.values():
        _columns([], where)  # raises, naming the columns
    out = []
    for n, obj in items:
        cells = {}
        for k, v in obj.items():
            if columns.get(k) and columns[k] not in cells:
                try:
                    cells[columns[k]] = "；".join(map(_cell, v)) if isinstance(v, list) else _cell(v)
                except InvalidInput as exc:
                    raise InvalidInput(f"第{n}行「{HEADERS[columns[k]]}」：{exc}") from None
        out.append(Row(n, cells))
    return out


def is_project_schema(data: bytes, name: str) -> bool:
    """A YAML in the project's own case schema (evals/cases.yaml: id, kind, q, evidence …)."""
    if Path(name).suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        obj = safe_yaml(_decode(data, " YAML "))
    except InvalidInput:
        return False
    cases = obj.get("cases") if isinstance(obj, dict) else None
    return bool(cases) and isinstance(cases[0], dict) and "q" in cases[0]


def to_cases(rows: list[Row], assistant) -> list[Case]:
    """Rows → Cases, every city and clause label resolved; InvalidInput lists every problem."""
    problems: list[str] = []
    cases: list[Case] = []
    seen: set[str] = set()
    for row in rows:
        c = row.cells
        where = f"第{row.number}行"
        question = c.get("question", "")
        if not question:
            problems.append(f"{where}「{HEADERS['question']}」：不能为空")
            continue
        refuse = _flag(c.get("refuse", ""))
        if refuse is None:
            problems.append(f"{where}「{HEADERS['refuse']}」：“{c['refuse']}”应为 是 或 否")
            refuse = False
        doc_ids: list[str] = []
        for city in (x for x in _SPLIT.split(c.get("city", "")) if x.strip()):
            try:
                doc_ids += assistant.scope(city.strip()).doc_ids
            except NotFound as exc:
                problems.append(f"{where}「{HEADERS['city']}」：{exc}")
        articles, trouble = resolve_clauses(assistant, c.get("clauses", ""), doc_ids)
        problems += [f"{where}「{HEADERS['clauses']}」：{t}" for t in trouble]
        if refuse and articles:
            problems.append(f"{where}：应拒答为“是”时不应填写依据条款")
        case_id = c.get("id") or f"R{row.number}"
        if case_id in seen:
            problems.append(f"{where}「{HEADERS['id']}」：编号“{case_id}”重复")
        seen.add(case_id)
        cities = tuple(dict.fromkeys(doc_ids + [a.split("/")[0] for a in articles]))
        # One city named in its own column and none in the question: the question is asked of it.
        scope = c.get("city") if len(set(doc_ids)) == 1 and not assistant.analyzer.analyze(question).doc_ids else None
        cases.append(Case(id=case_id, kind=c.get("kind") or ("refuse" if refuse else "question"), q=question,
                          cities=cities, articles=tuple(articles), refuse=refuse,
                          reference=c.get("reference") or None, city=scope))
    if problems:
        raise InvalidInput("评测集有误：\n" + "\n".join(problems))
    return cases


def _flag(text: str) -> bool | None:
    value = text.strip().lower()
    return True if value in _YES else False if value in _NO else None


def resolve_clauses(assistant, text: str, doc_ids: list[str]) -> tuple[list[str], list[str]]:
    """"乐山 第31条，第三十二条；六安 第十九条第二款；启东 附件4·四、验收条件" → clause ids (a 款 or 项 as
    its article). A label without a city is read in the city named before it in the cell, else in
    the row's one city. Returns (ids, problems)."""
    ids, problems = [], []
    current = list(dict.fromkeys(doc_ids))
    for piece in (p.strip() for p in re.split(r"[；;，,\n]+", text) if p.strip()):
        labels = list(_LABEL.finditer(piece))
        at = labels[0].start() if labels else piece.find("附件")
        place = piece[:at].strip(" ：:") if at >= 0 else piece
        docs = current
        if place:
            try:
                docs = current = list(assistant.scope(place).doc_ids)
            except NotFound as exc:
                problems.append(str(exc))
                continue
        if at < 0:
            problems.append(f"“{piece}”中没有条款编号（如 第三十一条、第31条、附件4·四、验收条件）")
            continue
        if len(docs) != 1:
            problems.append(f"“{piece}”：请写明城市（如 乐山 第三十一条）" if not docs else
                            f"“{piece}”：城市对应多个文件，请写明城市")
            continue
        doc = assistant.corpus.documents[docs[0]]
        known = {cl.label for cl in doc.clauses}
        wanted = [_article(m) for m in labels] or [_attachment(piece[at:], known)]
        for label in wanted:
            if label not in known:
                problems.append(f"《{doc.meta.title}》没有“{label}”" + ("（附件请写到节，如 附件4·一、验收时限）"
                                                                      if label.startswith("附件") else ""))
                continue
            ids.append(f"{docs[0]}/{label}")
    return list(dict.fromkeys(ids)), problems


def _article(m: re.Match) -> str:
    """第31条 → 第三十一条."""
    number = m.group(1)
    return f"第{int_to_cn(int(number)) if number.isdigit() else number}条"


def _attachment(text: str, known: set[str]) -> str:
    """The attachment section a text names: the longest label of the document it starts with
    (spaces and a 、 or · written differently aside), else the text as written."""
    squashed = re.sub(r"\s+", "", text).replace(".", "·")
    found = [label for label in known if label.startswith("附件") and squashed.startswith(label)]
    return max(found, key=len) if found else squashed


def load_any(path: Path, assistant) -> list[Case]:
    """The project's YAML schema, or an evaluator's spreadsheet / JSONL / YAML rows."""
    data = path.read_bytes()
    if is_project_schema(data, path.name):
        return load_cases(path)
    return to_cases(read_rows(data, path.name), assistant)


def template_xlsx() -> bytes:
    """The spreadsheet to fill in: the columns, a few filled rows, and a sheet explaining them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "评测集"
    heads = ["编号", "问题", "城市", "标准答案", "依据条款", "应拒答", "类型"]
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="F3F6F9")
    for example in EXAMPLES:
        sheet.append([example.get(h, "") for h in heads])
    for letter, width in zip("ABCDEFG", (8, 40, 14, 50, 30, 8, 10)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s"
    about = book.create_sheet("填写说明")
    for line in (
        "问题（必填）：用户会怎么问就怎么写。",
        "城市：问题针对的城市，可写多个（用顿号或逗号分隔）；问题里已写明城市时可不填。",
        "标准答案：用自己的话写；其中的数字（金额、期限、比例）会核对是否出现在回答中，文字相似度仅作参考。",
        "依据条款：如“乐山 第三十一条”“六安 第16条”“启东 附件4·四、验收条件”，多条用分号或逗号分隔（没写城市的沿用前面的城市或本行的城市）；写到款、项也可以（按所在条计）。",
        "应拒答：是 / 否（收录的办法没有规定、应当说明未覆盖的问题填“是”，依据条款留空）。",
        "编号、类型：可选；编号默认为行号，要对比两次评测时最好填写；类型用于分组统计（如 流程、金额、对比）。",
        "英文列名也可以：id, question, city, reference, clauses, refuse, kind。",
    ):
        about.append([line])
    about.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
