"""Published documents (PDF, Word .docx, saved web pages, ODF text) as the numbered text lines
every reader reads, each line with a locator saying where in the document it stands.

A document is first read into blocks: headings, paragraphs, list items and table rows, in
reading order. The blocks are then written as text: a heading on a line of its own (as
``# Heading`` for the outline reader, plain for the built-in layouts, whose published text has
no marks), a list item as ``- text`` or with its number (``1.``, ``2.1``), a table row as its
cells separated by tabs (as the delivery plan's table and a pasted sheet are), a blank line
between paragraphs. So a PDF, Word or HTML version of a document reads as its text version
does, through the same readers.

Libraries, each well kept and the usual choice for its format:

- PDF: pdfplumber (on pdfminer.six): each character with its font, size and position, and a
  table finder that reads ruled tables cell by cell, wrapped text and merged cells included.
  pypdfium2 alone (which pdfplumber also installs) is faster but gives text without table cells,
  and a delivery plan's deliverables are rows of a ruled table.
- Word: python-docx, the standard reader of .docx; list numbering, which Word computes when it
  shows the page, is worked out here from the document's numbering definitions.
- HTML and ODF text: lxml (which python-docx depends on): a forgiving HTML parser for pages
  saved from a browser, and XPath over the ODF package's content.xml.

Dropped: page headers and footers (lines that recur at the top or foot of most pages of a
PDF, bare page numbers; Word and ODF keep them apart from the body), and a web page's
navigation, banners, footers, scripts and forms.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from alignment.errors import InputError

__all__ = ["DOCUMENT_SUFFIXES", "Block", "document_lines", "read_blocks", "render"]

#: The suffixes read as documents, and the format of each.
DOCUMENT_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html",
                     ".xhtml": "html", ".odt": "odt"}


@dataclass
class Block:
    """One unit of a document's text, in reading order."""

    kind: str  # "heading", "para", "item" (of a list) or "row" (of a table)
    text: str = ""
    where: str = ""  # the locator: "page 3", "paragraph 12", "/html/body/main/ul/li[2]"
    level: int = 0  # a heading's level (1 top), a list item's depth (0 top)
    marker: str = ""  # a list item's: "-" (a bullet) or its number as shown ("1.", "2.1")
    cells: list[str] = field(default_factory=list)  # a table row's
    table: int = 0  # a row's table, counted from 1 through the document


def document_lines(path: Path, data: bytes, marked: bool) -> tuple[list[str], list[str]]:
    """The lines of a document's text and the locator of each ("" for a blank line).
    `marked`: headings as Markdown headings (for the outline reader), else plain."""
    return render(read_blocks(path, data), marked)


#: the last document read: `align add` reads a document to choose its layout, then to import it
_LAST: dict[tuple[str, str], list[Block]] = {}


def read_blocks(path: Path, data: bytes) -> list[Block]:
    """A document's blocks in reading order, by its suffix."""
    import hashlib

    key = (path.suffix.lower(), hashlib.sha256(data).hexdigest())
    if key not in _LAST:
        _LAST.clear()
        _LAST[key] = _read_blocks(path, data)
    return [replace(b, cells=list(b.cells)) for b in _LAST[key]]


def _read_blocks(path: Path, data: bytes) -> list[Block]:
    kind = DOCUMENT_SUFFIXES[path.suffix.lower()]
    blocks = {"pdf": _pdf, "docx": _docx, "html": _html, "odt": _odt}[kind](path, data)
    blocks = [b for b in blocks if b.text.strip() or any(c.strip() for c in b.cells)]
    if not blocks:
        raise InputError(f"{path}: no text found in the document; check that it is the plan, "
                         f"or export its text and add that")
    return blocks


def render(blocks: list[Block], marked: bool) -> tuple[list[str], list[str]]:
    """Blocks as text lines and their locators: a blank line between blocks, none inside a
    list or a table."""
    lines: list[str] = []
    where: list[str] = []
    prev: Block | None = None
    for b in blocks:
        together = prev is not None and (
            (b.kind == prev.kind == "item")
            or (b.kind == prev.kind == "row" and b.table == prev.table))
        if prev is not None and not together:
            lines.append("")
            where.append("")
        if b.kind == "heading":
            text = f"{'#' * min(max(b.level, 1), 6)} {b.text}" if marked else b.text
        elif b.kind == "item":
            text = f"{'  ' * b.level}{b.marker} {b.text}" if b.marker else b.text
        elif b.kind == "row":
            text = "\t".join(b.cells)
        else:
            text = b.text
        lines.append(text)
        where.append(b.where)
        prev = b
    return lines, where


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _cell(text: str | None) -> str:
    """A table cell's text on one line (a tab in it read as a space)."""
    return _clean(text or "")


# ---------------------------------------------------------------------------------------- PDF

#: A bullet glyph at the start of a line, as PDF converters leave it: with the private-use
#: glyphs of Symbol and Wingdings bullets, and "(cid:127)" for a glyph of a font that does not
#: say which character it draws (pdfminer's notation), as a bullet's often is.
_PDF_BULLET = re.compile("^(?:[\u2022\u2023\u2043\u25aa\u25a0\u25cf\u25cb\u25e6\u27a2\u00b7"
                         "\uf0a7\uf0b7\uf076\uf0d8\uf0fc]|\\(cid:\\d+\\))\\s*(\\S.*)$")
