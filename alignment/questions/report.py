"""The reports for a board paper, as data; alignment.output.report draws each as one page.

- `align report GOAL`: what serves the goal is `serves` (the same rows, groups and order); each
  serving element comes with its plan, the priority or objective it sits under and the posts
  accountable for it (named on the element, else on the nearest element above it that names one).
- `align report --plan ID`: the plan's priorities in document order, each with its deliverables,
  what each serves (`supports`: the goals it serves and the strategies it names, under the same
  filters) and its owners; and the deliverables that serve no goal (`gaps`).
- `align report --post NAME`: what the post or team is accountable for across plans
  (`director`), each with what it serves; and what of it serves no goal.
"""

from __future__ import annotations

from typing import Any

from alignment.links.rules import KINDS
from alignment.questions.elements import director, show
from alignment.questions.serving import GROUPS, _group, gaps, serves_and_parts, supports

__all__ = ["goal_report", "plan_report", "post_report", "DELIVERING"]

Row = dict[str, Any]


def _owners_and_parent(store: Any, id_: str, cache: dict[str, Row]) -> tuple[list[str], Row | None]:
    """The posts accountable for an element (its own, else its nearest ancestor's) and the
    element it sits directly under (None at the top of a plan)."""
    record = cache.setdefault(id_, show(store, id_))
    parents = [p for p in record["parents"] if p["type"] != "Plan"]
    owners = [r["label"] for r in record["responsible"]]
    for p in parents:  # nearest first
        if owners:
            break
        above = cache.setdefault(p["id"], show(store, p["id"]))
        owners = [r["label"] for r in above["responsible"]]
    return owners, (parents[0] if parents else None)


def goal_report(store: Any, goal: str, min_score: float | None = None,
                current: bool = False) -> Row:
    """The report's content: the goal (its text, what it wants to achieve, its challenges, its
    own actions and milestones), what serves it grouped by plan and parent, and what is missing.
    `goal` is a resolved ID."""
    record = show(store, goal)
    rows, _hidden = serves_and_parts(store, goal, min_score, current=current)
    cache: dict[str, Row] = {}
    plans: dict[str, Row] = {}
    for r in rows:
        owners, parent = _owners_and_parent(store, r["id"], cache)
        plan = plans.setdefault(r["plan"], {"plan": r["plan"], "ended": r["ended"],
                                            "parents": {}})
        key = parent["id"] if parent else ""
        group = plan["parents"].setdefault(key, {
            "id": key, "label": parent["label"] if parent else "", "type":
            parent["type"] if parent else "", "links": []})
        group["links"].append({**r, "owners": owners})
    for plan in plans.values():
        plan["parents"] = list(plan["parents"].values())
    counts = {g: sum(1 for r in rows if r["group"] == g) for g in dict.fromkeys(
        r["group"] for r in rows)}
    stated = sum(n for g, n in counts.items() if g in ("stated in the documents",
                                                        "decided by officers"))
    return {
        "id": goal, "label": record["label"], "type": record["type"],
        "plan": record["plan"], "code": record.get("code", ""),
        "parents": record["parents"], "statements": record["statements"],
        "parts": record["children"], "source": record["provenance"][0] if record["provenance"]
        else None,
        "plans": list(plans.values()), "counts": counts, "links": len(rows),
        "unserved": stated == 0,
    }


#: element types that deliver (listed under the priority they sit under); the others head them
DELIVERING = {"Deliverable", "SubItem", "Programme", "Action", "Milestone"}


def _serves(store: Any, id_: str, min_score: float | None) -> list[Row]:
    """What an element serves (goals, by the serving kinds, under the filters) and the
    strategies it names, each with its group as `serves` names it."""
    out = []
    for r in supports(store, id_, min_score):
        if r["kind"] in KINDS:
            out.append({**r, "group": _group(r["kind"], r["status"], "")})
        elif r["kind"] == "references":
            out.append({**r, "group": "names a strategy"})
    order = [*GROUPS, "names a strategy"]
    return sorted(out, key=lambda r: order.index(r["group"]))


def _serving_nothing(store: Any, min_score: float | None, plan: str | None = None) -> set[str]:
    """The deliverables that serve no goal, as `gaps` finds them."""
    return {r["id"] for r in gaps(store, min_score, plan=plan)
            if r["gap"] == "deliverable serving no goal"}


def plan_report(store: Any, plan: str, min_score: float | None = None) -> Row:
    """A plan's report: its title and period, its priorities (every element that is not a
    deliverable or action, in document order) each with the deliverables under it, what each
    serves and its owners; and the deliverables that serve no goal. `plan` is a plan's ID in
    any case."""
    from alignment.links.rules import check_plan
    from alignment.questions.fromstore import elements, plan_ids, plan_periods

    plans = plan_ids(store)
    check_plan(plans, plan)
    plan_id = next(p for p in plans if p.lower() == plan.lower())
    record = show(store, plan_id)
    rows = elements(store, plan_id)
    types = {r.id: r.type for r in rows}
    parent = {r.id: r.parent for r in rows}
    heads: dict[str, Row] = {}
    for r in rows:
        if r.type not in DELIVERING and r.id != plan_id:
            heads[r.id] = {"id": r.id, "type": r.type, "label": r.label, "items": []}
    loose: list[Row] = []  # deliverables straight under the plan
    unserved: list[Row] = []
    nothing = _serving_nothing(store, min_score, plan_id)
    links = 0
    for r in rows:
        if r.type not in DELIVERING:
            continue
        up = parent[r.id]
        while up is not None and types.get(up) in DELIVERING:
            up = parent[up]
        detail = show(store, r.id)
        served = _serves(store, r.id, min_score)
        links += len(served)
        item = {"id": r.id, "type": r.type, "label": r.label, "serves": served,
                "owners": [a["label"] for a in detail["responsible"]],
                "source": (f"{detail['provenance'][0]['document']}:"
                           f"{detail['provenance'][0]['line_start']}"
                           if detail["provenance"] else "")}
        (heads[up]["items"] if up in heads else loose).append(item)
        if r.id in nothing:
            unserved.append(item)
    priorities = [h for h in heads.values() if h["items"]]
    if loose:
        priorities.insert(0, {"id": "", "type": "", "label": "", "items": loose})
    return {"kind": "plan", "id": plan_id, "label": record["label"],
            "period": plan_periods(store).get(plan_id, ""), "priorities": priorities,
            "deliverables": sum(len(h["items"]) for h in priorities), "links": links,
            "unserved": unserved}


def post_report(store: Any, name: str, min_score: float | None = None) -> Row:
    """A post's or team's report: what it is accountable for across plans (the elements that
    name it and everything under them, in document order, grouped by plan), what each serves,
    and what of it serves no goal."""
    agent, rows = director(store, name)
    plans: dict[str, Row] = {}
    unserved: list[Row] = []
    nothing = _serving_nothing(store, min_score)
    links = 0
    for r in rows:
        served = _serves(store, r["id"], min_score)
        links += len(served)
        item = {**r, "serves": served}
        plans.setdefault(r["plan"], {"plan": r["plan"], "items": []})["items"].append(item)
        if r["id"] in nothing:
            unserved.append(item)
    return {"kind": "post", "id": agent.id, "label": agent.label, "type": agent.type,
            "plans": list(plans.values()), "elements": len(rows), "links": links,
            "unserved": unserved}
