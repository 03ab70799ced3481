"""The site configuration: one YAML file at the site root, loaded into one frozen object.

Every key is checked up front; unknown keys and wrong types are reported all at once,
each with its line, so an editor fixes the file in one pass.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newsforge.errors import ConfigError

CONFIG_NAME = "newsforge.yaml"
DEFAULT_TITLE = "News archive"
DEFAULT_LANGUAGES = ("en", "vi", "sv")
DEFAULT_PER_PAGE = 20
# Hugo's taxonomies are read as hand tags that join the entities they name.
DEFAULT_HAND_TAGS = (("categories", "auto"), ("tags", "auto"))
SLUG_STYLES = ("unicode", "ascii")
DEFAULT_PERMALINK = ":year/:month/:day/:slug"
PERMALINK_TOKEN = re.compile(r":(year|month|day|slug|id)\b")


def permalink_problem(pattern: str) -> str | None:
    """Why ``pattern`` (the ``permalinks`` setting) cannot make article URLs, or None.

    It must name each article apart (``:slug``, whose id tag makes it unique, or ``:id``)
    and use only the known tokens in plain folder names."""
    rest = PERMALINK_TOKEN.sub("x", pattern)
    if ":slug" not in pattern and ":id" not in pattern:
        return "it must contain :slug or :id, so that every article has its own URL"
    if ":" in rest:
        return "it may only use the tokens :year, :month, :day, :slug and :id"
    parts = pattern.strip("/").split("/")
    if pattern.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in pattern:
        return "it must be a relative path of plain folder names such as :year/:month/:slug"
    return None


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs to know about a site. Paths are absolute."""

    root: Path
    content: Path
    output: Path
    title: str = DEFAULT_TITLE
    base_url: str = "/"
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    default_language: str = "en"
    templates: Path | None = None
    static: Path | None = None
    entities: Path | None = None
    per_page: int = DEFAULT_PER_PAGE
    source_file: Path | None = None
    drafts: bool = False
    """Load drafts (front matter ``draft: true``) too: ``--drafts``."""
    # Front-matter list keys read as hand tags -> entity type or "auto" (see hand_tags below).
    hand_tags: tuple[tuple[str, str], ...] = DEFAULT_HAND_TAGS
    time_zone: str = "UTC"
    search: bool = True
    permalinks: str = DEFAULT_PERMALINK
    """Where a dated article lives below its language, like Hugo's ``permalinks``."""
    slugs: str = "unicode"
    """Article slugs keep the headline's own script ('unicode') or are transliterated
    to ASCII ('ascii')."""
    """Index the site for full-text search with Pagefind (``--no-search`` turns it off)."""
    """The IANA zone of dates the articles give without a UTC offset (structured data)."""

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, always ending in '/' ('/archive/')."""
        match = re.match(r"^[a-z][a-z0-9+.-]*://[^/]*(/.*)?$", self.base_url)
        path = (match.group(1) or "/") if match else self.base_url
        return path if path.endswith("/") else path + "/"


# key -> (expected python type, description used in messages)
_SCHEMA: dict[str, tuple[type, str]] = {
    "title": (str, "a text"),
    "base_url": (str, "a URL or path such as https://example.org/archive/"),
    "content": (str, "a folder path"),
    "output": (str, "a folder path"),
    "languages": (list, "a list of language codes such as [en, vi, sv]"),
    "default_language": (str, "a language code"),
    "templates": (str, "a folder path"),
    "static": (str, "a folder path"),
    "entities": (str, "a file path"),
    "per_page": (int, "a whole number"),
    "search": (bool, "true or false"),
    "slugs": (str, "unicode or ascii"),
    "permalinks": (str, "a URL pattern such as :year/:month/:day/:slug"),
    "time_zone": (str, "an IANA time zone such as Asia/Ho_Chi_Minh or UTC"),
    "hand_tags": (dict, "a mapping of front-matter keys to person, party, organisation, "
                        "event or auto, such as {tags: auto, categories: party}"),
}
_HAND_TAG_KINDS = ("person", "party", "organisation", "event", "auto")


def default_config(root: Path) -> Config:
    """The configuration of a site that has no config file: content in ``seeds/``."""
    root = root.resolve()
    return _with_defaults(root, {}, None)


def load_config(path: Path | None = None, *, root: Path | None = None) -> Config:
    """Load ``path`` (or ``root/newsforge.yaml`` when it exists) into a Config.

    Raises ConfigError naming the file and line of the first problem, with every
    problem found listed in the message.
    """
    if path is None:
        root = (root or Path.cwd()).resolve()
        candidate = root / CONFIG_NAME
        if not candidate.exists():
            return default_config(root)
        path = candidate
    path = path.resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path=path,
                          hint="pass an existing file to --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}", path=path) from None
    values, lines = _parse(text, path)
    problems: list[tuple[int, str]] = []
    for key, value in values.items():
        line = lines.get(key, 1)
        if key not in _SCHEMA:
            known = ", ".join(sorted(_SCHEMA))
            problems.append((line, f"unknown key '{key}' (known keys: {known})"))
            continue
        expected, description = _SCHEMA[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            problems.append((line, f"'{key}' must be {description}, not {value!r}"))
    if not problems:
        problems.extend(_check_values(values, lines))
    if problems:
        first_line = problems[0][0]
        message = "; ".join(f"line {line}: {text}" for line, text in problems)
        raise ConfigError(message, path=path, line=first_line,
                          hint=f"see the configuration section of the README; {len(problems)} "
                               "problem(s)")
    return _with_defaults(path.parent, values, path)


def _parse(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", path=path, line=line,
                          hint="check indentation and quoting") from None
    if values is None:
        return {}, {}
    if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
        raise ConfigError("the configuration must be a mapping of keys to values", path=path,
                          line=1, hint="write one 'key: value' per line")
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return {str(k): v for k, v in values.items()}, lines


def _check_values(values: dict[str, Any], lines: dict[str, int]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    languages = values.get("languages")
    if languages is not None:
        if not languages:
            problems.append((lines["languages"], "'languages' must name at least one language"))
        for code in languages:
            if not isinstance(code, str) or not _LANGUAGE_TAG.match(code):
                problems.append((lines["languages"],
                                 f"'{code}' is not a BCP 47 language code such as 'en' or 'vi'"))
    default = values.get("default_language")
    if default is not None and languages and default not in languages:
        problems.append((lines["default_language"],
                         f"default_language '{default}' is not one of languages {languages}"))
    per_page = values.get("per_page")
    if per_page is not None and per_page < 1:
        problems.append((lines["per_page"], "'per_page' must be at least 1"))
    if "time_zone" in values and values["time_zone"].upper() != "UTC":
        try:
            zoneinfo.ZoneInfo(values["time_zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append((lines["time_zone"], f"unknown time zone {values['time_zone']!r} "
                             "(use an IANA name such as Europe/Stockholm, or UTC)"))
    if "permalinks" in values:
        why = permalink_problem(values["permalinks"])
        if why is not None:
            problems.append((lines["permalinks"],
                             f"'permalinks' {values['permalinks']!r} cannot be used: {why}"))
    if values.get("slugs", "unicode") not in SLUG_STYLES:
        problems.append((lines["slugs"], f"'slugs' must be one of {', '.join(SLUG_STYLES)}, "
                                         f"not {values['slugs']!r}"))
    for key, kind in (values.get("hand_tags") or {}).items():
        if kind not in _HAND_TAG_KINDS:
            problems.append((lines["hand_tags"], f"hand_tags: '{key}' must map to one of "
                                                 f"{', '.join(_HAND_TAG_KINDS)}, not {kind!r}"))
    return problems


def _with_defaults(root: Path, values: dict[str, Any], source: Path | None) -> Config:
    def folder(key: str, default: str | None) -> Path | None:
        name = values.get(key, default)
        return (root / name).resolve() if name is not None else None

    languages = tuple(values.get("languages") or DEFAULT_LANGUAGES)
    content = folder("content", "seeds")
    output = folder("output", "build")
    assert content is not None and output is not None
    return Config(
        root=root,
        content=content,
        output=output,
        title=values.get("title", DEFAULT_TITLE),
        base_url=values.get("base_url", "/"),
        languages=languages,
        default_language=values.get("default_language", languages[0]),
        templates=folder("templates", "templates"),
        static=folder("static", "static"),
        entities=folder("entities", "entities.yaml"),
        per_page=values.get("per_page", DEFAULT_PER_PAGE),
        time_zone=values.get("time_zone", "UTC"),
        search=values.get("search", True),
        slugs=values.get("slugs", "unicode"),
        permalinks=values.get("permalinks", DEFAULT_PERMALINK).strip("/"),
        source_file=source,
        hand_tags=(tuple(sorted((str(k).lower(), str(v)) for k, v in values["hand_tags"].items()))
                   if "hand_tags" in values else DEFAULT_HAND_TAGS),
    )


def replace(config: Config, **changes: Any) -> Config:
    """A copy of ``config`` with some fields changed (used by ``--out`` and tests)."""
    return dataclasses.replace(config, **changes)
