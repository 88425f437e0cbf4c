"""The terminal table of `render_rows`, drawn without importing rich.

rich draws the tables (a simple-head box, the title on the left, text columns that wrap and share
the width left over by ratio); importing and running it costs a question that prints a table
more than the question itself. This module draws the same table, character for character, for
the text it can measure exactly: characters one cell wide (rich is given text, never markup or
emoji codes, so `[1]` and `:note:` are characters like any other). For anything else `draw`
returns None and the caller hands the table to rich. It follows rich's own steps (rich.table,
rich.text, rich._wrap, rich._ratio); tests/test_table.py compares the two on the commands'
tables and on random ones.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from math import ceil
from typing import NamedTuple

__all__ = ["Column", "draw"]

#: characters one cell wide for rich: its own single-cell ranges, and the general punctuation
#: (dashes, quotes, the ellipsis) that plan texts use
_RANGES = [(0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027),
           (0x2030, 0x203B), (0x203D, 0x2048), (0x204A, 0x205E)]
_SINGLE = frozenset(chr(c) for start, end in _RANGES for c in range(start, end + 1))
_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap
_TRAILING = re.compile(r"\s+$")  # rich.text


class Column(NamedTuple):
    header: str
    ratio: int | None = None  # a text column: shares the width left over
    no_wrap: bool = False


def draw(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int,
         title: str | None = None, expand: bool = False) -> list[str] | None:
    """The lines of the table (trailing spaces kept), as rich prints
    `Table(title=title, box=SIMPLE_HEAD, title_justify="left", expand=expand)` with these
    columns (overflow "fold") on a console `width` cells wide; None if it cannot be sure to."""
    texts = [c.header for c in columns] + [cell for row in rows for cell in row]
    if title:
        texts.append(title)
    if not all(_plain(t) for t in texts) or not columns or width < 1 or sys.platform == "win32":
        return None  # (a legacy Windows console draws other box characters)
    extra = 2 + len(columns) - 1  # the edges and a divider between columns
    cells = [[c.header, *(row[i] for row in rows)] for i, c in enumerate(columns)]
    widths = _widths(columns, cells, width - extra, expand)
    if widths is None or any(w < 3 for w in widths):
        return None
    table_width = sum(widths) + extra
    lines = list(_wrap(title, table_width)) if title else []
    lines.append(" " * table_width)  # the top edge: blank in this box
    body = list(zip(*cells, strict=True))
    for n, row in enumerate(body):
        cut = [_cell(text, w, c.no_wrap) for text, w, c in zip(row, widths, columns, strict=True)]
        height = max(len(r) for r in cut)
        if height == 1:  # most rows: one line each cell
            lines.append(f" {' '.join(r[0] for r in cut)} ")
        else:
            rendered = [list(r) for r in cut]
            for r, w in zip(rendered, widths, strict=True):
                blank = [" " * w] * (height - len(r))
                r[:] = blank + r if n == 0 else r + blank  # the header sits at the bottom
            lines += [f" {' '.join(parts)} " for parts in zip(*rendered, strict=True)]
        if n == 0:
            lines.append(" " + "─" * (table_width - 2) + " ")
    lines.append(" " * table_width)  # the bottom edge
    return [line[:width] for line in lines]


def _plain(text: str) -> bool:
    return _SINGLE.issuperset(text)


@lru_cache(maxsize=4096)  # a column repeats its words: types, statuses, plans
def _measure(text: str, max_width: int) -> tuple[int, int]:
    """rich's Measurement of a cell: its text padded one cell each side."""
    if max_width < 1:
        return 0, 0
    if max_width - 2 < 1:
        low, high = max_width, max_width
    else:
        words = text.split()
        high = len(text)
        low = max(len(w) for w in words) if words else high
        low, high = _bounded(_normal(low, high), max_width)
        if high < 1:
            low, high = 0, 0
        else:
            low, high = _normal(low, high)
        low, high = _bounded((low + 2, high + 2), max_width)
    low, high = _bounded(_normal(low, high), max_width)
    return (0, 0) if high < 1 else _normal(low, high)


