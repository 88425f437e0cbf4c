"""The goal report as one self-contained page (HTML with print styles), and as PDF by printing
that page in headless Chromium. Every text from the documents is escaped: it is data, never
markup."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from alignment.errors import InputError
from alignment.text import counted

__all__ = ["render_report", "picture", "print_pdf"]

#: the groups of `serves`, in order, with their colour in the picture and the tables
COLOURS = {"stated in the documents": "#1b6e3a", "decided by officers": "#1f4e99",
           "commits to the whole strategy": "#7a5a00", "suggested": "#8a8a8a"}

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


def chromium() -> str | None:
    """The Chromium (or Chrome) to print with: $CHROMIUM, else one on the PATH."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    return None


def print_pdf(page: str, out: Path, landscape: bool = False) -> None:
    """Print the page to `out` as A4 PDF in headless Chromium, atomically."""
    browser = chromium()
    if browser is None:
        raise InputError(f"{out}: writing PDF needs Chromium or Chrome (set CHROMIUM=/path); or "
                         f"write .html and print it from a browser")
    if landscape:
        page = page.replace("@page { size: A4;", "@page { size: A4 landscape;")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(page, encoding="utf-8")
        pdf = Path(tmp) / "report.pdf"
        r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-first-run", "--disable-background-networking",
                            f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                            f"--print-to-pdf={pdf}", source.as_uri()],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            last = (r.stderr.strip().splitlines() or ["no output"])[-1]
            raise InputError(f"{out}: Chromium could not print the report ({last[:200]})")
        out.parent.mkdir(parents=True, exist_ok=True)
        staged = out.with_name(f".{out.name}.tmp")
        shutil.copyfile(pdf, staged)
        os.replace(staged, out)
