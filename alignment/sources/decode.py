"""Reading a source document's bytes into numbered lines: its hash checked against the manifest,
text decoded (UTF-8; UTF-16 or Windows-1252 with a warning; a BOM, CR/CRLF line ends), control
characters reported, a workbook read as rows, a PDF, Word, web or ODF document as its text
(alignment.sources.documents).

Text that a reader sees as the same reads as the same: letters written decomposed (a letter,
then its accent: NFD) are composed (NFC), a no-break space or any other Unicode space is a
space, and invisible characters (zero-width spaces, soft hyphens, direction marks) are removed.
Each kind of change is one warning naming how many characters changed and the first line."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from alignment.errors import InputError
from alignment.sources.documents import DOCUMENT_SUFFIXES, document_lines
from alignment.sources.workspace import MANIFEST, Workspace

if TYPE_CHECKING:
    from alignment.model import Document

__all__ = ["SourceText", "read_source", "source_bytes", "decode_source", "workbook_lines",
           "sheet_names", "same_text", "MAX_SOURCE_BYTES"]

#: a source larger than this is not a plan's text (the bundled plans are under 100 KB)
MAX_SOURCE_BYTES = 20 * 1024 * 1024


class SourceText(NamedTuple):
    document: Document
    path: Path
    lines: list[str]  # lines[0] is line 1
    warnings: tuple[str, ...] = ()  # what reading changed, as "file:line: message"
    #: for a PDF, Word, web or ODF document: where each line stands in it ("page 3"), "" for a
    #: blank line; empty for a text file or a workbook
    locators: tuple[str, ...] = ()

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    def at(self, n: int) -> str:
        """Line n as a warning names it: "plan.pdf:12 (page 3)", "plan.txt:12"."""
        where = self.locator(n) if 0 < n <= len(self.locators) else None
        return f"{self.path.name}:{n}{f' ({where})' if where else ''}"

    def locator(self, first: int, last: int | None = None) -> str | None:
        """Where lines first..last stand in the document ("page 3", "page 3 to page 4")."""
        if not self.locators:
            return None
        a = self.locators[first - 1]
        b = self.locators[(last or first) - 1] if (last or first) <= len(self.locators) else a
        return (a if not b or b == a else f"{a} to {b}") or None


#: C0 control characters other than tab, line feed and carriage return, and DEL: never meant
#: as text (a PDF converter's leftovers); read as a space, with a warning.
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_source(ws: Workspace, doc: Document) -> SourceText:
    """Read a source document, verifying its recorded hash.

    UTF-8 with or without a byte-order mark, UTF-16 with one, else Windows-1252 (both with a
    warning naming the encoding); LF, CRLF or CR line ends. A NUL byte outside UTF-16 (a binary
    file) is an error; other control characters are read as spaces, with a warning naming each
    line. The file itself is never changed."""
    path, data = source_bytes(ws, doc)
    return decode_source(doc, path, data)


def source_bytes(ws: Workspace, doc: Document) -> tuple[Path, bytes]:
    """A source document's path and bytes, after checking them against the hash the manifest
    records."""
    path = ws.path(doc.file)
    if not path.is_file():
        raise InputError(f"{path}: source of document '{doc.id}' not found; check 'file' in "
                         f"{MANIFEST}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != doc.sha256:
        raise InputError(f"{path}: sha256 is {digest}, but {MANIFEST} records {doc.sha256} for "
                         f"'{doc.id}'; the source changed: restore it, or record the new hash")
    return path, data


def decode_source(doc: Document, path: Path, data: bytes) -> SourceText:
    """A source's bytes as numbered lines: text (UTF-8, UTF-16 with its BOM, or Windows-1252;
    a BOM and CR/CRLF endings are read as plain line breaks), or a workbook's rows."""
    if len(data) > MAX_SOURCE_BYTES:
        raise InputError(f"{path}: {len(data) / 1024 / 1024:.1f} MB, more than the "
                         f"{MAX_SOURCE_BYTES // 1024 // 1024} MB a plan's document can be; "
                         f"check that it is the right file, or split it")
    if path.suffix.lower() in DOCUMENT_SUFFIXES and doc.layout not in ("xlsx", "yaml"):
        if not data.strip():
            raise InputError(f"{path}:1: document '{doc.id}' is empty; save or export it again")
        # headings marked as Markdown for the outline reader; plain for the other layouts, as
        # their text versions are
        lines, where = document_lines(path, data, marked=doc.layout in ("outline", "csv"))
        lines, warnings = same_text(lines, path)
        return SourceText(doc, path, lines, tuple(warnings), tuple(where))
    if doc.layout == "xlsx":
        if not data.strip():
            raise InputError(f"{path}:1: document '{doc.id}' is empty; save the workbook again")
        lines, warnings = same_text(workbook_lines(data, path, doc.sheet), path)
        return SourceText(doc, path, lines, tuple(warnings))
    text, warnings = _text(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, changed = same_text(lines, path)
    warnings += changed
    for n, line in enumerate(lines, 1):
        if _CONTROLS.search(line):
            codes = sorted({f"U+{ord(c):04X}" for c in _CONTROLS.findall(line)})
            lines[n - 1] = _CONTROLS.sub(" ", line)
            warnings.append(f"{path.name}:{n}: control character {', '.join(codes)} read as a "
                            f"space")
    if not any(line.strip() for line in lines):
        raise InputError(f"{path}:1: document '{doc.id}' is empty; export its text again")
    return SourceText(doc, path, lines, tuple(warnings))


#: Unicode spaces other than the space itself (tab is structure, and stays)
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: invisible characters: zero-width space, soft hyphen, word joiner, BOM, direction marks and
#: embeddings, and the like (Unicode's format characters), but the joiners (ZWJ, ZWNJ) between
#: two letters or symbols beyond ASCII, where they shape a script or an emoji, and tag
#: characters, which spell a flag
_INVISIBLE = re.compile("(?![\u200c\u200d])[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
                        "|(?<![^\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f])")


def same_text(lines: list[str], path: Path) -> tuple[list[str], list[str]]:
    """Lines as a reader sees them: composed (NFC), every Unicode space a space, invisible
    characters removed; one warning per kind of change, naming the count and the first line."""
    import unicodedata

    counts = {"nfc": 0, "space": 0, "invisible": 0}
    first: dict[str, int] = {}
    codes: dict[str, set[str]] = {"space": set(), "invisible": set()}
    out = []
    for n, line in enumerate(lines, 1):
        if line.isascii():
            out.append(line)
            continue
        for kind, pattern, repl in (("invisible", _INVISIBLE, ""), ("space", _SPACES, " ")):
            found = pattern.findall(line)
            if found:
                counts[kind] += len(found)
                first.setdefault(kind, n)
                codes[kind].update(f"U+{ord(c):04X}" for c in found)
                line = pattern.sub(repl, line)
        composed = unicodedata.normalize("NFC", line)
        if composed != line:
            counts["nfc"] += len(line) - len(composed) or 1
            first.setdefault("nfc", n)
            line = composed
        out.append(line)
    warnings = []

    def listed(kind: str) -> str:
        shown = sorted(codes[kind])
        return ", ".join(shown[:4]) + (", ..." if len(shown) > 4 else "")

    if counts["nfc"]:
        warnings.append(f"{path.name}:{first['nfc']}: {counts['nfc']} accent(s) written apart "
                        f"from their letters (decomposed, NFD) read joined (NFC), from this "
                        f"line on; saving the file composed avoids this warning")
    if counts["space"]:
        warnings.append(f"{path.name}:{first['space']}: {counts['space']} no-break or other "
                        f"Unicode space(s) ({listed('space')}) read as plain spaces, from this "
                        f"line on")
    if counts["invisible"]:
        warnings.append(f"{path.name}:{first['invisible']}: {counts['invisible']} invisible "
                        f"character(s) ({listed('invisible')}: zero-width spaces, soft hyphens, "
                        f"direction marks) removed, from this line on")
    return out, warnings


#: The byte-order marks of UTF-16, as Word ("Unicode Text") and Excel ("Unicode Text (*.txt)")
#: save it, and the codec of each.
_UTF16 = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


#: The first bytes of files that are not text, whatever their name, and what each is.
_BINARY = ((b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (a Word or Excel file?)"),
           (b"\xd0\xcf\x11\xe0", "an old Word or Excel file"))


def _text(path: Path, data: bytes) -> tuple[str, list[str]]:
    """The text of a source's bytes, and a warning when it was not UTF-8: UTF-8 (with or
    without a BOM); UTF-16 with its BOM; else Windows-1252, which Word and Excel save as
    "Text" or "CSV" on Windows, when no byte of it reads as UTF-8 beyond ASCII. A NUL byte
    outside UTF-16, or a PDF, ZIP or old Office file's first bytes, mean a binary file; UTF-8 cut
    short or with a stray byte is UTF-8 with a fault: errors, each naming its line."""
    for bom, codec in _UTF16:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                line = data[len(bom):len(bom) + exc.start].decode(codec, "replace").count("\n") + 1
                raise InputError(f"{path}:{line}: not UTF-16 text, though it starts with a UTF-16 "
                                 f"byte-order mark; export the document as UTF-8 text") from None
            if "\0" in text:
                line = text[: text.index("\0")].count("\n") + 1
                raise InputError(f"{path}:{line}: a NUL character: a binary file, not text; "
                                 f"export the document as UTF-8 text")
            return text, [f"{path.name}:1: read as UTF-16 (its byte-order mark says so); saving "
                          f"it as UTF-8 text avoids this warning"]
    for magic, what in _BINARY:
        if data.startswith(magic):
            raise InputError(f"{path}:1: {what}, not text; export the document's text as UTF-8 "
                             f"(or import a sheet as .xlsx or .csv)")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise InputError(f"{path}:{line}: a NUL byte: a binary file, not UTF-8, UTF-16 or "
                         f"Windows-1252 text; export the document as UTF-8 text")
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        bad = body[exc.start:exc.end]
        if exc.end == len(body) and exc.reason == "unexpected end of data":
            raise InputError(f"{path}:{line}: not UTF-8 text: it ends inside a character (the "
                             f"file was cut short); copy or export it again") from None
    if any(ord(c) > 0x7F and c != "\ufffd" for c in body.decode("utf-8", "replace")):
        # UTF-8 characters elsewhere: a UTF-8 file with a fault, not Windows-1252 text (which
        # would read them as two or three characters each: "â€™" for "’")
        raise InputError(f"{path}:{line}: not UTF-8 text (byte {' '.join(f'0x{b:02X}' for b in bad)}"
                         f"), though the rest of the file is; correct that line, or convert the "
                         f"file to UTF-8") from None
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError as exc:
        # bytes that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        line = body[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 or Windows-1252 text (byte "
                         f"0x{body[exc.start]:02X}); convert the file to UTF-8") from None
    shown = bad.decode("cp1252", errors="replace")
    return text, [f"{path.name}:{line}: not UTF-8 ('{shown}' is byte "
                  f"{' '.join(f'0x{b:02X}' for b in bad)}); read as Windows-1252, as Word and "
                  f"Excel save text on Windows: check the characters, or save the file as UTF-8"]


def workbook_lines(data: bytes, path: Path, sheet: str | None = None) -> list[str]:
    """A workbook's sheet as text lines, one per row (cells tab-separated; a cell's own tabs
    become spaces and its line breaks U+2028, the Unicode line separator, which no line
    reader splits on), so that row N is line N."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{path}: not an XLSX workbook ({type(exc).__name__}); save it as "
                         f".xlsx, or export it as CSV") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise InputError(f"{path}: no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        lines = []
        for row in ws.iter_rows():
            cells = [_shown(c) for c in row]
            cells = [re.sub(r"\r?\n", "\u2028", c.strip()).replace("\t", " ") for c in cells]
            lines.append("\t".join(cells).rstrip("\t"))
        return lines
    finally:
        wb.close()


def sheet_names(data: bytes) -> list[str]:
    """A workbook's sheets, in order; none where the bytes are not a workbook (the names are a
    hint in a message, or a choice among sheets: the first sheet's error is the one reported)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a file that is not one)
        return []


def _shown(cell: Any) -> str:
    """A cell's value as the sheet shows it: 1.10 stays 1.10 where the cell's format gives two
    decimals (a code such as 1.10 would otherwise read as 1.1); a date as 2027-03-31."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, float):
        m = re.fullmatch(r"0\.(0+)", str(getattr(cell, "number_format", "")))
        if m:
            return f"{value:.{len(m.group(1))}f}"
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date cell: 2027-03-31, not 2027-03-31 00:00:00
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
