"""All output goes through here: two full trees, the live ``build/`` and a spare beside it.

The spare (``.newsforge-spare-<name>``, one generation behind) is brought up to the new
state and then exchanged with the output folder in one atomic step (Linux ``renameat2``;
elsewhere two renames), so the old live tree becomes the next build's spare. Each tree
carries a manifest (path -> digest of the bytes), written last: a file whose digest the
spare already has is not written again, a file the live tree already has is hard-linked
from it, a file no longer built is deleted. Nothing is ever deleted wholesale and no file
is written in place (a changed file is unlinked and created anew, so a hard link shared
with the live tree is never modified).

The spare's manifest is removed before the first change and written back, true to what
the spare holds, when a build stops on an error, Ctrl-C or SIGTERM, so the next build
still updates it file by file; a build killed outright (SIGKILL, power loss) leaves a
spare without a manifest, which the next build rewrites in full. The live output is only
ever replaced whole. A marker file tells a folder we built from a folder we must never
touch.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from newsforge.errors import BuildError

MARKER = ".newsforge-build"
MANIFEST = ".newsforge-manifest"
SPARE_PREFIX = ".newsforge-spare-"
_RESERVED = frozenset({MARKER, MANIFEST, f"{MANIFEST}.tmp"})
_MANIFEST_HEAD = b"newsforge-manifest 1\n"
_MARKER_TEXT = b"built by newsforge; safe to delete\n"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_MIRROR_THREADS = 2
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def digest(data: bytes) -> str:
    """The digest a manifest keeps of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def spare_of(output: Path) -> Path:
    """The spare tree kept beside ``output``."""
    return output.parent / f"{SPARE_PREFIX}{output.name}"


def read_manifest(tree: Path) -> dict[str, str] | None:
    """A tree's manifest (path -> digest), or None when it is missing or damaged."""
    body = _manifest_body(tree)
    if body is None:
        return None
    entries: dict[str, str] = {}
    for line in body.decode("utf-8").split("\n")[1:-1]:
        hexdigest, _, path = line.partition(" ")
        entries[path] = hexdigest
    return entries


def manifest_digest(tree: Path) -> str | None:
    """A digest of the tree's manifest when it is whole (None otherwise): equal digests
    mean the tree holds the same files."""
    if not (tree / MARKER).is_file():
        return None
    try:
        data = (tree / MANIFEST).read_bytes()
    except OSError:
        return None
    return digest(data) if _verified_body(data) is not None else None


def _manifest_body(tree: Path) -> bytes | None:
    try:
        return _verified_body((tree / MANIFEST).read_bytes())
    except OSError:
        return None


def _verified_body(data: bytes) -> bytes | None:
    """A manifest's head and entries, when its last line vouches for them (their number
    and digest): checked without parsing the entries, which a rebuild need not read."""
    body, _, last = data.rstrip(b"\n").rpartition(b"\n")
    body += b"\n"
    fields = last.split(b" ")
    if (not body.startswith(_MANIFEST_HEAD) or len(fields) != 3 or fields[0] != b"end"
            or fields[2].decode("ascii", "replace") != digest(body)
            or str(body.count(b"\n") - 1).encode() != fields[1]):
        return None
    return body


def _manifest_bytes(entries: Mapping[str, str]) -> bytes:
    body = _MANIFEST_HEAD + "".join(f"{entries[path]} {path}\n"
                                    for path in sorted(entries)).encode("utf-8")
    return body + f"end {len(entries)} {digest(body)}\n".encode("ascii")


def _write_manifest(tree: Path, entries: Mapping[str, str]) -> None:
    scratch = tree / f"{MANIFEST}.tmp"
    scratch.write_bytes(_manifest_bytes(entries))
    os.replace(scratch, tree / MANIFEST)


