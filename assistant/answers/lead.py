"""Which part of a clause answers: the 款, 项 or sentences to lead with, and its label."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answers.request import Asked, states_value, understand
from assistant.corpus.model import Part
from assistant.search.matching import Matcher
from assistant.search.query import QueryAnalysis
from assistant.text import fold, parse_cn_int

_LIST_ITEMS = 10
_SHORT_CLAUSE = 160    # characters: a clause this short is quoted whole
_LONG_PARAGRAPH = 200  # characters: a 款 longer than this is cut to its best sentences
# What a quote leaves out at its start: the article's number ("第十九条"), or a section's heading
# on a line of its own ("一、验收时限", "第一章 项目概述"), which the citation names already.
LABEL_PREFIX = re.compile(r"^(?:第[零〇一二三四五六七八九十百千\d]+条[\s　]*|"
                          r"(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+章[\s　]*)[^\n。：:]{1,20}\n+)")


def lead(matcher: Matcher, analysis: QueryAnalysis, clause: Part,
         attribute: Asked | None = None, asks: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """The label of the part that answers (款 or 项, else the clause) and the text to lead with.

    When the question asks for a value (who pays, by when, how long), the sentence that states
    one and fits the question best leads alone ("项目论证费用纳入年度预算"). A question that asks
    several things (`asks`: "写些什么，啥时候交，交给谁") gets a short clause whole, else each
    ask's own best part, in the clause's order. Otherwise short clauses are quoted whole, and in
    longer ones the best-matching 款 or 项 is found: an item comes with the sentence that
    introduces it, a sentence or heading that announces a list comes with the list, and a long
    款 is cut to its best sentences."""
    if attribute is Asked.CONSEQUENCE:
        attribute = None  # what follows a breach is told by the provision, not by one sentence of it
    score = matcher.scorer(analysis)
    body = LABEL_PREFIX.sub("", clause.text, count=1)
    short = len(fold(body)) <= _SHORT_CLAUSE
    if len(asks) > 1 and clause.paragraphs and not short:
        parts: list[str] = []
        for ask in asks:
            # (An ask for the steps gets every numbered step, as a question of one ask does.)
            for part in _best_part(matcher.scorer(replace(analysis, question=ask, topic=ask)), clause, body, short,
                                   bool(_STEPS_ASKED.search(ask)))[1]:
                if part not in parts:
                    parts.append(part)
        if attribute is not None:
            stated = _stating(score, clause, attribute)
            if stated is not None and not any(stated[1][0] in p for p in parts):
                parts += stated[1]
        order = {p: body.find(p[:12]) for p in parts}
        return clause.label, sorted(parts, key=lambda p: order[p])
    steps = bool(_STEPS_ASKED.search(analysis.question))
    if len(asks) > 1 or (short and attribute is None):
        return _with_materials(analysis, clause, *_best_part(score, clause, body, short, steps))
    stated = _stating(score, clause, attribute, bool(_EVERY_ASKED.search(analysis.question))) \
        if attribute is not None else None
    if stated is not None and not (steps and _SPAN_ASKED.search(analysis.question)):
        return stated
    # (The times along a span, "从交年度计划一直到进部门预算…几个时间节点", are its steps' times.)
    return _with_materials(analysis, clause, *_best_part(score, clause, body, short, steps))


# An ask for each of several values ("有哪几个时间节点", "分别是什么时候").
_EVERY_ASKED = re.compile(r"哪几|哪些|几个|分别|各自|各是")


# A 款 that lists what is handed in: "申请材料包括：项目合同、…", "…提交A、B、C…".
_MATERIALS_LISTED = re.compile(r"(材料|资料|文件)(主要)?(包括|有|为|是)|(提交|报送|递交|附)[^。；]{0,30}、[^。；]{0,30}、")


def _with_materials(analysis: QueryAnalysis, clause: Part, label: str, parts: list[str]) -> tuple[str, list[str]]:
    """Asked what to hand in ("得交哪些东西"), the 款 of the clause listing it leads, whichever 款
    shares more of the question's words."""
    if any(_MATERIALS_LISTED.search(p) for p in parts) or Asked.MATERIALS not in understand(analysis.topic).asked:
        return label, parts
    listed = [p for p in clause.paragraphs if _MATERIALS_LISTED.search(p.text)]
    if not listed:
        return label, parts
    return clause.label, [LABEL_PREFIX.sub("", listed[0].text, count=1), *parts]


