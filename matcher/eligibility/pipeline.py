"""The entity step: spaCy's tokenizer (``spacy.blank("en")``) and phrase matchers fed from the vocabularies in
matcher/knowledge, giving each criterion its `Mention`s.

No model is downloaded: the tokenizer is spaCy's rule-based English one and every mention comes from a phrase
pattern whose ``id`` is the vocabulary entry's id, so a fact can say which entry fired. Built once, reused. The
matches become `Mention` records directly: no spaCy `Span` is built and nothing is written to ``doc.ents`` and read
back, which had cost more than the tokenizer itself (docs/benchmarks.md).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import NamedTuple

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from matcher.eligibility.kinds.primary_site import load_sites
from matcher.eligibility.text import Mention
from matcher.errors import RuleFileError
from matcher.knowledge_base import KnowledgeBase, load_knowledge

CONCEPTS_FILE = "concepts.json"
_CONCEPT_KEYS = {"id", "phrases"}


@dataclass(frozen=True)
class Concept:
    id: str
    phrases: tuple[str, ...]


def load_concepts() -> tuple[Concept, ...]:
    """The eligibility-idiom concepts (matcher/knowledge/concepts.json), validated."""
    path = files("matcher.knowledge").joinpath(CONCEPTS_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    concepts = []
    for position, entry in enumerate(data.get("entries", [])):
        name = entry.get("id", f"entry {position}") if isinstance(entry, dict) else f"entry {position}"
        if not isinstance(entry, dict) or set(entry) != _CONCEPT_KEYS:
            raise RuleFileError(CONCEPTS_FILE, name, f"an entry has exactly the keys {sorted(_CONCEPT_KEYS)}")
        if not str(name).startswith("concept.") or name in seen:
            raise RuleFileError(CONCEPTS_FILE, name, "ids start with 'concept.' and are unique")
        phrases = entry["phrases"]
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise RuleFileError(CONCEPTS_FILE, name, "phrases is a non-empty list of non-empty strings")
        seen.add(name)
        concepts.append(Concept(name, tuple(phrases)))
    return tuple(concepts)


class Pattern(NamedTuple):
    """One name of a vocabulary entry: ``label`` says what it is (DRUG, CONCEPT...), ``id`` the entry;
    ``as_written`` for short symbols, matched only as written: "MET" the gene, not "met" the verb; "PD", "Ca", "PS"."""

    label: str
    id: str
    phrase: str
    as_written: bool


def patterns(kb: KnowledgeBase, concepts: tuple[Concept, ...]) -> list[Pattern]:
    """Every name of every vocabulary entry, once per entry."""
    found: list[Pattern] = []

    def add(label: str, entry_id: str, names: tuple[str, ...] | list[str]) -> None:
        for name in dict.fromkeys(names):
            as_written = len(name) <= 5 and " " not in name and any(ch.isupper() for ch in name)
            found.append(Pattern(label, entry_id, name, as_written))

    for drug in kb.drugs.values():
        add("DRUG", drug.id, [drug.name, *drug.synonyms])
    for drug_class in kb.classes.values():
        add("CLASS", drug_class.id, [drug_class.name, *drug_class.synonyms])
    for gene in kb.genes.values():
        add("GENE", gene.id, [gene.gene, *gene.synonyms])
        for alteration in gene.alterations:
            add("ALTERATION", alteration.id, [alteration.name, *alteration.synonyms])
    for histology in kb.histologies.values():
        add("HISTOLOGY", histology.id, [histology.name, *histology.synonyms])
    for lab in kb.labs.values():
        add("LAB", lab.id, [lab.name, *lab.synonyms])
    for concept in concepts:
        add("CONCEPT", concept.id, concept.phrases)
    for site in load_sites().values():
        add("SITE", site.id, site.synonyms)
    return found


@cache
def build_nlp() -> Language:
    """The tokenizer, built once per process: ``spacy.blank("en")`` with two more infix rules."""
    nlp = spacy.blank("en")
    # "time(PT)≤17s", "Ratio(INR)≤2": split a bracket glued to a word, and a comparator glued to the bracket
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z])\((?=[A-Za-z])", r"(?<=\))[≤≥<>]"]
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


class _Entry(NamedTuple):
    """What a phrase matcher key stands for: a vocabulary entry's label and id."""

    label: str
    id: str


