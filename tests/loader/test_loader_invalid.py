"""Every file in invalid/ fails alone, with a message naming its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from newsforge.config import Config, replace
from newsforge.errors import LoadError
from newsforge.langdata import Languages
from newsforge.loader import LoadContext, load_file, load_tree
from newsforge.loader.read import MAX_BYTES

INVALID = Path(__file__).parent / "invalid"

EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((INVALID / "expected.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_gives_one_clear_error(name: str, load_context: LoadContext) -> None:
    expected = EXPECTED[name]
    with pytest.raises(LoadError) as caught:
        load_file(INVALID / name, INVALID, load_context)
    error = caught.value
    assert Path(error.path or "").name == expected.get("path", name)
    assert error.line == expected["line"]
    assert expected["message"] in error.message
    assert error.hint, "every problem tells the user what to do"
    assert str(error).startswith(f"{error.path}:")


def test_every_invalid_file_is_listed() -> None:
    on_disk = {p.name for p in INVALID.iterdir() if p.suffix in (".txt", ".md")}
    assert on_disk == set(EXPECTED)


def test_bad_files_do_not_stop_the_others(tmp_path: Path, site_config: Config,
                                          languages: Languages) -> None:
    for path in INVALID.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "good.txt").write_text(
        "HANOI – The city opened a new metro line on Sunday, the transport department said.\n",
        encoding="utf-8")
    result = load_tree(replace(site_config, content=tmp_path), languages)
    assert [a.id for a in result.articles] == ["good"]
    errors = {Path(p.path).name for p in result.problems if p.severity == "error"}
    assert errors == {EXPECTED[n].get("path", n) for n in EXPECTED}


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path,
                                                      load_context: LoadContext) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert big.stat().st_size > MAX_BYTES
    with pytest.raises(LoadError, match="over the 10 MB limit"):
        load_file(big, tmp_path, load_context)
