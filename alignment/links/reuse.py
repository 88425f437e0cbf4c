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


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
    digest: str = ""  # of its links' bytes, as read

    def score_rows(self) -> np.ndarray:
        import numpy as np

        rows = np.frombuffer(base64.b64decode(self.scores, validate=True), dtype=np.float64)
        return rows.reshape(-1, len(self.goals)) if self.goals else rows.reshape(0, 0)

    def fits(self, rows: int, goals: list[str]) -> bool:
        """Whether the entry holds scores for `rows` candidates and these goals."""
        try:
            return self.goals == goals and self.score_rows().shape == (rows, len(goals))
        except ValueError:  # its scores are not base64, or not whole rows
            return False

    def dump(self) -> bytes:
        """A line of JSON with all but the links (and a digest of them), then the links as JSON
        (read by pydantic from the bytes: a third of the time of reading them through Python's
        objects)."""
        links = _links().dump_json(self.links or [])
        head = json.dumps({"sums": self.sums, "overall": self.overall, "goals": self.goals,
                           "scores": self.scores, "links": _digest(links)})
        return head.encode() + b"\n" + links

    @staticmethod
    def head(file: Path) -> Entry:
        """The entry in `file`, its links not read yet; ValueError when it is not an entry."""
        with file.open("rb") as f:
            raw = json.loads(f.readline())
        sums = {str(s): (float(v[0]), int(v[1])) for s, v in raw["sums"].items()}
        overall = {str(s): float(v) for s, v in raw["overall"].items()}
        goals, scores, digest = raw["goals"], raw["scores"], raw["links"]
        if not (isinstance(goals, list) and all(isinstance(g, str) for g in goals)
                and isinstance(scores, str) and isinstance(digest, str)):
            raise ValueError(f"{file}: not an entry of suggestions")
        return Entry(sums, overall, goals, scores, None, file, digest)

    def read_links(self) -> list[Link]:
        """The links, checked against the digest the entry holds."""
        if self.links is None:
            assert self.file is not None
            with self.file.open("rb") as f:
                f.readline()
                data = f.read()
            if _digest(data) != self.digest:
                raise ValueError(f"{self.file}: its links are damaged")
            self.links = _links().validate_json(data)
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
        #: name -> the entry (worked out now), or the earlier build's file it came from
        self.entries: dict[str, Entry | Path] = {}
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
        except Exception:  # noqa: BLE001 - none, or not one this engine can read: worked out again
            return None

    def links(self, entry: Entry) -> list[Link] | None:
        """An entry's links, or None when they cannot be read (then worked out again)."""
        try:
            return entry.read_links()
        except Exception:  # noqa: BLE001 - damaged or unreadable: worked out again
            return None

    def use(self, name: str, plan: str) -> None:
        """The earlier build's entry of that name is used as it is."""
        assert self.earlier is not None
        self.entries[name] = self.earlier / name
        self.reused.append(plan)

    def put(self, name: str, entry: Entry) -> None:
        self.entries[name] = entry

    def write(self, folder: Path) -> None:
        """Put the entries of this build in `folder` (a new build's): those reused as links to
        the earlier build's files where the file system allows, else copied."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, entry in list(self.entries.items()):
            self.entries[name] = folder / name  # written: the entry is let go
            target = folder / name
            if isinstance(entry, Path):
                try:
                    os.link(entry, target)
                    continue
                except OSError:  # another file system, or a build since removed it
                    try:
                        data = entry.read_bytes()
                    except OSError:
                        continue  # worked out again next time
            else:
                data = entry.dump()
            target.write_bytes(data)
