"""py3langid's model, prepared for reading once and kept in the user's cache.

The model ships as an xz-compressed archive: decompressing it and widening its feature
weights took most of a second in every process that identifies languages (each loader
worker, and the reader of a rebuild, where it was the longest wait). Prepared once and
written uncompressed, the arrays are mapped instead: a process starts reading at once,
and the processes of one build share the same pages of memory.

Imported only when a detector is built: py3langid brings numpy (see `detect`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import zlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from babel import localedata
from py3langid.langid import MODEL_DIR, MODEL_FILE

from newsforge.loader.identifier import WordWalkIdentifier

# Bumped whenever the prepared arrays change in meaning or layout: older folders are then
# neither read nor kept.
_LAYOUT = "1"
_ARRAYS = ("ptc", "pc", "nextmove", "row", "output")
_CHECKSUMS = "checksums.json"


@dataclass(frozen=True, slots=True)
class _Prepared:
    """The identifier's tables restricted to the labels CLDR can name, weights as float32
    in row order (see `LanguageDetector`)."""

    arrays: dict[str, Any]
    classes: list[str]


def load_identifier(cache: Path | None) -> WordWalkIdentifier:
    """The identifier, from ``cache`` when a checked copy of this model is there (else
    prepared from the package's file, and written there for the next process)."""
    model = Path(MODEL_DIR) / MODEL_FILE
    prepared = None
    folder = None
    if cache is not None:
        folder = cache / f"langid-{_key(model)}"
        prepared = _read(folder)
    if prepared is None:
        prepared = _prepare(model)
        if folder is not None:
            _write(folder, prepared)
    elif folder is not None:
        _forget_abandoned(folder.parent)
    arrays = prepared.arrays
    # The byte walk reads one transition per byte in Python: a flat memoryview indexes as
    # fast as the `array` py3langid builds, without copying the mapped table. The weights
    # are handed over as plain arrays over the same mapping: indexing numpy's memmap
    # class goes through Python code, a few percent of the loader's time.
    return WordWalkIdentifier(np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]),
                              prepared.classes,
                              memoryview(arrays["nextmove"]), arrays["output"].tolist(),
                              norm_probs=True, tk_row=arrays["row"].tolist())


def _key(model: Path) -> str:
    """What the prepared arrays are made from: the model's bytes, the libraries that read
    it (Babel decides which labels are kept) and this module's layout."""
    hashed = hashlib.blake2b(model.read_bytes(), digest_size=12)
    hashed.update(f"{version('py3langid')}|{version('babel')}|{_LAYOUT}".encode())
    return hashed.hexdigest()


def _prepare(model: Path) -> _Prepared:
    identifier = WordWalkIdentifier.from_model_file(model, norm_probs=True)
    # Only labels CLDR knows: the site needs a locale for every language it files
    # (this also folds regional varieties the model keeps apart, such as Wu, into
    # their written standard).
    identifier.set_languages([code for code in identifier.nb_classes
                              if localedata.exists(code)])
    # The model stores its feature weights as half floats in column order; every
    # identification gathers a few hundred feature rows and widens them to float32.
    # Widened once into row order, the same rows are read contiguously and the product
    # is the same float32 product, bit for bit, several times faster.
    return _Prepared({
        "ptc": identifier.nb_ptc.astype("float32", order="C"),
        "pc": np.ascontiguousarray(identifier.nb_pc),
        "nextmove": np.asarray(identifier.tk_nextmove, dtype=np.uint32),
        "row": np.asarray(identifier.tk_row, dtype=np.int64),
        "output": np.asarray(identifier.tk_output, dtype=np.int64),
    }, [str(code) for code in identifier.nb_classes])


def _checksum(array: Any) -> int:
    return zlib.crc32(np.ascontiguousarray(array).data.cast("B"))


def _read(folder: Path) -> _Prepared | None:
    """The arrays in ``folder`` when every one is whole (its checksum agrees), else None:
    a damaged copy is never used, and the next `_write` replaces it."""
    try:
        listed = json.loads((folder / _CHECKSUMS).read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r",
                                allow_pickle=False) for name in _ARRAYS}
        if any(_checksum(arrays[name]) != listed["checksums"][name] for name in _ARRAYS):
            return None
        classes = [str(code) for code in listed["classes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if arrays["ptc"].ndim != 2 or arrays["ptc"].shape[1] != len(classes) \
            or arrays["pc"].shape != (len(classes),):
        return None
    return _Prepared(arrays, classes)


def _write(folder: Path, prepared: _Prepared) -> None:
    """Write ``prepared`` into ``folder`` whole or not at all (another process may be
    writing the same folder: the first to finish wins). Trouble writing only costs the
    next process the preparation again."""
    spare = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        shutil.rmtree(spare, ignore_errors=True)
        spare.mkdir(parents=True)
        for name in _ARRAYS:
            np.save(spare / f"{name}.npy", prepared.arrays[name], allow_pickle=False)
        listed = {"classes": prepared.classes,
                  "checksums": {name: _checksum(prepared.arrays[name]) for name in _ARRAYS}}
        (spare / _CHECKSUMS).write_text(json.dumps(listed), encoding="utf-8")
        if folder.exists():  # damaged (else it would have been read): replaced
            shutil.rmtree(folder, ignore_errors=True)
        spare.rename(folder)
        for other in folder.parent.glob("langid-*"):  # other versions' copies
            if other.name != folder.name and not other.name.endswith(".tmp"):
                shutil.rmtree(other, ignore_errors=True)
    shutil.rmtree(spare, ignore_errors=True)
    _forget_abandoned(folder.parent)


def _forget_abandoned(cache: Path) -> None:
    """Remove the half-written copies of writers that were stopped (a build's reader is
    ended as soon as it is not needed): those of processes no longer running."""
    for spare in cache.glob("langid-*.*.tmp"):
        try:
            os.kill(int(spare.name.split(".")[-2]), 0)
        except ProcessLookupError:
            shutil.rmtree(spare, ignore_errors=True)
        except (ValueError, OSError):
            continue
