from __future__ import annotations

import pytest

from newsforge.config import Config, default_config
from newsforge.langdata import Languages, load_languages
from newsforge.loader import LoadContext, make_context


@pytest.fixture(scope="session")
def languages() -> Languages:
    return load_languages()


@pytest.fixture(scope="session")
def site_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return default_config(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def load_context(site_config: Config, languages: Languages) -> LoadContext:
    return make_context(site_config, languages)

