"""The graph a build writes straight into the store: the triples of the rdflib view
(`to_rdf`), written as N-Triples without it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from alignment.graph.ntriples import prefixes, to_ntriples
from alignment.graph.rdf import to_rdf
from alignment.model import Corpus

#: texts a literal must carry unchanged
AWKWARD = ["a\r\nb", "a\rb", "\tindented  ", " x", "<b>&amp;</b>", "line\u2028sep",
           "\"quoted\" 'both'", "ends with \\", "control \x01 char", "emoji \U0001f3d7\ufe0f"]


def _triples(data: bytes) -> set[ox.Triple]:
    return set(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def _awkward(corpus: Corpus) -> Corpus:
    """The bundled corpus with awkward text in labels, statements, evidence and provenance."""
    c = corpus.model_copy(deep=True)
    for k, text in enumerate(AWKWARD):
        el = c.elements[10 + k]
        el.label = text
        el.provenance[0].text = text
        el.provenance[0].locator = text
        el.due = text
        for st in el.statements:
            st.text = text
        c.links[k].evidence = text
        c.links[k].decision = "accept"
    c.documents[0].url = "https://example.org/plan?a=1&b=2"
    c.agents[0].aliases.append("A second name")
    c.strategies[0].note = "A note \"quoted\""
    return c


@pytest.mark.parametrize("awkward", [False, True], ids=["seeds", "awkward-text"])
def test_the_ntriples_hold_the_rdflib_views_triples(corpus: Corpus, awkward: bool) -> None:
    c = _awkward(corpus) if awkward else corpus
    expected = _triples(to_rdf(c).serialize(format="nt", encoding="utf-8"))
    written = _triples(to_ntriples(c))
    assert len(written) > 16_000
    assert written == expected, (sorted(map(str, written - expected))[:3],
                                 sorted(map(str, expected - written))[:3])


def test_the_ntriples_hold_no_blank_node_and_follow_the_base(corpus: Corpus) -> None:
    written = _triples(to_ntriples(corpus, "https://example.org/council/"))
    assert not [t for t in written if isinstance(t.subject, ox.BlankNode)
                or isinstance(t.object, ox.BlankNode)]
    assert ox.NamedNode("https://example.org/council/id/HWB-4C") in {t.subject for t in written}


def test_the_turtle_prefixes_are_the_rdflib_views(corpus: Corpus) -> None:
    g = to_rdf(corpus, "https://example.org/council/")
    assert prefixes("https://example.org/council/") == \
        {p: str(ns) for p, ns in g.namespaces() if p}


@pytest.mark.parametrize("url", ["https://example.org/a plan", "https://example.org/<b>",
                                 "example.org/plan"])
def test_a_document_address_the_graph_cannot_hold_is_refused_at_its_line(
        ws, url: str) -> None:  # type: ignore[no-untyped-def]
    """A url that no N-Triples or Turtle can hold stopped the build with a traceback; it is a
    one-line error naming the manifest's line, and nothing is written."""
    from alignment.errors import InputError
    from alignment.pipeline import building as api
    from alignment.sources.workspace import Workspace

    manifest = ws / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("    layout: delivery-plan-table\n",
                                     f"    layout: delivery-plan-table\n    url: \"{url}\"\n", 1),
                        encoding="utf-8")
    line = manifest.read_text(encoding="utf-8").splitlines().index(f"    url: \"{url}\"") + 1
    with pytest.raises(InputError, match=f"manifest.yaml:{line}: document 'cp14' has url"):
        api.build(Workspace(ws, writable=True))
    assert not (ws / ".align" / "current").exists()
