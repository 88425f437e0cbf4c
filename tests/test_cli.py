"""Every command, in process, on the real documents: exit codes and output."""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from alignment.cli.app import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


@pytest.fixture()
def workspace(ws: Path) -> Path:
    """A fresh workspace: a copy of the one `align init` made for this run (conftest.py)."""
    return ws


#: what reads as code rather than as words for the reader of --help: a call, a private name, a
#: snake_case name, a dotted module path
CODE = {
    "a call": re.compile(r"\w+\("),
    "a private name": re.compile(r"(?<![\w$])_\w+"),
    "a snake_case name": re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b"),
    "a dotted name": re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b"),
}
#: dotted words that are not code: file types, and e.g. / i.e.
NOT_CODE = re.compile(r"^(?:e\.g|i\.e|\w+\.(?:yaml|csv|xlsx|md|txt|html|rq|ttl|nt|jsonld|json|"
                      r"graphml|xml|tsv))$")
#: a help text ends a sentence: a full stop or question mark, perhaps closing a bracket or quote
WHOLE = re.compile(r"(?:[.?]|\.[)\]'\"]+)$")


def _commands(group: Any, ctx: click.Context,
              path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command of the group the app builds, the commands of sub-apps included."""
    found = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        found.append(((*path, name), cmd))
        if hasattr(cmd, "list_commands"):  # a sub-app
            found += _commands(cmd, click.Context(cmd, parent=ctx, info_name=name), (*path, name))
    return found


def _registered(group: click.Group) -> int:
    """Commands registered on a group, counting each sub-group and its own commands."""
    return sum(1 + (_registered(c) if isinstance(c, click.Group) else 0)
               for c in group.commands.values())


def _help_problems(where: str, text: str | None) -> list[str]:
    if not text or not text.strip():
        return [f"{where}: no help"]
    text = inspect.cleandoc(text)
    problems = []
    words = re.sub(r"\S+://\S+", "URL", text)  # an address is not code
    for what, pattern in CODE.items():
        for m in pattern.finditer(words):
            if what == "a dotted name" and NOT_CODE.match(m.group(0)):
                continue
            problems.append(f"{where}: {what}, {m.group(0)!r}: {text!r}")
    for paragraph in text.split("\n\n"):
        # click rewraps a paragraph to the terminal's width, so a paragraph must end a sentence
        # (the pages below must also show it whole)
        end = paragraph.rstrip()
        if not WHOLE.search(end) or end.endswith(("...", "\u2026.")):
            problems.append(f"{where}: a sentence cut short, {end.splitlines()[-1]!r}")
    return problems


def _plain(rendered: str) -> str:
    """A rendered help page as words: no box drawing, white space collapsed."""
    return " ".join(re.sub("[\u2500-\u257f]", " ", rendered).split())


def test_every_command_help_is_whole_sentences_without_code() -> None:
    """Every command the app registers, sub-apps included: its docstring and the help of each
    option and argument are sentences for a reader (no code names, none cut short), and
    `align --help` and the command's own --help show them whole."""
    root = app
    commands = _commands(root, click.Context(root, info_name="align"))
    assert len(commands) == _registered(app) >= len(app.commands) > 0
    problems = _help_problems("align", root.help)
    problems += [p for param in root.params
                 for p in _help_problems(f"align {param.name}", getattr(param, "help", None))]
    listing = _plain(run("--help")[1])
    for path, cmd in commands:
        name = "align " + " ".join(path)
        problems += _help_problems(name, cmd.help)
        problems += [p for param in cmd.params
                     for p in _help_problems(f"{name} {param.name}", getattr(param, "help", None))]
        summary = " ".join(inspect.cleandoc(cmd.help or "").split("\n\n")[0].split())
        if summary not in listing:
            problems.append(f"align --help does not show {name}'s whole summary: {summary!r}")
        code, out, err = run(*path, "--help")
        assert code == 0, err
        page = _plain(out)
        for paragraph in inspect.cleandoc(cmd.help or "").split("\n\n"):
            if " ".join(paragraph.split()) not in page:
                problems.append(f"{name} --help does not show {paragraph!r} whole")
        for param in cmd.params:
            helptext = " ".join((getattr(param, "help", None) or "").split())
            if helptext and helptext not in page:
                problems.append(f"{name} --help does not show the help of {param.name} whole")
    assert not problems, "\n".join(problems)


def test_every_command_has_help() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name in ["init", "build", "validate", "show", "list", "search", "director", "versions",
                 "export"]:
        assert name in out
        assert run(name, "--help")[0] == 0


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("4C", "HWB-4C", id="code"),
    pytest.param("hwb 4c", "HWB-4C", id="lower-case-with-plan"),
    pytest.param("HWB goal 4C", "HWB-4C", id="words-around-code"),
    pytest.param("people 21", "CP24-PEOPLE-21", id="outcome-and-number"),
    pytest.param("cp24 people d", "CP24-PEOPLE-D", id="priority"),
    pytest.param("CP14 P2 O1 D3", "CP14-P2-O1-D3", id="spaces-for-hyphens"),
    pytest.param("enabling 18", "CP24-ENABLING-18", id="enabling"),
    pytest.param("4c a3", "HWB-4C-A3", id="action"),
    pytest.param("Seabrooke Rise", "CP14-P1-O2-D6", id="label-fragment"),
])
def test_show_resolves_forgiving_references(query: str, expected: str) -> None:
    code, out, _ = run("show", query, "--format", "json")
    assert code == 0
    assert json.loads(out)["id"] == expected


