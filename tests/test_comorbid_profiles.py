"""The comorbid profiles (tests/comorbid): six RAIR-DTC patients written with the conditions, medicines and labs an
older thyroid cancer patient has (session 23). Matched against the tuning texts (`bench.violation_audit --panel
tests/comorbid --all FILE` for the thyroid texts; the session matched them against the HINT oncology texts too, as
`--sample-3` does), their violated outcomes outside relevance found cardiac29, infect29, past29 and lab29
(tests/audit/README.md, "After session 23's rules"); no audit measures them yet. Each must stay a valid profile."""

from __future__ import annotations

from pathlib import Path

from bench.violation_audit import load_panel

FOLDER = Path(__file__).parent / "comorbid"


def test_the_comorbid_profiles_are_valid_and_hold_conditions() -> None:
    loaded = load_panel(FOLDER)  # validates each against the patient schema
    assert sorted(p.patient.id for p in loaded) == sorted(path.stem for path in FOLDER.glob("*.json"))
    for profile in loaded:
        assert len(profile.patient.conditions) >= 6, profile.patient.id
