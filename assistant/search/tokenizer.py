"""jieba tokenisation with the domain lexicon; quantities stay whole and canonical (五百万 → 500万元).

The tokenizer's settings go into the index manifest, so a query is always tokenised like the corpus.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import math
import os
import re
import threading
import unicodedata
from pathlib import Path

import jieba

from assistant.search.caching import Memo
from assistant.files import keyed_name, written_whole
from assistant.search.places import division_names
from assistant.text import find_quantities

log = logging.getLogger(__name__)
TOKENIZER_SCHEME = "jieba-search+quantities/4"
# Prefix of unit tokens: every quantity also yields "#<unit>" (3个月 → "3个月", "#个月"), so a
# question asking "how long" can match any duration without matching the word 月 in running text.
UNIT_MARK = "#"
# Tokens of every text tokenised (the corpus's sentences, the questions): ~40 MB holds a
# 100k-clause corpus's sentences; bounded in bytes so long questions cannot grow it.
TOKEN_CACHE_BYTES = 64 * 1024 * 1024
# A question's words' search-mode pieces: words repeat from question to question.
PIECES_CACHE_BYTES = 4 * 1024 * 1024


class Tokenizer:
    """Turns text into BM25 tokens: jieba search-mode words (minus stopwords and punctuation) and
    canonical quantities. One instance per lexicon; safe to share across threads once built."""

    def __init__(self, lexicon_dir: Path | None = None, names: tuple[str, ...] = (),
                 cache_bytes: int = TOKEN_CACHE_BYTES):
        self.lexicon_dir = lexicon_dir
        # Every text tokenised once: the corpus's sentences and the questions asked.
        self._cached_tokens = Memo(lambda text: tuple(self._tokens(text)), cache_bytes)
        self._pieces = Memo(lambda word: tuple(self._words(word)) or (word,), PIECES_CACHE_BYTES)
        self.names = tuple(sorted(set(names)))  # city names and aliases from the catalog
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._stopwords: frozenset[str] = frozenset()
        self._ready = False
        self._dict_hash = "none"

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            jieba.setLogLevel(logging.WARNING)
            # jieba's word counts read from the sorted dictionary by bisection, not unmarshalled
            # into a dict of 580,000 words and prefixes per process (0.6 s of every cold start).
            general = _general_dictionary()
            self._jieba.FREQ, self._jieba.total = WordCounts(general), general.total
            self._jieba.initialized = True
            digest = hashlib.sha256()
            if self.lexicon_dir is not None:
                userdict = self.lexicon_dir / "dict.txt"
                if userdict.is_file():
                    self._jieba.load_userdict(str(userdict))
                    digest.update(userdict.read_bytes())
                stop = self.lexicon_dir / "stopwords.txt"
                if stop.is_file():
                    text = stop.read_text(encoding="utf-8")
                    self._stopwords = frozenset(w.strip() for w in text.splitlines() if w.strip())
                    digest.update(text.encode())
            for name in self.names:
                self._jieba.add_word(name, freq=2000, tag="ns")
            digest.update("\n".join(self.names).encode())
            self._dict_hash = digest.hexdigest()[:12]
            self._ready = True

    def settings(self) -> dict:
        self._ensure()
        return {"scheme": TOKENIZER_SCHEME, "jieba": jieba.__version__, "lexicon": self._dict_hash}

    def terms(self, text: str, keep_units: bool = False) -> list[tuple[str, tuple[str, ...]]]:
        """The question's words, each once (jieba's accurate mode), with the search-mode tokens
        each one stands for: ("数据三清单", ("数据", "清单", "三清单", "数据三清单")). Quantities come
        as their canonical token. Stopwords and punctuation are dropped."""
        self._ensure()
        norm = _normal(text)
        out: list[tuple[str, tuple[str, ...]]] = []
        pos = 0
        spans = [(q.start, q.end, q.canonical) for q in find_quantities(norm)] + [(len(norm), len(norm), None)]
        for start, end, canonical in spans:
            for chunk in norm[pos:start].split():
                if chunk.startswith(UNIT_MARK):
                    if keep_units:
                        out.append((chunk, (chunk,)))
                    continue
                for word in self._jieba.lcut(chunk):
                    word = self._without_modal(word)
                    if word.strip() and word not in self._stopwords and not _is_punct(word):
                        out.append((word, self._pieces(word)))
            if canonical:
                out.append((canonical, (canonical,)))
            pos = end
        return out

    def cut(self, text: str) -> list[str]:
        """jieba's accurate-mode words of a text, as written (nothing dropped)."""
        self._ensure()
        return self._jieba.lcut(text)

    def _without_modal(self, word: str) -> str:
        """A modal glued to a one-character verb, a pair no dictionary knows ("最多能延多久" →
        能延, "要交哪些" → 要交), is the verb: what is asked of is extending, handing in."""
        if (len(word) == 2 and word[0] in _MODALS and word[1] not in _NOT_VERBS
                and not self._jieba.FREQ.get(word)):
            return word[1]
        return word

    def alternatives(self, text: str) -> list[tuple[str, str]]:
        """Words a question offers as alternatives ("在哪个系统或者平台上填报" → (系统, 平台)):
        either answers it."""
        self._ensure()
        words = [w for w in self._jieba.lcut(unicodedata.normalize("NFKC", text)) if w.strip()]
        return [(a, b) for a, o, b in zip(words, words[1:], words[2:])
                if o in _DISJUNCTIONS and a not in self._stopwords and b not in self._stopwords
                and not _is_punct(a) and not _is_punct(b)]

    def place_names(self, text: str) -> list[str]:
        """Place names in a text (蚌埠, 蚌埠市, 怀远县 …), to spot places the corpus lacks: China's
        divisions (search/places.py). A full name counts wherever it stands; a short form only
        as a word of its own that jieba's dictionary does not know as an ordinary word (和平)."""
        self._ensure()
        full, short, prefectures = division_names()
        out = [m.group(0) for m in _full_names(full).finditer(text)]
        # A city's short form inside a longer name (苏州 in 苏州工业园区) is the city.
        out += [m.group(0) for m in _full_names(prefectures).finditer(text)
                if not any(m.group(0) in f for f in out) and self._a_place(m.group(0))]
        words = self._jieba.lcut(text)
        for i, word in enumerate(words):
            if word in short and not any(word in f for f in out):
                # With its suffix ("海门区", a district the table still lists as 海门市) a short form
                # is the place whatever jieba's table calls the word.
                suffix = words[i + 1] if i + 1 < len(words) and words[i + 1] in ("区", "县", "市") else ""
                if suffix or self._a_place(word) or self._a_city(word, prefectures):
                    out.append(word + suffix)
        return out

    def _a_place(self, word: str) -> bool:
        # A catalog city needs no tagger (its table loads only for a place the corpus lacks).
        return word in self.names or _tag(word, "ns") == "ns"

    @staticmethod
    def _a_city(word: str, prefectures: frozenset[str]) -> bool:
        # A prefecture's short form standing as a word of its own is the city when jieba's table
        # calls it a noun of any kind (合肥 n, 南通 nz, 嘉兴 nr, not only ns). A verb, an adjective or
        # an adverb (开封, 清远, 大同) is the ordinary word; a transliterated name (nrt) is a
        # brand's as often (阿里 in 阿里云).
        return word in prefectures and _tag(word, "n") in ("n", "nz", "nr", "s", "j")

    def names_a_thing(self, word: str) -> bool:
        """Whether jieba's dictionary tags the word as a noun (护照, 增值税, 劳务费) rather than a verb,
        adverb or function word (听说, 突然, 的话). A compound it does not know, or knows only as a
        set phrase, is read by its head, the last of its pieces (个人所得税 → 所得税). The tagger's table loads on first use."""
        if len(word) == 2 and _tag(word[0])[:1] in ("d", "m") and _tag(word[1])[:1] in ("v", "p", "d"):
            return False  # an adverb or numeral before a verb (先用, 一共): how something is done, whatever the table says
        if len(word) == 2 and _tag(word[0])[:1] == "d" and not established(word):
            return False  # an adverb glued to a one-character word the table barely knows (先报, 再交)
        if len(word) == 3 and word[1] in "得不":
            return False  # a verb with its potential complement (行得通, 用不上): whether it can be done
        if general_idf(word) < EVERYDAY_IDF:
            return False  # a word of everyday speech (大家, 东西, 事情, 公司): who or what in general, no topic
        tag = _tag(word)
        if tag in ("", "l"):  # unknown, or a set phrase (个人所得税): read by its head (所得税)
            head = self.head(word)
            if head != word and _tag(word[:len(word) - len(head)]).startswith("v"):
                return False  # a verb and its object (承担责任): an act, not a thing
            tag = _tag(head) if head != word else tag
        # A verbal noun (工资, 报销) names a thing too when it is a whole word of two characters or more.
        return (tag.startswith(("n", "j")) or (tag == "vn" and len(word) >= 2)) \
            and tag not in ("nr", "nrt", "ns", "nrfg") and word not in _TIME_NOUNS and word not in _PARTIES

    def reads_as_noun(self, word: str) -> bool:
        """names_a_thing, or for a word jieba's dictionary lacks altogether, its tagger's guess."""
        if self.names_a_thing(word):
            return True
        return not _tag(word) and word not in _TIME_NOUNS and _guessed_noun(word)

    def is_verb(self, word: str) -> bool:
        """Whether jieba's dictionary tags the word as a verb (撤销, 停用; not 关于, 关键)."""
        return _tag(word).startswith("v")

    def acted_on(self, word: str) -> str | None:
        """The object of a spoken verb-object word, one verb character before a noun (签合同 → 合同,
        办手续 → 手续): what it is about is that noun; None for any other word (评审专家 is a kind of
        专家, not an act on one)."""
        head = self.head(word)
        rest = word[:len(word) - len(head)]
        if head == word or len(rest) != 1 or not _tag(rest).startswith("v"):
            return None
        return head

    def head(self, word: str) -> str:
        """The head of a compound: its longest proper suffix that is a word (盗版软件 → 软件) and
        leaves a word before it — 承担责任 is 承担 + 责任, not 承 + 担责任."""
        pieces = [p for p in self._words(word) if p != word and len(p) >= 2 and word.endswith(p)]
        whole = [p for p in pieces if len(word) - len(p) == 1 or _general_dictionary().count(word[:len(word) - len(p)])]
        return max(whole or pieces, key=len, default=word)

    def tokens(self, text: str) -> list[str]:
        return list(self._cached_tokens(text))

    def query_tokens(self, text: str, vocab) -> list[str]:
        """Query side of BM25: each word once, as the corpus spells it. A word the index knows
        whole (试运行) counts once, not once per piece (试运, 运行, 试运行) as search mode would
        give; a word it does not know (报上去, 数据三清单) falls back to its known pieces."""
        out: list[str] = []
        for word, pieces in self.terms(text, keep_units=True):
            if word in vocab:
                out.append(word)
            else:
                out += [p for p in pieces if p in vocab and p != word]
        return out

    def _tokens(self, text: str) -> list[str]:
        self._ensure()
        norm = _normal(text)
        out: list[str] = []
        pos = 0
        for q in find_quantities(norm):
            out += self._words(norm[pos:q.start])
            out += [q.canonical, UNIT_MARK + q.unit]  # 7月底 also matches "#月底" (any month-end date)
            pos = q.end
        out += self._words(norm[pos:])
        if "半年" in norm:
            out += ["6个月", UNIT_MARK + "个月"]
        return out

    def _words(self, segment: str) -> list[str]:
        out: list[str] = []
        for chunk in segment.split():
            if chunk.startswith(UNIT_MARK):
                out.append(chunk)  # "#个月" in a synonym list: any quantity with that unit
                continue
            for w in self._jieba.cut_for_search(chunk):
                if w.strip() and w not in self._stopwords and not _is_punct(w):
                    out.append(w)
                    # "各县区", "各镇", "各部门": 各 (each) before a word jieba keeps whole; the
                    # word is also a token, so "县里的项目" meets "各县区结合自身实际…".
                    if len(w) >= 2 and w[0] == "各" and w[1:] not in self._stopwords:
                        out.append(w[1:])
        return out


