"""Regenerate assistant/data/places.txt: place names (jieba's dictionary, tag ns) used to notice a
question about a city the corpus does not cover. Kept: names with an administrative suffix, or
frequent enough to be a real place rather than an idiom jieba happens to tag ns."""

from pathlib import Path

import jieba

SUFFIXES = tuple("市区县州省盟旗镇")
MIN_FREQ = 100

src = Path(jieba.__file__).with_name("dict.txt")
out = Path(__file__).resolve().parents[1] / "assistant" / "data" / "places.txt"
names = set()
for line in src.read_text(encoding="utf-8").splitlines():
    word, freq, tag = (line.split() + ["", ""])[:3]
    if tag == "ns" and len(word) >= 2 and (word.endswith(SUFFIXES) or int(freq) >= MIN_FREQ):
        names.add(word)
out.write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")
print(f"{len(names)} place names → {out}")
