"""Layout invariance: the same eligibility text re-wrapped at 60 or 120 columns, unwrapped, in API v2 Markdown or
back in the legacy layout parses to the same criteria (count, section, heading, parent, any_of, text, fact keys).

Over all 174 thyroid texts (35 thyroid studies and 13 more HINT thyroid texts in the legacy layout, the 126 TREC
topic-11 trials in API v2 Markdown; their TREC labels are not read). The transforms are `bench.rewrap`'s; the
verdict-level check (every variant stored, parsed and matched against the example patients) is
`bench/invariance.py`, which reports the same counts.
"""

from __future__ import annotations

from functools import cache

import pytest

from bench.invariance import Reading, first_difference, reading, thyroid_texts
from bench.rewrap import TRANSFORMS, read_blocks, rewrap, to_legacy, to_markdown, unwrap
from matcher.eligibility.parser import parse_texts, prepare
from tests.conftest import SHARED
from tests.readings import one_criterion


@cache
def _texts() -> tuple[tuple[str, str, str], ...]:
    return tuple(thyroid_texts(SHARED))


@cache
def _originals() -> tuple[list[Reading], ...]:
    return tuple(reading(c) for c in parse_texts([text for _, _, text in _texts()]))


def test_the_174_thyroid_texts_are_read() -> None:
    corpora = [corpus for corpus, _, _ in _texts()]
    assert (corpora.count("studies"), corpora.count("hint"), corpora.count("trec")) == (35, 13, 126)


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_every_layout_gives_the_same_criteria(name: str) -> None:
    texts = _texts()
    variants = parse_texts([TRANSFORMS[name](text) for _, _, text in texts])
    changed = [
        f"{corpus}/{nct}: {first_difference(original, reading(variant))}"
        for (corpus, nct, _), original, variant in zip(texts, _originals(), variants, strict=True)
        if reading(variant) != original
    ]
    if changed:
        pytest.fail(f"{len(changed)} of {len(texts)} texts read differently after {name}:\n  " + "\n  ".join(changed))


# --- the transforms themselves ------------------------------------------------------------------------------------

LEGACY = """Inclusion Criteria:

  1. Histologically or cytologically confirmed diagnosis of one of the following DTC
     subtypes: Papillary thyroid cancer (PTC) or follicular thyroid cancer (FTC).

  2. Total bilirubin </= 1.5 x ULN [central lab]; ANC >/= 1.0 x 10^9/L

       -  Patients with Gilbert's syndrome are excluded from this requirement and
          may enroll

Exclusion Criteria:

  -  Chemotherapy within 4 weeks (6 weeks for nitrosoureas or mitomycin
     C) prior to entering the study
"""


def _words(text: str) -> list[str]:
    """The words of a text as the parser reads them (`prepare`), without its bullets ("-" and "*" are the same bullet
    in the two layouts)."""
    return [word for word in prepare(text).split() if word not in ("-", "*")]


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_transforms_keep_every_word_in_order(name: str) -> None:
    for _, _, text in _texts()[::7]:
        assert _words(TRANSFORMS[name](text)) == _words(text)


def test_rewrap_keeps_markers_and_indents_continuations_under_the_text() -> None:
    wrapped = rewrap(LEGACY, 60)
    assert max(len(line) for line in wrapped.splitlines()) <= 60
    assert "  1. Histologically or cytologically confirmed diagnosis of\n     one of" in wrapped
    assert "       -  Patients with Gilbert's syndrome are excluded from\n          this" in wrapped


def test_unwrap_puts_each_item_on_one_line() -> None:
    lines = [line for line in unwrap(LEGACY).splitlines() if line.strip()]
    assert len(lines) == 6
    assert lines[4] == "Exclusion Criteria:"


def test_markdown_has_api_bullets_nesting_and_escapes() -> None:
    markdown = to_markdown(LEGACY)
    assert "\n1. Histologically" in markdown
    assert "\n   * Patients with Gilbert's syndrome" in markdown  # nested under "2. ", at its text column
    assert "bilirubin \\</= 1.5 x ULN \\[central lab\\]; ANC \\>/= 1.0 x 10\\^9/L" in markdown
    assert "\n* Chemotherapy within 4 weeks" in markdown
    assert _words(markdown) == _words(LEGACY)
    assert "\\" not in to_legacy(markdown)


def test_the_layout_is_read_at_face_value() -> None:
    blocks = read_blocks(LEGACY)
    assert [(b.marker, b.indent, b.text_column) for b in blocks] == [
        ("", 0, 0),
        ("1.", 2, 5),
        ("2.", 2, 5),
        ("-", 7, 10),
        ("", 0, 0),
        ("-", 2, 5),
    ]
    assert blocks[-1].paragraphs[0][-3:] == ["entering", "the", "study"]  # "C)" did not open an item


def test_a_decomposed_letter_is_read_as_the_composed_one() -> None:
    # NCT00716794's words, as its registry text writes them: "naïve" with a combining diaeresis (U+0308)
    line = (
        "Patient has failed at least 1 taxane regimen; or Patient has symptomatic or asymptomatic CRPC and is "
        "chemotherapy-nai\u0308ve"
    )
    chemotherapy = [f for f in one_criterion(line).facts if f.rule == "class.chemotherapy"]
    assert len(chemotherapy) == 1
    assert chemotherapy[0].uncertain == "'naïve' (not having had the therapy) is not read"
