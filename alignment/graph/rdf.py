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

from alignment.graph.sequence import element_sequences, link_sequences
from alignment.graph.vocab import SA, SKOSXL
from alignment.iri import DEFAULT_BASE, base_iri
from alignment.model import AgentKind, Corpus, Element, ElementType, LinkKind, LinkStatus, Provenance

__all__ = ["DEFAULT_BASE", "base_iri", "to_rdf", "iri", "serialize", "FORMATS", "decimal",
           "graph_name", "jsonld_context", "xml_safe"]


#: export format name -> (rdflib format, file suffix)
FORMATS = {"ttl": ("turtle", ".ttl"), "nt": ("nt", ".nt"), "nq": ("nquads", ".nq"),
           "trig": ("trig", ".trig"), "jsonld": ("json-ld", ".jsonld"),
           "xml": ("xml", ".rdf")}


def decimal(value: float, places: int = 3) -> Literal:
    """An xsd:decimal rounded to `places`, in the canonical form (XSD 1.1: no trailing zeros,
    "1" and "0" for whole numbers) that Oxigraph and other stores keep, so that an export and
    the store hold the same literal: 0.080 is "0.08"."""
    from decimal import Decimal

    d = Decimal(f"{value:.{places}f}")
    text = "0" if d == 0 else format(d.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


#: characters that XML 1.0 cannot hold, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str, what: str) -> str:
    """`text`, an XML document, if every character is one XML 1.0 can hold; else an InputError
    that names the character and where it stands, rather than a file no reader opens."""
    bad = _NOT_XML.search(text)
    if bad is None:
        return text
    from alignment.errors import InputError

    line = text.count("\n", 0, bad.start()) + 1
    near = _NOT_XML.sub("?", text[max(0, bad.start() - 30):bad.start() + 10]).strip()
    raise InputError(f"{what} cannot hold the control character U+{ord(bad.group()):04X} that a "
                     f"text of the graph holds (line {line} of the output, near '{near}'); "
                     f"export as ttl, nt, nq, trig or jsonld, or correct the source text")


def graph_name(base: str | None = None) -> URIRef:
    """The named graph that N-Quads and TriG put the graph in."""
    return URIRef(base_iri(base) + "graph")


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
    # (alignment/graph/sequence.py)
    for n, el in zip(element_sequences(corpus), corpus.elements, strict=True):
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

    for n, link in zip(link_sequences(corpus), corpus.links, strict=True):
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
        g.add((s, SA.score, decimal(link.score)))
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


#: the terms of the JSON-LD @context: properties whose values are IRIs, English text or
#: decimals, so that each value is written bare ("id:HWB-4C", "Health and Wellbeing", "0.28")
_IRI_VALUED = ["dcterms:isVersionOf", "skos:broader", "skos:inScheme", "skos:topConceptOf",
               "skosxl:altLabel", "prov:entity", "prov:qualifiedDerivation",
               "prov:wasDerivedFrom", "sa:agent", "sa:document", "sa:partOf", "sa:plan",
               "sa:qualifiedAlignment", "sa:qualifiedResponsibility", "sa:references",
               "sa:responsible", "sa:serves", "sa:source", "sa:statement", "sa:strategy",
               "sa:target", "sa:variant", "rdfs:seeAlso"]
_ENGLISH = ["skos:prefLabel", "skos:altLabel", "skos:note", "skosxl:literalForm"]


def jsonld_context(base: str | None = None) -> dict[str, object]:
    """The @context of the JSON-LD export: the vocabularies' prefixes, prefixes for the
    graph's own nodes under `base` (id:, doc:, link:, derived:) and typed terms. The same
    for every graph built under one base (ontology/context.jsonld is the default base's)."""
    b = base_iri(base)
    ctx: dict[str, object] = {
        "dcterms": str(DCTERMS), "org": str(ORG), "prov": str(PROV), "rdf": str(RDF),
        "rdfs": str(RDFS), "sa": str(SA._NS), "skos": str(SKOS), "skosxl": str(SKOSXL),
        "xsd": str(XSD), "id": b + "id/", "doc": b + "doc/", "link": b + "link/",
        "derived": b + "prov/"}
    ctx.update({p: {"@type": "@id"} for p in _IRI_VALUED})
    ctx.update({p: {"@language": "en"} for p in _ENGLISH})
    ctx["sa:score"] = {"@type": "xsd:decimal"}
    return ctx


def _jsonld(g: Graph, base: str | None) -> str:
    """Compact JSON-LD, the same bytes on every run: nodes in the order of their @id, each
    property's values in a fixed order (a JSON-LD array of values is a set)."""
    import json

    ctx = jsonld_context(base)
    doc = json.loads(g.serialize(format="json-ld", context=ctx, auto_compact=True))

    def key(v: object) -> str:
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    def tidy(node: dict[str, object]) -> dict[str, object]:
        return {k: sorted(v, key=key) if isinstance(v, list) else v for k, v in node.items()}

    nodes = doc.get("@graph", [doc] if "@id" in doc else [])
    nodes = sorted((tidy({k: v for k, v in n.items() if k != "@context"}) for n in nodes),
                   key=lambda n: str(n.get("@id", "")))
    return json.dumps({"@context": ctx, "@graph": nodes}, indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def serialize(g: Graph, fmt: str, base: str | None = None) -> str:
    """The graph in an RDF format; N-Quads and TriG put it in its named graph (`graph_name`).
    Every format gives the same bytes for the same graph, run after run."""
    rdf_format = FORMATS[fmt][0]
    if rdf_format == "json-ld":
        return _jsonld(g, base)
    if rdf_format in {"nt", "nquads"}:
        if rdf_format == "nquads":
            name = graph_name(base).n3()
            lines = (f"{t[:-1]}{name} .\n" for t in g.serialize(format="nt").split("\n") if t)
        else:
            lines = (f"{t}\n" for t in g.serialize(format="nt").split("\n") if t)
        # one statement a line; split at line feeds only (a literal may hold U+2028 and the like)
        return "".join(sorted(lines))
    if rdf_format == "trig":
        from rdflib import Dataset

        ds = Dataset()
        for prefix, ns in g.namespaces():
            ds.bind(prefix, ns)
        named = ds.graph(graph_name(base))
        for t in g:
            named.add(t)
        return _turtle(ds, trig=True)
    if rdf_format == "turtle":
        return _turtle(g)
    if rdf_format == "xml":
        # rdflib writes RDF/XML in the order of its hash sets, which changes run to run;
        # Oxigraph writes the triples in the order given: sorted, a subject's together
        import pyoxigraph as ox

        triples = ox.parse(serialize(g, "nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        prefixes = {p: ns for p, ns in jsonld_context(base).items() if isinstance(ns, str)}
        text = ox.serialize(triples, format=ox.RdfFormat.RDF_XML,
                            prefixes=prefixes).decode("utf-8")
        # a carriage return in a text is written as a reference: an XML reader turns a raw one
        # into a line feed (the writer's own line ends are line feeds)
        return xml_safe(text.replace("\r", "&#13;"), "RDF/XML")
    return g.serialize(format=rdf_format)


def _turtle(g: Graph, trig: bool = False) -> str:
    """Turtle (or TriG) that writes a whole-number decimal as "1"^^xsd:decimal: rdflib's
    shorthand 1.0 reads back as the literal "1.0", which is not the canonical "1" a store
    holds."""
    import io

    from rdflib.plugins.serializers.trig import TrigSerializer
    from rdflib.plugins.serializers.turtle import TurtleSerializer

    class Canonical(TrigSerializer if trig else TurtleSerializer):  # type: ignore[misc]
        def label(self, node, position):  # type: ignore[no-untyped-def]
            if isinstance(node, Literal) and node.datatype == XSD.decimal and "." not in node:
                return node._literal_n3(use_plain=False,
                                        qname_callback=lambda dt: self.get_pname(dt, True))
            return super().label(node, position)

    buf = io.BytesIO()
    Canonical(g).serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")
