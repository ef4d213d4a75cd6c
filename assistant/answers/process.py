"""A document's process as a record: 申报 → 审查 → 立项 → 采购 → 建设 → 验收 → 运维 → 评价, each step
with who acts, its time limits and the thresholds that change its path — all derived from the
data the assistant already has (corpus/checklist.yaml's stages, the rule book, the clause text),
with a project's facts applied. Nothing here is drawn by hand: a new city's process comes from
its data. Rendered as SVG by assistant/answers/diagram.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answers.checklist import CHECKLIST_CHARS, clauses_for_stage
from assistant.answers.context import Context
from assistant.answers.lead import lead
from assistant.answers.notes import status_note
from assistant.corpus.maps import Stage
from assistant.rules.book import Rule
from assistant.rules.evaluate import SYMBOL, evaluate
from assistant.rules.facts import Facts

# Who acts: a unit or body as the texts name them (市数管局, 市发改委, 项目建设单位, 领导小组办公室,
# 区数据资源局, 项目审批部门). The one that is the subject of an action verb leads.
_ACTOR = re.compile(r"(?:(?:市|区|县)[\u4e00-\u9fa5]{1,8}?(?:局|委|办)|项目(?:建设|使用|承建)?单位|"
                    r"[\u4e00-\u9fa5]{0,12}?领导小组办公室|领导小组|项目审批部门|[\u4e00-\u9fa5]{2,6}主管部门|"
                    r"[\u4e00-\u9fa5]{0,6}(?:专家组|专家))")
_ACTION = re.compile(r"^[^，。；]{0,3}(负责|组织|会同|提出|编制|报|开展|审核|审批|审查|进行|完成|通过|应|须|可|对|于|在|根据|按)")
_FACT_NAMES = {"amount": "项目金额", "change_ratio": "投资调整比例", "amount_share": "项目金额",
               "approval_date": "立项日期"}


@dataclass(frozen=True)
class Branch:
    """A threshold on a step: when `condition` holds, `then` is the path. `taken`: whether the
    project takes it (None when the facts do not say)."""

    condition: str
    then: str
    article: str
    rule_id: str
    taken: bool | None = None
    computation: str = ""
    otherwise: str | None = None  # the path when the condition fails, where the text gives one
    fact: str = "amount"          # what decides it: amount | change_ratio

    def to_json(self) -> dict:
        return {"condition": self.condition, "then": self.then, "otherwise": self.otherwise, "article": self.article,
                "rule": self.rule_id, "fact": self.fact, "taken": self.taken, "computation": self.computation}


@dataclass(frozen=True)
class Timing:
    statement: str
    article: str
    rule_id: str

    def to_json(self) -> dict:
        return {"statement": self.statement, "article": self.article, "rule": self.rule_id}


@dataclass(frozen=True)
class Step:
    stage: str
    clauses: tuple[str, ...]   # labels of the clauses that govern the stage; empty: no provision
    actor: str | None = None
    text: str = ""             # the lead 款/项 of its first clause (cut to CHECKLIST_CHARS)
    timings: tuple[Timing, ...] = ()
    branches: tuple[Branch, ...] = ()

    @property
    def provided(self) -> bool:
        return bool(self.clauses)

    def to_json(self) -> dict:
        return {"stage": self.stage, "provided": self.provided, "clauses": list(self.clauses), "actor": self.actor,
                "text": self.text, "timings": [t.to_json() for t in self.timings],
                "branches": [b.to_json() for b in self.branches]}


@dataclass(frozen=True)
class Process:
    doc_id: str
    city: str
    title: str
    steps: tuple[Step, ...]
    facts: Facts
    note: str | None = None

    @property
    def missing(self) -> list[str]:
        """The stages this document has no provision for."""
        return [s.stage for s in self.steps if not s.provided]

    def to_json(self) -> dict:
        f = self.facts
        return {"doc_id": self.doc_id, "city": self.city, "title": self.title,
                "facts": {"amount_wan": f.amount, "new_build": f.new_build, "change_ratio": f.change_ratio},
                "steps": [s.to_json() for s in self.steps], "missing": self.missing, "note": self.note}


def build_process(ctx: Context, doc_id: str, facts: Facts) -> Process:
    """The document's steps in lifecycle order, the project's facts applied to its thresholds."""
    meta = ctx.corpus.documents[doc_id].meta
    placed = _place_rules(ctx.stages, ctx.rules.for_docs((doc_id,)))
    steps = []
    for stage in ctx.stages:
        clauses = clauses_for_stage(ctx, stage, doc_id)
        rules = placed.get(stage.name, [])
        timings = tuple(Timing(r.statement, r.article, r.id) for r in rules
                        if r.kind in ("deadline", "duration") and r.statement)
        branches = tuple(b for r in rules if (b := _branch(r, facts)) is not None)
        if not clauses:
            steps.append(Step(stage.name, (), timings=timings, branches=branches))
            continue
        _, parts = lead(ctx.matcher, ctx.analyzer.analyze(stage.query), clauses[0])
        text = "".join(parts)
        # Who acts: as the path the project takes says (六安 500万以下: 市数管局会同…打捆编制), else
        # as the stage's text says.
        actor = next((a for a in (*(actor_of(b.then) for b in branches if b.taken), actor_of(text),
                                  *(actor_of(c.text) for c in clauses)) if a), None)
        steps.append(Step(stage.name, tuple(c.label for c in clauses), actor,
                          text if len(text) <= CHECKLIST_CHARS else text[:CHECKLIST_CHARS] + "……",
                          timings, branches))
    return Process(doc_id, meta.city, meta.title, tuple(steps), facts, status_note(meta, ctx.today))


def actor_of(text: str) -> str | None:
    """Who acts in a clause's text: the first unit named as the subject of an action ("市数管局
    负责…", "由项目建设单位编制…"), else the first unit named; None when it names none."""
    found = [m for m in _ACTOR.finditer(text)]
    for m in found:
        if _ACTION.match(text[m.end():]):
            return m.group(0)
    return found[0].group(0) if found else None


