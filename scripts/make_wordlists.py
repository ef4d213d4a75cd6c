"""Regenerate the word lists in assistant/search/data/ from jieba's dictionary (tags and frequencies).

places.txt  place names (tag ns), to notice a question about a city the corpus does not cover.
            Kept: names with an administrative suffix (深圳市, 苏州工业园区), and the bare name when
            the suffixed one exists too (深圳 beside 深圳市) — so words jieba happens to tag ns
            (东西, 一路平安) are not mistaken for places.
nouns.txt   common nouns (tags n, nz, nt, vn, j; frequency >= 10), to notice a question about a
            thing the corpus never mentions (护照, 著作权, 公积金): "not covered", not a guess.

Run: python scripts/make_wordlists.py
"""

from pathlib import Path

import jieba

SUFFIXES = tuple("市区县州省盟旗镇")
MIN_PLACE_FREQ = 100
NOUN_TAGS = {"n", "nz", "nt", "vn", "j"}
MIN_NOUN_FREQ = 10

src = Path(jieba.__file__).with_name("dict.txt")
data = Path(__file__).resolve().parents[1] / "assistant" / "search" / "data"
tagged: dict[str, int] = {}
nouns: set[str] = set()
for line in src.read_text(encoding="utf-8").splitlines():
    word, freq, tag = (line.split() + ["", ""])[:3]
    if len(word) < 2:
        continue
    if tag == "ns":
        tagged[word] = int(freq)
    elif tag in NOUN_TAGS and int(freq) >= MIN_NOUN_FREQ:
        nouns.add(word)
suffixed = {w for w in tagged if w.endswith(SUFFIXES) and len(w) >= 3}
bare = {w[:-1] for w in suffixed if w[:-1] in tagged and tagged[w[:-1]] >= MIN_PLACE_FREQ}
places = suffixed | bare
(data / "places.txt").write_text("\n".join(sorted(places)) + "\n", encoding="utf-8")
(data / "nouns.txt").write_text("\n".join(sorted(nouns)) + "\n", encoding="utf-8")
print(f"{len(places)} place names, {len(nouns)} nouns → {data}")
