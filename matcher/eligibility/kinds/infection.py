"""Infections: HIV, hepatitis B and C, tuberculosis, active infection requiring treatment."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.conditions import current
from matcher.eligibility.text import (
    CriterionText,
    Mention,
    clause_start,
    clause_stop,
    lets_in,
    make_fact,
    sentence_start,
    sentence_stop,
)
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Condition, Patient

_AGENTS = {"concept.hiv": "HIV", "concept.hepatitis_b": "hepatitis B", "concept.hepatitis_c": "hepatitis C",
           "concept.hepatitis": "hepatitis", "concept.tuberculosis": "tuberculosis",
           "concept.infection": "active infection"}  # fmt: skip
_HEPATITIS = ("concept.hepatitis", "concept.hepatitis_b", "concept.hepatitis_c")
# The types a hepatitis mention names, read from the words themselves, because a longer phrase can hide the letter
# from the vocabulary ("chronic hepatitis B", "active hepatitis B or hepatitis C") and a list can share the word
# ("hepatitis B or C", "infectious hepatitis, type A, B, or C", "hepatitis c and/or hepatitis b"). B and C are
# written in either case; A only as a capital, since "hepatitis, a history of ..." is no type.
_TYPE = r"(?:(?i:[BC])|A)\b(?!-\w)"  # not "C-reactive protein"
_HEPATITIS_TYPES = lazy_regex(
    r"(?i:hepatitis)[\s,]*(?i:types?\s+)?" + _TYPE
    + r"(?:\s*(?:,|/|&)?\s*(?i:\bor\b|\band/or\b|\band\b)?\s*(?i:hepatitis\s+)?" + _TYPE + ")*"
)  # fmt: skip
_LETTER = lazy_regex(r"\b[ABCbc]\b")


class InfectionValues(Values, frozen=True):
    agents: tuple[str, ...]
    # the agents the text asks of in an active state ("Active hepatitis B or C"): an inactive carrier on file is not
    # known to be one (infect29)
    active: tuple[str, ...] = ()
    # the agents a later sentence lets some patients with in ("Patients who test positive for Hepatitis B surface
    # Antigen ... will be eligible if they are negative for HBV-DNA"): one of them on file is not known to be barred
    let_in: tuple[str, ...] = ()
    # the agents the text bars under a treatment it names before them ("No concurrent combination antiretroviral
    # therapy for HIV-positive patients"), and that treatment as written: one of them on file bars the patient only on
    # that treatment ("Concurrent interferon therapy against Hepatitis B Virus", NCT02029157, comorbid sample 35's CU161)
    treated: tuple[str, ...] = ()
    treatment: str | None = None
    # what the text asks of an active infection beyond its being active (`_asked_states`: "uncontrolled", "serious",
    # "systemic", "intravenous", "site"): one on file meets the line only where its name or status says each
    # (`_STATES_TOLD`; a site never)
    asked: tuple[str, ...] = ()
    # the agents asked acute ("Septicemia, severe infection, or acute hepatitis"): a chronic one on file is not known to
    # be one; only a condition whose name or status says "acute" is (comorbid sample 68's EB298, mend73)
    acute: tuple[str, ...] = ()


# "active" (or "uncontrolled") right before an agent, across a word or two: "Active hepatitis B or C", "active viral
# hepatitis", "known to have active hepatitis B", "Active or uncontrolled infection of hepatitis B" (NCT01717898), "or
# active with hepatitis B virus (HBV)" (NCT02264574, comorbid sample 35's CU165); "acute" too: "No acute hepatitis"
# (NCT00467116), "known active or acute hepatitis" (NCT01694589, comorbid sample 37's CW224, CW234). Not "active or
# chronic hepatitis B", which a carrier meets. "Clinically significant" too, across "concurrent": "clinically
# significant concurrent hepatitis" (NCT01062230, comorbid sample 40's CZ237; mend42); "symptomatic": "disease involving
# the ... liver (including symptomatic hepatitis, veno-occlusive disease, ...)" (NCT00602225, comorbid sample 42's
# DB239; mend43); "uncompensated": "No uncompensated HIV without adequate CD4" (NCT01076556, comorbid sample 47's
# DG276); across "or other" and "infection of the": "clinically active liver disease, including active viral or other
# hepatitis" (NCT01064622, DG218), "active infection of the HCV and HBV" (NCT03602495, DG235; mend49)
_ACTIVE_BEFORE = lazy_regex(
    r"\b(?:active|uncontrolled|uncompensated|acute|symptomatic|clinically\s+significant)\s+"
    r"(?:(?:viral|infectious|chronic|known|concurrent|infection\s+(?:with|of)(?:\s+the)?|with|"
    r"(?:and/)?or\s+(?:active|acute|other))\s+){0,3}$",
    re.IGNORECASE,
)


# ... or an agent given as an example of an uncontrolled infection (infect30): "No clinically uncontrolled infectious
# disease including HIV or AIDS-related illness" (NCT00091572), "No active uncontrolled viral (including HIV), bacterial,
# or fungal infection" (NCT00334932): an HIV controlled on antiretroviral therapy is not known to be one. Not of an
# active one: "Clinically significant and active infection, including but not limited to HIV infection" (NCT02614495)
# counts HIV among them, and an HIV infection is lifelong (violations.jsonl v0956)
_EXAMPLES_AFTER = r"[^.;]{0,40}?(?:\(\s*|,\s*|\s)(?:including|e\.\s*g\.|such\s+as|i\.\s*e\.)[^.;]*$"  # to the agent
_UNCONTROLLED_EXAMPLES = lazy_regex(
    r"\buncontrolled\s+(?:[\w-]+\s+){0,2}?(?:infect|viral|bacterial)" + _EXAMPLES_AFTER, re.IGNORECASE
)
# ... or in a sentence that opens on an uncontrolled illness and gives examples: "Uncontrolled intercurrent illness
# including, but not limited to, ongoing or active infection, including HIV, active hepatitis B or C, ..." (NCT01418001,
# comorbid sample 34's CT218), "... active liver disease including viral or non-viral hepatitis and cirrhosis"
# (NCT02782182, CT172): an HIV controlled on antiretroviral therapy, an inactive carrier, is not known to be one
_UNCONTROLLED_ILLNESS = lazy_regex(
    r"\W*(?:any\s+)?uncontrolled\s+(?:[\w-]+\s+){0,2}?(?:illness(?:es)?|diseases?|conditions?)\b[\s,]*"
    r"(?:including|such\s+as|e\.\s*g\.)",
    re.IGNORECASE,
)
# ... or in a list whose head asks its items active: "No active or uncontrolled infections, serious illnesses,
# malabsorption syndrome or medical conditions, hepatitis, HIV, and/or cirrhosis" (NCT00623064, comorbid sample 38's
# CX226): a hepatitis only, of which an inactive carrier is a kind; an HIV listed there is barred as named, and a
# head of another kind ("Active autoimmune diseases, HIV, hepatitis B") asks nothing of the list (the review of rules
# 59). A plural head and a comma after it: "Active infection or hepatitis B" asks no state of the hepatitis
_ACTIVE_LIST_HEAD = lazy_regex(
    r"\W*(?:no\s+)?(?:known\s+)?(?:active|uncontrolled)(?:\s+(?:and/or|or)\s+(?:active|uncontrolled))?\s+"
    r"infections,[^.;]*",
    re.IGNORECASE,
)
# ... or a hepatitis named bare in a bracket of conditions after an active disease: "Active hepatic disease (hepatitis,
# cirrhosis)" (NCT02066454, comorbid sample 41's DA237; mend42). Not a bracket that names a state the carrier has
# ("Active liver disease (including hepatitis B carriers)", "(e.g., hepatitis B surface antigen positive)") or makes a
# statement ("(patients with hepatitis B or C infection are excluded)"), nor "chronic or active liver disease", which
# a carrier has (the review of rules 62)
_GRAVE_CONDITION = r"\s+(?:[\w-]+\s+){0,2}?(?:illness(?:es)?|diseases?|conditions?|disorders?)\b"
_ACTIVE_DISEASE_ASIDE = lazy_regex(
    r"(?<!chronic or )(?<!chronic and/or )\b(?:active|uncontrolled)" + _GRAVE_CONDITION + r"\s*\([^()]*$", re.IGNORECASE
)
_STATEMENT = lazy_regex(r"\b(?:patients|subjects|is|are|excluded|eligible|allowed|permitted)\b", re.IGNORECASE)
# ... or a hepatitis given as an example of an active infection: "active infection including hepatitis B, hepatitis C
# and human immunodeficiency virus (HIV)" (NCT02296125, comorbid sample 43's DC241; mend44). Not the HIV, which is
# counted among active infections as it is lifelong (`_UNCONTROLLED_EXAMPLES`), nor a hepatitis the line defines by
# a state a carrier has, "hepatitis B (known positive HBV surface antigen (HBsAg) result)" (NCT03753919)
# (across a list of kinds: "a known active fungal, bacterial, or viral infection including ... viral (A, B, or C)
# hepatitis", NCT02451943, comorbid sample 54's DN166)
_ACTIVE_INFECTION_EXAMPLES = lazy_regex(
    r"\bactive\s+(?:[\w-]+,?\s+){0,4}?infections?\b" + _EXAMPLES_AFTER, re.IGNORECASE
)
# A lead-in that asks its items grave ("No serious illnesses or medical conditions, including any of the following:" /
# "Hepatitis", NCT00424164, comorbid sample 40's CZ234): a hepatitis item named bare is asked active, which an
# inactive carrier is not known to be (`under_grave_lead`; mend42). Not an item that names a state of its own
# ("chronic hepatitis B", "HBsAg positive", "Prior or current hepatitis B"), which a carrier has as named; a hepatitis
# alone, as `_ACTIVE_LIST_HEAD`. Unlike a cardiac lead-in's gravity (`cardiac.under_qualified_lead`, which passes on a
# state only), "serious" passes on here: a hepatitis is an infection that is active or not, as a rhythm is controlled
GRAVE_LEAD = lazy_regex(
    r"\b(?:serious|severe|uncontrolled|active|(?:clinically\s+)?significant)" + _GRAVE_CONDITION, re.IGNORECASE
)
# An exposure to an agent, not an infection with it: "History of new hepatitis C exposure within the last 6 months"
# (NCT00882193, comorbid sample 68's EB329, mend73)
_EXPOSURE_AFTER = lazy_regex(r"\s+(?:virus\s+)?exposures?\b", re.IGNORECASE)
# "acute" alone right before an agent ("acute hepatitis"), not as one of two states ("active or acute", "acute or
# chronic")
_ACUTE_BEFORE = lazy_regex(r"(?<!active or )(?<!chronic or )\bacute\s+(?:viral\s+)?$", re.IGNORECASE)
_OWN_STATE = lazy_regex(
    r"\b(?:chronic|carriers?|history|prior|previous|past|current|ever|any|resolved|positiv\w*|seropositiv\w*|HBsAg|"
    r"antigen|antibod\w*|DNA|RNA|serolog\w*)\b",
    re.IGNORECASE,
)


def _bare(text: str, start: int) -> bool:
    """Whether the hepatitis named at ``start`` is named without a state of its own (`_OWN_STATE`), in the words of its
    item of a list: from the last comma, semicolon or bracket before it to the next after it."""
    before = max(text.rfind(mark, 0, start) for mark in ",;(")
    after = min((i for i in (text.find(mark, start) for mark in ",;)") if i >= 0), default=len(text))
    return not _OWN_STATE.search(text, before + 1, after)


def _in_bracket_of_conditions(c: CriterionText, m: Mention) -> bool:
    """Whether a hepatitis named bare stands in a bracket of conditions after an active disease
    (`_ACTIVE_DISEASE_ASIDE`)."""
    found = _ACTIVE_DISEASE_ASIDE.search(c.text, sentence_start(c.text, m.start), m.start)
    if found is None:
        return False
    opened = c.text.rfind("(", 0, m.start)
    closed = c.text.find(")", m.start)
    bracket = c.text[opened + 1 : closed if closed >= 0 else len(c.text)]
    return not _STATEMENT.search(bracket) and _bare(c.text, m.start)


def under_grave_lead(fact: Fact, text: str) -> Fact:
    """A sub-item's hepatitis named bare (``text``, the item's words) under a lead-in that asks its items grave
    (`GRAVE_LEAD`): asked active."""
    v = fact.values
    at = text.lower().find("hepatitis")
    if not isinstance(v, InfectionValues) or at < 0 or not _bare(text, at):
        return fact
    hepatitis = tuple(a for a in v.agents if a.startswith("hepatitis") and a not in v.active)
    return fact.changed(values=v.changed(active=(*v.active, *hepatitis))) if hepatitis else fact


# A donor's infection, not the patient's: "Grafts from hepatitis B surface antigen positive patients" (NCT01146808, a
# liver transplant trial: comorbid sample 43's DC233), "organs from HCV-positive donors" (mend44)
_DONORS_BEFORE = lazy_regex(
    r"\b(?:(?:allo)?grafts?|organs?|livers?|kidneys?|tissues?)\s+from\s+(?:an?\s+|the\s+)?(?:donors?\s+)?$|\bdonors?\s+"
    r"(?:(?:who\s+(?:is|are|was|were)|with|being)\s+)?$",
    re.IGNORECASE,
)
# A hepatitis named bare among the examples of an autoimmune disease: "any active autoimmune disease ..., including but
# not limited to the following: rheumatoid arthritis, pneumonitis, colitis ..., hepatitis, hypophysitis, ..."
# (NCT03121716, comorbid sample 44's DD239; mend45) is an immune hepatitis, not a viral one
_AUTOIMMUNE_EXAMPLES = lazy_regex(
    r"\bautoimmune\b[^.;]*?\b(?:including|such\s+as|e\.\s*g\.|for\s+example)\b[^.;]*$", re.IGNORECASE
)
# An infection told at a transplant the profile does not record: "Recipients with hepatitis B surface antigen
# positivity prior to liver transplant" (NCT01146808, comorbid sample 44's DD231; mend45)
_AT_TRANSPLANT = lazy_regex(
    r"\b(?:prior\s+to|before|at\s+the\s+time\s+of)\s+(?:the\s+|their\s+)?(?:liver\s+|organ\s+|kidney\s+)?transplant",
    re.IGNORECASE,
)
# ... or one the investigator judges, before it in its sentence: "Patients who are at risk (in the investigator's
# opinion) of transmitting human immunodeficiency virus (HIV)" (NCT00783471, comorbid sample 44's DD273; mend45). Not
# a judgement after it, which is most often of "any other condition" listed after the infections
_JUDGED = cue("cue.investigator_judgement")
# A treatment named after the agent ("protease inhibitors ... used as components of HIV/AIDS treatment", NCT00707707;
# "Anti-HIV agents: delavirdine, nelfinavir, ...", NCT00045708, comorbid sample 46's DF263: mend47), or the agent's
# enzyme a drug inhibits ("inhibitors of HIV protease (ritonavir, indinavir, ...)", NCT02066454, comorbid sample 42's
# DB297; "HIV-protease inhibitors": mend43; "HIV antivirals" among CYP3A inducers, NCT01418001, comorbid sample 50's
# DJ298: mend52): no infection asked about (infect30). Not an antibody against the agent,
# the infection's marker ("Positive for anti-HIV antibody", NCT02029157)
_TREATMENT_AFTER = lazy_regex(
    r"(?:\s*/\s*AIDS)?(?:\s+|\s*-\s*)"
    r"(?:treatments?|therapy|medications?|drugs?|agents?|anti-?(?:retro)?virals?|protease|integrase|"
    r"reverse\s+transcriptase)\b",
    re.IGNORECASE,
)
# ... nor one named as what a treatment keeps down: "... given significant data for improvement/maintenance of HIV
# suppression when switching regimens" (NCT02229981, comorbid sample 38's CX293); such a mention may still let
# patients in ("Patients with HIV suppression on stable antiretroviral therapy are eligible")
_SUPPRESSION_AFTER = lazy_regex(r"\s+suppression\b", re.IGNORECASE)
# ... nor a test the text says is not required: "Acquired immune deficiency syndrome (AIDS) based upon current CDC
# definition; note, however, that HIV testing is not required for entry into this protocol" (NCT01086345, comorbid
# sample 36's CV293) bars AIDS, not HIV
_NOT_REQUIRED = r"\s+(?:is|are)\s+not\s+(?:required|mandatory|needed|necessary)"
_TEST_NOT_REQUIRED = lazy_regex(
    r"\s*\)?\s*(?:\([^()]*\)\s*)?(?:testing|tests?|screening|serology)" + _NOT_REQUIRED, re.IGNORECASE
)
# ... in the other order: "testing for HIV is not required"
_TESTING_FOR = lazy_regex(r"\b(?:testing|tests?|screening)\s+for\s+$", re.IGNORECASE)
_IS_NOT_REQUIRED = lazy_regex(r"\s*(?:\([^()]*\)\s*)?" + _NOT_REQUIRED, re.IGNORECASE)
# ... and one named before it, with the agents listed after (`InfectionValues.treated`): "Concurrent interferon therapy
# against Hepatitis B Virus (HBV)/ Hepatitis C Virus (HCV)" bars the therapy, which an untreated carrier is not on
_TREATMENT_BEFORE = lazy_regex(
    r"(?P<what>\b(?:[\w-]+\s+)?(?:treatments?|therapy|medications?|drugs?))\s+(?:against|for)\s+(?:the\s+)?(?:known\s+)?$",
    re.IGNORECASE,
)
# ... or after it, in its clause: "Patients with viral hepatitis treated with interferon preparations within the last 2
# years", "Hepatitis: -- 1) Patients of (a) or (b) previously treated with interferon preparations" (NCT00165633,
# comorbid sample 37's CW220), or an antiviral it requires: "chronic or active hepatitis B or hepatitis C requiring
# treatment with antiviral therapy" (NCT02664077, comorbid sample 53's DM180), "Known HIV disease requiring
# antiretroviral treatment" (NCT02404363), or one it is on: "HIV-positive patients on combination antiretroviral
# therapy are ineligible" (NCT02442531 and ten more lines that samples 50-56 judged right through HIV alone); not a
# treatment that lets the agent in ("unless treated with ...")
_TREATED_WITH = lazy_regex(
    r"\b(?:(?:(?:previously|currently|being)\s+)?treated\s+with\s+|requir(?:e|es|ed|ing)\s+"
    r"(?:(?:treatment|therapy)\s+with\s+)?(?=(?:anti-?viral|anti-?retroviral|interferon))|(?:receiving|on|taking)\s+"
    r"(?=(?:combination\s+)?(?:anti-?retroviral|anti-?viral|HAART|cART)\b))"
    r"(?P<what>[\w-]+(?:\s+(?!(?:within|for|in|at|and|or|with|since|during|before|after|prior|are|is|were|will|must|"
    r"because|due)\b)[\w-]+){0,2})",
    re.IGNORECASE,
)
# ... but not one the trial gives a reason with, one it excepts, lets in or asks not to have been given: "HIV-positive
# patients are ineligible because ... when treated with marrow-suppressive therapy" (NCT00758693), "unless adequately
# treated with", "(patients who are treated with ART ... are eligible)", "not previously treated with interferon" (the
# review of rules 58)
_NOT_THE_TREATMENT = lazy_regex(
    r"\b(?:because|when|while|if|since|risk|unless|except|excluding|including|not|no|never|without|who|which|that)\b",
    re.IGNORECASE,
)
_LET_IN_AFTER = lazy_regex(r"\b(?:eligible|allowed|permitted|may|can)\b", re.IGNORECASE)
# A hepatitis named by a cause that is no infection: "Alcoholic and autoimmune hepatitis" (NCT02442531, comorbid sample
# 37's CW244) does not bar a viral hepatitis B; "viral or non-viral hepatitis", "History of viral, alcoholic, or
# autoimmune hepatitis" still name a viral one
_OTHER_CAUSE = lazy_regex(
    r"\b(?:alcoholic|alcohol-induced|auto-?immune|drug-induced|toxic|ischemic|non-?viral|non-?infectious)\s+$",
    re.IGNORECASE,
)
_VIRAL_BESIDE = lazy_regex(r"(?<!non-)(?<!non)\b(?:viral|infectious)\b[^.;]*$", re.IGNORECASE)
# ... and an infection told by a measure: its viral load ("Hepatitis B virus deoxyribonucleic acid (DNA) levels >2,000
# international units/mL", NCT01258608, comorbid sample 39's CY235) or the liver tests that define it ("Active
# gallbladder disease or hepatitis (AST or ALT > 2.0, or bilirubin > 1.5x ULN)", NCT01313559, CY237): an inactive
# carrier on file is not known to meet it. The agent alone: "HIV infection with viral load > 200 copies/mL, or active
# hepatitis B or C" still bars the hepatitis C (the review of rules 60)
# A load may be written with the agent's abbreviation joined ("Hepatitis B with HBV-DNA > 2000 IU/mL", "with a viral
# load above 100 IU/mL"), or be the mention's own last word ("HBV DNA > 2000 IU/mL") (mend42)
_MORE_THAN = r"(?:levels?\s+)?(?:of\s+)?(?:>|≥|>=|greater|above|more\s+than|over)"
_LOAD_AFTER = lazy_regex(
    r"(?:\s+[BC]\b)?(?:\s+virus)?(?:\s*\([^()]{0,10}\))?(?:\s+infection)?(?:\s+with(?:\s+an?)?)?(?:\s+(?:HBV|HCV|HIV))?(?:\s*-\s*|\s+)"
    r"(?:deoxyribonucleic\s+acid\s+(?:\(DNA\)\s+)?|ribonucleic\s+acid\s+(?:\(RNA\)\s+)?|DNA\s+|RNA\s+|viral\s+load\s+)"
    + _MORE_THAN,
    re.IGNORECASE,
)
_LOAD_OF_MENTION = lazy_regex(r"\s*" + _MORE_THAN, re.IGNORECASE)
_LIVER_TESTS_AFTER = lazy_regex(r"\s*\([^()]*\b(?:AST|ALT|SGOT|SGPT|transaminases?|bilirubin)\b[^()]*\)", re.IGNORECASE)
# ... or a CD4 count: "HIV-positive patients with cluster of differentiation (CD) counts less than 500/mm^3"
# (NCT01260714, comorbid sample 54's DN227), "HIV positive with CD4 count < 200"
_CD4_AFTER = lazy_regex(
    r"[^.;]{0,40}?\bwith\s+(?:an?\s+)?(?:CD4\+?\s*(?:T[- ]?(?:cells?|lymphocytes?)\s+)?|cluster\s+of\s+differentiation\s+"
    r"(?:4\s+)?(?:\(CD4?\)\s+)?)(?:counts?|levels?)\s*(?:<|≤|<=|=<|less\s+than|below|under|lower\s+than)",
    re.IGNORECASE,
)


def _measured_by(c: CriterionText, m: Mention) -> str | None:
    """The words of a measure that tells the infection named by ``m`` (`_LOAD_AFTER`, a load that is the mention's own
    last word, "HBV DNA > 2000", `_LOAD_OF_MENTION`, `_LIVER_TESTS_AFTER` or `_CD4_AFTER`), or None."""
    found = (
        _LOAD_AFTER.match(c.text, m.end)
        or (m.text.upper().endswith(("DNA", "RNA")) and _LOAD_OF_MENTION.match(c.text, m.end))
        or _LIVER_TESTS_AFTER.match(c.text, m.end)
        or _CD4_AFTER.match(c.text, m.end)
    )
    return " ".join(c.text[m.start : found.end()].split()) if found else None


# ... nor one that names a cancer's kind: "Human immunodeficiency virus (HIV) and associated non-Hodgkins lymphoma
# (NHL)" (NCT00625729, comorbid sample 40's CZ272) bars the lymphoma, not an HIV without it
# (a cancer or a neuropathy only: "an active infection associated with fever" is the infection; and after the
# permissions are read, which such a mention may still give: the review of rules 61)
_ASSOCIATED_AFTER = lazy_regex(
    r"\s*\)?\s*(?:\([^()]{0,10}\)\s*)?(?:and\s+|-\s*)?associated\s+(?:[\w-]+\s+){0,4}?"
    r"(?:lymphomas?|sarcomas?|malignanc(?:y|ies)|cancers?|carcinomas?|neoplasms?|tumou?rs?|neuropath(?:y|ies)|NHL)\b",
    re.IGNORECASE,
)
# ... and an agent told by its viremia ("hepatitis B virus (HBV) viremia or hepatitis C virus (HCV) viremia",
# NCT02155465, comorbid sample 40's CZ243) is asked active: an inactive carrier on file is not known to be viremic;
# so is each type of a list of letters before it, "Hepatitis B or C viremia" (mend42)
_VIREMIA_AFTER = lazy_regex(
    r"(?:\s*(?:/|or|and/or|and)\s*[BC]\b)*(?:\s+virus)?(?:\s*\([^()]{0,10}\))?\s*(?:-\s*)?vir(?:a)?emi[ac]\b",
    re.IGNORECASE,
)
# ... and a condition the trial puts on excluding the agent: "Known human immunodeficiency virus or hepatitis C infection
# only if the patient is taking medications that are excluded per protocol" (NCT03353753, infect30)
_ONLY_IF = lazy_regex(r"\bonly\s+if\b", re.IGNORECASE)
# ... or a liver finding asked with it: "Hepatitis B surface antigen or hepatitis C positivity with abnormal liver
# function tests" (NCT02442531, comorbid sample 53's DM174): a carrier's liver tests may be normal or not on file
_WITH_LIVER_FINDING = lazy_regex(
    r"\bwith\s+(?:abnormal|elevated|raised|increased|high)\s+(?:liver\s+(?:function\s+)?(?:tests?|enzymes)|LFTs?|"
    r"transaminases?|aminotransferases?|ALT|AST|bilirubin)\b",
    re.IGNORECASE,
)


# an agent the patients are to be tested for, or whose risk factors a line names: "Patients with risk factors for
# hepatitis must be tested for hepatitis viral load" (NCT01154335, comorbid sample 49's DI267) is an instruction, no
# exclusion of the infection
_TESTED_OR_AT_RISK = lazy_regex(
    r"\b(?:(?:must|should|will|shall|to)\s+be\s+(?:tested|screened)\s+for|risk\s+factors?\s+(?:for|of))\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


# an agent listed right after an uncontrolled condition, which that "uncontrolled" may reach: "uncontrolled psoriasis,
# HIV, or any other severe medical condition" (NCT01259388, comorbid sample 50's DJ294)
_UNCONTROLLED_BEFORE_LIST = lazy_regex(r"\buncontrolled\s+[\w-]+(?:\s+[\w-]+)?\s*,\s*$", re.IGNORECASE)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    found = [
        m
        for m in c.mentions
        if m.id in _AGENTS
        and not c.excepted(m)
        and not _DONORS_BEFORE.search(c.text, max(0, m.start - 40), m.start)
        and not _TREATMENT_AFTER.match(c.text, m.end)
        and not _TEST_NOT_REQUIRED.match(c.text, m.end)
        and not (_TESTING_FOR.search(c.text, max(0, m.start - 20), m.start) and _IS_NOT_REQUIRED.match(c.text, m.end))
        and not (m.id == "concept.hepatitis" and _of_other_cause(c, m))
        and not _TESTED_OR_AT_RISK.search(c.text, max(0, m.start - 60), m.start)
        and not _EXPOSURE_AFTER.match(c.text, m.end)
    ]
    # "... and HIV-positive subjects will not be excluded" (NCT00904423, infect30); the agents after it in its part may
    # be that permission's conditions, unread: "HIV positive patients will be allowed provided they are not co-infected
    # with hepatitis B or C" (review of infect30)
    permitted = [(m.start, c.part_end(m)) for m in found if c.let_in(m)]
    mentions = [
        m
        for m in found
        if not any(start <= m.start < end for start, end in permitted)
        and not _SUPPRESSION_AFTER.match(c.text, m.end)
        and not _ASSOCIATED_AFTER.match(c.text, m.end)
    ]
    if not mentions:
        return []
    named = {m: _agents(c, m) for m in mentions}
    active: list[str] = []
    acute: list[str] = []
    told_end = -1  # where the last agent "active" was told of ends (itself, or as the one before it in a list)
    outer_end = -1  # ... and the last outside an aside after the one before: "active hepatitis B (including acute
    # hepatitis B virus [HBV] or chronic HBV) or hepatitis C virus [HCV]" (NCT05382559) lists the hepatitis C with the
    # first (the review of rules 58)
    for m, (agents, end) in named.items():
        # "active hepatitis B or C or HIV", "active Hepatitis B (e.g., HBsAg reactive) or Hepatitis C (e.g., ...)"
        listed = any(
            start >= 0 and _LIST_JOIN.fullmatch(_BRACKETS.sub("", c.text[start : max(start, m.start)]))
            for start in (told_end, outer_end)
        )
        if (
            _told_active(c, m)
            or listed
            or _UNCONTROLLED_EXAMPLES.search(c.text, sentence_start(c.text, m.start), m.start)
            or _UNCONTROLLED_ILLNESS.match(c.text, sentence_start(c.text, m.start))
        ):
            if outer_end < 0 or not _in_aside(c.text, outer_end, m.start):
                outer_end = end
            told_end = end
            active.extend(a for a in agents if a != "active infection")
            if _ACUTE_BEFORE.search(c.text, max(0, m.start - 20), m.start):
                acute.extend(a for a in agents if a != "active infection")
        elif _VIREMIA_AFTER.match(c.text, m.end) or (
            m.id in _HEPATITIS
            and (
                _ACTIVE_LIST_HEAD.fullmatch(c.text, sentence_start(c.text, m.start), m.start)
                or _in_bracket_of_conditions(c, m)
                or (
                    _ACTIVE_INFECTION_EXAMPLES.search(c.text, sentence_start(c.text, m.start), m.start)
                    and _bare(c.text, m.start)
                )
            )
        ):
            active.extend(agents)  # this agent alone: not the agents listed after it
    listed_agents = tuple(dict.fromkeys(agent for agents, _ in named.values() for agent in agents))
    let_in = _let_in_later(c, found, mentions[0], listed_agents)
    # barred only on the treatment: an agent every mention of which a treatment is for ("Known HIV positivity (eg,
    # subjects who are receiving antiretroviral therapy for HIV disease)", NCT01908387, bars any HIV), in an exclusion
    treatment, treated = _treated(c, mentions) if c.polarity(mentions[0]) is Polarity.EXCLUDE else (None, [])
    untreated = {a for m in mentions if m not in treated for a in named[m][0]}
    treated_agents = tuple(dict.fromkeys(a for m in treated for a in named[m][0] if a not in untreated))
    infections = [_asked_states(c, m) for m in mentions if m.id == "concept.infection"]
    asked = () if not infections or not all(infections) else tuple(sorted(set().union(*infections)))
    values = InfectionValues(
        listed_agents,
        tuple(dict.fromkeys(active)),
        let_in,
        treated_agents,
        treatment if treated_agents else None,
        asked,
        tuple(dict.fromkeys(acute)),
    )
    stop = sentence_stop(c.text, mentions[0].end)
    only_if = _ONLY_IF.search(c.text, mentions[0].end, stop)
    uncertain = f"a condition on the infection ({only_if.group(0)!r} ...) is not read" if only_if else None
    if uncertain is None and (
        finding := _WITH_LIVER_FINDING.search(c.text, mentions[-1].end, sentence_stop(c.text, mentions[-1].end))
    ):
        uncertain = f"a finding asked with the infection ({finding.group(0)!r}) the profile may not show"
    if (
        uncertain is None
        and mentions[0].id != "concept.infection"  # "active infection" tells its own state
        and (before := _UNCONTROLLED_BEFORE_LIST.search(c.text, max(0, mentions[0].start - 40), mentions[0].start))
    ):
        # "uncontrolled psoriasis, HIV, or any other severe medical condition" (NCT01259388, comorbid sample 50's
        # DJ294): the "uncontrolled" of the item before may reach the agent
        told = before.group(0).strip(" ,")
        uncertain = f"an infection listed after an uncontrolled condition ({told!r}) may be asked uncontrolled"
    if uncertain is None and (transplant := _AT_TRANSPLANT.search(c.text, mentions[0].end, stop)):
        uncertain = f"an infection told at a transplant the profile does not record ({transplant.group(0)!r})"
    if uncertain is None and (
        judged := _JUDGED.search(c.text, sentence_start(c.text, mentions[0].start), mentions[0].start)
    ):
        uncertain = f"the investigator judges whether the infection excludes ({judged.group(0)!r})"
    if uncertain is None and len(listed_agents) == 1 and (measure := _measured_by(c, mentions[0])):
        uncertain = f"an infection told by a measure the profile does not record ({measure!r})"
    return [make_fact(FactKind.INFECTION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text, uncertain)]


# The states an active infection is asked in (comorbid sample 66, mend71), told in the run of words right before
# "infection" ("active, uncontrolled systemic infection", "Serious active infection") or right after it ("infection
# that is not well controlled", "infection requiring IV antibiotics", "infections (i.e., requiring an intravenous
# antibiotic)", "active infection, requiring parenteral antibiotics": comorbid sample 67's EA059, mend72). A neck
# wound infection "active, healing, on oral antibiotics" is not shown to be any of them. "or" joins alternatives, and
# then so do commas: "active or uncontrolled infection", "active, uncontrolled, or serious infection" ask no state (an
# active one is barred), and a state is asked only when every alternative asks one; "systemic" names the infection
# itself, whatever the alternatives ("Ongoing or active systemic infection"), unless "local" is its alternative.
# "requiring systemic therapy" asks a treatment an oral antibiotic is, and so does "requiring parenteral or oral
# anti-infective therapy".
_INFECTION_WORD = lazy_regex(r"\binfections?\b", re.IGNORECASE)
_RUN_BEFORE = lazy_regex(
    r"(?:\b(?:active|ongoing|current|concurrent|concomitant|known|documented|acute|chronic|serious|severe|uncontrolled|"
    r"non-?controlled|systemic|local|clinically|clinical|significant|life[- ]threatening|bacterial|viral|fungal|"
    r"opportunistic|intercurrent|other|any)\b[\s,]*(?:(?:and/)?or\s+)?)+$",
    re.IGNORECASE,
)
_STATE_WORDS_BEFORE = {
    "uncontrolled": "uncontrolled", "non-controlled": "uncontrolled", "noncontrolled": "uncontrolled",
    "serious": "serious", "severe": "serious", "life-threatening": "serious", "life threatening": "serious",
    "significant": "serious",
}  # fmt: skip
_STATE_WORD = lazy_regex(rf"\b(?:{'|'.join(map(re.escape, _STATE_WORDS_BEFORE))})\b", re.IGNORECASE)
_STATES_AFTER = lazy_regex(
    r"\s*(?:\(\s*(?:(?:i\.?\s*e|e\.?\s*g)\.?,?\s*)?)?(?:(?:that|which)\s+(?:(?:is|are)\s+)?)?(?:"
    r"(?P<uncontrolled>not\s+(?:well[- ]|adequately\s+)?controlled|uncontrolled|poorly\s+controlled)|"
    r",?\s*(?:requir(?:ing|es?)|needing|needs?)\s+(?:an?\s+)?(?:treatment\s+with\s+)?"
    r"(?P<intravenous>IV|intravenous|parenteral|i\.v\.)(?!\w)(?!\s*(?:\(\w+\)\s*)?(?:and/)?or\s+(?:oral|p\.?o\.?)\b)|"
    # a grade ("Active infections (> Grade 2 NCI-CTC v.3.0)", sample 68's EB078), a gravity a status may say
    r"(?P<serious>(?:>|≥|>=)\s*(?:NCI[- ]?CTC\w*\s+|CTCAE\s+)?grade\s*[1-4]\b|"
    r"(?:NCI[- ]?CTC\w*\s+|CTCAE\s+)?grade\s*(?:≥|>=)?\s*[3-5]\b)|"
    # a site ("active infection in the area of the chest wall", EB043), which a profile's infection is not checked at
    r"(?P<site>in\s+the\s+(?:area|region|site)\s+of\b))",
    re.IGNORECASE,
)


def _asked_states(c: CriterionText, m: Mention) -> frozenset[str]:
    """The states a mention of an active infection asks beyond its being active (`_RUN_BEFORE`, `_STATES_AFTER`)."""
    word = _INFECTION_WORD.search(c.text, m.start, m.end)
    if word is None:
        return frozenset()
    start = max(clause_start(c.text, word.start()), word.start() - 80)
    window = _BRACKETS.sub(lambda b: " " * len(b.group(0)), c.text[start : word.start()])
    run = _RUN_BEFORE.search(window)
    asked: set[str] = set()
    if run is not None:
        words = run.group(0).lower()
        alternatives = re.split(r",|\bor\b", words) if re.search(r"\bor\b", words) else [words]
        told = [{_STATE_WORDS_BEFORE[w.group(0)] for w in _STATE_WORD.finditer(a)} for a in alternatives]
        if all(told):
            asked.update(*told)
        if "systemic" in words and "local" not in words:
            asked.add("systemic")
    if (after := _STATES_AFTER.match(c.text, word.end())) and after.lastgroup:
        asked.add(after.lastgroup)
    return frozenset(asked)


def _in_aside(text: str, start: int, at: int) -> bool:
    """Whether ``at`` stands inside a bracket opened after ``start``."""
    between = text[start:at]
    return between.count("(") + between.count("[") > between.count(")") + between.count("]")


def _of_other_cause(c: CriterionText, m: Mention) -> bool:
    """Whether a hepatitis is named by a cause that is no infection (`_OTHER_CAUSE`), with no viral one beside it, or
    among an autoimmune disease's examples (`_AUTOIMMUNE_EXAMPLES`)."""
    if _AUTOIMMUNE_EXAMPLES.search(c.text, sentence_start(c.text, m.start), m.start):
        return True
    cause = _OTHER_CAUSE.search(c.text, max(0, m.start - 40), m.start)
    return cause is not None and not _VIRAL_BESIDE.search(c.text, max(0, cause.start() - 60), cause.start())


