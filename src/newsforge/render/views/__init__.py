"""The page kinds, one module per family; each module lists its views in ``VIEWS``."""
