"""The registry of bad, hostile and faulty inputs that `make robustness` tries and the tests
check (tests/test_robustness.py): one entry per case, with how to make the input from a built
workspace, the command to run, and the expected outcome.

A case is data. To add one (e.g. for a new importer), append a Case to CASES: `make` changes a
copy of a built Thurrock workspace, `args` is the `align` command run on it, `expect` is "error"
(exit 1 or 2 with one line naming the file and line, no traceback, nothing written), "warning"
(the build completes and a warning names the file and line) or "ok"; `needles` are what the
error or warning must contain; `check` adds checks of its own (returns the problems found).

Every case runs `align` in a new process, so a traceback is seen as a person would see it.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = "sources/cp2024-people-web.txt"
HWB = "sources/hwb-2022-26-domain4.txt"
CP14 = "sources/cp2014-15-delivery-plan.txt"

#: Hostile text: markup that runs script if a page ever inserts it as HTML, quotes that end
#: strings, a SPARQL fragment, a backslash and a Unicode line separator.
PAYLOAD = ("<script>window.__pwned=(window.__pwned||0)+1</script>"
           "<img src=x onerror=\"window.__pwned=(window.__pwned||0)+1\">"
           "\"'><svg onload=window.__pwned=1> \"} ; DROP ALL ; # \\ \u2028 ")


@dataclass
class Observation:
    code: int
    out: str
    err: str
    problems: list[str] = field(default_factory=list)  # expectations not met
    crashed: bool = False
    half_written: list[str] = field(default_factory=list)
    baseline: frozenset[str] = frozenset()  # the warnings of the unchanged workspace's build
    note: str = ""  # what a case that tries a class of inputs counted, for the table

    @property
    def new_warnings(self) -> list[str]:
        return [ln for ln in (self.out + "\n" + self.err).splitlines()
                if ln.startswith("warning: ") and ln not in self.baseline]

    @property
    def clear_error(self) -> bool:
        lines = self.err.rstrip("\n").split("\n")  # not splitlines: U+2028 is not a line end
        return (self.code in (1, 2) and len(lines) == 1 and lines[0].startswith("error: ")
                and not self.crashed)

    @property
    def observed(self) -> str:
        if self.crashed:
            return "crash"
        if self.code != 0:
            return "error" if self.clear_error else "unclear error"
        return "warning" if self.new_warnings else "ok"


@dataclass(frozen=True)
class Case:
    name: str
    group: str  # "source", "curated", "import", "hostile", "query", "kill", "concurrent"
    make: Callable[[Path], None] = lambda ws: None
    args: tuple[str, ...] = ("build",)
    expect: str = "error"  # "error", "warning" or "ok"
    needles: tuple[str, ...] = ()
    check: Callable[[Path, Observation], list[str]] | None = None
    same_as_before: bool = False  # the build's output equals the unchanged workspace's
    html: str | None = None  # a map this case writes (opened in a browser by the tool)
    at: str = ""  # kill cases: the build's progress line on which it is killed
    slow: bool = False  # its check builds or loads the whole graph, or runs many processes
    runner: Callable[[Case, Path, Path], Observation] | None = None  # runs the case itself


# --- how inputs are made -------------------------------------------------------------------


def _rehash(ws: Path, rel: str, data: bytes) -> None:
    """Replace a source and record its new sha256 in the manifest (the text, not re-dumped)."""
    path = ws / rel
    old = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    path.write_bytes(data)
    manifest = ws / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old and old in text, f"{rel} is not recorded in the manifest"
    manifest.write_text(text.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")


def source(rel: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda ws: _rehash(ws, rel, change((ws / rel).read_bytes()))


def replace(rel: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def change(data: bytes) -> bytes:
        assert old in data, f"{old!r} not in {rel}"
        return data.replace(old, new, 1)

    return source(rel, change)


def curated(name: str, text: str | bytes) -> Callable[[Path], None]:
    def make(ws: Path) -> None:
        (ws / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return make


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def make(ws: Path) -> None:
        text = (ws / name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        (ws / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return make


def curated_bytes(name: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def make(ws: Path) -> None:
        data = (ws / name).read_bytes()
        assert old in data, f"{old!r} not in {name}"
        (ws / name).write_bytes(data.replace(old, new, 1))

    return make


def _folder_for(rel: str) -> Callable[[Path], None]:
    def make(ws: Path) -> None:
        (ws / rel).unlink()
        (ws / rel).mkdir()

    return make


def both(*makes: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(ws: Path) -> None:
        for m in makes:
            m(ws)

    return make


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _cut_in_a_character(data: bytes) -> bytes:
    return data[: data.index(b"\xe2") + 1]  # the first byte of a three-byte character


def _decision(source: str, target: str, decision: str, why: str = "") -> str:
    return (f"  - source: {source}\n    target: {target}\n    decision: {decision}\n"
            f"    by: officer\n    date: 2026-01-05\n    why: {json.dumps(why)}\n")


# --- checks of hostile text ----------------------------------------------------------------


def exports_reparse(ws: Path, obs: Observation) -> list[str]:
    """Every RDF format the project writes re-parses to a graph isomorphic to the built one, and
    GraphML parses with the hostile text intact."""
    import networkx as nx
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from alignment.graph.rdf import to_rdf
    from alignment.pipeline import building as api
    from alignment.sources.workspace import Workspace

    problems = []
    graph = to_rdf(api.load(Workspace(ws, writable=True)))
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        r = _align(ws, "export", "-f", fmt, "--out", str(ws / f"export.{fmt}"))
        if r.returncode != 0:
            problems.append(f"export {fmt}: {r.stderr.strip()}")
            continue
        try:
            again = Graph().parse(ws / f"export.{fmt}", format=parser)
        except Exception as exc:  # noqa: BLE001 (any failure to re-parse is the finding)
            problems.append(f"{fmt} does not re-parse: {type(exc).__name__}: {exc}"[:200])
            continue
        if not isomorphic(graph, again):
            problems.append(f"{fmt} re-parses to a different graph")
    r = _align(ws, "export", "-f", "graphml", "--out", str(ws / "export.graphml"))
    try:
        g = nx.read_graphml(ws / "export.graphml")
        if not any("<script>" in str(d.get("label", "")) for _, d in g.nodes(data=True)):
            problems.append("graphml lost the hostile text")
    except Exception as exc:  # noqa: BLE001
        problems.append(f"graphml does not re-parse: {exc}"[:200])
    return problems


def map_escapes(ws: Path, obs: Observation) -> list[str]:
    """The map holds the hostile text only as data: no tag of it appears as markup."""
    page = (ws / "map.html").read_text(encoding="utf-8")
    bad = [t for t in ("<script>window.__pwned", "<img src=x", "<svg onload") if t in page]
    missing = [] if "__pwned" in page else ["the hostile text is not in the map"]
    return missing + [f"map.html holds raw markup: {t}" for t in bad]


def hostile_build(ws: Path, obs: Observation) -> list[str]:
    """The build keeps the hostile text as text, exports re-parse, and the map escapes it."""
    problems = exports_reparse(ws, obs)
    r = _align(ws, "map", "HWB-4C", "--depth", "1", "--out", str(ws / "map.html"))
    if r.returncode != 0:
        return [*problems, f"map: {r.stderr.strip()}"]
    r = _align(ws, "show", "HWB-4C-A1", "--format", "json")
    if "<script>window.__pwned" not in r.stdout:
        problems.append("the hostile label was not kept as text")
    return problems + map_escapes(ws, obs)


#: Chromium's flags for the check: headless, offline, nothing fetched in the background
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def payload_executed(html: Path, chromium: str, browser: Any = None) -> bool:
    """Open a map in headless Chromium; True if any payload ran (a flag set, or a dialog).
    `browser`, a Playwright browser launched with BROWSER_FLAGS, is used when given (each page
    in a context of its own); else one is launched for this page and closed."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
            try:
                return payload_executed(html, chromium, launched)
            finally:
                launched.close()
    page = browser.new_page()  # a new context: nothing is shared with another page
    try:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(html.as_uri())
        page.wait_for_timeout(300)
        page.click("#table-view summary")  # every label as a table row
        page.click("#search")
        page.keyboard.type("pwned")  # selects the hostile node: its text in the panel
        page.wait_for_timeout(300)
        page.mouse.move(500, 400)
        flag = page.evaluate("window.__pwned")
        return bool(flag) or bool(dialogs)
    finally:
        page.close()


