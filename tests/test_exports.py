"""Exports for other tools, checked with independent readers: every RDF format read by rdflib is
isomorphic with what the built store holds; the graph files are read by networkx without a
warning; every export gives the same bytes in two processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from alignment.cli.app import app
from alignment.graph.exporting import SUFFIXES, WRITERS
from alignment.graph.rdf import DEFAULT_BASE, FORMATS, decimal, graph_name, jsonld_context

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(ws), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store_graph(built_workspace: Path) -> Graph:
    """What the workspace's Oxigraph store holds, read back into rdflib."""
    import pyoxigraph as ox

    from alignment.sources.workspace import Workspace
    from alignment.store.oxigraph import open_built

    store = open_built(Workspace(built_workspace, writable=True))
    assert store is not None
    assert list(store.named_graphs()) == []  # the store holds the graph in its default graph
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    g = Graph().parse(data=data.decode("utf-8"), format="nt")
    assert len(g) > 10_000
    return g


def exported(ws: Path, tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"graph{next(s for s, f in SUFFIXES.items() if f == fmt)}"
    code, _, err = run(ws, "export", "--out", str(out))
    assert code == 0, err
    return out


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_rdf_export_is_isomorphic_with_the_store(built_workspace: Path, tmp_path: Path,
                                                       store_graph: Graph, fmt: str) -> None:
    path = exported(built_workspace, tmp_path, fmt)
    rdflib_format = FORMATS[fmt][0]
    if fmt in {"nq", "trig"}:  # the whole graph in its named graph, nothing in the default one
        ds = Dataset()
        ds.parse(path, format=rdflib_format)
        names = {g.identifier for g in ds.graphs() if len(g)}
        assert names == {graph_name()}
        g = ds.graph(graph_name())
    else:
        g = Graph().parse(path, format=rdflib_format)
    if not isomorphic(g, store_graph):
        _, only_export, only_store = graph_diff(to_isomorphic(g), to_isomorphic(store_graph))
        pytest.fail(f"only in the export: {sorted(only_export)[:3]}; only in the store: "
                    f"{sorted(only_store)[:3]}")


def test_turtle_from_the_built_store_is_the_bytes_of_one_made_in_memory(
        built_workspace: Path, tmp_path: Path) -> None:
    """`align export` writes Turtle straight from the built store; a stale workspace's export
    loads the graph into a store in memory: the same graph gives the same bytes either way."""
    from alignment.graph.exporting import export
    from alignment.pipeline.building import load
    from alignment.sources.workspace import Workspace

    from_store = exported(built_workspace, tmp_path, "ttl").read_text(encoding="utf-8")
    assert from_store.startswith("@prefix ")
    in_memory = export(load(Workspace(built_workspace, writable=True)), "ttl")
    assert from_store == in_memory
    # another base: the built store holds the IRIs of the build's base, so it is not used
    other = tmp_path / "other.ttl"
    code, _, err = run(built_workspace, "export", "--base", "https://example.org/council",
                       "--out", str(other))
    assert code == 0, err
    text = other.read_text(encoding="utf-8")
    assert "@prefix id: <https://example.org/council/id/> ." in text
    assert "w3id.org/strategy-alignment/thurrock/id/" not in text


@pytest.mark.parametrize("text", ["a\r\nb", "a\rb", "\tindented  ", " x", "<b>&amp;</b>",
                                  "line\u2028sep", "\"quoted\" 'both'", "ends with \\"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_awkward_text_round_trips_through_every_rdf_format(fmt: str, text: str) -> None:
    from alignment.graph.rdf import serialize

    g = Graph()
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal(text)))
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/q"),
           Literal(text, lang="en")))
    out = serialize(g, fmt)
    if fmt in {"nq", "trig"}:
        ds = Dataset()
        ds.parse(data=out, format=FORMATS[fmt][0])
        again = ds.graph(graph_name())
    else:
        again = Graph().parse(data=out, format=FORMATS[fmt][0])
    assert isomorphic(again, g)


