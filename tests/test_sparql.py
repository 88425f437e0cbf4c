"""SPARQL: named queries, W3C result formats, read-only containment decided on the parsed query,
parameters bound as RDF terms, and a real Oxigraph server on loopback for the endpoint path."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from alignment.cli.app import app
from alignment.model import Corpus
from alignment.store.sparql import QUERIES, named_queries


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


def example_bindings(name: str) -> list[str]:
    q = named_queries()[name]
    return [f"--bind={p.name}={p.help.split('e.g. ')[1]}" for p in q.params]


def test_every_query_file_is_listed() -> None:
    files = sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert sorted(named_queries()) == files
    code, out, _ = run("sparql", "--list", "--format", "json")
    assert sorted(r["id"] for r in json.loads(out)) == files
    assert all(q.title and q.description for q in named_queries().values())


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_named_query_runs_with_its_documented_example(name: str) -> None:
    code, out, err = run("sparql", name, *example_bindings(name), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    params = [p.name for p in named_queries()[name].params]
    assert all(p in result["head"]["vars"] for p in params)


def test_serves_query_agrees_with_the_library(corpus: Corpus) -> None:
    out = run("sparql", "serves", "--bind", "goal=HWB-4C", "--format", "csv")[1]
    got = {(r["id"], r["kind"], r["via"]) for r in csv.DictReader(io.StringIO(out))}
    want = {(lk.source, lk.kind, "") for lk in corpus.links if lk.target == "HWB-4C"
            and lk.kind != "continuity"}
    # and what commits to the goal's whole strategy, from another plan
    want |= {(lk.source, lk.kind, "STRAT-HWB") for lk in corpus.links
             if lk.target == "STRAT-HWB" and not lk.source.startswith("HWB")}
    assert got == want and len(got) > 20 and any(via for *_, via in got)


def test_accountability_query_agrees_with_director(store) -> None:  # type: ignore[no-untyped-def]
    from alignment.questions.elements import director

    out = run("sparql", "accountability", "--bind", "post=POST-ED-PLACE", "--format", "csv")[1]
    got = {(r["id"], r["via"]) for r in csv.DictReader(io.StringIO(out))}
    rows = director(store, "Executive Director of Place")[1]
    assert got == {(r["id"], r["id"] if r["accountable"] == "named" else r["accountable"][4:])
                   for r in rows}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
def test_result_formats(fmt: str) -> None:
    code, out, _ = run("sparql", "links-by-kind", "--format", fmt)
    assert code == 0
    first = out.splitlines()[0] if out else ""
    expected = {"json": '{"head":{"vars":["kind","status","links"]}',
                "xml": "<?xml", "csv": "kind,status,links", "tsv": "?kind\t?status\t?links",
                "table": ""}[fmt]
    assert first.startswith(expected)
    if fmt == "table":
        assert "structural" in out and "asserted" in out


def test_construct_gives_a_graph(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    q = ("PREFIX sa: <https://w3id.org/strategy-alignment/ontology#> "
         "CONSTRUCT { ?g sa:id ?id } WHERE { ?g a sa:Goal ; sa:id ?id }")
    code, _, err = run("sparql", q, "--format", "ttl", "--out", str(out))
    assert code == 0, err
    assert len(Graph().parse(out)) == 4


@pytest.mark.parametrize("query", [
    pytest.param("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                 id="service"),
    pytest.param("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", id="from-url"),
    pytest.param("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
                 id="from-file"),
    pytest.param("LOAD <http://example.org/data.ttl>", id="load"),
    pytest.param("INSERT DATA { <urn:a> <urn:b> <urn:c> }", id="insert"),
    pytest.param("DROP ALL", id="drop"),
    # a comment ends at either line-end character, for the check as for the engine
    pytest.param("SELECT * WHERE { # note\r SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }\n}",
                 id="comment-ended-by-a-carriage-return"),
    # an escaped '#' belongs to the name, so what follows it is not a comment
    pytest.param("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\\# "
                 "SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", id="escaped-hash-in-a-name"),
    pytest.param("select * where { service silent ?endpoint { ?s ?p ?o } }", id="any-case"),
    # the same words inside a string literal are text, not a clause: allowed
])
def test_outside_reach_and_updates_are_refused(query: str) -> None:
    code, out, err = run("sparql", query)
    assert code == 2 and out == ""
    assert err.startswith("error: refused: ") and "--allow-" in err


def test_words_in_a_literal_are_not_clauses() -> None:
    q = 'SELECT ?x WHERE { BIND("SERVICE <http://x> LOAD <http://y> FROM <file:///z>" AS ?x) }'
    code, out, err = run("sparql", q, "--format", "csv")
    assert code == 0, err
    assert "SERVICE <http://x>" in out


def test_a_hash_inside_an_iri_is_not_a_comment() -> None:
    q = ('SELECT ?label WHERE { ?g <https://w3id.org/strategy-alignment/ontology#id> "HWB-4C" ; '
         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }  # a comment: SERVICE <x>")
    code, out, err = run("sparql", q, "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1].startswith("Supporting the economically vulnerable")


def test_load_reaches_outside_even_when_updates_are_allowed() -> None:
    code, _, err = run("sparql", "LOAD <http://127.0.0.1:9/data.ttl>", "--allow-update")
    assert code == 2 and "LOAD <http://127.0.0.1:9/data.ttl> would fetch" in err


def test_bound_values_are_terms_not_text() -> None:
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    q = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT ?x ?e WHERE { ?e skos:prefLabel ?label FILTER(STR(?label) = ?x) }")
    code, out, err = run("sparql", q, "--bind", f"x={hostile}", "--format", "csv")
    assert code == 0, err
    assert out.strip().splitlines() == ["x,e"]  # a string that no label equals
    code, out, _ = run("sparql", q, "--bind", "x=Opportunity for All", "--format", "csv")
    assert "HWB-4" in out  # the same binding path finds a real label
    # an ID parameter takes IDs only
    code, _, err = run("sparql", "serves", "--bind", f"goal={hostile}")
    assert code == 2 and "is not an ID" in err
    assert run("sparql", "serves", "--bind", "goal=hwb-4c", "--format", "csv")[1].count("\n") > 20


def test_missing_and_unknown_parameters_are_clear_errors() -> None:
    code, _, err = run("sparql", "serves")
    assert code == 2 and "needs --bind goal=" in err
    code, _, err = run("sparql", "serves", "--bind", "nope=1")
    assert code == 2 and "has no parameter 'nope'" in err
    code, _, err = run("sparql", "SELEC *")
    assert code == 2 and "not a SPARQL 1.1 query" in err


def test_workspace_store_is_used(built_ws: Path) -> None:
    ws = built_ws
    assert (ws / ".align" / "current" / "oxigraph").is_dir()
    code, out, _ = run("--workspace", str(ws), "sparql", "links-by-kind", "--format", "csv")
    assert code == 0 and "structural,asserted,56" in out


# --- a real Oxigraph server on loopback ------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not os.path.exists(exe):
        pytest.fail("the Oxigraph server is missing: 'make test' installs it from the lock file")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("ox")),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the Oxigraph server did not start")
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_push_then_query_the_endpoint(oxigraph: str) -> None:
    code, out, err = run("push", "--store", f"{oxigraph}/store")
    assert code == 0, err
    assert out.startswith("pushed ")
    local = run("sparql", "serves", "--bind", "goal=HWB-4C", "--format", "json")[1]
    remote = run("sparql", "serves", "--bind", "goal=HWB-4C", "--format", "json",
                 "--endpoint", f"{oxigraph}/query")[1]

    def rows(text: str) -> set[str]:
        return {json.dumps(b, sort_keys=True) for b in json.loads(text)["results"]["bindings"]}

    assert rows(remote) == rows(local) and len(rows(local)) > 20
    table = run("sparql", "links-by-kind", "--endpoint", f"{oxigraph}/query")[1]
    assert "structural" in table
    code, _, err = run("sparql", "LOAD <http://example.org/x>", "--endpoint", f"{oxigraph}/query")
    assert code == 2 and "refused" in err


def test_export_store_and_pushed_endpoint_hold_the_same_graph(oxigraph: str,
                                                              tmp_path: Path) -> None:
    """Scores are canonical decimals ("0.08", "1"), as Oxigraph keeps them: the export, the
    store and the endpoint after a push are isomorphic."""
    from rdflib.compare import isomorphic

    assert run("push", "--store", f"{oxigraph}/store")[0] == 0
    out = tmp_path / "graph.nt"
    assert run("export", "--out", str(out))[0] == 0
    code, remote, err = run("sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "nt",
                            "--endpoint", f"{oxigraph}/query")
    assert code == 0, err
    exported = Graph().parse(out, format="nt")
    assert isomorphic(Graph().parse(data=remote, format="nt"), exported)
    local = run("sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "nt")[1]
    assert isomorphic(Graph().parse(data=local, format="nt"), exported)


def test_unreachable_endpoint_is_a_clear_error() -> None:
    code, _, err = run("sparql", "links-by-kind", "--endpoint", f"http://127.0.0.1:{_free_port()}/q")
    assert code == 2 and "cannot reach the endpoint" in err


def test_sparql_update_on_the_built_store_and_a_bad_endpoint_are_clear_errors(
        built_ws: Path) -> None:
    ws = built_ws
    clean_error(*run("--workspace", str(ws), "sparql", "INSERT DATA { <a:b> <a:c> <a:d> }",
                     "--allow-update")[::2], "only through 'align build'")
    clean_error(*run("sparql", "links-by-kind", "--endpoint", "notaurl")[::2], "not an http")


def test_deliverables_with_directors_agrees_with_director(store, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    """Each deliverable's accountable posts and teams, as `align director` answers for each."""
    from alignment.questions.elements import director

    out = run("sparql", "deliverables-directors", "--format", "csv")[1]
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {r["id"]: set(filter(None, r["responsible"].split("; "))) for r in rows}
    want: dict[str, set[str]] = {r["id"]: set() for r in rows}
    for agent in corpus.agents:
        for r in director(store, agent.id)[1]:
            if r["type"] == "Deliverable":
                want[r["id"]].add(agent.label)
    assert got == want
    assert len(rows) == sum(e.type == "Deliverable" for e in corpus.elements)
    assert sum(bool(v) for v in got.values()) > 100


