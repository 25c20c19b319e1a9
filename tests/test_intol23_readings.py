"""intol23: a "progressed on" requirement whose text offers intolerance as the other way in ("Resistant or intolerant to
prior imatinib mesylate") is met by a therapy stopped for toxicity (`cue.therapy.or_intolerant`); a patient without
the drug still fails it. A windowed "progressed on" requirement names the therapy she had but did not progress on
instead of saying she never had it, and a therapy's end is told in words ("completed", "stopped for another reason";
an ongoing one has "no progression on it on file"). Issue 10, item 3."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import Criterion, FactKind
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import facts_of, list_text
from tests.test_issue10_examples import outcome, patient

# the registry's words
RESISTANT = "Resistant or intolerant to prior imatinib mesylate"  # NCT00345826
PH_CML = (  # NCT01602952
    "Ph+ CML patients in chronic or accelerated phase who are resistant or intolerant to Imatinib mesylate"
)
OXALIPLATIN = (  # NCT02188264
    "all patients must have received and progressed or be intolerant of an oxaliplatin-containing regimen and an "
    "irinotecan-containing regimen"
)
# NCT02973997 (lenvatinib cohorts in thyroid cancer)
PD_30_DAYS = (
    "For cohort 2 only: progressive disease (PD) on lenvatinib per RECIST 1.1 =< 30 days prior to registration, as "
    "confirmed by the site study PI"
)


def _trial(*items: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    return TrialInfo("NCT00000000", "intol23", "RECRUITING", ("PHASE2",)), tuple(parse_text(list_text(*items)))


def _with(**therapy: Any) -> dict[str, Any]:
    """The issue-10 profile with one more systemic therapy, in place of her lenvatinib."""
    return patient(therapies=[*patient()["therapies"][:2], {"kind": "systemic", **therapy}])


def _imatinib(reason_stopped: str) -> dict[str, Any]:
    return _with(name="imatinib", start="2021-03-01", end="2023-05-10", reason_stopped=reason_stopped)


def _values(text: str) -> list[Any]:
    criteria = [c for c in parse_text(list_text(text)) if c.source == "text"]
    return [f.values for c in criteria for f in facts_of(c, FactKind.PRIOR_THERAPY)]


def test_the_intolerance_alternative_is_read_beside_the_progression() -> None:
    for line in (RESISTANT, PH_CML, OXALIPLATIN):
        values = _values(line)
        assert values and all(v.progressed and v.or_intolerant for v in values), (line, values)


def test_a_therapy_stopped_for_toxicity_meets_resistant_or_intolerant() -> None:
    found = outcome(_trial(RESISTANT), "Resistant or intolerant", _imatinib("toxicity"))
    assert found.outcome is Outcome.SATISFIED, found.reason
    assert found.reason.endswith("(trial: 1+ imatinib, progressed on or intolerant of it)"), found.reason


def test_a_therapy_progressed_on_still_meets_it() -> None:
    found = outcome(_trial(RESISTANT), "Resistant or intolerant", _imatinib("progression"))
    assert found.outcome is Outcome.SATISFIED, found.reason


def test_a_patient_without_the_drug_still_fails_it() -> None:
    found = outcome(_trial(RESISTANT), "Resistant or intolerant", patient())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason.startswith("no imatinib"), found.reason


def test_a_completed_therapy_does_not_meet_it_and_is_told_completed() -> None:
    found = outcome(_trial(RESISTANT), "Resistant or intolerant", _imatinib("completed"))
    assert found.outcome is Outcome.VIOLATED
    assert found.reason.startswith("prior imatinib (2021-03-01 to 2023-05-10), completed, not progressed on it")


def test_another_reason_to_stop_is_told_in_words() -> None:
    found = outcome(_trial(RESISTANT), "Resistant or intolerant", _imatinib("other"))
    assert found.outcome is Outcome.VIOLATED
    assert ", stopped for another reason, not progressed on it" in found.reason, found.reason


def test_an_ongoing_therapy_is_not_said_to_be_free_of_progression() -> None:
    doc = _with(name="imatinib", start="2025-03-01")
    found = outcome(_trial(RESISTANT), "Resistant or intolerant", doc)
    assert found.outcome is Outcome.VIOLATED
    assert found.reason.startswith("prior imatinib (2025-03-01 to ongoing), no progression on it on file"), found.reason
    assert "therapies[2]" in found.evidence, found.evidence


def test_a_windowed_progression_names_the_therapy_stopped_for_toxicity() -> None:
    doc = _with(name="lenvatinib", start="2025-03-01", end="2026-11-10", reason_stopped="toxicity")
    found = outcome(_trial("Differentiated thyroid cancer.", PD_30_DAYS), "For cohort 2 only", doc)
    assert found.outcome is not Outcome.SATISFIED, found.reason
    assert "no lenvatinib in the last" not in found.reason, found.reason
    assert "prior lenvatinib (2025-03-01 to 2026-11-10), stopped for toxicity, not progressed on it" in found.reason


# NCT01602952, read as imatinib or systemic therapy: the intolerance it accepts is of imatinib
PH_CML_BOTH = (
    "Ph+ CML patients who are resistant at chronic, accelerate, and acute phase, or suboptimal responsive, or "
    "intolerant to imatinib or resistant or intolerant to at least one second-generation targeted anticancer agent "
    "while being resistant, suboptimal responsive, or intolerant to imatinib simultaneously."
)


def test_intolerance_of_another_drug_does_not_meet_an_imatinib_line() -> None:
    doc = _with(name="Nexavar", start="2021-03-01", end="2023-05-10", reason_stopped="toxicity")
    found = outcome(_trial(PH_CML_BOTH), "Ph+ CML patients who are resistant", doc)
    assert found.outcome is Outcome.VIOLATED, found.reason
    # the line's cancer is CML, whose course the Nexavar of her thyroid cancer is not (r1, AO056)
    assert "progressed on it or intolerant of imatinib) is of the line's cancer" in found.reason, found.reason
