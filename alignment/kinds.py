"""The kinds of link, in the order answers list them, and the natural order of IDs."""

from __future__ import annotations

import re

__all__ = ["KINDS", "ORDER", "STATUSES", "SUGGESTING", "accepted", "check_filters", "counts",
           "natural"]

#: serving kinds, strongest first
KINDS = ["structural", "curated", "explicit", "inherited", "similarity"]
#: statuses of a link
STATUSES = ("asserted", "suggested", "rejected")
#: kinds whose links the machine only suggests: asserted, such a link was accepted by an officer
SUGGESTING = ("similarity", "continuity")
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


def counts(status: str, score: float, threshold: float, min_score: float | None = None,
           only: str | None = None) -> bool:
    """Whether a serving link counts under the filters: an asserted link always (an officer's
    accepted suggestion keeps its machine score but is not filtered by it), a suggestion when it
    scores at least `min_score` (default: `threshold`), a rejected link only when `only` asks
    for rejected ones. `only` keeps one status."""
    if only:
        if status != only:
            return False
    elif status == "rejected":
        return False
    return status != "suggested" or score >= (threshold if min_score is None else min_score)


def accepted(kind: str, status: str) -> bool:
    """Whether a link is a machine suggestion an officer accepted (it is asserted now)."""
    return kind in SUGGESTING and status == "asserted"