# "…交就行吧", "报备一下也行吗": 行/好/成 after 就/也 at a clause's end says "that is enough" —
# no word of the topic (行 would match 施行). jieba keeps 就行 apart, so the stopword 就行 never
# meets it whole.
_ENOUGH = re.compile(r"(?<=[就也])[行好成](?=了?(?:吧|吗|嘛|啊|呀|呢|[？?，。！!\s]|$))")


def enough_said(text: str) -> str:
    """`text` with a clause-final "that is enough" (就行, 也好) blanked, offsets kept."""
    return _ENOUGH.sub(" ", text)


def _normal(text: str) -> str:
    """What is cut into tokens: NFKC, with a clause-final "that is enough" blanked."""
    return enough_said(unicodedata.normalize("NFKC", text))


# Nouns that name a period or a place in general, not a thing a question could be about.
# A pair of characters jieba's dictionary counts fewer times than this is no word of its own.
_RARE_PAIR = 10
# Modal verbs (can, must, will, want): before a verb, how it is asked, not what.
_MODALS = frozenset("能可要会得该需想必")
# What follows a modal without being a verb: a place level (要市里), an adverb (能先).
_NOT_VERBS = frozenset("市省区县镇乡村先再还都也就才又")
_TIME_NOUNS = frozenset({"季度", "年度", "月份", "地方", "时候", "时间", "期间", "以后", "之前"})
# Parties named by where they stand to the speaker ("对方要几级资质"): who, never a topic.
_PARTIES = frozenset({"对方", "双方", "各方", "人家", "我方", "己方", "他方"})


