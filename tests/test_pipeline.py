"""The entity step (`matcher.eligibility.pipeline`): criteria tokenized and matched together, joined by line breaks,
get the mentions each gets in a doc of its own."""

from __future__ import annotations

from matcher.eligibility.pipeline import build_nlp, find_mentions, vocabulary

TEXTS = [
    "Prior treatment with lenvatinib or sorafenib is not allowed",
    "ECOG performance status of 0 or 1.",
    "MET amplification; patients who met the criteria for PD on RECIST 1.1",
    "",
    "  Age >= 18 years  ",  # whitespace at both ends
    "QTcF > 470 ms\nor congenital long QT syndrome",  # a line break inside a text
    "Known brain metastases (treated brain metastases are allowed)",
    "Pregnant or breast-feeding women",
    "time(PT)≤17s, Ratio(INR)≤2",
]


def test_texts_matched_together_get_the_mentions_of_one_doc_each() -> None:
    nlp, found = build_nlp(), vocabulary()
    alone = [found.mentions(nlp.tokenizer(text), text) for text in TEXTS]
    assert any(alone)  # the vocabulary names something here
    assert list(find_mentions(TEXTS)) == alone
    assert list(find_mentions(TEXTS * 100)) == alone * 100  # across the batches of `find_mentions`
    for text, mentions in zip(TEXTS, alone, strict=True):
        assert all(text[m.start : m.end] == m.text for m in mentions)


def test_no_vocabulary_name_holds_whitespace() -> None:
    # what lets criteria share a doc: no match can reach from one criterion into the next
    assert vocabulary().spaceless
