"""Dates as news pages write them, found with each language's CLDR date shapes.

A day named without its year ("on December 1", "本月7日", "1er décembre") is never given a
guessed year: the year must come from other evidence in the same page (a full date of the
same month, a date in the source URL, a year-month marker, a year attached to the named
occasion the same sentence dates), or from elsewhere in the archive later on. A numeric
date whose day and month could be read either way ("10/08/2024") is read in the order the
page's other evidence agrees with, else in the language's own order. Nothing here raises
on an impossible date: such a date is simply not a date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from urllib.parse import urlsplit

import yaml

from newsforge.langdata import FastSafeLoader
from newsforge.loader.cldr import Branch, ascii_digits, gregorian_year, two_digit_year
from newsforge.loader.rules import LoaderRules

_TIME = re.compile(
    r"(?<!\d)(?P<h>[01]?\d|2[0-3])[:h.](?P<min>[0-5]\d)(?!\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?",
    re.IGNORECASE)
_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*(?P<sign>[+-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\b"
                     r"|(?<=\d)(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})\b", re.IGNORECASE)
_ISO_MARKER = re.compile(
    r"^\s*date\s*[:=]?\s*(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?(?![\d-])"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*", re.IGNORECASE)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|\b)"
    r"|(?<![\d])(?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?![\d])")
_URL_NUMBER = re.compile(r"[-_/.a-z](\d{10,20})(?:\.[a-z]{2,5})?/?$", re.IGNORECASE)
_LAYOUT = re.compile(r"S+|yyyy|yy|mm|dd|HH|MM")
_EVENT_YEAR = re.compile(
    r"(?:\b[A-Z][A-Z0-9&]{1,9}\)?|\b[A-Z][\w'’-]*[a-z][\w'’-]*)\s+(?P<y>(?:19|20)\d{2})(?![\d/.,:-]\d)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_GAP_WORD = re.compile(r"[^\s()\[\],;]+")
_HAS_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d+")
_SPACE = re.compile(r"\s")
# How far a date reaches before its first digit ("in the afternoon of December 2") and
# after its last one ("2 de diciembre", "2 พฤศจิกายน").
_WINDOW_BEFORE = 64
_WINDOW_AFTER = 48


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date in a text: ``year`` is None for a day named without its year.

    ``alt`` is the other reading (month, day) of a numeric date whose day and month could
    be swapped; ``swapped`` says the date was read against its language's order because
    the other order is impossible ("14/03/2024" where month comes first); ``weak`` marks a
    two-digit year, which only confirms other evidence.
    """

    year: int | None
    month: int
    day: int
    start: int
    end: int
    text: str
    alt: tuple[int, int] | None = None
    swapped: bool = False
    weak: bool = False

    def to_date(self) -> dt.date | None:
        """The calendar day, or None when the year is unknown or the day impossible."""
        return safe_date(self.year, self.month, self.day)


def safe_date(year: int | None, month: int, day: int) -> dt.date | None:
    """``date(year, month, day)``, or None for a missing year or an impossible day."""
    if year is None or not 1 <= year <= 9999:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _valid(year: int, month: int, day: int) -> bool:
    return safe_date(year, month, day) is not None


def find_dates(text: str, rules: LoaderRules) -> list[FoundDate]:
    """Every possible date in ``text`` in order of position, each read in the language's
    order (see :func:`settle_order` for the page's evidence)."""
    if _HAS_DIGIT.search(text) is None:
        return []
    shapes = rules.dates
    scan = ascii_digits(text)
    found = []
    for start, end in _windows(scan):
        for match in shapes.regex.finditer(scan, start, end):
            branch = shapes.branches[match.lastgroup or ""]
            date = _from_match(match, branch, shapes.months, text)
            if date is not None:
                found.append(date)
    return found


