"""Questions about alignment: what serves a goal, what an element supports, gaps, the coverage
matrix, continuity between plans and the suggestions to review, each read from the graph's
Oxigraph store by its named query (alignment/store/queries/NAME.rq) and the rules of
alignment.links.rules; plain rows out. Light on purpose: no corpus model, RDF library or numpy
is loaded for them. `why` (paths between two elements) and `find_link` (for the commands that
write a decision) read the corpus."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alignment.errors import InputError, NotFoundError
from alignment.links.rules import (
    GOAL_TYPES,
    ORDER,
    STATUSES,
    accepted,
    carries_on,
    check_filters,
    check_plan,
    counts,
    natural,
    serving,
)
from alignment.terms import ElementType, LinkKind, LinkStatus

if TYPE_CHECKING:
    from alignment.model import Corpus, Link

__all__ = ["serving", "serves", "supports", "gaps", "why", "matrix", "continuity", "review",
           "find_link", "not_a_goal", "STATUSES"]

Row = dict[str, Any]
_ORDER = ORDER


def _sort(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (_ORDER.get(r["kind"], 99), -r["score"], natural(r["id"])))


def serves(store: Any, target: str, min_score: float | None = None,
           kinds: list[str] | None = None, plan: str | None = None,
           status: str | None = None) -> list[Row]:
    """What serves a goal (or names a strategy), read from the graph's Oxigraph store by the
    named query `serves`: grouped by kind, strongest first. Each row has the serving element,
    its plan, the link's ID, kind, score, status, evidence and source line. Asserted links
    always count; suggestions from `min_score` (default: the evaluated threshold); `status`
    keeps one status (see alignment.links.rules.counts)."""
    import pyoxigraph as ox

    from alignment.iri import base_iri
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import node_type, plan_ids, select

    check_filters(min_score, status, kinds)
    if plan:
        check_plan(plan_ids(store), plan)
    rows: dict[str, Row] = {}
    for sol in select(store, "serves", goal=ox.NamedNode(f"{base_iri()}id/{target}")):
        t = node_type(sol["class"].value)
        if t is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kinds and kind not in kinds:
            continue
        if kind != LinkKind.REFERENCES and not counts(st, score, PARAMS.threshold, min_score,
                                                      status):
            continue
        el_plan = sol["plan"].value if sol["plan"] is not None else ""
        if plan and el_plan.lower() != plan.lower():
            continue
        rows[sol["link"].value] = {
            "id": sol["id"].value, "type": t, "label": sol["label"].value, "plan": el_plan,
            "link": sol["link"].value, "kind": kind, "score": score, "status": st,
            "evidence": sol["evidence"].value, "source": _value(sol["source"])}
    return _sort(list(rows.values()))


def supports(store: Any, source: str, min_score: float | None = None,
             status: str | None = None) -> list[Row]:
    """The reverse of `serves`, read from the store by the named query `supports`: which goals,
    strategies and elements an element serves or names, and the deliverables a continuity link
    joins it to (both ways), grouped by kind, strongest first. Names always count, continuity
    links from their threshold (`carries_on`), serving links under the filters (`counts`)."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import select

    check_filters(min_score, status)
    rows: dict[str, Row] = {}
    for sol in select(store, "supports", element=_node(source)):
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kind == LinkKind.CONTINUITY:
            if not carries_on(kind, st, score):
                continue
        elif kind != LinkKind.REFERENCES and not counts(st, score, PARAMS.threshold, min_score,
                                                        status):
            continue
        rows[sol["link"].value] = _link_row(sol)
    return _sort(list(rows.values()))


def _node(id_: str) -> Any:
    """The IRI of a node of the graph, by its ID."""
    import pyoxigraph as ox

    from alignment.iri import base_iri

    return ox.NamedNode(f"{base_iri()}id/{id_}")


def _value(term: Any) -> str:
    return term.value if term is not None else ""


def _link_row(sol: Any) -> Row:
    """A row of `supports` or `review`: the node at the other end of a link, and the link."""
    return {"id": sol["id"].value, "type": sol["type"].value, "label": sol["label"].value,
            "plan": _value(sol["plan"]), "link": sol["link"].value, "kind": sol["kind"].value,
            "score": float(sol["score"].value), "status": sol["status"].value,
            "evidence": sol["evidence"].value, "source": _value(sol["source"])}


_GAPS = {ElementType.GOAL: "goal served by nothing outside its own plan",
        ElementType.DELIVERABLE: "deliverable serving no goal"}


