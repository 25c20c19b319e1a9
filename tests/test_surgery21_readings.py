"""Surgery 21 (issue 10; tests/audit/surgery21_changes.txt): a surgery a trial for another cancer requires, named as
that cancer's ("pancreatic cancer surgery", "Completely removed melanoma by surgery", "surgical resection of ...
squamous cell carcinoma (SCC)") or as a procedure of its own ("second cytoreductive surgery"), or the surgery its
treatment follows ("Ability to start treatment between 8 and 12 weeks following surgery", a lung resection), is not
the patient's thyroidectomy: uncertain, read as therapy 21 reads another cancer's course, where the trial says it is
for another cancer ("trial is for ..."), and read as before where nothing does. Each line quotes the registry text it
came from."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.parser import StructuredFields, parse_text
from tests.readings import UNCERTAIN, check, list_text

_COURSE = "about another cancer's therapy"
# NCT01025570 (fresh samples 23-25's AD157/AE150/AF143)
_PANCREAS = (
    "Ability to start adjuvant therapy within 8 weeks after pancreatic cancer surgery (but no sooner than 3 weeks)."
)
_BLOCK = (
    "At least one paraffin block from patient's pancreatic cancer surgery must be available for analysis (does not "
    "necessarily need to be received by the start of study treatment)."
)
# NCT00621049 (AE106/AF099), an adjuvant trial after a complete NSCLC resection
_LUNG = "Ability to start treatment between 8 and 12 weeks following surgery."
# NCT00942838 (AE139/AF131), recurrent ovarian carcinoma
_OVARY = (
    "Patients have undergone a second cytoreductive surgery to remove all gross residual disease. This cytoreductive "
    "surgery must occur within twelve weeks of enrollment"
)
# NCT02388906 (AE252)
_MELANOMA = "Completely removed melanoma by surgery performed within 12 weeks of randomization"
# NCT02775812 (AE287), the line's first sentence
_HNSCC = (
    "Patients must have undergone gross total surgical resection of high-risk oral cavity, oropharynx (p16 negative), "
    "larynx, or hypopharynx squamous cell carcinoma (SCC) within 63 days prior to registration"
)
# the line of its list before, which the primary-site kind reads as "trial is for head and neck squamous cell cancer"
_HNSCC_SITE = (
    "Pathologically (histologically or cytologically) proven diagnosis of head and neck squamous cell carcinoma "
    "(HNSCC) involving the oral cavity (excluding lips), oropharynx (p16 negative), hypopharynx or larynx"
)
# NCT00310076 (AB260/AD044/AE038/AF037): its conditions name no primary site the vocabulary reads
_IPHC = "Underwent cytoreductive surgery and intraperitoneal hyperthermic chemotherapy (IPHC) within the past 12 weeks"


def _facts(line: str, *conditions: str, before: tuple[str, ...] = ()) -> list[Fact]:
    """The prior-therapy facts of ``line`` read after the inclusions ``before``, beside the trial's conditions list."""
    criteria = parse_text(list_text(*before, line), StructuredFields(conditions=conditions))
    wanted = " ".join(line.split())
    return [
        f for c in criteria if " ".join(c.text.split()) == wanted for f in c.facts if f.kind is FactKind.PRIOR_THERAPY
    ]


@pytest.mark.parametrize(
    ("line", "conditions", "surgery", "before"),
    [
        (_PANCREAS, ("pancreatic cancer",), "pancreatic cancer surgery", ()),
        (_BLOCK, ("pancreatic cancer",), "pancreatic cancer surgery", ()),
        (_LUNG, ("non-small cell lung cancer",), "the surgery the trial's treatment follows", ()),
        (_OVARY, ("recurrent ovarian carcinoma",), "cytoreductive surgery", ()),
        (_MELANOMA, ("melanoma",), "surgery of melanoma", ()),
        (_HNSCC, (), "surgical resection of squamous cell carcinoma", (_HNSCC_SITE,)),
    ],
)
def test_surgery_21_another_cancers_surgery_is_uncertain(
    line: str, conditions: tuple[str, ...], surgery: str, before: tuple[str, ...]
) -> None:
    facts = _facts(line, *conditions, before=before)
    check(facts, UNCERTAIN)
    assert all(f.polarity is Polarity.REQUIRE for f in facts), facts
    assert all(f.uncertain and f.uncertain.startswith(f"{_COURSE} ({surgery!r})") for f in facts), facts


@pytest.mark.parametrize(
    ("line", "conditions"),
    [
        # each line alone: nothing says the trial is for another cancer, so the requirement keeps its reading
        (_PANCREAS, ()),
        (_LUNG, ()),
        (_OVARY, ()),
        (_MELANOMA, ()),
        (_HNSCC, ()),
        # NCT00310076 beside its conditions, which name no site of the vocabulary: the procedure the patient never
        # had keeps its violation
        (_IPHC, ("carcinoma of the appendix", "colorectal cancer")),
    ],
)
def test_surgery_21_required_where_the_trial_names_no_other_site(line: str, conditions: tuple[str, ...]) -> None:
    facts = _facts(line, *conditions)
    assert facts and all(f.polarity is Polarity.REQUIRE and not f.uncertain for f in facts), facts
