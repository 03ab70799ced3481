"""The persistent build cache: ``.newsforge-cache/`` at the site root.

It keeps, from one build to the next:

- ``stamps``: every input file's size, mtime and digest of its bytes, so an unchanged
  file is not read again (a file whose size or mtime changed, or that changed too close
  to the last build to trust its mtime, is read and hashed: the digest decides);
- ``articles-NNN``: per content file (in 128 shards by path), the loaded Article (or its
  Problem) and the mentions extracted from it, each under a key made of everything that
  produced it (the file's and its sidecar's bytes, the archive's page furniture, the
  configuration the loader reads, the tagger's curated names, the code and language data);
- ``furniture``: each raw-text file's lines that could be page furniture, by the digest
  of its bytes, so that the archive's furniture is counted again without reading every
  file when one changed;
- ``last-build``: the fingerprint of every input of the last published build, the
  digest of the output it published and its report, for the no-change fast path;
- ``last-pages``: each page's input and output digests in that output, and which
  articles it reads, so that unchanged pages are not rendered again; a later build that
  changed few pages writes only those, to ``last-pages-delta``;
- ``analysis``: the Site of the last build that analysed the whole archive, with what it
  was made from, so that a rebuild after edits that leave every article's metadata and
  mentions as they were patches it instead of tagging and assembling the archive again.

Every file starts with a header (format, kind, environment, length, checksum) and is
written to a temporary name and renamed, so a cache that is damaged, written by another
newsforge or for other language data is detected and rebuilt, never trusted. The
payload is a pickle of our own frozen records, read only after its checksum matched.
Stages stay pure: analysis.py and build.py ask this module what it already knows and
tell it what it learned.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from newsforge.model import Article, Problem, quick_pickle

if TYPE_CHECKING:  # a no-change rebuild reads this module, and need not load the others
    from newsforge.site import PackedTexts, Site
    from newsforge.tagger.extract import ArticleMentions

CACHE_DIR = ".newsforge-cache"
FORMAT = 3
_MAGIC = "newsforge-cache"
# An edit reads and writes the shard of each changed file: small shards keep that cheap
# (at 10k articles, a sixteenth of the archive took a third of a second).
_SHARDS = 128
# An mtime this close to the moment the stamps were taken could still change without
# changing again (coarse file-system clocks): such files are read and hashed.
_RACY_NS = 2_000_000_000
# Room in a cache file's first line for its kind, environment, length and checksum.
_HEADER_WIDTH = 200
# The pages of a build are written as changes to the last ones while they change fewer
# than one in this many.
_DELTA_SHARE = 10


def digest(*parts: str | bytes) -> str:
    """A digest of ``parts`` (text or bytes), each delimited."""
    hashed = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "little"))
        hashed.update(data)
    return hashed.hexdigest()


@quick_pickle
@dataclass(frozen=True, slots=True)
class Stamp:
    """What was known of one input file: its size and mtime, and the digest of its bytes."""

    size: int
    mtime_ns: int
    digest: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Entry:
    """One content file as the loader and the extractor left it."""

    key: str
    """Digest of everything loading read: file and sidecar bytes, furniture, settings."""
    outcome: Article | Problem
    extraction: str = ""
    """Digest of what extraction read besides the article (curated names, language data)."""
    mentions: ArticleMentions | None = None
    shape: str = ""
    """Digest of everything the analysis reads of the article: what ``assemble`` reads of
    it and what resolution reads of its mentions ('' until they are known)."""


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page of the last published build."""

    inputs: str
    """The digest of what the page was made from (``Renderer.input_digest``)."""
    output: str
    """The digest of its bytes, as in the output's manifest."""
    search: str
    """For a page that marks content for the search index, the digest of what the index
    reads from it (``search.search_digest``); '' for the others."""
    reads: tuple[str, ...] = ()
    """The ids of the articles whose records the page reads (its input digest covers
    them): when only some articles were retouched, the pages to look at again."""


@dataclass(frozen=True, slots=True)
class LastBuild:
    """The last published build: its inputs' fingerprint, its output's manifest digest and
    its report (a pickled BuildFinished, replayed when nothing changed). Small, so that a
    rebuild with nothing to do reads only this."""

    fingerprint: str
    manifest: str
    report: Any


