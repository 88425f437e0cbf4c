"""The RDF view of the corpus written straight as N-Triples, for the store: the triples
`alignment.graph.rdf.to_rdf` makes, without building an rdflib graph (at 10,000 deliverables the
graph took a quarter of a build and most of its memory). `to_rdf` stays the view for exports
and small graphs; a test checks that both hold the same triples.

A triple may be written twice (a node's derivation from one document, say); a store holds
each once, as an rdflib graph does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from pydantic import TypeAdapter

from alignment.graph.sequence import element_sequences, link_sequences
from alignment.iri import base_iri
from alignment.model import (
    AgentKind,
    Corpus,
    Element,
    ElementType,
    Link,
    LinkKind,
    LinkStatus,
    Plan,
    Provenance,
)

__all__ = ["GROUP", "Group", "chunks", "groups", "prefixes", "to_ntriples"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SA = "https://w3id.org/strategy-alignment/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
_ORG = "http://www.w3.org/ns/org#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"


def prefixes(base: str | None = None) -> dict[str, str]:
    """The prefixes the Turtle snapshot is written with: those `to_rdf` binds."""
    b = base_iri(base)
    return {"dcterms": _DCT, "doc": b + "doc/", "id": b + "id/", "link": b + "link/",
            "org": _ORG, "owl": "http://www.w3.org/2002/07/owl#", "prov": _PROV, "rdf": _RDF,
            "rdfs": _RDFS, "sa": _SA, "skos": _SKOS, "skosxl": _SKOSXL,
            "xml": "http://www.w3.org/XML/1998/namespace", "xsd": _XSD}


def _u(iri: str) -> str:
    return f"<{iri}>"


_TYPE, _ORDER = _u(_RDF + "type"), _u(_SA + "order")


def _escaped(value: str) -> str:
    # four replacements, each a fast scan in C: str.translate with a table took a twentieth of a
    # build at 10,000 deliverables
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _text(value: str) -> str:
    return f'"{_escaped(value)}"'


def _english(value: str) -> str:
    return f'"{_escaped(value)}"@en'


def _int(value: int) -> str:
    return f'"{value}"^^<{_XSD}integer>'


def _decimal(value: float, places: int = 3) -> str:
    """As alignment.graph.rdf.decimal: rounded, in the canonical form ("0.08", "1", "0")."""
    d = Decimal(f"{value:.{places}f}")
    text = "0" if d == 0 else format(d.normalize(), "f")
    return f'"{text}"^^<{_XSD}decimal>'


@lru_cache(maxsize=1 << 16)
def _quoted(part: str) -> str:
    """A part of an IRI, percent-encoded (the same IDs recur in every link and provenance)."""
    return quote(part, safe="-._~")


def _sa(term: str) -> str:
    return _u(_SA + term)


def to_ntriples(corpus: Corpus, base: str | None = None) -> bytes:
    """The corpus's graph as N-Triples (UTF-8), the triples `to_rdf` makes."""
    return b"".join(chunks(corpus, base))


def chunks(corpus: Corpus, base: str | None = None) -> Iterator[bytes]:
    """The same N-Triples in pieces, one group's statements each (`groups`), to be loaded as
    they are made (a whole graph's text at 10,000 deliverables is a few hundred megabytes)."""
    for g in groups(corpus, base):
        yield g.text()


#: the statements of at most this many elements, or links, make one group
GROUP = 250


class Group(NamedTuple):
    """A part of the graph's N-Triples: what it is made from, as bytes that differ whenever its
    text would (`source`), and its text (`text`), each made when asked for. A rebuild whose
    group has the same source as one of the last build's takes that group's text from it."""

    source: Callable[[], bytes]
    text: Callable[[], bytes]


