"""Paragraphs from positioned text lines: what a reader sees on a printed page, not how it was wrapped.

A PDF's text layer, and an OCR engine, give lines where the page wrapped them. Read line by line,
a sentence cut at the right margin becomes two "sentences" and a phrase at a line start looks like a
new clause. Here the lines of all pages are put back into paragraphs using their geometry:

- running headers, footers and page numbers (lines near the top or bottom edge that repeat on
  other pages, or read as a page number) are dropped;
- a line continues into the next when it reaches the right edge of the text block and the next
  line neither starts a new paragraph (indent, larger gap, a clause number after a sentence end)
  nor is a heading; words cut by an end-of-line hyphen are joined;
- headings are told from layout: a bigger or bold font than the body, or a short line centred in
  the block, or a short numbered line standing alone.

Pure functions over :class:`Line`; :mod:`accord.intake.reader` builds the lines from pdfplumber
and :mod:`accord.intake.ocr` from recognised text boxes.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_SENTENCE_END = tuple("。；;：:！？!?.")
# A clause number at a line start (the same families the clause rules know), for break decisions only.
_MARKER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款]|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|[（(][a-zA-Z][)）]|\d{1,2}(?:\.\d{1,2}){0,3}[.．、)）]?\s|\d{1,2}[、．)）]|[a-zA-Z][.)]\s|[ivx]{2,4}[.)]\s|[（(][ivx]{2,4}[)）]"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}\.?(?=[A-Z\"“])"
    r"|(?i:article|section|clause|chapter|item|schedule|annex|appendix)\s+[\dIVXivx]+|附件)"
)
_PAGE_NUMBER = re.compile(
    r"^\s*+(?:第\s*+\d++\s*+页(?:\s*+[/，,]?\s*+共\s*+\d++\s*+页)?|[-\u2010-\u2015\u2212]\s*+\d++\s*+[-\u2010-\u2015\u2212]"
    r"|(?i:page)\s*+\d++(?:\s*+(?:of|/)\s*+\d++)?"
    r"|\d{1,4}\s*+/\s*+\d{1,4}|\d{1,4})\s*+$"
)
# A clause number that starts a clause whatever the line above ends with: a dotted number ("7.2",
# "1.2.2", "20.2.") or "10." before a capitalised word, also written without a space ("10.An"). A bare
# "30 days" or "Section 7.2 of" is not one: a wrapped sentence may put those at a line start.
_CLAUSE_START = re.compile(
    r"^\s*+(?:\d{1,2}(?:\.\d{1,2}){1,3}\.?+|\d{1,2}\.)(?:\s++|(?=[A-Z\"“]))[\"“(]?+[A-Z]"
)
# A page number inside a running head or foot ("Page 3 of 13 CONFIDENTIAL", "Cargill Confidential - 3 -").
_PAGE_IN_PHRASE = re.compile(
    r"(?i:\bpage\s*+\d++(?:\s*+(?:of|/)\s*+\d++)?+\b)|(?:^|\s)[-\u2010-\u2015\u2212]\s*+\d++\s*+[-\u2010-\u2015\u2212](?:\s|$)"
    r"|第\s*+\d++\s*+页"
)
# A line that is only a page's mark ("- 3 -", "Page 3 of 13", "第 3 页"), never text wherever it stands.
_PAGE_MARK = re.compile(
    r"^\s*+(?:[-\u2010-\u2015\u2212]\s*+\d++\s*+[-\u2010-\u2015\u2212]|(?i:page)\s*+\d++(?:\s*+(?:of|/)\s*+\d++)?+"
    r"|第\s*+\d++\s*+页(?:\s*+[/，,]?\s*+共\s*+\d++\s*+页)?+)\s*+$"
)
_ROMAN_PAGE = re.compile(r"^\s*[ivxlc]{1,6}\s*$")  # front matter, only at a page's edge
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|semibold|hei\b|heiti|simhei|黑", re.IGNORECASE)
_HYPHENS = "-\u2010\u00ad"


@dataclass
class Line:
    """One printed line: its text and where it stands on its page (PDF points, y grows downwards)."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size (median of its characters)
    bold: bool = False
    page_width: float = 595.0
    page_height: float = 842.0
    first_word_width: float = 0.0  # width of the first word, to tell a ragged line end from a paragraph end
    confidence: float | None = None  # OCR confidence, when the line was recognised from an image
    heading: bool = field(default=False, compare=False)


