"""Review round 2 of scope 2, therapy 5 and QTc 12 (tests/audit/therapy5_changes.txt, "Review round 2"): a targeted
therapy whose target is written in mixed case, with a slash or a hyphen, is that target's therapy, not any targeted
therapy (a thyroid patient's sorafenib or lenvatinib is none of it). Registry text with the trial it came from."""

from __future__ import annotations

import pytest

from tests.readings import therapy_facts as _therapy


@pytest.mark.parametrize(
    "line",
    [
        "Previous treatment with HER-2 targeted agents other than trastuzumab or T-DM1",  # NCT01471847
        "prior IGF1-R targeted therapy",  # NCT00728390
        "Prior lapatinib therapy or other Her2/ErbB2 targeted therapy (except trastuzumab).",  # NCT00558103
    ],
)
def test_mixed_case_target_is_not_any_targeted_therapy(line: str) -> None:
    facts = _therapy("Exclusion", line)
    assert facts
    for f in facts:
        assert f.uncertain or "class.targeted_therapy" not in f.values.classes, f


def test_capitalised_word_is_no_target() -> None:
    # NCT03131206 (a thyroid trial): any oral targeted therapy within 3 weeks, as read before
    facts = _therapy(
        "Exclusion",
        "Oral targeted therapy within 5 half-lives (if known) or 3 weeks (if half-life is unknown) of study entry.",
    )
    assert any("class.targeted_therapy" in f.values.classes and not f.uncertain for f in facts)


def test_a_target_spelled_out_reads_as_its_abbreviation() -> None:
    """The final read's finding: "vascular endothelial growth factor receptor" before "tyrosine kinase inhibitor" took
    a path that never asked whether the target's class is a kinase class, so it read as any TKI, uncertain, while
    "VEGFR tyrosine kinase inhibitor" reads as the VEGFR class (adapted from NCT00096486's spelled EGFR form)."""
    spelled = _therapy(
        "Exclusion", "Prior treatment with a vascular endothelial growth factor receptor tyrosine kinase inhibitor"
    )
    short = _therapy("Exclusion", "Prior treatment with a VEGFR tyrosine kinase inhibitor")
    assert [(f.values, f.uncertain) for f in spelled] == [(f.values, f.uncertain) for f in short]
    assert not any(f.uncertain for f in spelled)
