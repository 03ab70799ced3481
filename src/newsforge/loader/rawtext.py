"""Reading scraped page text: separating the article from the page around it.

A scraped page is a header (navigation, timestamp, headline, widgets), the article
(paragraphs, possibly with photo captions, credits and inline related links), and a
tail (related and most-read lists, bylines, source lines, comment counters). The
rules here are shapes, not words: every word they need comes from the language's
``loader`` data, and lines the archive repeats across many files come from ``furniture``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from newsforge.loader.dates import (
    FoundDate,
    Marker,
    OrderHints,
    find_dates,
    iso_marker,
    occasion_year,
    order_hints,
    safe_date,
    settle_order,
    split_title_stamp,
    stamp_line,
    timestamp_line,
    url_date,
)
from newsforge.loader.metadata import source_from_text
from newsforge.loader.rules import LoaderRules
from newsforge.model import (
    DateSource,
    Evidence,
    Paragraph,
    PartialDate,
    Problem,
    Published,
    Severity,
    Source,
    Span,
)

# Sentence ends in every script: Latin, CJK full-width, Khmer, Myanmar, Ethiopic, Arabic,
# Devanagari, and closing quotes and brackets after them.
_TERMINAL = tuple(".!?…:;\"”’»)。！？；：」』）】។៕။።؟।॥")
_LINK_RUN_MIN_WORDS = 6
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")
# A dateline: "HANOI —", "PHNOM PENH, March 3 (Xinhua) --", "Bangkok, 21 ago (EFE).-",
# "AKP Phnom Penh, December 06, 2018 -Cambodian" (an agency's acronym before the place).
_DATELINE = re.compile(
    r"^(?:(?P<lead>[A-Z][A-Z/]{1,7})\s+(?=[A-ZÀ-Þ][^\W\d_A-ZÀ-Þ]))?"
    r"(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]+[^\W\d_][^\W\d_.'’-]*){0,3})"
    r"(?:\s*,\s*(?P<when>[^\s(),—–-][^()—–\n-]{0,24}?))?"
    r"(?:\s*\((?P<agency>[^)]{1,30})\))?"
    r"(?:\s+[—–-]{1,2}|[—–-]{1,2}(?=\s)|(?<=\))\.?[—–-]{1,2}|(?<=\))\s*[:：])\s*")
# "(VNA) – ...": an outlet's tag in parentheses opening the lead.
_OUTLET_TAG = re.compile(r"^\((?P<tag>[A-Z][A-Za-z/.&]{0,10}[A-Z])\)\s*(?:[—–-]{1,2}|[:：])\s*")
_SIGNATURE = re.compile(
    r"(?<=[.!?”\"’)])(?:\s+|\s*[—–-]+\s*|\s*\(\s*)"  # "... said. VNA", "— VNS", "(TTXVN)"
    r"(?P<sig>(?:[A-Z][A-Za-z]{0,5}[A-Z]/)*[A-Z][A-Za-z]{0,5}[A-Z])\)?"
    r"(?:\s+(?P<cue>[^\W\d_]+))?\s*$")
# "Tuấn Quỳnh (Th)", "Minh Hà/TTXVN": a byline's agency or desk tag.
# At most this many words in a note added below a signed article.
_NOTE_WORDS = 12
_AGENCY_SUFFIX = re.compile(r"\s*(?:\([^()]{1,12}\)|/\s*[A-Z][\w.]{1,15})\s*$")
# "Hà Văn/ Báo Chính phủ": a name and the outlet it wrote for, signing the article.
_NAME_OUTLET = re.compile(r"^(?P<name>[^/()]{3,45}?)\s*/\s*(?P<outlet>[^/()\d]{2,40})$")
# "(子兴)", "(Minh Anh)": a signature in parentheses on a line of its own.
_PAREN_LINE = re.compile(r"^\((?P<inner>[^()]{1,120})\)\.?$")
_CAPS_PAIR = re.compile(r"[A-Z][A-Za-z]{0,5}[A-Z]")
_CAPS_TAG = re.compile(r"(?:[A-Z][A-Za-z]{0,5}[A-Z]/)*[A-Z][A-Za-z]{0,5}[A-Z]")
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,5}|#x[0-9A-Fa-f]{2,4});")
_PARTIAL_MARKER = re.compile(r"^\s*date\s*[:=]?\s*\d{4}(?:-\d{2})?(?![\d-])\s*", re.IGNORECASE)
_BREAK = re.compile(r"(?<=[^\W\d_]{3})[.!?]\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")
# Counters and image placeholders, by shape in any language: "14", "517 Aufrufe",
# "15 phút trước", "Kommentare (3)", "photo-1728377995980", "IMG_0042.jpg", "... - Bild 2".
_COUNTER = re.compile(
    r"^(?:\d[\d.,  ]{0,10}[KkMm]?"
    r"|\d[\d.,]{0,8}[KkMm]?\s*[^\W\d_]{1,15}(?:\s[^\W\d_]{1,15})?"
    r"|[^\W\d_]{1,20}(?:\s[^\W\d_]{1,20})?\s*[(\[]\s*\d{1,6}\s*[)\]])$")
_IMAGE = re.compile(
    r"^\S*\d{8,}\S*$|^\S+\.(?:jpe?g|png|gif|webp|avif)$"
    r"|\s[-–—]\s[^\W\d_]{2,12}\s\d{1,2}\.?$", re.IGNORECASE)
_BULLETS = "•·▪●◦‣∙*"
_BULLET = re.compile(rf"^[{_BULLETS}]\s*")
# Scripts written without spaces between words: a word is about two Han or kana
# characters, or (beside the spaces between phrases) seven Thai, Lao, Khmer or Myanmar
# code points.
_DENSE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                       r"\u4e00-\u9fff\uf900-\ufaff]")
_SPARSE = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+")
# Start of each script's block, for telling a line's script from the page's.
_SCRIPTS = (
    (0x0000, "latin"), (0x0370, "greek"), (0x0400, "cyrillic"), (0x0530, "other"),
    (0x0590, "hebrew"), (0x0600, "arabic"), (0x0700, "other"), (0x0900, "indic"),
    (0x0E00, "thai"), (0x0E80, "lao"), (0x0F00, "other"), (0x1000, "myanmar"),
    (0x10A0, "other"), (0x1780, "khmer"), (0x1800, "other"), (0x1E00, "latin"),
    (0x1F00, "greek"), (0x2000, "other"), (0x3040, "cjk"), (0xA000, "other"),
    (0xAC00, "hangul"), (0xD7B0, "other"), (0xF900, "cjk"), (0xFB00, "other"))
_NON_LATIN = re.compile(r"[\u0370-\u1dff\u1f00-\u1fff\u2c00-\uffff]")
_SCRIPT_STARTS = tuple(start for start, _ in _SCRIPTS)
# Word-initial and word-final letter pairs of pronounceable words: "VGP", "AKP", "NDO"
# are an outlet's initials, "HANOI", "PARIS", "MINSK" places.
_ONSETS = frozenset((
    "BL", "BR", "CH", "CL", "CR", "DH", "DR", "FL", "FR", "GH", "GL", "GR", "KH", "KL",
    "KR", "PH", "PL", "PR", "QU", "SC", "SH", "SK", "SL", "SM", "SN", "SP", "ST", "SW",
    "TH", "TR", "TS", "WH", "WR", "ZH"))
_CODAS = frozenset((
    "CH", "CK", "CT", "FT", "LD", "LK", "LL", "LM", "LP", "LT", "MB", "MP", "ND", "NG",
    "NK", "NN", "NS", "NT", "PT", "RB", "RD", "RG", "RK", "RL", "RM", "RN", "RS", "RT",
    "SH", "SK", "SP", "SS", "ST", "TH", "TS", "TZ"))


class Kind(Enum):
    BLANK = "blank"
    TEXT = "text"
    FURNITURE = "furniture"
    NAVIGATION = "navigation"
    TIMESTAMP = "timestamp"
    SOURCE = "source"
    CREDIT = "credit"
    TAIL = "tail"
    BYLINE = "byline"
    IMAGE = "image"
    SIGNATURE = "signature"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the file, its 1-based number and what it was recognised as; a text
    line also keeps its words without a closing agency signature, and how many."""

    number: int
    text: str
    kind: Kind = Kind.TEXT
    core: str = ""
    words: int = 0