def test_show_miss_exits_2_naming_what_was_tried_and_nearest() -> None:
    code, out, err = run("show", "HWB-4Z")
    assert code == 2
    assert out == ""
    assert err.startswith("error: no element matches 'HWB-4Z'")
    assert "nearest:" in err and "HWB-4" in err
    assert "Traceback" not in err


def test_show_ambiguous_lists_candidates() -> None:
    code, _, err = run("show", "1")
    assert code == 2
    assert "ambiguous" in err and "CP24-PEOPLE-1" in err


def test_show_goal_4c_has_children_references_and_provenance() -> None:
    code, out, _ = run("show", "HWB-4C", "--format", "json")
    rec = json.loads(out)
    assert [c["id"] for c in rec["children"]][:2] == ["HWB-4C-A1", "HWB-4C-A2"]
    assert len(rec["children"]) == 18
    assert {r["id"] for r in rec["references"]} == {
        "STRAT-BACKING-THURROCK", "STRAT-THAMES-FREEPORT", "STRAT-WORK-HEALTH-JSNA"}
    assert rec["provenance"][0] == {"document": "hwb-d4", "line_start": 59, "line_end": 59,
                                    "text": rec["provenance"][0]["text"]}
    assert [p["document"] for p in rec["parents"]] if False else rec["parents"][0]["id"] == "HWB-4"


def test_show_table_is_readable() -> None:
    code, out, _ = run("show", "people 9")
    assert code == 0
    assert out.startswith("CP24-PEOPLE-9  (Deliverable)\n")
    assert "Executive Director of Adults and Health" in out
    assert "STRAT-HWB" in out and "references" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_list_formats(fmt: str) -> None:
    code, out, _ = run("list", "--plan", "HWB", "--type", "Goal", "--format", fmt)
    assert code == 0
    if fmt == "json":
        rows = json.loads(out)
        assert [r["id"] for r in rows] == ["HWB-4A", "HWB-4B", "HWB-4C", "HWB-4D"]
        assert {"id", "type", "label"} <= set(rows[0])
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["id"] for r in rows] == ["HWB-4A", "HWB-4B", "HWB-4C", "HWB-4D"]
    else:
        assert "HWB-4C" in out and "Goal" in out


def test_list_posts_gives_the_six_2024_posts() -> None:
    rows = json.loads(run("list", "--type", "Post", "--format", "json")[1])
    assert len(rows) == 6
    cfo = next(r for r in rows if r["id"] == "POST-CFO")
    assert "Chief Finance Officer / Section 151 officer" in cfo["aliases"]


def test_list_by_post() -> None:
    rows = json.loads(run("list", "--post", "Chief Finance Officer / Section 151 officer",
                          "--type", "Deliverable", "--format", "json")[1])
    assert [r["id"] for r in rows] == ["CP24-ENABLING-16", "CP24-ENABLING-17", "CP24-ENABLING-18",
                                       "CP24-PLACE-11", "CP24-PLACE-12", "CP24-PLACE-13",
                                       "CP24-PLACE-14"]


