"""The shapes checked inside Oxigraph (alignment/graph/shacl.py) give pySHACL's results: on the
bundled graph, and on copies with a fault planted for every kind of constraint the shapes use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from alignment.errors import InputError
from alignment.graph import shacl
from alignment.graph.rdf import DEFAULT_BASE, iri, to_rdf
from alignment.graph.validate import as_graph, validate
from alignment.graph.vocab import SA
from alignment.model import Corpus
from alignment.sources.workspace import ontology_dir

SHAPES = ontology_dir() / "shapes.ttl"
ORG_POST = URIRef("http://www.w3.org/ns/org#Post")
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def node(id_: str) -> URIRef:
    return iri(DEFAULT_BASE, "id", id_)


@pytest.fixture(scope="module")
def graph(corpus: Corpus) -> Graph:
    return to_rdf(corpus)


def pyshacl_results(g: Graph) -> set[tuple[str, str, str, str, str]]:
    """(focus, path, component, value, severity) of every result pySHACL reports."""
    from pyshacl import validate as reference
    from rdflib.namespace import SH

    _, report, _ = reference(g, shacl_graph=Graph().parse(SHAPES), inference="none",
                             allow_warnings=True)
    out = set()
    for r in report.objects(None, SH.result):  # not the details nested in them
        value = report.value(r, SH.value)
        path = report.value(r, SH.resultPath)
        out.add((report.value(r, SH.focusNode).n3(), str(path) if path is not None else "",
                 str(report.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH))
                 .removesuffix("ConstraintComponent"),
                 _blank(value.n3()) if value is not None else "",
                 str(report.value(r, SH.resultSeverity)).removeprefix(str(SH))))
    return out


def ours(g: Graph) -> set[tuple[str, str, str, str, str]]:
    return {(r.focus, r.path, r.component, _blank(r.value), r.severity) for r in validate(g).results}


def _blank(term: str) -> str:
    """A blank node's label is its store's own: any blank node is written `_:`."""
    return "_:" if term.startswith("_:") else term


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def _derivation(g: Graph, d: URIRef) -> URIRef:
    return next(g.objects(d, PROV.qualifiedDerivation))


D = "CP24-PEOPLE-21"

#: one fault per kind of constraint the shapes use, each planted on its own deliverable `d` (or
#: on another node) of a copy of the bundled graph
FAULTS: dict[str, Callable[[Graph, URIRef], None]] = {
    "minCount": lambda g, d: g.remove((d, SKOS.prefLabel, None)),
    "maxCount": lambda g, d: g.add((d, SKOS.prefLabel, Literal("A second label"))),
    "class": lambda g, d: g.set((d, SA.plan, node("HWB-4C"))),
    "class of a literal": lambda g, d: g.set((d, SKOS.broader, Literal("CP24-PEOPLE"))),
    "datatype": lambda g, d: g.set((_derivation(g, d), SA.lineStart, Literal("3"))),
    "datatype, ill-typed": lambda g, d: g.set((_derivation(g, d), SA.lineEnd,
                                               Literal("three", datatype=INTEGER))),
    "datatype, language-tagged": lambda g, d: g.set((d, SA.due, Literal("2026", lang="en"))),
    "datatype of an IRI": lambda g, d: g.set((_derivation(g, d), SA.lineStart, node("HWB-4C"))),
    "minInclusive": lambda g, d: g.set((_derivation(g, d), SA.lineStart, Literal(0))),
    "minInclusive, of an order": lambda g, d: g.set((next(g.subjects(RDF.type, SA.Statement)),
                                                     SA.order, Literal(0))),
    "maxInclusive": lambda g, d: g.set((next(g.subjects(RDF.type, SA.Alignment)), SA.score,
                                        Literal("1.5", datatype=DECIMAL))),
    "minLength": lambda g, d: g.set((d, SKOS.prefLabel, Literal("x"))),
    "minLength of a blank node": lambda g, d: g.set((d, SKOS.prefLabel, BNode())),
    "pattern of an IRI": lambda g, d: g.set((d, SA.id, node("HWB-4C"))),
    "pattern": lambda g, d: g.set((d, SA.id, Literal("cp24 people 21"))),
    "in": lambda g, d: g.set((next(g.subjects(RDF.type, SA.Alignment)), SA.status,
                              Literal("maybe"))),
    "node": lambda g, d: g.remove((_derivation(g, d), PROV.entity, None)),
    "or": lambda g, d: g.set((d, SKOS.broader, node("HWB-4C"))),
    "or, of an agent": lambda g, d: g.add((d, SA.responsible, node("HWB-4C"))),
    "targetObjectsOf": lambda g, d: g.remove((next(g.objects(None, SA.variant)), SA.order, None)),
    "a warning": lambda g, d: g.remove((node("CP24-PEOPLE-A"), SA.responsible, None)),
    "a post without a label": lambda g, d: g.remove((next(g.subjects(RDF.type, ORG_POST)),
                                                     SKOS.prefLabel, None)),
}


def test_the_bundled_graph_gives_pyshacls_results(graph: Graph) -> None:
    expected = pyshacl_results(graph)
    assert len(expected) == 5  # the 2014-15 priorities without a responsible post: warnings
    assert ours(graph) == expected


def test_planted_faults_give_pyshacls_results(graph: Graph) -> None:
    """Every fault at once, each on a node of its own (one pySHACL run: it takes a second)."""
    g = _copy(graph)
    for k, plant in enumerate(FAULTS.values(), 1):
        plant(g, node(f"CP24-PEOPLE-{k}"))
    expected = pyshacl_results(g)
    assert len(expected) >= 5 + len(FAULTS), "a fault was not planted"
    assert ours(g) == expected
    found = {c for _, _, c, _, _ in expected}
    assert found >= {"MinCount", "MaxCount", "Class", "Datatype", "MinInclusive", "MaxInclusive",
                     "MinLength", "Pattern", "In", "Node", "Or"}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_planted_fault_is_found(graph: Graph, fault: str) -> None:
    g = _copy(graph)
    FAULTS[fault](g, node(D))
    assert len(validate(g).results) > 5


def test_the_report_is_a_w3c_report_that_names_each_shape(graph: Graph) -> None:
    from rdflib.namespace import SH

    g = _copy(graph)
    FAULTS["node"](g, node(D))
    report = as_graph(validate(g))
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == 6
    for r in results:
        shape = report.value(r, SH.sourceShape)
        assert shape is not None and report.value(shape, SH.path) is not None
    broken = next(r for r in results if report.value(r, SH.resultSeverity) == SH.Violation)
    assert report.value(broken, SH.sourceConstraintComponent) == SH.NodeConstraintComponent
    assert report.value(broken, SH.focusNode) == node(D)


def test_a_shape_this_engine_cannot_check_is_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.read_text(encoding="utf-8") + "\nsa:XShape a sh:NodeShape ; "
                      "sh:targetClass sa:Plan ;\n  sh:property [ sh:path sa:id ; "
                      "sh:uniqueLang true ] .\n", encoding="utf-8")
    with pytest.raises(InputError, match="sh:uniqueLang, which this engine does not check"):
        shacl.load_shapes(shapes)


def _lines(g: Graph) -> set[bytes]:
    return {ln.encode() for ln in g.serialize(format="nt").splitlines() if ln.strip()}


_CHECKED: dict[str, tuple[set[bytes], list[shacl.Result]]] = {}


def _checked(graph: Graph, fault: str) -> tuple[set[bytes], list[shacl.Result]]:
    """The bundled graph with `fault` planted ("" for none): its statements and its whole
    check's results (each made once: both directions of a fault use them)."""
    if fault not in _CHECKED:
        g = _copy(graph)
        if fault in FAULTS:
            FAULTS[fault](g, node(D))
        elif fault:  # every derivation from it fails its nested shape: the elements derived
            g.remove((iri(DEFAULT_BASE, "doc", "cp24"), RDF.type, SA.SourceDocument))
        lines = _lines(g)
        _CHECKED[fault] = lines, validate(b"\n".join(sorted(lines)) + b"\n").results
    return _CHECKED[fault]


