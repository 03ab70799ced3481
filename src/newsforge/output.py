"""All output goes through here: a temporary tree beside ``build/``, swapped in atomically.

``Staging`` writes files into ``.<name>.new-XXXX`` next to the output folder; ``commit``
renames the old output away, renames the new tree into place and deletes the old one.
Anything that stops a build before ``commit`` (an error, Ctrl-C) removes the temporary
tree and leaves the previous output exactly as it was. A marker file tells a folder we
built from a folder we must never delete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from newsforge.errors import BuildError
from newsforge.urls import safe_join

MARKER = ".newsforge-build"


class Staging:
    """A temporary output tree; use as a context manager and call ``commit`` to publish."""

    def __init__(self, output: Path, protected: tuple[Path, ...] = ()) -> None:
        self.output = output.resolve()
        _check_target(self.output, protected)
        self.output.parent.mkdir(parents=True, exist_ok=True)
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
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        target.write_bytes(data)
        self._written.add(target)
        self.files += 1

    def commit(self) -> None:
        """Swap the new tree into place of the output folder."""
        (self.root / MARKER).write_bytes(b"built by newsforge; safe to delete\n")
        os.chmod(self.root, 0o755)  # mkdtemp makes it private; a web server must read it
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
