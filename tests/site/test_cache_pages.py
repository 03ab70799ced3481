"""The last build's pages are kept whole, or as a later build's few changes to them: read
back either way, they are the pages that build recorded, and a change file made against
pages that were since replaced is never applied."""

from __future__ import annotations

from pathlib import Path

from newsforge.cache import BuildCache, LastBuild, LastPages, PageRecord


def _pages(count: int, manifest: str, changed: range = range(0), gone: range = range(0)
           ) -> LastPages:
    """``count`` pages, those in ``changed`` with other digests, those in ``gone`` left out."""
    records = {f"p/{n}/index.html": PageRecord(
        f"in-{n}{'-new' if n in changed else ''}", f"out-{n}{'-new' if n in changed else ''}",
        "", (f"article-{n % 7}",)) for n in range(count) if n not in gone}
    return LastPages(manifest, records, basis="b", shared="s")


def _put(folder: Path, pages: LastPages) -> None:
    """One build: read what the last one left, then keep its own pages."""
    cache = BuildCache(folder, "env")
    cache.last_pages()
    cache.put_last_build(LastBuild("fingerprint", pages.manifest, None), pages)


def _read(folder: Path) -> LastPages | None:
    return BuildCache(folder, "env").last_pages()


def test_a_few_changed_pages_are_written_as_changes(tmp_path: Path) -> None:
    _put(tmp_path, _pages(200, "m1"))
    assert not (tmp_path / "last-pages-delta").exists()
    later = _pages(201, "m2", changed=range(3, 6), gone=range(10, 12))
    _put(tmp_path, later)
    assert (tmp_path / "last-pages-delta").is_file()
    assert (tmp_path / "last-pages-delta").stat().st_size < \
        (tmp_path / "last-pages").stat().st_size / 10
    assert _read(tmp_path) == later
    # The next build's changes are counted from the same whole pages, not from the last.
    latest = _pages(200, "m3", changed=range(7, 9))
    _put(tmp_path, latest)
    assert _read(tmp_path) == latest


def test_many_changed_pages_are_written_whole(tmp_path: Path) -> None:
    _put(tmp_path, _pages(200, "m1"))
    _put(tmp_path, _pages(200, "m2", changed=range(3, 5)))
    assert (tmp_path / "last-pages-delta").is_file()
    rewritten = _pages(200, "m3", changed=range(0, 100))
    _put(tmp_path, rewritten)
    assert not (tmp_path / "last-pages-delta").exists()
    assert _read(tmp_path) == rewritten


def test_changes_made_against_replaced_pages_are_not_applied(tmp_path: Path) -> None:
    _put(tmp_path, _pages(200, "m1"))
    _put(tmp_path, _pages(200, "m2", changed=range(3, 5)))
    stale = (tmp_path / "last-pages-delta").read_bytes()
    whole = _pages(200, "m3", changed=range(0, 100))
    _put(tmp_path, whole)
    # As if a build had replaced the pages and then died before removing the old changes.
    (tmp_path / "last-pages-delta").write_bytes(stale)
    assert _read(tmp_path) == whole


def test_a_damaged_change_file_gives_the_older_pages_and_a_note(tmp_path: Path) -> None:
    first = _pages(200, "m1")
    _put(tmp_path, first)
    _put(tmp_path, _pages(200, "m2", changed=range(3, 5)))
    delta = tmp_path / "last-pages-delta"
    delta.write_bytes(delta.read_bytes()[:-5] + b"XXXXX")
    cache = BuildCache(tmp_path, "env")
    # They describe another output (their manifest is the older one's): the build that
    # reads them renders every page again.
    assert cache.last_pages() == first
    assert any("last-pages-delta" in note and "damaged" in note for note in cache.notes)
