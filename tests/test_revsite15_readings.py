"""Second reading of site15 (tests/audit/revsite15_changes.txt): a sub-item's primary site that its lead-in already
asks of every patient is the lead-in's, not one of the alternatives' (NCT00625729: with 'CLL' now read in the sub-item,
the lead-in's blood cancer became one its alternatives define, met by another alternative, and the CLL/NHL trial was
'possible' for thyroid patients). The text is the registry's, wrapped as in the HINT record."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from matcher.eligibility.parser import parse_text

NCT00625729 = """Inclusion Criteria:

  -  Patient 18 years or older with a diagnosis of non-Hodgkin Lymphoma or chronic
     lymphocytic leukemia (NHL or CLL) and one of the following:

       -  Progression of NHL following at least 2 prior chemotherapy regimens, (must
          contain rituximab for all NHL and fludarabine for follicular NHL) defined as:

            -  failure to achieve partial remission (PR) with the last chemotherapy

            -  disease progression within 6 months following last chemotherapy

       -  Progression of CLL/SLL (small lymphocytic lymphoma) following at least 2 prior
          chemotherapy regimens (containing purine analogs ) in stage Rai III or IV or
          symptomatic disease.

       -  Relapsed NHL or CLL following stem cell transplantation for whom the option of
          donor lymphocyte infusion is not available or clinically indicated (e.g.
          recipients of autologous or umbilical cord blood [UCB] transplants).

  -  Karnofsky performance status > 60%
"""


def _sites_by_text() -> dict[str, list[tuple[str, ...]]]:
    return {
        " ".join(c.text.split())[:40]: [
            f.values.sites
            for f in c.facts
            if f.kind is FactKind.PRIMARY_SITE and isinstance(f.values, PrimarySiteValues) and not f.uncertain
        ]
        for c in parse_text(NCT00625729)
    }


def test_lead_in_keeps_the_site_its_sub_items_repeat() -> None:
    sites = _sites_by_text()
    assert sites["Patient 18 years or older with a diagnos"] == [("site.blood",)]
    assert sites["Progression of CLL/SLL (small lymphocyti"] == []
