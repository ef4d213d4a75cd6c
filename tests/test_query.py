from pathlib import Path

import pytest

from assistant.corpus.catalog import load_catalog
from assistant.search.index import make_tokenizer
from assistant.search.query import Analyzer

from conftest import CORPUS


@pytest.fixture(scope="module")
def analyzer():
    catalog = load_catalog(CORPUS)
    return Analyzer(catalog, make_tokenizer(catalog), CORPUS / "lexicon")


@pytest.mark.parametrize("question,doc_ids", [
    ("六安试运行多久", ("luan-2021",)),
    ("六安市的监理门槛", ("luan-2021",)),
    ("杭州上城区的维保期", ("shangcheng-draft",)),
    ("上城的申报时间", ("shangcheng-draft",)),
    ("启东办法第九条怎么说？", ("qidong-2019",)),
    ("六安和上城的申报截止时间有什么不同？", ("luan-2021", "shangcheng-draft")),
    ("试运行多久", ()),
])
def test_city_routing(analyzer, question, doc_ids):
    assert analyzer.analyze(question).doc_ids == doc_ids


def test_unknown_city_is_noticed(analyzer):
    a = analyzer.analyze("深圳市政务信息化项目怎么申报？")
    assert a.doc_ids == () and "深圳市" in a.unknown_places


def test_common_words_are_not_places(analyzer):
    assert analyzer.analyze("验收申请要附哪些东西？").unknown_places == ()


@pytest.mark.parametrize("question,ref", [
    ("第十七条", (17, None, None)),
    ("第17条", (17, None, None)),
    ("乐山第三十一条第二款", (31, 2, None)),
    ("六安第十一条第（五）项", (11, None, 5)),
])
def test_article_references(analyzer, question, ref):
    r = analyzer.analyze(question).article_refs[0]
    assert (r.number, r.paragraph, r.item) == ref


def test_synonyms_bridge_colloquial_words(analyzer):
    a = analyzer.analyze("开发商要交源码吗，等保和密评谁做")
    assert {"承建单位", "源代码", "网络安全等级保护", "密码应用安全性评估"} <= set(a.expansions)


def test_quantities_and_compare(analyzer):
    a = analyzer.analyze("三百万的项目六安和乐山分别要不要监理")
    assert [q.canonical for q in a.quantities] == ["300万元"]
    assert a.compare and a.doc_ids == ("luan-2021", "leshan-2022")


def test_the_part_of_speech_table_is_loaded_once_per_process():
    # Reading the table costs a file read: a question naming a word the corpus lacks must not
    # pay that each time.
    from assistant.search.tokenizer import _general_dictionary

    assert _general_dictionary() is _general_dictionary()


def test_each_x_is_also_x(analyzer):
    tokenizer = analyzer.tokenizer
    # 各 (each) before a word jieba keeps whole: the word itself is a token too.
    assert {"各县区", "县区"} <= set(tokenizer.tokens("各县区结合自身实际")) and "镇" in tokenizer.tokens("各镇（园区、街道）")


def test_a_verb_split_by_an_aspect_particle_is_read_whole(assistant):
    # "立了项" is 立项 (which the texts use); "签过字" stays (签字 is not theirs), "验收了吗" is untouched.
    analyzer = assistant.analyzer
    assert analyzer.rejoin("立了项能放多久") == "立项能放多久"
    assert analyzer.rejoin("签过字了") == "签过字了" and analyzer.rejoin("验收了吗") == "验收了吗"
    answer = assistant.ask("上城区的项目全部用上级专项资金，钱还没到位，立了项能放多久？")
    assert "shangcheng-draft/第六章·第3段" in {c.clause_id for c in answer.citations} and "有效期两年" in answer.answer


def test_an_adverb_before_a_verb_is_no_thing_whatever_the_tag_table_says(assistant):
    # jieba's table tags 先用 and 一共 as nouns; a question asking "能先用着吗" names no thing the 办法 lack.
    tokenizer = assistant.tokenizer
    assert not tokenizer.names_a_thing("先用") and not tokenizer.names_a_thing("一共")
    assert tokenizer.names_a_thing("护照") and tokenizer.names_a_thing("税务")
    assert "先用" not in assistant.ask("六安没验收的话能先用着吗").answer


