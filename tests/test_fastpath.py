"""The fast path of `align serves`: on a built workspace it prints exactly what the full command
line prints, loads no heavy library, and leaves everything it cannot answer to the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignment import fastpath
from cli import app

HEAVY = ["typer", "pydantic", "rdflib", "networkx", "yaml", "sklearn", "numpy", "rich",
         "alignment.model", "alignment.linking"]


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fast") / "ws"
    assert cli("init", str(root))[0] == 0
    assert cli("--workspace", str(root), "build")[0] == 0
    yield root


@pytest.mark.parametrize("args", [
    pytest.param(["serves", "HWB-4C"], id="exact-id"),
    pytest.param(["serves", "hwb goal 4a", "--kind", "similarity", "--min-score", "0.06"],
                 id="forgiving-filtered"),
    pytest.param(["serves", "STRAT-THAMES-FREEPORT", "--format", "json"], id="strategy-json"),
    pytest.param(["serves", "--plan=CP14", "4D", "-f", "csv"], id="options-first"),
    pytest.param(["serves", "4C", "--status", "suggested", "--kind", "similarity", "--kind",
                  "explicit"], id="status-two-kinds"),
])
def test_fast_path_prints_what_the_command_line_prints(ws: Path, args: list[str],
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert fastpath.run(["--workspace", str(ws), *args]) is True
    fast = capsys.readouterr().out
    code, full, err = cli("--workspace", str(ws), *args)
    assert code == 0, err
    assert fast == full
    assert "HWB" in fast or "CP14" in fast or "STRAT" in fast


@pytest.mark.parametrize("argv", [
    [], ["build"], ["serves"], ["serves", "--help"], ["serves", "4C", "5C"],
    ["serves", "4C", "--format", "xml"], ["serves", "4C", "--min-score", "high"],
    ["serves", "4C", "--plan", "CP14", "--plan", "CP24"], ["serves", "4C", "--bogus"],
    ["--workspace"], ["-w=x", "serves", "4C"], ["--verbose", "serves", "4C"],
    ["serves", "4C", "--kind"],
])
def test_anything_unusual_is_left_to_the_command_line(argv: list[str]) -> None:
    assert fastpath.parse_serves(argv) is None


def test_the_options_are_read_as_the_command_line_reads_them() -> None:
    opts = fastpath.parse_serves(["-w", "W", "serves", "--kind=explicit", "4C", "--kind",
                                  "inherited", "--min-score=0.2", "--format=json"])
    assert opts == {"workspace": "W", "kind": ["explicit", "inherited"], "min_score": 0.2,
                    "plan": None, "status": None, "fmt": "json", "target": "4C"}


@pytest.mark.parametrize("extra", [
    ["--kind", "bogus"], ["--status", "maybe"], ["--min-score", "2"], ["--min-score", "nan"],
    ["--plan", "NOPE"],
])
def test_bad_options_are_left_to_the_command_line_which_names_them(ws: Path,
                                                                  extra: list[str]) -> None:
    opts = fastpath.parse_serves(["--workspace", str(ws), "serves", "4C", *extra])
    assert opts is not None and fastpath.answer_serves(opts) is None
    code, _, err = cli("--workspace", str(ws), "serves", "4C", *extra)
    assert code == 2 and err.startswith("error: ")


def test_unknown_ids_and_missing_stores_are_left_to_the_command_line(
        ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opts = fastpath.parse_serves(["--workspace", str(ws), "serves", "no such goal 9Z"])
    assert opts is not None and fastpath.answer_serves(opts) is None
    monkeypatch.delenv("ALIGN_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)  # no workspace here: the bundled data, which has no store
    assert fastpath.answer_serves(fastpath.parse_serves(["serves", "4C"]) or {}) is None
    fresh = tmp_path / "unbuilt"
    assert cli("init", str(fresh))[0] == 0
    assert fastpath.answer_serves(
        fastpath.parse_serves(["--workspace", str(fresh), "serves", "4C"]) or {}) is None


def test_a_stale_store_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root))[0] == 0
    assert cli("--workspace", str(root), "build")[0] == 0
    opts = fastpath.parse_serves(["--workspace", str(root), "serves", "4C"])
    assert opts is not None and fastpath.answer_serves(opts) is not None
    (root / "decisions.yaml").write_text("decisions: []\n", encoding="utf-8")
    assert fastpath.answer_serves(opts) is None


def test_a_new_process_answers_without_loading_any_heavy_library(ws: Path) -> None:
    probe = ("import sys\n"
             f"sys.argv = ['align', '--workspace', {str(ws)!r}, 'serves', 'HWB-4C']\n"
             "from alignment._entry import main\n"
             "main()\n"
             f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                       env={"COLUMNS": "100", "PATH": ""}, cwd=ws, check=True)
    assert "LOADED []" in r.stderr
    assert r.stdout == cli("--workspace", str(ws), "serves", "HWB-4C")[1]
    assert r.stdout.startswith("HWB-4C: ")


def test_the_json_rows_carry_the_documented_fields(ws: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ALIGN_WORKSPACE", str(ws))
    assert fastpath.run(["serves", "HWB-4C", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "link", "kind", "score", "status", "evidence", "source"} <= set(rows[0])
    assert {r["kind"] for r in rows} >= {"structural", "explicit"}


def test_kinds_and_statuses_are_read_in_any_case_as_the_command_line_reads_them(
        ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    opts = fastpath.parse_serves(["serves", "4C", "--kind", "Explicit", "--status", "ASSERTED"])
    assert opts is not None and opts["kind"] == ["explicit"] and opts["status"] == "asserted"
    assert fastpath.run(["--workspace", str(ws), "serves", "4C", "--kind", "Explicit"]) is True
    fast = capsys.readouterr().out
    assert fast == cli("--workspace", str(ws), "serves", "4C", "--kind", "explicit")[1]
    assert "explicit (" in fast


def test_an_empty_answer_is_left_to_the_command_line_which_explains_it(ws: Path) -> None:
    """A domain has nothing serving it directly: the full command line says which goals to ask."""
    opts = fastpath.parse_serves(["--workspace", str(ws), "serves", "HWB-4"])
    assert opts is not None and fastpath.answer_serves(opts) is None
    probe = ("import sys\n"
             f"sys.argv = ['align', '--workspace', {str(ws)!r}, 'serves', 'HWB-4']\n"
             "from alignment._entry import main\n"
             "main()\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ws,
                       env={"COLUMNS": "100", "PATH": "", **{k: v for k, v in os.environ.items()
                                                           if k == "ALIGN_CACHE_DIR"}})
    assert r.returncode == 0, r.stderr
    assert "HWB-4 is a domain: links serve its goals" in r.stderr
