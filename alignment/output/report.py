"""The goal report as one self-contained page (HTML with print styles), and as PDF by printing
that page in headless Chromium. Every text from the documents is escaped: it is data, never
markup."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from alignment.text import counted

__all__ = ["render_report", "render_plan_report", "render_post_report", "picture",
           "served_picture", "print_pdf"]

#: the groups of `serves`, in order, with their colour in the picture and the tables
COLOURS = {"stated in the documents": "#1b6e3a", "decided by officers": "#1f4e99",
           "commits to the whole strategy": "#7a5a00", "suggested": "#8a8a8a"}
#: the groups of what a deliverable serves (plan and post reports), with their colours
SERVES_COLOURS = {**COLOURS, "the goal's own actions and milestones": "#3d6b8c",
                  "names a strategy": "#a0522d"}

_STYLE = """
:root { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; line-height: 1.35; }
body { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; font-size: 11pt; }
h1 { font-size: 1.5rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
h4 { font-size: 0.95rem; margin: 0.6rem 0 0.2rem; font-weight: 600; color: #333; }
.context { color: #444; font-size: 0.95rem; }
.ended { color: #8a3b00; font-weight: normal; font-size: 0.9rem; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: 0.4rem; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.4rem;
         border-bottom: 1px solid #e2e2e2; overflow-wrap: anywhere; word-break: normal; }
th { font-size: 0.85rem; color: #444; }
col.id { width: 9rem; } col.kind { width: 8.5rem; } col.owner { width: 10rem; }
.tag { display: inline-block; padding: 0 0.3rem; border-radius: 0.2rem; color: #fff;
       font-size: 0.8rem; }
.evidence { color: #333; font-size: 0.9rem; }
.source { color: #666; font-size: 0.8rem; }
.serves { margin-bottom: 0.3rem; }
.note-inline { color: #8a3b00; font-size: 0.9rem; }
.note { background: #fff6e0; border-left: 4px solid #c98a00; padding: 0.4rem 0.6rem; }
svg { max-width: 100%; height: auto; }
footer { margin-top: 2rem; color: #666; font-size: 0.8rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure { break-inside: avoid; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def picture(report: dict[str, Any]) -> str:
    """A small SVG: each plan that serves the goal on the left with a line per group of its links
    ("3 stated in the documents"), and from each line a band to the goal on the right whose width
    grows with the links. Laid out here, so it prints as it shows."""
    plans = report["plans"]
    rows = []  # (plan, [(group, n)])
    for plan in plans:
        links = [lk for p in plan["parents"] for lk in p["links"]]
        rows.append((plan, [(g, n) for g in COLOURS
                            if (n := sum(1 for lk in links if lk["group"] == g))]))
    heights = [max(48, 14 + 15 * len(groups)) for _, groups in rows]
    height = 20 + sum(h + 12 for h in heights) if rows else 80
    goal_y = height / 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 {height:.0f}" '
             f'role="img" aria-label="{_e(report["id"])}: '
             f'{_e(counted(report["links"], "link"))} from {_e(counted(len(plans), "plan"))}">']
    parts.append(f'<rect x="540" y="{goal_y - 24:.0f}" width="170" height="48" rx="6" '
                 f'fill="#f2f2f2" stroke="#333"/><text x="625" y="{goal_y + 5:.0f}" '
                 f'text-anchor="middle" font-size="15" font-weight="600">{_e(report["id"])}</text>')
    y = 16.0
    for (plan, groups), h in zip(rows, heights, strict=True):
        parts.append(f'<rect x="10" y="{y:.0f}" width="140" height="{h}" rx="6" fill="#fff" '
                     f'stroke="#333"/><text x="80" y="{y + h / 2 + 5:.0f}" text-anchor="middle" '
                     f'font-size="14">{_e(plan["plan"])}{" (ended)" if plan["ended"] else ""}'
                     f'</text>')
        for k, (g, n) in enumerate(groups):
            line_y = y + 14 + 15 * k + (h - 14 - 15 * len(groups)) / 2
            end_y = goal_y - 12 + 24 * (list(COLOURS).index(g) + 0.5) / len(COLOURS)
            parts.append(f'<text x="160" y="{line_y + 4:.1f}" font-size="12" '
                         f'fill="{COLOURS[g]}">{n} {_e(g)}</text>')
            parts.append(f'<path d="M360 {line_y:.1f} C 450 {line_y:.1f}, 450 {end_y:.1f}, 540 '
                         f'{end_y:.1f}" fill="none" stroke="{COLOURS[g]}" '
                         f'stroke-width="{min(2 + n * 1.5, 14):.1f}" stroke-opacity="0.8">'
                         f'<title>{_e(plan["plan"])}: {n} {_e(g)}</title></path>')
        y += h + 12
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    return " ".join(f'<span class="tag" style="background:{c}">{_e(g)}</span>'
                    for g, c in COLOURS.items())


def _links_table(links: list[dict[str, Any]]) -> str:
    out = ['<table><colgroup><col class="id"><col><col class="kind"><col class="owner">'
           '</colgroup><thead><tr><th>ID</th><th>What it commits to, and why it serves</th>'
           '<th>Link</th><th>Accountable</th></tr></thead><tbody>']
    for lk in links:
        plain = lk["evidence"].split("\n")[0]
        via = f" (through {_e(lk['via'])})" if lk["via"] else ""
        score = "" if lk["status"] == "asserted" else f", score {lk['score']:.2f}"
        out.append(
            f'<tr><td>{_e(lk["id"])}</td><td>{_e(lk["label"])}'
            f'<div class="evidence">{_e(plain)}</div>'
            f'<div class="source">source: {_e(lk["source"])}</div></td>'
            f'<td><span class="tag" style="background:{COLOURS.get(lk["group"], "#555")}">'
            f'{_e(lk["group"])}</span><div class="source">{_e(lk["kind"])}, '
            f'{_e(lk["status"])}{score}{via}</div></td>'
            f'<td>{_e("; ".join(lk["owners"]) or "not named")}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def render_report(report: dict[str, Any], built: str, workspace: str) -> str:
    """The page: the goal, a summary with the picture, what serves it by plan and parent, its
    own actions and milestones, and what is missing."""
    where = " › ".join(_e(p["label"]) for p in reversed(report["parents"]))
    summary = ", ".join(f"{n} {_e(g)}" for g, n in report["counts"].items()) or "no links"
    body = [f'<p class="context">{_e(report["type"])} {_e(report["id"])} of {where}</p>',
            f'<h1>{_e(report["label"])}</h1>']
    for s in report["statements"]:
        body.append(f'<p><strong>{_e(s["kind"].capitalize())}:</strong> {_e(s["text"])} '
                    f'<span class="source">({_e(s["source"])})</span></p>')
    body += [f"<h2>At a glance</h2><p>{_e(counted(report['links'], 'link'))}: {summary}.</p>",
             f"<figure>{picture(report)}</figure><p>{_legend()}</p>"]
    if report["unserved"]:
        body.append('<p class="note">No deliverable of another plan is stated in the documents '
                    'or decided by officers to serve this goal: what follows are suggestions to '
                    f'review (<code>align review {_e(report["id"])}</code>).</p>')
    body.append("<h2>What serves it</h2>")
    if not report["plans"]:
        body.append("<p>Nothing links to this goal from another plan.</p>")
    for plan in report["plans"]:
        ended = f' <span class="ended">(ended {_e(plan["ended"])})</span>' if plan["ended"] else ""
        body.append(f"<h3>{_e(plan['plan'])}{ended}</h3>")
        for parent in plan["parents"]:
            if parent["id"]:
                body.append(f"<h4>{_e(parent['type'])} {_e(parent['id'])}: "
                            f"{_e(parent['label'])}</h4>")
            body.append(_links_table(parent["links"]))
    if report["parts"]:
        body.append("<h2>Its own actions and milestones</h2><ul>")
        body += [f"<li><strong>{_e(p['id'])}</strong> {_e(p['label'])}</li>"
                 for p in report["parts"]]
        body.append("</ul>")
    body.append(f"<footer>From {_e(workspace)}, built {_e(built)}. Each source names the "
                f"document and line the link was read from; <code>align show ID</code> shows "
                f"it.</footer>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(report["id"])}: {_e(report["label"])}</title><style>{_STYLE}</style>'
            f'</head><body>{"".join(body)}</body></html>\n')


def _page(title: str, body: list[str]) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><style>{_STYLE}</style>'
            f'</head><body>{"".join(body)}</body></html>\n')


def served_picture(items: list[dict[str, Any]], label: str) -> str:
    """A small SVG: each goal (or strategy) the items serve, with a bar per group of the links
    to it, as long as the number of items linked so; the most served first."""
    counts: dict[str, dict[str, int]] = {}
    for it in items:
        for r in it["serves"]:
            if r["group"] != "names a strategy":
                group = counts.setdefault(r["id"], {})
                group[r["group"]] = group.get(r["group"], 0) + 1
    rows = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:24]
    most = max((sum(g.values()) for _, g in rows), default=1)
    height = 24 + 22 * len(rows) if rows else 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 {height}" role="img" '
             f'aria-label="{_e(label)}: the goals served, by the number of links">']
    if not rows:
        parts.append('<text x="10" y="24" font-size="13">No goal is served.</text>')
    for k, (goal, groups) in enumerate(rows):
        y = 14 + 22 * k
        parts.append(f'<text x="130" y="{y + 12}" font-size="12" text-anchor="end">'
                     f'{_e(goal)}</text>')
        x = 140.0
        for g, c in SERVES_COLOURS.items():
            if n := groups.get(g, 0):
                w = 520 * n / most
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="16" '
                             f'fill="{c}"><title>{_e(goal)}: {n} {_e(g)}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 12}" font-size="12">'
                     f'{sum(groups.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _serves_cell(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<td><span class="note-inline">serves no goal</span></td>'
    out = []
    for r in rows:
        colour = SERVES_COLOURS.get(r["group"], "#555")
        score = "" if r["status"] == "asserted" else f", score {r['score']:.2f}"
        plain = r["evidence"].split("\n")[0]
        out.append(f'<div class="serves"><strong>{_e(r["id"])}</strong> '
                   f'<span class="tag" style="background:{colour}">{_e(r["group"])}</span>'
                   f'<div class="source">{_e(r["kind"])}, {_e(r["status"])}{score}: '
                   f'{_e(plain)} ({_e(r["source"])})</div></div>')
    return f"<td>{''.join(out)}</td>"


def _items_table(items: list[dict[str, Any]], last: str, value: Any) -> str:
    out = ['<table><colgroup><col class="id"><col><col><col class="owner"></colgroup><thead><tr>'
           f'<th>ID</th><th>What it commits to</th><th>What it serves</th><th>{_e(last)}</th>'
           '</tr></thead><tbody>']
    for it in items:
        out.append(f'<tr><td>{_e(it["id"])}</td><td>{_e(it["label"])}'
                   f'<div class="source">{_e(it["type"])}, source: {_e(it["source"])}</div></td>'
                   f'{_serves_cell(it["serves"])}<td>{_e(value(it))}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _unserved(items: list[dict[str, Any]], what: str) -> list[str]:
    if not items:
        return [f"<h2>What serves no goal</h2><p>Every deliverable {what} serves a goal.</p>"]
    verb = "serves" if len(items) == 1 else "serve"
    return [f"<h2>What serves no goal</h2><p>{_e(counted(len(items), 'deliverable'))} {what} "
            f"{verb} no goal (no link stated, decided or suggested above the threshold):</p><ul>",
            *(f"<li><strong>{_e(it['id'])}</strong> {_e(it['label'])} "
              f'<span class="source">({_e(it["source"])})</span></li>' for it in items),
            "</ul>"]


def _legend_serves() -> str:
    return " ".join(f'<span class="tag" style="background:{c}">{_e(g)}</span>'
                    for g, c in SERVES_COLOURS.items())


def _footer(workspace: str, built: str) -> str:
    return (f"<footer>From {_e(workspace)}, built {_e(built)}. Each source names the document "
            f"and line the element or link was read from; <code>align show ID</code> shows "
            f"it.</footer>")


def render_plan_report(report: dict[str, Any], built: str, workspace: str) -> str:
    """A plan's page: its title and period, what its deliverables serve at a glance, each
    priority with its deliverables (what each serves, with evidence and source, and its
    owners), and the deliverables that serve no goal."""
    served = sum(1 for p in report["priorities"] for it in p["items"] if it["serves"])
    items = [it for p in report["priorities"] for it in p["items"]]
    body = [f'<p class="context">Plan {_e(report["id"])}'
            f'{", " + _e(report["period"]) if report["period"] else ""}</p>',
            f'<h1>{_e(report["label"])}</h1>',
            f"<h2>At a glance</h2><p>{_e(counted(report['deliverables'], 'deliverable'))} under "
            f"{_e(counted(sum(1 for p in report['priorities'] if p['id']), 'priority', 'priorities'))}; "
            f"{served} serve a goal or name a strategy "
            f"({_e(counted(report['links'], 'link'))}); "
            f"{_e(counted(len(report['unserved']), 'deliverable'))} serving no goal.</p>",
            f"<figure>{served_picture(items, report['id'])}</figure><p>{_legend_serves()}</p>",
            "<h2>Its priorities and what their deliverables serve</h2>"]
    for p in report["priorities"]:
        if p["id"]:
            body.append(f"<h3>{_e(p['type'])} {_e(p['id'])}: {_e(p['label'])}</h3>")
        body.append(_items_table(p["items"], "Accountable",
                                 lambda it: "; ".join(it["owners"]) or "not named"))
    body += _unserved(report["unserved"], "of this plan")
    body.append(_footer(workspace, built))
    return _page(f"{_e(report['id'])}: {_e(report['label'])}", body)


def render_post_report(report: dict[str, Any], built: str, workspace: str) -> str:
    """A post's or team's page: what it is accountable for, plan by plan, what each element
    serves, and what of it serves no goal."""
    items = [it for p in report["plans"] for it in p["items"]]
    body = [f'<p class="context">{_e(report["type"])} {_e(report["id"])}</p>',
            f'<h1>{_e(report["label"])}: what it is accountable for</h1>',
            f"<h2>At a glance</h2><p>{_e(counted(report['elements'], 'element'))} in "
            f"{_e(counted(len(report['plans']), 'plan'))}, "
            f"{_e(counted(report['links'], 'link'))} to goals and strategies; "
            f"{_e(counted(len(report['unserved']), 'deliverable'))} serving no goal.</p>",
            f"<figure>{served_picture(items, report['label'])}</figure><p>{_legend_serves()}</p>",
            "<h2>What it is accountable for, and what that serves</h2>"]
    if not items:
        body.append("<p>No element names this post or team.</p>")
    for p in report["plans"]:
        body.append(f"<h3>{_e(p['plan'])}</h3>")
        body.append(_items_table(p["items"], "Accountable", lambda it: it["accountable"]))
    body += _unserved(report["unserved"], "it is accountable for")
    body.append(_footer(workspace, built))
    return _page(f"{_e(report['label'])}: accountable for", body)


def print_pdf(page: str, out: Path, landscape: bool = False) -> None:
    """Print the page to `out` as A4 PDF in headless Chromium, atomically."""
    from alignment.output.chromium import render

    if landscape:
        page = page.replace("@page { size: A4;", "@page { size: A4 landscape;")
    render(page, out, "print the report", ["--no-pdf-header-footer", "--print-to-pdf={file}"],
           "writing PDF needs Chromium or Chrome (set CHROMIUM=/path); or write .html and print "
           "it from a browser")