def _treated(c: CriterionText, mentions: list[Mention]) -> tuple[str | None, list[Mention]]:
    """The treatment named right before an agent (`_TREATMENT_BEFORE`) or after it in its clause (`_TREATED_WITH`),
    its words as written, and the mentions it is for: that agent's and those listed after it ("... against Hepatitis B
    Virus (HBV)/ Hepatitis C Virus (HCV)")."""
    treatment: str | None = None
    treated: list[Mention] = []
    treated_end = -1  # where the last agent a treatment is for ends
    for m in mentions:
        closing = _CLOSING.match(c.text, m.end)  # past an abbreviation's bracket: "Hepatitis C Virus (HCV)"
        gap = _BRACKETS.sub("", c.text[treated_end : max(treated_end, closing.end() if closing else m.start)])
        before = _TREATMENT_BEFORE.search(c.text, max(0, m.start - 60), m.start)
        stop = clause_stop(c.text, m.end)
        after = _TREATED_WITH.search(c.text, m.end, stop)
        if after and (
            _NOT_THE_TREATMENT.search(c.text, m.end, after.start()) or _LET_IN_AFTER.search(c.text, after.end(), stop)
        ):
            after = None
        if told := before or after:
            treatment = treatment or " ".join(told.group("what").split())
        elif not (treated_end >= 0 and "," not in gap and _LIST_JOIN.fullmatch(gap)):
            continue  # not one of a list with commas: "Interferon therapy for hepatitis C, HIV infection, or ..."
        treated.append(m)
        treated_end = _agents(c, m)[1]
    return treatment, treated


