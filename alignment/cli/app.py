"""`align`: the command line of the strategy alignment engine.

A thin adapter: each command parses its arguments, calls one library function, and hands the
result to alignment.output.render. Errors map to exit codes in one place (main): 0 ok, 1 a check found
problems, 2 bad input.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from alignment.errors import AlignError, InputError, Interrupted
from alignment.output.render import (
    HEADERS,
    Format,
    file_format,
    render_decisions,
    render_links,
    render_matrix,
    render_paths,
    render_record,
    render_rows,
    result_body,
    write_rows,
    write_table,
)
from alignment.output.terminal import argument_problem, emit, printable
from alignment.sources.workspace import Workspace, locate
from alignment.text import counted


def _stopped(message: str) -> NoReturn:
    """End the process at Ctrl-C, after saying so: a query the engine still runs on another
    thread is abandoned, and the interpreter's own shutdown could wait for it."""
    import os

    _err(message)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(Interrupted.exit_code)


class _Group(click.Group):
    """Maps the library's errors to a one-line message and an exit code, for every command;
    lists the commands in the order they are defined."""


    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def, override]
        try:
            result = super().invoke(ctx)
        except KeyboardInterrupt:  # Ctrl-C outside a query's wait: said the same way
            _stopped("error: stopped at Ctrl-C")
        except AlignError as exc:
            if exc.exit_code == Interrupted.exit_code:
                _stopped(f"error: {exc}")
            _err(f"error: {exc}")
            ctx.exit(exc.exit_code)
        if _state.get("bundled"):  # after the answer, so that an error stays one line
            _err("note: no workspace here or in a folder above, so this answered from the "
                 "bundled Thurrock data; 'cd' into your workspace, or name it with --workspace")
        return result

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands in groups (GROUPS), each with the whole first paragraph of its help,
        wrapped, never cut; a command in no group is listed under "Other"."""
        placed = {name for names in GROUPS.values() for name in names}
        groups = {**GROUPS, "Other": tuple(n for n in self.commands if n not in placed)}
        for title, names in groups.items():
            rows = [(n, " ".join((self.commands[n].help or "").split("\n\n")[0].split()))
                    for n in names if n in self.commands]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


#: the sections of `align --help`, in the order an officer meets them
GROUPS = {
    "Set up": ("init", "add", "remove", "template", "build", "validate", "completion"),
    "Ask": ("serves", "supports", "show", "list", "search", "director", "gaps", "why",
            "continuity", "versions"),
    "Review": ("review", "accept", "reject", "add-link", "withdraw", "decisions"),
    "Share": ("report", "map", "matrix", "export", "sparql", "push"),
}


_state: dict[str, str | None] = {"workspace": None}


@click.group(cls=_Group, no_args_is_help=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="strategy-alignment", prog_name="align",
                      message="%(prog)s %(version)s")
@click.option("--workspace", "-w", envvar="ALIGN_WORKSPACE",
              help="Workspace folder (default: the nearest folder holding manifest.yaml, from "
                   "the current one upwards, else the bundled data, read-only).")
def app(workspace: str | None) -> None:
    """Turn a council's plans into one graph, and ask how they connect."""
    _state["workspace"] = workspace
    _state["bundled"] = None


# The library is imported command by command, so that a quick question does not load it all.
def _api():  # type: ignore[no-untyped-def]
    from alignment.pipeline import building as api

    return api


def _query():  # type: ignore[no-untyped-def]
    from alignment.questions import elements as query

    return query


def _serving():  # type: ignore[no-untyped-def]
    from alignment.questions import serving

    return serving


def _decisions():  # type: ignore[no-untyped-def]
    from alignment.links import decisions

    return decisions


def _ws(quiet: bool = False) -> Workspace:
    """The workspace of this command. When it is the bundled data, the command ends by saying so
    (an officer outside their workspace must not take the Thurrock answers for their own)."""
    ws = locate(_state["workspace"])
    if not ws.writable and not quiet:
        _state["bundled"] = "yes"
    return ws


def _complete_id(incomplete: str) -> list[str]:
    """Shell completion of element, post and strategy IDs."""
    try:
        corpus = _api().load(_ws(quiet=True))
    except AlignError:
        return []
    ids = [e.id for e in corpus.elements] + [a.id for a in corpus.agents]
    ids += [s.id for s in corpus.strategies]
    return [i for i in ids if i.lower().startswith(incomplete.lower())]


def _complete_agent(incomplete: str) -> list[str]:
    try:
        corpus = _api().load(_ws(quiet=True))
    except AlignError:
        return []
    return [a.label for a in corpus.agents if a.label.lower().startswith(incomplete.lower())]


def _ids(_ctx: Any, _param: Any, incomplete: str) -> list[str]:
    return _complete_id(incomplete)


def _agents(_ctx: Any, _param: Any, incomplete: str) -> list[str]:
    return _complete_agent(incomplete)


def _words(_ctx: Any, _param: Any, value: Any) -> Any:
    """Kinds and statuses are words: any case is taken."""
    if isinstance(value, tuple | list):
        return [v.lower() for v in value] or None
    return value.lower() if value else value


_ID_HELP = "An ID or a forgiving reference: '4C', 'hwb 4c', 'people 21', a label fragment."


