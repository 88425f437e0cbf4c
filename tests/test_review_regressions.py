"""Regression tests, one per fault found in review: each named after what broke."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli.app import app


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100", **(env or {})})
    return r.exit_code, r.stdout, r.stderr


def clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


def test_add_link_refuses_a_post_self_links_and_repeats(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    clean_error(*run(*w, "add-link", "POST-ACE", "HWB-4C")[::2], "is a post or team")
    clean_error(*run(*w, "add-link", "HWB-4C", "HWB-4C")[::2], "to itself")
    clean_error(*run(*w, "add-link", "CP24-PEOPLE-9", "HWB-4C")[::2], "already an asserted link")
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
    assert rows[-1]["link"] == weak["link"] and rows[0]["status"] == "suggested"
    code, out, _ = run(*w, "review", "4C", "--limit", "3")
    assert f"{len(rows)} suggestions, {len(rows) - 1} to decide, 1 decided" in out


def test_filters_take_any_case_and_a_domain_gets_a_pointer(ws: Path) -> None:
    w = ["--workspace", str(ws)]
    lower = run(*w, "serves", "4C", "--kind", "explicit", "--status", "asserted")[1]
    assert run(*w, "serves", "4C", "--kind", "Explicit", "--status", "ASSERTED")[1] == lower
    code, out, err = run(*w, "serves", "HWB-4")
    assert code == 0 and "0 links" in out
    assert "HWB-4 is a domain: links serve its goals (HWB-4A, HWB-4B, HWB-4C, HWB-4D)" in err
    code, out, err = run(*w, "why", "HWB-4C-A1", "HWB-4")
    assert "never passes through one" in out


def test_an_unwritable_output_names_the_file(tmp_path: Path) -> None:
    clean_error(*run("matrix", "--out", "/proc/m.xlsx")[::2], "/proc/m.xlsx: cannot write here")
    (tmp_path / "afile").write_text("x")
    clean_error(*run("matrix", "--out", str(tmp_path / "afile" / "sub" / "m.csv"))[::2],
                f"{tmp_path / 'afile'} is a file, not a folder")


def test_supports_names_the_other_end_of_a_continuity_link() -> None:
    rows = json.loads(run("supports", "CP14-P3-O2-D3", "--format", "json")[1])
    cont = [r for r in rows if r["kind"] == "continuity"]
    assert cont and all(r["id"] == "CP24-ENABLING-18" for r in cont)


def test_a_map_written_into_the_workspace_leaves_the_store_current(ws: Path) -> None:
    from alignment.sources.workspace import Workspace
    from alignment.store.builds import is_current

    assert run("--workspace", str(ws), "build")[0] == 0
    assert run("--workspace", str(ws), "map", "4C", "--out", str(ws / "map.html"))[0] == 0
    assert is_current(Workspace(ws, writable=True))


def test_the_base_is_part_of_the_stamp(ws: Path) -> None:
    from alignment.sources.workspace import Workspace
    from alignment.store.builds import is_current

    assert run("--workspace", str(ws), "build", env={"ALIGN_BASE": "https://example.org/x/"})[0] == 0
    assert not is_current(Workspace(ws, writable=True))  # queried without that base
    rows = json.loads(run("--workspace", str(ws), "serves", "4C", "--format", "json")[1])
    assert len(rows) > 20


def test_output_to_a_folder_and_init_on_a_file_are_clear_errors(tmp_path: Path) -> None:
    clean_error(*run("export", "--out", str(tmp_path))[::2], "is a folder")
    clean_error(*run("map", "4C", "--out", str(tmp_path))[::2], "is a folder")
    (tmp_path / "afile").write_text("x")
    clean_error(*run("init", str(tmp_path / "afile"))[::2], "is a file")
    clean_error(*run("init", str(tmp_path / "afile" / "sub"))[::2], "is a file")


def test_a_bad_base_is_a_clear_error() -> None:
    clean_error(*run("export", "--base", "not a base", "-f", "nt")[::2], "not an absolute IRI")


def test_sparql_update_on_the_built_store_and_a_bad_endpoint_are_clear_errors(ws: Path) -> None:
    assert run("--workspace", str(ws), "build")[0] == 0
    clean_error(*run("--workspace", str(ws), "sparql", "INSERT DATA { <a:b> <a:c> <a:d> }",
                     "--allow-update")[::2], "only through 'align build'")
    clean_error(*run("sparql", "links-by-kind", "--endpoint", "notaurl")[::2], "not an http")


@pytest.mark.parametrize(("name", "text", "needle"), [
    pytest.param("decisions.yaml", "decisions: 5\n", "'decisions' must be a list", id="decisions"),
    pytest.param("registry.yaml", "- a\n", "expected a mapping", id="registry-list"),
    pytest.param("registry.yaml", "posts: 5\n", "'posts' must be a list", id="registry-posts"),
    pytest.param("corrections.yaml", "corrections: 5\n", "'corrections' must be a list",
                 id="corrections"),
    pytest.param("manifest.yaml", "plans: 5\ndocuments: []\n", "'plans' must be a list",
                 id="manifest"),
])
def test_curated_files_of_the_wrong_shape(ws: Path, name: str, text: str, needle: str) -> None:
    (ws / name).write_text(text)
    clean_error(*run("--workspace", str(ws), "build")[::2], name, needle)


def test_decision_dates_by_hand(ws: Path) -> None:
    entry = "  - {source: CP24-PEOPLE-1, target: HWB-4C, decision: accept, by: a, date: %s}\n"
    (ws / "decisions.yaml").write_text("decisions:\n" + entry % "2024-01-01")
    assert run("--workspace", str(ws), "decisions")[0] == 0
    (ws / "decisions.yaml").write_text("decisions:\n" + entry % "notadate")
    clean_error(*run("--workspace", str(ws), "decisions")[::2], "not a date")


def test_serves_kind_references_without_a_store() -> None:
    code, out, _ = run("serves", "STRAT-THAMES-FREEPORT", "--kind", "references", "--format", "json")
    assert code == 0 and json.loads(out)


def test_empty_strategy_label_is_refused(ws: Path) -> None:
    path = ws / "registry.yaml"
    path.write_text(path.read_text().replace("label: Local Plan", "label: ''"))
    clean_error(*run("--workspace", str(ws), "build")[::2], "STRAT-LOCAL-PLAN", "empty label")


@pytest.mark.parametrize("args", [
    pytest.param(["review", "4C", "--limit", "-1"], id="negative-limit"),
    pytest.param(["serves", "4C", "--min-score", "nan"], id="nan-score"),
    pytest.param(["serves", "4C", "--min-score", "5"], id="score-above-1"),
    pytest.param(["list", "--type", "nope"], id="unknown-type"),
    pytest.param(["list", "--plan", "nope"], id="unknown-plan"),
    pytest.param(["matrix", "--plan", "zzz"], id="matrix-unknown-plan"),
    pytest.param(["list", "--post", ""], id="empty-post"),
    pytest.param(["why", "4C", "hwb 4c"], id="same-element"),
    pytest.param(["--workspace", "", "list"], id="empty-workspace"),
])
def test_bad_values_are_errors_not_silence(args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in err


def test_search_matches_word_starts_not_fragments() -> None:
    hits = {r["id"] for r in json.loads(run("search", "apprentice", "--format", "json")[1])}
    assert "CP14-P5-O3-D4" in hits  # "apprenticeship scheme"
    art = {r["id"] for r in json.loads(run("search", "art", "--format", "json")[1])}
    assert "CP24-PEOPLE-9" not in art  # "partners" is not a word starting with "art"


def test_map_takes_one_centre(tmp_path: Path) -> None:
    clean_error(*run("map", "4C", "--strategy", "Thames Freeport", "--out",
                     str(tmp_path / "m.html"))[::2], "one centre")


def test_the_matrix_fits_an_80_column_terminal() -> None:
    r = CliRunner().invoke(app, ["matrix"], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    row = next(line for line in lines if line.split()[:1] == ["CP24-PEOPLE-21"])
    # whole IDs, and a suggestion marked as one
    assert re.fullmatch(r"CP24-PEOPLE-21 +exp \.90 +sim \.\d\d\? +exp \.90 +sim \.\d\d\? +4/2",
                        row.strip()), row
    assert any(line.split()[:1] == ["CP14-WRO-CUSTOMERS-D1"] for line in lines)


def test_file_outputs_refuse_a_type_they_cannot_write(tmp_path: Path) -> None:
    clean_error(*run("map", "4C", "--out", str(tmp_path / "map.txt"))[::2],
                "give a file name ending in .html")
    clean_error(*run("matrix", "--out", str(tmp_path / "m.csv"), "--format", "json")[::2],
                "the file's type follows its name")
    assert not list(tmp_path.iterdir())


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
