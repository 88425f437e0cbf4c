"""Generic importers: numbered outlines (text and Markdown), CSV and XLSX sheets, YAML plans;
`align add` and `align template`. The inputs in tests/fixtures/imports are written like real
council plans, faults included (wrapped lines, page numbers, a repeated and a missing number)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from alignment.cli.app import app
from alignment.errors import AlignError, InputError
from alignment.model import Document
from alignment.readers import IMPORT_LAYOUTS, layout_for, template
from alignment.sources.decode import decode_source

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def read(path: Path, plan: str = "X", levels: list[str] | None = None):  # type: ignore[no-untyped-def]
    layout = layout_for(path, None)
    doc = Document(id="doc", file=path.name, plan=plan, layout=layout, title="t", publisher="p",
                   period="p", kind="k", sha256="0", levels=levels)
    src = decode_source(doc, path, path.read_bytes())
    return src, IMPORT_LAYOUTS[layout](src, plan, None)


def shape(result) -> dict[str, tuple[str, str | None, str]]:  # type: ignore[no-untyped-def]
    return {e.id: (e.type.value, e.parent, e.code) for e in result.elements}


# --- outlines -------------------------------------------------------------------------------

def test_a_plan_numbered_3_1_and_3_1_1() -> None:
    src, r = read(FIXTURES / "refreshed-corporate-plan.txt", "CP26")
    s = shape(r)
    assert s["CP26-3"] == ("Outcome", "CP26", "3")
    assert s["CP26-3-1"] == ("Priority", "CP26-3", "3.1")
    assert s["CP26-3-1-1"] == ("Deliverable", "CP26-3-1", "3.1.1")
    assert s["CP26-4"] == ("Outcome", "CP26", "4")
    assert [t for t, _, _ in s.values()].count("Deliverable") == 9
    assert r.levels == ["Outcome", "Priority", "Deliverable"]
    el = {e.id: e for e in r.elements}
    # a title wrapped onto the next line is one title, with both lines as its provenance
    wrapped = el["CP26-3-1-1"]
    assert wrapped.label.endswith("with the support they need")
    assert (wrapped.provenance[0].line_start, wrapped.provenance[0].line_end) == (13, 14)
    assert wrapped.provenance[0].text == "\n".join(src.lines[12:14]).strip()
    # the posts and teams named, including a trailing "(Lead: ...)" and a comma inside a name
    names = {(m.element, m.kind, m.name) for m in r.mentions}
    assert ("CP26-3", "Post", "Executive Director of Adults, Housing and Health") in names
    assert ("CP26-3-1", "Team", "Adult Social Care") in names
    assert ("CP26-3-1-3", "Post", "Director of Commissioning") in names
    assert el["CP26-3-1-3"].label == "Review the home care contracts with providers and residents"
    assert {("CP26-4", "Post", "Executive Director of Place"),
            ("CP26-4", "Post", "Director of Highways")} <= names


def test_faults_in_the_numbering_are_read_and_reported_by_line() -> None:
    _, r = read(FIXTURES / "refreshed-corporate-plan.txt", "CP26")
    s = shape(r)
    assert s["CP26-4-1-2-R2"] == ("Deliverable", "CP26-4-1", "4.1.2")  # a repeated number
    assert s["CP26-4-3-1"] == ("Deliverable", "CP26-4", "4.3.1")  # its parent 4.3 is missing
    assert any(w.endswith(":30: code 4.1.2 repeats line 29; read as CP26-4-1-2-R2: check the "
                          "numbering") for w in r.warnings)
    assert any(":31: 4.3.1 has no parent 4.3; read under 4" in w for w in r.warnings)
    assert r.skipped == [(1, "before the first heading or numbered item"),
                         (2, "before the first heading or numbered item"),
                         (4, "before the first heading or numbered item"),
                         (5, "page furniture (a page number or a rule)"),
                         (22, "page furniture (a page number or a rule)")]


def test_every_element_is_traced_to_its_own_line() -> None:
    for name in ("refreshed-corporate-plan.txt", "childrens-strategy.md"):
        src, r = read(FIXTURES / name)
        for e in r.elements:
            p = e.provenance[0]
            assert p.text == "\n".join(src.lines[p.line_start - 1:p.line_end]).strip()
            assert e.label.split()[0].strip("*") in p.text


def test_a_markdown_strategy_with_named_levels_lists_and_bullets() -> None:
    _, r = read(FIXTURES / "childrens-strategy.md", "CYP")
    s = shape(r)
    assert [i for i, v in s.items() if v[0] == "Priority"] == ["CYP-1", "CYP-2", "CYP-3"]
    assert s["CYP-1-1"] == ("Deliverable", "CYP-1", "1")
    assert s["CYP-1-1-A"] == ("SubItem", "CYP-1-1", "a")
    assert s["CYP-2-2-B3"] == ("SubItem", "CYP-2-2", "")
    assert len(s) == 14
    el = {e.id: e for e in r.elements}
    assert el["CYP-3-2"].label == "Improve access to mental health support for young people"
    assert [st.text for st in el["CYP-1"].statements] == [
        "Children and families get help early, before problems reach crisis."]
    posts = {(m.element, m.name) for m in r.mentions if m.kind == "Post"}
    assert posts == {("CYP-1", "Executive Director of Children's Services"),
                     ("CYP-1", "Director of Children's Social Care"),
                     ("CYP-2", "Director of Education and Skills"),
                     ("CYP-3-2", "Director of Public Health")}
    why = dict(r.skipped)
    assert why[1] == "the document's title"
    assert [n for n, w in r.skipped if w.startswith("a table row")] == [6, 7, 8]


def test_levels_named_in_the_manifest_override_the_defaults() -> None:
    _, r = read(FIXTURES / "refreshed-corporate-plan.txt", "CP26",
                levels=["Outcome", "Objective", "Action"])
    assert shape(r)["CP26-3-1"][0] == "Objective"
    with pytest.raises(InputError, match="has 3 levels but its levels name 2"):
        read(FIXTURES / "refreshed-corporate-plan.txt", levels=["Priority", "Deliverable"])


def test_a_document_with_no_structure_is_refused() -> None:
    with pytest.raises(InputError, match=r"no-structure.txt: no structure found"):
        read(FIXTURES / "no-structure.txt")


# --- spreadsheets ---------------------------------------------------------------------------

def test_a_csv_sheet_with_its_own_column_names() -> None:
    src, r = read(FIXTURES / "council-actions.csv", "ECON")
    s = shape(r)
    assert s["ECON-E1"] == ("Priority", "ECON", "E1")
    assert s["ECON-E1-1"] == ("Deliverable", "ECON-E1", "E1.1")
    assert s["ECON-E2-1"] == ("Deliverable", "ECON-E2", "E2.1")
    el = {e.id: e for e in r.elements}
    # a quoted cell over two lines is one row, traced to both lines
    multi = el["ECON-E2-1"]
    assert "energy costs" in multi.label and "\n" not in multi.label
    assert (multi.provenance[0].line_start, multi.provenance[0].line_end) == (7, 8)
    assert [st.text for st in el["ECON-E1"].statements] == [
        "Residents share in the growth of the borough's economy."]
    posts = {(m.element, m.name) for m in r.mentions if m.kind == "Post"}
    assert ("ECON-E1-2", "Director of Regeneration") in posts
    assert ("ECON-E1-2", "Director of Education and Skills") in posts
    assert {(m.element, m.name) for m in r.mentions if m.kind == "Team"} >= {
        ("ECON-E1-1", "Employment and Skills"), ("ECON-E2-1", "Business Support")}
    assert r.skipped == [(9, "no title"), (10, "belongs to plan 'HOUSING', not 'ECON'"),
                         (11, "unknown level 'Initiative' (use a number, or a word such as "
                              "priority, deliverable, goal, action)")]
    # a parent code that no row has: read at the top, and said
    assert s["ECON-E2-4"] == ("Deliverable", "ECON", "E2.4")
    assert any(":12: parent 'E9' is not the code of any row" in w for w in r.warnings)


def _to_xlsx(csv_path: Path, out: Path) -> Path:
    import csv

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(out)
    return out


def test_an_xlsx_sheet_reads_as_its_csv_does(tmp_path: Path) -> None:
    _, from_csv = read(FIXTURES / "council-actions.csv", "ECON")
    book = _to_xlsx(FIXTURES / "council-actions.csv", tmp_path / "council-actions.xlsx")
    src, from_xlsx = read(book, "ECON")
    assert shape(from_xlsx) == shape(from_csv)
    assert [e.label for e in from_xlsx.elements] == [e.label for e in from_csv.elements]
    el = {e.id: e for e in from_xlsx.elements}
    assert el["ECON-E1-1"].provenance[0].line_start == 3  # its row number in the sheet
    assert el["ECON-E1-1"].provenance[0].text == src.lines[2]


def test_sheets_without_a_title_column_or_rows_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Ref,Owner\nE1,Director of Place\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv:1: no title column in the header row "
                                         r"\(found: Ref, Owner\)"):
        read(bad)
    book = tmp_path / "not-a-book.xlsx"
    book.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(InputError, match="not an XLSX workbook"):
        read(book)


# --- YAML -----------------------------------------------------------------------------------

def test_templates_import_without_skipping_anything(tmp_path: Path) -> None:
    for kind, suffix, elements in (("csv", ".csv", 6), ("yaml", ".yaml", 5),
                                   ("outline", ".md", 8)):
        path = tmp_path / f"plan{suffix}"
        path.write_text(template(kind), encoding="utf-8")
        _, r = read(path, "CYP")
        assert len(r.elements) == elements, kind
        assert [w for w in r.skipped if "title" not in w[1] and "before" not in w[1]] == []
        assert {e.type.value for e in r.elements} >= {"Priority", "Deliverable"}
    with pytest.raises(InputError, match="no template 'docx'"):
        template("docx")


def test_yaml_elements_carry_their_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(template("yaml"), encoding="utf-8")
    src, r = read(path, "CYP")
    for e in r.elements:
        line = e.provenance[0].line_start
        assert "code:" in src.lines[line - 1] or "title:" in src.lines[line - 1]


@pytest.mark.parametrize("text, message", [
    ("elements: [\n", r"plan.yaml:2: invalid YAML"),
    ("title: no elements\n", "no 'elements:' list found"),
    ("elements:\n  - title: A\n    colour: red\n", r"plan.yaml:2: unknown key 'colour'"),
    ("elements:\n  - title: A\n    level: chapter\n", r"plan.yaml:3: unknown level 'chapter'"),
    ("elements:\n  - title: A\n    sources: [{document: cp24}]\n",
     "a source names its document, lines and quote"),
    ("elements:\n  - code: '1'\n", "holds no element with a title"),
])
def test_bad_yaml_plans_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read(path)


# --- align add, build, template -------------------------------------------------------------

def _state(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_add_then_build_joins_the_new_plan_to_the_alignment(ws: Path, tmp_path: Path) -> None:
    plan = tmp_path / "refreshed-corporate-plan.txt"
    shutil.copy(FIXTURES / plan.name, plan)
    code, out, err = run("--workspace", str(ws), "add", str(plan), "--plan", "CP26", "--title",
                         "Corporate Plan 2026-2030", "--period", "2026-2030")
    assert code == 0, err
    assert "recognised 14 elements: 2 Outcome, 3 Priority, 9 Deliverable" in out
    assert "skipped 5 lines:" in out and "  line 5: page furniture" in out
    assert (ws / "sources" / plan.name).read_bytes() == plan.read_bytes()  # copied unchanged
    manifest = (ws / "manifest.yaml").read_text(encoding="utf-8")
    assert manifest.startswith("# The source documents of this workspace")  # comments kept
    assert "  - id: CP26\n" in manifest and "layout: outline" in manifest
    code, out, err = run("--workspace", str(ws), "build")
    assert code == 0, err
    assert "refreshed-corporate-plan.txt:30: code 4.1.2 repeats line 29" in err
    code, out, _ = run("--workspace", str(ws), "show", "CP26-3-2-1", "--format", "json")
    record = json.loads(out)
    assert record["parents"][0]["id"] == "CP26-3-2"
    assert record["provenance"][0]["document"] == "refreshed-corporate-plan"
    assert record["provenance"][0]["line_start"] == 20
    # the new deliverables are compared with the HWB goals like any other plan's
    code, out, _ = run("--workspace", str(ws), "review", "HWB-4C", "--format", "json",
                       "--limit", "500")
    assert any(r["id"].startswith("CP26-") for r in json.loads(out))
    code, out, _ = run("--workspace", str(ws), "director", "Director of Highways",
                       "--format", "json")
    assert code == 0 and any(r["id"] == "CP26-4" for r in json.loads(out))


def test_add_refuses_what_it_cannot_read_and_writes_nothing(ws: Path) -> None:
    before = _state(ws)
    for args, message in [
        ([str(FIXTURES / "no-structure.txt"), "--plan", "LETTER", "--title", "A letter"],
         "no structure found"),
        ([str(FIXTURES / "childrens-strategy.md"), "--plan", "HWB", "--title", "x"],
         "plan 'HWB' is already in manifest.yaml"),
        ([str(FIXTURES / "childrens-strategy.md"), "--plan", "cyp", "--title", "x"],
         "plan ID 'cyp': use capital letters"),
        ([str(FIXTURES / "childrens-strategy.md"), "--plan", "CYP", "--title", "x",
          "--levels", "chapter,verse"], "--levels: unknown level 'chapter'"),
        ([str(FIXTURES / "childrens-strategy.md"), "--plan", "CYP", "--title", "x",
          "--strategy", "STRAT-NOPE"], "strategy 'STRAT-NOPE' is not in registry.yaml"),
        ([str(FIXTURES / "childrens-strategy.md"), "--plan", "CYP", "--title", "x", "--layout",
          "docx"], "unknown layout 'docx'"),
        ([str(FIXTURES), "--plan", "CYP", "--title", "x"], "is a folder"),
        ([str(FIXTURES / "council-actions.csv"), "--plan", "CYP", "--title", "x"],
         "none of the 9 rows under the header on line 1 could be read"),
    ]:
        code, out, err = run("--workspace", str(ws), "add", *args)
        assert code == 2 and message in err, (args, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, _ = run("--workspace", str(ws), "add", str(FIXTURES / "childrens-strategy.md"),
                       "--plan", "CYP", "--title", "Children's strategy", "--check")
    assert code == 0 and out.startswith("checked (nothing written)")
    assert _state(ws) == before
    code, _, err = run("add", str(FIXTURES / "childrens-strategy.md"), "--plan", "CYP",
                       "--title", "x")
    assert code == 2 and "the bundled data is read-only" in err


def test_the_same_file_cannot_be_added_twice(ws: Path) -> None:
    args = [str(FIXTURES / "childrens-strategy.md"), "--title", "Children's strategy"]
    assert run("--workspace", str(ws), "add", *args, "--plan", "CYP")[0] == 0
    code, _, err = run("--workspace", str(ws), "add", *args, "--plan", "CYP2")
    assert code == 2 and "document ID 'childrens-strategy' is already in manifest.yaml" in err
    code, _, err = run("--workspace", str(ws), "add", *args, "--plan", "CYP2", "--id", "cyp2")
    assert code == 2 and "sources/childrens-strategy.md is already document" in err


def test_a_strategy_known_only_by_name_links_what_names_it(ws: Path) -> None:
    """The Brighter Futures record cites what the workspace's documents say of it; once added,
    the elements that name the strategy commit to it as a whole: each of its goals shows them,
    as such, and nothing under them inherits a link."""
    record = ws / "examples" / "brighter-futures.yaml"
    code, out, err = run("--workspace", str(ws), "add", str(record), "--plan", "BF", "--kind",
                         "strategy", "--strategy", "STRAT-BRIGHTER-FUTURES", "--title",
                         "Brighter Futures: Developing Well in Thurrock")
    assert code == 0, err
    assert "recognised 3 elements: 3 Goal" in out
    assert run("--workspace", str(ws), "build")[0] == 0
    code, out, _ = run("--workspace", str(ws), "serves", "BF-1", "--format", "json")
    rows = json.loads(out)
    whole = {r["id"] for r in rows if r["via"] == "STRAT-BRIGHTER-FUTURES"}
    assert {"CP24-PEOPLE-D", "HWB-4A"} <= whole
    assert not [r for r in rows if r["kind"] in {"explicit", "inherited"}]
    code, out, _ = run("--workspace", str(ws), "show", "BF-2", "--format", "json")
    cited = {(p["document"], p["line_start"]) for p in json.loads(out)["provenance"]}
    assert {("brighter-futures", 26), ("hwb-d4", 85), ("hwb-d4", 87)} <= cited


def test_a_citation_that_the_document_does_not_bear_out_is_refused(ws: Path,
                                                                   tmp_path: Path) -> None:
    record = tmp_path / "claims.yaml"
    record.write_text("elements:\n  - title: Every child has a laptop\n    level: goal\n"
                      "    sources:\n      - {document: cp24, lines: \"398\", quote: \"laptop\"}\n",
                      encoding="utf-8")
    code, _, err = run("--workspace", str(ws), "add", str(record), "--plan", "CL", "--title", "x")
    assert code == 2
    assert "claims.yaml:5: 'laptop' is not on lines 398-398 of 'cp24'" in err
    record.write_text("elements:\n  - title: A\n    sources:\n"
                      "      - {document: nowhere, lines: \"1\", quote: \"x\"}\n", encoding="utf-8")
    code, _, err = run("--workspace", str(ws), "add", str(record), "--plan", "CL", "--title", "x")
    assert code == 2 and "cites document 'nowhere', which is not in the manifest" in err


def test_template_prints_an_example_that_add_accepts(ws: Path, tmp_path: Path) -> None:
    for kind, suffix in (("csv", ".csv"), ("yaml", ".yaml"), ("outline", ".md")):
        code, out, _ = run("template", kind)
        assert code == 0 and out
        path = tmp_path / f"example-{kind}{suffix}"
        path.write_text(out, encoding="utf-8")
        code, out, err = run("--workspace", str(ws), "add", str(path), "--plan", "CYP",
                             "--title", "Example", "--check")
        assert code == 0, err
    code, _, err = run("template", "docx")
    assert code == 2 and "no template 'docx'" in err


# --- properties -----------------------------------------------------------------------------

_LINE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["# Title", "## 1. A", "1.1 B", "1.1.1 C", "a) D", "- E", "Lead: F",
                     "Responsible Directors:", "Priority 2: G", "(iv) H", "| a | b |", "Page 3",
                     "3 People", "   b) I", "* J *(Lead: K)*", ""]),
)


@given(st.lists(_LINE, max_size=40))
def test_any_outline_is_read_or_refused_clearly(tmp_path_factory: pytest.TempPathFactory,
                                                lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("prop") / "plan.md"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    try:
        src, r = read(path)
    except (AlignError, UnicodeEncodeError):
        return
    ids = [e.id for e in r.elements]
    assert len(ids) == len(set(ids))
    known = {"X", *ids}
    assert all(e.parent in known for e in r.elements)
    for e in r.elements:
        p = e.provenance[0]
        assert 1 <= p.line_start <= p.line_end <= len(src.lines)


_CELL = st.one_of(st.text(max_size=20), st.sampled_from(["1", "1.1", "priority", "deliverable",
                                                        "E1", "", "goal"]))


@given(st.lists(st.lists(_CELL, min_size=1, max_size=8), max_size=15))
def test_any_sheet_is_read_or_refused_clearly(tmp_path_factory: pytest.TempPathFactory,
                                              rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["plan", "level", "code", "title", "parent", "post"], *rows])
    path = tmp_path_factory.mktemp("prop") / "plan.csv"
    path.write_bytes(buf.getvalue().encode("utf-8", "surrogatepass"))
    try:
        _, r = read(path)
    except (AlignError, UnicodeEncodeError):
        return
    ids = [e.id for e in r.elements]
    assert len(ids) == len(set(ids))
    assert all(e.parent in {"X", *ids} for e in r.elements)


def test_an_xlsx_plan_is_added_and_built(ws: Path, tmp_path: Path) -> None:
    book = _to_xlsx(FIXTURES / "council-actions.csv", tmp_path / "economy-actions.xlsx")
    code, out, err = run("--workspace", str(ws), "add", str(book), "--plan", "ECON", "--title",
                         "Economic growth actions 2026", "--period", "2026-2027")
    assert code == 0, err
    assert "recognised 6 elements: 2 Priority, 4 Deliverable" in out
    assert "line 9: belongs to plan 'HOUSING', not 'ECON'" in out  # its row in the sheet
    code, out, err = run("--workspace", str(ws), "build")
    assert code == 0, err
    assert "economy-actions.xlsx:11: parent 'E9' is not the code of any row" in err
    code, out, _ = run("--workspace", str(ws), "show", "ECON-E1-2", "--format", "json")
    record = json.loads(out)
    assert record["provenance"][0]["line_start"] == 4
    assert {r["label"] for r in record["responsible"]} >= {"Director of Regeneration"}


def test_a_real_strategy_read_as_an_outline_gives_the_built_in_parsers_goals_and_actions(
        corpus, bundled) -> None:  # type: ignore[no-untyped-def]
    """The HWB domain document, read by the generic outline importer instead of its own parser:
    the same four goals under domain 4, and the same 37 actions under the same goals (a goal
    stated twice, in the summary and in the detail, is one element traced to both lines)."""
    _, r = read(bundled.path("sources/hwb-2022-26-domain4.txt"), "X")
    goals = {e.code: e for e in r.elements if e.type.value == "Goal"}
    assert sorted(goals) == ["4A", "4B", "4C", "4D"]
    assert len(goals["4C"].provenance) >= 2
    generic = {(e.parent.removeprefix("X-4-"), e.label) for e in r.elements
               if e.type.value == "Action"}
    built = {(e.parent.removeprefix("HWB-"), e.label) for e in corpus.elements
             if e.plan == "HWB" and e.type.value == "Action"}
    assert len(built) == 37 and generic == built


def test_levels_that_the_graph_would_refuse_are_refused_when_adding(ws: Path,
                                                                    tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("level,title,parent,code\ngoal,Healthy lives,,1\n"
                   "deliverable,Build a pool,1,1.1\n", encoding="utf-8")
    before = _state(ws)
    code, _, err = run("--workspace", str(ws), "add", str(bad), "--plan", "BAD", "--title", "x")
    assert code == 2
    assert err.strip() == (f"error: {bad}:3: BAD-1-1 would be a Deliverable under BAD-1 (Goal), "
                           f"but a deliverable sits under a priority, objective, strand, outcome "
                           f"or programme; name the levels with --levels (top first) or in the "
                           f"file")
    assert _state(ws) == before


def test_a_strategy_keeps_the_levels_it_names_and_types_the_rest_as_a_strategy(
        ws: Path, tmp_path: Path) -> None:
    code, out, err = run("--workspace", str(ws), "add", str(FIXTURES / "childrens-strategy.md"),
                         "--plan", "CYP", "--title", "x", "--kind", "strategy", "--check")
    assert code == 0, err
    assert "levels, top first: Priority, Deliverable, SubItem" in out  # it names priorities
    plain = tmp_path / "goals.md"
    plain.write_text("1. Healthy lives\n1.1 Open a new leisure centre\n1.2 Fund walking groups\n"
                     "2. Good jobs\n2.1 Run a jobs fair each year\n", encoding="utf-8")
    code, out, err = run("--workspace", str(ws), "add", str(plain), "--plan", "GOALS",
                         "--title", "x", "--kind", "strategy")
    assert code == 0, err
    assert "recognised 5 elements: 2 Goal, 3 Action" in out
    assert run("--workspace", str(ws), "build")[0] == 0
    code, out, _ = run("--workspace", str(ws), "serves", "GOALS-1", "--format", "json",
                       "--kind", "structural")
    assert {r["id"] for r in json.loads(out)} == {"GOALS-1-1", "GOALS-1-2"}


@pytest.mark.slow  # builds twice
def test_remove_takes_a_plan_out_and_keeps_its_file(ws: Path) -> None:
    manifest = (ws / "manifest.yaml").read_text(encoding="utf-8")
    args = [str(FIXTURES / "childrens-strategy.md"), "--plan", "CYP", "--title", "x"]
    assert run("--workspace", str(ws), "add", *args)[0] == 0
    assert run("--workspace", str(ws), "build")[0] == 0
    code, _, err = run("--workspace", str(ws), "add-link", "CYP-2-2", "HWB-4A", "--why",
                       "apprenticeships for young people", "--by", "policy team")
    assert code == 0, err
    code, _, err = run("--workspace", str(ws), "remove", "CYP")
    assert code == 2 and "decision 1 (CYP-2-2 -> HWB-4A) is about plan 'CYP'" in err
    assert run("--workspace", str(ws), "withdraw", "1")[0] == 0
    code, out, err = run("--workspace", str(ws), "remove", "CYP")
    assert code == 0, err
    assert "the files stay: sources/childrens-strategy.md" in out
    assert (ws / "manifest.yaml").read_text(encoding="utf-8") == manifest
    assert (ws / "sources" / "childrens-strategy.md").is_file()
    assert run("--workspace", str(ws), "build")[0] == 0
    code, _, err = run("--workspace", str(ws), "remove", "CYP")
    assert code == 2 and "no plan 'CYP' in manifest.yaml" in err
    code, _, err = run("remove", "HWB")
    assert code == 2 and "read-only" in err


def test_a_strategy_named_in_narrative_links_that_element_not_everything_under_it(
        ws: Path) -> None:
    """Backing Thurrock is named in HWB goal 4C's title and in domain 4's aims: once added as a
    strategy, those elements commit to it as a whole, and nothing under them inherits."""
    record = ws / "examples" / "backing-thurrock.yaml"
    code, _, err = run("--workspace", str(ws), "add", str(record), "--plan", "BT", "--kind",
                       "strategy", "--strategy", "STRAT-BACKING-THURROCK", "--title",
                       "Backing Thurrock")
    assert code == 0, err
    assert run("--workspace", str(ws), "build")[0] == 0
    code, out, _ = run("--workspace", str(ws), "serves", "BT-1", "--format", "json")
    rows = json.loads(out)
    whole = {r["id"] for r in rows if r["via"] == "STRAT-BACKING-THURROCK"}
    assert {"HWB-4", "HWB-4B", "HWB-4C", "HWB-4C-M1"} <= whole
    assert not any(i.startswith(("HWB-4A", "HWB-4D")) for i in whole)
    assert not [r for r in rows if r["kind"] == "inherited"]


_VALUE = st.one_of(st.none(), st.integers(), st.text(max_size=15), st.lists(st.text(max_size=8),
                                                                             max_size=3))
_ENTRY = st.dictionaries(st.sampled_from(["code", "level", "title", "text", "posts", "teams",
                                          "sources", "children", "colour"]), _VALUE, max_size=6)


@given(st.one_of(st.text(max_size=80),
                 st.lists(_ENTRY, max_size=6).map(lambda es: {"elements": es})))
def test_any_yaml_plan_is_read_or_refused_clearly(tmp_path_factory: pytest.TempPathFactory,
                                                  data: object) -> None:
    import yaml

    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path = tmp_path_factory.mktemp("prop") / "plan.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        _, r = read(path)
    except (AlignError, UnicodeEncodeError):
        return
    ids = [e.id for e in r.elements]
    assert len(ids) == len(set(ids)) and all(e.label for e in r.elements)


def test_a_real_web_page_read_as_an_outline_gives_the_priorities_deliverables_and_directors(
        corpus, bundled) -> None:  # type: ignore[no-untyped-def]
    """The 2024-29 plan's People web page, read by the generic outline importer: deliverables
    numbered 1-23 straight through, under the priorities A-E the built-in parser finds, and each
    priority's "Directors responsible:" list (set apart after its deliverables) named for the
    priority, as the parser reads it."""
    _, r = read(bundled.path("sources/cp2024-people-web.txt"), "X")
    el = {e.id: e for e in r.elements}
    generic = {(el[e.parent].code, e.code) for e in r.elements
               if e.type.value == "Deliverable" and e.parent in el}
    built = {(e.parent.rsplit("-", 1)[1], e.code) for e in corpus.elements
             if e.type.value == "Deliverable" and e.id.startswith("CP24-PEOPLE-")}
    assert len(built) == 23 and generic == built
    names = {a.id: a.label for a in corpus.agents}
    for p in (e for e in corpus.elements if e.type.value == "Priority"
              and e.id.startswith("CP24-PEOPLE-")):
        mine = next(e for e in r.elements if e.type.value == "Priority" and e.code == p.code)
        said = {m.name for m in r.mentions if m.element == mine.id}
        assert said == {names[a] for a in p.responsible}, p.id


def test_a_title_that_a_spreadsheet_would_run_stays_text_in_every_export(ws: Path,
                                                                          tmp_path: Path) -> None:
    """A plan row whose title begins '=HYPERLINK(' is read as text, and the matrix written for
    a board keeps it text: an inline string in XLSX, a leading apostrophe in CSV."""
    sheet = tmp_path / "hostile.csv"
    payload = '=HYPERLINK("http://example.invalid/x","Open")'
    sheet.write_text(f'code,title,level\n1,"{payload.replace(chr(34), chr(34) * 2)}",deliverable\n'
                     f'2,+SUM(A1:A9) more jobs for local people,deliverable\n', encoding="utf-8")
    assert run("--workspace", str(ws), "add", str(sheet), "--plan", "HOST", "--title", "x")[0] == 0
    assert run("--workspace", str(ws), "build")[0] == 0
    book = tmp_path / "matrix.xlsx"
    code, _, err = run("--workspace", str(ws), "matrix", "--plan", "HOST", "--out", str(book))
    assert code == 0, err
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(book).active.iter_rows() for c in row]
    labels = {c.value: c.data_type for c in cells if isinstance(c.value, str)}
    assert labels[payload] == "s"
    assert all(t != "f" for t in labels.values())
    code, out, _ = run("--workspace", str(ws), "matrix", "--plan", "HOST", "--format", "csv")
    assert "'=HYPERLINK(" in out and "'+SUM(A1:A9)" in out
    assert "\n=" not in out and ",=" not in out and ",+" not in out


def test_markdown_that_numbers_every_item_1_reads_1_2_3(tmp_path: Path) -> None:
    """Markdown renders "1." on every item as 1, 2, 3; a lettered list under only one of the
    items is that item's detail, not a level of its own."""
    plan = tmp_path / "auto.md"
    plan.write_text("# Plan\n\n## Safe at home\n\n1. Open family hubs\n   a) in Tilbury\n"
                    "   b) in Grays\n1. Reduce children in care\n1. Recruit foster carers\n\n"
                    "## Good jobs\n\n1. Run a jobs fair\n1. Fund apprenticeships\n",
                    encoding="utf-8")
    _, r = read(plan, "P")
    s = shape(r)
    assert s == {"P-H1": ("Priority", "P", ""), "P-H1-1": ("Deliverable", "P-H1", "1"),
                 "P-H1-1-A": ("SubItem", "P-H1-1", "a"), "P-H1-1-B": ("SubItem", "P-H1-1", "b"),
                 "P-H1-2": ("Deliverable", "P-H1", "2"), "P-H1-3": ("Deliverable", "P-H1", "3"),
                 "P-H2": ("Priority", "P", ""), "P-H2-1": ("Deliverable", "P-H2", "1"),
                 "P-H2-2": ("Deliverable", "P-H2", "2")}
    assert not [w for w in r.warnings if "repeats" in w]
    text = tmp_path / "auto.txt"  # plain text is read as written: a repeated 1 is reported
    text.write_text(plan.read_text(encoding="utf-8"), encoding="utf-8")
    _, r = read(text, "P")
    assert any("code 1 repeats line" in w for w in r.warnings)


