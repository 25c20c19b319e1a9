"""The shipped vocabularies (drugs, classes, biomarkers, histologies, labs) and their validation on load."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from matcher.errors import RuleFileError
from matcher.knowledge_base import KnowledgeBase, load_knowledge, load_knowledge_from
from tests.conftest import SHARED, STUDIES


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


# --- drugs and classes -------------------------------------------------------------------------------------------


def test_lenvatinib_is_a_vegfr_mki_and_a_tki(kb: KnowledgeBase) -> None:
    classes = kb.drug_classes("drug.lenvatinib")
    assert {"class.vegfr_mki", "class.tki", "class.targeted_therapy"} <= classes
    assert "class.ret_selective" not in classes
    assert "class.immunotherapy" not in classes


@pytest.mark.parametrize(
    ("name", "drug_id"),
    [
        ("BAY 43-9006", "drug.sorafenib"),
        ("bay43-9006", "drug.sorafenib"),
        ("Nexavar", "drug.sorafenib"),
        ("E7080", "drug.lenvatinib"),
        ("e 7080", "drug.lenvatinib"),
        ("LENVIMA", "drug.lenvatinib"),
        ("LOXO-292", "drug.selpercatinib"),
        ("loxo292", "drug.selpercatinib"),
        ("BLU-667", "drug.pralsetinib"),
        ("XL184", "drug.cabozantinib"),
        ("Cabometyx®", "drug.cabozantinib"),
        ("ZD6474", "drug.vandetanib"),
        ("RXDX-101", "drug.entrectinib"),
        ("LOXO-101", "drug.larotrectinib"),
        ("GW786034", "drug.pazopanib"),
        ("SAHA", "drug.vorinostat"),
        ("LBH589", "drug.panobinostat"),
        ("sulfatinib", "drug.surufatinib"),
        ("rivoceranib", "drug.apatinib"),
        ("MK-3475", "drug.pembrolizumab"),
    ],
)
def test_drug_by_name_resolves_names_codes_and_brands(kb: KnowledgeBase, name: str, drug_id: str) -> None:
    drug = kb.drug_by_name(name)
    assert drug is not None
    assert drug.id == drug_id


def test_drug_by_name_unknown_is_none(kb: KnowledgeBase) -> None:
    assert kb.drug_by_name("placebo") is None


def test_selective_ret_class_is_only_for_selective_agents(kb: KnowledgeBase) -> None:
    selective = {d.id for d in kb.drugs.values() if "class.ret_selective" in kb.drug_classes(d.id)}
    assert {"drug.selpercatinib", "drug.pralsetinib"} <= selective
    assert not selective & {"drug.vandetanib", "drug.cabozantinib", "drug.lenvatinib", "drug.sorafenib"}
    assert "class.ret_inhibitor" in kb.drug_classes("drug.vandetanib")


def test_pd1_closure_reaches_checkpoint_inhibitor_and_immunotherapy(kb: KnowledgeBase) -> None:
    assert kb.class_closure("class.pd1_pdl1_inhibitor") == {
        "class.pd1_pdl1_inhibitor",
        "class.immune_checkpoint_inhibitor",
        "class.immunotherapy",
    }
    assert "class.immunotherapy" in kb.drug_classes("drug.ipilimumab")
    assert "class.targeted_therapy" not in kb.drug_classes("drug.pembrolizumab")


def test_chemotherapy_agents_are_chemotherapy_not_targeted(kb: KnowledgeBase) -> None:
    for name in ("doxorubicin", "paclitaxel", "carboplatin", "cisplatin", "gemcitabine", "oxaliplatin"):
        drug = kb.drug_by_name(name)
        assert drug is not None
        classes = kb.drug_classes(drug.id)
        assert "class.chemotherapy" in classes
        assert "class.targeted_therapy" not in classes


@pytest.mark.parametrize(
    ("phrase", "class_id"),
    [
        ("tyrosine kinase inhibitor", "class.tki"),
        ("TKIs", "class.tki"),
        ("VEGFR-targeted therapy", "class.vegfr_mki"),
        ("multi-kinase inhibitor", "class.vegfr_mki"),
        ("anti-angiogenic therapy", "class.vegf_pathway_inhibitor"),
        ("anti-PD-1", "class.pd1_pdl1_inhibitor"),
        ("immune check point inhibitors", "class.immune_checkpoint_inhibitor"),
        ("systemic cytotoxic chemotherapy", "class.chemotherapy"),
        ("selective RET inhibitor(s)", "class.ret_selective"),
        ("mTOR inhibitor", "class.mtor_inhibitor"),
        ("histone deacetylase inhibitor", "class.hdac_inhibitor"),
    ],
)
def test_class_phrasings_from_trial_texts(kb: KnowledgeBase, phrase: str, class_id: str) -> None:
    drug_class = kb.class_by_name(phrase)
    assert drug_class is not None
    assert drug_class.id == class_id


def test_every_drug_reaches_a_broad_class_and_cites_its_source(kb: KnowledgeBase) -> None:
    broad = {
        "class.targeted_therapy",
        "class.chemotherapy",
        "class.immunotherapy",
        "class.immunomodulatory_drug",
        "class.ppar_gamma_agonist",
    }
    for drug in kb.drugs.values():
        assert kb.drug_classes(drug.id) & broad, drug.id
        assert re.match(r"seed( Table 1|: )", drug.cite) or "general pharmacology (not in seed)" in drug.cite, drug.id


_SUFFIX = re.compile(r"\b[a-z]+(?:tinib|fenib|zumab|ximab|limus|platin|taxel|rubicin|citabine|trectinib)\b", re.I)
_NOT_ANTICANCER = {"tacrolimus"}  # an immunosuppressant named in exclusion lists


def test_drug_names_in_real_thyroid_criteria_resolve(kb: KnowledgeBase) -> None:
    texts = [
        json.loads(p.read_text(encoding="utf-8"))["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
        for p in STUDIES.glob("*.json")
    ]
    trec = SHARED / "bench" / "trec2021_topic11_thyroid" / "trials"
    texts += [json.loads(p.read_text(encoding="utf-8")).get("raw_criteria") or "" for p in trec.glob("*.json")]
    names = {m.lower() for text in texts for m in _SUFFIX.findall(text)} - _NOT_ANTICANCER
    assert len(names) > 20
    assert sorted(n for n in names if kb.drug_by_name(n) is None) == []


# --- labs --------------------------------------------------------------------------------------------------------


def _convert(kb: KnowledgeBase, lab: str, value: float, unit: str) -> float | None:
    test = kb.lab_by_name(lab)
    assert test is not None, lab
    return test.to_canonical(value, unit)


def test_creatinine_umol_to_mg_dl(kb: KnowledgeBase) -> None:
    for unit in ("µmol/L", "μmol/L", "umol/l"):
        assert _convert(kb, "serum creatinine", 88.4, unit) == pytest.approx(1.0, rel=1e-4)
    assert _convert(kb, "creatinine", 1.5, "mg/dL") == 1.5


@pytest.mark.parametrize("unit", ["/µL", "/μL", "/uL", "/mcL", "/mm3", "/mm³", "cells/mm3", "cells/µL"])
def test_anc_per_microlitre_to_10e9_per_litre(kb: KnowledgeBase, unit: str) -> None:
    assert _convert(kb, "ANC", 1500, unit) == pytest.approx(1.5)


@pytest.mark.parametrize("unit", ["×109/L", "x109/L", "x 109/L", "10^9/L", "× 10^9/L", "10⁹/L", "x 10*9/L", "G/L"])
def test_count_spellings_of_10e9_per_litre(kb: KnowledgeBase, unit: str) -> None:
    assert _convert(kb, "absolute neutrophil count", 1.5, unit) == pytest.approx(1.5)
    assert _convert(kb, "platelets", 100, unit) == pytest.approx(100)


@pytest.mark.parametrize(
    ("lab", "value", "unit", "expected"),
    [
        ("total bilirubin", 17.1, "µmol/L", 1.0),
        ("hemoglobin", 90, "g/L", 9.0),
        ("Hgb", 6.206, "mmol/L", 10.0),
        ("albumin", 25, "g/L", 2.5),
        ("calcium", 2.495, "mmol/L", 10.0),
        ("TSH", 0.4, "mcU/ml", 0.4),
        ("TSH", 0.5, "µIU/mL", 0.5),
        ("SGOT", 1, "µkat/L", 60.0),
        ("CrCl", 60, "mL/min/1.73 m²", 60.0),
        ("UPCR", 113.12, "mg/mmol", 1.0),
        ("24-hour urine protein", 500, "mg/24 hours", 0.5),
        ("glucose", 5.55, "mmol/L", 100.0),
        ("INR", 1.2, "", 1.2),
        ("aPTT", 40, "sec", 40.0),
    ],
)
def test_unit_conversions(kb: KnowledgeBase, lab: str, value: float, unit: str, expected: float) -> None:
    assert _convert(kb, lab, value, unit) == pytest.approx(expected, rel=2e-3)


def test_unknown_unit_is_none(kb: KnowledgeBase) -> None:
    assert _convert(kb, "creatinine", 1.0, "furlongs") is None
    assert _convert(kb, "hemoglobin", 9, "mg/dL") is None  # a typo seen in real criteria, not a conversion


def test_lab_names_from_trial_texts(kb: KnowledgeBase) -> None:
    expected = {"SGPT": "lab.alt", "TBIL": "lab.bilirubin_total", "PLT": "lab.platelets", "eGFR": "lab.egfr"}
    for name, lab_id in expected.items():
        lab = kb.lab_by_name(name)
        assert lab is not None and lab.id == lab_id
    assert kb.labs["lab.ast"].uln_allowed
    assert not kb.labs["lab.anc"].uln_allowed


# --- histologies and genes ---------------------------------------------------------------------------------------


def test_dtc_members(kb: KnowledgeBase) -> None:
    dtc = kb.histology_members("hist.dtc")
    assert {"papillary", "follicular", "oncocytic", "poorly_differentiated"} == dtc
    assert "anaplastic" not in dtc
    assert "medullary" not in dtc
    assert {"anaplastic", "medullary"} <= kb.histology_members("hist.thyroid_cancer")
    assert kb.histology_members("hist.ptc_tall_cell") == {"papillary"}


@pytest.mark.parametrize(
    ("phrase", "hist_id"),
    [
        ("Hürthle cell carcinoma", "hist.oncocytic"),
        ("Hurthle cell", "hist.oncocytic"),
        ("insular", "hist.poorly_differentiated"),
        ("follicular variant of papillary", "hist.ptc_follicular_variant"),
        ("undifferentiated thyroid cancer", "hist.anaplastic"),
        ("MTC", "hist.medullary"),
        ("differentiated thyroid carcinoma", "hist.dtc"),
        ("thyroid carcinoma", "hist.thyroid_cancer"),
    ],
)
def test_histology_phrasings(kb: KnowledgeBase, phrase: str, hist_id: str) -> None:
    histology = kb.histology_by_name(phrase)
    assert histology is not None
    assert histology.id == hist_id


def test_genes_and_groups(kb: KnowledgeBase) -> None:
    braf = kb.gene_by_name("B-RAF")
    assert braf is not None
    assert "alt.braf.v600e" in {a.id for a in braf.alterations}
    ras = kb.gene_by_name("RAS")
    assert ras is not None and set(ras.members) == {"gene.hras", "gene.kras", "gene.nras"}
    her2 = kb.gene_by_name("HER2")
    assert her2 is not None and her2.id == "gene.erbb2"


# --- validation of broken files ----------------------------------------------------------------------------------


def _corrupt(tmp_path: Path, name: str, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    """A copy of the shipped files with one change to the entries of `name`."""
    directory = tmp_path / "knowledge"
    shutil.copytree(
        Path(str(resources.files("matcher.knowledge"))), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    path = directory / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["entries"])
    path.write_text(json.dumps(data), encoding="utf-8")
    return directory


def _entry(entries: list[dict[str, Any]], entry_id: str) -> dict[str, Any]:
    return next(e for e in entries if e["id"] == entry_id)


def _fails(directory: Path, name: str, entry: str, words: str) -> None:
    with pytest.raises(RuleFileError) as info:
        load_knowledge_from(directory)
    assert info.value.path == str(directory / name)
    assert info.value.entry == entry
    assert words in str(info.value)


def test_copied_files_load(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "drugs.json", lambda entries: None)
    assert load_knowledge_from(directory) == load_knowledge()


def test_unknown_key_is_rejected_with_allowed_keys(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "drugs.json", lambda e: _entry(e, "drug.sorafenib").update(colour="red"))
    _fails(directory, "drugs.json", "drug.sorafenib", "unknown key(s) ['colour']; allowed keys: ['cite', 'classes'")


def test_missing_key_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "labs.json", lambda e: _entry(e, "lab.creatinine").pop("uln_allowed"))
    _fails(directory, "labs.json", "lab.creatinine", "missing required key 'uln_allowed'")


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    def duplicate(entries: list[dict[str, Any]]) -> None:
        entries.append({**_entry(entries, "drug.lenvatinib"), "name": "lenvatinib again", "synonyms": []})

    _fails(_corrupt(tmp_path, "drugs.json", duplicate), "drugs.json", "drug.lenvatinib", "duplicate id")


def test_wrong_id_prefix_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "histologies.json", lambda e: _entry(e, "hist.medullary").update(id="medullary"))
    _fails(directory, "histologies.json", "medullary", "id must start with 'hist.'")


def test_dangling_class_reference_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "drugs.json", lambda e: _entry(e, "drug.lenvatinib")["classes"].append("class.nope"))
    _fails(directory, "drugs.json", "drug.lenvatinib", "unknown id 'class.nope'")


def test_parent_cycle_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(
        tmp_path, "drug_classes.json", lambda e: _entry(e, "class.tki")["parents"].append("class.vegfr_mki")
    )
    with pytest.raises(RuleFileError, match="cycle in parents") as info:
        load_knowledge_from(directory)
    assert info.value.path == str(directory / "drug_classes.json")
    assert info.value.entry in {"class.tki", "class.vegfr_mki"}


def test_negative_unit_factor_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "labs.json", lambda e: _entry(e, "lab.creatinine")["units"].update({"umol/L": -1}))
    _fails(directory, "labs.json", "lab.creatinine", "'umol/L': factor must be a positive number")


def test_spellings_of_one_unit_must_agree(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "labs.json", lambda e: _entry(e, "lab.anc")["units"].update({"/mcL": 1.0}))
    _fails(directory, "labs.json", "lab.anc", "are one spelling, factors differ")


def test_synonym_clash_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "drugs.json", lambda e: _entry(e, "drug.lenvatinib")["synonyms"].append("NEXAVAR"))
    _fails(directory, "drugs.json", "drug.lenvatinib", "synonym 'NEXAVAR' also names drug.sorafenib")


def test_bad_profile_value_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(
        tmp_path, "histologies.json", lambda e: _entry(e, "hist.follicular").update(profile_value="FTC")
    )
    _fails(directory, "histologies.json", "hist.follicular", "profile_value must be in")


def test_group_membership_must_be_listed_both_ways(tmp_path: Path) -> None:
    directory = _corrupt(
        tmp_path, "histologies.json", lambda e: _entry(e, "hist.dtc")["members"].remove("hist.oncocytic")
    )
    _fails(directory, "histologies.json", "hist.oncocytic", "disagree on whether it belongs to hist.dtc")


def test_bad_alteration_kind_is_rejected(tmp_path: Path) -> None:
    directory = _corrupt(
        tmp_path, "biomarkers.json", lambda e: _entry(e, "gene.braf")["alterations"][0].update(kind="deletion")
    )
    _fails(directory, "biomarkers.json", "alt.braf.v600e", "kind 'deletion' not in")


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    directory = _corrupt(tmp_path, "labs.json", lambda entries: None)
    (directory / "labs.json").write_text("{not json", encoding="utf-8")
    _fails(directory, "labs.json", "(file)", "cannot read JSON")
