"""Questions about the elements, posts, teams and strategies themselves: show one, list them,
search their text, what a post or team is accountable for, wording differences between versions,
and the forgiving references the commands take. Each reads the graph's Oxigraph store through a
named query (alignment/store/queries/*.rq) and returns plain data (rows are dicts with at least
`id`, `type` and `label`); nothing here prints."""

from __future__ import annotations

from typing import Any, NamedTuple

from alignment.errors import NotFoundError
from alignment.links.rules import check_plan
from alignment.questions.resolve import AgentInfo, NodeInfo, find_agent, resolve_id
from alignment.terms import ElementType
from alignment.text import normalise

__all__ = [
    "resolve",
    "resolve_agent",
    "show",
    "list_elements",
    "search",
    "director",
    "versions",
]

Row = dict[str, Any]


class Listed(NamedTuple):
    """An element as the lists print it (fromstore.ElementRow is one too)."""

    id: str
    type: str
    label: str
    plan: str


_ELEMENT_TYPES = {t.value for t in ElementType}


def _is_store(graph: Any) -> bool:
    return hasattr(graph, "query")


def resolve(graph: Any, query: str) -> str:
    """Resolve a typed reference to one ID, forgivingly (see
    alignment.questions.resolve.resolve_id). `graph` is the graph's Oxigraph store; the writing
    commands, which read the corpus, give the corpus.

    >>> from alignment.pipeline.building import open_store
    >>> from alignment.sources.workspace import locate
    >>> resolve(open_store(locate()), "hwb goal 4c")
    'HWB-4C'
    """
    if _is_store(graph):
        from alignment.questions.fromstore import has_id, node_index, node_labels

        if has_id(graph, query):
            return query
        try:  # one quick query; a miss is reported with the nearest IDs in the corpus's order
            return resolve_id(node_labels(graph), query)
        except NotFoundError:
            return resolve_id(node_index(graph), query)
    nodes = {e.id: NodeInfo(e.label, e.type.value) for e in graph.elements}
    nodes.update((a.id, NodeInfo(a.label, a.kind.value)) for a in graph.agents)
    nodes.update((s.id, NodeInfo(s.label, "Strategy")) for s in graph.strategies)
    return resolve_id(nodes, query)


def resolve_agent(graph: Any, name: str) -> AgentInfo:
    """A post or team by ID, name or alias (any case), or a unique fragment of one (see
    alignment.questions.resolve.find_agent). `graph` is the store, or the corpus for the
    writing commands."""
    if _is_store(graph):
        from alignment.questions.fromstore import agents

        return find_agent(agents(graph), name)
    return find_agent([AgentInfo(a.id, a.kind.value, a.label, tuple(a.aliases))
                       for a in graph.agents], name)


def _rows(store: Any, els: list[Any], **extra: dict[str, Any]) -> list[Row]:
    """The rows the lists print: each element (a Listed, or a fromstore.ElementRow) with `extra`
    columns (by name, a value per ID) and where it was first read."""
    from alignment.questions.fromstore import first_line, sources

    # a few are read one by one; many, plan by plan
    source = ({el.id: first_line(store, el.id) for el in els} if len(els) <= 20
              else sources(store, dict.fromkeys(el.plan for el in els)))
    return [{"id": el.id, "type": el.type, "label": el.label, "plan": el.plan,
             **{k: v[el.id] for k, v in extra.items()},
             "source": source.get(el.id) or first_line(store, el.id)} for el in els]