def test_search() -> None:
    rows = json.loads(run("search", "apprenticeships freeport", "--format", "json")[1])
    ids = [r["id"] for r in rows]
    assert "CP24-PLACE-11" in ids and "CP24-PLACE-D" not in ids


def test_director_place_across_plans() -> None:
    code, out, _ = run("director", "Executive Director of Place", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    ids = [r["id"] for r in rows]
    assert ids[:2] == ["CP24-PEOPLE-E", "CP24-PEOPLE-21"]
    assert {"CP24-PLACE-A", "CP24-PLACE-1", "CP24-PLACE-F", "CP24-PLACE-16"} <= set(ids)
    assert "CP24-PLACE-B" not in ids  # Adults and Health with the Assistant Chief Executive
    assert next(r for r in rows if r["id"] == "CP24-PLACE-1")["accountable"] == "via CP24-PLACE-A"


def test_director_of_a_2014_team() -> None:
    rows = json.loads(run("director", "public health", "--format", "json")[1])
    assert [r["id"] for r in rows] == ["CP14-P4-O1-D7", "CP14-P4-O3-D5", "CP14-P4-O3-D6",
                                       "CP14-P4-O3-D7"]


def test_director_unknown_exits_2() -> None:
    code, _, err = run("director", "Director of Magic")
    assert code == 2 and "no post or team named" in err


def test_versions_lists_wording_differences() -> None:
    rows = json.loads(run("versions", "--format", "json")[1])
    keyed = {(r["id"], r["field"]) for r in rows}
    assert ("CP24-PEOPLE-1", "label") in keyed
    assert ("CP24-PEOPLE-B", "capability[1]") in keyed
    assert ("CP24-PEOPLE-6", "label") not in keyed  # "CIBS" vs "CIBs": case only


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "xml", "graphml", "gexf",
                                 "cyjs"])
def test_export_formats(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"graph.{fmt}"
    code, _, err = run("export", "--format", fmt, "--out", str(out))
    assert code == 0, err
    assert out.stat().st_size > 10_000


def test_export_unknown_format_exits_2() -> None:
    code, _, err = run("export", "--format", "pdf")
    assert code == 2 and "unknown export format 'pdf'" in err


def test_validate_conforms() -> None:
    code, out, _ = run("validate")
    assert code == 0 and out.splitlines()[-1].startswith("conforms, with ")


def test_build_in_a_workspace_writes_the_store(workspace: Path) -> None:
    code, out, err = run("--workspace", str(workspace), "build")
    assert code == 0, err
    assert "288 elements" in out
    assert "stored in" in out
    # the Turtle export, written from the built store, holds the triples of the corpus it
    # stored; a decimal is compared by value (the store writes 0.080 as 0.08)
    from rdflib import XSD, Graph, Literal

    from alignment.graph.rdf import to_rdf
    from alignment.pipeline.building import load
    from alignment.sources.workspace import Workspace

    def triples(g: Graph) -> set[tuple[object, object, object]]:
        return {(s, p, o.value.normalize() if isinstance(o, Literal) and o.datatype == XSD.decimal
                 else o) for s, p, o in g}

    code, out, err = run("--workspace", str(workspace), "export", "--out", str(workspace / "g.ttl"))
    assert code == 0, err
    turtle = Graph().parse(workspace / "g.ttl", format="turtle")
    assert triples(turtle) == triples(to_rdf(load(Workspace(workspace, writable=True))))


def test_build_without_a_workspace_writes_nothing() -> None:
    from alignment.sources.workspace import bundled_data_dir

    code, out, _ = run("build")
    assert code == 0
    assert "nothing written" in out
    assert not (bundled_data_dir() / ".align").exists()


def test_workspace_from_environment(workspace: Path) -> None:
    code, out, _ = run("build", env={"ALIGN_WORKSPACE": str(workspace)})
    assert code == 0 and "stored in" in out


def test_not_a_workspace_exits_2(tmp_path: Path) -> None:
    code, _, err = run("--workspace", str(tmp_path), "list")
    assert code == 2 and "not a workspace" in err and "align init" in err


def test_init_refuses_an_existing_workspace(workspace: Path) -> None:
    code, _, err = run("init", str(workspace))
    assert code == 2 and "already a workspace" in err


def test_changed_source_is_refused_by_hash(workspace: Path) -> None:
    src = workspace / "sources" / "hwb-2022-26-domain4.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\nextra line\n", encoding="utf-8")
    code, _, err = run("--workspace", str(workspace), "build")
    assert code == 2
    assert "hwb-2022-26-domain4.txt: sha256 is" in err and "record the new hash" in err
    assert not (workspace / ".align").exists()


