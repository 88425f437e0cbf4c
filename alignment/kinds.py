"""The kinds of link, in the order answers list them, and the natural order of IDs."""

from __future__ import annotations

import re

__all__ = ["KINDS", "ORDER", "STATUSES", "natural"]

#: serving kinds, strongest first
KINDS = ["structural", "curated", "explicit", "inherited", "similarity"]
#: statuses of a link
STATUSES = ("asserted", "suggested", "rejected")
#: every kind, in the order answers group them
ORDER = {k: i for i, k in enumerate(["references", *KINDS, "continuity"])}


def natural(id_: str) -> list[object]:
    """A sort key under which HWB-4C-A2 comes before HWB-4C-A10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", id_)]