# A phrase matcher's match, as `Vocabulary` keeps it: (start, end, rank, key), the token offsets, the entry's rank
# (which of two entries that match the same tokens comes first: the hashed label, then the hashed id, the order spaCy's
# SpanRuler gave them, kept so that no reading changed when this step replaced it)
# and its matcher key (`Vocabulary.entries`). A plain tuple, not a named one: Python's own tuple order then sorts
# matches by position and rank with no key function and no constructor in Python (some 80,000 matches a pass over the
# HINT criteria, where the named tuples and sort keys had cost a quarter of the entity step); no two entries have the
# same rank, so the key never decides.
_Match = tuple[int, int, tuple[int, int], int]


class Vocabulary:
    """The vocabulary's names found in a tokenized criterion, as `Mention`s: what the kinds read.

    Two spaCy `PhraseMatcher`s: the names case-insensitively (``LOWER``), then the short symbols as written
    (``ORTH``: "MET" the gene, not "met" the verb; a phrase matcher is many times faster than token patterns).
    Overlaps keep the longest span, the first of equal ones: first among the names, then among the names kept and
    the symbols together. Mentions are built straight from the matches, once per criterion.
    """

    def __init__(self, nlp: Language, found: list[Pattern]) -> None:
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.symbols = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[int, _Entry] = {}
        self.ranks: dict[int, tuple[int, int]] = {}  # each key's entry's rank, what the matches are sorted by
        self.spaceless = True  # no name holds a whitespace token: no match can reach across a line break
        strings = nlp.vocab.strings
        for p in found:
            key = f"{p.label}|{p.id}"
            matcher_key = strings.add(key)
            self.entries[matcher_key] = _Entry(p.label, p.id)
            self.ranks[matcher_key] = (strings.add(p.label), strings.add(p.id))
            phrase = nlp.make_doc(p.phrase)
            self.spaceless = self.spaceless and not any(token.is_space for token in phrase)
            (self.symbols if p.as_written else self.names).add(key, [phrase])

    def _matches(self, matcher: PhraseMatcher, doc: Doc) -> list[_Match]:
        """The matcher's matches in ``doc``, each once, by start, end and rank."""
        ranks = self.ranks
        return sorted({(start, end, ranks[key], key) for key, start, end in matcher(doc) if start != end})

    def _kept(self, doc: Doc) -> list[_Match]:
        return _longest_first([*_longest_first(self._matches(self.names, doc)), *self._matches(self.symbols, doc)])

    def mentions(self, doc: Doc, text: str) -> list[Mention]:
        """The mentions in ``doc``, the tokens of ``text`` (slicing the text is much cheaper than ``doc.text``)."""
        found = []
        for first_token, end_token, _, key in self._kept(doc):
            first, last, entry = doc[first_token], doc[end_token - 1], self.entries[key]
            start, end = first.idx, last.idx + len(last)
            found.append(Mention(entry.label, entry.id, start, end, text[start:end]))
        return found

    def mentions_of_lines(self, doc: Doc, texts: Sequence[str]) -> list[list[Mention]]:
        """The mentions of each text, from ``doc``, the tokens of the texts joined by line breaks (`_LINE_BREAK`).

        The same as one doc per text: spaCy splits at whitespace first and tokenizes the words between on their
        own, so the texts' tokens are those they have alone, with a line-break token between texts; no name has a
        whitespace token (``spaceless``), so no match reaches from one text into the next, and the overlap rule
        (`_longest_first`) decides between the matches of one text as it does in that text's own doc.
        """
        starts = []  # where each text starts in the joined text
        at = 0
        for text in texts:
            starts.append(at)
            at += len(text) + len(_LINE_BREAK)
        found: list[list[Mention]] = [[] for _ in texts]
        for first_token, end_token, _, key in self._kept(doc):
            first, last, entry = doc[first_token], doc[end_token - 1], self.entries[key]
            position = bisect_right(starts, first.idx) - 1
            base, text = starts[position], texts[position]
            start, end = first.idx - base, last.idx + len(last) - base
            found[position].append(Mention(entry.label, entry.id, start, end, text[start:end]))
        return found


