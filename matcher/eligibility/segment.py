"""Split eligibility text into criteria: sections, bullets and numbers, nesting, legacy hard wraps.

Handles both renderings ClinicalTrials.gov has used (../shared/ctgov/README.md section 3):
- live API v2 Markdown: ``* item``, ``1. item``, nesting by 2-4 spaces, no hard wraps, sometimes several
  numbered items run together on one line ("... (if available). 3. Recurrent ...");
- legacy text: ``-  item`` / ``1. item`` hard-wrapped at ~95 columns, continuation lines indented.

Every non-blank character of the text ends up in a criterion or a heading: nothing is dropped. Structure comes from
the text's logic, not from its wrap width: the same text wrapped at any width, unwrapped or in Markdown gives the
same criteria (tests/test_invariance.py; the rules are in docs/parser.md).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from matcher.eligibility.criteria import Section
from matcher.eligibility.cues import cue, quick

_LONGEST_HEADING = 160
# A section heading. Before the section's name: a letter or roman numeral of an outline ("A. INCLUSION CRITERIA",
# "B. EXCLUSION CRITERIA", NCT01158885), a quote, the person whose criteria follow ("Recipient Inclusion Criteria:",
# "Donor Inclusion Criteria:", NCT01303965, NCT02255162: kept as the sub-heading, `other_person_heading`), a word that
# ranks the list ("Key", "Select", "Disease-specific", "Bevacizumab-Specific"). The name may be abbreviated when
# "criteria" follows ("Inc Criteria:", "Exc Criteria:", NCT01160926; fresh sample 9's P053).
_MAIN_HEADER = cue("cue.heading.main")
_SECTION_OF = {"inc": Section.INCLUSION, "exc": Section.EXCLUSION, "non": Section.EXCLUSION}
_INCLUSION_LEAD = cue("cue.heading.inclusion_lead")
_EXCLUSION_LEAD = cue("cue.heading.exclusion_lead")
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*•·▪◦‣○●⁃]|\(?\d{1,3}[.)](?!\d)|\(?[a-zA-Z][.)](?![a-zA-Z]\.)|"
    r"\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)]|o(?=\s))[ \t]+(?=\S)"
)
# A heading glued to the first item after it: "Exclusion Criteria:-Involvement in the planning ..." (NCT01974752). The
# line stays a criterion, of the section the heading opens (parser 20).
# So is one glued to its sentence, with or without a space: "Exclusion Criteria:Patients meeting any of the following
# exclusion criteria are not to be enrolled in the study." (NCT01162031; fresh sample 9's P066), "Exclusion Criteria:
# Patients meeting any of the following exclusion criteria will not be eligible for enrollment." (NCT00466583).
_GLUED_HEADING = cue("cue.heading.glued")
_TEMPLATE_HEADING = cue("cue.heading.template_section")
_PART_LINE = cue("cue.heading.part_line")
_PART_WORDS = ("cohort", "part", "arm", "group", "stratum", "phase")
# A line of its own that only names a part: "Part A" / "-  Participants with ... advanced solid tumors ..." / "Part B"
# / "-  ... recurrent glioblastoma multiforme (GBM) ..." / "Part A and Part B" / "-  ... ECOG ..." (NCT01294735,
# fresh sample 20's AA046): a sub-heading over the items below it, with no colon (`header_of`)
_PART_LABEL = cue("cue.heading.part_label")
# A cohort named in capitals on a line of its own, with no colon, right above a section heading ("NON-METASTATIC CRPC" /
# "Inclusion Criteria", NCT01171898): it heads the sections under it as a part's line does (heading21)
_COHORT_NAME_LINE = cue("cue.heading.cohort_name_line")
# the last words a template heading (`cue.heading.template_section`) may end on, with or without its colon
_TEMPLATE_WORDS = (
    "Population Disease Diseases Exceptions Findings Surgery Reaction Reactions Status Criteria Treatments Therapies"
)
_TEMPLATE_LAST_WORDS = tuple(f"{word}{colon}" for word in _TEMPLATE_WORDS.split() for colon in ("", ":"))
# A heading inside a paragraph or an item, after its last criterion: "... must agree to use adequate contraception.
# Exclusion Criteria:- Patients receiving any other investigational agents" (NCT00368329), "... Additional criteria
# determined at screening visit Exclusion Criteria:- Having had more than one treatment regimen ..." (NCT00325351),
# "... pregnancy test for female pre-menopausal patients. Exclusion Criteria: - Histologically or cytologically ..."
# (NCT02369874). The text from the heading on is a criterion of the section it opens, however the text is wrapped
# (the whole item is searched each time a line joins it). Capitalised, with its colon; after the end of a sentence or
# a word in lower case, not after a word that makes it a reference ("meets the Exclusion Criteria: ...") nor a
# capitalised word of its own name ("9. Phase I Specific Inclusion Criteria: Multiple myeloma ...", NCT01985477, is
# one item for phase I, `_INLINE_AFTER`), nor after a word that points at the heading ("listed in Exclusion Criteria:
# ...", "(see Exclusion Criteria: 5)", "must fulfil Inclusion Criteria: 1 to 4": a reference, not a heading; review of
# parser 27).
_INLINE_HEADING = cue("cue.heading.inline")
_INLINE_AFTER = cue("cue.heading.inline_after")
_LONGEST_HEADING_NAME = 40  # "Exclusion Criteria:" and the space before it, with room for a wide wrap
# An item's own marker glued to the next sentence inside it: "... non-systemic therapy. -Having received any of the
# following within the specified timeframe:" (NCT01974752): from the dash on, the next item (`split_dash`, layout22)
_GLUED_DASH_ITEM = cue("cue.structure.glued_dash_item")
# A paragraph that opens with a dash glued to its first word ("--Symptomatic brain metastases ...", NCT01974752): an item
# the author marked, which ends a lead-in's unmarked paragraphs (`_adopt_paragraphs`)
_GLUED_DASH_START = cue("cue.structure.glued_dash_start")
_INNER_NUMBER = re.compile(r"(?P<marker>\d{1,3}[.)](?!\d)|[a-z][.)](?![a-z]\.)|[•·▪◦‣○●⁃])[ \t]+(?=\S)")
_INLINE_NUMBER = re.compile(r"(?<=\S)[ \t]+(?P<n>\d{1,2})[.)]\s+(?=[A-Z(])")
# Lead-in lines that only introduce the criteria below them ("For Phase 1", "Notes:"): headings that keep the section.
_LEAD_IN = cue("cue.heading.lead_in")
# A lead-in line without a colon at its end opens with "for", "in" or "patients", "participants", "subjects" (the only
# branches of `cue.heading.lead_in` whose colon is optional): the first characters a case-insensitive re takes for
# theirs ("ı", "İ" and "ſ" too), so `header_of` asks no other line
_LEAD_IN_OPENINGS = "fFiIıİpPsSſ"
# A lead-in that limits the criteria after it to one cohort, part or phase of the trial ("For Part II", "For Phase II of
# the study:", "Phase II only:"), and one that names every cohort ("For phase I and II of the study:"), which ends it
_COHORT_LEAD = cue("cue.scope.cohort_lead")
_EVERY_COHORT = cue("cue.scope.every_cohort")
# A line in capitals that names a later phase of the trial: "-  SECOND COURSE PHASE (RETREATMENT PERIOD FOR
# POST-COMPLETE RESPONSE RELAPSE ONLY)" (NCT02538510) heads the conditions of retreatment with the trial's own drug,
# not entry criteria (parser 24). Capitals only: "Retreatment with ..." in a sentence is a criterion. It must name a
# phase or period and not open as a criterion does: in a text written all in capitals, "NO PRIOR RETREATMENT WITH
# RADIOACTIVE IODINE WITHIN 6 MONTHS" is a criterion, not a heading over the rest (review of parser 24).
_LATER_PHASE_HEADING = cue("cue.heading.later_phase")
# A time window in a lead-in sentence: its sub-items are criteria within that window, so it stays a criterion.
_WINDOW = cue("cue.structure.window")
# A lead-in whose sub-items are ways to qualify ("One of the following diagnoses:"), never requirements each.
_ANY_OF = cue("cue.structure.any_of")
# An item that ends with "or" joins the next one as its alternative ("T2 at least 4 cm OR"): `ends_with_or`.
_ENDS_WITH_OR = cue("cue.structure.ends_with_or")
_SPACE_OR_DASH = string.whitespace + "-"
# A lead-in that asks for a number of the items after it: "having 3 or more of the following characteristics:"
# (NCT00556049), "Must have received ≥ 2 of the following therapeutic regimens" (NCT00334932), "At least two of the
# following four symptoms:" (NCT01083537), "Patients with > 3 of the following surgical risk factors are not
# eligible:" (NCT02535351). From two on, no item alone meets it or excludes (parser 21). Under an inclusion heading
# the sub-items stay requirements (the matcher counts no items: a group of alternatives would be met by one). Asked of
# every criterion: a `QuickPattern`, so that a text without "following", "below" or "listed" is not searched.
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNT_OF_FOLLOWING = quick(
    r"(?:(?P<op>at\s+least|a\s+minimum\s+of|more\s+than|greater\s+than|≥|>=|>)\s*(?P<n>[1-9]|one|two|three|four|five|six)"
    r"|(?P<m>[1-9]|one|two|three|four|five|six)\s+or\s+more)\s+(?:\([^()]{0,20}\)\s+)?of\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,4}?(?:following|below|listed)\b",
    re.IGNORECASE,
)


class _Item(Protocol):
    @property
    def parent(self) -> int | None: ...


def lead_ins(items: Iterable[_Item]) -> set[int]:
    """The indexes of the items that lead in others (a segment's or a criterion's ``parent``)."""
    return {item.parent for item in items if item.parent is not None}


@dataclass
class Segment:
    section: Section
    start: int
    end: int
    indent: int
    style: str  # bullet | number | letter | roman | para
    number: int | None
    parent: int | None
    heading: str | None
    marker: str = ""  # the bullet character ("-", "*", "•"), "" for numbers and letters
    flat: bool = False  # hard-wrapped back to the marker's column: a broken legacy item, not a list parent
    # under a second bare "Inclusion Criteria:" heading in a text with no exclusion section: it may head the
    # exclusions ("Pregnant and nursing mothers.", NCT00201838), so what it asks is uncertain (`_Segmenter.run`)
    maybe_exclusion: bool = False
    # the cohort, part or phase a lead-in line above it limits it to ("For Part II", NCT00240097; "For Phase II of the
    # study:", NCT01131364): the criterion is that cohort's, not every patient's (`_cohort_leads`)
    cohort: str | None = None
    # the criterion's words, its whitespace collapsed (``" ".join(text[start:end].split())``): what the parser reads
    # and `_cohort_leads` asks, found once when the segment's bounds are final (`segment`)
    words: str = ""


def _style(marker: str) -> tuple[str, int | None]:
    core = marker.strip("().")
    core = core.rstrip(")")
    if core.isdigit():
        return "number", int(core)
    if core in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"):
        return "roman", None
    if len(core) == 1 and core.isalpha() and core != "o":
        return "letter", None
    return "bullet", None


def header_of(line: str) -> tuple[Section | None, str | None] | None:
    """(section, sub-heading) when a line is a heading; None when it is criterion text."""
    stripped = line.strip()
    if len(stripped) > _LONGEST_HEADING:
        return None
    main = _MAIN_HEADER.match(stripped)
    colon = stripped.rstrip("* ").endswith(":")
    if (
        main
        and main.group("kind").lower() == "eligibility"
        and main.group("rest").strip()
        and not colon
        and "criteri" not in stripped.lower()
    ):
        main = None  # "* Eligibility for medical insurance coverage" is a criterion
    if main and (colon or len(stripped) < 60):
        section = _SECTION_OF.get(main.group("kind")[:3].lower())  # "eligibility": the section it is in
        rest = main.group("rest").strip(" :*")
        return section, (stripped.strip(" :*#") if rest or main.group("who") else None)
    # the inclusion and exclusion lead-ins' patterns end on a colon, as most other lead-ins' do
    ends_on_colon = stripped.endswith(":")
    if ends_on_colon and _INCLUSION_LEAD.match(stripped):
        return Section.INCLUSION, None
    if stripped.lstrip("*# ").lower().startswith(_PART_WORDS) and _PART_LABEL.match(stripped):
        return None, stripped.strip(" :*#")  # a part's label: the items under it are that part's, in this section
    # a later phase's heading is in capitals (`_LATER_PHASE_HEADING`): a line with a letter in lower case is none
    if stripped.isupper() and (phase := _LATER_PHASE_HEADING.match(stripped)):
        return None, phase.group("name")  # the criteria under it decide a later phase (matching, `_later_phase`)
    if (ends_on_colon or stripped[:1] in _LEAD_IN_OPENINGS) and _LEAD_IN.match(stripped):
        return None, None
    if ends_on_colon and _EXCLUSION_LEAD.match(stripped):
        return Section.EXCLUSION, None
    return None


class _TextLine(NamedTuple):
    """One line of the text, without its line break: where it starts, its characters, its bullet or number
    (`_BULLET`; None on a blank line) and whether it is blank (white space only), found once: the heading and item
    steps both ask for them."""

    offset: int
    text: str
    bullet: re.Match[str] | None
    blank: bool


def _lines(text: str) -> list[_TextLine]:
    lines = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        blank = not line.strip()
        lines.append(_TextLine(offset, line, None if blank else _BULLET.match(line), blank))
        offset += len(raw)
    return lines


class _NestedLead(NamedTuple):
    """An exclusion lead-in nested in an inclusion item: the section to return to once the list leaves ``item``."""

    section: Section
    item: int


class _Segmenter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.segments: list[Segment] = []
        self.headings: list[tuple[int, int]] = []  # the spans of heading lines (a heading may be wrapped)
        self.top_level: set[tuple[str, str, int]] = set()  # (style, bullet, indent) of the items with no parent
        self.stack: list[int] = []
        self.section = Section.INCLUSION
        self.heading: str | None = None
        # an exclusion lead-in nested in an inclusion item ("The following tumor types are not eligible:",
        # NCT00413192) is that item's, not the section's
        self.section_of_item: _NestedLead | None = None
        self.section_before_lead: Section | None = None
        self.current: Segment | None = None
        self.text_column = 0
        self.inclusion_headings = 0  # bare "Inclusion Criteria:" headings seen
        self.repeated_from: int | None = None  # the first segment after a second one
        # the cohort lead-in line the items below are limited to, with the section it stands in (`cohort_lead`)
        self.cohort: tuple[str, Section] | None = None
        # the part's line ("Cohort A: STS") the section headings below it are for (`cue.heading.part_line`)
        self.part_heading: str | None = None

    def run(self) -> list[Segment]:
        lines = _lines(self.text)
        previous_blank = True
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.blank:  # neither a heading nor a criterion's text: it only ends the paragraph before it
                previous_blank = True
                index += 1
                continue
            # each line is looked at once: a marker that only a hard wrap put there is neither an item's nor a
            # heading's; a line's text goes on the criterion before it, is a heading, or opens a criterion
            bullet = line.bullet
            if bullet and self.wrapped_marker(bullet.group("marker"), len(bullet.group("indent")), previous_blank):
                self.line(line, None, previous_blank)  # "... prior to day\n 1. Group C ...": not a new item
            elif taken := self.heading_lines(lines, index, previous_blank):
                last = lines[index + taken - 1]
                self.headings.append((line.offset, last.offset + len(last.text.rstrip())))
                index += taken
                previous_blank = False
                continue
            else:
                self.line(line, bullet, previous_blank)
            previous_blank = False
            index += 1
        self.glued_template_headings()
        if self.repeated_from is not None and all(s.section is Section.INCLUSION for s in self.segments):
            # "Inclusion Criteria:" / items / "Inclusion Criteria:" / "Pregnant and nursing mothers." / ... and no
            # exclusion heading (NCT00201838): the second list may be the exclusions under a mistyped heading
            for later in self.segments[self.repeated_from :]:
                later.maybe_exclusion = True
        return self.segments

    def glued_template_headings(self) -> None:
        """A template's section heading glued to the end of the item before it ("CrCl < 60 ml/min by Cockcroft-Gault
        Formula Prior Therapy or Surgery", NCT02655458; `cue.heading.template_section`) ends that item and is a
        heading: the item stops before it, and no item after it is a sub-item of one before it. Only in a text
        that has such a heading on a line of its own too; otherwise the words are left in the item."""
        found = [  # the heading is the item's last words: only an item that ends on a heading's last word is searched
            (i, _TEMPLATE_HEADING.search(self.text, max(s.start, s.end - 100), s.end))
            if self.text.endswith(_TEMPLATE_LAST_WORDS, s.start, s.end)
            else (i, None)
            for i, s in enumerate(self.segments)
        ]
        if not any(m is not None and m.start() == s.start for (_, m), s in zip(found, self.segments, strict=True)):
            return
        for i, glued in found:
            segment = self.segments[i]
            if glued is None or glued.start() == segment.start:
                continue
            segment.end = glued.start()
            while self.text[segment.end - 1].isspace():
                segment.end -= 1
            self.headings.append((glued.start(), glued.start() + len(glued.group(0).rstrip())))
            for later in self.segments[i + 1 :]:
                if later.parent is not None and later.parent <= i:
                    later.parent = None
        self.headings.sort()

    def heading_lines(self, lines: list[_TextLine], index: int, previous_blank: bool) -> int:
        """How many lines from `index` form a heading (0: none). A heading is read from its whole paragraph, so that
        "Participants were eligible for ... / if the met the following criteria:" is one heading however wrapped.
        Asked of a line with text whose marker, if it has one, opens an item (`run`): "-  INCLUSION CRITERIA:"."""
        line, bullet = lines[index].text, lines[index].bullet
        if not bullet and self.continues(line, previous_blank):
            return 0
        if (
            (line.lstrip(" *#_>-").lower().startswith(_PART_WORDS) and _PART_LINE.match(line))
            # the cues are asked only of a line they may match: a capitals cohort's name has no small letter
            or (not bullet and line == line.upper() and _COHORT_NAME_LINE.match(line))
        ) and self.part_heads(lines, index):
            self.part_heading = line.strip(" :*#")
            self.stack, self.current = [], None
            return 1
        paragraph = [line]
        length = len(line.strip())
        for position in range(index + 1, len(lines)):  # not a slice of the rest: that copies it for every line
            following = lines[position].text
            if lines[position].blank or lines[position].bullet or length > _LONGEST_HEADING:
                break  # a heading is at most _LONGEST_HEADING characters: no need to read a long paragraph whole
            paragraph.append(following)
            length += len(following.strip()) + 1
        for count in [len(paragraph), 1] if len(paragraph) > 1 else [1]:
            joined = " ".join(" ".join(paragraph[:count]).split())
            # A heading line with text right under it: "Inclusion Criteria:", "Notes:". Not "Inclusion criteria for the
            # physician feedback component of" / "this study:", nor a lead sentence's first line ("... are not
            # eligible; Note:" / "low doses of Coumadin ... are permitted"): those are read whole. Only a main heading
            # or a line that ends on a colon may be one: no other first line is asked whether it is a heading.
            under = count < len(paragraph)
            main = under and _MAIN_HEADER.match(joined) is not None
            if under and not main and not joined.endswith(":"):
                continue
            header = header_of(joined)
            if header is None:
                continue
            if under and not (
                (main and (joined.endswith(":") or header[1] is None))
                or (header == (None, None) and joined.endswith(":"))
            ):
                continue
            if header == (None, None) and not previous_blank and self.current is not None:
                continue  # "in stage IV" wrapped inside a criterion is its text, not a lead-in
            section, heading = header
            if section is not None and not _MAIN_HEADER.match(joined) and (bullet or _WINDOW.search(joined)):
                # "-  Patients who have had allogeneic HSCT are not eligible if they meet any of the following:",
                # "Patients with a history of the following within 28 days prior to registration are not
                # eligible:": a criterion whose sub-items follow (and inherit its window), not a heading.
                if section is not self.section and self.section_of_item is None:
                    self.section_before_lead = self.section  # if nested in an item, it ends with it (`open`)
                self.section = section
                return 0
            if section is Section.INCLUSION and heading is None and _MAIN_HEADER.match(joined):
                self.inclusion_headings += 1
                if self.inclusion_headings == 2 and self.segments:
                    self.repeated_from = len(self.segments)
            self.section = section or self.section
            self.section_of_item = None if section is not None else self.section_of_item
            self.cohort = cohort_lead(joined, self.section, self.cohort) if header == (None, None) else None
            if section is not None or heading is not None:  # a lead-in ("For Phase 1", "Notes:") keeps both
                self.heading = heading
                if self.part_heading is not None and section is not None:
                    self.heading = self.part_heading if heading is None else f"{self.part_heading}: {heading}"
            self.stack, self.current = [], None
            return count
        return 0

    @staticmethod
    def part_heads(lines: list[_TextLine], index: int) -> bool:
        """Whether the next line with text after a part's line (`_PART_LINE`) is a section heading: the part's line
        then heads the sections under it, up to the next part's line ("Cohort A: STS" / "Inclusion Criteria:",
        NCT02275286)."""
        following = next((t.text for t in lines[index + 1 :] if t.text.strip()), "")
        return _MAIN_HEADER.match(following.strip()) is not None

    def continues(self, line: str, previous_blank: bool) -> bool:
        """Whether a line without a marker right after a criterion's line is where that criterion's wrapped text
        goes on: indented to the item's text ("inclusion" wrapped from "... prior to inclusion" is no heading)."""
        if previous_blank or self.current is None:
            return False
        indent = len(line) - len(line.lstrip())
        if self.current.style != "para":
            return indent >= self.text_column
        # A heading starts with a capital: "Each patient must meet all of the following" / "inclusion criteria:"
        # is one sentence, "Some paragraph" / "Exclusion Criteria:" is a paragraph and a heading.
        heading_like = line.rstrip().endswith(":") and line.lstrip()[:1].isupper()
        return self.last_character(self.current.end) not in (".", ":", ";", ")") and not heading_like

    def line(self, text_line: _TextLine, bullet: re.Match[str] | None, previous_blank: bool) -> None:
        """A line with text that is no heading: it opens an item at ``bullet`` (its marker, when it opens one), goes
        on the criterion before it, or opens a paragraph."""
        offset, line = text_line.offset, text_line.text
        if bullet:
            marker, body = bullet.group("marker"), bullet.end()
            style, number = _style(marker)
            inner = _INNER_NUMBER.match(line, body) if style == "bullet" else None
            if inner:  # "* 1. text", "-  • text": the inner marker carries the list's structure
                marker, body = inner.group("marker"), inner.end()
                style, number = _style(marker)
            char = marker if style == "bullet" else ""
            self.open(offset + body, offset + len(line.rstrip()), len(bullet.group("indent")), style, number, char)
            self.text_column = body
            return
        indent = len(line) - len(line.lstrip())
        if self.current is not None and (not previous_blank or indent >= self.text_column > 0):
            if indent <= self.current.indent and self.current.style == "bullet":
                self.current.flat = True
            # a number that ended the item's last line may run on into this one ("... (if available). 3." / "Recurrent
            # ..."): searched from that line's start
            since = self.text.rfind("\n", 0, self.current.end) + 1
            self.current.end = offset + len(line.rstrip())
            self.split_inline(since)
            self.split_heading(offset - _LONGEST_HEADING_NAME)  # the heading's words may be wrapped before this line
            # the full stop may end the line before, spaces after it or not
            self.split_dash(self._before_spaces(offset) - 1)
            return
        if glued := _GLUED_HEADING.match(line):
            self.section = Section.EXCLUSION if glued.group("kind").lower() == "exclusion" else Section.INCLUSION
            self.heading, self.stack, self.section_of_item = None, [], None
        self.open(offset + indent, offset + len(line.rstrip()), indent, "para", None)
        self.text_column = 0

    def wrapped_marker(self, marker: str, indent: int, previous_blank: bool) -> bool:
        """A marker at the start of a line that only a hard wrap put there: the criterion's text goes on.

        Right after a line of an item (no blank line), where its wrapped text would go on (at or beyond its text
        column), a marker opens an item only when it is the next number of an open list, or a bullet or "1." after a
        ":". Otherwise "(6 weeks for nitrosoureas or mitomycin" / "C) prior to ..." or "(cohort" / "B) or
        medullary" would split one criterion in two at the wrap width's whim; unwrapped, "C)" is inside the
        sentence. Right after a paragraph's line, a bullet opens an item only after a ":" ("Inclusion Criteria: -
        Age >= 18; - Written informed consent" wrapped before a "-"); a number as `wrapped_number` says."""
        if previous_blank or self.current is None:
            return False
        style, number = _style(marker)
        if number is not None and number in self.expected_numbers():
            return False
        ends_with_colon = self.last_character(self.current.end) == ":"
        if self.current.style != "para" and indent >= self.text_column:
            # After a ":" a bullet or a Markdown list's "1." opens the sub-list ("4. ... conditions):" / "   1. ...")
            opens = style == "bullet" or (number == 1 and marker.endswith("."))
            return not (opens and ends_with_colon)
        if self.current.style == "para" and style == "bullet":
            return not ends_with_colon
        return self.wrapped_number(marker, previous_blank)

    def wrapped_number(self, marker: str, previous_blank: bool) -> bool:
        style, number = _style(marker)
        if previous_blank or self.current is None or style != "number" or number in self.expected_numbers():
            return False
        return self.last_character(self.current.end) not in (":", ".", ";")

    def last_character(self, end: int) -> str:
        """The last character of the text before ``end`` that is not whitespace, "" if there is none: what
        ``text[:end].rstrip()`` ends with, found without copying the text (asked on every line)."""
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        return self.text[end - 1] if end > 0 else ""

    def open(self, start: int, end: int, indent: int, style: str, number: int | None, char: str = "") -> None:
        sibling_of = self.expected_numbers().get(number) if number is not None and number > 1 else None
        if sibling_of is None and char and self.stack and self.segments[self.stack[-1]].marker not in ("", char):
            # "•" again after a "-" sub-list that a "•" item opened: a sibling of that item, however indented
            sibling_of = next((i for i in reversed(self.stack) if self.segments[i].marker == char), None)
        if sibling_of is not None:
            # "2." after "1." continues that list, however the Markdown happened to indent it.
            while self.stack and self.stack[-1] != sibling_of:
                self.stack.pop()
            self.stack.pop()
            indent = self.segments[sibling_of].indent
        while self.stack and not self.is_child(indent, style, char, self.segments[self.stack[-1]]):
            self.stack.pop()
        if self.section_of_item is not None and self.section_of_item.item not in self.stack:
            self.section, self.section_of_item = self.section_of_item.section, None  # the nested lead-in's item ended
        parent = self.stack[-1] if self.stack else None
        if self.section_before_lead is not None:
            if parent is not None:  # the lead-in is a sub-item: its section is its item's (parser 24)
                self.section_of_item = _NestedLead(self.section_before_lead, self.stack[0])
            self.section_before_lead = None
        segment = Segment(self.section, start, end, indent, style, number, parent, self.heading, char)
        if self.cohort is not None and self.cohort[1] is self.section:
            segment.cohort = self.cohort[0]
        if parent is None:
            self.top_level.add((style, char, indent))
        self.segments.append(segment)
        self.stack.append(len(self.segments) - 1)
        self.current = segment
        self.split_inline()
        self.split_heading()
        self.split_dash()

    def is_child(self, indent: int, style: str, char: str, parent: Segment) -> bool:
        if style == "para":
            return False
        opens_list = self.last_character(parent.end) == ":"
        if parent.style == "para" or parent.flat:
            return opens_list
        if not opens_list and (style, char, indent) in self.top_level:
            # "- For Cohort 1 ..." typed at the margin, then "  -  Cohorts 1 and 2 ..." where the list's top-level
            # items stand: a sibling, not a sub-item, however the lines were wrapped.
            return False
        if indent > parent.indent:
            return True
        return opens_list and style != parent.style and indent >= parent.indent

    def split_inline(self, since: int = 0) -> None:
        """Split "... (if available). 3. Recurrent ..." where a list's next number runs on inline. Searched from
        ``since`` when the item's earlier lines were searched already, for the same list numbers: a long item is not
        searched again for each line it gains (a match that needs the new line starts on the line before it: its
        spaces and number hold no line break)."""
        segment = self.current
        assert segment is not None
        expected = self.expected_numbers()
        if not expected:
            return
        for match in _INLINE_NUMBER.finditer(self.text, max(segment.start, since), segment.end):
            n = int(match.group("n"))
            if n not in expected:
                continue
            end = segment.end
            segment.end = match.start()
            self.open(match.end(), end, segment.indent, "number", n)
            return

    def split_heading(self, since: int = 0) -> None:
        """Split an item where a section heading runs on inside it (`_INLINE_HEADING`): the rest is a criterion of
        the section the heading opens, and what follows is in that section. Searched from ``since`` when the item's
        earlier lines were searched already (a long paragraph is not searched again for each line it gains)."""
        segment = self.current
        assert segment is not None
        start = max(segment.start + 1, since)
        searched = self.text[start : segment.end]
        if "riteri" not in searched and "RITERI" not in searched:
            return  # no heading's words: nothing to search (asked for every line of the text)
        found = _INLINE_HEADING.search(self.text, start, segment.end)
        while found is not None and not _INLINE_AFTER.search(
            self.text, max(segment.start, found.start() - _LONGEST_HEADING_NAME), found.start()
        ):
            found = _INLINE_HEADING.search(self.text, found.end(), segment.end)
        if found is None:
            return
        end = self._cut_current(found.start())
        self.section = Section.EXCLUSION if found.group("kind").lower() == "exclusion" else Section.INCLUSION
        self.heading, self.stack, self.section_of_item = None, [], None
        if segment.style == "para":
            self.open(found.start(), end, segment.indent, "para", None)
            self.text_column = 0
        else:
            # The rest of a list item stays an item of that list: "* Signed consent. Exclusion Criteria: Pregnancy" /
            # "* ECOG 2 or more" without a blank line (API v2 markdown) is two criteria, as it is with one
            self.open(found.start(), end, segment.indent, segment.style, segment.number, segment.marker)

    def _cut_current(self, at: int) -> int:
        """End the current item before ``at`` (its spaces left out) and return where it ended: the rest, from a split
        point on, opens the next item."""
        segment = self.current
        assert segment is not None
        end = segment.end
        segment.end = self._before_spaces(at)
        return end

    def _before_spaces(self, at: int) -> int:
        """Where the spaces that end the text before ``at`` begin (``at`` itself when none does)."""
        while at > 0 and self.text[at - 1].isspace():
            at -= 1
        return at

    def split_dash(self, since: int = 0) -> None:
        """Split an item where its author's dash, glued to the next word, follows a full stop inside it
        (`cue.structure.glued_dash_item`): "-  Patients cannot have previously been treated with a systemic anti-cancer
        therapy. Patients can have prior intra-hepatic or non-systemic therapy. -Having received any of the following
        within the specified timeframe:" (NCT01974752) is two items, the second a lead-in of its own, at the first
        one's level. Searched in the whole item as its lines join it, so the wrap width never decides it: a dash at
        the start of a wrapped line is the same dash. The dash is a marker, left out of the item as a bullet is."""
        segment = self.current
        assert segment is not None
        if "-" not in self.text[max(segment.start, since) : segment.end]:
            return
        found = _GLUED_DASH_ITEM.search(self.text, max(segment.start + 1, since), segment.end)
        if found is None:
            return
        end = self._cut_current(found.start())
        self.open(found.end(), end, segment.indent, segment.style, segment.number, segment.marker)

    def expected_numbers(self) -> dict[int, int]:
        """Next number of each numbered list on the stack -> the item whose sibling it would be."""
        return {
            self.segments[i].number + 1: i  # type: ignore[operator]
            for i in self.stack
            if self.segments[i].number is not None
        }


