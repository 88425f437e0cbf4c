"""`align`: the command line of the strategy alignment engine.

A thin adapter: each command parses its arguments, calls one library function, and hands the
result to alignment.output. Errors map to exit codes in one place (main): 0 ok, 1 a check found
problems, 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from alignment.errors import AlignError, InputError
from alignment.output import (
    Format,
    render_decisions,
    render_links,
    render_matrix,
    render_paths,
    render_record,
    render_rows,
    write_table,
)
from alignment.workspace import Workspace, locate


class _Group(TyperGroup):
    """Maps the library's errors to a one-line message and an exit code, for every command."""

    def invoke(self, ctx: typer.Context):  # type: ignore[no-untyped-def, override]
        try:
            return super().invoke(ctx)
        except AlignError as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


app = typer.Typer(cls=_Group, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False,
                  help="Turn a council's plans into one graph, and ask how they connect.")

_state: dict[str, str | None] = {"workspace": None}


# The library is imported command by command, so that a quick question does not load it all.
def _api():  # type: ignore[no-untyped-def]
    from alignment import api

    return api


def _query():  # type: ignore[no-untyped-def]
    from alignment import query

    return query


def _serving():  # type: ignore[no-untyped-def]
    from alignment import serving

    return serving


def _decisions():  # type: ignore[no-untyped-def]
    from alignment import decisions

    return decisions

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


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


IdArg = Annotated[str, typer.Argument(help="An ID or a forgiving reference: '4C', 'hwb 4c', "
                                           "'people 21', a label fragment.",
                                      autocompletion=_complete_id)]


def _out(text: str) -> None:
    sys.stdout.write(text)


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


@app.callback()
def _main(workspace: Annotated[str | None, typer.Option(
        "--workspace", "-w", envvar="ALIGN_WORKSPACE",
        help="Workspace folder (default: the current folder if it holds manifest.yaml, else the "
             "bundled data, read-only).")] = None) -> None:
    _state["workspace"] = workspace


@app.command()
def init(directory: Annotated[Path, typer.Argument(help="Folder to create.")] = Path(".")) -> None:
    """Create a workspace seeded with the bundled Thurrock documents and curated files."""
    from alignment.workspace import init_workspace

    ws = init_workspace(directory)
    _out(f"workspace created: {directory} ({len(list(ws.path('sources').iterdir()))} sources)\n"
         f"next: cd {directory} && align build\n")


@app.command()
def build(fmt: FormatOpt = Format.table) -> None:
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
def add(file: Annotated[Path, typer.Argument(help="The plan: .md/.txt outline, .csv, .xlsx or "
                                                  ".yaml.")],
        plan: Annotated[str, typer.Option(help="The new plan's ID, e.g. CYP25.")],
        title: Annotated[str, typer.Option(help="The plan's title.")],
        layout: Annotated[str | None, typer.Option(
            help="outline, csv, xlsx or yaml (default: from the file's suffix).")] = None,
        kind: Annotated[str | None, typer.Option(
            help="What the plan is, e.g. 'strategy', 'delivery plan' (default: plan).")] = None,
        period: Annotated[str | None, typer.Option(help="e.g. 2025-2028.")] = None,
        strategy: Annotated[str | None, typer.Option(
            help="The registry strategy this plan is the document of, e.g. "
                 "STRAT-BRIGHTER-FUTURES: its goals are then served by whatever names it.")]
        = None,
        levels: Annotated[str | None, typer.Option(
            help="The type of each level, top first, e.g. 'outcome,priority,deliverable'.")]
        = None,
        doc_id: Annotated[str | None, typer.Option(
            "--id", help="The document's ID (default: from the file name).")] = None,
        publisher: Annotated[str | None, typer.Option(help="Who published it.")] = None,
        sheet: Annotated[str | None, typer.Option(help="The workbook sheet (xlsx).")] = None,
        check: Annotated[bool, typer.Option(
            "--check", help="Only report what would be read; write nothing.")] = False,
        fmt: FormatOpt = Format.table) -> None:
    """Add a plan to the workspace from an outline, a spreadsheet or a YAML file."""
    from alignment.importers.add import add_document
    from alignment.output import render_import

    report = add_document(_ws(), file, plan, title, layout=layout, kind=kind, period=period,
                          strategy=strategy, doc_id=doc_id, publisher=publisher, sheet=sheet,
                          levels=[w.strip() for w in levels.split(",") if w.strip()]
                          if levels else None, dry_run=check)
    _out(render_import(report, fmt))


