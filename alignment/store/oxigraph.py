"""The embedded Oxigraph store of a workspace: written into a build folder, opened read-only for
questions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from alignment.sources.workspace import Workspace
from alignment.store.builds import STORE_DIR, built

__all__ = ["load_store", "open_built", "write_store"]


def write_store(path: Path, data: bytes, fmt: str = "TURTLE") -> None:
    """Load the graph into a new on-disk Oxigraph store at `path`."""
    import pyoxigraph as ox

    store = ox.Store(str(path))
    store.bulk_load(data, format=getattr(ox.RdfFormat, fmt))
    store.flush()
    del store


def load_store(path: Path | None, ntriples: bytes | Iterable[bytes]):  # type: ignore[no-untyped-def]
    """A new Oxigraph store holding the N-Triples: on disk at `path` (inside a build folder),
    or in memory for None. Given pieces, each is bulk-loaded as it comes, then the store is
    compacted: the bulk loader's memory grows with its input (at 10,000 deliverables, a
    million triples at once raised a build's peak by 0.95 GiB; pieces of 40,000, 20,000, 10,000
    and 5,000 made while the last loads, by 600, 340, 180 and 115 MiB, in the same time)."""
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    for piece in [ntriples] if isinstance(ntriples, bytes) else ahead(ntriples):
        store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES)
    if path is not None:
        store.optimize()
        store.flush()
    return store


def ahead(pieces: Iterable[bytes], depth: int = 1) -> Iterator[bytes]:
    """The pieces, made on a thread of their own a few ahead of their use: the store loads one
    (without holding Python's lock) while Python writes the next. An error in making them is
    raised here."""
    import queue
    import threading

    made: queue.Queue[tuple[bytes | None, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def make() -> None:
        try:
            for piece in pieces:
                while not stop.is_set():
                    try:
                        made.put((piece, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            made.put((None, None))
        except BaseException as e:  # raised again in the reader's thread
            made.put((None, e))

    maker = threading.Thread(target=make, name="ntriples", daemon=True)
    maker.start()
    try:
        while True:
            piece, error = made.get()
            if error is not None:
                raise error
            if piece is None:
                return
            yield piece
    finally:
        stop.set()
        maker.join()


def open_built(ws: Workspace):  # type: ignore[no-untyped-def]
    """The workspace's embedded store, read-only, if it was built from the present inputs;
    else None."""
    folder = built(ws)
    if folder is None or not (folder / STORE_DIR).is_dir():
        return None
    import pyoxigraph as ox

    return ox.Store.read_only(str(folder / STORE_DIR))
