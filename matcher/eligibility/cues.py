"""Context cues as data: negation, permission, prohibition, candidacy, definitions, other persons, conditions,
cohorts, recommendations and notes (matcher/knowledge/cues.json, the ConText idea: a cue with an id, a category and
real examples). The file is validated against cues.schema.json when first loaded; `tests/test_scope.py` checks every
example against its pattern.

Each cue, and the parser's other hot patterns, is a `QuickPattern`: the compiled pattern plus the words one of which
any of its matches must contain (found from the pattern itself, `needles`). Python's `re` has no fast scan for a
case-insensitive pattern and tries it at every position of the text; a text that holds none of the words cannot
match, and a substring test says so many times faster. The answer is the pattern's own whenever it can match.

Where the text may hold a match, the search is run with the characters a match can start with put first, as a
lookahead (`first_characters`): a pattern that starts with a word boundary or an alternation ("\\b(?:no|not|without
|...)") is otherwise tried branch by branch at every position, and re passes over a position whose character is not
in the lookahead's class at once. The lookahead only says what the pattern's first step already requires.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import cache, lru_cache
from importlib.resources import files
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import msgspec
from jsonschema import Draft202012Validator

from matcher.errors import RuleFileError

CUES_FILE = "cues.json"
SCHEMA_FILE = "cues.schema.json"

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_SPELLED = (sre.IN, sre.SUBPATTERN, sre.BRANCH, *_REPEATS)  # what a run may go on over (`_spellings`)
_STRING_START = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
# Characters that a case-insensitive pattern matches to an ASCII letter though their str.lower() is not that letter:
# dotted capital I (whose lower() is two characters), dotless i, long s.
_FOLD_EXCEPTIONS = ("\u0130", "\u0131", "\u017f")
_SHORTEST = 3
_MOST_SETS = 2  # a text that holds the words of the two most selective sets mostly holds the rest


Needles = tuple[frozenset[str], ...]  # every set is needed: a text holds a word of each
# The needles as `_Compiled.lacks` walks them: each set a tuple, its shortest words first (`_walked`)
Walked = tuple[tuple[str, ...], ...]
# A run's spellings (`_spellings`): "sub-?study" is "substudy" or "sub-study". More words cost more substring tests
_MOST_SPELLINGS = 4


def _score(words: frozenset[str]) -> tuple[bool, bool, int, int]:
    """How selective a set of words is: telling words only (`_telling`: a set with "no" in it, or an alternation's
    union that took it for a branch, "\\bno\\s+(?:upper\\s+)?(?:limits?|maximum|cap)\\b", comes after every set
    without one, and is asked only where a pattern has no other, `_selective`), then words of four or more letters
    ("no", "arm" are in most texts), then fewer words, then a longer shortest word."""
    shortest = min(map(len, words))
    return all(map(_telling, words)), shortest >= 4, -len(words), shortest


def _required(items: Any, ignorecase: bool) -> list[frozenset[str]]:
    """Sets of words, each holding a word that every match of the parsed sequence ``items`` contains (lower case if
    ``ignorecase``), or that the text holds next to it (a lookahead or lookbehind that must match: every set is
    asked of the whole text). A run of literal characters is one; a group or a repeat done at least once gives its
    body's sets, as does a lookaround that must match; an alternation gives the union of its branches' most selective
    sets (none if a branch has none). Negative lookarounds, classes and anchors give nothing, which only makes the
    sets less selective, never wrong.

    The run goes on over a part that can match only a few strings (`_spellings`), and its spellings are then the set:
    "sub-?study" needs "substudy" or "sub-study", not the "study" of most criteria (nor the "sub" of "subjects")."""
    found: list[frozenset[str]] = []
    run: list[str] = [""]  # the run's spellings
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL and chr(av).isascii():
            letter = chr(av).lower() if ignorecase else chr(av)
            run = [spelling + letter for spelling in run]
            continue
        if (
            run != [""]  # a run goes on over such a part; one that starts with it is the part's own (a group's sets)
            and op in _SPELLED
            and (spellings := _spellings([(op, av)], ignorecase)) is not None
            and len(run) * len(spellings) <= _MOST_SPELLINGS
        ):
            run = [before + after for before in run for after in spellings]
            continue
        if all(run):  # no spelling empty
            found.append(frozenset(run))
        run = [""]
        if op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group that changes no flag
            found.extend(_required(av[3], ignorecase))
        elif op is sre.ATOMIC_GROUP:
            found.extend(_required(av, ignorecase))
        elif op in _REPEATS and av[0] >= 1:
            found.extend(_required(av[2], ignorecase))
        elif op is sre.ASSERT:  # a lookaround's words are in the text, next to the match: "\\w+(?<=group)\\s+only"
            found.extend(_required(av[1], ignorecase))
        elif op is sre.BRANCH:
            branches = [_required(branch, ignorecase) for branch in av[1]]
            if all(branches):
                found.append(frozenset().union(*(max(b, key=_score) for b in branches)))
    return found


def _spellings(items: Any, ignorecase: bool) -> list[str] | None:
    """Every string the parsed sequence ``items`` can match, where it is a few (`_MOST_SPELLINGS`), None otherwise: an
    ASCII literal is itself, a class of ASCII literals each of its members ("[- ]", and "(?:a|b)", which re parses as
    "[ab]"), an optional part ("s?") nothing or its own, a group its body's, an alternation its branches'."""
    found = [""]
    for op, av in items:
        strings: list[str] | None = None
        if op is sre.LITERAL and chr(av).isascii():
            strings = [chr(av).lower() if ignorecase else chr(av)]
        elif op is sre.IN and all(o is sre.LITERAL and chr(a).isascii() for o, a in av):
            strings = [chr(a).lower() if ignorecase else chr(a) for _, a in av]
        elif op in _REPEATS and av[0] == 0 and av[1] == 1:
            body = _spellings(av[2], ignorecase)
            strings = None if body is None else ["", *body]
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            strings = _spellings(av[3], ignorecase)
        elif op is sre.BRANCH:
            branches = [_spellings(branch, ignorecase) for branch in av[1]]
            strings = None if any(b is None for b in branches) else [s for b in branches if b is not None for s in b]
        if strings is None or len(found) * len(strings) > _MOST_SPELLINGS:
            return None
        found = list(dict.fromkeys(before + after for before in found for after in strings))
    return found


def _telling(word: str) -> bool:
    """Whether a word says something of a text: a word of one or two letters ("no", "or") is in most texts; a
    punctuation mark (";", ".") is not."""
    return len(word) >= _SHORTEST or not any(ch.isalpha() for ch in word)


@lru_cache(maxsize=16)
def _parsed(pattern: str, flags: int) -> Any:
    """The pattern as re's parser reads it, parsed once for all that `_Compiled` asks of it (its needles, its match
    needles, its first characters, its branches, whether it has an ASCII twin), not once for each: the parser is
    pure Python and parsing took more of a first pass over the HINT texts than compiling. Read, never changed."""
    return sre_parse.parse(pattern, flags).data


def _anchored(items: Any) -> bool:
    return bool(items) and items[0][0] is sre.AT and items[0][1] in _STRING_START


def needles(pattern: re.Pattern[str]) -> tuple[Needles, bool]:
    """(needles, anchored): a text can hold a match only if it contains a word of each set of ``needles`` (the most
    selective first, `_selective`), or, when ``anchored``, if the pattern matches at its start (branches like
    "^\\W*if\\b" match only there). No needles: nothing to ask."""
    if pattern.flags & re.MULTILINE:  # "^" then matches after every newline
        return (), False
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    data = _parsed(pattern.pattern, pattern.flags)
    if _anchored(data):  # re tries a pattern anchored at the start at the start only: nothing to gain
        return (), False
    anchored = False
    if len(data) == 1 and data[0][0] is sre.BRANCH:
        branches = data[0][1][1]
        rest = [_required(b, ignorecase) for b in branches if not _anchored(b)]
        if not all(rest):
            return (), False
        found = [frozenset().union(*(max(b, key=_score) for b in rest))]
        anchored = len(rest) < len(branches)
    else:
        found = _required(data, ignorecase)
    useful = _selective(found)
    return tuple(useful), anchored and bool(useful)


def _selective(found: list[frozenset[str]]) -> list[frozenset[str]]:
    """The sets of words to ask (`_score`): the two most selective of those without a word of one or two letters;
    where every set has one, the most selective set still. A pattern without needles is searched in every text it is
    asked about, and a set such as "day", "week", "wk", "mo", "year", "yr" (the durations of a window, searched at
    every digit and number word of a window's text; half of those texts hold none of them) or "no", "not",
    "without" saves more searches than its check costs: 1.1% fewer instructions over the HINT texts."""
    telling = _telling_sets(found)
    if telling:
        return telling[:_MOST_SETS]
    return [max(found, key=_score)] if found else []  # of sets that score the same, the first in the pattern


def _telling_sets(found: list[frozenset[str]]) -> list[frozenset[str]]:
    """The sets of ``found`` made of telling words only (`_telling`), each once, the most selective first (`_score`):
    the needles `_selective` and `branch_guards` choose from. Sets that score the same keep their order in the
    pattern, so that every process asks the same needles: ordered as a set, they would follow the strings' hashes,
    which differ between processes (the answers would not)."""
    return sorted(dict.fromkeys(w for w in found if all(map(_telling, w))), key=_score, reverse=True)


def _walked(needles: Needles) -> Walked:
    """The needles as the check walks them (`_Compiled.lacks`, asked some three million times a pass over the HINT
    texts): a tuple steps to its next word at once, a set over the empty slots of its table; the shortest words,
    which a text holds most often, first, where one word found ends the walk of its set. A word that holds another
    word of its set is left out ("enrolled" beside "enrol"): a text that holds it holds the other, so the set's answer
    is the same, and a text that lacks the set (the usual case: most questions are answered "no") is not read again
    for it. About 4% fewer substring tests over the HINT texts."""
    return tuple(
        tuple(
            sorted(
                (word for word in words if not any(other != word and other in word for other in words)),
                key=lambda word: (len(word), word),
            )
        )
        for words in needles
    )


def match_needles(pattern: re.Pattern[str]) -> Needles:
    """Needles of every match, wherever it starts and whether or not it is anchored: for `QuickPattern.match`, and
    for a search where `needles` gives none, as for a pattern anchored at the start. re tries those at one position
    only, but the one try can be long: "^\\W*(?:notes?\\b|...|(?:[\\w/-]+\\s+){0,8}?(?:is|are)\\s+considered ...)"
    walks back and forth over the opening words of every criterion, a heading's pattern over every line's."""
    data = _parsed(pattern.pattern, pattern.flags)
    found = _required(data, bool(pattern.flags & re.IGNORECASE))
    return tuple(_selective(found))


_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT)
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_BOUNDARIES = (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY)
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}  # fmt: skip
# First characters that pass nearly every position (a space comes every few characters): a lookahead for them costs
# more than it saves: the clause break (one of its branches is \s+but\s+), searched in every criterion, took twice as
# long with one.
_WIDE = {r"\s", r"\S", r"\w", r"\W", r"\D"}


def _class_items(items: Any) -> list[str] | None:
    """The members of a character class as class syntax; None for a negated class or one this does not render."""
    found = []
    for op, av in items:
        if op is sre.LITERAL:
            found.append(re.escape(chr(av)))
        elif op is sre.RANGE:
            found.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            found.append(_CATEGORIES[av])
        else:
            return None
    return found


_AT_START = "^"  # in `_firsts`' answer: a match may start at the start of the text, whatever its first character


def _firsts(items: Any) -> list[str] | None:
    """The class members, one of which is the first character of every match of the parsed sequence ``items``; or
    `_AT_START` for a match that starts where the text does ("^\\W*if\\b"); None when that is not known (a part that
    may match nothing, any character, a back reference...). Word boundaries and lookarounds before it match no
    character and are passed over; an optional part gives its own first characters and those of what follows it."""
    for at, (op, av) in enumerate(items):
        if (op is sre.AT and av in _BOUNDARIES) or op in _ZERO_WIDTH:
            continue
        if op is sre.AT and av in _STRING_START:
            return [_AT_START]
        if op is sre.LITERAL:
            return [re.escape(chr(av))]
        if op is sre.IN:
            return _class_items(av)
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            return _firsts(av[3])
        if op is sre.ATOMIC_GROUP:
            return _firsts(av)
        if op in _REPEATS and av[0] >= 1:
            return _firsts(av[2])
        if op in _REPEATS and av[0] == 0:  # "(?:tested\\s+)?for": "tested" or what follows
            body, after = _firsts(av[2]), _firsts(items[at + 1 :])
            return None if body is None or after is None else body + after
        if op is sre.BRANCH:
            found: list[str] = []
            for branch in av[1]:
                members = _firsts(branch)
                if members is None:
                    return None
                found.extend(members)
            return found
        return None
    return None  # the pattern may match the empty string


def first_characters(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern with a lookahead for the characters its matches can start with, compiled with the same flags; None
    where re already starts from a first literal or class of its own, where the first characters are not known, or
    where they include a wide class (`_WIDE`), or in a VERBOSE pattern (whose comment would take the closing
    parenthesis). Where some branches of an alternation match only at the start of the text ("^\\W*if\\b|\\bin\\s+
    case\\s+of\\b"), the lookahead is asked after the text's first position: "(?:^|(?=[i]))"."""
    data = _parsed(pattern.pattern, pattern.flags)
    if not data or data[0][0] in (sre.LITERAL, sre.IN) or _GLOBAL_FLAGS.match(pattern.pattern):
        return None  # re already skips ahead by the first literal or class; "(?i)" must stay first
    members = _firsts(data)
    if members is None or not _WIDE.isdisjoint(members):
        return None
    alternation = len(data) == 1 and data[0][0] is sre.BRANCH
    at_start = _AT_START in members
    if at_start and not (alternation and any(map(_anchored, data[0][1][1]))):
        return None  # "(?:^\\W*|\\(\\s*)for": re passes over a position at "^" and "\\(" as fast as at the lookahead
    members = [m for m in members if m != _AT_START]
    if not members or (at_start and pattern.flags & re.MULTILINE) or pattern.flags & re.VERBOSE:
        return None  # anchored at the start: re tries it there only; MULTILINE: "^" matches at every line
    lookahead = "(?=[" + "".join(dict.fromkeys(members)) + "])"
    # an alternation in a group: the lookahead is asked before every branch of "a|b", not before the first only
    body = "(?:" + pattern.pattern + ")" if alternation else pattern.pattern
    return re.compile(("(?:^|" + lookahead + ")" if at_start else lookahead) + body, pattern.flags)


def _top_branches(pattern: str) -> list[str]:
    """The pattern's text cut at the bars of its top-level alternation (one piece where it has none): a bar in a
    group, a class or after a backslash is not one."""
    pieces, start, depth, at = [], 0, 0, 0
    while at < len(pattern):
        ch = pattern[at]
        if ch == "\\":
            at += 1
        elif ch == "[":  # a class runs to the first "]" not escaped and not its first member ("[]a]", "[^]a]")
            at += 2 if pattern.startswith("[^", at) else 1
            at += 1 if pattern.startswith("]", at) else 0
            while pattern[at] != "]":
                at += 2 if pattern[at] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            pieces.append(pattern[start:at])
            start = at + 1
        at += 1
    return [*pieces, pattern[start:]]


def _alone(branch: str, items: Any, flags: int) -> bool:
    """Whether a branch's text is a pattern of its own, the parsed branch ``items``, without groups: one that opens a
    capturing group or refers to one (a group opened by another branch) is not."""
    try:
        parsed = sre_parse.parse(branch, flags)
    except re.error:
        return False
    return parsed.state.groups == 1 and repr(parsed.data) == repr(list(items))  # group 0, the whole match, counts


Guard = tuple[int, Needles]  # a top-level branch, by its place, and the needles of all its matches
WalkedGuard = tuple[int, Walked]


def branch_guards(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], tuple[Guard, ...]]:
    """(branches, guards): the text of each branch of a top-level alternation, and for each branch that can be left
    out of a search, its needles. A text that lacks them cannot match the branch anywhere, and an alternation tries
    its branches in turn at each position, so the alternation of the other branches finds the same matches (the
    same first one, the same spans): `_Compiled.for_text`. A branch with a capturing group is never left out (the
    groups keep their numbers), nor one without telling needles. (One anchored at the start is: re tries it at the
    start only, but a text that can match no branch is not searched at all.) No guards for a pattern that is not an
    alternation, nor one with global flags or VERBOSE (whose comments may hold a bar), nor MULTILINE (whose "^" is
    any line's)."""
    data = _parsed(pattern.pattern, pattern.flags)
    if not data or data[-1][0] is not sre.BRANCH or pattern.flags & (re.VERBOSE | re.MULTILINE):
        return (), ()
    if _GLOBAL_FLAGS.match(pattern.pattern):
        return (), ()
    branches = _top_branches(pattern.pattern)
    # the parser takes what every branch starts with out of the alternation ("\\ba|\\bb": "\\b", then "a|b")
    prefix = list(data[:-1])
    parsed = [prefix + list(branch) for branch in data[-1][1][1]]
    if len(branches) != len(parsed) or len(parsed) < 2:  # the cut did not find the parser's branches
        return (), ()
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    guards = []
    for at, items in enumerate(parsed):
        if not _alone(branches[at], items, pattern.flags):
            continue
        useful = _telling_sets(_required(items, ignorecase))
        if useful:
            guards.append((at, tuple(useful[:_MOST_SETS])))
    return (tuple(branches), tuple(guards)) if guards else ((), ())


