"""A linkage map as a static picture: SVG of the same alignment layout the HTML page opens with
(alignment.graph.layout), and PNG by showing that SVG in headless Chromium. The HTML page holds
the same SVG for printing. Every text is escaped: document text is data, never markup."""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

from alignment.graph.layout import FONT, LINE_H, Placed, label_size, node_size, short_label
from alignment.graph.maps import MapData
from alignment.links.rules import accepted
from alignment.output.mapstyle import EDGE_STYLE, NODE_STYLE, edge_width

__all__ = ["render_svg", "write_png"]

MARGIN = 40.0


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _shape(shape: str, x: float, y: float, r: float, fill: str, extra: str) -> str:
    def poly(points: list[tuple[float, float]]) -> str:
        pts = " ".join(f"{x + px * r:.1f},{y + py * r:.1f}" for px, py in points)
        return f'<polygon points="{pts}" fill="{fill}"{extra}/>'

    if shape == "dot":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"{extra}/>'
    if shape == "square":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
                f'fill="{fill}"{extra}/>')
    if shape == "diamond":
        return poly([(0, -1), (1, 0), (0, 1), (-1, 0)])
    if shape == "triangle":
        return poly([(0, -1), (0.87, 0.5), (-0.87, 0.5)])
    if shape == "hexagon":
        return poly([(math.cos(a), math.sin(a)) for a in (k * math.pi / 3 for k in range(6))])
    # star: five points
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = 1.0 if k % 2 == 0 else 0.45
        pts.append((rr * math.cos(a), rr * math.sin(a)))
    return poly(pts)


def _visible_edges(data: MapData, placed: Placed) -> list[dict[str, Any]]:
    """The links between what is drawn: on a grouped map, a member's links are drawn from its
    group, once per pair and kind."""
    rep = {n["id"]: placed.groups.get(n["id"], n["id"]) for n in data.nodes}
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in data.edges:
        a, b = rep[e["from"]], rep[e["to"]]
        if a == b:
            continue
        key = (a, b, e["kind"])
        if key in seen:
            seen[key]["count"] += 1
            continue
        seen[key] = {**e, "from": a, "to": b, "count": 1}
    return list(seen.values())


def _legend(data: MapData, placed: Placed, x: float, y: float) -> tuple[str, float]:
    """One line under the title: the shape of each kind of node drawn, the line of each kind of
    link drawn, and the focus."""
    from alignment.graph.maps import EDGE_KINDS, NODE_CATEGORIES

    out = ['<g class="legend" font-size="13" fill="#111111">']
    drawn = {n["category"] for n in data.nodes if n["id"] in placed.positions}
    kinds = {e["kind"] for e in data.edges}
    if data.focus:
        out.append(f'<circle cx="{x + 7:.1f}" cy="{y - 4:.1f}" r="6" fill="#ffffff" '
                   f'stroke="#000000" stroke-width="3"/><text x="{x + 18:.1f}" y="{y:.1f}">'
                   f'the focus</text>')
        x += 18 + 6.4 * len("the focus") + 16
    for cat, (label, _) in NODE_CATEGORIES.items():
        if cat in drawn:
            st = NODE_STYLE[cat]
            out.append(_shape(st["shape"], x + 7, y - 4, 7, st["color"], "")
                       + f'<text x="{x + 18:.1f}" y="{y:.1f}">{_e(label)}</text>')
            x += 18 + 6.4 * len(label) + 16
    for kind in EDGE_KINDS:
        if kind in kinds:
            st = EDGE_STYLE[kind]
            dash = "" if not st["dashes"] else \
                f' stroke-dasharray="{" ".join(map(str, st["dashes"]))}"'
            out.append(f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 28:.1f}" y2="{y - 4:.1f}" '
                       f'stroke="{st["color"]}" stroke-width="{min(st["width"], 3)}"{dash}/>'
                       f'<text x="{x + 34:.1f}" y="{y:.1f}">{_e(kind)}</text>')
            x += 34 + 6.4 * len(kind) + 16
    if placed.groups:
        note = "[+N]: a priority or goal with N deliverables or actions drawn inside it"
        out.append(f'<text x="{x:.1f}" y="{y:.1f}">{_e(note)}</text>')
        x += 6.4 * len(note)
    out.append("</g>")
    return "".join(out), x


