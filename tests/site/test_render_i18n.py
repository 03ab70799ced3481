"""Interface strings per language, html lang/hreflang, Babel dates and collation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pyuca  # type: ignore[import-untyped]
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sitekit import REPO, article, article_text, entity, mentions

from newsforge import urls
from newsforge.config import Config, default_config
from newsforge.model import Published, Tagging
from newsforge.render import Collator, render_mapping
from newsforge.render.collation import _root_collation
from newsforge.site import assemble
from newsforge.theme import Theme, load_theme


def test_every_language_file_has_every_english_key() -> None:
    folder = REPO / "templates" / "i18n"
    english = set(yaml.safe_load((folder / "en.yaml").read_text("utf-8"))["strings"])
    files = sorted(folder.glob("*.yaml"))
    assert {f.stem for f in files} >= {"en", "vi", "sv"}
    for path in files:
        data = yaml.safe_load(path.read_text("utf-8"))
        assert set(data["strings"]) == english, path.name
        assert data["alphabet"].split(), path.name


def test_swedish_and_vietnamese_collation() -> None:
    theme_alphabets = {code: ui.alphabet for code, ui in
                       load_theme_default().ui.items()}
    swedish = Collator(theme_alphabets["sv"])
    names = ["Örjan", "Zelda", "Åsa", "Anders", "Ängel", "Émile", "Wilma", "Viktor"]
    assert sorted(names, key=swedish.key) == [
        "Anders", "Émile", "Viktor", "Wilma", "Zelda", "Åsa", "Ängel", "Örjan"]
    vietnamese = Collator(theme_alphabets["vi"])
    names = ["Đinh", "Dương", "Ánh", "Âu", "Ân", "An", "Ấn", "Ơn", "Ông", "Ô"]
    assert sorted(names, key=vietnamese.key) == [
        "An", "Ánh", "Ân", "Ấn", "Âu", "Dương", "Đinh", "Ô", "Ông", "Ơn"]
    assert vietnamese.initial("Đinh") == "Đ" and Collator(theme_alphabets["en"]).initial(
        "Đinh") == "D"
    english = Collator(theme_alphabets["en"])
    assert sorted(["Ömer", "Oscar", "Zoe"], key=english.key) == ["Ömer", "Oscar", "Zoe"]


def load_theme_default() -> Theme:
    """The default theme alone (a site folder without overrides)."""
    return load_theme(default_config(Path("/nonexistent-site")))


def test_pages_carry_their_language(site_config: Callable[..., Config]) -> None:
    config = site_config()
    en = article("en-a", "en", title="Meeting", day=dt.date(2025, 12, 2))
    vi = dataclasses.replace(
        article("vi-a", "vi", title="Cuộc họp"),
        published=Published(dt.date(2025, 12, 2),
                            dt.time(10, 57, tzinfo=dt.timezone(dt.timedelta(hours=7)))))
    sv = article("sv-a", "sv", title="Mötet", day=dt.date(2025, 12, 3))
    people = ("p1", "p2", "p3")
    tagging = Tagging(tuple(entity(p) for p in people),
                      tuple(m for aid in ("en-a", "vi-a", "sv-a") for m in mentions(aid, *people)))
    site = assemble([en, vi, sv], tagging, config)
    files = render_mapping(site, load_theme(config), config)
    vi_page = article_text(files, "vi/articles/vi-a/index.html")
    assert '<html lang="vi">' in vi_page
    assert "2 tháng 12, 2025 · 10:57 UTC+07:00" in vi_page
    assert "Cùng sự kiện bằng ngôn ngữ khác" in vi_page
    hreflangs = re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"', vi_page)
    url = {aid: urls.absolute("/", site.article_folder(aid)) for aid in ("en-a", "sv-a", "vi-a")}
    assert hreflangs == [("en", url["en-a"]), ("sv", url["sv-a"]),
                         ("vi", url["vi-a"]), ("x-default", url["en-a"])]
    sv_page = article_text(files, "sv/articles/sv-a/index.html")
    assert '<html lang="sv">' in sv_page and "3 december 2025" in sv_page
    assert '<html lang="en">' in files["index.html"].decode()
    assert "Artiklar på svenska" in files["sv/index.html"].decode()
    month = files["archive/2025/12/index.html"].decode()
    assert "December 2025" in month
    sitemap = files["sitemap-vi.xml"].decode()
    assert f'hreflang="vi" href="{url["vi-a"]}"' in sitemap


def test_names_in_any_script_sort_by_the_unicode_collation_algorithm() -> None:
    root = Collator(())  # a language without an interface file has no alphabet of its own
    # Cyrillic: 'Ё' is 'Е' with an accent, not a letter after 'Я'.
    names = ["Яковлев", "Ёлкин", "Жуков", "Егоров", "Андреев"]
    assert sorted(names, key=root.key) == ["Андреев", "Егоров", "Ёлкин", "Жуков", "Яковлев"]
    assert root.initial("Ёлкин") == "Е"
    # Thai: a leading vowel sign sorts after the consonant it is written before.
    names = ["เสนาะ", "กมล", "ไชยา", "สมชาย"]
    assert sorted(names, key=root.key) == ["กมล", "ไชยา", "สมชาย", "เสนาะ"]
    assert root.initial("ไชยา") == "ช"
    # Kana: katakana and hiragana, voiced or not, file under one row letter.
    names = ["さとう", "ガルシア", "かとう"]
    assert sorted(names, key=root.key) == ["かとう", "ガルシア", "さとう"]
    assert root.initial("ガルシア") == "か"
    # Latin accents are secondary; digits and signs file under '#'.
    assert sorted(["Émile", "Eva", "Ebba"], key=root.key) == ["Ebba", "Émile", "Eva"]
    assert root.initial("Émile") == "E" and root.initial("1975 Summit") == "#"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
               max_size=12))
@settings(max_examples=300, deadline=None)
def test_the_table_read_as_needed_gives_pyuca_s_keys(text: str) -> None:
    """The root order reads pyuca's table one first character at a time: the keys are
    those of the table read whole."""
    normalized = unicodedata.normalize("NFD", text)
    assert _root_collation().sort_key(normalized) == _PYUCA.sort_key(normalized)


_PYUCA = pyuca.collator.Collator_10_0_0()
