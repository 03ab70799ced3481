from __future__ import annotations

from pathlib import Path

import pytest

from newsforge.config import load_config
from newsforge.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsforge.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(root=tmp_path)
    assert config.content == tmp_path.resolve() / "seeds"
    assert config.output == tmp_path.resolve() / "build"
    assert config.languages == ("en", "vi", "sv")
    assert config.base_path == "/"


def test_values_are_read_and_paths_resolved(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, (
        "title: Mekong Archive\ncontent: articles\nbase_url: https://example.org/archive\n"
        "languages: [vi, en]\nper_page: 50\n")))
    assert config.title == "Mekong Archive"
    assert config.content == tmp_path.resolve() / "articles"
    assert config.languages == ("vi", "en")
    assert config.default_language == "vi"
    assert config.per_page == 50
    assert config.base_path == "/archive/"


def test_unknown_keys_and_wrong_types_are_all_reported_with_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, "title: ok\ncontnet: seeds\nper_page: many\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert caught.value.line == 2
    assert "line 2: unknown key 'contnet'" in message
    assert "line 3: 'per_page' must be a whole number" in message


def test_broken_yaml_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, "title: ok\nlanguages: [en, vi\n"))
    assert caught.value.line is not None and caught.value.line >= 2
    assert "invalid YAML" in caught.value.message


def test_language_codes_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a BCP 47 language code"):
        load_config(_write(tmp_path, "languages: [English]\n"))
    with pytest.raises(ConfigError, match="is not one of languages"):
        load_config(_write(tmp_path, "languages: [en]\ndefault_language: sv\n"))


def test_missing_file_given_explicitly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
