"""Segmentation invariants on the real eligibility texts, and unit tests of headings and list layout.

(a) Nothing is lost: every non-blank character of a real text lies in a criterion span or on a heading line;
    spans are in order, do not overlap, and each criterion's text is exactly its span.
(b) The seven trials whose words are identical in both renderings (../shared/ctgov/README.md section 3) parse
    the same from the legacy text (studies/) and from the API v2 Markdown (TREC trials folder).
(c) Headings, texts without headings, nesting, inline-run numbers and legacy hard wraps.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bench.rewrap import rewrap, to_markdown
from matcher.ctgov_parse import unescape_markdown
from matcher.eligibility.criteria import Criterion, Section
from matcher.eligibility.parser import parse_text, prepare
from matcher.eligibility.segment import header_of, heading_spans, segment
from tests.conftest import SHARED, STUDIES

TREC_TRIALS = SHARED / "bench" / "trec2021_topic11_thyroid" / "trials"
SAME_WORDS = ["NCT01013597", "NCT01709292", "NCT01811212", "NCT03002623", "NCT03416686", "NCT03469011", "NCT04447183"]


def _legacy(path: Path) -> str:
    study = json.loads(path.read_text(encoding="utf-8"))
    text: str = study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    return text


def _markdown(path: Path) -> str:
    text: str = json.loads(path.read_text(encoding="utf-8"))["raw_criteria"]
    return unescape_markdown(text)


def _real_texts() -> list[Any]:
    params = [pytest.param(path, "legacy", id=f"studies/{path.stem}") for path in sorted(STUDIES.glob("*.json"))]
    params += [pytest.param(path, "markdown", id=f"trec/{path.stem}") for path in sorted(TREC_TRIALS.glob("*.json"))]
    return params


@cache
def _read(path: Path, rendering: str) -> str:
    """The text as the parser reads it (`prepare`), which the criteria's spans index."""
    return prepare(_legacy(path) if rendering == "legacy" else _markdown(path))


_MARKER = re.compile(r"[-*•·▪◦‣○●⁃o]|\(?(?:\d{1,3}|[a-zA-Z]|i{1,3}|iv|vi{0,3}|ix|x)[.)]")