@app.command()
def remove(plan: Annotated[str, typer.Argument(help="The plan's ID, e.g. CYP25.")]) -> None:
    """Take a plan and its documents out of the workspace (their files stay in sources/)."""
    from alignment.importers.add import remove_plan

    done = remove_plan(_ws(), plan)
    _out(f"removed plan {done['plan']} and its documents ({', '.join(done['documents'])}) from "
         f"the manifest; the files stay: {', '.join(done['kept'])}\n"
         f"next: 'align build' rebuilds the graph without it\n")


@app.command()
def template(kind: Annotated[str, typer.Argument(help="csv, yaml or outline.")]) -> None:
    """Print a filled-in example plan to start from (csv, yaml or outline)."""
    from alignment.importers import template as example

    _out(example(kind))


@app.command()
def validate() -> None:
    """Check the built graph against the SHACL shapes (exit 1 if it does not conform)."""
    from alignment.rdf import to_rdf
    from alignment.validate import validate as run

    result = run(to_rdf(_api().load(_ws())))
    _out(result.text if not result.conforms or result.warnings else "")
    _out(f"conforms: {result.conforms} ({result.violations} violations, "
         f"{result.warnings} warnings)\n")
    if not result.conforms:
        raise typer.Exit(1)


@app.command()
def show(ref: IdArg, fmt: FormatOpt = Format.table) -> None:
    """An element with its parents, children, responsible posts, references and provenance."""
    corpus = _api().load(_ws())
    _out(render_record(_query().show(corpus, _query().resolve(corpus, ref)), fmt))


@app.command("list")
def list_(plan: Annotated[str | None, typer.Option(help="Plan ID: CP24, CP14, HWB.")] = None,
          type: Annotated[str | None, typer.Option(
              "--type", help="Element type (Deliverable, Goal, Action…), or Post, Team, "
                             "Strategy.")] = None,
          post: Annotated[str | None, typer.Option(
              help="Only what this post or team is accountable for.",
              autocompletion=_complete_agent)] = None,
          fmt: FormatOpt = Format.table) -> None:
    """List elements in document order, filtered by plan, type and post."""
    rows = _query().list_elements(_api().load(_ws()), plan=plan, type=type, post=post)
    _out(render_rows(rows, fmt))


@app.command()
def search(text: Annotated[str, typer.Argument(help="Words that must all appear.")],
           fmt: FormatOpt = Format.table) -> None:
    """Find elements whose text contains every word given."""
    _out(render_rows(_query().search(_api().load(_ws()), text), fmt))


@app.command()
def director(name: Annotated[str, typer.Argument(help="A post or team: name, alias or ID.",
                                                 autocompletion=_complete_agent)],
             fmt: FormatOpt = Format.table) -> None:
    """Everything a post or team is accountable for, across plans."""
    agent, rows = _query().director(_api().load(_ws()), name)
    _out(render_rows(rows, fmt, ["id", "type", "label", "accountable", "source"],
                     title=f"{agent.label} ({agent.id}): {len(rows)} elements"))


@app.command()
def versions(fmt: FormatOpt = Format.table) -> None:
    """Wording differences between published versions of the same document."""
    _out(render_rows(_query().versions(_api().load(_ws())), fmt,
                     ["id", "field", "label", "document", "variant"]))


@app.command()
def export(fmt: Annotated[str, typer.Option("--format", "-f",
                                            help="ttl, jsonld, nt or graphml.")] = "ttl",
           out: Annotated[Path | None, typer.Option("--out", "-o",
                                                    help="File to write (default: stdout).")] = None,
           base: Annotated[str | None, typer.Option(
               help="Base IRI of the graph's nodes (default $ALIGN_BASE or the project's).")]
           = None) -> None:
    """Export the graph as Turtle, JSON-LD, N-Triples or GraphML."""
    from alignment.exporting import export as run

    text = run(_api().load(_ws()), fmt, base)
    if out is None:
        _out(text)
    else:
        _api().write_atomic(out, text)
        _err(f"wrote {out}")


# --- alignment -------------------------------------------------------------------------------

MinScore = Annotated[float | None, typer.Option(
    "--min-score", help="Only suggestions scoring at least this (default: the evaluated "
                        "threshold). A suggestion scores its similarity above its plan's "
                        "baseline. Asserted links, accepted suggestions included, always "
                        "count.")]
ContinuityScore = Annotated[float | None, typer.Option(
    "--min-score", help="Only continuity links scoring at least this (words shared, TF-IDF "
                        "cosine; default: the threshold fitted on the judged pairs, 0.175).")]


