"""Property tests (hypothesis): random documents never crash the parser and keep the lossless
invariant; the quantity normaliser never crashes and agrees with itself across spellings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.corpus.catalog import load_catalog
from assistant.errors import ParseError
from assistant.corpus.parser import parse_document
from assistant.text import canonical_quantities, find_quantities, fold, int_to_cn, parse_cn_int

from conftest import CORPUS

META = {m.doc_id: m for m in load_catalog(CORPUS).docs}
CN_TEXT = st.text(alphabet=st.sampled_from(list("项目建设单位应当按照规定申报验收资金监理采购运维的和在于年月日万元个"
                                                "，。；：、（）“”《》 \u3000\t")), max_size=60)
NUMBER = st.integers(min_value=1, max_value=120)


@st.composite
def lines(draw):
    kind = draw(st.sampled_from(["article", "chapter", "section", "item", "text", "blank", "attachment", "page"]))
    n = draw(NUMBER)
    body = draw(CN_TEXT)
    return {
        "article": f"第{int_to_cn(n)}条{draw(st.sampled_from(['　', ' ', '']))}{body}",
        "chapter": f"第{int_to_cn(min(n, 20))}章 {body[:8]}",
        "section": f"{int_to_cn(min(n, 10))}、{body[:10]}",
        "item": f"（{int_to_cn(min(n, 30))}）{body}",
        "text": body,
        "blank": "",
        "attachment": f"附件{min(n, 9)}",
        "page": f"— {n} —",
    }[kind]


documents = st.lists(lines(), min_size=1, max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=documents, doc_id=st.sampled_from(sorted(META)))
def test_random_documents_parse_losslessly_or_are_rejected_clearly(source, doc_id):
    meta = META[doc_id]
    try:
        doc = parse_document(meta, source)
    except ParseError as exc:
        assert meta.file in str(exc)  # rejected, naming the file
        return
    assert fold("".join(p.text for p in doc.parts)) == fold(source)
    labels = [p.label for p in doc.clauses]
    assert len(labels) == len(set(labels))  # ids stay unique
    assert all(p.id == f"{doc_id}/{p.label}" for p in doc.clauses)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_quantity_finder_never_crashes_on_any_text(text):
    for q in find_quantities(text):
        assert q.kind in {"money", "percent", "duration", "date", "count"}
        assert 0 <= q.start < q.end
    canonical_quantities(text)


@settings(max_examples=300, deadline=None)
@given(wan=st.integers(min_value=1, max_value=9_999))
def test_amount_spellings_agree(wan):
    """N万元 = N万 = N*10000元 (with thousands separators) = the Chinese numeral spelling."""
    spellings = [f"{wan}万元", f"{wan}万", f"{wan * 10000:,}元", f"{int_to_cn(wan)}万元"]
    found = [canonical_quantities(s) for s in spellings]
    assert all(f == [f"{wan}万元"] for f in found), (spellings, found)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1, max_value=9_999))  # the range of article numbers
def test_chinese_numerals_round_trip(n):
    assert parse_cn_int(int_to_cn(n)) == n


@pytest.mark.parametrize("text, expected", [("五百万", ["500万元"]), ("3,000,000元", ["300万元"]),
                                            ("百分之十五", ["15%"]), ("半年内", ["6个月"])])
def test_examples(text, expected):
    assert canonical_quantities(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="项目验收申报材料六安试运行个月", max_size=30),
       st.text(alphabet="项目验收申报材料六安试运行个月", max_size=80))
def test_the_longest_common_run_is_difflibs_from_four_characters_on(question, text):
    from difflib import SequenceMatcher

    from assistant.search.matching import longest_common_run, question_grams

    m = SequenceMatcher(None, text, question, autojunk=False)
    run = m.find_longest_match(0, len(text), 0, len(question)).size
    assert max(0, longest_common_run(text, question_grams(question)) - 3) == max(0, run - 3)
