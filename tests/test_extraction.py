"""Extraction of the five real documents, pinned: counts, IDs, opening words, provenance."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from alignment.model import Corpus, ElementType
from alignment.sources.decode import read_source
from alignment.sources.workspace import Workspace
from alignment.text import normalise

GOLDEN = Path(__file__).parent / "golden" / "elements.tsv"
JUDGMENTS = Path(__file__).parent.parent / "data" / "eval" / "cp14_hwb4_judgments.tsv"


def count(corpus: Corpus, type_: ElementType, prefix: str) -> int:
    return sum(1 for e in corpus.elements if e.type == type_ and e.id.startswith(prefix))


@pytest.mark.parametrize(("type_", "prefix", "expected"), [
    pytest.param(ElementType.OUTCOME, "CP24-", 3, id="cp24-outcomes"),
    pytest.param(ElementType.STRATEGIC_OBJECTIVE, "CP24-ENABLING-", 3, id="cp24-enabling-so"),
    pytest.param(ElementType.STRATEGIC_OBJECTIVE, "CP24-PEOPLE-", 4, id="cp24-people-so"),
    pytest.param(ElementType.STRATEGIC_OBJECTIVE, "CP24-PLACE-", 4, id="cp24-place-so"),
    pytest.param(ElementType.PRIORITY, "CP24-ENABLING-", 6, id="cp24-enabling-priorities"),
    pytest.param(ElementType.PRIORITY, "CP24-PEOPLE-", 5, id="cp24-people-priorities"),
    pytest.param(ElementType.PRIORITY, "CP24-PLACE-", 6, id="cp24-place-priorities"),
    pytest.param(ElementType.DELIVERABLE, "CP24-ENABLING-", 18, id="cp24-enabling-deliverables"),
    pytest.param(ElementType.DELIVERABLE, "CP24-PEOPLE-", 23, id="cp24-people-deliverables"),
    pytest.param(ElementType.DELIVERABLE, "CP24-PLACE-", 16, id="cp24-place-deliverables"),
    pytest.param(ElementType.PRIORITY, "CP14-", 5, id="cp14-priorities"),
    pytest.param(ElementType.OBJECTIVE, "CP14-", 15, id="cp14-objectives"),
    pytest.param(ElementType.DELIVERABLE, "CP14-P", 88, id="cp14-priority-deliverables"),
    pytest.param(ElementType.STRAND, "CP14-WRO-", 3, id="cp14-strands"),
    pytest.param(ElementType.DELIVERABLE, "CP14-WRO-", 13, id="cp14-foundation-deliverables"),
    pytest.param(ElementType.PROGRAMME, "CP14-", 5, id="cp14-programmes"),
    pytest.param(ElementType.SUB_ITEM, "CP14-P1-O1-D1-", 6, id="cp14-education-commission"),
    pytest.param(ElementType.DOMAIN, "HWB-", 1, id="hwb-domain"),
    pytest.param(ElementType.GOAL, "HWB-", 4, id="hwb-goals"),
    pytest.param(ElementType.ACTION, "HWB-4A-", 10, id="hwb-4a-actions"),
    pytest.param(ElementType.ACTION, "HWB-4B-", 8, id="hwb-4b-actions"),
    pytest.param(ElementType.ACTION, "HWB-4C-", 10, id="hwb-4c-actions"),
    pytest.param(ElementType.ACTION, "HWB-4D-", 9, id="hwb-4d-actions"),
    pytest.param(ElementType.MILESTONE, "HWB-4A-", 5, id="hwb-4a-year-one"),
    pytest.param(ElementType.MILESTONE, "HWB-4B-", 2, id="hwb-4b-year-one"),
    pytest.param(ElementType.MILESTONE, "HWB-4C-", 8, id="hwb-4c-year-one"),
    pytest.param(ElementType.MILESTONE, "HWB-4D-", 4, id="hwb-4d-year-one"),
])
def test_counts(corpus: Corpus, type_: ElementType, prefix: str, expected: int) -> None:
    assert count(corpus, type_, prefix) == expected


def _golden() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_golden_file_is_whole(corpus: Corpus) -> None:
    """Every element but the plans is in the golden file, and nothing else is."""
    ids = [e.id for e in corpus.elements if e.type != ElementType.PLAN]
    assert [r["id"] for r in _golden()] == ids


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"]) for r in _golden()])
def test_element_matches_golden(corpus: Corpus, row: dict[str, str]) -> None:
    el = corpus.element_index()[row["id"]]
    assert el.type.value == row["type"]
    assert str(el.parent) == row["parent"]
    assert " ".join(el.label.split()[:7]) == row["opening words"]


def _judged() -> list[dict[str, str]]:
    with JUDGMENTS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_judgments_cover_exactly_the_2014_deliverables(corpus: Corpus) -> None:
    ours = {e.id for e in corpus.elements
            if e.type == ElementType.DELIVERABLE and e.plan == "CP14"}
    assert ours == {r["id"] for r in _judged()}


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"]) for r in _judged()])
def test_2014_deliverable_text_and_lead_agree_with_judgments(corpus: Corpus,
                                                             row: dict[str, str]) -> None:
    """The annotators' copy of each deliverable (an independent reading) starts like ours, and
    names the same lead teams."""
    el = corpus.element_index()[row["id"]]
    assert normalise(row["text"]).startswith(normalise(el.label).rstrip(":"))
    teams = {a.label for a in corpus.agents if a.id in el.responsible}
    assert teams == {t.strip() for t in row["lead"].split("/") if t.strip()}


def test_every_provenance_text_is_at_its_lines(corpus: Corpus, bundled: Workspace) -> None:
    sources = {d.id: read_source(bundled, d) for d in corpus.documents}
    checked = 0
    provs = [p for e in corpus.elements for p in e.provenance]
    provs += [s.provenance for e in corpus.elements for s in e.statements]
    provs += [p for a in corpus.agents for p in a.provenance]
    provs += [lk.provenance for lk in corpus.links]
    for p in provs:
        span = "\n".join(sources[p.document].lines[p.line_start - 1: p.line_end])
        for part in p.text.split("\n"):
            assert part and part in span, (p.document, p.line_start, part)
            checked += 1
    assert checked >= 600  # every element, statement, agent and link


def test_every_element_has_provenance(corpus: Corpus) -> None:
    assert all(e.provenance for e in corpus.elements)


def test_web_versions_merge_into_the_full_plan(corpus: Corpus) -> None:
    people = [e for e in corpus.elements if e.id.startswith("CP24-PEOPLE-")
              and e.type == ElementType.DELIVERABLE]
    assert len(people) == 23
    for el in people:
        assert {p.document for p in el.provenance} == {"cp24", "cp24-people-web"}
    enabling = [e for e in corpus.elements if e.id.startswith("CP24-ENABLING-")
                and e.type == ElementType.DELIVERABLE]
    assert all({p.document for p in e.provenance} == {"cp24", "cp24-enabling-web"}
               for e in enabling)
    place = [e for e in corpus.elements if e.id.startswith("CP24-PLACE-")]
    assert all({p.document for p in e.provenance} == {"cp24"} for e in place)


def test_label_is_the_full_plans_wording(corpus: Corpus) -> None:
    el = corpus.element_index()["CP24-PEOPLE-1"]
    assert "the elderly people with learning disabilities" in el.label
    assert [v.document for v in el.variants] == ["cp24-people-web"]
    assert "the elderly, learning disabilities" in el.variants[0].text


def test_priority_b_bullets_differ_between_versions(corpus: Corpus) -> None:
    el = corpus.element_index()["CP24-PEOPLE-B"]
    fields = {v.field: v.text for v in el.variants}
    assert fields == {"capability[1]": "collaboration and engagement."}


@pytest.mark.parametrize(("id_", "statements"), [
    pytest.param("CP24-PEOPLE", {"policy_outcome": 1, "objectives_lead": 1, "benefit": 3},
                 id="people-outcome"),
    pytest.param("CP24-PLACE", {"policy_outcome": 1, "objectives_lead": 1, "benefit": 4},
                 id="place-outcome"),
    pytest.param("CP24-ENABLING-A", {"capability": 3}, id="enabling-a-capabilities"),
    pytest.param("HWB-4A", {"achieve": 1, "challenge": 3, "approach": 4}, id="hwb-4a"),
    pytest.param("HWB-4C", {"achieve": 1, "challenge": 5, "approach": 1}, id="hwb-4c"),
    pytest.param("HWB-4", {"aim": 2, "achieve": 4, "levelling": 8}, id="hwb-domain"),
])
def test_statements(corpus: Corpus, id_: str, statements: dict[str, int]) -> None:
    el = corpus.element_index()[id_]
    assert dict(Counter(s.kind for s in el.statements)) == statements


def test_shifted_rows_page_break_and_html_list(corpus: Corpus) -> None:
    idx = corpus.element_index()
    assert idx["CP14-P1-O2-D6"].label.startswith("Use the regeneration of Seabrooke Rise")
    assert idx["CP14-P2-O2-D9"].label.startswith("Analyse sector based skills shortages")
    assert idx["CP14-P1-O3-D9"].label.startswith("Increase Thurrock's capacity to provide")
    d8 = idx["CP14-P1-O3-D8"]
    assert d8.label.endswith("is a barrier; provide support and training to Family Support "
                             "Workers in schools and facilitate joint professional development")
    assert (d8.provenance[0].line_start, d8.provenance[0].line_end) == (53, 55)
    assert "<ul" not in idx["CP14-P1-O1-D1"].label


def test_year_one_run_on_lines_split(corpus: Corpus) -> None:
    idx = corpus.element_index()
    assert idx["HWB-4C-M4"].label == ("Tilbury Community Led Community Development project "
                                      "awarded 62 grants. Under evaluation")
    assert idx["HWB-4D-M1"].label.startswith("Business survey undertaken")
    assert not any("Creating a vibrant" in idx[f"HWB-4D-M{i}"].label for i in range(1, 5))
