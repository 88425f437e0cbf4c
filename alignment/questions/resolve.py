"""The forgiving resolver of typed references ("4C", "hwb 4c", "HWB goal 4C", "people 21", a
label fragment) to one ID, and of a post's or team's name to the post or team. Plain data in, an
ID out: it serves the corpus and the store alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from alignment.errors import NotFoundError
from alignment.text import normalise, tokens

__all__ = ["AgentInfo", "NodeInfo", "find_agent", "resolve_id"]


class NodeInfo(NamedTuple):
    label: str
    type: str


class AgentInfo(NamedTuple):
    """A post or team: its ID, type (Post or Team), name and aliases."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()


#: words that name a type of element in a query ("HWB goal 4C", "people deliverable 21")
_TYPES = ["Plan", "Outcome", "StrategicObjective", "Priority", "Objective", "Deliverable",
          "SubItem", "Foundation", "Strand", "Programme", "Domain", "Goal", "Action", "Milestone"]
_TYPE_WORDS = {t.upper(): t for t in _TYPES} | {
    "GOALS": "Goal", "DELIVERABLES": "Deliverable", "ACTIONS": "Action",
    "PRIORITIES": "Priority", "MILESTONES": "Milestone"}



def _id_tokens(id_: str) -> list[str]:
    return id_.split("-")


def resolve_id(nodes: Mapping[str, NodeInfo], query: str) -> str:
    """Resolve a typed reference to one ID, forgivingly.

    Tried in order: the exact ID (any case, spaces for hyphens); the code tokens of the query
    as the tail of an ID ("4C", "hwb 4c", "HWB goal 4C", "people 21"), with type words such as
    "goal" narrowing the candidates, when every other word is part of some ID; then a fragment of
    a label. A miss raises NotFoundError
    naming what was tried and the nearest IDs.

    >>> resolve_id({"HWB-4C": NodeInfo("Supporting the economically vulnerable", "Goal")},
    ...            "hwb goal 4c")
    'HWB-4C'
    """
    q = query.strip()
    exact = "-".join(tokens(q))
    if exact in nodes:
        return exact
    words = tokens(q)
    vocab = {t for i in nodes for t in _id_tokens(i)}
    codes = [w for w in words if w in vocab]
    # a word that is neither part of an ID nor a type word ("BF" in "BF-1" when there is no plan
    # BF) means the reference names something else: its other words must not pick an element
    # that merely ends the same way ("RBC25-1"). The label may still match.
    if any(w not in vocab and w not in _TYPE_WORDS for w in words):
        codes = []
    types = {_TYPE_WORDS[w] for w in words if w in _TYPE_WORDS}
    candidates: list[str] = []
    if codes:
        for id_ in nodes:
            parts = _id_tokens(id_)
            if parts[-1] != codes[-1]:
                continue
            it = iter(parts)
            if all(c in it for c in codes):
                candidates.append(id_)
        if types:
            typed = [c for c in candidates if nodes[c].type in types]
            candidates = typed or candidates
        # prefer the IDs that use the most of the query's code tokens
        if len(candidates) > 1:
            shortest = min(len(_id_tokens(c)) for c in candidates)
            narrowed = [c for c in candidates if len(_id_tokens(c)) == shortest]
            candidates = narrowed if len(narrowed) == 1 else candidates
        if len(candidates) == 1:
            return candidates[0]
    key = normalise(q)
    by_label = [i for i, n in nodes.items()
                if key and key in normalise(n.label)] if len(key) >= 3 else []
    if len(by_label) == 1:
        return by_label[0]
    if len(candidates) > 1 or len(by_label) > 1:
        many = candidates if len(candidates) > 1 else by_label
        shown = ", ".join(sorted(many)[:8]) + (" …" if len(many) > 8 else "")
        raise NotFoundError(f"'{query}' is ambiguous: {len(many)} matches ({shown}); "
                            f"give more of the ID")
    import difflib  # for a miss only

    near = difflib.get_close_matches(exact, list(nodes), n=5, cutoff=0.5)
    near += [i for i, n in nodes.items() if i not in near and difflib.get_close_matches(
        key, [normalise(n.label)[: len(key) + 10]], n=1, cutoff=0.75)][:3]
    hint = f"; nearest: {', '.join(near)}" if near else "; try 'align search TEXT'"
    raise NotFoundError(f"no element matches '{query}' (tried the ID '{exact}', code tokens "
                        f"{codes or 'none'} as the end of an ID, and label text){hint}")


def find_agent(agents: Sequence[AgentInfo], name: str) -> AgentInfo:
    """A post or team by ID, name or alias (any case), or a unique fragment of one; a miss raises
    NotFoundError naming the nearest names."""
    key = normalise(name)
    for a in agents:
        if key in {normalise(a.id), *(normalise(x) for x in [a.label, *a.aliases])}:
            return a
    partial = [a for a in agents if any(key in normalise(x) for x in [a.label, *a.aliases])]
    if len(partial) == 1:
        return partial[0]
    names = [a.label for a in agents]
    if partial:
        raise NotFoundError(f"'{name}' matches {len(partial)} posts and teams: "
                            f"{', '.join(a.label for a in partial)}; give the full name")
    import difflib  # for a miss only

    near = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    hint = f"; nearest: {', '.join(near)}" if near else ""
    raise NotFoundError(f"no post or team named '{name}'{hint}; 'align list --type Post' lists them")
