"""Two hundred broken and hostile files beside the seeds: the seeds are published unchanged,
every bad file is listed with its reason, nothing escapes build/, nothing prints a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsforge.cli import main

REPO = Path(__file__).resolve().parents[2]


def _hostile_files(content: Path) -> int:
    """Write the hostile files (every kind several times over); returns how many."""
    kinds: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t\n",
        "binary.txt": bytes(range(256)) * 4,
        "latin1.txt": "Tờ báo đưa tin hôm nay về hội nghị.".encode("cp1258", "replace")
        + b"\xe9\xe8\xff",
        "utf16.md": "---\ntitle: X\n---\nBody".encode("utf-16"),
        "unclosed.md": b"---\ntitle: never closed\n\nBody text that follows.\n",
        "broken-yaml.md": b"---\ntitle: [unclosed\n---\nBody\n",
        "python-object.md": b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n"
        b"---\nBody\n",
        "nav-only.txt": b"Home | News | World\n\naa\n\nComments (0)\n\nShare\n",
        "absurd-date.md": b"---\ntitle: Far future\ndate: 99999-01-01\n---\nBody text.\n",
        "impossible-date.md": b"---\ntitle: Leap\ndate: 2023-02-29\n---\nBody text.\n",
        "escape-slug.md": b"---\ntitle: Escape\nslug: ../../../../etc/passwd\ndate: 2024-01-01\n"
        b"---\n<script>alert(1)</script> body.\n",
        "bad-language.md": b"---\ntitle: Lang\nlanguage: not a language!\n---\nBody text.\n",
        "nul-bytes.txt": b"Headline\n\nBody\x00with\x00nuls.\n",
        "json-broken.md": b'{"title": "Broken JSON", "date": }\nBody\n',
        "toml-broken.md": b"+++\ntitle = \"x\nauthor = \n+++\nBody\n",
    }
    count = 0
    for copy in range(13):
        for name, data in kinds.items():
            stem, suffix = name.rsplit(".", 1)
            (content / f"{stem}-{copy}.{suffix}").write_bytes(data)
            count += 1
    # Names that differ only in case claim one URL.
    (content / "Case-Story.md").write_bytes(b"---\ntitle: One\ndate: 2024-01-01\n---\nOne.\n")
    (content / "case-story.md").write_bytes(b"---\ntitle: Two\ndate: 2024-01-01\n---\nTwo.\n")
    return count + 2


@pytest.fixture
def hostile_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "newsforge.yaml").write_text("title: Hostile archive\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path, _hostile_files(tmp_path / "seeds")


def test_hostile_files_cost_only_themselves(hostile_site: tuple[Path, int],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    site, hostile = hostile_site
    assert hostile >= 200
    assert main(["inspect", "--json", *(f"seeds/{p.name}" for p in
                                         sorted((REPO / "seeds").iterdir()))]) == 0
    alone = json.loads(capsys.readouterr().out)["articles"]

    before = {p for p in site.parent.rglob("*")}
    status = main(["build"])
    err = capsys.readouterr().err
    assert status == 3, err[-3000:]
    assert "Traceback" not in err
    assert not Path("/tmp/pwned").exists()
    # Every bad file is listed with its reason in the closing summary.
    summary = err[err.index("left out of the site"):]
    listed = {line.split(":")[0].strip() for line in summary.splitlines()[1:]}
    assert len(listed) >= 200
    # The seeds are all published, with the fields they have when read alone.
    assert main(["inspect", "--json", *(f"seeds/{p.name}" for p in
                                         sorted((REPO / "seeds").iterdir()))]) == 0
    together = json.loads(capsys.readouterr().out)["articles"]
    fields = ("language", "date", "title", "source", "body")
    assert [{f: a[f] for f in fields} for a in together] == \
        [{f: a[f] for f in fields} for a in alone]
    for article in (a for a in alone if a["title"]):
        assert any(article["title"] in page.read_text(encoding="utf-8")
                   for page in (site / "build").rglob("index.html"))
    # Nothing was written outside build/ (and the cache).
    after = {p for p in site.parent.rglob("*")}
    outside = {p for p in after - before
               if not (p.is_relative_to(site / "build")
                       or p.is_relative_to(site / ".newsforge-cache"))}
    assert outside == set()
    for page in (site / "build").rglob("*.html"):
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8")
