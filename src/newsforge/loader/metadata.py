"""Metadata an editor writes by hand: Markdown front matter and ``NAME.yaml`` sidecars.

Front matter is YAML, TOML or JSON (as Hugo and Zola write it), a sidecar YAML; each is
parsed into a mapping and read here by the same rules, so the same keys mean the same
thing in every format. What they say always wins over inference.

Other generators' keys are kept as ``extra`` (lists as comma-separated text, tables
flattened) for later stages: ``tags``, ``categories``, ``series``, ``slug``, ``aliases``,
``description``, ``summary``, ``publishDate``, ``lastmod``, ``translationKey``. A few of
them are also understood: ``publishDate`` (or ``pubdate``, ``published``) dates an
article whose ``date`` is missing, ``lastmod`` (or ``modified``, ``updated``) is its
modification date, ``draft`` keeps it out of the build, and ``translationKey`` links its
translations. Keys are matched without regard to case, as Hugo does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from newsforge.errors import LoadError
from newsforge.langdata import FastSafeLoader
from newsforge.model import Published, Source

# Keys that set an Article field.
FIELD_KEYS = ("title", "date", "language", "lang", "source", "source_url", "url", "author",
              "authors", "dateline", "draft")
# Keys that are understood and also kept as extra, under this spelling.
_PUBLISHED_KEYS = ("publishDate", "pubdate", "published")
_MODIFIED_KEYS = ("lastmod", "modified", "updated")
_TRANSLATION_KEY = "translationKey"
KNOWN_KEYS = (*FIELD_KEYS, *_PUBLISHED_KEYS, *_MODIFIED_KEYS, _TRANSLATION_KEY)
# Other generators' keys later stages look up by this spelling.
_CANONICAL = {key.lower(): key for key in (
    *_PUBLISHED_KEYS, *_MODIFIED_KEYS, _TRANSLATION_KEY, "slug", "aliases", "tags",
    "categories", "series", "description", "summary", "expiryDate", "linkTitle", "weight")}
# Tables whose entries are kept under their own names: Zola's [taxonomies] and [extra],
# Hugo's [params]. Entries of any other table are kept as 'table.entry'.
_OPEN_TABLES = ("taxonomies", "extra", "params")
_KNOWN_LOWER = frozenset(key.lower() for key in KNOWN_KEYS)
_DATE_KEYS_LOWER = frozenset(key.lower() for key in (*_PUBLISHED_KEYS, *_MODIFIED_KEYS))
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE_HINT = "write it as YYYY-MM-DD, optionally with a time: 2025-12-02T10:57:00+07:00"


class _TextDatesLoader(yaml.SafeLoader):
    """Leaves timestamps as text so an impossible date is reported by us, with its line.

    The pure-Python parser also places syntax errors more exactly than libyaml, so it
    reads a file again whenever the fast parser failed on it.
    """


_TextDatesLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Metadata:
    """Fields set by hand; None where the editor said nothing. ``lines`` maps key -> line."""

    title: str | None = None
    published: Published | None = None
    language: str | None = None
    source: Source | None = None
    author: str | None = None
    dateline: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    lines: tuple[tuple[str, int], ...] = ()
    modified: Published | None = None
    draft: bool = False
    translation_key: str | None = None
    date_key: str = "date"
    """The key the publication date was read from (``date`` or ``publishDate``)."""

    def line_of(self, key: str) -> int | None:
        """The file line where ``key`` was written."""
        return dict(self.lines).get(key)


def parse_metadata(text: str, *, path: str, first_line: int, languages: Collection[str],
                   allow_unknown: bool) -> Metadata:
    """Parse a YAML mapping that starts at file line ``first_line``.

    Unknown keys are kept as ``extra`` when ``allow_unknown`` (front matter often carries
    other tools' keys) and are errors otherwise (a sidecar is ours alone).
    """
    try:
        node, values = _parse(text, FastSafeLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        node, values = None, None
    try:
        if node is None:
            node, values = _parse(text, _TextDatesLoader)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or "cannot parse"
        raise LoadError(f"invalid YAML: {problem}", path=path, line=line,
                        hint="check the indentation and quote values containing ':'") from None
    if values is None:
        return Metadata()
    if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
        raise LoadError("metadata must be a mapping of 'key: value' lines", path=path,
                        line=first_line, hint="write one 'key: value' per line")
    lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}
    return metadata_from_mapping(values, lines, path=path, first_line=first_line,
                                 languages=languages, allow_unknown=allow_unknown)


def metadata_from_mapping(values: Mapping[Any, Any], lines: Mapping[str, int], *, path: str,
                          first_line: int, languages: Collection[str],
                          allow_unknown: bool) -> Metadata:
    """Read a parsed front matter or sidecar mapping; ``lines`` gives each key's file line
    (keys it lacks are placed on ``first_line``)."""
    fields: dict[str, Any] = {}
    field_lines: dict[str, int] = {}
    extra: dict[str, str] = {}
    promoted: dict[str, str] = {}
    for raw_key, value in values.items():
        key = str(raw_key)
        lower = key.lower()
        line = lines.get(key, first_line)
        if lower in FIELD_KEYS and not (lower == "url" and not _is_url(str(value))):
            fields[lower] = _field(lower, value, path, line, languages)
            field_lines[lower] = line
            continue
        if lower not in _KNOWN_LOWER and not allow_unknown:
            raise LoadError(f"unknown key '{key}'", path=path, line=line,
                            hint=f"known keys: {', '.join(sorted(set(KNOWN_KEYS)))}")
        name = _CANONICAL.get(lower, key)
        if lower in _OPEN_TABLES and isinstance(value, dict):
            promoted.update(_flatten(value, ""))
            continue
        if isinstance(value, dict):
            extra.update(_flatten(value, f"{name}."))
            continue
        if lower in _DATE_KEYS_LOWER:
            fields.setdefault(name, _published(value, path, line, key))
            field_lines[name] = line
        elif name == _TRANSLATION_KEY:
            fields[name] = _text(key, value, path, line)
        extra[name] = _as_text(value)
    for key, text in promoted.items():
        extra.setdefault(_CANONICAL.get(key.lower(), key), text)
    date_key = "date"
    published = fields.get("date")
    for key in _PUBLISHED_KEYS:
        if published is None and key in fields:
            published, date_key = fields[key], key
    modified = next((fields[k] for k in _MODIFIED_KEYS if k in fields), None)
    source = fields.get("source")
    url = fields.get("source_url") or fields.get("url")
    if url and source is None:
        source = Source(_domain(url), url)
    elif url and isinstance(source, Source):
        source = Source(source.name, url)
    all_lines = {**lines, **field_lines}
    return Metadata(
        title=fields.get("title"),
        published=published,
        language=fields.get("language") or fields.get("lang"),
        source=source,
        author=fields.get("author") or fields.get("authors"),
        dateline=fields.get("dateline"),
        extra=tuple(sorted(extra.items())),
        lines=tuple(sorted(all_lines.items())),
        modified=modified,
        draft=bool(fields.get("draft", False)),
        translation_key=fields.get(_TRANSLATION_KEY),
        date_key=date_key,
    )


def _flatten(table: Mapping[Any, Any], prefix: str) -> dict[str, str]:
    """A table's entries as text, nested tables as dotted keys ('extra.cover.alt')."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = _as_text(value)
    return flat


def _parse(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[yaml.Node | None, Any]:
    """One pass of the parser: the document's node tree (for lines) and its values."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _field(key: str, value: Any, path: str, line: int, languages: Collection[str]) -> Any:
    if key == "date":
        return _published(value, path, line, key)
    if key == "draft":
        return _flag(key, value, path, line)
    if key in ("language", "lang"):
        code = str(value).strip()
        if not _TAG.match(code) or code.split("-")[0] not in {c.split("-")[0] for c in languages}:
            raise LoadError(f"unknown language code '{value}'", path=path, line=line,
                            hint=f"use one of {', '.join(sorted(languages))}, or add the "
                                 "language to the site's 'languages'")
        return code
    if key == "source":
        if isinstance(value, dict):
            name, url = value.get("name"), value.get("url")
            if not name and not url:
                raise LoadError("'source' needs a 'name' or a 'url'", path=path, line=line,
                                hint="write source: {name: Example Wire, url: https://...}")
            return Source(str(name or _domain(str(url))), str(url) if url else None)
        text = _text(key, value, path, line)
        return Source(_domain(text), text) if _is_url(text) else Source(text)
    if key in ("author", "authors"):
        return _person(key, value, path, line)
    return _text(key, value, path, line)


def _person(key: str, value: Any, path: str, line: int) -> str:
    """An author written as a name, a list of names or a table with a 'name' (Hugo)."""
    if isinstance(value, dict) and value.get("name") is not None:
        return _text(key, value["name"], path, line)
    if isinstance(value, list) and value:
        return ", ".join(_person(key, item, path, line) for item in value)
    return _text(key, value, path, line)


def _flag(key: str, value: Any, path: str, line: int) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise LoadError(f"'{key}' must be true or false, not {value!r}", path=path, line=line,
                    hint=f"write {key}: true or {key}: false")


def _text(key: str, value: Any, path: str, line: int) -> str:
    if isinstance(value, (dict, list)) or value is None or not str(value).strip():
        raise LoadError(f"'{key}' must be a non-empty text", path=path, line=line,
                        hint=f"write {key}: followed by the text, or remove the line")
    return str(value).strip()


def _published(value: Any, path: str, line: int, key: str = "date") -> Published:
    if isinstance(value, dt.datetime):
        return Published(value.date(), value.timetz())
    if isinstance(value, dt.date):
        return Published(value)
    text = str(value).strip()
    try:
        if len(text) == 10:
            return Published(dt.date.fromisoformat(text))
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return Published(moment.date(), moment.timetz())
    except ValueError:
        raise LoadError(f"impossible or unreadable date '{text}'"
                        + ("" if key == "date" else f" in '{key}'"), path=path, line=line,
                        hint=_DATE_HINT) from None


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text, re.IGNORECASE))


def _domain(url: str) -> str:
    match = re.match(r"^[a-z]+://(?:www\.)?([^/?#:]+)", url, re.IGNORECASE)
    return match.group(1).lower() if match else url


def source_from_text(value: str) -> Source:
    """A source named on a scraped page ("nhandan.vn", a URL, "VNA")."""
    value = value.strip().rstrip(".")
    url_match = re.search(r"https?://\S+", value)
    if url_match:
        url = url_match.group(0).rstrip(").,")
        return Source(_domain(url), url)
    return Source(value)
