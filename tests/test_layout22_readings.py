"""Where a lead-in's list ends in unbulleted or dash-glued text (issue 10 items 2 and 3; tests/audit/
layout22_changes.txt). Fresh sample 25's AF201 (NCT01974752): "-Having received any of the following within the
specified timeframe:" was glued to the two sentences before it, and every later exclusion (brain metastases, the
cardiac list with "QTcF >450 ms", ...) became its sub-item, so the prior-therapy sentences were violated by a QTcF
of 451 ms. The author's dash after a full stop opens the next item, and a paragraph that opens with a glued dash
("--Symptomatic ...") after the lead-in's unmarked paragraph is the next item of the list, not the lead-in's content.
Every text below is quoted from the registry."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import Criterion
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import load_patient

# NCT01974752's exclusions as the legacy record lays them out (the cardiac list cut after "QTcF >450 ms")
NCT01974752 = """Exclusion Criteria:-Involvement in the planning and/or conduct of the study (applies to
both AstraZeneca staff and/or staff at the study site)

  -  Previous randomisation in the present study

  -  Patients cannot have previously been treated with a systemic anti-cancer therapy.
     Patients can have prior intra-hepatic or non-systemic therapy. -Having received any of
     the following within the specified timeframe:

Any prior systemic anti-cancer therapy for the treatment of this current diagnosis, An
investigational drug within 30 days of starting treatment or within five half-lives of the
compound (whichever is the most appropriate is at the discretion of the Investigator), or
have not recovered from side effects of an investigational drug Any non-systemic
anti-cancer therapy which has not been cleared from the body by the time of starting study
treatment Radiation therapy within 4 weeks prior to starting study treatment, or limited
field of radiation for palliation within 7 days of the first dose of study treatment Major
surgery within 4 weeks prior to entry into the study (excluding the placement of vascular
access) which would prevent administration of study treatment, Any prior investigational
therapy comprising inhibitors of RAS, RAF or MEK at any time, Previous treatment with
dacarbazine. Any unresolved toxicity >CTCAE grade 2 from previous anti-cancer therapy,
excluding alopecia -History of allergic reactions attributed to compounds of similar
chemical or biologic composition to selumetinib or dacarbazine

--Symptomatic brain metastases or spinal cord compression (patients must be treated and
stable off steroids and anti-convulsants for at least 1 month prior to entry into the
study)

Cardiac conditions as follows:

  -  Uncontrolled hypertension (BP ≥150/95 mmHg despite medical therapy)

  -  Acute coronary syndrome within 6 months prior to starting treatment

  -  QTcF >450 ms or other factors that increase the risk of QTc prolongation
"""

PRIOR = (
    "Patients cannot have previously been treated with a systemic anti-cancer therapy. Patients can have prior "
    "intra-hepatic or non-systemic therapy."
)
LEAD = "Having received any of the following within the specified timeframe:"
RECEIVED = "Any prior systemic anti-cancer therapy for the treatment of this current diagnosis,"
BRAIN = "--Symptomatic brain metastases or spinal cord compression"
CARDIAC = "Cardiac conditions as follows:"
QTCF = "QTcF >450 ms or other factors that increase the risk of QTc prolongation"


def _by_start(criteria: list[Criterion], start: str) -> Criterion:
    found = [c for c in criteria if " ".join(c.text.split()).startswith(start)]
    assert len(found) == 1, [c.text for c in criteria]
    return found[0]


def _parent_text(criteria: list[Criterion], c: Criterion) -> str | None:
    return None if c.parent is None else " ".join(criteria[c.parent].text.split())


def _structure(text: str) -> list[tuple[str, str | None]]:
    criteria = [c for c in parse_text(text) if c.source == "text"]
    return [(" ".join(c.text.split()), _parent_text(criteria, c)) for c in criteria]


def test_the_glued_dash_after_a_full_stop_opens_the_next_item() -> None:
    criteria = [c for c in parse_text(NCT01974752) if c.source == "text"]
    prior = _by_start(criteria, "Patients cannot")
    assert " ".join(prior.text.split()) == PRIOR and prior.parent is None
    lead = _by_start(criteria, "Having received")
    assert " ".join(lead.text.split()) == LEAD and lead.parent is None


def test_the_lead_in_gets_only_the_paragraph_about_what_was_received() -> None:
    criteria = [c for c in parse_text(NCT01974752) if c.source == "text"]
    assert _parent_text(criteria, _by_start(criteria, RECEIVED)) == LEAD
    assert _by_start(criteria, BRAIN).parent is None  # the dash-glued paragraph is an exclusion of its own
    assert _by_start(criteria, CARDIAC).parent is None
    assert _parent_text(criteria, _by_start(criteria, QTCF)) == CARDIAC
    assert not any(_parent_text(criteria, c) == PRIOR for c in criteria)


@pytest.mark.parametrize("width", [40, 60, 120, 1000])
def test_the_split_does_not_depend_on_the_wrap_width(width: int) -> None:
    # the item re-wrapped: at 40 columns "-Having" starts a continuation line, unwrapped it runs on inline
    item = " ".join(f"{PRIOR} -{LEAD}".split())
    lines = textwrap.wrap(item, width, break_on_hyphens=False)
    wrapped = "\n     ".join(lines)
    text = f"Exclusion Criteria:\n\n  -  Previous randomisation in the present study\n\n  -  {wrapped}\n\n{RECEIVED}\n"
    assert _structure(text) == [
        ("Previous randomisation in the present study", None),
        (PRIOR, None),
        (LEAD, None),
        (RECEIVED, LEAD),
    ]


def test_af201_the_prior_therapy_sentences_are_not_violated_by_the_qtcf() -> None:
    loaded = load_patient(Path(__file__).parents[1] / "examples" / "rair-follicular-untreated.json")
    criteria = parse_text(NCT01974752)
    info = TrialInfo("NCT01974752", "t", "RECRUITING", ())
    results = match_trial(info, criteria, loaded.patient, date(2026, 12, 5), load_knowledge()).results
    by_text = {" ".join(r.criterion.text.split()): r for r in results}
    assert by_text[PRIOR].outcome is not Outcome.VIOLATED  # radioiodine only: met, or unknown
    assert by_text[LEAD].outcome is not Outcome.VIOLATED
    assert by_text[QTCF].outcome is Outcome.VIOLATED  # 451 ms: still excluded, by its own line
    assert "QTcF" in by_text[QTCF].reason


def test_a_wrapped_line_after_a_full_stop_in_a_numbered_item_is_the_next_item() -> None:
    # NCT01378533: "-The rate of Disease recurrence" is no part of the ejection-fraction criterion
    text = """Exclusion Criteria:

  1. received neo-adjuvant therapy

  2. Cardiac dysfunction documented by an ejection fraction less than the lower limit of
     the facility normal by multi-gated acquisition (MUGA) scan, or 45% by echocardiogram.
     -The rate of Disease recurrence

  3. Uncontrolled medical problems.
