"""Fixtures for the site tests: hand-made records, configs and a crawler of built sites."""

from sitekit import site_config

__all__ = ["site_config"]
