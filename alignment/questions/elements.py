"""Questions asked of a built corpus. Every function takes the corpus first and returns plain data
(rows are dicts with at least `id`, `type` and `label`); nothing here prints."""

from __future__ import annotations

import difflib
from typing import Any

from alignment.errors import NotFoundError
from alignment.links.rules import check_plan
from alignment.model import Agent, Corpus, Element, ElementType, LinkStatus, Strategy
from alignment.questions.resolve import NodeInfo, resolve_id
from alignment.text import normalise

__all__ = [
    "resolve",
    "resolve_agent",
    "show",
    "list_elements",
    "search",
    "director",
    "versions",
    "summary",
]

Row = dict[str, Any]

def _nodes(corpus: Corpus) -> dict[str, Element | Agent | Strategy]:
    out: dict[str, Element | Agent | Strategy] = {e.id: e for e in corpus.elements}
    out.update({a.id: a for a in corpus.agents})
    out.update({s.id: s for s in corpus.strategies})
    return out


def resolve(corpus: Corpus, query: str) -> str:
    """Resolve a typed reference to one ID of the corpus, forgivingly (see
    alignment.questions.resolve.resolve_id).

    >>> from alignment.pipeline.building import load_bundled
    >>> resolve(load_bundled(), "hwb goal 4c")
    'HWB-4C'
    """
    nodes = {i: NodeInfo(n.label, n.type.value if isinstance(n, Element)
                         else n.kind.value if isinstance(n, Agent) else "Strategy")
             for i, n in _nodes(corpus).items()}
    return resolve_id(nodes, query)


def resolve_agent(corpus: Corpus, name: str) -> Agent:
    """A post or team by ID, name or alias (any case), or a unique fragment of one."""
    key = normalise(name)
    for a in corpus.agents:
        if key in {normalise(a.id), *(normalise(x) for x in [a.label, *a.aliases])}:
            return a
    partial = [a for a in corpus.agents if any(key in normalise(x) for x in [a.label, *a.aliases])]
    if len(partial) == 1:
        return partial[0]
    names = [a.label for a in corpus.agents]
    if partial:
        raise NotFoundError(f"'{name}' matches {len(partial)} posts and teams: "
                            f"{', '.join(a.label for a in partial)}; give the full name")
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    hint = f"; nearest: {', '.join(near)}" if near else ""
    raise NotFoundError(f"no post or team named '{name}'{hint}; 'align list --type Post' lists them")


def _row(el: Element, **extra: Any) -> Row:
    p = el.provenance[0]
    return {"id": el.id, "type": el.type.value, "label": el.label, "plan": el.plan, **extra,
            "source": f"{p.document}:{p.line_start}"}


def show(corpus: Corpus, id_: str) -> dict[str, Any]:
    """Everything known of one node: the element, its parents and children, responsible posts or
    teams, references both ways, statements, provenance and wording variants."""
    nodes = _nodes(corpus)
    node = nodes[id_]
    index = corpus.element_index()
    out: dict[str, Any] = {"id": id_, "label": node.label}
    # asserted links only: suggestions are for 'align serves' and 'align review'
    shown = [lk for lk in corpus.links if lk.status == LinkStatus.ASSERTED]
    links_out = [_link(lk, nodes, lk.target) for lk in shown if lk.source == id_]
    links_in = [_link(lk, nodes, lk.source) for lk in shown if lk.target == id_]
    suggestions = sum(1 for lk in corpus.links
                      if lk.status == LinkStatus.SUGGESTED and id_ in (lk.source, lk.target))
    if isinstance(node, Element):
        parents = []
        cur = node.parent
        while cur:
            parents.append({"id": cur, "type": index[cur].type.value, "label": index[cur].label})
            cur = index[cur].parent
        agents = {a.id: a for a in corpus.agents}
        out |= {
            "type": node.type.value,
            "plan": node.plan,
            "code": node.code,
            "parents": parents,
            "children": [{"id": c.id, "type": c.type.value, "label": c.label}
                         for c in corpus.children(id_)],
            "responsible": _responsible(node, index, agents),
            "statements": [{"kind": s.kind, "text": s.text,
                            "source": f"{s.provenance.document}:{s.provenance.line_start}"}
                           for s in node.statements],
            "provenance": [p.model_dump() for p in node.provenance],
            "variants": [v.model_dump() for v in node.variants],
        }
    elif isinstance(node, Agent):
        out |= {"type": node.kind.value, "aliases": node.aliases,
                "provenance": [p.model_dump() for p in node.provenance]}
    else:
        out |= {"type": "Strategy", "kind": node.kind, "aliases": node.aliases,
                "part_of": node.part_of, "note": node.note}
    out["references"] = links_out
    out["referenced_by"] = links_in
    out["suggestions"] = suggestions
    return out


def _responsible(el: Element, index: dict[str, Element], agents: dict[str, Agent]) -> list[Row]:
    """The posts or teams an element names, else those of its nearest ancestor that names any."""
    cur: Element | None = el
    while cur is not None and not cur.responsible:
        cur = index.get(cur.parent) if cur.parent else None
    if cur is None:
        return []
    via = "named" if cur is el else f"via {cur.id}"
    return [{"id": a, "type": agents[a].kind.value, "label": agents[a].label, "accountable": via}
            for a in cur.responsible]


