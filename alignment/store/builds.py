"""The workspace's built store on disk: its files, the stamp that says whether it is current,
and atomic writes. Light on purpose: a query checks the stamp before loading any library.

Each build writes a new folder, `.align/build-*`, holding the SPARQL store, the Turtle, the
corpus and the stamp; when it is complete, the link `.align/current` is switched to it in one
atomic step. A build killed half-way leaves the previous build current; a query resolves the link
once and reads one build, never a mix of two."""

from __future__ import annotations

import os
from pathlib import Path

from alignment import __version__
from alignment.sources.workspace import Workspace

__all__ = ["CHECK_FILE", "CORPUS_FILE", "CURRENT", "DOCUMENTS_DIR", "ENGINE_FILE", "GRAPH_FILE",
           "SIGNATURE_FILE",
           "STAMP_FILE", "STORE_DIR", "built", "input_signature", "input_stamp", "is_current",
           "latest", "new_build_dir", "publish"]

CORPUS_FILE = "corpus.json"
DOCUMENTS_DIR = "documents"  # what the build read from each document (alignment.readers.reuse)
GRAPH_FILE = "graph.ttl"
STAMP_FILE = "stamp"
SIGNATURE_FILE = "signature"
CHECK_FILE = "check.json"  # the shapes' verdict on the build's graph
ENGINE_FILE = "engine"  # what the engine that made the build was (`engine_key`)
STORE_DIR = "oxigraph"
CURRENT = "current"  # a symbolic link to the build folder that queries read
_BUILD_PREFIX = "build-"


#: what the graph of a build holds: raised when the RDF changes, so that a store written before
#: is not taken for current (2: the reading order, sa:sequence, and each source's place, sa:order;
#: 3: the place of each statement, variant, responsible post and alias, and the registry's order;
#: 4: links asserted only where a document states them, whole-strategy commitments, the glossary;
#: 5: sa:sequence numbered by runs of a plan, alignment/graph/sequence.py)
GRAPH_VERSION = 5

#: the curated files of a workspace; with everything under sources/, what a build reads
CURATED = ("manifest.yaml", "registry.yaml", "corrections.yaml", "decisions.yaml",
           "glossary.yaml")


def _inputs(ws: Workspace) -> list[Path]:
    paths = [ws.root / name for name in CURATED]
    sources = ws.root / "sources"
    if sources.is_dir():
        paths += sorted(p for p in sources.rglob("*") if p.is_file())
    return paths


def input_stamp(ws: Workspace) -> str:
    """A hash of everything a build reads (the manifest, the curated files and the sources), the
    engine's version, the version of the graph and the base of the IRIs. Reads bytes only, so a
    query can check it without loading any library; other files in the workspace (a map, an
    export) do not count."""
    import hashlib

    from alignment.iri import base_iri

    h = hashlib.sha256(f"{__version__}\0{GRAPH_VERSION}\0{base_iri()}".encode())
    for path in _inputs(ws):
        if path.is_file():
            h.update(str(path.relative_to(ws.root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def input_signature(ws: Workspace) -> str:
    """What the file system says of the same inputs, without reading them: each file's size,
    modification and change times and inode (as git's index keeps them), with the versions and
    the base. Equal signatures mean the inputs were not touched since; a different one sends
    the check to the content (`input_stamp`), so a touched but unchanged file costs only a
    hash. Take it before reading the inputs: an edit afterwards changes it."""
    from alignment.iri import base_iri

    parts = [f"{__version__} {GRAPH_VERSION} {base_iri()}"]
    for path in _inputs(ws):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(ws.root)}\0{st.st_size} {st.st_mtime_ns} "
                     f"{st.st_ctime_ns} {st.st_ino}")
    return "\n".join(parts)


def built(ws: Workspace) -> Path | None:
    """The folder of the workspace's current build, if it was built from exactly the present
    inputs; else None. Resolved once: read every file of a build from the folder returned."""
    if not ws.writable:
        return None
    try:
        target = os.readlink(ws.store / CURRENT)
    except OSError:
        return None
    folder = ws.store / target
    try:
        signature = (folder / SIGNATURE_FILE).read_text()
    except OSError:
        signature = None
    if signature is not None and signature == input_signature(ws):
        return folder  # not touched since the build read them
    try:
        stamp = (folder / STAMP_FILE).read_text()
    except OSError:
        return None
    return folder if stamp == input_stamp(ws) else None


def latest(ws: Workspace) -> Path | None:
    """The folder of the workspace's current build, current or not (what the next build can
    reuse), or None when there is none."""
    if not ws.writable:
        return None
    try:
        return ws.store / os.readlink(ws.store / CURRENT)
    except OSError:
        return None


def is_current(ws: Workspace) -> bool:
    """Whether the workspace's store was built from exactly its present inputs."""
    return built(ws) is not None


def new_build_dir(ws: Workspace) -> Path:
    """A new, empty build folder (not seen by queries until published)."""
    import time

    folder = ws.store / f"{_BUILD_PREFIX}{time.time_ns()}-{os.getpid()}"
    folder.mkdir(parents=True)
    return folder


def publish(ws: Workspace, folder: Path) -> None:
    """Make a complete build folder current in one atomic step (a link replaced by rename), then
    remove older builds: the one just replaced stays, for queries still reading it. Call with the
    build lock held."""
    import shutil

    link = ws.store / CURRENT
    try:
        previous = os.readlink(link)
    except OSError:
        previous = None
    for stale in ws.store.glob(f".{CURRENT}-*"):  # links a killed build left (the lock is held)
        stale.unlink(missing_ok=True)
    tmp = ws.store / f".{CURRENT}-{os.getpid()}"
    os.symlink(folder.name, tmp)
    os.replace(tmp, link)
    keep = {folder.name, previous}
    for old in ws.store.glob(f"{_BUILD_PREFIX}*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for legacy in (STAMP_FILE, GRAPH_FILE, CORPUS_FILE):  # the flat layout of earlier versions
        (ws.store / legacy).unlink(missing_ok=True)
    shutil.rmtree(ws.store / STORE_DIR, ignore_errors=True)
