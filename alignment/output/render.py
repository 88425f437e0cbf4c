"""The one place that formats results: rows as a terminal table, JSON or CSV, and records
(one element's details) as readable text or JSON; rows to a file whose name says its type
(.csv for spreadsheets, .xlsx, .json). Presentation libraries are imported here only."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alignment.text import counted, escape_controls, xml_text

if TYPE_CHECKING:
    from alignment.output.table import Column

__all__ = ["Format", "inert_csv", "result_body", "render_rows", "render_record", "render_links",
           "render_paths", "width", "write_table", "write_rows", "file_format", "HEADERS",
           "ROW_FILES"]


#: columns of running text share the width left over, in these proportions
_TEXT_RATIO = {"label": 3, "text": 3, "variant": 3, "evidence": 2, "why": 2, "gap": 1,
               "aliases": 2, "description": 3, "parameters": 3}


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


#: the columns of each command's rows, for the header row of an empty answer (a CSV with no
#: header is refused by pandas and by Excel's import); tests/test_cli.py checks them against
#: the rows of a non-empty answer
HEADERS: dict[str, list[str]] = {
    "list": ["id", "type", "label", "plan", "source"],
    "search": ["id", "type", "label", "plan", "matched", "source"],
    "director": ["id", "type", "label", "accountable", "source"],
    "versions": ["id", "field", "label", "document", "variant"],
    "serves": ["id", "type", "label", "plan", "link", "kind", "score", "status", "evidence",
               "source", "via", "group", "ended"],
    "supports": ["id", "type", "label", "plan", "link", "kind", "score", "status", "evidence",
                 "source"],
    "gaps": ["id", "type", "label", "plan", "gap", "source"],
    "why": ["path", "step", "id", "type", "label", "relation", "to", "evidence", "link"],
    "continuity": ["id", "type", "label", "status", "into", "score", "link", "evidence"],
    "review": ["id", "type", "label", "plan", "link", "kind", "score", "status", "evidence",
               "source", "decision", "review"],
    "decisions": ["n", "id", "type", "label", "source", "target", "decision", "by", "date",
                  "why", "withdrawn_by", "withdrawn_on", "state"],
}

#: the file types rows are written to, by the file's suffix
ROW_FILES = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


def file_format(out: Path | None, fmt: Format | None) -> Format:
    """The format of the answer: with a file, the one its name gives (a `--format` that says
    otherwise is refused, and .xlsx answers as CSV would: every column); else `fmt`, or the
    terminal table."""
    if out is None:
        return fmt or Format.table
    from alignment.errors import InputError

    kind = ROW_FILES.get(out.suffix.lower())
    if kind is None:
        raise InputError(f"{out}: rows are written to a .csv, .xlsx or .json file; give a name "
                         f"ending in one of those")
    if fmt is not None and fmt.value != kind:
        raise InputError(f"--format {fmt.value} contradicts {out.name}: the file's type follows "
                         f"its name; drop --format, or name the file .{fmt.value}"
                         if fmt != Format.table else
                         f"--format table contradicts {out.name}: the file's type follows its "
                         f"name; drop --format to write the file")
    return Format.json if kind == "json" else Format.csv


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


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula ("=HYPERLINK(...)", "+1", "@SUM")
    gets a leading apostrophe, as spreadsheets themselves mark text; numbers are left alone."""
    if isinstance(value, str):
        value = escape_controls(value)  # a spreadsheet's cell holds no ESC, NUL or BEL
        return "'" + value if value.startswith(_FORMULA) else value
    return value


