"""The preview under load: many requests during a rebuild, and a burst of file changes.

Both are bounded in requests and time and talk only to 127.0.0.1. They assert behaviour
(no failed request, the final site equals a cold build), never speed: the request rate is
printed by bench/bench_serve.py.
"""

from __future__ import annotations

import http.client
import random
import threading
from pathlib import Path

from servekit import make_seed_site, poll
from sitekit import tree_digest

from newsforge.build import build_site
from newsforge.config import replace
from newsforge.server import Preview, start_preview
from newsforge.watch import ChangeSet

PAGES = ("/", "/en/", "/vi/", "/sv/", "/archive/", "/static/style.css", "/sitemap.xml")


def _hammer(preview: Preview, requests: int, failures: list[str]) -> None:
    host, port = preview.url.removeprefix("http://").split("/")[0].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for n in range(requests):
            path = PAGES[n % len(PAGES)]
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{response.status} for {path}")
    except (OSError, http.client.HTTPException) as error:
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        conn.close()


def test_a_thousand_requests_during_rebuilds_all_succeed(tmp_path: Path) -> None:
    site = make_seed_site(tmp_path / "site")
    preview = start_preview(site, port=0)
    try:
        failures: list[str] = []
        clients = [threading.Thread(target=_hammer, args=(preview, 250, failures))
                   for _ in range(4)]
        for client in clients:
            client.start()
        for _ in range(3):  # real rebuilds, swapping build/ while the clients read it
            preview.state.rebuild(ChangeSet(content=(site.content,)))
        for client in clients:
            client.join(timeout=120)
        assert failures == []
        assert not any(client.is_alive() for client in clients)
    finally:
        preview.close()


def _burst(content: Path, changes: int, seed: int) -> None:
    """Edits, new files, deletions, renames and editors' swap files, as fast as possible."""
    chance = random.Random(seed)
    for n in range(changes):
        articles = sorted(content.glob("*.md"))
        action = chance.choice(("edit", "edit", "create", "delete", "rename", "swap"))
        if action == "create" or not articles:
            (content / f"new-{n}.md").write_text(
                f"---\ntitle: Bulletin number {n}\ndate: 2024-03-{n % 28 + 1:02d}\n"
                f"language: en\n---\n\nThe harbour office issued bulletin {n} today.\n",
                encoding="utf-8")
        elif action == "edit":
            target = chance.choice(articles)
            target.write_text(target.read_text(encoding="utf-8") + f"\nAmended {n}.\n",
                              encoding="utf-8")
        elif action == "delete":
            chance.choice(articles).unlink()
        elif action == "rename":
            target = chance.choice(articles)
            target.rename(content / f"moved-{n}.md")
        else:
            swap = content / f".{chance.choice(articles).name}.swp"
            swap.write_bytes(b"\x00vim swap")
            (content / "4913").write_text("", encoding="utf-8")
            (content / "4913").unlink()
            swap.unlink()


def test_a_burst_of_a_thousand_changes_ends_in_the_cold_build(tmp_path: Path) -> None:
    site = make_seed_site(tmp_path / "site")
    for n in range(20):
        (site.content / f"story-{n}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2024-02-{n + 1:02d}\nlanguage: en\n---\n\n"
            f"The port authority reported cargo figures for week {n}.\n", encoding="utf-8")
    preview = start_preview(site, port=0, watch=True, quiet=0.3)
    try:
        _burst(site.content, 1000, seed=7)
        final = tree_digest(site.content)
        # Settled: no build running, and none started for a while after the last change.
        def settled() -> bool:
            count = preview.state.last_start[0]
            if preview.state.building:
                return False
            return not poll(lambda: preview.state.last_start[0] != count, timeout=2.0)
        assert poll(settled, timeout=120, interval=0.1)
        assert tree_digest(site.content) == final
        served = tree_digest(site.output)
    finally:
        preview.close()
    cold = replace(site, output=tmp_path / "cold")
    assert build_site(cold).ok
    assert served == tree_digest(cold.output)
