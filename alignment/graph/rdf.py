"""The RDF view of the corpus: SKOS for elements (SKOS-XL for aliases, in order), W3C ORG for
posts and teams, PROV-O and Dublin Core for provenance, and the project ontology for the rest.
Whatever a node lists in an order (sources, statements, variants, responsible posts, aliases)
carries its place as sa:order, 1 first, so the questions read each list back as the corpus holds
it.

No blank nodes and no build time: every node has an IRI derived from a stable ID under a
configurable base, so two builds give byte-identical Turtle.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from alignment.graph.vocab import SA, SKOSXL
from alignment.iri import DEFAULT_BASE, base_iri
from alignment.model import AgentKind, Corpus, Element, ElementType, LinkKind, LinkStatus, Provenance

__all__ = ["DEFAULT_BASE", "base_iri", "to_rdf", "iri", "serialize", "FORMATS"]


#: export format name -> (rdflib format, file suffix)
FORMATS = {"ttl": ("turtle", ".ttl"), "nt": ("nt", ".nt"), "jsonld": ("json-ld", ".jsonld")}


def iri(base: str, *parts: str) -> URIRef:
    return URIRef(base + "/".join(quote(p, safe="-._~") for p in parts))


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")


def to_rdf(corpus: Corpus, base: str | None = None) -> Graph:
    b = base_iri(base)
    g = Graph(bind_namespaces="core")
    g.bind("sa", SA._NS)
    g.bind("skos", SKOS)
    g.bind("org", ORG)
    g.bind("prov", PROV)
    g.bind("dcterms", DCTERMS)
    g.bind("skosxl", SKOSXL)
    g.bind("id", Namespace(b + "id/"))
    g.bind("doc", Namespace(b + "doc/"))
    g.bind("link", Namespace(b + "link/"))

    def node(id_: str) -> URIRef:
        return iri(b, "id", id_)

    def doc(id_: str) -> URIRef:
        return iri(b, "doc", id_)

    def derive(subject: URIRef, key: str, p: Provenance, order: int = 1) -> None:
        """A qualified derivation; `order` is its place among the subject's sources (1: where it
        was read first; a source given twice keeps its first place)."""
        d = iri(b, "prov", key, p.document, str(p.line_start))
        if (d, SA.order, None) not in g:
            g.add((d, SA.order, Literal(order)))
        g.add((subject, PROV.wasDerivedFrom, doc(p.document)))
        g.add((subject, PROV.qualifiedDerivation, d))
        g.add((d, RDF.type, PROV.Derivation))
        g.add((d, PROV.entity, doc(p.document)))
        g.add((d, SA.lineStart, Literal(p.line_start)))
        g.add((d, SA.lineEnd, Literal(p.line_end)))
        g.add((d, SA.sourceText, Literal(p.text)))
        if p.locator:
            g.add((d, SA.locator, Literal(p.locator)))

    for d in corpus.documents:
        s = doc(d.id)
        g.add((s, RDF.type, SA.SourceDocument))
        g.add((s, RDF.type, PROV.Entity))
        g.add((s, DCTERMS.identifier, Literal(d.id)))
        g.add((s, DCTERMS.title, Literal(d.title)))
        g.add((s, DCTERMS.publisher, Literal(d.publisher)))
        g.add((s, DCTERMS.temporal, Literal(d.period)))
        g.add((s, DCTERMS.type, Literal(d.kind)))
        g.add((s, DCTERMS.source, Literal(d.file)))
        g.add((s, SA.sha256, Literal(d.sha256)))
        g.add((s, SA.layout, Literal(d.layout)))
        g.add((s, SA.plan, node(d.plan)))
        if d.version_of:
            g.add((s, DCTERMS.isVersionOf, doc(d.version_of)))
        if d.url:
            g.add((s, RDFS.seeAlso, URIRef(d.url)))

    plans = {p.id: p for p in corpus.plans}
    # sa:sequence is the order the build read the elements (the plans in manifest order, then
    # each document's elements as read) and found the links: the order questions list them in
    for n, el in enumerate(corpus.elements):
        _element(g, el, node, derive, b)
        g.add((node(el.id), SA.sequence, Literal(n)))
        if el.type == ElementType.PLAN:
            p = plans[el.id]
            g.add((node(el.id), DCTERMS.title, Literal(p.title)))
            g.add((node(el.id), DCTERMS.temporal, Literal(p.period)))
            g.add((node(el.id), DCTERMS.type, Literal(p.kind)))
            if p.follows:
                g.add((node(el.id), DCTERMS.replaces, node(p.follows)))
            if p.strategy:
                g.add((node(el.id), SA.strategy, node(p.strategy)))

    for a in corpus.agents:
        s = node(a.id)
        g.add((s, RDF.type, ORG.Post if a.kind == AgentKind.POST else ORG.OrganizationalUnit))
        g.add((s, SA.id, Literal(a.id)))
        g.add((s, SKOS.prefLabel, Literal(a.label, lang="en")))
        _aliases(g, s, a.id, a.aliases, b)
        for n, p in enumerate(a.provenance, 1):
            derive(s, a.id, p, n)

    for n, st in enumerate(corpus.strategies):
        s = node(st.id)
        g.add((s, RDF.type, SA.Strategy))
        g.add((s, SA.id, Literal(st.id)))
        g.add((s, SA.sequence, Literal(n)))  # the registry's order
        g.add((s, SKOS.prefLabel, Literal(st.label, lang="en")))
        g.add((s, SA.strategyKind, Literal(st.kind)))
        _aliases(g, s, st.id, st.aliases, b)
        if st.part_of:
            g.add((s, SA.partOf, node(st.part_of)))
        if st.note:
            g.add((s, SKOS.note, Literal(st.note, lang="en")))

    for n, link in enumerate(corpus.links):
        s = iri(b, "link", link.id)
        src, tgt = node(link.source), node(link.target)
        if link.status == LinkStatus.ASSERTED and link.kind == LinkKind.REFERENCES:
            g.add((src, SA.references, tgt))
        elif link.status == LinkStatus.ASSERTED:
            g.add((src, SA.serves, tgt))
        g.add((src, SA.qualifiedAlignment, s))
        g.add((s, RDF.type, SA.Alignment))
        g.add((s, SA.id, Literal(link.id)))
        g.add((s, SA.sequence, Literal(n)))
        g.add((s, SA.source, src))
        g.add((s, SA.target, tgt))
        g.add((s, SA.kind, Literal(link.kind)))
        g.add((s, SA.status, Literal(link.status)))
        g.add((s, SA.score, Literal(f"{link.score:.3f}", datatype=XSD.decimal)))
        g.add((s, SA.evidence, Literal(link.evidence)))
        if link.decision:
            g.add((s, SA.decision, Literal(link.decision)))
        derive(s, link.id, link.provenance)
    return g


def _element(g: Graph, el: Element, node, derive, b: str) -> None:  # type: ignore[no-untyped-def]
    s = node(el.id)
    g.add((s, RDF.type, SA[el.type.value]))
    g.add((s, SA.id, Literal(el.id)))
    g.add((s, SKOS.prefLabel, Literal(el.label, lang="en")))
    g.add((s, SKOS.notation, Literal(el.code)))
    g.add((s, SA.order, Literal(el.order)))
    if el.due:
        g.add((s, SA.due, Literal(el.due)))
    if el.type == ElementType.PLAN:
        g.add((s, RDF.type, SKOS.ConceptScheme))
    else:
        g.add((s, RDF.type, SA.Element))
        g.add((s, RDF.type, SKOS.Concept))
        g.add((s, SA.plan, node(el.plan)))
        g.add((s, SKOS.inScheme, node(el.plan)))
    if el.parent and el.parent != el.plan:
        g.add((s, SKOS.broader, node(el.parent)))
    elif el.parent == el.plan and el.type != ElementType.PLAN:
        g.add((s, SKOS.topConceptOf, node(el.plan)))
    for n, agent in enumerate(el.responsible, 1):
        # the binary shortcut, and the qualified form that keeps the order the text names them in
        g.add((s, SA.responsible, node(agent)))
        r = iri(b, "id", el.id, "responsible", str(n))
        g.add((s, SA.qualifiedResponsibility, r))
        g.add((r, RDF.type, SA.Responsibility))
        g.add((r, SA.agent, node(agent)))
        g.add((r, SA.order, Literal(n)))
    for n, p in enumerate(el.provenance, 1):
        derive(s, el.id, p, n)
    counts: dict[str, int] = {}
    for n, st in enumerate(el.statements, 1):
        counts[st.kind] = counts.get(st.kind, 0) + 1  # a variant's field counts by kind
        t = iri(b, "id", el.id, "statement", st.kind, str(counts[st.kind]))
        g.add((s, SA.statement, t))
        g.add((t, RDF.type, SA.Statement))
        g.add((t, SA.statementKind, Literal(st.kind)))
        g.add((t, RDF.value, Literal(st.text)))
        g.add((t, SA.order, Literal(n)))
        derive(t, f"{el.id}/{st.kind}/{counts[st.kind]}", st.provenance)
    for n, v in enumerate(el.variants, 1):
        t = iri(b, "id", el.id, "variant", v.document, _safe(v.field))
        g.add((s, SA.variant, t))
        g.add((t, SA.document, iri(b, "doc", v.document)))
        g.add((t, SA.variantField, Literal(v.field)))
        g.add((t, RDF.value, Literal(v.text)))
        g.add((t, SA.order, Literal(n)))


def _aliases(g: Graph, s: URIRef, id_: str, aliases: list[str], b: str) -> None:
    """Other names of a post, team or strategy: SKOS alternative labels, and SKOS-XL labels that
    keep their order."""
    for n, alias in enumerate(aliases, 1):
        g.add((s, SKOS.altLabel, Literal(alias, lang="en")))
        x = iri(b, "id", id_, "alias", str(n))
        g.add((s, SKOSXL.altLabel, x))
        g.add((x, RDF.type, SKOSXL.Label))
        g.add((x, SKOSXL.literalForm, Literal(alias, lang="en")))
        g.add((x, SA.order, Literal(n)))


def serialize(g: Graph, fmt: str) -> str:
    rdf_format = FORMATS[fmt][0]
    if rdf_format == "json-ld":
        return g.serialize(format="json-ld", sort_keys=True, indent=2)
    if rdf_format == "nt":
        # one triple a line; split at line feeds only (a literal may hold U+2028 and the like)
        return "".join(sorted(f"{t}\n" for t in g.serialize(format="nt").split("\n") if t))
    return g.serialize(format=rdf_format)
