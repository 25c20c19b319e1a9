"""The cues' quick patterns (`matcher.eligibility.cues.QuickPattern`): the words a pattern's every match must contain
are found from the pattern itself, and the quick pattern answers exactly as the pattern does. (That the parser's
readings are unchanged is checked on the real corpora: docs/benchmarks.md, "Parse speed (session 3)".)"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

import matcher
from matcher.eligibility import numbers, parser, scope, text
from matcher.eligibility.cues import QuickPattern, branch_guards, cue, first_characters, load_cues, needles, quick

CUES = load_cues()
HOT = {
    f"{module.__name__}.{name}": value
    for module in (scope, text, numbers, parser)
    for name, value in vars(module).items()
    if isinstance(value, QuickPattern)
}


def test_needles_are_the_literal_words_every_match_must_contain() -> None:
    # one word of each set, the most selective set first
    assert needles(re.compile(r"\b(?:no|not)\s+(?:more|less)\b", re.I)) == ((frozenset({"more", "less"}),), False)
    assert needles(re.compile(r"\b(?:patients?|subjects?)\s+with\s+.{3,80}?\s+are\s+exempt\b", re.I)) == (
        (frozenset({"exempt"}), frozenset({"with"})),
        False,
    )
    assert needles(re.compile(r"Cohort [A-Z]")) == ((frozenset({"Cohort "}),), False)  # case kept when case matters
    # a branch anchored at the start is tried there; the others need their words
    assert needles(re.compile(r"^\W*if\b|\bin\s+case\s+of\b", re.I)) == ((frozenset({"case"}),), True)
    # an optional part, a lookahead, a class or a branch without a word says nothing
    assert needles(re.compile(r"(?:very\s+)?(?=[a-z])xyz", re.I)) == ((frozenset({"xyz"}),), False)
    assert needles(re.compile(r"\d+\s*(?:days?|\w+)", re.I)) == ((), False)
    # no telling word: the most selective set all the same (`_selective`)
    assert needles(re.compile(r"\bno\b", re.I)) == ((frozenset({"no"}),), False)
    # sets that score the same are taken in the pattern's order, the same in every process (not the strings' hashes')
    assert needles(re.compile(r"\bmore\s+than\s+\w+\s+less\b", re.I)) == (
        (frozenset({"more"}), frozenset({"than"})),
        False,
    )
    assert needles(re.compile(r"\bno\s+or\b", re.I)) == ((frozenset({"no"}),), False)
    assert needles(re.compile(r"^patients", re.I)) == ((), False)  # re already tries it at the start only
    # a run goes on over a part of a few spellings: "sub-?study" needs "substudy" or "sub-study", not "study"
    assert needles(re.compile(r"\bsub-?study\b", re.I)) == ((frozenset({"substudy", "sub-study"}),), False)
    assert needles(re.compile(r"\bdose[- ](?:escalation|expansion)\b", re.I))[0][0] == frozenset(
        {"dose escalation", "dose-escalation", "dose expansion", "dose-expansion"}
    )
    # more spellings than `_MOST_SPELLINGS`: the run stops before the part
    assert needles(re.compile(r"\bdose[- ](?:escalation|expansion|confirmation)\b", re.I))[0][0] == frozenset(
        {"dose ", "dose-"}
    )
    assert needles(re.compile(r"^patients", re.I | re.M)) == ((), False)


@pytest.mark.parametrize("cue_id", sorted(CUES))
def test_every_cue_example_holds_one_of_its_words(cue_id: str) -> None:
    pattern = CUES[cue_id].pattern
    assert all(pattern.possible(example) for example in CUES[cue_id].examples)


SAMPLES = [
    "Patients who are not candidates for surgery are eligible.",
    "No more than 2 prior lines; prior therapy is not allowed within 4 weeks before the first dose.",
    "For patients with MTC: calcitonin must be elevated. Cohort B only.",
    "If female, must not be pregnant or breast-feeding; partners of men must use contraception.",
    "1st degree relative with unexplained sudden death under 40 years of age",
    "Patients over 65y must have at least one prior line of TKI treatment",
    "ECOG ≥ 2 or Karnofsky < 70%, except in case of bone metastases",
    "Subjects with well controlled atrial fibrillation are exempt from this criterion.",
    "Completed any radiotherapy at least 14 days prior to randomization",
    "İF FEMALE, THE PATİENT MAY NOT BE PREGNANT",  # dotted capital I: lower() is two characters
    "ſubjects with a ſpouse",  # long s matches s when case is ignored
    "",
]


@pytest.mark.parametrize("name", sorted([*(f"cue {c}" for c in CUES), *HOT]))
def test_a_quick_pattern_answers_as_its_pattern(name: str) -> None:
    pattern = CUES[name[4:]].pattern if name.startswith("cue ") else HOT[name]
    examples = [*SAMPLES, *(e for c in CUES.values() for e in (*c.examples, *c.non_examples))]
    for sample in examples:
        for variant in (sample, sample.upper(), sample.lower()):
            expected = pattern.regex.search(variant)
            found = pattern.search(variant)
            assert (found and found.span()) == (expected and expected.span()), variant
            assert [m.span() for m in pattern.finditer(variant, 3)] == [
                m.span() for m in pattern.regex.finditer(variant, 3)
            ]
            assert pattern.sub("_", variant) == pattern.regex.sub("_", variant)


def test_a_branch_whose_words_the_text_lacks_is_left_out_of_the_search() -> None:
    # a lookbehind's words are in the text too; a branch with a group is always searched
    pattern = re.compile(r"\bcohort\b|\w+(?<=group)\s+only\b|^\W*for\b|(?P<n>\d+)\s+arms?|[|(]x\|", re.I)
    branches, guards = branch_guards(pattern)
    assert branches == (r"\bcohort\b", r"\w+(?<=group)\s+only\b", r"^\W*for\b", r"(?P<n>\d+)\s+arms?", r"[|(]x\|")
    assert guards == (
        (0, (frozenset({"cohort"}),)),
        (1, (frozenset({"group"}), frozenset({"only"}))),
        (2, (frozenset({"for"}),)),
    )
    assert branch_guards(re.compile(r"\b(?:cohort|group)\b", re.I)) == ((), ())  # not an alternation at the top
    # what every branch starts with is taken out of the alternation by re's parser: the branches are still cut
    factored = quick(r"\bplan\s+for\b|\bscheduled\b", re.I)
    assert factored.search("as scheduled") is not None and factored._compiled is not None
    assert factored._compiled.for_text("as scheduled").regex.pattern == r"\bscheduled\b"  # type: ignore[union-attr]
    assert factored._compiled.for_text("as planned") is None and factored.search("as planned") is None
    quick_pattern = quick(pattern.pattern, re.I)
    for sample in ("Group A only, 2 arms", "for the cohort", "Cohort only", "3 arms (x|", "only in group B"):
        found, expected = quick_pattern.search(sample), pattern.search(sample)
        assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))
    assert quick_pattern._compiled is not None and quick_pattern._compiled.for_text("2 arms").regex.pattern == (
        r"(?P<n>\d+)\s+arms?|[|(]x\|"
    )


def test_case_folds_that_lower_does_not_show_still_reach_the_pattern() -> None:
    assert quick(r"\bsubstudy\b", re.I).search("a ſubstudy") is not None
    assert quick(r"\bif\s+female\b", re.I).search("İf female") is not None
    assert quick(r"\bkelvin\b", re.I).search("\u212aelvin") is not None


def test_first_characters_are_what_every_match_starts_with() -> None:
    lookahead = first_characters(re.compile(r"\b(?:no|not|without)\b", re.I))
    assert lookahead is not None and lookahead.pattern == r"(?=[nw])\b(?:no|not|without)\b"
    assert first_characters(re.compile(r"(?P<n>\d+|one)\s*days?", re.I)) is not None
    branches = first_characters(re.compile(r"(?<=[a-z])\.\s+|;", re.I))  # a lookbehind matches nothing
    assert branches is not None and branches.pattern == r"(?=[\.;])(?:(?<=[a-z])\.\s+|;)"  # for every branch
    optional = first_characters(re.compile(r"\b(?:very\s+)?big", re.I))  # an optional part, or what follows it
    assert optional is not None and optional.pattern == r"(?=[vb])\b(?:very\s+)?big"
    # branches that match only at the start of the text: the lookahead is for every other position
    at_start = first_characters(re.compile(r"^\W*if\b|\bin\s+case\s+of\b", re.I))
    assert at_start is not None and at_start.pattern == r"(?:^|(?=[i]))(?:^\W*if\b|\bin\s+case\s+of\b)"
    for sample in ("If so", " if so", "x in case of", "in case of", "x if"):
        found, expected = at_start.search(sample), re.search(r"^\W*if\b|\bin\s+case\s+of\b", sample, re.I)
        assert (found and found.span()) == (expected and expected.span()), sample
    # unknown, or re skips ahead by itself: no lookahead
    assert first_characters(re.compile(r"(?:^\W*|\(\s*)for", re.I)) is None  # "^" and "(" are passed over at once
    assert first_characters(re.compile(r"\b(?:very\s+)?", re.I)) is None  # may match nothing
    assert first_characters(re.compile(r"(?:a|.)b", re.I)) is None  # any character
    assert first_characters(re.compile(r"^\W*if\b", re.I)) is None  # an anchor
    assert first_characters(re.compile(r"exempt", re.I)) is None  # a first literal
    assert first_characters(re.compile(r";|\s+but\s+|\bhowever\b", re.I)) is None  # a space passes every few characters
    assert first_characters(re.compile(r"(?i)\b(?:no|not)\b")) is None  # global flags stay first
    assert first_characters(re.compile(r"\b[^a]b")) is None  # a negated class


def test_a_quick_pattern_searches_with_its_lookahead() -> None:
    pattern = quick(r"\b(?:no|not|without)\s+(?:prior|previous)\b", re.I)
    assert pattern.scan is not pattern.regex and pattern.regex.pattern == pattern.pattern
    text = "Patients with NO prior therapy, or without previous surgery"
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.regex.finditer(text)]
    assert len(list(pattern.finditer(text))) == 2


def test_every_cue_named_in_the_code_is_in_the_file_and_every_entry_is_used() -> None:
    # `cue(id)` reads the file on first use, so a misspelt id would only fail when its pattern is first searched
    source = "\n".join(path.read_text(encoding="utf-8") for path in Path(matcher.__file__).parent.rglob("*.py"))
    named = set(re.findall(r"""\bcue\(\s*["']([\w.]+)["']""", source))
    assert named - CUES.keys() == set()
    assert CUES.keys() - named == set()


def test_a_cue_pattern_answers_as_its_entry_and_pickles_as_its_id() -> None:
    pattern = cue("cue.negation.before")
    assert repr(pattern) == "cue('cue.negation.before')"
    assert pattern.search("patients without brain metastases") is not None
    assert pattern.pattern == CUES["cue.negation.before"].pattern.pattern
    assert pickle.loads(pickle.dumps(pattern)) is pattern  # the cached pattern of that id


def test_a_cue_says_when_case_matters() -> None:
    # "Exclusion Criteria:" capitalised inside a paragraph is a heading (NCT00368329); in lower case, a reference
    heading = cue("cue.heading.inline")
    assert not heading.regex.flags & re.IGNORECASE
    assert heading.search("... adequate contraception. Exclusion Criteria:- Patients receiving any other agents")
    assert heading.search("Patients who meet any of the exclusion criteria: see below") is None
    assert cue("cue.heading.main").regex.flags & re.IGNORECASE  # case is ignored unless the entry says otherwise


def test_a_plain_ascii_text_is_matched_by_the_ascii_twin_with_the_same_answers() -> None:
    # re.ASCII changes only what non-ASCII characters match, and Unicode's \s also takes the separators \x1c-\x1f
    pattern = quick(r"\bno\s+prior\b", re.I)
    compiled = pattern._compiled or pattern._compile()
    assert compiled.ascii_regex.flags & re.ASCII and not compiled.regex.flags & re.ASCII
    for sample in ("No prior therapy", "no\x1cprior therapy", "NO PRİOR", "no\u00a0prior", "no prior"):
        expected = compiled.regex.search(sample)
        found = pattern.search(sample)
        assert (found and found.span()) == (expected and expected.span()), sample
    # a pattern that names a character folding to an ASCII letter keeps Unicode's answer ("\u212a" is "k")
    kelvin = quick("\u212aelvin", re.I)
    twin = kelvin._compiled or kelvin._compile()
    assert twin.ascii_regex is twin.regex and kelvin.search("kelvin") is not None


def _corpus_lines() -> list[str]:
    """Every 25th distinct line of the HINT texts, with an upper-case copy of some and copies where the letters whose
    lower case re and str.lower() see differently stand in (long s, dotted and dotless i)."""
    from bench._common import load_hint
    from tests.conftest import SHARED

    lines = sorted({line.strip() for t in load_hint(SHARED) for line in t.text.splitlines() if line.strip()})[::25]
    return [
        *lines,
        *(line.upper() for line in lines[::3]),
        *(line.replace("s", "\u017f") for line in lines[::5]),
        *(line.replace("I", "\u0130").replace("i", "\u0131") for line in lines[::7]),
    ]


def test_a_skipped_search_or_a_left_out_branch_never_loses_a_match_on_real_texts() -> None:
    # every pattern of the parser and the kinds that a guard or its needles can skip: wherever the quick pattern does
    # not run the plain regex as it is (no search, some branches left out, no match), it answers as the regex does
    import importlib
    import pkgutil

    import matcher.eligibility

    for module in pkgutil.walk_packages(matcher.eligibility.__path__, "matcher.eligibility."):
        importlib.import_module(module.name)
    import gc

    patterns = {(c.pattern.pattern, c.pattern.flags): c.pattern for c in CUES.values()}
    for value in gc.get_objects():
        if type(value) is QuickPattern and value.pattern:
            patterns.setdefault((value.pattern, value.flags), value)
    lines = _corpus_lines()
    asked = 0
    for pattern in patterns.values():
        compiled = pattern._compiled or pattern._compile()
        if not compiled.guards:
            continue
        regex = re.compile(pattern.pattern, pattern.flags)
        for line in lines:
            skipped = bool(compiled.needles) and not compiled.possible(line, 0, len(line))
            if skipped or compiled.for_text(line) is not compiled:
                asked += 1
                found = [(m.span(), m.groups()) for m in pattern.finditer(line)]
                assert found == [(m.span(), m.groups()) for m in regex.finditer(line)], (pattern.pattern, line)
            if compiled.match_needles and compiled.lacks(line, compiled.match_needles):
                assert regex.match(line) is None and pattern.match(line) is None, (pattern.pattern, line)
    assert asked > 10_000  # the guards were asked about many real texts