def gaps(store: Any, min_score: float | None = None, status: str | None = None,
         plan: str | None = None) -> list[Row]:
    """Goals that no element of another plan serves, and deliverables of plans with no goals
    that serve no goal (`plan` narrows both to one plan), in the order they were read: the
    named query `gaps` gives each with the strongest link of each status that may stand behind
    it, and a link stands when it counts under the filters (alignment.links.rules.counts)."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import plan_ids, select

    check_plan(plan_ids(store), plan)
    check_filters(min_score, status)
    rows: dict[str, Row] = {}
    served: set[str] = set()
    for sol in select(store, "gaps"):
        el = sol["id"].value
        if el not in rows:
            t = sol["type"].value
            rows[el] = {"id": el, "type": t, "label": sol["label"].value,
                        "plan": sol["plan"].value, "gap": _GAPS[ElementType(t)],
                        "source": _value(sol["source"])}
        # a status's strongest link counts if any of that status does
        if sol["status"] is not None and counts(sol["status"].value,
                                                float(sol["strongest"].value),
                                                PARAMS.threshold, min_score, status):
            served.add(el)
    return [r for el, r in rows.items() if el not in served
            and (not plan or r["plan"].lower() == plan.lower())]


def why(corpus: Corpus, a: str, b: str, limit: int = 5, cutoff: int = 5) -> list[Row]:
    """The shortest paths that connect two nodes, each step explained (parent, responsible post,
    a named strategy, or an alignment link with its evidence)."""
    import networkx as nx

    from alignment.graph.nxview import to_networkx

    g = to_networkx(corpus)
    keep = {lk.id for lk in serving(corpus)} | {lk.id for lk in corpus.links
                                                if lk.kind == LinkKind.REFERENCES}
    u = nx.Graph()
    for s, t, key, data in g.edges(keys=True, data=True):
        if data["kind"] in {"broader", "responsible"} or key in keep:
            step = {"from": s, "to": t, "relation": data["kind"],
                    "evidence": data.get("evidence", ""), "link": data.get("id", "")}
            if not u.has_edge(s, t) or data["kind"] not in {"broader", "responsible"}:
                u.add_edge(s, t, step=step)
    # a path through a goal, a plan or a post ("A serves 4B, which X also serves") explains
    # nothing: such nodes may only end a path
    hubs = {n for n, d in g.nodes(data=True) if d.get("type") in {"Plan", "Goal", "Post", "Team"}}
    for end in (a, b):
        if end not in u:
            raise NotFoundError(f"'{end}' has no links to follow")
    sub = u.subgraph([n for n in u if n not in hubs or n in {a, b}])
    try:
        paths = list(_shortest_paths(sub, a, b, limit, cutoff))
    except nx.NetworkXNoPath:
        paths = []
    labels = {n: d.get("label", n) for n, d in g.nodes(data=True)}
    rows = []
    for k, path in enumerate(paths, 1):
        for i, (s, t) in enumerate(zip(path, path[1:], strict=False), 1):
            step = sub.edges[s, t]["step"]
            forward = step["from"] == s
            rel = step["relation"]
            verb = {"broader": "is part of" if forward else "contains",
                    "responsible": "is led by" if forward else "leads",
                    "references": "names" if forward else "is named by"}.get(
                rel, f"{'serves' if forward else 'is served by'} ({rel})")
            rows.append({"path": k, "step": i, "id": s, "type": g.nodes[s].get("type"),
                         "label": labels[s], "relation": verb, "to": t,
                         "evidence": step["evidence"], "link": step["link"]})
    return rows


def _shortest_paths(g: Any, a: str, b: str, limit: int, cutoff: int):  # type: ignore[no-untyped-def]
    import itertools

    import networkx as nx

    gen = nx.shortest_simple_paths(g, a, b)
    shortest = None
    for path in itertools.islice(gen, limit):
        shortest = shortest or len(path)
        # longer detours (through a sibling, say) repeat what a shorter path already says
        if len(path) - 1 > cutoff or len(path) > shortest + 1:
            return
        yield path


def matrix(store: Any, min_score: float | None = None, status: str | None = None,
           plan: str | None = None) -> tuple[list[str], list[Row]]:
    """Deliverables x goals, from the named query `matrix`: each cell the strongest serving link
    that counts under the filters ("explicit 0.900", "similarity 0.283 (suggested)"), or empty;
    and how many goals each deliverable serves, and of them how many by asserted links. The
    deliverables are those of plans with no goals of their own, in the order they were read."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import plan_ids, select

    check_filters(min_score, status)
    check_plan(plan_ids(store), plan)
    goals: list[str] = []
    found: dict[str, Row] = {}
    best: dict[tuple[str, str], tuple[str, float, str]] = {}
    for sol in select(store, "matrix"):
        if sol["deliverable"] is None:
            goals.append(sol["goal"].value)
            continue
        el = sol["deliverable"].value
        if el not in found:
            found[el] = {"id": el, "type": ElementType.DELIVERABLE.value,
                         "label": sol["label"].value, "plan": sol["plan"].value}
        if sol["link"] is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if not counts(st, score, PARAMS.threshold, min_score, status):
            continue
        key = (el, sol["goal"].value)
        if key not in best or (_ORDER[kind], -score) < (_ORDER[best[key][0]], -best[key][1]):
            best[key] = (kind, score, st)
    rows = []
    for el, found_row in found.items():
        if plan and found_row["plan"].lower() != plan.lower():
            continue
        row: Row = dict(found_row)
        for g in goals:
            lk = best.get((el, g))
            row[g] = _cell(*lk) if lk else ""
        row["goals served"] = sum(1 for g in goals if row[g])
        row["by asserted links"] = sum(1 for g in goals if (el, g) in best
                                       and best[(el, g)][2] == LinkStatus.ASSERTED)
        rows.append(row)
    columns = ["id", "plan", "label", *goals, "goals served", "by asserted links"]
    return columns, rows


