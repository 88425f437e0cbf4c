"""Reading a workspace's Oxigraph store for the questions: the elements in document order, the
posts and teams, the strategies, the node index the resolver needs, where elements were first
read, and the named queries run with their parameters bound as RDF terms. Light on purpose: no
corpus model and no RDF library is loaded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from alignment.questions.resolve import AgentInfo, NodeInfo

__all__ = ["ElementRow", "Place", "StrategyRow", "agents", "elements", "first_line", "has_id",
           "node_index", "node_iri", "node_labels", "node_type", "plan_ids", "plan_periods",
           "positions", "hubs",
           "select", "sources", "strategies"]

_PREFIXES = """PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
_SA = "https://w3id.org/strategy-alignment/ontology#"
_ORG_TYPES = {"http://www.w3.org/ns/org#Post": "Post",
              "http://www.w3.org/ns/org#OrganizationalUnit": "Team"}


#: the project's classes that are not a kind of node with an ID
_NOT_NODES = {"Element", "Alignment", "Statement", "SourceDocument", "Responsibility"}


def node_type(iri: str) -> str | None:
    if iri.startswith(_SA):
        name = iri[len(_SA):]
        return None if name in _NOT_NODES else name
    return _ORG_TYPES.get(iri)


class ElementRow(NamedTuple):
    """An element as the lists show it, with its position among its parent's children (`order`)
    and the order the build read it in (`sequence`)."""

    id: str
    type: str
    label: str
    plan: str
    parent: str | None
    order: int
    sequence: int


class StrategyRow(NamedTuple):
    id: str
    label: str
    kind: str


class Place(NamedTuple):
    """Where an element stands: its place in document order, its type and its plan."""

    n: int
    type: str
    plan: str


def node_iri(node_id: str) -> Any:
    """A node's IRI, as a term to bind a named query's parameter to."""
    import pyoxigraph as ox

    from alignment.iri import base_iri

    return ox.NamedNode(f"{base_iri()}id/{node_id}")


def elements(store: Any, plan: str | None = None) -> list[ElementRow]:
    """The elements of one plan (its ID as the graph spells it), or of every plan in manifest
    order, by the named query `plan-elements`, in document order (see `positions`)."""
    return _document_order(_plan_elements(store, [plan] if plan else plan_ids(store)))


def _plan_elements(store: Any, plans: list[str]) -> list[ElementRow]:
    return [ElementRow(s["id"].value, s["type"].value, s["label"].value, p,
                       s["parent"].value if s["parent"] is not None else None,
                       int(s["order"].value), int(s["sequence"].value))
            for p in plans for s in select(store, "plan-elements", plan=node_iri(p))]


def positions(store: Any) -> dict[str, Place]:
    """Every element's place in document order, type and plan, from the hierarchy alone. In
    document order, each element follows its parent, children by position and then in the order
    the build read them; the plans come in manifest order."""
    from alignment.terms import ElementType

    classes = " ".join(f"sa:{t.value}" for t in ElementType)
    q = _PREFIXES + f"""SELECT ?id ?class ?parent ?order WHERE {{
      VALUES ?class {{ {classes} }}
      ?el a ?class ; sa:id ?id ; sa:order ?order .
      OPTIONAL {{ ?el skos:broader|skos:topConceptOf ?up . ?up sa:id ?parent }} }}"""
    rows = [ElementRow(s["id"].value, s["class"].value[len(_SA):], "", "",
                       s["parent"].value if s["parent"] is not None else None,
                       int(s["order"].value), 0) for s in store.query(q)]
    if len({(r.parent, r.order) for r in rows}) < len(rows):  # children at one position
        q = _PREFIXES + "SELECT ?id ?sequence WHERE { ?el sa:id ?id ; sa:sequence ?sequence }"
        read = {s["id"].value: int(s["sequence"].value) for s in store.query(q)}
        rows = [r._replace(sequence=read.get(r.id, 0)) for r in rows]
    out: dict[str, Place] = {}
    plan = ""
    for n, r in enumerate(_document_order(rows)):
        plan = r.id if r.parent is None else plan  # each plan's elements follow it
        out[r.id] = Place(n, r.type, plan)
    return out


def _document_order(rows: list[ElementRow]) -> list[ElementRow]:
    """The rows as a depth-first walk from the ones without a parent (the plans), children by
    position, then as read (two documents of one plan may give two children one position).
    What no plan reaches is left out, as the corpus lists it nowhere."""
    kids: dict[str | None, list[ElementRow]] = {}
    for r in rows:
        kids.setdefault(r.parent, []).append(r)
    for group in kids.values():
        group.sort(key=lambda r: (r.order, r.sequence))
    out: list[ElementRow] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:
        r = stack.pop()
        out.append(r)
        stack.extend(reversed(kids.get(r.id, [])))
    return out


