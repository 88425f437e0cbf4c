"""One parser per layout. Each returns elements, responsibility mentions and warnings."""

from __future__ import annotations

from collections.abc import Callable

from ..corrections import Corrections
from ..errors import InputError
from ..workspace import SourceText
from . import corporate2024, delivery2014, hwb
from .base import Mention, ParseResult

__all__ = ["LAYOUTS", "Mention", "ParseResult", "extract"]

Parser = Callable[[SourceText, str, Corrections], ParseResult]

LAYOUTS: dict[str, Parser] = {
    "corporate-plan-2024": lambda src, plan, _c: corporate2024.parse(src, plan),
    "delivery-plan-table": lambda src, plan, _c: delivery2014.parse(src, plan),
    "hwb-domain": hwb.parse,
}


def _layouts() -> dict[str, Parser]:
    """The built-in parsers and the generic importers (outline, csv, xlsx, yaml)."""
    from ..importers import IMPORT_LAYOUTS

    return {**LAYOUTS, **IMPORT_LAYOUTS}


def extract(src: SourceText, corrections: Corrections) -> ParseResult:
    doc = src.document
    layouts = _layouts()
    parser = layouts.get(doc.layout)
    if parser is None:
        raise InputError(f"{doc._layout_at or src.path}: document '{doc.id}' has unknown layout "
                         f"'{doc.layout}' (known: {', '.join(sorted(layouts))}); fix 'layout' in "
                         f"the manifest")
    result = parser(src, doc.plan, corrections)
    if not result.elements:
        raise InputError(f"{src.path}: no structure of layout '{doc.layout}' found in document "
                         f"'{doc.id}'; check the layout named in the manifest")
    return result
