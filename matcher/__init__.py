"""matcher: ClinicalTrials.gov trials for radioiodine-refractory thyroid cancer, matched criterion by criterion."""

__version__ = "0.1.0"
