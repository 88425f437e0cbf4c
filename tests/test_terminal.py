"""What reaches a terminal: control characters from any data (sources, curated files, queries,
arguments) never arrive raw, through tables, records, decisions, data formats and errors alike;
every byte is written or the command fails."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from alignment.cli.app import app
from alignment.output.terminal import printable

#: what a terminal would obey: a window title, a colour, a bell, a CSI as one C1 byte, a
#: carriage return that overwrites the line, DEL
HOSTILE = "\x1b]0;PWNED\x07\x1b[31mRED\x9b2J\rover\x7f"
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not RAW.search(shown)
    assert printable(shown) == shown  # once is enough


@given(st.recursive(st.text() | st.integers(), lambda c: st.lists(c) | st.dictionaries(st.text(), c),
                    max_leaves=10))
def test_printed_json_reads_back_the_same(value: object) -> None:
    """In JSON, the escape is the language's own: what a pipe writes to a file reads back."""
    assert json.loads(printable(json.dumps(value, ensure_ascii=False))) == value


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_printed_ntriples_and_turtle_read_back_the_same(text: str) -> None:
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal(text)))
    for fmt in ("nt", "turtle"):
        again = Graph().parse(data=printable(g.serialize(format=fmt)), format=fmt)
        assert [str(o) for o in again.objects()] == [text]


def _decisions(ws: Path, why: str) -> None:
    (ws / "decisions.yaml").write_text(
        "decisions:\n  - source: CP14-P1\n    target: HWB-4A\n    decision: add\n"
        f"    by: officer\n    date: 2026-01-05\n    why: {json.dumps(why)}\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_hostile_reason_reaches_no_terminal_raw(ws: Path, fmt: str) -> None:
    _decisions(ws, f"board said {HOSTILE} ok")
    code, out, err = run("--workspace", str(ws), "decisions", "--format", fmt)
    assert code == 0, err
    assert not RAW.search(out + err)
    assert "\\u001b]0;PWNED\\u0007" in out
    if fmt == "json":
        assert json.loads(out)[0]["why"] == f"board said {HOSTILE} ok"


def test_an_error_quoting_hostile_input_reaches_no_terminal_raw() -> None:
    code, out, err = run("show", f"X{HOSTILE}")
    assert code == 2 and err.startswith("error: ")
    assert not RAW.search(out + err) and "\\u001b[31m" in err


@pytest.mark.slow
def test_hostile_text_in_the_graph_reaches_no_terminal_raw(ws: Path) -> None:
    """A decision's reason becomes a link's evidence in the graph: through show, serves,
    supports and review, as tables and as data."""
    _decisions(ws, f"board said {HOSTILE} ok")
    outputs = []
    for args in (["show", "CP14-P1"], ["serves", "HWB-4A"], ["supports", "CP14-P1"],
                 ["supports", "CP14-P1", "--format", "csv"]):
        code, out, err = run("--workspace", str(ws), *args)
        assert code == 0, err
        outputs.append(out + err)
    assert all(not RAW.search(o) for o in outputs)
    assert all("PWNED" in o for o in outputs)


def test_a_file_size_limit_is_an_error_not_a_cut_file(built_ws: Path, tmp_path: Path) -> None:
    """Standard output redirected to a file that cannot grow (a full disk; here a file-size
    limit), unbuffered: the write stops part-way and the command says so with exit 1."""
    out = tmp_path / "graph.nt"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    with out.open("wb") as fh:
        r = subprocess.run([sys.executable, "-c", "from alignment.cli import main; main()",
                            "--workspace", str(built_ws), "export", "-f", "nt"], stdout=fh,
                           stderr=subprocess.PIPE, preexec_fn=limit,
                           env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert r.returncode == 1, r.stderr
    assert r.stderr.decode().startswith("error: cannot write the output")


@pytest.mark.slow
def test_graphml_with_esc_and_nul_is_well_formed(ws: Path, tmp_path: Path) -> None:
    """XML cannot hold NUL or ESC: GraphML writes them as \\uXXXX, and the file parses."""
    import networkx as nx

    _decisions(ws, f"NUL\x00 and {HOSTILE}")
    out = tmp_path / "graph.graphml"
    code, _, err = run("--workspace", str(ws), "export", "-f", "graphml", "--out", str(out))
    assert code == 0, err
    g = nx.read_graphml(out)
    evidence = [d["evidence"] for *_, d in g.edges(data=True) if "PWNED" in d.get("evidence", "")]
    assert evidence and "NUL\\u0000 and \\u001b]0;PWNED" in evidence[0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_table_files_hold_control_characters_as_text(tmp_path: Path, suffix: str) -> None:
    from alignment.output.render import write_table

    out = tmp_path / f"t{suffix}"
    write_table(out, [{"id": "A-1", "label": f"=1+1 {HOSTILE}\x00"}], ["id", "label"], "Sheet")
    if suffix == ".csv":
        cell = out.read_text(encoding="utf-8").splitlines()[1]
    else:
        from openpyxl import load_workbook

        cell = str(load_workbook(out).active["B2"].value)
    assert not RAW.search(cell) and "PWNED" in cell and "\\u0000" in cell


@pytest.mark.parametrize("args", [["show", "X\udcff"], ["search", "\udcff\udcfe abc"],
                                  ["accept", "A.similarity.B", "--why", "bad \udcff"]])
def test_an_argument_that_is_not_utf8_is_refused(args: list[str]) -> None:
    """Its bytes arrive as lone surrogates: `show` raised a ValueError in the store, and a
    reason with one was written to decisions.yaml, which then no command could read."""
    r = subprocess.run([sys.executable, "-c", "from alignment.cli import main; main()", *args],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("error: the argument ") and "(byte 0xFF)" in r.stderr
    assert r.stderr.count("\n") == 1