def _adopt_alternatives(text: str, segments: list[Segment]) -> list[Segment]:
    """A lead-in to alternatives whose alternatives the layout left beside it, not under it, gets them as sub-items.

    "-  ... agree to one of the following:" / "-  Complete abstinence ...; or" / "-  Consistent and correct use of
    ...": the registry's renderer put the alternatives at the lead-in's own level. The items right after such a
    lead-in (ending with ":" and saying "one of", "any of", "either"...), with no sub-item of its own, are its
    alternatives when they are joined by "or": every one but the last ends with "or". Without an "or" nothing says
    where the alternatives end, and the items stay as they are.
    """
    has_children = lead_ins(segments)
    for index, lead in enumerate(segments):
        lead_text = text[lead.start : lead.end]
        if index in has_children or not lead_text.endswith(":") or not is_any_of(lead_text):
            continue
        chain: list[int] = []
        for position in range(index + 1, len(segments)):
            item = segments[position]
            if item.parent != lead.parent or item.section is not lead.section or item.heading != lead.heading:
                if chain and item.parent is not None and item.parent >= chain[0]:
                    continue  # a sub-item of an alternative
                break
            if item.indent != lead.indent or item.style != lead.style:
                break
            chain.append(position)
            if not ends_with_or(text[item.start : item.end]):
                break
        if len(chain) >= 2:  # the chain went past its first item only because that item ends with "or"
            for position in chain:
                segments[position].parent = index
    return segments