def test_sections_zero_numbers_and_the_bullets_converters_leave(tmp_path: Path) -> None:
    """"Section 1:" is a part of the document, skipped and said; "1.0 People" is item 1; the
    private-use bullets of PDF and Word converters are bullets; a short title is not joined to
    the next line, a long one that stops mid-sentence is."""
    plan = tmp_path / "converted.txt"
    plan.write_text("Section 1: Introduction\nThis plan sets out our priorities\n\n1.0 People\n"
                    "1.1 Support older residents\nThe council will lead this work\n"
                    "\uf0b7 Expand reablement\n\uf0b7 Open extra care housing\n2.0 Place\n"
                    "2.1 Keep the streets of every town in the borough clean, safe and free of\n"
                    "fly-tipping\n\u25cf More enforcement\n\u25cf Resurface roads\n",
                    encoding="utf-8")
    src, r = read(plan, "P")
    s = shape(r)
    assert s["P-1"] == ("Outcome", "P", "1") and s["P-2"] == ("Outcome", "P", "2")
    assert s["P-1-1"] == ("Priority", "P-1", "1.1")
    assert s["P-1-1-B2"] == ("Deliverable", "P-1-1", "")
    assert s["P-2-1-B1"] == ("Deliverable", "P-2-1", "")
    el = {e.id: e for e in r.elements}
    assert el["P-1-1"].label == "Support older residents"
    assert [st.text for st in el["P-1-1"].statements] == ["The council will lead this work"]
    assert el["P-2-1"].label.endswith("free of fly-tipping")
    assert (1, "a section heading: a part of the document, not of the plan") in r.skipped


