"""Full-text search: a Pagefind index of the built pages, made at the end of every build.

Each part of the articles (a year, each month of a big year, parts of the undated:
``Site.search_parts``) has a bundle of its own (``pagefind/shards/<part>/``), merged into
the main one (the other pages: entities above all) by the search page, so that a rebuild
indexes again only the bundles whose pages changed, and no Pagefind run holds a whole
100k-article archive in memory.

Pagefind reads each page's ``<html lang>`` and writes one index per language; the pages
mark what it indexes (``data-pagefind-body``), the filters (``data-pagefind-filter``: kind,
language, year, source) and what it must skip. The binary comes from the
``pagefind[extended]`` wheel (the extended build segments Chinese, Japanese and Thai text);
nothing is downloaded. Pagefind runs on a scratch tree of hard links to the new pages, so it
never sees a page the build is about to remove, and its bundle is handed back as files for
the build to write like any other.

A browser refuses ``fetch`` and module scripts on ``file://`` pages, so each file the search
reads at run time is also handed back wrapped as a classic script
(``pagefind/offline/<file>.js``); ``static/search.js`` loads those by script tag when the
site is opened from disk.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import cbor2

from newsforge.errors import BuildError
from newsforge.output import Staging

BUNDLE = "pagefind"
OFFLINE = "offline"
"""The bundle's sub-folder of its run-time files wrapped as classic scripts (for file://)."""
# Files the search never reads from disk: Pagefind's own interfaces (the site has its own)
# and its web worker (a page on file:// cannot start one).
_NOT_READ_OFFLINE = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
                     "pagefind-highlight.", "pagefind-worker.")
SEARCH_MARK = b"data-pagefind-body"
"""The attribute by which a page marks what Pagefind indexes."""
# Pagefind's binary files: a gzip stream of this signature and then CBOR.
_SIGNATURE = b"pagefind_dcd"


def executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind[extended]`` wheel."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

        found = Path(get_executable())
    except (ImportError, FileNotFoundError, OSError):
        raise BuildError("the search index needs Pagefind, which is not installed",
                         hint="pip install 'pagefind[extended]', or build with --no-search"
                         ) from None
    return found


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind bundle as built: a digest of the pages it indexes (their paths and
    what Pagefind reads from them, and the Pagefind version) and its files with the
    digests of their bytes."""

    inputs: str
    files: Mapping[str, str]


_MARKED_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\bdata-pagefind-(body|ignore)\b[^>]*>")
_PAGEFIND_TAG = re.compile(rb"<[^>]*\bdata-pagefind-(?:filter|meta|sort)\b[^>]*>[^<]*")
_PAGE_TAG = re.compile(rb"<html\b[^>]*>|<title\b[^>]*>[^<]*")
_VOID = frozenset({b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input",
                   b"link", b"meta", b"source", b"track", b"wbr"})


def search_digest(page: bytes) -> str:
    """A digest of what Pagefind reads from an HTML page: its language and title, every
    filter, meta and sort mark (with the text that follows it), and the marked body (the
    whole page when nothing is marked) without the parts marked to be ignored. Two pages
    with equal digests index alike, so a bundle whose pages changed only elsewhere (an
    entity's timeline, an article's related stories) is not indexed again."""
    hashed = hashlib.blake2b(digest_size=16)
    for found in (*_PAGE_TAG.finditer(page), *_PAGEFIND_TAG.finditer(page)):
        hashed.update(found.group())
    bodies: list[tuple[int, int]] = []
    ignored: list[tuple[int, int]] = []
    for found in _MARKED_TAG.finditer(page):
        start, end = found.start(), _element_end(page, found)
        if found.group(2) == b"body":
            if not bodies or start >= bodies[-1][1]:
                bodies.append((start, end))
        elif (not ignored or start >= ignored[-1][1]) and b"data-pagefind-" not in \
                page[found.end():end].replace(b"data-pagefind-ignore", b""):
            ignored.append((start, end))  # marks inside it would still count: kept
    for start, end in bodies or [(0, len(page))]:
        at = start
        for skip_start, skip_end in ignored:
            if start <= skip_start and skip_end <= end:
                hashed.update(page[at:skip_start])
                at = skip_end
        hashed.update(page[at:end])
    return hashed.hexdigest()


def _element_end(page: bytes, opening: re.Match[bytes]) -> int:
    """Where the element ``opening`` starts ends (after its closing tag; the page's end
    when it is never closed)."""
    name = opening.group(1).lower()
    if name in _VOID or opening.group().endswith(b"/>"):
        return opening.end()
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"\b[^>]*>", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(page, opening.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return len(page)


def index_site(staging: Staging, shards: Mapping[str, Mapping[str, str]],
               known: Mapping[str, Shard]) -> dict[str, Shard]:
    """Index each shard's HTML pages (bundle folder -> page -> digest of what Pagefind
    reads from it, the pages written to ``staging``) into its bundle folder, and write
    the bundles to ``staging``.

    A shard whose pages read the same as when ``known`` was built keeps its bundle from
    that build; the others are indexed again. The shards as built."""
    version = _pagefind_version()
    built: dict[str, Shard] = {}
    for folder in sorted(shards):
        pages = shards[folder]
        hashed = hashlib.blake2b(version.encode(), digest_size=16)
        for page in sorted(pages):
            hashed.update(f"\0{page}\0{pages[page]}".encode())
        inputs = hashed.hexdigest()
        before = known.get(folder)
        if before is not None and before.inputs == inputs and all(
                staging.can_keep(path, hexdigest) for path, hexdigest in before.files.items()):
            for path, hexdigest in before.files.items():
                if not staging.keep(path, hexdigest):
                    raise BuildError(f"cannot reuse the search index file {path}",
                                     path=staging.output,
                                     hint="delete the output folder and build again")
            built[folder] = before
            continue
        files: dict[str, str] = {}
        for path, data in _index_pages(staging.root, sorted(pages), folder):
            staging.write(path, data)
            files[path] = staging.digest_of(path) or ""
        built[folder] = Shard(inputs, files)
    return built


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        return "unknown"


def _index_pages(root: Path, pages: Iterable[str], folder: str
                 ) -> Iterator[tuple[str, bytes]]:
    """Pagefind's bundle for the HTML ``pages`` (paths relative to ``root``), as
    ``(path in the site, bytes)`` in a fixed order, in ``folder`` (the main bundle or a
    shard below it)."""
    program = executable()
    inside = folder.removeprefix(f"{BUNDLE}/")
    with tempfile.TemporaryDirectory(prefix="newsforge-search-") as scratch:
        site, bundle = Path(scratch, "site"), Path(scratch, "bundle")
        site.mkdir()
        for page in pages:
            target = site / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(root / page, target)
            except OSError:  # another file system: a copy does as well
                shutil.copyfile(root / page, target)
        done = subprocess.run([str(program), "--site", str(site), "--output-path", str(bundle),
                               "--silent"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise BuildError(f"Pagefind could not index the site: {' '.join(detail)}",
                             hint="build with --no-search to publish without search, and "
                                  "report this with the message above")
        _settle(bundle)
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            relative, data = path.relative_to(bundle).as_posix(), path.read_bytes()
            yield f"{folder}{relative}", data
            if not relative.startswith(_NOT_READ_OFFLINE):
                name = inside + relative
                yield f"{BUNDLE}/{OFFLINE}/{name}.js", _offline_script(name, data)


def _offline_script(relative: str, data: bytes) -> bytes:
    """One bundle file as a classic script handing its bytes to ``static/search.js``."""
    payload = base64.b64encode(data).decode("ascii")
    return f"newsforgeSearchFile({json.dumps(relative)},\"{payload}\");\n".encode("ascii")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise BuildError(f"unexpected Pagefind file {path.name}",
                         hint="build with --no-search, and report this with your Pagefind version")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write(folder: Path, name: str, suffix: str, width: int, value: Any) -> str:
    """Write ``value`` as a Pagefind file named by its content; the new name."""
    data = _SIGNATURE + cbor2.dumps(value)
    hashed = f"{name}_{hashlib.blake2b(data, digest_size=8).hexdigest()[:width]}"
    (folder / f"{hashed}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return hashed


def _settle(bundle: Path) -> None:
    """Make Pagefind's output the same for the same pages.

    Pagefind lists the values of a filter, the filters of a language and the languages in
    hash-map order, which changes from run to run (and so do the names made from the file
    contents). The lists are sorted here and the files renamed by their new contents: the
    index, the fragments and every name the search script follows stay consistent."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, about in entry["languages"].items():
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for filter_name, hashed in meta[3]:
            filter_path = bundle / "filter" / f"{hashed}.pf_filter"
            name, values = _read(filter_path)
            filter_path.unlink()
            filters.append([filter_name, _write(bundle / "filter", language, ".pf_filter", 7,
                                                [name, sorted(values, key=lambda v: v[0])])])
        meta[3] = sorted(filters)
        meta_path.unlink()
        about["hash"] = _write(bundle, f"pagefind.{language}", ".pf_meta", 10,
                               meta).removeprefix("pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          "utf-8")
