"""SHACL validation of the built graph against ontology/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from alignment.sources.workspace import ontology_dir

__all__ = ["Validation", "validate", "shapes_graph", "report", "summary"]


@dataclass(frozen=True)
class Validation:
    conforms: bool
    violations: int
    warnings: int
    text: str
    results: Graph | None = None  # the SHACL validation report


def shapes_graph() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def validate(data: Graph, shapes: Graph | None = None) -> Validation:
    """Validate `data`; only violations make it non-conforming, warnings are reported."""
    from pyshacl import validate as shacl_validate
    from rdflib.namespace import SH

    _, results, text = shacl_validate(data, shacl_graph=shapes or shapes_graph(),
                                      inference="none", allow_warnings=True)
    severities = list(results.objects(None, SH.resultSeverity))
    violations = sum(1 for s in severities if s == SH.Violation)
    return Validation(conforms=violations == 0, violations=violations,
                      warnings=len(severities) - violations, text=text, results=results)


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
    """pyshacl's listing of the results, without its own "Conforms:" line, which counts
    warnings as conforming."""
    lines = result.text.splitlines(keepends=True)
    return "".join(line for line in lines
                   if line.strip() not in {"Validation Report"} and not line.startswith("Conforms:"))


def report(result: Validation, fmt: str) -> str:
    """The W3C SHACL validation report as Turtle (`ttl`) or JSON-LD (`json`): sh:conforms is
    true only when there is no result of any severity, as the SHACL specification defines it."""
    from rdflib import Literal
    from rdflib.namespace import RDF, SH

    g = Graph()
    g.bind("sh", SH)
    if result.results is not None:
        for prefix, ns in result.results.namespaces():
            g.bind(prefix, ns, override=False)
        for t in result.results:
            if t[1] != SH.conforms:
                g.add(t)
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    node = reports[0] if reports else None
    if node is None:
        from rdflib import BNode

        node = BNode()
        g.add((node, RDF.type, SH.ValidationReport))
    has_results = (node, SH.result, None) in g
    g.add((node, SH.conforms, Literal(not has_results)))
    if fmt == "json":
        context = {p: str(ns) for p, ns in g.namespaces() if p in {"sh", "sa", "id", "xsd", "rdf"}}
        return g.serialize(format="json-ld", context=context, sort_keys=True, indent=2) + "\n"
    return g.serialize(format="turtle")
