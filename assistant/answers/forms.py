"""Forms and documents the 办法 name but do not contain: 《六安市电子政务项目审查论证记录表》, 项目初审
评分表, 《项目申报材料合规性审核要点》. A question about what such a form holds (its 栏目, 满分,
审核要点) is not answered by the sentence that mentions it: the corpus holds the 办法 and their
attachments, not every form they refer to."""

from __future__ import annotations

import re

from assistant.answers.request import Asked, Request
from assistant.corpus.model import Document, PartKind

# How the name of a form, list or guideline ends.
_FORM_END = re.compile(r"(表|要点|清单|模板|指南|大纲|目录|细则|范本|样表|报告)")
# Names the texts may describe themselves ("绩效监控报告主要包括…"): counted only when none does.
_DESCRIBED_END = ("报告",)
_WRITTEN_IN = re.compile(r"写|内容|格式|模板|章节|栏目")
# Asks about what a form holds, not about when or to whom it goes.
_CONTENT_ASKS = frozenset({Asked.WHAT, Asked.MATERIALS, Asked.COUNT})
# ... asked after the name: "记录表有哪些栏目", "评分表满分多少" (not "要满足哪些条件（比如…清单）",
# nor what governs it or where it goes: "目录按什么管理", "清单向哪报").
_ASKED_AFTER = re.compile(r"(?<![按由向给到在用以])(哪|什么|啥|多少|几)")
# A name the asker quotes (“指定材料”), and what a text says after a name it spells out
# ("申请材料包括：…", "三清单是指…").
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")
_SPELLED_OUT = r"[^。；，]{0,4}(包括|包含|如下|是指|指的是|分为|为|有|应当?(写明|载明|说明|列明))[:：]?"
_SHORTEST_NAME, _LONGEST_NAME = 4, 20  # 初审评分表, 审查论证记录表 — not 一张表


def forms_not_included(request: Request, docs: list[Document]) -> list[str]:
    """Forms an ask about contents names that the documents mention but do not include: the
    longest run of the ask ending like a form's name that occurs in a document's text, where no
    attachment of that document is titled by it."""
    out: list[str] = []
    for ask, asked in zip(request.asks, request.asked):
        if asked not in _CONTENT_ASKS:
            continue
        for m in _QUOTED.finditer(ask):
            # "通知报送的“指定材料”具体包括哪些": a name quoted from the text, which never spells it out.
            name = m.group(1)
            if (_ASKED_AFTER.search(ask[m.end():]) and name not in out and any(name in d.source for d in docs)
                    and not _spelled_out(name, docs)):
                out.append(name)
        for m in _FORM_END.finditer(ask):
            end = m.end()
            if not _ASKED_AFTER.search(ask[end:]):
                continue
            name = _longest_in(ask, end, docs)
            if name is None and _POINTING.search(ask[:m.start()]):
                # "形成试运行报告，这报告要写哪些内容": the name said before in the question
                name = next((_PRODUCED_BY.sub("", n) for n in (_longest_in(request.question, e, docs)
                                                            for e in _ends_before(request.question, m.group(0))) if n), None)
            if name is None or name in out:
                continue
            if any(name in (c.section or "") for d in docs for c in d.clauses if c.kind is PartKind.ATTACHMENT_SECTION):
                continue  # 启东's 申报表 is its 附件1: the outline answers
            if name.endswith(_DESCRIBED_END) and (not _WRITTEN_IN.search(ask[end:]) or _spelled_out(name, docs)):
                # what it says, asked ("这报告要写哪些内容"), not what goes with it ("要附哪些附件");
                # and no text says it ("项目绩效监控报告主要包括项目实施进度和资金计划执行情况")
                continue
            out.append(name)
    return out


def _spelled_out(name: str, docs: list[Document]) -> bool:
    """Whether some text says what `name` holds ("申请材料包括：…", "三清单是指…")."""
    return any(re.search(re.escape(name) + _SPELLED_OUT, d.source) for d in docs)


_POINTING = re.compile(r"(这|那|该|此)[个份]?$")
# A verb that makes a document, run into its name in the text ("形成试运行报告").
_PRODUCED_BY = re.compile(r"^(形成|编制|提交|报送|出具|编写|撰写|提供|完成|填写|填报)")


def _ends_before(text: str, ending: str) -> list[int]:
    """Where `ending` ends in `text` after a word that is not a pointing one, last first."""
    ends = [m.end() for m in re.finditer(re.escape(ending), text) if not _POINTING.search(text[:m.start()])]
    return ends[::-1]


def _longest_in(ask: str, end: int, docs: list[Document]) -> str | None:
    """The longest run of the ask ending at `end` that some document's text holds. Each longer run
    holds the shorter ones, so the runs are tried shortest first and the search stops at the first
    miss: a question naming no form costs one scan of the texts, not one per length."""
    found = None
    for start in range(end - _SHORTEST_NAME, max(0, end - _LONGEST_NAME) - 1, -1):
        if not any(ask[start:end] in d.source for d in docs):
            break
        found = ask[start:end]
    return found