def id_argument(name: str, help: str = _ID_HELP):  # type: ignore[no-untyped-def]
    """A positional element reference, completed from the workspace's IDs."""
    return click.argument(name, help=help, shell_complete=_ids)


def format_option(f):  # type: ignore[no-untyped-def]
    return click.option("--format", "-f", "fmt",
                        type=click.Choice([m.value for m in Format], case_sensitive=False),
                        default="table", show_default=True, callback=lambda c, p, v: Format(v),
                        help="Output format.")(f)


def output_options(f):  # type: ignore[no-untyped-def]
    """--format and --out for a command that returns rows: the command gets the format the
    answer takes (a file's, from its name) and the file, if any."""

    @functools.wraps(f)
    def run(*args: Any, fmt: Format | None, out: Path | None, **kwargs: Any) -> Any:
        return f(*args, fmt=file_format(out, fmt), out=out, **kwargs)

    run = click.option("--out", "-o", type=click.Path(path_type=Path),
                       help="Write the rows to this file, in the type its name gives: .csv (for "
                            "spreadsheets: UTF-8 with a byte-order mark, CRLF), .xlsx or "
                            ".json.")(run)
    return click.option("--format", "-f", "fmt",
                        type=click.Choice([m.value for m in Format], case_sensitive=False),
                        default=None, callback=lambda c, p, v: Format(v) if v else None,
                        help="Output format: table (the default), json or csv (plain UTF-8, "
                             "for pipes).")(run)


def _rows_out(out: Path, rows: list[dict[str, Any]], command: str, sheet: str,
              columns: list[str] | None = None) -> None:
    write_rows(out, rows, columns, sheet, header=HEADERS.get(command))
    _err(f"wrote {out} ({len(rows)} row{'' if len(rows) == 1 else 's'})")


def min_score_option(f):  # type: ignore[no-untyped-def]
    return click.option("--min-score", type=float, default=None,
                        help="Only suggestions scoring at least this (default: the evaluated "
                             "threshold). A suggestion scores its similarity above its plan's "
                             "baseline. Asserted links, accepted suggestions included, always "
                             "count.")(f)


def status_option(f):  # type: ignore[no-untyped-def]
    return click.option("--status", callback=_words,
                        help="Only links of this status: asserted, suggested or rejected.")(f)


def decision_options(f):  # type: ignore[no-untyped-def]
    """Why, by whom and when: the options every decision takes."""
    for option in reversed([
            click.option("--why", default="", help="The reason, kept with the decision."),
            click.option("--by", help="Who decides (default: your user name)."),
            click.option("--date", help="When it was decided, YYYY-MM-DD (default: today), e.g. "
                                        "the board's date.")]):
        f = option(f)
    return f


def _out(text: str) -> None:
    emit(text)


def _err(text: str) -> None:
    emit(text + "\n", sys.stderr)


@app.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".",
                help="The folder to create (default: the current folder).")
def init(directory: Path) -> None:
    """Create a workspace seeded with the bundled Thurrock documents and curated files."""
    from alignment.sources.workspace import init_workspace

    ws = init_workspace(directory)
    _out(f"workspace created: {directory} ({len(list(ws.path('sources').iterdir()))} sources)\n"
         f"next: cd {directory} && align build\n")


@app.command()
@click.option("--profile", is_flag=True,
              help="Then print on stderr the seconds and peak memory of each step.")
@click.option("--quiet", "-q", is_flag=True,
              help="Only the counts, the warnings and where it was stored (no table).")
@click.option("--force", is_flag=True,
              help="Build again even when nothing changed since the last build.")
@format_option
def build(profile: bool, quiet: bool, force: bool, fmt: Format) -> None:
    """Read every source in the manifest, build and validate the graph, and store it."""
    ws = _ws()
    say = (lambda m: _err(f"· {m}")) if sys.stderr.isatty() else None
    times = _api().StepTimes(say) if profile else None
    report = _api().build(ws, progress=times or say, force=force)
    if times:
        _err(render_rows(times.finish(), Format.table, ["step", "seconds", "peak MiB"],
                         title="Build steps").rstrip("\n"))
    c = report.counts
    rows = c.rows
    where = report.written
    if where is not None and where.is_relative_to(Path.cwd()):
        where = where.relative_to(Path.cwd())
    for w in c.warnings:  # on stderr in every format: stdout carries the data alone
        _err(f"warning: {w}")
    if fmt == Format.json:
        import json

        _out(json.dumps({"documents": rows, "elements": c.elements,
                         "posts_and_teams": c.agents, "strategies": c.strategies,
                         "links": c.links, "conforms": report.conforms,
                         "shape_warnings": report.shape_warnings, "warnings": c.warnings,
                         "stored": str(where) if where else None,
                         "unchanged": report.unchanged}, indent=2) + "\n")
        return
    if not (quiet and fmt == Format.table):
        _out(render_rows(rows, fmt, ["id", "type", "count"], title="Elements read, per document"))
    if fmt != Format.table:
        return
    _out(f"{'' if quiet else chr(10)}{counted(c.elements, 'element')}, "
         f"{counted(c.agents, 'post or team', 'posts and teams')}, "
         f"{counted(c.strategies, 'strategy', 'strategies')}, "
         f"{counted(c.links, 'link')}; SHACL: conforms "
         f"({counted(report.shape_warnings, 'warning')}; 'align validate' lists them)\n")
    if where and report.unchanged:
        _out(f"nothing changed since the last build, stored in {where}: it stands "
             f"('align build --force' builds again)\n")
    elif where:
        _out(f"stored in {where}\n")
    else:
        _out(f"{ws.describe()}: nothing written; 'align init DIR' creates a workspace\n")


