"""The SHACL shapes (ontology/shapes.ttl) checked by SPARQL queries inside Oxigraph.

Each constraint of a shape becomes one SELECT query that returns the focus nodes (and value nodes)
that break it, run in an in-memory Oxigraph store holding the graph. pySHACL, which walks the
graph node by node in Python, took about half of every build (1.3 s of 2.5 s on the bundled
workspace, 41 s of CPU at 10,000 deliverables); these queries give the same results (a test
compares them with pySHACL's on the seeds and on graphs with planted faults) in a small part of
that time.

The part of SHACL Core the shapes use is implemented, and a shape using anything else is refused
when the shapes are read (so a new constraint cannot be skipped silently): targets sh:targetClass
and sh:targetObjectsOf; property shapes whose sh:path is one predicate; sh:minCount, sh:maxCount,
sh:class, sh:datatype, sh:minInclusive, sh:maxInclusive, sh:minLength, sh:pattern, sh:in, sh:node,
sh:or (of shapes that use the same constraints), sh:severity and sh:message.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from alignment.errors import InputError

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pyoxigraph as ox

__all__ = ["Affected", "Result", "Shape", "affected", "check", "check_paths", "load_shapes", "paths",
           "reach", "store_of"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: the constraints read on a shape; anything else of the sh: vocabulary is refused
VALUE_CONSTRAINTS = ("class", "datatype", "minInclusive", "maxInclusive", "minLength", "pattern",
                     "in", "node", "or")
KNOWN = {"targetClass", "targetObjectsOf", "property", "path", "minCount", "maxCount", "severity",
         "message", *VALUE_CONSTRAINTS}

#: the lexical forms of the datatypes a literal may be ill-typed in (XML Schema)
LEXICAL = {
    XSD + "integer": r"^[+-]?[0-9]+$",
    XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD + "boolean": r"^(true|false|1|0)$",
}


@dataclass(frozen=True, order=True)
class Result:
    """One result of the validation, as the W3C report states it. Terms are N-Triples text."""

    focus: str
    path: str  # "" for a node shape's own constraint
    component: str  # e.g. "MinCount", of sh:MinCountConstraintComponent
    value: str  # "" where the constraint has no value node (counts)
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    shape: int = field(default=0, compare=False)  # the index of the shape in Shapes.all


@dataclass
class Shape:
    """A node shape (path is None) or a property shape: its targets, constraints and nested
    property shapes."""

    name: str  # the shape's IRI, or where it is in the shapes file
    path: str | None = None
    targets: list[tuple[str, str]] = field(default_factory=list)  # ("class"|"objectsOf", IRI)
    constraints: dict[str, Any] = field(default_factory=dict)
    properties: list[Shape] = field(default_factory=list)
    severity: str = "Violation"
    message: str = ""
    index: int = 0


def _term(t: Any) -> str:
    """A pyoxigraph term as N-Triples text (also SPARQL)."""
    return str(t)


class _Reader:
    def __init__(self, triples: list[Any]):
        self.out: dict[str, dict[str, list[Any]]] = {}
        for t in triples:
            self.out.setdefault(_term(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)
        self.shapes: list[Shape] = []
        self.named: dict[str, Shape] = {}

    def values(self, node: str, prop: str) -> list[Any]:
        return self.out.get(node, {}).get(prop, [])

    def one(self, node: str, prop: str) -> Any:
        vs = self.values(node, prop)
        return vs[0] if vs else None

    def items(self, node: Any) -> list[Any]:
        """The members of an RDF list."""
        out, at = [], _term(node)
        while at != f"<{RDF}nil>":
            first = self.one(at, RDF + "first")
            if first is None:
                raise InputError(f"shapes: a list at {at} has no rdf:first; fix ontology/shapes.ttl")
            out.append(first)
            at = _term(self.one(at, RDF + "rest"))
        return out

    def shape(self, node: Any, path_allowed: bool = True) -> Shape:
        key = _term(node)
        props = self.out.get(key, {})
        for p in props:
            if p.startswith(SH) and p.removeprefix(SH) not in KNOWN:
                raise InputError(f"shapes: {key} uses sh:{p.removeprefix(SH)}, which this engine "
                                 f"does not check; use the constraints listed in "
                                 f"alignment/graph/shacl.py")
        if key in self.named:  # a named shape used in several places is one shape
            return self.named[key]
        shape = Shape(name=key, index=len(self.shapes))
        if not key.startswith("_:"):
            self.named[key] = shape
        self.shapes.append(shape)
        path = self.one(key, SH + "path")
        if path is not None:
            if not path_allowed:
                raise InputError(f"shapes: {key} has a path where a node shape is expected")
            if not hasattr(path, "value") or _term(path).startswith("_:"):
                raise InputError(f"shapes: {key} has a path that is not one predicate; this "
                                 f"engine checks predicate paths only")
            shape.path = path.value
        for c in self.values(key, SH + "targetClass"):
            shape.targets.append(("class", c.value))
        for c in self.values(key, SH + "targetObjectsOf"):
            shape.targets.append(("objectsOf", c.value))
        sev = self.one(key, SH + "severity")
        if sev is not None:
            shape.severity = sev.value.removeprefix(SH)
        msg = self.one(key, SH + "message")
        shape.message = msg.value if msg is not None else ""
        for name in ("minCount", "maxCount", "minLength"):
            v = self.one(key, SH + name)
            if v is not None:
                shape.constraints[name] = int(v.value)
        for name in ("class", "datatype"):
            v = self.one(key, SH + name)
            if v is not None:
                shape.constraints[name] = v.value
        for name in ("minInclusive", "maxInclusive"):
            v = self.one(key, SH + name)
            if v is not None:
                shape.constraints[name] = _term(v)
        v = self.one(key, SH + "pattern")
        if v is not None:
            re.compile(v.value)
            shape.constraints["pattern"] = v.value
        v = self.one(key, SH + "in")
        if v is not None:
            shape.constraints["in"] = [_term(x) for x in self.items(v)]
        v = self.one(key, SH + "node")
        if v is not None:
            shape.constraints["node"] = self.shape(v, path_allowed=False)
        v = self.one(key, SH + "or")
        if v is not None:
            shape.constraints["or"] = [self.shape(x, path_allowed=False) for x in self.items(v)]
        for p in self.values(key, SH + "property"):
            shape.properties.append(self.shape(p))
        return shape


@dataclass
class Shapes:
    roots: list[Shape]  # the node shapes with targets
    all: list[Shape]
    triples: list[Any]  # the shapes file's triples (the report cites a result's shape)

    @cached_property
    def _labels(self) -> dict[str, str]:
        """Each blank node of the file, by its place in it: the same on every run."""
        seen: dict[str, str] = {}
        for t in self.triples:
            for x in (_term(t.subject), _term(t.object)):
                if x.startswith("_:") and x not in seen:
                    seen[x] = f"_:shape{len(seen) + 1}"
        return seen

    @cached_property
    def _by_subject(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for t in self.triples:
            out.setdefault(_term(t.subject), []).append(t)
        return out

    def label(self, term: str) -> str:
        """A term of the shapes file as N-Triples text; a blank node gets a label that is the
        same on every run (its place in the file), not the parser's random one."""
        return self._labels.get(term, term)

    def described(self, shape: Shape) -> list[Any]:
        """The triples that describe `shape`: its own, and those of the blank nodes it uses."""
        by_subject = self._by_subject
        out, todo, seen = [], [shape.name], set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for t in by_subject.get(node, []):
                out.append(t)
                if _term(t.object).startswith("_:"):
                    todo.append(_term(t.object))
        return out