# --- plans brought in with `align add` ------------------------------------------------------


def incoming(name: str, data: str | bytes) -> Callable[[Path], None]:
    """A file an officer brings, beside the workspace (the cases run from its parent folder)."""
    def make(ws: Path) -> None:
        (ws.parent / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return make


def _add(name: str, *extra: str) -> tuple[str, ...]:
    return ("add", name, "--plan", "NEW", "--title", "A new plan", *extra)


def nothing_added(ws: Path, obs: Observation) -> list[str]:
    """A refused import leaves the manifest and sources/ as they were."""
    template = ws.parent / "template"
    problems = []
    if (ws / "manifest.yaml").read_bytes() != (template / "manifest.yaml").read_bytes():
        problems.append("the manifest changed although the import was refused")
    if sorted(p.name for p in (ws / "sources").iterdir()) != \
            sorted(p.name for p in (template / "sources").iterdir()):
        problems.append("sources/ changed although the import was refused")
    return problems


def hostile_import(ws: Path, obs: Observation) -> list[str]:
    """An added plan with hostile text builds; exports re-parse; the map escapes it."""
    r = _align(ws, "build")
    if r.returncode != 0:
        return [f"build after the import: {r.stderr.strip()}"]
    r = _align(ws, "show", "NEW-1", "--format", "json")
    problems = [] if "<script>window.__pwned" in r.stdout else ["the hostile title was not kept"]
    return problems + exports_reparse(ws, obs) + _map_of(ws, "NEW-1") + map_escapes(ws, obs)


def formulas_stay_text(ws: Path, obs: Observation) -> list[str]:
    """Titles that begin like a formula stay text in the matrix written for a board."""
    from openpyxl import load_workbook

    r = _align(ws, "build")
    if r.returncode != 0:
        return [f"build after the import: {r.stderr.strip()}"]
    r = _align(ws, "matrix", "--plan", "NEW", "--out", str(ws / "matrix.xlsx"))
    if r.returncode != 0:
        return [f"matrix: {r.stderr.strip()}"]
    cells = [c for row in load_workbook(ws / "matrix.xlsx").active.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    return ([f"formula cells in the matrix: {formulas}"] if formulas else []) + \
        ([] if texts else ["the formula-like title is missing from the matrix"])


OUTLINE = ("# A plan\n\n## 1. Safe at home\n\nLead: Director of Children's Services\n\n"
           "1.1 Open two family hubs\n1.2 Reduce the number of children in care\n\n"
           "## 2. Good jobs\n\n2.1 Run a jobs fair each year\n")


# --- the cases ----------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"

def _manifest_line(text: str) -> str:
    """'manifest.yaml:N:' for the bundled manifest's line that holds `text`."""
    from alignment.sources.workspace import bundled_data_dir

    lines = (bundled_data_dir() / "manifest.yaml").read_text(encoding="utf-8").splitlines()
    return f"manifest.yaml:{next(n for n, ln in enumerate(lines, 1) if text in ln)}:"


def _scanned_pdf() -> bytes:
    """A PDF whose one page draws a line and has no text, as a scan without OCR has none."""
    body = b"0 0 m 100 100 l S\n"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(body) + body + b"endstream"]
    out = b"%PDF-1.4\n"
    for i, o in enumerate(objs, 1):
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"

def _no_kept_triples(ws: Path) -> None:
    """The current build without the triples it kept: the next build loads its store whole."""
    for kept in (ws / ".align" / "current").glob("graph.nt.gz*"):
        kept.unlink()


#: the steps a build reports (alignment/pipeline/building.py), each a moment to kill it, and
#: what is done to the workspace first
KILL_POINTS: list[tuple[str, str, Callable[[Path], None]]] = [
    ("while reading", "reading sources/", lambda ws: None),
    ("while aligning", "aligning:", lambda ws: None),
    ("while loading the SPARQL store", "loading the embedded SPARQL store", _no_kept_triples),
    ("while updating the SPARQL store", "updating the embedded SPARQL store", lambda ws: None),
    ("while validating", "validating against the SHACL shapes", lambda ws: None),
    ("while writing the corpus", "writing the corpus", lambda ws: None),
    ("as it makes the new build current", "making the new build current", lambda ws: None),
]


# --- Hardening II: text that reads the same, curated files, queries, outputs, writers -------

#: what a terminal obeys: a window title, a colour, a bell, a CSI as one C1 byte, a carriage
#: return that overwrites the line, DEL
ESCAPES = "\x1b]0;PWNED\x07\x1b[31mRED\x9b2J\rover\x7f"
#: every control character but tab and line feed: C0, DEL and C1
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
#: Unicode's spaces other than the space, and its invisible characters (not the joiners, which
#: stay between two characters beyond ASCII)
SPACES = ["\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000"]
INVISIBLE = ["\u00ad", "\u061c", "\u180e", "\u200b", "\u200e", "\u200f",
             *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2060, 0x2065)),
             *map(chr, range(0x2066, 0x2070)), "\ufeff", "\ufff9", "\ufffa", "\ufffb"]


def _every(chars: list[str]) -> Callable[[bytes], bytes]:
    """Each space of the text replaced by the next of `chars`, in turn."""
    def change(data: bytes) -> bytes:
        parts = data.decode("utf-8").split(" ")
        return "".join(p + (chars[i % len(chars)] if i < len(parts) - 1 else "")
                       for i, p in enumerate(parts)).encode("utf-8")

    return change


def _after_every_space(chars: list[str]) -> Callable[[bytes], bytes]:
    """After each space of the text, the next of `chars`, in turn."""
    def change(data: bytes) -> bytes:
        parts = data.decode("utf-8").split(" ")
        return "".join(p + (" " + chars[i % len(chars)] if i < len(parts) - 1 else "")
                       for i, p in enumerate(parts)).encode("utf-8")

    return change


def same_elements(ws: Path, obs: Observation) -> list[str]:
    """The build read the same elements, per document and type, as the unchanged workspace
    (288 in all)."""
    def table(text: str) -> list[str]:
        return text.split("\n\n")[0].splitlines() + \
            [ln for ln in text.splitlines() if " elements, " in ln]

    before = table((ws.parent / "template.build.txt").read_text())
    after = table(obs.out)
    obs.note = next((ln.split(",")[0] for ln in after if " elements, " in ln), "")
    if after == before:
        return []
    return [f"elements differ: {next((a for a, b in zip(after, before, strict=False) if a != b), '')}"]