def _let_in_later(c: CriterionText, found: list[Mention], first: Mention, agents: tuple[str, ...]) -> tuple[str, ...]:
    """The agents of the list that a sentence after the first agent's names again and lets in: "Hepatitis B (HBV) or
    hepatitis C (HCV). ... Patients who test positive for Hepatitis B surface Antigen (HBsAg) or Hepatitis B core
    Antigen (HBcAb) will be eligible if they are negative for HBV-DNA" (NCT04042051, comorbid sample 33's CS187):
    which of their patients are barred turns on what that sentence asks. Not the agents it does not name: "... or
    human immunodeficiency virus (positive HIV 1/2 antibodies). Patients with a past or resolved HBV infection ... are
    eligible" (NCT03753919) still bars HIV. A clause after a ";" is read as a sentence: "...; patients with known HIV,
    CD4 counts >= 250/uL, and undetectable viral loads who are stable on an antiretroviral regimen may be included"
    (NCT02775812, the review of rules 57)."""
    first_stop = clause_stop(c.text, first.end)
    let_in: list[str] = []
    for m in found:
        if m.start < first_stop:
            continue
        stop = clause_stop(c.text, m.end)
        if subject := _NEW_SUBJECT.search(c.text, m.end, stop):
            stop = subject.start()  # "Testing for HIV is not required; patients with hepatitis B are eligible ..."
        if (
            lets_in(c.text[m.end : stop]) or _NOT_EXCLUDED_FOR.search(c.text, clause_start(c.text, m.start), m.start)
        ) and not _RESOLVED.search(c.text, clause_start(c.text, m.start), stop):
            let_in.extend(a for a in _agents(c, m)[0] if a in agents)
    return tuple(dict.fromkeys(let_in))


