"""The per-file records of a build that loaded most of the archive are written by a forked
process while the build goes on; ``save`` waits for it, and writes them itself when that
process failed. Read back, they are the records put either way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsforge import cache as cache_module
from newsforge.cache import BuildCache, Entry
from newsforge.model import Problem


def _entries(count: int) -> dict[str, Entry]:
    return {f"content/{n:04d}.txt": Entry(f"key-{n}", Problem(f"content/{n:04d}.txt", n,
                                                               f"problem {n}"))
            for n in range(count)}


def _saved_apart(folder: Path, entries: dict[str, Entry]) -> None:
    cache = BuildCache(folder, "env")
    for path, entry in entries.items():
        cache.put(path, entry)
    cache.save_shards_apart()
    cache.save(0)


def _read_back(folder: Path, paths: list[str]) -> dict[str, Entry | None]:
    cache = BuildCache(folder, "env")
    return {path: cache.entry(path) for path in paths}


def test_records_written_apart_are_read_back(tmp_path: Path) -> None:
    entries = _entries(600)
    _saved_apart(tmp_path, entries)
    assert _read_back(tmp_path, list(entries)) == entries
    assert not list(tmp_path.glob("*.tmp"))


def test_records_a_failed_process_did_not_write_are_written_by_save(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    real_write = cache_module.write_checked

    def failing_apart(path: Path, kind: str, environment: str, value: object) -> None:
        if os.getpid() != here:
            raise OSError(28, "No space left on device")
        real_write(path, kind, environment, value)

    monkeypatch.setattr(cache_module, "write_checked", failing_apart)
    entries = _entries(600)
    _saved_apart(tmp_path, entries)
    assert _read_back(tmp_path, list(entries)) == entries