def _line_at(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


# --- (a) nothing is lost ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "rendering"), _real_texts())
def test_no_character_is_lost(path: Path, rendering: str) -> None:
    """Outside the criteria and the headings there are only list markers ("-", "*", "1.", "a)", "ii.")."""
    text = _read(path, rendering)
    criteria = [c for c in parse_text(text) if c.source == "text"]
    covered = bytearray(len(text))
    for c in criteria:
        assert c.start is not None and c.end is not None
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    for start, end in heading_spans(text):
        covered[start:end] = b"\x01" * (end - start)
    lost = []
    for match in re.finditer(r"\S+", text):
        uncovered = "".join(ch for i, ch in enumerate(match.group(), match.start()) if not covered[i])
        if uncovered and not _MARKER.fullmatch(uncovered):
            lost.append((uncovered, _line_at(text, match.start()).strip()))
    if lost:
        shown = "\n  ".join(f"{word!r} in line {line[:110]!r}" for word, line in lost[:8])
        pytest.fail(f"{len(lost)} words are in no criterion and on no heading line:\n  {shown}")


@pytest.mark.parametrize(("path", "rendering"), _real_texts())
def test_spans_are_ordered_disjoint_and_exact(path: Path, rendering: str) -> None:
    text = _read(path, rendering)
    criteria = [c for c in parse_text(text) if c.source == "text"]
    previous_end = 0
    for c in criteria:
        assert c.start is not None and c.end is not None
        where = f"criterion {c.index} ({c.display_text[:60]!r})"
        assert c.start < c.end, f"{where}: empty span {c.start}..{c.end}"
        assert c.start >= previous_end, f"{where}: starts at {c.start}, before the previous one ends ({previous_end})"
        assert c.text == text[c.start : c.end], f"{where}: text is not text[start:end]"
        assert c.text == c.text.strip(), f"{where}: span has leading or trailing whitespace"
        previous_end = c.end


# --- (b) the same trial in both renderings ---------------------------------------------------------------------


def _comparable(criteria: list[Criterion]) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    return [
        (c.section.value, c.display_text, tuple(sorted((f.kind.value, f.polarity.value) for f in c.facts)))
        for c in criteria
    ]


@pytest.mark.parametrize("nct_id", SAME_WORDS)
def test_both_renderings_parse_the_same(nct_id: str) -> None:
    legacy = _comparable(parse_text(_legacy(STUDIES / f"{nct_id}.json")))
    markdown = _comparable(parse_text(_markdown(TREC_TRIALS / f"{nct_id}.json")))
    if legacy == markdown:
        return
    problems = [f"legacy has {len(legacy)} criteria, markdown {len(markdown)}"] if len(legacy) != len(markdown) else []
    legacy_only = [item for item in legacy if item not in markdown]
    markdown_only = [item for item in markdown if item not in legacy]
    problems += [f"only in legacy:   {s!r} {t[:100]!r} {f}" for s, t, f in legacy_only]
    problems += [f"only in markdown: {s!r} {t[:100]!r} {f}" for s, t, f in markdown_only]
    if not legacy_only and not markdown_only:
        problems.append("same criteria in a different order")
    pytest.fail(f"{nct_id}: the two renderings parse differently:\n  " + "\n  ".join(problems))


# --- (c) headings ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("Inclusion Criteria:", Section.INCLUSION),
        ("Key Inclusion Criteria", Section.INCLUSION),
        ("Key Inclusion Criteria:", Section.INCLUSION),
        ("INCLUSION:", Section.INCLUSION),
        ("INCLUSION CRITERIA", Section.INCLUSION),
        ("* INCLUSION CRITERIA:", Section.INCLUSION),
        ("Inclusion", Section.INCLUSION),
        ("Inclusion criteria were as follows:", Section.INCLUSION),
        ("Patients must meet all of the following criteria:", Section.INCLUSION),
        ("Exclusion Criteria", Section.EXCLUSION),
        ("Exclusion Criteria:", Section.EXCLUSION),
        ("          Exclusion Criteria:", Section.EXCLUSION),  # legacy, indented under the last inclusion item
        ("Key Exclusion Criteria (Phase 1 and Phase 2):", Section.EXCLUSION),
        ("Patients with any of the following will be excluded:", Section.EXCLUSION),
        (
            "An individual who meets any of the following criteria will be excluded from participation in this study:",
            Section.EXCLUSION,
        ),
    ],
)
def test_headings(line: str, section: Section) -> None:
    found = header_of(line)
    assert found is not None, f"{line!r} is a heading"
    assert found[0] is section


@pytest.mark.parametrize(
    "line",
    [
        "Histologically or cytologically confirmed differentiated thyroid cancer",
        "Patients must have measurable disease per RECIST 1.1:",
        "Exclusion of pregnancy by a negative serum pregnancy test.",
        "* Eligibility for medical insurance coverage",  # a criterion of NCT02012231, not a heading
    ],
)
def test_criterion_lines_are_not_headings(line: str) -> None:
    assert header_of(line) is None


# --- (c) layout --------------------------------------------------------------------------------------------------


def _outline(text: str) -> list[tuple[str, str, int | None]]:
    return [(s.section.value, " ".join(text[s.start : s.end].split()), s.parent) for s in segment(text)]


def test_text_without_heading_is_inclusion() -> None:
    text = "Histologically confirmed papillary thyroid cancer\n\nECOG performance status 0-1\n"
    assert _outline(text) == [
        ("inclusion", "Histologically confirmed papillary thyroid cancer", None),
        ("inclusion", "ECOG performance status 0-1", None),
    ]


def test_sections_switch_at_headings() -> None:
    text = "INCLUSION:\n\n* Age 18 or older\n\nEXCLUSION CRITERIA:\n\n* Pregnancy\n"
    assert _outline(text) == [("inclusion", "Age 18 or older", None), ("exclusion", "Pregnancy", None)]