def test_store_is_used_when_current_and_ignored_when_stale(built_ws: Path) -> None:
    from alignment.pipeline import building as api
    from alignment.sources.workspace import Workspace

    workspace = built_ws
    ws = Workspace(workspace, writable=True)
    folder = api.built(ws)
    assert folder is not None and (folder / "stamp").read_text() == api.input_stamp(ws)
    reg = workspace / "registry.yaml"
    reg.write_text(reg.read_text() + "\n# edited\n")
    assert api.built(ws) is None and (folder / "stamp").read_text() != api.input_stamp(ws)


def test_completion_of_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    import alignment.cli.app as cli
    from alignment.cli.app import _complete_id

    # completion reads the workspace the command line names; here none (the bundled data), not
    # whichever an earlier command of this process named
    monkeypatch.setitem(cli._state, "workspace", None)
    monkeypatch.delenv("ALIGN_WORKSPACE", raising=False)
    assert _complete_id("hwb-4c-m") == [f"HWB-4C-M{i}" for i in range(1, 9)]


def test_a_link_a_killed_build_left_is_cleared_by_the_next(built_ws: Path) -> None:
    """A build killed between making its new link and renaming it over the old one leaves the
    link; the next build to publish removes it (two builds at once: tests/test_robustness.py)."""
    import shutil

    from alignment.sources.workspace import Workspace
    from alignment.store.builds import built, new_build_dir, publish

    ws = Workspace(built_ws, writable=True)
    current = built(ws)
    assert current is not None
    os.symlink("build-0-1", ws.store / ".current-1")  # as a build with pid 1 left it
    folder = new_build_dir(ws)
    shutil.rmtree(folder)
    shutil.copytree(current, folder)
    publish(ws, folder)
    assert built(ws) == folder and not list(ws.store.glob(".current-*"))


def test_search_matches_word_starts_not_fragments() -> None:
    hits = {r["id"] for r in json.loads(run("search", "apprentice", "--format", "json")[1])}
    assert "CP14-P5-O3-D4" in hits  # "apprenticeship scheme"
    art = {r["id"] for r in json.loads(run("search", "art", "--format", "json")[1])}
    assert "CP24-PEOPLE-9" not in art  # "partners" is not a word starting with "art"


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


def test_a_bad_base_is_a_clear_error() -> None:
    clean_error(*run("export", "--base", "not a base", "-f", "nt")[::2], "not an absolute IRI")


def test_an_unwritable_output_names_the_file(tmp_path: Path) -> None:
    clean_error(*run("matrix", "--out", "/proc/m.xlsx")[::2], "/proc/m.xlsx: cannot write here")
    (tmp_path / "afile").write_text("x")
    clean_error(*run("matrix", "--out", str(tmp_path / "afile" / "sub" / "m.csv"))[::2],
                f"{tmp_path / 'afile'} is a file, not a folder")


def test_output_to_a_folder_and_init_on_a_file_are_clear_errors(tmp_path: Path) -> None:
    clean_error(*run("export", "--out", str(tmp_path))[::2], "is a folder")
    clean_error(*run("map", "4C", "--out", str(tmp_path))[::2], "is a folder")
    (tmp_path / "afile").write_text("x")
    clean_error(*run("init", str(tmp_path / "afile"))[::2], "is a file")
    clean_error(*run("init", str(tmp_path / "afile" / "sub"))[::2], "is a file")


def test_file_outputs_refuse_a_type_they_cannot_write(tmp_path: Path) -> None:
    clean_error(*run("map", "4C", "--out", str(tmp_path / "map.txt"))[::2],
                "give a file name ending in .html")
    clean_error(*run("matrix", "--out", str(tmp_path / "m.csv"), "--format", "json")[::2],
                "the file's type follows its name")
    assert not list(tmp_path.iterdir())