class _Lowered:
    """The last text lowered, with its lower case, as one tuple (replaced whole, so threads never see half of it):
    the cues of one criterion are asked about the same text in turn."""

    last: tuple[str, str | None] = ("", "")


# Non-ASCII characters that a case-insensitive pattern matches to an ASCII letter: dotted capital I, dotless i, long s,
# Kelvin sign. A pattern that names one is not given an ASCII twin (`_ascii_twin`).
_ASCII_FOLDS = frozenset({0x130, 0x131, 0x17F, 0x212A})
# ASCII characters that Unicode's \s matches and ASCII's does not (information separators): a text with one is matched
# by the pattern itself.
_INFORMATION_SEPARATORS = "\x1c\x1d\x1e\x1f"


def _names_an_ascii_fold(items: Any) -> bool:
    """Whether the parsed sequence ``items`` holds a literal, or a class range, of `_ASCII_FOLDS`."""
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL) and av in _ASCII_FOLDS:
            return True
        if op is sre.RANGE and any(av[0] <= c <= av[1] for c in _ASCII_FOLDS):
            return True
        parts: list[Any] = []
        if op is sre.IN or op is sre.ATOMIC_GROUP:
            parts = [av]
        elif op is sre.BRANCH:
            parts = list(av[1])
        elif op is sre.SUBPATTERN:
            parts = [av[3]]
        elif op in _REPEATS:
            parts = [av[2]]
        elif op in _ZERO_WIDTH:
            parts = [av[1]]
        elif op is sre.GROUPREF_EXISTS:
            parts = [p for p in av[1:] if p is not None]
        if any(_names_an_ascii_fold(part) for part in parts):
            return True
    return False


