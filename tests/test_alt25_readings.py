"""alt25: "; or" between the clauses of a requirement offers two ways in, not two requirements (issue 10, item 2:
"any-of alternatives against all-of lists"; item 3: alternatives are violated only when every alternative is).

The cut is made by the scope step (`scope._clause_cuts`, cues `cue.alternative.clause` and
`cue.alternative.negated_opening`) only in the first sentence, before any colon, outside brackets, and not in a
line that opens on a negation: there the "; or" joins items of one list, which stay one requirement."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import list_text, one_criterion
from tests.test_issue10_examples import outcome, patient

# the registry's words
TAXANE_OR_NAIVE = (  # NCT00716794 (prostate), with "naïve" composed
    "Patient has failed at least 1 taxane regimen; or Patient has symptomatic or asymptomatic CRPC and is "
    "chemotherapy-naïve"
)
BILIRUBIN = (  # NCT02513394: a limit for a group, the lab kind's to read (lower case after "; or")
    "Total serum bilirubin ≤ ULN; or total bilirubin ≤ 3.0 × ULN with direct bilirubin within normal range in patients "
    "with documented Gilbert's Syndrome."
)
OTHER_MALIGNANCY = (  # NCT01243762
    "Participant has no history of a prior malignancy with the exception of cervical intraepithelial neoplasia; basal "
    "cell carcinoma of the skin; adequately treated localized prostate carcinoma with prostatic specific antigen (PSA) "
    "< 1.0; or has undergone potentially curative therapy with no evidence of that disease for five years, or is "
    "deemed at low risk for recurrence by his/her treating physician."
)
# lines whose "; or" joins the items of one list
DOXORUBICIN = (  # NCT00551421: what must all be absent
    "No prior doxorubicin or liposomal doxorubicin at doses > 360 mg/m^2; epirubicin at doses > 720 mg/m^2; "
    "mitoxantrone at doses > 120 mg/m^2; or idarubicin at doses > 90 mg/m^2"
)
RECTUM = (  # NCT00226941: the "; or" is in the second sentence, the first names the cancer of every stage listed
    "Histologically-confirmed adenocarcinoma of the rectum. Clinical stages T3; T4; or N1 as determined by endoscopic "
    "ultrasound; or a rectal CT or MRI scan are eligible, including T3 N0; T3 N1; T4 N0; T4 N1; T1-4 N1."
)
CONTRACEPTION = (  # NCT01041235: inside brackets
    "Agree to use an effective contraceptive method (hormonal or barrier method; or abstinence) for the duration of "
    "the study and for 30 days after the last dose (for men and women of child-producing potential)."
)


def test_a_taxane_or_a_chemotherapy_naive_route_is_two_ways_in() -> None:
    c = one_criterion(TAXANE_OR_NAIVE)
    assert c.scope.alternatives == (
        "Patient has failed at least 1 taxane regimen",
        "Patient has symptomatic or asymptomatic CRPC and is chemotherapy-naïve",
    )
    assert sorted(f.alternative for f in c.facts) == [1, 2]
    trial = (
        TrialInfo("NCT00000000", "alt25", "RECRUITING", ("PHASE2",)),
        tuple(parse_text(list_text(TAXANE_OR_NAIVE))),
    )
    found = outcome(trial, "Patient has failed", patient())  # no taxane, never had chemotherapy
    assert found.outcome is Outcome.UNKNOWN  # the route of the chemotherapy-naïve is not read: never violated


def test_a_curative_therapy_route_beside_the_no_other_cancer_rule_is_not_read_as_a_window() -> None:
    c = one_criterion(OTHER_MALIGNANCY)
    assert len(c.scope.alternatives) == 2
    (fact,) = [f for f in c.facts if f.kind is FactKind.OTHER_MALIGNANCY]
    assert fact.uncertain is not None and "an alternative was not read" in fact.uncertain
    assert fact.values.within is None  # "five years" is the other route's


def test_a_semicolon_or_that_joins_one_list_is_no_alternative() -> None:
    for line in (DOXORUBICIN, RECTUM, CONTRACEPTION, BILIRUBIN):
        assert one_criterion(line).scope.alternatives == (), line
