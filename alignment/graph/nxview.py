"""The NetworkX view of the same corpus: one node per element, post, team and strategy; one edge
per parent link, responsibility and qualified link. Every question or picture that walks the graph
(a linkage map, the paths between two elements, the GraphML export) reads this view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alignment.model import Corpus, Element

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["to_networkx"]


def _full_text(e: Element) -> str:
    return "\n".join([e.label, *(f"{s.kind}: {s.text}" for s in e.statements)])


def to_networkx(corpus: Corpus) -> nx.MultiDiGraph:
    """Nodes carry type, label, plan, code, their first source line (`line`, "doc:line") and
    full text; edges carry their kind (broader, responsible, or the link's kind), and links their
    ID, status, score, evidence and source line. `order` numbers the edges as the corpus lists
    them: an element's parent and posts in document order, then the links."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for el in corpus.elements:
        p = el.provenance[0]
        g.add_node(el.id, type=el.type.value, label=el.label, plan=el.plan, code=el.code,
                   line=f"{p.document}:{p.line_start}", text=_full_text(el))
    for a in corpus.agents:
        p = a.provenance[0]
        g.add_node(a.id, type=a.kind.value, label=a.label, plan="",
                   line=f"{p.document}:{p.line_start}", text=a.label)
    for s in corpus.strategies:
        g.add_node(s.id, type="Strategy", label=s.label, kind=s.kind, plan="", line="registry",
                   text=s.note or s.label)
    order = 0
    for el in corpus.elements:
        if el.parent:
            g.add_edge(el.id, el.parent, key="broader", kind="broader", order=order)
            order += 1
        for agent in el.responsible:
            g.add_edge(el.id, agent, key="responsible", kind="responsible", order=order)
            order += 1
    for link in corpus.links:
        p = link.provenance
        g.add_edge(link.source, link.target, key=link.id, kind=str(link.kind),
                   status=str(link.status), score=link.score, evidence=link.evidence, id=link.id,
                   line=f"{p.document}:{p.line_start}", order=order)
        order += 1
    return g
