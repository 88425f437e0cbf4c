"""SPARQL over the built graph: the embedded Oxigraph store of a workspace, or any SPARQL 1.1
endpoint. Queries are read-only and contained unless a flag allows more: the decision is taken on
the query's tokens (a keyword inside an IRI, a string or a comment is not a clause), and the
text that is checked is the text that runs. Parameters are bound as RDF terms (Oxigraph's
substitutions locally; a VALUES clause of serialised terms for an endpoint), never spliced in as
text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from alignment.errors import AlignError, InputError, Interrupted
from alignment.store import QUERIES

__all__ = ["NamedQuery", "named_queries", "named_query", "Guard", "check", "Result", "run_local",
           "run_endpoint", "push", "endpoint_url", "parse_binding", "read_query", "bounded",
           "default_timeout", "RESULT_FORMATS", "GRAPH_FORMATS", "OUT_SUFFIXES", "out_format"]

#: --format -> (pyoxigraph QueryResultsFormat name, media type) for SELECT and ASK
RESULT_FORMATS = {"json": ("JSON", "application/sparql-results+json"),
                  "xml": ("XML", "application/sparql-results+xml"),
                  "csv": ("CSV", "text/csv"),
                  "tsv": ("TSV", "text/tab-separated-values")}
#: --format -> (pyoxigraph RdfFormat name, media type) for CONSTRUCT and DESCRIBE
GRAPH_FORMATS = {"ttl": ("TURTLE", "text/turtle"), "nt": ("N_TRIPLES", "application/n-triples"),
                 "xml": ("RDF_XML", "application/rdf+xml"), "jsonld": ("JSON_LD", "application/ld+json")}


class Param(NamedTuple):
    name: str
    kind: str  # id | iri | literal | number
    help: str


class NamedQuery(NamedTuple):
    name: str
    title: str
    description: str
    params: list[Param]
    text: str


def named_queries() -> dict[str, NamedQuery]:
    """The library of named queries that ships in the package (alignment/store/queries/*.rq)."""
    return {path.stem: _read(path) for path in sorted(QUERIES.glob("*.rq"))}


def named_query(name: str) -> NamedQuery | None:
    """One named query of the library, if `name` is one."""
    if not re.fullmatch(r"[a-z0-9-]+", name):
        return None
    path = QUERIES / f"{name}.rq"
    return _read(path) if path.is_file() else None


def _read(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    head = dict(re.findall(r"^# (title|description): (.+)$", text, re.M))
    params = [Param(n, k, h.strip()) for n, k, h in
              re.findall(r"^# param: (\w+) (id|iri|literal|number)\s+(.*)$", text, re.M)]
    return NamedQuery(path.stem, head.get("title", path.stem), head.get("description", ""),
                      params, text)


class Guard(NamedTuple):
    """What a query may do beyond reading the graph."""

    allow_external: bool = False  # SERVICE, FROM <...>, FROM NAMED <...>
    allow_update: bool = False  # INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...


#: the default: read the graph, nothing else
READ_ONLY = Guard()


class Parsed(NamedTuple):
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE
    text: str  # the query as it is executed: comments removed
    services: list[str]  # what SERVICE, FROM (NAMED) and LOAD name, in order
    datasets: list[str]
    loads: list[str]


# The terminals of the SPARQL 1.1 grammar (section 19.8) that can hide a keyword: IRIs, strings,
# prefixed names (whose local part may escape '#'), variables and comments, which end at either
# line-end character. Anything else is a word or a single character.
_PN_CHARS = r"\w\u00B7\u0300-\u036F\u203F\u2040"
_TOKEN = re.compile(rf"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>'{{3}}(?:'{{0,2}}(?:[^'\\]|\\.))*'{{3}}|"{{3}}(?:"{{0,2}}(?:[^"\\]|\\.))*"{{3}}
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][{_PN_CHARS}]+)
  | (?P<pname>(?:[^\W\d_](?:[{_PN_CHARS}.\-]*[{_PN_CHARS}\-])?)?:
               (?:[{_PN_CHARS}:.\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<bnode>_:[{_PN_CHARS}.\-]+)
  | (?P<word>[{_PN_CHARS}]+)
  | (?P<other>.)
""", re.X | re.S)
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}

#: Bounds on what the engine is given. Oxigraph parses and plans a query by recursion, on the
#: caller's stack: 3,000 nested groups, 10,000 UNION branches or 20,000 joined patterns end the
#: process (SIGSEGV), whatever the data. A query a person or a tool writes is far inside these.
MAX_QUERY_CHARS = 256 * 1024
MAX_DEPTH = 100  # brackets inside brackets: { ( [
MAX_OPERATORS = 2000  # UNION, OPTIONAL, MINUS, joins ('.', ';'), && || + - * / = < > !
_OPEN, _CLOSE = set("{(["), set("})]")
_OPERATOR_WORDS = {"UNION", "OPTIONAL", "MINUS"}
_OPERATOR_CHARS = set(".;&|+-*/=<>!")
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def _tokens(query: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(query):
        kind, value = m.lastgroup or "other", m.group()
        if kind == "other" and value in "\"'\\":
            line = query.count("\n", 0, m.start()) + 1
            what = "a string that does not end" if value != "\\" else "a backslash"
            raise InputError(f"not a SPARQL 1.1 query: {what} at line {line}")
        out.append((kind, value))
    return out


@lru_cache(maxsize=256)
def parse(query: str) -> Parsed:
    """The query's form, what in it reaches outside the graph, and the text to execute: the
    query without its comments. The text that is checked is the text that runs, so no engine can
    read a comment's end differently from this check. A lexer of the grammar's terminals, not a
    full parser: the engine parses what runs, and this only has to find the keywords that are
    not inside an IRI, a string or a name. A query larger, deeper or with more operators than
    the bounds above is refused before the engine sees it."""
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"the query is {len(query):,} characters, more than the "
                         f"{MAX_QUERY_CHARS:,} a query can be; for long lists of values, load "
                         f"them as data, or split the query")
    tokens = [t for t in _tokens(query) if t[0] != "comment"]
    text = "".join(v for _, v in tokens)
    code = [(k, v) for k, v in tokens if k != "ws"]
    _check_shape(query, code)
    words = [i for i, (k, _) in enumerate(code) if k == "word"]
    first = next((code[i][1].upper() for i in words
                  if code[i][1].upper() not in {"PREFIX", "BASE"}), "")
    if first in _QUERY_FORMS:
        parsed = Parsed(first, text, [], [], [])
    elif first in _UPDATES:
        parsed = Parsed("UPDATE", text, [], [], [])
    else:
        raise InputError(f"not a SPARQL 1.1 query: it starts with '{first[:20] or query[:20]}', "
                         f"where SELECT, ASK, CONSTRUCT, DESCRIBE or an update belongs")

    def target(i: int) -> str:
        rest = [v for k, v in code[i + 1:i + 4] if v.upper() not in {"SILENT", "NAMED"}]
        return (rest[0] if rest else "").strip("<>")

    for i in words:
        word = code[i][1].upper()
        if word == "SERVICE":
            parsed.services.append(target(i))
        elif word in {"FROM", "USING"}:
            parsed.datasets.append(target(i))
        elif word == "LOAD":
            parsed.loads.append(target(i))
    return parsed


def _check_shape(query: str, code: list[tuple[str, str]]) -> None:
    """Refuse nesting deeper than MAX_DEPTH and more than MAX_OPERATORS operators: what the
    engine would recurse through."""
    depth = deepest = operators = 0
    for kind, value in code:
        if kind == "other":
            if value in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif value in _CLOSE:
                depth -= 1
            elif value in _OPERATOR_CHARS:
                operators += 1
        elif kind == "word" and value.upper() in _OPERATOR_WORDS:
            operators += 1
    if deepest > MAX_DEPTH:
        raise InputError(f"the query nests brackets {deepest} deep, more than the {MAX_DEPTH} a "
                         f"query can; flatten it")
    if operators > MAX_OPERATORS:
        raise InputError(f"the query has {operators:,} operators and patterns (UNION, OPTIONAL, "
                         f"joins, arithmetic), more than the {MAX_OPERATORS:,} a query can; "
                         f"for many alternatives, use VALUES or IN")


def check(query: str, guard: Guard) -> Parsed:
    """Refuse, with the reason, what the guard does not allow. What runs is `Parsed.text`."""
    p = parse(query)
    if p.form == "UPDATE" and not guard.allow_update:
        what = f"LOAD <{p.loads[0]}>" if p.loads else "an update"
        raise InputError(f"refused: {what} would change the graph; queries are read-only "
                         f"(--allow-update runs updates)")
    if p.services and not guard.allow_external:
        raise InputError(f"refused: SERVICE <{p.services[0]}> would send a request outside the "
                         f"graph (--allow-external allows it)")
    if p.datasets and not guard.allow_external:
        raise InputError(f"refused: FROM <{p.datasets[0]}> names a dataset outside the graph, "
                         f"which may be fetched from the network or read from a file "
                         f"(--allow-external allows it)")
    if p.loads and not guard.allow_external:
        raise InputError(f"refused: LOAD <{p.loads[0]}> would fetch data from outside the graph "
                         f"(--allow-external allows it)")
    return p


def read_query(path: Path) -> str:
    """A query file's text: UTF-8 (a byte-order mark is dropped); anything else is an error
    naming the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the query file ({exc.strerror})") from None
    if len(data) > MAX_QUERY_CHARS * 4:
        raise InputError(f"{path}: {len(data):,} bytes, more than a query can be; split it")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02X}); save "
                         f"the query as UTF-8") from None


def parse_binding(text: str, query: NamedQuery | None, base: str) -> tuple[str, Any]:
    """`name=value` -> (name, an RDF term): an element ID becomes its IRI under the base,
    `<...>` an IRI, a number a number, anything else a string literal."""
    import pyoxigraph as ox

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"--bind '{text}': write it as name=value")
    name, value = name.strip().lstrip("?$"), value.strip()
    kind = next((p.kind for p in query.params if p.name == name), None) if query else None
    if query is not None and kind is None:
        known = ", ".join(p.name for p in query.params) or "none"
        raise InputError(f"--bind '{name}': query '{query.name}' has no parameter '{name}' "
                         f"(its parameters: {known})")
    if kind == "iri" or (kind is None and value.startswith("<") and value.endswith(">")):
        try:
            return name, ox.NamedNode(value.strip("<>"))
        except ValueError:
            raise InputError(f"--bind {name}: '{value[:40]}' is not an IRI") from None
    if kind == "id" or (kind is None and re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", value)):
        if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", value):
            raise InputError(f"--bind {name}: '{value[:40]}' is not an ID (letters, digits and "
                             f"hyphens, e.g. HWB-4C)")
        return name, ox.NamedNode(base + "id/" + value.upper())
    if kind == "number" or (kind is None and re.fullmatch(r"-?\d+(\.\d+)?", value)):
        try:
            float(value)
        except ValueError:
            raise InputError(f"--bind '{name}': '{value}' is not a number") from None
        dtype = "decimal" if "." in value else "integer"
        return name, ox.Literal(value, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{dtype}"))
    return name, ox.Literal(value)


class Result(NamedTuple):
    form: str
    media_type: str
    body: bytes
    rows: list[dict[str, str]] | None = None  # SELECT results as text, for a terminal table


def _term_text(term: Any, base: str) -> str:
    if term is None:
        return ""
    value = term.value
    prefix = base + "id/"
    return value[len(prefix):] if value.startswith(prefix) else value


#: seconds a query may run before it is stopped (--timeout, $ALIGN_SPARQL_TIMEOUT)
DEFAULT_TIMEOUT = 30.0


def default_timeout() -> float:
    """$ALIGN_SPARQL_TIMEOUT if set (seconds; 0 for no limit), else DEFAULT_TIMEOUT."""
    import os

    value = os.environ.get("ALIGN_SPARQL_TIMEOUT", "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise InputError(f"ALIGN_SPARQL_TIMEOUT='{value[:20]}' is not a number of seconds") from None
    if seconds < 0:
        raise InputError("ALIGN_SPARQL_TIMEOUT is negative; give seconds, or 0 for no limit")
    return seconds


def bounded(work: Any, timeout: float | None) -> Any:
    """`work()` run in a thread of its own (with a deep stack) while this one waits: at most
    `timeout` seconds (None or 0: no limit), and Ctrl-C stops the wait at once. The engine
    releases the interpreter while it works, so the waiting thread answers even while a query
    runs; a query stopped is abandoned, and ends with the process. Raises what `work` raised."""
    import threading
    import time

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 (handed to the waiting thread)
            if isinstance(exc, AlignError):  # its frames hold the engine's objects, which
                exc.__traceback__ = exc.__context__ = exc.__cause__ = None  # stay on this thread
            box["error"] = exc

    previous = threading.stack_size(256 * 1024 * 1024)
    try:
        thread = threading.Thread(target=run, name="sparql", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    start = time.monotonic()
    try:
        thread.join(timeout or None)
    except KeyboardInterrupt:
        raise Interrupted(f"stopped at Ctrl-C after {time.monotonic() - start:.1f} s; nothing "
                          f"was written") from None
    if thread.is_alive():
        raise InputError(f"the query ran for {timeout:g} s, its time limit, and was stopped; "
                         f"narrow it (LIMIT, a more selective pattern), or allow more with "
                         f"--timeout SECONDS (0: no limit)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def run_local(store: Any, query: str, bindings: dict[str, Any], fmt: str, base: str,
              guard: Guard = READ_ONLY, timeout: float | None = None) -> Result:
    """Run on an Oxigraph store (the embedded store, or an in-memory one), stopped after
    `timeout` seconds."""
    return bounded(lambda: _run_local(store, query, bindings, fmt, base, guard), timeout)


def _run_local(store: Any, query: str, bindings: dict[str, Any], fmt: str, base: str,
               guard: Guard) -> Result:
    import pyoxigraph as ox

    parsed = check(query, guard)
    query = parsed.text
    if parsed.form == "UPDATE":
        try:
            store.update(query)
        except SyntaxError as exc:
            raise InputError(f"not a SPARQL 1.1 update: {exc}") from None
        except (RuntimeError, OSError) as exc:
            raise InputError(f"cannot update: {exc}; the built store changes only through "
                             f"'align build' (run updates on a server with --endpoint)") from None
        return Result("UPDATE", "text/plain", b"update done\n")
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    try:
        answer = store.query(query, substitutions=subs or None)
    except SyntaxError as exc:
        raise InputError(f"not a SPARQL 1.1 query: {exc}") from None
    except (RuntimeError, OSError) as exc:  # a variable not projected; a SERVICE that failed
        raise InputError(f"cannot run the query: {exc}") from None
    return _package(parsed.form, answer, fmt, base)


#: a file's suffix -> the --format it gives (SPARQL results for SELECT and ASK, RDF for
#: CONSTRUCT and DESCRIBE; .xlsx: the rows as a workbook)
OUT_SUFFIXES = {".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml", ".csv": "csv",
                ".tsv": "tsv", ".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".rdf": "xml",
                ".xlsx": "xlsx"}


def out_format(fmt: str | None, out: Path | None) -> str:
    """The format to write: the one the --out file's name gives (a --format that says
    otherwise is refused), else --format, else the terminal table."""
    named = OUT_SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if out is not None and named and fmt and fmt != named:
        raise InputError(f"--format {fmt} contradicts {out.name}: the file's type follows its "
                         f"name; drop --format, or name the file for {fmt}")
    return named or fmt or "table"


def _graph_format(form: str, fmt: str) -> tuple[str, str]:
    """A CONSTRUCT or DESCRIBE answer is a graph: Turtle on a terminal, JSON-LD for json, or
    the RDF format asked for; a format of rows is refused."""
    fmt = {"table": "ttl", "json": "jsonld"}.get(fmt, fmt)
    if fmt not in GRAPH_FORMATS:
        raise InputError(f"--format {fmt} is for rows; a {form} query gives a graph: use "
                         f"--format ttl, nt, xml (RDF/XML) or jsonld (also json)")
    return GRAPH_FORMATS[fmt]


def _check_rows_format(form: str, fmt: str) -> None:
    if form == "ASK" and fmt in {"csv", "tsv"}:
        raise InputError(f"an ASK answer has no {fmt.upper()} form in SPARQL 1.1 (W3C readers "
                         f"refuse a bare 'true'); use --format json, xml or table")
    if fmt != "table" and fmt not in RESULT_FORMATS:
        raise InputError(f"format '{fmt}' is for graphs; a {form} query gives json, xml, "
                         f"csv, tsv or table")


#: what an answer may hold: a cartesian SELECT grew by 20 MB a second until it was killed
MAX_RESULT_BYTES = 256 * 1024 * 1024
MAX_TABLE_ROWS = 100_000


class _Capped:
    """A binary stream that keeps what the engine writes, up to MAX_RESULT_BYTES."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > MAX_RESULT_BYTES:
            raise OSError("the answer is too large")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _serialized(write: Any) -> bytes:
    """What `write(stream)` writes, or an error once it passes MAX_RESULT_BYTES."""
    out = _Capped()
    try:
        write(out)
    except OSError:
        if out.size <= MAX_RESULT_BYTES:
            raise
        raise InputError(f"the answer passed {MAX_RESULT_BYTES // 1024 // 1024} MB and was "
                         f"stopped; narrow the query (LIMIT, a more selective pattern)") from None
    return b"".join(out.parts)


