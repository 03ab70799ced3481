"""Reading an article file safely: size, encoding and binary checks with clear messages."""

from __future__ import annotations

import re
from pathlib import Path

from newsforge.errors import LoadError

MAX_BYTES = 10 * 1024 * 1024
# Dropped, and read as plain spaces. One str.replace per character: each is a fast scan
# (most files hold none), where a character class costs a step per character of the file.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_NARROW_SPACES = "\u00a0\u202f"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")
# The same characters as bytes, less the carriage return (read as a newline).
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def read_article_text(path: Path, display: str) -> str:
    """The file's text with newlines normalised, or a LoadError saying what to do."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(f"file is {size / 1_048_576:.1f} MB, over the "
                            f"{MAX_BYTES // 1_048_576} MB limit for one article", path=display,
                            hint="split it into one file per article")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}", path=display,
                        hint="check the file's permissions") from None
    return decode_article_bytes(data, display)


def decode_article_bytes(data: bytes, display: str) -> str:
    """Decode UTF-8 article bytes; binary, empty or mis-encoded input raises LoadError."""
    if b"\x00" in data[:8192]:
        raise LoadError("looks like a binary file, not text", path=display, line=1,
                        hint="only .txt and .md articles belong in the content folder")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                        path=display, line=line,
                        hint="save the file as UTF-8 (e.g. iconv -f cp1252 -t utf-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in _ZERO_WIDTH:
        text = text.replace(char, "")
    for char in _NARROW_SPACES:
        text = text.replace(char, " ")
    if not text.strip():
        raise LoadError("file is empty", path=display, line=1,
                        hint="add the article's text or remove the file")
    if _has_control_bytes(data) and _control_share(text) > 0.02:
        raise LoadError("looks like a binary file, not text", path=display, line=1,
                        hint="only .txt and .md articles belong in the content folder")
    return text


def _control_share(text: str) -> float:
    sample = text[:8192]
    return len(_CONTROLS.findall(sample)) / max(1, len(sample))


def _has_control_bytes(data: bytes) -> bool:
    """Whether the text of UTF-8 ``data`` keeps a control character: one pass at memory
    speed (a character class takes a step per character), which spares most files
    `_control_share`'s count."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)
