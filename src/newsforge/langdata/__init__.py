"""Language knowledge as data: one YAML file per language in this folder.

Each file has a ``language`` block (code, English and native name) and one section per
stage that needs language knowledge: ``loader`` (boilerplate markers, cue words, month
names, date patterns), ``tagger`` (titles, organisation heads, event cues) and ``ui``
(interface strings). Each stage turns its own section into its own typed rules, so
adding a language means adding a file here and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsforge.errors import NewsforgeError

# PyYAML's C parser (libyaml, in its wheels) reads the same YAML ten times faster.
FastSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """The raw data of one language; stages read their own section."""

    code: str
    name: str
    native_name: str
    sections: Mapping[str, Mapping[str, Any]]
    source: str

    def section(self, name: str) -> Mapping[str, Any]:
        """One stage's section, empty when the file has none."""
        return self.sections.get(name, {})


@dataclass(frozen=True, slots=True)
class Languages:
    """Every known language pack, by BCP 47 code."""

    packs: Mapping[str, LanguagePack]

    def __contains__(self, code: object) -> bool:
        return code in self.packs

    def get(self, code: str) -> LanguagePack | None:
        """The pack for ``code``, or for its primary subtag ('pt' for 'pt-BR')."""
        return self.packs.get(code) or self.packs.get(code.split("-")[0])

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.packs))


def load_languages(extra: Path | None = None) -> Languages:
    """Read the bundled language files, then any ``*.yaml`` in ``extra`` (a site's own)."""
    packs: dict[str, LanguagePack] = {}
    bundled = resources.files(__name__)
    for entry in sorted(bundled.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            pack = _parse(entry.read_text(encoding="utf-8"), f"langdata/{entry.name}")
            packs[pack.code] = pack
    if extra is not None and extra.is_dir():
        for path in sorted(extra.glob("*.yaml")):
            pack = _parse(path.read_text(encoding="utf-8"), str(path))
            packs[pack.code] = pack
    return Languages(packs)


def _parse(text: str, source: str) -> LanguagePack:
    try:
        data = yaml.load(text, Loader=FastSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NewsforgeError(f"invalid language file: {exc}", path=source,
                             line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("language"), dict):
        raise NewsforgeError("a language file needs a 'language' block with a code",
                             path=source, line=1)
    head = data["language"]
    code = str(head.get("code", "")).strip()
    if not code:
        raise NewsforgeError("the 'language' block has no 'code'", path=source, line=1)
    sections = {k: v for k, v in data.items() if k != "language" and isinstance(v, dict)}
    return LanguagePack(code, str(head.get("name", code)),
                        str(head.get("native_name", head.get("name", code))), sections, source)
