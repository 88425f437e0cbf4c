"""Reading a workspace's Oxigraph store for the questions: the node index the resolver needs,
an element's first source line, and the named queries run with their parameters bound as RDF
terms. Light on purpose: no corpus model and no RDF library is loaded."""

from __future__ import annotations

from typing import Any

from alignment.questions.resolve import NodeInfo

__all__ = ["first_line", "has_id", "node_index", "node_type", "plan_ids", "select"]

_PREFIXES = """PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
_SA = "https://w3id.org/strategy-alignment/ontology#"
_ORG_TYPES = {"http://www.w3.org/ns/org#Post": "Post",
              "http://www.w3.org/ns/org#OrganizationalUnit": "Team"}


def node_type(iri: str) -> str | None:
    if iri.startswith(_SA):
        name = iri[len(_SA):]
        return None if name in {"Element", "Alignment", "Statement", "SourceDocument"} else name
    return _ORG_TYPES.get(iri)


def has_id(store: Any, node_id: str) -> bool:
    """Whether a node (element, post, team or strategy) has exactly this ID."""
    import pyoxigraph as ox

    q = _PREFIXES + "ASK { ?n sa:id ?id ; skos:prefLabel ?label }"
    return bool(store.query(q, substitutions={ox.Variable("id"): ox.Literal(node_id)}))


def node_index(store: Any) -> dict[str, NodeInfo]:
    """Every node with an ID (elements, posts, teams, strategies), for the resolver."""
    out: dict[str, NodeInfo] = {}
    q = _PREFIXES + """SELECT ?id ?label ?class WHERE {
      ?n sa:id ?id ; skos:prefLabel ?label ; a ?class }"""
    for sol in store.query(q):
        t = node_type(sol["class"].value)
        if t is not None:
            out[sol["id"].value] = NodeInfo(sol["label"].value, t)
    return out


def plan_ids(store: Any) -> list[str]:
    """The IDs of the graph's plans, in manifest order."""
    q = (_PREFIXES + "SELECT ?id WHERE { ?p a skos:ConceptScheme ; sa:id ?id ; sa:order ?o } "
         "ORDER BY ?o")
    return [sol["id"].value for sol in store.query(q)]


def first_line(store: Any, node_id: str) -> str:
    """The element's first source line, "document:line": the line it was read from first (its
    derivation of sa:order 1), as the corpus lists it first."""
    import pyoxigraph as ox

    q = _PREFIXES + """SELECT ?id ?doc ?line WHERE {
      ?el sa:id ?id ; prov:qualifiedDerivation ?d . ?d sa:order ?first ; prov:entity ?e ;
      sa:lineStart ?line . ?e dcterms:identifier ?doc . FILTER (?first = 1) }"""
    for sol in store.query(q, substitutions={ox.Variable("id"): ox.Literal(node_id)}):
        return f"{sol['doc'].value}:{sol['line'].value}"
    return ""


def select(store: Any, name: str, **bindings: Any) -> Any:
    """The solutions of the named query `name` (alignment/store/queries/NAME.rq), its
    parameters bound by name to pyoxigraph terms."""
    import pyoxigraph as ox

    from alignment.store.sparql import QUERIES

    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    return store.query(text, substitutions={ox.Variable(k): v for k, v in bindings.items()})
