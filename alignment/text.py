"""Small text helpers shared by the extractors and the resolver."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CONTROL", "clean_space", "counted", "escape_controls", "normalise", "slug", "tokens",
           "xml_text"]

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


#: C0 controls but tab and line feed, DEL, and the C1 controls: what a terminal may obey (a
#: carriage return that ends a CRLF line end, as in CSV, is harmless and stays)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
#: what XML 1.0 cannot hold at all, or holds only as a discouraged control
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str) -> str:
    r"""`text` with every control character but tab and line feed (and CR in CRLF) as the six
    characters \uXXXX: readable on a terminal, and in JSON, Turtle and N-Triples the language's
    own escape for the same character.

    >>> escape_controls("\x1b]0;PWNED\x07title\tok\n")
    '\\u001b]0;PWNED\\u0007title\tok\n'
    """
    return CONTROL.sub(_escape, text)


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can hold it: the characters it forbids (NUL, ESC and the other C0
    controls, lone surrogates, U+FFFE, U+FFFF) and the C1 controls written as \\uXXXX."""
    return _NOT_XML.sub(_escape, text)
