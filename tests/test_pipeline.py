"""The entity step (`matcher.eligibility.pipeline`): criteria tokenized and matched together, joined by line breaks,
get the mentions each gets in a doc of its own."""

from __future__ import annotations

from matcher.eligibility.pipeline import WordTokens, build_nlp, find_mentions, vocabulary

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


# Words the tokenizer's special cases, prefixes, suffixes and infixes split, and what stands around them
TRICKY_LINES = [
    "Patients cannot (e.g., can't) receive drugs i.e. and/or St. John's wort (ANC): >= 1.5 x 10^9/L.",
    "p.V600E, BRAF-V600E; RET M918T mutation(s); anti-PD-1/PD-L1 :) 8) <3 (=)",
    "Hb ≥9 g/dL; time(PT)≤17s, Ratio(INR)≤2 [>=] www.clinicaltrials.gov https://example.org/a?b=1 Dr. Inc.",
    "“Quoted” ‘words’ — dashes – and… ellipses; 10mg/kg q3w x2 ≥18 yrs. Vs. vs. etc. a.m. 5p.m.",
]


def test_docs_built_from_words_have_the_tokenizers_tokens() -> None:
    nlp = build_nlp()
    words = WordTokens(nlp)
    for lines in (TRICKY_LINES, TRICKY_LINES[::-1], [line.upper() for line in TRICKY_LINES]):
        built, tokenized = words.doc(lines), nlp.tokenizer("\n".join(lines))
        assert [(t.text, t.idx, t.whitespace_) for t in built] == [(t.text, t.idx, t.whitespace_) for t in tokenized]
    assert [nlp.vocab.strings[orth] for orth in words.word("cannot")[0]] == ["can", "not"]  # a special case: two tokens


def test_texts_not_on_one_line_get_a_doc_of_their_own() -> None:
    nlp, found = build_nlp(), vocabulary()
    texts = ["Prior lenvatinib", "Prior  sorafenib", "", " Prior sunitinib", "Prior\tcabozantinib", "ECOG 0-1"]
    assert list(find_mentions(texts)) == [found.mentions(nlp.tokenizer(text), text) for text in texts]


def test_texts_said_to_be_collapsed_read_as_when_checked() -> None:
    # parse_texts gives its segments' words (`Segment.words`) with collapsed=True: the same mentions, unchecked
    texts = [" ".join(line.split()) for line in TRICKY_LINES] + ["", "Prior lenvatinib"]
    assert list(find_mentions(texts, collapsed=True)) == list(find_mentions(texts))
