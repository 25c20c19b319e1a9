"""Review of therapy 10 (issue 10; tests/audit/rev10_changes.txt): no reading changed, the reasons say again what is
uncertain. A sited radiotherapy's reason quotes the site, share or kind ("pelvic", "to more than 10% of bone marrow"),
not the therapy's name; a rule for some patients is named before what the fact reads (whom the rule is for comes
first, as before therapy 10); a setting
is quoted whole ("neoadjuvant or adjuvant"). Each line is registry text, with the trial it came from."""

from __future__ import annotations

import pytest

from tests.readings import therapy_facts as _therapy

REASONS = [
    (  # NCT01286818: the site, not "radiotherapy"
        "Exclusion",
        "Has received wide-field (full-dose pelvic) radiotherapy within 28 days prior to study registration",
        "radiotherapy of a named site, share or kind ('pelvic')",
    ),
    (  # NCT00003382: the share of the marrow, "bone marrow" whole
        "Inclusion",
        "No prior radiotherapy to more than 10% of bone marrow",
        "('to more than 10% of bone marrow')",
    ),
    (  # NCT02087059
        "Exclusion",
        "Splenic irradiation within 12 months before screening",
        "('Splenic')",
    ),
    (  # NCT01335204: a kind, not a site
        "Exclusion",
        "Systemic radiotherapy (Sm-153, Sr-89) within 56 days before study day 1.",
        "('Systemic radiotherapy')",
    ),
    (  # NCT00301938: a rule for the patients with a mediastinal radiation, not a radiotherapy of a site
        "Inclusion",
        "Patients with a history of cardiac disease or mediastinal radiation should undergo testing of "
        "ventricular function",
        "a rule for some patients",
    ),
    (  # NCT00085566
        "Inclusion",
        "Patients who had prior interstitial brachytherapy or stereotactic radiosurgery must have confirmation of "
        "true disease progression (rather than radiation necrosis) by positron-emission tomography scan, thallium "
        "scanning, magnetic resonance spectroscopy, or surgical documentation",
        "a rule for some patients",
    ),
    (  # NCT00066703: the setting whole
        "Inclusion",
        "No prior neoadjuvant or adjuvant chemotherapy",
        "('neoadjuvant or adjuvant')",
    ),
]


@pytest.mark.parametrize(("section", "line", "reason"), REASONS)
def test_rev10_reason_names_the_uncertainty(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(reason in (f.uncertain or "") for f in facts), [(f.values, f.uncertain) for f in facts]
