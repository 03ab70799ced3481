"""Metadata an editor writes by hand: Markdown front matter and ``NAME.yaml`` sidecars.

Both are YAML mappings with the same keys; what they say always wins over inference.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import yaml

from newsforge.errors import LoadError
from newsforge.langdata import FastSafeLoader
from newsforge.model import Published, Source

KNOWN_KEYS = ("title", "date", "language", "lang", "source", "source_url", "url", "author",
              "authors", "dateline")
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


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
    except (yaml.YAMLError, ValueError):
        node, values = None, None
    try:
        if node is None:
            node, values = _parse(text, _TextDatesLoader)
    except (yaml.YAMLError, ValueError) as exc:
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
    fields: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    for raw_key, value in values.items():
        key = str(raw_key)
        line = lines.get(key, first_line)
        if key not in KNOWN_KEYS:
            if not allow_unknown:
                raise LoadError(f"unknown key '{key}'", path=path, line=line,
                                hint=f"known keys: {', '.join(sorted(set(KNOWN_KEYS)))}")
            extra.append((key, _as_text(value)))
            continue
        fields[key] = _field(key, value, path, line, languages)
    source = fields.get("source")
    url = fields.get("source_url") or fields.get("url")
    if url and source is None:
        source = Source(_domain(url), url)
    elif url and isinstance(source, Source):
        source = Source(source.name, url)
    return Metadata(
        title=fields.get("title"),
        published=fields.get("date"),
        language=fields.get("language") or fields.get("lang"),
        source=source,
        author=fields.get("author") or fields.get("authors"),
        dateline=fields.get("dateline"),
        extra=tuple(sorted(extra)),
        lines=tuple(sorted(lines.items())),
    )


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
        return _published(value, path, line)
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
                raise LoadError("'source' needs a 'name' or a 'url'", path=path, line=line)
            return Source(str(name or _domain(str(url))), str(url) if url else None)
        text = _text(key, value, path, line)
        return Source(_domain(text), text) if _is_url(text) else Source(text)
    if key == "authors" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _text(key, value, path, line)


def _text(key: str, value: Any, path: str, line: int) -> str:
    if isinstance(value, (dict, list)) or value is None or not str(value).strip():
        raise LoadError(f"'{key}' must be a non-empty text", path=path, line=line)
    return str(value).strip()


def _published(value: Any, path: str, line: int) -> Published:
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
        raise LoadError(f"impossible or unreadable date '{text}'", path=path, line=line,
                        hint="write it as YYYY-MM-DD, optionally with a time: "
                             "2025-12-02T10:57:00+07:00") from None


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
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