def _windows(scan: str) -> list[tuple[int, int]]:
    """The stretches of ``scan`` a date can lie in: around its digits, ending where spacing
    (or the text) ends, so that the date expression runs over a fraction of the text and a
    window's end reads exactly as the text would there."""
    windows: list[tuple[int, int]] = []
    for run in _DIGIT_RUN.finditer(scan):
        start = max(run.start() - _WINDOW_BEFORE, 0)
        space = _SPACE.search(scan, run.end() + _WINDOW_AFTER)
        end = space.start() if space else len(scan)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _from_match(match: re.Match[str], branch: Branch, months: Mapping[str, int],
                original: str) -> FoundDate | None:
    key = branch.key
    name = match.group(f"month{key}") if "MONTH" in branch.shape else None
    if name is not None:
        lowered = " ".join(name.lower().split())
        month = months.get(lowered) or months.get(lowered.rstrip("."))
    else:
        month = int(match.group(f"m{key}")) if match.group(f"m{key}") else None
    if not month:
        return None
    day = int(match.group(f"d{key}"))
    year: int | None = None
    weak = False
    if branch.two_digit_year:
        year, weak = two_digit_year(int(match.group(f"yy{key}"))), True
    elif branch.has_year:
        year = gregorian_year(int(match.group(f"y{key}")))
    check = year if year is not None else 2000  # a leap year: "29/2" may be a real day
    alt: tuple[int, int] | None = None
    swapped = False
    if not _valid(check, month, day):
        if not (branch.swappable and _valid(check, day, month)):
            return None
        month, day, swapped = day, month, True
    elif branch.swappable and day <= 12 and day != month:
        alt = (day, month)
    start, end = match.span()
    return FoundDate(year, month, day, start, end, original[start:end], alt, swapped, weak)


# --- the page's evidence for an ambiguous order ------------------------------------------

@dataclass(frozen=True, slots=True)
class OrderHints:
    """What the rest of a page says about its dates, to read "10/08/2024" either way."""

    month_days: frozenset[tuple[int, int]] = frozenset()
    year_months: frozenset[tuple[int, int]] = frozenset()
    other_order: bool = False  # an unambiguous numeric date of the page needed swapping


def order_hints(dates: Iterable[FoundDate], days: Iterable[dt.date] = (),
                year_months: Iterable[tuple[int, int]] = ()) -> OrderHints:
    """Hints from a page's unambiguous dates, its URL date and its year-month marker."""
    month_days: set[tuple[int, int]] = set()
    months = set(year_months)
    other = False
    for date in dates:
        other = other or date.swapped
        if date.alt is None:
            month_days.add((date.month, date.day))
            if date.year is not None and not date.weak:
                months.add((date.year, date.month))
    for day in days:
        month_days.add((day.month, day.day))
        months.add((day.year, day.month))
    return OrderHints(frozenset(month_days), frozenset(months), other)


def settle_order(date: FoundDate, hints: OrderHints) -> FoundDate:
    """The reading of an ambiguous numeric date that the page's other evidence agrees with;
    the language's order when nothing decides."""
    if date.alt is None:
        return date

    def agrees(month: int, day: int) -> bool:
        return (month, day) in hints.month_days or (
            date.year is not None and (date.year, month) in hints.year_months)

    primary, other = agrees(date.month, date.day), agrees(*date.alt)
    if (other and not primary) or (hints.other_order and not primary):
        month, day = date.alt
        return replace(date, month=month, day=day, alt=(date.month, date.day), swapped=True)
    return date


# --- markers, timestamps ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Marker:
    """A scraper's leading ``date 2025-12-05`` marker; ``day`` is None for ``date 2016-12``."""

    year: int
    month: int
    day: dt.date | None
    time: dt.time | None
    length: int


def iso_marker(line: str) -> Marker | None:
    """A scraper's leading date marker: a full date (with a time) or a year and month."""
    match = _ISO_MARKER.match(line)
    if not match:
        return None
    year, month = int(match["y"]), int(match["m"])
    if not 1 <= month <= 12:
        return None
    day = safe_date(year, month, int(match["d"])) if match["d"] else None
    if match["d"] and day is None:
        return None
    time = None
    if match["time"] and day is not None:
        try:
            tz = _tz(match["tz"]) if match["tz"] else None
            time = dt.time.fromisoformat(match["time"]).replace(tzinfo=tz)
        except ValueError:
            time = None
    return Marker(year, month, day, time, match.end())