def test_lead_in_sentences_are_headings() -> None:
    text = (
        "Patients must meet all of the following criteria:\n\n* Age 18 or older\n\n"
        "Patients with any of the following will be excluded:\n\n* Pregnancy\n"
    )
    assert _outline(text) == [("inclusion", "Age 18 or older", None), ("exclusion", "Pregnancy", None)]


def test_markdown_nested_list() -> None:
    text = (
        "Inclusion Criteria:\n\n"
        "* Radioiodine-refractory disease by at least one of the following:\n"
        "  * no uptake on a diagnostic scan\n"
        "  * progression within 12 months of radioiodine\n"
        "* ECOG 0-1\n"
    )
    assert _outline(text) == [
        ("inclusion", "Radioiodine-refractory disease by at least one of the following:", None),
        ("inclusion", "no uptake on a diagnostic scan", 0),
        ("inclusion", "progression within 12 months of radioiodine", 0),
        ("inclusion", "ECOG 0-1", None),
    ]


def test_legacy_nested_numbers_under_a_bullet() -> None:
    text = (
        "Inclusion Criteria:\n\n"
        "  -  Adequate bone marrow function:\n\n"
        "       1. Absolute neutrophil count (ANC) greater than or equal to 1500/mm3;\n\n"
        "       2. Platelets greater than or equal to 100,000/mm3 ;\n\n"
        "  -  Life expectancy of at least 3 months;\n"
    )
    assert _outline(text) == [
        ("inclusion", "Adequate bone marrow function:", None),
        ("inclusion", "Absolute neutrophil count (ANC) greater than or equal to 1500/mm3;", 0),
        ("inclusion", "Platelets greater than or equal to 100,000/mm3 ;", 0),
        ("inclusion", "Life expectancy of at least 3 months;", None),
    ]


def test_legacy_hard_wraps_join_one_criterion() -> None:
    text = (
        "Inclusion Criteria:\n\n"
        "  1. Histologically or cytologically confirmed diagnosis of Differentiated Thyroid Cancer\n"
        "     (DTC)\n\n"
        "  2. Measurable disease according to RECIST 1.1\n"
    )
    assert _outline(text) == [
        (
            "inclusion",
            "Histologically or cytologically confirmed diagnosis of Differentiated Thyroid Cancer (DTC)",
            None,
        ),
        ("inclusion", "Measurable disease according to RECIST 1.1", None),
    ]


def test_legacy_hard_wrap_before_a_number_is_not_a_new_item() -> None:
    """NCT01709292: "... at least 14 days prior to day" / "1. Group C patients ..." is one sentence, wrapped."""
    text = (
        "  6. Antiangiogenic therapy will only be allowed if the agent has been discontinued for at least 14 days"
        " prior to day\n"
        "     1. Group C patients must be naive to therapies which target MAPK.\n\n"
        "  7. Ability to swallow pills.\n"
    )
    assert [t for _, t, _ in _outline(text)] == [
        "Antiangiogenic therapy will only be allowed if the agent has been discontinued for at least 14 days prior "
        "to day 1. Group C patients must be naive to therapies which target MAPK.",
        "Ability to swallow pills.",
    ]


def test_inline_run_numbered_items_are_split() -> None:
    """NCT03469011 (Markdown): the list's next number runs on inside the previous item."""
    text = (
        "Inclusion Criteria:\n\n"
        "1. Papillary thyroid cancer.\n"
        "2. FDG-avid lesions on PET scan (if available). 3. Recurrent, advanced, or metastatic disease.\n"
        "4. Age >= 18. 5. ECOG performance status of <= 1.\n"
    )
    assert _outline(text) == [
        ("inclusion", "Papillary thyroid cancer.", None),
        ("inclusion", "FDG-avid lesions on PET scan (if available).", None),
        ("inclusion", "Recurrent, advanced, or metastatic disease.", None),
        ("inclusion", "Age >= 18.", None),
        ("inclusion", "ECOG performance status of <= 1.", None),
    ]


