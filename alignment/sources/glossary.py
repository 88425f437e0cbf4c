"""Acronyms and names that need knowledge ("AEB", "NEET", "VCFSE"): what each means, as a fact
with its source, so that a suggestion's evidence can say that "AEB" is the Adult Education Budget.

Two sources, the documents' own first:
- a definition a document gives ("Adult Education Budget (AEB)") is found in the elements' text
  (the Schwartz and Hearst method: the letters of the short form are found, in order, in the
  words before it) and cited at its document and line;
- the workspace's `glossary.yaml` holds what no document defines, each entry with the source an
  officer can check; officers extend it. Where both define a term, the glossary wins: it is the
  officers' word.

Wherever an element's text or the goal line it matches uses a term without its meaning, the
evidence of the suggestion says what the term means. The similarity itself reads the texts as
written: reading the meanings beside the terms was measured on six judged plans and not adopted
(it helped the two plans judged last and lowered the 2024-29 plan and the pooled figure;
docs/evaluation.md). `expand` makes that reading, for measuring it again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from alignment.errors import InputError
from alignment.model import GlossaryTerm as Term
from alignment.sources.yamlio import at, load_yaml, validated, yaml_list

__all__ = ["GLOSSARY_FILE", "Term", "load_glossary", "defined_in", "expand", "used_in"]

GLOSSARY_FILE = "glossary.yaml"


def load_glossary(path: Path) -> list[Term]:
    """The workspace's glossary.yaml (none: an empty list); an error names the file and line."""
    raw = load_yaml(path)
    out: list[Term] = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(yaml_list(raw, "terms", path)):
        t = validated(Term, entry, path, f"terms[{i}]")
        here = at(path, entry)
        if t.term in seen:
            raise InputError(f"{here}: '{t.term}' is already defined at {seen[t.term]}; keep one "
                             f"entry per term")
        seen[t.term] = here
        out.append(t.model_copy(update={"where": here.rsplit("/", 1)[-1]}))
    return out


_PAREN = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _long_form(before: str, short: str) -> str | None:
    """Schwartz and Hearst: the shortest run of words before the parenthesis whose letters hold
    the short form's letters in order, the first letter starting a word."""
    letters = [c.lower() for c in short if c.isalnum()]
    words = _WORD.findall(before)[-(min(len(letters) + 5, len(letters) * 2)):]
    for start in range(len(words) - 1, -1, -1):
        candidate = " ".join(words[start:])
        if not words[start][0].lower() == letters[0]:
            continue
        text, k = candidate.lower(), len(letters) - 1
        pos = len(text) - 1
        while k >= 0 and pos >= 0:
            if text[pos] == letters[k] and (k > 0 or pos == 0 or not text[pos - 1].isalnum()):
                k -= 1
            pos -= 1
        if k < 0:
            return candidate
    return None


def defined_in(texts: list[tuple[str, str]]) -> list[Term]:
    """The definitions the texts give, each (text, "document:line"): "Long Form (LF)", first
    definition of each short form kept."""
    out: dict[str, Term] = {}
    for text, where in texts:
        for m in _PAREN.finditer(text):
            short = m.group(1)
            if short in out or sum(c.isupper() for c in short) < 2:
                continue
            long = _long_form(text[: m.start()], short)
            if long and len(long) > len(short) + 2:
                out[short] = Term(term=short, means=long, source=where, where=where)
    return list(out.values())


def expand(text: str, terms: dict[str, Term]) -> tuple[str, list[Term]]:
    """The text with each term it uses followed by its meaning, where the text does not give the
    meaning itself; and the terms read so."""
    used: list[Term] = []

    def one(m: re.Match[str]) -> str:
        t = terms.get(m.group(0))
        if t is None or t.means.lower() in text.lower():
            return m.group(0)
        if t not in used:
            used.append(t)
        return f"{m.group(0)} ({t.means})"

    if not terms:
        return text, used
    return _pattern(tuple(terms)).sub(one, text), used


def used_in(parts: list[str], terms: dict[str, Term]) -> list[Term]:
    """The terms of `expand` for the parts read as one text, a line apart (a term is read
    within one line, so each part's terms are found once however often it is asked)."""
    if not terms:
        return []
    pattern = _pattern(tuple(terms))
    text = "\n".join(parts).lower()
    used: list[Term] = []
    for part in parts:
        for found in _found(pattern, part):
            t = terms.get(found)
            if t is not None and t not in used and t.means.lower() not in text:
                used.append(t)
    return used


@lru_cache(maxsize=4096)
def _found(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in pattern.finditer(text))


@lru_cache(maxsize=8)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """The terms as whole words, longest first (built once per glossary)."""
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(terms, key=len, reverse=True))
                      + r")\b")