def render_svg(data: MapData, placed: Placed) -> str:
    """The map as SVG: links, then nodes, then the labels over them (with a white halo)."""
    pos = placed.positions
    shown = [n for n in data.nodes if n["id"] in pos]
    inside: dict[str, int] = {}
    for g in placed.groups.values():
        inside[g] = inside.get(g, 0) + 1
    labels = {n["id"]: short_label(n) + (f"\n[+{inside[n['id']]}]" if n["id"] in inside else "")
              for n in shown}
    xs, ys = [], []
    for n in shown:
        x, y = pos[n["id"]]
        r = node_size(n, data.focus)
        w, h = label_size(labels[n["id"]])
        xs += [x - max(r, w / 2), x + max(r, w / 2)]
        ys += [y - r, y + r + 6 + h]
    if not xs:
        xs, ys = [0.0, 200.0], [0.0, 100.0]
    left, top = min(xs) - MARGIN, min(ys) - MARGIN - 64
    legend, legend_end = _legend(data, placed, left + MARGIN, top + MARGIN + 26)
    width = max(max(xs) - left + MARGIN, legend_end - left + MARGIN,
                10.5 * len(data.title) + 2 * MARGIN)  # the title: 18 px, bold
    height = max(ys) - top + MARGIN
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} '
           f'{width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
           f'aria-label="{_e(data.title)}" font-family="Arial, Liberation Sans, sans-serif">',
           f"<title>{_e(data.title)}</title>",
           f'<rect x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="{height:.0f}" '
           f'fill="#ffffff"/>',
           f'<text x="{left + MARGIN:.0f}" y="{top + MARGIN:.0f}" font-size="18" '
           f'font-weight="bold" fill="#111111">{_e(data.title)}</text>',
           legend]
    colours = sorted({st["color"] for st in EDGE_STYLE.values()})
    out.append("<defs>" + "".join(
        f'<marker id="arrow{c[1:]}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{c}"/></marker>' for c in colours) + "</defs>")
    size = {n["id"]: node_size(n, data.focus) for n in shown}
    out.append('<g class="links" fill="none">')
    for e in _visible_edges(data, placed):
        st = EDGE_STYLE[e["kind"]]
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        # end the line at the edge of the target's shape, where the arrow points
        x2e = x2 - (x2 - x1) / d * (size[e["to"]] + 2)
        y2e = y2 - (y2 - y1) / d * (size[e["to"]] + 2)
        solid = accepted(e["kind"], e.get("status", ""))
        dash = "" if solid or not st["dashes"] else \
            f' stroke-dasharray="{" ".join(map(str, st["dashes"]))}"'
        arrow = "" if e["kind"] in {"part of", "responsible"} else \
            f' marker-end="url(#arrow{st["color"][1:]})"'
        many = f" ({e['count']} links)" if e["count"] > 1 else ""
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2e:.1f}" y2="{y2e:.1f}" '
                   f'stroke="{st["color"]}" stroke-width="{edge_width(e):.2f}" '
                   f'stroke-opacity="0.75"{dash}{arrow}><title>{_e(e["from"])} → '
                   f'{_e(e["to"])}: {_e(e["kind"])}{many}</title></line>')
    out.append("</g><g class=\"nodes\">")
    for n in shown:
        x, y = pos[n["id"]]
        st = NODE_STYLE[n["category"]]
        focus = n["id"] == data.focus
        ring = ' stroke="#000000" stroke-width="5"' if focus else ' stroke="#ffffff" stroke-width="1"'
        out.append(f'<g class="node{" focus" if focus else ""}" data-id="{_e(n["id"])}">'
                   f'<title>{_e(n["id"])} ({_e(n["type"])}): {_e(n["label"])}</title>'
                   + _shape(st["shape"], x, y, size[n["id"]], st["color"], ring) + "</g>")
    # each label on a pale ground, so a link under it does not hide it (a stroked halo would
    # print every letter twice for a PDF reader)
    out.append('</g><g class="labels" text-anchor="middle" fill="#111111">')
    for n in shown:
        x, y = pos[n["id"]]
        focus = n["id"] == data.focus
        fs = FONT + (2 if focus else 0)
        first = y + size[n["id"]] + 4 + fs
        spans = "".join(f'<tspan x="{x:.1f}" y="{first + k * LINE_H:.1f}">{_e(line)}</tspan>'
                        for k, line in enumerate(labels[n["id"]].split("\n")))
        weight = ' font-weight="bold"' if focus else ""
        w, h = label_size(labels[n["id"]])
        out.append(f'<rect x="{x - w / 2 - 2:.1f}" y="{first - fs + 1:.1f}" width="{w + 4:.1f}" '
                   f'height="{h + 2:.1f}" fill="#ffffff" fill-opacity="0.8"/>'
                   f'<text font-size="{fs}"{weight} data-id="{_e(n["id"])}">{spans}</text>')
    out.append("</g></svg>\n")
    return "".join(out)


def write_png(svg: str, out: Path) -> None:
    """Show the SVG in headless Chromium at its own size and save the screenshot, atomically."""
    from alignment.output.chromium import render

    head = svg[: svg.index(">")]
    width = int(float(head.split(' width="')[1].split('"')[0]))
    height = int(float(head.split(' height="')[1].split('"')[0]))
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body'
            '{margin:0;padding:0;background:#fff;overflow:hidden}svg{display:block}'
            f'</style></head><body>{svg}</body></html>')
    render(page, out, "draw the map", ["--hide-scrollbars", "--force-device-scale-factor=1",
                                       f"--window-size={width},{height}", "--screenshot={file}"],
           "writing PNG needs Chromium or Chrome (set CHROMIUM=/path); or write .svg")
