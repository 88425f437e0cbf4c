"""A build's store made from the last build's: its database copied (hard links to its immutable
files, a few milliseconds), then only the statements that differ removed and added.

Each build keeps the graph's N-Triples, as written, gzipped beside its store (`graph.nt.gz`,
about 14 MB at 10,000 deliverables: also a snapshot of the graph for other tools, which reads as
one file with gzip or zcat), with a 64-bit hash of each line (`graph.nt.gz.hashes`) and, for each
group of statements (alignment.graph.ntriples.groups: a plan's elements, a plan's links of one
kind), a digest of what it was made from, its compressed length and its number of lines
(`graph.nt.gz.groups`); each group is a gzip member of its own. The next build takes the text of
each group made from the same things from the last build's file as it is, and writes and hashes
only the others; the statements that differ are found by their hashes, without holding either
graph's text in memory, and a store equal to a full load of the new graph is made from the old
one. A store is a set of statements, so the result is the same whatever order or repetition the
lines come in; a test compares it with a full load.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from alignment.graph.ntriples import Group

__all__ = ["DAMAGED", "MOST_CHANGED", "TOO_MANY", "TRIPLES_FILE", "Recorder", "full_load_from",
           "groups_of", "hashes_of", "update_store"]

TRIPLES_FILE = "graph.nt.gz"

#: when more than this share of the statements differ, a full load is faster than the changes
MOST_CHANGED = 0.25

#: why a store is loaded whole, not updated
TOO_MANY = "the graph differs too much to update it"
DAMAGED = "the last build's kept triples or store cannot be read whole"

_READ = 1 << 20

#: statements loaded into the store at once (alignment.store.oxigraph.load_store). Loading the
#: 9.9 million statements of 100,000 deliverables alone took 60 s in pieces of 5,000, 48 s in
#: pieces of 20,000 or 50,000 and 49 s in pieces of 200,000, the loader's memory 114, 99, 143 and
#: 352 MiB; in a build, where the graph is written meanwhile, 20,000 took 4.9 s against 5.5 s at
#: 10,000 deliverables and the same 65 s at 100,000
PIECE = 20_000


def _hashes(lines: Iterable[bytes]) -> list[int]:
    # two independent 32-bit checksums, computed in C: no collision among a million lines is
    # expected (about one in 30 million builds)
    return [(zlib.crc32(line) << 32) | zlib.adler32(line) for line in lines]


def _lines(piece: bytes) -> list[bytes]:
    """A piece's lines, without their line feeds (a piece ends with one)."""
    if not piece:
        return []
    return piece[:-1].split(b"\n") if piece.endswith(b"\n") else piece.split(b"\n")


def hashes_of(triples: Path) -> Path:
    return triples.with_name(triples.name + ".hashes")


def groups_of(triples: Path) -> Path:
    return triples.with_name(triples.name + ".groups")


def _digest(source: bytes) -> str:
    return hashlib.blake2b(source, digest_size=16).hexdigest()


def _check(data: bytes, hashes: np.ndarray) -> int:
    """A checksum of a group's compressed bytes and its lines' hashes, to tell a damaged kept
    group from a sound one before it is copied."""
    return zlib.crc32(hashes.tobytes(), zlib.crc32(data))


