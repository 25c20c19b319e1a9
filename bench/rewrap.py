"""Layout transforms of an eligibility text that keep its words and its list structure (for invariance checks).

The same criteria reach us in several layouts: legacy records hard-wrapped at about 80-95 columns (``-  item``,
continuation lines indented under the item's text), the live API v2 Markdown (``* item``, nested ``  * item``, one
line per item, Markdown escapes such as ``\\>``), and anything in between. These transforms re-lay a text out so
that a test can check the parser reads the same criteria from every layout:

- ``rewrap(text, width)``: every item and paragraph re-wrapped at ``width`` columns, keeping its marker, its
  indentation and the column its continuation lines are indented to (legacy style);
- ``unwrap(text)``: every item and paragraph on one line;
- ``to_markdown(text)``: API v2 Markdown: ``* `` bullets, ``N. `` numbers, nesting by the parent's text column,
  no hard wraps, Markdown escapes (``\\<``, ``\\>``, ``\\[``, ``1\\.`` at a paragraph's start) that
  `matcher.ctgov_parse.unescape_markdown` undoes;
- ``to_legacy(text, width=80)``: back to the legacy layout: ``-  `` bullets, items indented two columns inside
  their parent's text, hard-wrapped, no escapes;
- ``decompose(text)``: the same characters decomposed (Unicode NFD: "naïve" as "i" and a combining diaeresis), as
  some registry texts write them (NCT00716794).

The layout is read at face value, the way a reader sees it on the page: a line that starts with a marker opens an
item, a line without one continues the block above it (or, after a blank line, is a paragraph of the item above
when indented to its text, else a paragraph of its own). Words and their order never change.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from matcher.ctgov_parse import unescape_markdown

_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*•·▪◦‣○●⁃]|o(?=[ \t])|\(?\d{1,3}\\?[.)]|\(?[a-zA-Z][.)]|"
    r"\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])(?P<gap>[ \t]+)(?=\S)"
)
_NUMBER = re.compile(r"^\(?(\d{1,3})\\?[.)]$")
_ESCAPE = re.compile(r"([\\<>\[\]*_^])")
_ESCAPED_START = re.compile(r"^(\d{1,3})\.(?=\s)|^([-+*#>])(?=\s)")


@dataclass
class Block:
    """One item (with its marker) or one paragraph without a marker, as laid out in the source."""

    indent: int  # column of the marker, or of the paragraph's first line
    marker: str  # "" for a paragraph without a marker
    gap: int  # spaces between the marker and the text
    blank_before: bool
    paragraphs: list[list[str]] = field(default_factory=list)  # each paragraph as its words

    @property
    def text_column(self) -> int:
        return self.indent + len(self.marker) + self.gap if self.marker else self.indent


def _number(marker: str) -> int | None:
    found = _NUMBER.match(marker)
    return int(found.group(1)) if found else None


def _wrapped(blocks: list[Block], open_items: list[int], indent: int, marker: str) -> bool:
    """Whether a marker right after a non-blank line is only where a hard wrap broke the line: the reader's reading
    of "... (6 weeks for nitrosoureas or mitomycin" / "C) prior to ...". It opens an item when it is the next
    number of an open list, a bullet or "1." after a ":", or (after a paragraph) a bullet after a ":" or a number
    after a ":", "." or ";"."""
    current = blocks[-1]
    ends = current.paragraphs[-1][-1] if current.paragraphs[-1] else ""
    number = _number(marker)
    if number is not None and any(_number(blocks[i].marker) == number - 1 for i in open_items):
        return False
    if current.marker and indent >= current.text_column:
        return not ((marker in _BULLETS or (number == 1 and marker.endswith("."))) and ends.endswith(":"))
    if not current.marker and marker in _BULLETS:
        return not ends.endswith(":")
    return number is not None and not ends.endswith((":", ".", ";"))


_BULLETS = "-*•·▪◦‣○●⁃o"


def read_blocks(text: str) -> list[Block]:
    """The blocks of a text, read at face value (see the module docstring)."""
    blocks: list[Block] = []
    open_items: list[int] = []  # the items whose text column a following item is inside
    blank = True
    for raw in text.splitlines():
        line = raw.replace("\t", "    ").rstrip()
        if not line.strip():
            blank = True
            continue
        marker = _MARKER.match(line)
        current = blocks[-1] if blocks else None
        indent = len(line) - len(line.lstrip())
        if marker and current is not None and not blank and _wrapped(blocks, open_items, indent, marker.group(2)):
            marker = None
        if marker:
            body = line[marker.end() :]
            while open_items and blocks[open_items[-1]].indent >= indent:
                open_items.pop()
            blocks.append(Block(indent, marker.group("marker"), len(marker.group("gap")), blank, [body.split()]))
            open_items.append(len(blocks) - 1)
        elif current is not None and not blank:
            current.paragraphs[-1].extend(line.split())
        elif current is not None and current.marker and indent >= current.text_column:
            current.paragraphs.append(line.split())
        else:
            if indent == 0:
                open_items = []
            blocks.append(Block(indent, "", 0, blank, [line.split()]))
        blank = False
    return blocks


def _lines(words: list[str], first: str, rest: str, width: int | None) -> list[str]:
    line = " ".join(words)
    if width is None:
        return [first + line]
    return textwrap.wrap(
        line, width=width, initial_indent=first, subsequent_indent=rest, break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]  # fmt: skip


def _render(blocks: list[Block], width: int | None) -> str:
    out: list[str] = []
    for block in blocks:
        if block.blank_before and out:
            out.append("")
        column = " " * block.text_column
        first = " " * block.indent + (block.marker + " " * block.gap if block.marker else "")
        for number, words in enumerate(block.paragraphs):
            if number:
                out.append("")
            out.extend(_lines(words, first if number == 0 else column, column, width))
    return "\n".join(out) + "\n"


def rewrap(text: str, width: int) -> str:
    """Every item and paragraph hard-wrapped at `width` columns, markers and indentation kept."""
    return _render(read_blocks(text), width)


def unwrap(text: str) -> str:
    """Every item and paragraph on one line, markers and indentation kept."""
    return _render(read_blocks(text), None)


def _nest(blocks: list[Block]) -> list[int | None]:
    """The parent block of each block, from indentation: an item inside the text column of an item above. An item
    where earlier top-level items of its kind stand is top-level too, unless the item above ends with ":"."""
    parents: list[int | None] = []
    stack: list[int] = []
    top_level: set[tuple[str, int]] = set()
    for index, block in enumerate(blocks):
        kind = "number" if _number(block.marker) is not None else block.marker
        while stack and not (blocks[stack[-1]].marker and block.indent > blocks[stack[-1]].indent):
            stack.pop()
        if stack and block.marker and (kind, block.indent) in top_level:
            words = blocks[stack[-1]].paragraphs[-1]
            if not (words and words[-1].endswith(":")):
                stack = []
        parents.append(stack[-1] if stack else None)
        if block.marker:
            if not stack:
                top_level.add((kind, block.indent))
            stack.append(index)
    return parents


def _relayout(
    blocks: list[Block],
    marker_of: Callable[[Block], str],
    gap: Callable[[str], int],
    child_offset: int,
    top_indent: int,
    words_of: Callable[[list[str], bool], list[str]],
) -> list[Block]:
    parents = _nest(blocks)
    laid: list[Block] = []
    for block, parent in zip(blocks, parents, strict=True):
        marker = marker_of(block) if block.marker else ""
        indent = (top_indent if block.marker else 0) if parent is None else laid[parent].text_column + child_offset
        paragraphs = [words_of(words, i > 0 or not block.marker) for i, words in enumerate(block.paragraphs)]
        laid.append(Block(indent, marker, gap(marker) if marker else 0, block.blank_before, paragraphs))
    return laid


def _md_marker(block: Block) -> str:
    number = _NUMBER.match(block.marker)
    if number and "\\" not in block.marker:  # "2\\." stays escaped: a paragraph that starts with a number
        return f"{number.group(1)}."
    if block.marker in "-*":
        return "*"
    return block.marker  # "•", "o", letters, roman numerals: not Markdown list markers; the API leaves them as text


def _md_words(words: list[str], paragraph_start: bool) -> list[str]:
    escaped = [_ESCAPE.sub(r"\\\1", unescape_markdown(word)) for word in words]
    if paragraph_start and escaped:
        # A paragraph that starts like a list marker is escaped, as the API does ("2\\. Radioiodine-refractory").
        escaped[0] = _ESCAPED_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2)}", escaped[0])
    return escaped


def to_markdown(text: str) -> str:
    """The text in API v2 Markdown: ``* `` bullets, ``N. `` numbers, nested by the parent's text column, escaped."""
    blocks = read_blocks(text)
    laid = _relayout(blocks, _md_marker, lambda marker: 1, 0, 0, _md_words)
    return _render(laid, None)


def _legacy_marker(block: Block) -> str:
    number = _NUMBER.match(block.marker)
    if number:
        return f"{number.group(1)}."
    if block.marker in "-*":
        return "-"
    return block.marker


def to_legacy(text: str, width: int = 80) -> str:
    """The text in the legacy layout: ``-  `` bullets, nested two columns inside the parent's text, hard-wrapped."""
    blocks = read_blocks(text)
    laid = _relayout(
        blocks,
        _legacy_marker,
        lambda marker: 2 if marker == "-" else 1,
        2,
        2,
        lambda words, _start: [unescape_markdown(word) for word in words],
    )
    return _render(laid, width)


def decompose(text: str) -> str:
    """Every accented letter as its letter and a combining mark (NFD)."""
    return unicodedata.normalize("NFD", text)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "wrap60": lambda text: rewrap(text, 60),
    "wrap120": lambda text: rewrap(text, 120),
    "unwrap": unwrap,
    "markdown": to_markdown,
    "legacy": to_legacy,
    "decomposed": decompose,
}