def _ascii_twin(pattern: re.Pattern[str], source: re.Pattern[str] | None = None) -> re.Pattern[str]:
    """The pattern compiled with re.ASCII, which gives the same matches in a plain ASCII text (`_plain`): the flag
    changes only what non-ASCII characters of the text match (and the separators, `_INFORMATION_SEPARATORS`).
    Python's re otherwise looks every letter up in Unicode's case tables for a case-insensitive pattern, and every
    character for \\b and \\w: a pass over the HINT texts spent about a twentieth of its time there. The pattern itself
    where the twin could differ: it names a character of `_ASCII_FOLDS`, or asks for Unicode (``(?u)``). For a scan,
    ``source`` is the pattern it was made from (`first_characters`), whose parse answers for it: the lookahead names
    only characters the pattern names."""
    source = source or pattern
    try:
        if _names_an_ascii_fold(_parsed(source.pattern, source.flags)):
            return pattern
        return re.compile(pattern.pattern, pattern.flags & ~re.UNICODE | re.ASCII)  # a str pattern has re.UNICODE
    except (re.error, ValueError):  # "(?u)" in the pattern and re.ASCII do not go together
        return pattern


class _Plain:
    """The last text asked about, and whether it is plain ASCII (`_plain`), as one tuple (replaced whole)."""

    last: tuple[str, bool] = ("", True)


