"""Questions about alignment: what serves a goal, what an element supports, gaps, the coverage
matrix, continuity between plans, the suggestions to review and the paths between two elements,
each read from the graph's Oxigraph store by its named query (alignment/store/queries/NAME.rq)
and the rules of alignment.links.rules; plain rows out. Light on purpose: no corpus model, RDF
library, graph library or numpy is loaded for them. Only `find_link` (for the commands that
write a decision) reads the corpus."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from alignment.errors import InputError, NotFoundError
from alignment.links.rules import (
    GOAL_TYPES,
    ORDER,
    STATUSES,
    accepted,
    carries_on,
    check_filters,
    check_plan,
    counts,
    natural,
    serving,
)
from alignment.terms import ElementType, LinkKind, LinkStatus

if TYPE_CHECKING:
    from alignment.model import Corpus, Link

__all__ = ["serving", "serves", "supports", "gaps", "why", "matrix", "continuity", "review",
           "find_link", "not_a_goal", "STATUSES", "siblings", "candidates", "GROUPS",
           "REVIEW_ORDER", "ended", "serves_and_parts"]

Row = dict[str, Any]
_ORDER = ORDER


def _sort(rows: list[Row]) -> list[Row]:
    """By kind (a goal's whole-strategy commitments last), strongest first."""
    return sorted(rows, key=lambda r: (98 if r.get("via") else _ORDER.get(r["kind"], 99),
                                       -r["score"], natural(r["id"])))


#: how `serves` groups its answer, in this order
GROUPS = ("stated in the documents", "decided by officers", "suggested",
          "commits to the whole strategy", "the goal's own actions and milestones")


def _group(kind: str, status: str, via: str) -> str:
    if via:
        return GROUPS[3]
    if kind == LinkKind.STRUCTURAL:
        return GROUPS[4]
    if kind == LinkKind.CURATED or status == LinkStatus.REJECTED or accepted(kind, status):
        return GROUPS[1]
    return GROUPS[0] if status == LinkStatus.ASSERTED else GROUPS[2]


def ended(period: str, year: int) -> str:
    """The year a plan's period ended, if before `year` ("2014-2015" in 2026: "2015"), else ""."""
    years = [int(y) for y in re.findall(r"\d{4}", period)]
    return str(max(years)) if years and max(years) < year else ""


def serves(store: Any, target: str, min_score: float | None = None,
           kinds: list[str] | None = None, plan: str | None = None,
           status: str | None = None, parts: bool = False, current: bool = False,
           year: int | None = None) -> list[Row]:
    """What serves a goal: the rows of `serves_and_parts`."""
    return serves_and_parts(store, target, min_score, kinds, plan, status, parts, current,
                            year)[0]


def serves_and_parts(store: Any, target: str, min_score: float | None = None,
                     kinds: list[str] | None = None, plan: str | None = None,
                     status: str | None = None, parts: bool = False, current: bool = False,
                     year: int | None = None) -> tuple[list[Row], int]:
    """What serves a goal (or names a strategy), read from the graph's Oxigraph store by the
    named query `serves`, in groups (GROUPS): what the documents state, what officers decided,
    the suggestions, then the elements that name the goal's whole strategy (`via` the strategy:
    they serve it as a whole, not this goal in particular); the goal's own actions and
    milestones only with `parts` (or `kinds` naming structural). Within a group, elements of
    current plans first (`ended`: the year an ended plan ended; `current` leaves those out),
    then by kind, strongest first. Asserted links always count; suggestions from `min_score`
    (default: the evaluated threshold); `status` keeps one status (see
    alignment.links.rules.counts). Also how many of the goal's own actions and milestones were
    left out."""
    import datetime

    import pyoxigraph as ox

    from alignment.iri import base_iri
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import node_type, plan_ids, plan_periods, select

    check_filters(min_score, status, kinds)
    if plan:
        check_plan(plan_ids(store), plan)
    year = year or datetime.date.today().year
    periods = plan_periods(store)
    show_parts = parts or bool(kinds and LinkKind.STRUCTURAL in kinds)
    rows: dict[str, Row] = {}
    hidden = set()
    for sol in select(store, "serves", goal=ox.NamedNode(f"{base_iri()}id/{target}")):
        t = node_type(sol["class"].value)
        if t is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kind == LinkKind.STRUCTURAL and not show_parts:
            hidden.add(sol["link"].value)
            continue
        if kinds and kind not in kinds:
            continue
        if kind == LinkKind.REFERENCES:
            if status and st != status:
                continue
        elif not counts(st, score, PARAMS.threshold, min_score, status):
            continue
        el_plan = sol["plan"].value if sol["plan"] is not None else ""
        if plan and el_plan.lower() != plan.lower():
            continue
        gone = ended(periods.get(el_plan, ""), year)
        if current and gone:
            continue
        via = _value(sol["via"])
        rows[sol["link"].value] = {
            "id": sol["id"].value, "type": t, "label": sol["label"].value, "plan": el_plan,
            "link": sol["link"].value, "kind": kind, "score": score, "status": st,
            "evidence": (f"commits to the whole strategy, {via}: " if via else "")
            + sol["evidence"].value, "source": _value(sol["source"]), "via": via,
            "group": _group(kind, st, via), "ended": gone}
    return sorted(_sort(list(rows.values())),
                  key=lambda r: (GROUPS.index(r["group"]), bool(r["ended"]))), len(hidden)


def supports(store: Any, source: str, min_score: float | None = None,
             status: str | None = None) -> list[Row]:
    """The reverse of `serves`, read from the store by the named query `supports`: which goals,
    strategies and elements an element serves or names, and the deliverables a continuity link
    joins it to (both ways), grouped by kind, strongest first. Names always count, continuity
    links from their threshold (`carries_on`), serving links under the filters (`counts`)."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import select

    check_filters(min_score, status)
    rows: dict[str, Row] = {}
    for sol in select(store, "supports", element=_node(source)):
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kind == LinkKind.CONTINUITY:
            if not carries_on(kind, st, score):
                continue
        elif kind != LinkKind.REFERENCES and not counts(st, score, PARAMS.threshold, min_score,
                                                        status):
            continue
        rows[sol["link"].value] = _link_row(sol)
    return _sort(list(rows.values()))


def _node(id_: str) -> Any:
    """The IRI of a node of the graph, by its ID."""
    import pyoxigraph as ox

    from alignment.iri import base_iri

    return ox.NamedNode(f"{base_iri()}id/{id_}")


def _value(term: Any) -> str:
    return term.value if term is not None else ""


def _link_row(sol: Any) -> Row:
    """A row of `supports` or `review`: the node at the other end of a link, and the link."""
    return {"id": sol["id"].value, "type": sol["type"].value, "label": sol["label"].value,
            "plan": _value(sol["plan"]), "link": sol["link"].value, "kind": sol["kind"].value,
            "score": float(sol["score"].value), "status": sol["status"].value,
            "evidence": sol["evidence"].value, "source": _value(sol["source"])}


_GAPS = {ElementType.GOAL: "goal served by nothing outside its own plan",
        ElementType.DELIVERABLE: "deliverable serving no goal"}


def gaps(store: Any, min_score: float | None = None, status: str | None = None,
         plan: str | None = None) -> list[Row]:
    """Goals that no element of another plan serves, and deliverables of plans with no goals
    that serve no goal (`plan` narrows both to one plan), in the order they were read: the
    named query `gaps` gives each with the strongest link of each status that may stand behind
    it, and a link stands when it counts under the filters (alignment.links.rules.counts)."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import plan_ids, select

    check_plan(plan_ids(store), plan)
    check_filters(min_score, status)
    rows: dict[str, Row] = {}
    served: set[str] = set()
    for sol in select(store, "gaps"):
        el = sol["id"].value
        if el not in rows:
            t = sol["type"].value
            rows[el] = {"id": el, "type": t, "label": sol["label"].value,
                        "plan": sol["plan"].value, "gap": _GAPS[ElementType(t)],
                        "source": _value(sol["source"])}
        # a status's strongest link counts if any of that status does
        if sol["status"] is not None and counts(sol["status"].value,
                                                float(sol["strongest"].value),
                                                PARAMS.threshold, min_score, status):
            served.add(el)
    return [r for el, r in rows.items() if el not in served
            and (not plan or r["plan"].lower() == plan.lower())]


_VERBS = {"broader": ("is part of", "contains"), "responsible": ("is led by", "leads"),
          "references": ("names", "is named by")}


def why(store: Any, a: str, b: str, limit: int = 5, cutoff: int = 5) -> list[Row]:
    """The shortest paths that connect two nodes, each step explained (parent, responsible post,
    a named strategy, or an alignment link with its evidence), read from the store by the named
    query `edges`. A path may take a part-of or responsibility edge, a name, or a link that
    counts as serving (`counts`, at the default threshold); it may end at a goal, a plan or a
    post but never pass through one ("A serves 4B, which X also serves" explains nothing).
    Paths come shortest first, then one step longer (a longer detour repeats what a shorter
    path says), at most `limit` of them and none longer than `cutoff` steps."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import hubs, node_labels, select

    hub = hubs(store)
    steps: dict[frozenset[str], Row] = {}
    for sol in select(store, "edges"):
        s, t, rel = sol["from"].value, sol["to"].value, sol["relation"].value
        if rel not in {"broader", "responsible", LinkKind.REFERENCES}:
            if rel == LinkKind.CONTINUITY or not counts(
                    sol["status"].value, float(sol["score"].value), PARAMS.threshold):
                continue
        step = {"from": s, "to": t, "relation": rel, "evidence": _value(sol["evidence"]),
                "link": _value(sol["link"])}
        pair = frozenset((s, t))
        # one step per pair of nodes: a link says more than the hierarchy, a stronger kind more
        # than a weaker one
        if pair not in steps or _rank(step) < _rank(steps[pair]):
            steps[pair] = step
    near: dict[str, set[str]] = {}
    for pair in steps:
        s, t = tuple(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
        near.setdefault(s, set()).add(t)
        near.setdefault(t, set()).add(s)
    for end in (a, b):
        if end not in near:
            raise NotFoundError(f"'{end}' has no links to follow")
    rows = []
    paths = _paths(near, hub, a, b, limit, cutoff)
    nodes = node_labels(store, (n for path in paths for n in path))
    for k, path in enumerate(paths, 1):
        for i, (s, t) in enumerate(zip(path, path[1:], strict=False), 1):
            step = steps[frozenset((s, t))]
            rel = step["relation"]
            forward, back = _VERBS.get(rel, (f"serves ({rel})", f"is served by ({rel})"))
            info = nodes.get(s)
            rows.append({"path": k, "step": i, "id": s, "type": info.type if info else "",
                         "label": info.label if info else s, "relation": forward if step["from"] == s
                         else back, "to": t, "evidence": step["evidence"], "link": step["link"]})
    return rows


def _rank(step: Row) -> tuple[int, str]:
    rel = step["relation"]
    return (99 if rel in {"broader", "responsible"} else _ORDER.get(rel, 50), step["link"])


def _paths(near: dict[str, set[str]], hubs: set[str], a: str, b: str, limit: int,
           cutoff: int) -> list[list[str]]:
    """Simple paths from a to b through no hub (see `why`): the shortest, then those one step
    longer, each length in the natural order of its nodes' IDs; at most `limit`."""
    def open_(n: str) -> bool:
        return n in {a, b} or n not in hubs

    dist = {b: 0}  # steps to b, through open nodes only
    frontier = [b]
    while frontier:
        nxt = []
        for n in frontier:
            for m in near[n]:
                if m not in dist and open_(m):
                    dist[m] = dist[n] + 1
                    nxt.append(m)
        frontier = nxt
    if a not in dist:
        return []
    out: list[list[str]] = []

    def walk(path: list[str], budget: int) -> None:
        here = path[-1]
        if here == b:
            if len(path) - 1 == length:
                out.append(list(path))
            return
        if here != a and here in hubs:
            return
        for m in sorted(near[here], key=natural):
            if len(out) >= limit:
                return
            if m in dist and m not in path and dist[m] <= budget - 1:
                path.append(m)
                walk(path, budget - 1)
                path.pop()

    for length in range(dist[a], min(dist[a] + 1, cutoff) + 1):
        walk([a], length)
    return out[:limit]


def matrix(store: Any, min_score: float | None = None, status: str | None = None,
           plan: str | None = None) -> tuple[list[str], list[Row]]:
    """Deliverables x goals, from the named query `matrix`: each cell the strongest serving link
    that counts under the filters ("explicit 0.900", "similarity 0.283 (suggested)"), or empty;
    and how many goals each deliverable serves, and of them how many by asserted links. The
    deliverables are those of plans with no goals of their own, in the order they were read."""
    from alignment.links.similarity import PARAMS
    from alignment.questions.fromstore import plan_ids, select

    check_filters(min_score, status)
    check_plan(plan_ids(store), plan)
    goals: list[str] = []
    found: dict[str, Row] = {}
    best: dict[tuple[str, str], tuple[str, float, str]] = {}
    for sol in select(store, "matrix"):
        if sol["deliverable"] is None:
            goals.append(sol["goal"].value)
            continue
        el = sol["deliverable"].value
        if el not in found:
            found[el] = {"id": el, "type": ElementType.DELIVERABLE.value,
                         "label": sol["label"].value, "plan": sol["plan"].value}
        if sol["link"] is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if not counts(st, score, PARAMS.threshold, min_score, status):
            continue
        key = (el, sol["goal"].value)
        if key not in best or (_ORDER[kind], -score) < (_ORDER[best[key][0]], -best[key][1]):
            best[key] = (kind, score, st)
    rows = []
    for el, found_row in found.items():
        if plan and found_row["plan"].lower() != plan.lower():
            continue
        row: Row = dict(found_row)
        for g in goals:
            lk = best.get((el, g))
            row[g] = _cell(*lk) if lk else ""
        row["goals served"] = sum(1 for g in goals if row[g])
        row["by asserted links"] = sum(1 for g in goals if (el, g) in best
                                       and best[(el, g)][2] == LinkStatus.ASSERTED)
        rows.append(row)
    columns = ["id", "plan", "label", *goals, "goals served", "by asserted links"]
    return columns, rows


def _cell(kind: str, score: float, status: str) -> str:
    """A matrix cell: the link's kind and score, and whether an officer has still to decide on it
    (suggested) or accepted it (a similarity link made asserted)."""
    note = {"suggested": " (suggested)", "rejected": " (rejected)"}.get(status, "")
    if accepted(kind, status):
        note = " (accepted)"
    return f"{kind} {score:.3f}{note}"


CONTINUITY_STATUSES = ("carried on", "disappeared", "new")


def continuity(store: Any, min_score: float | None = None,
               only: str | None = None) -> list[Row]:
    """Which deliverables of an older plan carried on into a newer one (a curated link, or a
    continuity link that `carries_on` at `min_score`), which disappeared, and which of the newer
    plan's are new (`only` keeps one of the three), in the order they were read: from the named
    query `continuity`."""
    from alignment.questions.fromstore import select

    if only and only not in CONTINUITY_STATUSES:
        raise InputError(f"--only '{only}': use one of {', '.join(CONTINUITY_STATUSES)}")
    check_filters(min_score)
    found: dict[str, Row] = {}
    sides: dict[str, set[str]] = {}
    into: dict[str, list[tuple[float, int, Row]]] = {}
    carried: set[str] = set()
    for sol in select(store, "continuity"):
        el, side = sol["id"].value, sol["side"].value
        if el not in found:
            found[el] = {"id": el, "type": ElementType.DELIVERABLE.value,
                         "label": sol["label"].value}
        sides.setdefault(el, set()).add(side)
        if sol["link"] is None:
            continue
        kind, st, score = sol["kind"].value, sol["status"].value, float(sol["score"].value)
        if kind != LinkKind.CURATED and not carries_on(kind, st, score, min_score):
            continue
        if side == "newer":
            carried.add(el)
            continue
        # the strongest carries on; among equals, the link found first
        into.setdefault(el, []).append((-score, int(sol["found"].value), {
            "into": sol["into"].value, "score": score, "link": sol["link"].value,
            "evidence": sol["evidence"].value}))
    rows = []
    for el, row in found.items():
        if "older" in sides[el]:
            if el in into:
                rows.append(row | {"status": "carried on"}
                            | min(into[el], key=lambda c: c[:2])[2])
            else:
                rows.append(row | {"status": "disappeared", "into": "", "score": None,
                                   "link": "", "evidence": ""})
        elif el not in carried:
            rows.append(row | {"status": "new", "into": "", "score": None, "link": "",
                               "evidence": ""})
    return [r for r in rows if not only or r["status"] == only]


REVIEW_ORDER = ("stated: to check", "suggested: to decide", "below the suggestions",
                "decided")


def review(store: Any, goal: str, plan: str | None = None) -> list[Row]:
    """Every link to a goal that a rule made (explicit, inherited, similarity), with the IDs to
    accept or reject, from the named query `review`, in the order that makes an officer's time
    count: first the links the documents state but no one has checked (they count in every
    answer, so a wrong one does the most harm), then the suggestions strongest first (the most
    likely to be right, so the most links found per decision: docs/evaluation.md measures this
    order), then what officers decided. `review` says which (REVIEW_ORDER). `plan` keeps the
    links from one plan's elements."""
    from alignment.questions.fromstore import plan_ids, select

    if plan:
        check_plan(plan_ids(store), plan)
    rows: dict[str, Row] = {}
    for sol in select(store, "review", goal=_node(goal)):
        r = _link_row(sol)
        if plan and r["plan"] != plan:
            continue
        r["decision"] = _value(sol["decision"])
        r["review"] = (REVIEW_ORDER[3] if r["decision"] else REVIEW_ORDER[0]
                       if r["status"] == LinkStatus.ASSERTED else REVIEW_ORDER[1])
        rows[r["link"]] = r
    return sorted(rows.values(), key=lambda r: (REVIEW_ORDER.index(r["review"]), -r["score"],
                                                natural(r["id"])))


def learned(rows: list[Row], corpus: Corpus, goal: str) -> list[Row]:
    """The review's rows in the order that has learned from what officers decided on `goal`
    (alignment.links.learning): each decision is carried to the undecided elements that read
    alike, whose place among the rows below the threshold moves up (accepted) or down
    (rejected); each moved row says which decided elements it reads like. Rows at or above the
    threshold, and every link's score, stay as they are."""
    from alignment.links.embedding import model_installed
    from alignment.links.learning import carried
    from alignment.links.linking import similarity_features
    from alignment.links.similarity import PARAMS

    decided = {r["id"]: r["decision"] == "accept" for r in rows
               if r["decision"] in ("accept", "reject")}
    # without the sentence model there are no vectors to read alike by: the order stands
    f = similarity_features(corpus) if decided and model_installed() else None
    moves = carried(f, goal, decided) if f is not None else {}
    t = PARAMS.threshold
    for r in rows:
        if r["decision"] or r["score"] >= t or r["id"] not in moves:
            continue
        change, alike = moves[r["id"]]
        r["place"] = round(min(r["score"] + change, t - 0.001), 3)
        said = ", ".join(f"{e} ({'accepted' if ok else 'rejected'})" for e, ok in alike)
        r["evidence"] += (f"\nReads like {said} for {goal}: reviewed as if it scored "
                          f"{r['place']:.3f}")
    # among rows moved to the same place (up to just below the threshold), the stronger first
    out = sorted(rows, key=lambda r: (REVIEW_ORDER.index(r["review"]),
                                      -r.get("place", r["score"]), -r["score"], natural(r["id"])))
    for r in out:
        r.pop("place", None)  # said in the evidence: the rows keep one shape
    return out


def candidates(corpus: Corpus, goal: str, have: set[str], plan: str | None = None) -> list[Row]:
    """Every element of another plan that no link joins to the goal (`have`: the elements that
    are), with the score a suggestion of the pair would have, strongest first: what `review
    --all` adds below the suggestions. Reads the corpus and the sentence vectors the build
    cached."""
    from alignment.links.linking import pair_scores, similarity_features
    from alignment.links.similarity import PARAMS

    f = similarity_features(corpus)
    if f is None or goal not in {g.id for g in f.goals}:
        return []
    scores = pair_scores(f)
    rows = []
    for el in f.candidates:
        if el.id in have or (plan and el.plan != plan):
            continue
        s = scores[(el.id, goal)]
        p = el.provenance[0]
        rows.append({"id": el.id, "type": el.type.value, "label": el.label, "plan": el.plan,
                     "link": "", "kind": "similarity", "score": round(s, 3),
                     "status": "not linked",
                     "evidence": f"scores {s:+.3f} for {goal} (suggestions count from "
                                 f"+{PARAMS.threshold:g}); to link it: align add-link {el.id} "
                                 f"{goal}",
                     "source": f"{p.document}:{p.line_start}", "decision": "",
                     "review": REVIEW_ORDER[2]})
    return sorted(rows, key=lambda r: (-r["score"], natural(r["id"])))




_UNDER = """PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?class ?goal WHERE {
  ?node a ?class .
  FILTER (?class != sa:Element && STRSTARTS(STR(?class), STR(sa:)))
  OPTIONAL {
    ?g a sa:Goal ; sa:id ?goal ; sa:sequence ?sequence .
    { ?g skos:broader ?node } UNION { ?g sa:plan ?node . ?node a sa:Plan }
  }
}
ORDER BY ?sequence"""


_AGENT = """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?node ?class WHERE {
  ?node a ?class . FILTER (?class IN (org:Post, org:OrganizationalUnit)) }"""


def not_a_goal(store: Any, target: str, command: str = "serves") -> str | None:
    """When `target` is a domain or plan, not a goal: a note naming the goals under it, whose
    links the question was probably about; for a post or team, where its work is listed; else
    None."""
    import pyoxigraph as ox

    from alignment.questions.fromstore import node_type

    found = list(store.query(_UNDER, substitutions={ox.Variable("node"): _node(target)}))
    if not found:
        agent = list(store.query(_AGENT, substitutions={ox.Variable("node"): _node(target)}))
        if agent:
            kind = "post" if agent[0]["class"].value.endswith("Post") else "team"
            return (f"{target} is a {kind}: 'align director {target}' lists what it is "
                    f"accountable for, and 'align supports ID' what one of those serves")
        return None
    t = node_type(found[0]["class"].value)
    if t is None or t in GOAL_TYPES:
        return None
    goals = [sol["goal"].value for sol in found if sol["goal"] is not None]
    if not goals:
        return None
    shown = ", ".join(goals[:6]) + (f" and {len(goals) - 6} more" if len(goals) > 6 else "")
    return (f"{target} is a {t.lower()}: links serve its goals ({shown}); "
            f"ask 'align {command} {goals[0]}'")


def siblings(corpus: Corpus, link: Link) -> list[Link]:
    """The other links inherited the same way as `link` (from the same element, for the same
    goal) that are not rejected; none for a link that is not inherited."""
    if link.kind != LinkKind.INHERITED or not link.path:
        return []
    return [lk for lk in corpus.links if lk.kind == LinkKind.INHERITED and lk.id != link.id
            and lk.target == link.target and lk.path[:1] == link.path[:1]
            and lk.status != LinkStatus.REJECTED]


def find_link(corpus: Corpus, ref: str) -> Link:
    """A link by its ID (any case)."""
    for lk in corpus.links:
        if lk.id.lower() == ref.strip().lower():
            return lk
    import difflib

    near = difflib.get_close_matches(ref, [lk.id for lk in corpus.links], n=3, cutoff=0.6)
    hint = f"; nearest: {', '.join(near)}" if near else "; 'align review GOAL' lists link IDs"
    raise NotFoundError(f"no link '{ref}'{hint}")
