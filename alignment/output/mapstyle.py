"""How a linkage map draws each kind of node and link, shared by the HTML page
(alignment.output.htmlmap) and the static picture (alignment.output.svgmap)."""

from __future__ import annotations

from typing import Any

from alignment.links.similarity import PARAMS

__all__ = ["NODE_STYLE", "EDGE_STYLE", "SVG_SHAPES", "edge_width"]

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
SVG_SHAPES = {
    "star": '<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7"/>',
    "hexagon": '<polygon points="5,2 13,2 17,9 13,16 5,16 1,9"/>',
    "diamond": '<polygon points="9,1 17,9 9,17 1,9"/>',
    "dot": '<circle cx="9" cy="9" r="7"/>',
    "square": '<rect x="2" y="2" width="14" height="14"/>',
    "triangle": '<polygon points="9,1 17,16 1,16"/>',
}


def edge_width(e: dict[str, Any]) -> float:
    """A link's line width: a suggestion's thickens with its score, up to twice the default
    threshold."""
    style = EDGE_STYLE[e["kind"]]
    if e["kind"] != "similarity":
        return float(style["width"])
    return style["width"] * (0.6 + 1.8 * min(max(e["score"], 0.0) / _WIDEST, 1.0))