@dataclass
class Paragraph:
    text: str
    heading: bool
    page: int
    lines: list[Line]


def is_cjk(char: str) -> bool:
    """Whether a character is Chinese (or CJK punctuation or a full-width form)."""
    return bool(_CJK.match(char))


def is_bold_font(fontname: str) -> bool:
    """Whether a PDF font name names a bold (or black, heavy, 黑体) face."""
    return bool(_BOLD_FONT.search(fontname.split("+", 1)[-1]))


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _edge_lines(lines: list[Line]) -> list[Line]:
    """The lines a running head or foot may be: up to three from each edge, within its band."""
    if not lines:
        return []
    height = lines[0].page_height
    ordered = sorted(lines, key=lambda ln: ln.top)
    top = [ln for ln in ordered[:3] if ln.top < 0.14 * height]
    bottom = [ln for ln in ordered[-3:] if ln.bottom > 0.86 * height]
    return top + [ln for ln in bottom if ln not in top]


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove running headers, footers and page numbers: edge lines that repeat or read as numbers."""
    edge = [_edge_lines(lines) for lines in pages]
    # Where each edge text stands on each page, and the numbers in it: a running head repeats at the
    # same height, and its numbers either stay ("Exhibit 10.47") or follow the page ("Page 3 of 13").
    seen: dict[str, list[tuple[int, float, tuple[int, ...]]]] = {}
    for number, lines in enumerate(edge):
        for ln in lines:
            digits = tuple(int(d) for d in re.findall(r"\d{1,6}", ln.text))
            seen.setdefault(_furniture_key(ln.text), []).append((number, ln.top, digits))

    def repeats(line: Line) -> int:
        spots = [
            (number, digits)
            for number, top, digits in seen.get(_furniture_key(line.text), [])
            if abs(top - line.top) <= max(4.0, line.size)
        ]
        if len({digits for _, digits in spots}) > 1 and not _follows_page(spots):
            return 0  # "ARTICLE 5" atop one page and "ARTICLE 9" atop another are headings
        return len({number for number, _ in spots})

    # A head or foot need not be on every page (a legend only where text was redacted, none on the
    # cover), but on a good share of them.
    repeat_at = max(2, (len(pages) + 2) // 3)
    body_size = _body_size([ln for page in pages for ln in page])
    inline = _inline_furniture(pages, repeat_at)
    out: list[list[Line]] = []
    for lines, edges in zip(pages, edge, strict=True):
        dropped = {id(ln) for ln in lines if id(ln) in inline} | {
            id(ln)
            for ln in edges
            if _PAGE_NUMBER.match(ln.text)
            or _ROMAN_PAGE.match(ln.text)
            or _page_in_phrase(ln.text)
            or (len(pages) >= 2 and len(ln.text) <= 80 and _has_letters(ln.text) and repeats(ln) >= repeat_at)
            or _set_apart(ln, lines, body_size)
        }
        # A page number left inside a page (documents whose pages were run together) stands alone.
        dropped |= {id(ln) for ln in lines if _PAGE_NUMBER.match(ln.text) and _alone(ln, lines)}
        kept = [ln for ln in lines if id(ln) not in dropped]
        if out and out[-1] and kept and _repeated_from(out[-1], kept):
            kept = kept[1:]  # a page that begins by repeating the last line of the page before
        out.append(kept)
    return out


def _repeated_from(previous: list[Line], lines: list[Line]) -> bool:
    last = max(previous, key=lambda ln: ln.top)
    first = min(lines, key=lambda ln: ln.top)
    text = first.text.strip()
    return len(text) >= 20 and _has_letters(text) and text == last.text.strip() and first is lines[0]


def _inline_furniture(pages: list[list[Line]], repeat_at: int) -> set[int]:
    """The original's page furniture where a reprint placed it mid-page (a filing printed from HTML).

    A page mark ("- 3 -", "Page 3 of 13") is never text. A short line that recurs on many pages as a
    line of its own is the old page's foot when it carries a page number ("Page 3 of 13 CONFIDENTIAL")
    or no number at all ("* Confidential treatment requested"); a recurring line with other numbers
    ("ARTICLE 5") is a heading and stays, and so does a bold or larger line (the title, which a
    running head may repeat), or the wrapped end of a sentence.
    """
    body_size = _body_size([ln for page in pages for ln in page])
    where: dict[str, set[int]] = {}
    found: dict[str, list[int]] = {}
    marks = set()
    for number, lines in enumerate(pages):
        for ln in lines:
            text = ln.text.strip()
            if _PAGE_MARK.match(text):
                marks.add(id(ln))
                continue
            if ln.bold or ln.size > 1.1 * body_size or not 12 <= len(text) <= 80 or len(text.split()) < 2:
                continue
            if not _has_letters(text) or text[0].islower() or not _own_line(ln, lines):
                continue
            if _page_in_phrase(text) or not re.search(r"\d", text):
                key = _furniture_key(text)
                where.setdefault(key, set()).add(number)
                found.setdefault(key, []).append(id(ln))
    recurring = [ids for key, ids in found.items() if len(where[key]) >= max(3, repeat_at)]
    return marks.union(*recurring)


def _own_line(line: Line, lines: list[Line]) -> bool:
    """Whether a line starts afresh: first on its page, after a sentence's end, or after a gap."""
    above = [ln for ln in lines if ln.bottom <= line.top + 0.5 and ln is not line]
    if not above:
        return True
    previous = max(above, key=lambda ln: ln.bottom)
    return (
        previous.text.rstrip().endswith((*_SENTENCE_END, "]", ")"))
        or line.top - previous.bottom > 0.8 * line.size
    )


