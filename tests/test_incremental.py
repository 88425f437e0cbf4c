"""Incremental builds: a document whose bytes, reading code and corrections did not change is not
read again, and a rebuild gives the bytes a clean full build of the same sources gives."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from alignment.pipeline import building as api
from alignment.readers.corpus import build_corpus
from alignment.readers.reuse import Reuse
from alignment.sources.workspace import Workspace
from alignment.store.builds import DOCUMENTS_DIR, latest

#: every document of the bundled workspace, by ID
DOCUMENTS = {"cp24", "cp24-people-web", "cp24-enabling-web", "cp14", "hwb-d4"}


def _edit(ws: Path, file: str, old: str, new: str) -> None:
    """Change a source's text and record its new hash in the manifest, as an officer does."""
    path = ws / file
    before = path.read_bytes()
    assert old.encode() in before
    after = before.replace(old.encode(), new.encode(), 1)
    path.write_bytes(after)
    manifest = ws / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        hashlib.sha256(before).hexdigest(), hashlib.sha256(after).hexdigest()), encoding="utf-8")


def _outputs(ws: Path) -> dict[str, bytes]:
    """Every file of the current build but the file-system signature (times and inodes), the
    store as its content in N-Quads (its database files hold run-specific logs)."""
    import pyoxigraph as ox

    folder = latest(Workspace(ws, writable=True))
    assert folder is not None
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and "oxigraph" not in p.parts and p.name != "signature"}
    store = ox.Store.read_only(str(folder / "oxigraph"))
    files["oxigraph (N-Quads, sorted)"] = b"\n".join(sorted(
        store.dump(format=ox.RdfFormat.N_QUADS).splitlines()))
    return files


def _full_build(ws: Path, tmp_path: Path) -> dict[str, bytes]:
    """The files (`_outputs`) of a clean full build of the workspace's present sources, made in
    a copy without its builds."""
    clean = tmp_path / "clean"
    shutil.copytree(ws, clean, ignore=shutil.ignore_patterns(".align"))
    assert api.build(Workspace(clean, writable=True)).reused == ()
    return _outputs(clean)


def test_a_rebuild_after_one_document_changed_gives_the_full_builds_bytes(
        built_ws: Path, tmp_path: Path) -> None:
    """An action of an HWB goal reworded (so the goal's lines change): the other documents are
    not read again, the HWB document is, and every file of the build (graph, corpus, store,
    what was read from each document) is the same as a clean full build's of the changed
    sources."""
    ws = Workspace(built_ws, writable=True)
    before = _outputs(built_ws)
    _edit(built_ws, "sources/hwb-2022-26-domain4.txt", "scheme to enhance awareness of youth",
          "scheme to raise awareness of youth")
    steps: list[str] = []
    report = api.build(ws, progress=steps.append)
    assert [s for s in steps if s.startswith("updating the embedded SPARQL store")]
    assert not [s for s in steps if s.startswith("loading the embedded SPARQL store")]
    assert "validating against the SHACL shapes (where the graph changed)" in steps
    assert set(report.reused) == DOCUMENTS - {"hwb-d4"}
    assert [e.id for e in report.corpus.elements if "raise awareness of youth" in e.label]
    rebuilt = _outputs(built_ws)
    assert rebuilt["oxigraph (N-Quads, sorted)"] != before["oxigraph (N-Quads, sorted)"]

    expected = _full_build(built_ws, tmp_path)
    assert sorted(rebuilt) == sorted(expected)
    assert len([k for k in expected if k.startswith(DOCUMENTS_DIR)]) == len(DOCUMENTS) + 1  # and
    # the names found in each text (names.json)
    for name, data in expected.items():
        assert rebuilt[name] == data, f"{name} differs from the full build's"


