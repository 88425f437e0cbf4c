"""`align`: the command line of the strategy alignment engine.

A thin adapter: each command parses its arguments, calls one library function, and hands the
result to alignment.output.render. Errors map to exit codes in one place (main): 0 ok, 1 a check found
problems, 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from alignment.errors import AlignError, InputError
from alignment.output.render import (
    Format,
    render_decisions,
    render_links,
    render_matrix,
    render_paths,
    render_record,
    render_rows,
    result_body,
    write_table,
)
from alignment.output.terminal import argument_problem, emit, printable
from alignment.sources.workspace import Workspace, locate


class _Group(click.Group):
    """Maps the library's errors to a one-line message and an exit code, for every command;
    lists the commands in the order they are defined."""


    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def, override]
        try:
            return super().invoke(ctx)
        except AlignError as exc:
            _err(f"error: {exc}")
            ctx.exit(exc.exit_code)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with the whole first paragraph of its help, wrapped, never cut."""
        rows = [(name, " ".join((cmd.help or "").split("\n\n")[0].split()))
                for name, cmd in self.commands.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


_state: dict[str, str | None] = {"workspace": None}


@click.group(cls=_Group, no_args_is_help=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--workspace", "-w", envvar="ALIGN_WORKSPACE",
              help="Workspace folder (default: the current folder if it holds manifest.yaml, "
                   "else the bundled data, read-only).")
def app(workspace: str | None) -> None:
    """Turn a council's plans into one graph, and ask how they connect."""
    _state["workspace"] = workspace


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


def _ws() -> Workspace:
    return locate(_state["workspace"])


def _complete_id(incomplete: str) -> list[str]:
    """Shell completion of element, post and strategy IDs."""
    try:
        corpus = _api().load(_ws())
    except AlignError:
        return []
    ids = [e.id for e in corpus.elements] + [a.id for a in corpus.agents]
    ids += [s.id for s in corpus.strategies]
    return [i for i in ids if i.lower().startswith(incomplete.lower())]


def _complete_agent(incomplete: str) -> list[str]:
    try:
        corpus = _api().load(_ws())
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
    return click.option("--format", "-f", "fmt", type=click.Choice([m.value for m in Format]),
                        default="table", show_default=True, callback=lambda c, p, v: Format(v),
                        help="Output format.")(f)


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
@format_option
def build(fmt: Format) -> None:
    """Read every source in the manifest, build and validate the graph, and store it."""
    ws = _ws()
    report = _api().build(ws, progress=lambda m: _err(f"· {m}") if sys.stderr.isatty() else None)
    rows = _query().summary(report.corpus)
    _out(render_rows(rows, fmt, ["id", "type", "count"], title="Elements read, per document"))
    if fmt != Format.table:
        return
    c = report.corpus
    _out(f"\n{len(c.elements)} elements, {len(c.agents)} posts and teams, {len(c.strategies)} "
         f"strategies, {len(c.links)} links; SHACL: conforms "
         f"({report.shape_warnings} warnings; 'align validate' lists them)\n")
    for w in c.warnings:
        _out(f"warning: {w}\n")
    if report.written:
        where = report.written
        if where.is_relative_to(Path.cwd()):
            where = where.relative_to(Path.cwd())
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
@click.option("--check", is_flag=True,
              help="Only show what would be read (the tree of levels, IDs and owners); write "
                   "nothing.")
@format_option
def add(file: Path, plan: str, title: str, layout: str | None, kind: str | None,
        period: str | None, strategy: str | None, levels: str | None, doc_id: str | None,
        publisher: str | None, sheet: str | None, check: bool, fmt: Format) -> None:
    """Add a plan to the workspace from an outline, a spreadsheet or a YAML file."""
    from alignment.output.render import render_import
    from alignment.pipeline.add import add_document

    report = add_document(_ws(), file, plan, title, layout=layout, kind=kind, period=period,
                          strategy=strategy, doc_id=doc_id, publisher=publisher, sheet=sheet,
                          levels=[w.strip() for w in levels.split(",") if w.strip()]
                          if levels else None, dry_run=check)
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
def validate() -> None:
    """Check the built graph against the SHACL shapes (exit 1 if it does not conform)."""
    from alignment.graph.rdf import to_rdf
    from alignment.graph.validate import validate as run

    result = run(to_rdf(_api().load(_ws())))
    _out(result.text if not result.conforms or result.warnings else "")
    _out(f"conforms: {result.conforms} ({result.violations} violations, "
         f"{result.warnings} warnings)\n")
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
@format_option
def list_(plan: str | None, type_: str | None, post: str | None, fmt: Format) -> None:
    """List elements in document order, filtered by plan, type and post."""
    rows = _query().list_elements(_store(_ws()), plan=plan, type=type_, post=post)
    _out(render_rows(rows, fmt))


@app.command()
@click.argument("text",
                help="The words that must all appear.")
@format_option
def search(text: str, fmt: Format) -> None:
    """Find elements whose text contains every word given."""
    _out(render_rows(_query().search(_store(_ws()), text), fmt))


@app.command()
@click.argument("name", shell_complete=_agents,
                help="A post or team: its name, an alias or its ID.")
@format_option
def director(name: str, fmt: Format) -> None:
    """Everything a post or team is accountable for, across plans."""
    agent, rows = _query().director(_store(_ws()), name)
    _out(render_rows(rows, fmt, ["id", "type", "label", "accountable", "source"],
                     title=f"{agent.label} ({agent.id}): {len(rows)} elements"))


@app.command()
@format_option
def versions(fmt: Format) -> None:
    """Wording differences between published versions of the same document."""
    _out(render_rows(_query().versions(_store(_ws())), fmt,
                     ["id", "field", "label", "document", "variant"]))


@app.command()
@click.option("--format", "-f", "fmt", default="ttl", show_default=True,
              help="ttl, jsonld, nt or graphml.")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="File to write (default: standard output).")
