"""Query understanding: which cities, which article, which quantities, and the user's words mapped
onto the text's words (开发商 → 承建单位, 等保 → 网络安全等级保护)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


from assistant.corpus.catalog import Catalog, safe_yaml
from assistant.text import CN_NUMERAL_CHARS, Quantity, find_quantities, parse_cn_int
from assistant.search.tokenizer import Tokenizer, _tag

_N = rf"[{CN_NUMERAL_CHARS}\d]+"
_ARTICLE_REF = re.compile(
    rf"第\s*({_N})\s*条(?:\s*第\s*({_N})\s*款)?(?:\s*第\s*[（(]?\s*({_N})\s*[)）]?\s*项)?")
_ATTACHMENT_REF = re.compile(r"附件\s*([1-9一二三四五六七八九])")
_COMPARE = re.compile(r"比较|对比|区别|不同|不一样|异同|差异|差别|各地|各个城市|各城市|分别|哪些城市|哪个城市|各市|"
                      r"[几四三两各](个)?(城市|地方|市区|地)|哪些地方|哪个地方|都是")


def _compares(q: str) -> bool:
    """Whether a question asks to compare. 比较 before an adjective is "rather" ("找哪家比较好",
    "比较合适"), not "compare" ("比较一下", "比较六安和乐山")."""
    for m in _COMPARE.finditer(q):
        if m.group(0) != "比较":
            return True
        rest = q[m.end():]
        if not (rest[:1] in ("多", "少") or any(_tag(rest[:n]).startswith("a") for n in (2, 1) if len(rest) >= n)):
            return True
    return False


# Place words that are not a city or district of their own.
_GENERIC_PLACES = {"中国", "全国", "国家", "本市", "我市", "我区", "全市", "全区", "各地", "地方", "城市",
                   "市级", "省级", "区级", "县级", "市里", "区里", "省里", "当地", "本地", "中央"}


# What a place name leaves in QueryAnalysis.topic: whitespace to every reader of the text, but not a
# space the user typed ("归六安这个办法管吗" is one phrase; "乐山医保局 一期还没验收" is two).
PLACE_MARK = "\u2002"

# A noun after 哪些/哪几/什么 that names the form of the answer, not its topic ("要写哪几部分",
# "有哪些类型"): it is left out of the search (部分 would match "全部或部分").
ANSWER_FORM = re.compile(r"(?<=哪几|哪些|什么|哪个|哪类|哪种|几个|几类)(部分|内容|方面|类型|种类|章节|栏目|方面|情形|几项)")

# Spoken forms of question words, read as the written ones (啥时候 = 什么时候).
_SPOKEN = (("啥", "什么"), ("咋", "怎么"), ("哪儿", "哪里"), ("多会儿", "什么时候"))


def colloquial(text: str) -> str:
    """The written form of a spoken question, for matching the lexicon's keys."""
    for spoken, written in _SPOKEN:
        text = text.replace(spoken, written)
    return text


class Names:
    """Where a set of names occurs in a text: at each position the longest name, scanning left to
    right, as a regex alternation of them longest first would find them — without compiling one
    (the names of 1,852 documents take ~1 s to compile, at every start)."""

    def __init__(self, names):
        self.names = frozenset(names)
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def finditer(self, text: str):
        """(start, end, name) of each match, none overlapping."""
        i = 0
        while i < len(text):
            for size in self.lengths:
                if i + size <= len(text) and text[i:i + size] in self.names:
                    yield i, i + size, text[i:i + size]
                    i += size
                    break
            else:
                i += 1


@dataclass(frozen=True)
class ArticleRef:
    number: int
    paragraph: int | None
    item: int | None
    text: str


@dataclass(frozen=True)
class QueryAnalysis:
    question: str
    doc_ids: tuple[str, ...]          # documents of the places named; empty = no place named
    cities: tuple[str, ...]           # as in the catalog (六安市 …)
    regions: tuple[str, ...]          # a province / parent city named instead of a corpus city
    unknown_places: tuple[str, ...]   # places named that the corpus does not cover
    article_refs: tuple[ArticleRef, ...]
    attachment_refs: tuple[int, ...]
    quantities: tuple[Quantity, ...]
    expansions: tuple[str, ...]
    compare: bool
    topic: str  # the question without the place names (routing handles those)

    @property
    def search_text(self) -> str:
        return " ".join((self.topic, *self.expansions))


# A two-character verb split by an aspect particle or a measure word: 立了项, 验完收, 签过字, 备个案
# (not 这个项目, 每个环节, 两个月: after a determiner or a numeral, 个 counts).
_SPLIT_VERB = re.compile(r"([\u4e00-\u9fa5])(?:[了过完]|(?<![这那哪几一二两三四五六七八九十百千万每各某半整多少单上下])个)([\u4e00-\u9fa5])")
# A region's own level: "南通市本级", "四川省级", "杭州市级".
_OWN_LEVEL = re.compile(r"(市|省)?(本级|市级|省级)")
# A verb with the complement 掉 (done away with): 撤掉, 停掉 — the texts say 撤销, 停用.
RESULTATIVE = re.compile(r"([\u4e00-\u9fa5])掉")
# A verb with a negative potential complement: cannot get it done (in time) — 来不及, 赶不上,
# 验收不了 (not 不了解). The texts write the case as 不能按时 / 不能按期 / 未按期.
UNABLE = re.compile(r"[\u4e00-\u9fa5]?不(?:及|上|了)(?!解)")
UNABLE_WRITTEN = ("不能", "按时", "按期")


