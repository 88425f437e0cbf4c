"""Spreadsheets, CSV (comma, tab or semicolon separated) or XLSX: one row per element.

The first non-empty row names the columns; the names are matched loosely (case, spacing,
punctuation and common synonyms do not matter): plan, level, code, title, text, parent, post,
team, due (a date, kept as the sheet shows it). Only title is required. A row's parent is the row
whose code its `parent` cell names; without a parent column, dotted codes (`2.1` under `2`) or
the level column (`1`, `2`, or words such as `priority`, `deliverable`) give the tree. In a wide
sheet (Theme, Priority, Action, Lead) each theme and priority is an element; a blank cell in
those columns (a merged cell, or a group named on its first row only) is the value above it.
Provenance is the row: its line in a CSV file, its row number in a workbook (rendered as the
row's cells, tab-separated).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, NamedTuple

from alignment.errors import InputError
from alignment.readers.base import ParseResult
from alignment.readers.common import Item, assemble, level_type, split_names
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText, sheet_names

__all__ = ["parse_csv", "parse_xlsx", "COLUMNS"]

#: The columns read, and the header names that mean each (after lower-casing and spacing).
COLUMNS: dict[str, tuple[str, ...]] = {
    "plan": ("plan", "plan id"),
    "level": ("level", "type", "tier", "element type"),
    "code": ("code", "ref", "reference", "number", "no", "no.", "id", "#", "item no"),
    "title": ("title", "name", "label", "heading", "deliverable", "action", "item",
              "commitment", "priority"),
    "text": ("text", "description", "detail", "details", "notes", "summary", "narrative"),
    "parent": ("parent", "parent code", "parent ref", "parent id", "under"),
    "post": ("post", "posts", "owner", "lead", "lead officer", "responsible",
             "responsible director", "responsible officer", "director", "accountable",
             "post/team", "lead director", "sro", "senior responsible officer",
             "accountable officer", "accountable director", "lead member", "responsible lead",
             "lead owner", "action owner", "owner lead"),
    "team": ("team", "teams", "lead team", "service", "lead service"),
    "due": ("due", "due date", "due by", "by when", "target date", "deadline", "date due",
            "completion date", "target completion date", "timescale", "when", "by"),
}


def _header(cell: str) -> str:
    """A header as it is matched: lower case, "(s)" dropped, punctuation read as spacing
    ("Lead Director:", "Responsible Officer(s)", "S.R.O." and "Lead / Owner" all match)."""
    name = cell.replace("(s)", "").replace("(S)", "").strip().lower()
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]?\.?", name):  # initials: S.R.O.
        name = name.replace(".", "")
    return re.sub(r"[^a-z0-9#]+", " ", name).strip()


#: Each header name, as matched, and the column it names.
_KEYS = {_header(n): k for k, names in COLUMNS.items() for n in names}


def _rows(src: SourceText, sheet: bool) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of every row."""
    if sheet:
        return [(n, n, ln.split("\t")) for n, ln in enumerate(src.lines, 1)]
    out = []
    head = next((ln for ln in src.lines if ln.strip()), "")
    # the separator the header uses most: commas, tabs (.tsv, a sheet pasted as text) or
    # semicolons (spreadsheets set up for a decimal comma)
    sep = max(",\t;", key=head.count)
    reader = csv.reader(io.StringIO("\n".join(src.lines)), delimiter=sep, strict=True)
    start = 1
    try:
        for cells in reader:
            out.append((start, reader.line_num, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{src.path}:{start}: not valid CSV ({exc}); check the quotes of the "
                         f"row that starts on that line") from None
    return out


def parse_csv(src: SourceText, plan: str, _c: Corrections | None = None) -> ParseResult:
    return _parse(src, plan, sheet=False)


def parse_xlsx(src: SourceText, plan: str, _c: Corrections | None = None) -> ParseResult:
    return _parse(src, plan, sheet=True)


#: a heading line of a document read for the csv layout ("## Our priorities")
_HEADING_LINE = re.compile(r"^(#{1,6}) (\S.*)$")
#: the group columns that a document's headings above its tables stand for, by how many levels
#: of headings divide the tables
_HEADING_GROUPS = {1: ("priority",), 2: ("outcome", "priority"),
                   3: ("outcome", "strategic objective", "priority")}


class DocumentTable(NamedTuple):
    rows: list[tuple[int, int, list[str]]]  # the header row first
    other: list[tuple[int, str]]  # the lines skipped, and why
    headed: dict[tuple[str, ...], int]  # a group named by headings -> its heading's line


def document_table(src: SourceText) -> DocumentTable:
    """A PDF, Word, web or ODF document's table of elements: the rows of its first table whose
    first row names a title column and another column, and of every later table, or part of one
    (a long table goes on over pages), with the same columns; a header row repeated at the top
    of a part, or of a page, is left out. Where headings divide the parts (an outcome's heading,
    a priority's, then its table), the headings' titles group the rows as a wide sheet's group
    columns do (the rows are given those columns, first). The document's other lines are
    skipped. A table is a run of tab-separated lines (alignment.sources.documents writes each
    table's rows together, blank lines around them)."""
    runs: list[tuple[list[tuple[int, str]], list[tuple[int, int, list[str]]]]] = []
    stack: list[tuple[int, str]] = []  # the headings above, as (level, line)
    run: list[tuple[int, int, list[str]]] = []
    for n, line in enumerate(src.lines, 1):
        if "\t" in line:
            if not run:
                runs.append((list(stack), run))
            run.append((n, n, line.split("\t")))
            continue
        run = []
        m = _HEADING_LINE.match(line)
        if m:
            level = len(m.group(1))
            stack = [(lv, ln) for lv, ln in stack if lv < level] + [(level, str(n))]
    first = next((k for k, (_, r) in enumerate(runs)
                  if len([c for c in r[0][2] if c.strip()]) >= 2
                  and _columns(r[0][2])[0].get("title") is not None), None)
    if first is None:
        return DocumentTable([(n, n, line.split("\t")) for n, line in enumerate(src.lines, 1)],
                             [], {})
    head = runs[first][1][0][2]
    names = [_header(c) for c in head]
    parts: list[tuple[list[tuple[int, str]], list[tuple[int, int, list[str]]]]] = []
    for k, (above, r) in enumerate(runs[first:]):
        if k and len(r[0][2]) != len(head):
            continue  # another table
        body = [row for row in r if [_header(c) for c in row[2]] != names]  # headers repeated
        parts.append((above, body))
    # the heading levels whose titles differ between the parts group the rows
    levels = sorted({lv for above, _ in parts for lv, _ in above}
                    - {lv for lv, n in parts[0][0] if all((lv, n) in a for a, _ in parts)})
    kinds = _HEADING_GROUPS.get(len(levels), _HEADING_GROUPS[3])
    levels = levels[-len(kinds):]
    rows: list[tuple[int, int, list[str]]] = [(runs[first][1][0][0], runs[first][1][0][1],
                                               [*kinds[len(kinds) - len(levels):], *head])]
    headed: dict[tuple[str, ...], int] = {}
    used: set[int] = set()
    for above, body in parts:
        at = dict(above)
        titles = [_HEADING_LINE.match(src.line(int(at[lv])))[2] if lv in at else ""  # type: ignore[index]
                  for lv in levels]
        path: tuple[str, ...] = ()
        for lv, title in zip(levels, titles, strict=True):
            if title:
                path += (re.sub(r"\s+", " ", title.strip()),)
                headed.setdefault(path, int(at[lv]))
                used.add(int(at[lv]))
        rows += [(a, b, [*titles, *cells]) for a, b, cells in body]
    inside = {r[0] for r in rows} | used
    other = [(n, "outside the table of elements") for n, line in enumerate(src.lines, 1)
             if line.strip() and n not in inside]
    return DocumentTable(rows, other, headed)


def _parse(src: SourceText, plan: str, sheet: bool) -> ParseResult:
    outside: list[tuple[int, str]] = []
    headed: dict[tuple[str, ...], int] = {}
    if src.locators:  # a PDF, Word, web or ODF document: its table, cells tab-separated
        table, outside, headed = document_table(src)
        rows = [r for r in table if any(c.strip() for c in r[2])]
    else:
        rows = [r for r in _rows(src, sheet) if any(c.strip() for c in r[2])]
    if not rows:
        raise InputError(f"{src.path}: no rows; a sheet needs a header row and one row per "
                         f"element (see 'align template csv')")
    # the header: the first of the first few rows that names a title column (a sheet may have
    # a title row above it)
    at = next((k for k, r in enumerate(rows[:6]) if _columns(r[2])[0].get("title") is not None),
              None)
    inferred = ""  # a column read as the title though its name is not one of COLUMNS["title"]
    if at is None:
        found = _title_by_length(rows)
        if found is not None:
            at, column = found
            head = list(rows[at][2])
            inferred = head[column].strip()
            head[column] = "title"
            rows[at] = (rows[at][0], rows[at][1], head)
    if at is None:
        head_line, _, head = rows[0]
        sheets = sheet_names(src.path.read_bytes()) if sheet else []
        more = (f"; the workbook's sheets: {', '.join(sheets)} (choose one with --sheet)"
                if len(sheets) > 1 else "")
        raise InputError(f"{src.path}:{head_line}: no title column in the header row (found: "
                         f"{', '.join(c.strip() for c in head if c.strip()) or 'nothing'}); name "
                         f"one column 'title' (see 'align template csv'){more}")
    head_line, _, head = rows[at]
    above = [(r[0], "above the header row (a title or a note)") for r in rows[:at]]
    rows = rows[at:]
    cols, groups, unread = _columns(head)
    if not groups and not {"parent", "level"} & set(cols):
        sectioned = _sections(src, rows)
        if sectioned is not None:  # section rows: group columns, as headings would give
            rows, more = sectioned
            headed.update(more)
            head = rows[0][2]
            cols, groups, unread = _columns(head)
    skipped: list[tuple[int, str]] = sorted(above + outside)
    warnings: list[str] = []
    if inferred:
        warnings.append(f"{src.path.name}:{head_line}: column '{inferred}' read as the title (its "
                        f"cells hold the longest texts); name it 'title' to say so")
    if unread:
        warnings.append(f"{src.path.name}:{head_line}: columns not read: {', '.join(unread)} "
                        f"(read: {', '.join(COLUMNS)})")

    def cell(cells: list[str], key: str) -> str:
        i = cols.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    items: list[tuple[Item, str, int | None]] = []  # item, parent code, numeric level
    ranks: list[str] = []  # level words in order of first appearance
    grouped: dict[tuple[str, ...], Item] = {}  # a wide sheet's group values -> their item
    wide = bool(groups) and "parent" not in cols
    for i, _ in groups:  # a group column with no value at all is a column lost, not a level
        if len(rows) > 1 and not any(i < len(c) and c[i].strip() for _, _, c in rows[1:]):
            hint = (" (in a PDF, a cell merged down across a page break can lose its text: "
                    "add the Word or Excel version if there is one)"
                    if src.path.suffix.lower() == ".pdf" else "")
            warnings.append(f"{src.path.name}:{head_line}: column '{head[i].strip()}' is empty "
                            f"in every row; the rows were read without it{hint}")
    before: list[str] = []  # the group values of the last row read, for filling down
    for first, last, cells in rows[1:]:
        exact = "\n".join(src.lines[first - 1:last]).strip()
        title = re.sub(r"\s+", " ", cell(cells, "title"))
        other = cell(cells, "plan")
        names_group = wide and any(i < len(cells) and cells[i].strip() for i, _ in groups)
        if not title and not names_group:
            skipped.append((first, "no title"))
            continue
        if other and other.lower() != plan.lower():
            skipped.append((first, f"belongs to plan '{other}', not '{plan}'"))
            continue
        above: Item | None = None
        if wide:
            # a wide sheet (Theme, Priority, Action, Lead): each distinct value of a grouping
            # column is an element, first seen on this row; the row's element sits under it
            values = _filled([re.sub(r"\s+", " ", cells[i].strip()) if i < len(cells) else ""
                              for i, _ in groups], before)
            before = values
            path: tuple[str, ...] = ()
            for value, (_, gtype) in zip(values, groups, strict=True):
                if not value:
                    continue
                path += (value,)
                if path not in grouped:
                    # named by a heading above the table: that line is its source
                    line = headed.get(path)
                    group = Item(first, exact, value, key="group", level=gtype, end=last) \
                        if line is None else Item(line, src.line(line), value, key="group",
                                                  level=gtype, end=line)
                    grouped[path] = group
                    if above is None:
                        items.append((group, "", None))
                    else:
                        above.adopt(group)
                above = grouped[path]
            if not title:  # a row that only names a group (its items on the rows below)
                continue
        item = Item(first, exact, title, code=cell(cells, "code"), end=last,
                    due=re.sub(r"\s+", " ", cell(cells, "due")))
        level = cell(cells, "level")
        number: int | None = None
        if re.fullmatch(r"[0-9]{1,3}", level):
            number = int(level)
        elif level:
            item.level = level_type(level)
            if item.level is None:
                skipped.append((first, f"unknown level '{level}' (use a number, or a word such as "
                                       f"priority, deliverable, goal, action)"))
                continue
            if item.level.value not in ranks:
                ranks.append(item.level.value)
        if cell(cells, "text"):
            item.statements.append((first, cell(cells, "text")))
        item.posts += [(first, n) for n in split_names(cell(cells, "post"))]
        item.teams += [(first, n) for n in split_names(cell(cells, "team"))]
        if above is not None:
            above.adopt(item)
            continue
        items.append((item, cell(cells, "parent"), number))
    if not items:
        why = f" (line {skipped[0][0]}: {skipped[0][1]})" if skipped else ""
        raise InputError(f"{src.path}: none of the {len(rows) - 1} rows under the header on line "
                         f"{head_line} could be read{why}; nothing to import")
    roots = _tree(src, items, ranks, "parent" in cols, warnings)
    levels = None
    if src.document.levels:
        from alignment.readers.outline import _level

        levels = [_level(src, w) for w in src.document.levels]
    result = assemble(src, plan, roots, levels, False, skipped)
    result.warnings = warnings + result.warnings
    return result


#: a section row that names its level: "Outcome 1: Residents live healthier lives"
_NAMED_SECTION = re.compile(r"(outcome|theme|strategic objective|objective|priority|goal|"
                            r"ambition|pillar)\s+([0-9][0-9.]*|[a-z])\s*[:.\-\u2013]\s+(\S.*)", re.I)


def _sections(src: SourceText, rows: list[tuple[int, int, list[str]]]
              ) -> tuple[list[tuple[int, int, list[str]]], dict[tuple[str, ...], int]] | None:
    """A table whose outcomes and priorities are rows of their own, a cell merged across the
    table (only its first cell filled), among rows that fill two cells or more: those rows as
    group columns of the rows under them. A run of section rows nests (an outcome's, then its
    first priority's); a section row on its own is at the deepest level read so far, unless it
    names its level ("Outcome 2: ..."). None where the table has no such rows, or where they
    are not a minority (a sheet of titles with few other cells filled)."""
    body = rows[1:]
    single = [k for k, (_, _, c) in enumerate(body)
              if c and c[0].strip() and not any(x.strip() for x in c[1:])]
    full = sum(1 for _, _, c in body if sum(1 for x in c if x.strip()) >= 2)
    if not single or full < 2 * len(single):
        return None
    # each section row's depth: from the level it names, else its place in a run
    named = {k: _NAMED_SECTION.fullmatch(body[k][2][0].strip()) for k in single}
    words = [m.group(1).lower() for m in named.values() if m]
    order = [w for w in ("outcome", "theme", "strategic objective", "objective", "ambition",
                         "pillar", "goal", "priority") if w in words]
    depth: dict[int, int] = {}
    runs: list[list[int]] = []
    for k in single:
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    deepest = 0
    for run in runs:  # a run of n ends at the deepest level read so far, or n - 1 if deeper
        bottom = max(len(run) - 1, deepest)
        for i, k in enumerate(run):
            m = named[k]
            depth[k] = (order.index(m.group(1).lower()) if m and m.group(1).lower() in order
                        else bottom - (len(run) - 1 - i))
        deepest = max(deepest, *(depth[k] for k in run))
    levels = max(depth.values()) + 1
    kinds = (tuple(order) if len(order) == levels else
             _HEADING_GROUPS.get(levels, _HEADING_GROUPS[3])[-levels:])
    out = [(rows[0][0], rows[0][1], [*kinds, *rows[0][2]])]
    headed: dict[tuple[str, ...], int] = {}
    path: list[str] = [""] * levels
    for k, (a, b, cells) in enumerate(body):
        if k in depth:
            m = named[k]
            title = re.sub(r"\s+", " ", (m.group(3) if m else cells[0]).strip())
            d = depth[k]
            path = [*path[:d], title, *[""] * (levels - d - 1)]
            headed[tuple(x for x in path[:d + 1] if x)] = a
            continue
        out.append((a, b, [*path, *cells]))
    return out, headed


def _filled(values: list[str], before: list[str]) -> list[str]:
    """A row's group values (top first) with its blanks filled from the row above, as a merged
    cell or a sheet exported with the group named on its first row only means them; a blank is
    left blank when a group above it is named anew on this row.

    >>> _filled(["", ""], ["Jobs", "Skills"])
    ['Jobs', 'Skills']
    >>> _filled(["Homes", ""], ["Jobs", "Skills"])
    ['Homes', '']
    """
    out: list[str] = []
    anew = False
    for k, value in enumerate(values):
        if value:
            anew = anew or k >= len(before) or value != before[k]
        elif not anew and k < len(before):
            value = before[k]
        out.append(value)
    return out


#: When several columns could hold the title, the most specific wins; the others that name a
#: level (priority, theme, objective ...) group the rows, in the order the sheet has them.
_TITLE_ORDER = ("action", "deliverable", "commitment", "title", "name", "item", "label",
                "heading", "priority")
_GROUPS = ("theme", "outcome", "strategic objective", "priority", "objective", "goal", "domain",
           "programme", "ambition", "pillar")


def _title_by_length(rows: list[tuple[int, int, list[str]]]) -> tuple[int, int] | None:
    """Where no row names a title column: the first of the first few rows that names another
    column this reader knows (a reference, a lead, a date) beside columns it does not, and of
    those, the column whose cells below hold the most words (three or more on average), as
    (row, column); else None. Plans name the column of their commitments in many ways ("What
    we will do", "Our promise", "Activity"), and it is the one that holds sentences."""
    for k, (_, _, head) in enumerate(rows[:6]):
        cols, _, _ = _columns(head)
        if not cols:
            continue
        known = set(cols.values())
        below = [r[2] for r in rows[k + 1:k + 201]]
        words = {i: sum(len(r[i].split()) for r in below if i < len(r)) / max(len(below), 1)
                 for i, cell in enumerate(head) if cell.strip() and i not in known}
        best = max(words, key=lambda i: words[i], default=None)
        if best is not None and words[best] >= 3:
            return k, best
    return None


def _columns(head: list[str]) -> tuple[dict[str, int], list[tuple[int, Any]], list[str]]:
    """The columns read ({key: index}), the grouping columns (index, element type), and the
    names of the columns not read."""
    cols: dict[str, int] = {}
    unread: list[str] = []
    titles: list[tuple[int, str]] = []
    groups: list[tuple[int, Any]] = []
    for i, cell in enumerate(head):
        name = _header(cell)
        key = _KEYS.get(name)
        if name in _GROUPS or key == "title":
            titles.append((i, name))
        elif key is not None and key not in cols:
            cols[key] = i
        elif name:
            unread.append(cell.strip())
    ranked = sorted((t for t in titles if t[1] in _TITLE_ORDER or t[1] in COLUMNS["title"]),
                    key=lambda t: _TITLE_ORDER.index(t[1]) if t[1] in _TITLE_ORDER else 3)
    if ranked:
        cols["title"] = ranked[0][0]
    for i, name in titles:
        if i == cols.get("title"):
            continue
        t = level_type(name)
        if name in _GROUPS and t is not None:
            groups.append((i, t))
        else:
            unread.append(head[i].strip())
    return cols, groups, unread


def _tree(src: SourceText, items: list[tuple[Item, str, int | None]], ranks: list[str],
          has_parent: bool, warnings: list[str]) -> list[Item]:
    by_code = {it.code.lower(): it for it, _, _ in items if it.code}
    roots: list[Item] = []
    open_at: dict[int, Item] = {}  # the last item at each depth (numeric or ranked levels)
    for it, parent_code, number in items:
        if it.key == "group":  # a wide sheet's group, with its rows already under it
            roots.append(it)
            continue
        parent: Item | None = None
        if has_parent and parent_code:
            parent = by_code.get(parent_code.lower())
            if parent is None or parent is it:
                warnings.append(f"{src.path.name}:{it.line}: parent '{parent_code}' is not the "
                                f"code of any row; read at the top level")
                parent = None
        elif not has_parent and "." in it.code:
            parts = it.code.split(".")
            for n in range(len(parts) - 1, 0, -1):
                parent = by_code.get(".".join(parts[:n]).lower())
                if parent is not None:
                    break
        elif not has_parent:
            rank = number - 1 if number is not None else (
                ranks.index(it.level.value) if it.level is not None else None)
            if rank is not None:
                parent = next((open_at[r] for r in range(rank - 1, -1, -1) if r in open_at), None)
                open_at[rank] = it
                for r in [r for r in open_at if r > rank]:
                    del open_at[r]
        if parent is not None and _is_ancestor(it, parent):
            warnings.append(f"{src.path.name}:{it.line}: parent '{parent_code}' would make a "
                            f"loop; read at the top level")
            parent = None
        if parent is None:
            roots.append(it)
        else:
            parent.adopt(it)
    return roots


def _is_ancestor(item: Item, other: Item) -> bool:
    node: Item | None = other
    while node is not None:
        if node is item:
            return True
        node = node.parent
    return False