def inert_csv(body: bytes) -> bytes:
    """SPARQL CSV results (RFC 4180, CRLF) with the same rule as every CSV the engine writes:
    a cell that a spreadsheet would run as a formula gets a leading apostrophe; the header
    (variable names) is left as it is."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows(rows[:1])
    w.writerows([_inert(c) for c in row] for row in rows[1:])
    return buf.getvalue().encode("utf-8")


def result_body(body: bytes, media_type: str) -> bytes:
    """What `sparql` writes, to a file or a terminal: CSV results with formulas inert
    (inert_csv); XML (SPARQL XML results, RDF/XML) with the characters XML cannot hold (NUL,
    ESC and the other controls) written as \\uXXXX, so that the file parses."""
    if media_type == "text/csv":
        return inert_csv(body)
    if "xml" in media_type:
        return xml_text(body.decode("utf-8")).encode("utf-8")
    return body


def render_rows(rows: list[dict[str, Any]], fmt: Format, columns: list[str] | None = None,
                title: str | None = None, at_least: int = 0,
                header: list[str] | None = None) -> str:
    """Rows as JSON, CSV (plain UTF-8 and LF line ends, for pipes: `write_rows` writes the
    spreadsheet kind) or a terminal table. `header`: the columns of an empty answer."""
    cols = _columns(rows, columns) or list(header or [])
    if fmt == Format.json:
        return json.dumps([{c: r.get(c) for c in cols} for r in rows], indent=2,
                          ensure_ascii=False) + "\n"
    if fmt == Format.csv:
        return _csv(rows, cols, "\n")
    if not rows:
        return f"{title + ': ' if title else ''}no results\n"
    from alignment.output.table import Column, draw

    spec = [Column(c, _TEXT_RATIO.get(c),
                   no_wrap=c not in _TEXT_RATIO and c not in {"aliases", "into", "to"})
            for c in cols]
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in cols] for r in rows]
    expand = any(c in _TEXT_RATIO for c in cols)
    lines = draw(spec, cells, max(width(), at_least), title, expand)
    if lines is None:  # text that only rich measures
        lines = _rich_table(spec, cells, max(width(), at_least), title, expand)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _csv(rows: list[dict[str, Any]], cols: list[str], end: str) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator=end)
    w.writeheader()
    w.writerows({k: _inert(v) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def _rich_table(spec: list[Column], cells: list[list[str]], console_width: int, title: str | None,
                expand: bool) -> list[str]:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # cells are Text, not markup: a plan's "[1]" or ":note:" prints as written
    table = Table(title=Text(title) if title else None, box=box.SIMPLE_HEAD, show_lines=False,
                  title_justify="left", expand=expand)
    for c in spec:
        table.add_column(Text(c.header), overflow="fold", ratio=c.ratio, no_wrap=c.no_wrap)
    for row in cells:
        table.add_row(*map(Text, row))
    console = Console(file=io.StringIO(), width=console_width, color_system=None, highlight=False)
    console.print(table)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


_SHORT_KINDS = {"structural": "str", "curated": "cur", "explicit": "exp", "inherited": "inh",
                "similarity": "sim"}


def render_matrix(rows: list[dict[str, Any]], fmt: Format, columns: list[str]) -> str:
    """The coverage matrix: JSON and CSV as the rows are; on a terminal, compact (no label
    column, short cells such as "sim 0.28?") so that it fits, with a key below."""
    if fmt != Format.table or not rows:
        return render_rows(rows, fmt, columns)
    goals = [c for c in columns if c not in {"id", "plan", "label", "goals served",
                                             "by asserted links"}]
    marks = {"(suggested)": "?", "(accepted)": "+", "(rejected)": "x"}

    def short(cell: str) -> str:
        if not cell:
            return ""
        kind, score, *note = cell.split(" ", 2)
        mark = marks.get(note[0], "") if note else ""
        return f"{_SHORT_KINDS.get(kind, kind)} {float(score):.2f}".replace(" 0.", " .") + mark

    compact = [{"id": r["id"], **{g: short(r[g]) for g in goals},
                "goals": f"{r['goals served']}/{r['by asserted links']}"} for r in rows]
    import textwrap

    key = ("key: exp explicit, inh inherited, sim similarity, cur curated, str structural; "
           "? a suggestion not yet decided, + accepted by an officer, x rejected; goals: how "
           "many it serves / of them by asserted links. --out FILE.xlsx or --format csv gives "
           "the full cells and the labels.")
    cols = ["id", *goals, "goals"]
    # wider than the terminal rather than cut: a cut ID or score would mislead
    needed = 2 + sum(3 + max(len(c), *(len(str(r[c])) for r in compact)) for c in cols)
    return (render_rows(compact, fmt, cols, at_least=needed)
            + "\n".join(textwrap.wrap(key, max(width(), 60) - 2)) + "\n")


def render_decisions(rows: list[dict[str, Any]], fmt: Format) -> str:
    """Officers' decisions: JSON or CSV as rows; on a terminal, one block per decision (number,
    decision, link, who and when, whether in force; then why, wrapped), so no width cuts a
    number or an ID."""
    if fmt != Format.table:
        return render_rows(rows, fmt, header=HEADERS["decisions"])
    if not rows:
        return "no decisions\n"
    w = max(width(), 60)
    out = []
    for r in rows:
        state = "in force" if r["state"] == "in force" else \
            f"withdrawn by {r['withdrawn_by']} on {r['withdrawn_on']}"
        out.append(f"{r['n']:>3}  {r['decision']:<6}  {r['source']} -> {r['target']}\n")
        out += _block(f"by {r['by']} on {r['date']}; {state}", w, "      ")
        if r["why"]:
            out += _block(f"why: {r['why']}", w, "           ")
    return "".join(out)


def render_record(record: dict[str, Any], fmt: Format) -> str:
    """One node's details: JSON as is, or a readable outline (tables for its lists)."""
    if fmt == Format.json:
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    if fmt == Format.csv:
        flat = {k: v for k, v in record.items() if not isinstance(v, list | dict)}
        return render_rows([flat], fmt)
    head = [f"{record['id']}  ({record.get('type', '')})", f"  {record['label']}"]
    for key in ("plan", "code", "due", "kind", "note", "part_of"):
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
        ("references", "Links from it", ["id", "label", "kind", "evidence", "source"]),
        ("referenced_by", "Links to it", ["id", "label", "kind", "evidence", "source"]),
        ("variants", "Other versions' wording", ["document", "field", "text"]),
        ("provenance", "Provenance", ["document", "line_start", "line_end", "text"]),
    ]
    if any("locator" in p for p in record.get("provenance", [])):  # a page, paragraph, element
        sections[-1] = ("provenance", "Provenance",
                        ["document", "line_start", "line_end", "locator", "text"])
    for key, title, cols in sections:
        rows = record.get(key)
        if rows:
            parts.append(render_rows(rows, Format.table, cols, title=title))
    if record.get("suggestions"):
        parts.append(f"and {counted(record['suggestions'], 'suggested link')} (text similarity, continuity), "
                     f"not shown: 'align serves' and 'align supports' list those at or above the "
                     f"threshold, 'align review GOAL' all of a goal's\n")
    return "\n".join(parts)