def _plain(text: str) -> bool:
    """Whether a pattern's ASCII twin (`_ascii_twin`) answers for it: ASCII, without an information separator.
    str.isascii() is known without reading the text; the separators are looked for once per text, not once per
    pattern (the cues of one criterion are asked about the same text in turn), each with a substring test (memchr),
    which reads the text several times faster than re tries a class at each of its characters."""
    last, plain = _Plain.last
    if text is not last:
        plain = text.isascii() and not any(separator in text for separator in _INFORMATION_SEPARATORS)
        _Plain.last = (text, plain)
    return plain


class _Searched:
    """What a search runs: the regex, its scan (`first_characters`: the same matches) and the scan compiled for a
    plain ASCII text (`ascii_scan`: `_ascii_twin`). A variant of a pattern (`_Compiled.for_text`) is this only: it is
    searched, never asked for needles or branches, and a first pass over the HINT texts makes some 500 of them."""

    __slots__ = ("ascii_scan", "regex", "scan")

    def __init__(self, pattern: str, flags: int) -> None:
        regex = re.compile(pattern, flags)
        self.regex = regex
        self.scan = first_characters(regex) or regex
        self.ascii_scan = _ascii_twin(self.scan, regex)


class _Compiled(_Searched):
    """A `QuickPattern` once compiled: what a search runs (`_Searched`), the regex compiled for a plain ASCII text
    (`ascii_regex`, for match and fullmatch), the needles, and the branches a text may leave out of a search."""

    __slots__ = (
        "anchored",
        "ascii_regex",
        "branches",
        "guards",
        "ignorecase",
        "match_needles",
        "needles",
        "variants",
    )

    def __init__(self, pattern: str, flags: int) -> None:
        super().__init__(pattern, flags)
        regex = self.regex
        self.ascii_regex = self.ascii_scan if self.scan is regex else _ascii_twin(regex)
        self.ignorecase = bool(regex.flags & re.IGNORECASE)  # a plain bool: a RegexFlag's "&" runs Python code
        found, self.anchored = needles(regex)
        self.match_needles: Walked = _walked(match_needles(regex))
        self.needles: Walked = _walked(found) if found else self.match_needles  # every match holds those
        self.branches, guards = branch_guards(regex)
        self.guards: tuple[WalkedGuard, ...] = tuple((at, _walked(words)) for at, words in guards)
        self.variants: dict[tuple[int, ...], _Searched] = {}

    def scan_for(self, text: str) -> re.Pattern[str] | None:
        """What a search of the text runs: the scan of the branches it may match (`for_text`), the ASCII twin for a
        plain text (`_plain`); None where it can match no branch."""
        compiled = self.for_text(text) if self.guards else self
        if compiled is None:
            return None
        return compiled.ascii_scan if _plain(text) else compiled.scan

    def for_text(self, text: str) -> _Searched | None:
        """The pattern to search the text with: itself, or the alternation of its branches the text may match, where
        it lacks the needles of some (`branch_guards`: the same matches); None where it lacks those of every branch.
        The search of "cue.scope.cohort", in every criterion, otherwise tried "\\b[\\w/-]++(?:(?<=group)|(?<=stratum))
        \\s+only\\b" at every word of every text."""
        left_out = tuple(at for at, needles in self.guards if self.lacks(text, needles))
        if not left_out:
            return self
        if len(left_out) == len(self.branches):  # the text can match none
            return None
        variant = self.variants.get(left_out)
        if variant is None:
            kept = [branch for at, branch in enumerate(self.branches) if at not in left_out]
            variant = self.variants[left_out] = _Searched("|".join(kept), self.regex.flags)
        return variant

    def possible(self, text: str, pos: int, endpos: int) -> bool:
        """False only when the pattern cannot match in text[pos:endpos]. (`QuickPattern`'s searches call it only for
        a pattern with needles: a quarter of the calls over the HINT texts were for patterns with none.)"""
        return not self.lacks(text, self.needles) or (self.anchored and self.matches_at_start(text, pos, endpos))

    def matches_at_start(self, text: str, pos: int, endpos: int) -> bool:
        """Whether the pattern matches at the start: a pattern with branches anchored there (``anchored``, `needles`)
        may match without the needles."""
        return self.regex.match(text, pos, endpos) is not None

    def lacks(self, text: str, needles: Walked) -> bool:
        """Whether the text lacks every word of some set of the needles (so no match holds them all). False when that
        is not known: a case-insensitive pattern, and a text whose lower case does not say what it matches."""
        folded: str | None = text
        if self.ignorecase:
            # the text as a case-insensitive pattern's literals see it, lower case; None when str.lower() would not
            # say what such a pattern matches (`_FOLD_EXCEPTIONS`). Here, not in a function of its own: it is asked
            # about a million times a pass over the HINT texts, and the call cost more than the check
            last, folded = _Lowered.last
            if text is not last:
                folded = text.lower() if text.isascii() or not any(c in text for c in _FOLD_EXCEPTIONS) else None
                _Lowered.last = (text, folded)
        if folded is None:
            return False
        for words in needles:
            for word in words:
                if word in folded:
                    break
            else:
                return True
        return False