def _link(lk: Any, nodes: dict[str, Any], other: str) -> Row:
    n = nodes.get(other)
    return {"id": other, "type": getattr(n, "type", "Strategy") if n else "?",
            "label": n.label if n else other, "link": lk.id, "kind": lk.kind,
            "status": lk.status, "evidence": lk.evidence,
            "source": f"{lk.provenance.document}:{lk.provenance.line_start}"}


def list_elements(corpus: Corpus, plan: str | None = None, type: str | None = None,
                  post: str | None = None) -> list[Row]:
    """Elements in document order, filtered by plan, type and responsible post or team."""
    want_type = type.lower() if type else None
    known_types = {t.value.lower() for t in ElementType} | {"post", "team", "strategy"}
    if want_type is not None and want_type not in known_types:
        raise NotFoundError(f"no type '{type}'; types: {', '.join(t.value for t in ElementType)}, "
                            f"Post, Team, Strategy")
    check_plan((p.id for p in corpus.plans), plan)
    if post is not None and not post.strip():
        raise NotFoundError("--post is empty; name a post or team")
    if want_type in {"post", "team"}:
        return [{"id": a.id, "type": a.kind.value, "label": a.label,
                 "aliases": "; ".join(a.aliases)}
                for a in corpus.agents if a.kind.value.lower() == want_type]
    if want_type == "strategy":
        return [{"id": s.id, "type": "Strategy", "label": s.label, "kind": s.kind}
                for s in corpus.strategies]
    agent = resolve_agent(corpus, post) if post else None
    scope = _accountable(corpus, agent.id) if agent else None
    rows = []
    for el in _document_order(corpus):
        if plan and el.plan.lower() != plan.lower():
            continue
        if want_type and el.type.value.lower() != want_type:
            continue
        if scope is not None and el.id not in scope:
            continue
        rows.append(_row(el))
    return rows


def _document_order(corpus: Corpus) -> list[Element]:
    out: list[Element] = []

    def walk(parent: str | None) -> None:
        for child in corpus.children(parent) if parent else []:
            out.append(child)
            walk(child.id)

    for el in sorted((e for e in corpus.elements if e.parent is None), key=lambda e: e.order):
        out.append(el)
        walk(el.id)
    return out


def search(corpus: Corpus, text: str) -> list[Row]:
    """Elements whose label or statements have a word starting with each word of `text` (any
    case): "apprentice" finds "apprenticeships", "art" does not find "partners"."""
    import re

    words = normalise(text).split()
    if not words:
        return []
    patterns = [re.compile(rf"(?<![\w]){re.escape(w)}") for w in words]
    rows = []
    for el in _document_order(corpus):
        hay = normalise(el.text())
        if all(p.search(hay) for p in patterns):
            label = normalise(el.label)
            where = "label" if all(p.search(label) for p in patterns) else "statement"
            rows.append(_row(el, matched=where))
    return rows


def _accountable(corpus: Corpus, agent_id: str) -> dict[str, str]:
    """Element ID -> how the agent is accountable for it (directly, or via an ancestor)."""
    direct = {e.id for e in corpus.elements if agent_id in e.responsible}
    out: dict[str, str] = {}
    for el in _document_order(corpus):
        if el.id in direct:
            out[el.id] = "named"
        elif el.parent in out:
            out[el.id] = f"via {el.parent}" if out[el.parent] == "named" else out[el.parent]
    return out


def director(corpus: Corpus, name: str) -> tuple[Agent, list[Row]]:
    """Everything a post or team is accountable for across plans: the elements that name it and
    everything under them."""
    agent = resolve_agent(corpus, name)
    scope = _accountable(corpus, agent.id)
    rows = [_row(el, accountable=scope[el.id]) for el in _document_order(corpus)
            if el.id in scope]
    return agent, rows


def versions(corpus: Corpus) -> list[Row]:
    """Wording differences between published versions (quotes, case, spacing and a closing full
    stop ignored). `label` is the main document's wording; `variant` another version's."""
    docs = {d.id: d for d in corpus.documents}
    rows = []
    for el in _document_order(corpus):
        for v in el.variants:
            main = el.label if v.field == "label" else _statement(el, v.field)
            rows.append({"id": el.id, "type": el.type.value, "label": main, "field": v.field,
                         "document": v.document, "variant": v.text,
                         "version_of": docs[v.document].version_of or v.document})
    return rows


def _statement(el: Element, field: str) -> str:
    kind, _, rest = field.partition("[")
    index = int(rest.rstrip("]")) - 1
    mine = [s.text for s in el.statements if s.kind == kind]
    return mine[index] if index < len(mine) else ""


def summary(corpus: Corpus) -> list[Row]:
    """Counts per document and element type, as built: the elements each document of a plan
    gives (a document citing another counts only its own elements)."""
    rows = []
    for d in corpus.documents:
        counts: dict[str, int] = {}
        for el in corpus.elements:
            if el.type == ElementType.PLAN or el.plan != d.plan:
                continue
            if any(p.document == d.id for p in el.provenance):
                counts[el.type.value] = counts.get(el.type.value, 0) + 1
        for t, n in sorted(counts.items(), key=lambda kv: list(ElementType).index(kv[0])):
            rows.append({"id": d.id, "type": t, "label": d.title, "count": n})
    return rows