def _package(form: str, answer: Any, fmt: str, base: str) -> Result:
    import pyoxigraph as ox

    if form in {"CONSTRUCT", "DESCRIBE"}:
        name, media = _graph_format(form, fmt)
        body = _serialized(lambda out: ox.serialize(answer, out, format=getattr(ox.RdfFormat,
                                                                                  name)))
        return Result(form, media, body)
    _check_rows_format(form, fmt)
    if fmt == "table":
        if form == "ASK":
            return Result(form, "text/plain", b"", rows=[{"answer": str(bool(answer)).lower()}])
        names = [v.value for v in answer.variables]
        rows = []
        for sol in answer:
            if len(rows) == MAX_TABLE_ROWS:
                raise InputError(f"over {MAX_TABLE_ROWS:,} rows, more than a table on a terminal "
                                 f"can show; add LIMIT, or write them with --format csv --out")
            rows.append({n: _term_text(sol[n], base) for n in names})
        return Result(form, "text/plain", b"", rows=rows)
    name, media = RESULT_FORMATS[fmt]
    results_format = getattr(ox.QueryResultsFormat, name)
    if form == "ASK":
        return Result(form, media, answer.serialize(format=results_format))
    return Result(form, media, _serialized(lambda out: answer.serialize(out, results_format)))


