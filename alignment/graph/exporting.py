"""Export writers: one per format, in one registry. Every writer gives the same bytes for the
same corpus, run after run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alignment.errors import InputError
from alignment.model import Corpus
from alignment.text import xml_text

__all__ = ["WRITERS", "SUFFIXES", "export", "export_format", "turtle"]


def _rdf(fmt: str) -> Callable[[Corpus, str | None], str]:
    def write(corpus: Corpus, base: str | None) -> str:
        from alignment.graph.rdf import serialize, to_rdf

        return serialize(to_rdf(corpus, base), fmt, base)

    return write


def _turtle(corpus: Corpus, base: str | None) -> str:
    """Turtle as Oxigraph writes it from a store holding the graph (a tenth of rdflib's time;
    the bytes `align export` gives from a built store)."""
    import pyoxigraph as ox

    from alignment.graph.ntriples import prefixes, to_ntriples

    store = ox.Store()
    store.bulk_load(to_ntriples(corpus, base), format=ox.RdfFormat.N_TRIPLES)
    return turtle(store, prefixes(base)).decode("utf-8")


def turtle(store, prefixes: dict[str, str]) -> bytes:  # type: ignore[no-untyped-def]
    """The store's graph as Turtle with `prefixes`, its statements in sorted order: a store on
    disk and one in memory list the same triples in different orders, and the same graph must
    give the same bytes."""
    import pyoxigraph as ox

    lines = sorted(set(store.dump(format=ox.RdfFormat.N_TRIPLES,
                                  from_graph=ox.DefaultGraph()).splitlines()))
    triples = ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _unique_edges(corpus: Corpus):  # type: ignore[no-untyped-def]
    """The NetworkX view with an ID of its own on every edge: a link's ID, else
    "SOURCE.broader.TARGET" or "SOURCE.responsible.TARGET" (GraphML and GEXF readers such as
    igraph warn on a repeated edge ID)."""
    import networkx as nx

    from alignment.graph.nxview import to_networkx

    g = to_networkx(corpus)
    out = nx.MultiDiGraph()
    out.add_nodes_from(g.nodes(data=True))
    seen: set[str] = set()
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[3]["order"]):
        eid = data.get("id") or f"{u}.{key}.{v}"
        n = 2
        while eid in seen:  # the same post named twice for one element
            eid, n = f"{data.get('id') or f'{u}.{key}.{v}'}.{n}", n + 1
        seen.add(eid)
        out.add_edge(u, v, key=eid, **{k: x for k, x in data.items() if k != "id"})
    # XML cannot hold NUL, ESC and the like: such a character in a title is written as \uXXXX,
    # so GraphML and GEXF stay readable (and the same rule serves Cytoscape's JSON)
    for *_, data in [*out.nodes(data=True), *out.edges(data=True)]:
        for k, value in data.items():
            if isinstance(value, str):
                data[k] = xml_text(value)
    return out


def _graphml(corpus: Corpus, base: str | None) -> str:
    import networkx as nx

    g = _unique_edges(corpus)
    from alignment.graph.rdf import xml_safe

    body = "\n".join(nx.generate_graphml(g, prettyprint=True))
    return xml_safe('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", "GraphML")


def _gexf(corpus: Corpus, base: str | None) -> str:
    import networkx as nx

    g = _unique_edges(corpus)
    # GEXF wants a label; its edge IDs are the keys, its version the one Gephi reads
    for n, data in g.nodes(data=True):
        data.setdefault("label", n)
    for *_, key, data in g.edges(keys=True, data=True):
        data["id"] = key
    text = "\n".join(nx.generate_gexf(g, prettyprint=True, version="1.2draft"))
    import re

    # the writer stamps the day it ran: a fixed file says nothing of when it was made
    text = re.sub(r'lastmodifieddate="[^"]*"', 'lastmodifieddate="2000-01-01"', text, count=1)
    from alignment.graph.rdf import xml_safe

    return xml_safe(text + "\n", "GEXF")


def _cytoscape(corpus: Corpus, base: str | None) -> str:
    """Cytoscape.js elements JSON ({"elements": {"nodes": [...], "edges": [...]}}), which
    Cytoscape.js reads with cy.add() and Cytoscape desktop imports as .cyjs."""
    import json

    g = _unique_edges(corpus)
    nodes = [{"data": {"id": n, "value": n, "name": d.get("label", n), **d}}
             for n, d in g.nodes(data=True)]
    edges = [{"data": {"id": k, "key": k, "source": u, "target": v, **d}}
             for u, v, k, d in g.edges(keys=True, data=True)]
    doc = {"format_version": "1.0", "generated_by": "align export", "directed": True,
           "multigraph": True,
           "target_cytoscapejs_version": "~3", "data": {"name": "strategy alignment"},
           "elements": {"nodes": nodes, "edges": edges}}
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


WRITERS: dict[str, Callable[[Corpus, str | None], str]] = {
    "ttl": _turtle,
    "nt": _rdf("nt"),
    "nq": _rdf("nq"),
    "trig": _rdf("trig"),
    "jsonld": _rdf("jsonld"),
    "xml": _rdf("xml"),
    "graphml": _graphml,
    "gexf": _gexf,
    "cyjs": _cytoscape,
}

#: a file's suffix -> the format written to it
SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld",
            ".rdf": "xml", ".owl": "xml", ".graphml": "graphml", ".gexf": "gexf",
            ".cyjs": "cyjs"}


def export_format(fmt: str | None, out: Path | None) -> str:
    """The format to write: the one the file's name gives (a --format that says otherwise is
    refused), else `fmt`, else Turtle."""
    if fmt is not None and fmt not in WRITERS:
        raise InputError(f"unknown export format '{fmt}'; choose one of {', '.join(WRITERS)}")
    named = SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if named and fmt and fmt != named:
        raise InputError(f"--format {fmt} contradicts {out.name}: the file's type follows "  # type: ignore[union-attr]
                         f"its name; drop --format, or name the file {_suffix(fmt)}")
    return named or fmt or "ttl"


def _suffix(fmt: str) -> str:
    return next(s for s, f in SUFFIXES.items() if f == fmt)


def export(corpus: Corpus, fmt: str, base: str | None = None) -> str:
    writer = WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown export format '{fmt}'; choose one of {', '.join(WRITERS)}")
    return writer(corpus, base)