@app.command()
@click.argument("file", type=click.Path(path_type=Path),
                help="The plan: a .md or .txt outline, a .csv or .xlsx sheet, or a .yaml file.")
@click.option("--plan", required=True, help="The new plan's ID, e.g. CYP25.")
@click.option("--title", required=True, help="The plan's title.")
@click.option("--layout", help="outline, csv, xlsx or yaml (default: from the file's suffix).")
@click.option("--kind", help="What the plan is, e.g. 'strategy', 'delivery plan' (default: plan).")
@click.option("--period", help="e.g. 2025-2028.")
@click.option("--strategy", help="The registry strategy this plan is the document of, e.g. "
                                 "STRAT-BRIGHTER-FUTURES: its goals are then served by whatever "
                                 "names it.")
@click.option("--levels", help="The type of each level, top first, e.g. "
                               "'outcome,priority,deliverable'.")
@click.option("--id", "doc_id", help="The document's ID (default: from the file name).")
@click.option("--publisher", help="Who published it.")
@click.option("--sheet", help="The workbook sheet (xlsx).")
@click.option("--follows", help="The plan this one succeeds, e.g. CP24: continuity "
                                "suggestions link their deliverables.")
@click.option("--check", is_flag=True,
              help="Only show what would be read (the tree of levels, IDs and owners); write "
                   "nothing.")
@format_option
def add(file: Path, plan: str, title: str, layout: str | None, kind: str | None,
        period: str | None, strategy: str | None, levels: str | None, doc_id: str | None,
        publisher: str | None, sheet: str | None, follows: str | None, check: bool,
        fmt: Format) -> None:
    """Add a plan to the workspace from an outline, a spreadsheet or a YAML file."""
    from alignment.output.render import render_import
    from alignment.pipeline.add import add_document

    report = add_document(_ws(), file, plan, title, layout=layout, kind=kind, period=period,
                          strategy=strategy, doc_id=doc_id, publisher=publisher, sheet=sheet,
                          levels=[w.strip() for w in levels.split(",") if w.strip()]
                          if levels else None, dry_run=check, follows=follows)
    _out(render_import(report, fmt))


@app.command()
@click.argument("plan",
                help="The plan's ID, e.g. CYP25.")
def remove(plan: str) -> None:
    """Take a plan and its documents out of the workspace (their files stay in sources/)."""
    from alignment.pipeline.add import remove_plan

    done = remove_plan(_ws(), plan)
    _out(f"removed plan {done['plan']} and its documents ({', '.join(done['documents'])}) from "
         f"the manifest; the files stay: {', '.join(done['kept'])}\n"
         f"next: 'align build' rebuilds the graph without it\n")


@app.command()
@click.argument("kind",
                help="csv, yaml or outline.")
def template(kind: str) -> None:
    """Print a filled-in example plan to start from."""
    from alignment.readers import template as example

    _out(example(kind))


@app.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "ttl", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text, or the W3C SHACL validation report as Turtle (ttl) or JSON-LD (json).")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Write the report to this file (default: standard output).")
def validate(fmt: str, out: Path | None) -> None:
    """Check the built graph against the SHACL shapes (exit 1 if a violation is found;
    warnings are listed and let it pass)."""
    from alignment.graph.rdf import to_rdf
    from alignment.graph.validate import report, results_text, summary
    from alignment.graph.validate import validate as run

    result = run(to_rdf(_api().load(_ws())))
    text = report(result, fmt) if fmt != "text" else \
        (results_text(result) if result.violations or result.warnings else "") + \
        summary(result) + "\n"
    if out is None:
        _out(text)
    else:
        _api().write_atomic(out, text)
        _err(f"wrote {out}: {summary(result)}")
    if not result.conforms:
        raise SystemExit(1)


@app.command()
@id_argument("ref")
@format_option
def show(ref: str, fmt: Format) -> None:
    """An element with its parents, children, responsible posts, references and provenance."""
    store = _store(_ws())
    _out(render_record(_query().show(store, _query().resolve(store, ref)), fmt))


@app.command("list")
@click.option("--plan", help="Plan ID: CP24, CP14, HWB.")
@click.option("--type", "type_", help="Element type (Deliverable, Goal, Action…), or Post, Team, "
                                      "Strategy.")
@click.option("--post", shell_complete=_agents,
              help="Only what this post or team is accountable for.")
@output_options
def list_(plan: str | None, type_: str | None, post: str | None, fmt: Format,
          out: Path | None) -> None:
    """List elements in document order, filtered by plan, type and post."""
    rows = _query().list_elements(_store(_ws()), plan=plan, type=type_, post=post)
    if out:
        return _rows_out(out, rows, "list", " ".join(filter(None, ["List", plan, type_, post])))
    _out(render_rows(rows, fmt, header=HEADERS["list"]))


@app.command()
@click.argument("text",
                help="The words that must all appear.")
