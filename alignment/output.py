"""The one place that formats results: rows as a terminal table, JSON or CSV, and records
(one element's details) as readable text or JSON. Presentation libraries are imported here only."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from enum import StrEnum
from typing import Any

__all__ = ["Format", "render_rows", "render_record", "width"]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def width() -> int:
    """Terminal width: the real one on a terminal, else $COLUMNS, else 100 (stable output)."""
    if sys.stdout.isatty():
        return os.get_terminal_size().columns
    try:
        return int(os.environ.get("COLUMNS", "100"))
    except ValueError:
        return 100


def _columns(rows: list[dict[str, Any]], columns: list[str] | None) -> list[str]:
    if columns:
        return columns
    seen: list[str] = []
    for r in rows:
        seen += [k for k in r if k not in seen]
    return seen


def render_rows(rows: list[dict[str, Any]], fmt: Format, columns: list[str] | None = None,
                title: str | None = None) -> str:
    cols = _columns(rows, columns)
    if fmt == Format.json:
        return json.dumps([{c: r.get(c) for c in cols} for r in rows], indent=2,
                          ensure_ascii=False) + "\n"
    if fmt == Format.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue()
    if not rows:
        return f"{title + ': ' if title else ''}no results\n"
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=False, title_justify="left",
                  expand=False)
    for c in cols:
        table.add_column(c, overflow="fold", no_wrap=c in {"id", "source", "type", "count"})
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in cols))
    console = Console(file=io.StringIO(), width=width(), color_system=None, highlight=False)
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def render_record(record: dict[str, Any], fmt: Format) -> str:
    """One node's details: JSON as is, or a readable outline (tables for its lists)."""
    if fmt == Format.json:
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    if fmt == Format.csv:
        flat = {k: v for k, v in record.items() if not isinstance(v, list | dict)}
        return render_rows([flat], fmt)
    head = [f"{record['id']}  ({record.get('type', '')})", f"  {record['label']}"]
    for key in ("plan", "code", "kind", "note", "part_of"):
        if record.get(key):
            head.append(f"  {key}: {record[key]}")
    if record.get("aliases"):
        head.append(f"  aliases: {'; '.join(record['aliases'])}")
    parts = ["\n".join(head) + "\n"]
    sections = [
        ("parents", "Parents", ["id", "type", "label"]),
        ("children", "Children", ["id", "type", "label"]),
        ("responsible", "Responsible", ["id", "type", "label", "accountable"]),
        ("statements", "Text", ["kind", "text", "source"]),
        ("references", "References", ["id", "label", "kind", "evidence", "source"]),
        ("referenced_by", "Referenced by", ["id", "label", "kind", "evidence", "source"]),
        ("variants", "Other versions' wording", ["document", "field", "text"]),
        ("provenance", "Provenance", ["document", "line_start", "line_end", "text"]),
    ]
    for key, title, cols in sections:
        rows = record.get(key)
        if rows:
            parts.append(render_rows(rows, Format.table, cols, title=title))
    return "\n".join(parts)
