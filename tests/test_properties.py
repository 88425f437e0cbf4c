"""Properties, with generated input (hypothesis):

- every parser, given any lines (grammar fragments of its layout mixed with arbitrary text),
  returns a result or raises one of the engine's errors, never another exception;
- reading any bytes as a source gives lines or one of the engine's errors;
- any text in the model survives model -> RDF -> every serialisation the project writes -> parse
  as an isomorphic graph, and model -> corpus.json -> model as an equal model.

The round trip stops at the graph, not back at the model: the engine never reads its RDF back
(queries read the store, the model comes from corpus.json), so a reader from RDF would be code
written only for a test. What the engine does read back, corpus.json, is checked for equality.

`make test` tries 60 examples per property; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) tries 3,000.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from alignment.errors import AlignError, InputError
from alignment.graph.rdf import FORMATS, graph_name, serialize, to_rdf
from alignment.model import Corpus, Document, Link, Provenance
from alignment.readers import BUILTIN_LAYOUTS as LAYOUTS
from alignment.readers import extract
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText, read_source
from alignment.sources.workspace import Workspace

# hypothesis profiles ('ci', and 'fuzz' for make fuzz) are registered in conftest.py

#: lines each layout's grammar knows, so that generated documents reach deep into the parsers
GRAMMAR = {
    "corporate-plan-2024": [
        "A Fresh Start", "People", "Our policy outcome", "Our strategic objectives",
        "What this will do for residents is:", "Our priorities for people", "A. Good homes",
        "B. Care", "What we will need to do well is:", "Responsible Directors:",
        "Directors responsible:", "What we will deliver", "Number\tWhat we will deliver",
        "1\tDeliver homes", "2. Build schools", "2. Build schools again", "3 Repair roads",
        "- Executive Director of Place", "\u2022 Chief Finance Officer", "continued text",
        "Delivering our Plan", "Corporate Plan pages"],
    "delivery-plan-table": [
        "PRIORITY 1 - Create a great place", "PRIORITY 2 \u2013 Build pride",
        "Objective\tDeliverable\tLead Team", "Grow jobs\tOpen a centre\tRegeneration",
        "\tRun a fair\tHousing / Adult Social Care", "Open a market\tRegeneration",
        "continued on the next page", "* a note", "Foundation\tStrand\tDeliverable",
        "Well run organisation\tStaff\tTrain staff", "\t\tAppraise staff",
        "Our transformation programmes:", "- Digital - online services;",
        "Deliver <ul><li> o one o two </ul>", "a\tb\tc\td\te", "\t\t\t"],
    "hwb-domain": [
        "Domain 4, Opportunity for All.", "Domain 4. Aims and ambitions", "Domain 4 Opportunity",
        "Four domain goals", "4A Improve skills", "4B Grow jobs", "Goal 4A. Improve skills",
        "Goal 4B. Grow jobs", "What we want to achieve", "Some key challenges",
        "How we will achieve this goal", "- Run a scheme", "\u2022 Fund a project",
        "How this Domain levels the playing field", "Domain 4, Opportunity for All. Key deliverables",
        "4A Improve skills Run courses", "4B Grow jobs", "A milestone"],
}


def _document(layout: str) -> Document:
    return Document(id="gen", file="sources/gen.txt", plan="GEN", layout=layout, title="Generated",
                    publisher="Test", period="2026", kind="test", sha256="0" * 64)


def _lines(layout: str) -> st.SearchStrategy[list[str]]:
    line = st.one_of(st.sampled_from(GRAMMAR[layout]),
                     st.text(st.characters(blacklist_categories=["Cs"]), max_size=80),
                     st.builds(lambda n, t: f"{n}. {t}", st.integers(0, 999), st.text(max_size=30)),
                     st.builds(lambda a, b: f"{a}\t{b}", st.text(max_size=20), st.text(max_size=20)))
    return st.lists(line, max_size=60)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_parser_returns_a_result_or_an_engine_error(layout: str) -> None:
    @given(lines=_lines(layout))
    def prop(lines: list[str]) -> None:
        src = SourceText(_document(layout), Path("gen.txt"), lines)
        try:
            result = extract(src, Corrections([]))
        except AlignError as exc:
            assert "\n" not in str(exc)  # one line
            return
        assert result.elements
        for el in result.elements:
            for p in el.provenance:
                assert 1 <= p.line_start <= p.line_end <= len(lines)

    prop()


_TMP = tempfile.TemporaryDirectory(prefix="align-properties-")


@given(data=st.one_of(st.binary(max_size=400),
                      st.text(max_size=200).map(lambda t: t.encode("utf-8")),
                      st.text(max_size=200).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")
                                                .replace(b"\n", b"\r\n"))))
def test_reading_any_bytes_gives_lines_or_an_engine_error(data: bytes) -> None:
    root = Path(_TMP.name)
    (root / "sources").mkdir(exist_ok=True)
    (root / "sources" / "gen.txt").write_bytes(data)
    doc = _document("hwb-domain").model_copy(update={"sha256": hashlib.sha256(data).hexdigest()})
    try:
        src = read_source(Workspace(root, writable=True), doc)
    except AlignError as exc:
        assert str(exc).startswith(str(root / "sources" / "gen.txt"))
        assert "\n" not in str(exc)
        return
    text = "\n".join(src.lines)
    assert text.strip()
    assert not any(c in text for c in "\x00\x07\x1b\r")  # controls are read as spaces


#: any text a document, a curated file or an officer's reason could hold (no lone surrogates,
#: which UTF-8 cannot encode and so no file can hold)
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60)


@pytest.mark.slow  # RDF parsed back in every format, for each example
@given(label=TEXT, statement=TEXT, evidence=TEXT, alias=TEXT)
def test_any_text_round_trips_through_every_rdf_format_and_the_corpus_json(
        small_corpus: Corpus, label: str, statement: str, evidence: str, alias: str) -> None:
    corpus = small_corpus.model_copy(deep=True)
    el = corpus.elements[1]
    el.label = label
    el.statements[0].text = statement
    el.provenance[0] = el.provenance[0].model_copy(update={"text": statement})
    corpus.agents[0].aliases.append(alias)
    corpus.links.append(Link(id=f"{el.id}.curated.{corpus.elements[2].id}", source=el.id,
                             target=corpus.elements[2].id, kind="curated", evidence=evidence,
                             provenance=Provenance(document=corpus.documents[0].id, line_start=1,
                                                   line_end=1, text=evidence)))
    graph = to_rdf(corpus)
    texts = label + statement + evidence + alias
    for fmt, (rdf_format, _) in FORMATS.items():
        if fmt == "xml" and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", texts):
            with pytest.raises(InputError, match="RDF/XML cannot hold the control character"):
                serialize(graph, fmt)  # XML 1.0 cannot hold it: refused, not written broken
            continue
        text = serialize(graph, fmt)
        if fmt in {"nq", "trig"}:  # in the named graph
            ds = Dataset()
            ds.parse(data=text, format=rdf_format)
            again = ds.graph(graph_name())
        else:
            again = Graph().parse(data=text, format=rdf_format)
        assert isomorphic(graph, again), fmt
    assert Corpus.model_validate_json(corpus.model_dump_json()).model_dump() == corpus.model_dump()


@pytest.fixture(scope="module")
def small_corpus(corpus: Corpus) -> Corpus:
    """A few elements of the bundled corpus, with statements, an agent and a document."""
    keep = [e for e in corpus.elements if e.id in {"HWB", "HWB-4", "HWB-4C"}]
    assert len(keep) == 3 and keep[1].statements
    agent = next(a for a in corpus.agents if a.id == "POST-ED-PLACE")
    return Corpus(plans=[p for p in corpus.plans if p.id == "HWB"],
                  documents=[d for d in corpus.documents if d.plan == "HWB"],
                  elements=keep, agents=[agent], strategies=[], links=[])
