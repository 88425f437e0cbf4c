"""The workspace's built store on disk: its files, the stamp that says whether it is current,
and atomic writes. Light on purpose: a query checks the stamp before loading any library."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import __version__
from .workspace import Workspace

__all__ = ["CORPUS_FILE", "GRAPH_FILE", "STAMP_FILE", "STORE_DIR", "input_stamp", "is_current",
           "write_atomic"]

CORPUS_FILE = "corpus.json"
GRAPH_FILE = "graph.ttl"
STAMP_FILE = "stamp"
STORE_DIR = "oxigraph"


#: the curated files of a workspace; with everything under sources/, what a build reads
CURATED = ("manifest.yaml", "registry.yaml", "corrections.yaml", "decisions.yaml")


def input_stamp(ws: Workspace) -> str:
    """A hash of everything a build reads (the manifest, the curated files and the sources), the
    engine's version and the base of the IRIs. Reads bytes only, so a query can check it without
    loading any library; other files in the workspace (a map, an export) do not count."""
    from .iri import base_iri

    h = hashlib.sha256(f"{__version__}\0{base_iri()}".encode())
    paths = [ws.root / name for name in CURATED]
    sources = ws.root / "sources"
    if sources.is_dir():
        paths += sorted(p for p in sources.rglob("*") if p.is_file())
    for path in paths:
        if path.is_file():
            h.update(str(path.relative_to(ws.root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def is_current(ws: Workspace) -> bool:
    """Whether the workspace's store was built from exactly its present inputs."""
    stamp = ws.store / STAMP_FILE
    return ws.writable and stamp.exists() and stamp.read_text() == input_stamp(ws)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then move it into place."""
    if path.is_dir():
        from .errors import InputError

        raise InputError(f"{path}: is a folder; give a file name to write to")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file would be, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