def test_the_general_dictionary_table_is_jieba_s_own(tmp_path):
    # Read from jieba's dict.txt directly (sorted once into the cache) instead of through jieba's
    # tagger (2 s) and a second loaded dictionary: the same tags, the same counts and the same total.
    import jieba
    import jieba.posseg

    from assistant.search.tokenizer import GeneralDictionary

    source = Path(jieba.__file__).with_name("dict.txt")
    made = GeneralDictionary.read(source, tmp_path)  # sorts, and keeps the sorted copy
    kept = GeneralDictionary.read(source, tmp_path)  # reads the copy
    assert len(list(tmp_path.iterdir())) == 1
    jieba.posseg.dt.initialize()
    for table in (made, kept):
        assert table.total == jieba.dt.total
        assert sum(1 for _ in table.words()) == len(jieba.posseg.dt.word_tag_tab)
        assert all(table.tag(w) == t for w, t in jieba.posseg.dt.word_tag_tab.items())
        assert all(jieba.dt.FREQ[w] == table.count(w) for w in table.words())
    assert made.tag("甲级") == "b" and made.count("评审费") == 0 and made.tag("评审费", "?") == "?"


def test_word_counts_by_bisection_segment_as_jieba_s_own_dict(tmp_path):
    # A cold start reads jieba's counts from the sorted dictionary instead of unmarshalling its
    # dict (0.6 s): every prefix known, every count the same, words added on top — and so the same
    # words for the corpus's texts and users' questions, with the lexicon and the cities' names added.
    import jieba
    import yaml

    from assistant.search.tokenizer import GeneralDictionary, WordCounts

    table = GeneralDictionary.read(Path(jieba.__file__).with_name("dict.txt"), tmp_path)
    own, bisected = jieba.Tokenizer(), jieba.Tokenizer()
    own.initialize()
    bisected.FREQ, bisected.total, bisected.initialized = WordCounts(table), table.total, True
    assert all((w in bisected.FREQ) == (w in own.FREQ) and bisected.FREQ.get(w) == own.FREQ.get(w)
               for w in ("数据", "数据库", "数", "评审费", "政务信息化", "政务信", "乐山市", "x"))
    for tokenizer in (own, bisected):
        tokenizer.load_userdict(str(CORPUS / "lexicon" / "dict.txt"))
        for name in (n for meta in load_catalog(CORPUS).docs for n in meta.names):
            tokenizer.add_word(name, freq=2000, tag="ns")
    assert bisected.total == own.total
    texts = [line for f in sorted(CORPUS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    texts += [c["q"] for f in sorted((CORPUS.parent / "evals" / "users").glob("*.yaml"))
              for c in yaml.safe_load(f.read_text(encoding="utf-8"))["cases"]]
    assert len(texts) > 2000
    for cut in (lambda t, x: t.lcut(x), lambda t, x: t.lcut_for_search(x), lambda t, x: t.lcut(x, HMM=False)):
        assert [cut(bisected, x) for x in texts] == [cut(own, x) for x in texts]




def test_names_are_found_longest_first_left_to_right():
    from assistant.search.query import Names

    names = Names(["上城", "杭州市上城区", "上城区", "乐山"])
    assert list(names.finditer("杭州市上城区和乐山、上城的")) == [(0, 6, "杭州市上城区"), (7, 9, "乐山"), (10, 12, "上城")]
    assert list(Names([]).finditer("乐山")) == []


def test_a_modal_glued_to_a_verb_leaves_the_verb(assistant):
    # jieba keeps an unknown pair whole (能延, 要交); the verb is what is asked of.
    words = [w for w, _ in assistant.analyzer.tokenizer.terms("批下来最多能延多长时间，要交哪些材料，要市里批吗")]
    assert "延" in words and "交" in words and "能延" not in words and "要交" not in words
    assert "可研" in [w for w, _ in assistant.analyzer.tokenizer.terms("可研谁来编")]  # a word, not a modal


def test_the_focus_of_an_ask_keeps_an_office_s_name():
    from assistant.answers.request import Asked, focus

    assert "领导小组办公室" in focus(Asked.WHAT, "领导小组办公室让报送的材料有哪些")
    assert "办" not in focus(Asked.STEPS, "延期了怎么办")


def test_an_adverb_glued_to_a_rare_pair_names_no_thing(assistant):
    # "得先报到哪": jieba keeps 先报 (a pair its table counts 3 times); it is 先 + 报, not a noun.
    assert not assistant.analyzer.tokenizer.names_a_thing("先报")
    assert assistant.analyzer.tokenizer.names_a_thing("电脑")