@output_options
def search(text: str, fmt: Format, out: Path | None) -> None:
    """Find elements whose text contains every word given."""
    rows = _query().search(_store(_ws()), text)
    if out:
        return _rows_out(out, rows, "search", f"Search {text}")
    _out(render_rows(rows, fmt, header=HEADERS["search"]))


@app.command()
@click.argument("name", shell_complete=_agents,
                help="A post or team: its name, an alias or its ID.")
@output_options
def director(name: str, fmt: Format, out: Path | None) -> None:
    """Everything a post or team is accountable for, across plans."""
    agent, rows = _query().director(_store(_ws()), name)
    if out:
        return _rows_out(out, rows, "director", agent.label, HEADERS["director"])
    _out(render_rows(rows, fmt, ["id", "type", "label", "accountable", "source"],
                     title=f"{agent.label} ({agent.id}): {counted(len(rows), 'element')}"))


@app.command()
@output_options
def versions(fmt: Format, out: Path | None) -> None:
    """Wording differences between published versions of the same document."""
    rows = _query().versions(_store(_ws()))
    if out:
        return _rows_out(out, rows, "versions", "Versions", HEADERS["versions"])
    _out(render_rows(rows, fmt, HEADERS["versions"]))


@app.command()
@click.option("--format", "-f", "fmt", callback=lambda c, p, v: v.lower() if v else v,
              help="ttl (the default), nt, nq or trig (in the named graph BASE/graph), jsonld "
                   "(compacted, with its @context), xml (RDF/XML), graphml, gexf (Gephi) or "
                   "cyjs (for Cytoscape); with --out, the file's name gives it.")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="File to write (default: standard output).")
@click.option("--base", help="Base IRI of the graph's nodes (default $ALIGN_BASE or the project's).")
def export(fmt: str | None, out: Path | None, base: str | None) -> None:
    """Export the graph for RDF tools (Turtle, JSON-LD, RDF/XML, N-Triples, N-Quads, TriG) or
    for graph tools (GraphML, GEXF, Cytoscape JSON)."""
    from alignment.graph.exporting import export_format

    text = _api().export(_ws(), export_format(fmt, out), base)
    if out is None:
        _out(text)
    else:
        _api().write_atomic(out, text)
        _err(f"wrote {out}")


@app.command()
@id_argument("goal")
@min_score_option
@click.option("--kind", multiple=True, callback=_words,
              help="Only these kinds (repeatable): structural, curated, explicit, inherited, "
                   "similarity, references.")
@click.option("--plan", help="Only elements of this plan.")
@status_option
@click.option("--parts", is_flag=True,
              help="Also list the goal's own actions and year-one milestones.")
@click.option("--current", is_flag=True,
              help="Leave out plans whose period has ended (the manifest gives each period).")
@output_options
def serves(goal: str, min_score: float | None, kind: list[str] | None, plan: str | None,
           status: str | None, parts: bool, current: bool, fmt: Format,
           out: Path | None) -> None:
    """What serves a goal (or names a strategy): what the documents state, what officers
    decided, then the suggestions, current plans first and strongest first."""

    ws = _ws()
    store = _store(ws)
    target = _query().resolve(store, goal)
    rows, hidden = _serving().serves_and_parts(store, target, min_score, kind, plan, status,
                                                parts, current)
    title = f"{target}: {counted(len(rows), 'link')}"
    if hidden and not kind:
        title += (f" (and its own {counted(hidden, 'action or milestone', 'actions and milestones')}"
                  ": --parts lists them)")
    if out:
        _rows_out(out, rows, "serves", f"Serves {target}")
    else:
        _out(render_links(rows, fmt, title, HEADERS["serves"]))
    if not rows:
        _not_a_goal(store, target)


def _store(ws: Workspace):  # type: ignore[no-untyped-def]
    """The workspace's store: the built one, or one built in memory (said on stderr)."""
    from alignment.store.oxigraph import open_built

    store = open_built(ws)
    if store is None:
        if ws.writable:
            _err("· the store is not built from the present files: answering from a build in "
                 "memory ('align build' stores it)")
        store = _api().open_store(ws)
    return store


def _not_a_goal(store: Any, target: str, command: str = "serves") -> None:
    """A note when the question was asked of a domain or plan, not a goal."""
    note = _serving().not_a_goal(store, target, command)
    if note:
        _err(note)


@app.command()
@id_argument("ref")
@min_score_option
@status_option
@output_options
def supports(ref: str, min_score: float | None, status: str | None, fmt: Format,
             out: Path | None) -> None:
    """The reverse of serves: which goals and strategies an element serves or names."""

    store = _store(_ws())
    source = _query().resolve(store, ref)
    rows = _serving().supports(store, source, min_score, status)
    if out:
        return _rows_out(out, rows, "supports", f"Supports {source}")
    _out(render_links(rows, fmt, f"{source}: serves or names {len(rows)}", HEADERS["supports"]))


@app.command()
@min_score_option
@status_option
@click.option("--plan", help="Only this plan's goals or deliverables.")
@output_options
def gaps(min_score: float | None, status: str | None, plan: str | None, fmt: Format,
         out: Path | None) -> None:
    """Goals that nothing outside their own plan serves, and deliverables that serve no goal."""
    rows = _serving().gaps(_store(_ws()), min_score, status, plan)
    if out:
        return _rows_out(out, rows, "gaps", f"Gaps {plan or ''}")
    _out(render_rows(rows, fmt, ["gap", "id", "plan", "label", "source"] if fmt == Format.table
                     else None, header=HEADERS["gaps"]))


