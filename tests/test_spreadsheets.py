"""Rows to files for spreadsheets: every row-returning command writes `--out FILE` in the type the
file's name gives (.csv, .xlsx, .json); the CSV is read as Excel opens it (a byte-order mark says
UTF-8, records end in CRLF) and the workbook with openpyxl."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.output.render import HEADERS, write_rows

runner = CliRunner()

#: each row-returning command, with arguments that give it rows
ROW_COMMANDS = [
    pytest.param(["list", "--plan", "HWB"], "list", id="list"),
    pytest.param(["search", "carers"], "search", id="search"),
    pytest.param(["director", "public health"], "director", id="director"),
    pytest.param(["versions"], "versions", id="versions"),
    pytest.param(["serves", "HWB-4C"], "serves", id="serves"),
    pytest.param(["supports", "HWB-4C"], "supports", id="supports"),
    pytest.param(["gaps", "--plan", "CP24"], "gaps", id="gaps"),
    pytest.param(["why", "HWB-4C", "CP24-PEOPLE-21"], "why", id="why"),
    pytest.param(["continuity", "--only", "new"], "continuity", id="continuity"),
    pytest.param(["review", "HWB-4C"], "review", id="review"),
    pytest.param(["matrix", "--plan", "CP24"], "matrix", id="matrix"),
    pytest.param(["sparql", "--list"], "sparql", id="sparql-list"),
]


def run(ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(ws), *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def excel_rows(path: Path) -> list[list[str]]:
    """The cells as Excel reads a CSV: UTF-8 because of the byte-order mark, CRLF records."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    # every record ends in CRLF: no LF stands alone outside a quoted cell
    records = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert raw.endswith(b"\r\n")
    outside = raw.replace(b"\r\n", b"")
    assert outside.count(b"\n") == sum(c.count("\n") for r in records for c in r)
    return records


def test_row_commands_all_take_out() -> None:
    """Every command with a --format of rows (table, json, csv) also takes --out."""
    ctx = click.Context(app)
    missing = []
    for name in app.list_commands(ctx):
        cmd = app.get_command(ctx, name)
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        fmt = next((p for p in cmd.params if "--format" in getattr(p, "opts", [])), None)
        if fmt is not None and isinstance(fmt.type, click.Choice) and "csv" in fmt.type.choices \
                and name not in {"build", "show", "add"} and "--out" not in opts:
            missing.append(name)
    assert not missing


@pytest.mark.parametrize(("args", "command"), ROW_COMMANDS)
def test_csv_for_spreadsheets_has_a_bom_and_crlf(built_workspace: Path, tmp_path: Path,
                                                 args: list[str], command: str) -> None:
    out = tmp_path / "rows.csv"
    code, _, err = run(built_workspace, *args, "--out", str(out))
    assert code == 0, err
    assert err.startswith(f"wrote {out} (")
    records = excel_rows(out)
    code, printed, _ = run(built_workspace, *args, "--format", "csv")
    # the same cells as the CSV printed for pipes, which keeps plain UTF-8 and LF
    assert not printed.startswith("\ufeff") and "\r\n" not in printed
    assert records == list(csv.reader(io.StringIO(printed, newline="")))
    assert len(records) > 1
    if command in HEADERS:  # the header an empty answer gets is the one a full answer has
        assert records[0] == HEADERS[command]