class Analyzer:
    def __init__(self, catalog: Catalog, tokenizer: Tokenizer, lexicon_dir: Path | None,
                 corpus_text: str = ""):
        self.catalog = catalog
        self.tokenizer = tokenizer
        self.corpus_text = corpus_text
        self.synonyms: dict[str, list[str]] = {}
        path = lexicon_dir / "synonyms.yaml" if lexicon_dir else None
        if path is not None and path.is_file():
            data = safe_yaml(path.read_text(encoding="utf-8")) or {}
            self.synonyms = {str(k): [str(v) for v in vs] for k, vs in data.items()}
        names = sorted(((name, m.doc_id, m.city) for m in catalog.docs for name in m.names),
                       key=lambda t: len(t[0]), reverse=True)
        self._name_to_doc: dict[str, list[tuple[str, str]]] = {}
        for name, doc_id, city in names:
            self._name_to_doc.setdefault(name, []).append((doc_id, city))
        # One pattern for every name, longest first: at each position the longest name wins
        # (杭州市上城区 before 上城), and a corpus of hundreds of cities costs one scan.
        self._name_pattern = Names(n for n, _, _ in names)
        regions: dict[str, list[str]] = {}
        for m in catalog.docs:
            for region in (m.province, m.parent):
                if region:
                    for spelling in {region, region.rstrip("省市")}:
                        regions.setdefault(spelling, []).append(m.doc_id)
        self._regions = dict(regions)
        self._region_pattern = Names(regions)
        self._verbs: dict[str, tuple[str, ...]] = {}

    def rejoin(self, text: str) -> str:
        """Spoken Chinese splits a verb with its object by 了/过/完 ("立了项能放多久"): the texts' word
        (立项) is put back together when the texts use it."""
        if not self.corpus_text:
            return text
        return _SPLIT_VERB.sub(lambda m: m.group(1) + m.group(2) if m.group(1) + m.group(2) in self.corpus_text
                               else m.group(0), text)

    def spoken_verb(self, char: str) -> tuple[str, ...]:
        """The texts' two-character verbs that begin with `char` (撤 → 撤销, 停 → 停用): what a
        spoken 撤掉 or 停掉 is in their words."""
        found = self._verbs.get(char)
        if found is None:
            words = dict.fromkeys(re.findall(re.escape(char) + r"[\u4e00-\u9fa5]", self.corpus_text))
            found = self._verbs[char] = tuple(w for w in words if self.tokenizer.is_verb(w))
        return found

    def analyze(self, question: str) -> QueryAnalysis:
        q = self.rejoin(question.strip())
        covered = [False] * len(q)
        doc_ids: list[str] = []
        cities: list[str] = []
        for start, end, name in self._name_pattern.finditer(q):
            covered[start:end] = [True] * (end - start)
            for doc_id, city in self._name_to_doc[name]:
                if doc_id not in doc_ids:
                    doc_ids.append(doc_id)
                    cities.append(city)
        regions: list[str] = []
        region_docs: list[str] = []
        levels: list[str] = []  # a region asked of at its own level ("南通市本级的办法")
        for start, end, region in self._region_pattern.finditer(q):
            if any(covered[start:end]):
                continue
            covered[start:end] = [True] * (end - start)
            regions.append(region)
            region_docs += [d for d in self._regions[region] if d not in region_docs]
            if _OWN_LEVEL.match(q, end):
                levels.append(region)
        unknown = []
        for place in self.tokenizer.place_names(q):
            start = q.find(place)
            if start >= 0 and any(covered[start:start + len(place)]):
                continue
            if place in _GENERIC_PLACES or place.rstrip("市区县省") in _GENERIC_PLACES:
                continue
            if self.corpus_text and place in self.corpus_text:
                continue  # a place the text itself names (江淮大数据中心 …), not a city asked about
            unknown.append(place)
        if not doc_ids and region_docs and not unknown:
            # A region stands for its corpus city only when no other place within it is named:
            # "杭州余杭区" asks of 余杭区, which 上城区's 办法 do not govern.
            doc_ids = region_docs
        refs = tuple(
            ArticleRef(number=parse_cn_int(m.group(1)) or 0,
                       paragraph=parse_cn_int(m.group(2)) if m.group(2) else None,
                       item=parse_cn_int(m.group(3)) if m.group(3) else None,
                       text=m.group(0))
            for m in _ARTICLE_REF.finditer(q))
        attachments = tuple(dict.fromkeys(parse_cn_int(m.group(1)) or 0 for m in _ATTACHMENT_REF.finditer(q)))
        expansions: list[str] = []
        spoken = colloquial(q)
        for key, values in self.synonyms.items():
            if key in spoken:
                expansions += [v for v in values if v not in expansions and v not in q]
        for m in RESULTATIVE.finditer(q):
            expansions += [v for v in self.spoken_verb(m.group(1)) if v not in expansions]
        if UNABLE.search(q):
            expansions += [v for v in UNABLE_WRITTEN if v not in expansions and v not in q]
        topic = "".join(PLACE_MARK if covered[i] else ch for i, ch in enumerate(q))
        topic = ANSWER_FORM.sub(" ", topic)
        return QueryAnalysis(
            question=q,
            topic=topic,
            doc_ids=tuple(doc_ids),
            cities=tuple(cities),
            # With a corpus city named, a region counts only when its own level is asked of
            # ("启东上面南通市本级的办法"): that is not the city's 办法.
            regions=tuple(regions) if not cities else tuple(levels),
            unknown_places=tuple(unknown),
            article_refs=refs,
            attachment_refs=attachments,
            quantities=tuple(find_quantities(q)),
            expansions=tuple(expansions),
            compare=_compares(q) or len(doc_ids) > 1,
        )