def load_shapes(path: Path) -> Shapes:
    """Read a shapes file (Turtle); a construct this engine does not check is refused."""
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise InputError(f"{path}: cannot read the shapes: {exc}") from None
    reader = _Reader(triples)
    nodes = [t.subject for t in triples
             if t.predicate.value == RDF + "type" and t.object.value == SH + "NodeShape"]
    roots = [reader.shape(n) for n in nodes]
    return Shapes([s for s in roots if s.targets], reader.shapes, triples)


@lru_cache(maxsize=4)
def _cached_shapes(path: str, mtime: float) -> Shapes:
    return load_shapes(Path(path))


def shapes_at(path: Path) -> Shapes:
    return _cached_shapes(str(path), path.stat().st_mtime)


def store_of(ntriples: bytes) -> ox.Store:
    """An in-memory Oxigraph store holding a graph given as N-Triples."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


# --- the queries --------------------------------------------------------------------------


def _types(classes: list[str], sub: dict[str, set[str]]) -> str:
    """The classes whose instances are SHACL instances of one of `classes`: each class and its
    subclasses (`sub`: class -> its subclasses, transitively), as a SPARQL list of IRIs."""
    return " ".join(sorted({f"<{c}>" for k in classes for c in {k, *sub.get(k, ())}}))


def _targets(shape: Shape, sub: dict[str, set[str]], only: str = "") -> str:
    """The pattern binding ?focus to the shape's focus nodes (of those listed in `only`, a
    SPARQL list of IRIs, if given)."""
    parts = []
    classes = [iri for kind, iri in shape.targets if kind == "class"]
    if classes and only:  # each listed node's types looked up (VALUES ?_t would read them all)
        types = ", ".join(_types(classes, sub).split())
        parts.append(f"{{ ?focus <{RDF}type> ?_t . FILTER (?_t IN ({types})) }}")
    elif classes:
        parts.append(f"{{ ?focus <{RDF}type> ?_t . VALUES ?_t {{ {_types(classes, sub)} }} }}")
    parts += [f"{{ ?_s <{iri}> ?focus }}" for kind, iri in shape.targets if kind == "objectsOf"]
    listed = f"VALUES ?focus {{ {only} }} " if only else ""
    return "{ SELECT DISTINCT ?focus WHERE { " + listed + " UNION ".join(parts) + " } }"


def _string(text: str) -> str:
    """A SPARQL string literal holding `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r") + '"'


def _fails(name: str, value: Any, sub: dict[str, set[str]]) -> str:
    """An expression true where ?value breaks the constraint `name` (never an error)."""
    if name == "class":  # one class, or a list of them (an sh:or of classes)
        classes = value if isinstance(value, list) else [value]
        return (f"NOT EXISTS {{ ?value <{RDF}type> ?_t . "
                f"FILTER (?_t IN ({', '.join(_types(classes, sub).split())})) }}")
    # each function of a value reads it whole from the store (a long literal's text is looked
    # up apart): one call where one does, and an error (a blank node's STR, an IRI's datatype)
    # counts as failing. A language-tagged literal's datatype is rdf:langString.
    if name == "datatype":
        lexical = LEXICAL.get(value)
        bad = f"datatype(?value) != <{value}>"
        if lexical:
            bad += f" || !REGEX(STR(?value), {_string(lexical)})"
        return f"COALESCE({bad}, true)"
    if name == "minInclusive":
        return f"!COALESCE(?value >= {value}, false)"
    if name == "maxInclusive":
        return f"!COALESCE(?value <= {value}, false)"
    if name == "minLength":
        return f"COALESCE(STRLEN(STR(?value)) < {int(value)}, true)"
    if name == "pattern":
        return f"COALESCE(!REGEX(STR(?value), {_string(value)}), true)"
    if name == "in":
        same = " || ".join(f"sameTerm(?value, {v})" for v in value) or "false"
        return f"!({same})"
    raise AssertionError(name)


#: up to this many nodes found failing in a scan of a predicate are looked up among the focus
#: nodes by name (a longer VALUES list is slower than joining the focus nodes)
FEW = 200


def _values(shape: Shape) -> str:
    """The pattern binding ?value to the value nodes of ?focus."""
    return f"?focus <{shape.path}> ?value ." if shape.path else "BIND(?focus AS ?value)"


class _Checker:
    def __init__(self, store: ox.Store, scoped: bool = False):
        self.store = store
        self.scoped = scoped  # only some focus nodes: a nested shape is checked on their values
        self.depth = itertools.count(1)  # names the variables of nested shapes apart
        self.cache: dict[tuple[str, str], set[str]] = {}  # (shape, path) -> nodes that fail it
        self.memo: dict[str, Future[list[Any]]] = {}  # a query -> its rows
        self.lock = threading.Lock()
        self.sub: dict[str, set[str]] = {}  # class -> its subclasses, transitively
        pairs = [(s["a"].value, s["b"].value) for s in store.query(
            f"SELECT ?a ?b WHERE {{ ?a <{RDFS}subClassOf> ?b FILTER(isIRI(?a) && isIRI(?b)) }}")]
        changed = True
        for a, b in pairs:
            self.sub.setdefault(b, set()).add(a)
        while changed:  # the transitive closure (a few classes)
            changed = False
            for subs in self.sub.values():
                more = set().union(*(self.sub.get(a, set()) for a in subs)) - subs
                if more:
                    subs |= more
                    changed = True

    def rows(self, query: str) -> list[tuple[str, str]]:
        """The (focus, value) rows of a query; the same query (a scan of one predicate that
        several shapes constrain alike, say) is run once."""
        def answer() -> list[tuple[str, str]]:
            solutions = self.store.query(query)
            has_value = any(v.value == "value" for v in solutions.variables)
            return [(_term(s["focus"]), _term(s["value"]) if has_value else "") for s in solutions]

        return self._once(query, answer)

    def nonconforming(self, shape: Shape, path: str) -> set[str]:
        """The values of `path` (from any node) that do not conform to `shape`: whether a node
        conforms does not depend on who points to it, so a shape that several shapes name with
        sh:node on the same path is checked once."""
        key = (shape.name, path)
        if key not in self.cache:
            self.cache[key] = self.failing(
                shape, f"{{ SELECT DISTINCT ?focus WHERE {{ ?_x{shape.index} <{path}> ?focus }} }}")
        return self.cache[key]

    def failing(self, shape: Shape, focus: str) -> set[str]:
        """The focus nodes (of the pattern `focus`) that do not conform to `shape`."""
        return {r.focus for r in self.results(shape, focus)}

    def results(self, shape: Shape, focus: str) -> list[Result]:
        """The results of `shape` (and its property shapes) on the focus nodes of `focus`."""
        out: list[Result] = []
        path = shape.path or ""
        values = _values(shape)

        def add(component: str, rows: list[tuple[str, str]]) -> None:
            out.extend(Result(f, path, component, v, shape.severity, shape.message, shape.index)
                       for f, v in rows)

        c = shape.constraints
        low, high = c.get("minCount", 0), c.get("maxCount")
        if shape.path and low == 1:  # the common case, without counting: no value at all (of
            # a few focus nodes, each is looked up: MINUS reads every statement of the path)
            absent = (f"FILTER NOT EXISTS {{ ?focus <{shape.path}> ?_any }}" if self.scoped
                      else f"MINUS {{ ?focus <{shape.path}> ?_any }}")
            add("MinCount", [(f, "") for f, _ in self.rows(
                f"SELECT ?focus WHERE {{ {focus} {absent} }}")])
            low = 0
        if shape.path and high == 1 and not self.scoped:  # two different values: first any
            # node of the graph that has them (a scan of the predicate), then which of those
            # are focus nodes (a few focus nodes are counted below instead)
            add("MaxCount", [(f, "") for f, _ in self._focus_of(focus, self._several(shape.path))])
            high = None
        if shape.path and (low or high is not None):  # other counts: one query for both
            n = "COUNT(DISTINCT ?v)"
            having = " || ".join([f"{n} < {low}"] * bool(low) + [f"{n} > {high}"] * (high is not None))
            counts = [(s["focus"], int(s["n"].value)) for s in self.store.query(
                f"SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?focus "
                f"<{shape.path}> ?v }} }} GROUP BY ?focus HAVING ({having})")]
            add("MinCount", [(_term(f), "") for f, n in counts if n < low])
            add("MaxCount", [(_term(f), "") for f, n in counts if high is not None and n > high])
        # a class is tested apart from the other value constraints (`_untyped_values`)
        checks = [name for name in ("datatype", "minInclusive", "maxInclusive", "minLength",
                                    "pattern", "in") if name in c]
        if "class" in c:
            add("Class", self._untyped_values(shape, focus, values, [c["class"]]))
        if checks:  # every other value constraint of the shape in one pass over its values
            flags = " ".join(f"BIND({_fails(name, c[name], self.sub)} AS ?_c{k})"
                             for k, name in enumerate(checks))
            test = f"{flags} FILTER ({' || '.join(f'?_c{k}' for k in range(len(checks)))})"
            rows = self._scanned(shape, focus, values, test, [f"?_c{k}" for k in range(len(checks))])
            for k, name in enumerate(checks):
                component = {"datatype": "Datatype", "in": "In"}.get(
                    name, name[0].upper() + name[1:])
                add(component, [(f, v) for f, v, broken in rows if broken[k]])
        # the value nodes, as the focus nodes of a nested shape (variables renamed apart)
        n = next(self.depth)
        inner = (focus + " " + values).replace("?focus", f"?_f{n}").replace("?value", f"?_v{n}")
        pairs = f"{{ SELECT DISTINCT (?_v{n} AS ?focus) WHERE {{ {inner} }} }}"
        if "node" in c:
            add("Node", self._with_values(focus, values, self.nonconforming(c["node"], shape.path)
                                          if shape.path and not self.scoped
                                          else self.failing(c["node"], pairs)))
        if "or" in c:
            members = c["or"]
            if all(set(m.constraints) == {"class"} and not m.properties for m in members):
                # an or of classes: one test of the value's types against them all
                classes = [m.constraints["class"] for m in members]
                add("Or", self._untyped_values(shape, focus, values, classes))
            else:
                bad: set[str] | None = None
                for member in members:
                    fails = self.failing(member, pairs)
                    bad = fails if bad is None else bad & fails
                add("Or", self._with_values(focus, values, bad or set()))
        for prop in shape.properties:
            out.extend(self.results(prop, focus))
        return out

    def count(self, query: str) -> int:
        """The ?n of a counting query (each asked once)."""
        return self._once(query, lambda: [int(next(iter(self.store.query(query)))["n"].value)])[0]

    def _several(self, path: str) -> list[tuple[str, str]]:
        """The nodes of the graph with more than one value of `path`: none when the predicate
        has as many subjects as statements (counted without grouping: a third of the time at
        100,000 deliverables), else those the grouped count finds."""
        query = f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?_s) AS ?d) WHERE {{ ?_s <{path}> ?_o }}"
        counts = self._once(query, lambda: [int(t.value) for t in next(iter(self.store.query(query)))])
        if counts[0] == counts[1]:
            return []
        return [(f, "") for f, _ in self.rows(f"SELECT ?focus WHERE {{ ?focus <{path}> ?_a }} "
                                               f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?_a) > 1)")]

    def _once(self, query: str, answer: Callable[[], list[Any]]) -> list[Any]:
        """The rows of `query`, worked out once (`answer`): a thread asking a query that
        another is running waits for its rows (the shapes are checked on several threads, and
        several shapes ask some queries alike: a scan of sa:sourceText took 0.65 s twice at
        once at 10,000 deliverables)."""
        from concurrent.futures import Future

        with self.lock:
            future = self.memo.get(query)
            mine = future is None
            if future is None:
                future = self.memo[query] = Future()
        if mine:
            try:
                future.set_result(answer())
            except BaseException as e:  # every thread waiting for it hears it
                future.set_exception(e)
        return future.result()

    def _untyped_values(self, shape: Shape, focus: str, values: str,
                        classes: list[str]) -> list[tuple[str, str]]:
        """The (focus, value) pairs whose value is an instance of none of `classes`. Where every
        focus node is checked, the nodes typed with the classes are read once and taken away
        from the values (a MINUS: links' targets at 10,000 deliverables 0.34 s to 0.02 s); where
        a few are, each value's types are looked up (a NOT EXISTS)."""
        if self.scoped:
            return self.rows(f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {values} "
                             f"FILTER ({_fails('class', classes, self.sub)}) }}")
        minus = f"MINUS {{ ?value <{RDF}type> ?_ct . VALUES ?_ct {{ {_types(classes, self.sub)} }} }}"
        return [(f, v) for f, v, _ in self._scanned(shape, focus, values, minus, [])]

    def _scanned(self, shape: Shape, focus: str, values: str, test: str,
                 flags: list[str]) -> list[tuple[str, str, list[bool]]]:
        """The (focus, value, flags) rows where `test` finds a value failing (`flags`: the
        variables it binds, true where each constraint fails). With a path, the values of every
        node of the graph are tested first (a scan of the predicate, without joining the focus
        nodes), then the few that fail are kept where their node is a focus node; where the
        predicate's other uses fail many, the values of the focus nodes are tested instead."""

        def failing(scope: str) -> list[tuple[str, str, list[bool]]]:
            query = f"SELECT DISTINCT ?focus ?value {' '.join(flags)} WHERE {{ {scope} {test} }}"
            return self._once(query, lambda: [
                (_term(r["focus"]), _term(r["value"]),
                 [r[v[1:]] is not None and r[v[1:]].value == "true" for v in flags])
                for r in self.store.query(query)])

        scan = bool(shape.path) and not self.scoped and self.mostly_focus(focus, shape.path or "")
        rows = failing(f"?focus <{shape.path}> ?value ." if scan else f"{focus} {values}")
        if scan and len({f for f, _, _ in rows}) > FEW:
            return failing(f"{focus} {values}")
        if scan and rows:
            kept = {f for f, _ in self._focus_of(focus, [(f, "") for f, _, _ in rows])}
            return [r for r in rows if r[0] in kept]
        return rows

    def mostly_focus(self, focus: str, path: str) -> bool:
        """Whether most statements of the predicate `path` are about focus nodes: then a scan
        of the predicate is the cheaper test (a predicate that many other nodes use, such as
        sa:id, is tested on the focus nodes' values instead)."""
        return (self.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?_s <{path}> ?_o }}")
                <= 2 * self.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {focus} }}"))

    def _focus_of(self, focus: str, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The rows whose first term is a focus node of the pattern `focus` (of many nodes, the
        focus nodes are listed)."""
        if not rows:
            return []
        if len({f for f, _ in rows}) > FEW:
            every = {f for f, _ in self.rows(f"SELECT ?focus WHERE {{ {focus} }}")}
            return [r for r in rows if r[0] in every]
        listed = " ".join(sorted({f for f, _ in rows}))
        kept = {f for f, _ in self.rows(f"SELECT DISTINCT ?focus WHERE {{ {focus} "
                                        f"VALUES ?focus {{ {listed} }} }}")}
        return [r for r in rows if r[0] in kept]

    def _with_values(self, focus: str, values: str, bad: set[str]) -> list[tuple[str, str]]:
        """The (focus, value) pairs whose value is one of `bad`."""
        if not bad:
            return []
        listed = " ".join(sorted(bad))
        return self.rows(f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {values} "
                         f"VALUES ?value {{ {listed} }} }}")


def check_paths(store: ox.Store, shapes: Shapes, by_path: dict[str, set[str]]) -> list[Result]:
    """The results of the top-level property shapes of each path on the nodes listed for it
    (path -> IRIs as N-Triples text), sorted."""
    checker = _Checker(store, scoped=True)
    out: set[Result] = set()
    for path, nodes in sorted(by_path.items()):
        listed = " ".join(sorted(nodes))
        for root in shapes.roots:
            for prop in root.properties:
                if prop.path == path:
                    out.update(checker.results(prop, _targets(root, checker.sub, listed)))
    return sorted(out)


def check(store: ox.Store, shapes: Shapes, only: set[str] | None = None) -> list[Result]:
    """Every result of the shapes on the store's default graph, sorted; with `only` (IRIs as
    N-Triples text), the results on those focus nodes. The shapes are checked on as many
    threads as the machine has cores (Oxigraph answers queries without holding Python's lock);
    a query two shapes share may run twice, with the same answer."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    if only is not None and not only:
        return []
    checker = _Checker(store, scoped=only is not None)
    listed = " ".join(sorted(only)) if only else ""
    tasks = []  # each root shape's own constraints, and each of its property shapes apart
    for root in shapes.roots:
        focus = _targets(root, checker.sub, listed)
        tasks += [(replace(root, properties=[]), focus), *((p, focus) for p in root.properties)]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        found = pool.map(lambda task: checker.results(*task), tasks)
        return sorted({r for results in found for r in results})


def reach(shapes: Shapes) -> int:
    """How many statements away from a focus node its results can look: one for a path's values
    (whose own statements, their types among them, are changes to them), one more for each
    shape nested under a value. A change to a node can change the results of the nodes up to
    this many statements before it."""

    def depth(shape: Shape, seen: frozenset[str]) -> int:
        if shape.name in seen:
            return 1_000  # a shape nested in itself: every node may depend on every other
        seen = seen | {shape.name}
        hop = 1 if shape.path else 0
        deepest = hop
        for p in shape.properties:
            deepest = max(deepest, depth(p, seen))
        nested = [shape.constraints["node"]] if "node" in shape.constraints else []
        nested += list(shape.constraints.get("or", []))
        for n in nested:
            deepest = max(deepest, hop + depth(n, seen))
        return deepest

    return max((depth(s, frozenset()) for s in shapes.roots), default=0)


def paths(shapes: Shapes, nested: bool = False) -> set[str]:
    """Every predicate the shapes follow: their paths and their targets' predicates; with
    `nested`, only the paths of shapes nested under a value (sh:node, sh:or), which look at a
    node on behalf of another."""
    out: set[str] = set()

    def walk(shape: Shape, inside: bool) -> None:
        if shape.path and (inside or not nested):
            out.add(shape.path)
        if not nested:
            out.update(iri for kind, iri in shape.targets if kind == "objectsOf")
        for p in shape.properties:
            walk(p, inside)
        inner = [shape.constraints["node"]] if "node" in shape.constraints else []
        for n in inner + list(shape.constraints.get("or", [])):
            walk(n, True)

    for s in shapes.roots:
        walk(s, False)
    return out


#: more nodes than this to check again, and the whole graph is checked (each listed node costs
#: about a millisecond: at 10,000 deliverables a whole check takes 4 s)
MOST_NODES = 1_000


#: more nodes than this whose only change is to a path of the top-level shapes, and the whole
#: graph is checked (only those paths' property shapes are checked on them: one query each)
MOST_BY_PATH = 50_000


class Affected(NamedTuple):
    """What a change concerns: nodes to check against every shape, and nodes to check only
    against the property shapes of one path (path -> nodes)."""

    nodes: set[str]
    by_path: dict[str, set[str]]


def affected(store: ox.Store, shapes: Shapes, changed: Iterable[Any]) -> Affected | None:
    """The focus nodes whose results a change of the statements `changed` (pyoxigraph triples,
    removed or added) can change, or None where the whole graph is to be checked (a change to
    the class hierarchy, or too many nodes). A statement whose predicate no shape looks at
    changes nothing. One whose predicate is only the path of top-level property shapes concerns
    those shapes on its subject (a link renumbered: its sa:sequence). Any other that a shape
    looks at concerns every shape on its subject (and, for a target's predicate, its object);
    a change to a node's types, or to what a nested shape looks at, also concerns the nodes that
    lead to it along the shapes' paths, up to `reach` statements before it."""
    followed = paths(shapes)
    deep_paths = paths(shapes, nested=True) | {RDF + "type"}
    targets = {iri for s in shapes.roots for kind, iri in s.targets if kind == "objectsOf"}
    nodes: set[str] = set()
    by_path: dict[str, set[str]] = {}
    deep: set[Any] = set()
    for t in changed:
        p = t.predicate.value
        if p == RDFS + "subClassOf":
            return None
        if p in followed and p not in deep_paths and p not in targets:
            by_path.setdefault(p, set()).add(_term(t.subject))
            if sum(map(len, by_path.values())) > MOST_BY_PATH:
                return None
            continue
        if p in followed or p == RDF + "type":
            nodes.add(_term(t.subject))
        if p in targets:
            nodes.add(_term(t.object))
        if p in deep_paths:
            deep.add(t.subject)
        if len(nodes) > MOST_NODES:
            return None
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    frontier = deep
    for _ in range(reach(shapes)):
        found = set()
        for o in frontier:
            for q in store.quads_for_pattern(None, None, o, default):
                if q.predicate.value in followed:
                    found.add(q.subject)
        frontier = {f for f in found if _term(f) not in nodes}
        nodes |= {_term(f) for f in found}
        if len(nodes) > MOST_NODES:
            return None
        if not frontier:
            break
    return Affected(nodes, {p: found - nodes for p, found in by_path.items() if found - nodes})
