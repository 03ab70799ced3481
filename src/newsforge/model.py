"""The records that flow through the pipeline.

Every record is a frozen, slotted dataclass holding tuples, never lists, so that a
stage can only hand on a new record and records can be hashed, cached and compared.
This module imports nothing from newsforge: every other module may import it.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

R = TypeVar("R")


def quick_pickle(cls: type[R]) -> type[R]:
    """Give a slotted dataclass a state that is a plain tuple of its field values.

    The state functions ``dataclass(slots=True)`` adds look the fields up again for every
    object, which made reading the build cache (millions of paragraphs, spans and
    mentions at 100k articles) several times slower than the unpickling itself."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    values = operator.attrgetter(*names)
    plural = len(names) > 1

    def getstate(self: R) -> tuple[Any, ...]:
        return values(self) if plural else (values(self),)

    # Each slot's own descriptor sets it without the frozen class's __setattr__ check,
    # one statement per field, generated as dataclasses generates __init__: twice as
    # fast as a loop over the fields.
    namespace: dict[str, Any] = {f"set_{i}": getattr(cls, name).__set__
                                 for i, name in enumerate(names)}
    statements = "".join(f"\n    set_{i}(self, state[{i}])" for i in range(len(names)))
    exec(f"def setstate(self, state):{statements}", namespace)
    setstate = namespace["setstate"]

    setattr(cls, "__getstate__", getstate)  # noqa: B010 (mypy forbids assigning a method)
    setattr(cls, "__setstate__", setstate)  # noqa: B010
    return cls



@quick_pickle
@dataclass(frozen=True, slots=True)
class Span:
    """Where something stands in a source file: 1-based, inclusive line numbers."""

    path: str
    line: int
    end_line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"
    INFO = "info"
    """Worth telling, nothing to fix (a draft left out): never fails a build, even --strict."""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found in the input, reported as ``path:line: message (hint)``."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    field: str = ""
    """The Article field the problem is about ("date"), when it is about one."""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class DateSource(StrEnum):
    """How an article's publication date was obtained, from strongest to weakest."""

    FRONT_MATTER = "front matter"
    SIDECAR = "sidecar"
    TEXT = "stated in the text"
    INFERRED = "inferred from other evidence"
    LINKED = "taken from the same story in another article"
    UNKNOWN = "unknown"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Published:
    """A publication date, with a time (and UTC offset) when the source gives one."""

    day: dt.date
    time: dt.time | None = None

    def isoformat(self) -> str:
        if self.time is None:
            return self.day.isoformat()
        return dt.datetime.combine(self.day, self.time).isoformat()


@quick_pickle
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A day named without a year ("on December 1"): kept so the site can supply the year."""

    month: int
    day: int
    span: Span


@quick_pickle
@dataclass(frozen=True, slots=True)
class Evidence:
    """Which rule produced an inferred field, so ``newsforge inspect`` can explain it."""

    field: str
    rule: str
    detail: str = ""
    line: int | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """The outlet an article comes from, and the original URL when given."""

    name: str
    url: str | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the clean body, with its line span in the original file."""

    text: str
    span: Span


class BodyFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One article as the loader understood it.

    ``id`` is derived from the file's path relative to the content folder and never
    changes when other files are added. ``paragraphs`` is the clean body: for raw text
    the article's own paragraphs, for Markdown the source of each top-level block.
    """

    id: str
    path: str
    content_hash: str
    language: str
    title: str
    title_synthesised: bool
    paragraphs: tuple[Paragraph, ...]
    body_format: BodyFormat = BodyFormat.TEXT
    published: Published | None = None
    date_source: DateSource = DateSource.UNKNOWN
    partial_date: PartialDate | None = None
    source: Source | None = None
    author: str | None = None
    dateline: str | None = None
    spans: tuple[tuple[str, Span], ...] = ()
    evidence: tuple[Evidence, ...] = ()
    problems: tuple[Problem, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())
    modified: Published | None = None
    """When the article was last changed, when its front matter says (``lastmod``)."""
    translation_key: str | None = None
    """Articles sharing this key are translations of one another (Hugo's
    ``translationKey``, else the file's path without its language suffix)."""

    @property
    def body(self) -> str:
        """The clean body as text, paragraphs separated by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)

    def span_of(self, part: str) -> Span | None:
        """The span of one part ("title", "source", "body", ...), if known."""
        for name, span in self.spans:
            if name == part:
                return span
        return None


class EntityType(StrEnum):
    PERSON = "person"
    PARTY = "party"
    ORGANISATION = "organisation"
    EVENT = "event"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """One place an article names an entity: paragraph index and character offsets."""

    article_id: str
    paragraph: int
    start: int
    end: int
    text: str
    type: EntityType
    entity_id: str = ""


@quick_pickle
@dataclass(frozen=True, slots=True)
class Entity:
    """One person, party, organisation or event, the same across the archive and languages.

    ``names`` holds the canonical display name per language as ``(language, name)``
    pairs, sorted by language; ``aliases`` every other spelling seen or curated.
    """

    id: str
    type: EntityType
    name: str
    names: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()

    def name_in(self, language: str) -> str:
        """The display name in one language, falling back to the canonical name."""
        for lang, name in self.names:
            if lang == language:
                return name
        return self.name


@quick_pickle
@dataclass(frozen=True, slots=True)
class Tagging:
    """What the tagger found in a whole archive: entities and their mentions, by id."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    problems: tuple[Problem, ...] = ()
