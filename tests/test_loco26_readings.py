"""loco26: locoregional disease beside metastatic disease is a way in, and the extent a therapy was given for is not
asked. "Have locoregional and/or metastatic disease that has failed to respond to ... chemotherapy" (NCT00392665) was
read as metastatic disease required, which a patient with a neck recurrence only (a common RAI-refractory course)
fails; "At least 6 months since prior external beam radiotherapy for locoregional disease in the thyroid bed ..."
(NCT00104871, a thyroid study) required locally advanced disease. Issue 10, item 3: violated only from a complete
reading."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from tests.readings import one_criterion

LOCOREGIONAL_OR_METASTATIC = (  # NCT00392665 (inclusion)
    "Have locoregional and/or metastatic disease that has failed to respond to or relapsed from at least one prior "
    "chemotherapy or chemoradiotherapy"
)
EBRT_FOR_LOCOREGIONAL = (  # NCT00104871 (inclusion)
    "At least 6 months since prior external beam radiotherapy for locoregional disease in the thyroid bed or to the "
    "cervical or upper mediastinal lymph nodes (dose =< 6,000 cGy)"
)


def _extent(text: str) -> list:
    return [f for f in one_criterion(text).facts if f.kind is FactKind.DISEASE_EXTENT]


def test_locoregional_disease_is_another_way_in() -> None:
    (fact,) = _extent(LOCOREGIONAL_OR_METASTATIC)
    assert fact.values.any_of == ("metastatic",)
    assert fact.uncertain and fact.uncertain.startswith("locoregional disease not on file: 'locoregional' disease")
    # a locoregional recurrence of the extent's own name stays read ("locoregional recurrence": locally advanced)
    (own,) = _extent("Unresectable locoregional recurrence or metastatic disease")
    assert "locoregional" not in (own.uncertain or "")


def test_the_extent_a_radiotherapy_was_given_for_is_not_asked() -> None:
    assert _extent(EBRT_FOR_LOCOREGIONAL) == []
    assert _extent("More than 6 months since prior radiotherapy for locally advanced or metastatic disease") == []
