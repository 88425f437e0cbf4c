"""Small text helpers shared by the extractors and the resolver."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_space", "counted", "normalise", "slug", "tokens"]

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def clean_space(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return re.sub(r"\s+", " ", text).strip()


def normalise(text: str) -> str:
    """A comparison key: straight quotes and dashes, lower case, single spaces.

    >>> normalise("Children\u2019s  Services")
    "children's services"
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return clean_space(text).lower()


def slug(text: str) -> str:
    """An upper-case ID fragment: "Care & Targeted Outcomes" -> "CARE-AND-TARGETED-OUTCOMES"."""
    text = normalise(text).replace("&", " and ").replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", text)).upper()


def tokens(text: str) -> list[str]:
    """Upper-case alphanumeric runs: "hwb goal 4c" -> ["HWB", "GOAL", "4C"]."""
    return re.findall(r"[A-Z0-9]+", normalise(text).upper())


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """'1 link', '2 links', '0 links'; `plural` for a word that does not take an s
    ('1 post or team', '3 posts and teams')."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