def show(store: Any, id_: str) -> dict[str, Any]:
    """Everything known of one node, by the named query `element`: the element, its parents and
    children, responsible posts or teams, asserted links both ways, statements, provenance and
    wording variants; for a post or team its aliases and provenance; for a strategy its kind,
    aliases, the strategy it is part of and its note."""
    from alignment.questions.fromstore import node_iri, node_type, select

    parts: dict[str, list[Any]] = {}
    for sol in select(store, "element", element=node_iri(id_)):
        parts.setdefault(sol["part"].value, []).append(sol)
    if not parts.get("node"):
        raise NotFoundError(f"no element, post, team or strategy '{id_}'")
    for rows in parts.values():
        rows.sort(key=lambda s: int(s["n"].value) if s["n"] is not None else 0)
    # the parents from the nearest up: each is above the one before (`via`: the one under it)
    above = {s["via"].value: s for s in parts.get("parent", [])}
    parts["parent"] = []
    below = id_
    while below in above and len(parts["parent"]) < len(above):
        parts["parent"].append(above[below])
        below = above[below]["id"].value

    def text(sol: Any, name: str) -> Any:
        return sol[name].value if sol[name] is not None else None

    def nodes(part: str) -> list[Row]:
        return [{"id": text(s, "id"), "type": node_type(text(s, "class")),
                 "label": text(s, "label")} for s in parts.get(part, [])]

    def links(part: str) -> list[Row]:
        return [{"id": text(s, "id"), "type": node_type(text(s, "class")),
                 "label": text(s, "label"), "link": text(s, "link"), "kind": text(s, "kind"),
                 "status": text(s, "status"), "evidence": text(s, "text"),
                 "source": f"{text(s, 'document')}:{text(s, 'lineStart')}"}
                for s in parts.get(part, [])]

    provenance = [{"document": text(s, "document"), "line_start": int(text(s, "lineStart")),
                   "line_end": int(text(s, "lineEnd")), "text": text(s, "text"),
                   **({"locator": text(s, "locator")} if text(s, "locator") else {})}
                  for s in parts.get("provenance", [])]
    aliases = [text(s, "text") for s in parts.get("alias", [])]
    node = parts["node"][0]
    type_ = node_type(text(node, "class"))
    out: dict[str, Any] = {"id": id_, "label": text(node, "label")}
    if type_ in _ELEMENT_TYPES:
        out |= {
            "type": type_,
            "plan": text(node, "plan"),
            "code": text(node, "code"),
            **({"due": text(node, "due")} if text(node, "due") is not None else {}),
            "parents": nodes("parent"),
            "children": nodes("child"),
            "responsible": [{"id": text(s, "id"), "type": node_type(text(s, "class")),
                             "label": text(s, "label"),
                             "accountable": "named" if text(s, "via") == id_
                             else f"via {text(s, 'via')}"}
                            for s in parts.get("responsible", [])],
            "statements": [{"kind": text(s, "kind"), "text": text(s, "text"),
                            "source": f"{text(s, 'document')}:{text(s, 'lineStart')}"}
                           for s in parts.get("statement", [])],
            "provenance": provenance,
            "variants": [{"document": text(s, "document"), "field": text(s, "field"),
                          "text": text(s, "text")} for s in parts.get("variant", [])],
        }
    elif type_ in {"Post", "Team"}:
        out |= {"type": type_, "aliases": aliases, "provenance": provenance}
    else:
        out |= {"type": "Strategy", "kind": text(node, "kind"), "aliases": aliases,
                "part_of": text(node, "partOf"), "note": text(node, "note")}
    out["references"] = links("linkFrom")
    out["referenced_by"] = links("linkTo")
    out["suggestions"] = len({text(s, "link") for s in parts.get("suggested", [])})
    return out


