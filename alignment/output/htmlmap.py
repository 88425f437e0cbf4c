"""Writes a linkage map as one self-contained HTML page: vis-network (the copy that ships with
pyvis) and every style inlined, no CDN, no request of any kind. pyvis builds the network data and
options; the page template is ours, so that document text is only ever set as text (never as HTML),
and so the page has a legend, a header, keyboard-usable controls and a table view."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

from alignment.graph.layout import FONT, Placed, node_size, place, short_label
from alignment.graph.maps import EDGE_KINDS, NODE_CATEGORIES, MapData
from alignment.links.rules import accepted
from alignment.model import LinkKind
from alignment.output.mapstyle import EDGE_STYLE, NODE_STYLE, SVG_SHAPES, edge_width
from alignment.output.svgmap import render_svg

__all__ = ["render_html"]

def _lib() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def _network_data(data: MapData, placed: Placed) -> dict[str, Any]:
    """Nodes, edges and options through pyvis: each node at its place in the alignment layout
    (alignment.graph.layout), with a short label; the full text kept as data for the details
    panel. On a grouped map the members of a group are kept apart (`members`), each with its
    place for when the group is opened, and the page draws links between what is shown."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    inside: dict[str, int] = {}
    for g in placed.groups.values():
        inside[g] = inside.get(g, 0) + 1
    for n in data.nodes:
        style = NODE_STYLE[n["category"]]
        label = short_label(n)
        extra: dict[str, Any] = {}
        if n["id"] in placed.positions:
            extra["x"], extra["y"] = placed.positions[n["id"]]
        else:
            extra["x"], extra["dy"], extra["room"] = placed.offsets[n["id"]]
            extra["inside"] = placed.groups[n["id"]]
        if n["id"] in inside:
            extra["members"] = inside[n["id"]]
            label += f"\n[+{inside[n['id']]}]"
        if n["id"] == data.focus:
            extra.update(borderWidth=5, shadow={"enabled": True, "size": 8, "x": 0, "y": 0},
                         color={"background": style["color"], "border": "#000000",
                                "highlight": {"background": style["color"],
                                              "border": "#000000"}})
        net.add_node(n["id"], label=label, shape=style["shape"],
                     color=extra.pop("color", style["color"]),
                     size=node_size(n, data.focus),
                     font={"size": FONT + (2 if n["id"] == data.focus else 0),
                           "color": "#111111", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "face": "Arial, Liberation Sans, sans-serif"},
                     category=n["category"], type=n["type"], full=n["label"], text=n["text"],
                     plan=n["plan"], line=n["source"], focus=n["id"] == data.focus, **extra)
    for e in data.edges:
        style = EDGE_STYLE[e["kind"]]
        # an officer's accepted suggestion is drawn solid, as asserted links are
        solid = accepted(e["kind"], e.get("status", ""))
        net.add_edge(e["from"], e["to"], id=e["id"], kind=e["kind"], score=e["score"],
                     status=e.get("status", ""), evidence=e["evidence"], line=e["source"],
                     color=style["color"], dashes=False if solid else style["dashes"],
                     width=round(edge_width(e), 2),
                     arrows="to" if e["kind"] not in {"part of", "responsible"} else "")
    nodes, edges, *_ = net.get_network_data()
    for n in nodes:
        n.pop("title", None)  # tooltips are built as text in the page, never from HTML
    members = [n for n in nodes if "inside" in n]
    nodes = [n for n in nodes if "inside" not in n]
    options = {
        # the layout is computed in Python and saved here: nothing settles in the page
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "hierarchical": {"enabled": False}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": len(edges) > 1000,
                        # the map's keys (arrows, +, -) listen on the map alone, never on the
                        # window, and hovering does not take the focus from a text field:
                        # typing "HWB-4C" in the search box keeps its "-" (WCAG 2.1.4)
                        "keyboard": {"enabled": True, "bindToWindow": False,
                                     "autoFocus": False},
                        "navigationButtons": False, "multiselect": False},
        "edges": {"smooth": False},
        "nodes": {"borderWidth": 1},
    }
    return {"nodes": nodes, "edges": edges, "members": members, "options": options,
            "grouped": bool(placed.groups), "focus": data.focus}


