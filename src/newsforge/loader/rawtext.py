"""Reading scraped page text: separating the article from the page around it.

A scraped page is a header (navigation, timestamp, headline, widgets), the article
(paragraphs, possibly with photo captions, credits and inline related links), and a
tail (related and most-read lists, bylines, source lines, comment counters). The
rules here are shapes, not words: every word they need comes from the language's
``loader`` data, and lines the archive repeats across many files come from ``furniture``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
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

_TERMINAL = tuple(".!?…:;\"”’»)")
_LINK_RUN_MIN_WORDS = 6
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]+[^\W\d_][^\W\d_.'’-]*){0,3})"
    r"(?:\s*,\s*[^\W\d_][^\W\d_]*\.?(?:\s+\d{1,2})?)?(?:\s*\((?P<agency>[^)]{1,30})\))?"
    r"\s*[—–-]{1,2}\s+")
_SIGNATURE = re.compile(
    r"(?<=[.!?”\"’)])(?:\s+|\s*[—–-]+\s*|\s*\(\s*)"  # "... said. VNA", "— VNS", "(TTXVN)"
    r"(?P<sig>(?:[A-Z][A-Za-z]{0,5}[A-Z]/)*[A-Z][A-Za-z]{0,5}[A-Z])\)?"
    r"(?:\s+(?P<cue>[^\W\d_]+))?\s*$")
# "Tuấn Quỳnh (Th)", "Minh Hà/TTXVN": a byline's agency or desk tag.
_AGENCY_SUFFIX = re.compile(r"\s*(?:\([^()]{1,12}\)|/\s*[A-Z][\w.]{1,15})\s*$")
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,5}|#x[0-9A-Fa-f]{2,4});")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")


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


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the file, its 1-based number and what it was recognised as."""

    number: int
    text: str
    kind: Kind = Kind.TEXT


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
    lines = [Line(n, t.rstrip()) for n, t in enumerate(text.split("\n"), start=1)]

    marker_date, lines = _take_marker(lines, evidence)
    lines = [_classify(line, rules, furniture) for line in lines]

    body_start = _first_prose(lines)
    if body_start is None:
        body_start = next((i for i, ln in enumerate(lines) if ln.kind is Kind.TEXT), len(lines))
    title_index = _choose_title(lines[:body_start])
    tail_start, inline_boxes = _tail_start(lines, body_start)

    source, source_line = _source(lines, rules, evidence)
    author, author_line = _author(lines, body_start, tail_start, rules, evidence)
    body_lines = [ln for ln in lines[body_start:tail_start]
                  if ln.kind is Kind.TEXT and ln.number != author_line
                  and ln.number not in inline_boxes]
    dropped = sum(1 for ln in lines if ln.kind not in (Kind.TEXT, Kind.BLANK))
    title = lines[title_index].text.strip() if title_index is not None else None
    title_line = lines[title_index].number if title_index is not None else None
    title_stamp = split_title_stamp(title, rules) if title is not None else None
    if title_stamp is not None:
        title = title_stamp[0]  # "Headline | 02/12/2025 10:57": the stamp is a date
    paragraphs = [p for p in _paragraphs(body_lines, rules, path)
                  if title is None or p.text.rstrip(" .") != title]  # captions that repeat it
    dateline, agency = _dateline(paragraphs)
    if dateline:
        evidence.append(Evidence("dateline", "capitalised place before a dash", dateline,
                                 paragraphs[0].span.line))
    paragraphs, signature = _strip_signature(paragraphs, rules, agency)
    if signature and source is None:
        source, source_line = Source(signature[0]), signature[1]
        evidence.append(Evidence("source", "agency signature after the last sentence",
                                 signature[0], signature[1]))
    if agency and source is None:
        source, source_line = Source(agency), paragraphs[0].span.line
        evidence.append(Evidence("source", "agency named in the dateline", agency,
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

def _take_marker(lines: list[Line], evidence: list[Evidence]
                 ) -> tuple[tuple[Marker, int] | None, list[Line]]:
    """A scraper's leading ``date YYYY-MM-DD`` (or ``date YYYY-MM``) marker, removed from
    the text it prefixes."""
    for index, line in enumerate(lines):
        if not line.text.strip():
            continue
        marker = iso_marker(line.text)
        if marker is None:
            return None, lines
        rule = ("date marker at the top of the file" if marker.day is not None
                else "year and month marker at the top of the file")
        evidence.append(Evidence("date", rule, line.text[:marker.length].strip(), line.number))
        rest = Line(line.number, line.text[marker.length:])
        return (marker, line.number), [*lines[:index], rest, *lines[index + 1:]]
    return None, lines


def _classify(line: Line, rules: LoaderRules, furniture: frozenset[str]) -> Line:
    text = line.text.strip()
    kind = _kind(text, rules, furniture)
    return Line(line.number, line.text, kind)


def _kind(text: str, rules: LoaderRules, furniture: frozenset[str]) -> Kind:
    if not text:
        return Kind.BLANK
    lowered = furniture_key(text)
    unpunctuated = not text.endswith(_TERMINAL)
    if lowered in rules.furniture or rules.counter.match(text) or (
            len(text) <= 2 and not text.isdigit()):
        return Kind.FURNITURE
    if rules.source_line.match(text) or (
            len(text.split()) <= 6 and rules.source_prefix_line.match(text)):
        return Kind.SOURCE
    if rules.credit_line.match(text) or _is_signature_credit(text, rules):
        return Kind.CREDIT
    if timestamp_line(text, rules):
        return Kind.TIMESTAMP
    short = len(text) <= 60
    if short and rules.tail.match(text) and (unpunctuated or text.endswith(":")):
        return Kind.TAIL
    if rules.navigation.match(text) and unpunctuated and len(text) <= 160:
        return Kind.NAVIGATION
    byline = _byline(text, rules)
    if byline is not None and _name_shaped(byline[0]):
        return Kind.BYLINE
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


def _core(line: Line) -> str:
    """The line without an agency signature after its last sentence."""
    text = line.text.strip()
    if text.endswith(_TERMINAL) or not text[-1:].isalpha():
        return text  # a signature ends in letters: most lines are spared the regex
    return _SIGNATURE.sub("", text)


def _is_prose(line: Line) -> bool:
    text = _core(line)
    return line.kind is Kind.TEXT and len(text.split()) >= 8 and (
        text.endswith(_TERMINAL) or len(text) >= 200)


def _headline_like(line: Line) -> bool:
    text = _core(line)
    words = text.split()
    return (line.kind is Kind.TEXT and 3 <= len(words) <= 35
            and (not text.endswith(_TERMINAL) or text.endswith(("?", "!", "”", "\"")))
            and not _name_shaped(text))


# --- structure -------------------------------------------------------------------------

def _first_prose(lines: Sequence[Line]) -> int | None:
    """Where the article begins: its first full sentence, however short."""
    return next((i for i, line in enumerate(lines)
                 if _is_prose(line) or _is_short_sentence(line)), None)


def _is_short_sentence(line: Line) -> bool:
    """'HANOI — The two sides met.': a few words, a lower-case one, a full stop."""
    text = _core(line)
    words = text.split()
    return (line.kind is Kind.TEXT and len(words) >= 4 and text.endswith((".", "!", "?", "…"))
            and any(w[:1].islower() for w in words))


def _choose_title(header: Sequence[Line]) -> int | None:
    """The longest headline-shaped line of the header; a later one wins a tie."""
    best: int | None = None
    for index, line in enumerate(header):
        if _headline_like(line) and (
                best is None or len(line.text.strip()) >= len(header[best].text.strip())):
            best = index
    return best


def _tail_start(lines: Sequence[Line], body_start: int) -> tuple[int, frozenset[int]]:
    """Where the lists after the article begin, and the line numbers of inline link boxes.

    The tail begins at a tail marker or at a headline printed twice. A marker followed by
    a few distinct headlines and then more prose is an inline "related" box instead: its
    lines are dropped and the article goes on.
    """
    text_lines = [ln for i, ln in enumerate(lines) if i > body_start
                  and ln.kind in (Kind.TEXT, Kind.TAIL)]
    inline: set[int] = set()
    for position, line in enumerate(text_lines):
        if line.number in inline:
            continue
        if line.kind is Kind.TAIL:
            box = _inline_box(text_lines[position + 1:])
            if box is None:
                return lines.index(line), frozenset(inline)
            inline.update([line.number, *box])
            continue
        following = text_lines[position + 1] if position + 1 < len(text_lines) else None
        if following is not None and following.text.strip() == line.text.strip():
            return lines.index(line), frozenset(inline)
    return len(lines), frozenset(inline)


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
    kept = _without_link_runs(body)
    paragraphs: list[Paragraph] = []
    for line in kept:
        text = rules.credit_inline.sub("", line.text).strip()
        if not text:
            continue
        previous = paragraphs[-1] if paragraphs else None
        if previous is not None and _continues(previous, line, text):
            joined = f"{previous.text} {text}"
            paragraphs[-1] = Paragraph(joined, Span(path, previous.span.line, line.number))
        else:
            paragraphs.append(Paragraph(text, Span(path, line.number, line.number)))
    return paragraphs


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
    a last line that only repeats the dateline's agency ("Xinhua") is one too."""
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


def _dateline(paragraphs: Sequence[Paragraph]) -> tuple[str | None, str | None]:
    """The dateline's place and the agency it names, if any: 'HANOI (VNA) –'."""
    if not paragraphs:
        return None, None
    match = _DATELINE.match(paragraphs[0].text)
    if match is None:
        return None, None
    place = match["place"].strip()
    letters = [c for c in place if c.isalpha()]
    shouted = all(c.isupper() for c in letters)
    # "Hanoi (VNA) –": a place in ordinary case needs the agency to mark it as a dateline.
    titled = match["agency"] is not None and all(w[0].isupper() for w in place.split())
    if len(letters) < 3 or not (shouted or titled):
        return None, None
    agency = (match["agency"] or "").strip() or None
    return place, agency if agency and len(agency.split()) <= 3 else None


# --- metadata ----------------------------------------------------------------------------

def _source(lines: Sequence[Line], rules: LoaderRules, evidence: list[Evidence]
            ) -> tuple[Source | None, int | None]:
    for line in lines:
        if line.kind is Kind.SOURCE:
            match = rules.source_line.match(line.text) or rules.source_prefix_line.match(
                line.text)
            value = match["value"].strip() if match else ""
            if value:
                evidence.append(Evidence("source", "source cue line", value, line.number))
                return source_from_text(value), line.number
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
    header_found = [(d, ln.number) for ln in header for d in find_dates(ln.text, rules)]
    body_found = [(d, p.span.line) for p in paragraphs for d in find_dates(p.text, rules)]
    stamp_dates = [title_stamp[0][0]] if title_stamp is not None else []
    hints = order_hints([*stamp_dates, *(d for d, _ in header_found), *(d for d, _ in body_found)],
                        [url_day] if url_day else [], [year_month] if year_month else [])

    def stamped(found: FoundDate, time: dt.time | None, rule: str, text: str,
                line: int | None) -> DateResult | None:
        day = settle_order(found, hints).to_date()
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
