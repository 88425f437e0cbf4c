"""Writes the example plan documents of data/examples in PDF, Word, web and ODF form, which
docs/importing.md adds with `align add`. They are made by the same code as the documents that
tests/test_documents.py reads (tests/render.py), so the examples and the tests cannot drift.

    python tools/example_documents.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import render  # noqa: E402

#: each example, and what makes it
EXAMPLES = {
    "place-plan-2026.pdf": lambda: render.place_pdf(render.PLACE_PAGES),
    "corporate-plan-2026.docx": render.word_plan,
    "delivery-plan-2026.html": lambda: render.MERGED_PAGE,
    "community-safety-plan.odt": render.odt,
}


def main() -> int:
    for name, make in EXAMPLES.items():
        path = ROOT / "data" / "examples" / name
        path.write_bytes(make())
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
