"""All output goes through here: a temporary tree beside ``build/``, swapped in atomically.

``Staging`` writes files into ``.<name>.new-XXXX`` next to the output folder; ``commit``
exchanges the new tree with the old output in one atomic step (Linux ``renameat2``;
elsewhere two renames) and then deletes the old tree. Anything that stops a build before
``commit`` (an error, Ctrl-C, SIGTERM) removes the temporary tree and leaves the previous
output exactly as it was; a build killed outright (SIGKILL, power loss) leaves at most a
stray temporary tree, which the next build removes, and, where the swap is two renames,
a previous output set aside, which the next build puts back. A marker file tells a folder
we built from a folder we must never delete.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from newsforge.errors import BuildError
from newsforge.urls import safe_join

MARKER = ".newsforge-build"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Staging:
    """A temporary output tree; use as a context manager and call ``commit`` to publish."""

    def __init__(self, output: Path, protected: tuple[Path, ...] = ()) -> None:
        self.output = output.resolve()
        _check_target(self.output, protected)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.output)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.new-",
                                          dir=self.output.parent))
        self.files = 0
        self._committed = False
        # Paths already written and folders already made: one set lookup instead of
        # stat and mkdir calls per file.
        self._written: set[Path] = set()
        self._folders: set[Path] = set()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._committed:
            shutil.rmtree(self.root, ignore_errors=True)

    def write(self, relative: str, data: bytes) -> None:
        """Write one file of the new tree (refusing paths that leave it)."""
        target = safe_join(self.root, relative)
        if target in self._written:
            raise BuildError(f"two pages claim the output file {relative!r}",
                             hint="two records map to one URL; see urls.py")
        try:
            if target.parent not in self._folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(target.parent)
            target.write_bytes(data)
        except OSError as error:
            raise BuildError(f"cannot write the output file {relative!r}: "
                             f"{error.strerror or error}", path=self.output,
                             hint="free some disk space or choose another --out; the "
                             "previous output is unchanged") from None
        self._written.add(target)
        self.files += 1

    def commit(self) -> None:
        """Swap the new tree into place of the output folder."""
        (self.root / MARKER).write_bytes(b"built by newsforge; safe to delete\n")
        os.chmod(self.root, 0o755)  # mkdtemp makes it private; a web server must read it
        if self.output.exists() and _exchange(self.root, self.output):
            # The new tree is in place and the old one sits where the new one was.
            self._committed = True
            shutil.rmtree(self.root, ignore_errors=True)
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
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


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


def _recover(output: Path) -> None:
    """Undo what a build killed outright left behind beside ``output``."""
    aside = sorted(output.parent.glob(f".{output.name}.old-*"))
    if not output.exists():
        for folder in aside:
            if (folder / "tree" / MARKER).exists():
                os.rename(folder / "tree", output)
                break
    for folder in (*aside, *output.parent.glob(f".{output.name}.new-*")):
        shutil.rmtree(folder, ignore_errors=True)


def _check_target(output: Path, protected: tuple[Path, ...]) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    for path in protected:
        path = path.resolve()
        if output == path or path.is_relative_to(output):
            raise BuildError(f"the output folder {output} holds {path}; refusing to replace it",
                             path=output, hint="choose an output folder of its own (--out)")
    if output.exists():
        if not output.is_dir():
            raise BuildError("the output path exists and is not a folder", path=output,
                             hint="remove it or choose another --out")
        if any(output.iterdir()) and not (output / MARKER).exists():
            raise BuildError(f"{output} is not empty and was not built by newsforge; "
                             "refusing to replace it", path=output,
                             hint=f"empty it, choose another --out, or create {MARKER} in it")
