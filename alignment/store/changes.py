"""A build's store made from the last build's: its database copied (hard links to its immutable
files, a few milliseconds), then only the statements that differ removed and added.

Each build keeps the graph's N-Triples, as written, gzipped beside its store (`graph.nt.gz`,
about 14 MB at 10,000 deliverables: also a snapshot of the graph for other tools), with a 64-bit
hash of each line (`graph.nt.gz.hashes`). The next build hashes the lines it writes and compares,
so the statements that differ are found without holding either graph's text in memory, and a
store equal to a full load of the new graph is made from the old one. A store is a set of
statements, so the result is the same whatever order or repetition the lines come in; a test
compares it with a full load.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

__all__ = ["MOST_CHANGED", "TRIPLES_FILE", "Recorder", "full_load_from", "hashes_of",
           "update_store"]

TRIPLES_FILE = "graph.nt.gz"

#: when more than this share of the statements differ, a full load is faster than the changes
MOST_CHANGED = 0.25

_READ = 1 << 20


def _hashes(lines: Iterable[bytes]) -> Iterator[int]:
    # two independent 32-bit checksums, computed in C: no collision among a million lines is
    # expected (about one in 30 million builds)
    return ((zlib.crc32(line) << 32) | zlib.adler32(line) for line in lines)


def _lines(piece: bytes) -> list[bytes]:
    """A piece's lines, without their line feeds (a piece ends with one)."""
    return piece[:-1].split(b"\n") if piece.endswith(b"\n") else piece.split(b"\n")


def hashes_of(triples: Path) -> Path:
    return triples.with_name(triples.name + ".hashes")


class Recorder:
    """Passes the graph's pieces through, writing them gzipped to `path` and each line's hash,
    in order, beside it (8 bytes a line). `keep` is called with each piece's lines and their
    hashes."""

    def __init__(self, path: Path, keep: Callable[[list[bytes], list[int]], None] | None = None):
        self.path = path
        self.keep = keep

    def __call__(self, pieces: Iterable[bytes]) -> Iterator[bytes]:
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip, fastest
        hashes = array("Q")
        with self.path.open("wb") as f, ThreadPoolExecutor(max_workers=1) as writer:
            # the pieces are compressed and written in order on a thread of their own (zlib
            # lets go of Python's lock) while the next are made and hashed; a few at most wait
            pending: deque = deque()
            for piece in pieces:
                pending.append(writer.submit(lambda p=piece: f.write(packer.compress(p))))
                if len(pending) > 4:
                    pending.popleft().result()
                lines = _lines(piece)
                now = list(_hashes(lines))
                hashes.extend(now)
                if self.keep:
                    self.keep(lines, now)
                yield piece
            while pending:
                pending.popleft().result()
            f.write(packer.flush())
        hashes_of(self.path).write_bytes(hashes.tobytes())


def _old_lines(path: Path) -> Iterator[bytes]:
    """The lines of a gzipped N-Triples file, one at a time, read in pieces."""
    unpack = zlib.decompressobj(31)
    rest = b""
    with path.open("rb") as f:
        while True:
            data = f.read(_READ)
            if not data:
                break
            lines = (rest + unpack.decompress(data)).split(b"\n")
            rest = lines.pop()
            yield from lines
    tail = rest + unpack.flush()
    if tail:
        yield from tail.split(b"\n")


def update_store(previous_store: Path, previous_triples: Path, path: Path,
                 pieces: Iterable[bytes], triples: Path):  # type: ignore[no-untyped-def]
    """A store at `path` holding the graph in `pieces`, made from the previous build's store
    and triples, and the statements that differ (N-Triples lines, removed and added); the
    graph's text is written to `triples` meanwhile. None when the two differ too much (the
    caller then loads the graph whole, from `triples`)."""
    import numpy as np
    import pyoxigraph as ox

    try:
        old = np.fromfile(hashes_of(previous_triples), dtype=np.uint64)
    except (OSError, ValueError):
        old = None
    before = set(old.tolist()) if old is not None else set()
    added: list[bytes] = []

    def keep(lines: list[bytes], hashes: list[int]) -> None:
        added.extend(line for line, h in zip(lines, hashes, strict=True) if h not in before)

    for _ in Recorder(triples, keep)(pieces):
        pass
    before.clear()  # its memory, before the store is opened
    if old is None:
        return None
    now = np.sort(np.fromfile(hashes_of(triples), dtype=np.uint64))
    if now.size:
        gone = np.flatnonzero(now[np.minimum(np.searchsorted(now, old), now.size - 1)] != old)
    else:
        gone = np.arange(old.size)
    if len(added) + gone.size > MOST_CHANGED * max(now.size, 1):
        return None
    removed = _lines_at(previous_triples, set(gone.tolist()), old.size)
    if removed is None:
        return None
    try:
        source = ox.Store.read_only(str(previous_store))
        source.backup(str(path))
        del source
        store = ox.Store(str(path))
    except OSError:  # the last build's store cannot be copied: the graph is loaded whole
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        return None
    for quad in ox.parse(b"\n".join(removed), format=ox.RdfFormat.N_TRIPLES):
        store.remove(quad)
    if added:
        store.bulk_load(b"\n".join(added) + b"\n", format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return store, removed + added


def _lines_at(path: Path, wanted: set[int], count: int) -> list[bytes] | None:
    """The lines numbered `wanted` of a gzipped file of `count` lines; None when the file cannot
    be read whole or holds another number of lines than its hashes say (then nothing is taken
    from it)."""
    if not wanted:
        return []
    try:
        picked, n = [], -1
        for n, line in enumerate(_old_lines(path)):
            if n in wanted:
                picked.append(line)
        return picked if n + 1 == count else None
    except (OSError, zlib.error, EOFError):
        return None


def full_load_from(triples: Path, path: Path):  # type: ignore[no-untyped-def]
    """A store at `path` loaded from a gzipped N-Triples file, in pieces."""
    from alignment.store.oxigraph import load_store

    def pieces() -> Iterator[bytes]:
        batch: list[bytes] = []
        for line in _old_lines(triples):
            batch.append(line)
            if len(batch) == 5_000:
                yield b"\n".join(batch) + b"\n"
                batch = []
        if batch:
            yield b"\n".join(batch) + b"\n"

    return load_store(path, pieces())