class Staging:
    """The next output tree; use as a context manager and call ``commit`` to publish.

    ``files`` counts the files of the new tree, ``written`` those whose bytes had to be
    written (the others the spare already held, or were linked from the live tree)."""

    def __init__(self, output: Path, protected: tuple[Path, ...] = (), *,
                 twin: bool = False) -> None:
        """``twin``: when there is no output yet, also link every file written into a
        second tree, which becomes the spare at ``commit`` (see ``_link_twin``)."""
        self.output = output.resolve()
        _check_target(self.output, protected)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.root = spare_of(self.output)
        _recover(self.output, self.root)
        self.files = 0
        self.written = 0
        self._committed = False
        self._live = read_manifest(self.output) if (self.output / MARKER).is_file() else None
        # What the spare held when we began (None: unknown, every file is rewritten) and
        # what it holds now, as far as finished operations go.
        self._base = self._open_spare()
        self._state: dict[str, str] = dict(self._base or {})
        self._new: dict[str, str] = {}
        self._folders: set[str] = {""}
        if self._base is not None:
            for path in self._base:
                folder = path.rpartition("/")[0]
                while folder and folder not in self._folders:
                    self._folders.add(folder)
                    folder = folder.rpartition("/")[0]
        self._prefix = f"{self.root}/"
        self._live_prefix = f"{self.output}/"
        self._twin: str | None = None
        self._twin_folders: set[str] = {""}
        if twin and self._base == {} and not self.output.exists():
            self._twin = tempfile.mkdtemp(prefix=f".{self.output.name}.next-",
                                          dir=self.output.parent)
            Path(self._twin, MARKER).write_bytes(_MARKER_TEXT)

    def _open_spare(self) -> dict[str, str] | None:
        """Make the spare ready for changes: its manifest (removed: it is now being
        changed), or None when it holds we do not know what."""
        spare = self.root
        if not spare.is_dir() or spare.is_symlink():
            if spare.is_symlink() or spare.exists():
                spare.unlink()
            _make_spare(spare)
            return {}
        if not (spare / MARKER).is_file():
            if any(spare.iterdir()):
                raise BuildError(f"{spare} was not made by newsforge; refusing to use it "
                                 "as the spare output tree", path=spare,
                                 hint=f"move it away or create {MARKER} in it")
            (spare / MARKER).write_bytes(_MARKER_TEXT)
            return {}
        entries = read_manifest(spare)
        (spare / MANIFEST).unlink(missing_ok=True)
        return entries

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._drop_twin()
        if self._committed or self._base is None:
            return
        # Leave the spare usable: a manifest of what it really holds now (without one,
        # the next build rewrites the spare in full).
        with contextlib.suppress(OSError):
            _write_manifest(self.root, self._state)

    def write(self, relative: str, data: bytes, hexdigest: str | None = None) -> None:
        """Add one file to the new tree (refusing paths that leave it); ``hexdigest``, when
        given, is ``digest(data)`` worked out already."""
        _check_relative(relative)
        hexdigest = hexdigest or digest(data)
        self._claim(relative, hexdigest)
        self._place(relative, hexdigest, data)

    def keep(self, relative: str, hexdigest: str) -> bool:
        """Add a file of the last build, unchanged, without having its bytes: True when
        the spare holds it already or it was linked from the live tree; False (nothing
        added) when its bytes are needed: then ``write`` it."""
        if not self.can_keep(relative, hexdigest):
            return False
        _check_relative(relative)
        if not self._place(relative, hexdigest, None):
            return False
        self._claim(relative, hexdigest)
        return True

    def keep_all(self, files: Mapping[str, str]) -> list[str]:
        """``keep`` of many files of the last build (relative path -> digest) at once; the
        ones that could not be kept, whose bytes are needed. The files the spare holds
        already are found by comparing whole mappings: one by one, 55k files at 10k
        articles cost an edit a sixth of a second. Their paths are those of pages this
        build plans, each checked when it was first written."""
        if self._base is None or not self._new.keys().isdisjoint(files):
            return [relative for relative, hexdigest in files.items()
                    if not self.keep(relative, hexdigest)]
        differing = files.items() - self._state.items()
        held = files.keys() - {relative for relative, _ in differing}
        self._new.update((relative, files[relative]) for relative in held)
        self.files += len(held)
        return [relative for relative, hexdigest in sorted(differing)
                if not self.keep(relative, hexdigest)]

    def can_keep(self, relative: str, hexdigest: str) -> bool:
        """Whether ``keep`` would find these bytes in the spare or the live tree."""
        return relative not in self._new and (
            (self._base is not None and self._state.get(relative) == hexdigest)
            or (self._live is not None and self._live.get(relative) == hexdigest))

    def digest_of(self, relative: str) -> str | None:
        """The digest of a file the new tree holds (None: not added)."""
        return self._new.get(relative)

    def _claim(self, relative: str, hexdigest: str) -> None:
        if relative in self._new:
            raise BuildError(f"two pages claim the output file {relative!r}",
                             hint="two records map to one URL; see urls.py")
        self._new[relative] = hexdigest
        self.files += 1

    def _place(self, relative: str, hexdigest: str, data: bytes | None) -> bool:
        """Make the spare hold ``relative`` with these bytes: already there, linked from
        the live tree, or written from ``data`` (False: none of these was possible)."""
        if self._base is not None and self._state.get(relative) == hexdigest:
            return True
        target = self._prefix + relative
        try:
            folder = relative.rpartition("/")[0]
            if folder not in self._folders:
                self._make_folder(folder)
            if self._live is not None and self._live.get(relative) == hexdigest:
                self._forget(relative, target)
                if _link(self._live_prefix + relative, target):
                    self._state[relative] = hexdigest
                    return True
            if data is None:
                return False
            self._forget(relative, target)
            descriptor = os.open(target, _FILE_FLAGS, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(descriptor, view):]
            finally:
                os.close(descriptor)
        except OSError as error:
            raise BuildError(f"cannot write the output file {relative!r}: "
                             f"{error.strerror or error}", path=self.output,
                             hint="free some disk space or choose another --out; the "
                             "previous output is unchanged") from None
        self._state[relative] = hexdigest
        self.written += 1
        if self._twin is not None:
            self._link_twin(relative, target)
        return True

    def _link_twin(self, relative: str, target: str) -> None:
        """Link a file just written into the twin tree. A first build has no live tree to
        link unchanged files from, so the next build would find its spare empty and link
        every file of this one into it (seconds at 55k files) before it could start
        staging; linked here, between the pages the workers send, the spare is ready at
        once. Trouble only costs the next build that linking: the twin is dropped."""
        folder = relative.rpartition("/")[0]
        try:
            if folder not in self._twin_folders:
                _make_folder(f"{self._twin}/{folder}")
                self._twin_folders.add(folder)
            os.link(target, f"{self._twin}/{relative}")
        except OSError:
            self._drop_twin()

    def _drop_twin(self) -> None:
        if self._twin is not None:
            shutil.rmtree(self._twin, ignore_errors=True)
            self._twin = None

    def _forget(self, relative: str, target: str) -> None:
        """Remove the spare's old copy of ``relative`` (if it may have one)."""
        if relative in self._state or self._base is None or relative in self._base:
            self._state.pop(relative, None)
            _remove(target)

    def _make_folder(self, folder: str) -> None:
        """Make ``folder`` and any missing parents: one lstat and mkdir per new folder;
        a file or a symbolic link in the way (a spare of unknown state) is removed."""
        parent = folder.rpartition("/")[0]
        if parent not in self._folders:
            self._make_folder(parent)
        path = self._prefix + folder
        try:
            os.mkdir(path)
        except FileExistsError:
            mode = os.lstat(path).st_mode
            if not stat.S_ISDIR(mode):
                os.unlink(path)
                os.mkdir(path)
        self._folders.add(folder)

    def commit(self) -> None:
        """Remove what the new tree no longer has, close it with its manifest and swap
        it with the output folder."""
        if self._base is None:
            self._sweep()
        else:
            for relative in sorted(set(self._base) - set(self._new)):
                self._state.pop(relative, None)
                _remove(self._prefix + relative)
                self._prune(relative)
        os.chmod(self.root, 0o755)
        _write_manifest(self.root, self._new)
        if self.output.exists() and _exchange(self.root, self.output):
            self._committed = True
            return
        old: Path | None = None
        if self.output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.old-",
                                        dir=self.output.parent))
            os.rename(self.output, old / "tree")
        try:
            os.rename(self.root, self.output)
        except BaseException:
            if old is not None:
                os.rename(old / "tree", self.output)
                shutil.rmtree(old, ignore_errors=True)
            raise
        self._committed = True
        if old is not None:  # the old output is the next build's spare
            os.rename(old / "tree", self.root)
            os.rmdir(old)
        elif self._twin is not None:  # the twin, whole, is the next build's spare
            with contextlib.suppress(OSError):
                _write_manifest(Path(self._twin), self._new)
                os.chmod(self._twin, 0o755)
                os.rename(self._twin, self.root)
                self._twin = None

    def _prune(self, relative: str) -> None:
        """Remove the folders a deleted file leaves empty."""
        folder = relative.rpartition("/")[0]
        while folder:
            try:
                os.rmdir(self._prefix + folder)
            except OSError:
                return
            self._folders.discard(folder)
            folder = folder.rpartition("/")[0]

    def _sweep(self) -> None:
        """In a spare of unknown state, remove everything the new tree does not hold."""
        for folder, dirs, files in os.walk(self.root, topdown=False):
            relative = os.path.relpath(folder, self.root)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            for name in (*files, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))):
                if prefix + name not in self._new and not (not prefix and name in _RESERVED):
                    os.unlink(os.path.join(folder, name))
            if prefix:
                try:
                    os.rmdir(folder)
                except OSError:
                    continue  # not empty: it holds files of the new tree