@dataclass(frozen=True, slots=True)
class RawReading:
    """What could be read off a scraped page; the loader turns it into an Article."""

    title: str | None
    title_line: int | None
    paragraphs: tuple[Paragraph, ...]
    source: Source | None
    source_line: int | None
    author: str | None
    author_line: int | None
    dateline: str | None
    published: Published | None
    date_source: DateSource
    date_line: int | None
    partial_date: PartialDate | None
    evidence: tuple[Evidence, ...] = ()
    problems: tuple[Problem, ...] = field(default=())


def furniture_key(line: str) -> str:
    """The form in which a line is compared with lines of other files."""
    return " ".join(line.lower().split())


def is_furniture_candidate(line: str) -> bool:
    """Only short lines can be page furniture; article paragraphs are never counted."""
    stripped = line.strip()
    return 0 < len(stripped) <= 100


def read_raw_text(text: str, path: str, rules: LoaderRules,
                  furniture: frozenset[str] = frozenset()) -> RawReading:
    """Read a scraped page: header, clean body paragraphs, tail, and every clue to metadata."""
    evidence: list[Evidence] = []
    problems: list[Problem] = []
    # Scrapers often keep the page's "&amp;" and "&#8217;"; only whole entities are read.
    text = _HTML_ENTITY.sub(lambda m: html.unescape(m.group()).replace("\u00a0", " "), text)
    marker_date, raw_lines = _take_marker([t.rstrip() for t in text.split("\n")], evidence)
    lines = _mark_captions([_classify(number, line, rules, furniture)
                            for number, line in enumerate(raw_lines, start=1)])

    body_start = _first_prose(lines)
    if body_start is None:  # no full sentence anywhere: a headline, then the article
        texts = [i for i, ln in enumerate(lines) if ln.kind is Kind.TEXT]
        heading = len(texts) > 1 and _headline_like(lines[texts[0]])
        body_start = texts[1] if heading else (texts[0] if texts else len(lines))
    script = _script(lines[body_start].text) if body_start < len(lines) else None
    lead_line = _header_dateline(lines[:body_start], script)
    title_index = _choose_title(lines[:body_start], script, lead_line)
    if title_index is not None:
        body_start = _after_repeated_title(lines, body_start, lines[title_index].text.strip())
    tail_start, inline_boxes = _tail_start(lines, body_start)

    source, source_line = _source(lines, body_start, rules, evidence)
    author, author_line = _author(lines, body_start, tail_start, rules, evidence)
    body_lines = [ln for ln in lines[body_start:tail_start]
                  if ln.kind is Kind.TEXT and ln.number != author_line
                  and ln.number not in inline_boxes and not _foreign_heading(ln, script)]
    dropped = sum(1 for ln in lines if ln.kind not in (Kind.TEXT, Kind.BLANK))
    title = lines[title_index].text.strip() if title_index is not None else None
    title_line = lines[title_index].number if title_index is not None else None
    title_stamp = split_title_stamp(title, rules) if title is not None else None
    if title_stamp is not None:
        title = title_stamp[0]  # "Headline | 02/12/2025 10:57": the stamp is a date
    paragraphs = [p for p in _paragraphs(body_lines, rules, path)
                  if title is None or p.text.rstrip(" .") != title]  # captions that repeat it
    paragraphs = _without_notes(paragraphs)
    dateline, agency = _dateline(paragraphs[0].text, script) if paragraphs else (None, None)
    dateline_line = paragraphs[0].span.line if paragraphs else None
    if dateline is None and agency is None and lead_line is not None:
        dateline, agency = _dateline(lines[lead_line].text.strip(), script)
        dateline_line = lines[lead_line].number
    if dateline:
        evidence.append(Evidence("dateline", "capitalised place before a dash", dateline,
                                 dateline_line))
    paragraphs, signature = _strip_signature(paragraphs, rules, agency)
    if signature and source is None:
        source, source_line = Source(signature[0]), signature[1]
        evidence.append(Evidence("source", "agency signature after the last sentence",
                                 signature[0], signature[1]))
    if agency and source is None:
        source, source_line = Source(agency), dateline_line
        evidence.append(Evidence("source", "agency named in the dateline", agency,
                                 source_line))
    lead = rules.lead_source.match(paragraphs[0].text) if paragraphs and not source else None
    named = next((group for group in lead.groups() if group), "") if lead else ""
    if named and named not in rules.own_outlet:
        source, source_line = Source(named), paragraphs[0].span.line
        evidence.append(Evidence("source", "agency named at the start of the lead", named,
                                 source_line))
    if dropped:
        evidence.append(Evidence("body", "page furniture removed", f"{dropped} line(s)"))
    if title is not None:
        evidence.append(Evidence("title", "headline line before the first paragraph", title,
                                 title_line))

    # Timestamps in the related lists after the article belong to other articles.
    published, date_source, date_line, partial = _date(
        marker_date, lines[:tail_start], paragraphs, source, rules, evidence, problems, path,
        (title_stamp[1], title_line) if title_stamp is not None else None)
    return RawReading(
        title=title,
        title_line=title_line,
        paragraphs=tuple(paragraphs),
        source=source,
        source_line=source_line,
        author=author,
        author_line=author_line,
        dateline=dateline,
        published=published,
        date_source=date_source,
        date_line=date_line,
        partial_date=partial,
        evidence=tuple(evidence),
        problems=tuple(problems),
    )