def write_rows(path: Path, rows: list[dict[str, Any]], columns: list[str] | None = None,
               sheet: str = "Results", header: list[str] | None = None,
               freeze: str | None = None) -> None:
    """Write rows to the file, atomically, in the type its name gives: .csv for spreadsheets
    (UTF-8 with a byte-order mark and CRLF line ends, as Excel reads without garbling a dash),
    .xlsx (a bold, frozen header row, fitted column widths, the named sheet; text that looks
    like a formula stays text) or .json. An empty answer keeps its header row (`header`)."""
    from alignment.files import write_atomic

    cols = _columns(rows, columns) or list(header or [])
    kind = file_format(path, None)
    if path.suffix.lower() == ".xlsx":
        data: str | bytes = _xlsx(rows, cols, sheet, freeze)
    elif kind == Format.csv:
        data = "\ufeff" + _csv(rows, cols, "\r\n")
    else:
        data = render_rows(rows, Format.json, cols)
    write_atomic(path, data)


def write_table(path: Path, rows: list[dict[str, Any]], columns: list[str], sheet: str) -> None:
    """The coverage matrix to a file: its ID, plan and label columns stay in view."""
    write_rows(path, rows, columns, sheet, freeze="D2")


_SHEET_BANNED = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str) -> str:
    """A name Excel takes for a sheet: at most 31 characters, none of []:*?/\\."""
    name = " ".join(title.translate(_SHEET_BANNED).split()).strip("'")[:31].strip()
    return name or "Results"


