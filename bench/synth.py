"""Large corpora for the benchmark, generated from the four real 办法: many synthetic cities, with
varied numbers and wording, in the same layout as corpus/ (texts + catalog.yaml + lexicon).

    python bench/synth.py --clauses 100000 --out bench/cache/corpus-100000

The real documents are kept as they are (so the evaluation questions still route to them); every
copy gets a new city name, numbers scaled by a random factor, and a few wording swaps. Deterministic
for a given seed.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.corpus.catalog import CATALOG_FILE, LEXICON_DIR, load_catalog  # noqa: E402
from assistant.corpus.loader import load_corpus  # noqa: E402

FIRST = "青安宁泽川阳平江山城永庆丰和长兴德新华东西南北明泰嘉定昌盛海云金玉"
SECOND = "州源阳安宁川江山平兴城原德丰和昌泉林谷岭桥湖滨浦塘"
_NUMBER = re.compile(r"(?<![第〔\d])(\d+)(\s*)(万元|万|个月|天|个工作日|人|%)")
SWAPS = [("项目建设单位", "项目单位"), ("应当", "应"), ("负责", "承担"), ("组织专家", "邀请专家"),
         ("及时", "按时"), ("原则上", "一般")]


def city_names(n: int, rng: random.Random) -> list[str]:
    names = [a + b for a in FIRST for b in SECOND if a != b]
    if n > len(names):
        names += [a + b + c for a in FIRST for b in SECOND for c in "一二三四五六七八九"]
    rng.shuffle(names)
    return names[:n]


def vary_numbers(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        value = int(m.group(1))
        factor = rng.choice((0.5, 0.8, 1.2, 1.5, 2.0, 3.0))
        new = max(1, int(round(value * factor)))
        if m.group(3) == "%":
            new = min(new, 99)
        return f"{new}{m.group(2)}{m.group(3)}"

    return _NUMBER.sub(repl, text)


def synthesize(real_dir: Path, out: Path, clauses: int, seed: int = 7) -> Path:
    """Write a corpus of about `clauses` clauses to `out` (skipped when it is already there)."""
    if (out / CATALOG_FILE).is_file():
        return out
    rng = random.Random(seed)
    real = load_corpus(real_dir)
    per_copy = len(real.clauses)
    copies = max(0, math.ceil(clauses / per_copy) - 1)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    entries = []
    for meta in real.catalog.docs:
        shutil.copy2(real_dir / meta.file, tmp / meta.file)
    raw = yaml.safe_load((real_dir / CATALOG_FILE).read_text(encoding="utf-8"))["documents"]
    entries += raw
    names = city_names(copies * len(raw), rng)
    for i in range(copies):
        for j, (meta, entry) in enumerate(zip(real.catalog.docs, raw)):
            name = names[i * len(raw) + j]
            suffix = meta.city[-1]
            text = real.documents[meta.doc_id].source
            for spelling in meta.names:  # longest first
                text = text.replace(spelling, name + (suffix if spelling.endswith(suffix) else ""))
            text = vary_numbers(text, rng)
            for old, new in rng.sample(SWAPS, k=3):
                text = text.replace(old, new)
            doc_id = f"{meta.doc_id}-s{i:04d}"
            file = f"synthetic/{doc_id}.txt"
            (tmp / "synthetic").mkdir(exist_ok=True)
            (tmp / file).write_text(text, encoding="utf-8")
            entries.append(dict(entry, doc_id=doc_id, file=file, city=name + suffix, aliases=[name],
                                title=entry["title"].replace(meta.city, name + suffix).replace(
                                    meta.city[:-1], name), repeals=[]))
    (tmp / CATALOG_FILE).write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False),
                                    encoding="utf-8")
    shutil.copytree(real_dir / LEXICON_DIR, tmp / LEXICON_DIR)
    load_catalog(tmp)  # validate before publishing
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clauses", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    out = synthesize(REPO / "corpus", args.out, args.clauses, args.seed)
    print(f"{len(load_corpus(out).clauses)} clauses in {out}")


if __name__ == "__main__":
    main()
