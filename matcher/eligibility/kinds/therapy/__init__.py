"""Prior therapy and washouts: drugs, classes and categories named in a criterion, with counts, windows (calendar
units) and exceptions; the evaluator reads the patient's treatment history.

A window belongs to the mentions before it ("anticancer treatment within 21 days or any investigational agent
within 30 days" -> two facts); a progression between a therapy and a window takes the window ("progressed within
14 months ... and was treated with cabozantinib": no cabozantinib window). The trial's own drug named as a time
anchor ("prior to planned start of LOXO-292", "OOL Lenvatinib Treatment Period") is not a prior therapy, nor is
the treatment of a condition ("infection requiring systemic therapy") or what a definition calls systemic.

The kind is a package, read in this order:
- `evaluator`: the typed values (`TherapyValues`) and how a patient's treatment history meets them.
- `extract`: the extractor: the therapies a criterion names, their windows, counts and exceptions, one fact per
  window (`_clause_facts` runs the steps below on each).
- `refine`: how the words around a reading narrow, widen or split its values before the doubts read it.
- `doubts`: why a reading is uncertain (`_doubt`), grouped by what the text says that the reading does not hold:
  the therapy is not the patient's history (a need, a plan, the study's time, the protocol's schedule), the text asks
  nothing, a way in without it, a count, a negation, a window or washout, a permission or exception, a qualifier the
  profile does not record.
- `diseases`: what a therapy was given for, when the clause names another cancer or disease.
- `reading`: the words around a therapy's mention that both the extractor and the doubts read.
- `across`: the passes over a trial's whole list (a route in for the untreated on another line, an exclusion that
  tells no time, a therapy the trial itself gives).
"""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.base import Kind
from matcher.eligibility.kinds.therapy.across import (
    given_by_the_trial,
    other_than_allowed,
    untreated_routes_among,
    used_now_in_the_trial,
)
from matcher.eligibility.kinds.therapy.evaluator import TherapyValues, evaluate, in_another_cancer
from matcher.eligibility.kinds.therapy.extract import extract
from matcher.eligibility.text import THERAPY_CONCEPTS, THERAPY_LABELS

# GENE: a target of a shared "inhibitor(s)" ("BRAF or MEK inhibitors", `_elided_classes`)
KIND = Kind(
    FactKind.PRIOR_THERAPY,
    TherapyValues,
    extract,
    evaluate,
    frozenset({*THERAPY_LABELS, *THERAPY_CONCEPTS, "GENE"}),
    in_another_cancer,
)


__all__ = [
    "KIND",
    "TherapyValues",
    "evaluate",
    "extract",
    "given_by_the_trial",
    "other_than_allowed",
    "untreated_routes_among",
    "used_now_in_the_trial",
]