def _has_letters(text: str) -> bool:
    """Whether a line has words (a row of underscores to fill in is part of a form, not a running head)."""
    return bool(re.search(r"[^\W\d_]", text))


def _follows_page(spots: list[tuple[int, tuple[int, ...]]]) -> bool:
    """Whether the numbers that differ between pages move with the page number (a page count)."""
    width = len(spots[0][1])
    if any(len(digits) != width for _, digits in spots):
        return False
    for place in range(width):
        values = {digits[place] for _, digits in spots}
        if len(values) > 1 and len({digits[place] - number for number, digits in spots}) > 1:
            return False
    return True


def _page_in_phrase(text: str) -> bool:
    """A short edge line with a page number in it: "Page 3 of 13 CONFIDENTIAL", "Acme Confidential - 3 -"."""
    stripped = text.strip()
    return (
        len(stripped) <= 60
        and len(stripped.split()) <= 8
        and not stripped.endswith(("。", "；", ";", ",", "，"))
        and bool(_PAGE_IN_PHRASE.search(stripped))
    )


def _alone(line: Line, lines: list[Line]) -> bool:
    """Whether a line has clear space above and below it (or is the page's first or last line)."""
    above = [line.top - ln.bottom for ln in lines if ln.bottom <= line.top + 0.5 and ln is not line]
    below = [ln.top - line.bottom for ln in lines if ln.top >= line.bottom - 0.5 and ln is not line]
    space = 1.5 * line.size
    return (not above or min(above) >= space) and (not below or min(below) >= space)


def _set_apart(line: Line, lines: list[Line], body_size: float) -> bool:
    """A short line in small print at the very top or bottom, well apart from the text: a running head."""
    if line.size > 0.85 * body_size or len(line.text) > 80:
        return False
    above = [ln.bottom for ln in lines if ln.bottom <= line.top + 0.5]
    below = [ln.top for ln in lines if ln.top >= line.bottom - 0.5]
    if not above and below:
        return min(below) - line.bottom > 1.2 * body_size
    if not below and above:
        return line.top - max(above) > 1.2 * body_size
    return False


