"""The prepared language model kept between processes: read back, it identifies exactly as
the model prepared afresh; a damaged copy is never used, and is replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsforge.loader import langmodel
from newsforge.loader.detect import LanguageDetector
from newsforge.loader.langmodel import _Prepared

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = [
    *(path.read_text(encoding="utf-8")[:700] for path in sorted(FIXTURES.rglob("*.txt"))),
    "Bộ trưởng nói rằng dự án sẽ hoàn thành trước mùa mưa năm sau.",
    "Kommunen räknar med att den nya bron öppnar för trafik i början av hösten.",
    "ພັກປະຊາຊົນປະຕິວັດລາວ ແລະ ພັກກອມມູນິດຫວຽດນາມ", "", "1234 5678",
]


def _answers(detector: LanguageDetector) -> list[object]:
    return [(detector.detect(text), detector._identifier.rank(text)[:5]) for text in TEXTS]


@pytest.fixture(scope="module")
def fresh() -> list[object]:
    return _answers(LanguageDetector())


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the prepared model (written by the first detector)."""
    folder = tmp_path_factory.mktemp("model-cache")
    LanguageDetector(folder)
    return folder


def _small() -> _Prepared:
    """Arrays shaped like the model's, small enough to damage cheaply."""
    return _Prepared({"ptc": np.arange(12, dtype=np.float32).reshape(4, 3),
                      "pc": np.ones(3, dtype=np.float32),
                      "nextmove": np.arange(512, dtype=np.uint32),
                      "row": np.zeros(2, dtype=np.int64),
                      "output": np.array([-1, 0, 2, 3], dtype=np.int64)}, ["en", "sv", "vi"])


def _same(read: _Prepared | None, written: _Prepared) -> bool:
    return read is not None and read.classes == written.classes and all(
        np.array_equal(read.arrays[name], written.arrays[name]) for name in written.arrays)


def test_the_kept_model_answers_as_a_fresh_one(kept: Path, fresh: list[object]) -> None:
    assert len(TEXTS) > 10
    assert _answers(LanguageDetector(kept)) == fresh
    (prepared,) = kept.glob("langid-*")
    assert {p.name for p in prepared.iterdir()} == {
        "checksums.json", "ptc.npy", "pc.npy", "nextmove.npy", "row.npy", "output.npy"}


@pytest.mark.parametrize("damage", ["flipped", "truncated", "missing", "listing"])
def test_a_damaged_copy_is_not_read_and_is_replaced(tmp_path: Path, damage: str) -> None:
    folder, written = tmp_path / "langid-test", _small()
    langmodel._write(folder, written)
    assert _same(langmodel._read(folder), written)
    weights = folder / "ptc.npy"
    data = bytearray(weights.read_bytes())
    if damage == "flipped":  # a weight changes but the file still loads
        data[-5] ^= 0x40
        weights.write_bytes(bytes(data))
    elif damage == "truncated":
        weights.write_bytes(bytes(data[: len(data) - 8]))
    elif damage == "missing":
        (folder / "nextmove.npy").unlink()
    else:
        (folder / "checksums.json").write_text("{not json", encoding="utf-8")
    assert langmodel._read(folder) is None
    langmodel._write(folder, written)
    assert _same(langmodel._read(folder), written)
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder belongs", encoding="utf-8")
    langmodel._write(blocked / "langid-test", _small())
    assert blocked.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]


def test_copies_of_other_versions_are_removed(tmp_path: Path) -> None:
    older, current = tmp_path / "langid-older", tmp_path / "langid-current"
    langmodel._write(older, _small())
    (tmp_path / "unrelated").mkdir()
    langmodel._write(current, _small())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["langid-current", "unrelated"]


def test_copies_left_half_written_by_stopped_writers_are_removed(tmp_path: Path) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           check=True, capture_output=True, text=True)
    abandoned = tmp_path / f"langid-current.{int(ended.stdout)}.tmp"
    running = tmp_path / f"langid-current.{os.getppid()}.tmp"  # still running
    for spare in (abandoned, running):
        spare.mkdir()
        (spare / "ptc.npy").write_bytes(b"half")
    langmodel._write(tmp_path / "langid-current", _small())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["langid-current", running.name]
