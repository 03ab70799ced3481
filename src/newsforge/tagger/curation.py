"""The editor's entity file (``entities.yaml``): corrections that win over the tagger.

Format (every section optional)::

    merge:                       # several entities are one
      - into: person/to-lam
        from: [person/to-lam-2, person/general-secretary-lam]
    split:                       # some mentions of an entity name another one
      - from: person/nguyen-van-a
        into: person/nguyen-van-a-hanoi
        name: Nguyễn Văn A (Hà Nội)
        mentions: [Nguyen Van A]           # mention texts, as written, that move
    rename:                      # display names
      - id: person/to-lam
        name: Tô Lâm
        names: {en: To Lam, sv: To Lam}
    set_type:
      - {id: organisation/vientiane-party-committee, type: party}
    aliases:                     # more names: found in the text as this entity, and
      - {id: person/to-lam, add: [Anh Ba]}   # entities with such a name are merged in
    suppress: [person/phien-ban]  # not an entity at all

A malformed file raises CurationError with the file and line of the problem. A well-formed
entry that names an entity the archive does not have is reported as a warning instead:
the archive may simply have changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from newsforge.errors import CurationError
from newsforge.model import Entity, EntityType, Mention, Problem, Severity
from newsforge.tagger.rules import GazetteerEntry, fold_key

_SECTIONS = ("merge", "split", "rename", "set_type", "aliases", "suppress")


@dataclass(frozen=True, slots=True)
class Merge:
    into: str
    sources: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Split:
    source: str
    into: str
    name: str
    mentions: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Rename:
    id: str
    name: str
    names: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True, slots=True)
class SetType:
    id: str
    type: EntityType
    line: int


@dataclass(frozen=True, slots=True)
class Aliases:
    id: str
    add: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Curation:
    """The parsed editor file; empty when there is none."""

    path: str = ""
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    renames: tuple[Rename, ...] = ()
    types: tuple[SetType, ...] = ()
    aliases: tuple[Aliases, ...] = ()
    suppress: tuple[tuple[str, int], ...] = ()


def load_curation(path: Path) -> Curation:
    """Read and check an editor file; raises CurationError naming path and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"cannot read the entity file: {exc}", path=path,
                            hint="it must be a UTF-8 YAML file") from None
    return parse_curation(text, str(path))


