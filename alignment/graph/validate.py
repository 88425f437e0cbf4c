"""SHACL validation of the built graph against ontology/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from alignment.sources.workspace import ontology_dir

__all__ = ["Validation", "validate", "shapes_graph"]


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
