"""Strategy alignment engine: a council's plans as one explained, queryable graph."""

__version__ = "0.1.0"
__all__ = ["__version__"]
