"""Export writers: one per format, in one registry."""

from __future__ import annotations

from collections.abc import Callable

from alignment.errors import InputError
from alignment.model import Corpus
from alignment.text import xml_text

__all__ = ["WRITERS", "export"]


def _rdf(fmt: str) -> Callable[[Corpus, str | None], str]:
    def write(corpus: Corpus, base: str | None) -> str:
        from alignment.graph.rdf import serialize, to_rdf

        return serialize(to_rdf(corpus, base), fmt)

    return write


def _graphml(corpus: Corpus, base: str | None) -> str:
    import networkx as nx

    from alignment.graph.nxview import to_networkx

    g = to_networkx(corpus)
    # XML cannot hold NUL, ESC and the like: a title with one would make the file unreadable
    for *_, data in [*g.nodes(data=True), *g.edges(data=True)]:
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = xml_text(value)
    return "\n".join(nx.generate_graphml(g, prettyprint=True)) + "\n"


WRITERS: dict[str, Callable[[Corpus, str | None], str]] = {
    "ttl": _rdf("ttl"),
    "nt": _rdf("nt"),
    "jsonld": _rdf("jsonld"),
    "graphml": _graphml,
}


def export(corpus: Corpus, fmt: str, base: str | None = None) -> str:
    writer = WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown export format '{fmt}'; choose one of {', '.join(WRITERS)}")
    return writer(corpus, base)
