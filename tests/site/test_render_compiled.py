"""Templates compiled by one build are reused by the next, and never when damaged or made
by other code."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from newsforge.render import CompiledTemplates

_SOURCE = "<p>{{ name }} reported from {{ place }}</p>"


class _Counting(jinja2.Environment):
    compiled = 0

    def compile(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        type(self).compiled += 1
        return super().compile(*args, **kwargs)


def _render(folder: Path, code: str) -> str:
    env = _Counting(loader=jinja2.DictLoader({"page.html": _SOURCE}), autoescape=True,
                    bytecode_cache=CompiledTemplates(folder, code))
    return env.get_template("page.html").render(name="Nguyễn <Văn> An", place="Huế")


@pytest.fixture(autouse=True)
def _count_from_zero() -> None:
    _Counting.compiled = 0


def test_a_template_is_compiled_once_and_reused(tmp_path: Path) -> None:
    expected = "<p>Nguyễn &lt;Văn&gt; An reported from Huế</p>"
    assert _render(tmp_path, "code-1") == expected
    assert _render(tmp_path, "code-1") == expected
    assert _Counting.compiled == 1
    assert len(list(tmp_path.iterdir())) == 1


def test_other_code_compiles_its_own(tmp_path: Path) -> None:
    _render(tmp_path, "code-1")
    _render(tmp_path, "code-2")
    assert _Counting.compiled == 2
    assert len(list(tmp_path.iterdir())) == 2


def test_a_damaged_file_is_compiled_again(tmp_path: Path) -> None:
    expected = _render(tmp_path, "code-1")
    (kept,) = tmp_path.iterdir()
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0x01
    kept.write_bytes(bytes(data))
    assert _render(tmp_path, "code-1") == expected
    assert _Counting.compiled == 2
    kept.write_bytes(b"")
    assert _render(tmp_path, "code-1") == expected
    assert _Counting.compiled == 3


def test_an_unwritable_folder_only_costs_the_compiling(tmp_path: Path) -> None:
    blocked = tmp_path / "file-in-the-way"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _render(blocked, "code-1") == _render(blocked, "code-1")
    assert _Counting.compiled == 2
