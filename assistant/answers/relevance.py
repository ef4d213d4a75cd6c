"""The answerability decision: does a clause speak to enough of the question to stand as its
answer? A question word no document uses (护照, 著作权) raises the bar; with nothing relevant the
assistant refuses instead of quoting the nearest clause."""

from __future__ import annotations

from assistant.corpus.model import Hit
from assistant.search.matching import Matcher
from assistant.search.query import QueryAnalysis
from assistant.search.tokenizer import is_common_noun

# Relevance gate, chosen on the evaluation set (evals/): the best clause must carry at least this
# share of the question's IDF mass, and at least this much IDF in absolute terms.
MIN_COVERAGE = 0.4
MIN_MATCHED_IDF = 2.0
FOREIGN_MIN_COVERAGE = 0.6


def foreign_terms(matcher: Matcher, analysis: QueryAnalysis) -> list[str]:
    """Nouns of the question that no document uses, by any spelling the lexicon knows
    (护照, 著作权, 公积金): the corpus does not cover what they name."""
    vocab = matcher.index.bm25.vocab_dict
    out = []
    for word, parts in matcher.tokenizer.terms(analysis.question):
        foreign_script = word.isascii() and word.isalpha()  # ICP, Python: no document uses them
        if len(word) < 2 or word in vocab or not (is_common_noun(word) or foreign_script):
            continue
        if any(word in place or place in word for place in analysis.unknown_places):
            continue
        synonyms = set()
        for key, tokens in matcher.synonym_tokens.items():
            if word in key or key in word:
                synonyms |= tokens
        if not synonyms & vocab.keys():
            out.append(word)
    return out


def is_relevant(matcher: Matcher, analysis: QueryAnalysis, hit: Hit, foreign: list[str] = ()) -> bool:
    """The relevance gate. A noun no document uses (护照, 著作权) weighs as much as the rarest
    corpus word and raises the bar to FOREIGN_MIN_COVERAGE: the clause must answer the rest
    of the question well for the answer to stand."""
    coverage, matched = matcher.relevance(analysis, hit.clause)
    if foreign:
        total = matched / max(coverage, 1e-9) + len(foreign) * (matcher.max_idf - matcher.oov_weight)
        coverage = matched / total
        return coverage >= FOREIGN_MIN_COVERAGE and matched >= MIN_MATCHED_IDF
    return coverage >= MIN_COVERAGE and matched >= MIN_MATCHED_IDF