def _adopt_paragraphs(text: str, segments: list[Segment]) -> list[Segment]:
    """The paragraphs right after an item that ends with ":" and has no sub-item are its content.

    "-  History of any one or more of the following cardiovascular conditions within the past 6 months:" /
    "Cardiac angioplasty or stenting Myocardial infarction ..." (HINT NCT01418001): the legacy renderer wrote what
    the lead-in introduces as a paragraph without a marker. As a top-level criterion it would lose the lead-in's
    window (or its "one of"); as its sub-item it keeps them. The run ends at the next item with a marker.

    A paragraph marked otherwise than the run's first one ends it: "-  ... -Having received any of the following
    within the specified timeframe:" / "Any prior systemic anti-cancer therapy ..., Radiation therapy within 4 weeks
    ..." / "--Symptomatic brain metastases ..." (NCT01974752): the dash glued to "Symptomatic" marks the next item of
    the list, which the lead-in's window does not reach (layout22).
    """
    has_children = lead_ins(segments)
    for index, lead in enumerate(segments):
        if lead.style == "para" or index in has_children or not text[lead.start : lead.end].endswith(":"):
            continue
        marked: bool | None = None  # whether the run's paragraphs open with a glued dash, as its first one does
        for item in segments[index + 1 :]:
            if item.style != "para" or item.parent is not None:
                if item.parent is not None and item.parent > index:
                    continue  # a sub-item of an adopted paragraph ("Hematology:" / "-  ANC >= 1500/mm3")
                break
            if item.section is not lead.section or item.heading != lead.heading:
                break
            dashed = _GLUED_DASH_START.match(text, item.start, item.end) is not None
            if marked is not None and dashed != marked:
                break
            marked = dashed
            item.parent = index
    return segments


