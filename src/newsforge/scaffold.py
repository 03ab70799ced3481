"""``newsforge init DIR``: a new site that builds at once."""

from __future__ import annotations

from pathlib import Path

from newsforge.config import CONFIG_NAME
from newsforge.errors import NewsforgeError

_CONFIG = """\
# newsforge site configuration. Every key is optional; unknown keys are errors.
title: My news archive
# Where the site will live; a sub-path works too (https://example.org/archive/).
base_url: /
# Article files (.md with YAML front matter, or scraped .txt) under this folder.
content: content
output: build
languages: [en]
default_language: en
# Template and static-file overrides: a file here replaces the default theme's file
# of the same name (templates/article.html, static/style.css, ...).
templates: templates
static: static
per_page: 20
"""

_ARTICLE = """\
---
title: Welcome to your news archive
date: 2025-01-15
language: en
source: Newsroom
author: The Editors
dateline: HANOI
---
HANOI — Prime Minister Phạm Minh Chính received Lao Prime Minister Sonexay Siphandone on
Wednesday, and the two leaders agreed to double trade between their countries by 2030.
Chính said the Communist Party of Vietnam and the Lao People's Revolutionary Party would
keep meeting every year.

This is an example article: newsforge found the two prime ministers and the two parties
in it, and gave each a page of its own that lists every article naming them, in every
language of the archive. Put your own Markdown files with a front matter block like this
one into the `content/` folder, or drop in scraped `.txt` pages: newsforge finds their
headline, date, source and body by itself (`newsforge inspect content/` shows how).

Run `newsforge build` to build the site into `build/`, and `newsforge serve --watch`
to preview it while you edit.
"""

_TEMPLATES_README = """\
# Overriding the theme

A file in this folder replaces the default theme's template of the same name, for example
`article.html`, `entity.html`, `base.html` or `partials/card.html`; start from a copy of
the default one. Interface strings live in `i18n/<language>.yaml` (only the keys you
change are needed). Files in the site's `static/` folder replace the default
`static/` files the same way (for example `static/style.css`).
"""


def init_site(directory: Path) -> Path:
    """Create a site in ``directory`` (config, one example article, override folders).

    Refuses a folder that already holds a site configuration. Returns the site folder.
    """
    directory = directory.resolve()
    config = directory / CONFIG_NAME
    if config.exists():
        raise NewsforgeError("a newsforge site already exists here", path=config,
                             hint="choose a new folder for 'newsforge init'")
    if directory.exists() and not directory.is_dir():
        raise NewsforgeError("exists and is not a folder", path=directory,
                             hint="choose a new folder for 'newsforge init'")
    (directory / "content").mkdir(parents=True, exist_ok=True)
    (directory / "templates").mkdir(exist_ok=True)
    (directory / "static").mkdir(exist_ok=True)
    config.write_text(_CONFIG, encoding="utf-8")
    example = directory / "content" / "welcome.md"
    if not example.exists():
        example.write_text(_ARTICLE, encoding="utf-8")
    (directory / "templates" / "README.md").write_text(_TEMPLATES_README, encoding="utf-8")
    return directory
