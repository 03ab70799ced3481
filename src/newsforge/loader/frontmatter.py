"""Markdown articles: front matter, then a CommonMark body.

The front matter is whatever other generators write, so that a Hugo or Zola content
folder loads as it is:

- YAML between ``---`` lines (Hugo, Jekyll, ours);
- TOML between ``+++`` lines (Hugo, Zola);
- JSON: one ``{...}`` object that opens the file (Hugo).

Every front matter becomes the same Metadata (``metadata.py``); a syntax error names the
file line, counted from where the front matter starts. The content folder's own
conventions live here too: Hugo's ``_index.md`` section files (never articles), page
bundles (``post/index.md``: the article is the folder) and the language suffix of a file
name (``post.vi.md``).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from babel import localedata
from markdown_it import MarkdownIt

from newsforge.errors import LoadError
from newsforge.loader.metadata import Metadata, metadata_from_mapping, parse_metadata
from newsforge.model import Paragraph, Span

MARKDOWN_SUFFIXES = (".md", ".markdown")
_FENCES = {"---": "YAML", "+++": "TOML"}
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)\s*$")
_TOML_NAME = r"""(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))"""
_TOML_KEY = re.compile(rf"^\s*{_TOML_NAME}\s*[.=]")
_TOML_TABLE = re.compile(rf"^\s*\[\[?\s*{_TOML_NAME}")
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"\s*:?|[{}\[\]\n]')
_COMMENT_BLOCK = re.compile(r"^<!--.*-->$", re.DOTALL)
_SUFFIX_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class NotAnArticleError(LoadError):
    """A file that is rightly not an article: a draft, or another generator's section or
    list page. It is left out with an info line, never an error."""


@dataclass(frozen=True, slots=True)
class MarkdownReading:
    """Front matter, the body's top-level blocks and the first-level heading if any."""

    metadata: Metadata
    blocks: tuple[Paragraph, ...]
    heading: str | None
    heading_line: int | None
    front_matter: str | None = None
    """The front matter's format ("YAML", "TOML", "JSON"), None when the file has none."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The parsed front matter and the index of the first body line."""

    metadata: Metadata
    body_first: int
    format: str | None


def read_markdown(text: str, path: str, languages: Collection[str],
                  parser: MarkdownIt) -> MarkdownReading:
    """Split and parse a Markdown article; broken front matter raises LoadError with its line."""
    lines = text.split("\n")
    front = split_front_matter(text, lines, path, languages)
    body_first = front.body_first
    body_lines = lines[body_first:]
    tokens = parser.parse("\n".join(body_lines))
    blocks: list[Paragraph] = []
    heading: str | None = None
    heading_line: int | None = None
    depth = 0
    for index, token in enumerate(tokens):
        if depth == 0 and token.map is not None:
            first, last = token.map
            source = "\n".join(body_lines[first:last]).strip()
            span = Span(path, body_first + first + 1, body_first + last)
            if (token.type == "heading_open" and token.tag == "h1" and heading is None
                    and not blocks):
                heading = tokens[index + 1].content.strip()
                heading_line = span.line
            elif source and not (token.type == "html_block" and _COMMENT_BLOCK.match(source)):
                # An HTML comment alone (Hugo's <!--more--> summary divider) is no text.
                blocks.append(Paragraph(source, span))
        depth += token.nesting
    return MarkdownReading(front.metadata, tuple(blocks), heading, heading_line, front.format)


def split_front_matter(text: str, lines: list[str], path: str,
                       languages: Collection[str]) -> FrontMatter:
    """The front matter of a Markdown file in any of the three formats (or none)."""
    opening = lines[0].strip() if lines else ""
    if opening in _FENCES:
        kind = _FENCES[opening]
        closers = (opening, "...") if kind == "YAML" else (opening,)
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() in closers), None)
        if closing is None:
            raise LoadError(f"{kind} front matter opened with '{opening}' on line 1 is never "
                            "closed", path=path, line=1,
                            hint=f"add a line with '{opening}' after the last front matter key")
        source = "\n".join(lines[1:closing])
        if kind == "YAML":
            metadata = parse_metadata(source, path=path, first_line=2, languages=languages,
                                      allow_unknown=True)
        else:
            metadata = _toml(source, path, languages)
        return FrontMatter(metadata, closing + 1, kind)
    if text.startswith("{") and not text.startswith("{{"):
        return _json(text, path, languages)
    return FrontMatter(Metadata(), 0, None)