# What makes an item a lead-in even without a colon: "... of the following types", "as listed below", "including";
# alternatives ("Patients must meet either of the criteria", "defined by at least one of"); a window its sub-items
# inherit ("Any of these within 6 months prior to registration"); a condition its sub-items inherit ("Expansion cohort
# only", "For patients with medullary thyroid cancer"); words that leave the item unfinished ("Adequate organ function
# as defined by", "Women who are"). Review of parser 26: each of these, released, made its sub-items stand alone.
_LEADS_ON = re.compile(
    r"\b(?:following|below)\b|\b(?:as\s+follows|listed|includ\w*|such\s+as|e\.\s?g\.?|i\.\s?e\.?)\W*$|"
    r"\b(?:either|(?:one|any|each|all|both|none|some|two|three)\s+of)\b|\bat\s+least\s+(?:one|1)\b|"
    r"\b(?:within|prior\s+to|before|since|during|in\s+the\s+(?:past|last|previous))\b[^:]*?\d|"
    r"^\W*(?:for|in|among)\s+(?:patients|participants|subjects|those|women|men|females|males|cohort|arm|part|phase)\b|"
    r"\b(?:cohorts?|arms?|part|phase|portion|sub-?study|expansion|escalation|only)\b|"
    r"\b(?:of|by|as|with|and|or|to|for|in|from|are|is|who|that|which|the|an?|these|criteria|conditions|meet|than)\W*$",
    re.IGNORECASE,
)