_STEP_SENTENCES = 5  # of a long 款 asked for its steps, the sentences kept ...
_STEP_SHARE = 0.3     # ... that fit at least this share of the best one
# Asking for the steps of a procedure: every numbered step answers, not the one that fits best.
# (A span asked across, "从交年度计划一直到进部门预算", asks for the steps between.)
_SPAN_ASKED = re.compile(r"从[^，,。？?]{1,16}(?:到|至)")
_STEPS_ASKED = re.compile(rf"几步|步骤|流程|程序|环节|过程|怎么|如何|怎样|咋|{_SPAN_ASKED.pattern}")


def _best_part(score, clause: Part, body: str, short: bool, steps: bool = False) -> tuple[str, list[str]]:
    paragraphs = clause.paragraphs
    if short or not paragraphs:
        label = paragraphs[0].label if len(paragraphs) == 1 else clause.label
        return label, [body]
    segments = []  # (score, paragraph index, item index or -1)
    for pi, para in enumerate(paragraphs):
        segments.append((score(para.text), pi, -1))
        for ii, item in enumerate(para.items):
            segments.append((score(item.text), pi, ii))
    best = max(segments, key=lambda s: (s[0], -s[1], -s[2]))
    para = paragraphs[best[1]]
    intro = LABEL_PREFIX.sub("", para.text, count=1)
    if steps and para.items and (best[2] >= 0 or is_heading(intro) or intro.rstrip().endswith(("：", ":"))):
        return _numbered_on(clause, best[1], [intro] + [i.text for i in para.items[:_LIST_ITEMS]])
    if best[2] >= 0:
        items = [s for s in segments if s[1] == best[1] and s[2] >= 0 and s[0] >= 0.7 * best[0]]
        items = sorted(sorted(items, key=lambda s: -s[0])[:3], key=lambda s: s[2])
        label = para.items[best[2]].label if len(items) == 1 else para.label
        return label, [intro] + [para.items[s[2]].text for s in items]
    if para.items and (intro.rstrip().endswith(("：", ":")) or is_heading(intro)):
        return para.label, [intro] + [i.text for i in para.items[:_LIST_ITEMS]]
    if is_heading(intro) and best[1] + 1 < len(paragraphs):
        # A heading leads the paragraph under it, never stands alone.
        return clause.label, [intro, LABEL_PREFIX.sub("", paragraphs[best[1] + 1].text, count=1)]
    if steps and not para.items and not is_heading(intro):
        # How a stage is done: each 款 of the clause that speaks to it as much, in the clause's order
        # (乐山 第三十一条: after 试运行, 市数字经济局 organises the acceptance).
        near = [pi for s, pi, ii in segments if ii < 0 and s >= _STEP_SHARE * best[0] and not paragraphs[pi].items]
        if len(near) > 1:
            texts = [LABEL_PREFIX.sub("", paragraphs[pi].text, count=1) for pi in sorted(near)[:3]]
            return clause.label, texts
    if len(fold(intro)) <= _LONG_PARAGRAPH:
        return para.label, [intro]
    parts = [x.strip() for x in re.split(r"(?<=[。！？!?])", intro) if x.strip()]
    scored = sorted(((score(x), i) for i, x in enumerate(parts)), reverse=True)
    top = scored[0][0]
    if steps:
        # A procedure told sentence by sentence ("…包含初验、试运行和验收三个环节…项目初验由…初验通过后
        # 开展不少于30天的试运行…"): every sentence that speaks to it is a step, in the text's order.
        keep = sorted(i for sc, i in scored[:_STEP_SENTENCES] if sc >= _STEP_SHARE * top)
        keep = list(range(keep[0], keep[-1] + 1))  # a step between two kept ones is not skipped
    else:
        keep = sorted(i for sc, i in scored[:2] if sc >= 0.7 * top)
    return para.label, [parts[i] for i in keep]


