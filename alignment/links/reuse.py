"""Suggestions worked out once: each plan's similarity suggestions, kept in the build folder and
reused by the next build when nothing that went into them changed.

A plan's suggestions depend on its own elements (their texts, their parents' and grandparents',
where they were read), on every goal's lines, on the glossary, on the hints that name a strategy,
and on the mean similarity of every plan with each strategy (to three places: the baselines are
drawn towards it). An entry is named by a hash of all of these but the last, and of the engine
that made it (its code and libraries); it records the means it was worked out with, and stands
only while they are the same. It holds the plan's suggestions, the sums its baselines add to
the means, and its pairs' scores (for inherited suggestions). So a rebuild after one plan
changed works out that plan's suggestions alone, and gives the bytes a full build gives; a
change to a goal, or one that moves a strategy's mean, works them all out again.

Each build writes the entries it used into its own folder, so a build killed half-way changes
nothing the current build reads. An entry that cannot be read is ignored (worked out again).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from alignment.model import Link

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Entry", "SimilarityReuse"]


@lru_cache(maxsize=1)
def _links():  # type: ignore[no-untyped-def]
    from pydantic import TypeAdapter

    return TypeAdapter(list[Link])


@dataclass
class Entry:
    """A plan's suggestions as one build worked them out: its first line (all but the links)
    read first, the links when asked for."""

    sums: dict[str, tuple[float, int]]  # strategy -> sum and number of the plan's similarities
    overall: dict[str, float]  # strategy -> the mean over every plan it was worked out with
    goals: list[str]  # the columns of `scores`
    scores: str  # the plan's pairs' scores (its candidates x goals, float64), base64
    links: list[Link] | None = None  # None: not read yet (`read_links`)
    file: Path | None = None  # where it was read from

    def score_rows(self) -> np.ndarray:
        import numpy as np

        rows = np.frombuffer(base64.b64decode(self.scores), dtype=np.float64)
        return rows.reshape(-1, len(self.goals)) if self.goals else rows.reshape(0, 0)

    def dump(self) -> bytes:
        """A line of JSON with all but the links, then the links as JSON (read by pydantic
        from the bytes: a third of the time of reading them through Python's objects)."""
        head = json.dumps({"sums": self.sums, "overall": self.overall, "goals": self.goals,
                           "scores": self.scores})
        return head.encode() + b"\n" + _links().dump_json(self.links or [])

    @staticmethod
    def head(file: Path) -> Entry:
        """The entry in `file`, its links not read yet."""
        with file.open("rb") as f:
            raw = json.loads(f.readline())
        return Entry({s: (float(v[0]), int(v[1])) for s, v in raw["sums"].items()},
                     {s: float(v) for s, v in raw["overall"].items()}, list(raw["goals"]),
                     str(raw["scores"]), None, file)

    def read_links(self) -> list[Link]:
        if self.links is None:
            assert self.file is not None
            with self.file.open("rb") as f:
                f.readline()
                self.links = _links().validate_json(f.read())
        return self.links

    @staticmethod
    def scores_of(rows: np.ndarray) -> str:
        import numpy as np

        return base64.b64encode(np.ascontiguousarray(rows, dtype=np.float64).tobytes()).decode()


class SimilarityReuse:
    """Plans' suggestions, reusing what an earlier build worked out (`earlier`: its folder of
    entries, or None), for one engine (`engine`: a hash of its code and libraries); `write`
    then puts every entry this build used into the new build's folder."""

    def __init__(self, earlier: Path | None, engine: str):
        self.earlier = earlier
        self.engine = engine
        #: name -> the entry's bytes (worked out now), or the earlier build's file it came from
        self.entries: dict[str, bytes | Path] = {}
        self.reused: list[str] = []  # the plans whose suggestions were not worked out again

    def name(self, *parts: str) -> str:
        """An entry's name: a hash of the engine and of everything its plan's suggestions were
        worked out from (`parts`)."""
        h = hashlib.sha256(self.engine.encode() + b"\0")
        for p in parts:
            h.update(p.encode("utf-8") + b"\0")
        return h.hexdigest()[:40] + ".json"

    def get(self, name: str) -> Entry | None:
        """The earlier build's entry of that name (its links not read yet), or None."""
        if self.earlier is None:
            return None
        try:
            return Entry.head(self.earlier / name)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def links(self, entry: Entry) -> list[Link] | None:
        """An entry's links, or None when they cannot be read (then worked out again)."""
        try:
            return entry.read_links()
        except (OSError, ValueError):
            return None

    def use(self, name: str, plan: str) -> None:
        """The earlier build's entry of that name is used as it is."""
        assert self.earlier is not None
        self.entries[name] = self.earlier / name
        self.reused.append(plan)

    def put(self, name: str, entry: Entry) -> None:
        self.entries[name] = entry.dump()

    def write(self, folder: Path) -> None:
        """Put the entries of this build in `folder` (a new build's): those reused as links to
        the earlier build's files where the file system allows, else copied."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in list(self.entries.items()):
            self.entries[name] = folder / name  # written: its bytes are let go
            target = folder / name
            if isinstance(data, Path):
                try:
                    os.link(data, target)
                    continue
                except OSError:  # another file system, or a build since removed it
                    try:
                        data = data.read_bytes()
                    except OSError:
                        continue  # worked out again next time
            target.write_bytes(data)