def _cell(kind: str, score: float, status: str) -> str:
    """A matrix cell: the link's kind and score, and whether an officer has still to decide on it
    (suggested) or accepted it (a similarity link made asserted)."""
    note = {"suggested": " (suggested)", "rejected": " (rejected)"}.get(status, "")
    if accepted(kind, status):
        note = " (accepted)"
    return f"{kind} {score:.3f}{note}"


CONTINUITY_STATUSES = ("carried on", "disappeared", "new")


def continuity(store: Any, min_score: float | None = None,
               only: str | None = None) -> list[Row]:
    """Which deliverables of an older plan carried on into a newer one (a curated link, or a
    continuity link that `carries_on` at `min_score`), which disappeared, and which of the newer
    plan's are new (`only` keeps one of the three), in the order they were read: from the named
    query `continuity`."""
    from alignment.questions.fromstore import select

    if only and only not in CONTINUITY_STATUSES:
        raise InputError(f"--only '{only}': use one of {', '.join(CONTINUITY_STATUSES)}")
    check_filters(min_score)
    found: dict[str, Row] = {}
    sides: dict[str, set[str]] = {}
    into: dict[str, list[tuple[float, int, Row]]] = {}
    carried: set[str] = set()
    for sol in select(store, "continuity"):
        el, side = sol["id"].value, sol["side"].value
        if el not in found:
            found[el] = {"id": el, "type": ElementType.DELIVERABLE.value,
                         "label": sol["label"].value}
        sides.setdefault(el, set()).add(side)
        if sol["link"] is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kind != LinkKind.CURATED and not carries_on(kind, st, score, min_score):
            continue
        if side == "newer":
            carried.add(el)
            continue
        # the strongest carries on; among equals, the link found first
        into.setdefault(el, []).append((-score, int(sol["found"].value), {
            "into": sol["into"].value, "score": score, "link": sol["link"].value,
            "evidence": sol["evidence"].value}))
    rows = []
    for el, row in found.items():
        if "older" in sides[el]:
            if el in into:
                rows.append(row | {"status": "carried on"}
                            | min(into[el], key=lambda c: c[:2])[2])
            else:
                rows.append(row | {"status": "disappeared", "into": "", "score": None,
                                   "link": "", "evidence": ""})
        elif el not in carried:
            rows.append(row | {"status": "new", "into": "", "score": None, "link": "",
                               "evidence": ""})
    return [r for r in rows if not only or r["status"] == only]


def review(store: Any, goal: str) -> list[Row]:
    """The machine's suggestions for a goal with the IDs to accept or reject, from the named
    query `review`: those still to decide first, strongest first; then those already accepted
    or rejected."""
    from alignment.questions.fromstore import select

    rows = {sol["link"].value: _link_row(sol) for sol in select(store, "review", goal=_node(goal))}
    return sorted(rows.values(), key=lambda r: (r["status"] != "suggested", -r["score"], r["id"]))


_UNDER = """PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?class ?goal WHERE {
  ?node a ?class .
  FILTER (?class != sa:Element && STRSTARTS(STR(?class), STR(sa:)))
  OPTIONAL {
    ?g a sa:Goal ; sa:id ?goal ; sa:sequence ?sequence .
    { ?g skos:broader ?node } UNION { ?g sa:plan ?node . ?node a sa:Plan }
  }
}
ORDER BY ?sequence"""


def not_a_goal(store: Any, target: str, command: str = "serves") -> str | None:
    """When `target` is a domain or plan, not a goal: a note naming the goals under it, whose
    links the question was probably about; else None."""
    import pyoxigraph as ox

    from alignment.questions.fromstore import node_type

    found = list(store.query(_UNDER, substitutions={ox.Variable("node"): _node(target)}))
    if not found:
        return None
    t = node_type(found[0]["class"].value)
    if t is None or t in GOAL_TYPES:
        return None
    goals = [sol["goal"].value for sol in found if sol["goal"] is not None]
    if not goals:
        return None
    shown = ", ".join(goals[:6]) + (f" and {len(goals) - 6} more" if len(goals) > 6 else "")
    return (f"{target} is a {t.lower()}: links serve its goals ({shown}); "
            f"ask 'align {command} {goals[0]}'")


def find_link(corpus: Corpus, ref: str) -> Link:
    """A link by its ID (any case)."""
    for lk in corpus.links:
        if lk.id.lower() == ref.strip().lower():
            return lk
    import difflib

    near = difflib.get_close_matches(ref, [lk.id for lk in corpus.links], n=3, cutoff=0.6)
    hint = f"; nearest: {', '.join(near)}" if near else "; 'align review GOAL' lists link IDs"
    raise NotFoundError(f"no link '{ref}'{hint}")