def _numbered_on(clause: Part, pi: int, texts: list[str]) -> tuple[str, list[str]]:
    """A 款's numbered steps, and the steps numbered on into the next 款 ("（五）通过复核的项目凭书面
    意见，随部门预算…", with the 款 that introduces it): the whole procedure."""
    paragraphs = clause.paragraphs
    last, label = paragraphs[pi].items[-1], paragraphs[pi].label
    for nxt in paragraphs[pi + 1:]:
        if not nxt.items or _item_number(nxt.items[0].label) != _item_number(last.label) + 1:
            break
        texts += [LABEL_PREFIX.sub("", nxt.text, count=1)] + [i.text for i in nxt.items[:_LIST_ITEMS]]
        last, label = nxt.items[-1], clause.label
    return label, texts


def _item_number(label: str) -> int:
    """The number of a 项 from its label ("第七条第二款第五项" → 5); 0 when it has none."""
    m = re.search(r"第([零〇一二三四五六七八九十百\d]+)项$", label)
    return (parse_cn_int(m.group(1)) or 0) if m else 0


def is_heading(text: str) -> bool:
    """"四、验收条件": a title, never an answer on its own."""
    t = text.strip()
    return len(t) <= 30 and not re.search(r"[。；;，,：:]", t)


def _sentences(text: str) -> list[str]:
    # Whole sentences: "市密码管理局参与…；负责…信创适配监督管理工作。" keeps the subject of its 负责.
    return [x.strip() for x in re.split(r"(?<=[。！？!?])", text) if x.strip()]


def _stating(score, clause: Part, attribute: Asked, every: bool = False) -> tuple[str, list[str]] | None:
    """The sentence of a clause that states the asked value and fits the question best, with the
    label of its 款 or 项; None when no sentence states one or the clause is a single sentence.
    `every`: the ask wants each one ("哪几个时间节点"): every item of the list that states a value."""
    found = []
    item_of: dict[str, tuple[str, str]] = {}  # an item's label → its paragraph's, and its text
    for para in clause.paragraphs:
        item_of.update((i.label, (para.label, i.text)) for i in para.items)
        for label, text in ((para.label, para.text), *((i.label, i.text) for i in para.items)):
            for sentence in _sentences(LABEL_PREFIX.sub("", text, count=1)):
                if states_value(attribute, sentence):
                    found.append((score(sentence), label, sentence))
    # Sentences and items: a clause of one sentence listing items ("…使用规范（一）…；（二）…每年只能
    # 启动一次…；") is answered by the item that states the value.
    total = sum(len(_sentences(p.text)) + len(p.items) for p in clause.paragraphs)
    if not found or total <= 1:
        return None
    best = max(found, key=lambda f: f[0])
    if best[1] in item_of:
        # Items of one list that state it nearly as well answer together, in their order
        # (乐山 第三十七条 (一)(二): who reviews the plan, for new and for continued 运维).
        para = item_of[best[1]][0]
        near = dict.fromkeys(f[1] for f in found
                             if f[1] in item_of and item_of[f[1]][0] == para and (every or f[0] >= _NEAR_ITEM * best[0]))
        if len(near) > 1:
            return para, [item_of[label][1] for label in near]
    # Sentences of one 款 stating it for each case, in the same words ("纳入政府采购的项目，由区数据
    # 资源局牵头组织…。纳入小额公共资源交易的项目，由项目建设单位自行组织…"): each case answers.
    cases = [f for f in found if f[1] == best[1] and f[0] >= _NEAR_ITEM * best[0] and _same_opening(f[2], best[2])]
    if len(cases) > 1:
        return best[1], [f[2] for f in cases]
    return best[1], [best[2]]


def _same_opening(a: str, b: str) -> bool:
    """Two sentences put the same way: their first two characters, and a case set out before a comma
    ("纳入…的项目，")."""
    return a[:2] == b[:2] and bool(_CASE.match(a)) and bool(_CASE.match(b))


_CASE = re.compile(r"^[^，。；]{2,30}的[^，。；]{0,6}[，,]")


_NEAR_ITEM = 0.7  # as _best_part keeps the items of a list that fit nearly as well