def no_raw_control(ws: Path, obs: Observation) -> list[str]:
    found = RAW_CONTROL.findall(obs.out + obs.err)
    return [f"{len(found)} raw control characters reached the terminal"] if found else []


def _hostile_decision(why: str) -> Callable[[Path], None]:
    return curated("decisions.yaml", "decisions:\n" + _decision("CP14-P1", "HWB-4A", "add", why))


def every_output(ws: Path, obs: Observation) -> list[str]:
    """Every control character, in a decision's reason (and so in a link's evidence), through
    every output: the terminal's tables and data, CSV, XLSX, GraphML, RDF and the HTML map."""
    import networkx as nx
    from openpyxl import load_workbook

    problems = no_raw_control(ws, obs)
    r = _align(ws, "build")  # once, so that each question reads the store
    if r.returncode != 0:
        return [*problems, f"build: {r.stderr.strip()[:200]}"]
    for args in (["show", "CP14-P1"], ["serves", "HWB-4A"], ["supports", "CP14-P1", "-f", "json"],
                 ["supports", "CP14-P1", "-f", "csv"], ["decisions", "-f", "csv"],
                 ["export", "-f", "ttl"], ["export", "-f", "nt"], ["export", "-f", "jsonld"]):
        r = _align(ws, *args)
        raw = RAW_CONTROL.findall(r.stdout + r.stderr)
        if r.returncode != 0 or raw or "PWNED" not in r.stdout:
            problems.append(f"{' '.join(args)}: exit {r.returncode}, {len(raw)} raw control "
                            f"characters: {r.stderr.strip()[:100]}")
    r = _align(ws, "export", "-f", "graphml", "--out", str(ws / "g.graphml"))
    try:
        nx.read_graphml(ws / "g.graphml")
    except Exception as exc:  # noqa: BLE001 (a file that does not parse is the finding)
        problems.append(f"graphml does not parse: {exc}"[:200])
    for suffix in ("csv", "xlsx"):
        r = _align(ws, "matrix", "--out", str(ws / f"m.{suffix}"))
        if r.returncode != 0:
            problems.append(f"matrix .{suffix}: {r.stderr.strip()}")
    if (ws / "m.xlsx").is_file():
        load_workbook(ws / "m.xlsx")
    obs.note = (f"{len(CONTROLS)} control characters through 13 outputs (terminal tables, JSON, "
                f"CSV, Turtle, N-Triples, JSON-LD, GraphML, XLSX, HTML): {len(problems)} faults")
    return problems + _map_of(ws, "HWB-4A")


def _loopback() -> tuple[Any, list[str]]:
    """A loopback HTTP listener that records every request it receives."""
    import http.server
    import threading

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the handler's own name)
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


#: line ends of every kind, each of which may end a comment for some reader
LINE_ENDS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0c", "\x85"]
#: the grammar's comment, string and IRI forms, each with a line end inside and a reach after
SHELLS = ["# note{end}{reach}", '"a string{end}" . {reach}', "<urn:a#{end}> . {reach}",
          "'''long{end}''' . {reach}", "# {end}# two{end}{reach}",
          "<urn:x> <urn:y> ?o # {end}{reach}", '?s ?p "#" . # {end}{reach}']


def generated_queries(url: str) -> list[str]:
    """SELECTs with SERVICE (plain and SILENT) inside every shell and line end, FROM and FROM
    NAMED after every line end, and LOAD after a comment ended by each."""
    import itertools

    reach = [f"SERVICE <{url}> {{ ?s ?p ?o }}", f"SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
             f"service <{url}> {{ ?s ?p ?o }}"]
    out = [f"SELECT * WHERE {{ ?s ?p ?o . {shell.format(end=end, reach=r)} }}"
           for shell, end, r in itertools.product(SHELLS, LINE_ENDS, reach)]
    out += [f"SELECT * FROM{end}<{url}> WHERE {{ ?s ?p ?o }}" for end in LINE_ENDS]
    out += [f"SELECT * FROM NAMED <{url}>{end}WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
            for end in LINE_ENDS]
    out += [f"# c{end}LOAD <{url}>" for end in LINE_ENDS]
    return out


def generated_sparql(ws: Path, obs: Observation) -> list[str]:
    """Every generated query through the guard and the engine, with updates allowed and
    external reach not: a loopback listener counts what reached it, which must be nothing."""
    import pyoxigraph as ox

    from alignment.errors import AlignError
    from alignment.store import sparql

    server, seen = _loopback()
    queries = generated_queries(f"http://127.0.0.1:{server.server_address[1]}/x")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))
    refused = 0
    try:
        for q in queries:
            try:
                sparql.run_local(store, q, {}, "json", "urn:", sparql.Guard(allow_update=True),
                                 timeout=10)
            except AlignError:
                refused += 1
    finally:
        server.shutdown()
        server.server_close()
    obs.note = f"{len(queries)} generated queries, {refused} refused, {len(seen)} requests left"
    return [f"{len(seen)} requests of {len(queries)} generated queries reached the listener: "
            f"{seen[:3]}"] if seen else []


def endpoint_http10(ws: Path, obs: Observation) -> list[str]:
    """An endpoint answering HTTP/1.0 without Content-Length: whole, then cut short."""
    import http.server
    import threading

    answer = (b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal",'
              b'"value":"x"}}]}}')
    problems = []
    for body, expect in ((answer, 0), (answer[:50], 2)):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"
            reply = body

            def do_POST(self) -> None:  # noqa: N802 (the handler's own name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(self.reply)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            r = _align(ws, "sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint",
                       f"http://127.0.0.1:{server.server_address[1]}/q")
        finally:
            server.shutdown()
            server.server_close()
        if r.returncode != expect or "Traceback" in r.stderr:
            problems.append(f"an answer of {len(body)} bytes: exit {r.returncode}: "
                            f"{r.stderr.strip()[:150]}")
    return problems


def csv_formulas_inert(ws: Path, obs: Observation) -> list[str]:
    rows = obs.out.splitlines()[1:]
    return [] if rows and all(r.startswith("'") for r in rows) else [f"formulas raw: {rows}"]


def comments_kept(ws: Path, obs: Observation) -> list[str]:
    text = (ws / "decisions.yaml").read_text(encoding="utf-8")
    missing = [c for c in ("# kept by hand", "# wrong domain") if c not in text]
    return [f"comment lost: {c}" for c in missing] + \
        ([] if "CP24-PEOPLE-22" in text else ["the accept was not recorded"])


def composed(ws: Path, obs: Observation) -> list[str]:
    """The web version's wording, as the versions question shows it, holds the letter whole."""
    r = _align(ws, "versions", "-f", "json")
    return [] if "Mobilis\u00e9 the" in r.stdout else ["the accent was not composed"]


Args = Callable[[Path, int], list[str]]