def parse_curation(text: str, path: str) -> Curation:
    """Parse the YAML text of an editor file (see the module docstring for the format)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CurationError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=path,
                            line=mark.line + 1 if mark else None,
                            hint="check indentation and quoting") from None
    if root is None:
        return Curation(path=path)
    reader = _Reader(path)
    top = reader.mapping(root, "the entity file")
    result: dict[str, Any] = {"path": path}
    for key_node, value in top:
        name = reader.scalar(key_node, "a section name")
        if name not in _SECTIONS:
            raise CurationError(f"unknown section '{name}'", path=path, line=_line(key_node),
                                hint=f"use one of: {', '.join(_SECTIONS)}")
        if name == "suppress":
            result["suppress"] = tuple((reader.entity_id(n), _line(n))
                                       for n in reader.sequence(value, "suppress"))
            continue
        items = [reader.fields(n, name) for n in reader.sequence(value, name)]
        if name == "merge":
            result["merges"] = tuple(Merge(
                reader.required_id(f, "into", line), tuple(reader.ids(f, "from", line)), line)
                for f, line in items)
        elif name == "split":
            result["splits"] = tuple(Split(
                reader.required_id(f, "from", line), reader.required_id(f, "into", line),
                reader.text(f, "name", line, required=False),
                tuple(reader.texts(f, "mentions", line)), line) for f, line in items)
        elif name == "rename":
            result["renames"] = tuple(Rename(
                reader.required_id(f, "id", line), reader.text(f, "name", line, required=False),
                reader.names(f, line), line) for f, line in items)
        elif name == "set_type":
            result["types"] = tuple(SetType(
                reader.required_id(f, "id", line), reader.entity_type(f, line), line)
                for f, line in items)
        else:
            result["aliases"] = tuple(Aliases(
                reader.required_id(f, "id", line), tuple(reader.texts(f, "add", line)), line)
                for f, line in items)
    return Curation(**result)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Reader:
    """Checks node shapes and turns them into values, raising with the node's line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, message: str, node: yaml.Node | None, line: int | None = None,
             hint: str = "") -> CurationError:
        where = _line(node) if node is not None else line
        return CurationError(message, path=self.path, line=where, hint=hint)

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping of names to values", node)
        return list(node.value)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"'{what}' must be a list", node, hint="start each item with '- '")
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(f"expected {what}", node)
        return str(node.value).strip()

    def entity_id(self, node: yaml.Node) -> str:
        value = self.scalar(node, "an entity id such as person/to-lam")
        kind = value.split("/", 1)[0]
        if "/" not in value or kind not in {t.value for t in EntityType}:
            raise self.fail(f"'{value}' is not an entity id", node,
                            hint="ids look like person/to-lam or party/communist-party-of-vietnam")
        return value

    def fields(self, node: yaml.Node, section: str) -> tuple[dict[str, yaml.Node], int]:
        pairs = self.mapping(node, f"an item of '{section}'")
        return {self.scalar(k, "a field name"): v for k, v in pairs}, _line(node)

    def required_id(self, fields: Mapping[str, yaml.Node], name: str, line: int) -> str:
        if name not in fields:
            raise self.fail(f"missing '{name}'", None, line)
        return self.entity_id(fields[name])

    def ids(self, fields: Mapping[str, yaml.Node], name: str, line: int) -> list[str]:
        if name not in fields:
            raise self.fail(f"missing '{name}'", None, line)
        node = fields[name]
        if isinstance(node, yaml.ScalarNode):
            return [self.entity_id(node)]
        return [self.entity_id(n) for n in self.sequence(node, name)]

    def text(self, fields: Mapping[str, yaml.Node], name: str, line: int,
             required: bool = True) -> str:
        if name not in fields:
            if required:
                raise self.fail(f"missing '{name}'", None, line)
            return ""
        return self.scalar(fields[name], f"a text for '{name}'")

    def texts(self, fields: Mapping[str, yaml.Node], name: str, line: int) -> list[str]:
        if name not in fields:
            raise self.fail(f"missing '{name}'", None, line)
        node = fields[name]
        if isinstance(node, yaml.ScalarNode):
            return [self.scalar(node, f"a text for '{name}'")]
        return [self.scalar(n, f"a text in '{name}'") for n in self.sequence(node, name)]

    def names(self, fields: Mapping[str, yaml.Node], line: int) -> tuple[tuple[str, str], ...]:
        if "names" not in fields:
            return ()
        pairs = self.mapping(fields["names"], "'names'")
        return tuple(sorted((self.scalar(k, "a language code"), self.scalar(v, "a name"))
                            for k, v in pairs))

    def entity_type(self, fields: Mapping[str, yaml.Node], line: int) -> EntityType:
        value = self.text(fields, "type", line)
        try:
            return EntityType(value)
        except ValueError:
            raise self.fail(f"unknown entity type '{value}'", fields["type"],
                            hint="use person, party, organisation or event") from None


def curated_entries(curation: Curation) -> tuple[GazetteerEntry, ...]:
    """The editor's aliases as gazetteer entries, so the tagger finds them in the text."""
    entries = []
    for alias in curation.aliases:
        entries.append(GazetteerEntry(
            id=f"curated:{alias.id}", type=EntityType(alias.id.split("/", 1)[0]),
            names=(("und", alias.add),), acronyms=()))
    return tuple(entries)