# --- line classification -------------------------------------------------------------

def _take_marker(lines: list[str], evidence: list[Evidence]
                 ) -> tuple[tuple[Marker, int] | None, list[str]]:
    """A scraper's leading ``date YYYY-MM-DD`` (or ``date YYYY-MM``) marker, removed from
    the text it prefixes (``lines`` are the file's lines, the first numbered 1)."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        marker = iso_marker(line)
        if marker is None:
            return None, lines
        rule = ("date marker at the top of the file" if marker.day is not None
                else "year and month marker at the top of the file")
        evidence.append(Evidence("date", rule, line[:marker.length].strip(), index + 1))
        return (marker, index + 1), [*lines[:index], line[marker.length:], *lines[index + 1:]]
    return None, lines


def _classify(number: int, line: str, rules: LoaderRules, furniture: frozenset[str]) -> Line:
    """Line ``number`` of the file, recognised."""
    text = line.strip()
    if not text:
        return Line(number, line, Kind.BLANK)
    lowered = furniture_key(text)
    # The key holds the line's words one space apart: its spaces count them, which spares
    # splitting the line again for every rule that asks how many words it has.
    words = lowered.count(" ") + 1
    kind = _kind(text, lowered, words, rules, furniture)
    if kind is not Kind.TEXT:
        return Line(number, line, kind)
    core = _core_text(text)
    return Line(number, line, kind, core, _words(core, words if core == text else None))


def _kind(text: str, lowered: str, words: int, rules: LoaderRules,
          furniture: frozenset[str]) -> Kind:
    """What a non-blank stripped line is; ``lowered`` is its furniture key and ``words``
    its number of space-separated words."""
    unpunctuated = not text.endswith(_TERMINAL)
    bare = _BULLET.sub("", text) if text[0] in _BULLETS else text
    if lowered in rules.furniture or rules.counter.match(text) or len(text) <= 2 or (
            len(bare) <= 40 and _COUNTER.match(bare)):
        return Kind.FURNITURE
    if unpunctuated and _IMAGE.search(bare):
        return Kind.IMAGE
    if rules.source_line.match(text) or (
            words <= 6 and rules.source_prefix_line.match(text)):
        return Kind.SOURCE
    if rules.credit_line.match(text) or (
            2 <= words <= 3 and _is_signature_credit(text, rules)) or (
            unpunctuated and rules.credit_caption.search(text)):
        return Kind.CREDIT
    if timestamp_line(text, rules):
        return Kind.TIMESTAMP
    short = len(text) <= 60
    tail = rules.tail.match(text)
    if tail and ((short and (unpunctuated or text.endswith(":"))) or (
            unpunctuated and len(text) <= 160
            and text[tail.end():].lstrip()[:1] in (":", "："))):
        return Kind.TAIL  # "Related news", "Read also: <a headline>"
    if rules.navigation.match(text) and unpunctuated and len(text) <= 160:
        return Kind.NAVIGATION
    byline = _byline(text, rules)
    if byline is not None and _name_shaped(byline[0]):
        return Kind.BYLINE
    if (unpunctuated or text.endswith(")")) and _signature(text) is not None:
        return Kind.SIGNATURE
    if lowered in furniture:
        return Kind.FURNITURE
    return Kind.TEXT


def _byline(text: str, rules: LoaderRules) -> tuple[str, str] | None:
    """'By Jane Doe', 'By Jane Doe  December 2, 2025 | 04:30 pm GMT+7': (name, timestamp)."""
    match = rules.byline.match(text)
    if match is None or len(text) > 120:
        return None
    name, stamp = match["name"].strip(), ""
    digit = re.search(r"\d", name)
    if digit:
        name, stamp = name[:digit.start()], name[digit.start():]
        words = name.split()
        while words and (words[-1].lower().strip(",.|") in rules.months
                         or rules.is_weekday_word(words[-1].lower().strip(",.|"))
                         or not words[-1].strip("|,-–—")):
            stamp = f"{words.pop()} {stamp}"
        name = " ".join(words)
    return name.strip(" ,|-–—"), stamp.strip()


def _is_signature_credit(text: str, rules: LoaderRules) -> bool:
    """'VNA Photo', 'Photo VNA/VNS': an agency signature next to a credit word, alone."""
    words = text.split()
    if not 2 <= len(words) <= 3:
        return False
    cue = [w for w in words if rules.credit_words.match(w.strip(":"))]
    agency = [w for w in words if re.fullmatch(r"[A-Z][A-Z/.&-]{1,15}", w)]
    return bool(cue) and len(cue) + len(agency) == len(words)


def _name_shaped(text: str) -> bool:
    """'Tuấn Quỳnh', 'Jane Doe', 'Tuấn Quỳnh (Th)': two to five capitalised words."""
    text = _AGENCY_SUFFIX.sub("", text.strip())
    words = text.split()
    return (2 <= len(words) <= 5 and len(text) <= 45
            and all(_NAME_WORD.match(w) and w[0].isupper() for w in words))


def _signature(text: str) -> tuple[str, str | None] | None:
    """'Hà Văn/ Báo Chính phủ', '(子兴)': the name signing the article, and its outlet."""
    match = _NAME_OUTLET.match(text)
    if match is not None:
        name, outlet = match["name"].strip(), match["outlet"].strip()
        if (_name_shaped(name) and outlet[:1].isupper() and len(outlet.split()) <= 4
                and not outlet.endswith(_TERMINAL)):
            return name, outlet
        return None
    match = _PAREN_LINE.match(text)
    if match is None:
        return None
    inner = match["inner"].strip()
    if _CAPS_TAG.fullmatch(inner) or any(c.isdigit() or c in ":：" for c in inner):
        return None  # "(TTXVN)" is an agency's signature, "(Ảnh: ...)" a credit
    caseless = not any(c.isupper() or c.islower() for c in inner)
    if _name_shaped(inner) or (caseless and 2 <= len(inner) <= 8 and " " not in inner):
        return inner, None
    return None


def _words(text: str, spaced: int | None = None) -> int:
    """How many words a text holds, counting scripts written without spaces by length;
    ``spaced`` is its number of space-separated words when the caller knows it."""
    count = len(text.split()) if spaced is None else spaced
    if text.isascii() or _UNSPACED.search(text) is None:
        return count
    dense = sum(len(run) for run in _DENSE.findall(text))
    sparse = sum(len(run) for run in _SPARSE.findall(text)) if dense == 0 else 0
    return count + dense // 2 + sparse // 7


def _script(text: str) -> str | None:
    """The script most of the text's letters are written in ('latin', 'cjk', 'khmer', ...)."""
    if _NON_LATIN.search(text) is None:
        return "latin" if any(c.isalpha() for c in text) else None
    counts: dict[str, int] = {}
    for char in text[:160]:  # the opening letters tell the script
        if char.isalpha():
            name = _SCRIPTS[bisect_right(_SCRIPT_STARTS, ord(char)) - 1][1]
            counts[name] = counts.get(name, 0) + 1
    return max(sorted(counts), key=lambda name: counts[name]) if counts else None