def warm_tagger() -> None:
    """Load jieba's part-of-speech tags and word counts now, not in the first request that names a
    place the corpus lacks, and jieba's own dict of word counts (see load_jieba_counts). A server
    calls it in the background at start; the CLI does not need to."""
    _general_dictionary()
    load_jieba_counts()


# jieba's own dict of word counts and prefixes, once loaded: looking a word up there is 2.5×
# faster than bisecting the sorted dictionary, which matters where millions of lookups are made
# (a build's workers) or every millisecond counts (a server, loading it in the background).
_JIEBA_COUNTS: dict[str, int] | None = None
_JIEBA_COUNTS_LOCK = threading.Lock()


def load_jieba_counts() -> None:
    """Load jieba's dict (0.6 s); every Tokenizer's lookups use it from then on, with the same
    segmentation."""
    global _JIEBA_COUNTS
    with _JIEBA_COUNTS_LOCK:
        if _JIEBA_COUNTS is None:
            jieba.setLogLevel(logging.WARNING)
            whole = jieba.Tokenizer()
            whole.initialize()
            _JIEBA_COUNTS = whole.FREQ


def _tag(word: str, default: str = "") -> str:
    """The part-of-speech tag of a word in jieba's general dictionary, or `default`."""
    return _general_dictionary().tag(word, default)