@dataclass(frozen=True, slots=True)
class LastPages:
    """The pages of the last published build (whose manifest digest is ``manifest``): per
    page the digest of its inputs and of its bytes (a page whose inputs are unchanged is
    taken from that output instead of being rendered again)."""

    manifest: str
    pages: Mapping[str, PageRecord] = field(default_factory=dict)
    search: Mapping[str, Any] = field(default_factory=dict)
    """Search bundle folder -> its ``search.Shard`` (kept when its pages are unchanged)."""
    basis: str = ""
    """The cached analysis the pages were made from (``Snapshot.id``), or patched from."""
    patched: frozenset[str] = frozenset()
    """The articles retouched since that analysis (``Analysis.patched``)."""
    shared: str = ""
    """The digest of what every page reads (``Renderer.shared_digest``)."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as rows of plain tuples: twice as fast both ways as one object per page
        # (a rebuild reads and writes this whole, 55k pages at 10k articles).
        rows = tuple((path, r.inputs, r.output, r.search, r.reads)
                     for path, r in self.pages.items())
        return _last_pages, (self.manifest, rows, self.search, self.basis, self.patched,
                             self.shared)


def _last_pages(manifest: str, rows: tuple[tuple[str, str, str, str, tuple[str, ...]], ...],
                search: Mapping[str, Any], basis: str, patched: frozenset[str], shared: str
                ) -> LastPages:
    return LastPages(manifest, {path: PageRecord(inputs, output, searched, reads)
                                for path, inputs, output, searched, reads in rows},
                     search, basis, patched, shared)


@dataclass(frozen=True, slots=True)
class _PagesDelta:
    """The pages of a later build, written as its changes to the ``last-pages`` file whose
    token is ``base``: an edit changes a few dozen of 55k pages, and writing them all again
    took a third of a second."""

    base: str
    pages: LastPages
    """The later build's record, holding only the pages that differ from the base's."""
    removed: tuple[str, ...]
    """The base's pages that the later build no longer has."""

    def applied_to(self, base: LastPages) -> LastPages:
        pages = dict(base.pages)
        for path in self.removed:
            pages.pop(path, None)
        pages.update(self.pages.pages)
        return replace(self.pages, pages=pages)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The last analysis of the whole archive and what it was made from: the content
    files' keys (``Entry.key``) and, per file, the digest of everything the analysis
    reads of it (``Entry.shape``: not its text, source or author). A rebuild whose
    changed files all keep their shape can take this Site with those articles retouched
    (``site.with_retouched``)."""

    settings: str
    """Digest of everything else the analysis read (configuration, curation, rules)."""
    keys: Mapping[str, str]
    shapes: Mapping[str, str]
    site: Site
    """The Site, whole as the analysis made it, or as the cache keeps it (``packed``)."""
    problems: tuple[Problem, ...]
    left_out: tuple[str, ...]
    id: str = ""
    """A digest of ``settings`` and ``keys``: which analysis this is."""
    texts: PackedTexts | None = None
    """When packed: the texts of the Site's articles, which it holds bare."""

    @classmethod
    def of(cls, settings: str, keys: Mapping[str, str], shapes: Mapping[str, str],
           site: Site, problems: tuple[Problem, ...], left_out: tuple[str, ...]
           ) -> Snapshot:
        return cls(settings, keys, shapes, site, problems, left_out,
                   digest(settings, *(f"{path}\0{key}" for path, key in sorted(keys.items()))))

    def packed(self) -> Snapshot:
        """The snapshot as the cache keeps it: the articles bare, their texts packed
        apart (``site.PackedTexts``), so that a rebuild unpacks only the few it shows.
        Packed when written, once the build's other records are let go: at 100k
        articles the packed texts are half a GB."""
        if self.texts is not None:
            return self
        from newsforge.site import PackedTexts, without_texts

        return replace(self, site=without_texts(self.site),
                       texts=PackedTexts.of(self.site.articles))


