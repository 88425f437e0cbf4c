"""The rules that read links, in one place: which kinds serve a goal and in what order answers
list them, which links count under the filters, which suggestions an officer accepted, which
continuity links say a deliverable carried on, which element types are goals, and the check of a
plan asked for. Every question, map and decision reads links through these."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from alignment.errors import InputError
from alignment.terms import ElementType, LinkKind, LinkStatus

if TYPE_CHECKING:
    from alignment.model import Corpus, Link

__all__ = ["CONTINUITY_THRESHOLD", "GOAL_TYPES", "KINDS", "ORDER", "STATUSES", "SUGGESTING",
           "accepted", "carries_on", "check_filters", "check_plan", "counts", "natural",
           "serving"]

#: the element types that links serve (a goal of a strategy); the queries of gaps, the matrix
#: and not_a_goal (questions.serving) read them as sa:Goal
GOAL_TYPES = {ElementType.GOAL}
#: serving kinds, strongest first
KINDS = [LinkKind.STRUCTURAL, LinkKind.CURATED, LinkKind.EXPLICIT, LinkKind.INHERITED,
         LinkKind.SIMILARITY]
#: statuses of a link
STATUSES = tuple(LinkStatus)
#: kinds whose links the machine only suggests: asserted, such a link was accepted by an officer
SUGGESTING = (LinkKind.SIMILARITY, LinkKind.INHERITED, LinkKind.CONTINUITY)
#: every kind, in the order answers group them
ORDER = {k: i for i, k in enumerate([LinkKind.REFERENCES, *KINDS, LinkKind.CONTINUITY])}
#: a continuity suggestion counts from this TF-IDF cosine: the best F1 on the judged pool of
#: 2014-15 -> 2024-29 pairs (data/eval/cp14_cp24_continuity_judgments.tsv; `make eval`)
CONTINUITY_THRESHOLD = 0.175


def natural(id_: str) -> list[object]:
    """A sort key under which HWB-4C-A2 comes before HWB-4C-A10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", id_)]


def check_filters(min_score: float | None = None, status: str | None = None,
                  kinds: list[str] | None = None) -> None:
    """The filters of the link commands: a score from 0 to 1, a known status, known kinds."""
    if min_score is not None and not 0 <= min_score <= 1:  # NaN fails both comparisons
        raise InputError(f"--min-score {min_score}: give a number from 0 to 1")
    if status and status not in STATUSES:
        raise InputError(f"unknown status '{status}'; use one of {', '.join(STATUSES)}")
    for k in kinds or []:
        if k not in [*KINDS, LinkKind.REFERENCES]:
            raise InputError(f"unknown link kind '{k}'; use one of {', '.join(KINDS)}, "
                             f"references")


def check_plan(plans: Iterable[str], plan: str | None) -> None:
    """A plan asked for (any case) must be one of `plans`; else a one-line error naming them."""
    known = list(plans)
    if plan is not None and plan.lower() not in {p.lower() for p in known}:
        raise InputError(f"no plan '{plan}'; plans: {', '.join(known)}")


def counts(status: str, score: float, threshold: float, min_score: float | None = None,
           only: str | None = None) -> bool:
    """Whether a serving link counts under the filters: an asserted link always (an officer's
    accepted suggestion keeps its machine score but is not filtered by it), a suggestion when it
    scores at least `min_score` (default: `threshold`), a rejected link only when `only` asks
    for rejected ones. `only` keeps one status."""
    if only:
        if status != only:
            return False
    elif status == LinkStatus.REJECTED:
        return False
    return status != LinkStatus.SUGGESTED or score >= (threshold if min_score is None else min_score)


def accepted(kind: str, status: str) -> bool:
    """Whether a link is a machine suggestion an officer accepted (it is asserted now)."""
    return kind in SUGGESTING and status == LinkStatus.ASSERTED


def carries_on(kind: str, status: str, score: float, min_score: float | None = None) -> bool:
    """Whether a link says its deliverable carried on: a continuity link not rejected, and
    asserted or scoring at least `min_score` (default: the fitted threshold)."""
    threshold = CONTINUITY_THRESHOLD if min_score is None else min_score
    return (kind == LinkKind.CONTINUITY and status != LinkStatus.REJECTED
            and (status == LinkStatus.ASSERTED or score >= threshold))


def serving(corpus: Corpus, min_score: float | None = None, status: str | None = None,
            kinds: list[str] | None = None) -> list[Link]:
    """The links that count as serving: asserted ones, and suggestions at or above `min_score`
    (default: the evaluated threshold). `status` narrows to one status (rejected ones only
    then). See `counts`."""
    check_filters(min_score, status)
    from alignment.links.similarity import PARAMS

    return [lk for lk in corpus.links
            if lk.kind not in {LinkKind.REFERENCES, LinkKind.CONTINUITY}
            and (not kinds or lk.kind in kinds)
            and counts(lk.status, lk.score, PARAMS.threshold, min_score, status)]