def _has_sentence_break(text: str) -> bool:
    """'... nếu mạng chậm. Đóng': a full stop after a lower-case word, inside the line."""
    return any(text[m.start() - 3:m.start()].islower() for m in _BREAK.finditer(text))


def _is_initials(token: str, script: str | None) -> bool:
    """'VGP', 'NDO', 'AKP' are an outlet's initials; 'HANOI', 'PARIS' are places."""
    if not (2 <= len(token) <= 6 and token.isascii() and token.replace("/", "").isalpha()
            and token.isupper()):
        return False
    if "/" in token or len(token) == 2 or script not in (None, "latin"):
        return True
    vowels = [c in "AEIOUY" for c in token]
    if not any(vowels):
        return True
    onset = not vowels[0] and not vowels[1] and token[:2] not in _ONSETS
    coda = not vowels[-1] and not vowels[-2] and token[-2:] not in _CODAS
    return onset or coda


def _core_text(text: str) -> str:
    """The line without an agency signature after its last sentence."""
    if text.endswith(_TERMINAL) or not text[-1:].isalpha() or _CAPS_PAIR.search(
            text, len(text) - 24) is None:
        return text  # a signature ends in capitals: most lines are spared the regex
    return _SIGNATURE.sub("", text)


def _is_prose(line: Line) -> bool:
    if line.kind is not Kind.TEXT:
        return False
    text = line.core
    return line.words >= 8 and (text.endswith(_TERMINAL) or len(text) >= 200)


def _headline_like(line: Line) -> bool:
    if line.kind is not Kind.TEXT:
        return False
    text = line.core
    return (3 <= line.words <= 35
            and (not text.endswith(_TERMINAL) or text.endswith(("?", "!", "”", "\"", "？", "！")))
            and not _name_shaped(text))


# --- structure -------------------------------------------------------------------------

def _first_prose(lines: Sequence[Line]) -> int | None:
    """Where the article begins: its first full sentence, however short."""
    return next((i for i, line in enumerate(lines)
                 if _is_prose(line) or _is_short_sentence(line)), None)


def _is_short_sentence(line: Line) -> bool:
    """'HANOI — The two sides met.': a few words, one not capitalised, a full stop."""
    if line.kind is not Kind.TEXT:
        return False
    text = line.core
    return (line.words >= 4 and text.endswith((".", "!", "?", "…", "。", "！", "？", "។", "။"))
            and any(w[:1].isalpha() and not w[:1].isupper() for w in text.split()))