def _header(kind: str, environment: str, length: int, checksum: str) -> bytes:
    """The first line of a cache file, padded to a fixed width so that it can be written
    once the payload it describes has been streamed after it."""
    line = f"{_MAGIC} {FORMAT} {kind} {environment} {length} {checksum}".encode()
    return line.ljust(max(_HEADER_WIDTH, len(line))) + b"\n"


class _Hashing:
    """A binary file that also checksums and counts what is written to it. CRC-32, as zip
    and PNG check theirs: it catches a damaged or cut file, and reads at memory speed
    (a cryptographic digest of the 60 MB analysis of 10k articles took a tenth of a
    second of every rebuild)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.checksum = 0
        self.length = 0

    def write(self, data: bytes) -> int:
        self.checksum = zlib.crc32(data, self.checksum)
        self.length += len(data)
        return self.stream.write(data)


def _checksum(value: int) -> str:
    return f"{value:08x}"


def write_checked(path: Path, kind: str, environment: str, value: object) -> None:
    """Write ``value`` under a header, atomically (temporary name, then rename). The pickle
    is streamed to the file: at 100k articles a payload is hundreds of MB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    placeholder = _header(kind, environment, 0, "")
    with open(scratch, "wb") as stream:
        stream.write(placeholder)
        hashing = _Hashing(stream)
        pickle.dump(value, hashing, protocol=pickle.HIGHEST_PROTOCOL)
        header = _header(kind, environment, hashing.length, _checksum(hashing.checksum))
        if len(header) != len(placeholder):  # an environment too long for the width
            raise OSError(f"cache header too long for {path.name}")
        stream.seek(0)
        stream.write(header)
    os.replace(scratch, path)


def read_checked(path: Path, kind: str, environment: str) -> tuple[Any, str | None]:
    """(value, None), or (None, why it cannot be trusted); a missing file is (None, None)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"unreadable ({error.strerror or error})"
    end = data.find(b"\n")
    # A view, not a copy, of what follows the header: payloads are hundreds of MB at 100k.
    head, payload = data[:max(end, 0)], memoryview(data)[end + 1:]
    fields = head.decode("ascii", "replace").rstrip(" ").split(" ")
    if end < 0 or len(fields) != 6 or fields[0] != _MAGIC:
        return None, "damaged (no header)"
    if fields[1] != str(FORMAT) or fields[2] != kind:
        return None, f"of another format ({fields[1]} {fields[2]})"
    if fields[3] != environment:
        return None, "made by another newsforge version or for other language data"
    if fields[4] != str(len(payload)) or \
            fields[5] != _checksum(zlib.crc32(payload)):
        return None, "damaged (checksum mismatch)"
    try:
        return pickle.loads(payload), None
    except Exception as error:  # a checksum-valid payload that still fails: say so
        return None, f"damaged ({type(error).__name__})"


def scan(folders: Iterable[Path], skip: Iterable[Path] = ()
         ) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every regular file under ``folders`` (hidden ones included), except
    under the folders in ``skip``."""
    pending = [str(folder) for folder in folders if folder.is_dir()]
    skipped = {str(folder) for folder in skip}
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                if entry.path not in skipped:
                    pending.append(entry.path)
            elif entry.is_file(follow_symlinks=True):
                try:
                    yield entry.path, entry.stat()
                except OSError:
                    continue


