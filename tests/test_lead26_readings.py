"""lead26: a negation that opens a lead-in reaches every item the lead-in lists. "Patients may not have had any of the
following within 6 months prior to study drug administration: MI, severe/unstable angina, ..." (NCT00555256) was read
as a requirement of the listed heart conditions (a reader judged it wrong in session 21), as were the sub-items of
"Patients must not have clinically significant cardiovascular disease including:" (NCT00119262); and "No history of
any of the following:" (NCT00346229) was a list of alternatives, which no patient with one of them but not all failed.
Issue 10, item 2: any-of against all-of, lead-ins that carry their negation to their items."""

from __future__ import annotations

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.kinds import cardiac
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import item_criterion
from tests.test_issue10_examples import outcome, patient

ONE_LINE = (  # NCT00555256 (inclusion)
    "Patients may not have had any of the following within 6 months prior to study drug administration: MI, "
    "severe/unstable angina, coronary/peripheral artery bypass graft, symptomatic CHF, CVA, TIA or PE"
)
NONE_OF = (  # NCT00698815 (inclusion)
    "None of the following within 28 days of beginning treatment: abdominal fistula, gastrointestinal perforation, "
    "intra-abdominal abscess, serious or non-healing wound, ulcer, or bone fracture"
)
NOT_THE_LEAD_INS = (  # NCT00081900: the "not" is a condition's, in a clause of its own before the lead-in
    "Histologically proven HCC, or if the patient is not a medically appropriate candidate for biopsy, then all of "
    "the following criteria must be met: A.History of cirrhosis or chronic hepatitis B virus (HBV) or hepatitis C "
    "virus (HCV)infection."
)
MODAL_LEAD = """Inclusion Criteria:

- Patients must not have clinically significant cardiovascular disease including:
  - New York Heart Association (NYHA) grade II or greater congestive heart failure
  - Any prior history of cerebrovascular disease including TIA or stroke
"""  # NCT00119262
NONE_OF_THE_ITEMS = """Inclusion Criteria:

- No history of any of the following:
  - Coronary artery disease (including non-Q wave MI)
  - Known structural heart disease
"""  # NCT00346229


def _polarities(facts: tuple[Fact, ...], kind: FactKind) -> list[Polarity]:
    return [f.polarity for f in facts if f.kind is kind]


def test_a_negated_one_line_lead_in_excludes_every_listed_item() -> None:
    assert _polarities(item_criterion("Inclusion", ONE_LINE).facts, FactKind.CARDIAC) == [Polarity.EXCLUDE]
    assert _polarities(item_criterion("Inclusion", NONE_OF).facts, FactKind.CONDITION) == [Polarity.EXCLUDE]


def test_a_negation_of_a_condition_before_the_lead_in_does_not_reach_its_items() -> None:
    assert _polarities(item_criterion("Inclusion", NOT_THE_LEAD_INS).facts, FactKind.INFECTION) == [Polarity.REQUIRE]


def test_a_modal_negated_lead_in_passes_its_negation_to_its_sub_items() -> None:
    items = [c for c in parse_text(MODAL_LEAD) if c.parent is not None]
    assert [_polarities(c.facts, FactKind.CARDIAC) for c in items] == [[Polarity.EXCLUDE], [Polarity.EXCLUDE]]


def test_a_negated_lead_in_lists_no_alternatives() -> None:
    criteria = tuple(parse_text(NONE_OF_THE_ITEMS))
    assert not criteria[0].any_of
    # coronary artery disease on file: excluded, whatever the other item (before: one alternative held, so none did)
    doc = patient(conditions=[{"name": "coronary artery disease", "status": "stable"}])
    trial = (TrialInfo("NCT00000000", "reading test", "RECRUITING", ("PHASE2",)), criteria)
    assert outcome(trial, "No history of any of the following", doc).outcome is Outcome.VIOLATED


ARRHYTHMIAS = """Inclusion Criteria:

- No uncontrolled atrial arrhythmias or clinically significant arrhythmias, including any of the following:
  - Supraventricular arrhythmias
  - Atrial fibrillation or flutter
"""  # NCT00077103 (a thyroid trial)


def test_an_item_named_bare_takes_the_state_its_lead_in_asks() -> None:
    criteria = tuple(parse_text(ARRHYTHMIAS))
    assert [f.values.qualifier for c in criteria[1:] for f in c.facts] == ["uncontrolled", "uncontrolled"]
    # panel-06's atrial fibrillation, controlled: whether the trial bars it is the coordinator's to read
    doc = patient(conditions=[{"name": "atrial fibrillation", "status": "controlled"}])
    trial = (TrialInfo("NCT00000000", "reading test", "RECRUITING", ("PHASE2",)), criteria)
    found = outcome(trial, "Atrial fibrillation or flutter", doc)
    assert found.outcome is Outcome.UNKNOWN and "asks whether it is uncontrolled" in found.reason
    # an item with a window of its own is told as the trial bars it: no state passed on
    (mi,) = item_criterion("Inclusion", "Myocardial infarction within the past 6 months").facts
    assert cardiac.under_qualified_lead(mi, criteria[0].facts) is mi


def test_an_event_or_a_syndrome_under_an_uncontrolled_or_significant_lead_in_is_barred_as_named() -> None:
    text = """Exclusion Criteria:

- Patients have uncontrolled or significant cardiovascular disease, including:
  - History of cerebrovascular accident
  - Congestive heart failure (< the last 6 months), or Left Ventricular Ejection Fraction (LVEF) < 50%
"""  # NCT02482753 (a blind reader's L30: "'Uncontrolled' means nothing for a past CVA")
    stroke = next(f for c in parse_text(text) if c.parent is not None for f in c.facts if f.kind is FactKind.CARDIAC)
    assert stroke.values.conditions == ("cerebrovascular accident",) and stroke.values.qualifier is None
