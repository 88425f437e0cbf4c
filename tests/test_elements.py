"""The element questions (show, list, search, director, versions, and the references the commands
take): one path each, from the graph's Oxigraph store (the built one, or one built in memory),
through the function the named query shares; the graph keeps every list in its order."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.model import Corpus, Element
from alignment.questions.elements import director, list_elements, search, show, versions
from alignment.questions.fromstore import first_line, node_index

#: what answering an element question from a built store needs none of
HEAVY = ["pydantic", "alignment.model", "rdflib", "networkx", "numpy", "sklearn", "pyshacl",
         "openpyxl", "alignment.links.linking", "alignment.graph.rdf"]

QUESTIONS = [
    pytest.param(["show", "HWB-4C"], id="show"),
    pytest.param(["show", "hwb goal 4c"], id="show-forgiving"),
    pytest.param(["show", "POST-CFO"], id="show-post"),
    pytest.param(["show", "STRAT-HWB"], id="show-strategy"),
    pytest.param(["list", "--plan", "HWB"], id="list"),
    pytest.param(["list", "--type", "Post"], id="list-posts"),
    pytest.param(["list", "--type", "Strategy"], id="list-strategies"),
    pytest.param(["list", "--post", "public health"], id="list-post"),
    pytest.param(["search", "apprenticeships freeport"], id="search"),
    pytest.param(["director", "Executive Director of Place"], id="director"),
    pytest.param(["versions"], id="versions"),
]


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture()
def ws(built_workspace: Path) -> Path:
    """The workspace built once per run (conftest.py): only read here, never changed."""
    return built_workspace


@pytest.mark.parametrize("args", QUESTIONS)
def test_a_new_process_answers_from_the_store_without_the_corpus_model(ws: Path,
                                                                       args: list[str]) -> None:
    probe = ("import sys\n"
             f"sys.argv = ['align', '--workspace', {str(ws)!r}, *{args!r}]\n"
             "from alignment.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ws,
                       env={"COLUMNS": "100", "PATH": "", **{
                           k: v for k, v in os.environ.items() if k == "ALIGN_CACHE_DIR"}})
    assert "LOADED []" in r.stderr, r.stderr
    assert r.stdout and r.stdout == cli("--workspace", str(ws), *args)[1]


@pytest.mark.parametrize("args", QUESTIONS)
def test_a_built_store_and_a_build_in_memory_give_the_same_answer(ws: Path,
                                                                  args: list[str]) -> None:
    """The bundled data, read-only, has no store: it is answered from a build in memory."""
    built = cli("--workspace", str(ws), *args, "--format", "json")
    memory = cli(*args, "--format", "json")
    assert built[0] == 0, built[2]
    assert json.loads(built[1]) == json.loads(memory[1]) and json.loads(built[1])


def test_show_reads_back_every_list_in_its_order(store, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    """Provenance, statements, variants, children, responsible posts, aliases: as read."""
    for el in corpus.elements:
        rec = show(store, el.id)
        # (a locator only where the document has pages, paragraphs or elements)
        assert rec["provenance"] == [p.model_dump(exclude_none=True) for p in el.provenance], \
            el.id
        assert [(s["kind"], s["text"]) for s in rec["statements"]] == [
            (s.kind, s.text) for s in el.statements], el.id
        assert rec["variants"] == [v.model_dump() for v in el.variants], el.id
        assert [c["id"] for c in rec["children"]] == [c.id for c in corpus.children(el.id)]
        if el.responsible:
            assert [r["id"] for r in rec["responsible"]] == el.responsible, el.id
            assert {r["accountable"] for r in rec["responsible"]} == {"named"}
        p = el.provenance[0]
        assert first_line(store, el.id) == f"{p.document}:{p.line_start}"
    for a in corpus.agents:
        rec = show(store, a.id)
        assert (rec["type"], rec["aliases"]) == (a.kind.value, a.aliases)
        assert rec["provenance"] == [p.model_dump(exclude_none=True) for p in a.provenance]
    for s in corpus.strategies:
        rec = show(store, s.id)
        assert (rec["kind"], rec["aliases"], rec["part_of"], rec["note"]) == (
            s.kind, s.aliases, s.part_of, s.note)


def test_show_walks_up_to_the_plan_and_inherits_posts(store, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    rec = show(store, "CP24-PLACE-1")
    assert [p["id"] for p in rec["parents"]] == ["CP24-PLACE-A", "CP24-PLACE", "CP24"]
    assert [(r["id"], r["accountable"]) for r in rec["responsible"]] == [
        ("POST-ACE", "via CP24-PLACE-A"), ("POST-ED-PLACE", "via CP24-PLACE-A")]
    assert rec["suggestions"] == sum(1 for lk in corpus.links if lk.status == "suggested"
                                     and "CP24-PLACE-1" in (lk.source, lk.target)) > 0


def _document_order(corpus: Corpus) -> list[str]:
    out: list[str] = []

    def walk(el: Element) -> None:
        out.append(el.id)
        for child in corpus.children(el.id):
            walk(child)

    for root in sorted((e for e in corpus.elements if e.parent is None), key=lambda e: e.order):
        walk(root)
    return out


def test_lists_follow_document_order(store, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    assert [r["id"] for r in list_elements(store)] == _document_order(corpus)
    hits = [r["id"] for r in search(store, "the")]
    assert hits == [i for i in _document_order(corpus) if i in set(hits)] and len(hits) > 100
    place = {i: n for n, i in enumerate(_document_order(corpus))}
    ids = [r["id"] for r in versions(store)]
    assert ids == sorted(ids, key=place.__getitem__)
    _, rows = director(store, "POST-ACE")
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), key=place.__getitem__)


def test_the_resolver_sees_the_nodes_in_the_order_a_build_lists_them(store, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    """The nearest matches a miss names come in this order."""
    assert list(node_index(store)) == ([e.id for e in corpus.elements]
                                       + [a.id for a in corpus.agents]
                                       + [s.id for s in corpus.strategies])


def test_versions_quote_the_main_wording_of_the_field(store, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    index = corpus.element_index()
    for r in versions(store):
        el = index[r["id"]]
        if r["field"] == "label":
            assert r["label"] == el.label
        else:
            kind, n = r["field"].rstrip("]").split("[")
            mine = [s.text for s in el.statements if s.kind == kind]
            assert r["label"] == (mine[int(n) - 1] if int(n) <= len(mine) else "")


def test_the_element_query_holds_what_show_prints() -> None:
    out = cli("sparql", "element", "--bind", "element=HWB-4C", "--format", "csv")[1]
    rows = list(csv.DictReader(io.StringIO(out)))
    rec = json.loads(cli("show", "HWB-4C", "--format", "json")[1])
    parts = {p: [r for r in rows if r["part"] == p] for p in {r["part"] for r in rows}}
    assert [r["id"] for r in parts["child"]] == [c["id"] for c in rec["children"]]
    assert {r["id"] for r in parts["parent"]} == {p["id"] for p in rec["parents"]}
    assert [r["link"] for r in parts["linkFrom"]] == [r["link"] for r in rec["references"]]
    assert [r["link"] for r in parts["linkTo"]] == [r["link"] for r in rec["referenced_by"]]
    assert len(parts["suggested"]) == rec["suggestions"] > 0