"""
    assert _structure(text) == [
        ("received neo-adjuvant therapy", None),
        (
            "Cardiac dysfunction documented by an ejection fraction less than the lower limit of the facility normal "
            "by multi-gated acquisition (MUGA) scan, or 45% by echocardiogram.",
            None,
        ),
        ("The rate of Disease recurrence", None),
        ("Uncontrolled medical problems.", None),
    ]


def test_spaced_dashes_and_dashes_after_other_punctuation_stay_in_the_item() -> None:
    # NCT01974752: spaced dashes inside an item; NCT03169335: "; -Uncontrolled" (not after a full stop) is kept
    for line in (
        "Uncontrolled Angina - Canadian Cardiovascular Society grade II-IV despite medical therapy - Symptomatic "
        "heart failure (New York Heart Association [NYHA] Class II-IV,- Prior or current cardiomyopathy",
        "Patients whose medical history or examination shows hereditary bleeding tendency or coagulation disorders, "
        "which may increase the risk of bleeding; -Uncontrolled hypertension (systolic blood pressure >150 mmHg "
        "and/or diastolic blood pressure >100 mmHg);",
    ):
        assert _structure(f"Exclusion Criteria:\n\n  -  {line}\n") == [(line, None)]


def test_an_unmarked_paragraph_after_a_lead_in_stays_its_content() -> None:
    # NCT01418001 (kept): the lead-in's window reaches the unmarked paragraph under it
    lead = "History of any one or more of the following cardiovascular conditions within the past 6 months:"
    content = (
        "Cardiac angioplasty or stenting Myocardial infarction Unstable angina Coronary artery bypass graft surgery "
        "Symptomatic peripheral vascular disease"
    )
    after = "History of cerebrovascular accident including transient ischemic attack (TIA),"
    text = (
        "Exclusion Criteria:\n\n  -  History of any one or more of the following cardiovascular conditions within the "
        "past\n     6 months:\n\nCardiac angioplasty or stenting Myocardial infarction Unstable angina "
        "Coronary artery\nbypass graft surgery Symptomatic peripheral vascular disease\n\n"
        "  -  History of cerebrovascular accident including transient ischemic attack (TIA),\n"
    )
    assert _structure(text) == [(lead, None), (content, lead), (after, None)]


def test_spaces_after_the_full_stop_at_a_line_end_do_not_hide_the_dash() -> None:
    # the review of the session's diff: the line before ends "therapy.  " (trailing spaces) and the dash opens the next
    lines = textwrap.wrap(PRIOR, 60)
    text = (
        "Exclusion Criteria:\n\n  -  Previous randomisation in the present study\n\n  -  "
        + "\n     ".join([*lines[:-1], lines[-1] + "  "])
        + f"\n     -{LEAD}\n\n{RECEIVED}\n"
    )
    assert _structure(text) == [
        ("Previous randomisation in the present study", None),
        (PRIOR, None),
        (LEAD, None),
        (RECEIVED, LEAD),
    ]