def _tz(text: str) -> dt.timezone:
    if text.upper() == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))


def stamp_line(line: str, rules: LoaderRules) -> tuple[FoundDate, dt.time | None] | None:
    """A line that is only a publication timestamp ("10:57 | 02/12/2025 GMT+7"): its date
    (its order not yet settled) and time.

    It must hold one full date and nothing but a time, a UTC offset, weekday names and the
    language's timestamp words.
    """
    if len(line) > 90:
        return None
    dates = [d for d in find_dates(line, rules) if d.year is not None]
    if len(dates) != 1:
        return None
    date = dates[0]
    rest = line[:date.start] + " " + line[date.end:]
    time_match = _TIME.search(rest)
    offset_match = _OFFSET.search(rest)
    for match in (offset_match, time_match):
        if match:
            rest = rest[:match.start()] + " " + rest[match.end():]
    words = re.sub(r"[\W\d_]+", " ", rest.lower()).split()
    leftovers = [w for w in words
                 if w not in rules.timestamp_words and not rules.is_weekday_word(w)]
    if leftovers or date.to_date() is None:
        return None
    return date, _time_from(time_match, offset_match)


def timestamp_line(line: str, rules: LoaderRules) -> tuple[dt.date, dt.time | None] | None:
    """A line that is only a publication timestamp: its date, in the language's order."""
    stamp = stamp_line(line, rules)
    if stamp is None:
        return None
    day = stamp[0].to_date()
    return (day, stamp[1]) if day is not None else None