def mirror_live(output: Path) -> int:
    """Bring the spare tree up to date with the live output: hard links to every live file
    the spare lacks or holds other bytes of (the spare keeps its other files, which the
    next build removes if it no longer makes them). Run beside a rebuild's analysis, so
    that staging finds the unchanged files in place: at the first rebuild after a cold
    build the spare is empty, and linking 55k files into it took seconds. Returns how
    many files were linked; does nothing unless both trees are ours and whole. Its own
    trouble (a full disk, a file where a folder belongs) only stops it early: the spare's
    manifest then says what it holds, and staging does the rest."""
    output = output.resolve()
    spare = spare_of(output)
    if not (output / MARKER).is_file() or spare.is_symlink():
        return 0
    if not spare.exists():  # after the first build: the spare is made empty
        _make_spare(spare)
        _write_manifest(spare, {})
    if not (spare / MARKER).is_file():
        return 0
    live, held = read_manifest(output), read_manifest(spare)
    if live is None or held is None:
        return 0
    missing = [(path, hexdigest) for path, hexdigest in live.items()
               if held.get(path) != hexdigest]
    if not missing:
        return 0
    (spare / MANIFEST).unlink()  # from here the spare is being changed
    stop = threading.Event()

    def link(part: list[tuple[str, str]]) -> int:
        linked, folders = 0, set()
        try:
            for path, hexdigest in part:
                if stop.is_set():
                    break
                _check_relative(path)
                target = f"{spare}/{path}"
                if held.pop(path, None) is not None:
                    _remove(target)
                folder = path.rpartition("/")[0]
                if folder and folder not in folders:
                    _make_folder(f"{spare}/{folder}")
                    folders.add(folder)
                os.link(f"{output}/{path}", target)
                held[path] = hexdigest
                linked += 1
        except (OSError, BuildError):
            stop.set()
        return linked

    # The kernel links files in different folders side by side: two threads linked the
    # 55k files of a 10k-article site in 2.7 s instead of 4.7 (four were no faster).
    size = -(-len(missing) // _MIRROR_THREADS)
    try:
        with ThreadPoolExecutor(_MIRROR_THREADS) as pool:
            return sum(pool.map(link, [missing[at:at + size]
                                       for at in range(0, len(missing), size)]))
    finally:
        _write_manifest(spare, held)


def _make_folder(path: str) -> None:
    """``os.makedirs(path, exist_ok=True)`` without its look at the parent first: nearly
    every page has a folder of its own, whose parent is there already."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _make_spare(spare: Path) -> None:
    """An empty spare tree, marked as ours."""
    spare.mkdir()
    (spare / MARKER).write_bytes(_MARKER_TEXT)


def _check_relative(relative: str) -> None:
    """Refuse a path that could leave the tree or clash with its own files."""
    wrapped = f"/{relative}/"  # an empty, '.' or '..' part shows as '//', '/./', '/../'
    if (not relative or relative in _RESERVED or "\\" in relative or "\0" in relative
            or "\n" in relative or "//" in wrapped or "/./" in wrapped or "/../" in wrapped):
        raise BuildError(f"refusing to write outside the output folder: {relative!r}",
                         hint="output paths come from urls.py; this is a newsforge bug")


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path)
    except PermissionError:  # Linux answers EPERM when unlinking a folder
        if not os.path.isdir(path) or os.path.islink(path):
            raise
        shutil.rmtree(path)


def _link(source: str, target: str) -> bool:
    """Hard-link an unchanged file from the live tree; False where that is not possible."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                     _RENAME_EXCHANGE)
    if done == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system or kernel without exchange: two renames will do
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))