def _lower(value: str | list[str] | None) -> str | list[str] | None:
    """Kinds and statuses are words: any case is taken."""
    if isinstance(value, list):
        return [v.lower() for v in value]
    return value.lower() if value else value


StatusOpt = Annotated[str | None, typer.Option(
    "--status", callback=_lower,
    help="Only links of this status: asserted, suggested or rejected.")]


@app.command()
def serves(goal: IdArg,
           min_score: MinScore = None,
           kind: Annotated[list[str] | None, typer.Option(
               "--kind", callback=_lower,
               help="Only these kinds (repeatable): structural, curated, explicit, "
                              "inherited, similarity, references.")] = None,
           plan: Annotated[str | None, typer.Option(help="Only elements of this plan.")] = None,
           status: StatusOpt = None,
           fmt: FormatOpt = Format.table) -> None:
    """What serves a goal (or names a strategy), grouped by kind, strongest first."""
    from alignment import storeanswers
    from alignment.resolve import resolve_id

    ws = _ws()
    store = storeanswers.open_current(ws)
    if store is not None:  # the built store answers without loading the corpus
        from alignment.iri import base_iri

        target = resolve_id(storeanswers.node_index(store), goal)
        rows = storeanswers.serves(store, base_iri(), target, min_score, kind, plan, status)
    else:
        corpus = _api().load(ws)
        target = _query().resolve(corpus, goal)
        rows = _serving().serves(corpus, target, min_score, kind, plan, status)
    _out(render_links(rows, fmt, f"{target}: {len(rows)} links serve it or name it"))
    if not rows:
        _not_a_goal(ws, target)


def _not_a_goal(ws: Any, target: str, command: str = "serves") -> None:
    """A note when the question was asked of a domain or plan, not a goal."""
    note = _serving().not_a_goal(_api().load(ws), target, command)
    if note:
        _err(note)


@app.command()
def supports(ref: IdArg, min_score: MinScore = None, status: StatusOpt = None,
             fmt: FormatOpt = Format.table) -> None:
    """The reverse of serves: which goals and strategies an element serves or names."""
    corpus = _api().load(_ws())
    source = _query().resolve(corpus, ref)
    rows = _serving().supports(corpus, source, min_score, status)
    _out(render_links(rows, fmt, f"{source}: serves or names {len(rows)}"))


@app.command()
def gaps(min_score: MinScore = None, status: StatusOpt = None,
         plan: Annotated[str | None, typer.Option(help="Only this plan's goals or deliverables.")]
         = None,
         fmt: FormatOpt = Format.table) -> None:
    """Goals that nothing outside their own plan serves, and deliverables that serve no goal."""
    rows = _serving().gaps(_api().load(_ws()), min_score, status, plan)
    _out(render_rows(rows, fmt, ["gap", "id", "plan", "label", "source"] if fmt == Format.table
                     else None))


@app.command()
def why(a: IdArg, b: IdArg, fmt: FormatOpt = Format.table) -> None:
    """The paths that connect two elements, each step explained."""
    corpus = _api().load(_ws())
    ida, idb = _query().resolve(corpus, a), _query().resolve(corpus, b)
    if ida == idb:
        raise InputError(f"'{a}' and '{b}' are the same element, {ida}; name two")
    rows = _serving().why(corpus, ida, idb)
    n = len({r["path"] for r in rows})
    _out(render_paths(rows, fmt, f"{ida} and {idb}: {n} shortest path{'s' if n != 1 else ''}"))


@app.command()
def matrix(min_score: MinScore = None, status: StatusOpt = None,
           plan: Annotated[str | None, typer.Option(help="Only deliverables of this plan.")] = None,
           out: Annotated[Path | None, typer.Option(
               "--out", "-o", help="Write to a .csv or .xlsx file.")] = None,
           fmt: FormatOpt = Format.table) -> None:
    """The deliverables x goals coverage matrix, for a board paper (CSV or XLSX)."""
    if out is not None and fmt != Format.table:
        raise InputError(f"--format is for what is printed; the file's type follows its name "
                         f"({out.name}: .csv or .xlsx)")
    columns, rows = _serving().matrix(_api().load(_ws()), min_score, status, plan)
    if out is None:
        _out(render_matrix(rows, fmt, columns))
        return
    write_table(out, rows, columns, sheet="Coverage")
    _err(f"wrote {out} ({len(rows)} deliverables)")