def list_elements(store: Any, plan: str | None = None, type: str | None = None,
                  post: str | None = None) -> list[Row]:
    """Elements in document order (the named query `plan-elements`, plan by plan), filtered by
    plan, type and responsible post or team; `type` Post, Team or Strategy lists those instead."""
    from alignment.questions.fromstore import agents, elements, plan_ids, strategies

    want_type = type.lower() if type else None
    known_types = {t.lower() for t in _ELEMENT_TYPES} | {"post", "team", "strategy"}
    if want_type is not None and want_type not in known_types:
        raise NotFoundError(f"no type '{type}'; types: {', '.join(t.value for t in ElementType)}, "
                            f"Post, Team, Strategy")
    plans = plan_ids(store)
    check_plan(plans, plan)
    if post is not None and not post.strip():
        raise NotFoundError("--post is empty; name a post or team")
    if want_type in {"post", "team"}:
        return [{"id": a.id, "type": a.type, "label": a.label, "aliases": "; ".join(a.aliases)}
                for a in agents(store) if a.type.lower() == want_type]
    if want_type == "strategy":
        return [{"id": s.id, "type": "Strategy", "label": s.label, "kind": s.kind}
                for s in strategies(store)]
    scope = _accountable(store, resolve_agent(store, post).id) if post else None
    one = next(p for p in plans if p.lower() == plan.lower()) if plan else None
    return _rows(store, [el for el in elements(store, one)
                         if (not want_type or el.type.lower() == want_type)
                         and (scope is None or el.id in scope)])


def search(store: Any, text: str) -> list[Row]:
    """Elements whose label or statements (the named query `search`) have a word starting with
    each word of `text` (any case): "apprentice" finds "apprenticeships", "art" does not find
    "partners". In document order."""
    import re

    from alignment.questions.fromstore import positions, select

    words = normalise(text).split()
    if not words:
        return []
    patterns = [re.compile(rf"(?<![\w]){re.escape(w)}") for w in words]
    texts: dict[str, list[tuple[int, str]]] = {}
    for sol in select(store, "search"):
        texts.setdefault(sol["id"].value, []).append((int(sol["n"].value), sol["text"].value))
    place = positions(store)  # what no plan reaches is in no list
    hits, matched = [], {}
    for id_, said in texts.items():
        said.sort()
        if id_ in place and all(p.search(normalise("\n".join(t for _, t in said)))
                                for p in patterns):
            label = said[0][1]  # n 0: the label
            matched[id_] = ("label" if all(p.search(normalise(label)) for p in patterns)
                            else "statement")
            hits.append(Listed(id_, place[id_].type, label, place[id_].plan))
    return _rows(store, sorted(hits, key=lambda el: place[el.id].n), matched=matched)


def _accountable(store: Any, agent_id: str) -> dict[str, tuple[Listed, str]]:
    """The elements a post or team is accountable for, by the named query `accountability`:
    each with "named", or "via" the nearest element above it that names the post or team."""
    from alignment.questions.fromstore import node_iri, select

    out = {}
    for s in select(store, "accountability", post=node_iri(agent_id)):
        id_, via = s["id"].value, s["via"].value
        out[id_] = (Listed(id_, s["type"].value, s["label"].value, s["plan"].value),
                    "named" if via == id_ else f"via {via}")
    return out


def director(store: Any, name: str) -> tuple[AgentInfo, list[Row]]:
    """Everything a post or team is accountable for across plans: the elements that name it and
    everything under them, in document order."""
    from alignment.questions.fromstore import positions

    agent = resolve_agent(store, name)
    scope = _accountable(store, agent.id)
    place = positions(store)
    els = sorted((el for el, _ in scope.values() if el.id in place),
                 key=lambda el: place[el.id].n)
    return agent, _rows(store, els, accountable={i: how for i, (_, how) in scope.items()})


def versions(store: Any) -> list[Row]:
    """Wording differences between published versions (quotes, case, spacing and a closing full
    stop ignored), by the named query `versions`. `label` is the main document's wording;
    `variant` another version's. In document order."""
    from alignment.questions.fromstore import positions, select

    place = positions(store)
    found = sorted((s for s in select(store, "versions") if s["id"].value in place),
                   key=lambda s: (place[s["id"].value].n, int(s["n"].value)))
    return [{"id": s["id"].value, "type": s["type"].value, "label": s["label"].value,
             "field": s["field"].value, "document": s["document"].value,
             "variant": s["variant"].value, "version_of": s["versionOf"].value} for s in found]