class _Kept:
    """A build's kept triples: where each group's member starts, how long it is, its first line,
    its number of lines and its checksum, by the digest of what it was made from; and each
    line's hash. Raises ValueError when the three files do not agree (a file cut short or
    damaged, or written by an engine that kept no groups)."""

    def __init__(self, path: Path):
        import numpy as np

        self.path = path
        self.hashes = np.fromfile(hashes_of(path), dtype=np.uint64)
        listed = json.loads(groups_of(path).read_text(encoding="utf-8"))
        self.members: list[tuple[int, int, int, int, int]] = []
        self.by_digest: dict[str, int] = {}
        offset = line = 0
        for digest, length, count, check in listed:
            if not (isinstance(digest, str) and all(isinstance(v, int) and v >= 0
                                                    for v in (length, count, check))):
                raise ValueError(f"{groups_of(path)}: an entry is not a group's")
            self.by_digest.setdefault(digest, len(self.members))
            self.members.append((offset, length, line, count, check))
            offset, line = offset + length, line + count
        if offset != path.stat().st_size or line != self.hashes.size or \
                hashes_of(path).stat().st_size != 8 * line:
            raise ValueError(f"{path}: its groups do not match the file")
        self.starts = np.array([m[2] for m in self.members], dtype=np.int64)

    def member(self, k: int) -> tuple[bytes, np.ndarray]:
        """Group k's compressed bytes and its lines' hashes, checked against its checksum."""
        offset, length, first, count, check = self.members[k]
        with self.path.open("rb") as f:
            f.seek(offset)
            data = f.read(length)
        hashes = self.hashes[first:first + count]
        if len(data) != length or _check(data, hashes) != check:
            raise ValueError(f"{self.path}: group {k} is damaged")
        return data, hashes

    def lines_at(self, wanted: Iterable[int]) -> list[bytes]:
        """The lines numbered `wanted`, reading only the members that hold them (each checked
        against its lines' hashes)."""
        import numpy as np

        wanted = np.asarray(sorted(wanted), dtype=np.int64)
        out: list[bytes] = []
        for k in np.unique(np.searchsorted(self.starts, wanted, side="right") - 1).tolist():
            data, hashes = self.member(k)
            first = self.members[k][2]
            lines = _lines(zlib.decompress(data, 31))
            if np.array(_hashes(lines), dtype=np.uint64).tobytes() != hashes.tobytes():
                raise ValueError(f"{self.path}: group {k} holds other lines than its hashes say")
            inside = wanted[(wanted >= first) & (wanted < first + len(lines))] - first
            out.extend(lines[i] for i in inside.tolist())
        return out


class Recorder:
    """Writes the graph's groups to `path`, each a gzip member, with each line's hash and each
    group's digest, length and lines beside it. A group made from the same things as one of
    `previous` (the last build's kept triples) is copied from there, not made again."""

    def __init__(self, path: Path, previous: _Kept | None = None):
        self.path = path
        self.previous = previous
        self.copied: set[int] = set()  # the members of `previous` copied

    def __call__(self, groups: Iterable[Group]) -> Iterator[bytes]:
        """The text of the groups made (all of them, without `previous`), in pieces of about
        PIECE statements: the store loads each piece in one go, and many small loads leave it
        more to merge (a tenth of a build at 10,000 deliverables in groups of 2,400)."""
        batch: list[bytes] = []
        lines = 0
        for text, now in self.made(groups):
            batch.append(text)
            lines += now.size
            if lines >= PIECE:
                yield b"".join(batch)
                batch, lines = [], 0
        if batch:
            yield b"".join(batch)

    def made(self, groups: Iterable[Group]) -> Iterator[tuple[bytes, np.ndarray]]:
        """The text of each group made, and its lines' hashes."""
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        import numpy as np

        hashes: list[np.ndarray] = []
        listed: list[list[object]] = []
        previous = self.previous
        with self.path.open("wb") as f, ThreadPoolExecutor(max_workers=1) as writer:
            # the groups are compressed and written in order on a thread of their own (zlib
            # lets go of Python's lock) while the next are made and hashed; a few at most wait
            pending: deque = deque()

            def write(data: bytes | None, text: bytes, now: np.ndarray, entry: list[object]
                      ) -> None:
                if data is None:
                    data = zlib.compress(text, 1, 31)  # gzip, fastest
                entry[1], entry[3] = len(data), _check(data, now)
                f.write(data)

            for g in groups:
                digest = _digest(g.source())
                k = previous.by_digest.get(digest) if previous is not None else None
                copied = None
                if k is not None:
                    try:
                        copied = previous.member(k)
                    except (OSError, ValueError):  # damaged: the group is made again
                        k = None
                if copied is not None:
                    self.copied.add(k)
                    (data, now), text = copied, b""
                else:
                    text = g.text()
                    now = np.array(_hashes(_lines(text)), dtype=np.uint64)
                    data = None
                hashes.append(now)
                listed.append([digest, 0, int(now.size), 0])
                pending.append(writer.submit(write, data, text, now, listed[-1]))
                if len(pending) > 4:
                    pending.popleft().result()
                if k is None:
                    yield text, now
            while pending:
                pending.popleft().result()
        all_hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
        all_hashes.tofile(hashes_of(self.path))
        groups_of(self.path).write_text(json.dumps(listed), encoding="utf-8")