def _release_first_item_lists(text: str, segments: list[Segment]) -> list[Segment]:
    """The rest of a section nested under its first item by the legacy layout is the section's list, not that item's.

    "-  Males and females of at least 18 years of age" / "     -  Histologically/cytologically documented diagnosis
    of metastatic breast ..." / "     -  Eastern Cooperative Oncology Group (ECOG) performance status of <= 1" / ...
    (NCT02655952), "-  • More than four prior systemic treatment regimens (not counting maintenance rituximab; ...)" /
    "     -  Allogeneic bone marrow transplant" / ... (NCT00724984): the renderer wrote the first item's marker at the
    list's margin and every other item deeper. Nothing in the first item's words introduces a list (no colon, no
    "following", "below", "including"), and its "sub-items" run to the end of the section: they are the section's
    items, each asked alone, never through the first item (a violated sub-item would make a criterion that holds
    violated). Read from the text's logic, not its wrap width: the same items unwrapped or in Markdown nest the same.
    """
    listed: set[tuple[Section, str | None]] = set()  # the (section, heading) of each item with no parent so far
    for index, first in enumerate(segments):
        if first.parent is not None:
            continue
        begun = (first.section, first.heading) in listed
        listed.add((first.section, first.heading))
        if first.style == "para" or begun:
            continue  # a paragraph, or not the first item of its list
        end = index + 1
        while end < len(segments) and segments[end].section is first.section and segments[end].heading == first.heading:
            if segments[end].parent is None:
                break
            end += 1
        children = [i for i in range(index + 1, end) if segments[i].parent == index]
        if len(children) < 3 or (end < len(segments) and segments[end].section is first.section):
            continue  # a few sub-items, or items after them at the first one's level: a list of the first item's
        # the words last: `_LEADS_ON` tries each of its words at every position of the item, and only a first item
        # whose sub-items run to the end of its section needs asking
        words = text[first.start : first.end].rstrip()
        if words.endswith(":") or _LEADS_ON.search(words):
            continue
        for i in children:
            segments[i].parent = None
    return segments


