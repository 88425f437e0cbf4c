"""Where a linkage map draws each node: a deterministic alignment layout, computed here and saved in
the page, so the map opens in its final shape (no physics settling) and prints as it shows.

Nodes stand in columns. Without a focus, by what they are: plan → outcome → priority →
deliverable → goal → strategy → post, so a plan's tree reads left to right into the goals its
deliverables serve. With a focus, the focus stands alone in the middle column; what serves it
(its parts, the deliverables linked to it, and what is reached through them) stands on the left
at its distance in links, and what it serves (its parents, its goals, the strategies it names)
on the right. Within a column, nodes are ordered by the mean place of their neighbours in the
columns beside them (a few sweeps of the barycentre heuristic), then set as near those neighbours
as the room their labels need allows, so no two labels overlap.

networkx has `multipartite_layout`, which puts a layer's nodes at unit spacing in the order they
were added; it knows neither label sizes nor crossings, so the columns are ordered and spaced here.

Maps larger than GROUP_ABOVE nodes are grouped: a deliverable or action is drawn inside the
priority, objective or goal it sits under (its group), and the page shows it when the group is
expanded, in the deliverables' column (`member_offsets`: its height beside its group's).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from alignment.graph.maps import MapData
from alignment.links.rules import GOAL_TYPES

__all__ = ["GROUP_ABOVE", "Placed", "place", "alignment_layout", "short_label", "label_size",
           "node_size", "group_members"]

#: maps with more nodes than this are drawn grouped by plan and priority
GROUP_ABOVE = 400
#: the label's font size in pixels, and what the layout allows for a character and a line
FONT = 14
CHAR_W = 8.4
LINE_H = 17.0
#: words of the title on a label: lines of at most WRAP characters, at most TITLE_LINES lines
WRAP = 22
TITLE_LINES = 2
#: room between two labels in a column, and between the widest label of a column and the next
GAP_Y = 14.0
GAP_X = 70.0
#: the picture's width over its height, as near as cutting tall columns allows
ASPECT = 1.5

_GOALS = {t.value for t in GOAL_TYPES}
#: the column of each kind of node on a map without a focus
_COLUMN = {"plan": 0, "outcome": 1, "priority": 2, "deliverable": 3, "goal": 4, "strategy": 5,
           "agent": 6}
#: what a grouped map draws inside the priority, objective or goal above it
_GROUPED_CATEGORIES = {"deliverable"}


def _wrap(words: list[str], width: int, lines: int) -> list[str]:
    """Words in at most `lines` lines of at most `width` characters; "…" where words are left out."""
    words = [w if len(w) <= width else w[: width - 1] + "…" for w in words if w]
    out: list[str] = []
    k = 0
    while k < len(words) and len(out) < lines:
        line = words[k]
        k += 1
        while k < len(words) and len(line) + 1 + len(words[k]) <= width:
            line += " " + words[k]
            k += 1
        out.append(line)
    if k < len(words) and out:
        last = out[-1]
        while len(last) + 1 > width and " " in last:
            last = last.rsplit(" ", 1)[0]
        out[-1] = last.rstrip(",;:–-") + "…"
    return out


def short_label(node: dict[str, Any]) -> str:
    """The text drawn on the map: the ID and the first words of the title (a post, team or
    strategy: its name). The full text stays in the details panel and the table."""
    words = re.sub(r"\s+", " ", node["label"]).strip().split(" ")
    if node["category"] in {"agent", "strategy"}:
        return "\n".join(_wrap(words, WRAP, TITLE_LINES + 1))
    return "\n".join([node["id"], *_wrap(words, WRAP, TITLE_LINES)])


def label_size(label: str) -> tuple[float, float]:
    """The room the layout allows for a label: width and height in pixels."""
    lines = label.split("\n")
    return max(len(x) for x in lines) * CHAR_W, len(lines) * LINE_H


def node_size(node: dict[str, Any], focus: str | None = None) -> int:
    """The radius a node is drawn with."""
    if node["id"] == focus:
        return 28
    return 12 if node["category"] == "deliverable" else 18


def _kind(node: dict[str, Any]) -> str:
    return "goal" if node["type"] in _GOALS else node["category"]


@dataclass
class Placed:
    """Each node's place (x, y, at its centre), its column, and for a grouped map each member's
    group and its place when the group is open: its x, its y less the group's, and the height
    of the room it takes."""

    positions: dict[str, tuple[float, float]]
    columns: dict[str, int]
    groups: dict[str, str] = field(default_factory=dict)
    offsets: dict[str, tuple[float, float, float]] = field(default_factory=dict)


def group_members(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, str]:
    """For a grouped map: each deliverable or action (and what sits under it) and the priority,
    objective or goal it sits under."""
    parent = {e["from"]: e["to"] for e in edges if e["kind"] == "part of"}
    cat = {n["id"]: n["category"] for n in nodes}
    groups: dict[str, str] = {}
    for n in nodes:
        if n["category"] not in _GROUPED_CATEGORIES:
            continue
        up = parent.get(n["id"])
        seen = {n["id"]}
        while up is not None and cat.get(up) in _GROUPED_CATEGORIES and up not in seen:
            seen.add(up)
            up = parent.get(up)
        if up is not None and up in cat and cat[up] not in _GROUPED_CATEGORIES:
            groups[n["id"]] = up
    return groups


def _columns(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
             focus: str | None) -> dict[str, int]:
    if focus is None:
        return {n["id"]: _COLUMN[_kind(n)] for n in nodes}
    # a link reads "from serves to": parts serve their parent, deliverables their goal, an
    # element the strategy it names; a post stands on the side of what it is accountable for
    adj: dict[str, list[tuple[str, int]]] = {n["id"]: [] for n in nodes}
    for e in edges:  # +1: the neighbour is what this node serves; -1: what serves it
        if e["from"] in adj and e["to"] in adj:
            adj[e["from"]].append((e["to"], 1))
            adj[e["to"]].append((e["from"], -1))
    col = {focus: 0}
    frontier = [focus]
    while frontier:
        nxt = []
        for u in frontier:
            for v, side in adj[u]:
                if v in col:
                    continue
                sign = side if u == focus else (1 if col[u] > 0 else -1)
                col[v] = col[u] + sign
                nxt.append(v)
        frontier = nxt
    far = max((abs(c) for c in col.values()), default=0) + 1
    for n in nodes:  # not connected to the focus on this map (a filter cut the path)
        col.setdefault(n["id"], far)
    return col


def _heights(nodes: list[dict[str, Any]], focus: str | None) -> dict[str, float]:
    """The room each node takes in its column: its shape and the label under it."""
    return {n["id"]: 2 * node_size(n, focus) + 6 + label_size(short_label(n))[1] for n in nodes}


def _place_column(ids: list[str], want: dict[str, float], h: dict[str, float]) -> dict[str, float]:
    """Tops for `ids` in this order, each as near its wanted top as the ones before and after it
    allow (least squares, by merging blocks that would overlap)."""
    blocks: list[list[Any]] = []  # [top, wanted sum, members, height]
    for i in ids:
        blocks.append([want[i], want[i], [i], h[i] + GAP_Y])
        while len(blocks) > 1 and blocks[-2][0] + blocks[-2][3] > blocks[-1][0]:
            b = blocks.pop()
            a = blocks[-1]
            # the merged block's best top: the mean of its members' wanted tops less their offsets
            n_a, n_b = len(a[2]), len(b[2])
            a[1] += b[1] - n_b * a[3]
            a[2] += b[2]
            a[3] += b[3]
            a[0] = a[1] / (n_a + n_b)
    tops: dict[str, float] = {}
    for top, _, members, _ in blocks:
        y = top
        for i in members:
            tops[i] = y
            y += h[i] + GAP_Y
    return tops


def alignment_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                     focus: str | None = None, grouped: bool = False) -> Placed:
    """The place of every node (see the module's note). Deterministic: the same map gives the
    same places, whatever the order of a set."""
    groups = group_members(nodes, edges) if grouped else {}
    shown = [n for n in nodes if n["id"] not in groups]
    ids = [n["id"] for n in shown]
    if not ids:  # a filter left nothing to draw
        return Placed(positions={}, columns={})
    index = {i: k for k, i in enumerate(ids)}
    col = _columns(shown, edges, focus)
    h = _heights(shown, focus)
    rep = {i: groups.get(i, i) for i in (n["id"] for n in nodes)}
    nbrs: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        a, b = rep.get(e["from"]), rep.get(e["to"])
        if a in nbrs and b in nbrs and a != b:
            nbrs[a].append(b)
            nbrs[b].append(a)
    order = sorted(set(col.values()))
    if groups and focus is None and _COLUMN["deliverable"] not in order:
        order = sorted({*order, _COLUMN["deliverable"]})  # kept for the members of a group
    columns: dict[int, list[str]] = {c: [i for i in ids if col[i] == c] for c in order}
    # order: barycentre sweeps, left to right and back, three times
    rank = {i: float(k) for c in order for k, i in enumerate(columns[c])}

    def sweep(seq: list[int]) -> None:
        for c in seq:
            def key(i: str, c: int = c) -> tuple[float, int]:
                near = [rank[j] for j in nbrs[i] if col[j] != c]
                return (sum(near) / len(near) if near else rank[i], index[i])
            columns[c].sort(key=key)
            for k, i in enumerate(columns[c]):
                rank[i] = float(k)
    for _ in range(3):
        sweep(order)
        sweep(order[::-1])
    # columns as far apart as their widest labels need; a column taller than the picture
    # should be is cut into side-by-side parts, so the picture is about ASPECT times as wide as
    # it is tall
    width = {c: max([WRAP * CHAR_W if c == _COLUMN["deliverable"] and groups else 0.0]
                    + [max(label_size(short_label(n))[0], 2 * node_size(n, focus))
                       for n in shown if col[n["id"]] == c]) for c in order}
    tall_of = {c: sum(h[i] + GAP_Y for i in columns[c]) for c in order}

    def parts(limit: float) -> dict[int, int]:
        return {c: max(1, math.ceil(tall_of[c] / limit - 1e-9)) for c in order}

    limits = sorted({tall_of[c] / k for c in order for k in range(1, 40) if tall_of[c]})
    first = next((lim for lim in limits
                  if lim >= max([h[i] + GAP_Y for i in ids] or [1.0])
                  and sum(k * (width[c] + GAP_X) for c, k in parts(lim).items()) <= ASPECT * lim),
                 limits[-1] if limits else 1.0)
    by_id = {n["id"]: n for n in shown}

    def arrange(limit: float) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[int, int]],
                                       dict[tuple[int, int], float], float, float]:
        cut: list[tuple[int, int]] = []  # the columns as drawn: (column, part)
        part: dict[str, tuple[int, int]] = {}
        for c, k in parts(limit).items():
            share = tall_of[c] / k
            p, used = 0, 0.0
            for i in columns[c]:
                if used and used + (h[i] + GAP_Y) / 2 > share * (p + 1) and p < k - 1:
                    p += 1
                part[i] = (c, p)
                used += h[i] + GAP_Y
            cut += [(c, q) for q in range(k)]
        members = {key: [i for i in columns[key[0]] if part[i] == key] for key in cut}
        # places: stack the tallest column, then set each column's nodes near their neighbours
        tall = max(cut, key=lambda key: (sum(h[i] + GAP_Y for i in members[key]), -abs(key[0]), key))
        top: dict[str, float] = {}
        y = 0.0
        for i in members[tall]:
            top[i] = y
            y += h[i] + GAP_Y

        def centre(i: str) -> float:
            return top[i] + h[i] / 2

        done = {tall}
        for key in sorted((k for k in cut if k != tall), key=lambda k: (abs(k[0] - tall[0]), k)):
            want = {}
            for i in members[key]:
                near = [centre(j) for j in nbrs[i] if part[j] in done]
                want[i] = (sum(near) / len(near) if near else 0.0) - h[i] / 2
            top.update(_place_column(members[key], want, h))
            done.add(key)
        x_of: dict[tuple[int, int], float] = {}
        x = 0.0
        for k, key in enumerate(cut):
            if k:
                x += (width[cut[k - 1][0]] + width[key[0]]) / 2 + GAP_X
            x_of[key] = x
        shift_x = x_of[(0, 0)] if focus is not None else x / 2
        mid = (min(top.values()) + max(top[i] + h[i] for i in top)) / 2 if top else 0.0
        positions = {}
        for i in ids:  # the node's centre: the shape sits at the top of its room
            r = node_size(by_id[i], focus)
            positions[i] = (round(x_of[part[i]] - shift_x, 1), round(top[i] + r - mid, 1))
        span_y = max(top[i] + h[i] for i in top) - min(top.values()) if top else 1.0
        return positions, part, x_of, shift_x, max(x, 1.0) / max(span_y, 1.0)

    # placing nodes near their neighbours makes a column taller than its nodes: cut shorter
    # columns while the picture stays narrower than ASPECT, and keep the nearest
    k0 = limits.index(first) if limits else 0
    best = arrange(first)
    tried = best
    for lim in reversed(limits[max(0, k0 - 12):k0]):
        if tried[4] >= ASPECT:
            break
        tried = arrange(lim)
        if abs(math.log(tried[4] / ASPECT)) < abs(math.log(best[4] / ASPECT)):
            best = tried
    positions, part, x_of, shift_x, _ = best
    offsets: dict[str, tuple[float, float, float]] = {}
    if grouped:
        # members stand in the deliverables' column (kept free for them), or beside their group
        step = WRAP * CHAR_W + GAP_X
        for m, (dy, room) in member_offsets(nodes, groups, focus).items():
            g = groups[m]
            gx = positions[g][0]
            mx = (x_of[(_COLUMN["deliverable"], 0)] - shift_x if focus is None
                  else gx + (step if col[g] >= 0 else -step))
            offsets[m] = (round(mx, 1), dy, room)
    return Placed(positions=positions, columns=col, groups=groups, offsets=offsets)


def member_offsets(nodes: list[dict[str, Any]], groups: dict[str, str],
                   focus: str | None = None) -> dict[str, tuple[float, float]]:
    """Each member's height relative to its group's, and the room it takes: the members
    stacked in the order of the map and centred on the group."""
    members: dict[str, list[dict[str, Any]]] = {}
    for n in nodes:
        if n["id"] in groups:
            members.setdefault(groups[n["id"]], []).append(n)
    out: dict[str, tuple[float, float]] = {}
    for ms in members.values():
        hs = [2 * node_size(m, focus) + 6 + label_size(short_label(m))[1] + GAP_Y for m in ms]
        y = -sum(hs) / 2
        for m, hh in zip(ms, hs, strict=True):
            out[m["id"]] = (round(y + node_size(m, focus), 1), round(hh, 1))
            y += hh
    return out


def place(data: MapData) -> Placed:
    """The layout of a map: of every node, or grouped when the map has more than GROUP_ABOVE."""
    return alignment_layout(data.nodes, data.edges, data.focus,
                            grouped=len(data.nodes) > GROUP_ABOVE)
