"""misread24: three readings that blind readers judged right on the outcome but wrong in part (fresh samples 33 and 34),
each fixed by its phrasing, not by its trial. Issue 10, item 3.

- A therapy named only as the time of a disease's absence ("No evidence of ... disease after completion of surgery and
chemotherapy", `cue.therapy.time_of_absence`) is no therapy asked for; the absence still excludes. - A sentence that
lists what a permitted term includes ("Non-cytotoxic ... agents include, but are not limited to, monoclonal antibodies",
after "allowed to receive, but are not required to receive", `cue.definition.term_includes`) requires none of them. -
"for RAS wild-type patients" after a therapy is who that therapy is asked of (`cue.condition.biomarker_group_after`,
`cue.biomarker.group_before`): no RAS status asked of every patient, and the anti-EGFR therapy is not asked of the
others; "progression following or intolerance to irinotecan and oxaliplatin" is a prior therapy asked for, with
intolerance as the other way in, not a hypersensitivity (`conditions.intolerance_offered`)."""

from __future__ import annotations

from matcher.eligibility.criteria import Criterion, FactKind, Polarity
from matcher.eligibility.kinds.therapy import TherapyValues
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import NONE, check, item_facts, list_text
from tests.test_issue10_examples import outcome, patient

# the registry's words
NO_EVIDENCE = (  # NCT01964391 (fresh sample 34's AO300, AO355)
    "No evidence of residual, locally recurrent or metastatic disease after completion of surgery and chemotherapy, "
    "or during concurrent chemotherapy (neo-adjuvant or adjuvant)"
)
NO_PROGRESSION_AFTER = (  # NCT02677896 (exclusion)
    "Up to 6 cycles of docetaxel therapy with final treatment administration completed within 2 months of day 1 and "
    "no evidence of disease progression during or after the completion of docetaxel therapy;"
)
RELAPSE_AFTER = (  # NCT00048633
    "Relapse within 6 months after completion of an anthracycline or/and taxane containing chemotherapy regimen."
)
DISEASE_FREE_AFTER = (  # NCT01968213
    "Must have had at least a 6-month disease-free period following prior treatment with the penultimate "
    "platinum-based chemotherapy and achieved a response."
)
PLATINUM = (  # NCT00722592 (fresh sample 34's AO270)
    "Subjects must have received prior platinum-based chemotherapy but must not have received more than 2 prior "
    "systemic cytotoxic regimens. Subjects are allowed to receive, but are not required to receive, one additional "
    "non-cytotoxic regimen for the management of recurrent or persistent disease. Non-cytotoxic (biologic or "
    "cytostatic) agents include, but are not limited to, monoclonal antibodies, cytokines, and small-molecule "
    "inhibitors of signal transduction."
)
MUST_INCLUDE = (  # NCT02519452
    "Prior treatment with less than or equal to (>=) 2 treatment lines of anti-myeloma therapy. Prior lines of therapy "
    "must include a proteasome inhibitor (PI) (eg, bortezomib, carfilzomib) and an immunomodulatory drug (IMiD) "
    "(example, thalidomide, lenalidomide, pomalidomide) in any order during the course of treatment."
)
COLORECTAL = (  # NCT02393755 (fresh samples 33's AN372 and 34's AO364)
    "Prior progression following a fluoropyrimidine-based therapy and progression following or intolerance to "
    "irinotecan and oxaliplatin, as well as anti-epidermal growth factor receptor (EGFR) therapy (e.g., panitumumab "
    "or cetuximab) for rat sarcoma viral oncogene homolog (RAS) wild-type patients"
)
SORAFENIB = (  # NCT02702401 (hepatocellular carcinoma)
    "Has documented objective radiographic progression during or after treatment with sorafenib or intolerance to "
    "sorafenib."
)
PIOGLITAZONE = (  # NCT01431521
    "Intolerance or hypersensitivity to pioglitazone hydrochloride or any inactive ingredients"
)