@app.command()
def continuity(min_score: ContinuityScore = None,
               only: Annotated[str | None, typer.Option(
                   help="Only 'carried on', 'disappeared' or 'new'.")] = None,
               fmt: FormatOpt = Format.table) -> None:
    """Which deliverables of an older plan carried on into a newer one or disappeared, and which are new."""
    rows = _serving().continuity(_api().load(_ws()), min_score, only)
    _out(render_rows(rows, fmt, ["status", "id", "label", "into", "score"]
                     if fmt == Format.table else None))


@app.command()
def review(goal: IdArg,
           limit: Annotated[int, typer.Option(min=0, help="Show at most this many (0: all).")]
           = 20,
           fmt: FormatOpt = Format.table) -> None:
    """The machine's suggestions for a goal, strongest first, with the link IDs to accept or reject."""
    corpus = _api().load(_ws())
    target = _query().resolve(corpus, goal)
    rows = _serving().review(corpus, target)
    shown = rows[:limit] if limit else rows
    if fmt == Format.table:
        for r in shown:
            r["id"] = r["link"]
    open_ = sum(1 for r in rows if r["status"] == "suggested")
    title = (f"{target}: {len(rows)} suggestions, {open_} to decide"
             + (f", {len(rows) - open_} decided" if open_ < len(rows) else "")
             + (f"; the first {len(shown)} shown" if len(shown) < len(rows) else ""))
    _out(render_links(shown, fmt, title))
    if not rows:
        _not_a_goal(_ws(), target, "review")


