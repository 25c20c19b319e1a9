"""Scope 2 (fresh sample 12; tests/audit/scope2_changes.txt): four classes of a criterion read as everyone's or as a
requirement where the text makes it one group's or one alternative. Each row quotes registry text, with its trial."""

from __future__ import annotations

from matcher.eligibility.criteria import Criterion, FactKind, Polarity
from matcher.eligibility.parser import parse_text
from tests.readings import UNCERTAIN, check, facts_of, one_criterion

# NCT01214655 (S097, S281): each period of the trial has its own age limit under a lead-in of its own
_PERIODS = """Inclusion Criteria:

Dose escalation period for both schedules:

  -  Participants must have a confirmed diagnosis of acute leukemia regardless of sub-type
     and for whom experimental Phase 1 therapy is appropriate.

  -  Are greater than or equal to 18 years of age.

Dose confirmation period for both schedules:

  -  Participant must have a confirmed diagnosis of untreated acute myeloblastic leukemia
     (AML), should not be a candidate for standard therapy.

  -  Are greater than or equal to 60 years of age.

  -  Have a performance status of 0 or 1 on the ECOG scale.

Exclusion Criteria:

  -  Have uncontrolled systemic infection.
"""


def _named(text: str, line: str) -> Criterion:
    found = [c for c in parse_text(text) if " ".join(c.text.split()) == line]
    assert len(found) == 1, line
    return found[0]


def _cohorts(c: Criterion) -> list[str]:
    return [k.text for k in c.scope.conditions if k.kind == "cohort"]


def test_a_dose_confirmation_period_lead_in_makes_its_items_that_periods() -> None:
    assert _cohorts(_named(_PERIODS, "Are greater than or equal to 60 years of age.")) == ["Dose confirmation"]
    assert _cohorts(_named(_PERIODS, "Have a performance status of 0 or 1 on the ECOG scale.")) == ["Dose confirmation"]
    assert _cohorts(_named(_PERIODS, "Are greater than or equal to 18 years of age.")) == ["Dose escalation"]


def test_an_exclusion_after_the_periods_is_everyones() -> None:
    assert _cohorts(_named(_PERIODS, "Have uncontrolled systemic infection.")) == []


def test_progression_beside_an_unread_alternative_with_its_own_verb_is_uncertain() -> None:
    # NCT02168270 (S195): the time since chemoradiotherapy is not read; progression is one way to qualify
    c = one_criterion(
        "Patients must be three or more months from the end of chemoradiotherapy or have biopsy or imaging "
        "consistent with disease progression"
    )
    check(facts_of(c, FactKind.PROGRESSION), UNCERTAIN)


def test_two_sources_of_one_finding_are_no_alternatives() -> None:
    # the "or" between biopsy and imaging has no verb of its own: still the progression required
    c = one_criterion("Patients must have biopsy or imaging consistent with disease progression")
    facts = facts_of(c, FactKind.PROGRESSION)
    assert facts and not any(f.uncertain for f in facts) and facts[0].polarity is Polarity.REQUIRE


# NCT00486135 (S035): a solid tumour or a lymphoma; other criteria set apart the two groups
_TWO_DISEASES = """Inclusion Criteria:

  1. The subject has a histologically confirmed solid tumor that is metastatic or
     unresectable, and for which standard curative or palliative measures do not exist or
     are no longer effective, and there are no known therapies to prolong survival.

  2. The subject has a histologically confirmed diagnosis of lymphoma which is relapsed or
     refractory to standard therapy.

  3. For subjects with solid tumors, the subject has disease that is assessable by tumor
     marker, physical, or radiologic means. There are separate criteria that apply to
     subjects with lymphoma.

  4. Subjects with indolent lymphoma must have documented disease status within 12 months
     prior to study entry.

  5. The subject is ≥18 years old.
"""


def test_a_diagnosis_of_one_of_two_disease_groups_is_that_groups() -> None:
    line = (
        "The subject has a histologically confirmed diagnosis of lymphoma which is relapsed or refractory to "
        "standard therapy."
    )
    c = _named(_TWO_DISEASES, line)
    assert _cohorts(c) == ["Subjects with indolent lymphoma must"]


def test_a_diagnosis_line_without_a_second_disease_group_stays_everyones() -> None:
    # the trial names only the lymphoma group: its diagnosis line is its population's
    text = _TWO_DISEASES.replace("For subjects with solid tumors, the subject", "The subject")
    line = (
        "The subject has a histologically confirmed diagnosis of lymphoma which is relapsed or refractory to "
        "standard therapy."
    )
    assert _named(text, line).scope.conditions == ()


def test_a_labelled_group_that_must_is_a_condition() -> None:
    # NCT00439270 (S018): the label before "patients who had not undergone surgical orchiectomy must" is no part of it
    c = one_criterion(
        "Maintaining castrate status: patients who had not undergone surgical orchiectomy must have continued on "
        "medical therapies, such as gonadotropin-releasing hormone analogs, to maintain castrate levels of serum "
        "testosterone. Those receiving an antiandrogen as part of their first-line hormonal therapy must have shown "
        "progression of disease off of the antiandrogen prior to enrollment"
    )
    assert [k.kind for k in c.scope.conditions] == ["other"]
    # NCT02255461
    c = one_criterion(
        "Corticosteroids: patients who are receiving dexamethasone or other corticosteroids must be on a stable or "
        "decreasing dose for at least 1 week prior to enrollment"
    )
    assert [k.kind for k in c.scope.conditions] == ["other"]


def test_a_labelled_requirement_of_all_patients_stays_everyones() -> None:
    c = one_criterion("Performance status: patients must have an ECOG performance status of 0-1")
    assert c.scope.conditions == ()