def _json_for_script(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the text contains."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _legend(focus: str | None) -> str:
    items = []
    if focus:
        items.append('<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
                     '<circle cx="9" cy="9" r="6" fill="#ffffff" stroke="#000000" '
                     f'stroke-width="3"/></svg> the focus, {html.escape(focus)} (larger, with a '
                     f'black ring)</li>')
    for cat, (label, _) in NODE_CATEGORIES.items():
        st = NODE_STYLE[cat]
        items.append(f'<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" '
                     f'fill="{st["color"]}">{SVG_SHAPES[st["shape"]]}</svg> {html.escape(label)}'
                     f"</li>")
    for kind in EDGE_KINDS:
        st = EDGE_STYLE[kind]
        dash = "" if not st["dashes"] else f' stroke-dasharray="{" ".join(map(str, st["dashes"]))}"'
        items.append(f'<li><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" '
                     f'x2="36" y2="5" stroke="{st["color"]}" stroke-width="{min(st["width"], 4)}"'
                     f"{dash}/></svg> {html.escape(kind)}</li>")
        if kind == LinkKind.SIMILARITY:
            items.append(f'<li><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" '
                         f'x2="36" y2="5" stroke="{st["color"]}" stroke-width="2"/></svg> '
                         f"similarity, accepted by an officer</li>")
    return "\n".join(items)


def _checkboxes(name: str, values: list[tuple[str, str, int]]) -> str:
    return "\n".join(
        f'<label><input type="checkbox" name="{name}" value="{html.escape(v)}" checked> '
        f'{html.escape(label)} <span class="count">({count})</span></label>'
        for v, label, count in values)


def _tables(data: MapData) -> str:
    node_rows = "\n".join(
        f"<tr><td>{html.escape(n['id'])}</td><td>{html.escape(n['type'])}</td>"
        f"<td>{html.escape(n['label'])}</td><td>{html.escape(n['source'])}</td></tr>"
        for n in data.nodes)
    edge_rows = "\n".join(
        f"<tr><td>{html.escape(e['from'])}</td><td>{html.escape(e['kind'])}</td>"
        f"<td>{html.escape(e['to'])}</td><td>{e['score']:.2f}</td>"
        f"<td>{html.escape(e['evidence'])}</td><td>{html.escape(e['source'])}</td></tr>"
        for e in data.edges)
    return f"""<details id="table-view"><summary>Table view: {len(data.nodes)} nodes and
{len(data.edges)} links (for screen readers and printing)</summary>
<table><caption>Nodes</caption><thead><tr><th scope="col">ID</th><th scope="col">Type</th>
<th scope="col">Text</th><th scope="col">Source line</th></tr></thead><tbody>
{node_rows}
</tbody></table>
<table><caption>Links</caption><thead><tr><th scope="col">From</th><th scope="col">Kind</th>
<th scope="col">To</th><th scope="col">Score</th><th scope="col">Evidence</th>
<th scope="col">Source line</th></tr></thead><tbody>
{edge_rows}
</tbody></table></details>"""


def render_html(data: MapData, built: str | None = None, placed: Placed | None = None) -> str:
    """The page: header, controls, the network at its places in the alignment layout, the
    details panel, the same picture as SVG for printing, and the table view."""
    js, css = _lib()
    placed = placed or place(data)
    network = _network_data(data, placed)
    built = built or dt.date.today().isoformat()
    cats = [(c, NODE_CATEGORIES[c][0], sum(1 for n in data.nodes if n["category"] == c))
            for c in NODE_CATEGORIES]
    kinds = [(k, k, sum(1 for e in data.edges if e["kind"] == k)) for k in EDGE_KINDS]
    esc = html.escape
    sources = "".join(f"<li>{esc(s)}</li>" for s in data.sources)
    return _template("map.html").format(
        title=esc(data.title), filters=esc("; ".join(data.filters)),
        n_nodes=len(data.nodes), n_edges=len(data.edges), built=esc(built), sources=sources,
        legend=_legend(data.focus), node_boxes=_checkboxes("category", [c for c in cats if c[2]]),
        kind_boxes=_checkboxes("kind", [k for k in kinds if k[2]]), tables=_tables(data),
        picture=render_svg(data, placed),
        grouped=(f" Grouped by plan and priority: {len(placed.positions)} shown; select a "
                 f"node marked [+N] to open its group." if placed.groups else ""),
        vis_css=css, vis_js=js, data=_json_for_script(network), script=_template("map.js"))


_TEMPLATES = Path(__file__).parent / "templates"


def _template(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")