def test_inline_run_number_at_a_legacy_line_end_is_split() -> None:
    """NCT03469011 (legacy): the run-on number ends a hard-wrapped line ("... status of <= 1. 7." / "Presence ...")."""
    text = (
        "Inclusion Criteria:\n\n"
        "  5. Age >= 18. 6. Eastern Cooperative Oncology (ECOG) performance status of <= 1. 7.\n"
        "     Presence of measurable disease.\n\n"
        "  8. Hematology: WBC >= 3.0 x 109/L.\n"
    )
    assert [t for _, t, _ in _outline(text)] == [
        "Age >= 18.",
        "Eastern Cooperative Oncology (ECOG) performance status of <= 1.",
        "Presence of measurable disease.",
        "Hematology: WBC >= 3.0 x 109/L.",
    ]


def test_numbers_inside_a_sentence_are_not_items() -> None:
    text = "Inclusion Criteria:\n\n1. Prior treatment with 0 or 1 VEGFR-targeted therapy. 2 or more prior regimens.\n"
    assert len(segment(text)) == 1


# --- (c) the same reading whatever the wrap width (tests/test_invariance.py runs it over all thyroid texts) -------


def test_a_marker_that_a_hard_wrap_put_at_a_line_start_is_text() -> None:
    """NCT01208051 wrapped at 60 columns: "C)" and "B)" only start a line because the line broke before them."""
    text = (
        "Exclusion Criteria:\n\n"
        "  -  Patients who had chemotherapy or radiotherapy within 4 weeks (6 weeks for nitrosoureas or mitomycin\n"
        "     C) prior to entering the study\n\n"
        "  -  Papillary carcinoma (cohort A) or medullary thyroid carcinoma (cohort\n"
        "     B); their disease must have progressed\n"
    )
    assert [t for _, t, _ in _outline(text)] == [
        "Patients who had chemotherapy or radiotherapy within 4 weeks (6 weeks for nitrosoureas or mitomycin C)"
        " prior to entering the study",
        "Papillary carcinoma (cohort A) or medullary thyroid carcinoma (cohort B); their disease must have progressed",
    ]


def test_a_bullet_after_a_colon_still_opens_a_sub_item() -> None:
    text = "  -  Adequate organ function as follows:\n       -  ANC >= 1500/mm3\n       -  Platelets >= 100,000/mm3\n"
    assert _outline(text) == [
        ("inclusion", "Adequate organ function as follows:", None),
        ("inclusion", "ANC >= 1500/mm3", 0),
        ("inclusion", "Platelets >= 100,000/mm3", 0),
    ]


def test_a_word_wrapped_to_a_line_start_is_no_heading() -> None:
    """ "... prior to" / "inclusion": the word "inclusion" alone on a continuation line is text, not a heading."""
    text = (
        "Exclusion Criteria:\n\n"
        "* Contrast enhanced CT performed < 4 months prior to\n  inclusion\n"
        "* I-131 therapy performed < 12 months prior to inclusion\n"
    )
    assert _outline(text) == [
        ("exclusion", "Contrast enhanced CT performed < 4 months prior to inclusion", None),
        ("exclusion", "I-131 therapy performed < 12 months prior to inclusion", None),
    ]


def test_a_wrapped_heading_is_read_whole() -> None:
    """NCT01321554 and NCT00001160: a lead-in or an exclusion heading that the wrap split over two lines."""
    text = (
        "Participants were eligible for lenvatinib treatment in the OOL Lenvatinib\n"
        "Treatment Period if the met the following criteria:\n\n"
        "  1. Placebo-treated participants who had progressive disease.\n\n"
        "An individual who meets any of the following criteria will be excluded from\n"
        "participation in this study:\n\n"
        "1. Serious underlying medical conditions\n"
    )
    assert _outline(text) == [
        ("inclusion", "Placebo-treated participants who had progressive disease.", None),
        ("exclusion", "Serious underlying medical conditions", None),
    ]
    assert [text[start:end].split()[0] for start, end in heading_spans(text)] == ["Participants", "An"]