@click.option("--base", help="Base IRI of the graph's nodes (default $ALIGN_BASE or the project's).")
def export(fmt: str, out: Path | None, base: str | None) -> None:
    """Export the graph as Turtle, JSON-LD, N-Triples or GraphML."""
    from alignment.graph.exporting import export as run

    text = run(_api().load(_ws()), fmt, base)
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
@format_option
def serves(goal: str, min_score: float | None, kind: list[str] | None, plan: str | None,
           status: str | None, parts: bool, current: bool, fmt: Format) -> None:
    """What serves a goal (or names a strategy): what the documents state, what officers
    decided, then the suggestions, current plans first and strongest first."""

    ws = _ws()
    store = _store(ws)
    target = _query().resolve(store, goal)
    rows, hidden = _serving().serves_and_parts(store, target, min_score, kind, plan, status,
                                                parts, current)
    title = f"{target}: {len(rows)} link{'' if len(rows) == 1 else 's'}"
    if hidden and not kind:
        title += f" (and its own {hidden} actions and milestones: --parts lists them)"
    _out(render_links(rows, fmt, title))
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
@format_option
def supports(ref: str, min_score: float | None, status: str | None, fmt: Format) -> None:
    """The reverse of serves: which goals and strategies an element serves or names."""

    store = _store(_ws())
    source = _query().resolve(store, ref)
    rows = _serving().supports(store, source, min_score, status)
    _out(render_links(rows, fmt, f"{source}: serves or names {len(rows)}"))


@app.command()
@min_score_option
@status_option
@click.option("--plan", help="Only this plan's goals or deliverables.")
@format_option
def gaps(min_score: float | None, status: str | None, plan: str | None, fmt: Format) -> None:
    """Goals that nothing outside their own plan serves, and deliverables that serve no goal."""
    rows = _serving().gaps(_store(_ws()), min_score, status, plan)
    _out(render_rows(rows, fmt, ["gap", "id", "plan", "label", "source"] if fmt == Format.table
                     else None))


@app.command()
@id_argument("a", "One end: an ID or a forgiving reference.")
@id_argument("b", "The other end: an ID or a forgiving reference.")
@format_option
def why(a: str, b: str, fmt: Format) -> None:
    """The paths that connect two elements, each step explained."""
    store = _store(_ws())
    ida, idb = _query().resolve(store, a), _query().resolve(store, b)
    if ida == idb:
        raise InputError(f"'{a}' and '{b}' are the same element, {ida}; name two")
    rows = _serving().why(store, ida, idb)
    n = len({r["path"] for r in rows})
    _out(render_paths(rows, fmt, f"{ida} and {idb}: {n} shortest path{'s' if n != 1 else ''}"))


@app.command()
@min_score_option
@status_option
@click.option("--plan", help="Only deliverables of this plan.")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to a .csv or .xlsx file.")
@format_option
def matrix(min_score: float | None, status: str | None, plan: str | None, out: Path | None,
           fmt: Format) -> None:
    """The deliverables x goals coverage matrix, for a board paper (CSV or XLSX)."""
    if out is not None and fmt != Format.table:
        raise InputError(f"--format is for what is printed; the file's type follows its name "
                         f"({out.name}: .csv or .xlsx)")
    columns, rows = _serving().matrix(_store(_ws()), min_score, status, plan)
    if out is None:
        _out(render_matrix(rows, fmt, columns))
        return
    write_table(out, rows, columns, sheet="Coverage")
    _err(f"wrote {out} ({len(rows)} deliverables)")


@app.command()
@click.option("--min-score", type=float, default=None,
              help="Only continuity links scoring at least this (words shared, TF-IDF cosine; "
                   "default: the threshold fitted on the judged pairs, 0.175).")
@click.option("--only", help="Only 'carried on', 'disappeared' or 'new'.")
@format_option
def continuity(min_score: float | None, only: str | None, fmt: Format) -> None:
    """Which deliverables of an older plan carried on into a newer one, which disappeared, and
    which are new."""
    rows = _serving().continuity(_store(_ws()), min_score, only)
    _out(render_rows(rows, fmt, ["status", "id", "label", "into", "score"]
                     if fmt == Format.table else None))