_LIST_START = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|[a-z][.)]|\([a-z0-9]{1,3}\))\s")
#: A page number as a line of its own: "3", "Page 3", "Page 3 of 12", "3 / 12", "- 3 -".
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013]\s*\d{1,4}"
                          r"\s*[-\u2013]$", re.I)
#: The share of a page's height at its top and foot where headers and footers stand.
_MARGIN = 0.12


def _pdf(path: Path, data: bytes) -> list[Block]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        if "password" in str(exc).lower() or type(exc).__name__ == "PDFPasswordIncorrect":
            raise InputError(f"{path}: the PDF is protected by a password; save an unprotected "
                             f"copy and add that") from None
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__}); save or export "
                         f"it again") from None
    with pdf:
        pages = []
        try:
            for number, page in enumerate(pdf.pages, 1):
                pages.append((number, page.height, *_pdf_page(page)))
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"{path}: page {len(pages) + 1} cannot be read "
                             f"({type(exc).__name__}); save or export the PDF again") from None
    if not any(lines or tables for _, _, lines, tables in pages):
        pages_ = "its one page" if len(pages) == 1 else f"any of its {len(pages)} pages"
        raise InputError(f"{path}: no text layer on {pages_} (a scanned document?); run it "
                         f"through text recognition (OCR), or add the text version of the plan")
    furniture = _furniture(pages)
    sizes = Counter(round(ln["size"]) for _, _, lines, _ in pages for ln in lines
                    for _ in range(len(ln["text"])))
    body = sizes.most_common(1)[0][0] if sizes else 10
    heading_sizes = sorted({round(ln["size"]) for _, _, lines, _ in pages for ln in lines
                            if round(ln["size"]) > body * 1.1}, reverse=True)
    blocks: list[Block] = []
    last: list[dict[str, Any]] = []  # the lines of the last paragraph or item read
    table_no = 0
    head = ""  # the first row of the table read last
    broken = False  # whether the page broke the last row read
    # a page in two columns is read a column at a time, each as a page of its own (its tables
    # with its first part)
    parts = [(number, height, [ln for ln in lines if ln["segment"] == seg],
              tables if seg == 0 else [])
             for number, height, lines, tables in pages
             for seg in sorted({ln["segment"] for ln in lines} | {0})]
    for number, height, lines, tables in parts:
        kept = [ln for ln in lines if not _is_furniture(ln, height, furniture)]
        items: list[tuple[float, Any]] = [(ln["top"], ln) for ln in kept]
        items += [(t.bbox[1], t) for t in tables]
        items.sort(key=lambda x: x[0])
        groups: list[Any] = []  # paragraphs (lists of lines) and tables, in reading order
        for _, obj in items:
            if isinstance(obj, dict) and groups and isinstance(groups[-1], list) \
                    and _continues(groups[-1], obj):
                groups[-1].append(obj)
            else:
                groups.append([obj] if isinstance(obj, dict) else obj)
        for k, group in enumerate(groups):
            if isinstance(group, list):
                if k == 0 and _goes_on(blocks, last, group, min(ln["x0"] for ln in kept)):
                    # the end of the last page's (or column's)
                    # paragraph or list item
                    blocks[-1] = replace(blocks[-1], text=_joined(
                        [blocks[-1].text, *(ln["text"] for ln in group)]))
                    last = [*last, *group]
                    continue
                blocks.append(_pdf_block(group, f"page {number}", body, heading_sizes))
                last = group
                continue
            last = []
            rows = list(group.rows)
            # a table that goes on from the foot of the page before is the same table
            if k == 0 and blocks and blocks[-1].kind == "row" \
                    and len(blocks[-1].cells) == len(rows[0]):
                j = 1 if len(rows) > 1 and _key("".join(rows[0])) == head else 0
                known = [b.cells for b in blocks[:-1] if b.kind == "row"
                         and b.table == table_no] + rows[j + 1:]
                if broken and _rest_of(blocks[-1].cells, rows[j], known):  # the rest of the
                    # row the page broke: the first row after the header row repeated, if it is
                    blocks[-1] = replace(blocks[-1], cells=[
                        _joined([a, b]) if a and b else a or b
                        for a, b in zip(blocks[-1].cells, rows[j], strict=True)])
                    rows = rows[:j] + rows[j + 1:]
            else:
                table_no += 1
                head = _key("".join(rows[0]))
            broken = group.open_foot and k == len(groups) - 1
            blocks += [Block("row", where=f"page {number}", table=table_no, cells=cells)
                       for cells in rows]
    return blocks