@app.command()
@id_argument("a", "One end: an ID or a forgiving reference.")
@id_argument("b", "The other end: an ID or a forgiving reference.")
@output_options
def why(a: str, b: str, fmt: Format, out: Path | None) -> None:
    """The paths that connect two elements, each step explained."""
    store = _store(_ws())
    ida, idb = _query().resolve(store, a), _query().resolve(store, b)
    if ida == idb:
        raise InputError(f"'{a}' and '{b}' are the same element, {ida}; name two")
    rows = _serving().why(store, ida, idb)
    n = len({r["path"] for r in rows})
    if out:
        return _rows_out(out, rows, "why", f"{ida} and {idb}")
    _out(render_paths(rows, fmt, f"{ida} and {idb}: {n} shortest path{'s' if n != 1 else ''}"))


@app.command()
@min_score_option
@status_option
@click.option("--plan", help="Only deliverables of this plan.")
@output_options
def matrix(min_score: float | None, status: str | None, plan: str | None, out: Path | None,
           fmt: Format) -> None:
    """The deliverables x goals coverage matrix, for a board paper (CSV or XLSX)."""
    columns, rows = _serving().matrix(_store(_ws()), min_score, status, plan)
    if out is None:
        _out(render_matrix(rows, fmt, columns))
        return
    write_table(out, rows, columns, sheet=f"Coverage {plan or ''}")
    _err(f"wrote {out} ({counted(len(rows), 'deliverable')})")


@app.command()
@click.option("--min-score", type=float, default=None,
              help="Only continuity links scoring at least this (words shared, TF-IDF cosine; "
                   "default: the threshold fitted on the judged pairs, 0.175).")
@click.option("--only", help="Only 'carried on', 'disappeared' or 'new'.")
@output_options
def continuity(min_score: float | None, only: str | None, fmt: Format, out: Path | None) -> None:
    """Which deliverables of an older plan carried on into a newer one, which disappeared, and
    which are new."""
    rows = _serving().continuity(_store(_ws()), min_score, only)
    if out:
        return _rows_out(out, rows, "continuity", "Continuity")
    _out(render_rows(rows, fmt, ["status", "id", "label", "into", "score"]
                     if fmt == Format.table else None, header=HEADERS["continuity"]))


@app.command()
@id_argument("goal")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Show at most this many (0: all).")
@click.option("--all", "all_", is_flag=True,
              help="Also every element of another plan that no link joins to the goal, with "
                   "the score a suggestion would have (slower: reads the whole corpus).")
@click.option("--plan", help="Only elements of this plan (one just imported, say).")
@output_options
def review(goal: str, limit: int, all_: bool, plan: str | None, fmt: Format,
           out: Path | None) -> None:
    """The links a rule made to a goal, with the link IDs to accept or reject: first what the
    documents state and no one has checked, then the suggestions strongest first, then what
    officers decided."""

    ws = _ws()
    store = _store(ws)
    target = _query().resolve(store, goal)
    rows = _serving().review(store, target, plan)
    if all_:
        more = _serving().candidates(_api().load(ws), target, {r["id"] for r in rows}, plan)
        decided = [r for r in rows if r["decision"]]
        rows = [r for r in rows if not r["decision"]] + more + decided
    if any(r["decision"] for r in rows):  # what officers decided moves what reads alike
        rows = _serving().learned(rows, _api().load(ws), target)
    shown = rows[:limit] if limit else rows
    open_ = [r for r in rows if not r["decision"] and r["link"]]
    stated = sum(1 for r in open_ if r["status"] == "asserted")
    title = (f"{target}: {len(open_)} to decide ({stated} stated by the documents, unchecked; "
             f"{len(open_) - stated} suggested)"
             + (f", {len(rows) - len(open_)} not linked" if all_ else "")
             + (f", {sum(1 for r in rows if r['decision'])} decided"
                if any(r["decision"] for r in rows) else "")
             + (f"; the first {len(shown)} shown" if len(shown) < len(rows) else ""))
    if out:
        _rows_out(out, shown, "review", f"Review {target}")
    else:
        if fmt == Format.table:
            for r in shown:
                r["group"] = r["review"]
                r["id"] = r["link"] or r["id"]
        _out(render_links(shown, fmt, title, HEADERS["review"]))
    if not rows:
        _not_a_goal(store, target, "review")


@app.command()
@click.argument("link",
                help="A link ID from 'align review'.")
@decision_options
def accept(link: str, why: str, by: str | None, date: str | None) -> None:
    """Accept a suggested link: it becomes asserted on every later build."""
    _decide("accept", link, why, by, date)


@app.command()
@click.argument("link",
                help="A link ID from 'align review'.")
@decision_options
@click.option("--siblings", is_flag=True,
              help="For an inherited link: also reject the links inherited the same way (from "
                   "the same element, for the same goal).")