@dataclass
class _Block:
    """The body text's measures, taken over the whole document."""

    left: float
    right: float
    size: float
    pitch: float
    bold_share: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def _body_size(lines: list[Line]) -> float:
    """The font size most of the text is set in."""
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size * 2) / 2] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _measure(lines: list[Line]) -> _Block:
    size = _body_size(lines)
    # Recognised lines' sizes come from box heights, which vary by a third: a fixed 0.6 pt would
    # keep a random few of them as the body, and the text block's right edge would be wrong.
    body = [ln for ln in lines if abs(ln.size - size) <= _size_tolerance(ln, 0.6)] or lines
    lefts = Counter(round(ln.x0) for ln in body)
    left = float(min(lefts.most_common(3), key=lambda item: (-item[1], item[0]))[0])
    rights = sorted(ln.x1 for ln in body)
    right = rights[int(0.9 * (len(rights) - 1))] if rights else left + 400
    pitches = [
        b.top - a.top
        for a, b in itertools.pairwise(body)
        if a.page == b.page and 0 < b.top - a.top < 3 * size
    ]
    pitch = statistics.median(pitches) if pitches else size * 1.5
    bold_chars = sum(len(ln.text) for ln in lines if ln.bold)
    total = sum(len(ln.text) for ln in lines) or 1
    return _Block(left, max(right, left + 4 * size), size, pitch, bold_chars / total)


def _looks_like_heading(line: Line, previous: Line | None, following: Line | None, block: _Block) -> bool:
    text = line.text.strip()
    if not text or len(text) > 60 or text.endswith(("。", "；", ";", "，", ",")):
        return False
    cjk = sum(1 for ch in text if is_cjk(ch))
    short = (cjk > len(text) / 2 and len(text) <= 30) or (cjk <= len(text) / 2 and len(text.split()) <= 10)
    if not short or not re.search(r"\w", text):
        return False
    if line.size >= block.size * (1.15 if line.confidence is None else 1.35):
        return True
    if line.bold and block.bold_share < 0.4:
        return True
    if following is not None and following.page == line.page and _full(line, following, block):
        return False  # the text runs on into the next line: a sentence, not a title
    width = line.x1 - line.x0
    centred = (
        abs((line.x0 + line.x1) / 2 - block.centre) <= 0.05 * (block.right - block.left)
        and width <= 0.7 * (block.right - block.left)
        and line.x0 > block.left + 2 * block.size
    )
    if centred:
        return True
    # A short numbered title standing alone ("第一条 合作内容", "ARTICLE 2 TERM"): no sentence inside.
    marker = _MARKER.match(text)
    if not marker or re.search(r"[，,。；;：:]", text) or block.right - line.x1 <= 4 * block.size:
        return False
    if following is None:
        return False  # a title has text after it
    shape = _shape(marker)
    if shape in (_shape(_MARKER.match(following.text)), previous and _shape(_MARKER.match(previous.text))):
        return False  # "(a) Marketing" next to "(b) Sales" is a list, not a title
    title = text[marker.end() :].strip()
    letters = re.sub(r"[\W\d_]", "", title)
    return len(letters) >= 2 and (len(title) <= 16 if any(map(is_cjk, title)) else len(title.split()) <= 6)


def _shape(marker: re.Match[str] | None) -> str | None:
    """A clause number's style with its values blanked: "(a)" and "(b)" share one, "2." and "2.1" do not."""
    if marker is None:
        return None
    shape = re.sub(r"[一二三四五六七八九十百零〇]+", "一", marker.group().strip())
    return re.sub(r"[a-zA-Z]", "a", re.sub(r"\d+", "1", shape))


def _full(line: Line, following: Line | None, block: _Block) -> bool:
    """Whether a line reaches the block's right edge, so its text runs on into the next line."""
    gap = block.right - line.x1
    if following is not None and following.text and not is_cjk(following.text[0]):
        # Ragged right: the next line's first word would have fitted here if this were a paragraph end.
        room = following.first_word_width or 3 * following.size
        return gap < room + 0.6 * block.size
    # CJK lines end up to two characters short when punctuation may not start the next line.
    return gap <= 2.5 * block.size


def _size_tolerance(line: Line, points: float) -> float:
    """How far two font sizes may differ and still be the same type (recognised boxes vary by a third)."""
    return points if line.confidence is None else max(points, 0.35 * line.size)