@app.command()
@id_argument("goal")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Show at most this many (0: all).")
@click.option("--all", "all_", is_flag=True,
              help="Also every element of another plan that no link joins to the goal, with "
                   "the score a suggestion would have (slower: reads the whole corpus).")
@format_option
def review(goal: str, limit: int, all_: bool, fmt: Format) -> None:
    """The links a rule made to a goal, with the link IDs to accept or reject: first what the
    documents state and no one has checked, then the suggestions strongest first, then what
    officers decided."""

    ws = _ws()
    store = _store(ws)
    target = _query().resolve(store, goal)
    rows = _serving().review(store, target)
    if all_:
        more = _serving().candidates(_api().load(ws), target, {r["id"] for r in rows})
        decided = [r for r in rows if r["decision"]]
        rows = [r for r in rows if not r["decision"]] + more + decided
    shown = rows[:limit] if limit else rows
    open_ = [r for r in rows if not r["decision"] and r["link"]]
    stated = sum(1 for r in open_ if r["status"] == "asserted")
    title = (f"{target}: {len(open_)} to decide ({stated} stated by the documents, unchecked; "
             f"{len(open_) - stated} suggested)"
             + (f", {len(rows) - len(open_)} not linked" if all_ else "")
             + (f", {sum(1 for r in rows if r['decision'])} decided"
                if any(r["decision"] for r in rows) else "")
             + (f"; the first {len(shown)} shown" if len(shown) < len(rows) else ""))
    if fmt == Format.table:
        for r in shown:
            r["group"] = r["review"]
            r["id"] = r["link"] or r["id"]
    _out(render_links(shown, fmt, title))
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
@format_option
@click.option("--in-force", is_flag=True, help="Leave out withdrawn decisions.")
def decisions(fmt: Format, in_force: bool) -> None:
    """The officers' decisions recorded in this workspace, numbered, withdrawn ones marked."""
    rows = _decisions().listing(_ws(), withdrawn=not in_force)
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


@app.command("map")
@click.argument("focus", required=False, shell_complete=_ids,
                help="Centre the map on this element (or strategy, or post); omit it for the whole graph.")
@click.option("--out", "-o", type=click.Path(path_type=Path), default="map.html",
              show_default=True, help="HTML file to write.")
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
    """Write an interactive linkage map: one self-contained HTML file that works offline."""
    from alignment.graph import maps
    from alignment.output.htmlmap import render_html

    if sum(x is not None for x in (focus, strategy, post)) > 1:
        raise InputError("give one centre: a focus, --strategy or --post")
    if not out.is_dir() and out.suffix.lower() not in {".html", ".htm"}:
        raise InputError(f"{out}: a map is an HTML page; give a file name ending in .html")
    corpus = _api().load(_ws())
    centre = _query().resolve(corpus, focus) if focus else None
    data = maps.select(corpus, focus=centre, depth=depth, plan=plan, kinds=kind,
                       min_score=min_score,
                       strategy=_query().resolve(corpus, strategy) if strategy else None,
                       post=_query().resolve_agent(corpus, post).id if post else None)
    _api().write_atomic(out, render_html(data))
    _out(f"wrote {out}: {len(data.nodes)} nodes, {len(data.edges)} links ({'; '.join(data.filters)})\n")


@app.command("sparql")
@click.argument("query", required=False,
                help="A query, a .rq file, or the name of a query from --list.")
@click.option("--bind", multiple=True,
              help="name=value, bound as an RDF term (repeatable): an ID such as HWB-4C becomes "
                   "its IRI, <...> an IRI, a number a number.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              help="table, json, xml, csv or tsv (SELECT/ASK); ttl, nt, xml or jsonld "
                   "(CONSTRUCT/DESCRIBE).")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to a file.")
@click.option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the workspace's store.")
@click.option("--allow-external", is_flag=True,
              help="Allow SERVICE and FROM, which reach outside the graph.")
@click.option("--allow-update", is_flag=True,
              help="Allow SPARQL updates (INSERT, DELETE, LOAD and the like).")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="Stop the query after this many seconds (default: $ALIGN_SPARQL_TIMEOUT, "
                   "else 30; 0: no limit).")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
def sparql_(query: str | None, bind: list[str], fmt: str, out: Path | None, endpoint: str | None,
            allow_external: bool, allow_update: bool, timeout: float | None, list_: bool) -> None:
    """Run SPARQL 1.1 on the graph (read-only and contained unless a flag allows more)."""
    from alignment.iri import base_iri
    from alignment.store import sparql

    if list_:
        rows = [{"id": q.name, "type": "query", "label": q.title, "description": q.description,
                 "parameters": ", ".join(f"{p.name} ({p.kind}): {p.help}" for p in q.params)}
                for q in sparql.named_queries().values()]
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
    timeout = sparql.default_timeout() if timeout is None else timeout
    if endpoint:
        result = sparql.run_endpoint(endpoint, text, bindings, fmt, base, guard, timeout)
    else:
        sparql.check(text, guard)  # refused before any store is opened or built
        result = sparql.run_local(_store(_ws()), text, bindings, fmt, base, guard, timeout)
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
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]),
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
