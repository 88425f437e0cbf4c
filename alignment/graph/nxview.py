"""The NetworkX view of the same corpus: one node per element, post, team and strategy; one edge
per parent link, responsibility and qualified link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alignment.model import Corpus

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["to_networkx"]


def to_networkx(corpus: Corpus) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph()
    for el in corpus.elements:
        g.add_node(el.id, type=el.type.value, label=el.label, plan=el.plan, code=el.code)
    for a in corpus.agents:
        g.add_node(a.id, type=a.kind.value, label=a.label)
    for s in corpus.strategies:
        g.add_node(s.id, type="Strategy", label=s.label, kind=s.kind)
    for el in corpus.elements:
        if el.parent:
            g.add_edge(el.id, el.parent, key="broader", kind="broader")
        for agent in el.responsible:
            g.add_edge(el.id, agent, key="responsible", kind="responsible")
    for link in corpus.links:
        g.add_edge(link.source, link.target, key=link.id, kind=str(link.kind), status=str(link.status),
                   score=link.score, evidence=link.evidence, id=link.id)
    return g