# a built graph has no blank nodes (each store labels its own apart, so results naming one differ)
@pytest.mark.parametrize("fault", [*(f for f in FAULTS if "blank" not in f),
                                   "the class of a document two statements away"])
@pytest.mark.parametrize("direction", ["planted", "mended"])
def test_checking_only_what_changed_gives_the_whole_checks_results(
        graph: Graph, fault: str, direction: str) -> None:
    """A store made from an earlier one by removing and adding statements is checked again only
    where the changes can reach (along the shapes' paths, as deep as the shapes nest), the
    earlier results standing for the rest: the results are the whole check's, whether a fault
    is planted or mended."""
    from alignment.graph.validate import validate_changes

    before, after = (("", fault) if direction == "planted" else (fault, ""))
    (old, earlier), (new, whole) = _checked(graph, before), _checked(graph, after)
    assert whole != earlier
    store = shacl.store_of(b"\n".join(sorted(new)) + b"\n")
    again = validate_changes(store, earlier, sorted(old ^ new))
    assert again.results == whole


def test_the_reach_of_the_shapes_follows_their_nesting() -> None:
    """An element's provenance is a nested shape whose document has a class: a change two
    statements away from an element can change its results."""
    shapes = shacl.shapes_at(SHAPES)
    assert shacl.reach(shapes) == 2
    assert {str(PROV.qualifiedDerivation), str(PROV.entity), str(SA.variant)} <= shacl.paths(shapes)
