"""Readers: one registry of every layout a source document can have.

The built-in layouts read the bundled Thurrock documents (corporate-plan-2024,
delivery-plan-table, hwb-domain); the generic importers (outline, csv, xlsx, yaml) read plans in
any layout an officer has, without writing a parser. Each reader turns a source's numbered lines
into the same model (elements with provenance, statements, responsibility mentions) and reports
what it skipped. `align add` registers a document with a generic layout; `align build` reads every
document through `extract`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from alignment.errors import InputError
from alignment.readers import corporate2024, delivery2014, hwb, outline, tabular, yamlplan
from alignment.readers.base import Mention, ParseResult
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText
from alignment.sources.documents import DOCUMENT_SUFFIXES

__all__ = ["BUILTIN_LAYOUTS", "IMPORT_LAYOUTS", "LAYOUTS", "Mention", "ParseResult", "TEMPLATES",
           "extract", "layout_for", "template"]

Parser = Callable[[SourceText, str, Corrections | None], ParseResult]

#: the layouts of the bundled documents, one parser each
BUILTIN_LAYOUTS: dict[str, Parser] = {
    "corporate-plan-2024": lambda src, plan, _c: corporate2024.parse(src, plan),
    "delivery-plan-table": lambda src, plan, _c: delivery2014.parse(src, plan),
    "hwb-domain": hwb.parse,  # type: ignore[dict-item]
}

#: the generic layouts that `align add` imports
IMPORT_LAYOUTS: dict[str, Parser] = {
    "outline": outline.parse,
    "csv": tabular.parse_csv,
    "xlsx": tabular.parse_xlsx,
    "yaml": yamlplan.parse,
}

#: every layout a manifest may name
LAYOUTS: dict[str, Parser] = {**BUILTIN_LAYOUTS, **IMPORT_LAYOUTS}

_BY_SUFFIX = {".md": "outline", ".markdown": "outline", ".txt": "outline", ".csv": "csv",
              ".tsv": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml",
              **dict.fromkeys(DOCUMENT_SUFFIXES, "outline")}

#: formats that are read once saved in another: what to save them as
_SAVE_AS = {".doc": "Word (.docx)", ".rtf": "Word (.docx)", ".xls": "Excel (.xlsx)",
            ".ods": "Excel (.xlsx) or CSV", ".pages": "Word (.docx) or PDF"}

TEMPLATES = {"csv": "plan-template.csv", "yaml": "plan-template.yaml",
             "outline": "plan-template.md"}


def extract(src: SourceText, corrections: Corrections) -> ParseResult:
    """Read one source document with the reader its manifest entry names."""
    doc = src.document
    parser = LAYOUTS.get(doc.layout)
    if parser is None:
        raise InputError(f"{doc._layout_at or src.path}: document '{doc.id}' has unknown layout "
                         f"'{doc.layout}' (known: {', '.join(sorted(LAYOUTS))}); fix 'layout' in "
                         f"the manifest")
    result = parser(src, doc.plan, corrections)
    if not result.elements:
        raise InputError(f"{src.path}: no structure of layout '{doc.layout}' found in document "
                         f"'{doc.id}'; check the layout named in the manifest")
    return result


def layout_for(path: Path, layout: str | None, data: bytes | None = None) -> str:
    """The layout named, else the one the file's suffix implies. A PDF, Word, web or ODF
    document (given its bytes) whose table names a title column and a responsibility or level
    column (Deliverable, Lead) is read as that table's rows (csv); any other, as an outline."""
    document = path.suffix.lower() in DOCUMENT_SUFFIXES
    if layout is not None:
        if layout not in IMPORT_LAYOUTS:
            raise InputError(f"unknown layout '{layout}'; use one of {', '.join(IMPORT_LAYOUTS)}")
        if document and layout not in ("outline", "csv"):
            raise InputError(f"{path}: a {path.suffix} document is read as an outline or as its "
                             f"table (--layout outline or csv), not as {layout}")
        return layout
    if document and data is not None:
        from alignment.sources.documents import read_blocks

        seen: set[int] = set()
        for b in read_blocks(path, data):
            if b.kind == "row" and b.table not in seen:  # a table's first row: its header
                seen.add(b.table)
                cols, groups, _ = tabular._columns(b.cells)
                named = [c for c in b.cells if c.strip()]
                if "title" in cols and len(named) >= 2 and (
                        {"post", "team", "parent", "level"} & set(cols) or groups):
                    return "csv"
        return "outline"
    found = _BY_SUFFIX.get(path.suffix.lower())
    if path.suffix.lower() in _SAVE_AS:
        raise InputError(f"{path}: a {path.suffix} file is not read; save it as "
                         f"{_SAVE_AS[path.suffix.lower()]} and add that")
    if found is None:
        raise InputError(f"{path}: cannot tell the layout from '{path.suffix or 'no suffix'}'; "
                         f"give --layout {'|'.join(IMPORT_LAYOUTS)}")
    return found


def template(kind: str) -> str:
    """A filled-in example to start a plan from."""
    if kind not in TEMPLATES:
        raise InputError(f"no template '{kind}'; use one of {', '.join(TEMPLATES)}")
    return (resources.files("alignment.readers") / "templates" / TEMPLATES[kind]).read_text("utf-8")
