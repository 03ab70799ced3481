"""Dates as news pages write them, found with each language's date shapes.

A day named without its year ("on December 1") is never given a guessed year: the year
must come from other evidence in the same text (a full date of the same month, a year
attached to a named event such as "AMF 2024", a date in the source URL), or from
elsewhere in the archive later on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newsforge.loader.rules import LoaderRules

_TIME = re.compile(
    r"(?<!\d)(?P<h>[01]?\d|2[0-3])[:h.](?P<min>[0-5]\d)(?!\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?",
    re.IGNORECASE)
_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*(?P<sign>[+-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\b"
                     r"|(?<=\d)(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})\b", re.IGNORECASE)
_ISO_MARKER = re.compile(
    r"^\s*date\s*[:=]?\s*(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*", re.IGNORECASE)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|\b)"
    r"|(?<![\d])(?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?![\d])")
_URL_NUMBER = re.compile(r"[-_/](\d{10,20})(?:\.s?html?|\.aspx?|\.php)?/?(?:[?#].*)?$")
_EVENT_YEAR = re.compile(
    r"(?:\b[A-Z][A-Z0-9&]{1,9}\)?|\b[A-Z][\w'’-]*[a-z][\w'’-]*)\s+(?P<y>(?:19|20)\d{2})(?![\d/.,:-]\d)\b")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date in a text: year is None for a day named without its year."""

    year: int | None
    month: int
    day: int
    start: int
    end: int
    text: str

    def to_date(self) -> dt.date | None:
        if self.year is None:
            return None
        return dt.date(self.year, self.month, self.day)


def find_dates(text: str, rules: LoaderRules) -> list[FoundDate]:
    """Every valid date in ``text`` in order of position, full shapes winning over partial."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in sorted(rules.date_patterns, key=lambda p: not p.has_year):
        for match in pattern.regex.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            date = _from_match(match, rules)
            taken.append((start, end))  # an impossible date is not re-read as a shorter one
            if date is not None:
                found.append(date)
    return sorted(found, key=lambda d: d.start)


def _from_match(match: re.Match[str], rules: LoaderRules) -> FoundDate | None:
    groups = match.groupdict()
    if groups.get("month"):
        month = rules.months.get(re.sub(r"\s+", " ", groups["month"].lower()))
    else:
        month = int(groups["m"]) if groups.get("m") else None
    if not month or not groups.get("d"):
        return None
    day = int(groups["d"])
    year = int(groups["y"]) if groups.get("y") else None
    if not _valid(year or 2000, month, day):
        return None
    return FoundDate(year, month, day, match.start(), match.end(), match.group(0))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def iso_marker(line: str) -> tuple[dt.date, dt.time | None, int] | None:
    """A scraper's leading ``date 2025-12-05`` marker: the date, time, and its length."""
    match = _ISO_MARKER.match(line)
    if not match:
        return None
    try:
        day = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    time = None
    if match["time"]:
        tz = _tz(match["tz"]) if match["tz"] else None
        time = dt.time.fromisoformat(match["time"]).replace(tzinfo=tz)
    return day, time, match.end()


def _tz(text: str) -> dt.timezone:
    if text.upper() == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))


def timestamp_line(line: str, rules: LoaderRules) -> tuple[dt.date, dt.time | None] | None:
    """A line that is only a publication timestamp ("10:57 | 02/12/2025 GMT+7").

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
    if leftovers:
        return None
    day = date.to_date()
    assert day is not None
    time = _time_from(time_match, offset_match)
    return day, time


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
        if hours <= 14:
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return dt.time(hour, minute, tzinfo=tz)


def url_date(url: str) -> dt.date | None:
    """A date encoded in a URL: /2025/12/02/, 2025-12-02, 20251202, or an article number
    that starts (after an optional three-digit section code) with yymmddHHMM."""
    for match in _URL_DATE.finditer(url):
        y, m, d = (match["y"], match["m"], match["d"]) if match["y"] else (
            match["y2"], match["m2"], match["d2"])
        if _valid(int(y), int(m), int(d)):
            return dt.date(int(y), int(m), int(d))
    number = _URL_NUMBER.search(url)
    if number:
        digits = number.group(1)
        for offset in (0, 3):
            stamp = digits[offset:offset + 10]
            if len(stamp) == 10 and _valid_stamp(stamp):
                return dt.date(2000 + int(stamp[:2]), int(stamp[2:4]), int(stamp[4:6]))
    return None


def _valid_stamp(stamp: str) -> bool:
    """yymmddHHMM with a real day and a real time of day."""
    hour, minute = int(stamp[6:8]), int(stamp[8:10])
    return _valid(2000 + int(stamp[:2]), int(stamp[2:4]), int(stamp[4:6])) and hour < 24 \
        and minute < 60


def event_years(text: str, rules: LoaderRules) -> set[int]:
    """Years attached to named things ("AMF 2024", "Expo 2030"), never to month names."""
    years = set()
    for match in _EVENT_YEAR.finditer(text):
        head = match.group(0)[: match.start("y") - match.start()].strip().rstrip(")")
        before = text[: match.start()].rstrip()
        if head.lower() in rules.months or head.lower() in rules.weekdays:
            continue
        if not head.isupper() and (not before or before[-1] in ".!?:\"“"):
            continue  # a capitalised sentence opener ("In 2024, ...") names nothing
        years.add(int(match["y"]))
    return years