class GeneralDictionary:
    """jieba's general dictionary (dict.txt) as its lines sorted by word, looked up by bisection:
    loading it is one read of a file (0.05 s) instead of a dict of 350,000 words built per process
    (0.7 s). The sorted copy is made once, in the user's cache (regassist's cache directory), keyed
    by the dictionary file; where it cannot be kept it is sorted in memory."""

    def __init__(self, lines: list[str], total: int) -> None:
        self._lines = lines  # "word count tag", sorted; one line per word (the file's last wins)
        self.total = total   # as jieba counts it: every line, a repeated word's too

    def _line(self, word: str) -> list[str] | None:
        key = word + " "
        i = bisect.bisect_left(self._lines, key)
        return self._lines[i].split(" ") if i < len(self._lines) and self._lines[i].startswith(key) else None

    def tag(self, word: str, default: str = "") -> str:
        parts = self._line(word)
        return parts[2] if parts and len(parts) > 2 else default

    def count(self, word: str) -> int:
        parts = self._line(word)
        return int(parts[1]) if parts else 0

    def words(self):
        return (line.split(" ", 1)[0] for line in self._lines)

    @classmethod
    def read(cls, source: Path, cache_dir: Path | None) -> "GeneralDictionary":
        cached = cache_dir / keyed_name(source, f"jieba-{jieba.__version__}", ".dict.txt") if cache_dir else None
        if cached is not None and cached.is_file():
            try:
                head, _, body = cached.read_text(encoding="utf-8").partition("\n")
                return cls(body.split("\n"), int(head))
            except (OSError, ValueError) as exc:
                log.debug("sorted dictionary unreadable, sorting again: %s", exc)
        entries: dict[str, str] = {}
        total = 0
        with source.open(encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 2:
                    continue
                entries[parts[0]] = " ".join(parts)
                total += int(parts[1])
        lines = [entries[w] for w in sorted(entries)]
        if cached is not None:
            try:
                with written_whole(cached) as fh:
                    fh.write((f"{total}\n" + "\n".join(lines)).encode("utf-8"))
            except OSError as exc:  # the cache is an optimisation only
                log.debug("cannot keep the sorted dictionary: %s", exc)
        return cls(lines, total)


class WordCounts:
    """jieba's FREQ over the sorted dictionary: a word's count, 0 for a prefix of a word (jieba
    keeps every prefix so that its DAG knows when to stop), and words added at run time (the
    lexicon, the cities' names) on top; jieba's own dict instead once it is loaded. Only what
    jieba's Tokenizer reads and writes: `in`, `[]`, `get`, item assignment. Segmentation is the
    same as with jieba's own dict."""

    def __init__(self, general: GeneralDictionary) -> None:
        self._general = general
        self._added: dict[str, int] = {}

    def __contains__(self, fragment: str) -> bool:
        if fragment in self._added:
            return True
        counts = _JIEBA_COUNTS
        if counts is not None:
            return fragment in counts
        lines = self._general._lines
        i = bisect.bisect_left(lines, fragment)
        return i < len(lines) and lines[i].startswith(fragment)

    def get(self, word: str, default=None):
        count = self._added.get(word)
        if count is not None:
            return count
        counts = _JIEBA_COUNTS
        if counts is not None:
            return counts.get(word, default)
        parts = self._general._line(word)
        if parts is not None:
            return int(parts[1])
        return 0 if word in self else default

    def __getitem__(self, word: str) -> int:
        count = self.get(word)
        if count is None:
            raise KeyError(word)
        return count

    def __setitem__(self, word: str, count: int) -> None:
        self._added[word] = count


@functools.cache
def _general_dictionary() -> GeneralDictionary:
    from assistant.settings import default_cache_dir

    return GeneralDictionary.read(Path(jieba.__file__).with_name("dict.txt"), default_cache_dir(dict(os.environ)))


# How rare a word is in general Chinese (jieba's dictionary counts, not the corpus): below this
# log-inverse frequency it is a word of everyday speech (大家 8.1, 地方 7.0, 公司 7.2; 工资 9.4,
# 护照 12.4, 评审费 not counted) that names nobody's topic on its own.
EVERYDAY_IDF = 9.0
SPECIFIC_IDF = 13.0  # ... and from this on, a word is wholly specific (评审费, 增值税, 破解版)


# Complements a spoken verb takes: a direction (批下来, 挂出去, 用起来) or a result or aspect (删掉, 建了).
_REDONE = "补重"  # prefixes of an act done after the fact or again
_COMPLEMENTS = ("下来", "下去", "出来", "出去", "起来", "上去", "过来", "回来", "掉", "完", "了", "着", "过")


def spoken_verb(word: str) -> bool:
    """Whether a word is a one-character verb in the dress of speech — an adverb before it (先改,
    再验) or a prefix doing it again or after the fact (补办, 重做), a complement after it (批下来,
    挂出去) or doubled (改改): what it says is the verb, which the texts say in their own words."""
    if len(word) == 2 and (word[0] == word[1] or _tag(word[0])[:1] == "d" or word[0] in _REDONE):
        return True
    return any(word.endswith(c) and len(word) == len(c) + 1 for c in _COMPLEMENTS)


def established(word: str) -> bool:
    """Whether jieba's dictionary counts the word as one of general Chinese (回避, 续签), not a
    compound it lists once or twice (往下走) or one only its HMM guesses (上开)."""
    return _general_dictionary().count(word) >= _RARE_PAIR


def specificity(word: str) -> float:
    """0 for a word of everyday speech, 1 for a specific one, in between on a straight line of
    general_idf (分数 10.9 → 0.47, 牌子 11.3 → 0.57)."""
    return min(1.0, max(0.0, (general_idf(word) - EVERYDAY_IDF) / (SPECIFIC_IDF - EVERYDAY_IDF)))


@functools.lru_cache(maxsize=8192)
def general_idf(word: str) -> float:
    """log(total / (count + 1)) over jieba's general dictionary."""
    table = _general_dictionary()
    return math.log(table.total / (table.count(word) + 1))


_DISJUNCTIONS = frozenset({"或者", "或", "或是", "或者是"})


@functools.lru_cache(maxsize=4096)
def _guessed_noun(word: str) -> bool:
    """jieba's tagger, for a word its dictionary lacks: read as one noun by the HMM (税点, 信创),
    not as pieces (先改 → 先/d 改/v) or as another part of speech."""
    import jieba.posseg

    pairs = jieba.posseg.lcut(word)
    return len(pairs) == 1 and pairs[0].flag.startswith("n") and pairs[0].flag not in ("nr", "ns", "nrt", "nrfg")


@functools.cache
def _full_names(names: frozenset[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _is_punct(word: str) -> bool:
    return all(unicodedata.category(ch).startswith(("P", "S", "Z")) for ch in word)
