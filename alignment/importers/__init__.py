"""Generic importers: plans in any layout an officer has, without writing a parser.

Each importer reads one format into the same model the built-in parsers produce (elements with
provenance, statements, responsibility mentions) and reports what it skipped. `align add`
registers a document with one of these layouts; `align build` reads it like any other.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import InputError
from . import outline, tabular, yamlplan

__all__ = ["IMPORT_LAYOUTS", "layout_for", "template", "TEMPLATES"]

IMPORT_LAYOUTS = {
    "outline": outline.parse,
    "csv": tabular.parse_csv,
    "xlsx": tabular.parse_xlsx,
    "yaml": yamlplan.parse,
}

_BY_SUFFIX = {".md": "outline", ".markdown": "outline", ".txt": "outline", ".csv": "csv", ".tsv": "csv",
              ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}

TEMPLATES = {"csv": "plan-template.csv", "yaml": "plan-template.yaml",
             "outline": "plan-template.md"}


def layout_for(path: Path, layout: str | None) -> str:
    """The layout named, else the one the file's suffix implies."""
    if layout is not None:
        if layout not in IMPORT_LAYOUTS:
            raise InputError(f"unknown layout '{layout}'; use one of {', '.join(IMPORT_LAYOUTS)}")
        return layout
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise InputError(f"{path}: cannot tell the layout from '{path.suffix or 'no suffix'}'; "
                         f"give --layout {'|'.join(IMPORT_LAYOUTS)}")
    return found


def template(kind: str) -> str:
    """A filled-in example to start a plan from."""
    if kind not in TEMPLATES:
        raise InputError(f"no template '{kind}'; use one of {', '.join(TEMPLATES)}")
    return (resources.files("alignment") / "templates" / TEMPLATES[kind]).read_text("utf-8")
