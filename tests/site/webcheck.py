"""Checking built pages the way browsers and validators see them: the W3C Nu validator,
axe-core in headless Chromium, and a seed build to check.

The tools are installed by ``scripts/install-tools.sh`` (Java from Debian, ``vnu-jar`` and
``axe-core`` from npm into ``.tools/``). A test that needs a missing tool fails with the
command that installs it; only with ``NEWSFORGE_ALLOW_SKIP`` set (a quick local run)
does it skip instead, so CI can never pass by not checking.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace as with_changes
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sitekit import REPO

from newsforge.analysis import analyse
from newsforge.build import build_site
from newsforge.config import default_config, replace
from newsforge.render import Job, Renderer
from newsforge.theme import load_theme

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TOOLS = REPO / ".tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = TOOLS / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def need(found: Path | str | None, what: str) -> Path:
    """The path of a tool the test needs; fails (or skips, when allowed) without it."""
    if found and Path(found).exists():
        return Path(found)
    message = f"{what} is missing: run `bash scripts/install-tools.sh` (scripts/test.sh does)"
    if os.environ.get("NEWSFORGE_ALLOW_SKIP"):
        pytest.skip(message)
    pytest.fail(message)


@dataclass(frozen=True)
class SeedBuild:
    """The seed archive built once, and which output file is which kind of page."""

    output: Path
    jobs: tuple[Job, ...]
    url: str = ""
    """Where the build is served over HTTP (the 404 page links from the site's root)."""

    def address(self, path: str) -> str:
        return self.url + path

    def pages(self, kind: str) -> list[str]:
        """Output paths of every HTML page of one kind, in the renderer's order."""
        return [j.path for j in self.jobs if j.kind == kind and j.path.endswith(".html")]

    def language_of(self, path: str) -> str:
        head = (self.output / path).read_text(encoding="utf-8")[:400]
        return head.split('<html lang="', 1)[1].split('"', 1)[0]

    def sample(self, kind: str, languages: int = 2) -> list[str]:
        """The first page of ``kind`` in each of up to ``languages`` languages."""
        chosen: dict[str, str] = {}
        for path in self.pages(kind):
            chosen.setdefault(self.language_of(path), path)
        return list(chosen.values())[:languages]


def build_seeds(folder: Path) -> SeedBuild:
    """The repository's seed archive, built with the default theme into ``folder``."""
    config = replace(default_config(REPO), title="Mekong News Archive", output=folder / "build",
                     templates=folder / "templates", static=folder / "static")
    assert build_site(config).ok
    renderer = Renderer(analyse(config).site, load_theme(config), config)
    return SeedBuild(config.output, renderer.jobs())


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # a test needs no access log
        pass


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedBuild]:
    """The seed build, served from a loopback port by a plain static file server."""
    built = build_seeds(tmp_path_factory.mktemp("seed-build"))
    handler = functools.partial(_QuietHandler, directory=str(built.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield with_changes(built, url=f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright."""
    need(CHROMIUM, "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def validate_html(folder: Path) -> list[dict[str, Any]]:
    """Every error the Nu validator finds in the HTML files under ``folder`` (one JVM)."""
    java = need(shutil.which("java"), "Java (Debian package default-jre-headless)")
    jar = need(VNU_JAR, "the Nu validator (npm package vnu-jar)")
    run = subprocess.run(
        [str(java), "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json",
         str(folder)], capture_output=True, text=True, timeout=600, check=False)
    # The report goes to stderr; the exit status is 1 when anything was reported.
    report = json.loads(run.stderr or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def describe_validator_errors(errors: list[dict[str, Any]], root: Path) -> str:
    lines = []
    for error in errors:
        where = error.get("url", "").removeprefix("file:").removeprefix(str(root) + "/")
        lines.append(f"{where}:{error.get('lastLine', '?')}: {error.get('message')}"
                     f"\n    {error.get('extract', '').strip()}")
    return "\n".join(lines)


def axe_violations(page: Any, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page loaded in ``page`` (all rules, or only ``rules``)."""
    script = need(AXE_SCRIPT, "axe-core (npm package axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=script.read_text(encoding="utf-8"))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("options => axe.run(document, options)", options)
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)
