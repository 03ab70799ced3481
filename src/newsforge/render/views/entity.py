"""An entity's page (one per language) and the indexes of each entity type."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from newsforge import charts, structured, urls
from newsforge.model import Entity, EntityType
from newsforge.render.inputs import Inputs
from newsforge.render.kit import (
    INDEX_PAGE_SIZE,
    TYPE_PLURAL,
    Context,
    Group,
    Job,
    Kit,
    Link,
    View,
)


def entity_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    site = kit.site
    lang, eid = job.key
    entity: Entity = site.entity_by_id[eid]
    folder = site.entity_folder(eid, lang)
    name, name_lang = kit.entity_name(entity, lang)
    page = kit.page(job.path, lang, name, kit.counterparts(job),
                      urls.feed(site.entity_folder(eid)))
    page.title_lang = name_lang if name_lang != lang else ""
    ids = site.articles_of_entity[eid]
    start = (job.page - 1) * kit.config.per_page
    names = tuple(Link(name, "", code, note=kit.language_name(code))
                  for code, name in entity.names)
    shown = {entity.name, *(n for _, n in entity.names)}
    # The same on the entity's every page, in every language.
    pages = kit.remember(("pages", eid), lambda: {
        code: urls.absolute(kit.config.base_url, site.entity_folder(eid, code))
        for code in site.languages})
    return {
        "structured": structured.script(structured.entity_thing(
            entity, name=name, url=pages.get(lang) or urls.absolute(
                kit.config.base_url, folder), pages=pages)),
        "og_type": "profile" if entity.type is EntityType.PERSON else "website",
        "language_name": kit.language_name(lang),
        "entity": entity,
        "type_label": kit.ui_text(page, entity.type.value),
        "type_href": urls.relative(job.path, urls.entity_index(lang, entity.type)),
        "names": names,
        "aliases": tuple(a for a in sorted(entity.aliases) if a not in shown),
        "cards": tuple(kit.card(a, page) for a in ids[start:start + kit.config.per_page]),
        "total": len(ids),
        # The same on every later page: they all stand one folder level deeper alike.
        "cooccurring": kit.remember(("cooccurring", eid, lang, job.page > 1), lambda: tuple(
            zip((kit.entity_link(o, lang, page, kit.count_text(page, n))
                 for o, n in site.cooccurring.get(eid, ())),
                charts.shares([n for _, n in site.cooccurring.get(eid, ())]), strict=True))),
        "pager": kit.pager(job, folder, page),
        # The chart sums up the whole timeline: the first page shows it, the later ones
        # only continue the list (and stay small).
        "chart": kit.chart_view(kit.entity_chart(eid), page, "entity-chart",
            title=page.ui.strings["chart_title_of"].format(name=name))
        if job.page == 1 else None,
    }, page


def entity_index_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    lang, type_ = job.key
    folder = urls.entity_index(lang, type_)
    page = kit.page(job.path, lang, "")
    kit.title_from_ui(page, TYPE_PLURAL[type_])
    if job.page == 1:
        page.alternates = kit.language_alternates(
            job.path, lambda code: urls.entity_index(code, type_), lang)
    entities, initials = kit.sorted_entities(lang, type_)
    start = (job.page - 1) * INDEX_PAGE_SIZE
    shown = range(start, min(len(entities), start + INDEX_PAGE_SIZE))
    groups: list[Group] = []
    for letter, positions in itertools.groupby(shown, key=lambda i: initials[i]):
        links = tuple(kit.entity_link(
            entities[i].id, lang, page,
            kit.count_text(page, len(kit.site.articles_of_entity[entities[i].id])))
            for i in positions)
        groups.append(Group(letter, links, anchor=_letter_anchor(letter)))
    # Every letter of the whole index, linked to the page where it starts.
    letters: dict[str, int] = {}
    for position, letter in enumerate(initials):
        letters.setdefault(letter, position // INDEX_PAGE_SIZE + 1)
    jump = tuple(Link(letter, urls.relative(page.path, urls.paged(folder, number))
                      + "#" + _letter_anchor(letter), current=number == job.page)
                 for letter, number in letters.items())
    return {"groups": tuple(groups), "letters": jump,
            "pager": kit.pager(job, folder, page),
            "total": len(entities)}, page


def _letter_anchor(letter: str) -> str:
    """A unique id for an index letter ('A' -> 'letter-a', 'Đ' -> 'letter-110')."""
    if letter.isascii() and letter.isalnum():
        return f"letter-{letter.lower()}"
    return "letter-" + "-".join(str(ord(c)) for c in letter)


def entity_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """The entity, which articles name it (its count, pages and chart), the cards of this
    page's articles, and the entities named with it (their names and counts)."""
    site = inputs.site
    _, eid = job.key
    per_page = inputs.config.per_page
    shown = site.articles_of_entity[eid][(job.page - 1) * per_page:job.page * per_page]
    return (inputs.entity(eid), inputs.entity_articles(eid), *inputs.articles(shown),
            inputs.cooccurring(eid))


def entity_index_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """Every entity of the type and its count: the order, the letters and the pages."""
    return (inputs.entity_type(job.key[1]),)


VIEWS = (View("entity", "entity.html", entity_context, entity_inputs),
         View("entity_index", "entity_index.html", entity_index_context, entity_index_inputs))