def _rest_of(row: list[str], cells: list[str], known: list[list[str]]) -> bool:
    """Whether `cells`, the first row of a table's part on a new page, is the rest of `row`,
    the last of the page before, which the page ended unclosed: some of its cells are empty
    after one with text, where `row`'s are not (the short cells, a lead or a date, fitted on
    the page before); or a cell and the one above it make a value the column has in other
    rows (`known`: "Residents live" and "healthier lives"); or half its cells with text or
    more go on in lower case. A row of its own is full, or empty only in its first cells (a
    group named on the row above), and starts its cells as titles and names start."""
    seen = False
    for mine, before in zip(cells, row, strict=True):
        if mine:
            seen = True
        elif seen and before:
            return True
    for k, (mine, before) in enumerate(zip(cells, row, strict=True)):
        values = {r[k] for r in known if k < len(r)}
        if mine and before and _joined([before, mine]) in values \
                and mine not in values and before not in values:
            return True
    filled = [c for c in cells if c]
    return bool(filled) and 2 * sum(1 for c in filled if c[:1].islower()) >= len(filled)


class _PdfTable(NamedTuple):
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]  # the rows with text, each cell on one line
    open_foot: bool  # its last row runs to the foot of its ruling unclosed: a page broke it


def _pdf_page(page: Any) -> tuple[list[dict[str, Any]], list[_PdfTable]]:
    """A page's text lines outside its tables (each with its size and boldness), and its
    tables. A table that a page break cuts has no rule across its top or foot there: the
    ruling's ends are closed, so that the row the page broke is read as a row (its rest is on
    the next page)."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    ends = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)] \
        if verticals else []
    found = page.find_tables({"explicit_horizontal_lines": ends} if ends else None)
    tables = []
    for t in found:
        rows = [(r.bbox, [_joined((c or "").split("\n")) for c in cells])
                for r, cells in zip(t.rows, t.extract(), strict=True)]
        rows = [(bbox, cells) for bbox, cells in rows if any(c for c in cells)]
        if not rows:
            continue
        bottom, width = rows[-1][0][3], t.bbox[2] - t.bbox[0]
        ruled = any(e["orientation"] == "h" and abs(e["top"] - bottom) < 1.5
                    and e["x1"] - e["x0"] >= 0.5 * width for e in page.edges)
        tables.append(_PdfTable(t.bbox, [cells for _, cells in rows],
                                bool(ends) and abs(bottom - ends[1]) < 1.5 and not ruled))
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    lines = []
    for seg, (part, origin) in enumerate(_segments(rest, page.width)):
        for ln in part.extract_text_lines(return_chars=True, strip=True):
            chars = [c for c in ln["chars"] if c["text"].strip()]
            text = _clean(ln["text"])
            if not chars or not text:
                continue
            sizes = sorted(c["size"] for c in chars)
            bold = sum(1 for c in chars if "bold" in c.get("fontname", "").lower())
            # a column's lines are placed from its own left edge
            lines.append({"text": text, "top": ln["top"], "bottom": ln["bottom"],
                          "x0": ln["x0"] - origin,
                          "text_x0": _text_x0(text, chars, ln["x0"]) - origin,
                          "size": sizes[len(sizes) // 2], "bold": bold == len(chars),
                          "segment": seg})
    return lines, tables


def _segments(page: Any, width: float) -> list[tuple[Any, float]]:
    """A page's text in reading order: the whole page, or, where it is set in two columns,
    each band between lines that run across the page (a title, a heading over both columns)
    read down its left column and then its right, each (part, its left edge). Two columns are
    a gap down the middle of the page that most lines of text leave empty, with lines of
    running text either side of it."""
    chars = [c for c in page.chars if c["text"].strip()]
    if len(chars) < 200:
        return [(page, 0.0)]
    rows: dict[int, list[Any]] = {}
    for c in chars:
        rows.setdefault(round(c["top"] / 2), []).append(c)
    covered = [0] * (int(width) + 2)
    for row in rows.values():
        spans = sorted((int(c["x0"]), int(c["x1"]) + 1) for c in row)
        for a, b in spans:
            for x in range(max(a, 0), min(b, len(covered))):
                covered[x] += 1
    # the widest run of x, in the middle of the page, that few rows of text reach
    few = max(2, len(rows) // 8)
    best: tuple[int, int] = (0, 0)
    start = None
    for x in range(int(width * 0.3), int(width * 0.7) + 1):
        if covered[x] <= few:
            start = x if start is None else start
            if x - start > best[1] - best[0]:
                best = (start, x)
        else:
            start = None
    if best[1] - best[0] < 6:
        return [(page, 0.0)]
    g = (best[0] + best[1]) / 2

    def runs_across(row: list[Any]) -> bool:
        """A row of text that runs over the middle, not two rows that a gap parts there (a
        list's numbers may hang into the gap)."""
        before = [c["x1"] for c in row if (c["x0"] + c["x1"]) / 2 < g]
        after = [c["x0"] for c in row if (c["x0"] + c["x1"]) / 2 >= g]
        return bool(before and after) and min(after) - max(before) < 8

    sizes = sorted(c["size"] for c in chars)
    body = sizes[len(sizes) // 2]
    right_rows = [(min(c["top"] for c in row), max(c["bottom"] for c in row))
                  for row in rows.values() if any((c["x0"] + c["x1"]) / 2 >= g for c in row)]

    def heads_both(row: list[Any]) -> bool:
        """A heading over both columns that does not reach the middle: larger or bold, with no
        text in the right column beside it."""
        if any((c["x0"] + c["x1"]) / 2 >= g for c in row):
            return False
        top, bottom = min(c["top"] for c in row), max(c["bottom"] for c in row)
        big = sorted(c["size"] for c in row)[len(row) // 2] > body * 1.1
        bold = all("bold" in c.get("fontname", "").lower() for c in row)
        return (big or bold) and not any(t < bottom + 1 and b > top - 1 for t, b in right_rows)

    across = sorted(k for k, row in rows.items() if runs_across(row) or heads_both(row))
    left = [k for k, row in rows.items() if k not in across
            and any((c["x0"] + c["x1"]) / 2 < g for c in row)]
    right = [k for k, row in rows.items() if k not in across
             and any((c["x0"] + c["x1"]) / 2 >= g for c in row)]
    def running(keys: list[int], side: int) -> bool:  # rows of running text, not a column of
        # short cells (a lead's name, a date) beside a wider one, as a table without rules has
        lengths = [sum(1 for c in rows[k] if ((c["x0"] + c["x1"]) / 2 >= g) == side)
                   for k in keys]
        return len(keys) >= 4 and sum(lengths) / len(lengths) >= 20

    if not running(left, 0) or not running(right, 1) or len(across) > len(rows) // 4:
        return [(page, 0.0)]
    # each column's left edge (a hanging list number's, if any): the columns' lines are placed
    # from it, so that a line's place in one column compares with one in the other
    edge = {0.0: min(c["x0"] for k in left for c in rows[k] if (c["x0"] + c["x1"]) / 2 < g),
            g: min(c["x0"] for k in right for c in rows[k] if (c["x0"] + c["x1"]) / 2 >= g)}
    # bands: the rows across the page, and the stretches between them
    out: list[tuple[Any, float]] = []
    bounds = [-1.0]
    for key in across:
        top = min(c["top"] for c in rows[key])
        bottom = max(c["bottom"] for c in rows[key])
        bounds += [top, bottom]
    bounds.append(page.height + 1)
    for i in range(0, len(bounds), 2):
        top, bottom = bounds[i], bounds[i + 1]
        if i:  # the row across the page above this band
            out.append((page.filter(lambda o, a=bounds[i - 1], b=top: o.get(
                "object_type") != "char" or a <= (o["top"] + o["bottom"]) / 2 <= b), 0.0))
        for x0, x1 in ((0.0, g), (g, width)):
            out.append((page.filter(lambda o, a=top, b=bottom, lo=x0, hi=x1: o.get(
                "object_type") != "char" or (a < (o["top"] + o["bottom"]) / 2 < b
                                            and lo <= (o["x0"] + o["x1"]) / 2 < hi)), edge[x0]))
    return out


def _text_x0(text: str, chars: list[dict[str, Any]], x0: float) -> float:
    """Where a line's text starts: after its list number or bullet, if it has one (the first
    character drawn after the marker's; `chars` are the line's characters but spaces)."""
    number, bullet = _LIST_START.match(text), _PDF_BULLET.match(text)
    marker = number.group(0) if number else text[: bullet.start(1)] if bullet else ""
    wanted, got = len(marker.replace(" ", "")), ""
    for c in chars:
        if len(got) >= wanted:
            return float(c["x0"]) if wanted else x0
        got += c["text"].strip()
    return x0


def _furniture(pages: list[tuple[int, float, list[dict[str, Any]], list[Any]]]
               ) -> set[tuple[str, int]]:
    """The lines that recur in the top or foot margin of most pages (numbers read as #), each
    with where it stands: a running header or footer stands at the same height on every page,
    while a line of the text that happens to recur ("Place)", the end of many items' leads)
    falls where the text does."""
    if len(pages) < 2:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for _, height, lines, _ in pages:
        seen.update({(_key(ln["text"]), _height(ln)) for ln in lines
                     if ln["top"] < height * _MARGIN or ln["bottom"] > height * (1 - _MARGIN)})
    least = max(2, (len(pages) + 1) // 2)
    out: set[tuple[str, int]] = set()
    for key, at in seen:  # a point or two of difference is the same place
        if sum(seen[(key, at + d)] for d in (-1, 0, 1)) >= least:
            out |= {(key, at + d) for d in (-1, 0, 1)}
    return out


def _height(line: dict[str, Any]) -> int:
    return round(line["top"] / 2)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _is_furniture(line: dict[str, Any], height: float, furniture: set[tuple[str, int]]) -> bool:
    in_margin = line["top"] < height * _MARGIN or line["bottom"] > height * (1 - _MARGIN)
    return in_margin and ((_key(line["text"]), _height(line)) in furniture
                          or bool(_PAGE_NUMBER.match(line["text"])))


def _continues(para: list[dict[str, Any]], line: dict[str, Any]) -> bool:
    """Whether a line wraps on from the paragraph above it: close below it, in the same type,
    and not the start of a new list item."""
    last, first = para[-1], para[0]
    if abs(line["size"] - last["size"]) > 0.5 or line["bold"] != last["bold"]:
        return False
    if line["top"] - last["bottom"] > 0.5 * last["size"]:
        return False
    if _PDF_BULLET.match(line["text"]):
        return False
    # a numbered line level with the paragraph's own start is the next item of a list; so is
    # one that starts left of the paragraph (which is then the end of an item the page before
    # broke: a list's numbers hang left of its text), or level with one that begins
    # mid-sentence
    return not (_LIST_START.match(line["text"]) and (
        line["x0"] < first["x0"] - 1
        or line["x0"] <= first["x0"] + 1 and (_LIST_START.match(first["text"])
                                              or _PDF_BULLET.match(first["text"])
                                              or first["text"][:1].islower())))


def _goes_on(blocks: list[Block], last: list[dict[str, Any]], para: list[dict[str, Any]],
             edge: float) -> bool:
    """Whether the first paragraph of a page (or column) ends the last paragraph or list item
    of the page before (`last`, its lines), broken by the page: that one stops mid-sentence,
    and this one is in the same type and starts in lower case, or stands where the item's own
    lines stand (a list item's text starts right of its number: a paragraph of its own starts
    at the number or left of it), or right of the new column's edge (`edge`)."""
    if not blocks or not last or blocks[-1].kind not in ("para", "item") or not blocks[-1].text:
        return False
    first, before = para[0], last[-1]
    if re.search(r"[.!?:;)\]]$", blocks[-1].text) or first["bold"] != before["bold"] \
            or abs(first["size"] - before["size"]) > 0.5 or _PDF_BULLET.match(first["text"]) \
            or _LIST_START.match(first["text"]):
        return False
    if first["text"][:1].islower():
        return True
    listed = _LIST_START.match(last[0]["text"]) or _PDF_BULLET.match(last[0]["text"])
    # where the item's text stands, right of its number; or, on a new column whose lines are
    # placed otherwise, right of the column's own edge (its numbers)
    return bool(listed) and (first["x0"] > last[0]["x0"] + 1
                             and abs(first["x0"] - last[0]["text_x0"]) <= 1.5
                             or first["x0"] > edge + 1)


#: a line that ends within a hyphenated word ("co-", "2026-"): a browser or Word broke it after
#: the hyphen, and the next line goes on without a space
_BROKEN_AT_HYPHEN = re.compile(r"[^\W_][-\u2010]$")


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph as one text: a space between them, none after a hyphen that
    breaks a word ("co-" and "locating" read "co-locating")."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif _BROKEN_AT_HYPHEN.search(out) and line[:1].isalnum():
            out += line
        else:
            out += " " + line
    return _clean(out)


def _pdf_block(para: list[dict[str, Any]], where: str, body: int, heading_sizes: list[int]
               ) -> Block:
    text = _joined([ln["text"] for ln in para])
    size = round(para[0]["size"])
    bullet = _PDF_BULLET.match(text)
    if bullet:
        return Block("item", bullet.group(1), where, marker="-")
    if size in heading_sizes:
        return Block("heading", text, where, level=heading_sizes.index(size) + 1)
    if para[0]["bold"] and len(para) == 1 and len(text) <= 100 and not text.endswith("."):
        return Block("heading", text, where, level=len(heading_sizes) + 1)
    return Block("para", text, where)


# --------------------------------------------------------------------------------------- Word

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(path: Path, data: bytes) -> list[Block]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise InputError(f"{path}: not a Word (.docx) document ({type(exc).__name__}); save it "
                         f"again as .docx (an old .doc must be saved as .docx first)") from None
    numbering = _Numbering(document)
    blocks: list[Block] = []
    paragraphs = tables = 0
    deepest = 0  # the deepest Heading style used so far: a bold line heads a section below it
    for part in _word_body(document):
        if isinstance(part, Table):
            tables += 1
            for r, cells in enumerate(_word_rows(part._tbl), 1):
                blocks.append(Block("row", where=f"table {tables}, row {r}", table=tables,
                                    cells=cells))
            continue
        paragraphs += 1
        text = _clean(part.text)
        where = f"paragraph {paragraphs}"
        style = part.style.name if part.style is not None else ""
        heading = re.fullmatch(r"Heading\s*(\d)", style or "", re.I)
        if heading:  # (the Title style is the document's title: a paragraph before the plan)
            deepest = max(deepest, int(heading.group(1)))
            blocks.append(Block("heading", text, where, level=int(heading.group(1))))
            continue
        marker, depth = numbering.marker(part)
        if marker:
            blocks.append(Block("item", text, where, level=depth, marker=marker))
        elif _bold_heading(part, text):  # a heading typed as a bold line, as a PDF's is read
            blocks.append(Block("heading", text, where, level=deepest + 1))
        else:
            blocks.append(Block("para", text, where))
    return blocks


def _bold_heading(paragraph: Any, text: str) -> bool:
    """A short line of the body's style set in bold throughout, not a sentence nor a numbered
    item: a heading typed without a Heading style ("Children, young people and families")."""
    if not text or len(text) > 100 or text.endswith((".", ":", ";", ",")) \
            or _LIST_START.match(text):
        return False
    runs = [r for r in paragraph.runs if r.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _word_body(document: Any) -> Any:
    """The body's paragraphs and tables in order, those inside content controls (w:sdt, as
    templates wrap sections in) included."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent: Any) -> Any:
        for child in parent.iterchildren():
            if child.tag == f"{{{_W}}}p":
                yield Paragraph(child, document._body)
            elif child.tag == f"{{{_W}}}tbl":
                yield Table(child, document._body)
            elif child.tag == f"{{{_W}}}sdt":
                content = child.find(f"{{{_W}}}sdtContent")
                if content is not None:
                    yield from walk(content)

    yield from walk(document.element.body)


def _word_rows(tbl: Any) -> list[list[str]]:
    """A Word table's rows as cells: a cell merged across columns is one cell and an empty one
    for each column it spans; one merged down from the row above is empty (as a sheet's
    merged cells read)."""
    rows = []
    for tr in tbl.findall(f"{{{_W}}}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{{{_W}}}tc"):
            props = tc.find(f"{{{_W}}}tcPr")
            span, below = 1, False
            if props is not None:
                gs = props.find(f"{{{_W}}}gridSpan")
                if gs is not None:
                    span = int(gs.get(f"{{{_W}}}val", "1"))
                vm = props.find(f"{{{_W}}}vMerge")
                below = vm is not None and vm.get(f"{{{_W}}}val", "continue") != "restart"
            paras = ["".join(t.text or "" if t.tag == f"{{{_W}}}t" else " "
                             for t in p.iter(f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br"))
                     for p in tc.iter(f"{{{_W}}}p")]
            cells.append("" if below else _cell(" ".join(paras)))
            cells.extend([""] * (span - 1))
        rows.append(cells)
    return rows


class _Numbering:
    """The numbers Word shows before list paragraphs, worked out from numbering.xml: each list
    (numId) counts its levels from their start values, a level's count restarting when a
    higher level moves on; bullets are "-"."""

    def __init__(self, document: Any):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # fmt, text, start
        self.counts: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.findall(f"{{{_W}}}abstractNum"):
            lv = {}
            for lvl in a.findall(f"{{{_W}}}lvl"):
                lv[int(lvl.get(f"{{{_W}}}ilvl", "0"))] = (
                    _val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", "%1."),
                    int(_val(lvl, "start", "1")))
            abstract[a.get(f"{{{_W}}}abstractNumId", "")] = lv
        for num in root.findall(f"{{{_W}}}num"):
            ref = num.find(f"{{{_W}}}abstractNumId")
            lv = dict(abstract.get(ref.get(f"{{{_W}}}val", "") if ref is not None else "", {}))
            for ov in num.findall(f"{{{_W}}}lvlOverride"):
                start = ov.find(f"{{{_W}}}startOverride")
                i = int(ov.get(f"{{{_W}}}ilvl", "0"))
                if start is not None and i in lv:
                    fmt, text, _ = lv[i]
                    lv[i] = (fmt, text, int(start.get(f"{{{_W}}}val", "1")))
            for i, spec in lv.items():
                self.levels[(num.get(f"{{{_W}}}numId", ""), i)] = spec

    def marker(self, paragraph: Any) -> tuple[str, int]:
        """The paragraph's list marker and depth, or ("", 0) for a paragraph not in a list."""
        num_id, ilvl = _num_pr(paragraph)
        spec = self.levels.get((num_id, ilvl)) if num_id not in ("", "0") else None
        if spec is None:
            if num_id not in ("", "0"):  # a list whose definition is missing: a bullet
                return "-", ilvl
            return "", 0
        fmt, text, _start = spec
        if fmt in ("bullet", "none"):
            return "-", ilvl
        counts = self.counts.setdefault(num_id, [])
        while len(counts) <= ilvl:
            level = len(counts)
            counts.append(self.levels.get((num_id, level), ("", "", 1))[2] - 1)
        del counts[ilvl + 1:]
        counts[ilvl] += 1

        def shown(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            n = counts[k] if k < len(counts) else 1
            f = self.levels.get((num_id, k), ("decimal", "", 1))[0]
            return _format(n, f)

        return re.sub(r"%(\d)", shown, text).strip() or f"{counts[ilvl]}.", ilvl


def _val(el: Any, tag: str, default: str) -> str:
    child = el.find(f"{{{_W}}}{tag}")
    return child.get(f"{{{_W}}}val", default) if child is not None else default


def _num_pr(paragraph: Any) -> tuple[str, int]:
    """The list (numId) and level of a paragraph: its own numPr, else its style's (List
    Number, List Bullet), following the style's base styles."""
    def from_ppr(ppr: Any) -> tuple[str, int] | None:
        if ppr is None:
            return None
        pr = ppr.find(f"{{{_W}}}numPr")
        if pr is None:
            return None
        return _val(pr, "numId", ""), int(_val(pr, "ilvl", "0"))

    found = from_ppr(paragraph._p.pPr)
    style = paragraph.style
    while found is None and style is not None:
        found = from_ppr(style.element.pPr)
        style = style.base_style
    if found is None:
        return "", 0
    num_id, ilvl = found
    if paragraph._p.pPr is not None and paragraph._p.pPr.find(f"{{{_W}}}numPr") is not None:
        own = paragraph._p.pPr.find(f"{{{_W}}}numPr")
        if own.find(f"{{{_W}}}ilvl") is None and paragraph.style is not None:
            # a direct numId with the style's level
            s = from_ppr(paragraph.style.element.pPr)
            ilvl = s[1] if s else ilvl
    return num_id, ilvl


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                          (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                          (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


# --------------------------------------------------------------------------------------- HTML

#: Elements that are a page's furniture, not its content.
_CHROME = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
           "button", "select", "svg", "iframe", "object", "head", "title", "meta", "link"}
_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
#: the classes and IDs a page of plain divs gives its furniture
_CHROME_NAMES = {"header", "footer", "nav", "navbar", "navigation", "menu", "main-menu", "mainmenu",
                 "sidebar", "side-bar", "masthead", "banner", "site-header", "site-footer",
                 "site-nav", "global-header", "global-footer", "search", "social", "share"}
#: a line that only dates the page ("Last updated: 12 May 2025")
_DATED = re.compile(r"(?:page\s+)?(?:last\s+)?(?:updated|reviewed|modified|published)(?:\s+on)?"
                    r":?\s+\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\s+\d{4}\.?", re.I)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "div", "section", "article", "main", "body", "blockquote", "pre", "dd", "dt",
           "dl", "figcaption", "figure", "address", "caption", "details", "summary", "center"}


def _html(path: Path, data: bytes) -> list[Block]:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except Exception as exc:  # lxml's ParserError for an empty or broken page
        raise InputError(f"{path}: not a readable web page ({type(exc).__name__}); save the page "
                         f"again as HTML") from None
    tree = root.getroottree()
    mains = root.xpath("//main | //*[@role='main']")
    top = mains[0] if mains else (root.find("body") if root.find("body") is not None else root)
    reader = _HtmlReader(tree, inside_main=bool(mains))
    reader.walk(top)
    reader.flush()
    return reader.blocks


class _HtmlReader:
    def __init__(self, tree: Any, inside_main: bool):
        self.tree = tree
        self.inside_main = inside_main
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.where = ""
        self.kind = "para"
        self.level = 0
        self.marker = ""
        self.tables = 0
        self.lists: list[list[Any]] = []  # [ordered?, next number] per open list

    def flush(self) -> None:
        text = _clean("".join(self.text))
        if text and not (self.kind == "para" and _DATED.fullmatch(text)):
            self.blocks.append(Block(self.kind, text, self.where, level=self.level,
                                     marker=self.marker))
        self.text, self.kind, self.level, self.marker = [], "para", 0, ""

    def start(self, el: Any, kind: str = "para", level: int = 0, marker: str = "") -> None:
        self.flush()
        self.where, self.kind, self.level, self.marker = self.tree.getpath(el), kind, level, marker

    def chrome(self, el: Any) -> bool:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("header", "footer") and self.inside_main:
            return False  # a header inside the page's main content is its title
        classes = f"{el.get('class', '')} {el.get('id', '')}".lower()
        # a page built of plain divs names its furniture by class or ID ("header", "menu",
        # "sidebar"); where a page marks its main content, what is inside it is content
        named = not self.inside_main and bool(set(classes.split()) & _CHROME_NAMES)
        return (tag in _CHROME or el.get("role", "") in _ROLES or el.get("hidden") is not None
                or "aria-hidden" in el.attrib and el.get("aria-hidden") == "true" or named
                or bool(re.search(r"\b(breadcrumbs?|skip-link|cookie\w*|visually-hidden|sr-only)"
                                  r"\b", classes)))

    def walk(self, el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or self.chrome(el):
            return
        if tag in _HEADINGS:
            self.start(el, "heading", _HEADINGS[tag])
            self.inline(el)
            self.start(el)
            return
        if tag in ("ul", "ol", "menu"):
            self.flush()
            start = el.get("start", "1")
            self.lists.append([tag == "ol", int(start) if start.strip().isdigit() else 1])
            for child in el:
                self.walk(child)
            self.lists.pop()
            self.flush()
            return
        if tag == "li":
            marker = "-"
            if self.lists and self.lists[-1][0]:
                value = el.get("value", "")
                if value.strip().isdigit():
                    self.lists[-1][1] = int(value)
                marker = f"{self.lists[-1][1]}."
                self.lists[-1][1] += 1
            self.start(el, "item", max(len(self.lists) - 1, 0), marker)
            self.inline(el)
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.tables += 1
            for tr, cells in _html_rows(el):
                self.blocks.append(Block("row", where=self.tree.getpath(tr), table=self.tables,
                                         cells=cells))
            return
        if tag == "br":
            self.start(el, self.kind, self.level, "")
            return
        if tag in _BLOCKS:
            self.start(el)
            self.inline(el)
            self.flush()
            return
        self.inline(el)

    def inline(self, el: Any) -> None:
        """An element's text and its children's, in order; a block inside starts anew."""
        if el.text:
            self.text.append(el.text)
        for child in el:
            ctag = child.tag.lower() if isinstance(child.tag, str) else ""
            if ctag and not self.chrome(child):
                if ctag in ("p", "div") and self.kind == "item" and not _clean("".join(self.text)):
                    self.inline(child)  # a list item's first paragraph is its text
                elif ctag in _HEADINGS or ctag in _BLOCKS or ctag in ("ul", "ol", "table", "li"):
                    where = self.where
                    self.flush()
                    self.walk(child)
                    self.flush()
                    self.where = where  # text after the inner block is a paragraph of its own
                elif ctag == "br":
                    where = self.where
                    self.flush()
                    self.where = where
                else:
                    self.inline(child)
            if child.tail:
                self.text.append(child.tail)


def _html_rows(table: Any) -> list[tuple[Any, list[str]]]:
    """A table's rows (of its own, not of tables inside it) as cells: a cell spanning columns
    is one cell and an empty one per column more; a cell spanning rows is empty below."""
    rows = [tr for tr in table.iter("tr")
            if next(tr.iterancestors("table"), None) is table]
    out = []
    pending: dict[int, int] = {}  # column -> rows it is still spanned down
    for tr in rows:
        cells: list[str] = []
        col = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                cells.append("")
                col += 1
            span = int(td.get("colspan", "1")) if td.get("colspan", "1").isdigit() else 1
            down = int(td.get("rowspan", "1")) if td.get("rowspan", "1").isdigit() else 1
            cells.append(_cell(td.text_content()))
            for k in range(max(span, 1)):
                if k:
                    cells.append("")
                if down > 1:
                    pending[col + k] = down - 1
            col += max(span, 1)
        while pending.get(col, 0) > 0:
            pending[col] -= 1
            cells.append("")
            col += 1
        out.append((tr, cells))
    return out


# ---------------------------------------------------------------------------------------- ODF

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _odt(path: Path, data: bytes) -> list[Block]:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            content = etree.fromstring(z.read("content.xml"))
            styles = etree.fromstring(z.read("styles.xml")) if "styles.xml" in z.namelist() \
                else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not an ODF text document ({type(exc).__name__}); save it "
                         f"again as .odt") from None
    numbered = set()
    for root in (content, styles):
        if root is None:
            continue
        for ls in root.iter(f"{{{_TEXT}}}list-style"):
            first = next(iter(ls), None)
            if first is not None and first.tag == f"{{{_TEXT}}}list-level-style-number":
                numbered.add(ls.get(f"{{{_STYLE}}}name"))
    body = content.find("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}body")
    text_root = body[0] if body is not None and len(body) else content
    reader = _OdtReader(numbered)
    reader.walk(text_root, None, 0)
    return reader.blocks


def _odf_text(el: Any) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{{{_TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
        elif tag in (f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"):
            parts.append(" ")
        elif tag in (f"{{{_TEXT}}}note", f"{{{_TEXT}}}bookmark-ref"):
            pass
        else:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _OdtReader:
    def __init__(self, numbered: set[str]):
        self.numbered = numbered
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.counts: list[int] = []

    def walk(self, el: Any, style: str | None, depth: int) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{{{_TEXT}}}h":
                self.paragraphs += 1
                level = int(child.get(f"{{{_TEXT}}}outline-level", "1"))
                self.blocks.append(Block("heading", _clean(_odf_text(child)),
                                         f"paragraph {self.paragraphs}", level=level))
            elif tag == f"{{{_TEXT}}}p":
                self.paragraphs += 1
                self.blocks.append(Block("para", _clean(_odf_text(child)),
                                         f"paragraph {self.paragraphs}"))
            elif tag == f"{{{_TEXT}}}list":
                name = child.get(f"{{{_TEXT}}}style-name") or style
                inner = depth + 1 if el.tag == f"{{{_TEXT}}}list-item" else depth
                if inner == 0:
                    self.counts = []
                self.list(child, name, inner)
            elif tag == f"{{{_TABLE}}}table":
                self.tables += 1
                r = 0
                for tr in child.iter(f"{{{_TABLE}}}table-row"):
                    r += 1
                    cells = []
                    for tc in tr:
                        if tc.tag == f"{{{_TABLE}}}covered-table-cell":
                            cells.append("")
                        elif tc.tag == f"{{{_TABLE}}}table-cell":
                            cells.append(_cell(" ".join(_odf_text(p) for p in tc.iter(
                                f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"))))
                    self.blocks.append(Block("row", where=f"table {self.tables}, row {r}",
                                             table=self.tables, cells=cells))
            elif tag == f"{{{_TEXT}}}section":
                self.walk(child, style, depth)

    def list(self, lst: Any, style: str | None, depth: int) -> None:
        ordered = style in self.numbered
        while len(self.counts) <= depth:
            self.counts.append(0)
        del self.counts[depth + 1:]
        for item in lst:
            if item.tag not in (f"{{{_TEXT}}}list-item", f"{{{_TEXT}}}list-header"):
                continue
            self.counts[depth] += 1
            del self.counts[depth + 1:]
            first = True
            for part in item:
                if part.tag in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h") and first:
                    self.paragraphs += 1
                    marker = ".".join(str(c) for c in self.counts[:depth + 1]) + "." \
                        if ordered and depth == 0 else (
                            ".".join(str(c) for c in self.counts[:depth + 1]) if ordered else "-")
                    self.blocks.append(Block("item", _clean(_odf_text(part)),
                                             f"paragraph {self.paragraphs}", level=depth,
                                             marker=marker))
                    first = False
                elif part.tag == f"{{{_TEXT}}}list":
                    self.list(part, part.get(f"{{{_TEXT}}}style-name") or style, depth + 1)
                elif part.tag in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
                    self.paragraphs += 1
                    self.blocks.append(Block("para", _clean(_odf_text(part)),
                                             f"paragraph {self.paragraphs}"))
