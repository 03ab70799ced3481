"""``newsforge inspect`` and ``newsforge entities``: what the pipeline understood, for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsforge.analysis import analyse
from newsforge.config import Config
from newsforge.model import Article, Entity, Mention, Problem, Tagging


def inspect_paths(config: Config, paths: Sequence[Path], *, as_json: bool
                  ) -> tuple[str, tuple[Problem, ...]]:
    """The report for every article under ``paths`` and the problems met."""
    articles, tagging, problems = _analyse(config, paths)
    if as_json:
        return json.dumps(inspection(articles, tagging), ensure_ascii=False, indent=2) + "\n", ()
    return "".join(_summary(a, tagging) for a in articles), problems


def inspection(articles: Sequence[Article], tagging: Tagging) -> dict[str, Any]:
    """The JSON shape ``inspect --json`` prints (the shape eval/score.py reads)."""
    entities = {e.id: e for e in tagging.entities}
    by_article: dict[str, list[Mention]] = {}
    for mention in tagging.mentions:
        by_article.setdefault(mention.article_id, []).append(mention)
    return {"articles": [_article_json(a, by_article.get(a.id, []), entities) for a in articles]}


def _article_json(article: Article, mentions: list[Mention],
                  entities: dict[str, Entity]) -> dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for mention in mentions:
        grouped.setdefault(mention.entity_id, []).append(mention.text)
    return {
        "id": article.id,
        "path": article.path,
        "language": article.language,
        "date": article.published.isoformat() if article.published else None,
        "date_source": article.date_source.value,
        "title": None if article.title_synthesised else article.title,
        "synthesised_title": article.title if article.title_synthesised else None,
        "source": article.source.name if article.source else None,
        "source_url": article.source.url if article.source else None,
        "author": article.author,
        "dateline": article.dateline,
        "body": article.body,
        "spans": {name: [span.line, span.end_line or span.line] for name, span in article.spans},
        "evidence": [{"field": e.field, "rule": e.rule, "detail": e.detail, "line": e.line}
                     for e in article.evidence],
        "warnings": [p.format() for p in article.problems],
        "entities": [
            {"id": entity_id, "type": entities[entity_id].type.value,
             "name": entities[entity_id].name_in(article.language),
             "mentions": sorted(set(texts))}
            for entity_id, texts in sorted(grouped.items()) if entity_id in entities],
    }


def _summary(article: Article, tagging: Tagging) -> str:
    date = article.published.isoformat() if article.published else "undated"
    title = f"{article.title} (synthesised)" if article.title_synthesised else article.title
    lines = [
        f"{article.path}",
        f"  id        {article.id}",
        f"  language  {article.language}",
        f"  date      {date} [{article.date_source.value}]",
        f"  title     {title}",
        f"  source    {_source(article)}",
        f"  author    {article.author or '-'}",
        f"  dateline  {article.dateline or '-'}",
        f"  body      {len(article.paragraphs)} paragraph(s), {len(article.body)} characters",
    ]
    lines.extend(f"  why       {e.field}: {e.rule}" + (f" ({e.detail})" if e.detail else "")
                 + (f", line {e.line}" if e.line else "") for e in article.evidence)
    entities = {e.id: e for e in tagging.entities}
    named = sorted({m.entity_id for m in tagging.mentions if m.article_id == article.id})
    lines.extend(f"  entity    {entities[i].type.value}: {entities[i].name_in(article.language)}"
                 for i in named if i in entities)
    lines.extend(f"  warning   {p.message}" for p in article.problems)
    return "\n".join(lines) + "\n\n"


def _source(article: Article) -> str:
    if article.source is None:
        return "-"
    return f"{article.source.name} <{article.source.url}>" if article.source.url else \
        article.source.name


def list_entities(config: Config, *, as_json: bool, only_type: str | None) -> str:
    """Every resolved entity with its names per language and article count."""
    _, tagging, _ = _analyse(config, (config.content,))
    counts: dict[str, set[str]] = {}
    for mention in tagging.mentions:
        counts.setdefault(mention.entity_id, set()).add(mention.article_id)
    rows = [e for e in tagging.entities if only_type is None or e.type.value == only_type]
    if as_json:
        return json.dumps({"entities": [
            {"id": e.id, "type": e.type.value, "name": e.name, "names": dict(e.names),
             "aliases": list(e.aliases), "articles": len(counts.get(e.id, ()))}
            for e in rows]}, ensure_ascii=False, indent=2) + "\n"
    return "".join(
        f"{e.id}\t{e.type.value}\t{len(counts.get(e.id, ()))}\t{e.name}\t"
        + "; ".join(f"{lang}: {name}" for lang, name in e.names) + "\n"
        for e in rows)


def _analyse(config: Config, paths: Sequence[Path]
             ) -> tuple[tuple[Article, ...], Tagging, tuple[Problem, ...]]:
    """The same analysis a build makes (story linking included), without rendering."""
    analysis = analyse(config, paths)
    site = analysis.site
    assert analysis.tagging is not None  # given paths, the archive is always tagged
    found: dict[str, list[Mention]] = {}
    for mention in analysis.tagging.mentions:
        if mention.article_id in site.article_by_id and mention.entity_id in site.entity_by_id:
            found.setdefault(mention.article_id, []).append(mention)
    mentions = tuple(m for a in site.articles for m in sorted(
        found.get(a.id, ()), key=lambda m: (m.paragraph, m.start, m.end, m.entity_id)))
    return site.articles, Tagging(site.entities, mentions), analysis.problems
