"""Sentence bounds (matcher.eligibility.text): one home for where a sentence starts and stops, with a numbered item
ending a sentence where a kind asks for it (the performance status's exception, review of sweep 3)."""

from __future__ import annotations

from matcher.eligibility.text import first_sentence_end, sentence_break, sentence_start, sentence_stop

TEXT = "Patients must have progressive disease. Patients unable to swallow oral medication are excluded"


def test_a_sentence_ends_at_a_stop_before_a_capital_or_a_bracket() -> None:
    assert first_sentence_end(TEXT) == TEXT.index(".")
    found = sentence_break(TEXT)
    assert found is not None and found.start() == TEXT.index(".")
    assert sentence_stop(TEXT, 0) == TEXT.index(".") + 1
    assert sentence_start(TEXT, TEXT.index("unable")) == TEXT.index(".") + 1
    assert sentence_stop(TEXT, TEXT.index("unable")) == len(TEXT)
    assert sentence_break("Performance status of < 2 as per ECOG scale, unless PS of 3-4") is None


def test_a_numbered_item_ends_a_sentence_only_where_asked() -> None:
    text = "ECOG 0-1. 2. Patients with brain metastases are excluded unless treated"
    plain = sentence_break(text)  # "2" is no capital: for the other kinds the sentence runs on to the item's "2."
    assert plain is not None and plain.start() == text.index("2.") + 1
    found = sentence_break(text, numbered_items=True)
    assert found is not None and found.start() == text.index(".")
