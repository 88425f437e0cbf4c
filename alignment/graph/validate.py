"""Validation of the built graph against ontology/shapes.ttl, and its W3C report.

The shapes are checked by SPARQL queries inside Oxigraph (alignment/graph/shacl.py), which give
pySHACL's results (a test compares them) in about a fifth of the time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alignment.graph.shacl import SH, Result

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["Validation", "validate", "validate_changes", "report", "summary", "results_text"]

#: prefixes for the text listing (the graph's own, as its Turtle writes them)
PREFIXES = {
    "https://w3id.org/strategy-alignment/ontology#": "sa:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/2008/05/skos-xl#": "skosxl:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}


@dataclass(frozen=True)
class Validation:
    conforms: bool  # no violation (warnings let a build pass)
    violations: int
    warnings: int  # results of severity sh:Warning or sh:Info
    results: list[Result] = field(default_factory=list)
    shapes: Any = None  # the Shapes checked (the report cites each result's shape)

    @property
    def text(self) -> str:
        """The results, one a line (the listing `align validate` prints)."""
        return results_text(self)


def validate(data: Any) -> Validation:
    """Validate a graph: an rdflib Graph, N-Triples bytes, or a pyoxigraph Store. Only violations
    make it non-conforming; warnings are reported."""
    from alignment.graph.shacl import check, shapes_at, store_of
    from alignment.sources.workspace import ontology_dir

    if isinstance(data, (bytes, bytearray)):
        store = store_of(bytes(data))
    elif hasattr(data, "serialize"):  # an rdflib graph
        store = store_of(data.serialize(format="nt", encoding="utf-8"))
    else:
        store = data
    shapes = shapes_at(ontology_dir() / "shapes.ttl")
    results = check(store, shapes)
    violations = sum(1 for r in results if r.severity == "Violation")
    return Validation(conforms=violations == 0, violations=violations,
                      warnings=len(results) - violations, results=results, shapes=shapes)


def validate_changes(store: Any, earlier: list[Result], changed: list[bytes]) -> Validation:
    """The validation of a store made from an earlier one by removing and adding the statements
    `changed` (N-Triples lines): the nodes those changes can concern are checked again, the
    earlier results stand for the rest; the results are those of a whole check."""
    import pyoxigraph as ox

    from alignment.graph.shacl import affected, check, check_paths, shapes_at
    from alignment.sources.workspace import ontology_dir

    shapes = shapes_at(ontology_dir() / "shapes.ttl")
    # read as they are looked at: past the first thousand nodes, the whole graph is checked
    found = affected(store, shapes, ox.parse(b"\n".join(changed), format=ox.RdfFormat.N_TRIPLES))
    if found is None:
        return validate(store)
    kept = {r for r in earlier if r.focus not in found.nodes
            and not (r.path in found.by_path and r.focus in found.by_path[r.path])}
    results = sorted(kept | set(check(store, shapes, found.nodes))
                     | set(check_paths(store, shapes, found.by_path)))
    violations = sum(1 for r in results if r.severity == "Violation")
    return Validation(conforms=violations == 0, violations=violations,
                      warnings=len(results) - violations, results=results, shapes=shapes)


def short(term: str) -> str:
    """An IRI or literal of a result as the listing shows it: IDs as IDs, terms by prefix."""
    if not term:
        return ""
    iri = term[1:-1] if term.startswith("<") and term.endswith(">") else term
    if "/id/" in iri and not term.startswith('"'):
        return iri.rsplit("/id/", 1)[1]
    for ns, prefix in PREFIXES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return term


def first_message(result: Validation) -> str:
    """The first violation, in one line: the node, the property and what is wrong."""
    r = next((r for r in result.results if r.severity == "Violation"), None)
    return "" if r is None else _line(r)


def _line(r: Result) -> str:
    what = r.message or f"fails sh:{r.component}ConstraintComponent"
    value = f" (value {short(r.value)})" if r.value else ""
    return f"{short(r.focus)} {short(r.path) or '(the node itself)'}: {what}{value}"


def summary(result: Validation) -> str:
    """One line: "conforms", "conforms, with 5 warnings" (results of severity sh:Warning or
    sh:Info, which the build accepts), or "does not conform: N violations"."""
    if result.violations:
        return (f"does not conform: {result.violations} violation"
                f"{'s' if result.violations != 1 else ''}, {result.warnings} warning"
                f"{'s' if result.warnings != 1 else ''}")
    if result.warnings:
        return (f"conforms, with {result.warnings} warning{'s' if result.warnings != 1 else ''} "
                f"(no violations; as SHACL counts any result, the report says sh:conforms "
                f"false)")
    return "conforms"


def results_text(result: Validation) -> str:
    """Each result on a line: its severity, the node, the property and the shape's message,
    violations first."""
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    rows = sorted(result.results, key=lambda r: (order.get(r.severity, 3), r))
    return "".join(f"{r.severity.lower()}: {_line(r)}\n" for r in rows)


def report(result: Validation, fmt: str) -> str:
    """The W3C SHACL validation report as Turtle (`ttl`) or JSON-LD (`json`): sh:conforms is
    true only when there is no result of any severity, as the SHACL specification defines it."""
    return _report_graph(result, fmt)


def _report_graph(result: Validation, fmt: str) -> str:
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF, XSD
    from rdflib.util import from_n3

    sh = {name: URIRef(SH + name) for name in (
        "ValidationReport", "ValidationResult", "conforms", "result", "focusNode", "resultPath",
        "value", "sourceConstraintComponent", "sourceShape", "resultSeverity", "resultMessage")}
    g = Graph()
    g.bind("sh", SH)
    g.bind("sa", "https://w3id.org/strategy-alignment/ontology#")
    g.bind("xsd", XSD)
    node = BNode("report")
    g.add((node, RDF.type, sh["ValidationReport"]))
    g.add((node, sh["conforms"], Literal(not result.results)))
    for k, r in enumerate(sorted(result.results)):
        res = BNode(f"r{k + 1}")
        g.add((node, sh["result"], res))
        g.add((res, RDF.type, sh["ValidationResult"]))
        g.add((res, sh["focusNode"], from_n3(r.focus)))
        if r.path:
            g.add((res, sh["resultPath"], URIRef(r.path)))
        if r.value:
            g.add((res, sh["value"], from_n3(r.value)))
        g.add((res, sh["sourceConstraintComponent"],
               URIRef(f"{SH}{r.component}ConstraintComponent")))
        g.add((res, sh["resultSeverity"], URIRef(SH + r.severity)))
        if r.message:
            g.add((res, sh["resultMessage"], Literal(r.message)))
        if result.shapes is not None:  # the shape, as the shapes file describes it
            shape = result.shapes.all[r.shape]
            label = result.shapes.label
            g.add((res, sh["sourceShape"], from_n3(label(shape.name))))
            for t in result.shapes.described(shape):
                g.add((from_n3(label(str(t.subject))), URIRef(t.predicate.value),
                       from_n3(label(str(t.object)))))
    if fmt == "json":
        context = {p: str(ns) for p, ns in g.namespaces() if p in {"sh", "sa", "xsd", "rdf"}}
        return g.serialize(format="json-ld", context=context, sort_keys=True, indent=2) + "\n"
    return g.serialize(format="turtle")


def as_graph(result: Validation) -> Graph:
    """The report as an rdflib graph (for the tests and other tools)."""
    from rdflib import Graph

    return Graph().parse(data=report(result, "ttl"), format="turtle")