@pytest.mark.parametrize("sep, suffix", [("\t", ".tsv"), (";", ".csv")])
def test_tab_and_semicolon_separated_sheets(tmp_path: Path, sep: str, suffix: str) -> None:
    rows = [["level", "code", "title", "parent", "owner"],
            ["priority", "1", "More local people in good jobs, with training", "", "Director"],
            ["deliverable", "1.1", "Run a jobs fair; twice a year", "1", ""]]
    path = tmp_path / f"sheet{suffix}"
    path.write_text("\n".join(sep.join(f'"{c}"' if sep in c else c for c in r) for r in rows),
                    encoding="utf-8")
    _, r = read(path, "P")
    assert shape(r) == {"P-1": ("Priority", "P", "1"), "P-1-1": ("Deliverable", "P-1", "1.1")}
    assert r.elements[0].label == "More local people in good jobs, with training"


def test_a_workbook_sheet_is_chosen_by_name(ws: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Read me first"])
    actions = wb.create_sheet("Actions")
    for row in (["code", "title", "level"], ["1", "More local people in good jobs", "priority"],
                ["1.1", "Run a jobs fair each year", "deliverable"]):
        actions.append(row)
    book = tmp_path / "book.xlsx"
    wb.save(book)
    # the first sheet is notes: the one sheet that reads as a plan is taken, and said so
    code, out, err = run("--workspace", str(ws), "add", str(book), "--plan", "JOBS", "--title",
                         "x", "--check")
    assert code == 0 and "recognised 2 elements: 1 Priority, 1 Deliverable" in out, err
    assert "read sheet 'Actions', the only one with a header row naming a title column (the " \
           "first, 'Notes', has none)" in out + err
    # two sheets that read as plans: which one is the officer's to say
    other = wb.copy_worksheet(actions)
    other.title = "Actions 2024"
    wb.save(tmp_path / "two.xlsx")
    code, _, err = run("--workspace", str(ws), "add", str(tmp_path / "two.xlsx"), "--plan",
                       "JOBS", "--title", "x", "--check")
    assert code == 2 and "two.xlsx:1: no title column" in err
    assert "the workbook's sheets: Notes, Actions, Actions 2024 (choose one with --sheet)" in err
    code, out, err = run("--workspace", str(ws), "add", str(book), "--plan", "JOBS", "--title",
                         "x", "--sheet", "Actions")
    assert code == 0 and "recognised 2 elements: 1 Priority, 1 Deliverable" in out, err
    assert "sheet: Actions" in (ws / "manifest.yaml").read_text(encoding="utf-8")
    assert run("--workspace", str(ws), "build")[0] == 0
    code, _, err = run("--workspace", str(ws), "add", str(book), "--plan", "JOBS2", "--title",
                       "x", "--sheet", "Nope", "--id", "book2")
    assert code == 2 and "no sheet 'Nope' (sheets: Notes, Actions)" in err


def test_numbered_headings_with_numbered_lists_under_them() -> None:
    """'## 1. People' and the list '1. Open two family hubs' under '### 1.1' are different
    numbering styles: the lists are the headings' children."""
    _, r = read(FIXTURES / "numbered-headings.md", "CP26")
    s = shape(r)
    assert s["CP26-1"] == ("Outcome", "CP26", "1") and s["CP26-2"] == ("Outcome", "CP26", "2")
    assert s["CP26-1-2"] == ("Priority", "CP26-1", "1.2")
    assert s["CP26-1-2-2"] == ("Deliverable", "CP26-1-2", "2")
    assert s["CP26-2-1-1"] == ("Deliverable", "CP26-2-1", "1")
    assert not r.warnings or not any("repeats" in w for w in r.warnings)


def test_wrapped_lines_that_begin_with_a_number_continue_the_title(tmp_path: Path) -> None:
    plan = tmp_path / "wrapped.txt"
    plan.write_text("1 Reduce waste\n"
                    "1.1 Increase the household recycling rate from 38 per cent today to\n"
                    "45.5 per cent by 2028, working with residents and schools.\n"
                    "1.2 Open family hubs in Grays and Tilbury, and open a further\n"
                    "2 hubs in Stanford-le-Hope and Corringham by the end of 2027.\n"
                    "1.3 Introduce food waste collections\n\n2 Clean streets\n"
                    "2.1 Remove fly-tipping within 48 hours of a report\n", encoding="utf-8")
    _, r = read(plan, "W")
    assert sorted(shape(r)) == ["W-1", "W-1-1", "W-1-2", "W-1-3", "W-2", "W-2-1"]
    el = {e.id: e for e in r.elements}
    assert el["W-1-1"].label.endswith("45.5 per cent by 2028, working with residents and schools.")
    assert (el["W-1-2"].provenance[0].line_start, el["W-1-2"].provenance[0].line_end) == (4, 5)


def test_each_item_keeps_its_own_lead_and_fields(tmp_path: Path) -> None:
    """A bulleted 'Lead officer:' names the item's post; '- Timescale:' is the item's text; a
    lead indented under each item of a list stays with that item."""
    bulleted = tmp_path / "bulleted.md"
    bulleted.write_text("## 1. More homes\n\n1.1 Deliver 500 council homes\n"
                        "- Lead officer: Director of Housing\n- Timescale: March 2027\n"
                        "1.2 Bring empty homes back into use\n"
                        "- Lead officer: Head of Private Sector Housing\n", encoding="utf-8")
    _, r = read(bulleted, "H")
    assert shape(r) == {"H-1": ("Priority", "H", "1"), "H-1-1": ("Deliverable", "H-1", "1.1"),
                        "H-1-2": ("Deliverable", "H-1", "1.2")}
    assert {(m.element, m.name) for m in r.mentions} == {
        ("H-1-1", "Director of Housing"), ("H-1-2", "Head of Private Sector Housing")}
    assert [st.text for e in r.elements for st in e.statements] == ["- Timescale: March 2027"]
    spaced = tmp_path / "spaced.md"
    spaced.write_text("## Priority 1: More homes\n\n1. Deliver 500 council homes\n\n"
                      "   Lead: Director of Housing\n\n2. Bring empty homes back into use\n\n"
                      "   Lead: Head of Private Sector Housing\n", encoding="utf-8")
    _, r = read(spaced, "H")
    assert {(m.element, m.name) for m in r.mentions} == {
        ("H-1-1", "Director of Housing"), ("H-1-2", "Head of Private Sector Housing")}


def test_a_wide_action_plan_sheet_groups_its_rows(tmp_path: Path) -> None:
    """The common council layout: a title row, then Theme / Priority / Action / Owner columns.
    The action is the title; each theme and priority is an element, first seen on its row."""
    sheet = tmp_path / "community-safety.csv"
    sheet.write_text("Community Safety Action Plan 2026\n\nTheme,Priority,Ref,Action,Owner,"
                     "Target date\nSafe places,Safer streets,1.1,Extend CCTV in Grays,"
                     "Head of Enforcement,Mar-26\nSafe places,Safer streets,1.2,Train staff on "
                     "VAWG,Community Safety Manager,Dec-25\nSafe places,Safer parks,2.1,Light "
                     "the parks,Head of Parks,Jun-26\n", encoding="utf-8")
    _, r = read(sheet, "CS")
    s = shape(r)
    assert s == {"CS-G1": ("Outcome", "CS", ""), "CS-G1-G1": ("Priority", "CS-G1", ""),
                 "CS-1-1": ("Deliverable", "CS-G1-G1", "1.1"),
                 "CS-1-2": ("Deliverable", "CS-G1-G1", "1.2"),
                 "CS-G1-G2": ("Priority", "CS-G1", ""),
                 "CS-2-1": ("Deliverable", "CS-G1-G2", "2.1")}
    el = {e.id: e for e in r.elements}
    assert el["CS-G1-G1"].label == "Safer streets" and el["CS-1-1"].label == "Extend CCTV in Grays"
    assert el["CS-G1-G1"].provenance[0].line_start == 4  # the row where it is first named
    assert (1, "above the header row (a title or a note)") in r.skipped
    assert not any("columns not read" in w for w in r.warnings)
    assert [(e.id, e.due) for e in r.elements] == [("CS-G1", None), ("CS-G1-G1", None),
                                                   ("CS-1-1", "Mar-26"), ("CS-1-2", "Dec-25"),
                                                   ("CS-G1-G2", None), ("CS-2-1", "Jun-26")]


def test_plan_ids_that_would_run_into_other_ids_and_removals_that_would_break_a_citation(
        ws: Path) -> None:
    plan = str(FIXTURES / "childrens-strategy.md")
    for bad, other in (("HWB-4C", "HWB"), ("STRAT-X", "STRAT"), ("CP24-NEW", "CP24")):
        code, _, err = run("--workspace", str(ws), "add", plan, "--plan", bad, "--title", "x")
        assert code == 2 and f"would share IDs with '{other}'" in err, err
    record = ws / "examples" / "brighter-futures.yaml"
    assert run("--workspace", str(ws), "add", str(record), "--plan", "BF", "--title", "BF",
               "--kind", "strategy")[0] == 0
    code, _, err = run("--workspace", str(ws), "remove", "CP24")
    assert code == 2 and "cites 'cp24', a document of plan 'CP24'" in err
    assert run("--workspace", str(ws), "build")[0] == 0


def test_plain_text_headings_tables_and_bad_quotes(tmp_path: Path) -> None:
    """A capitalised line above numbered items is their heading (a running page header is not);
    tab-separated rows are a table, skipped and said; an unclosed quote names its row."""
    plan = tmp_path / "caps.txt"
    plan.write_text("OUR PLAN FOR THURROCK\n\nPEOPLE\n\n1.1 Support older residents at home\n"
                    "1.2 Improve health in Tilbury\n\nPLACE\n\n2.1 Clean streets\n"
                    "Ref\tAction\tLead\n", encoding="utf-8")
    _, r = read(plan, "P")
    assert shape(r) == {"P-H1": ("Priority", "P", ""), "P-1-1": ("Deliverable", "P-H1", "1.1"),
                        "P-1-2": ("Deliverable", "P-H1", "1.2"), "P-H2": ("Priority", "P", ""),
                        "P-2-1": ("Deliverable", "P-H2", "2.1")}
    assert {e.label for e in r.elements if e.code == ""} == {"People", "Place"}
    assert (11, "a table row (import tables as a spreadsheet: csv or xlsx)") in r.skipped
    bad = tmp_path / "quotes.csv"
    bad.write_text('title,code\n"Unclosed,1\nB,2\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"quotes.csv:2: not valid CSV"):
        read(bad)
    listed = tmp_path / "listed.yaml"
    listed.write_text("elements:\n  - title: [a, b]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"listed.yaml:2: 'title' must be one line of text"):
        read(listed)


def test_an_answer_that_cannot_be_written_is_a_one_line_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-c", "from alignment.cli import main; main()",
                            "template", "csv"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 1
    assert r.stderr.strip() == "error: cannot write the output: No space left on device"


def test_check_shows_the_tree_it_would_add_and_writes_nothing(ws: Path, tmp_path: Path) -> None:
    plan = tmp_path / "refreshed-corporate-plan.txt"
    shutil.copy(FIXTURES / plan.name, plan)
    before = _state(ws)
    code, out, err = run("--workspace", str(ws), "add", str(plan), "--plan", "CP26", "--title",
                         "Corporate Plan 2026-2030", "--check")
    assert code == 0, err
    assert _state(ws) == before
    lines = [line.rstrip() for line in out.splitlines()]
    start = lines.index("what it would add (line, ID, level: title; owners below):")
    tree = lines[start + 1:start + 6]
    assert tree[0].split() == ["7", "CP26-3", "Outcome:", "People", "–", "a", "borough", "where",
                               "people", "of", "all", "ages", "are", "proud", "to", "live"]
    assert tree[1].strip() == "owners: Executive Director of Adults, Housing and Health"
    # nested one step per level, each with the line it was read from
    assert tree[2].startswith("    10    CP26-3-1  Priority: Support older residents")
    assert tree[3].strip() == "owners: Adult Social Care"
    assert tree[4].startswith("    13      CP26-3-1-1  Deliverable: Expand the reablement")
    assert lines[-1] == "next: the same command without --check adds it"
    report = json.loads(run("--workspace", str(ws), "add", str(plan), "--plan", "CP26",
                            "--title", "Corporate Plan 2026-2030", "--check", "--format",
                            "json")[1])
    node = next(n for n in report["tree"] if n["id"] == "CP26-3-1-3")
    assert node == {"id": "CP26-3-1-3", "type": "Deliverable", "parent": "CP26-3-1", "line": 17,
                    "owners": ["Director of Commissioning"],
                    "label": "Review the home care contracts with providers and residents"}


def test_the_same_content_under_another_name_is_said(ws: Path, tmp_path: Path) -> None:
    first = tmp_path / "refreshed-corporate-plan.txt"
    shutil.copy(FIXTURES / first.name, first)
    again = tmp_path / "corporate-plan-final-v2.txt"
    shutil.copy(FIXTURES / first.name, again)
    w = ["--workspace", str(ws)]
    code, out, _ = run(*w, "add", str(first), "--plan", "CP26", "--title", "Corporate Plan")
    assert code == 0 and "same content" not in out
    code, out, _ = run(*w, "add", str(again), "--plan", "CP27", "--title", "Corporate Plan v2")
    assert code == 0
    assert ("warning: corporate-plan-final-v2.txt: the same content is already in the workspace "
            "as sources/refreshed-corporate-plan.txt (document 'refreshed-corporate-plan' of "
            "plan 'CP26'); if that was not meant, take one out with 'align remove CP27'") in out


# --- sheets as officers lay them out: merged cells, blanks below, their own column names ------

def _tree(ws: Path, plan: str) -> dict[str, list[str]]:
    """Each element of a built plan, from the plan down, with the IDs of its children, as
    `align show` gives them."""
    tree: dict[str, list[str]] = {}
    todo = [plan]
    while todo:
        code, out, err = run("--workspace", str(ws), "show", todo.pop(0), "--format", "json")
        assert code == 0, err
        record = json.loads(out)
        tree[record["id"]] = [c["id"] for c in record["children"]]
        todo += tree[record["id"]]
    return tree


def _owners(ws: Path, ids: list[str]) -> dict[str, list[str]]:
    out = {}
    for id_ in ids:
        code, text, err = run("--workspace", str(ws), "show", id_, "--format", "json")
        assert code == 0, err
        out[id_] = [r["label"] for r in json.loads(text)["responsible"]]
    return out


#: The tree of tests/fixtures/imports/priorities-filled-down.csv (and of the workbook made like
#: it with merged cells), written out by hand: three priorities, eight deliverables.
FILLED_DOWN_TREE = {
    "ECON": ["ECON-G1", "ECON-G2", "ECON-G3"],
    "ECON-G1": ["ECON-G1-B1", "ECON-G1-B2", "ECON-G1-B3"],
    "ECON-G2": ["ECON-G2-B1", "ECON-G2-B2"],
    "ECON-G3": ["ECON-G3-B1", "ECON-G3-B2", "ECON-G3-B3"],
    **{f"ECON-G{p}-B{d}": [] for p, n in ((1, 3), (2, 2), (3, 3)) for d in range(1, n + 1)},
}
FILLED_DOWN_OWNERS = {
    "ECON-G1-B1": ["Director of Regeneration"],
    "ECON-G1-B2": ["Director of Education and Skills"],
    "ECON-G1-B3": ["Director of Regeneration"],
    "ECON-G2-B1": ["Director of Place"],
    "ECON-G3-B3": ["Director of Public Realm"],
}


def _merged_book(path: Path) -> Path:
    """The plan of priorities-filled-down.csv as an officer lays it out in Excel: a title row,
    each priority in a cell merged down over its deliverables, dates as dates."""
    import datetime

    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Delivery plan"
    sheet.append(["Economy delivery plan 2026-27"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Priority", "Deliverable", "Lead Director:", "Due date"])
    d = datetime.datetime
    rows = [
        ("More local people in good jobs",
         "Run a jobs brokerage service for the port and Freeport sites",
         "Director of Regeneration", d(2027, 3, 31)),
        (None, "Fund 200 apprenticeships with local employers",
         "Director of Education and Skills", d(2026, 9, 30)),
        (None, "Hold a jobs fair in each town centre", "Director of Regeneration", None),
        ("A strong local business base", "Give small businesses advice on energy costs",
         "Director of Place", d(2026, 12, 31)),
        (None, "Support the market traders in Grays town centre", "Director of Place", None),
        ("Clean and green places", "Plant 1000 trees in the borough's parks",
         "Director of Public Realm", d(2028, 3, 31)),
        (None, "Open a second reuse centre", "Director of Public Realm", None),
        (None, "Clear fly-tipping within two working days", "Director of Public Realm",
         d(2026, 6, 30)),
    ]
    for row in rows:
        sheet.append(list(row))
    for span in ("A3:A5", "A6:A7", "A8:A10"):
        sheet.merge_cells(span)
    wb.save(path)
    return path


@pytest.mark.parametrize("made, due", [
    pytest.param(lambda tmp: FIXTURES / "priorities-filled-down.csv", "30/09/2026",
                 id="csv-as-excel-saves-it"),
    pytest.param(lambda tmp: _merged_book(tmp / "priorities-merged.xlsx"), "2026-09-30",
                 id="xlsx-merged-cells"),
])
def test_a_priority_named_once_above_its_deliverables_keeps_them(ws: Path, tmp_path: Path,
                                                                  made, due: str) -> None:  # type: ignore[no-untyped-def]
    """Regression: a deliverable on a row whose Priority cell is blank (merged over it, or left
    blank below the first row in Excel's CSV) was read as a priority of its own at the top."""
    sheet = made(tmp_path)
    code, out, err = run("--workspace", str(ws), "add", str(sheet), "--plan", "ECON", "--title",
                         "Economy delivery plan")
    assert code == 0, err
    assert "recognised 11 elements: 3 Priority, 8 Deliverable" in out
    assert "columns not read" not in out + err
    code, out, err = run("--workspace", str(ws), "build")
    assert code == 0, err
    assert "SHACL: conforms" in out  # the due dates too
    assert _tree(ws, "ECON") == FILLED_DOWN_TREE
    assert _owners(ws, list(FILLED_DOWN_OWNERS)) == FILLED_DOWN_OWNERS
    code, out, _ = run("--workspace", str(ws), "show", "ECON-G1-B2", "--format", "json")
    record = json.loads(out)
    # the deliverable's text is its own; its provenance is its own row
    assert record["label"] == "Fund 200 apprenticeships with local employers"
    assert record["provenance"][0]["line_start"] == (3 if sheet.suffix == ".csv" else 4)
    # the Due date column is the deliverable's due date, as the sheet shows it
    assert record["due"] == due
    code, out, _ = run("--workspace", str(ws), "show", "ECON-G1-B2")
    assert f"\n  due: {due}\n" in out
    code, out, _ = run("--workspace", str(ws), "show", "ECON-G1-B3", "--format", "json")
    assert "due" not in json.loads(out)  # a blank date cell is not filled down


@pytest.mark.parametrize("header", ["Lead Director", "Responsible officer", "Accountable",
                                    "Owner", "Lead", "SRO", "S.R.O.", "Lead officer(s)",
                                    "Responsible Director:", "LEAD - DIRECTOR"])
def test_responsibility_headers_officers_use_are_read(tmp_path: Path, header: str) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(f"Ref,Deliverable,{header}\r\n1,Build 300 council homes,Director of "
                      f"Housing\r\n".encode())
    _, r = read(sheet, "H")
    assert [(m.element, m.kind, m.name) for m in r.mentions] == [
        ("H-1", "Post", "Director of Housing")]
    assert not r.warnings


@pytest.mark.parametrize("name", ["What we will do", "Our promise", "Activity"])
def test_a_commitments_column_of_another_name_is_read_as_the_title(tmp_path: Path,
                                                                    name: str) -> None:
    """A workbook whose header names a reference and a lead but calls its commitments by a name
    the reader does not know: the column that holds sentences is the title, said in a warning;
    themes in cells merged across the row group what follows them."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(["Riverside District Council - Delivery Plan 2025/26"])
    sheet.merge_cells("A1:C1")
    sheet.append([])
    sheet.append(["Ref", name, "Lead officer"])
    rows = [("Theme 1: Thriving young people", None, None),
            ("1.1", "Expand holiday activity and food places for children on free school meals",
             "Head of Children's Services"),
            ("1.2", "Support care leavers into apprenticeships with local employers",
             "Head of Children's Services"),
            ("Theme 2: A fair local economy", None, None),
            ("2.1", "Launch a business support hub for micro enterprises", "Head of Economy"),
            ("2.2", "Use social value clauses in procurement to create local jobs",
             "Head of Procurement")]
    for row in rows:
        sheet.append(list(row))
        if row[1] is None:
            sheet.merge_cells(f"A{sheet.max_row}:C{sheet.max_row}")
    wb.save(tmp_path / "plan.xlsx")
    _, r = read(tmp_path / "plan.xlsx", "RDC")
    labels = {e.type.value: [] for e in r.elements}
    for e in r.elements:
        labels[e.type.value].append(e.label)
    assert labels["Deliverable"] == [
        "Expand holiday activity and food places for children on free school meals",
        "Support care leavers into apprenticeships with local employers",
        "Launch a business support hub for micro enterprises",
        "Use social value clauses in procurement to create local jobs"]
    assert labels["Outcome"] == ["Thriving young people", "A fair local economy"]
    assert [m.name for m in r.mentions if m.element.endswith("1-2")] == [
        "Head of Children's Services"]
    assert any(f"column '{name}' read as the title" in w for w in r.warnings)


def test_a_sheet_without_a_column_of_sentences_still_asks_for_a_title(tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(b"Ref,Area,Lead officer\r\n1,Housing,Director of Housing\r\n")
    with pytest.raises(InputError, match="no title column in the header row"):
        read(sheet, "H")


def test_a_blank_group_is_not_filled_from_another_theme(tmp_path: Path) -> None:
    """Only the group columns are filled down, and only under the same group above them: a
    theme named anew starts with no priority; an empty row between them changes nothing."""
    sheet = tmp_path / "themes.csv"
    sheet.write_bytes(b"Theme,Priority,Action\r\nPeople,Healthy lives,Open a gym\r\n"
                      b",,Run walking groups\r\n,,\r\nPlace,,Clean the streets\r\n"
                      b",Safer streets,Light the alleys\r\n")
    _, r = read(sheet, "T")
    assert shape(r) == {"T-G1": ("Outcome", "T", ""), "T-G1-G1": ("Priority", "T-G1", ""),
                        "T-G1-G1-B1": ("Deliverable", "T-G1-G1", ""),
                        "T-G1-G1-B2": ("Deliverable", "T-G1-G1", ""),
                        # an action straight under a theme is typed by its depth
                        "T-G2": ("Outcome", "T", ""), "T-G2-B1": ("Priority", "T-G2", ""),
                        "T-G2-G2": ("Priority", "T-G2", ""),
                        "T-G2-G2-B1": ("Deliverable", "T-G2-G2", "")}
    assert r.skipped == []


# --- text as Word and Excel save it ----------------------------------------------------------

@pytest.mark.parametrize("name, plan, warning, expected", [
    pytest.param("housing-actions-cp1252.csv", "HA",
                 "housing-actions-cp1252.csv:2: not UTF-8 ('£' is byte 0xA3); read as "
                 "Windows-1252",
                 {"HA": ("Plan", None, ""),
                  "HA-1": ("Deliverable", "Spend £2m bringing the council’s empty homes back "
                                          "into use", "Director of Housing"),
                  "HA-2": ("Deliverable", "Inspect every house in multiple occupation – twice a "
                                          "year", "Head of Private Sector Housing"),
                  "HA-3": ("Deliverable", "Open the “Homes First” advice café in Grays",
                           "Director of Housing")},
                 id="csv-saved-by-excel-as-windows-1252"),
    pytest.param("housing-strategy-utf16.txt", "HS",
                 "housing-strategy-utf16.txt:1: read as UTF-16",
                 {"HS": ("Plan", None, ""),
                  "HS-1": ("Priority", "Homes people can afford", ""),
                  "HS-1-1": ("Deliverable", "Build 300 council homes", "Director of Housing"),
                  "HS-1-2": ("Deliverable", "Buy back 50 former council homes for £10m", ""),
                  "HS-2": ("Priority", "Safe and warm homes", ""),
                  "HS-2-1": ("Deliverable", "Insulate 1,000 homes in Tilbury – first the "
                                            "coldest", "")},
                 id="text-saved-by-word-as-utf-16"),
])
def test_text_saved_by_word_or_excel_is_read_with_a_warning_naming_its_encoding(
        ws: Path, name: str, plan: str, warning: str,
        expected: dict[str, tuple[str, str | None, str]]) -> None:
    """Regression: a Windows-1252 CSV was refused as 'not UTF-8 text', a UTF-16 text file as
    'a NUL byte'. The file is kept as it was: its hash is that of the bytes given."""
    source = FIXTURES / name
    code, out, err = run("--workspace", str(ws), "add", str(source), "--plan", plan, "--title",
                         "Housing")
    assert code == 0, err
    assert f"warning: {warning}" in out
    assert (ws / "sources" / name).read_bytes() == source.read_bytes()
    code, out, err = run("--workspace", str(ws), "build")
    assert code == 0, err
    assert f"warning: {warning}" in err
    code, out, _ = run("--workspace", str(ws), "list", "--plan", plan, "--format", "json")
    listed = {r["id"]: r for r in json.loads(out)}
    assert list(listed) == list(expected)
    for id_, (type_, label, owner) in expected.items():
        assert listed[id_]["type"] == type_
        if label is not None:
            assert listed[id_]["label"] == label
        if owner:
            assert _owners(ws, [id_]) == {id_: [owner]}


@pytest.mark.parametrize("data, message", [
    pytest.param(b"GIF89a\n\x01\x00\x02\x00 image", "plan.txt:2: a NUL byte: a binary file",
                 id="binary"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "plan.txt:1: a PDF file, not text",
                 id="pdf-without-a-nul-byte"),
    pytest.param("1. Homes\n1.1 Build homes \u2013 300\n1.2 Buy homes \xa310m\n".encode()
                 .replace(b"\xc2\xa3", b"\xa3"), "plan.txt:3: not UTF-8 text (byte 0xA3), though the "
                 "rest of the file is", id="utf-8-with-a-stray-byte"),
    pytest.param(b"1. Homes\n1.1 Build homes\x81\n", "plan.txt:2: not UTF-8 or Windows-1252 text "
                                                     "(byte 0x81)", id="neither-utf-8-nor-1252"),
    pytest.param(b"\xff\xfe" + "1. Homes\n".encode("utf-16-le") + b"\x00\xd8",
                 "plan.txt:2: not UTF-16 text", id="broken-utf-16"),
])
def test_a_binary_file_is_still_refused(ws: Path, tmp_path: Path, data: bytes,
                                        message: str) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(data)
    before = _state(ws)
    code, _, err = run("--workspace", str(ws), "add", str(plan), "--plan", "BIN", "--title", "x")
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert _state(ws) == before


# --- layouts councils publish, read through `align add` as an officer does ---------------------

def _added(ws: Path, name: str, plan: str) -> tuple[str, dict[str, tuple[str, str, list[str]]]]:
    """`align add` a fixture, then each element as `align show` gives it: its type, its parent
    and the posts and teams named responsible for it (not those it inherits). Also what `add`
    printed."""
    code, out, err = run("--workspace", str(ws), "add", str(FIXTURES / name), "--plan", plan,
                         "--title", "A council plan")
    assert code == 0, err
    code, listed, err = run("--workspace", str(ws), "list", "--plan", plan, "--format", "json")
    assert code == 0, err
    tree = {}
    for row in json.loads(listed):
        if row["id"] == plan:
            continue
        code, shown, err = run("--workspace", str(ws), "show", row["id"], "--format", "json")
        assert code == 0, err
        record = json.loads(shown)
        tree[row["id"]] = (record["type"], record["parents"][0]["id"],
                           sorted(r["label"] for r in record["responsible"]
                                  if r["accountable"] == "named"))
    return out + err, tree


def test_a_number_alone_on_its_line_titles_the_next_line(ws: Path) -> None:
    out, tree = _added(ws, "economy-strategy-bare-numbers.txt", "EG")
    assert tree == {
        "EG-3-1": ("Priority", "EG", []),
        "EG-3-1-1": ("Deliverable", "EG-3-1", []),
        "EG-3-1-2": ("Deliverable", "EG-3-1", []),
        "EG-3-1-3": ("Deliverable", "EG-3-1", []),
        "EG-3-2": ("Priority", "EG", []),
        "EG-3-2-1": ("Deliverable", "EG-3-2", []),
        "EG-3-2-2": ("Deliverable", "EG-3-2", []),
        "EG-3-2-3": ("Deliverable", "EG-3-2", []),
    }
    code, shown, _ = run("--workspace", str(ws), "show", "EG-3-2", "--format", "json")
    record = json.loads(shown)
    assert record["label"] == "Make our town centres places people want to visit"
    assert [(p["line_start"], p["line_end"]) for p in record["provenance"]] == [(12, 14)]


def test_an_owner_line_after_a_run_of_items_names_their_parents_owner(ws: Path) -> None:
    """'Lead:' after deliverables 3.1.1-3.1.3, or after bullets, closes the block: it names
    the owner of 3.1, not of 3.1.3; straight after a priority's title it is that priority's,
    also when the priority has no deliverables (3.4 after 3.3's bullets)."""
    _, tree = _added(ws, "place-plan-block-leads.txt", "PL")
    assert tree == {
        "PL-3": ("Outcome", "PL", []),
        "PL-3-1": ("Priority", "PL-3", ["Executive Director of Place"]),
        "PL-3-1-1": ("Deliverable", "PL-3-1", []),
        "PL-3-1-2": ("Deliverable", "PL-3-1", []),
        "PL-3-1-3": ("Deliverable", "PL-3-1", []),
        "PL-3-2": ("Priority", "PL-3", ["Director of Public Realm"]),
        "PL-3-2-1": ("Deliverable", "PL-3-2", []),
        "PL-3-2-2": ("Deliverable", "PL-3-2", []),
        "PL-3-3": ("Priority", "PL-3", ["Head of Sustainability"]),
        "PL-3-3-B1": ("Deliverable", "PL-3-3", []),
        "PL-3-3-B2": ("Deliverable", "PL-3-3", []),
        "PL-3-4": ("Priority", "PL-3", ["Head of Property"]),
    }


def test_a_missing_parent_number_is_said_and_its_items_kept_out_of_the_previous_one(
        ws: Path) -> None:
    """4.3.1 and 4.3.2 with no 4.3: not deliverables of 4.2, but where 4.3 would be (here,
    under the plan), each with a warning that names its line."""
    out, tree = _added(ws, "housing-action-plan-missing-number.txt", "HS")
    assert tree == {
        "HS-4-1": ("Priority", "HS", []),
        "HS-4-1-1": ("Deliverable", "HS-4-1", []),
        "HS-4-1-2": ("Deliverable", "HS-4-1", []),
        "HS-4-2": ("Priority", "HS", []),
        "HS-4-2-1": ("Deliverable", "HS-4-2", []),
        "HS-4-3-1": ("Deliverable", "HS", []),
        "HS-4-3-2": ("Deliverable", "HS", []),
        "HS-4-4": ("Priority", "HS", []),
        "HS-4-4-1": ("Deliverable", "HS-4-4", []),
    }
    assert "housing-action-plan-missing-number.txt:9: 4.3.1 has no parent 4.3; read directly " \
           "under the plan" in out
    assert "housing-action-plan-missing-number.txt:10: 4.3.2 has no parent 4.3" in out


def test_a_bullet_that_names_its_level_is_that_level(ws: Path) -> None:
    """'• Outcome 1: Getting our finances right,' is outcome 1, 'Getting our finances right';
    the list's commas and 'and' are not part of a title."""
    _, tree = _added(ws, "medium-term-plan-outcome-bullets.txt", "MT")
    assert tree == {
        "MT-1": ("Outcome", "MT", []),
        "MT-1-B1": ("Deliverable", "MT-1", []),
        "MT-1-B2": ("Deliverable", "MT-1", []),
        "MT-2": ("Outcome", "MT", []),
        "MT-2-B1": ("Deliverable", "MT-2", []),
        "MT-2-B2": ("Deliverable", "MT-2", []),
        "MT-3": ("Outcome", "MT", []),
        "MT-3-B1": ("Deliverable", "MT-3", []),
    }
    labels = {}
    for eid in ("MT-1", "MT-2", "MT-3"):
        labels[eid] = json.loads(run("--workspace", str(ws), "show", eid, "--format", "json")[1])[
            "label"]
    assert labels == {"MT-1": "Getting our finances right",
                      "MT-2": "Caring for the residents who need us most",
                      "MT-3": "Growing a stronger local economy"}


def test_plain_sub_headings_with_we_will_lines_are_priorities_and_deliverables(
        ws: Path) -> None:
    """No numbers, no bullets: a short line after a blank line, followed by 'We will ...'
    lines, is a priority, and each 'We will' line one of its deliverables."""
    out, tree = _added(ws, "community-safety-we-will.txt", "CS")
    assert tree == {
        "CS-H1": ("Priority", "CS", []),
        "CS-H1-B1": ("Deliverable", "CS-H1", []),
        "CS-H1-B2": ("Deliverable", "CS-H1", []),
        "CS-H2": ("Priority", "CS", []),
        "CS-H2-B1": ("Deliverable", "CS-H2", []),
        "CS-H2-B2": ("Deliverable", "CS-H2", []),
        "CS-H3": ("Priority", "CS", []),
        "CS-H3-B1": ("Deliverable", "CS-H3", []),
    }
    record = json.loads(run("--workspace", str(ws), "show", "CS-H2", "--format", "json")[1])
    assert record["label"] == "Tackling anti-social behaviour"
    assert record["provenance"][0]["line_start"] == 9
    assert "line 3: before the first heading or numbered item" in out


def test_scene_setting_sections_are_text_and_an_announced_list_is_the_items(ws: Path) -> None:
    """'Our vision' speaks for the plan; 'We have made a good start' and 'What success looks
    like' (bullets included) are the text of the outcome they stand under, not deliverables;
    'The 3 priorities for this outcome are:' makes the bullets after it priorities."""
    _, tree = _added(ws, "corporate-plan-context-sections.txt", "CX")
    assert tree == {
        "CX-1": ("Outcome", "CX", []),
        "CX-1-B1": ("Priority", "CX-1", []),
        "CX-1-B2": ("Priority", "CX-1", []),
        "CX-1-B3": ("Priority", "CX-1", []),
        "CX-2": ("Outcome", "CX", []),
        "CX-2-B1": ("Priority", "CX-2", []),
        "CX-2-B2": ("Priority", "CX-2", []),
    }

    def said(eid: str) -> list[str]:
        record = json.loads(run("--workspace", str(ws), "show", eid, "--format", "json")[1])
        return [s["source"].rsplit(":", 1)[1] for s in record["statements"]]

    assert said("CX") == ["3", "4"]
    assert said("CX-1") == ["8", "9", "11", "16", "17", "18"]
    assert said("CX-2") == ["22"]
    assert said("CX-1-B3") == []


@pytest.mark.parametrize("title,needle", [
    pytest.param('"Lone \\ud83d here"', "plan.yaml:4: a lone surrogate (U+D83D)", id="lone"),
    pytest.param("[" * 1000 + "]" * 1000, "plan.yaml: invalid YAML: nested too deeply",
                 id="nested-1000-deep"),
    pytest.param('"Smile"\n        title: "again"', "plan.yaml", id="a-key-twice"),
])
def test_a_yaml_plan_that_no_store_could_hold_is_refused_at_add(
        ws: Path, title: str, needle: str) -> None:
    """Before: a lone surrogate was added, then every build failed with UnicodeEncodeError
    until the plan was removed; 1,000 nested brackets were a RecursionError."""
    plan = ws.parent / "plan.yaml"
    plan.write_text(f"elements:\n  - title: Open a hub\n    children:\n      - title: {title}\n",
                    encoding="utf-8")
    before = (ws / "manifest.yaml").read_bytes()
    code, out, err = run("--workspace", str(ws), "add", str(plan), "--plan", "EMO", "--title", "E")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert needle in err
    assert (ws / "manifest.yaml").read_bytes() == before


def test_an_escaped_emoji_in_a_yaml_plan_is_its_character(ws: Path) -> None:
    plan = ws.parent / "plan.yaml"
    plan.write_text('elements:\n  - title: "Smile \\ud83d\\ude00 more"\n', encoding="utf-8")
    code, out, err = run("--workspace", str(ws), "add", str(plan), "--plan", "EMO", "--title", "E",
                         "--check", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["tree"][0]["label"] == "Smile \U0001f600 more"


def test_a_group_column_empty_in_every_row_is_said_not_silently_dropped(tmp_path: Path) -> None:
    """A sheet whose Outcome column has no value at all (its cells lost, as cells merged down
    across a PDF's page break are): the rows are read under their priorities, and a warning
    names the column and its line."""
    path = tmp_path / "plan.csv"
    path.write_text("Outcome,Priority,Action,Lead\n"
                    ",Good jobs,Run a jobs fair,Director of Place\n"
                    ",Good jobs,Fund apprenticeships,Director of Place\n"
                    ",Clean streets,Plant trees,Director of Environment\n", encoding="utf-8")
    _, r = read(path, "P")
    assert [e.label for e in r.elements if e.type.value == "Priority"] == ["Good jobs",
                                                                          "Clean streets"]
    assert "plan.csv:1: column 'Outcome' is empty in every row; the rows were read without it" \
        in r.warnings
