"""`align serves`: one path, from the graph's Oxigraph store (the built one, or one built in
memory when the store is stale or absent), through the function the named query shares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli.app import app

#: libraries that answering `serves` from a built store needs none of
HEAVY = ["rdflib", "networkx", "sklearn", "numpy", "pyshacl", "pyvis", "openpyxl",
         "alignment.links.linking", "alignment.graph.rdf"]


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("serves") / "ws"
    assert cli("init", str(root))[0] == 0
    assert cli("--workspace", str(root), "build")[0] == 0
    yield root


def _probe(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    probe = ("import sys\n"
             f"sys.argv = ['align', '--workspace', {str(ws)!r}, *{list(args)!r}]\n"
             "from alignment.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n")
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ws,
                          env={"COLUMNS": "100", "PATH": "", **{
                              k: v for k, v in os.environ.items() if k == "ALIGN_CACHE_DIR"}})


def test_a_new_process_answers_from_the_store_without_any_heavy_library(ws: Path) -> None:
    r = _probe(ws, "serves", "HWB-4C")
    assert "LOADED []" in r.stderr, r.stderr
    assert r.stdout == cli("--workspace", str(ws), "serves", "HWB-4C")[1]
    assert r.stdout.startswith("HWB-4C: ")


def test_the_json_rows_carry_the_documented_fields(ws: Path) -> None:
    rows = json.loads(cli("--workspace", str(ws), "serves", "HWB-4C", "--parts", "--format",
                          "json")[1])
    assert {"id", "type", "label", "plan", "link", "kind", "score", "status", "evidence",
            "source", "group", "ended", "via"} <= set(rows[0])
    assert {r["kind"] for r in rows} >= {"structural", "explicit"}
    # without --parts, the goal's own actions and milestones are left out, and said so
    code, out, _ = cli("--workspace", str(ws), "serves", "HWB-4C")
    assert "structural" not in out and "its own 18 actions and milestones: --parts" in out


@pytest.mark.parametrize("args", [
    pytest.param(["4C"], id="goal"),
    pytest.param(["hwb goal 4a", "--kind", "similarity", "--min-score", "0.06"], id="filtered"),
    pytest.param(["STRAT-THAMES-FREEPORT"], id="strategy"),
    pytest.param(["4D", "--plan", "CP14"], id="plan"),
    pytest.param(["4C", "--status", "suggested"], id="status"),
])
def test_a_built_store_and_a_build_in_memory_give_the_same_answer(ws: Path,
                                                                  args: list[str]) -> None:
    """The bundled data, read-only, has no store: it is answered from a build in memory."""
    built = cli("--workspace", str(ws), "serves", *args, "--format", "json")
    memory = cli("serves", *args, "--format", "json")
    assert built[0] == 0, built[2]
    assert json.loads(built[1]) == json.loads(memory[1]) and json.loads(built[1])


def test_a_stale_store_is_not_read_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root))[0] == 0
    assert cli("--workspace", str(root), "build")[0] == 0
    link = json.loads(cli("--workspace", str(root), "review", "4C", "--format", "json")[1])[0]
    assert cli("--workspace", str(root), "reject", link["link"])[0] == 0
    code, out, err = cli("--workspace", str(root), "serves", "4C", "--format", "json")
    assert code == 0 and "not built from the present files" in err
    assert link["link"] not in {r["link"] for r in json.loads(out)}


def test_kinds_and_statuses_are_read_in_any_case(ws: Path) -> None:
    upper = cli("--workspace", str(ws), "serves", "4C", "--kind", "Explicit", "--status",
                "ASSERTED")
    assert upper[0] == 0 and "stated in the documents (" in upper[1]
    assert upper[1] == cli("--workspace", str(ws), "serves", "4C", "--kind", "explicit",
                           "--status", "asserted")[1]


def test_an_empty_answer_is_explained(ws: Path) -> None:
    """A domain has nothing serving it directly: the command says which goals to ask."""
    r = _probe(ws, "serves", "HWB-4")
    assert "HWB-4 is a domain: links serve its goals" in r.stderr


def test_the_named_query_gives_every_link_serves_filters(ws: Path) -> None:
    """`align sparql serves` and `align serves` are one question: the command keeps, of the
    query's rows, asserted links and suggestions from the threshold."""
    w = ["--workspace", str(ws)]
    query = json.loads(cli(*w, "sparql", "serves", "--bind", "goal=HWB-4C", "--format",
                           "json")[1])["results"]["bindings"]
    rows = json.loads(cli(*w, "serves", "HWB-4C", "--format", "json")[1])
    every = json.loads(cli(*w, "serves", "HWB-4C", "--min-score", "0", "--format", "json")[1])
    links = {b["link"]["value"] for b in query}
    assert {r["link"] for r in rows} < {r["link"] for r in every} <= links
    parts = json.loads(cli(*w, "serves", "HWB-4C", "--parts", "--format", "json")[1])
    assert {b["link"]["value"] for b in query if b["status"]["value"] == "asserted"} <= \
        {r["link"] for r in parts}


def test_serves_on_a_post_says_where_its_work_is_listed() -> None:
    r = CliRunner().invoke(app, ["serves", "Executive Director of Place"], env={"COLUMNS": "100"})
    assert r.exit_code == 0
    assert r.stdout.startswith("POST-ED-PLACE: 0 links")
    assert "POST-ED-PLACE is a post: 'align director POST-ED-PLACE' lists" in r.stderr