def test_a_heading_glued_to_its_first_criterion_is_criterion_text() -> None:
    """NCT03488134: "Inclusion Criteria:diagnosed patients with thyroid ..." wrapped at 60 columns."""
    text = "Inclusion Criteria:diagnosed patients with thyroid\npapillary, follicular and anaplastic thyroid cancer\n"
    assert _outline(text) == [
        (
            "inclusion",
            "Inclusion Criteria:diagnosed patients with thyroid papillary, follicular and anaplastic thyroid cancer",
            None,
        )
    ]


def test_an_item_where_the_lists_top_level_items_stand_is_top_level() -> None:
    """NCT03157128: "- For Cohort 1 ..." typed at the margin, then "  -  Cohorts 1 and 2 ..." where the list's
    top-level items stand: siblings, whether or not the first item's text was wrapped back to the margin."""
    for first in (
        "- For Cohort 1: Subjects must have received prior standard therapy\nappropriate for their tumor type.\n\n",
        "- For Cohort 1: Subjects must have received prior standard therapy appropriate for their tumor type.\n\n",
    ):
        text = "  -  Life expectancy of at least 3 months.\n\n" + first + "  -  Cohorts 1 and 2: RET alteration.\n"
        assert [parent for _, _, parent in _outline(text)] == [None, None, None]


def test_a_lead_in_with_a_window_keeps_its_sub_items() -> None:
    """HINT NCT00321685: the lead-in's window belongs to its sub-items, so it is a criterion, not a heading; wrapped
    or on one line."""
    lead = "Patients with a history of the following within 28 days prior to registration are not eligible:"
    for layout in (lead.replace(" eligible:", "\n     eligible:"), lead):
        text = (
            "Exclusion Criteria:\n\n"
            f"  -  {layout}\n\n"
            "       -  Abdominal fistula\n\n"
            "       -  Gastrointestinal perforation\n"
        )
        assert _outline(text) == [
            ("exclusion", lead, None),
            ("exclusion", "Abdominal fistula", 0),
            ("exclusion", "Gastrointestinal perforation", 0),
        ]


def test_a_lead_in_to_alternatives_is_an_any_of_parent_in_every_layout() -> None:
    """NCT03199677: "(according with one of the following conditions):" wrapped, unwrapped and in Markdown."""
    legacy = (
        "Inclusion Criteria:\n\n"
        "  4. Radioactive iodine deficiency (according with one of the\n"
        "     following conditions):\n\n"
        "       1. The target lesion was completely deprived of iodine;\n\n"
        "       2. Cumulative doses of radioactive iodine were greater than 22.2 GBq.\n\n"
        "  5. Life expectancy >= 12 weeks.\n"
    )
    markdown = (
        "Inclusion Criteria:\n\n"
        "4. Radioactive iodine deficiency (according with one of the following conditions):\n"
        "   1. The target lesion was completely deprived of iodine;\n"
        "   2. Cumulative doses of radioactive iodine were greater than 22.2 GBq.\n"
        "5. Life expectancy \\>= 12 weeks.\n"
    )
    for text in (legacy, markdown):
        criteria = parse_text(text)
        assert [(c.parent, c.any_of) for c in criteria] == [(None, True), (0, False), (0, False), (None, False)]


def test_alternatives_the_layout_left_beside_their_lead_in_become_its_sub_items() -> None:
    """HINT NCT02955810: the registry's renderer put the alternatives at the lead-in's level; joined by "or"."""
    legacy = (
        "Inclusion Criteria:\n\n"
        "  -  Measurable disease as defined by any of the following:\n\n"
        "  -  IgG multiple myeloma: serum M-protein level ≥1.0g/dl or urine M-protein level ≥200mg/24 hours; or\n\n"
        "  -  IgA multiple myeloma: serum M-protein level ≥0.5g/dl; or\n\n"
        "  -  Light chain multiple myeloma: serum immunoglobulin free light chain ≥10mg/dl\n\n"
        "  -  ECOG performance status 0-2\n"
    )
    for text in (legacy, to_markdown(legacy), rewrap(legacy, 60)):
        criteria = parse_text(text)
        assert [(c.parent, c.any_of) for c in criteria] == [
            (None, True),
            (0, False),
            (0, False),
            (0, False),
            (None, False),
        ]