def apply_curation(entities: Sequence[Entity], mentions: Sequence[Mention],
                   curation: Curation) -> tuple[tuple[Entity, ...], tuple[Mention, ...],
                                                tuple[Problem, ...]]:
    """Apply the editor's file: merge, split, aliases, set type, rename, then suppress."""
    by_id = {e.id: e for e in entities}
    moved: dict[str, str] = {}
    problems: list[Problem] = []
    mention_list = list(mentions)

    def warn(line: int, message: str) -> None:
        problems.append(Problem(curation.path, line, message,
                                "the archive may have changed; update or remove the entry",
                                Severity.WARNING))

    def merge_into(target: str, source: str) -> None:
        if source == target or source not in by_id:
            return
        old = by_id.pop(source)
        keep = by_id[target]
        by_id[target] = replace(keep, aliases=tuple(sorted(
            {*keep.aliases, *old.aliases, old.name} - {keep.name})))
        moved[source] = target

    for merge in curation.merges:
        if merge.into not in by_id:
            warn(merge.line, f"no entity '{merge.into}' to merge into")
            continue
        for source in merge.sources:
            if source not in by_id:
                warn(merge.line, f"no entity '{source}' to merge")
            merge_into(merge.into, source)
    mention_list = [replace(m, entity_id=moved.get(m.entity_id, m.entity_id))
                    for m in mention_list]
    for split in curation.splits:
        if split.source not in by_id:
            warn(split.line, f"no entity '{split.source}' to split")
            continue
        wanted = set(split.mentions)
        original = by_id[split.source]
        moving = [m for m in mention_list if m.entity_id == split.source and m.text in wanted]
        if not moving:
            warn(split.line, f"no mention of '{split.source}' matches {list(split.mentions)}")
            continue
        new_type = EntityType(split.into.split("/", 1)[0])
        name = split.name or moving[0].text
        by_id[split.into] = Entity(split.into, new_type, name, (),
                                   tuple(sorted({m.text for m in moving} - {name})))
        mention_list = [replace(m, entity_id=split.into, type=new_type)
                        if m.entity_id == split.source and m.text in wanted else m
                        for m in mention_list]
        by_id[split.source] = replace(original, aliases=tuple(
            a for a in original.aliases if a not in wanted))
    for alias in curation.aliases:
        if alias.id not in by_id:
            warn(alias.line, f"no entity '{alias.id}' to add aliases to")
            continue
        wanted = {fold_key(a) for a in alias.add}
        entity = by_id[alias.id]
        by_id[alias.id] = replace(entity, aliases=tuple(sorted(
            {*entity.aliases, *alias.add} - {entity.name})))
        local_moves: dict[str, str] = {}
        for other in sorted(by_id.values(), key=lambda e: e.id):
            if other.id != alias.id and other.type is entity.type and (
                    fold_key(other.name) in wanted):
                merge_into(alias.id, other.id)
                local_moves[other.id] = alias.id
        mention_list = [replace(m, entity_id=local_moves.get(m.entity_id, m.entity_id))
                        for m in mention_list]
    for set_type in curation.types:
        if set_type.id not in by_id:
            warn(set_type.line, f"no entity '{set_type.id}' to set the type of")
            continue
        by_id[set_type.id] = replace(by_id[set_type.id], type=set_type.type)
        mention_list = [replace(m, type=set_type.type) if m.entity_id == set_type.id else m
                        for m in mention_list]
    for rename in curation.renames:
        if rename.id not in by_id:
            warn(rename.line, f"no entity '{rename.id}' to rename")
            continue
        entity = by_id[rename.id]
        names = dict(entity.names)
        names.update(dict(rename.names))
        new_name = rename.name or entity.name
        aliases = {*entity.aliases, entity.name} - {new_name}
        by_id[rename.id] = replace(entity, name=new_name, names=tuple(sorted(names.items())),
                                   aliases=tuple(sorted(aliases)))
    suppressed = set()
    for entity_id, line in curation.suppress:
        if entity_id not in by_id:
            warn(line, f"no entity '{entity_id}' to suppress")
            continue
        suppressed.add(entity_id)
        del by_id[entity_id]
    kept = tuple(sorted(by_id.values(), key=lambda e: e.id))
    kept_mentions = tuple(sorted(
        (m for m in mention_list if m.entity_id not in suppressed),
        key=lambda m: (m.article_id, m.paragraph, m.start, m.end, m.entity_id)))
    return kept, kept_mentions, tuple(problems)
