"""Fixtures for the preview-server tests: a hand-made output folder and a running server."""

from servekit import browser, fake_builder, preview, seed_site, static_config

__all__ = ["browser", "fake_builder", "preview", "seed_site", "static_config"]
