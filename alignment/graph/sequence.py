"""The numbers of sa:sequence: the order the build read the elements in (the plans in manifest
order, then each document's elements as read) and found the links in, the order questions list
them in.

The numbers keep that order but are not counted from 0 over the whole corpus, so that a change
to one plan leaves the numbers of every other plan's elements and links as they were: a rebuild
after one document changed rewrites that document's statements, not the number of everything
read after it (at 10,000 deliverables, rewording one deliverable renumbered 21,877 links).
Consecutive elements of the same plan form a run, and so do consecutive links of the same kind
from elements of the same plan; a number is the run's place times `RUN` plus the place within
the run.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from alignment.model import Corpus

__all__ = ["RUN", "element_sequences", "link_sequences"]

#: the numbers a run can hold
RUN = 10_000_000


def _numbered(keys: Iterable[Hashable]) -> list[int]:
    out: list[int] = []
    run, at, last = -1, 0, None
    for n, key in enumerate(keys):
        if n == 0 or key != last:
            run, at, last = run + 1, 0, key
        if at >= RUN:
            raise ValueError(f"more than {RUN:,} elements or links in one plan")
        out.append(run * RUN + at)
        at += 1
    return out


def element_sequences(corpus: Corpus) -> list[int]:
    """The number of each element of `corpus.elements`, in its order."""
    return _numbered(e.plan for e in corpus.elements)


def link_sequences(corpus: Corpus) -> list[int]:
    """The number of each link of `corpus.links`, in its order."""
    plan = {e.id: e.plan for e in corpus.elements}
    return _numbered((lk.kind, plan.get(lk.source, lk.source)) for lk in corpus.links)
