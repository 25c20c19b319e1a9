"""Criterion kinds: one module each, holding the kind's typed values, phrasing data, extractor and evaluator.

`KINDS` is the registry (every `FactKind` has exactly one entry); `extractors(found)` gives the extractors that can
find something in a criterion, by the mentions each kind needs, in the order their facts appear. `tests/test_kinds.py`
checks that each kind's evaluator reads every value its extractor can produce, or declares it display-only. See
docs/parser.md for the kinds and docs/matching.md for how a fact becomes an outcome.
"""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds import (
    age,
    biomarker,
    blood_pressure,
    brain_metastases,
    cardiac,
    conditions,
    extent,
    histology,
    infection,
    lab,
    life_expectancy,
    measurable,
    other_malignancy,
    performance,
    pregnancy,
    primary_site,
    progression,
    rai_refractory,
    screening,
    sex,
    therapy,
)
from matcher.eligibility.kinds.base import Extractor, Finding, Kind

_ALL = (
    age.KIND,
    sex.KIND,
    performance.KIND,
    life_expectancy.KIND,
    histology.KIND,
    primary_site.KIND,
    extent.KIND,
    rai_refractory.KIND,
    progression.KIND,
    measurable.KIND,
    therapy.KIND,
    cardiac.QTC,
    cardiac.LVEF,
    blood_pressure.KIND,
    cardiac.CARDIAC,
    brain_metastases.KIND,
    other_malignancy.KIND,
    infection.KIND,
    pregnancy.PREGNANCY,
    pregnancy.BREASTFEEDING,
    pregnancy.CONTRACEPTION,
    conditions.CONDITION,
    conditions.HYPERSENSITIVITY,
    screening.KIND,
    biomarker.KIND,
    lab.KIND,
)
KINDS: dict[FactKind, Kind] = {k.kind: k for k in _ALL}
_EXTRACTING = tuple((k.needs, k.extract) for k in _ALL if k.extract is not None)


def extractors(found: set[str]) -> list[Extractor]:
    """The extractors that can find something in a criterion whose mentions have these labels and ids (a kind's
    ``needs``), in the order their facts appear."""
    return [extract for needs, extract in _EXTRACTING if not needs or not needs.isdisjoint(found)]


__all__ = ["KINDS", "Finding", "Kind", "extractors"]