def test_goal_coverage_counts_the_links_of_each_goal(corpus: Corpus) -> None:
    out = run("sparql", "goal-coverage", "--format", "csv")[1]
    got = {r["id"]: (int(r["structural"]), int(r["explicit"]), int(r["suggested"]))
           for r in csv.DictReader(io.StringIO(out))}
    want = {g.id: tuple(sum(lk.target == g.id and test(lk) for lk in corpus.links) for test in (
                lambda lk: lk.kind == "structural" and lk.status != "rejected",
                lambda lk: lk.kind == "explicit" and lk.status != "rejected",
                lambda lk: lk.status == "suggested"))
            for g in corpus.elements if g.type == "Goal"}
    assert got == want and len(got) == 4


def test_an_id_parameter_is_resolved_like_any_id_argument() -> None:
    """`--bind goal=4C` is goal HWB-4C, as `align serves 4C` is; a miss names the parameter."""
    short = run("sparql", "serves", "--bind", "goal=4C", "--format", "csv")
    full = run("sparql", "serves", "--bind", "goal=HWB-4C", "--format", "csv")
    assert short[0] == 0 and short[1] == full[1] and len(short[1].splitlines()) > 20
    code, _, err = run("sparql", "serves", "--bind", "goal=ZZ9")
    clean_error(code, err, "--bind goal: no element matches 'ZZ9'")


