"""Exceptions that carry a file, a line and a message a user can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsforge.model import Problem, Severity


class NewsforgeError(Exception):
    """A problem with the user's input or setup, printed as ``path:line: message (hint)``."""

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors raised in worker processes cross back to the build pickled: keep every field.
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))

    def to_problem(self, severity: Severity = Severity.ERROR) -> Problem:
        """The same problem as a record, for build reports."""
        return Problem(self.path or "<newsforge>", self.line, self.message, self.hint, severity)

    def __str__(self) -> str:
        return format_error(self)


class ConfigError(NewsforgeError):
    """The site configuration file is missing, malformed or names an unknown key."""


class LoadError(NewsforgeError):
    """An article file could not be read or understood."""


class CurationError(NewsforgeError):
    """The editor's entity curation file is malformed."""


class BuildError(NewsforgeError):
    """The site could not be rendered or written."""


def _rebuild(kind: type[NewsforgeError], message: str, path: str | None, line: int | None,
             hint: str) -> NewsforgeError:
    return kind(message, path=path, line=line, hint=hint)


def format_error(error: NewsforgeError) -> str:
    """``path:line: message (hint)``, leaving out what is unknown."""
    where = ""
    if error.path:
        where = f"{error.path}:{error.line}: " if error.line else f"{error.path}: "
    text = f"{where}{error.message}"
    return f"{text} ({error.hint})" if error.hint else text
