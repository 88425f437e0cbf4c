"""Answers read straight from a workspace's embedded Oxigraph store, for the commands an officer
runs most, so that a new process answers without loading the corpus model or any RDF library.
They give the same rows as the corpus path (tests compare them)."""

from __future__ import annotations

from typing import Any

from .kinds import ORDER, check_filters, counts, natural
from .resolve import NodeInfo
from .similarity import PARAMS
from .store import STORE_DIR, built
from .workspace import Workspace

__all__ = ["open_current", "has_id", "node_index", "serves"]

_PREFIXES = """PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
_SA = "https://w3id.org/strategy-alignment/ontology#"
_ORG_TYPES = {"http://www.w3.org/ns/org#Post": "Post",
              "http://www.w3.org/ns/org#OrganizationalUnit": "Team"}


def open_current(ws: Workspace) -> Any | None:
    """The workspace's store, read-only, if it was built from the present inputs; else None."""
    folder = built(ws)
    if folder is None or not (folder / STORE_DIR).is_dir():
        return None
    path = folder / STORE_DIR
    import pyoxigraph as ox

    return ox.Store.read_only(str(path))


def _type(iri: str) -> str | None:
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
        t = _type(sol["class"].value)
        if t is not None:
            out[sol["id"].value] = NodeInfo(sol["label"].value, t)
    return out


def _first_line(store: Any, node: Any) -> str:
    """The element's first source line: in the main document (not a version of another), the
    earliest line, as the corpus lists it first."""
    import pyoxigraph as ox

    q = _PREFIXES + """SELECT ?el ?doc ?line ?version WHERE {
      ?el prov:qualifiedDerivation ?d . ?d prov:entity ?e ; sa:lineStart ?line .
      ?e dcterms:identifier ?doc .
      BIND (EXISTS { ?e dcterms:isVersionOf ?x } AS ?version) }"""
    rows = [(sol["version"].value == "true", int(sol["line"].value), sol["doc"].value)
            for sol in store.query(q, substitutions={ox.Variable("el"): node})]
    if not rows:
        return ""
    version, line, doc = min(rows)
    return f"{doc}:{line}"


def serves(store: Any, base: str, target: str, min_score: float | None = None,
           kinds: list[str] | None = None, plan: str | None = None,
           status: str | None = None) -> list[dict[str, Any]]:
    """What serves a goal (or names a strategy), as alignment.serving.serves gives it."""
    import pyoxigraph as ox

    check_filters(min_score, status, kinds)
    if plan:
        plans = [sol["id"].value for sol in store.query(
            _PREFIXES + "SELECT ?id WHERE { ?p a skos:ConceptScheme ; sa:id ?id ; sa:order ?o } "
            "ORDER BY ?o")]
        if plan.lower() not in {p.lower() for p in plans}:
            from .errors import InputError

            raise InputError(f"no plan '{plan}'; plans: {', '.join(plans)}")
    q = _PREFIXES + """SELECT ?goal ?el ?id ?label ?class ?plan ?link ?kind ?score ?status
      ?evidence WHERE {
      ?lk sa:target ?goal ; sa:source ?el ; sa:kind ?kind ; sa:score ?score ;
          sa:status ?status ; sa:evidence ?evidence ; sa:id ?link .
      ?el sa:id ?id ; skos:prefLabel ?label ; a ?class .
      OPTIONAL { ?el sa:plan ?p . ?p sa:id ?plan }
    }"""
    rows: dict[str, dict[str, Any]] = {}
    lines: dict[str, str] = {}
    goal = ox.NamedNode(f"{base}id/{target}")
    for sol in store.query(q, substitutions={ox.Variable("goal"): goal}):
        t = _type(sol["class"].value)
        if t is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kind == "continuity" or (kinds and kind not in kinds):
            continue
        if kind != "references" and not counts(st, score, PARAMS.threshold, min_score, status):
            continue
        el_plan = sol["plan"].value if sol["plan"] is not None else ""
        if plan and el_plan.lower() != plan.lower():
            continue
        el = sol["el"]
        if el.value not in lines:
            lines[el.value] = _first_line(store, el)
        rows[sol["link"].value] = {
            "id": sol["id"].value, "type": t, "label": sol["label"].value, "plan": el_plan,
            "link": sol["link"].value, "kind": kind, "score": score, "status": st,
            "evidence": sol["evidence"].value, "source": lines[el.value]}
    return sorted(rows.values(),
                  key=lambda r: (ORDER.get(r["kind"], 99), -r["score"], natural(r["id"])))