_NEW_SUBJECT = lazy_regex(r";|\b(?:patients|subjects|participants)\b", re.IGNORECASE)
# ... or one the sentence says patients are not excluded for, before naming it: "Patients would not be excluded for
# hepatitis B surface antigen positivity if on Lamivudine or Entecavir" (NCT00924170, comorbid sample 49's DI261)
_NOT_EXCLUDED_FOR = lazy_regex(
    r"\b(?:will|would|shall)\s+not\s+be\s+excluded\s+(?:for|because\s+of|on\s+account\s+of)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# ... but not a sentence that lets in only an infection that is over, which no current condition on file is: "Patients
# with a past or resolved HBV infection ... are eligible" (NCT03753919), "Patients who are seropositive because of
# hepatitis B virus vaccine or prior infection to which they are now immune (i.e., not carriers) are eligible"
# (NCT01303965), "(subjects with documented laboratory evidence of HBV clearance may be enrolled)" (NCT01476137, judged
# right as comorbid sample 35's CU159) still bar a carrier
_RESOLVED = lazy_regex(
    r"\b(?:resolved|past|vaccin\w*|immune|immunity|cleared|clearance|cured|curatively)\b", re.IGNORECASE
)


# What joins two agents of one list, once its bracketed asides are left out (`_BRACKETS`): "HIV, hepatitis B, or
# hepatitis C", "Hepatitis C Virus (HCV) or Hepatitis B Virus", "active HIV or viral (A, B or C) hepatitis"
# (NCT00345189, comorbid sample 48's DH219; mend50)
_LIST_JOIN = lazy_regex(
    r"[\s,/()]*(?:virus(?:es)?\b[\s,/]*)?(?:infections?\b[\s,/]*)?(?:(?:and/or|or|and|&)(?!\w)[\s,/]*)?"
    r"(?:viral\s+)?",
    re.IGNORECASE,
)
_BRACKETS = lazy_regex(r"\([^()]*\)|\[[^\[\]]*\]")
_CLOSING = lazy_regex(r"\s*\)")


# ... but not as one of two ways to have it: "seropositive for or active viral infection with", "chronic or active
# hepatitis B", "known historical or active infection with HIV" (any such infection is barred)
_OR_ACTIVE = lazy_regex(
    r"\b(?:for|of|historical|prior|past|previous|chronic)\s+or\s+(?:(?:current|known)\s+)*(?:active|uncontrolled|acute)\b",
    re.IGNORECASE,
)


def _told_active(c: CriterionText, m: Mention) -> bool:
    """Whether "active" stands right before the agent, in the mention ("active hepatitis") or before it."""
    core = m.text.lower().find("hepatitis")
    start, end = max(0, m.start - 40), m.start + max(core, 0)
    return bool(_ACTIVE_BEFORE.search(c.text, start, end)) and not _OR_ACTIVE.search(c.text, start, end)


# "AIDS" is no HIV infection: "No known AIDS" (NCT00423293, comorbid sample 30's CN126) does not bar an HIV controlled
# on antiretroviral therapy
_AIDS = lazy_regex(r"\bAIDS\b|acquired\s+immune?\s*deficiency\s+syndrome", re.IGNORECASE)
_HIV = lazy_regex(r"\bHIV|immunodeficiency\s+virus", re.IGNORECASE)


def _agents(c: CriterionText, m: Mention) -> tuple[list[str], int]:
    """The agents a mention names, and where their names end: "hepatitis B or C" past the mention "hepatitis"."""
    if m.id in _HEPATITIS:
        word = m.text.lower().find("hepatitis")
        types = _HEPATITIS_TYPES.match(c.text, m.start + word) if word >= 0 else None
        if types is not None:
            listed = types.group(0)[len("hepatitis") :]
            return [f"hepatitis {letter.upper()}" for letter in _LETTER.findall(listed)], max(m.end, types.end())
    if m.id == "concept.hiv" and _AIDS.search(m.text) and not _HIV.search(m.text):
        return ["AIDS"], m.end
    if m.id == "concept.infection" and (_OF_AN_AGENT.match(c.text, m.end) or _DEFINED_AFTER.match(c.text, m.end)):
        # "Immunocompromised status due to current known active infection with HIV" (NCT02389842, comorbid sample
        # 66's DZ089): the infection is the agent named after it, read from its own mention; "... active infection
        # with hepatitis B virus, or hepatitis C virus. Active infection is defined as requiring treatment with
        # antiviral therapy ..." (NCT02389842, sample 68's EB075, mend73) defines that agent's, and names none
        return [], m.end
    return [_AGENTS[m.id]], m.end


# an agent named right after an infection: "active infection with HIV", "active infection of the HCV and HBV"; or a
# definition of the words ("Active infection is defined as ...")
_DEFINED_AFTER = lazy_regex(r"\s+(?:is|are)\s+defined\s+(?:as|by)\b", re.IGNORECASE)
_OF_AN_AGENT = lazy_regex(
    r"\s+(?:with|of|by)\s+(?:the\s+)?(?:HIV|human\s+immuno\w*|hepatitis|HBV|HCV|tuberculosis|TB)\b", re.IGNORECASE
)


# Conditions on file that count as each agent; "active infection" is an acute one that needs treatment, which a
# chronic infection under control (HIV on antiretroviral therapy) is not shown to be
_TERMS = {"HIV": ("hiv", "human immunodeficiency"), "AIDS": (" aids", "/aids", "(aids", "aids-", "acquired immun"),
          "hepatitis B": ("hepatitis b", "hbv"),
          "hepatitis C": ("hepatitis c", "hcv"), "hepatitis": ("hepatitis",), "tuberculosis": ("tuberculosis",),
          "active infection": ("infection",)}  # fmt: skip
# A status that says the infection is active now, word by word ("inactive" is not "active")
_ACTIVE_STATUS = lazy_regex(r"\b(?:active|acute|uncontrolled|untreated|viremic|replicating)\b")
# A name or status that says an infection is acute ("acute hepatitis B"), against an agent asked acute
_ACUTE = lazy_regex(r"\bacute\b")
# An infection that is by definition not active disease, whatever its status says ("latent tuberculosis infection",
# status "treated 2018", mend60): a coordinator decides whether the trial counts it
_LATENT = lazy_regex(r"\blatent\b")
# What an infection's name or status says of each state a text may ask (`InfectionValues.asked`), and how a reason
# names the state
_STATES_TOLD = {
    "uncontrolled": lazy_regex(r"\b(?:uncontrolled|not\s+controlled|poorly\s+controlled|refractory)\b"),
    "serious": lazy_regex(r"\b(?:serious|severe|life[- ]threatening|grade\s*[345]|sepsis|septic|hospitali[sz]ed)\b"),
    "systemic": lazy_regex(r"\b(?:systemic|sepsis|septic|bacter[a]?emia|fung[a]?emia|disseminated|bloodstream)\b"),
    "intravenous": lazy_regex(r"\b(?:intravenous|iv|i\.v\.|parenteral)\b"),
    "site": lazy_regex(r"(?!)"),  # a site in the text's words is not compared with a condition's name
}
_ASKED_AS = {"uncontrolled": "uncontrolled", "serious": "serious", "systemic": "systemic",
             "intravenous": "treated intravenously", "site": "at the site the trial names"}  # fmt: skip


# Words of a treatment that name no kind of it ("active treatment", "care and treatment", "concurrent therapy")
_NO_KIND = frozenset({"active", "highly", "concurrent", "current", "any", "appropriate", "combination", "requiring",
                      "receiving", "on", "of", "no", "and", "or", "the", "care", "therapy", "treatment", "treatments",
                      "medication", "medications", "drug", "drugs"})  # fmt: skip
# ... the words a condition on file may say a kind with (an antiretroviral is an antiviral)
_SAID_AS = {"antiretroviral": frozenset({"antiretroviral", "art", "haart", "cart"}),
            "antiviral": frozenset({"antiviral", "antiretroviral", "art", "haart", "cart"})}  # fmt: skip
_ON_TREATMENT = frozenset({"on", "receiving", "treated", "therapy", "treatment"})
_WORD = lazy_regex(r"[a-z]+")


def _on_treatment(condition: Condition, treatment: str | None) -> bool:
    """Whether a condition's name or status says it is treated with ``treatment``: its kind named ("antiretroviral",
    "interferon", word for word), or any treatment where the text names no kind."""
    said = set(_WORD.findall(f"{condition.name} {condition.status or ''}".lower().replace("-", "")))
    kinds = [w for w in (treatment or "").lower().replace("-", "").split() if w not in _NO_KIND]
    if not kinds:
        return bool(said & _ON_TREATMENT)
    return bool(said & _SAID_AS.get(kinds[0], frozenset({kinds[0]})))


def _in_state_asked(c: Condition, agent: str, v: InfectionValues) -> bool:
    """Whether a condition on file is the agent in the state the text asks of it: acute where "acute" is asked (its
    name or status says so, mend73), active where "active" is (its status says so), any otherwise; never a latent one,
    which is no disease whatever its status (convention 34: a coordinator decides)."""
    if _LATENT.search(c.name.lower()):
        return False
    if agent in v.acute:
        return bool(_ACUTE.search(f"{c.name} {c.status or ''}".lower()))
    return agent not in v.active or bool(_ACTIVE_STATUS.search((c.status or "").lower()))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    """A listed condition is the infection the criterion names (HIV is not hepatitis); for "active infection", one
    recorded as controlled or chronic is not shown to be active, and stays unknown."""
    v = fact.values
    assert isinstance(v, InfectionValues)
    # The agents asked active first: a condition one of them leaves undecided ("Active hepatitis B" and a "chronic
    # hepatitis B, inactive carrier" on file, infect29) is not then barred by another agent of the list that names it
    # too ("hepatitis" in a definition or a note); another condition still may ("... or HIV" and an uncontrolled HIV).
    undecided: Finding | None = None
    left: set[str] = set()  # the paths of the conditions left undecided
    for agent in sorted((a for a in v.agents if a != "active infection"), key=lambda a: a not in v.active):
        found = [c for c in current(p, _TERMS.get(agent, (agent.lower(),))) if c.path not in left]
        active = [c for c in found if _in_state_asked(c, agent, v)]
        if active and agent in v.treated and not _on_treatment(active[0], v.treatment):
            if undecided is None:
                status = (active[0].status or "").lower() or "status not stated"
                undecided = Finding(None, f"{active[0].name} on file ({status}); the trial bars {v.treatment} for "
                                    f"{agent}, which the profile does not show", (active[0].path,),
                                    missing=f"whether {active[0].path} is treated with {v.treatment}")  # fmt: skip
            left.update(c.path for c in found)
            continue
        if active and agent not in v.let_in:
            barred = f" ({active[0].status}): the trial bars {v.treatment} for it" if agent in v.treated else ""
            return Finding(True, f"{active[0].name} on file{barred}", (active[0].path,))
        if found:  # on file, undecided: one a later sentence lets in, or not shown to be as active as asked
            left.update(c.path for c in found)
            if undecided is None and active:
                undecided = Finding(None, f"{active[0].name} on file; a later sentence of the criterion lets some "
                                    f"patients with {agent} in", (active[0].path,),
                                    missing=f"whether {active[0].path} meets the terms on which {agent} is allowed")  # fmt: skip
            elif undecided is None:
                status = (found[0].status or "").lower() or "status not stated"
                asked = "acute" if agent in v.acute else "active"
                undecided = Finding(None, f"{found[0].name} on file ({status}); the trial asks whether the {agent} is "
                                    f"{asked}", (found[0].path,), missing=f"whether {found[0].path} is {asked}")  # fmt: skip
    if "active infection" in v.agents and (found := current(p, _TERMS["active infection"])):
        # violated only by an infection its status says is active now: one "treated 2018", "chronic" or "controlled"
        # is not shown to be (mend60); and in each state the text asks, where its name or status says so (mend71)
        for c in found:
            status = (c.status or "").lower()
            if _ACTIVE_STATUS.search(status) and not _LATENT.search(c.name.lower()):
                said = f"{c.name} {status}".lower()
                unsaid = [_ASKED_AS[state] for state in v.asked if not _STATES_TOLD[state].search(said)]
                if unsaid:
                    return Finding(None, f"{c.name} on file ({status}); the trial asks an infection "
                                   f"{' and '.join(unsaid)}, which the profile does not show", (c.path,),
                                   missing=f"whether {c.path} is {' and '.join(unsaid)}")  # fmt: skip
                return Finding(True, f"{c.name} on file ({status})", (c.path,))
        status = (found[0].status or "").lower()
        return Finding(None, f"{found[0].name} on file ({status or 'status not stated'}); whether it is an active "
                       "infection is not decided", (found[0].path,), missing=f"whether {found[0].path} is active")  # fmt: skip
    if undecided is not None:
        return undecided
    label = " / ".join(v.agents) or "infection"
    return Finding(None, f"{label} not recorded (not listed is not known to be absent)", missing=label)


KIND = Kind(FactKind.INFECTION, InfectionValues, extract, evaluate, frozenset(_AGENTS))
