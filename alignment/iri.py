"""IRIs of the graph's nodes derive from stable IDs under a configurable base."""

from __future__ import annotations

import os
import re

__all__ = ["DEFAULT_BASE", "BASE_ENV", "ABSOLUTE_IRI", "base_iri"]

DEFAULT_BASE = "https://w3id.org/strategy-alignment/thurrock/"
BASE_ENV = "ALIGN_BASE"
#: an absolute IRI as N-Triples and Turtle can hold it: a scheme, then no space, control
#: character or any of <>"{}|\^`
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")


def base_iri(base: str | None = None) -> str:
    """The base: the one given, else $ALIGN_BASE, else the project's; always ending in / or #."""
    base = base or os.environ.get(BASE_ENV) or DEFAULT_BASE
    if not ABSOLUTE_IRI.fullmatch(base):
        from alignment.errors import InputError

        raise InputError(f"base IRI '{base}' is not an absolute IRI (e.g. "
                         f"https://example.org/council/); fix --base or ${BASE_ENV}")
    return base if base.endswith(("/", "#")) else base + "/"