def _continues(current: Line, first: Line, following: Line, block: _Block) -> bool:
    """Whether ``following`` continues the paragraph whose last line is ``current``."""
    if current.heading or following.heading:
        # A title wrapped over two lines: same type, close together, no new number.
        return (
            current.heading
            and following.heading
            and following.page == current.page
            and abs(following.size - current.size) <= _size_tolerance(current, 0.5)
            and following.bold == current.bold
            and (
                abs((following.x0 + following.x1) - (current.x0 + current.x1)) / 2
                <= 0.1 * (block.right - block.left)
                or abs(following.x0 - current.x0) <= current.size
            )
            and 0 < following.top - current.top <= 1.8 * current.size
            and not current.text.rstrip().endswith(_SENTENCE_END)
            and not _MARKER.match(following.text)
        )
    if _CLAUSE_START.match(following.text) and following.x0 <= max(current.x0, first.x0) + 0.8 * block.size:
        return False  # "7.2 The Supplier …" at the margin starts a clause, whatever ends the line above
    if following.page == current.page:
        if following.top - current.top > 1.45 * block.pitch or following.top < current.top:
            return False
    elif following.x0 > block.left + 0.8 * block.size and not _MARKER.match(current.text):
        return False
    if abs(following.size - current.size) > _size_tolerance(current, 1.0):
        return False
    if following.page != current.page and _cut_at_page_end(current, following):
        return True  # a sentence cut by the page break, where the page ended short of the margin
    if not _full(current, following, block):
        return False
    stripped = current.text.rstrip()
    if _MARKER.match(following.text) and stripped.endswith(_SENTENCE_END):
        return False
    indent = following.x0 - current.x0
    if indent > 0.8 * block.size:
        # Indented next line: a hanging indent under a numbered item continues; a first-line indent starts anew.
        return current is first and bool(_MARKER.match(current.text))
    if indent < -0.8 * block.size:
        # Back to the margin: after an indented first line the paragraph goes on; after a hanging indent it ends.
        return current is first
    return True


def _cut_at_page_end(current: Line, following: Line) -> bool:
    """A page's last line stops mid-sentence (a word or comma) and the next page goes on in lower case."""
    stripped = current.text.rstrip()
    return (
        bool(stripped)
        and (stripped[-1].isalpha() or stripped[-1] == ",")
        and following.text.lstrip()[:1].islower()
    )


def _join(left: str, right: str, hyphenated_words: set[str]) -> str:
    left = left.rstrip()
    right = right.lstrip()
    if not left or not right:
        return left + right
    if left[-1] in _HYPHENS and len(left) >= 2 and left[-2].isalpha() and right[0].islower():
        # "interdiscip-" + "linary": drop the hyphen unless the document writes the word with it elsewhere.
        head = re.search(r"(\w+)" + re.escape(left[-1]) + "$", left)
        tail = re.match(r"\w+", right)
        if head and tail and f"{head.group(1)}-{tail.group()}".lower() in hyphenated_words:
            return left[:-1] + "-" + right
        return left[:-1] + right
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return left + " " + right


def paragraphs(pages: list[list[Line]]) -> list[Paragraph]:
    """The document's paragraphs in reading order, headings marked, page furniture dropped."""
    pages = drop_furniture(pages)
    lines = [ln for page in pages for ln in page if ln.text.strip()]
    if not lines:
        return []
    block = _measure(lines)
    for previous, ln, following in zip([None, *lines[:-1]], lines, [*lines[1:], None], strict=True):
        ln.heading = _looks_like_heading(ln, previous, following, block)
    plain = " ".join(ln.text for ln in lines)
    hyphenated = {m.group().lower() for m in re.finditer(r"\w+-\w+", plain)}
    out: list[Paragraph] = []
    group: list[Line] = [lines[0]]
    for current, following in itertools.pairwise(lines):
        if _continues(current, group[0], following, block):
            group.append(following)
            continue
        out.append(_paragraph(group, hyphenated))
        group = [following]
    out.append(_paragraph(group, hyphenated))
    return out


def _paragraph(group: list[Line], hyphenated: set[str]) -> Paragraph:
    text = group[0].text.strip()
    for ln in group[1:]:
        text = _join(text, ln.text, hyphenated)
    return Paragraph(text=text, heading=group[0].heading, page=group[0].page, lines=group)