def _xlsx(rows: list[dict[str, Any]], cols: list[str], sheet: str, freeze: str | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(sheet)
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)

    def value(v: Any) -> Any:
        if v is None or isinstance(v, bool | int | float):
            return v
        # XML (the file inside) cannot hold NUL, ESC and the like: they are written \uXXXX
        return xml_text(v) if isinstance(v, str) else xml_text(json.dumps(v, ensure_ascii=False))

    longest = [len(c) for c in cols]
    for r in rows:
        ws.append([value(r.get(c)) for c in cols])
        for i, cell in enumerate(ws[ws.max_row]):
            if cell.data_type == "f":  # text that begins with "=" stays text, never a formula
                cell.data_type = "s"
            if cell.value is not None:
                longest[i] = max(longest[i], max(map(len, str(cell.value).splitlines() or [""])))
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, name in enumerate(cols, 1):
        text = name in _TEXT_RATIO or longest[i - 1] > 60
        ws.column_dimensions[get_column_letter(i)].width = 60 if text else \
            max(8, min(40, longest[i - 1] + 2))
        if text:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = wrap
    # the header row stays in view, and the ID column beside the rest
    ws.freeze_panes = freeze or ("B2" if cols and cols[0] == "id" and len(cols) > 1 else "A2")
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(ws.max_row, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render_import(report: dict[str, Any], fmt: Format) -> str:
    """What an import recognised and skipped, and whether it was registered."""
    if fmt == Format.json:
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == Format.csv:
        return render_rows([{"line": s["line"], "skipped": s["why"]} for s in report["skipped"]],
                           fmt)
    counts = ", ".join(f"{n} {t}" for t, n in report["counts"].items())
    verb = "added" if report["written"] else "checked (nothing written)"
    out = [f"{verb}: {report['file']} as document '{report['document']}' of plan "
           f"{report['plan']} ({report['layout']})\n",
           f"recognised {report['elements']} elements: {counts}\n"]
    if report.get("text"):
        out.append(f"text read {'kept in' if report['written'] else 'to be kept in'} "
                   f"{report['text']} (the lines named here are its lines)\n")
    if report["levels"]:
        out.append(f"levels, top first: {', '.join(report['levels'])}\n")
    if report["posts"] or report["teams"]:
        out.append(f"responsible: {_count(len(report['posts']), 'post')}, "
                   f"{_count(len(report['teams']), 'team')} named\n")
    if report["skipped"]:
        out.append(f"skipped {counted(len(report['skipped']), 'line')}:\n")
        out += [f"  line {s['line']}: {s['why']}\n" for s in report["skipped"]]
    out += [f"warning: {w}\n" for w in report["warnings"]]
    if report["written"]:
        out.append("next: 'align build' reads it into the graph\n")
    else:
        out += _tree(report.get("tree", []))
        out.append("next: the same command without --check adds it\n")
    return "".join(out)


def _tree(nodes: list[dict[str, Any]]) -> list[str]:
    """The elements an import would add, nested as read: ID, type, title, owners, line."""
    if not nodes:
        return []
    depth: dict[str | None, int] = {}
    w = max(width(), 60)
    out = ["what it would add (line, ID, level: title; owners below):\n"]
    for n in nodes:
        d = depth[n["id"]] = depth.get(n["parent"], -1) + 1
        head = f"  {n['line']:>4}  {'  ' * d}{n['id']}  {n['type']}: "
        room = max(w - len(head), 20)
        text = n["label"] + (f" [{n['where']}]" if n.get("where") else "")
        out.append(head + (text if len(text) <= room else text[:room - 1] + "…") + "\n")
        if n["owners"]:
            out.append(f"        {'  ' * d}  owners: {'; '.join(n['owners'])}\n")
    return out


def render_links(rows: list[dict[str, Any]], fmt: Format, title: str,
                 header: list[str] | None = None) -> str:
    """Link rows: JSON or CSV as rows; on a terminal, in their groups (`group`, else the kind),
    one block per link (ID, kind, score, status, source line, a plan that has ended; then its
    text, and its evidence: the plain sentence, then the arithmetic if any, wrapped)."""
    if fmt != Format.table:
        return render_rows(rows, fmt, header=header)
    w = max(width(), 60)
    out = [f"{title}\n"]

    def heading(r: dict[str, Any]) -> str:
        if r.get("group"):
            return r["group"] + (f", {r['via']}" if r.get("via") else "")
        return f"commits to the whole strategy, {r['via']}" if r.get("via") else r["kind"]

    kinds: list[str] = []
    for r in rows:
        if heading(r) not in kinds:
            kinds.append(heading(r))
    for kind in kinds:
        group = [r for r in rows if heading(r) == kind]
        out.append(f"\n{kind} ({len(group)})\n")
        for r in group:
            what = f"{r['kind']} {r['score']:.3f}" if r.get("group") else f"{r['score']:>5.3f}"
            gone = f"  (plan {r['plan']} ended {r['ended']})" if r.get("ended") else ""
            out.append(f"  {r['id']:<20} {what}  {r['status']:<9}  {r['source']}{gone}\n")
            out += _block(r["label"], w, "      ")
            plain, _, arithmetic = r["evidence"].partition("\n")
            out += _block(f"why: {plain}", w, "           ")
            if arithmetic:
                out += _block(f"how: {arithmetic}", w, "           ")
    if not rows:
        out.append("no links\n")
    return "".join(out)


def render_paths(rows: list[dict[str, Any]], fmt: Format, title: str) -> str:
    """Path rows: JSON or CSV as rows; on a terminal, one block per path, one line per step."""
    if fmt != Format.table:
        return render_rows(rows, fmt, header=HEADERS["why"])
    w = max(width(), 60)
    out = [f"{title}\n"]
    paths: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        paths.setdefault(r["path"], []).append(r)
    for k, steps in paths.items():
        out.append(f"\npath {k} ({len(steps)} step{'s' if len(steps) > 1 else ''})\n")
        for r in steps:
            out.append(f"  {r['id']} {r['relation']} {r['to']}\n")
            if r["evidence"]:
                out += _block(f"why: {r['evidence']}", w, "           ")
    if not rows:
        out.append("no path within 5 steps (a path may end at a goal, a plan or a post, but "
                   "never passes through one: 'align supports' and 'align serves' show their "
                   "links)\n")
    return "".join(out)


def _block(text: str, w: int, hanging: str) -> list[str]:
    """Text wrapped to the terminal, indented six spaces, later lines by `hanging`."""
    import textwrap

    return [line + "\n" for line in textwrap.wrap(text, w - 6, initial_indent="      ",
                                                  subsequent_indent=hanging)]