class QuickPattern:
    """A compiled pattern that first asks whether the text holds one of its `needles`: where none is, no search is
    run (nor the text substituted); everything else is the pattern's own answer. Every module-level pattern of the
    parser is one (`quick`; the kinds' `kinds.base.lazy_regex` is the same).

    It is compiled, and its needles found, when first used, not when made: matching imports the kinds for their
    evaluators and runs none of their patterns. Until then only `pattern` and `flags` are set; the first use sets
    `_compiled` (`_Compiled`), which each method reads. (Not a ``__getattr__`` that fills the slots on first read: a
    class with one reads every attribute through a slower hook, and these patterns are asked some 1.8 million times
    a pass over the HINT texts.) It pickles as its pattern and flags (a worker process compiles it again on first
    use)."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: _Compiled | None = None

    def _compile(self) -> _Compiled:
        compiled = self._compiled = _Compiled(self.pattern, self.flags)
        return compiled

    @property
    def regex(self) -> re.Pattern[str]:
        return (self._compiled or self._compile()).regex

    @property
    def scan(self) -> re.Pattern[str]:
        return (self._compiled or self._compile()).scan

    @property
    def groupindex(self) -> Mapping[str, int]:
        return (self._compiled or self._compile()).regex.groupindex

    def __reduce__(self) -> tuple[type[QuickPattern], tuple[str, int]]:
        return QuickPattern, (self.pattern, self.flags)

    def possible(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """False only when the pattern cannot match in text[pos:endpos]."""
        return (self._compiled or self._compile()).possible(text, pos, endpos)

    # search, finditer, findall, sub and split each write out the needle check and the branch choice: folded into one
    # call they cost 1.7% more of a parse's instructions (the hottest path of the parser)
    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        compiled = self._compiled or self._compile()
        # `possible`, written out: the needles first, and only a pattern with branches anchored at the start is tried
        # there (a call less on each of some two million searches a pass over the HINT texts that the needles skip)
        if (
            compiled.needles
            and compiled.lacks(text, compiled.needles)
            and not (compiled.anchored and compiled.matches_at_start(text, pos, endpos))
        ):
            return None
        if (scan := compiled.scan_for(text)) is None:
            return None
        return scan.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        compiled = self._compiled or self._compile()
        if (
            compiled.needles
            and compiled.lacks(text, compiled.needles)
            and not (compiled.anchored and compiled.matches_at_start(text, pos, endpos))
        ):
            return iter(())
        if (scan := compiled.scan_for(text)) is None:
            return iter(())
        return scan.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        compiled = self._compiled or self._compile()
        if compiled.needles and not compiled.possible(text, pos, endpos):
            return []
        if (scan := compiled.scan_for(text)) is None:
            return []
        return scan.findall(text, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        compiled = self._compiled or self._compile()
        if compiled.needles and not compiled.possible(text, 0, sys.maxsize):
            return text
        if (scan := compiled.scan_for(text)) is None:
            return text
        return scan.sub(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        compiled = self._compiled or self._compile()
        if compiled.needles and not compiled.possible(text, 0, sys.maxsize):
            return [text]
        if (scan := compiled.scan_for(text)) is None:
            return [text]
        return scan.split(text, maxsplit)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        compiled = self._compiled or self._compile()
        if compiled.match_needles and compiled.lacks(text, compiled.match_needles):
            return None
        return (compiled.ascii_regex if _plain(text) else compiled.regex).match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        compiled = self._compiled or self._compile()
        if compiled.match_needles and compiled.lacks(text, compiled.match_needles):
            return None
        return (compiled.ascii_regex if _plain(text) else compiled.regex).fullmatch(text, pos, endpos)

    def __repr__(self) -> str:
        return f"QuickPattern({self.pattern!r}, {self.flags!r})"


def quick(pattern: str, flags: int = 0) -> QuickPattern:
    """re.compile(pattern, flags), compiled on first use, with its needles."""
    return QuickPattern(pattern, flags)


class Cue(msgspec.Struct, frozen=True):
    id: str
    category: str
    pattern: QuickPattern
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]


@cache
def load_cues() -> dict[str, Cue]:
    knowledge = files("matcher.knowledge")
    data = json.loads(knowledge.joinpath(CUES_FILE).read_text(encoding="utf-8"))
    schema = json.loads(knowledge.joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    error = next(iter(Draft202012Validator(schema).iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the file"
        raise RuleFileError(CUES_FILE, where, error.message)
    cues: dict[str, Cue] = {}
    for entry in data["entries"]:
        if entry["id"] in cues:
            raise RuleFileError(CUES_FILE, entry["id"], "ids are unique")
        try:  # case is ignored unless the entry says it matters ("Exclusion Criteria:" as a heading, not in a sentence)
            pattern = quick(entry["pattern"], 0 if entry.get("case_sensitive") else re.IGNORECASE)
        except re.error as exc:
            raise RuleFileError(CUES_FILE, entry["id"], f"the pattern does not compile: {exc}") from exc
        cues[entry["id"]] = Cue(entry["id"], entry["category"], pattern, tuple(entry["examples"]),
                                tuple(entry.get("non_examples", ())))  # fmt: skip
    return cues


class CuePattern(QuickPattern):
    """One cue's pattern, looked up in cues.json when first used, not when made: the kinds name their cues at module
    level, and matching imports the kinds for their evaluators, so a process that only matches never reads the file
    or validates it against its schema (about 14 ms for 140 cues). It pickles as its id."""

    __slots__ = ("cue_id",)

    def __init__(self, cue_id: str) -> None:
        super().__init__("", re.IGNORECASE)
        self.cue_id = cue_id

    def _compile(self) -> _Compiled:
        source = load_cues()[self.cue_id].pattern  # KeyError: a cue the file lacks (tests/test_cues.py checks every id)
        self.pattern, self.flags = source.pattern, source.flags
        compiled = self._compiled = source._compiled or source._compile()
        return compiled

    def __reduce__(self) -> tuple[Callable[[str], QuickPattern], tuple[str]]:  # type: ignore[override]
        return cue, (self.cue_id,)

    def __repr__(self) -> str:
        return f"cue({self.cue_id!r})"


@cache
def cue(cue_id: str) -> QuickPattern:
    """The pattern of one cue, read from the file on first use (`CuePattern`). Cached: the scope step asks for a
    dozen cues by id for every criterion."""
    return CuePattern(cue_id)