def reject(link: str, why: str, by: str | None, date: str | None, siblings: bool) -> None:
    """Reject a link: it is kept, as rejected, and no longer counts as serving its goal."""
    corpus = _decide("reject", link, why, by, date)
    lk = _serving().find_link(corpus, link)
    others = _serving().siblings(corpus, lk)
    if not others:
        return
    ids = ", ".join(o.source for o in others)
    if not siblings and sys.stdin.isatty() and sys.stdout.isatty():
        question = (f"{len(others)} other link{'s are' if len(others) > 1 else ' is'} inherited "
                    f"from {lk.path[0]} for {lk.target} ({ids}); reject "
                    f"{'them' if len(others) > 1 else 'it'} too?")
        siblings = click.confirm(printable(question), default=False)
    if siblings:
        for o in others:
            note = why or f"rejected with {lk.id}, inherited the same way"
            d, earlier = _decisions().record(_ws(), corpus, o.source, o.target, "reject", note,
                                              by, date)
            _recorded(d, o.id, earlier)
    else:
        _err(f"· {len(others)} other link{'s' if len(others) > 1 else ''} inherited from "
             f"{lk.path[0]} for {lk.target} still stand{'s' if len(others) == 1 else ''} "
             f"({ids}): 'align reject {lk.id} "
             f"--siblings' rejects them too")


@app.command("add-link")
@id_argument("source", "What serves: an ID or a forgiving reference.")
@id_argument("target", "What it serves: a goal or strategy, an ID or a forgiving reference.")
@decision_options
def add_link(source: str, target: str, why: str, by: str | None, date: str | None) -> None:
    """Add a link the machine did not find (a curated link)."""
    corpus = _api().load(_ws())
    d, earlier = _decisions().record(_ws(), corpus, _query().resolve(corpus, source),
                                      _query().resolve(corpus, target), "add", why, by, date)
    _recorded(d, f"{d.source} -> {d.target}", earlier)


def _decide(action: str, link: str, why: str, by: str | None, date: str | None) -> Any:
    """Record the decision; the corpus it was checked against is returned."""
    corpus = _api().load(_ws())
    lk = _serving().find_link(corpus, link)
    d, earlier = _decisions().record(_ws(), corpus, lk.source, lk.target, action, why, by, date)
    _recorded(d, lk.id, earlier)
    return corpus


def _recorded(d: Any, what: str, earlier: int | None) -> None:
    if earlier is None:
        _out(f"recorded: {d.decision} {what}; 'align build' refreshes the store\n")
    else:
        _out(f"already recorded: {d.decision} {what} (decision {earlier}, by {d.by} on "
             f"{d.date}); nothing changed\n")


@app.command()
@output_options
@click.option("--in-force", is_flag=True, help="Leave out withdrawn decisions.")
def decisions(fmt: Format, out: Path | None, in_force: bool) -> None:
    """The officers' decisions recorded in this workspace, numbered, withdrawn ones marked."""
    rows = _decisions().listing(_ws(), withdrawn=not in_force)
    if out:
        return _rows_out(out, rows, "decisions", "Decisions", HEADERS["decisions"])
    _out(render_decisions(rows, fmt))


@app.command()
@click.argument("ref",
                help="The decision's number in 'align decisions', or the link's ID.")
@click.option("--by", help="Who withdraws it (default: your user name).")
@click.option("--date", help="When, YYYY-MM-DD (default: today).")
def withdraw(ref: str, by: str | None, date: str | None) -> None:
    """Withdraw a decision: the machine's link stands again on the next build. The decision
    stays in the file, marked as withdrawn, so the others keep their numbers."""
    n, d = _decisions().withdraw(_ws(), ref, by, date)
    _out(f"withdrawn: decision {n}, {d.decision} {d.source} -> {d.target}; 'align build' "
         f"refreshes the store\n")


@app.command()
@click.argument("goal", required=False, shell_complete=_ids,
                help="The goal to report on (or give --plan or --post instead).")
@click.option("--plan", help="Report on this plan: its priorities, what their deliverables serve.")
@click.option("--post", shell_complete=_agents,
              help="Report on this post or team: what it is accountable for, what that serves.")
@click.option("--out", "-o", type=click.Path(path_type=Path), default="report.html",
              show_default=True, help="The page to write: .html, or .pdf (printed by Chromium).")
@click.option("--current", is_flag=True, help="Leave out plans whose period has ended (a goal's report).")
@click.option("--landscape", is_flag=True, help="Print the PDF on A4 landscape (default portrait).")
@min_score_option
def report(goal: str | None, plan: str | None, post: str | None, out: Path, current: bool,
           landscape: bool, min_score: float | None) -> None:
    """Write a report for a board paper, one self-contained page that prints: a goal's (its
    text, what serves it by plan and priority, with evidence, sources and owners, and a
    picture), a plan's (--plan: its priorities, what each deliverable serves, owners, what
    serves nothing) or a post's (--post: what it is accountable for and what that serves)."""
    import datetime

    from alignment.files import write_atomic
    from alignment.output import report as pages
    from alignment.questions import report as reports
    from alignment.store.builds import built

    if sum(x is not None for x in (goal, plan, post)) != 1:
        raise InputError("give one subject: a GOAL, --plan ID or --post NAME")
    if current and goal is None:
        raise InputError("--current narrows a goal's report; leave it out with --plan or --post")
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise InputError(f"{out}: write the report as .html or .pdf")
    ws = _ws()
    store = _store(ws)
    folder = built(ws)
    when = (datetime.datetime.fromtimestamp(folder.stat().st_mtime).strftime("%d %B %Y")
            if folder else "in memory from the present files")
    if goal is not None:
        target = _query().resolve(store, goal)
        data = reports.goal_report(store, target, min_score, current)
        page = pages.render_report(data, when, ws.describe())
        said = (f"{target}, {counted(data['links'], 'link')} from "
                f"{counted(len(data['plans']), 'plan')}")
    elif plan is not None:
        data = reports.plan_report(store, plan, min_score)
        page = pages.render_plan_report(data, when, ws.describe())
        said = (f"plan {data['id']}, {counted(data['deliverables'], 'deliverable')}, "
                f"{counted(len(data['unserved']), 'deliverable')} serving no goal")
    else:
        data = reports.post_report(store, str(post), min_score)
        page = pages.render_post_report(data, when, ws.describe())
        said = (f"{data['id']}, accountable for {counted(data['elements'], 'element')} in "
                f"{counted(len(data['plans']), 'plan')}")
    if out.suffix.lower() == ".pdf":
        pages.print_pdf(page, out, landscape)
    else:
        write_atomic(out, page)
    _err(f"wrote {out}: {said}")


