"""The kinds of link, in the order answers list them, and the natural order of IDs."""

from __future__ import annotations

import re

__all__ = ["KINDS", "ORDER", "STATUSES", "check_filters", "natural"]

#: serving kinds, strongest first
KINDS = ["structural", "curated", "explicit", "inherited", "similarity"]
#: statuses of a link
STATUSES = ("asserted", "suggested", "rejected")
#: every kind, in the order answers group them
ORDER = {k: i for i, k in enumerate(["references", *KINDS, "continuity"])}


def natural(id_: str) -> list[object]:
    """A sort key under which HWB-4C-A2 comes before HWB-4C-A10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", id_)]


def check_filters(min_score: float | None = None, status: str | None = None,
                  kinds: list[str] | None = None) -> None:
    """The filters of the link commands: a score from 0 to 1, a known status, known kinds."""
    from .errors import InputError

    if min_score is not None and not 0 <= min_score <= 1:  # NaN fails both comparisons
        raise InputError(f"--min-score {min_score}: give a number from 0 to 1")
    if status and status not in STATUSES:
        raise InputError(f"unknown status '{status}'; use one of {', '.join(STATUSES)}")
    for k in kinds or []:
        if k not in [*KINDS, "references"]:
            raise InputError(f"unknown link kind '{k}'; use one of {', '.join(KINDS)}, "
                             f"references")