def _longest_first(matches: list[_Match]) -> list[_Match]:
    """The matches that overlap no longer one (nor an equally long one before them), in text order.

    Tried longest first, then by start, then in the order given: sorted as (-length, start, place) tuples, Python's
    own order, which is what a stable sort by length and start, longest and leftmost first, gives."""
    kept: list[_Match] = []
    taken: set[int] = set()
    for _, start, place in sorted([(start - end, start, place) for place, (start, end, *_) in enumerate(matches)]):
        match = matches[place]
        if start not in taken and match[1] - 1 not in taken:
            kept.append(match)
            taken.update(range(start, match[1]))
    kept.sort()  # by start: no two kept matches start at the same token
    return kept


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary matcher, built once per process."""
    return Vocabulary(build_nlp(), patterns(load_knowledge(), load_concepts()))


_LINE_BREAK = "\n"
_LINES_PER_DOC = 256
_MOST_WORDS = 200_000  # words remembered by `WordTokens` (about 200 bytes each); then it starts again


class WordTokens:
    """spaCy's tokenizer, run once per distinct word: docs are built from their words' tokens.

    spaCy splits a text at whitespace first and tokenizes each word (a run of non-space characters) on its own, with
    its prefix, suffix and infix rules and special cases ("e.g.", "cannot" -> "can" "not"): a text's tokens are its
    words' tokens, whatever stands around them. So each distinct word is tokenized once and its tokens remembered,
    and a doc is built straight from them (``Doc(vocab, words, spaces)``): the same tokens, at the same offsets, as
    the tokenizer gives the joined text (tests/test_pipeline.py checks it). spaCy keeps such a cache of its own, but
    holds at most 10,000 words and stores no word that comes after a special case in the same doc (spaCy #1250); with
    "and/or" or "e.g." in most docs, it tokenized again 159,000 of the 562,000 words of the HINT criteria on every
    pass.

    A word's tokens are remembered as their ids in the vocabulary (``orth``), not their strings: `Doc` takes either,
    and from an id it reads the token's lexeme straight from the vocabulary, where from a string it hashes the string
    again first (half the cost of building the docs of the HINT criteria, some 700,000 tokens a pass).

    Only texts of words joined by single spaces are built this way (what `parse_texts` gives: its lines are
    ``" ".join(text.split())``); `find_mentions` gives any other text to the tokenizer as it is.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.known: dict[str, tuple[tuple[int, ...], tuple[bool, ...]]] = {}
        self.line_break = nlp.vocab.strings.add(_LINE_BREAK)

    def word(self, word: str) -> tuple[tuple[int, ...], tuple[bool, ...]]:
        """The tokens of one word (their ``orth`` ids), and whether each is followed by a space when a space follows
        the word."""
        found = self.known.get(word)
        if found is None:
            if len(self.known) >= _MOST_WORDS:
                self.known.clear()
            tokens = tuple(token.orth for token in self.nlp.tokenizer(word))
            found = self.known[word] = (tokens, (*(False for _ in tokens[1:]), True))
        return found

    def doc(self, lines: Sequence[str]) -> Doc:
        """The doc of the lines joined by line breaks; each line is words joined by single spaces."""
        words: list[int] = []
        spaces: list[bool] = []
        known = self.known
        for line in lines:
            for word in line.split(" "):
                tokens, spaced = known.get(word) or self.word(word)
                words += tokens
                spaces += spaced
            spaces[-1] = False  # the line's last token: a line break follows, not a space
            words.append(self.line_break)
            spaces.append(False)
        # spaCy's stub names strings only; Doc.__init__ takes ids too (doc.pyx: `Vocab.get_by_orth`)
        return Doc(self.nlp.vocab, words=words[:-1], spaces=spaces[:-1])  # type: ignore[arg-type]


def _one_line(text: str) -> bool:
    """Whether a text is words joined by single spaces: no other whitespace, none at either end, none doubled. Asked
    of every criterion; splitting and joining says it several times faster than a regex tried at every position."""
    return text == " ".join(text.split())


@cache
def word_tokens() -> WordTokens:
    return WordTokens(build_nlp())


def find_mentions(texts: Sequence[str], *, collapsed: bool = False) -> Iterator[list[Mention]]:
    """Each text's vocabulary mentions, in text order.

    The texts are tokenized (`WordTokens`) and matched some hundreds at a time, joined by line breaks into one doc
    (`Vocabulary.mentions_of_lines`): a doc and two matcher calls per text had cost as much as the tokenizing. A
    text that is not words joined by single spaces, or is empty, has a doc of its own from the tokenizer.
    ``collapsed``: the caller made every text words joined by single spaces (`parse_texts` reads `Segment.words`),
    so none is checked again.
    """
    found, words = vocabulary(), word_tokens()
    tokenizer = words.nlp.tokenizer
    if not found.spaceless:  # a name with a whitespace token could match across texts: one doc per text
        for text in texts:
            yield found.mentions(tokenizer(text), text)
        return
    lines: list[str] = []
    for text in texts:
        if text and (collapsed or _one_line(text)):
            lines.append(text)
            if len(lines) == _LINES_PER_DOC:
                yield from found.mentions_of_lines(words.doc(lines), lines)
                lines = []
            continue
        if lines:
            yield from found.mentions_of_lines(words.doc(lines), lines)
            lines = []
        yield found.mentions(tokenizer(text), text)
    if lines:
        yield from found.mentions_of_lines(words.doc(lines), lines)