def test_an_unknown_query_name_points_to_the_list() -> None:
    code, _, err = run("sparql", "serve")
    clean_error(code, err, "no named query 'serve'", "serves", "align sparql --list")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "file:///tmp/x.nt#", "ftp://127.0.0.1/x",
                                 "/etc/passwd", "http:///no-host", "data:,x"])
def test_only_http_servers_are_endpoints(url: str, tmp_path: Path) -> None:
    """A file:// 'endpoint' was read as a file and printed; a file:// store said 'pushed' and
    wrote nothing. Only http(s) URLs with a host are used, for queries and for push alike."""
    code, out, err = run("sparql", "links-by-kind", "--endpoint", url, "--format", "json")
    assert out == ""
    clean_error(code, err, "--endpoint", "not an http:// or https:// URL")
    code, out, err = run("push", "--store", url)
    assert out == ""
    clean_error(code, err, "--store", "not an http:// or https:// URL")


def _serve(answer: bytes, http10: bool = True) -> Iterator[str]:
    """A loopback server that answers every POST with `answer` (HTTP/1.0, no Content-Length:
    the body ends when the connection closes)."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0" if http10 else "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (the handler's own name)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


_ANSWER = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"x"}}]}}'


@pytest.mark.parametrize("answer,needle", [
    pytest.param(_ANSWER, None, id="whole"),
    pytest.param(_ANSWER[:60], "not SPARQL JSON results", id="cut-short"),
    pytest.param(b"<html>busy</html>", "not SPARQL JSON results", id="not-results"),
])
def test_an_http10_endpoint_without_content_length(answer: bytes, needle: str | None) -> None:
    server = _serve(answer)
    url = next(server)
    try:
        code, out, err = run("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", url)
    finally:
        server.close()
    if needle is None:
        assert code == 0, err
        assert out.split() == ["s", "───", "x"]
    else:
        clean_error(code, err, needle)


@pytest.mark.parametrize("value", ['=HYPERLINK(""http://x.invalid"",""x"")', "+SUM(A1:A2)",
                                   "-1+2", "@cmd"])
def test_csv_results_keep_formulas_as_text(value: str, tmp_path: Path) -> None:
    """As the row commands do: a cell that a spreadsheet would run gets an apostrophe."""
    q = f'SELECT ?x ?n WHERE {{ BIND("{value}" AS ?x) BIND(3 AS ?n) }}'.replace('""', '\\"')
    code, out, err = run("sparql", q, "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["x", "n"] and rows[1][0].startswith("'") and rows[1][1] == "3"
    assert rows[1][0][1:] == value.replace('""', '"')
    code, _, err = run("sparql", q, "--format", "csv", "--out", str(tmp_path / "r.csv"))
    assert code == 0, err
    saved = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    assert saved[1] == rows[1]


# --- bounds: what would crash the engine or run without end ----------------------------------

def _nested_groups(n: int) -> str:
    return "SELECT * WHERE " + "{ " * n + "?s ?p ?o " + "} " * n


@pytest.mark.parametrize("query,needle", [
    pytest.param(_nested_groups(5000), "nests brackets 5000 deep", id="5000-nested-groups"),
    pytest.param("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
                 "nests brackets 5002 deep", id="5000-nested-parentheses"),
    pytest.param("SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 20_000) + " }",
                 "more than the 262,144 a query can be", id="20000-union-branches"),
    pytest.param("SELECT * WHERE {" + "UNION".join(["{?s ?p ?o}"] * 5_000) + "}",
                 "5,000 operators and patterns", id="5000-union-branches"),
    pytest.param("SELECT * WHERE { " + " . ".join(f"?s{i} ?p ?o" for i in range(5000)) + " }",
                 "operators and patterns", id="5000-joined-patterns"),
    pytest.param("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(['"x"'] * 200_000)
                 + ")) }", "a query can be", id="a-1-MB-IN-list"),
])
def test_queries_the_engine_cannot_take_are_refused_before_it(query: str, needle: str,
                                                                tmp_path: Path) -> None:
    """Each ended the process with SIGSEGV in the engine (or a RecursionError in the check, or
    ran for minutes): refused with one line, before any store is opened."""
    path = tmp_path / "q.rq"
    path.write_text(query, encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", "from alignment.cli import main; main()",
                        "sparql", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and needle in r.stderr


def test_forty_nested_groups_still_run() -> None:
    code, out, err = run("sparql", _nested_groups(40).replace("?s ?p ?o", "?s ?p ?o") +
                         " LIMIT 1", "--format", "csv")
    assert code == 0, err
    assert out.count("\n") == 2


def test_a_query_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.rq"
    path.write_bytes(b'SELECT * WHERE {\n  ?s ?p "caf\xe9" }\n')
    clean_error(*run("sparql", str(path))[::2], "latin1.rq:2: not UTF-8 text (byte 0xE9)")


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _sparql_process(ws: Path, *args: str, env: dict[str, str] | None = None
                    ) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", "from alignment.cli import main; main()",
                             "--workspace", str(ws), "sparql", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_query_that_runs_on_is_stopped_at_its_time_limit(how: str, built_ws: Path) -> None:
    """A cartesian COUNT ran until killed; now it stops at the limit with one line."""
    start = time.monotonic()
    proc = _sparql_process(built_ws, CARTESIAN, *(["--timeout", "1"] if how == "option" else []),
                           env={"ALIGN_SPARQL_TIMEOUT": "1"} if how == "environment" else None)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and out == ""
    assert err.startswith("error: the query ran for 1 s, its time limit") and err.count("\n") == 1
    assert time.monotonic() - start < 30


def test_ctrl_c_stops_a_query_at_once(built_ws: Path) -> None:
    """Ctrl-C was ignored while the engine ran (30 s and more); now it stops the wait."""
    import signal

    proc = _sparql_process(built_ws, CARTESIAN, "--timeout", "0")
    time.sleep(3)
    assert proc.poll() is None
    stopped = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - stopped < 5
    assert proc.returncode == 130 and out == ""
    assert err.startswith("error: stopped at Ctrl-C") and "Traceback" not in err


def test_a_bad_timeout_in_the_environment_is_a_clear_error() -> None:
    r = CliRunner().invoke(app, ["sparql", "links-by-kind"], env={"ALIGN_SPARQL_TIMEOUT": "soon"})
    clean_error(r.exit_code, r.stderr, "ALIGN_SPARQL_TIMEOUT='soon' is not a number")


@pytest.mark.parametrize("fmt,query", [
    pytest.param("xml", 'SELECT ?x WHERE { BIND("a\\u001bb\\u0000c" AS ?x) }', id="results"),
    pytest.param("xml", 'CONSTRUCT { <urn:a> <urn:b> ?x } WHERE { BIND("a\\u001bb" AS ?x) }',
                 id="rdf-xml"),
])
def test_xml_results_with_control_characters_parse(fmt: str, query: str, tmp_path: Path) -> None:
    """The engine writes ESC and NUL raw into XML, which no reader then parses."""
    import xml.dom.minidom

    out = tmp_path / "r.xml"
    code, _, err = run("sparql", query, "--format", fmt, "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    xml.dom.minidom.parseString(text)
    assert "a\\u001bb" in text


@pytest.mark.parametrize("fmt", ["csv", "json", "table", "ttl"])
def test_an_answer_too_large_is_stopped_not_grown(fmt: str, store, monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:  # type: ignore[no-untyped-def]
    """A cartesian SELECT grew by ~20 MB a second until killed: an answer is bounded in bytes
    (and a terminal table in rows), with one line saying what to do."""
    from alignment.errors import InputError
    from alignment.store import sparql

    monkeypatch.setattr(sparql, "MAX_RESULT_BYTES", 50_000)
    monkeypatch.setattr(sparql, "MAX_TABLE_ROWS", 500)
    query = ("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f } " if fmt == "ttl" else
             "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 100000")
    with pytest.raises(InputError, match="answer passed|more than a table"):
        sparql.run_local(store, query, {}, fmt, "urn:", timeout=60)
    small = sparql.run_local(store, query.replace("?d ?e ?f", "").split(" LIMIT")[0]
                             + " LIMIT 3", {}, fmt, "urn:")
    assert small.rows if fmt == "table" else small.body
