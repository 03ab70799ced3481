"""The command line: thin, machine-readable where asked, never a traceback for bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsforge.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def seed_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "newsforge.yaml").write_text("title: Test archive\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_inspect_json_has_the_shape_score_reads(seed_site: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--json"]) == 0
    articles = json.loads(capsys.readouterr().out)["articles"]
    assert len(articles) == 5
    for article in articles:
        assert {"path", "language", "date", "title", "source", "body", "entities"} <= set(article)
        for entity in article["entities"]:
            assert {"id", "type", "name", "mentions"} <= set(entity)
    by_name = {Path(a["path"]).name: a for a in articles}
    linked = by_name["000_fb74740891c2e5cf.txt"]  # dated through the same story in Vietnamese
    assert linked["date"] == "2025-12-01"
    assert linked["date_source"] == "taken from the same story in another article"


def test_inspect_summary_explains_and_warns(seed_site: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (seed_site / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    assert main(["inspect", "seeds/002_8f64e75ea631a2b1.txt", "seeds/empty.txt"]) == 0
    out, err = capsys.readouterr()
    assert "why       date: timestamp line (10:57 | 02/12/2025 GMT+7), line 2" in out
    assert "seeds/empty.txt:1: error: file is empty" in err


def test_entities_json(seed_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entities", "--json", "--type", "person"]) == 0
    entities = json.loads(capsys.readouterr().out)["entities"]
    to_lam = next(e for e in entities if e["id"] == "person/to-lam")
    assert to_lam["name"] == "Tô Lâm"
    assert to_lam["names"] == {"sv": "To Lam", "vi": "Tô Lâm"}
    assert to_lam["articles"] == 2
    assert {e["type"] for e in entities} == {"person"}


def test_a_bad_config_is_one_line_not_a_traceback(seed_site: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (seed_site / "newsforge.yaml").write_text("titel: x\n", encoding="utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsforge: ") and "newsforge.yaml:1: line 1: unknown key 'titel'" in err
    assert "Traceback" not in err


def test_build_publishes_the_good_files_and_lists_the_left_out_ones(
        seed_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (seed_site / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    (seed_site / "seeds" / "binary.txt").write_bytes(b"\x00\x01\x02garbage\xff")
    assert main(["build"]) == 3
    err = capsys.readouterr().err
    assert "2 files left out of the site" in err
    assert "seeds/empty.txt:1: error: file is empty" in err
    assert "seeds/binary.txt" in err and "Traceback" not in err
    assert len(list((seed_site / "build" / "en" / "articles").iterdir())) == 3
    assert main(["build", "-q", "--strict"]) == 1
