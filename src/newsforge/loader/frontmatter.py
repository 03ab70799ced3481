"""Markdown articles: YAML front matter between ``---`` lines, then a CommonMark body."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from markdown_it import MarkdownIt

from newsforge.errors import LoadError
from newsforge.loader.metadata import Metadata, parse_metadata
from newsforge.model import Paragraph, Span

_FENCE = "---"


@dataclass(frozen=True, slots=True)
class MarkdownReading:
    """Front matter, the body's top-level blocks and the first-level heading if any."""

    metadata: Metadata
    blocks: tuple[Paragraph, ...]
    heading: str | None
    heading_line: int | None


def read_markdown(text: str, path: str, languages: Collection[str],
                  parser: MarkdownIt) -> MarkdownReading:
    """Split and parse a Markdown article; broken front matter raises LoadError with its line."""
    lines = text.split("\n")
    metadata = Metadata()
    body_first = 0
    if lines and lines[0].strip() == _FENCE:
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "...")),
                       None)
        if closing is None:
            raise LoadError("front matter opened with '---' on line 1 is never closed", path=path,
                            line=1, hint="add a line with '---' after the last front matter key")
        metadata = parse_metadata("\n".join(lines[1:closing]), path=path, first_line=2,
                                  languages=languages, allow_unknown=True)
        body_first = closing + 1
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
            elif source:
                blocks.append(Paragraph(source, span))
        depth += token.nesting
    return MarkdownReading(metadata, tuple(blocks), heading, heading_line)
