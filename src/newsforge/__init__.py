"""newsforge: a static-site generator for multilingual news archives."""

__version__ = "0.1.0"
