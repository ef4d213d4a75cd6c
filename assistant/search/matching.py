"""How well a text answers a question, word by word: IDF weights from the BM25 index, the
question's terms with their synonyms and pieces, and a scorer for any 款/项/sentence. The
relevance gate, the reranker and lead selection all weigh a question through one Matcher."""

from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
from typing import Callable

import numpy as np
from cachetools import LRUCache

from assistant.corpus.model import Part
from assistant.search.caching import Memo
from assistant.search.index import Index, indexed_text
from assistant.search.query import ANSWER_FORM, RESULTATIVE, UNABLE, UNABLE_WRITTEN, QueryAnalysis
from assistant.search.tokenizer import Tokenizer
from assistant.text import find_quantities, normalize

# Weight of a (non-noun) question word the corpus never uses, as a share of the rarest word's IDF.
OOV_WEIGHT = 0.3
PHRASE_BONUS = 0.3
SYNONYM_CREDIT = 0.7  # a synonym or the pieces of a compound match a question word this much
# 款/项 texts whose tokens are kept for scoring: the hot set of a city-sized corpus, bounded so a
# 100k-clause corpus does not hold every text's tokens (bench/bench.py peak RSS).
# Caches bounded in bytes (assistant/search/caching.py): texts scored against questions are the
# corpus's 款/项/sentences; questions' weighed terms are kept for the questions being answered.
TEXT_CACHE_BYTES = 16 * 1024 * 1024
QUESTION_CACHE_BYTES = 8 * 1024 * 1024
_COMPARATORS = frozenset("小于 大于 低于 高于 超过 不超过 以下 以上 以内 不到 至少 达到 不足 少于 多于 不少于 不低于 "
                         "不满 未满 未达到 及以上 及以下".split())

Term = tuple[str, float, frozenset[str]]  # (word, weight, tokens that count as a match for it)
Scorer = Callable[[str], float]


GRAM = 4  # the shortest run that earns PHRASE_BONUS
SCORERS = 64                # questions whose scorers are kept
SCORES_PER_QUESTION = 4096  # texts whose scores a scorer keeps
VOCABULARIES = 64           # sets of documents whose joint vocabulary is kept


# The same relation in speech and in the texts: "评审会之前" is "评审会前", "建成以后" is "建成后".
_RELATIVE = re.compile(r"[之以](前|后)")


def run_form(text: str) -> str:
    """The form runs of characters are compared in: normalized, 之前/以前 as 前, 之后/以后 as 后."""
    return _RELATIVE.sub(r"\1", normalize(text))


def question_grams(question: str) -> dict[str, list[int]]:
    """Where each GRAM-character run of the question starts."""
    grams: dict[str, list[int]] = {}
    for j in range(len(question) - GRAM + 1):
        grams.setdefault(question[j:j + GRAM], []).append(j)
    return grams


def longest_common_run(text: str, grams: dict[str, list[int]]) -> int:
    """The longest run of characters `text` shares with the question, when it is GRAM or longer
    (0 otherwise): GRAM-runs matched at consecutive positions of both make one longer run."""
    best, previous = 0, {}
    for i in range(len(text) - GRAM + 1):
        starts = grams.get(text[i:i + GRAM])
        if not starts:
            previous = {}
            continue
        current = {j: previous.get(j - 1, 0) + 1 for j in starts}
        best = max(best, *current.values())
        previous = current
    return best + GRAM - 1 if best else 0


# The texts' negating prefix (非涉密): a clause word used only under it is kept as 非 + word.
NEGATED = "非"


_EXCEPTED = r"[^，。；、（）()]{0,4}除外"
# Where a text sets something aside: only the words inside these are worth checking.
_ASIDE_WINDOW = re.compile(r"非[\u4e00-\u9fa5]{2,6}|[\u4e00-\u9fa5]{2,8}(?=[^，。；、（）()]{0,4}除外)|"
                           r"不(?:含|包括|包含)[\u4e00-\u9fa5]{2,6}")
# A word said under a negation in a question or claim ("不涉密的系统", "非涉密项目").
_NEGATING = "非不没无未"


def aside_windows(text: str) -> str:
    """The stretches of `text` that set something aside (非涉密…, …涉密项目除外), joined: a word
    outside them is never set aside there."""
    return "|".join(m.group(0) for m in _ASIDE_WINDOW.finditer(text))