def _choose_title(header: Sequence[Line], script: str | None, skip: int | None) -> int | None:
    """The longest headline-shaped line of the header; a later one wins a tie.

    A line in another script than the article (the original-language headline of a
    translation) loses to one in the article's script, a line holding a notice's full
    stop is no headline, and a line that holds another candidate between page chrome
    ("Logo ... - Headline", "Back to home Headline Politics") gives way to it.
    """
    candidates = [i for i, line in enumerate(header)
                  if i != skip and _headline_like(line)
                  and not _has_sentence_break(line.text.strip())]
    if script is not None:
        same = [i for i in candidates if _script(header[i].text) == script]
        candidates = same or candidates
    texts = {i: header[i].text.strip() for i in candidates}
    candidates = [i for i in candidates
                  if not any(_frames(texts[i], texts[j]) for j in candidates)]
    best: int | None = None
    for index in candidates:
        if best is None or len(texts[index]) >= len(texts[best]):
            best = index
    return best


def _frames(outer: str, inner: str) -> bool:
    """Whether ``outer`` is ``inner`` with page chrome around it."""
    if len(inner) >= len(outer) or inner not in outer:
        return False
    if len(inner) >= 0.6 * len(outer):
        return True
    before, _, after = outer.partition(inner)
    return (not after.strip() and before.rstrip().endswith(("-", "|", "–", "—", ":"))) or (
        not before.strip() and after.lstrip().startswith(("-", "|", "–", "—")))


def _after_repeated_title(lines: Sequence[Line], body_start: int, title: str) -> int:
    """A headline printed again under the page's image and caption: the article starts
    after it."""
    for index in range(body_start, min(body_start + 6, len(lines))):
        if lines[index].text.strip() == title and any(
                _is_prose(line) for line in lines[index + 1:index + 4]):
            return index + 1
    return body_start


def _header_dateline(header: Sequence[Line], script: str | None) -> int | None:
    """'AKP Phnom Penh, 20 décembre 2016 –' alone on the line before the article."""
    for index in range(len(header) - 1, -1, -1):
        line = header[index]
        if line.kind is Kind.BLANK:
            continue
        text = line.text.strip()
        match = _DATELINE.match(text) if line.kind is Kind.TEXT else None
        if match is not None and match.end() == len(text) and _dateline(text, script) != (
                None, None):
            return index
        return None
    return None


def _mark_captions(lines: list[Line]) -> list[Line]:
    """The line right under an image placeholder is its caption."""
    marked = list(lines)
    for index in range(1, len(marked)):
        previous, line = marked[index - 1], marked[index]
        if previous.kind is Kind.IMAGE and line.kind is Kind.TEXT and len(line.text) <= 400:
            marked[index] = Line(line.number, line.text, Kind.CREDIT)
    return marked


def _foreign_heading(line: Line, script: str | None) -> bool:
    """A heading-shaped line in another script than the article's: the original-language
    headline of a translated article, a related-list heading from another edition."""
    if script is None or (script == "latin" and _NON_LATIN.search(line.text) is None):
        return False
    return _headline_like(line) and _script(line.text) != script


def _tail_start(lines: Sequence[Line], body_start: int) -> tuple[int, frozenset[int]]:
    """Where the lists after the article begin, and the line numbers of inline link boxes.

    The tail begins at a tail marker, at a headline printed twice, or at a byline or
    signature after the article's paragraphs. A marker followed by a few distinct
    headlines and then more prose is an inline "related" box instead: its lines are
    dropped and the article goes on; so is a caption printed twice (alt text and caption).
    """
    text_lines = [ln for i, ln in enumerate(lines) if i > body_start
                  and ln.kind in (Kind.TEXT, Kind.TAIL, Kind.BYLINE, Kind.SIGNATURE)]
    inline: set[int] = set()
    paragraphs = 1
    for position, line in enumerate(text_lines):
        if line.number in inline:
            continue
        if line.kind in (Kind.BYLINE, Kind.SIGNATURE):
            if paragraphs >= 2:
                return lines.index(line), frozenset(inline)
            continue
        if line.kind is Kind.TAIL:
            following = text_lines[position + 1] if position + 1 < len(text_lines) else None
            if _linked(line) and following is not None and _is_prose(following):
                inline.add(line.number)  # "Read also: <headline>" between two paragraphs
                continue
            box = _inline_box(text_lines[position + 1:])
            if box is None:
                return lines.index(line), frozenset(inline)
            inline.update([line.number, *box])
            continue
        following = text_lines[position + 1] if position + 1 < len(text_lines) else None
        if following is not None and following.text.strip() == line.text.strip():
            if _headline_like(line):
                return lines.index(line), frozenset(inline)
            inline.update([line.number, following.number])
            continue
        paragraphs += 1
    return len(lines), frozenset(inline)


def _linked(line: Line) -> bool:
    """A tail marker with a headline after its colon on the same line."""
    _, colon, rest = line.text.replace("：", ":").partition(":")
    return bool(colon) and _words(rest) >= 3


def _inline_box(after: Sequence[Line]) -> list[int] | None:
    """Line numbers of 1-5 distinct headlines followed by prose, or None."""
    headlines: list[Line] = []
    for line in after:
        if _headline_like(line) and len(headlines) < 5:
            if any(h.text.strip() == line.text.strip() for h in headlines):
                return None
            headlines.append(line)
            continue
        if headlines and _is_prose(line):
            return [h.number for h in headlines]
        return None
    return None