def _recover(output: Path, spare: Path) -> None:
    """Undo what a build killed outright between two renames left beside ``output``."""
    aside = sorted(output.parent.glob(f".{output.name}.old-*"))
    for folder in aside:
        tree = folder / "tree"
        if (tree / MARKER).exists():
            if not output.exists():
                os.rename(tree, output)
            elif not spare.exists():
                os.rename(tree, spare)
    # Temporary trees of older newsforge versions, and set-aside trees now restored.
    for folder in (*aside, *output.parent.glob(f".{output.name}.new-*"),
                   *output.parent.glob(f".{output.name}.next-*")):
        shutil.rmtree(folder, ignore_errors=True)


def _check_target(output: Path, protected: tuple[Path, ...]) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    for path in protected:
        path = path.resolve()
        for tree in (output, spare_of(output)):
            if tree == path or path.is_relative_to(tree):
                raise BuildError(f"the output folder {tree} holds {path}; refusing to "
                                 "replace it", path=output,
                                 hint="choose an output folder of its own (--out)")
    if output.exists():
        if not output.is_dir():
            raise BuildError("the output path exists and is not a folder", path=output,
                             hint="remove it or choose another --out")
        if any(output.iterdir()) and not (output / MARKER).exists():
            raise BuildError(f"{output} is not empty and was not built by newsforge; "
                             "refusing to replace it", path=output,
                             hint=f"empty it, choose another --out, or create {MARKER} in it")
