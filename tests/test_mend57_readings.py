"""Rules of session 32's fifth round (mend57), from comorbid sample 55's two wrong exclusions and a misreading its
readers noted: an antibody "specifically directed against" a target, past its abbreviation; "The following are
exceptions to this criterion:" before the therapies it lets in; "UNL", the registries' other spelling of the upper
limit of normal. Each criterion below barred a profile that the text, read as a coordinator would, does not bar: the
outcome is now unknown or met, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts
from tests.test_issue10_examples import item_outcome, patient, with_therapies

AGAINST_PDGF = (  # NCT01268059 (exclusion): DO312
    "Previous monoclonal antibody (mAb) treatment specifically directed against platelet-derived growth factor (PDGF) "
    "or PDGF receptors"
)
EXCEPTIONS = (  # NCT02403271 (exclusion): DO352
    "Prior treatment with ibrutinib or other BTK inhibitor anti-CD137 or CTLA-4 antibody. The following are exceptions "
    "to this criterion: Subjects previously treated with an anti-PD1, anti-PD-L1, or anti-PD-L2 antibody."
)
PEMBROLIZUMAB = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
IPILIMUMAB = {"name": "ipilimumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}


def test_an_antibody_directed_against_one_target_is_not_any_antibody() -> None:
    found = item_outcome(AGAINST_PDGF, with_therapies(PEMBROLIZUMAB), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "directed against platelet-derived" in found.reason
    assert item_outcome(
        "Previous monoclonal antibody (mAb) treatment", with_therapies(PEMBROLIZUMAB), "exclusion"
    ).outcome is (Outcome.VIOLATED)


def test_therapies_named_after_the_following_are_exceptions_are_let_in() -> None:
    assert item_outcome(EXCEPTIONS, with_therapies(PEMBROLIZUMAB), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome(EXCEPTIONS, with_therapies(IPILIMUMAB), "exclusion").outcome is Outcome.VIOLATED


def test_unl_is_the_upper_limit_of_normal() -> None:
    ast, alt = item_facts("Inclusion", "AST/ALT ≤2 x UNL", FactKind.LAB)
    assert (ast.values.uln_multiple, alt.values.uln_multiple, ast.values.value) == (2.0, 2.0, None)
    (bilirubin,) = item_facts("Inclusion", "Total bilirubin =< 1.5 x UNL unless due to Gilbert's disease", FactKind.LAB)
    assert bilirubin.values.uln_multiple == 1.5
    # not the "unl" of "unless": "PT/INR ≤ 1.5 unless on full-dose anticoagulants" (NCT00296062)
    (inr,) = item_facts("Inclusion", "PT/INR ≤ 1.5 unless on full-dose anticoagulants", FactKind.LAB)
    assert (inr.values.value, inr.values.uln_multiple) == (1.5, None)
    high = patient(labs=[{"test": "AST", "value": 60, "unit": "U/L", "date": "2026-11-04", "upper_limit": 40}])
    assert item_outcome("AST ≤ 2.5 x UNL", high).outcome is Outcome.SATISFIED  # 1.5-fold, not 60 against 2.5 U/L