def _trial(*items: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    return TrialInfo("NCT00000000", "misread24", "RECRUITING", ("PHASE2",)), tuple(parse_text(list_text(*items)))


def _therapies(section: str, line: str) -> list[tuple[Polarity, TherapyValues]]:
    found = []
    for f in item_facts(section, line, FactKind.PRIOR_THERAPY):
        assert isinstance(f.values, TherapyValues)
        found.append((f.polarity, f.values))
    return found


# --- a therapy named as the time of a disease's absence ----------------------------------------------------------


def test_the_time_of_an_absence_asks_no_therapy() -> None:
    check(item_facts("Inclusion", NO_EVIDENCE, FactKind.PRIOR_THERAPY), NONE)
    extent = item_facts("Inclusion", NO_EVIDENCE, FactKind.DISEASE_EXTENT)
    assert [f.polarity for f in extent] == [Polarity.EXCLUDE], extent


def test_the_absence_still_excludes_metastatic_disease_and_says_nothing_of_chemotherapy() -> None:
    found = outcome(_trial(NO_EVIDENCE), "No evidence of residual", patient())
    assert found.outcome is Outcome.VIOLATED, found.reason
    assert found.reason.startswith("metastatic disease"), found.reason
    assert "chemotherapy" not in found.reason and "surgery" not in found.reason, found.reason


def test_a_therapy_had_before_the_absence_is_still_read() -> None:
    # the docetaxel named first is the line's; the one after "no evidence of disease progression during or after the
    # completion of" is the time of the absence
    values = _therapies("Exclusion", NO_PROGRESSION_AFTER)
    assert values and all(v.drugs == ("drug.docetaxel",) for _, v in values), values


def test_a_relapse_after_a_therapy_still_asks_for_the_therapy() -> None:
    for line in (RELAPSE_AFTER, DISEASE_FREE_AFTER):
        values = _therapies("Inclusion", line)
        assert values and all(p is Polarity.REQUIRE and v.min_count == 1 for p, v in values), (line, values)


# --- a list of what a permitted term includes --------------------------------------------------------------------


def test_what_a_permitted_regimen_includes_is_not_required() -> None:
    values = _therapies("Inclusion", PLATINUM)
    assert [(p, v.classes) for p, v in values] == [(Polarity.REQUIRE, ("class.platinum",))], values


def test_the_platinum_requirement_still_excludes_a_patient_without_it() -> None:
    found = outcome(_trial(PLATINUM), "Subjects must have received prior platinum", patient())
    assert found.outcome is Outcome.VIOLATED, found.reason
    assert found.reason == "no platinum-based chemotherapy (trial: 1+ platinum-based chemotherapy)", found.reason


def test_what_prior_lines_must_include_is_still_required() -> None:
    values = _therapies("Inclusion", MUST_INCLUDE)
    assert any("class.proteasome_inhibitor" in v.classes and p is Polarity.REQUIRE for p, v in values), values


# --- a therapy asked of a biomarker group; intolerance beside a progression ------------------------------------


def test_a_biomarker_group_is_no_biomarker_asked_and_intolerance_no_hypersensitivity() -> None:
    check(item_facts("Inclusion", COLORECTAL, FactKind.BIOMARKER), NONE)
    check(item_facts("Inclusion", COLORECTAL, FactKind.HYPERSENSITIVITY), NONE)
    values = _therapies("Inclusion", COLORECTAL)
    # irinotecan and fluoropyrimidines are not in the drug vocabulary; the anti-EGFR therapy is the RAS wild-type
    # patients' only
    assert [(p, v.drugs, v.progressed, v.or_intolerant) for p, v in values] == [
        (Polarity.REQUIRE, ("drug.oxaliplatin",), True, True)
    ], values


def test_her_nras_mutation_is_not_the_reason_her_missing_oxaliplatin_is() -> None:
    doc = patient(biomarkers=[{"gene": "NRAS", "alteration": "Q61R", "result": "positive"}])
    found = outcome(_trial(COLORECTAL), "Prior progression following", doc)
    assert found.outcome is Outcome.VIOLATED, found.reason
    asked = "oxaliplatin or irinotecan"  # irinotecan, outside the drug vocabulary, read by name (inn26)
    assert found.reason == f"no {asked} (trial: 1+ {asked}, progressed on or intolerant of it)", found.reason


def test_intolerance_as_the_other_way_in_is_a_prior_therapy_asked_for() -> None:
    check(item_facts("Inclusion", SORAFENIB, FactKind.HYPERSENSITIVITY), NONE)
    values = _therapies("Inclusion", SORAFENIB)
    assert [(p, v.drugs, v.progressed, v.or_intolerant) for p, v in values] == [
        (Polarity.REQUIRE, ("drug.sorafenib",), True, True)
    ], values


def test_an_intolerance_excluded_is_still_a_hypersensitivity() -> None:
    found = item_facts("Exclusion", PIOGLITAZONE, FactKind.HYPERSENSITIVITY)
    assert [f.polarity for f in found] == [Polarity.EXCLUDE], found
