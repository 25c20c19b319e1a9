"""Body regions a radiotherapy can be restricted to, read both ways: from the trial's words for the site ("Any prior
radiation above the clavicles", "No prior radiotherapy to the head and neck") and from the names of the patient's
radiotherapies ("external beam radiotherapy to the thyroid bed and neck, 66 Gy"). Three regions have bounds a name
can be read against: all above the clavicles (the brain with the neck), the head and neck as oncology names it (the
neck, the throat, the mouth, the sinuses: not the brain), and the neck. A name that names a site in the region is in
it, wherever else it was given ("to the neck and upper mediastinum"); one that names only sites outside it ("whole
breast radiotherapy, left", "to T10 vertebra") is not; any other name ("palliative radiotherapy", "to cervical and
upper mediastinal lymph nodes", "to the spine") may be (mend31)."""

from __future__ import annotations

import re

from matcher.eligibility.cues import QuickPattern
from matcher.eligibility.kinds.base import lazy_regex

ABOVE_CLAVICLES = "region above the clavicles"
HEAD_AND_NECK = "head and neck"
NECK = "neck"

# The trial's words for a region, the widest first
_ASKED = (
    (lazy_regex(r"\babove\s+the\s+clavicles?\b", re.IGNORECASE), ABOVE_CLAVICLES),
    (lazy_regex(r"\bhead\s*(?:and\s*/\s*or|and|&|/|or)\s*neck\b", re.IGNORECASE), HEAD_AND_NECK),
    (lazy_regex(r"\bneck\b", re.IGNORECASE), NECK),
)
# A bone's or an organ's part named "head" or "neck": "femoral neck", "head of the humerus", "pancreatic head"
_PART_OF = lazy_regex(
    r"\b(?:femoral|humeral|radial|pancreatic|bladder)\s+(?:head|neck)\b|"
    r"\b(?:head|neck)\s+of\s+(?:the\s+)?(?:left\s+|right\s+)?(?:femur|humerus|radius|pancreas|bladder|rib)\b",
    re.IGNORECASE,
)
# The sites a radiotherapy's name can give, by region. The thyroid as a site ("thyroid bed", "to the thyroid"), not
# as the cancer ("metastasis of thyroid cancer"); the cervical vertebrae, not "cervical" alone (the uterine cervix)
_NECK = (
    r"neck|thyroid\s+bed|to\s+the\s+thyroid(?!\s+cancer)|laryn\w*|glott\w*|(?<!naso)pharyn\w*|trache\w*|"
    r"supraclavicular|central\s+compartment|C[1-7](?=\s*(?:-\s*C?\d\s*)?vertebra)"
)
_HEAD_AND_NECK = r"oral|mouth|tongue|tonsil\w*|parotid|salivary|nasopharyn\w*|sinus\w*|nasal|mandib\w*|maxill\w*"
_HEAD = r"head|brain|cranial|cranium|skull|scalp|orbit\w*|WBRT"
# Sites below the clavicles (a vertebra by its letter: T, L, S)
_BELOW = (
    r"breasts?|chest|thora\w*|lungs?|pulmonary|mediastin\w*|abdom\w*|pelvi\w*|liver|hepatic|prostate|rect\w*|"
    r"bladder|femurs?|femoral|humerus|humeral|hips?|knees?|sacrum|sacral|lumbar|"
    r"[TLS]\d{1,2}(?=\s*(?:-\s*[TLS]?\d{1,2}\s*)?vertebra)"
)
# Words that give a site a name may hide in the region or out of it: "to the spine", "cervical lymph nodes"
_UNPLACED = r"spine|spinal|bones?|bony|nodes?|nodal|lymph\w*|cervical|shoulder"


def _words(*alternations: str) -> QuickPattern:
    """Any word of the alternations, case aside."""
    return lazy_regex(rf"\b(?:{'|'.join(alternations)})\b", re.IGNORECASE)


_BELOW_WORDS = _words(_BELOW)
# By region: the sites in it, outside it, and not placed (the brain for oncology's head and neck)
_INSIDE = {
    ABOVE_CLAVICLES: _words(_NECK, _HEAD_AND_NECK, _HEAD),
    HEAD_AND_NECK: _words(_NECK, _HEAD_AND_NECK),
    NECK: _words(_NECK),
}
_OUTSIDE = {ABOVE_CLAVICLES: _BELOW_WORDS, HEAD_AND_NECK: _BELOW_WORDS, NECK: _words(_BELOW, _HEAD_AND_NECK, _HEAD)}
_UNPLACED_WORDS = {
    ABOVE_CLAVICLES: _words(_UNPLACED),
    HEAD_AND_NECK: _words(_UNPLACED, _HEAD),
    NECK: _words(_UNPLACED),
}


def region_asked(site: str) -> str | None:
    """The region the trial's words for a site name, None when they name none we bound ("whole brain", "25% of bone
    marrow") or name another site beside it ("Prior thoracic or neck radiotherapy", NCT00356941: "to the neck and/or
    thorax")."""
    if _BELOW_WORDS.search(site):
        return None
    region = next((region for pattern, region in _ASKED if pattern.search(site)), None)
    return None if region == NECK and _OUTSIDE[NECK].search(site) else region  # "the neck and the brain"


def in_region(name: str, region: str) -> bool | None:
    """Whether a radiotherapy of this name was given in the region; None when its name does not tell."""
    parts = _PART_OF.sub(" femur ", name)  # "femoral neck" is a femur's
    if _INSIDE[region].search(parts):
        return True  # given there, wherever else too ("to the neck and upper mediastinum")
    return False if _OUTSIDE[region].search(parts) and not _UNPLACED_WORDS[region].search(parts) else None