@app.command("map")
@click.argument("focus", required=False, shell_complete=_ids,
                help="Centre the map on this element (or strategy, or post); omit it for the whole graph.")
@click.option("--out", "-o", type=click.Path(path_type=Path), default="map.html",
              show_default=True, help="The file to write: .html (interactive), .svg or .png "
                                      "(the same picture, static; PNG through Chromium).")
@click.option("--depth", type=int, default=2, show_default=True,
              help="Links from the focus to include.")
@click.option("--plan", help="Only this plan and what it links to.")
@click.option("--strategy", help="Centre on a named strategy or programme (ID or name).")
@click.option("--post", shell_complete=_agents, help="Centre on a post or team (name or ID).")
@click.option("--kind", multiple=True, callback=_words,
              help="Only these link kinds (repeatable).")
@min_score_option
def map_(focus: str | None, out: Path, depth: int, plan: str | None, strategy: str | None,
         post: str | None, kind: list[str] | None, min_score: float | None) -> None:
    """Write a linkage map: one self-contained HTML page that works offline, or the same
    picture as SVG or PNG. Its nodes stand in columns (plan, priority, deliverable, goal; or
    what serves the focus on its left and what it serves on its right); a map of more than a
    few hundred nodes is grouped by plan and priority."""
    from alignment.graph import maps
    from alignment.output import svgmap
    from alignment.output.htmlmap import render_html

    if sum(x is not None for x in (focus, strategy, post)) > 1:
        raise InputError("give one centre: a focus, --strategy or --post")
    kind_of = out.suffix.lower()
    if not out.is_dir() and kind_of not in {".html", ".htm", ".svg", ".png"}:
        raise InputError(f"{out}: a map is written as .html (interactive), .svg or .png; give "
                         f"a file name ending in .html, .svg or .png")
    corpus = _api().load(_ws())
    centre = _query().resolve(corpus, focus) if focus else None
    data = maps.select(corpus, focus=centre, depth=depth, plan=plan, kinds=kind,
                       min_score=min_score,
                       strategy=_query().resolve(corpus, strategy) if strategy else None,
                       post=_query().resolve_agent(corpus, post).id if post else None)
    if out.is_dir() or kind_of in {".html", ".htm"}:  # a folder: refused as it is written
        _api().write_atomic(out, render_html(data))
    else:
        from alignment.graph.layout import place

        picture = svgmap.render_svg(data, place(data))
        if kind_of == ".svg":
            _api().write_atomic(out, picture)
        else:
            svgmap.write_png(picture, out)
    _err(f"wrote {out}: {counted(len(data.nodes), 'node')}, {counted(len(data.edges), 'link')} "
         f"({'; '.join(data.filters)})")


@app.command("sparql")
@click.argument("query", required=False,
                help="A query, a .rq file, or the name of a query from --list.")
@click.option("--bind", multiple=True,
              help="name=value, bound as an RDF term (repeatable): an ID such as HWB-4C becomes "
                   "its IRI, <...> an IRI, a number a number.")
@click.option("--format", "-f", "fmt", callback=lambda c, p, v: v.lower() if v else v,
              help="table (the default), json, xml, csv or tsv: the W3C results formats "
                   "(SELECT; ASK: table, json or xml); ttl (the default), nt, xml or jsonld "
                   "(json: JSON-LD) for CONSTRUCT and DESCRIBE.")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Write to a file, in the format its name gives (.csv, .tsv, .json, .xml, "
                   ".ttl, .nt, .jsonld, .rdf; .xlsx: the rows as a workbook).")
@click.option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the workspace's store.")
@click.option("--allow-external", is_flag=True,
              help="Allow SERVICE and FROM, which reach outside the graph.")
@click.option("--allow-update", is_flag=True,
              help="Allow SPARQL updates (INSERT, DELETE, LOAD and the like).")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="Stop the query after this many seconds (default: $ALIGN_SPARQL_TIMEOUT, "
                   "else 30; 0: no limit).")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