def cohort_lead(line: str, section: Section, before: tuple[str, Section] | None) -> tuple[str, Section] | None:
    """The cohort a lead-in line limits the criteria after it to, with its section: the line itself when it names one
    cohort, part or phase ("For Part II"), None when it names every one ("For phase I and II of the study:"); a
    lead-in that names none ("Notes:") leaves ``before`` as it was."""
    words = " ".join(line.split())
    if not _COHORT_LEAD.match(words):
        return before
    return None if _EVERY_COHORT.search(words) else (words.strip(" -*•:"), section)


class _Reach(NamedTuple):
    """How far an item lead-in's cohort reaches: the cohort (None: every cohort), its section, the cohort of the
    lead-in line above it (a new line above ends the item's reach), and the item the lead-in is a sub-item of (its
    reach ends with that item's sub-items)."""

    cohort: str | None
    section: Section | None  # None: the lead-in stands over section headings, and reaches past them
    above: str | None
    within: int | None


def _under(segments: list[Segment], index: int, ancestor: int) -> bool:
    """Whether a segment is a sub-item, at any depth, of ``ancestor``."""
    parent = segments[index].parent
    while parent is not None and parent != ancestor:
        parent = segments[parent].parent
    return parent == ancestor


def _cohort_leads(text: str, segments: list[Segment]) -> list[Segment]:
    """An item that is only a cohort's lead-in ("-  For Part II:", "• For phase I and II of the study:") does what the
    same words do as a line of their own (`cohort_lead`): with no sub-item, the criteria after it are that cohort's, up
    to the next lead-in or the end of its section, or, when it is itself a sub-item, of its parent's sub-items; naming
    every cohort, it ends the cohort of the lead-in line above. Its own sub-items take its conditions from it (parser.py
    `_inherit_lead_ins`). Fresh sample 13's T013, T167."""
    has_children = lead_ins(segments)
    reach: _Reach | None = None
    for index, s in enumerate(segments):
        if reach is not None and (
            reach.section not in (None, s.section)
            or s.cohort != reach.above
            or (reach.within is not None and not _under(segments, index, reach.within))
        ):
            # the section ended, a lead-in line above starts another cohort, or the list the lead-in stands in ended:
            # "-  Has experienced failure of at least 1 prior chemotherapy regimen:" / "-  For Phase 2 of the study:" /
            # "-  Participants must have received 1 prior platinum-based ..." / ... / "-  Has Eastern Cooperative
            # Oncology Group (ECOG) Performance Status of 0 or 1." back at the outer level is everyone's (NCT02393209)
            reach = None
        words = s.words
        if _COHORT_LEAD.match(words):
            # "For the Phase I component:" / "Inclusion Criteria:" / ... / "Exclusion Criteria:" / ... (NCT01058655):
            # a lead-in over section headings reaches past them, up to the next lead-in
            nxt = segments[index + 1].start if index + 1 < len(segments) else len(text)
            over = any(
                (h := header_of(line)) is not None and h[0] is not None for line in text[s.end : nxt].splitlines()
            )
            section = None if over else s.section
            if _EVERY_COHORT.search(words):
                # not bound to its parent: "     • For phase I and II of the study:" (NCT01131364), indented under the
                # item above it, still stands over the items after that item
                reach = _Reach(None, section, s.cohort, None)
            elif index not in has_children:
                reach = _Reach(words.strip(" -*•:"), section, s.cohort, s.parent)
            else:
                reach = None  # its sub-items are its cohort's
            continue
        if reach is not None:
            s.cohort = reach.cohort
    return segments