def _writers(first: Args, second: Args, count: Callable[[Path], int],
             prepare: Callable[[Path, int], None], trials: int | None = None
             ) -> Callable[[Case, Path, Path], Observation]:
    """Two writing commands at once, `trials` times (default $ALIGN_ROBUSTNESS_TRIALS, else
    20): each trial's two changes are both kept (`count` of the workspace rises by 2)."""
    def run(case: Case, ws: Path, where: Path) -> Observation:
        times = trials or int(os.environ.get("ALIGN_ROBUSTNESS_TRIALS", "20"))
        env = {**os.environ, "COLUMNS": "100"}
        env.pop("ALIGN_WORKSPACE", None)
        obs = Observation(0, "", "")
        lost = 0
        for n in range(times):
            prepare(ws, n)
            expected = count(ws) + 2
            procs = [subprocess.Popen([*align_command(), "--workspace", str(ws), *args(ws, n)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=env, cwd=ws.parent) for args in (first, second)]
            for p in procs:
                _, err = p.communicate(timeout=300)
                obs.crashed |= "Traceback" in err
                if p.returncode != 0:
                    obs.problems.append(f"trial {n}: exit {p.returncode}: {err.strip()[:150]}")
            lost += expected - count(ws)
        obs.note = f"{times} trials, {2 * times} changes, {lost} lost"
        if lost:
            obs.problems.append(f"{lost} changes lost in {times} trials")
        obs.half_written = _leftovers(ws)
        return obs

    return run


def _changes(ws: Path) -> int:
    """Decisions recorded plus withdrawals made."""
    from alignment.links.decisions import load_decisions

    found = load_decisions(ws / "decisions.yaml")
    return len(found) + sum(not d.active for d in found)


def _plans(ws: Path) -> int:
    from alignment.sources.workspace import Workspace

    return len(Workspace(ws, writable=True).manifest()[0])


def _no_decisions(ws: Path, n: int) -> None:
    (ws / "decisions.yaml").unlink(missing_ok=True)


def _one_decision(ws: Path, n: int) -> None:
    (ws / "decisions.yaml").write_text("decisions:\n" + _decision("CP24-PEOPLE-23", "HWB-4C",
                                                                   "reject"), encoding="utf-8")


def _two_outlines(ws: Path, n: int) -> None:
    for k in (0, 1):
        (ws.parent / f"p{n}{k}.md").write_text(OUTLINE.replace("A plan", f"Plan {n} {k}"),
                                                encoding="utf-8")


def _removable(ws: Path, n: int) -> None:
    """An outline to add as N{n}, and a plan R{n} in the manifest to remove (noted beside the
    workspace, so that `_adds_and_removals` can count it)."""
    from alignment.pipeline.add import add_document
    from alignment.sources.workspace import Workspace

    for k in (0, 1):
        (ws.parent / f"p{n}{k}.md").write_text(OUTLINE.replace("A plan", f"Plan {n} {k}"),
                                                encoding="utf-8")
    add_document(Workspace(ws, writable=True), ws.parent / f"p{n}1.md", f"R{n}", "To remove")
    with open(ws.parent / "removable.txt", "a", encoding="utf-8") as fh:
        fh.write(f"R{n}\n")


def _adds_and_removals(ws: Path) -> int:
    """Plans N* added, and plans R* prepared that are gone."""
    from alignment.sources.workspace import Workspace

    present = {p.id for p in Workspace(ws, writable=True).manifest()[0]}
    prepared = (ws.parent / "removable.txt").read_text(encoding="utf-8").split()
    return sum(p.startswith("N") for p in present) + sum(r not in present for r in prepared)


def _entry(why: str) -> str:
    return "decisions:\n" + _decision("CP24-PEOPLE-1", "HWB-4C", "accept", "").replace(
        'why: ""', f"why: {why}")


HARDENING_II: list[Case] = [
    # text that a reader sees as the same: the 2014-15 plan gives the same 288 elements
    Case("every space a no-break space (2014-15 plan)", "source",
         source(CP14, lambda b: b.replace(b" ", "\u00a0".encode())), expect="warning",
         needles=("cp2014-15-delivery-plan.txt:", "no-break", "read as plain spaces"),
         check=same_elements),
    Case("a zero-width space after every space (2014-15 plan)", "source",
         source(CP14, lambda b: b.replace(b" ", " \u200b".encode())), expect="warning",
         needles=("cp2014-15-delivery-plan.txt:", "invisible character(s)", "removed"),
         check=same_elements),
    Case("a zero-width space before PRIORITY 2", "source",
         replace(CP14, b"PRIORITY 2", "\u200bPRIORITY 2".encode()), expect="warning",
         needles=("cp2014-15-delivery-plan.txt:58:", "1 invisible character"),
         check=same_elements),
    Case("every Unicode space, in turn, for the spaces", "source", source(CP14, _every(SPACES)),
         expect="warning", needles=("cp2014-15-delivery-plan.txt:", "U+00A0, U+1680"),
         check=same_elements),
    Case("every invisible character, in turn, after the spaces", "source",
         source(CP14, _after_every_space(INVISIBLE)), expect="warning",
         needles=("cp2014-15-delivery-plan.txt:", "invisible character(s)"), check=same_elements),
    Case("decomposed accents (NFD)", "source",
         replace(PEOPLE, b"Mobilise the", "Mobilise\u0301 the".encode()), expect="warning",
         needles=("cp2024-people-web.txt:36:", "decomposed, NFD"), check=composed),
    Case("a heading lost moves 30 elements", "source",
         replace(CP14, b"PRIORITY 2 - Encourage", b"Encourage"), expect="warning",
         needles=("cp2014-15-delivery-plan.txt:58:", "since the last build, 30 elements")),
    Case("a 50 MB source", "source", source(PEOPLE, lambda b: b + b"x" * 50_000_000),
         needles=("cp2024-people-web.txt", "MB, more than the 20 MB")),
    # curated files: a key twice, surrogates, nesting, size; comments kept
    Case("decisions: a key twice in an entry", "curated",
         curated("decisions.yaml", _entry('""') + "    decision: reject\n"), args=("decisions",),
         needles=("decisions.yaml:8:", "key 'decision' is given twice", "first at line 4")),
    Case("decisions: two decisions blocks", "curated",
         curated("decisions.yaml", _entry('""') + "decisions:\n"
                 + _decision("CP24-PEOPLE-2", "HWB-4C", "accept")),
         args=("accept", "CP24-PEOPLE-22.similarity.HWB-4C"),
         needles=("decisions.yaml:8:", "key 'decisions' is given twice")),
    Case("decisions: a lone surrogate", "curated", curated("decisions.yaml", _entry('"\\ud83d"')),
         args=("decisions",), needles=("decisions.yaml:7:", "lone surrogate (U+D83D)")),
    Case("decisions: an escaped emoji", "curated",
         curated("decisions.yaml", _entry('"board \\ud83d\\ude00"')),
         args=("decisions", "-f", "json"), expect="ok",
         check=lambda ws, o: [] if "board \U0001f600" in o.out else [o.out[:100]]),
    Case("decisions: 1,000 nested brackets in a why", "curated",
         curated("decisions.yaml", _entry("[" * 1000 + "]" * 1000)), args=("decisions",),
         needles=("decisions.yaml", "nested too deeply")),
    Case("decisions: a 10 MB why", "curated",
         curated("decisions.yaml", _entry("word " * 2_100_000)), args=("decisions",),
         needles=("decisions.yaml", "more than the 10 MB")),
    Case("decisions: a 30,000 character why", "curated",
         curated("decisions.yaml", _entry("a" * 30_000)), args=("decisions",),
         needles=("decisions.yaml:7:", "30,000 characters")),
    Case("decisions: comments survive an accept", "curated",
         curated("decisions.yaml", "# kept by hand\ndecisions:\n" + _decision(
             "CP24-PEOPLE-23", "HWB-4C", "reject").replace("reject", "reject  # wrong domain")),
         args=("accept", "CP24-PEOPLE-22.similarity.HWB-4C"), expect="ok", check=comments_kept),
    Case("import: a lone surrogate in a YAML plan", "import",
         incoming("lone.yaml", 'elements:\n  - title: "Smile \\ud83d\\ude00"\n'
                               '  - title: "Lone \\ud83d"\n'), args=_add("lone.yaml"),
         needles=("lone.yaml:3", "lone surrogate"), check=nothing_added),
    Case("import: 1,000 nested brackets in a YAML plan", "import",
         incoming("deep.yaml", "elements:\n  - title: " + "[" * 1000 + "]" * 1000 + "\n"),
         args=_add("deep.yaml"), needles=("deep.yaml", "nested too deeply"), check=nothing_added),
    Case("import: a 21 MB outline", "import", incoming("big.md", OUTLINE + "word " * 4_300_000),
         args=_add("big.md"), needles=("big.md", "more than the 20 MB"), check=nothing_added),
    # control characters through the terminal and every file format
    Case("terminal escapes in a decision's reason", "hostile",
         _hostile_decision(ESCAPES), args=("decisions",), expect="ok", check=no_raw_control),
    Case("terminal escapes in an ID asked for", "hostile", args=("show", f"X{ESCAPES}"),
         needles=("no element matches", "\\u001b"), check=no_raw_control),
    Case("every control character through every output", "hostile",
         _hostile_decision(f"{CONTROLS} {ESCAPES}"), args=("decisions",), expect="ok",
         check=every_output, slow=True),
    # queries
    Case("SPARQL: a file:// endpoint", "query",
         args=("sparql", "links-by-kind", "--endpoint", "file:///etc/passwd", "-f", "json"),
         needles=("--endpoint 'file:///etc/passwd'", "not an http:// or https:// URL")),
    Case("push to a file:// store", "query", args=("push", "--store", "file:///tmp/any.nt#"),
         needles=("--store", "not an http:// or https:// URL")),
    Case("SPARQL: HTTP/1.0 endpoint without Content-Length", "query", args=("sparql", "--list"),
         expect="ok", check=endpoint_http10),
    Case("SPARQL: generated SERVICE, LOAD and FROM around comments, strings and IRIs", "query",
         args=("sparql", "--list"), expect="ok", check=generated_sparql),
    Case("an argument that is not UTF-8", "query", args=("show", "X\udcff\udcfe"),
         needles=("is not UTF-8 text (byte 0xFF)",)),
    Case("a reason that is not UTF-8", "query", args=("accept", "CP24-PEOPLE-22.similarity.HWB-4C",
                                                      "--why", "ok \udcff"),
         needles=("is not UTF-8 text (byte 0xFF)",)),
    Case("SPARQL: 40 nested groups", "query",
         args=("sparql", "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o " + "} " * 40 + "LIMIT 1"),
         expect="ok"),
    Case("SPARQL: 5,000 nested parentheses", "query",
         args=("sparql", "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"),
         needles=("nests brackets 5002 deep",)),
    Case("SPARQL: 20,000 UNION branches", "query",
         incoming("union.rq", "SELECT * WHERE {" + "UNION".join(["{?s ?p ?o}"] * 20_000) + "}"),
         args=("sparql", "union.rq"),
         needles=("more than the 262,144 a query can be",)),
    Case("SPARQL: 5,000 UNION branches", "query",
         args=("sparql", "SELECT ?s WHERE {" + "UNION".join(["{?s ?p ?o}"] * 5_000) + "}"),
         needles=("4,999 operators",)),
    Case("SPARQL: a 1 MB IN list", "query",
         incoming("in.rq", "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(['"x"'] * 200_000)
                  + ")) }"), args=("sparql", "in.rq"), needles=("a query can be",)),
    Case("SPARQL: a query file that is not UTF-8", "query",
         incoming("latin1.rq", b'SELECT * WHERE {\n ?s ?p "caf\xe9" }\n'),
         args=("sparql", "latin1.rq"), needles=("latin1.rq:2:", "not UTF-8")),
    Case("SPARQL: a cartesian COUNT stops at its time limit", "query",
         args=("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
               "--timeout", "2"), needles=("ran for 2 s, its time limit",)),
    Case("SPARQL: formulas in CSV results", "query",
         args=("sparql", 'SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(1)" "+1" "@A1" "-2" } }',
               "-f", "csv"), expect="ok", check=csv_formulas_inert),
    # writers at once: each trial's two changes are both kept (20 trials per pair in `make
    # robustness`; the tests, which also pin the lock in tests/test_curated_writes.py, try 3)
    Case("accept and reject at once", "concurrent", expect="ok",
         runner=_writers(lambda ws, n: ["accept", "CP24-PEOPLE-22.similarity.HWB-4C"],
                         lambda ws, n: ["reject", "CP24-PEOPLE-23.similarity.HWB-4C"],
                         _changes, _no_decisions)),
    Case("add-link and withdraw at once", "concurrent", expect="ok",
         runner=_writers(lambda ws, n: ["add-link", "CP14-P1", "HWB-4A"],
                         lambda ws, n: ["withdraw", "1"], _changes, _one_decision)),
    Case("an add and a remove at once", "concurrent", expect="ok",
         runner=_writers(lambda ws, n: ["add", f"p{n}0.md", "--plan", f"N{n}", "--title", "A"],
                         lambda ws, n: ["remove", f"R{n}"], _adds_and_removals, _removable)),
    Case("two adds at once", "concurrent", expect="ok",
         runner=_writers(lambda ws, n: ["add", f"p{n}0.md", "--plan", f"N{n}A", "--title", "A"],
                         lambda ws, n: ["add", f"p{n}1.md", "--plan", f"N{n}B", "--title", "B"],
                         _plans, _two_outlines)),
]


CASES: list[Case] = [
    # sources: each replaces a document and records its new sha256, as an officer would
    Case("empty file", "source", source(PEOPLE, lambda b: b""),
         needles=("cp2024-people-web.txt:1:", "is empty")),
    Case("only white space", "source", source(PEOPLE, lambda b: b"\n  \n\t\n"),
         needles=("cp2024-people-web.txt:1:", "is empty")),
    Case("only a byte-order mark", "source", source(PEOPLE, lambda b: b"\xef\xbb\xbf"),
         needles=("cp2024-people-web.txt:1:", "is empty")),
    Case("only control characters", "source", source(PEOPLE, lambda b: b"\x01\x02\n\x1b"),
         needles=("cp2024-people-web.txt:1:", "is empty")),
    Case("a PDF instead of text", "source", source(PEOPLE, lambda b: PDF),
         needles=("cp2024-people-web.txt:1:", "a PDF file, not text")),
    Case("UTF-16 text", "source", source(PEOPLE, lambda b: b.decode().encode("utf-16-le")),
         needles=("cp2024-people-web.txt:1:", "NUL byte")),
    Case("Latin-1 bytes", "source", replace(PEOPLE, b"Mobilise", "Mobilis\u00e9".encode("latin-1")),
         needles=("cp2024-people-web.txt:36:", "not UTF-8", "though the rest of the file is")),
    Case("Windows-1252 text", "source", source(PEOPLE, lambda b: b.decode().encode("cp1252")),
         expect="warning", needles=("cp2024-people-web.txt:20:", "read as Windows-1252")),
    Case("cut inside a character", "source", source(PEOPLE, _cut_in_a_character),
         needles=("cp2024-people-web.txt:20:", "not UTF-8", "cut short")),
    Case("CRLF line ends", "source", source(PEOPLE, lambda b: b.replace(b"\n", b"\r\n")),
         expect="ok", same_as_before=True),
    Case("CR line ends", "source", source(PEOPLE, lambda b: b.replace(b"\n", b"\r")),
         expect="ok", same_as_before=True),
    Case("byte-order mark", "source", source(PEOPLE, lambda b: b"\xef\xbb\xbf" + b),
         expect="ok", same_as_before=True),
    Case("truncated document", "source", source(PEOPLE, _truncate), expect="warning",
         needles=("cp2024-people-web.txt:64:", "CP24-PEOPLE-C names no responsible director")),
    Case("duplicated numbering", "source", replace(PEOPLE, b"\n3. Mobilise", b"\n2. Mobilise"),
         expect="warning", needles=("cp2024-people-web.txt:36:", "number 2 is used twice")),
    Case("missing numbering", "source", replace(PEOPLE, b"\n3. Mobilise", b"\n4. Mobilise"),
         expect="warning", needles=("cp2024-people-web.txt:36:", "numbered 4 where 3")),
    Case("priority with no directors", "source",
         replace(PEOPLE, b"Directors responsible:", b"Directors:"), expect="warning",
         needles=("cp2024-people-web.txt:26:", "CP24-PEOPLE-A names no responsible director")),
    Case("control characters", "source", replace(PEOPLE, b"Mobilise", b"Mob\x07il\x1bise"),
         expect="warning", needles=("cp2024-people-web.txt:36:", "U+0007, U+001B read as a space")),
    Case("a 1 MB line", "source",
         replace(PEOPLE, b"Mobilise the", b"Mobilise " + b"word " * 200_000 + b"the"),
         expect="ok"),
    Case("row of unknown shape", "source",
         replace(CP14, b"PRIORITY 1", b"a\tb\tc\td\te\nPRIORITY 1"), expect="warning",
         needles=("cp2014-15-delivery-plan.txt:",)),
    Case("unknown layout", "source",
         edit("manifest.yaml", "layout: delivery-plan-table", "layout: newsletter"),
         needles=(_manifest_line("layout: delivery-plan-table"), "unknown layout 'newsletter'")),
    Case("document in another layout", "source",
         edit("manifest.yaml", "layout: delivery-plan-table", "layout: hwb-domain"),
         needles=("cp2014-15-delivery-plan.txt", "no structure of layout 'hwb-domain'")),
    Case("source missing", "source", lambda ws: (ws / HWB).unlink(),
         needles=("hwb-2022-26-domain4.txt", "not found")),
    Case("source is a folder", "source",
         _folder_for(HWB),
         needles=("hwb-2022-26-domain4.txt", "not found")),
    Case("source changed, hash not recorded", "source",
         lambda ws: (ws / HWB).write_bytes((ws / HWB).read_bytes() + b"\nmore\n"),
         needles=("hwb-2022-26-domain4.txt", "sha256 is")),
    # curated files, edited by hand
    Case("manifest: invalid YAML", "curated", edit("manifest.yaml", "plans:\n", "plans: [\n"),
         needles=("manifest.yaml:", "invalid YAML")),
    Case("manifest: not UTF-8", "curated", curated_bytes("manifest.yaml", b"Council", b"Council\xff"),
         needles=("manifest.yaml:",)),
    Case("manifest: document listed twice", "curated",
         edit("manifest.yaml", "id: cp24-enabling-web", "id: cp24-people-web"),
         needles=(_manifest_line("id: cp24-enabling-web"), "listed twice")),
    Case("registry: invalid YAML", "curated", edit("registry.yaml", "posts:\n", "posts:\n\t- x\n"),
         needles=("registry.yaml:", "invalid YAML")),
    Case("registry: control character", "curated",
         edit("registry.yaml", "label: Assistant Chief", "label: Assistant\x07 Chief"),
         needles=("registry.yaml:", "invalid YAML")),
    Case("registry: ID listed twice", "curated",
         edit("registry.yaml", "id: POST-CFO", "id: POST-ACE"),
         needles=("registry.yaml:22:", "'POST-ACE' is listed twice")),
    Case("registry: part of unknown", "curated",
         edit("registry.yaml", "kind: strategy\n", "kind: strategy\n    part_of: STRAT-NOPE\n"),
         needles=("registry.yaml:", "unknown 'STRAT-NOPE'")),
    Case("registry: entry not a mapping", "curated", edit("registry.yaml", "posts:\n", "posts:\n  - x\n"),
         needles=("registry.yaml:", "posts[0]", "expected a mapping")),
    Case("corrections: invalid YAML", "curated", curated("corrections.yaml", "corrections:\n  - {id: x\n"),
         needles=("corrections.yaml:", "invalid YAML")),
    Case("corrections: unknown document", "curated",
         edit("corrections.yaml", "document: hwb-d4", "document: hwb-d9"),
         needles=("corrections.yaml:8:", "unknown document 'hwb-d9'")),
    Case("corrections: missing field", "curated", edit("corrections.yaml", "    by: strategy-team\n", ""),
         needles=("corrections.yaml:8:", "corrections[0].by", "Field required")),
    Case("decisions: invalid YAML", "curated", curated("decisions.yaml", "decisions:\n\t- source: X\n"),
         needles=("decisions.yaml:2", "invalid YAML")),
    Case("decisions: unknown ID", "curated",
         curated("decisions.yaml", "decisions:\n" + _decision("CP99-X-1", "HWB-4C", "accept")),
         needles=("decisions.yaml:2:", "unknown ID 'CP99-X-1'")),
    Case("decisions: missing field", "curated",
         curated("decisions.yaml", "decisions:\n  - {source: CP24-PEOPLE-1, target: HWB-4C}\n"),
         needles=("decisions.yaml:2:", "decision 1.decision", "Field required")),
    Case("decisions: unknown decision", "curated",
         curated("decisions.yaml", "decisions:\n" + _decision("CP24-PEOPLE-1", "HWB-4C", "maybe")),
         needles=("decisions.yaml:4:", "unknown decision 'maybe'")),
    Case("decisions: a link that does not exist", "curated",
         curated("decisions.yaml", "decisions:\n" + _decision("CP14-P1", "HWB-4A", "reject")),
         expect="warning", needles=("decisions.yaml:2: decision 1", "no rule links this pair")),
    Case("decisions: conflicting", "curated",
         curated("decisions.yaml", "decisions:\n" + _decision("CP24-PEOPLE-1", "HWB-4C", "accept")
                 + _decision("CP24-PEOPLE-1", "HWB-4C", "reject")),
         needles=("decisions.yaml:8:", "decision 2", "conflicts with an earlier accept")),
    # hostile text in documents, curated files and queries
    Case("hostile text in a source", "hostile",
         replace(HWB, b"- Implement the recommendations", b"- " + PAYLOAD.encode() + b"Implement"),
         expect="ok", check=hostile_build, html="map.html"),
    Case("hostile text in the registry", "hostile",
         edit("registry.yaml", "label: Better Care Together Thurrock\n",
              f"label: {json.dumps('Better Care Together Thurrock ' + PAYLOAD)}\n"),
         expect="ok", check=lambda ws, o: exports_reparse_strategy(ws),
         html="map.html"),
    Case("hostile reason for a decision", "hostile",
         curated("decisions.yaml", "decisions:\n" + _decision("CP14-P1", "HWB-4A", "add", PAYLOAD)),
         expect="ok",
         check=lambda ws, o: _map_of(ws, "HWB-4A") + map_escapes(ws, o), html="map.html"),
    Case("hostile search", "query", args=("search", PAYLOAD), expect="ok"),
    Case("hostile SPARQL binding", "query", args=("sparql", "serves", "--bind", f"goal={PAYLOAD}"),
         needles=("--bind goal", "not an ID")),
    Case("hostile ID to show", "query", args=("show", PAYLOAD), needles=("no element matches",)),
    # plans brought in with `align add`: refused with the file and line, or read and reported
    Case("import: a letter with no structure", "import",
         incoming("letter.txt", "Dear colleagues,\n\nThank you for your comments.\n"),
         args=_add("letter.txt"), needles=("letter.txt", "no structure found"),
         check=nothing_added),
    Case("import: an empty file", "import", incoming("empty.md", b""), args=_add("empty.md"),
         needles=("empty.md:1", "is empty"), check=nothing_added),
    Case("import: a PDF named .csv", "import", incoming("plan.csv", PDF), args=_add("plan.csv"),
         needles=("plan.csv:1", "a PDF file, not text"), check=nothing_added),
    Case("import: a scanned PDF, without text", "import", incoming("scan.pdf", _scanned_pdf()),
         args=_add("scan.pdf"), needles=("scan.pdf", "no text layer", "OCR"),
         check=nothing_added),
    Case("import: a PDF cut short", "import", incoming("plan.pdf", PDF), args=_add("plan.pdf"),
         needles=("plan.pdf", "not a readable PDF"), check=nothing_added),
    Case("import: a Word file that is not one", "import",
         incoming("plan.docx", b"PK\x03\x04 not a package"), args=_add("plan.docx"),
         needles=("plan.docx", "not a Word (.docx) document"), check=nothing_added),
    Case("import: hostile text in a web page", "import",
         incoming("hostile.html", "<html><body><main><p>1. " + html.escape(PAYLOAD) +
                  "</p><p>1.1 Open a family hub</p></main></body></html>"),
         args=_add("hostile.html"), expect="ok", check=hostile_import, html="map.html"),
    Case("import: text named .xlsx", "import", incoming("plan.xlsx", "title\nA\n"),
         args=_add("plan.xlsx"), needles=("plan.xlsx", "not an XLSX workbook"),
         check=nothing_added),
    Case("import: a sheet with no title column", "import",
         incoming("sheet.csv", "Ref,Owner\nE1,Director of Place\n"), args=_add("sheet.csv"),
         needles=("sheet.csv:1", "no title column"), check=nothing_added),
    Case("import: invalid YAML", "import", incoming("plan.yaml", "elements:\n  - title: [A\n"),
         args=_add("plan.yaml"), needles=("plan.yaml:3", "invalid YAML"), check=nothing_added),
    Case("import: a citation the document does not bear out", "import",
         incoming("claims.yaml", "elements:\n  - title: Every child has a laptop\n    sources:\n"
                                 "      - {document: cp24, lines: \"398\", quote: laptop}\n"),
         args=_add("claims.yaml"), needles=("claims.yaml:4", "is not on lines 398-398"),
         check=nothing_added),
    Case("import: levels the graph would refuse", "import",
         incoming("levels.csv", "level,code,title,parent\ngoal,1,Healthy lives,\n"
                                "deliverable,1.1,Build a pool,1\n"),
         args=_add("levels.csv"), needles=("levels.csv:3", "would be a Deliverable under"),
         check=nothing_added),
    Case("import: UTF-16 Markdown", "import", incoming("utf16.md", OUTLINE.encode("utf-16")),
         args=_add("utf16.md"), expect="warning", needles=("utf16.md:1", "read as UTF-16")),
    Case("import: UTF-16 Markdown without its byte-order mark", "import",
         incoming("utf16le.md", OUTLINE.encode("utf-16-le")), args=_add("utf16le.md"),
         needles=("utf16le.md:1", "NUL byte"), check=nothing_added),
    Case("import: a Windows-1252 CSV", "import",
         incoming("cp1252.csv", "Ref,Action,Lead officer\r\n1,Spend \u00a32m on the council\u2019s "
                                "homes,Director of Housing\r\n".encode("cp1252")),
         args=_add("cp1252.csv"), expect="warning", needles=("cp1252.csv:2", "read as Windows-1252")),
    Case("import: repeated and missing numbers", "import",
         incoming("numbers.md", OUTLINE.replace("1.2 Reduce", "1.1 Reduce")
                  .replace("2.1 Run", "2.3.1 Run")), args=_add("numbers.md"), expect="warning",
         needles=("numbers.md:", "repeats line")),
    Case("import: CRLF line ends and a byte-order mark", "import",
         incoming("crlf.md", b"\xef\xbb\xbf" + OUTLINE.replace("\n", "\r\n").encode()),
         args=_add("crlf.md"), expect="ok",
         check=lambda ws, o: [] if "recognised 5 elements" in o.out else [o.out[:200]]),
    Case("import: hostile text in an outline", "import",
         incoming("hostile.md", "1. " + PAYLOAD + "\n1.1 Open a family hub\n"),
         args=_add("hostile.md"), expect="ok", check=hostile_import, html="map.html"),
    Case("import: formulas in a sheet", "import",
         incoming("formula.csv", 'code,title,level\n1,"=HYPERLINK(""http://x.invalid"",""x"")",'
                                 'deliverable\n2,+SUM(A1:A2) more jobs,deliverable\n'),
         args=_add("formula.csv"), expect="ok", check=formulas_stay_text),
    # a build killed half-way leaves the previous good state: killed as it starts each step
    *[Case(f"build killed {when}", "kill", make=make, at=at, expect="ok")
      for when, at, make in KILL_POINTS],
    Case("two builds and queries at once", "concurrent", expect="ok"),
    *HARDENING_II,
]


def _map_of(ws: Path, focus: str) -> list[str]:
    r = _align(ws, "map", focus, "--depth", "1", "--out", str(ws / "map.html"))
    return [] if r.returncode == 0 else [f"map: {r.stderr.strip()}"]


def exports_reparse_strategy(ws: Path) -> list[str]:
    """A hostile strategy label: the exports re-parse isomorphic, and the map escapes it."""
    problems = _map_of(ws, "STRAT-BCT") + map_escapes(ws, Observation(0, "", ""))
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from alignment.graph.rdf import to_rdf
    from alignment.pipeline import building as api
    from alignment.sources.workspace import Workspace

    graph = to_rdf(api.load(Workspace(ws, writable=True)))
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        _align(ws, "export", "-f", fmt, "--out", str(ws / f"export.{fmt}"))
        if not isomorphic(graph, Graph().parse(ws / f"export.{fmt}", format=parser)):
            problems.append(f"{fmt} re-parses to a different graph")
    return problems


# --- running a case -------------------------------------------------------------------------


def align_command() -> list[str]:
    exe = Path(sys.executable).parent / "align"
    return [str(exe)] if exe.exists() else [sys.executable, "-c",
                                            "from alignment.cli import main; main()"]


def _align(ws: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("ALIGN_WORKSPACE", None)
    return subprocess.run([*align_command(), "--workspace", str(ws), *args], capture_output=True,
                          text=True, env=env, cwd=ws.parent, timeout=timeout)


def make_template(where: Path, built: Path | None = None, build_output: str | None = None) -> Path:
    """A built copy of the bundled workspace, which every case copies: made by `align init` and
    `align build`, or copied from `built`, a workspace already built from the bundled data whose
    build printed `build_output`."""
    ws = where / "template"
    if not ws.exists():
        if built is not None and build_output is not None:
            shutil.copytree(built, ws, symlinks=True)
            (where / "template.build.txt").write_text(build_output)
        else:
            env = {**os.environ}
            env.pop("ALIGN_WORKSPACE", None)
            subprocess.run([*align_command(), "init", str(ws)], check=True, capture_output=True,
                           env=env)
            r = _align(ws, "build")
            assert r.returncode == 0, r.stderr
            (where / "template.build.txt").write_text(r.stdout + r.stderr)
        (where / "template.serves.txt").write_text(_align(ws, "serves", "4C", "--format", "json").stdout)
    return ws


def _summary(build_output: str) -> list[str]:
    """A build's report without the line naming where it stored the result."""
    return [ln for ln in build_output.splitlines() if not ln.startswith("stored in ")]


def _baseline_warnings(where: Path) -> frozenset[str]:
    text = (where / "template.build.txt").read_text()
    return frozenset(ln for ln in text.splitlines() if ln.startswith("warning: "))


def _current(ws: Path) -> str | None:
    try:
        return os.readlink(ws / ".align" / "current")
    except OSError:
        return None


def _leftovers(ws: Path) -> list[str]:
    """Temporary files of an atomic write, or half-swapped links, left in the workspace."""
    found = [str(p.relative_to(ws)) for p in ws.rglob("*") if p.name.endswith(".tmp")
             or p.name.startswith(".current-")]
    return found


def _complete(ws: Path) -> list[str]:
    """The current build is whole: every file present, the corpus parses, the store opens."""
    from alignment.store.builds import CORPUS_FILE, STAMP_FILE, STORE_DIR

    target = _current(ws)
    if target is None:
        return ["no current build"]
    folder = ws / ".align" / target
    missing = [n for n in (CORPUS_FILE, STAMP_FILE, STORE_DIR) if not (folder / n).exists()]
    if missing:
        return [f"current build lacks {', '.join(missing)}"]
    try:
        json.loads((folder / CORPUS_FILE).read_text(encoding="utf-8"))
    except ValueError:
        return ["current build's corpus.json is cut short"]
    return []


def case_dir(case: Case, where: Path) -> Path:
    """Where a case's workspace is made (one folder per case name)."""
    return where / f"case-{hashlib.sha256(case.name.encode()).hexdigest()[:12]}"


def run_case(case: Case, where: Path) -> Observation:
    """Run one case on a fresh copy of the built template under `where`."""
    template = make_template(where)
    ws = case_dir(case, where)
    shutil.rmtree(ws, ignore_errors=True)
    shutil.copytree(template, ws, symlinks=True)
    before = _current(ws)
    if case.group == "kill":
        case.make(ws)
        return _run_kill(case, ws, where)
    if case.runner is not None:
        return case.runner(case, ws, where)
    if case.group == "concurrent":
        return _run_concurrent(ws, where)
    case.make(ws)
    r = _align(ws, *case.args)
    obs = Observation(r.returncode, r.stdout, r.stderr, baseline=_baseline_warnings(where))
    obs.crashed = "Traceback" in r.stderr or r.returncode not in (0, 1, 2)
    obs.half_written = _leftovers(ws)
    if r.returncode != 0 and _current(ws) != before:
        obs.half_written.append("the store changed although the command failed")
    if obs.observed != case.expect:
        obs.problems.append(f"expected {case.expect}, observed {obs.observed}: "
                            f"{(r.stderr or r.stdout).strip()[:300]}")
    lines = [ln for ln in (r.stderr + r.stdout).splitlines()
             if ln.startswith("error: ") or ln in obs.new_warnings]
    if case.needles and not any(all(n in ln for n in case.needles) for ln in lines):
        obs.problems.append(f"no message with {case.needles}: {r.stderr.strip()[:300]}")
    template = (where / "template.build.txt").read_text()
    if case.same_as_before and _summary(r.stdout + r.stderr) != _summary(template):
        obs.problems.append("the build read the document differently from the original")
    if case.check and (r.returncode == 0 or case.group == "import"):
        obs.problems += case.check(ws, obs)
    return obs


def _kill_at(ws: Path, at: str) -> str | None:
    """Run a build of `ws` with its progress on a terminal (a pseudo-terminal: the build reports
    its steps only to one) and SIGKILL it the moment it reports the step beginning with `at`.
    None when it was killed there; else what went wrong."""
    import pty
    import select

    env = {**os.environ, "COLUMNS": "100"}
    env.pop("ALIGN_WORKSPACE", None)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*align_command(), "--workspace", str(ws), "build", "--force"],
                            stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    seen, killed = "", False
    try:
        while not killed:
            if not select.select([leader], [], [], 60)[0]:
                break
            try:
                chunk = os.read(leader, 4096).decode("utf-8", "replace")
            except OSError:  # the build closed its terminal: it ended
                break
            if not chunk:
                break
            seen += chunk
            if any(ln.lstrip("· ").startswith(at) for ln in seen.splitlines()):
                proc.send_signal(signal.SIGKILL)
                killed = True
    finally:
        if not killed and proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(leader)
    if not killed:
        return f"the build never reported '{at}': {seen.strip()[-200:]}"
    return None


def _run_kill(case: Case, ws: Path, where: Path) -> Observation:
    """Start a build of an unchanged workspace, SIGKILL it as it begins the step case.at, then
    check that a whole build is current and a query answers as before."""
    missed = _kill_at(ws, case.at)
    obs = Observation(0, "", "")
    if missed:
        obs.problems.append(missed)
    # a killed build may leave its own folder or link in .align/, unseen by queries; the next
    # build clears them. Anything else is half-written.
    obs.half_written = [p for p in _leftovers(ws) if not p.startswith(".align/")] + _complete(ws)
    r = _align(ws, "serves", "4C", "--format", "json")
    obs.crashed = "Traceback" in r.stderr
    if r.stdout != (where / "template.serves.txt").read_text():
        obs.problems.append(f"serves 4C answers differently after the kill: {r.stderr.strip()}")
    r = _align(ws, "build", "--force")  # the next build completes and clears what the killed one left
    if r.returncode != 0 or len(list((ws / ".align").glob("build-*"))) != 2 or _leftovers(ws):
        obs.problems.append(f"the next build did not tidy up: {_leftovers(ws)} {r.stderr.strip()}")
    return obs


def _run_concurrent(ws: Path, where: Path) -> Observation:
    """Two builds at once, and queries while they run: the builds take turns, every query
    answers as before (the old build or the new, never a mix)."""
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("ALIGN_WORKSPACE", None)
    builds = [subprocess.Popen([*align_command(), "--workspace", str(ws), "build", "--force"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
              for _ in range(2)]
    expected = (where / "template.serves.txt").read_text()
    answers = []
    while any(b.poll() is None for b in builds):
        answers.append(_align(ws, "serves", "4C", "--format", "json"))
    obs = Observation(max(b.returncode for b in builds), "", "")
    obs.crashed = any(b"Traceback" in (b.stderr.read() if b.stderr else b"") for b in builds)
    obs.crashed |= any("Traceback" in a.stderr for a in answers)
    wrong = [a for a in answers if a.stdout != expected]
    if wrong:
        obs.problems.append(f"{len(wrong)} of {len(answers)} queries during the builds answered "
                            f"differently: {wrong[0].stderr.strip()[:200]}")
    if not answers:
        obs.problems.append("no query ran during the builds")
    obs.half_written = _leftovers(ws) + _complete(ws)
    if len(list((ws / ".align").glob("build-*"))) != 2:  # the current one and the one replaced
        obs.problems.append("the builds left other than two build folders")
    return obs
