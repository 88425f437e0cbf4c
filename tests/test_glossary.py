"""The glossary: terms the documents define themselves, and glossary.yaml for the rest, each with
its source; shown in the evidence of a suggestion whose texts use a term."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.errors import InputError
from alignment.model import Corpus
from alignment.sources.glossary import defined_in, expand, load_glossary


def test_definitions_are_found_in_the_documents_with_their_line(corpus: Corpus) -> None:
    terms = {t.term: t for t in corpus.glossary}
    assert terms["AEB"].means == "Adult Education Budget"
    assert terms["AEB"].source.startswith("cp24:")
    assert terms["MASH"].means == "Multi-Agency Safeguarding Hub"
    assert terms["SEND"].means.lower().startswith("special educational needs")
    # what no document defines comes from the workspace's glossary.yaml, cited there
    assert terms["NEET"].where.startswith("glossary.yaml:")
    assert "Department for Education" in terms["NEET"].source


@pytest.mark.parametrize(("text", "found"), [
    ("Commission the Integrated Care Board (ICB) to lead", {"ICB": "Integrated Care Board"}),
    ("work with the voluntary, community and faith sector (VCFS) and",
     {"VCFS": "voluntary community and faith sector"}),
    ("Deliver the plan (2024) and the review (see above)", {}),
    ("the Local Enterprise Partnership's (LEP) funding", {"LEP": "Local Enterprise Partnership's"}),
    ("an ordinary phrase (OK) here", {}),
])
def test_a_definition_is_read_as_schwartz_and_hearst_read_it(text: str, found: dict) -> None:  # type: ignore[type-arg]
    got = {t.term: t.means for t in defined_in([(text, "doc:1")])}
    assert got == found


def test_a_term_is_read_with_its_meaning_unless_the_text_gives_it(corpus: Corpus) -> None:
    terms = {t.term: t for t in corpus.glossary}
    text, used = expand("Reduce the number of NEET young people", terms)
    assert "NEET (young people not in education, employment or training)" in text
    assert [t.term for t in used] == ["NEET"]
    same = "Young people not in education, employment or training (NEET)"
    assert expand(same, terms) == (same, [])
    # a word that contains a term is not the term
    assert expand("ZNEETS", terms) == ("ZNEETS", [])


def test_a_suggestion_says_which_terms_it_read(corpus: Corpus) -> None:
    lk = next(lk for lk in corpus.links if lk.id == "CP24-PEOPLE-15.similarity.HWB-4A")
    assert "SEND means special educational needs and disabilities (cp24:" in lk.evidence


def test_a_glossary_with_a_term_twice_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  - {term: AEB, means: Adult Education Budget, source: gov.uk}\n"
                    "  - {term: AEB, means: Another, source: gov.uk}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"glossary.yaml:3: 'AEB' is already defined at "):
        load_glossary(path)
    path.write_text("terms:\n  - {term: AEB, source: gov.uk}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"glossary.yaml:2: .*means"):
        load_glossary(path)