def _time_from(time_match: re.Match[str] | None,
               offset_match: re.Match[str] | None) -> dt.time | None:
    if time_match is None:
        return None
    hour, minute = int(time_match["h"]), int(time_match["min"])
    ampm = (time_match["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    tz = None
    if offset_match is not None:
        sign_text = offset_match["sign"] or offset_match["sign2"]
        sign = -1 if sign_text in ("-", "−") else 1
        hours = int(offset_match["h"] or offset_match["h2"])
        minutes = int(offset_match["m"] or offset_match["m2"] or 0)
        if hours <= 14 and minutes < 60:
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return dt.time(hour, minute, tzinfo=tz)


def split_title_stamp(title: str, rules: LoaderRules
                      ) -> tuple[str, tuple[FoundDate, dt.time | None]] | None:
    """A headline line that ends (or opens) with its timestamp, "Headline | 02/12/2025 10:57":
    the headline alone and the stamp. A date that belongs to the sentence ("... sign deal
    on 2 December 2025") stays: the stamp must carry a time or stand behind a separator."""
    dates = [d for d in find_dates(title, rules) if d.year is not None]
    if len(dates) != 1:
        return None
    date = dates[0]
    spaces = [m.start() for m in re.finditer(r"\s+", title)]
    closing = [(title[:cut], title[cut:], cut) for cut in spaces if cut <= date.start]
    opening = [(title[cut:], title[:cut], cut) for cut in reversed(spaces) if cut >= date.end]
    for head, stamp, cut in [*closing, *opening]:  # the longest stamp first
        found = stamp_line(stamp.strip(" |–—-"), rules)
        if found is None:
            continue
        joint = title[max(cut - 2, 0):cut + 3]
        separated = bool(re.search(r"[|–—]|\s-\s", joint))
        head = head.strip(" |–—-")
        if len(head.split()) >= 2 and (found[1] is not None or separated):
            return head, found
    return None


# --- source URLs ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def outlet_url_schemes() -> Mapping[str, str]:
    """The shipped table of outlets whose article numbers encode the publication time."""
    text = resources.files("newsforge.loader").joinpath("outlets.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=FastSafeLoader) or {}
    return {str(host).lower(): str(layout) for host, layout in (data.get("outlets") or {}).items()}


def url_date(url: str, schemes: Mapping[str, str] | None = None) -> dt.date | None:
    """A date written in a URL's path (/2025/12/02/, 2025-12-02, 20251202), or the one an
    outlet's own article number encodes when ``schemes`` (by default the shipped table of
    outlets) knows its host's layout. No other number is read as a date."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = parts.path
    for match in _URL_DATE.finditer(path):
        y, m, d = (match["y"], match["m"], match["d"]) if match["y"] else (
            match["y2"], match["m2"], match["d2"])
        day = safe_date(int(y), int(m), int(d))
        if day is not None:
            return day
    layout = _layout_for(parts.hostname or "", outlet_url_schemes() if schemes is None
                         else schemes)
    number = _URL_NUMBER.search(path)
    if layout is None or number is None:
        return None
    return _read_layout(number.group(1), layout)


def _layout_for(host: str, schemes: Mapping[str, str]) -> str | None:
    host = host.lower().removeprefix("www.")
    while host:
        if host in schemes:
            return schemes[host]
        host = host.partition(".")[2]
    return None


def _read_layout(digits: str, layout: str) -> dt.date | None:
    """Read ``digits`` by ``layout`` (S section digit, yyyy/yy, mm, dd, HH, MM)."""
    values: dict[str, int] = {}
    position = 0
    for piece in _LAYOUT.findall(layout):
        chunk = digits[position:position + len(piece)]
        if len(chunk) < len(piece):
            return None
        position += len(piece)
        if piece[0] != "S":
            values[piece] = int(chunk)
    year = values.get("yyyy", 2000 + values["yy"] if "yy" in values else 0)
    if values.get("HH", 0) > 23 or values.get("MM", 0) > 59:
        return None
    return safe_date(year, values.get("mm", 0), values.get("dd", 0))


# --- years carried by named things ----------------------------------------------------------

def event_years(text: str, rules: LoaderRules) -> set[int]:
    """Years attached to named things ("AMF 2024", "Expo 2030"), never to month names."""
    return {year for year, _, _ in _named_years(text, rules)}


def _named_years(text: str, rules: LoaderRules) -> list[tuple[int, int, int]]:
    """(year, start, end) of each year a named thing carries in ``text``."""
    years = []
    for match in _EVENT_YEAR.finditer(text):
        head = match.group(0)[: match.start("y") - match.start()].strip().rstrip(")")
        before = text[: match.start()].rstrip()
        if head.lower() in rules.months or head.lower() in rules.weekdays:
            continue
        if not head.isupper() and (not before or before[-1] in ".!?:\"“"):
            continue  # a capitalised sentence opener ("In 2024, ...") names nothing
        years.append((int(match["y"]), match.start(), match.end()))
    return years


def occasion_year(text: str, date: FoundDate, rules: LoaderRules) -> int | None:
    """The year of the named occasion that ``date`` (a day without its year, found in
    ``text``) is the day of: "the ASEAN Mayors Forum (AMF) 2024 from September 17-19".

    The name and the day must stand in one sentence with nothing between them but names,
    acronyms and short joining words; "Vision 2045 ... at a meeting on March 3" dates the
    meeting, not the vision, and gives no year.
    """
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, date.start)), default=0)
    stop = _SENTENCE_END.search(text, date.end)
    end = stop.start() if stop else len(text)
    years = {year for year, s, e in _named_years(text[start:end], rules)
             if _linked(text[start:end][e:date.start - start] if e <= date.start - start
                        else text[start:end][date.end - start:s])}
    return years.pop() if len(years) == 1 else None


def _linked(gap: str) -> bool:
    """Only names, acronyms and short joining words between a named thing and its day."""
    run = 0
    for word in _GAP_WORD.findall(gap):
        if word[:1].isupper() or word[:1].isdigit():
            run = 0
            continue
        run += 1
        if len(word) > 4 or run > 2:
            return False
    return True