def only_set_aside(text: str, word: str) -> bool:
    """Whether `text` names `word` and only to set it aside."""
    return 0 < text.count(word) == set_aside(text, word)


def negated(text: str, word: str) -> bool:
    """Whether `text` says `word` under a negation (不涉密, 非涉密, 没有…)."""
    return word in text and any(n + word in text for n in _NEGATING)


def set_aside(text: str, word: str) -> int:
    """How many times `text` names `word` only to set it aside: 非涉密, （涉密项目除外）,
    不含/不包括涉密."""
    if NEGATED + word not in text and "除外" not in text and "不" not in text:
        return 0
    w = re.escape(word)
    return (text.count(NEGATED + word) + len(re.findall(w + _EXCEPTED, text))
            + len(re.findall(f"不(?:含|包括|包含){w}", text)))


_CHAPTER_NUMBER = re.compile(r"^第[零〇一二三四五六七八九十百\d]+章\s*")
TITLE_CHARS = 4  # a title shorter than this (总则, 附则) names nothing particular


def own_titles(clause: Part) -> set[str]:
    """The titles a clause stands under: its section's, and its chapter's without the number."""
    return {t for t in (clause.section, _CHAPTER_NUMBER.sub("", clause.chapter or "")) if t}


class Matcher:
    def __init__(self, index: Index, tokenizer: Tokenizer, synonyms: dict[str, list[str]]):
        self.index = index
        self.corpus = index.corpus
        self.tokenizer = tokenizer
        indptr = np.asarray(index.bm25.scores["indptr"])
        n = len(index.passage_rows)  # document frequencies are counted over BM25 passages
        df = np.diff(indptr)
        self.idf = {tok: math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5))
                    for tok, i in index.bm25.vocab_dict.items() if i < len(df)}
        self.max_idf = max(self.idf.values()) if self.idf else 1.0
        self.oov_weight = OOV_WEIGHT * self.max_idf
        self.clause_tokens = lru_cache(maxsize=200_000)(self._tokens_of)
        # Texts scored against questions are the corpus's own 款/项/sentences: tokenise and
        # normalise each once (thread-safe: lru_cache locks its bookkeeping).
        self._text_tokens = Memo(lambda text: frozenset(tokenizer.tokens(text)), TEXT_CACHE_BYTES)
        self._normalized = Memo(run_form, TEXT_CACHE_BYTES)
        # The gate, reranker and lead all weigh the same question: work it out once per analysis.
        self.question_terms = Memo(self._question_terms_of, QUESTION_CACHE_BYTES)
        self.synonym_tokens = {key: frozenset(t for v in values for t in tokenizer.tokens(v))
                               for key, values in synonyms.items()}
        self._place_words = {n for m in self.corpus.catalog.docs for n in m.names}
        self._doc_vocab: dict[str, frozenset[str]] = {}
        self._vocabularies: LRUCache = LRUCache(maxsize=VOCABULARIES)
        self._vocab_lock = threading.Lock()
        self._aside: dict[str, str] = {}
        self._titles: dict[str, frozenset[str]] = {}
        self._scorers: LRUCache = LRUCache(maxsize=SCORERS)
        self._scorer_lock = threading.Lock()

    def set_aside_in(self, doc_id: str) -> str:
        """The stretches of a document's text that set something aside (非涉密…, …涉密项目除外),
        joined: a word outside them is never set aside there (built once per document)."""
        if doc_id not in self._aside:
            self._aside[doc_id] = aside_windows(self.corpus.documents[doc_id].source)
        return self._aside[doc_id]

    def titles(self, doc_id: str) -> frozenset[str]:
        """The titles of a document's chapters and sections (项目验收, 专家评审) of TITLE_CHARS or more."""
        if doc_id not in self._titles:
            self._titles[doc_id] = frozenset(t for c in self.corpus.documents[doc_id].clauses
                                             for t in own_titles(c) if len(t) >= TITLE_CHARS)
        return self._titles[doc_id]

    def vocabulary(self, doc_ids) -> frozenset[str]:
        """Every token some of the documents use: what a question scoped to them can be answered
        about (doc_vocabulary's union, kept for the last VOCABULARIES sets of documents)."""
        key = frozenset(doc_ids)
        with self._vocab_lock:
            found = self._vocabularies.get(key)
        if found is None:
            found = frozenset().union(*(self.doc_vocabulary(d) for d in key))
            with self._vocab_lock:
                self._vocabularies[key] = found
        return found

    def spellings(self, word: str) -> frozenset[str]:
        """The lexicon's spellings of a word: the tokens of every entry whose key holds it or that it
        holds (著作权 → 知识产权 …)."""
        return frozenset().union(*(t for key, t in self.synonym_tokens.items() if word in key or key in word))

    def doc_vocabulary(self, doc_id: str) -> frozenset[str]:
        """Every token a document uses: what a question scoped to it can be answered about
        (built once per document, held by this Matcher so a reloaded index frees it)."""
        if doc_id not in self._doc_vocab:
            self._doc_vocab[doc_id] = frozenset().union(
                *(self.clause_tokens(c.id) for c in self.corpus.documents[doc_id].clauses))
        return self._doc_vocab[doc_id]

    def _tokens_of(self, clause_id: str) -> frozenset[str]:
        # With its chapter and section titles: an attachment section is about its attachment.
        # A word the clause uses only to set it aside ("非涉密电子政务项目", "（涉密项目除外）") is
        # the opposite of what it says: a question about 涉密 projects is not matched by it.
        # It carries the word as 非涉密, which a question saying 不涉密 or 非涉密 matches.
        text = indexed_text(self.corpus.by_id(clause_id))
        tokens = self.tokenizer.tokens(text)
        windows = aside_windows(text)
        if not windows:
            return frozenset(tokens)
        return frozenset(NEGATED + w if len(w) >= 2 and w in windows and only_set_aside(text, w) else w
                         for w in tokens)

    def pieces(self, word: str) -> frozenset[str]:
        """The pieces search mode cuts a word into (招标采购 → 招标, 采购), the word itself left out."""
        return frozenset(p for p in self.tokenizer.tokens(word) if p != word)

    @staticmethod
    def credit(word: str, alts: frozenset[str], pieces: frozenset[str], have: set[str] | frozenset[str]) -> float:
        """How fully a text matches one question word: the word itself or a synonym counts in
        full; its pieces alone (招标 for 招标采购) count for the share of pieces present."""
        if word in have:
            return 1.0
        if (alts - pieces - {word}) & have:
            return SYNONYM_CREDIT
        return SYNONYM_CREDIT * len(pieces & have) / len(pieces) if pieces else 0.0

    def _question_terms_of(self, analysis: QueryAnalysis) -> tuple[Term, ...]:
        """(word, weight, tokens that count as a match for it). A colloquial word matches its
        synonyms (开发商 → 承建单位); a compound matches its parts (数据三清单 → 三清单)."""
        place_words = self._place_words | set(analysis.regions)
        terms = []
        seen = set()
        quantities = {q.canonical for q in analysis.quantities}
        # One character right after a duration is its bound (内 of 两个月内).
        glued = {analysis.question[q.end:q.end + 1] for q in find_quantities(analysis.question)
                 if q.kind == "duration"} if quantities else set()
        for word, parts in self.tokenizer.terms(ANSWER_FORM.sub(" ", analysis.question)):
            if word in seen or word in quantities or any(word in p or p in word for p in place_words):
                continue  # a number in the question may be a wrong premise: it must not gate
            if quantities and (word in _COMPARATORS or word in glued):
                continue  # "小于100万", "两个月内": the bound belongs to the number
            seen.add(word)
            alts = {word, *parts}
            for key, syn_tokens in self.synonym_tokens.items():
                if word in key or key in word:
                    alts |= syn_tokens
            if RESULTATIVE.fullmatch(word):  # 撤掉 is matched by the texts' 撤销 (query.Analyzer.spoken_verb)
                alts |= {e for e in analysis.expansions if e[0] == word[0]}
            if UNABLE.fullmatch(word):  # 来不及, 赶不上: the texts' 不能按时 / 未按期
                alts |= {w for w in UNABLE_WRITTEN if w in self.idf}
            if negated(analysis.question, word):
                alts |= {NEGATED + a for a in alts}  # "不涉密的系统" is matched by "非涉密…"
            known = [self.idf[a] for a in alts if a in self.idf]
            if word in self.idf:
                weight = self.idf[word]
            elif known:
                weight = max(known)
            else:
                # A colloquial word the corpus never uses (建完, 报上去) weighs a little; a noun it
                # never uses stops the answer earlier (answers.relevance.foreign_terms).
                weight = self.oov_weight
            if len(word) == 1:
                weight *= 0.5  # single characters (费, 批, 钱) are weak evidence either way
            terms.append((word, weight, frozenset(alts)))
        # Alternatives ("系统或者平台") are one term: a text naming either carries it.
        for a, b in self.tokenizer.alternatives(analysis.question):
            ta = next((t for t in terms if t[0] == a), None)
            tb = next((t for t in terms if t[0] == b), None)
            if ta and tb and ta is not tb and ta in terms and tb in terms:
                terms = [t for t in terms if t is not tb]
                terms[terms.index(ta)] = (a, max(ta[1], tb[1]), ta[2] | tb[2])
        # A lexicon key made only of stopwords (指的是, 多久) still asks for something: its
        # expansions (所称/是指, any duration) become a term of their own.
        covered = {w for w, _, _ in terms}
        for key, tokens in self.synonym_tokens.items():
            if key in analysis.topic and not any(key in w or w in key for w in covered) and tokens:
                known = [self.idf[t] for t in tokens if t in self.idf]
                if known:
                    terms.append((key, max(known), frozenset(tokens)))
        return tuple(terms)

    def relevance(self, analysis: QueryAnalysis, clause: Part) -> tuple[float, float]:
        """(coverage, matched idf): how much of the question the clause speaks to."""
        terms = self.question_terms(analysis)
        if not terms:
            return 0.0, 0.0
        have = self.clause_tokens(clause.id)
        total = sum(w for _, w, _ in terms)
        matched = sum(w for _, w, alts in terms if alts & have)
        return matched / total, matched

    def scorer(self, analysis: QueryAnalysis) -> Scorer:
        """text → how well it answers the question: words matched (by weight, with partial credit
        for pieces), synonyms a little, and a phrase the user echoes a bonus per character. The
        rerank, the gate, the ranker and the lead score the same texts against one question: a
        question's scorer, and its scores, are kept while it is among the last SCORERS asked."""
        with self._scorer_lock:
            found = self._scorers.get(analysis)
        if found is None:
            found = self._make_scorer(analysis)
            with self._scorer_lock:
                self._scorers[analysis] = found
        return found

    def _make_scorer(self, analysis: QueryAnalysis) -> Scorer:
        terms = self.question_terms(analysis)
        extra: set[str] = set()
        for e in analysis.expansions:
            extra |= set(self.tokenizer.tokens(e))
        extra -= {a for _, _, alts in terms for a in alts}  # expansions of a stopword (多久 → #个月)
        pieces = {word: self.pieces(word) for word, _, _ in terms}
        # The question's 4-character runs, indexed once: a text's longest run in common with it
        # (which earns the phrase bonus from 4 characters on) is then found in one pass.
        grams = question_grams(run_form(analysis.topic))
        idf = self.idf

        scores: dict[str, float] = {}

        def score(text: str) -> float:
            found = scores.get(text)
            if found is not None:
                return found
            toks = self._text_tokens(text)
            normalized = self._normalized(text)
            # Most texts share no 4-character run with the question: substring tests say so in C
            # (compiling the runs into one regex costs more than the tests, for each new question).
            run = longest_common_run(normalized, grams) if any(g in normalized for g in grams) else 0
            value = (sum(w * self.credit(word, alts, pieces[word], toks) for word, w, alts in terms)
                     + 0.3 * sum(idf.get(t, 0.0) for t in extra & toks)
                     + PHRASE_BONUS * max(0, run - 3))
            if len(scores) < SCORES_PER_QUESTION:
                scores[text] = value
            return value

        return score

    def fit(self, score: Scorer, clause: Part) -> float:
        """The best score of any 款 or 项 of the clause (or of the clause when it has none), each
        read with the clause's chapter and section titles (附件3's 可行性研究报告编制要求)."""
        heads = indexed_text(clause)[: -len(clause.text)] if clause.text else ""
        texts = [p.text for p in clause.paragraphs] + [i.text for p in clause.paragraphs for i in p.items]
        return max((score(heads + t) for t in texts), default=score(heads + clause.text))
