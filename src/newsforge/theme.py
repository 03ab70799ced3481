"""Where templates, static files and interface strings come from.

The default theme is the repository's top-level ``templates/`` and ``static/``; an
installed wheel carries a copy at ``newsforge/_theme/`` (see pyproject's force-include).
A site's own ``templates/`` and ``static/`` folders (``config.templates`` and
``config.static``) override the default file by file. Interface strings are one YAML file
per language in ``templates/i18n/``; the interface languages are found by listing that
folder, so adding a language is adding a file.

Any language can be a page's language, with or without a file: each string falls back
on its own, first to the site's default language, then to English (the theme's base).
Every string remembers the language it is written in (``UiLanguage.origins``), so a page
in Thai whose interface is partly English marks the English strings as English.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsforge.config import Config
from newsforge.errors import BuildError

I18N_FOLDER = "i18n"


@dataclass(frozen=True, slots=True)
class UiLanguage:
    """The interface strings of one language and its alphabet (for sorting names).

    ``strings`` has every key of the theme; ``origins`` names, for every key, the language
    its text is written in: ``code`` for a translated string, else the language it fell
    back to. ``translated`` is False for a language without an interface file.
    """

    code: str
    name: str
    native_name: str
    alphabet: tuple[str, ...]
    strings: Mapping[str, str]
    origins: Mapping[str, str]
    translated: bool = True

    def origin(self, key: str) -> str:
        """The language the string ``key`` is written in."""
        return self.origins.get(key, self.code)


@dataclass(frozen=True, slots=True)
class Theme:
    """Template folders (site first, then default), static folders in the same order,
    the interface languages that have a file, by code, and the interface every other
    language starts from (``fallback``: the default language's strings, else English)."""

    templates: tuple[Path, ...]
    static: tuple[Path, ...]
    ui: Mapping[str, UiLanguage]
    fallback: UiLanguage

    def ui_for(self, language: str) -> UiLanguage:
        """The interface of ``language`` (or of 'pt' for 'pt-BR'); a language without a
        file gets the fallback strings, still marked with the language they are in."""
        for code in (language, language.split("-")[0]):
            if code in self.ui:
                return self.ui[code]
        return dataclasses.replace(self.fallback, code=language, name=language,
                                   native_name=language, alphabet=(), translated=False)

    def static_files(self) -> tuple[tuple[str, Path], ...]:
        """(path under static/, source file) for every static file; the site's copy wins."""
        chosen: dict[str, Path] = {}
        for folder in reversed(self.static):
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and not any(p.startswith(".") for p in relative.parts):
                    chosen[relative.as_posix()] = path
        return tuple(sorted(chosen.items()))


def default_theme_dir() -> Path:
    """The folder holding the default ``templates/`` and ``static/``."""
    packaged = Path(str(resources.files("newsforge"))) / "_theme"
    if (packaged / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def load_theme(config: Config) -> Theme:
    """The theme of a site: its override folders (when they exist) before the default."""
    default = default_theme_dir()
    templates = _existing(config.templates, default / "templates")
    static = _existing(config.static, default / "static")
    ui: dict[str, dict[str, Any]] = {}
    for folder in reversed(templates):
        i18n = folder / I18N_FOLDER
        if not i18n.is_dir():
            continue
        for path in sorted(i18n.glob("*.yaml")):
            data = _read_ui(path)
            entry = ui.setdefault(path.stem, {"strings": {}})
            entry.update({k: v for k, v in data.items() if k != "strings"})
            entry["strings"].update(data.get("strings", {}))
    if "en" not in ui:
        raise BuildError("the theme has no English interface strings",
                         path=default / "templates" / I18N_FOLDER / "en.yaml")
    # Each string falls back on its own: the language's file, the default language's, English.
    base = _layer({}, {}, ui["en"]["strings"], "en")
    for code in (config.default_language, config.default_language.split("-")[0]):
        if code in ui:
            base = _layer(*base, ui[code]["strings"], code)
            break
    languages = {
        code: UiLanguage(
            code=code,
            name=str(data.get("name", code)),
            native_name=str(data.get("native_name", data.get("name", code))),
            alphabet=tuple(str(data.get("alphabet", "")).split()),
            strings=strings,
            origins=origins,
        )
        for code, data in sorted(ui.items())
        for strings, origins in [_layer(*base, data["strings"], code)]
    }
    fallback = dataclasses.replace(languages["en"], strings=base[0], origins=base[1])
    return Theme(templates, static, languages, fallback)


def _layer(strings: Mapping[str, str], origins: Mapping[str, str], own: Mapping[str, str],
           code: str) -> tuple[dict[str, str], dict[str, str]]:
    """``strings`` and their ``origins`` with the strings of language ``code`` on top."""
    return {**strings, **own}, {**origins, **dict.fromkeys(own, code)}


def _existing(override: Path | None, default: Path) -> tuple[Path, ...]:
    folders = [override] if override is not None and override.is_dir() else []
    if not folders or folders[0].resolve() != default.resolve():
        folders.append(default)
    return tuple(folders)


def _read_ui(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError(f"invalid interface strings: {exc}", path=path,
                         line=mark.line + 1 if mark else None) from None
    strings = data.get("strings", {}) if isinstance(data, dict) else None
    if not isinstance(strings, dict) or not all(isinstance(v, str) for v in strings.values()):
        raise BuildError("an interface file needs a 'strings' mapping of texts", path=path,
                         line=1, hint="see templates/i18n/en.yaml for the shape")
    return {**data, "strings": {str(k): v for k, v in strings.items()}}