def agents(store: Any) -> list[AgentInfo]:
    """Every post and team with its aliases in order, by ID (the named query `agents`)."""
    out: dict[str, AgentInfo] = {}
    for s in select(store, "agents"):
        a = out.setdefault(s["id"].value, AgentInfo(s["id"].value, s["type"].value,
                                                     s["label"].value, ()))
        if s["alias"] is not None:
            out[a.id] = a._replace(aliases=(*a.aliases, s["alias"].value))
    return sorted(out.values(), key=lambda a: a.id)


def strategies(store: Any) -> list[StrategyRow]:
    """The registry's strategies in its order (the named query `strategies`)."""
    return [StrategyRow(s["id"].value, s["label"].value, s["kind"].value)
            for s in select(store, "strategies")]


def has_id(store: Any, node_id: str) -> bool:
    """Whether a node (element, post, team or strategy) has exactly this ID."""
    import pyoxigraph as ox

    q = _PREFIXES + "ASK { ?n sa:id ?id ; skos:prefLabel ?label }"
    return bool(store.query(q, substitutions={ox.Variable("id"): ox.Literal(node_id)}))


def node_index(store: Any) -> dict[str, NodeInfo]:
    """Every node with an ID, for the resolver, in the order the corpus lists them (a miss names
    its nearest matches in this order): the elements as the build read them, then the posts and
    teams by ID, then the strategies in the registry's order."""
    out = {r.id: NodeInfo(r.label, r.type)
           for r in sorted(_plan_elements(store, plan_ids(store)), key=lambda r: r.sequence)}
    out.update((a.id, NodeInfo(a.label, a.type)) for a in agents(store))
    out.update((s.id, NodeInfo(s.label, "Strategy")) for s in strategies(store))
    return out


def node_labels(store: Any, ids: Iterable[str] | None = None) -> dict[str, NodeInfo]:
    """The label and type of every node with an ID (or of these `ids` only), in no particular
    order: one query. For a reference that resolves to one node; a miss or an ambiguity is
    reported from `node_index`, whose order names the nearest matches as the corpus lists
    them."""
    import pyoxigraph as ox

    values = ""
    if ids is not None:
        wanted = dict.fromkeys(ids)
        if not wanted:
            return {}
        values = "VALUES ?id { " + " ".join(str(ox.Literal(i)) for i in wanted) + " } "
    q = (_PREFIXES + "SELECT ?id ?label ?class WHERE { " + values
         + "?n sa:id ?id ; skos:prefLabel ?label ; a ?class }")
    out = {}
    for sol in store.query(q):
        t = node_type(sol["class"].value)
        if t is not None:
            out[sol["id"].value] = NodeInfo(sol["label"].value, t)
    return out


def hubs(store: Any) -> set[str]:
    """The IDs of the plans, goals, posts and teams: the nodes a path may end at but not pass
    through."""
    q = _PREFIXES + """SELECT ?id WHERE {
      VALUES ?class { sa:Plan sa:Goal org:Post org:OrganizationalUnit } ?n a ?class ; sa:id ?id }"""
    return {sol["id"].value for sol in store.query(q)}


def plan_periods(store: Any) -> dict[str, str]:
    """Each plan's period as the manifest gives it ("2014-2015"), by plan ID."""
    q = (_PREFIXES + "SELECT ?id ?period WHERE { ?p a skos:ConceptScheme ; sa:id ?id ; "
         "dcterms:temporal ?period }")
    return {sol["id"].value: sol["period"].value for sol in store.query(q)}


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


def sources(store: Any, plans: Iterable[str]) -> dict[str, str]:
    """Where each element of these plans was first read (see `first_line`), plan by plan."""
    import pyoxigraph as ox

    q = _PREFIXES + """SELECT ?plan ?id ?doc ?line WHERE {
      ?plan sa:id ?planId ; ^sa:plan? ?el .
      ?el sa:id ?id ; prov:qualifiedDerivation ?d .
      ?d sa:order ?first ; sa:lineStart ?line ; prov:entity ?e . ?e dcterms:identifier ?doc
      FILTER (?first = 1) }"""
    return {s["id"].value: f"{s['doc'].value}:{s['line'].value}" for p in plans
            for s in store.query(q, substitutions={ox.Variable("plan"): node_iri(p)})}


def select(store: Any, name: str, **bindings: Any) -> Any:
    """The solutions of the named query `name` (alignment/store/queries/NAME.rq), its
    parameters bound by name to pyoxigraph terms."""
    import pyoxigraph as ox

    from alignment.store import QUERIES

    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    return store.query(text, substitutions={ox.Variable(k): v for k, v in bindings.items()})
