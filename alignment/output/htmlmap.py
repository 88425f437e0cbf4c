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

from alignment.graph.maps import EDGE_KINDS, NODE_CATEGORIES, MapData
from alignment.links.rules import accepted
from alignment.links.similarity import PARAMS
from alignment.model import LinkKind

__all__ = ["render_html", "NODE_STYLE", "EDGE_STYLE"]

# Okabe-Ito colours (safe for the common colour-vision deficiencies), each with its own shape.
NODE_STYLE: dict[str, dict[str, str]] = {
    "plan": {"color": "#000000", "shape": "star"},
    "outcome": {"color": "#E69F00", "shape": "hexagon"},
    "priority": {"color": "#56B4E9", "shape": "diamond"},
    "deliverable": {"color": "#009E73", "shape": "dot"},
    "agent": {"color": "#CC79A7", "shape": "square"},
    "strategy": {"color": "#D55E00", "shape": "triangle"},
}
EDGE_STYLE: dict[str, dict[str, Any]] = {
    "structural": {"color": "#0072B2", "dashes": False, "width": 2},
    "curated": {"color": "#CC79A7", "dashes": False, "width": 4},
    "explicit": {"color": "#D55E00", "dashes": False, "width": 3},
    "inherited": {"color": "#D55E00", "dashes": [8, 6], "width": 2},
    "similarity": {"color": "#009E73", "dashes": [2, 5], "width": 1},
    "references": {"color": "#E69F00", "dashes": [10, 4], "width": 1},
    "part of": {"color": "#999999", "dashes": False, "width": 1},
    "responsible": {"color": "#999999", "dashes": [3, 3], "width": 1},
}
_WIDEST = 2 * PARAMS.threshold  # a similarity score drawn at full width
_SVG_SHAPES = {
    "star": '<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7"/>',
    "hexagon": '<polygon points="5,2 13,2 17,9 13,16 5,16 1,9"/>',
    "diamond": '<polygon points="9,1 17,9 9,17 1,9"/>',
    "dot": '<circle cx="9" cy="9" r="7"/>',
    "square": '<rect x="2" y="2" width="14" height="14"/>',
    "triangle": '<polygon points="9,1 17,16 1,16"/>',
}


def _lib() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def _network_data(data: MapData) -> dict[str, Any]:
    """Nodes, edges and options through pyvis; labels shortened, full text kept as data."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for n in data.nodes:
        style = NODE_STYLE[n["category"]]
        short = n["id"] if n["category"] not in {"agent", "strategy"} else n["label"]
        net.add_node(n["id"], label=short, shape=style["shape"], color=style["color"],
                     size=14 if n["category"] in {"deliverable"} else 20,
                     font={"size": 14, "color": "#111111", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                     category=n["category"], type=n["type"], full=n["label"], text=n["text"],
                     plan=n["plan"], line=n["source"])
    for e in data.edges:
        style = EDGE_STYLE[e["kind"]]
        # a suggestion's line thickens with its score, up to twice the default threshold
        width = style["width"] * (0.6 + 1.8 * min(max(e["score"], 0.0) / _WIDEST, 1.0)) \
            if e["kind"] == "similarity" else style["width"]
        # an officer's accepted suggestion is drawn solid, as asserted links are
        solid = accepted(e["kind"], e.get("status", ""))
        net.add_edge(e["from"], e["to"], id=e["id"], kind=e["kind"], score=e["score"],
                     status=e.get("status", ""), evidence=e["evidence"], line=e["source"],
                     color=style["color"], dashes=False if solid else style["dashes"],
                     width=round(width, 2),
                     arrows="to" if e["kind"] not in {"part of", "responsible"} else "")
    nodes, edges, *_ = net.get_network_data()
    for n in nodes:
        n.pop("title", None)  # tooltips are built as text in the page, never from HTML
    large = len(nodes) > 400
    if large:
        # on a large map only the plans' own structure pulls nodes together; the many
        # suggestion and naming links are drawn but cost no layout time
        for e in edges:
            if e["kind"] in {"similarity", "references", "responsible"}:
                e["physics"] = False
    options = {
        "physics": {"solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 120,
                                  "damping": 0.4, "avoidOverlap": 0 if large else 0.1,
                                  "theta": 1.0 if large else 0.5},
                    "stabilization": {"enabled": True, "iterations": 30 if large else 300,
                                      "updateInterval": 50},
                    "minVelocity": 1.0},
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150,
                        # the map's keys (arrows, +, -) listen on the map alone, never on the
                        # window, and hovering does not take the focus from a text field:
                        # typing "HWB-4C" in the search box keeps its "-" (WCAG 2.1.4)
                        "keyboard": {"enabled": True, "bindToWindow": False,
                                     "autoFocus": False},
                        "navigationButtons": False, "multiselect": False},
        "edges": {"smooth": False if large else {"type": "continuous"}},
        "nodes": {"borderWidth": 1},
    }
    return {"nodes": nodes, "edges": edges, "options": options}


def _json_for_script(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the text contains."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _legend() -> str:
    items = []
    for cat, (label, _) in NODE_CATEGORIES.items():
        st = NODE_STYLE[cat]
        items.append(f'<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" '
                     f'fill="{st["color"]}">{_SVG_SHAPES[st["shape"]]}</svg> {html.escape(label)}'
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


def render_html(data: MapData, built: str | None = None) -> str:
    js, css = _lib()
    network = _network_data(data)
    built = built or dt.date.today().isoformat()
    cats = [(c, NODE_CATEGORIES[c][0], sum(1 for n in data.nodes if n["category"] == c))
            for c in NODE_CATEGORIES]
    kinds = [(k, k, sum(1 for e in data.edges if e["kind"] == k)) for k in EDGE_KINDS]
    esc = html.escape
    sources = "".join(f"<li>{esc(s)}</li>" for s in data.sources)
    return _template("map.html").format(
        title=esc(data.title), filters=esc("; ".join(data.filters)),
        n_nodes=len(data.nodes), n_edges=len(data.edges), built=esc(built), sources=sources,
        legend=_legend(), node_boxes=_checkboxes("category", [c for c in cats if c[2]]),
        kind_boxes=_checkboxes("kind", [k for k in kinds if k[2]]), tables=_tables(data),
        vis_css=css, vis_js=js, data=_json_for_script(network), script=_template("map.js"))


_TEMPLATES = Path(__file__).parent / "templates"


def _template(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")