def _place_rules(stages: list[Stage], rules: list[Rule]) -> dict[str, list[Rule]]:
    """Each rule on the first stage (in lifecycle order) that one of its topics names: by the
    stage's name or alias within the topic (初步验收 → 验收), or as a word of the stage's query
    (实施方案 → 立项); else on the stage whose clauses hold its article. A rule no stage takes
    (the 办法's own validity) is not a step of the process."""
    out: dict[str, list[Rule]] = {}
    for rule in rules:
        stage = next((s for t in rule.topics for s in stages
                      if any(k in t for k in (s.name, *s.aliases)) or t in s.query.split()), None)
        if stage is None:
            stage = next((s for s in stages if rule.article in s.clauses.get(rule.doc_id, ())), None)
        if stage is not None:
            out.setdefault(stage.name, []).append(rule)
    return out


def _branch(rule: Rule, facts: Facts) -> Branch | None:
    """A threshold or ratio rule as a branch of its step, taken or not by the facts."""
    if rule.kind not in ("threshold", "ratio") or rule.applies_to not in ("amount", "change_ratio") or not rule.then:
        return None
    unit = "万元" if rule.applies_to == "amount" else "%"
    condition = f"{_FACT_NAMES[rule.applies_to]} {SYMBOL[rule.comparator or '>=']} {rule.value:g}{unit}"
    conclusion = evaluate(rule, facts)
    given = facts.amount if rule.applies_to == "amount" else facts.change_ratio
    if given is None or conclusion is None:
        # No figure to compare, or the facts do not reach it (the other side of a paired rule).
        taken = None if given is None else False
        return Branch(condition, rule.then, rule.article, rule.id, taken, otherwise=rule.otherwise,
                      fact=rule.applies_to)
    return Branch(condition, rule.then, rule.article, rule.id, conclusion.holds, conclusion.computation,
                  rule.otherwise, rule.applies_to)