def _paragraphs(body: Sequence[Line], rules: LoaderRules, path: str) -> list[Paragraph]:
    """Body lines to paragraphs: credits cut, inline link lists dropped, wrapped lines joined."""
    # A page without a single sentence mark (a script that uses few, no blank lines) is
    # not judged by the shape of prose: its lines are kept rather than dropped as links.
    kept = _without_link_runs(body) if any(_is_prose(line) for line in body) else list(body)
    paragraphs: list[Paragraph] = []
    for line in kept:
        text = _without_inline_credits(line.text, rules).strip()
        if not text:
            continue
        previous = paragraphs[-1] if paragraphs else None
        if previous is not None and _continues(previous, line, text):
            joined = f"{previous.text} {text}"
            paragraphs[-1] = Paragraph(joined, Span(path, previous.span.line, line.number))
        else:
            paragraphs.append(Paragraph(text, Span(path, line.number, line.number)))
    return paragraphs


def _without_inline_credits(text: str, rules: LoaderRules) -> str:
    """The line without the photo credits standing in it (``rules.credit_inline``).

    Most lines hold no bracket, and then only a credit closing the line can match: it is
    looked for from the sentence marks alone, rather than trying every shape at every
    character, which made this the loader's costliest expression."""
    if "(" in text or "（" in text:
        return rules.credit_inline.sub("", text)
    closing = rules.credit_closing.search(text)
    return text if closing is None else text[:closing.start(1)] + text[closing.end(1):]


def _without_link_runs(body: Sequence[Line]) -> list[Line]:
    """Drop runs of two or more adjacent headline-shaped lines: inline related links."""
    kept: list[Line] = []
    run: list[Line] = []

    def flush() -> None:
        if len(run) < 2:
            kept.extend(run)
        run.clear()

    for line in body:
        link_like = (_headline_like(line)
                     and len(line.text.split()) >= _LINK_RUN_MIN_WORDS)
        adjacent = bool(run) and run[-1].number + 1 == line.number
        if link_like and (not run or adjacent):
            run.append(line)
            continue
        flush()
        if link_like:
            run.append(line)
        else:
            kept.append(line)
    flush()
    return kept


def _continues(previous: Paragraph, line: Line, text: str) -> bool:
    """A hard-wrapped paragraph: the last line did not end a sentence and this one goes on."""
    end = previous.span.end_line or previous.span.line
    return (line.number == end + 1 and not previous.text.endswith(_TERMINAL)
            and text[:1].islower() and len(previous.text) > 60)


def _strip_signature(paragraphs: list[Paragraph], rules: LoaderRules, agency: str | None
                     ) -> tuple[list[Paragraph], tuple[str, int] | None]:
    """'... their peoples. VNA/VNS Photo': the agency signature after the last sentence;
    a last line that only repeats the dateline's agency ("Xinhua") is one too. A short
    sentence after the signature (a correction or an editor's note added later) leaves
    it the article's signature."""
    kept, signature = _strip_last_signature(paragraphs, rules, agency)
    if signature is None and len(paragraphs) > 2 and _is_added_note(paragraphs[-1].text):
        kept, signature = _strip_last_signature(paragraphs[:-1], rules, agency)
        if signature is not None:
            return [*kept, paragraphs[-1]], signature
        return paragraphs, None
    return kept, signature


def _is_added_note(text: str) -> bool:
    """One short sentence: what an editor adds below a signed article."""
    return (_words(text) <= _NOTE_WORDS and text.endswith(_TERMINAL)
            and _BREAK.search(text[:-1]) is None)


def _strip_last_signature(paragraphs: list[Paragraph], rules: LoaderRules,
                          agency: str | None
                          ) -> tuple[list[Paragraph], tuple[str, int] | None]:
    if not paragraphs:
        return paragraphs, None
    last = paragraphs[-1]
    if agency and len(paragraphs) > 1 and last.text.strip(" .").casefold() == agency.casefold():
        return paragraphs[:-1], (agency, last.span.line)
    alone = _SIGNATURE.search(f". {last.text}")
    if alone is not None and alone.start() == 1 and len(paragraphs) > 1 and (
            not alone["cue"] or rules.credit_words.match(alone["cue"])):
        return paragraphs[:-1], (alone["sig"], last.span.line)  # "VNA" on its own last line
    match = _SIGNATURE.search(last.text)
    if match is None or (match["cue"] and not rules.credit_words.match(match["cue"])):
        return paragraphs, None
    text = last.text[:match.start()].rstrip()
    line = last.span.end_line or last.span.line
    return [*paragraphs[:-1], Paragraph(text, last.span)], (match["sig"], line)


