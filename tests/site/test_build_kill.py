"""A build stopped at any moment leaves the previous output whole.

Real ``newsforge build`` processes are killed (SIGKILL), terminated (SIGTERM) and
interrupted (SIGINT, as Ctrl-C) at several points of their run, and one runs out of room
to write (a file-size limit stands in for a full disk). After each, ``build/`` is exactly
the previous build or exactly the new one, never a mix, and the next build cleans up.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import tree_digest

REPO = Path(__file__).resolve().parents[2]


def _write_archive(content: Path, count: int, edition: str) -> None:
    content.mkdir(exist_ok=True)
    for n in range(count):
        (content / f"report-{n:03d}.md").write_text(
            f"---\ntitle: Harbour report {n} ({edition})\ndate: 2024-{n % 12 + 1:02d}-"
            f"{n % 28 + 1:02d}\nlanguage: en\n---\n\nThe harbour office in Vientiane said "
            f"on Monday that cargo volumes rose in week {n}. Minister Khamla Vongsa "
            f"visited the port with officials of the Lao People's Revolutionary Party.\n",
            encoding="utf-8")


def _build(site: Path, **options: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "newsforge", "build", "-q"], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)  # type: ignore[call-overload]


def _strays(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".build."))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("killed")
    (root / "newsforge.yaml").write_text("title: Kill test\ncontent: content\n",
                                         encoding="utf-8")
    _write_archive(root / "content", 150, "first")
    return root


def test_a_build_stopped_at_any_moment_leaves_a_whole_output(site: Path) -> None:
    started = time.monotonic()
    first = _build(site)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    duration = time.monotonic() - started
    before = tree_digest(site / "build")
    _write_archive(site / "content", 150, "second")
    outcomes = set()
    for how in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
        for share in (0.2, 0.5, 0.8, 0.95):
            strays_before = set(_strays(site))
            process = _build(site)
            time.sleep(duration * share)
            process.send_signal(how)
            _, err = process.communicate(timeout=300)
            after = tree_digest(site / "build")
            assert b"Traceback" not in err
            if after == before:
                outcomes.add("previous")
                if how != signal.SIGKILL:  # stopped before publishing: it cleaned up
                    assert set(_strays(site)) <= strays_before, how
            else:  # finished before the signal: then it is the whole new build
                outcomes.add("new")
                assert all("second" in page.read_text(encoding="utf-8")
                           for page in (site / "build" / "en" / "articles").rglob("*.html"))
                assert len(after) == len(before)
                before = after
    assert "previous" in outcomes
    finished = _build(site)
    assert finished.wait(timeout=300) == 0
    assert _strays(site) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A small file system of its own (tmpfs), so a build can really run out of room."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    size = 4 * 1024 * 1024  # two builds of ten articles fit; one of four hundred does not
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_cleanly_and_keeps_the_output(tmp_path: Path, tiny_disk: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "newsforge.yaml").write_text(f"title: Full disk\ncontent: content\n"
                                         f"output: {tiny_disk / 'build'}\n", encoding="utf-8")
    _write_archive(site / "content", 10, "small")
    assert _build(site).wait(timeout=300) == 0
    before = tree_digest(tiny_disk / "build")
    _write_archive(site / "content", 400, "large")  # more than the disk holds
    process = _build(site)
    _, err = process.communicate(timeout=300)
    message = err.decode("utf-8", "replace")
    assert process.returncode == 1, message
    assert "cannot write the output file" in message and "Traceback" not in message
    assert tree_digest(tiny_disk / "build") == before
    assert _strays(tiny_disk) == []
