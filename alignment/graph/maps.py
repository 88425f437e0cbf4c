"""What a linkage map shows: a selection of the graph (the whole of it, a focus element and its
neighbourhood, or a filter) as plain node and edge records. alignment/htmlmap.py draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alignment.errors import InputError
from alignment.links.linking import KINDS
from alignment.links.rules import GOAL_TYPES, check_plan, counts
from alignment.model import Corpus, LinkKind

__all__ = ["MapData", "select", "NODE_CATEGORIES", "EDGE_KINDS"]

#: node category -> (legend label, element or agent types in it)
NODE_CATEGORIES: dict[str, tuple[str, set[str]]] = {
    "plan": ("Plan", {"Plan"}),
    "outcome": ("Outcome or domain", {"Outcome", "Domain", "Foundation"}),
    "priority": ("Priority, objective or goal", {"Priority", "Objective", "StrategicObjective",
                                                 "Strand", "Goal"}),
    "deliverable": ("Deliverable or action", {"Deliverable", "SubItem", "Programme", "Action",
                                              "Milestone"}),
    "agent": ("Post or team", {"Post", "Team"}),
    "strategy": ("Strategy or programme", {"Strategy"}),
}
#: edge kinds drawn, in legend order: the serving kinds, then structure, names and posts
EDGE_KINDS = [*KINDS, "references", "part of", "responsible"]


def category(type_: str) -> str:
    return next(c for c, (_, types) in NODE_CATEGORIES.items() if type_ in types)


@dataclass
class MapData:
    title: str
    filters: list[str]
    focus: str | None = None
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _node_records(g: Any) -> dict[str, dict[str, Any]]:
    """Every node of the NetworkX view as a map record."""
    return {n: {"id": n, "type": d["type"], "category": category(d["type"]), "label": d["label"],
                "plan": d["plan"], "source": d["line"], "text": d["text"]}
            for n, d in g.nodes(data=True)}


def _edge_records(g: Any, min_score: float | None) -> list[dict[str, Any]]:
    """The edges of the NetworkX view a map draws: parents and posts, the links that count
    under `min_score` (see alignment.links.rules.counts), and named strategies; in that order,
    each group as the corpus lists it."""
    from alignment.links.similarity import PARAMS

    structure, serving_, names = [], [], []
    for s, t, key, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[3]["order"]):
        if d["kind"] == "broader":
            structure.append({"id": f"{s}.part-of.{t}", "from": s, "to": t, "kind": "part of",
                              "score": 1.0, "evidence": "", "source": ""})
        elif d["kind"] == "responsible":
            structure.append({"id": f"{s}.responsible.{t}", "from": s, "to": t,
                              "kind": "responsible", "score": 1.0, "evidence": "", "source": ""})
        elif d["kind"] == LinkKind.CONTINUITY:
            continue
        else:
            record = {"id": key, "from": s, "to": t, "kind": d["kind"], "score": d["score"],
                      "status": d["status"], "evidence": d["evidence"], "source": d["line"]}
            if d["kind"] == LinkKind.REFERENCES:
                names.append(record)
            elif counts(d["status"], d["score"], PARAMS.threshold, min_score):
                serving_.append(record)
    return structure + serving_ + names


def select(corpus: Corpus, focus: str | None = None, depth: int = 2, plan: str | None = None,
           strategy: str | None = None, post: str | None = None,
           kinds: list[str] | None = None, min_score: float | None = None) -> MapData:
    """The nodes and edges a map shows. With a focus, the focus and everything within `depth`
    links of it; with a plan, that plan's elements and what they link to; with a strategy or a
    post, its neighbourhood. Kinds and a minimum score filter the links."""
    for k in kinds or []:
        if k not in EDGE_KINDS:
            raise InputError(f"unknown link kind '{k}'; use one of {', '.join(EDGE_KINDS)}")
    if depth < 0:
        raise InputError("--depth must be 0 or more")
    from alignment.links.rules import check_filters

    check_filters(min_score)
    from alignment.graph.nxview import to_networkx

    g = to_networkx(corpus)
    nodes = _node_records(g)
    edges = [e for e in _edge_records(g, min_score) if not kinds or e["kind"] in kinds]
    filters: list[str] = []
    keep: set[str] = set(nodes)
    centre = focus or strategy or post
    if centre:
        if centre not in nodes:
            raise InputError(f"'{centre}' is not in the graph")
        keep = _neighbourhood(edges, centre, depth, nodes)
        filters.append(f"{centre} and its neighbourhood to depth {depth}")
    if plan:
        members = {i for i, n in nodes.items() if n["plan"].lower() == plan.lower()}
        if not members:
            check_plan((p.id for p in corpus.plans), plan)
        keep &= members | {e["to"] for e in edges if e["from"] in members}
        filters.append(f"plan {plan.upper()} and what it links to")
    if kinds:
        filters.append("links: " + ", ".join(kinds))
    if min_score is not None:
        filters.append(f"suggestions scoring at least {min_score}")
    kept_edges = [e for e in edges if e["from"] in keep and e["to"] in keep]
    if kinds and centre is None and plan is None:
        ends = {e["from"] for e in kept_edges} | {e["to"] for e in kept_edges}
        keep &= ends
    title = _title(corpus, centre, plan, nodes)
    docs = sorted({n["source"].split(":")[0] for i, n in nodes.items() if i in keep} - {"registry"})
    titles = {d.id: f"{d.title} ({d.publisher}, {d.period})" for d in corpus.documents}
    return MapData(title=title, filters=filters or ["the whole graph"], focus=centre,
                   nodes=[nodes[i] for i in nodes if i in keep],
                   edges=kept_edges, sources=[titles.get(d, d) for d in docs])


def _title(corpus: Corpus, centre: str | None, plan: str | None,
           nodes: dict[str, dict[str, Any]]) -> str:
    if centre:
        label = nodes[centre]["label"]
        short = label if len(label) <= 80 else label[:77] + "…"
        return f"How {centre} links: {short}"
    if plan:
        return f"How plan {plan.upper()} links to other plans and strategies"
    return "How the plans link"


def _neighbourhood(edges: list[dict[str, Any]], centre: str, depth: int,
                   nodes: dict[str, dict[str, Any]]) -> set[str]:
    """Nodes within `depth` links of the centre. Plans and posts end a walk (everything in a
    plan is two steps from everything else through them) unless they are the centre."""
    adj: dict[str, set[str]] = {}
    for e in edges:
        adj.setdefault(e["from"], set()).add(e["to"])
        adj.setdefault(e["to"], set()).add(e["from"])
    seen = {centre}
    frontier = {centre}
    for _ in range(depth):
        nxt: set[str] = set()
        for n in frontier:
            if n != centre and nodes[n]["category"] in {"plan", "agent"}:
                continue
            if n != centre and nodes[n]["type"] in {t.value for t in GOAL_TYPES} \
                    and nodes[centre]["category"] != "strategy":
                # a goal reached from elsewhere ends the walk: its other servers are not ours
                continue
            nxt |= adj.get(n, set()) - seen
        seen |= nxt
        frontier = nxt
    return seen