def sparql_(query: str | None, bind: list[str], fmt: str | None, out: Path | None,
            endpoint: str | None, allow_external: bool, allow_update: bool,
            timeout: float | None, list_: bool) -> None:
    """Run SPARQL 1.1 on the graph (read-only and contained unless a flag allows more)."""
    import re

    from alignment.iri import base_iri
    from alignment.store import sparql

    fmt = sparql.out_format(fmt, out)
    if list_:
        rows = [{"id": q.name, "type": "query", "label": q.title, "description": q.description,
                 "parameters": ", ".join(f"{p.name} ({p.kind}): {p.help}" for p in q.params)}
                for q in sparql.named_queries().values()]
        if out is not None:
            file_format(out, None)  # a .csv, .xlsx or .json file
            return _rows_out(out, rows, "sparql", "Named queries")
        _out(render_rows(rows, Format.table if fmt == "table" else Format(fmt)
                         if fmt in {"json", "csv"} else Format.table,
                         ["id", "label", "parameters"] if fmt == "table" else None))
        return
    if not query:
        raise InputError("give a query, a .rq file or a query name ('align sparql --list')")
    named = sparql.named_query(query)
    if named:
        text = named.text
    elif query.endswith(".rq") or (len(query) < 250 and Path(query).is_file()):
        text = sparql.read_query(Path(query))
    elif re.fullmatch(r"[\w-]+", query):  # one word: meant as a query's name
        import difflib

        near = difflib.get_close_matches(query, list(sparql.named_queries()), n=3, cutoff=0.5)
        raise InputError(f"no named query '{query}'"
                         + (f" (nearest: {', '.join(near)})" if near else "")
                         + "; 'align sparql --list' lists them")
    else:
        text = query
    base = base_iri()
    bindings = dict(sparql.parse_binding(b, named, base) for b in bind or [])
    if named:
        missing = [p.name for p in named.params if p.name not in bindings]
        if missing:
            raise InputError(f"query '{named.name}' needs --bind {missing[0]}=... "
                             f"({next(p.help for p in named.params if p.name == missing[0])})")
    guard = sparql.Guard(allow_external=allow_external, allow_update=allow_update)
    run = "table" if fmt == "xlsx" else fmt
    timeout = sparql.default_timeout() if timeout is None else timeout
    if endpoint:
        result = sparql.run_endpoint(endpoint, text, bindings, run, base, guard, timeout)
    else:
        sparql.check(text, guard)  # refused before any store is opened or built
        store = _store(_ws())
        if named:  # an ID parameter is resolved as any ID argument is ("goal=4C")
            bindings.update(_resolved_bindings(store, named, bind or [], base))
        result = sparql.run_local(store, text, bindings, run, base, guard, timeout)
    if fmt == "xlsx" and out is not None:
        if result.rows is None:
            raise InputError(f"{out.name}: a {result.form} answer is not rows; write it to a "
                             f".ttl, .nt, .jsonld or .rdf file")
        return _rows_out(out, result.rows, "sparql", "SPARQL")
    if result.rows is not None:
        body = render_rows(result.rows, Format.table).encode("utf-8")
    else:
        body = result_body(result.body, result.media_type)
    if out:
        _api().write_atomic(out, body)
        _err(f"wrote {out}")
    else:
        if body and not body.endswith(b"\n"):
            body += b"\n"  # a terminal line ends; files keep the exact bytes
        _out(body.decode("utf-8"))


def _resolved_bindings(store: Any, named: Any, bind: list[str], base: str) -> dict[str, Any]:
    """The ID parameters of a named query, resolved in the store like any ID argument."""
    from alignment.errors import NotFoundError
    from alignment.store.sparql import parse_binding

    ids = {p.name for p in named.params if p.kind == "id"}
    out = {}
    for b in bind:
        name, _, value = b.partition("=")
        name, value = name.strip().lstrip("?$"), value.strip()
        if name in ids:
            try:
                found = _query().resolve(store, value)
            except NotFoundError as exc:
                raise NotFoundError(f"--bind {name}: {exc}") from None
            out.update([parse_binding(f"{name}={found}", named, base)])
    return out


@app.command()
@click.option("--store", required=True,
              help="The Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
                   "http://host:3030/ds/data (Fuseki).")
@click.option("--graph", help="Put the graph into this named graph (default: the default graph).")
def push(store: str, graph: str | None) -> None:
    """Upload the built graph to a SPARQL store (Graph Store Protocol; replaces that graph)."""
    from alignment.graph.rdf import to_rdf
    from alignment.store import sparql

    sparql.endpoint_url(store, "--store")  # refused before the graph is read
    data = to_rdf(_api().load(_ws())).serialize(format="nt", encoding="utf-8")
    sparql.push(store, data, graph)
    _out(f"pushed {len(data) // 1024} KiB of N-Triples to {store}"
         f"{' graph ' + graph if graph else ' (default graph)'}\n")


@app.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"], case_sensitive=False),
                help="bash, zsh or fish. For bash, add the line "
                     "'eval \"$(align completion bash)\"' to ~/.bashrc.")
def completion(shell: str) -> None:
    """Print the script that completes commands, options, IDs and post names in your shell."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None
    _out(cls(app, {}, "align", "_ALIGN_COMPLETE").source())


def main() -> None:
    problem = argument_problem(sys.argv[1:])
    if problem:
        _err(f"error: {problem}")
        sys.exit(2)
    app(prog_name="align")


if __name__ == "__main__":
    main()