WhyOpt = Annotated[str, typer.Option("--why", help="The reason, kept with the decision.")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who decides (default: your user name).")]
DateOpt = Annotated[str | None, typer.Option(
    "--date", help="When it was decided, YYYY-MM-DD (default: today), e.g. the board's date.")]


@app.command()
def accept(link: Annotated[str, typer.Argument(help="A link ID from 'align review'.")],
           why: WhyOpt = "", by: ByOpt = None, date: DateOpt = None) -> None:
    """Accept a suggested link: it becomes asserted on every later build."""
    _decide("accept", link, why, by, date)


@app.command()
def reject(link: Annotated[str, typer.Argument(help="A link ID from 'align review'.")],
           why: WhyOpt = "", by: ByOpt = None, date: DateOpt = None) -> None:
    """Reject a link: it is kept, as rejected, and no longer shown as serving its goal."""
    _decide("reject", link, why, by, date)


@app.command("add-link")
def add_link(source: IdArg, target: IdArg, why: WhyOpt = "", by: ByOpt = None,
             date: DateOpt = None) -> None:
    """Add a link the machine did not find (a curated link)."""
    corpus = _api().load(_ws())
    d, earlier = _decisions().record(_ws(), corpus, _query().resolve(corpus, source),
                                      _query().resolve(corpus, target), "add", why, by, date)
    _recorded(d, f"{d.source} -> {d.target}", earlier)


def _decide(action: str, link: str, why: str, by: str | None, date: str | None) -> None:
    corpus = _api().load(_ws())
    lk = _serving().find_link(corpus, link)
    d, earlier = _decisions().record(_ws(), corpus, lk.source, lk.target, action, why, by, date)
    _recorded(d, lk.id, earlier)


def _recorded(d: Any, what: str, earlier: int | None) -> None:
    if earlier is None:
        _out(f"recorded: {d.decision} {what}; 'align build' refreshes the store\n")
    else:
        _out(f"already recorded: {d.decision} {what} (decision {earlier}, by {d.by} on "
             f"{d.date}); nothing changed\n")


@app.command()
def decisions(fmt: FormatOpt = Format.table,
              in_force: Annotated[bool, typer.Option(
                  "--in-force", help="Leave out withdrawn decisions.")] = False) -> None:
    """The officers' decisions recorded in this workspace, numbered, withdrawn ones marked."""
    rows = _decisions().listing(_ws(), withdrawn=not in_force)
    _out(render_decisions(rows, fmt))


@app.command()
def withdraw(ref: Annotated[str, typer.Argument(
                 help="The decision's number in 'align decisions', or the link's ID.")],
             by: ByOpt = None, date: DateOpt = None) -> None:
    """Withdraw a decision: the machine's link stands again on the next build.

    The decision stays in the file, marked as withdrawn, so the others keep their numbers.
    """
    n, d = _decisions().withdraw(_ws(), ref, by, date)
    _out(f"withdrawn: decision {n}, {d.decision} {d.source} -> {d.target}; 'align build' "
         f"refreshes the store\n")


@app.command("map")
def map_(focus: Annotated[str | None, typer.Argument(
            help="Centre the map on this element (or strategy, or post); omit for the whole "
                 "graph.", autocompletion=_complete_id)] = None,
         out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")]
         = Path("map.html"),
         depth: Annotated[int, typer.Option(help="Links from the focus to include.")] = 2,
         plan: Annotated[str | None, typer.Option(help="Only this plan and what it links to.")]
         = None,
         strategy: Annotated[str | None, typer.Option(
             help="Centre on a named strategy or programme (ID or name).")] = None,
         post: Annotated[str | None, typer.Option(
             help="Centre on a post or team (name or ID).", autocompletion=_complete_agent)]
         = None,
         kind: Annotated[list[str] | None, typer.Option(
             "--kind", callback=_lower, help="Only these link kinds (repeatable).")] = None,
         min_score: MinScore = None) -> None:
    """Write an interactive linkage map: one self-contained HTML file that works offline."""
    from alignment import maps
    from alignment.htmlmap import render_html

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


# --- SPARQL --------------------------------------------------------------------------------


@app.command("sparql")
def sparql_(query: Annotated[str | None, typer.Argument(
                help="A query, a .rq file, or the name of a query from --list.")] = None,
            bind: Annotated[list[str] | None, typer.Option(
                "--bind", help="name=value, bound as an RDF term (repeatable): an ID such as "
                               "HWB-4C becomes its IRI, <...> an IRI, a number a number.")] = None,
            fmt: Annotated[str, typer.Option(
                "--format", "-f", help="table, json, xml, csv or tsv (SELECT/ASK); ttl, nt, "
                                       "xml or jsonld (CONSTRUCT/DESCRIBE).")] = "table",
            out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to a file.")]
            = None,
            endpoint: Annotated[str | None, typer.Option(
                help="Run on this SPARQL 1.1 endpoint instead of the workspace's store.")] = None,
            allow_external: Annotated[bool, typer.Option(
                help="Allow SERVICE and FROM, which reach outside the graph.")] = False,
            allow_update: Annotated[bool, typer.Option(
                help="Allow SPARQL updates (INSERT, DELETE, LOAD, ...).")] = False,
            list_: Annotated[bool, typer.Option("--list", help="List the named queries.")]
            = False) -> None:
    """Run SPARQL 1.1 on the graph (read-only and contained unless a flag allows more)."""
    from alignment import sparql
    from alignment.iri import base_iri

    library = sparql.named_queries()
    if list_:
        rows = [{"id": q.name, "type": "query", "label": q.title, "description": q.description,
                 "parameters": ", ".join(f"{p.name} ({p.kind}): {p.help}" for p in q.params)}
                for q in library.values()]
        _out(render_rows(rows, Format.table if fmt == "table" else Format(fmt)
                         if fmt in {"json", "csv"} else Format.table,
                         ["id", "label", "parameters"] if fmt == "table" else None))
        return
    if not query:
        raise InputError("give a query, a .rq file or a query name ('align sparql --list')")
    named = library.get(query)
    if named:
        text = named.text
    elif query.endswith(".rq") or (len(query) < 250 and Path(query).is_file()):
        try:
            text = Path(query).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{query}: cannot read the query file ({exc.strerror})") from None
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
    if endpoint:
        result = sparql.run_endpoint(endpoint, text, bindings, fmt, base, guard)
    else:
        result = sparql.run_local(_api().open_store(_ws()), text, bindings, fmt, base, guard)
    if result.rows is not None:
        body = render_rows(result.rows, Format.table).encode("utf-8")
    else:
        body = result.body
    if out:
        _api().write_atomic(out, body)
        _err(f"wrote {out}")
    else:
        if body and not body.endswith(b"\n"):
            body += b"\n"  # a terminal line ends; files keep the exact bytes
        _out(body.decode("utf-8"))


@app.command()
def push(store: Annotated[str, typer.Option(
             help="The Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
                  "http://host:3030/ds/data (Fuseki).")],
         graph: Annotated[str | None, typer.Option(
             help="Put the graph into this named graph (default: the default graph).")]
         = None) -> None:
    """Upload the built graph to a SPARQL store (Graph Store Protocol; replaces that graph)."""
    from alignment import sparql
    from alignment.rdf import to_rdf

    data = to_rdf(_api().load(_ws())).serialize(format="nt", encoding="utf-8")
    sparql.push(store, data, graph)
    _out(f"pushed {len(data) // 1024} KiB of N-Triples to {store}"
         f"{' graph ' + graph if graph else ' (default graph)'}\n")


def main() -> None:
    app(prog_name="align")


if __name__ == "__main__":
    main()