def _values_clause(bindings: dict[str, Any]) -> str:
    """A trailing VALUES clause of serialised RDF terms (each term's own N-Triples form)."""
    if not bindings:
        return ""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(v) for v in bindings.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}\n"


def run_endpoint(url: str, query: str, bindings: dict[str, Any], fmt: str, base: str,
                 guard: Guard = READ_ONLY, timeout: float | None = None) -> Result:
    """Run through the SPARQL 1.1 protocol on a remote endpoint, stopped after `timeout`
    seconds (the request and the reading of the answer together)."""
    return bounded(lambda: _run_endpoint(url, query, bindings, fmt, base, guard,
                                         timeout or DEFAULT_TIMEOUT * 10), timeout)


def _run_endpoint(url: str, query: str, bindings: dict[str, Any], fmt: str, base: str,
                  guard: Guard, timeout: float) -> Result:
    import pyoxigraph as ox

    url = endpoint_url(url)
    parsed = check(query, guard)
    query = parsed.text
    if parsed.form == "UPDATE":
        _http(url, query.encode(), "application/sparql-update", "*/*", timeout)
        return Result("UPDATE", "text/plain", b"update done\n")
    text = query + _values_clause(bindings)
    if parsed.form in {"CONSTRUCT", "DESCRIBE"}:
        name, media = _graph_format(parsed.form, fmt)
        body = _http(url, text.encode(), "application/sparql-query", media, timeout)
        return Result(parsed.form, media, body)
    _check_rows_format(parsed.form, fmt)
    if fmt == "table":
        body = _http(url, text.encode(), "application/sparql-query",
                     RESULT_FORMATS["json"][1], timeout)
        try:
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            return _package(parsed.form, answer, "table", base)
        except (SyntaxError, ValueError, RuntimeError) as exc:
            raise InputError(f"{url}: the endpoint's answer is not SPARQL JSON results "
                             f"({str(exc)[:100]}); check that it is a SPARQL endpoint") from None
    media = RESULT_FORMATS[fmt][1]
    return Result(parsed.form, media, _http(url, text.encode(), "application/sparql-query",
                                            media, timeout))


