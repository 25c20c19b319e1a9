"""Second reading of scope 15 (issue 10; tests/audit/revs15_changes.txt): a later sentence whose group's words say
the patients may enter is a permission, not a group asked something (`scope.sentence_groups`); and a group no profile
decides never makes the whole criterion its own, since the sentences before it may ask something of everyone
(`parser._sentence_groups`). Each row quotes registry text of the tuning corpora, with its trial."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Section
from matcher.eligibility.pipeline import find_mentions
from matcher.eligibility.scope import sentence_groups
from matcher.eligibility.text import CriterionText
from tests.readings import UNCERTAIN, check, item_criterion, item_facts

# NCT00532389 #33: the patients with atrial arrhythmia "are eligible": a permission
ARRHYTHMIA = (
    "History or presence of sustained ventricular tachyarrhythmia. (Patients with a history of atrial arrhythmia are "
    "eligible but should be discussed with the Sponsor prior to enrollment)"
)
# NCT00571116 #2: the asymptomatic patients "are eligible"; the CNS-metastasis patients' sentence is a group
CNS = (
    "All subjects must undergo either a CT or MRI of the brain within 28 days of registration. Subjects with "
    "asymptomatic brain metastasis are eligible for this protocol but their metastasis must be clinically stable and "
    "asymptomatic. Subjects with Central Nervous System (CNS) metastasis must have been evaluated by neurosurgery "
    "prior to entry to confirm that they are a candidate for this trial. Treatment of symptomatic CNS metastasis that "
    "is required before protocol entry."
)
# NCT03131206 #6 (a thyroid study): the ALK subjects "may be either treatment naive or may have received prior
# treatment"
ALK = (
    "Phase 1: Subjects with a RET rearrangement must have had disease progression after at least one prior line of "
    "systemic therapy. Subjects with an ALK rearrangement may be either treatment naive or may have received prior "
    "treatment, and must have CNS disease present at baseline. Subjects cannot have received more than one prior RET "
    "TKI (such as, but not limited to, vandetanib, sorafenib, sunitinib, ponatinib, or cabozantinib). Subjects "
    "enrolling to the Phase 1 portion of the trial must not have received prior alectinib therapy."
)


def _groups(text: str, section: Section) -> list[str]:
    c = CriterionText(text, next(find_mentions([text])), section)
    return [text[slice(*g.who)] for g in sentence_groups(c)]


@pytest.mark.parametrize(
    ("text", "section", "groups"),
    [
        (ARRHYTHMIA, Section.EXCLUSION, []),
        (CNS, Section.INCLUSION, ["Central Nervous System (CNS) metastasis"]),
        (ALK, Section.INCLUSION, []),
    ],
)
def test_a_group_whose_words_permit_is_no_group(text: str, section: Section, groups: list[str]) -> None:
    assert _groups(text, section) == groups


# NCT02557854 #2: the first sentence asks everyone to have relapsed after frontline therapy (read by no kind); the
# one fact read is the desmoid patients' sentence
DESMOID = (
    "The subject's tumor must have relapsed after or failed to respond to frontline therapy and there must be no other "
    "known curative therapies available. Patients with desmoid fibromatosis must have relapsed after or failed to "
    "respond to at least one prior line of therapy, and in the opinion of the treating physician surgical resection of "
    "the tumor must not be possible without an amputation or other surgery predicted to result in an unacceptable "
    "functional deficit."
)


def test_an_undecided_group_does_not_take_the_whole_criterion() -> None:
    assert item_criterion("Inclusion", DESMOID).scope.conditions == ()
    check(item_facts("Inclusion", DESMOID, FactKind.PRIOR_THERAPY), UNCERTAIN)
    [fact] = item_facts("Inclusion", DESMOID, FactKind.PRIOR_THERAPY)
    assert "Patients with desmoid fibromatosis" in (fact.uncertain or "")
