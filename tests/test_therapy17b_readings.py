"""Therapy 17b (issue 10; tests/audit/therapy17b_changes.txt): sweep 18's prior-therapy items judged wrong of two
classes, each quoting the registry text it came from. A qualified therapy word is not the bare word (an investigational
anticancer agent, a curative anticancer therapy, a specific EGFR inhibitor, a bare 'use' set against a 'previous use',
an exclusion that tells no time); an exception or an alternative that needs data not on file makes the reading
uncertain (a condition of an exception, the fields of a radiotherapy, a surgery dropped from 'surgery and/or
chemotherapy', an alternative that is a mutation, a rule for marker-positive patients)."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.therapy import TherapyValues
from matcher.eligibility.parser import parse_text
from tests.readings import UNCERTAIN, check, line_facts, list_text
from tests.readings import therapy_facts as _therapy


def test_therapy_17b_an_investigational_anticancer_agent_is_not_any_systemic_therapy() -> None:
    """NCT02620423 (Y082): an approved drug on file is not an investigational agent."""
    facts = _therapy(
        "Exclusion", "Receive concurrent therapy with any other investigational anticancer agent while on study."
    )
    assert [(f.polarity, f.values.categories, f.values.ongoing, f.uncertain) for f in facts] == [
        (Polarity.EXCLUDE, ("investigational",), True, None)
    ]


def test_therapy_17b_approved_or_investigational_stays_any() -> None:
    """NCT02292173: an approved one is named beside it, so any anticancer therapy is barred."""
    facts = _therapy("Exclusion", "Concurrent therapy with approved or investigational anticancer therapy")
    assert facts and all("systemic" in f.values.categories and not f.uncertain for f in facts)


@pytest.mark.parametrize(
    ("section", "line"),
    [
        # NCT00262769 (Y141): a palliative therapy is not a curative one
        ("Inclusion", "No other concurrent, curative anticancer therapy"),
        # NCT00436072 (Y093): vandetanib is an EGFR inhibitor, not a specific one
        ("Exclusion", "Prior therapy with gefitinib, erlotinib, cetuximab, ABX-EGF or other specific EGFR inhibitor"),
        # NCT02664077 (Y136): 'use' set against 'previous use' may be a current use only
        (
            "Exclusion",
            "Use of any vascular endothelial growth factor (VEGF) targeted therapy or previous use of regorafenib.",
        ),
        # NCT01083368 (Y033): a line of a concomitant-medication bar that tells no time
        (
            "Exclusion",
            "Anticancer therapies such as biologic therapy and chemotherapy, as well as radiation therapy or cancer "
            "surgery",
        ),
        # NCT02275286 (Y161): the exception's dose constraints are not on file
        (
            "Exclusion",
            "Previous treatment with trabectedin or previous treatment with radiotherapy (except if previous "
            "radiotherapy treatment plus planned study radiotherapy treatment allow tissues constrains)",
        ),
        # NCT00610246 (Y198): the fields of a past radiotherapy are not on file
        ("Exclusion", "Overlap of treatment field with a previous radiation field."),
        # NCT02388919 (Y207): a rule for EGFR/ALK-positive patients
        ("Exclusion", "examined as positive in EGFR&ALK mutation detection and never take the treatment of TKIs"),
        # NCT00372515 (Y027): the EGFR mutation is an alternative, and no EGFR test is on file
        (
            "Inclusion",
            "High likelihood of gefitinib sensitivity, as evidenced by one or more of the following: previous complete "
            "or partial response to treatment with an epidermal growth factor receptor-tyrosine kinase inhibitor, "
            "erlotinib, or gefitinib; known somatic mutation of the EGFR tyrosine kinase",
        ),
    ],
)
def test_therapy_17b_a_qualified_word_or_an_unread_alternative_is_uncertain(section: str, line: str) -> None:
    check(_therapy(section, line), UNCERTAIN)


def test_therapy_17b_surgery_and_or_chemotherapy_is_met_by_surgery() -> None:
    """NCT01445405 (Y009): 'after surgery and/or chemotherapy' asks for either; the exclusions after it stay read."""
    facts = _therapy(
        "Inclusion",
        "Patients with residual disease or regional recurrence of head and neck cancer after surgery and/or "
        "chemotherapy, but with no prior bortezomib, EGFR inhibitor therapy or head and neck radiotherapy. All such "
        "patients should be eligible to receive full dose radiation therapy, and must be evaluated and accepted for "
        "treatment by a Radiation Oncologist. Prior cisplatin is allowed if administered greater than 3 months "
        "earlier.",
    )
    required = [f for f in facts if f.polarity is Polarity.REQUIRE]
    assert required and all(f.uncertain for f in required)
    cisplatin = [f for f in facts if f.values.drugs == ("drug.cisplatin",)]
    assert cisplatin and not cisplatin[0].uncertain


def test_therapy_17b_a_time_told_by_the_line_or_its_lead_in_stays() -> None:
    """'Prior use of sorafenib' (NCT01337492) tells its time; "Radiation therapy" under "Have received any of the
    following within 28 days prior to receiving the first dose of cyclophosphamide:" (NCT00381173) takes its lead-in's
    window and stays a certain washout; the bare line of NCT01083368 (Y033) is uncertain."""
    check(
        _therapy("Exclusion", "Prior use of sorafenib"),
        [(Polarity.EXCLUDE, TherapyValues(drugs=("drug.sorafenib",)), None)],
    )
    text = (
        "Exclusion Criteria:\n\n1. Have received any of the following within 28 days prior to receiving the first "
        "dose of cyclophosphamide:\n\n   1. Chemotherapy\n\n   2. Radiation therapy\n\n   3. Immunotherapy\n"
    )
    radiation = [f for c in parse_text(text) if c.text.strip() == "Radiation therapy" for f in c.facts]
    assert radiation and all(f.values.within is not None and not f.uncertain for f in radiation)
    bar = list_text(
        "Patients with histologically confirmed adenocarcinoma of the prostate",
        exclusions=(
            "Anticancer therapies such as biologic therapy and chemotherapy, as well as radiation therapy or cancer "
            "surgery",
            "Rifampicin",
        ),
    )
    line = (
        "Anticancer therapies such as biologic therapy and chemotherapy, as well as radiation therapy or cancer surgery"
    )
    check(line_facts(bar, line, FactKind.PRIOR_THERAPY), UNCERTAIN)


def test_therapy_17b_an_exception_on_progression_stays_read() -> None:
    """NCT00002633 (sweep 18's Y200, judged right): the exception is a progression, which a profile holds; only an
    exception on what is not on file (NCT02275286's dose constraints) makes the exclusion uncertain."""
    facts = _therapy("Inclusion", "No other concurrent anticancer therapy unless documented disease progression")
    assert facts and not any(f.uncertain for f in facts)