def endpoint_url(url: str, option: str = "--endpoint") -> str:
    """The URL of a server to send the graph or a query to: http:// or https:// with a host.
    Anything else (file://, ftp://, a bare path) is refused before any request: urllib would
    read a local file for file:// and answer with its text."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        shown = url[:60]
        raise InputError(f"{option} '{shown}': not an http:// or https:// URL; only servers "
                         f"are sent queries or the graph: give one's URL, e.g. "
                         f"http://localhost:7878/query")
    return url.strip()


def _http(url: str, data: bytes, content_type: str, accept: str, timeout: float,
          method: str = "POST") -> bytes:
    import http.client
    import urllib.error
    import urllib.request

    try:
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": content_type, "Accept": accept})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            return resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()[:1]
        raise InputError(f"{url}: the endpoint answered {exc.code} {exc.reason}"
                         f"{': ' + detail[0] if detail else ''}") from None
    except ValueError:
        raise InputError(f"'{url}' is not an http(s) URL of an endpoint") from None
    except http.client.HTTPException as exc:  # an answer cut short or not HTTP
        raise InputError(f"{url}: the endpoint's answer is not a whole HTTP response "
                         f"({type(exc).__name__}); check that it is a SPARQL endpoint") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"{url}: cannot reach the endpoint ({reason}); check the URL and that "
                         f"the server is running") from None


def push(store_url: str, ntriples: bytes, graph: str | None = None, timeout: float = 300) -> None:
    """Upload the graph with the SPARQL 1.1 Graph Store Protocol (PUT replaces the graph)."""
    from urllib.parse import quote

    store_url = endpoint_url(store_url, "--store")
    target = f"{store_url}?graph={quote(graph, safe='')}" if graph else f"{store_url}?default"
    _http(target, ntriples, "application/n-triples", "*/*", timeout, method="PUT")
