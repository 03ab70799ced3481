"""Per-file records are kept in shards by path; loading writes a shard as soon as its last
file is in, and ``save`` writes the others. Read back, they are the records put."""

from __future__ import annotations

from pathlib import Path

from newsforge.cache import BuildCache, Entry
from newsforge.model import Problem


def _entries(count: int) -> dict[str, Entry]:
    return {f"content/{n:04d}.txt": Entry(f"key-{n}", Problem(f"content/{n:04d}.txt", n,
                                                               f"problem {n}"))
            for n in range(count)}


def _read_back(folder: Path, paths: list[str]) -> dict[str, Entry | None]:
    cache = BuildCache(folder, "env")
    return {path: cache.entry(path) for path in paths}


def test_a_shard_saved_early_is_read_back_and_not_written_again(tmp_path: Path) -> None:
    entries = _entries(300)
    cache = BuildCache(tmp_path, "env")
    for path, entry in entries.items():
        cache.put(path, entry)
    first = cache.shard_of("content/0000.txt")
    cache.save_shard(first)
    shard_file = tmp_path / f"articles-{first:03d}"
    early = shard_file.stat().st_mtime_ns
    in_first = [path for path in entries if cache.shard_of(path) == first]
    assert _read_back(tmp_path, in_first) == {path: entries[path] for path in in_first}
    cache.save(0)
    assert shard_file.stat().st_mtime_ns == early
    assert _read_back(tmp_path, list(entries)) == entries


def test_a_cache_not_in_use_writes_no_shard_early(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, "env", read=False)
    cache.put("content/a.txt", Entry("key", Problem("content/a.txt", 1, "problem")))
    cache.save_shard(cache.shard_of("content/a.txt"))
    assert not list(tmp_path.iterdir())
