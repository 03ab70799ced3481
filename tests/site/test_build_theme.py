"""A site's templates/ and static/ override the default theme file by file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsforge.build import build_site
from newsforge.config import Config
from newsforge.theme import default_theme_dir, load_theme


def test_site_files_override_the_theme_file_by_file(site_config: Callable[..., Config],
                                                    tmp_path: Path) -> None:
    (tmp_path / "static" / "img").mkdir(parents=True)
    (tmp_path / "static" / "style.css").write_text("body { color: red; }\n", encoding="utf-8")
    (tmp_path / "static" / "img" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "static" / ".DS_Store").write_bytes(b"junk")
    (tmp_path / "templates" / "i18n").mkdir(parents=True)
    (tmp_path / "templates" / "i18n" / "en.yaml").write_text(
        "strings:\n  archive: Back issues\n", encoding="utf-8")
    config = site_config()
    assert build_site(config).ok
    out = config.output
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body { color: red; }\n"
    assert (out / "static" / "img" / "logo.svg").is_file()
    assert not (out / "static" / ".DS_Store").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert ">Back issues<" in home and ">People<" in home
    # Swedish keeps its own word: an English override changes English only.
    assert ">Arkiv<" in (out / "sv" / "index.html").read_text(encoding="utf-8")


def test_the_default_theme_is_found_and_lists_its_languages(
        site_config: Callable[..., Config]) -> None:
    assert (default_theme_dir() / "templates" / "base.html").is_file()
    theme = load_theme(site_config())
    assert {"en", "vi", "sv"} <= set(theme.ui)
    assert theme.ui["vi"].native_name == "Tiếng Việt"
