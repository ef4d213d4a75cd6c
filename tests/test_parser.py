"""The parser on the four real documents: structure, counts, labels, and the lossless invariant."""

import pytest

from assistant.corpus.catalog import load_catalog
from assistant.corpus.loader import load_corpus
from assistant.corpus.model import PartKind
from assistant.corpus.parser import parse_document
from assistant.text import fold

from conftest import CORPUS, DOC_IDS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


def articles(doc):
    return [p for p in doc.parts if p.kind is PartKind.ARTICLE]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_lossless(corpus, doc_id):
    doc = corpus.documents[doc_id]
    assert fold("".join(p.text for p in doc.parts)) == fold(doc.source)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_ids_are_derived_from_doc_and_label(corpus, doc_id):
    doc = corpus.documents[doc_id]
    ids = [c.id for c in doc.clauses]
    assert len(ids) == len(set(ids))
    assert all(c.id == f"{doc_id}/{c.label}" for c in doc.clauses)
    again = parse_document(doc.meta, doc.source)
    assert [c.id for c in again.clauses] == ids


@pytest.mark.parametrize("doc_id,count", [("luan-2021", 29), ("leshan-2022", 57), ("qidong-2019", 33)])
def test_article_counts(corpus, doc_id, count):
    labels = [p.label for p in articles(corpus.documents[doc_id])]
    assert len(labels) == count
    assert labels[0] == "第一条" and labels[9] == "第十条" and labels[-1].endswith("条")


def test_qidong_attachments_are_parts_not_chapters(corpus):
    doc = corpus.documents["qidong-2019"]
    chapters = [p.label for p in doc.parts if p.kind is PartKind.CHAPTER]
    assert chapters[-1] == "第八章 附则" and len(chapters) == 8
    titles = [p.label for p in doc.parts if p.kind is PartKind.ATTACHMENT_TITLE]
    assert titles == ["附件1·标题", "附件2·标题", "附件3·标题", "附件4·标题"]
    sections = [p.label for p in doc.parts if p.kind is PartKind.ATTACHMENT_SECTION]
    assert "附件3·第一章项目概述" in sections and "附件3·第十四章项目风险与风险管理*" in sections
    assert "附件4·四、验收条件" in sections and "附件1" in sections
    # the notice header and the 抄送 trailer are kept, not dropped
    header = doc.parts[0]
    assert header.kind is PartKind.HEADER and "启政办发〔2019〕64号" in header.text
    assert doc.parts[-1].kind is PartKind.TRAILER and doc.parts[-1].text.startswith("抄送")
    assert any(p.kind is PartKind.ATTACHMENT_LIST for p in doc.parts)


def test_shangcheng_paragraphs_all_labelled_with_inferred_chapters(corpus):
    doc = corpus.documents["shangcheng-draft"]
    chapters = [(p.label, p.inferred) for p in doc.parts if p.kind is PartKind.CHAPTER]
    assert [c for c, _ in chapters] == [
        "第一章 总则", "第二章 管理职责", "第三章 项目范围", "第四章 统筹建设", "第五章 项目立项",
        "第六章 项目预算", "第七章 项目实施", "第八章 项目验收", "第九章 项目绩效与审计", "第十章 其他"]
    assert dict(chapters)["第四章 统筹建设"] and dict(chapters)["第七章 项目实施"]
    labels = [p.label for p in articles(doc)]
    assert "第五章·项目申报·第2段" in labels and "第七章·第9段" in labels
    assert all("·第" in label and label.endswith("段") for label in labels)
    sections = [p.label for p in doc.parts if p.kind is PartKind.SECTION]
    assert sections == ["第五章·项目申报", "第五章·项目初审", "第五章·专家评审", "第五章·复核审查",
                        "第五章·项目立项"]
    # numbered lists stay with the paragraph that announces them
    contract = corpus.clause("shangcheng-draft", "第七章·第9段")
    assert "维保期一般不少于2年" in contract.text
    assert [i.marker for i in contract.paragraphs[0].items] == ["1.", "2.", "3.", "4.", "5."]


def test_page_breaks_are_rejoined_for_display(corpus):
    clause = corpus.clause("leshan-2022", "第五条")
    assert "负责指导、协调和监督政务信息化项目管理" in clause.text
    assert "公共应用支撑平台等开展集约化建设" in corpus.clause("leshan-2022", "第六条").text
    assert "申请报告。" in corpus.clause("qidong-2019", "附件4·六、初步验收").text


def test_paragraphs_and_items(corpus):
    ninth = corpus.clause("luan-2021", "第九条")
    assert [p.label for p in ninth.paragraphs] == ["第九条第一款", "第九条第二款", "第九条第三款"]
    assert ninth.paragraphs[2].text.startswith("总投资概算500万元（含）以上的项目")
    eleventh = corpus.clause("luan-2021", "第十一条")
    assert [i.label for i in eleventh.paragraphs[0].items][4] == "第十一条第五项"
    article, para = corpus.paragraph("leshan-2022", "第十八条第二款")
    assert article.label == "第十八条" and "编报项目实施方案" in para.text


def test_lookup_tolerates_spacing_and_width(corpus):
    assert corpus.clause("qidong-2019", "附件4· 四、验收条件").label == "附件4·四、验收条件"


def test_a_text_without_articles_is_rejected(corpus):
    from assistant.errors import ParseError

    meta = load_catalog(CORPUS).get("luan-2021")
    with pytest.raises(ParseError, match="没有找到任何条款"):
        parse_document(meta, "这是一段没有任何条款结构的文字。\n第二行。\n")