def test_csv_file_keeps_typographic_characters(built_workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    assert run(built_workspace, "list", "--plan", "CP24", "--out", str(out))[0] == 0
    labels = {r[0]: r[2] for r in excel_rows(out)[1:]}
    assert "council’s change programme" in labels["CP24-ENABLING-8"]


@pytest.mark.parametrize(("args", "command"), ROW_COMMANDS)
def test_xlsx_has_a_header_frozen_panes_widths_and_a_sheet_name(
        built_workspace: Path, tmp_path: Path, args: list[str], command: str) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rows.xlsx"
    code, _, err = run(built_workspace, *args, "--out", str(out))
    assert code == 0, err
    ws = load_workbook(out).active
    code, printed, _ = run(built_workspace, *args, "--format", "json")
    rows = json.loads(printed)
    header = [c.value for c in ws[1]]
    assert header == list(rows[0])
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes[1:] == "2"  # the header row stays in view
    assert ws.freeze_panes == ("B2" if header[0] == "id" and command != "matrix" else
                               "D2" if command == "matrix" else "A2")
    assert ws.title and ws.title != "Sheet" and len(ws.title) <= 31
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert all(8 <= w <= 60 for w in widths)
    assert ws.max_row == len(rows) + 1
    assert [("" if c.value is None else c.value) for c in ws[2]] == \
        [("" if v is None else v) for v in rows[0].values()]


@pytest.mark.parametrize(("args", "command"), ROW_COMMANDS)
def test_json_file_is_what_json_prints(built_workspace: Path, tmp_path: Path, args: list[str],
                                       command: str) -> None:
    out = tmp_path / "rows.json"
    assert run(built_workspace, *args, "--out", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == run(built_workspace, *args, "-f", "json")[1]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_an_empty_answer_keeps_its_header_row(built_workspace: Path, tmp_path: Path,
                                              suffix: str) -> None:
    out = tmp_path / f"none{suffix}"
    code, _, err = run(built_workspace, "search", "zzqqxx", "--out", str(out))
    assert code == 0, err
    assert "(0 rows)" in err
    if suffix == ".csv":
        assert excel_rows(out) == [HEADERS["search"]]
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(out).active
        assert [c.value for c in ws[1]] == HEADERS["search"] and ws.max_row == 1
    else:
        assert json.loads(out.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("args", "command"), [
    pytest.param(["search", "zzqqxx"], "search", id="search"),
    pytest.param(["decisions"], "decisions", id="decisions"),
    pytest.param(["serves", "HWB-4C", "--kind", "curated"], "serves", id="serves"),
])
def test_an_empty_csv_printed_has_its_header(built_workspace: Path, args: list[str],
                                             command: str) -> None:
    code, out, err = run(built_workspace, *args, "--format", "csv")
    assert code == 0, err
    assert out == ",".join(HEADERS[command]) + "\n"


@pytest.mark.parametrize(("fmt", "name"), [("json", "a.csv"), ("csv", "a.xlsx"),
                                           ("table", "a.json"), ("csv", "a.json")])
def test_a_format_that_contradicts_the_file_is_refused(built_workspace: Path, tmp_path: Path,
                                                       fmt: str, name: str) -> None:
    code, out, err = run(built_workspace, "serves", "HWB-4C", "--format", fmt, "--out",
                         str(tmp_path / name))
    assert code == 2 and not out
    assert err.count("\n") == 1 and err.startswith(f"error: --format {fmt} contradicts {name}")
    assert not list(tmp_path.iterdir())


def test_a_file_of_another_type_is_refused(built_workspace: Path, tmp_path: Path) -> None:
    code, _, err = run(built_workspace, "gaps", "--out", str(tmp_path / "gaps.txt"))
    assert code == 2
    assert err == (f"error: {tmp_path / 'gaps.txt'}: rows are written to a .csv, .xlsx or .json "
                   f"file; give a name ending in one of those\n")
    assert not list(tmp_path.iterdir())


def test_xlsx_keeps_formulas_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = [{"id": "X-1", "label": "=HYPERLINK(\"http://x\")", "score": 0.25, "note": None},
            {"id": "X-2", "label": "+1", "score": 1, "note": "a\nb"}]
    write_rows(tmp_path / "f.xlsx", rows, sheet="Odd: [names]/here*?")
    ws = load_workbook(tmp_path / "f.xlsx").active
    assert ws["B2"].value == "=HYPERLINK(\"http://x\")" and ws["B2"].data_type == "s"
    assert ws["C2"].value == 0.25 and ws["D2"].value is None
    assert ws.title == "Odd names here"
    write_rows(tmp_path / "f.csv", rows)
    assert excel_rows(tmp_path / "f.csv")[1][1] == "'=HYPERLINK(\"http://x\")"
