"""What a linkage map shows: a selection of the graph (the whole of it, a focus element and its
neighbourhood, or a filter) as plain node and edge records. alignment/htmlmap.py draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alignment.errors import InputError
from alignment.links.linking import KINDS
from alignment.links.rules import GOAL_TYPES, check_plan, serving
from alignment.model import Corpus, Element, LinkKind

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
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _node_records(corpus: Corpus) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for e in corpus.elements:
        p = e.provenance[0]
        out[e.id] = {"id": e.id, "type": e.type.value, "category": category(e.type.value),
                     "label": e.label, "plan": e.plan,
                     "source": f"{p.document}:{p.line_start}", "text": _full_text(e)}
    for a in corpus.agents:
        p = a.provenance[0]
        out[a.id] = {"id": a.id, "type": a.kind.value, "category": "agent", "label": a.label,
                     "plan": "", "source": f"{p.document}:{p.line_start}", "text": a.label}
    for s in corpus.strategies:
        out[s.id] = {"id": s.id, "type": "Strategy", "category": "strategy", "label": s.label,
                     "plan": "", "source": "registry", "text": s.note or s.label}
    return out


def _full_text(e: Element) -> str:
    return "\n".join([e.label, *(f"{s.kind}: {s.text}" for s in e.statements)])


def _edge_records(corpus: Corpus, min_score: float | None) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = []
    for e in corpus.elements:
        if e.parent:
            edges.append({"id": f"{e.id}.part-of.{e.parent}", "from": e.id, "to": e.parent,
                          "kind": "part of", "score": 1.0, "evidence": "", "source": ""})
        for a in e.responsible:
            edges.append({"id": f"{e.id}.responsible.{a}", "from": e.id, "to": a,
                          "kind": "responsible", "score": 1.0, "evidence": "", "source": ""})
    links = serving(corpus, min_score) + [lk for lk in corpus.links if lk.kind == LinkKind.REFERENCES]
    for lk in links:
        edges.append({"id": lk.id, "from": lk.source, "to": lk.target, "kind": lk.kind,
                      "score": lk.score, "status": lk.status, "evidence": lk.evidence,
                      "source": f"{lk.provenance.document}:{lk.provenance.line_start}"})
    return edges


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
    nodes = _node_records(corpus)
    edges = [e for e in _edge_records(corpus, min_score) if not kinds or e["kind"] in kinds]
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
    return MapData(title=title, filters=filters or ["the whole graph"],
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