def _old_lines(path: Path) -> Iterator[bytes]:
    """The lines of a gzipped N-Triples file of one or more members, one at a time, read in
    pieces."""
    unpack = zlib.decompressobj(31)
    rest = b""
    with path.open("rb") as f:
        data = f.read(_READ)
        while data:
            text = unpack.decompress(data)
            if unpack.eof:  # a member ends: the next starts in what is left
                data = unpack.unused_data
                unpack = zlib.decompressobj(31)
            else:
                data = b""
            lines = (rest + text).split(b"\n")
            rest = lines.pop()
            yield from lines
            if not data:
                data = f.read(_READ)
    if rest:
        yield rest


def update_store(previous_store: Path, previous_triples: Path, path: Path,
                 groups: Iterable[Group], triples: Path):  # type: ignore[no-untyped-def]
    """A store at `path` holding the graph of `groups`, made from the previous build's store
    and triples, and the statements that differ (N-Triples lines, removed and added); the
    graph's text is written to `triples` meanwhile, each group unchanged since the last build
    taken from its file. Else, why it cannot be (the caller then loads the graph whole, from
    `triples`): the two differ too much, or the last build's kept triples or store are
    damaged."""
    import numpy as np
    import pyoxigraph as ox

    try:
        kept: _Kept | None = _Kept(previous_triples)
    except Exception:  # noqa: BLE001 - kept triples that cannot be read: a full load
        kept = None
    if kept is None:
        for _ in Recorder(triples).made(groups):
            pass
        return DAMAGED
    old = kept.hashes
    before = np.sort(old)
    added: list[bytes] = []
    recorder = Recorder(triples, kept)
    for text, now in recorder.made(groups):
        lines = _lines(text)
        if before.size:
            at = np.minimum(np.searchsorted(before, now), before.size - 1)
            new = np.flatnonzero(before[at] != now).tolist()
        else:
            new = range(len(lines))
        added.extend(lines[i] for i in new)
    del before
    now = np.sort(np.fromfile(hashes_of(triples), dtype=np.uint64))
    # a statement gone is one of the last build's not written now: only the groups not copied
    # can hold one
    maybe = np.concatenate([np.arange(first, first + count, dtype=np.int64)
                            for k, (_, _, first, count, _) in enumerate(kept.members)
                            if k not in recorder.copied] or [np.zeros(0, dtype=np.int64)])
    if now.size:
        at = np.minimum(np.searchsorted(now, old[maybe]), now.size - 1)
        gone = maybe[now[at] != old[maybe]]
    else:
        gone = maybe
    if len(added) + gone.size > MOST_CHANGED * max(now.size, 1):
        return TOO_MANY
    try:
        removed = kept.lines_at(gone.tolist()) if gone.size else []
    except (OSError, ValueError, zlib.error, EOFError):
        return DAMAGED
    try:
        source = ox.Store.read_only(str(previous_store))
        source.backup(str(path))
        del source
        store = ox.Store(str(path))
    except OSError:  # the last build's store cannot be copied: the graph is loaded whole
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        return DAMAGED
    for quad in ox.parse(b"\n".join(removed), format=ox.RdfFormat.N_TRIPLES):
        store.remove(quad)
    if added:
        store.bulk_load(b"\n".join(added) + b"\n", format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return store, removed + added


def full_load_from(triples: Path, path: Path):  # type: ignore[no-untyped-def]
    """A store at `path` loaded from a gzipped N-Triples file, in pieces."""
    from alignment.store.oxigraph import load_store

    def pieces() -> Iterator[bytes]:
        batch: list[bytes] = []
        for line in _old_lines(triples):
            batch.append(line)
            if len(batch) == PIECE:
                yield b"\n".join(batch) + b"\n"
                batch = []
        if batch:
            yield b"\n".join(batch) + b"\n"

    return load_store(path, pieces())