def _without_notes(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """An editor's note in parentheses after the article ("(The headline was changed)")."""
    while len(paragraphs) > 1:
        match = _PAREN_LINE.match(paragraphs[-1].text.strip())
        if match is None or _CAPS_TAG.fullmatch(match["inner"].strip()):
            break
        paragraphs = paragraphs[:-1]
    return paragraphs


def _dateline(text: str, script: str | None) -> tuple[str | None, str | None]:
    """The dateline's place and the agency it names, if any: 'HANOI (VNA) –'; for an
    outlet's tag opening the lead ('(VNA) –', 'VGP –'), no place and the outlet."""
    tag = _OUTLET_TAG.match(text)
    if tag is not None:
        return None, tag["tag"]
    match = _DATELINE.match(text)
    if match is None:
        return None, None
    place = match["place"].strip()
    lead = match["lead"]
    agency = (match["agency"] or lead or "").strip() or None
    if agency is None and not match["when"] and _is_initials(place, script):
        return None, place
    letters = [c for c in place if c.isalpha()]
    shouted = all(c.isupper() for c in letters)
    # "Hanoi (VNA) –", "AKP Phnom Penh, 6 May –", "Bangkok, 21 ago (EFE).-": a place in
    # ordinary case needs an agency or a date to mark it as a dateline.
    dated = bool(match["when"]) and any(c.isdigit() for c in match["when"])
    titled = (agency is not None or dated) and all(w[0].isupper() for w in place.split())
    if len(letters) < 3 or not (shouted or titled):
        return None, None
    return place, agency if agency and len(agency.split()) <= 3 else None


# --- metadata ----------------------------------------------------------------------------

def _source(lines: Sequence[Line], body_start: int, rules: LoaderRules,
            evidence: list[Evidence]) -> tuple[Source | None, int | None]:
    for line in lines:
        if line.kind is Kind.SOURCE:
            match = rules.source_line.match(line.text) or rules.source_prefix_line.match(
                line.text)
            value = match["value"].strip() if match else ""
            if value:
                evidence.append(Evidence("source", "source cue line", value, line.number))
                return source_from_text(value), line.number
    for line in lines[body_start:]:
        signed = _signature(line.text.strip()) if line.kind is Kind.SIGNATURE else None
        if signed is not None and signed[1]:
            evidence.append(Evidence("source", "outlet after the signing name", signed[1],
                                     line.number))
            return source_from_text(signed[1]), line.number
    return None, None


def _author(lines: Sequence[Line], body_start: int, tail_start: int, rules: LoaderRules,
            evidence: list[Evidence]) -> tuple[str | None, int | None]:
    """A byline: a 'By ...' line, or a name standing just before the source line, last in
    the article, or alone in the header."""
    for line in lines:
        byline = _byline(line.text.strip(), rules) if line.kind is Kind.BYLINE else None
        if byline is not None:
            evidence.append(Evidence("author", "byline cue", byline[0], line.number))
            return _clean_name(byline[0]), line.number
    for line in lines[body_start:]:
        signed = _signature(line.text.strip()) if line.kind is Kind.SIGNATURE else None
        if signed is not None:
            evidence.append(Evidence("author", "signature after the article", signed[0],
                                     line.number))
            return _clean_name(signed[0]), line.number
    candidates: list[tuple[Line, str]] = []
    for index, line in enumerate(lines):
        if line.kind is not Kind.SOURCE:
            continue
        before = [ln for ln in lines[:index] if ln.kind is not Kind.BLANK]
        if before and before[-1].kind is Kind.TEXT and _name_shaped(before[-1].text):
            candidates.append((before[-1], "name line before the source line"))
    body_text = [ln for ln in lines[:tail_start] if ln.kind is Kind.TEXT]
    if body_text and _name_shaped(body_text[-1].text) and len(body_text) > 1:
        candidates.append((body_text[-1], "name line closing the article"))
    candidates.extend((line, "name line in the header") for line in lines[:body_start]
                      if line.kind is Kind.TEXT and _name_shaped(line.text))
    if candidates:
        line, rule = candidates[0]
        evidence.append(Evidence("author", rule, line.text.strip(), line.number))
        return _clean_name(line.text), line.number
    return None, None


def _clean_name(text: str) -> str:
    name = _AGENCY_SUFFIX.sub("", text.strip()).strip(" ,.;")
    return name.title() if name.isupper() else name  # "MINH ANH" signs as Minh Anh


# --- dates ---------------------------------------------------------------------------------

DateResult = tuple[Published | None, DateSource, int | None, PartialDate | None]
# The dates found in a page's header and body (each with its line), and their order hints.
PageDates = tuple[list[tuple[FoundDate, int]], list[tuple[FoundDate, int]], OrderHints]
_HEADER_LINE_MAX = 120


def _date(marker: tuple[Marker, int] | None, lines: Sequence[Line],
          paragraphs: Sequence[Paragraph], source: Source | None, rules: LoaderRules,
          evidence: list[Evidence], problems: list[Problem], path: str,
          title_stamp: tuple[tuple[FoundDate, dt.time | None], int | None] | None = None,
          ) -> DateResult:
    """The strongest date evidence: a full date marker; a timestamp (on its own line, on the
    headline line, in the byline); a date matching a year-month marker; a full date in the
    page header; the source URL; then the body. An ambiguous numeric date is read in the
    order the page's other dates agree with."""
    if marker is not None and marker[0].day is not None:
        return Published(marker[0].day, marker[0].time), DateSource.TEXT, marker[1], None
    body_start = paragraphs[0].span.line if paragraphs else None
    header = [ln for ln in lines if (body_start is None or ln.number < body_start)
              and ln.kind in (Kind.TEXT, Kind.TIMESTAMP, Kind.BYLINE)]
    url_day = url_date(source.url) if source is not None and source.url else None
    year_month = (marker[0].year, marker[0].month) if marker is not None else None
    @functools.cache
    def page() -> PageDates:
        """The dates of the header and of the body, and what they say about date order.
        Reading every paragraph's dates is most of this function's work: it is done once,
        and only when some date needs it."""
        header_found = [(d, ln.number) for ln in header for d in find_dates(ln.text, rules)]
        body_found = [(d, p.span.line) for p in paragraphs for d in find_dates(p.text, rules)]
        stamp_dates = [title_stamp[0][0]] if title_stamp is not None else []
        hints = order_hints(
            [*stamp_dates, *(d for d, _ in header_found), *(d for d, _ in body_found)],
            [url_day] if url_day else [], [year_month] if year_month else [])
        return header_found, body_found, hints

    def stamped(found: FoundDate, time: dt.time | None, rule: str, text: str,
                line: int | None) -> DateResult | None:
        # Only a date whose day and month could be swapped consults the page.
        day = (found if found.alt is None else settle_order(found, page()[2])).to_date()
        if day is None:
            return None
        evidence.append(Evidence("date", rule, text, line))
        return Published(day, time), DateSource.TEXT, line, None

    if title_stamp is not None:
        (found, time), line_number = title_stamp
        result = stamped(found, time, "timestamp on the headline line", found.text, line_number)
        if result is not None:
            return result
    for line in lines:
        stamp = stamp_line(line.text.strip(), rules) if line.kind is Kind.TIMESTAMP else None
        result = stamp and stamped(*stamp, "timestamp line", line.text.strip(), line.number)
        if result:
            return result
    for line in lines:
        byline = _byline(line.text.strip(), rules) if line.kind is Kind.BYLINE else None
        stamp = stamp_line(byline[1], rules) if byline and byline[1] else None
        result = stamp and stamped(*stamp, "timestamp in the byline", line.text.strip(),
                                   line.number)
        if result:
            return result
    header_found, body_found, hints = page()
    if year_month is not None:
        result = _day_for_year_month(year_month, [*header_found, *body_found], hints, evidence)
        if result is not None:
            return result
    for found, number in header_found:
        text = next(ln.text for ln in header if ln.number == number)
        day = settle_order(found, hints).to_date()
        if day is not None and not found.weak and len(text.strip()) <= _HEADER_LINE_MAX:
            evidence.append(Evidence("date", "full date in the page header", found.text, number))
            return Published(day), DateSource.TEXT, number, None
    if url_day is not None and source is not None and source.url:
        evidence.append(Evidence("date", "date in the source URL", source.url))
        return Published(url_day), DateSource.INFERRED, None, None
    by_line = {p.span.line: p for p in paragraphs}
    return infer_date_from_body(paragraphs, rules, evidence, problems, path, hints=hints,
                                year_month=year_month,
                                found=[(d, by_line[line]) for d, line in body_found])


def _day_for_year_month(year_month: tuple[int, int], found: Sequence[tuple[FoundDate, int]],
                        hints: OrderHints, evidence: list[Evidence]) -> DateResult | None:
    """The first date of the page in the marker's year and month ("date 2016-12" and
    "20 décembre 2016"), or a day of that month named without a year."""
    year, month = year_month
    for raw, line in found:
        date = settle_order(raw, hints)
        if date.month != month or date.year not in (None, year):
            continue
        day = safe_date(year, date.month, date.day)
        if day is not None:
            evidence.append(Evidence("date", "day in the month of the year-month marker",
                                     date.text, line))
            return Published(day), DateSource.TEXT, line, None
    return None


def infer_date_from_body(paragraphs: Sequence[Paragraph], rules: LoaderRules,
                         evidence: list[Evidence], problems: list[Problem], path: str,
                         hints: OrderHints | None = None,
                         year_month: tuple[int, int] | None = None,
                         found: Sequence[tuple[FoundDate, Paragraph]] | None = None,
                         ) -> DateResult:
    """A date from the article's own sentences: the first one it names. A day without a
    year takes its year only from evidence; an impossible day is a warning, never an error.
    ``found`` holds the paragraphs' dates when the caller has already read them.
    """
    raw = found if found is not None else [
        (date, p) for p in paragraphs for date in find_dates(p.text, rules)]
    if hints is None:
        hints = order_hints(d for d, _ in raw)
    settled = [(settle_order(d, hints), p) for d, p in raw]
    candidates = [(d, p) for d, p in settled if not d.weak]  # "09.05.19" only confirms
    if not candidates:
        problems.append(Problem(path, None, "no date found; the article is filed as undated",
                                "add a date marker, front matter or a sidecar NAME.yaml",
                                Severity.WARNING, "date"))
        return None, DateSource.UNKNOWN, None, None
    date, paragraph = candidates[0]
    line = paragraph.span.line
    day = date.to_date()
    if day is not None:
        evidence.append(Evidence("date", "first full date in the text", date.text, line))
        return Published(day), DateSource.INFERRED, line, None
    partial = PartialDate(date.month, date.day, Span(path, line))
    year, why = _year_for(date, paragraph, settled, rules, year_month)
    if year is not None:
        day = safe_date(year, date.month, date.day)
        if day is not None:
            evidence.append(Evidence("date", f"day named without a year; year from {why}",
                                     date.text, line))
            return Published(day), DateSource.INFERRED, line, None
        problems.append(Problem(
            path, line, f"'{date.text}' with the year {year} from {why} is not a real day; "
            "the article is filed as undated",
            "give the date in a sidecar file (NAME.yaml with 'date: YYYY-MM-DD')",
            Severity.WARNING, "date"))
        evidence.append(Evidence("date", "day named without a year; impossible in the year "
                                 f"from {why}", date.text, line))
        return None, DateSource.UNKNOWN, line, partial
    problems.append(Problem(
        path, line,
        f"'{date.text}' names a day without its year; the article is filed as undated",
        "give the year in a sidecar file (NAME.yaml with 'date: YYYY-MM-DD')",
        Severity.WARNING, "date"))
    evidence.append(Evidence("date", "day named without a year; no year found", date.text,
                             line))
    return None, DateSource.UNKNOWN, line, partial


def _year_for(date: FoundDate, paragraph: Paragraph,
              found: Sequence[tuple[FoundDate, Paragraph]], rules: LoaderRules,
              year_month: tuple[int, int] | None = None) -> tuple[int | None, str]:
    """The year of a day named without one, from evidence only; never a guess."""
    same_day = {d.year for d, _ in found
                if d.year is not None and (d.month, d.day) == (date.month, date.day)}
    if same_day:
        return max(same_day), "a full date of the same day"
    same_month = {d.year for d, _ in found if d.year is not None and d.month == date.month}
    if len(same_month) == 1:
        return same_month.pop(), "a full date of the same month"
    if year_month is not None and year_month[1] == date.month:
        return year_month[0], "the year-month marker"
    year = occasion_year(paragraph.text, date, rules)
    if year is not None:
        return year, "the named occasion the same sentence dates"
    return None, ""


def synthesise_title(paragraphs: Sequence[Paragraph], dateline: str | None,
                     limit: int = 90) -> str:
    """A headline for a page that has none: its first sentence, shortened at a word."""
    if not paragraphs:
        return ""
    text = paragraphs[0].text
    if dateline:
        text = _DATELINE.sub("", text, count=1)
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