def groups(corpus: Corpus, base: str | None = None) -> Iterator[Group]:
    """The graph's statements in groups: the documents, posts and teams, and strategies; then
    each plan's elements and each plan's links of one kind, in runs of at most GROUP. A group
    is written alone (a derivation's first place is the first within its group), so that an
    unchanged group has the same text whatever changed elsewhere."""
    b = base_iri(base)
    head = [corpus.documents, corpus.agents, corpus.strategies]
    yield Group(lambda: _source(b, "head", _HEAD.dump_json(head)),
                lambda: _text_of(_head(corpus, _Writer(b))))
    plans = {p.id: p for p in corpus.plans}
    numbers = element_sequences(corpus)
    for at, run in _runs(corpus.elements, lambda e: e.plan):
        els, seq = corpus.elements[at:at + len(run)], numbers[at:at + len(run)]
        own = [plans[e.id] for e in els if e.type == ElementType.PLAN]
        yield Group(lambda els=els, seq=seq, own=own: _source(
                        b, "elements", _ELEMENTS.dump_json(els), _PLANS.dump_json(own), repr(seq)),
                    lambda els=els, seq=seq: _text_of(_elements(els, seq, plans, _Writer(b))))
    plan = {e.id: e.plan for e in corpus.elements}
    numbers = link_sequences(corpus)
    for at, run in _runs(corpus.links, lambda lk: (lk.kind, plan.get(lk.source, lk.source))):
        seq = numbers[at:at + len(run)]
        yield Group(lambda run=run, seq=seq: _source(b, "links", _LINKS.dump_json(run), repr(seq)),
                    lambda run=run, seq=seq: _text_of(_links(run, seq, _Writer(b))))


_HEAD = TypeAdapter(list)
_ELEMENTS = TypeAdapter(list[Element])
_PLANS = TypeAdapter(list[Plan])
_LINKS = TypeAdapter(list[Link])


def _source(*parts: str | bytes) -> bytes:
    return b"\0".join(p.encode("utf-8") if isinstance(p, str) else p for p in parts)


def _text_of(lines: Iterable[str]) -> bytes:
    return "".join(lines).encode("utf-8")


def _runs(items: list, key: Callable) -> Iterator[tuple[int, list]]:  # type: ignore[type-arg]
    """(where it starts, the items) of each run of consecutive items with the same key, cut
    every GROUP items."""
    start = 0
    for _, run in itertools.groupby(items, key):
        run = list(run)
        for k in range(0, len(run), GROUP):
            yield start + k, run[k:k + GROUP]
        start += len(run)


class _Writer:
    """IRIs of one base, and the derivations a group has written the place of."""

    def __init__(self, b: str):
        self.b = b
        self.ordered: set[str] = set()  # derivations whose place is written: the first stands

    def node(self, id_: str) -> str:
        return f"<{self.b}id/{_quoted(id_)}>"

    def iri(self, *parts: str) -> str:
        return "<" + self.b + "/".join(_quoted(p) for p in parts) + ">"

    def doc(self, id_: str) -> str:
        return self.iri("doc", id_)

    def derive(self, subject: str, key: str, p: Provenance, order: int = 1) -> Iterator[str]:
        d = self.iri("prov", key, p.document, str(p.line_start))
        if d not in self.ordered:
            self.ordered.add(d)
            yield f"{d} {_ORDER} {_int(order)} .\n"
        source = self.doc(p.document)
        yield (f"{subject} {_u(_PROV + 'wasDerivedFrom')} {source} .\n"
               f"{subject} {_u(_PROV + 'qualifiedDerivation')} {d} .\n"
               f"{d} {_TYPE} {_u(_PROV + 'Derivation')} .\n"
               f"{d} {_u(_PROV + 'entity')} {source} .\n"
               f"{d} {_sa('lineStart')} {_int(p.line_start)} .\n"
               f"{d} {_sa('lineEnd')} {_int(p.line_end)} .\n"
               f"{d} {_sa('sourceText')} {_text(p.text)} .\n")
        if p.locator:
            yield f"{d} {_sa('locator')} {_text(p.locator)} .\n"


