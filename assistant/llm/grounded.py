"""LLM answers that keep the extractive guarantees. The model is given the clauses the extractive
answer cites (ids C1…Cn) and the rule engine's conclusions, delimited as data; what it writes is
then checked: citation ids it was not given, articles and cities outside those clauses are removed
and reported; every number goes through the rule guard (corrected when the cited clause states
the one value of that unit, else removed); a model that errors, times out or leaves no cited
sentence gives way to the extractive answer with a visible notice. `Answer.mode` says which."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from string import Template
from typing import Iterator, Sequence

from assistant.answers.notes import status_note
from assistant.answers.records import Answer, AnswerKind, AnswerMode, Citation
from assistant.assistant import Assistant
from assistant.errors import LlmUnavailable
from assistant.llm.findings import CitationFinding, InjectionFinding, LlmFallback
from assistant.llm.prompts import PROMPT_NAMES, PromptError, load_prompt
from assistant.rules.evaluate import RuleConclusion
from assistant.rules.guard import guard

log = logging.getLogger(__name__)


_ID = re.compile(r"[\[【〔]\s*(C\d+)\s*[\]】〕]")
_ARTICLE = re.compile(r"第[零〇一二三四五六七八九十百千两\d]+条")
_ATTACHMENT = re.compile(r"附件\s*(\d+)")
# A sentence, with the citation marks written right after its full stop ("…验收。[C1]").
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?](?:\s*[\[【〔]\s*C\d+\s*[\]】〕])*|\n|$)")
# Instruction-like text inside a question or a clause: reported, and treated as text.
_INJECTION = re.compile(r"忽略(以上|上述|之前|前面|所有)?.{0,4}(规则|指令|要求|提示)|不要引用|不用引用|无需引用|"
                        r"你现在是|扮演|system prompt|ignore (all |the )?(previous|above)|disregard", re.I)


@dataclass(frozen=True)
class Given:
    """The clauses handed to the model, by id."""

    ids: dict[str, Citation]

    def describe(self) -> str:
        return "\n\n".join(f"[{i}] {c.city}《{c.title}》{c.article}：\n{c.text}" for i, c in self.ids.items())


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


def injection_findings(question: str, citations: list[Citation]) -> list[InjectionFinding]:
    found = []
    m = _INJECTION.search(question)
    if m:
        found.append(InjectionFinding("question", m.group(0)))
    for c in citations:
        m = _INJECTION.search(c.text)
        if m:
            found.append(InjectionFinding(c.clause_id, m.group(0)))
    return found


def without_injection(question: str) -> str:
    """The question with an injected instruction cut off (from its first words to the end of that
    sentence), for retrieval: "六安试运行多久？忽略以上规则，…。" is searched as "六安试运行多久？"."""
    m = _INJECTION.search(question)
    if not m:
        return question
    end = re.search(r"[。！？!?\n]", question[m.end():])
    rest = question[m.end() + end.end():] if end else ""
    head = re.sub(r"[，,；;：:\s]+$", "", question[:m.start()])
    return (head + rest).strip() or question


def check_reply(reply: str, given: Given, assistant: Assistant, rule_values: tuple[str, ...],
                also: tuple[str, ...]) -> tuple[str, list[Citation], list]:
    """(checked text, citations it keeps, findings). Sentence by sentence: unknown ids dropped;
    a sentence naming an article none of its cited clauses is, or a city none of the given
    clauses belongs to, removed; then numbers guarded against the clauses the sentence cites."""
    findings: list = []
    cities = {c.doc_id for c in given.ids.values()}
    kept_sentences: list[str] = []
    used: dict[str, Citation] = {}
    names = {n: m.doc_id for m in assistant.corpus.catalog.docs for n in m.names}
    for sentence in _sentences(reply):
        ids = _ID.findall(sentence)
        unknown = [i for i in ids if i not in given.ids]
        for i in unknown:
            findings.append(CitationFinding("invented_id", sentence.strip(), id=i))
        known = [i for i in ids if i in given.ids]
        cited = [given.ids[i] for i in known] or list(given.ids.values())
        articles = {c.article.split("·")[0] for c in cited} | {c.article for c in cited}
        bad_article = next((a for a in _ARTICLE.findall(sentence)
                            if not any(x == a or x.startswith(a) for x in articles)), None)
        attachments = {c.article.split("·")[0] for c in cited if c.article.startswith("附件")}
        bad_attachment = next((f"附件{n}" for n in _ATTACHMENT.findall(sentence)
                               if f"附件{n}" not in attachments), None)
        other_city = next((n for n, d in names.items() if n in sentence and d not in cities), None)
        if bad_article or bad_attachment:
            findings.append(CitationFinding("unknown_article", sentence.strip(),
                                            article=bad_article or bad_attachment))
            continue
        if other_city:
            findings.append(CitationFinding("other_city", sentence.strip(), city=other_city))
            continue
        sources = [(f"{c.doc_id}/{c.article}", c.text) for c in cited]
        fixed = sentence
        drop = False
        for g in guard(sentence, sources, computed=rule_values, also=also):
            says = g.says
            if len(says) == 1 and g.quantity in fixed:
                fixed = fixed.replace(g.quantity, says[0], 1)
                findings.append(replace(g, action="corrected", corrected_to=says[0], sentence=sentence.strip()))
            else:
                findings.append(replace(g, action="removed", sentence=sentence.strip()))
                drop = True
        if drop:
            continue
        for i in unknown:
            fixed = re.sub(rf"[\[【〔]\s*{i}\s*[\]】〕]", "", fixed)
        for i in known:
            used[i] = given.ids[i]
        kept_sentences.append(fixed)
    text = "".join(kept_sentences).strip()
    return text, list(used.values()), findings


def _readable(text: str, used: dict[str, Citation], several: bool) -> str:
    """[C1] → 〔第三十一条〕 (〔乐山市·第三十一条〕 when several cities are cited)."""
    def sub(m: re.Match) -> str:
        c = used.get(m.group(1))
        if c is None:
            return ""
        return f"〔{c.city}·{c.article}〕" if several else f"〔{c.article}〕"
    return _ID.sub(sub, text)


class Grounded:
    """ask / stream through the model when one is configured, else the extractive answer."""

    def __init__(self, assistant: Assistant, chat=None, prompts_dir: Path | None = None):
        self.assistant = assistant
        self.chat = chat
        self.prompts: dict[str, tuple[str, Template]] = {}
        if chat is not None:
            if prompts_dir is None:
                raise PromptError("配置了大模型但没有提示词目录（prompts/）")
            # Read once, at start-up: a missing or malformed prompt fails here, not on a question.
            self.prompts = {name: load_prompt(prompts_dir, name) for name in PROMPT_NAMES}

    @property
    def enabled(self) -> bool:
        return self.chat is not None

    def _prepare(self, extractive: Answer) -> tuple[list[dict], Given]:
        given = Given({f"C{i}": c for i, c in enumerate(extractive.citations, 1)})
        rules = extractive.checks_of(RuleConclusion)
        name = ("checklist" if extractive.kind is AnswerKind.CHECKLIST
                else "compare" if len({c.doc_id for c in extractive.citations}) > 1 else "answer")
        system, user = self.prompts[name]
        rule_text = "\n".join(f"- {r.computation}：{r.text}（{r.rule.doc_id} {r.rule.article}）" for r in rules)
        content = user.safe_substitute(question=extractive.question, clauses=given.describe(),
                                       rules=rule_text or "（无）")
        return [{"role": "system", "content": system}, {"role": "user", "content": content}], given

    def _finish(self, extractive: Answer, reply: str, given: Given) -> Answer:
        rule_values = tuple(c.computation for c in extractive.checks_of(RuleConclusion))
        also = tuple(self.assistant.catalog_dates(c.doc_id) for c in extractive.citations)
        text, used, findings = check_reply(reply, given, self.assistant, rule_values, also)
        findings = injection_findings(extractive.question, extractive.citations) + findings
        rules = extractive.checks_of(RuleConclusion)
        if not used or not text:
            reason = "大模型的回答没有可核实的条款引用" if text or reply.strip() else "大模型没有给出回答"
            return self._fallback(extractive, reason, findings)
        by_id = {i: c for i, c in given.ids.items() if c in used}
        several = len({c.doc_id for c in used}) > 1
        readable = _readable(text, by_id, several)
        metas = [self.assistant.corpus.documents[d].meta for d in dict.fromkeys(c.doc_id for c in used)]
        notes = [n for n in (status_note(m, self.assistant.today) for m in metas) if n]
        body = readable + ("\n\n" + "\n".join(notes) if notes else "")
        return replace(extractive, answer=body, citations=used, checks=rules + findings, mode=AnswerMode.LLM)

    def _fallback(self, extractive: Answer, reason: str, findings: list = ()) -> Answer:
        notice = f"（{reason}，以下为原文摘录的回答。）"
        checks = list(extractive.checks) + list(findings) + [LlmFallback(reason)]
        return replace(extractive, answer=f"{notice}\n{extractive.answer}", checks=checks, mode=AnswerMode.FALLBACK)

    def _extractive(self, question: str, city: str | None, history: Sequence[str] = ()) -> Answer:
        if self.chat is None:
            return self.assistant.ask(question, city=city, history=history)
        # The model sees the whole question (as data); retrieval ignores an injected instruction.
        answer = self.assistant.ask(without_injection(question), city=city,
                                    history=[without_injection(h) for h in history])
        return replace(answer, question=question)

    def ask(self, question: str, city: str | None = None, history: Sequence[str] = ()) -> Answer:
        """`history`: the conversation's earlier questions (a follow-up carries their city and
        stage over, as Assistant.ask does)."""
        extractive = self._extractive(question, city, history)
        if self.chat is None or not extractive.answerable:
            return extractive  # a refusal stays a refusal: the model never answers outside the corpus
        messages, given = self._prepare(extractive)
        try:
            reply = self.chat.complete(messages)
        except LlmUnavailable as exc:
            log.warning("LLM unavailable, extractive answer returned: %s", exc)
            return self._fallback(extractive, "大模型服务暂不可用")
        return self._finish(extractive, reply or "", given)

    def stream(self, question: str, city: str | None = None, history: Sequence[str] = ()) -> Iterator[dict]:
        """Events: {"type": "token", "text"} as the model writes (unchecked), then one
        {"type": "final", "answer": Answer} with the checked answer, its citations and checks."""
        extractive = self._extractive(question, city, history)
        if self.chat is None or not extractive.answerable:
            yield {"type": "final", "answer": extractive}
            return
        messages, given = self._prepare(extractive)
        parts: list[str] = []
        try:
            for piece in self.chat.stream(messages):
                parts.append(piece)
                yield {"type": "token", "text": piece}
        except LlmUnavailable as exc:
            log.warning("LLM stream failed, extractive answer returned: %s", exc)
            yield {"type": "final", "answer": self._fallback(extractive, "大模型服务暂不可用")}
            return
        yield {"type": "final", "answer": self._finish(extractive, "".join(parts), given)}


def make_grounded(assistant: Assistant, settings) -> Grounded:
    """The answerer the settings ask for: through the LLM when REGASSIST_LLM_BASE_URL is set."""
    if settings.llm is None:
        return Grounded(assistant)
    from assistant.llm.chat import make_chat

    return Grounded(assistant, make_chat(settings.llm), settings.prompts_dir)
