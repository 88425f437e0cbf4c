"""Plans written by hand in YAML, and strategies our documents only name.

    elements:
      - code: "1"                 # as published; optional
        level: goal               # outcome, priority, deliverable, goal, action, ...
        title: Children are safe at home
        text: [a paragraph, another]   # or one string; optional
        posts: [Executive Director of Children's Services]   # optional
        teams: [Early Help]                                  # optional
        sources:                  # optional: where our documents say this
          - {document: cp24, lines: "398", quote: "Brighter Futures"}
        children: [...]           # the same, one level down

Every element's provenance is its entry's line in this file. A `sources` entry adds the cited
lines of another document of the workspace; the build checks that the quoted words are on
those lines, so a record says only what the documents say.
"""

from __future__ import annotations

import re
from typing import Any

from alignment.errors import InputError
from alignment.readers.base import ParseResult
from alignment.readers.common import Item, assemble, level_type, split_names
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText

__all__ = ["parse"]

_KEYS = {"code", "level", "title", "text", "posts", "teams", "sources", "children"}


def _line(node: Any, key: str | None = None) -> int:
    try:
        return (node.lc.key(key)[0] if key is not None else node.lc.line) + 1
    except (AttributeError, KeyError, TypeError):
        return 0


def parse(src: SourceText, plan: str, _c: Corrections | None = None) -> ParseResult:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = _whole(src, YAML(typ="rt", pure=True).load("\n".join(src.lines)))
    except RecursionError:
        raise InputError(f"{src.path}: invalid YAML: nested too deeply to read (brackets inside "
                         f"brackets, hundreds deep); a plan's values are texts and lists of "
                         f"elements") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{src.path}{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise InputError(f"{src.path}: no 'elements:' list found; a YAML plan lists its elements "
                         f"under 'elements:' (see 'align template yaml')")
    skipped: list[tuple[int, str]] = []
    roots = _items(src, data["elements"], skipped)
    if not roots:
        raise InputError(f"{src.path}: 'elements:' holds no element with a title; nothing to "
                         f"import")
    levels = None
    if src.document.levels:
        from alignment.readers.outline import _level

        levels = [_level(src, w) for w in src.document.levels]
    return assemble(src, plan, roots, levels, False, skipped)


def _whole(src: SourceText, node: Any, line: int = 0) -> Any:
    """Every text of the plan with escaped surrogate pairs ("\\ud83d\\ude00", as JSON writes an
    emoji) joined into their characters; a lone surrogate, which no file or store can hold, is
    an error at its line."""
    from alignment.sources.yamlio import lone_surrogate, whole_text

    if isinstance(node, str):
        whole = whole_text(node)
        if whole is None:
            raise InputError(f"{src.path}:{line}: a lone surrogate ({lone_surrogate(node)}), half "
                             f"of an escaped character; write the character itself")
        return whole
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _whole(src, node[key], _line(node, key) or line)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            try:
                at = node.lc.item(i)[0] + 1  # type: ignore[attr-defined]
            except (AttributeError, KeyError, TypeError):
                at = line
            node[i] = _whole(src, item, at)
    return node


def _text(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise InputError(f"{where}: expected text or a list of texts")


def _items(src: SourceText, entries: list[Any], skipped: list[tuple[int, str]]) -> list[Item]:
    out = []
    for i, entry in enumerate(entries):
        try:
            line = entries.lc.item(i)[0] + 1  # type: ignore[attr-defined]
        except (AttributeError, KeyError, TypeError):
            line = _line(entry) or _line(entries)
        where = f"{src.path}:{line}"
        if not isinstance(entry, dict):
            skipped.append((line, "not an element (an element is a mapping with a title)"))
            continue
        unknown = sorted(set(map(str, entry)) - _KEYS)
        if unknown:
            raise InputError(f"{where}: unknown key '{unknown[0]}' (known: "
                             f"{', '.join(sorted(_KEYS))})")
        if entry.get("title") is not None and not isinstance(entry["title"], str | int | float):
            raise InputError(f"{src.path}:{_line(entry, 'title') or line}: 'title' must be one "
                             f"line of text, not a list or a mapping")
        title = str(entry.get("title") or "").strip()
        if not title:
            skipped.append((line, "no title"))
            continue
        exact = src.lines[line - 1].strip() if 0 < line <= len(src.lines) else title
        item = Item(line, exact, re.sub(r"\s+", " ", title), code=str(entry.get("code") or ""))
        if entry.get("level") is not None:
            item.level = level_type(str(entry["level"]))
            if item.level is None:
                raise InputError(f"{src.path}:{_line(entry, 'level')}: unknown level "
                                 f"'{entry['level']}'; use a word such as outcome, priority, "
                                 f"deliverable, goal, action")
        for key, bucket in (("text", item.statements), ("posts", item.posts),
                            ("teams", item.teams)):
            kline = _line(entry, key) or line
            values = _text(entry.get(key), f"{src.path}:{kline}: '{key}'")
            if key == "text":
                bucket += [(kline, v) for v in values]
            else:
                bucket += [(kline, n) for v in values for n in split_names(v)]
        item.sources = _sources(src, entry.get("sources"), _line(entry, "sources") or line)
        children = entry.get("children")
        if children is not None:
            if not isinstance(children, list):
                raise InputError(f"{src.path}:{_line(entry, 'children')}: 'children' must be a "
                                 f"list of elements")
            for child in _items(src, children, skipped):
                item.adopt(child)
        out.append(item)
    return out


def _sources(src: SourceText, raw: Any, line: int) -> list[tuple[int, str, int, int, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(f"{src.path}:{line}: 'sources' must be a list of {{document, lines, "
                         f"quote}}")
    out = []
    for s in raw:
        at = _line(s) or line
        if not isinstance(s, dict) or not {"document", "lines", "quote"} <= set(s):
            raise InputError(f"{src.path}:{at}: a source names its document, lines and quote, "
                             f"e.g. {{document: cp24, lines: \"398\", quote: \"Brighter Futures\"}}")
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", str(s["lines"]))
        if not m:
            raise InputError(f"{src.path}:{at}: lines '{s['lines']}': give a line or a range, "
                             f"e.g. \"398\" or \"85-89\"")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        out.append((at, str(s["document"]), first, last, str(s["quote"])))
    return out