def _head(corpus: Corpus, w: _Writer) -> Iterator[str]:
    node, iri, doc, derive = w.node, w.iri, w.doc, w.derive
    for d in corpus.documents:
        s = doc(d.id)
        yield (f"{s} {_TYPE} {_sa('SourceDocument')} .\n"
               f"{s} {_TYPE} {_u(_PROV + 'Entity')} .\n"
               f"{s} {_u(_DCT + 'identifier')} {_text(d.id)} .\n"
               f"{s} {_u(_DCT + 'title')} {_text(d.title)} .\n"
               f"{s} {_u(_DCT + 'publisher')} {_text(d.publisher)} .\n"
               f"{s} {_u(_DCT + 'temporal')} {_text(d.period)} .\n"
               f"{s} {_u(_DCT + 'type')} {_text(d.kind)} .\n"
               f"{s} {_u(_DCT + 'source')} {_text(d.file)} .\n"
               f"{s} {_sa('sha256')} {_text(d.sha256)} .\n"
               f"{s} {_sa('layout')} {_text(d.layout)} .\n"
               f"{s} {_sa('plan')} {node(d.plan)} .\n")
        if d.version_of:
            yield f"{s} {_u(_DCT + 'isVersionOf')} {doc(d.version_of)} .\n"
        if d.url:
            yield f"{s} {_u(_RDFS + 'seeAlso')} <{d.url}> .\n"

    for a in corpus.agents:
        s = node(a.id)
        kind = _ORG + ("Post" if a.kind == AgentKind.POST else "OrganizationalUnit")
        yield (f"{s} {_TYPE} {_u(kind)} .\n"
               f"{s} {_sa('id')} {_text(a.id)} .\n"
               f"{s} {_u(_SKOS + 'prefLabel')} {_english(a.label)} .\n")
        yield from _aliases(s, a.id, a.aliases, iri)
        for n, p in enumerate(a.provenance, 1):
            yield from derive(s, a.id, p, n)

    for n, st in enumerate(corpus.strategies):
        s = node(st.id)
        yield (f"{s} {_TYPE} {_sa('Strategy')} .\n"
               f"{s} {_sa('id')} {_text(st.id)} .\n"
               f"{s} {_sa('sequence')} {_int(n)} .\n"
               f"{s} {_u(_SKOS + 'prefLabel')} {_english(st.label)} .\n"
               f"{s} {_sa('strategyKind')} {_text(st.kind)} .\n")
        yield from _aliases(s, st.id, st.aliases, iri)
        if st.part_of:
            yield f"{s} {_sa('partOf')} {node(st.part_of)} .\n"
        if st.note:
            yield f"{s} {_u(_SKOS + 'note')} {_english(st.note)} .\n"


def _elements(elements: list[Element], numbers: list[int], plans: dict[str, Plan],
              w: _Writer) -> Iterator[str]:
    node = w.node
    for n, el in zip(numbers, elements, strict=True):
        s = node(el.id)
        yield from _element(el, s, node, w.iri, w.derive)
        yield f"{s} {_sa('sequence')} {_int(n)} .\n"
        if el.type == ElementType.PLAN:
            p = plans[el.id]
            yield (f"{s} {_u(_DCT + 'title')} {_text(p.title)} .\n"
                   f"{s} {_u(_DCT + 'temporal')} {_text(p.period)} .\n"
                   f"{s} {_u(_DCT + 'type')} {_text(p.kind)} .\n")
            if p.follows:
                yield f"{s} {_u(_DCT + 'replaces')} {node(p.follows)} .\n"
            if p.strategy:
                yield f"{s} {_sa('strategy')} {node(p.strategy)} .\n"


def _links(links: list[Link], numbers: list[int], w: _Writer) -> Iterator[str]:
    node = w.node
    for n, link in zip(numbers, links, strict=True):
        s = w.iri("link", link.id)
        src, tgt = node(link.source), node(link.target)
        if link.status == LinkStatus.ASSERTED and link.kind == LinkKind.REFERENCES:
            yield f"{src} {_sa('references')} {tgt} .\n"
        elif link.status == LinkStatus.ASSERTED:
            yield f"{src} {_sa('serves')} {tgt} .\n"
        yield (f"{src} {_sa('qualifiedAlignment')} {s} .\n"
               f"{s} {_TYPE} {_sa('Alignment')} .\n"
               f"{s} {_sa('id')} {_text(link.id)} .\n"
               f"{s} {_sa('sequence')} {_int(n)} .\n"
               f"{s} {_sa('source')} {src} .\n"
               f"{s} {_sa('target')} {tgt} .\n"
               f"{s} {_sa('kind')} {_text(link.kind)} .\n"
               f"{s} {_sa('status')} {_text(link.status)} .\n"
               f"{s} {_sa('score')} {_decimal(link.score)} .\n"
               f"{s} {_sa('evidence')} {_text(link.evidence)} .\n")
        if link.decision:
            yield f"{s} {_sa('decision')} {_text(link.decision)} .\n"
        yield from w.derive(s, link.id, link.provenance)


