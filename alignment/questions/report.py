"""The goal report for a board paper (`align report GOAL`): everything an officer puts in front of
a board about one goal, as data. alignment.output.report draws it as one page.

What serves the goal is `serves` (the same rows, groups and order); each serving element comes
with its plan, the priority or objective it sits under and the posts accountable for it (named on
the element, else on the nearest element above it that names one).
"""

from __future__ import annotations

from typing import Any

from alignment.questions.elements import show
from alignment.questions.serving import serves_and_parts

__all__ = ["goal_report"]

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