def test_items_beside_a_lead_in_stay_requirements_without_an_or() -> None:
    """HINT NCT02142803-like: nothing says where the alternatives would end, so nothing is regrouped."""
    text = (
        "Inclusion Criteria:\n\n"
        "  -  Adequate organ function, any of the following:\n\n"
        "  -  Platelets >= 100,000/mm3\n\n"
        "  -  ECOG performance status 0-2\n"
    )
    assert [c.parent for c in parse_text(text)] == [None, None, None]


@pytest.mark.parametrize(
    "lead",
    [
        "Histologically confirmed diagnosis of one of the hematologic malignancies below:",  # HINT NCT00150462
        "Subjects with multiple myeloma and renal function fitting one of three categories:",  # HINT NCT01393964
        "Radioactive iodine deficiency (according with one of the\n     following conditions):",  # NCT03199677
        "Resistance to therapeutic radioiodine as demonstrated at least by one of the\n     following:",  # NCT01813136
    ],
)
def test_lead_ins_to_alternatives(lead: str) -> None:
    text = f"Inclusion Criteria:\n\n  -  {lead}\n\n       -  first\n\n       -  second\n"
    assert [(c.parent, c.any_of) for c in parse_text(text)] == [(None, True), (0, False), (0, False)]


def test_a_lead_sentence_wrapped_before_inclusion_criteria_stays_one_sentence() -> None:
    """HINT NCT01084655 wrapped at 60 columns: "inclusion criteria:" on the next line ends the sentence above."""
    text = "Each patient must meet all of the following\ninclusion criteria:\n\n  1. Age >= 18 years\n"
    assert _outline(text)[0] == ("inclusion", "Each patient must meet all of the following inclusion criteria:", None)
    assert _outline("Some paragraph\nExclusion Criteria:\n\n  1. Pregnancy\n")[-1] == ("exclusion", "Pregnancy", None)


def test_a_dash_wrapped_to_the_start_of_a_paragraphs_line_is_text() -> None:
    """HINT NCT02369874: "Inclusion Criteria: - Age ≥18 years; - Written informed consent ..." as one paragraph."""
    text = "Criteria: - Age ≥18 years;\n- Written informed consent obtained\n"
    assert [t for _, t, _ in _outline(text)] == ["Criteria: - Age ≥18 years; - Written informed consent obtained"]
    assert [t for _, t, _ in _outline("Age:\n- 18 and over\n")] == ["Age:", "18 and over"]


def test_a_lead_sentence_is_read_whole_not_from_its_first_line() -> None:
    """HINT NCT00698815 wrapped at 120: the first line ends "... are not eligible; Note:"; the item goes on."""
    text = (
        "Inclusion Criteria:\n\n"
        "  -  Patients who require therapeutic anticoagulation are not eligible; Note:\n"
        "     low doses of Coumadin are permitted\n\n"
        "  -  No history of venous thrombosis\n"
    )
    assert [(s, p) for s, _, p in _outline(text)] == [("inclusion", None), ("inclusion", None)]


def test_a_paragraph_after_a_lead_in_is_its_content() -> None:
    """HINT NCT01418001: the legacy renderer wrote the lead-in's conditions as a paragraph without a marker; as its
    sub-item the paragraph keeps the lead-in's window. The run ends at the next item with a marker."""
    text = (
        "Exclusion Criteria:\n\n"
        "          -  History of any one or more of the following cardiovascular conditions within the past\n"
        "             6 months:\n\n"
        "        Cardiac angioplasty or stenting Myocardial infarction Unstable angina Coronary artery\n"
        "        bypass graft surgery\n\n"
        "          -  History of cerebrovascular accident within the past 6 months.\n"
    )
    for layout in (text, to_markdown(text), rewrap(text, 60)):
        assert [parent for _, _, parent in _outline(layout)] == [None, 0, None]
