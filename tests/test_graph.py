"""The RDF and NetworkX views: same content, conforming to the shapes, deterministic."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from alignment.graph.nxview import to_networkx
from alignment.graph.rdf import DEFAULT_BASE, iri, serialize, to_rdf
from alignment.graph.validate import validate
from alignment.graph.vocab import SA
from alignment.model import Corpus

ONTOLOGY = Path(__file__).parent.parent / "ontology" / "alignment.ttl"


@pytest.fixture(scope="module")
def graph(corpus: Corpus) -> Graph:
    return to_rdf(corpus)


def node(id_: str) -> URIRef:
    return iri(DEFAULT_BASE, "id", id_)


def test_built_graph_conforms(graph: Graph) -> None:
    result = validate(graph)
    assert result.conforms, result.text
    assert result.violations == 0


def _broken(graph: Graph, change: str) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    d = node("CP24-PEOPLE-21")
    if change == "no-label":
        g.remove((d, SKOS.prefLabel, None))
    elif change == "no-provenance":
        g.remove((d, PROV.qualifiedDerivation, None))
    elif change == "bad-line":
        deriv = next(g.objects(d, PROV.qualifiedDerivation))
        g.set((deriv, SA.lineStart, Literal(0)))
    elif change == "two-parents":
        g.add((d, SKOS.broader, node("CP24-PEOPLE-A")))
    elif change == "deliverable-under-goal":
        g.set((d, SKOS.broader, node("HWB-4C")))
    elif change == "bad-link-status":
        link = next(g.subjects(RDF.type, SA.Alignment))
        g.set((link, SA.status, Literal("maybe")))
    elif change == "statement-without-place":
        g.remove((next(g.subjects(RDF.type, SA.Statement)), SA.order, None))
    elif change == "responsibility-without-post":
        g.remove((next(g.subjects(RDF.type, SA.Responsibility)), SA.agent, None))
    elif change == "bad-id":
        g.set((d, SA.id, Literal("cp24 people 21")))
    return g


@pytest.mark.parametrize("change", ["no-label", "no-provenance", "bad-line", "two-parents",
                                    "deliverable-under-goal", "bad-link-status",
                                    "statement-without-place", "responsibility-without-post",
                                    "bad-id"])
def test_shapes_reject_broken_graphs(graph: Graph, change: str) -> None:
    result = validate(_broken(graph, change))
    assert not result.conforms
    assert result.violations >= 1


def _rdf_content(g: Graph) -> tuple[set[str], set[tuple[str, str, str]]]:
    ids = {str(o) for s, o in g.subject_objects(SA.id) if (s, RDF.type, SA.Alignment) not in g}
    known = {s: str(o) for s, o in g.subject_objects(SA.id)}

    def id_of_(node: object) -> str:
        return known.get(node, str(node))  # type: ignore[call-overload]

    id_of = _Lookup(id_of_)
    edges = set()
    for s, o in g.subject_objects(SKOS.broader):
        edges.add((id_of[s], id_of[o], "broader"))
    for s, o in g.subject_objects(SKOS.topConceptOf):
        edges.add((id_of[s], id_of[o], "broader"))
    for s, o in g.subject_objects(SA.responsible):
        edges.add((id_of[s], id_of[o], "responsible"))
    for link in g.subjects(RDF.type, SA.Alignment):
        src, tgt = g.value(link, SA.source), g.value(link, SA.target)
        edges.add((id_of[src], id_of[tgt], str(g.value(link, SA.id))))
    return ids, edges


class _Lookup:
    def __init__(self, fn):  # type: ignore[no-untyped-def]
        self.fn = fn

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        return self.fn(key)


def _nx_content(corpus: Corpus) -> tuple[set[str], set[tuple[str, str, str]]]:
    g = to_networkx(corpus)
    return set(g.nodes), {(u, v, k) for u, v, k in g.edges(keys=True)}


def test_rdf_and_networkx_hold_the_same_nodes_and_edges(corpus: Corpus, graph: Graph) -> None:
    rdf_nodes, rdf_edges = _rdf_content(graph)
    nx_nodes, nx_edges = _nx_content(corpus)
    assert rdf_nodes == nx_nodes
    assert rdf_edges == nx_edges
    assert len(nx_nodes) == len(corpus.elements) + len(corpus.agents) + len(corpus.strategies)


def test_comparison_fails_when_a_view_drops_an_element(corpus: Corpus, graph: Graph) -> None:
    g = Graph()
    for t in graph:
        if t[0] != node("HWB-4C-M4"):
            g.add(t)
    assert _rdf_content(g)[0] != _nx_content(corpus)[0]


def test_no_blank_nodes(graph: Graph) -> None:
    from rdflib import BNode

    assert not any(isinstance(x, BNode) for t in graph for x in t)


@pytest.mark.slow  # two builds, each in a new process
def test_two_builds_in_separate_processes_give_identical_turtle(tmp_path: Path) -> None:
    code = ("from alignment.pipeline.building import load_bundled; "
            "from alignment.graph.rdf import to_rdf, serialize;"
            "import sys; sys.stdout.write(serialize(to_rdf(load_bundled()), 'ttl'))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert b"2026-" not in runs[0]  # no build time in the graph


def test_iris_follow_the_configured_base(corpus: Corpus) -> None:
    g = to_rdf(corpus, base="https://example.org/council")
    assert (URIRef("https://example.org/council/id/HWB-4C"), SA.id, Literal("HWB-4C")) in g


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_every_rdf_format_reparses_to_an_isomorphic_graph(graph: Graph, fmt: str) -> None:
    from rdflib.compare import isomorphic

    parsed = Graph().parse(data=serialize(graph, fmt),
                           format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert isomorphic(parsed, graph)


def test_vocabulary_and_ontology_define_the_same_terms() -> None:
    declared = set(re.findall(r"^    (\w+): URIRef", Path(sys.modules[SA.__module__].__file__)
                              .read_text(), re.M))
    onto = Graph().parse(ONTOLOGY)
    defined = {str(s).split("#")[1] for s in onto.subjects(RDF.type, None)
               if str(s).startswith(str(SA._NS))}
    assert declared == defined


def test_closed_vocabulary_rejects_a_misspelt_term() -> None:
    with pytest.raises(AttributeError):
        SA.Deliverabel  # noqa: B018