def segment(text: str) -> list[Segment]:
    """The criteria of an eligibility text, in order, with parents; see the module docstring."""
    segments = _Segmenter(text).run()
    segments = _adopt_alternatives(text, _adopt_paragraphs(text, _release_first_item_lists(text, segments)))
    for item in segments:  # the bounds are final
        item.words = " ".join(text[item.start : item.end].split())
    return _cohort_leads(text, segments)


def heading_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the text's heading lines, in order (a wrapped heading spans several lines)."""
    segmenter = _Segmenter(text)
    segmenter.run()
    return segmenter.headings


def ends_with_or(text: str) -> bool:
    """Whether the text ends with "or" as a word of its own, a comma or semicolon after it aside
    (`cue.structure.ends_with_or`, "(?:[,;]\\s*|\\s+)or\\s*[,;]?[\\s-]*$"). The pattern has no word long enough to
    be a needle, and re tries it at every position of every criterion; but every match is "or" followed by nothing but
    white space, dashes and that punctuation, so a text is searched only when its end, those stripped, is "or" in any
    case (re's \\s and str.strip() take the same characters for white space)."""
    return text.rstrip(_SPACE_OR_DASH).rstrip(",;").rstrip()[-2:].lower() == "or" and (
        _ENDS_WITH_OR.search(text) is not None
    )


def is_any_of(text: str) -> bool:
    return bool(_ANY_OF.search(text))


def _number_asked(match: re.Match[str]) -> int:
    """The number a `_COUNT_OF_FOLLOWING` match asks for."""
    word = (match.group("n") or match.group("m")).lower()
    number = _WORDS.get(word) or int(word)
    strict = (
        match.group("op")
        and match.group("op").lower().startswith(("more", "greater", ">"))
        and "=" not in match.group("op")
    )
    return number + 1 if strict else number


def count_lead_end(text: str) -> int | None:
    """Where a lead-in that asks for two or more of the items after it ends ("At least 2 of the following adverse
    prognostic factors:"), when the text asks for such a number; None otherwise."""
    match = _COUNT_OF_FOLLOWING.search(text)
    return match.end() if match is not None and _number_asked(match) >= 2 else None
