"""IRIs of the graph's nodes derive from stable IDs under a configurable base."""

from __future__ import annotations

import os

__all__ = ["DEFAULT_BASE", "BASE_ENV", "base_iri"]

DEFAULT_BASE = "https://w3id.org/strategy-alignment/thurrock/"
BASE_ENV = "ALIGN_BASE"


def base_iri(base: str | None = None) -> str:
    """The base: the one given, else $ALIGN_BASE, else the project's; always ending in / or #."""
    base = base or os.environ.get(BASE_ENV) or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"