@pytest.mark.parametrize("why", ["too-many-changes", "no-kept-triples", "another-engine"])
def test_a_store_that_cannot_be_updated_is_loaded_whole_with_the_same_content(
        built_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    """The store is loaded whole when too much of the graph changed (here: any change is too
    much), when the last build kept no triples, or when another engine made it; the content is
    a full build's either way, and the triples are kept for the next build."""
    from alignment.store import changes

    ws = Workspace(built_ws, writable=True)
    if why == "too-many-changes":
        monkeypatch.setattr(changes, "MOST_CHANGED", 0.0)
    elif why == "no-kept-triples":
        (latest(ws) / changes.TRIPLES_FILE).unlink()
    else:
        (latest(ws) / "engine").write_text("another engine")
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", "Housing", "Housing Services")
    steps: list[str] = []
    api.build(ws, progress=steps.append)
    loaded = [s for s in steps if s.startswith("loading the embedded SPARQL store")]
    assert len(loaded) == 1
    assert ("differs too much" in loaded[0]) == (why == "too-many-changes")
    assert (latest(ws) / changes.TRIPLES_FILE).is_file()
    assert _outputs(built_ws) == _full_build(built_ws, tmp_path)


def test_a_rebuild_writes_again_only_the_groups_of_statements_that_changed(
        built_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept triples are written in groups (a plan's elements, a plan's links of one kind),
    each with a digest of what it was made from: a line of the 2014-15 plan reworded, the
    rebuild writes again the groups that changed (that plan's elements and links) and copies
    the others from the last build's file, and the file still reads as the whole graph."""
    import gzip

    import pyoxigraph as ox

    from alignment.graph import ntriples
    from alignment.store.changes import TRIPLES_FILE, groups_of

    made: list[str] = []

    def counted(corpus, base=None):  # type: ignore[no-untyped-def]
        for g in real(corpus, base):
            yield ntriples.Group(g.source, lambda g=g: made.append("x") or g.text())

    real = ntriples.groups
    monkeypatch.setattr(ntriples, "groups", counted)
    ws = Workspace(built_ws, writable=True)
    total = len(json.loads(groups_of(latest(ws) / TRIPLES_FILE).read_text()))
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", "Publish the Thurrock 14-19(25) offer",
          "Publish the Thurrock 14-19(25) offer and prospectus")
    api.build(ws)
    assert 0 < len(made) <= total // 3, (len(made), total)
    folder = latest(ws)
    text = gzip.decompress((folder / TRIPLES_FILE).read_bytes())  # every member, as one file
    store = ox.Store.read_only(str(folder / "oxigraph"))
    kept = {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}
    assert kept == {ox.Triple(q.subject, q.predicate, q.object) for q in store}


def _similar_of_next_build(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    """The suggestions' reuse of each build from now on, as the build made it."""
    made: list = []  # type: ignore[type-arg]
    real = api._similar

    def kept(ws):  # type: ignore[no-untyped-def]
        made.append(real(ws))
        return made[-1]

    monkeypatch.setattr(api, "_similar", kept)
    return made


@pytest.mark.parametrize("change, worked_out", [
    ("a deliverable of the 2014-15 plan", {"CP14"}),
    ("an action of an HWB goal", {"CP14", "CP24"}),
    ("an entry of the last build damaged", {"CP24"}),
    ("an entry's scores cut short", {"CP24"}),
])
def test_only_the_plans_whose_suggestions_can_change_are_worked_out_again(
        built_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str,
        worked_out: set[str]) -> None:
    """Each plan's suggestions are kept with the build: a plan's own text changed, its
    suggestions are worked out again and the other plan's reused; a goal changed, every plan's;
    an entry that cannot be read, that plan's. Every file of the rebuild is a full build's."""
    from alignment.pipeline.building import SUGGESTIONS_DIR

    ws = Workspace(built_ws, writable=True)
    if change == "a deliverable of the 2014-15 plan":
        _edit(built_ws, "sources/cp2014-15-delivery-plan.txt",
              "Publish the Thurrock 14-19(25) offer", "Publish the Thurrock 14-19(25) prospectus")
    elif change == "an action of an HWB goal":
        _edit(built_ws, "sources/hwb-2022-26-domain4.txt", "scheme to enhance awareness of youth",
              "scheme to raise awareness of youth")
    else:
        entries = sorted((latest(ws) / SUGGESTIONS_DIR).iterdir())
        assert len(entries) == 2  # one a plan
        for entry in entries:
            if b"CP24-" in entry.read_bytes():
                data = entry.read_bytes()
                entry.unlink()  # not written over in place: a later build's hard link to it
                if change == "an entry's scores cut short":  # still an entry's first line
                    head, _, links = data.partition(b"\n")
                    raw = json.loads(head)
                    raw["scores"] = raw["scores"][: len(raw["scores"]) // 2 // 4 * 4]
                    data = json.dumps(raw).encode() + b"\n" + links
                else:
                    data = data[: len(data) // 2]
                entry.write_bytes(data)
    similar = _similar_of_next_build(monkeypatch)
    api.build(ws, force=True)
    assert {"CP14", "CP24"} - set(similar[-1].reused) == worked_out
    rebuilt = _outputs(built_ws)
    expected = _full_build(built_ws, tmp_path)
    assert sorted(rebuilt) == sorted(expected)
    assert len([k for k in expected if k.startswith(SUGGESTIONS_DIR)]) == 2
    for name, data in expected.items():
        assert rebuilt[name] == data, f"{name} differs from the full build's"


def test_kept_groups_damaged_in_place_are_made_again(built_ws: Path, tmp_path: Path) -> None:
    """A byte of every kept group changed, the file's size unchanged: no damaged group is
    copied into the next build (each carries a checksum), and the rebuild is a full build's."""
    from alignment.store.changes import TRIPLES_FILE, groups_of

    ws = Workspace(built_ws, writable=True)
    kept = latest(ws) / TRIPLES_FILE
    data = bytearray(kept.read_bytes())
    offset = 0
    for _, length, _, _ in json.loads(groups_of(kept).read_text()):
        data[offset + length // 2] ^= 0x55
        offset += length
    kept.unlink()  # not written over in place: a later build's hard link to it
    kept.write_bytes(bytes(data))
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", "Publish the Thurrock 14-19(25) offer",
          "Publish the Thurrock 14-19(25) prospectus")
    steps: list[str] = []
    api.build(ws, progress=steps.append)
    assert [s for s in steps if "cannot be read whole" in s]
    assert _outputs(built_ws) == _full_build(built_ws, tmp_path)


def test_names_are_looked_for_again_only_in_texts_the_last_build_did_not_read(
        built_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The strategies and bodies named in each text are kept with the readings: a rebuild
    after one deliverable was reworded looks for names in its new text alone; a changed
    registry, in every text again."""
    from alignment.sources.registry import Registry

    looked: list[str] = []
    real = Registry.find
    monkeypatch.setattr(Registry, "find", lambda self, text: looked.append(text) or real(self, text))
    ws = Workspace(built_ws, writable=True)
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", "Publish the Thurrock 14-19(25) offer",
          "Publish the Thurrock 14-19(25) prospectus")
    api.build(ws)
    assert looked and all("prospectus" in t for t in looked), looked
    looked.clear()
    registry = built_ws / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    api.build(ws)
    assert len(looked) > 100


def test_the_kept_triples_are_the_graph(built_ws: Path) -> None:
    """The gzipped N-Triples a build keeps (a snapshot for other tools, and what the next build
    compares with) hold what its store holds, and a hash for each of their lines."""
    import gzip

    import pyoxigraph as ox

    from alignment.store.changes import TRIPLES_FILE, hashes_of

    folder = latest(Workspace(built_ws, writable=True))
    text = gzip.decompress((folder / TRIPLES_FILE).read_bytes())
    kept = {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}
    store = ox.Store.read_only(str(folder / "oxigraph"))
    assert kept == {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    assert hashes_of(folder / TRIPLES_FILE).stat().st_size == 8 * text.count(b"\n")


def test_an_unchanged_rebuild_reads_no_document_and_keeps_every_byte(built_ws: Path) -> None:
    before = _outputs(built_ws)
    report = api.build(Workspace(built_ws, writable=True), force=True)
    assert set(report.reused) == DOCUMENTS and not report.unchanged
    assert _outputs(built_ws) == before


def test_a_build_of_unchanged_inputs_stands_until_the_engine_changes(
        built_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed since the current build: it stands, reported as it was when it was made
    (no folder written); a build asked for by another engine (its code or libraries) builds
    again."""
    w = Workspace(built_ws, writable=True)
    made = api.build(w, force=True)
    folder = latest(w)
    again = api.build(w)
    assert again.unchanged and latest(w) == folder
    assert (again.conforms, again.violations, again.shape_warnings, again.shacl_text) == \
        (made.conforms, made.violations, made.shape_warnings, made.shacl_text)
    assert again.corpus.model_dump_json() == made.corpus.model_dump_json()
    monkeypatch.setattr(api, "engine_key", lambda: "another engine")
    rebuilt = api.build(w)
    assert not rebuilt.unchanged and latest(w) != folder


def test_a_standing_build_does_not_repeat_what_changed_before_it(built_ws: Path) -> None:
    """The warning that a build's document lost or moved many elements since the build before
    is said by that build, not again by each later one that finds nothing changed."""
    w = Workspace(built_ws, writable=True)
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", "PRIORITY 2 - Encourage",
          "Encourage")  # its heading lost: priority 2 read as part of priority 1
    changed = api.build(w)
    said = [x for x in changed.corpus.warnings if "since the last build" in x]
    assert said and not changed.unchanged
    again = api.build(w)
    assert again.unchanged
    assert not [x for x in again.corpus.warnings if "since the last build" in x]


def _read(ws: Path) -> tuple[list[str], str]:
    """Read the workspace's documents as a build does, reusing its current build's readings:
    the documents reused, and the corpus as JSON."""
    w = Workspace(ws, writable=True)
    folder = latest(w)
    reuse = Reuse(folder / DOCUMENTS_DIR if folder else None)
    corpus = build_corpus(w, reuse=reuse)
    return sorted(reuse.reused), corpus.model_dump_json()


def _fresh(ws: Path) -> str:
    return build_corpus(Workspace(ws, writable=True)).model_dump_json()


@pytest.mark.parametrize("change, reread", [
    pytest.param(lambda ws: (ws / "corrections.yaml").write_text(
        (ws / "corrections.yaml").read_text(encoding="utf-8").replace(
            "by: strategy-team", "by: strategy-lead", 1), encoding="utf-8"),
        {"hwb-d4"}, id="a-correction-of-one-document"),
    pytest.param(lambda ws: (ws / "manifest.yaml").write_text(
        (ws / "manifest.yaml").read_text(encoding="utf-8").replace(
            'title: "Corporate Plan 2024-2029: People (web page)"',
            'title: "Corporate Plan 2024-2029: People"'), encoding="utf-8"),
        {"cp24-people-web"}, id="a-documents-manifest-entry"),
    pytest.param(lambda ws: _edit(ws, "sources/cp2014-15-delivery-plan.txt", "Housing",
                                  "Housing Services"), {"cp14"}, id="a-documents-bytes"),
    pytest.param(lambda ws: [p.write_text("{not json") for p in
                             (latest(Workspace(ws, writable=True)) / DOCUMENTS_DIR).iterdir()
                             if '"document": "cp24"' in p.read_text(encoding="utf-8")],
                 {"cp24"}, id="an-entry-cut-short"),
])
def test_only_what_changed_is_read_again(built_ws: Path, change, reread: set[str]) -> None:  # type: ignore[no-untyped-def]
    change(built_ws)
    reused, corpus = _read(built_ws)
    assert set(reused) == DOCUMENTS - reread
    assert corpus == _fresh(built_ws)


def test_corrections_used_by_a_reused_reading_still_count(built_ws: Path) -> None:
    """A correction applied while reading a document the next build reuses is still used: no
    warning says it was not."""
    reused, corpus = _read(built_ws)
    assert "hwb-d4" in reused
    assert not [w for w in json.loads(corpus)["warnings"] if "was not used" in w]


def test_the_reading_code_is_part_of_an_entrys_name(built_ws: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to a reader (here: its hash) reads every document again."""
    from alignment.readers import reuse

    monkeypatch.setattr(reuse, "reading_code", lambda: "another version of the readers")
    reused, _ = _read(built_ws)
    assert reused == []


def test_a_reused_reading_is_written_even_when_its_earlier_build_was_removed(
        built_ws: Path, tmp_path: Path) -> None:
    """Builds clear old build folders: one that another build removed while this one ran is
    no loss, the reading is written out from what was read."""
    w = Workspace(built_ws, writable=True)
    earlier = latest(w)
    assert earlier is not None
    reuse = Reuse(earlier / DOCUMENTS_DIR)
    build_corpus(w, reuse=reuse)
    expected = {p.name: p.read_bytes() for p in (earlier / DOCUMENTS_DIR).iterdir()}
    shutil.rmtree(earlier)
    reuse.write(tmp_path / "new")
    assert {p.name: p.read_bytes() for p in (tmp_path / "new").iterdir()} == expected


@pytest.mark.parametrize("damage", ["triples-cut-short", "store-unreadable"])
def test_a_damaged_last_build_is_not_updated_but_loaded_whole(built_ws: Path, tmp_path: Path,
                                                               damage: str) -> None:
    """Kept triples that cannot be read whole, or a store that cannot be copied, are not used:
    the graph is loaded whole, and the build is a full build's."""
    from alignment.store import changes

    ws = Workspace(built_ws, writable=True)
    folder = latest(ws)
    if damage == "triples-cut-short":
        kept = folder / changes.TRIPLES_FILE
        kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])
    else:
        for f in (folder / "oxigraph").iterdir():
            if f.name.startswith("CURRENT") or f.name.startswith("MANIFEST"):
                f.unlink()
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", "Housing", "Housing Services")
    steps: list[str] = []
    api.build(ws, progress=steps.append)
    assert [s for s in steps if s.startswith("loading the embedded SPARQL store")]
    assert _outputs(built_ws) == _full_build(built_ws, tmp_path)


def test_a_deliverable_added_to_one_plan_leaves_the_other_plans_numbers(built_ws: Path) -> None:
    """sa:sequence keeps the order the build read elements and found links in, and a
    deliverable added to the 2014-15 plan renumbers none of the other plans' elements or links:
    a rebuild rewrites that plan's statements, not the number of everything read after it
    (before, each element and link was numbered from 0 over the whole corpus)."""
    from alignment.graph.sequence import element_sequences, link_sequences

    def numbers(ws: Path) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
        corpus = api.load(Workspace(ws, writable=True))
        seq = element_sequences(corpus)
        lks = link_sequences(corpus)
        assert seq == sorted(seq) and len(set(seq)) == len(seq)  # the reading order, unique
        assert lks == sorted(lks) and len(set(lks)) == len(lks)
        plan = {e.id: e.plan for e in corpus.elements}
        return ({e.id: n for e, n in zip(corpus.elements, seq, strict=True)},
                {lk.id: n for lk, n in zip(corpus.links, lks, strict=True)},
                {lk.id: f"{plan.get(lk.source, '')} {plan.get(lk.target, '')}"
                 for lk in corpus.links})

    els, links, plan_of = numbers(built_ws)
    row = "\tPublish the Thurrock 14-19(25) offer for young people\tLearning & Universal Outcomes\n"
    _edit(built_ws, "sources/cp2014-15-delivery-plan.txt", row,
          row + "\tHold a jobs fair for care leavers in every town\tLearning & Universal Outcomes\n")
    api.build(Workspace(built_ws, writable=True))
    els2, links2, _ = numbers(built_ws)
    assert len(els2) > len(els)  # the deliverable was read
    others = [e for e in els if not e.startswith("CP14")]
    assert others and all(els2[e] == els[e] for e in others)
    # the links of other plans (a continuity link from a 2024-29 deliverable to a 2014-15 one
    # belongs to both)
    kept = [lk for lk in links if lk in links2 and "CP14" not in plan_of[lk].split()]
    bad = [(lk, links[lk], links2[lk]) for lk in kept if links2[lk] != links[lk]]
    assert len(kept) > 100 and not bad, bad[:5]


def test_the_corpus_is_written_in_pieces_as_its_whole_json(corpus, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus file is written a few elements or links at a time (here 3) and holds the
    bytes `model_dump_json` gives the whole corpus."""
    monkeypatch.setattr(api, "_PIECE", 3)
    api.write_corpus(corpus, tmp_path / "corpus.json")
    assert (tmp_path / "corpus.json").read_bytes() == corpus.model_dump_json().encode()