def _toml(source: str, path: str, languages: Collection[str]) -> Metadata:
    """TOML front matter, whose first line is file line 2."""
    try:
        values = tomllib.loads(source)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = source.count("\n") + 2
        if position is not None:
            message = message[:position.start()]
            if position.group(1):
                line = int(position.group(1)) + 1
        raise LoadError(f"invalid TOML: {message}", path=path, line=line,
                        hint="write one 'key = value' per line and quote text values: "
                             'title = "..."') from None
    return metadata_from_mapping(values, _toml_lines(source, 2), path=path, first_line=2,
                                 languages=languages, allow_unknown=True)


def _toml_lines(source: str, first_line: int) -> dict[str, int]:
    """The file line of each top-level key (a table's header line for a table)."""
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(source.split("\n"), first_line):
        table = _TOML_TABLE.match(line)
        if table is not None:
            in_table = True
            lines.setdefault(_first_group(table), number)
            continue
        key = _TOML_KEY.match(line)
        if key is not None and not in_table:
            lines.setdefault(_first_group(key), number)
    return lines


def _first_group(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)


def _json(text: str, path: str, languages: Collection[str]) -> FrontMatter:
    """A JSON object that opens the file (Hugo's JSON front matter)."""
    hint = ("JSON front matter is one {...} object at the start of the file: check its "
            "commas, quotes and braces (text that is no front matter must not begin with '{')")
    try:
        values, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON front matter: {exc.msg}", path=path, line=exc.lineno,
                        hint=hint) from None
    except RecursionError:
        raise LoadError("invalid JSON front matter: nested too deeply", path=path, line=1,
                        hint=hint) from None
    if not isinstance(values, dict):
        raise LoadError("JSON front matter must be an object", path=path, line=1, hint=hint)
    last_line = text.count("\n", 0, end)
    rest = text[end:].split("\n", 1)[0]
    if rest.strip():
        raise LoadError("text follows the JSON front matter on its closing line",
                        path=path, line=last_line + 1,
                        hint="start the article's text on the line after the closing '}'")
    metadata = metadata_from_mapping(values, _json_lines(text[:end]), path=path, first_line=1,
                                     languages=languages, allow_unknown=True)
    return FrontMatter(metadata, last_line + 1, "JSON")


def _json_lines(source: str) -> dict[str, int]:
    """The file line of each key of the outermost JSON object."""
    lines: dict[str, int] = {}
    depth, line = 0, 1
    for match in _JSON_TOKEN.finditer(source):
        token = match.group()
        if token == "\n":
            line += 1
        elif token in ("{", "["):
            depth += 1
        elif token in ("}", "]"):
            depth -= 1
        elif depth == 1 and token.endswith(":"):
            try:
                key = json.loads(token[:-1].rstrip())
            except ValueError:
                continue
            lines.setdefault(str(key), line)
    return lines


# The content folder's conventions -----------------------------------------------------

def is_section_file(path: Path) -> bool:
    """Hugo's ``_index.md`` (``_index.vi.md``): a section's own page, never an article."""
    return is_section_name(path.name)


def is_section_name(name: str) -> bool:
    """``is_section_file`` of a file named ``name``."""
    return (os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES
            and name.split(".", 1)[0] == "_index")


def bundle_parts(parts: tuple[str, ...], suffix: str) -> tuple[str, ...]:
    """The id parts of a file (path parts without the extension): a page bundle's
    ``post/index.md`` is its folder, ``post``; ``post/index.vi.md`` is ``post.vi``."""
    if suffix.lower() not in MARKDOWN_SUFFIXES or len(parts) < 2:
        return parts
    name, _, rest = parts[-1].partition(".")
    if name != "index":
        return parts
    folder = f"{parts[-2]}.{rest}" if rest else parts[-2]
    return (*parts[:-2], folder)


def filename_language(path: Path, site_languages: Collection[str]) -> str | None:
    """The language a file name carries before its extension (``post.vi.md``), as Hugo
    reads it: one of the site's languages, or any language CLDR knows."""
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        return None
    name, dot, code = path.stem.rpartition(".")
    if not dot or not name or not _SUFFIX_TAG.match(code):
        return None
    if code in site_languages or localedata.exists(code.replace("-", "_")):
        return code
    return None


def translation_key(metadata: Metadata, parts: tuple[str, ...],
                    language_suffix: str | None) -> str:
    """What links the translations of one page: the front matter's ``translationKey``,
    else (Hugo's default) the file's path without its language suffix."""
    if metadata.translation_key is not None:
        return metadata.translation_key
    if language_suffix is not None:
        last = parts[-1]
        parts = (*parts[:-1], last[:-len(language_suffix) - 1])
    return "path:" + "/".join(parts)

