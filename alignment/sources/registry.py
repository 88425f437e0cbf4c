"""The curated registry of posts, strategies and bodies, and the matcher that finds their names
in text (longest match wins; a named body is never read as a strategy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from alignment.errors import InputError
from alignment.model import Strategy
from alignment.sources.yamlio import at, line_of, load_yaml, validated, yaml_list
from alignment.text import normalise

__all__ = ["Registry", "PostEntry", "Match"]


class PostEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    aliases: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    phrase: str
    target: str | None  # strategy ID, or None for a named body


def _alias_pattern(alias: str) -> re.Pattern[str]:
    parts = [re.escape(w).replace("'", "['\u2019]") for w in alias.split()]
    body = r"\s+".join(parts)
    acronym = alias.isupper() and " " not in alias
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if acronym else re.IGNORECASE)


def _needle(name: str) -> tuple[str, bool]:
    word = name.split()[0].split("'")[0]
    exact = name.isupper() and " " not in name
    if not word.isascii():
        return "", exact
    return (word if exact else word.lower()), exact


class Registry:
    def __init__(self, posts: list[PostEntry], strategies: list[Strategy], bodies: list[str]):
        self.posts = posts
        self.strategies = strategies
        self.bodies = bodies
        self._post_index = {normalise(name): p.id for p in posts for name in [p.label, *p.aliases]}
        patterns: list[tuple[re.Pattern[str], str | None]] = []
        named = [(name, s.id) for s in strategies for name in {s.label, *s.aliases}]
        for name, target in [*named, *((b, None) for b in bodies)]:
            patterns.append((_alias_pattern(name), target))
        self._patterns = patterns
        # what a text must hold for each pattern to match it: the name's first word up to any
        # apostrophe (as written for an acronym, else in lower case; "" where the word is not
        # ASCII, whose case folding Python's re reads more widely); most texts hold few
        self._needles = [_needle(name) for name, _ in [*named, *((b, None) for b in bodies)]]

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read registry.yaml; an error names the file, the line and the entry."""
        raw = load_yaml(path)
        raw_posts = yaml_list(raw, "posts", path)
        raw_strategies = yaml_list(raw, "strategies", path)
        posts = [validated(PostEntry, p, path, f"posts[{i}]") for i, p in enumerate(raw_posts)]
        strategies = [validated(Strategy, s, path, f"strategies[{i}]")
                      for i, s in enumerate(raw_strategies)]
        bodies = [str(b) for b in yaml_list(raw, "bodies", path)]
        entries = [("post", p.id, [p.label, *p.aliases], r) for p, r in zip(posts, raw_posts,
                                                                          strict=True)]
        entries += [("strategy", s.id, [s.label, *s.aliases], r)
                    for s, r in zip(strategies, raw_strategies, strict=True)]
        seen: dict[str, str] = {}
        for what, entry_id, names, entry in entries:
            here = at(path, entry)
            if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", entry_id):
                raise InputError(f"{at(path, entry, 'id')}: {what} ID '{entry_id}' must be "
                                 f"upper-case letters, digits and hyphens (e.g. "
                                 f"STRAT-BACKING-THURROCK)")
            if any(len(str(n).strip()) < 2 for n in names):
                raise InputError(f"{here}: {what} '{entry_id}' has an empty label or alias; "
                                 f"remove it or fill it in")
            if entry_id in seen:
                raise InputError(f"{at(path, entry, 'id')}: ID '{entry_id}' is listed twice "
                                 f"(first on line {seen[entry_id]}); make IDs unique")
            seen[entry_id] = str(line_of(entry, "id") or "?")
        if any(len(b.strip()) < 2 for b in bodies):
            raise InputError(f"{at(path, raw, 'bodies')}: 'bodies' has an empty name; remove it")
        known = {s.id for s in strategies}
        for s, entry in zip(strategies, raw_strategies, strict=True):
            if s.part_of and s.part_of not in known:
                raise InputError(f"{at(path, entry, 'part_of')}: strategy '{s.id}' is part of "
                                 f"unknown '{s.part_of}'; add it, or fix 'part_of'")
        return cls(posts, strategies, bodies)

    def post_id(self, name: str) -> str | None:
        return self._post_index.get(normalise(name))

    def find(self, text: str) -> list[Match]:
        """Named strategies and bodies in `text`: longest first, no overlaps, in text order."""
        patterns = self._patterns
        if text.isascii():  # beyond ASCII, case folding can change a word's length
            low = text.lower()
            patterns = [p for p, (needle, exact) in zip(patterns, self._needles, strict=True)
                        if needle in (text if exact else low)]
        found = [Match(m.start(), m.end(), m.group(0), target)
                 for rx, target in patterns for m in rx.finditer(text)]
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        chosen: list[Match] = []
        for m in found:
            if all(m.end <= c.start or m.start >= c.end for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)