def test_rdf_xml_refuses_a_character_xml_cannot_hold(corpus) -> None:  # type: ignore[no-untyped-def]
    """RDF/XML would change the literal by escaping it: refused, in one line."""
    from alignment.errors import InputError
    from alignment.graph.exporting import export

    bad = corpus.model_copy(deep=True)
    bad.elements[1].label = "Goal\x01 with a control character"
    with pytest.raises(InputError, match="cannot hold the control character U\\+0001"):
        export(bad, "xml")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_write_a_character_xml_cannot_hold_as_an_escape(corpus, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """GraphML and GEXF carry labels for people: ESC or NUL in a title is written as \\uXXXX,
    and the file still parses."""
    import xml.etree.ElementTree as ET

    from alignment.graph.exporting import export

    bad = corpus.model_copy(deep=True)
    bad.elements[1].label = "Goal\x01 with\x1b[31m control characters\x00"
    text = export(bad, fmt)
    ET.fromstring(text.encode("utf-8"))
    assert "Goal\\u0001 with\\u001b[31m control characters\\u0000" in text


@pytest.mark.parametrize(("score", "text"), [(0.08, "0.08"), (0.0804, "0.08"), (1.0, "1"),
                                             (0.0, "0"), (-0.0, "0"), (0.25, "0.25"),
                                             (0.1234, "0.123"), (-0.05, "-0.05")])
def test_decimals_are_canonical(score: float, text: str) -> None:
    import pyoxigraph as ox

    lit = decimal(score)
    assert str(lit) == text
    # the form Oxigraph keeps
    store = ox.Store()
    store.load(f"<a:s> <a:p> {lit.n3()} .".encode(), format=ox.RdfFormat.N_TRIPLES)
    assert next(iter(store)).object.value == text


def test_jsonld_is_compact_with_its_published_context(built_workspace: Path,
                                                      tmp_path: Path) -> None:
    path = exported(built_workspace, tmp_path, "jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"] == jsonld_context()
    published = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert published == {"@context": jsonld_context(DEFAULT_BASE)}
    goal = next(n for n in doc["@graph"] if n["@id"] == "id:HWB-4C")
    assert goal["skos:broader"] == "id:HWB-4" and "sa:Goal" in goal["@type"]
    assert isinstance(goal["skos:prefLabel"], str)  # English by the context
    link = next(n for n in doc["@graph"] if "sa:score" in n)
    assert isinstance(link["sa:score"], str) and not link["sa:score"].endswith("0")
    ids = [n["@id"] for n in doc["@graph"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # well under half the size of the expanded form
    expanded = Graph().parse(path, format="json-ld").serialize(format="json-ld")
    assert path.stat().st_size < 0.5 * len(expanded.encode("utf-8"))


@pytest.mark.slow
def test_every_export_is_the_same_bytes_in_two_processes(tmp_path: Path,
                                                         built_workspace: Path) -> None:
    code = ("import sys; from alignment.cli.app import app; "
            "[app(['--workspace', sys.argv[1], 'export', '--format', f, '--out', "
            "sys.argv[2] + '/graph.' + f], standalone_mode=False) for f in sys.argv[3:]]")
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-c", code, str(built_workspace), str(out), *WRITERS],
                       check=True, env=env, capture_output=True, timeout=300)
        runs.append({f: (out / f"graph.{f}").read_bytes() for f in WRITERS})
    for f in WRITERS:
        assert runs[0][f] == runs[1][f], f


def test_graphml_has_a_declaration_and_unique_edge_ids(built_workspace: Path,
                                                       tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    import networkx as nx

    path = exported(built_workspace, tmp_path, "graphml")
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<graphml')
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    edges = ET.parse(path).getroot().iter(f"{ns}edge")
    ids = [e.get("id") for e in edges]
    assert len(ids) > 700 and len(set(ids)) == len(ids)
    assert "HWB-4C.broader.HWB-4" in ids
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = nx.read_graphml(path, force_multigraph=True)
    assert g.number_of_edges() == len(ids)
    assert g.nodes["HWB-4C"]["type"] == "Goal"


def test_igraph_reads_the_graphml_without_a_warning(built_workspace: Path,
                                                    tmp_path: Path) -> None:
    import igraph

    path = exported(built_workspace, tmp_path, "graphml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warned of the repeated and clashing edge IDs
        g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed() and g.ecount() > 700 and g.vcount() > 300
    assert "HWB-4C" in g.vs["id"]


def test_gexf_and_cytoscape_read_back(built_workspace: Path, tmp_path: Path) -> None:
    import networkx as nx

    graphml = nx.read_graphml(exported(built_workspace, tmp_path, "graphml"),
                              force_multigraph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gexf = nx.read_gexf(exported(built_workspace, tmp_path, "gexf"))
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == \
        (graphml.number_of_nodes(), graphml.number_of_edges())
    assert gexf.nodes["HWB-4C"]["type"] == "Goal"
    doc = json.loads(exported(built_workspace, tmp_path, "cyjs").read_text(encoding="utf-8"))
    nodes = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    edges = [e["data"] for e in doc["elements"]["edges"]]
    assert len({e["id"] for e in edges}) == len(edges) == graphml.number_of_edges()
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)
    cy = nx.cytoscape_graph(doc)
    assert cy.is_multigraph() and cy.is_directed()
    assert cy.number_of_edges() == len(edges)


def test_export_takes_its_format_from_the_file_name(built_workspace: Path,
                                                    tmp_path: Path) -> None:
    code, _, err = run(built_workspace, "export", "--format", "ttl", "--out",
                       str(tmp_path / "g.jsonld"))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: --format ttl contradicts g.jsonld: the file's type follows")
    assert not list(tmp_path.iterdir())
    code, _, err = run(built_workspace, "export", "--out", str(tmp_path / "g.nq"))
    assert code == 0, err
    first = (tmp_path / "g.nq").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith(f"{graph_name().n3()} .")


# --- SPARQL answers in the format asked for ----------------------------------------------------

CONSTRUCT = ("PREFIX sa: <https://w3id.org/strategy-alignment/ontology#> "
             "CONSTRUCT { ?g sa:id ?id ; sa:plan ?p } WHERE { ?g a sa:Goal ; sa:id ?id ; "
             "sa:plan ?p }")


@pytest.mark.parametrize("query", [CONSTRUCT, "DESCRIBE <https://w3id.org/strategy-alignment/"
                                              "thurrock/id/HWB-4C>"], ids=["construct", "describe"])
def test_a_graph_answer_in_json_is_json_ld(built_workspace: Path, query: str) -> None:
    code, out, err = run(built_workspace, "sparql", query, "--format", "json")
    assert code == 0, err
    as_jsonld = Graph().parse(data=out, format="json-ld")
    as_turtle = Graph().parse(data=run(built_workspace, "sparql", query, "-f", "ttl")[1],
                              format="turtle")
    assert len(as_jsonld) > 3 and isomorphic(as_jsonld, as_turtle)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_graph_answer_refuses_a_format_of_rows(built_workspace: Path, fmt: str) -> None:
    code, out, err = run(built_workspace, "sparql", CONSTRUCT, "--format", fmt)
    assert code == 2 and not out
    assert err == (f"error: --format {fmt} is for rows; a CONSTRUCT query gives a graph: use "
                   f"--format ttl, nt, xml (RDF/XML) or jsonld (also json)\n")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_ask_in_csv_or_tsv_is_refused(built_workspace: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"a.{fmt}"
    code, _, err = run(built_workspace, "sparql", "ASK { ?s ?p ?o }", "--out", str(out))
    assert code == 2 and err.count("\n") == 1
    assert "an ASK answer has no" in err and "use --format json, xml or table" in err
    assert not out.exists()
    code, printed, _ = run(built_workspace, "sparql", "ASK { ?s ?p ?o }", "--format", "json")
    assert code == 0 and json.loads(printed)["boolean"] is True


def test_sparql_writes_rows_to_a_workbook(built_workspace: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "goals.xlsx"
    code, _, err = run(built_workspace, "sparql",
                       "PREFIX sa: <https://w3id.org/strategy-alignment/ontology#> "
                       "SELECT ?id WHERE { ?g a sa:Goal ; sa:id ?id } ORDER BY ?id",
                       "--out", str(out))
    assert code == 0, err
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["id"] and ws["A2"].value == "HWB-4A"


# --- SHACL: the W3C validation report --------------------------------------------------------

def test_validate_says_it_conforms_with_warnings(built_workspace: Path) -> None:
    code, out, _ = run(built_workspace, "validate")
    assert code == 0
    assert out.splitlines()[-1].startswith("conforms, with 5 warnings (no violations")
    assert "Conforms: True" not in out


@pytest.mark.parametrize("fmt", ["ttl", "json"])
def test_validate_writes_the_w3c_report(built_workspace: Path, fmt: str) -> None:
    from rdflib import Literal
    from rdflib.namespace import RDF, SH

    code, out, err = run(built_workspace, "validate", "--format", fmt)
    assert code == 0, err
    g = Graph().parse(data=out, format="turtle" if fmt == "ttl" else "json-ld")
    report = g.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None
    # SHACL: sh:conforms is true only when there is no result of any severity
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == 5
    assert {g.value(r, SH.resultSeverity) for r in results} == {SH.Warning}
    assert {g.value(r, SH.focusNode) for r in results} >= {
        URIRef(DEFAULT_BASE + "id/CP14-P1")}