def _element(el: Element, s: str, node, iri, derive) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield (f"{s} {_TYPE} {_sa(el.type.value)} .\n"
           f"{s} {_sa('id')} {_text(el.id)} .\n"
           f"{s} {_u(_SKOS + 'prefLabel')} {_english(el.label)} .\n"
           f"{s} {_u(_SKOS + 'notation')} {_text(el.code)} .\n"
           f"{s} {_ORDER} {_int(el.order)} .\n")
    if el.due:
        yield f"{s} {_sa('due')} {_text(el.due)} .\n"
    if el.type == ElementType.PLAN:
        yield f"{s} {_TYPE} {_u(_SKOS + 'ConceptScheme')} .\n"
    else:
        yield (f"{s} {_TYPE} {_sa('Element')} .\n"
               f"{s} {_TYPE} {_u(_SKOS + 'Concept')} .\n"
               f"{s} {_sa('plan')} {node(el.plan)} .\n"
               f"{s} {_u(_SKOS + 'inScheme')} {node(el.plan)} .\n")
    if el.parent and el.parent != el.plan:
        yield f"{s} {_u(_SKOS + 'broader')} {node(el.parent)} .\n"
    elif el.parent == el.plan and el.type != ElementType.PLAN:
        yield f"{s} {_u(_SKOS + 'topConceptOf')} {node(el.plan)} .\n"
    for n, agent in enumerate(el.responsible, 1):
        r = iri("id", el.id, "responsible", str(n))
        yield (f"{s} {_sa('responsible')} {node(agent)} .\n"
               f"{s} {_sa('qualifiedResponsibility')} {r} .\n"
               f"{r} {_TYPE} {_sa('Responsibility')} .\n"
               f"{r} {_sa('agent')} {node(agent)} .\n"
               f"{r} {_ORDER} {_int(n)} .\n")
    for n, p in enumerate(el.provenance, 1):
        yield from derive(s, el.id, p, n)
    counts: dict[str, int] = {}
    for n, st in enumerate(el.statements, 1):
        counts[st.kind] = counts.get(st.kind, 0) + 1  # a variant's field counts by kind
        t = iri("id", el.id, "statement", st.kind, str(counts[st.kind]))
        yield (f"{s} {_sa('statement')} {t} .\n"
               f"{t} {_TYPE} {_sa('Statement')} .\n"
               f"{t} {_sa('statementKind')} {_text(st.kind)} .\n"
               f"{t} {_u(_RDF + 'value')} {_text(st.text)} .\n"
               f"{t} {_ORDER} {_int(n)} .\n")
        yield from derive(t, f"{el.id}/{st.kind}/{counts[st.kind]}", st.provenance)
    for n, v in enumerate(el.variants, 1):
        t = iri("id", el.id, "variant", v.document, _safe(v.field))
        yield (f"{s} {_sa('variant')} {t} .\n"
               f"{t} {_sa('document')} {iri('doc', v.document)} .\n"
               f"{t} {_sa('variantField')} {_text(v.field)} .\n"
               f"{t} {_u(_RDF + 'value')} {_text(v.text)} .\n"
               f"{t} {_ORDER} {_int(n)} .\n")


def _aliases(s: str, id_: str, aliases: list[str], iri) -> Iterator[str]:  # type: ignore[no-untyped-def]
    for n, alias in enumerate(aliases, 1):
        x = iri("id", id_, "alias", str(n))
        yield (f"{s} {_u(_SKOS + 'altLabel')} {_english(alias)} .\n"
               f"{s} {_u(_SKOSXL + 'altLabel')} {x} .\n"
               f"{x} {_TYPE} {_u(_SKOSXL + 'Label')} .\n"
               f"{x} {_u(_SKOSXL + 'literalForm')} {_english(alias)} .\n"
               f"{x} {_ORDER} {_int(n)} .\n")


def _safe(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")