def test_a_map_written_into_the_workspace_leaves_the_store_current(built_ws: Path) -> None:
    from alignment.sources.workspace import Workspace
    from alignment.store.builds import is_current

    ws = built_ws
    assert is_current(Workspace(ws, writable=True))
    assert run("--workspace", str(ws), "map", "4C", "--out", str(ws / "map.html"))[0] == 0
    assert is_current(Workspace(ws, writable=True))


def test_the_base_is_part_of_the_stamp(ws: Path) -> None:
    from alignment.sources.workspace import Workspace
    from alignment.store.builds import is_current

    assert run("--workspace", str(ws), "build", env={"ALIGN_BASE": "https://example.org/x/"})[0] == 0
    assert not is_current(Workspace(ws, writable=True))  # queried without that base
    rows = json.loads(run("--workspace", str(ws), "serves", "4C", "--parts", "--format",
                          "json")[1])
    assert len(rows) > 20


def test_a_copied_workspace_stays_current(built_ws: Path, tmp_path: Path) -> None:
    """A built workspace copied elsewhere (links kept as links) answers from its own store: the
    stamp hashes the inputs' paths relative to the workspace, and .align/current names its build
    folder relatively."""
    import shutil

    from alignment.pipeline import building as api
    from alignment.sources.workspace import Workspace

    copy = tmp_path / "elsewhere" / "copy"
    shutil.copytree(built_ws, copy, symlinks=True)
    folder = api.built(Workspace(copy, writable=True))
    assert folder is not None and folder.parent == copy / ".align"
    assert api.input_stamp(Workspace(copy, writable=True)) == \
        api.input_stamp(Workspace(built_ws, writable=True))
    shutil.rmtree(built_ws)  # the copy needs nothing of the original
    code, out, err = run("--workspace", str(copy), "sparql", "links-by-kind", "--format", "csv")
    assert code == 0 and "structural,asserted,56" in out, err


