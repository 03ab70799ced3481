"""load_tree over whole folders: ids, order, furniture learned from the archive."""

from __future__ import annotations

from pathlib import Path

from newsforge.config import Config, replace
from newsforge.langdata import Languages
from newsforge.loader import article_id, article_paths, load_tree, make_context
from newsforge.loader.core import attempt
from newsforge.loader.parallel import load_in_processes
from newsforge.model import Problem

STORY = ("{place} – Officials from the provincial government met investors on Monday to "
         "discuss a new industrial park, the local newspaper reported.\n")


def test_ids_are_stable_and_sorted(tmp_path: Path, site_config: Config,
                                   languages: Languages) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Tin Mới_01.txt").write_text(STORY.format(place="HUẾ"), "utf-8")
    (tmp_path / "a.txt").write_text(STORY.format(place="HANOI"), "utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY.format(place="HANOI"), "utf-8")
    result = load_tree(replace(site_config, content=tmp_path), languages)
    assert [a.id for a in result.articles] == ["a", "b/tin-moi-01"]
    assert article_id(tmp_path / "b" / "Tin Mới_01.txt", tmp_path) == "b/tin-moi-01"


def test_lines_repeated_across_the_archive_are_furniture(tmp_path: Path, site_config: Config,
                                                         languages: Languages) -> None:
    places = ["HANOI", "HUẾ", "DA NANG", "CAN THO"]
    for index, place in enumerate(places):
        (tmp_path / f"{index}.txt").write_text(
            "Subscribe to our weekly newsletter today\n" + STORY.format(place=place)
            + "Follow the Mekong Daily on every platform\n", "utf-8")
    result = load_tree(replace(site_config, content=tmp_path), languages)
    assert len(result.articles) == len(places)
    for article in result.articles:
        assert "newsletter" not in article.body
        assert "Follow the Mekong Daily" not in article.body
        assert article.body.endswith("the local newspaper reported.")


def test_a_single_file_keeps_its_lines(tmp_path: Path, site_config: Config,
                                       languages: Languages) -> None:
    (tmp_path / "0.txt").write_text(
        STORY.format(place="HANOI") + "Follow the Mekong Daily on every platform\n", "utf-8")
    result = load_tree(replace(site_config, content=tmp_path), languages)
    assert "Follow the Mekong Daily" in result.articles[0].body


def test_missing_content_folder_is_a_problem(tmp_path: Path, site_config: Config,
                                             languages: Languages) -> None:
    result = load_tree(replace(site_config, content=tmp_path / "nope"), languages)
    assert result.articles == ()
    assert "no such file or folder" in result.problems[0].message


def test_worker_processes_give_the_same_records(tmp_path: Path, site_config: Config,
                                                languages: Languages) -> None:
    for index, place in enumerate(["HANOI", "HUẾ", "VIENTIANE", "PHNOM PENH", "YANGON"]):
        (tmp_path / f"{index}.txt").write_text(STORY.format(place=place), "utf-8")
    (tmp_path / "broken.md").write_text("---\ntitle: [\n---\ntext\n", "utf-8")
    config = replace(site_config, content=tmp_path)
    files = article_paths([tmp_path])
    context = make_context(config, languages)
    serial = [attempt(path, root, context) for path, root in files]
    parallel = list(load_in_processes(files, config, languages, frozenset(), workers=2))
    assert parallel == serial
    assert sum(isinstance(o, Problem) for o in parallel) == 1


def test_a_language_without_data_is_read_by_shape(tmp_path: Path, site_config: Config,
                                                  languages: Languages) -> None:
    (tmp_path / "it.txt").write_text(
        "ROMA — Il governo ha presentato mercoledì un piano per ristrutturare le scuole del "
        "paese, ha annunciato il ministero dell'Istruzione in un comunicato del 2024-05-15.\n"
        "I lavori cominceranno già in estate in diverse regioni del paese. ANSA\n", "utf-8")
    result = load_tree(replace(site_config, content=tmp_path, languages=("en", "it")),
                       languages)
    [article] = result.articles
    assert article.language == "it"
    assert article.dateline == "ROMA"
    assert article.source is not None and article.source.name == "ANSA"
    assert article.published is not None and article.published.isoformat() == "2024-05-15"
    assert article.body.endswith("in diverse regioni del paese.")
    assert any("no language data for 'it'" in p.message for p in result.problems)