def _normal(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _bounded(m: tuple[int, int], width: int) -> tuple[int, int]:
    return min(m[0], width), min(m[1], width)


def _column(cells: list[str], max_width: int) -> tuple[int, int]:
    if max_width < 1:
        return 0, 0
    measured = [_measure(t, max_width) for t in cells]
    return _bounded((max(m[0] for m in measured), max(m[1] for m in measured)), max_width)


def _widths(columns: Sequence[Column], cells: list[list[str]], max_width: int,
            expand: bool) -> list[int] | None:
    """rich.table.Table._calculate_column_widths, for columns of no fixed width."""
    if max_width < 1:
        return None
    ranges = [_column(c, max_width) for c in cells]
    widths = [high or 1 for _, high in ranges]
    if expand:
        ratios = [c.ratio or 0 for c in columns if c.ratio is not None]
        if any(ratios):
            fixed = [0 if c.ratio is not None else high for (_, high), c in zip(ranges, columns,
                                                                               strict=True)]
            flex = iter(_distribute(max_width - sum(fixed), ratios,
                                    [3 for c in columns if c.ratio is not None]))
            widths = [fixed[i] + next(flex) if c.ratio is not None else widths[i]
                      for i, c in enumerate(columns)]
    table_width = sum(widths)
    if table_width > max_width:
        widths = _collapse(widths, [not c.no_wrap for c in columns], max_width)
        table_width = sum(widths)
        if table_width > max_width:
            widths = _reduce(table_width - max_width, [1] * len(widths), widths, widths)
            table_width = sum(widths)
        widths = [_column(c, w)[1] or 0 for c, w in zip(cells, widths, strict=True)]
    if table_width < max_width and expand:
        if not any(widths):
            return None
        widths = [w + pad for w, pad in zip(widths, _distribute(max_width - table_width, widths),
                                            strict=True)]
    return widths


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich.table.Table._collapse_widths."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wrap in zip(widths, wrapable, strict=True) if wrap)
            second = max(w if wrap and w != widest else 0
                         for w, wrap in zip(widths, wrapable, strict=True))
            difference = widest - second
            ratios = [1 if (w == widest and wrap) else 0
                      for w, wrap in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not difference:
                break
            widths = _reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def _reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            share = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - share)
            remaining -= share
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    """rich._ratio.ratio_distribute."""
    if minimums:
        ratios = [r if m else 0 for r, m in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    remaining = total
    out = []
    for ratio, minimum in zip(ratios, minimums or [0] * len(ratios), strict=True):
        share = max(minimum, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 \
            else remaining
        out.append(share)
        total_ratio -= ratio
        remaining -= share
    return out


@lru_cache(maxsize=4096)
def _cell(text: str, width: int, no_wrap: bool) -> tuple[str, ...]:
    """A cell's lines, padded one cell each side to the column's width."""
    return tuple(f" {line} " for line in _wrap(text, width - 2, no_wrap=no_wrap))


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int, no_wrap: bool = False) -> tuple[str, ...]:
    """rich.text.Text.wrap, justified left and folded, of one line of single-cell text: each
    line exactly `width` cells."""
    if no_wrap:
        pieces = [text]
    else:
        offsets = _breaks(text, width)
        bounds = [0, *offsets, len(text)]
        pieces = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        pieces = [_strip_end(p, width) for p in pieces]
    return tuple(p[:width] if len(p) > width else p + " " * (width - len(p)) for p in pieces)


def _strip_end(piece: str, size: int) -> str:
    if len(piece) > size:
        trailing = _TRAILING.search(piece)
        if trailing is not None:
            return piece[:len(piece) - min(len(trailing.group(0)), len(piece) - size)]
    return piece


def _breaks(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line with fold, for single-cell text."""
    if len(text) <= width:  # every word fits where it stands
        return []
    breaks: list[int] = []
    offset = 0
    position = 0
    match = _WORD.match(text, position)
    while match is not None:
        start, end = match.span()
        word = match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            folded = [word[i:i + width] for i in range(0, len(word), width)]
            for i, line in enumerate(folded):
                if start:
                    breaks.append(start)
                if i == len(folded) - 1:
                    offset = len(line)
                else:
                    start += len(line)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
        match = _WORD.match(text, end)
    return breaks
