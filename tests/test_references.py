"""Named strategies: explicit `references` links from the registry, most specific alias first."""

from __future__ import annotations

import pytest

from alignment.model import Corpus
from alignment.sources.registry import Registry
from alignment.sources.workspace import Workspace


def refs(corpus: Corpus, source: str) -> set[str]:
    return {lk.target for lk in corpus.links if lk.source == source and lk.kind == "references"}


@pytest.mark.parametrize(("source", "targets"), [
    pytest.param("CP24-PEOPLE-9", {"STRAT-HWB"}, id="people-9-hwb-strategy"),
    pytest.param("CP24-PEOPLE-D", {"STRAT-BRIGHTER-FUTURES"}, id="people-d-brighter-futures"),
    pytest.param("CP24-PEOPLE-3", {"STRAT-BCT-CASE-FOR-CHANGE"}, id="case-for-change"),
    pytest.param("CP24-PEOPLE-21", {"STRAT-THAMES-FREEPORT"}, id="freeport"),
    pytest.param("CP24-PLACE-12", set(), id="accountable-body-is-not-the-strategy"),
    pytest.param("CP24-PLACE-14", set(), id="growth-board-is-not-the-strategy"),
    pytest.param("CP24-PLACE-13", {"STRAT-THAMES-ESTUARY"}, id="thames-estuary"),
    pytest.param("CP14-P4-O1-D4", {"STRAT-BETTER-CARE-FUND"}, id="better-care-fund-not-bct"),
    pytest.param("CP24-PLACE-5", {"STRAT-LOCAL-TRANSPORT-PLAN"}, id="transport-plan-not-local-plan"),
    pytest.param("HWB-4A", {"STRAT-BRIGHTER-FUTURES", "STRAT-THAMES-FREEPORT"}, id="hwb-4a"),
    pytest.param("HWB-4B", {"STRAT-BACKING-THURROCK"}, id="hwb-4b"),
    pytest.param("HWB-4C", {"STRAT-BACKING-THURROCK", "STRAT-THAMES-FREEPORT",
                            "STRAT-WORK-HEALTH-JSNA"}, id="hwb-4c"),
])
def test_references(corpus: Corpus, source: str, targets: set[str]) -> None:
    assert refs(corpus, source) == targets


def test_reference_evidence_quotes_the_phrase_and_its_line(corpus: Corpus) -> None:
    link = next(lk for lk in corpus.links if lk.id == "CP24-PEOPLE-9.references.STRAT-HWB")
    assert link.evidence == "its title names 'HWB Strategy'"
    assert (link.provenance.document, link.provenance.line_start) == ("cp24", 376)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("- Health & Well Being O&S", [], id="scrutiny-committee"),
    pytest.param("Thurrock Health and Wellbeing Board", [], id="board"),
    pytest.param("through the Better Care Fund Delivery Plan", ["STRAT-BETTER-CARE-FUND"],
                 id="fund-plan"),
    pytest.param("the Better Care Together Thurrock Strategy", ["STRAT-BCT"], id="bct"),
    pytest.param("our IRP outcomes; the irp team", ["STRAT-IRP"], id="acronym-case"),
])
def test_matcher(bundled: Workspace, text: str, expected: list[str]) -> None:
    registry = Registry.load(bundled.path("registry.yaml"))
    assert [m.target for m in registry.find(text) if m.target] == expected


def test_the_first_word_check_finds_what_every_pattern_finds(corpus: Corpus,
                                                              bundled: Workspace) -> None:
    """A registry runs only the patterns whose name's first word a text holds: it finds the
    same names as running every pattern, in the seeds and in texts cased, quoted and spelt
    awkwardly."""
    registry = Registry.load(bundled.path("registry.yaml"))
    every = Registry.load(bundled.path("registry.yaml"))
    every._needles = [("", exact) for _, exact in every._needles]  # no text is passed over
    texts = [t for e in corpus.elements for t in [e.label, *(s.text for s in e.statements)]]
    texts += ["THE HEALTH AND WELLBEING STRATEGY", "the brighter futures strategy",
              "Thurrock\u2019s Backing Thurrock roadmap", "BCT", "bct", "Brighter  Futures",
              "caf\u00e9 Brighter Futures \u0130stanbul"]
    found = [registry.find(t) for t in texts]
    assert found == [every.find(t) for t in texts]
    assert sum(1 for f in found if f) > 50