def test_the_store_is_current_until_an_input_changes_even_keeping_its_size_and_time(
        built_ws: Path) -> None:
    """A query trusts the build when the inputs' sizes, times and inodes are as the build saw
    them, and otherwise compares their content: a touched file keeps the store current, a file
    changed with its old size and modification time does not."""
    import os

    from alignment.sources.workspace import Workspace
    from alignment.store.builds import SIGNATURE_FILE, built

    ws = Workspace(built_ws, writable=True)
    assert run("--workspace", str(built_ws), "build")[0] == 0
    folder = built(ws)
    assert folder is not None and (folder / SIGNATURE_FILE).is_file()
    manifest = built_ws / "manifest.yaml"
    os.utime(manifest)  # touched, not changed: compared by content, still current
    assert built(ws) == folder
    st = manifest.stat()
    text = manifest.read_bytes()
    manifest.write_bytes(text.replace(b"Plan", b"Plon", 1))
    os.utime(manifest, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert manifest.stat().st_size == st.st_size and manifest.stat().st_mtime_ns == st.st_mtime_ns
    assert built(ws) is None


def test_the_workspace_is_found_upwards_and_the_bundled_data_is_named(
        built_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As git finds a repository: from a folder inside a workspace, that workspace is read.
    Outside any, the answer comes from the bundled data and says so after it, on stderr; an
    error stays one line."""
    monkeypatch.delenv("ALIGN_WORKSPACE", raising=False)
    monkeypatch.chdir(built_ws / "sources")
    code, out, err = run("serves", "4C", "--format", "json")
    assert code == 0 and json.loads(out) and err == ""
    code, out, err = run("build", "--force")
    assert code == 0 and out.splitlines()[-1] == f"stored in {built_ws / '.align'}", out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = run("serves", "4C", "--format", "json")
    assert code == 0 and json.loads(out)
    assert err.startswith("note: no workspace here") and "bundled Thurrock data" in err
    code, out, err = run("show", "HWB-4Z")
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("error: ")


def test_a_wrong_id_never_resolves_to_another_plans_element(ws: Path, tmp_path: Path) -> None:
    """With a plan RBC25 imported, "BF-1" (no plan BF) and "ZZ 2" are misses, not RBC25-1 and
    RBC25-2; a post's name maps the post, not the priority its last word names."""
    plan = tmp_path / "rbc.md"
    plan.write_text("# Borough plan\n\n1. Grow the local economy\n2. Improve health of residents\n",
                    encoding="utf-8")
    w = ("--workspace", str(ws))
    assert run(*w, "add", str(plan), "--plan", "RBC25", "--title", "Borough plan")[0] == 0
    assert json.loads(run(*w, "show", "RBC25 2", "--format", "json")[1])["id"] == "RBC25-2"
    for wrong in ("BF-1", "ZZ 2"):
        code, out, err = run(*w, "show", wrong)
        assert code == 2 and out == "" and f"no element matches '{wrong}'" in err, err
    code, out, err = run(*w, "map", "Executive Director of Place", "--out", str(tmp_path / "m.html"))
    assert code == 0 and "POST-ED-PLACE and its neighbourhood" in out + err


def test_help_groups_every_command_once_and_version_is_the_packages() -> None:
    from importlib.metadata import version

    code, out, _ = run("--help")
    assert code == 0
    assert re.findall(r"^(\S[^:\n]*):$", out, re.M) == ["Options", "Set up", "Ask", "Review",
                                                       "Share"]
    listed = re.findall(r"^  ([a-z][a-z-]*)  ", out, re.M)
    assert sorted(listed) == sorted(app.commands)  # each once
    code, out, _ = run("--version")
    assert code == 0 and out == f"align {version('strategy-alignment')}\n"


def test_counts_are_written_in_the_right_number(ws: Path, tmp_path: Path) -> None:
    """'1 link', never '1 links': a plan of one deliverable, mapped alone."""
    plan = tmp_path / "one.md"
    plan.write_text("# One plan\n\n1. Open one family hub\n", encoding="utf-8")
    w = ("--workspace", str(ws))
    code, _, err = run(*w, "add", str(plan), "--plan", "ONE", "--title", "One plan")
    assert code == 2 and "(1 heading, numbered item or bullet)" in err, err
    plan.write_text("# One plan\n\n1. Open one family hub\n2. Run a youth club\n", encoding="utf-8")
    assert run(*w, "add", str(plan), "--plan", "ONE", "--title", "One plan")[0] == 0
    code, out, err = run(*w, "map", "ONE-1", "--depth", "0", "--out", str(tmp_path / "m.html"))
    assert code == 0 and ": 1 node, 0 links (" in err, err


def test_option_values_are_read_in_any_case(tmp_path: Path) -> None:
    code, out, err = run("serves", "4C", "--format", "CSV")
    assert code == 0 and out.startswith("id,type,label"), err
    code, out, err = run("export", "--format", "TTL", "--out", str(tmp_path / "g.ttl"))
    assert code == 0 and (tmp_path / "g.ttl").read_text(encoding="utf-8").startswith("@prefix"), err
    code, out, err = run("sparql", "gaps", "--format", "Json")
    assert code == 0 and json.loads(out), err


def test_build_profile_times_each_step_on_stderr(built_ws: Path) -> None:
    import time

    start = time.perf_counter()
    code, out, err = run("--workspace", str(built_ws), "build", "--profile", "--force")
    wall = time.perf_counter() - start
    assert code == 0 and "stored in" in out and "Build steps" not in out
    rows = [ln.split() for ln in err.splitlines() if re.search(r"\d+\.\d\d\s+\d+\s*$", ln)]
    steps = [" ".join(r[:-2]) for r in rows]
    assert steps[0] == "reading sources/cp2024-full.txt"
    assert "validating against the SHACL shapes" in steps and steps[-1] == "making the new build current"
    peaks = [int(r[-1]) for r in rows]
    assert peaks == sorted(peaks) and peaks[-1] > 30  # the peak so far, in MiB
    assert 0 < sum(float(r[-2]) for r in rows) <= wall + 0.01  # the steps' times, measured


def test_build_writes_data_on_stdout_and_warnings_on_stderr(built_ws: Path) -> None:
    code, out, err = run("--workspace", str(built_ws), "build", "--format", "json")
    assert code == 0
    report = json.loads(out)  # stdout is the data alone
    assert report["elements"] == 288 and report["conforms"] is True
    assert report["stored"].endswith(".align") and len(report["warnings"]) == 3
    assert [f"warning: {w}" for w in report["warnings"]] == err.splitlines()
    code, out, err = run("--workspace", str(built_ws), "build")
    assert "warning:" not in out and err.count("warning: ") == 3
