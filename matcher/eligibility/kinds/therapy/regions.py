"""Body regions a radiotherapy can be restricted to, read both ways: from the trial's words for the site ("Any prior
radiation above the clavicles", "No prior radiotherapy to the neck") and from the names of the patient's
radiotherapies ("external beam radiotherapy to the thyroid bed and neck, 66 Gy"). Only regions whose bounds a name
can be read against: the neck, and the head and neck (all above the clavicles). A name that names a site in the
region is in it; one that names only sites elsewhere ("whole breast radiotherapy, left", "to T10 vertebra") is not;
one that names none, or a site we cannot place ("spine", "bone"), may be (mend31)."""

from __future__ import annotations

import re

from matcher.eligibility.kinds.base import lazy_regex

NECK = "neck"
HEAD_AND_NECK = "head and neck"

# The trial's words for the wider region: "above the clavicles", "head and neck", "head or neck"
_HEAD_AND_NECK_ASKED = lazy_regex(r"\babove\s+the\s+clavicles?\b|\bhead\s*(?:and|&|/|or)\s*neck\b", re.IGNORECASE)
_NECK_ASKED = lazy_regex(r"\bneck\b", re.IGNORECASE)
# The sites a radiotherapy's name can give, by region. The cervical vertebrae are the neck's; "cervical" alone is not
# read (the uterine cervix).
_NECK = lazy_regex(r"\b(?:neck|thyroid|laryn\w*|pharyn\w*|supraclavicular|C[1-7])\b", re.IGNORECASE)
_HEAD = lazy_regex(
    r"\b(?:head|brain|cranial|cranium|skull|oral|tonsil\w*|parotid|orbit\w*|nasopharyn\w*|sinus\w*|scalp)\b",
    re.IGNORECASE,
)
# Sites below the clavicles: a name that gives one and none above is outside both regions; the trial's words that
# give one beside the neck ("Prior thoracic or neck radiotherapy", NCT00356941) ask of a region we do not bound
_BELOW = lazy_regex(
    r"\b(?:breasts?|chest|thora\w*|lungs?|pulmonary|mediastin\w*|abdom\w*|pelvi\w*|liver|hepatic|prostate|rect\w*|"
    r"bladder|femurs?|femoral|humerus|humeral|hips?|knees?|sacrum|sacral|lumbar|[TLS]\d{1,2})\b",
    re.IGNORECASE,
)


def region_asked(site: str) -> str | None:
    """The region the trial's words for a site name, None when they name none we bound ("whole brain", "25% of bone
    marrow", "the neck and/or thorax")."""
    if _BELOW.search(site):
        return None
    if _HEAD_AND_NECK_ASKED.search(site):
        return HEAD_AND_NECK
    return NECK if _NECK_ASKED.search(site) and not _HEAD.search(site) else None


def in_region(name: str, region: str) -> bool | None:
    """Whether a radiotherapy of this name was given in the region; None when its name does not tell."""
    if _NECK.search(name) or (region == HEAD_AND_NECK and _HEAD.search(name)):
        return True
    return False if _BELOW.search(name) else None