class BuildCache:
    """The cache folder of one site, read once per build and written back where it changed.

    ``environment`` names the code and language data; every file made for another is
    ignored. ``notes`` says what was found unusable (and is being rebuilt)."""

    def __init__(self, folder: Path, environment: str, *, read: bool = True) -> None:
        self.folder = folder
        self.environment = environment
        self.reading = read
        self.notes: list[str] = []
        taken, stamps = (self._read("stamps") if read else None) or (0, {})
        self._stamps: dict[str, Stamp] = stamps
        self._stamps_taken: int = taken
        self._new_stamps: dict[str, Stamp] = {}
        self._shards: list[dict[str, Entry] | None] | None = None
        self._dirty: set[int] = set()
        self._furniture: dict[str, frozenset[str]] | None = None
        self._snapshot: Snapshot | None = None
        self._pages_base: tuple[str, LastPages] | None = None
        self.saved_snapshot = ""
        """The id of the analysis ``save`` wrote ('' when it wrote none)."""

    def _read(self, kind: str, name: str | None = None) -> Any:
        if not self.reading:
            return None
        value, problem = read_checked(self.folder / (name or kind), kind, self.environment)
        if problem is not None:
            self.notes.append(f"{name or kind}: {problem}; rebuilt")
        return value

    # -- input files -------------------------------------------------------------------

    def file_digest(self, path: str, info: os.stat_result | None = None) -> str | None:
        """The digest of a file's bytes (None when it does not exist), from its stamp when
        its size and mtime are the stamp's and old enough to trust. A file is looked at
        once per build: later calls give the digest found first (the whole build sees
        one state of each file)."""
        seen = self._new_stamps.get(path)
        if seen is not None:
            return seen.digest
        try:
            info = info or os.stat(path)
        except OSError:
            return None
        known = self._stamps.get(path)
        if (known is not None and known.size == info.st_size
                and known.mtime_ns == info.st_mtime_ns
                and info.st_mtime_ns < self._stamps_taken - _RACY_NS):
            self._new_stamps[path] = known
            return known.digest
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError:
            return None
        stamp = Stamp(info.st_size, info.st_mtime_ns, digest(data))
        self._new_stamps[path] = stamp
        return stamp.digest

    def changed(self, path: str) -> bool:
        """Whether the bytes ``file_digest`` found differ from those of the last build."""
        known, now = self._stamps.get(path), self._new_stamps.get(path)
        return (known.digest if known else None) != (now.digest if now else None)

    def fingerprint(self, files: Iterable[tuple[str, os.stat_result]], *extra: str) -> str:
        """One digest of the given files' paths and bytes and of ``extra``."""
        parts = sorted((path, self.file_digest(path, info) or "") for path, info in files)
        return digest(*extra, *(f"{path}\0{hexdigest}" for path, hexdigest in parts))

    # -- per-file records ----------------------------------------------------------------

    def shard_of(self, path: str) -> int:
        return zlib.crc32(path.encode("utf-8", "surrogateescape")) % _SHARDS

    def _shard(self, number: int) -> dict[str, Entry]:
        """One shard, read when first needed: a rebuild that patches the last analysis
        reads only the shards of the files that changed."""
        if self._shards is None:
            self._shards = [None] * _SHARDS
        shard = self._shards[number]
        if shard is None:
            shard = self._shards[number] = (
                self._read("articles", f"articles-{number:03d}") or {})
        return shard

    def entry(self, path: str) -> Entry | None:
        """What the cache holds for the content file ``path``."""
        return self._shard(self.shard_of(path)).get(path)

    def put(self, path: str, entry: Entry) -> None:
        number = self.shard_of(path)
        shard = self._shard(number)
        if shard.get(path) != entry:
            shard[path] = entry
            self._dirty.add(number)

    def save_shard(self, number: int) -> None:
        """Write one changed shard now that no more changes to it are coming (``save``
        writes the rest). Loading writes each shard as its last file comes back from the
        workers, which then still read: at 100k articles, writing every shard at the end
        took 23 s of one core while the other had nothing to do."""
        if not self.reading or number not in self._dirty:
            return
        try:
            self._write_shards([number])
        except OSError:
            return  # still dirty: ``save`` tries again, and says why it failed
        self._dirty.discard(number)

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget the files no longer in the archive."""
        wanted = set(paths)
        for number in range(_SHARDS):
            shard = self._shard(number)
            gone = [path for path in shard if path not in wanted]
            for path in gone:
                del shard[path]
            if gone:
                self._dirty.add(number)

    # -- archive-wide records ------------------------------------------------------------

    def furniture_candidates(self) -> dict[str, frozenset[str]]:
        """Raw-text file digest -> the file's furniture candidates, as last saved."""
        found = self._read("furniture")
        return found if isinstance(found, dict) else {}

    def put_furniture_candidates(self, candidates: dict[str, frozenset[str]]) -> None:
        self._furniture = candidates

    def last_build(self) -> LastBuild | None:
        found = self._read("last-build")
        return found if isinstance(found, LastBuild) else None

    def last_pages(self) -> LastPages | None:
        found = self._read("last-pages")
        if not (isinstance(found, tuple) and len(found) == 2
                and isinstance(found[1], LastPages)):
            return None
        self._pages_base = found
        token, base = found
        delta = self._read("last-pages-delta")
        # A delta made against another base is stale: that base was replaced since.
        return delta.applied_to(base) if isinstance(delta, _PagesDelta) \
            and delta.base == token else base

    def has_snapshot(self) -> bool:
        """Whether a cached analysis may be there (cheap: it is not read)."""
        return self.reading and (self.folder / "analysis").is_file()

    def snapshot(self) -> Snapshot | None:
        found = self._read("analysis")
        return found if isinstance(found, Snapshot) else None

    def put_snapshot(self, snapshot: Snapshot) -> None:
        """Keep the analysis; it is written by ``save``, after the per-file records."""
        self._snapshot = snapshot

    def put_last_build(self, last: LastBuild, pages: LastPages) -> None:
        """Keep the build's report and pages: the pages as changes to the ones
        ``last_pages`` read when they are few, else whole."""
        # The pages first: a last-build whose pages failed to be written is never read.
        if self._pages_base is not None:
            token, base = self._pages_base
            before = base.pages
            changed = {path: record for path, record in pages.pages.items()
                       if (kept := before.get(path)) is not record and kept != record}
            removed = tuple(path for path in before if path not in pages.pages)
            if len(changed) + len(removed) <= len(before) // _DELTA_SHARE:
                write_checked(self.folder / "last-pages-delta", "last-pages-delta",
                              self.environment,
                              _PagesDelta(token, replace(pages, pages=changed), removed))
                write_checked(self.folder / "last-build", "last-build", self.environment,
                              last)
                return
        # A new token: any delta on disk was made against the pages this replaces.
        write_checked(self.folder / "last-pages", "last-pages", self.environment,
                      (os.urandom(8).hex(), pages))
        (self.folder / "last-pages-delta").unlink(missing_ok=True)
        write_checked(self.folder / "last-build", "last-build", self.environment, last)

    def forget_last_build(self) -> None:
        for name in ("last-build", "last-pages-delta", "last-pages"):
            (self.folder / name).unlink(missing_ok=True)

    # -- writing back --------------------------------------------------------------------

    def _write_shards(self, numbers: Iterable[int]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for number in numbers:
            write_checked(self.folder / f"articles-{number:03d}", "articles",
                          self.environment, self._shard(number))

    def save(self, taken_ns: int) -> None:
        """Write the stamps seen in this build (taken at ``taken_ns``) and the changed
        shards; a failure to write only costs the next build time."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self._shards is not None:
                self._write_shards(sorted(self._dirty))
                self._dirty.clear()
                # What is on disk now is what a later look-up needs; at 100k articles the
                # entries (with each file's unresolved mentions) are hundreds of MB.
                self._shards = None
            if self._furniture is not None:
                write_checked(self.folder / "furniture", "furniture", self.environment,
                              self._furniture)
            write_checked(self.folder / "stamps", "stamps", self.environment,
                          (taken_ns, self._new_stamps))
            # Last, once the records above are no longer held: pickling the Site needs a
            # memo of its every object (half a GB at 100k articles) on top of it.
            if self._snapshot is not None:
                write_checked(self.folder / "analysis", "analysis", self.environment,
                              self._snapshot.packed())
                self.saved_snapshot = self._snapshot.id
                self._snapshot = None
        except OSError as error:
            self.notes.append(f"cannot write the cache: {error.strerror or error}")


def now_ns() -> int:
    """The clock file mtimes are compared with."""
    return time.time_ns()


def article_key(loader: str, furniture: str, path: str, root: str, file_digest: str,
                sidecar_digest: str | None) -> str:
    """The key of one content file's loading: everything ``load_file`` reads."""
    return digest(loader, furniture, path, root, file_digest, sidecar_digest or "-")


def settings_digest(values: Mapping[str, object] | Sequence[object]) -> str:
    """A digest of settings given as plain values (their repr is stable)."""
    return digest(repr(values))
