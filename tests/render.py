"""Render a plan's text version as a PDF, a Word document or a saved web page, as a council
publishes one: headings in a larger type or a heading style, bullets and numbered lists as
lists, tab-separated lines as ruled tables; the PDF with a running header and page numbers, the
web page inside the site's navigation, banner and footer.

Used by tests/test_documents.py to check that each format reads back as the text does. The
tools are Python libraries (reportlab, python-docx; plain writing for HTML), so no office
suite is needed.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

__all__ = ["COUNCIL_PAGE", "MERGED_PAGE", "PLACE_PAGES", "Part", "merged_docx", "odt", "parts",
           "place_pdf", "to_docx", "to_html", "to_pdf", "word_plan"]

_BULLET = re.compile(r"^\s*[-\u2022\u25a0]\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")


@dataclass
class Part:
    kind: str  # "heading", "para", "bullets", "numbers", "table"
    lines: list[str] = field(default_factory=list)  # a list's items, or the text
    rows: list[list[str]] = field(default_factory=list)
    start: int = 1  # a numbered list's first number


def _heading(line: str) -> bool:
    """A short line that reads as a heading: a capital first, no closing punctuation."""
    return (len(line) <= 70 and line[:1].isupper() and not re.search(r"[.,;:]$", line)
            and not re.match(r"^[A-Z]\.\s", line))


def parts(text: str) -> list[Part]:
    """A text version's lines as the parts of a published document."""
    out: list[Part] = []
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        last = out[-1] if out else None
        if "\t" in raw:
            # blank lines between rows do not end a table
            if last is not None and last.kind == "table":
                last.rows.append(raw.split("\t"))
            else:
                out.append(Part("table", rows=[raw.split("\t")]))
            continue
        bullet = _BULLET.match(raw)
        numbered = _NUMBERED.match(line)
        if bullet:
            if last is not None and last.kind == "bullets" and not lines[i - 1].strip() == "":
                last.lines.append(bullet.group(1))
            else:
                out.append(Part("bullets", [bullet.group(1)]))
        elif numbered:
            if (last is not None and last.kind == "numbers"
                    and int(numbered.group(1)) == last.start + len(last.lines)):
                last.lines.append(numbered.group(2))
            else:
                out.append(Part("numbers", [numbered.group(2)], start=int(numbered.group(1))))
        elif _heading(line):
            out.append(Part("heading", [line]))
        else:
            out.append(Part("para", [line]))
    for p in out:
        if p.kind == "table":
            width = max(len(r) for r in p.rows)
            p.rows = [[c.strip() for c in r] + [""] * (width - len(r)) for r in p.rows]
    return out


# ---------------------------------------------------------------------------------------- PDF

def to_pdf(text: str, header: str = "Thurrock Council") -> bytes:
    """A PDF with the running header and "Page N" at the foot of every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Table

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=13, leading=16,
                          spaceBefore=6, spaceAfter=6)
    item = ParagraphStyle("item", parent=body, spaceAfter=2)

    def esc(s: str) -> str:
        return html.escape(s, quote=False)

    story = []
    for p in parts(text):
        if p.kind == "heading":
            story.append(Paragraph(esc(p.lines[0]), head))
        elif p.kind == "para":
            story.append(Paragraph(esc(p.lines[0]), body))
        elif p.kind in ("bullets", "numbers"):
            kw = ({"bulletType": "bullet", "start": "\u2022"} if p.kind == "bullets"
                  else {"bulletType": "1", "start": p.start, "bulletFormat": "%s."})
            story.append(ListFlowable([ListItem(Paragraph(esc(t), item)) for t in p.lines],
                                      leftIndent=18, bulletFontSize=10, **kw))
            story.append(Paragraph("", body))
        else:
            width = A4[0] - 4 * cm
            # columns in proportion to the square root of their longest text, none so narrow
            # that a word of a lead team's name would be broken
            share = [max(len(r[k]) for r in p.rows) ** 0.5 + 2 for k in range(len(p.rows[0]))]
            cols = [max(width * n / sum(share), 75) for n in share]
            cols[cols.index(max(cols))] -= sum(cols) - width  # narrow columns kept readable
            rows = [[Paragraph(esc(c), cell) for c in r] for r in p.rows]
            t = Table(rows, colWidths=cols)
            t.setStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP")])
            story.append(t)
            story.append(Paragraph("", body))

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, header)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2.2 * cm, bottomMargin=2.2 * cm, invariant=1)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


# --------------------------------------------------------------------------------------- Word

def to_docx(text: str) -> bytes:
    """A Word document: Heading 2, List Bullet and List Number paragraphs (a numbered list that
    does not go on from the one before restarts at its own first number), tables."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n for n in numbering.findall(qn("w:num"))
                    if n.get(qn("w:numId")) == str(style_num)).find(qn("w:abstractNumId"))
    next_number = 1
    num_id = None  # the list the last numbered paragraphs were in (None: the style's own)
    for p in parts(text):
        if p.kind == "heading":
            document.add_heading(p.lines[0], level=2)
        elif p.kind == "para":
            document.add_paragraph(p.lines[0])
        elif p.kind == "bullets":
            for t in p.lines:
                document.add_paragraph(t, style="List Bullet")
        elif p.kind == "numbers":
            if p.start != next_number:  # a list of its own, from its own first number
                num = OxmlElement("w:num")
                num_id = str(max(int(n.get(qn("w:numId"))) for n in
                                 numbering.findall(qn("w:num"))) + 1)
                num.set(qn("w:numId"), num_id)
                ref = OxmlElement("w:abstractNumId")
                ref.set(qn("w:val"), abstract.get(qn("w:val")))
                num.append(ref)
                override = OxmlElement("w:lvlOverride")
                override.set(qn("w:ilvl"), "0")
                start = OxmlElement("w:startOverride")
                start.set(qn("w:val"), str(p.start))
                override.append(start)
                num.append(override)
                numbering.append(num)
            for t in p.lines:
                para = document.add_paragraph(t, style="List Number")
                if num_id is not None:
                    pr = para._p.get_or_add_pPr()
                    numpr = OxmlElement("w:numPr")
                    ilvl = OxmlElement("w:ilvl")
                    ilvl.set(qn("w:val"), "0")
                    nid = OxmlElement("w:numId")
                    nid.set(qn("w:val"), num_id)
                    numpr.append(ilvl)
                    numpr.append(nid)
                    pr.append(numpr)
            next_number = p.start + len(p.lines)
        else:
            table = document.add_table(rows=0, cols=len(p.rows[0]))
            table.style = "Table Grid"
            for r in p.rows:
                cells = table.add_row().cells
                for c, value in zip(cells, r, strict=True):
                    c.text = value
    section = document.sections[0]
    section.header.paragraphs[0].text = "Thurrock Council"
    section.footer.paragraphs[0].text = "Page 1"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------- HTML

def to_html(text: str, title: str = "Corporate plan") -> bytes:
    """A page as a council's site saves it: navigation, a banner and a footer around <main>."""
    e = html.escape
    body = []
    for p in parts(text):
        if p.kind == "heading":
            body.append(f"<h2>{e(p.lines[0])}</h2>")
        elif p.kind == "para":
            body.append(f"<p>{e(p.lines[0])}</p>")
        elif p.kind == "bullets":
            body.append("<ul>" + "".join(f"<li>{e(t)}</li>" for t in p.lines) + "</ul>")
        elif p.kind == "numbers":
            start = f' start="{p.start}"' if p.start != 1 else ""
            body.append(f"<ol{start}>" + "".join(f"<li>{e(t)}</li>" for t in p.lines) + "</ol>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>"
                           for r in p.rows)
            body.append(f"<table>{rows}</table>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | Thurrock Council</title>
<style>body {{ font-family: sans-serif }}</style><script>var tracking = 1;</script></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><a href="/">Thurrock Council</a>
<nav><ul><li><a href="/bins">Bins and recycling</a></li><li><a href="/council-tax">Council tax</a></li>
</ul></nav></header>
<nav class="breadcrumbs"><ol><li><a href="/">Home</a></li><li>Strategies</li></ol></nav>
<main id="main">
{chr(10).join(body)}
</main>
<footer><p>Thurrock Council, Civic Offices, New Road, Grays</p><ul><li>Cookies</li>
<li>Accessibility</li></ul></footer>
</body></html>
"""
    return page.encode("utf-8")


# ------------------------------------------------------- small documents in layouts of their own
# Each is read in tests/test_documents.py against a tree written out by hand, and written into
# data/examples by tools/example_documents.py for the documentation's examples.

def word_plan() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Corporate Plan 2026-2030", style="Title")
    d.add_heading("Our vision", 1)
    d.add_paragraph("A borough where everyone can thrive.")
    d.add_heading("A thriving economy", 1)
    d.add_heading("Support local businesses", 2)
    d.add_paragraph("Open a business hub in Grays", style="List Number")
    d.add_paragraph("Launch a shop-local scheme", style="List Number")
    d.add_paragraph("Lead: Director of Place")
    d.add_heading("Improve skills", 2)
    d.add_paragraph("Expand adult learning in every town", style="List Number")
    d.add_heading("Healthy people", 1)
    d.add_heading("Healthier lives", 2)
    d.add_paragraph("Double the number of health checks", style="List Bullet")
    d.add_paragraph("Open two family hubs", style="List Bullet")
    d.add_paragraph("Responsible director: Director of Public Health")
    # the last outcome inside a content control, as templates wrap their sections
    from docx.oxml import OxmlElement

    body = d.element.body
    last = [p for p in body.iterchildren() if p.tag.endswith("}p")][-5:]
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    last[0].addprevious(sdt)
    sdt.append(content)
    for p in last:
        content.append(p)
    section = d.sections[0]
    section.header.paragraphs[0].text = "Thurrock Council"
    section.footer.paragraphs[0].text = "Page 1 of 1"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


COUNCIL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Our priorities | Thurrock Council</title>
<script>window.dataLayer = [];</script><style>.x { color: red }</style></head>
<body>
<div class="cookie-banner"><p>We use cookies</p><button>Accept</button></div>
<a class="skip-link" href="#content">Skip to main content</a>
<header><a href="/">Thurrock Council</a><nav aria-label="Main"><ul>
  <li><a href="/bins">Bins and recycling</a></li><li><a href="/tax">Council tax</a></li>
</ul></nav></header>
<div class="breadcrumbs"><ol><li>Home</li><li>Council and democracy</li></ol></div>
<div role="search"><p>Search this site</p></div>
<main id="content">
  <h1>Corporate plan: place</h1>
  <p>This page sets out what we will do for the places where residents live.</p>
  <h2>Priority 1: Clean and green streets</h2>
  <ol>
    <li>Clear reported fly-tipping within <strong>two working days</strong></li>
    <li><p>Plant 1,000 street trees</p></li>
  </ol>
  <p>Lead: Director of Environment</p>
  <h2>Priority 2: Homes people can afford</h2>
  <ol>
    <li>Build 400 council homes</li>
    <li>Bring 150 empty homes back into use</li>
  </ol>
  <p>Lead: Director of Housing</p>
</main>
<aside><h2>Related pages</h2><ul><li>Local plan</li></ul></aside>
<footer><ul><li>Accessibility</li><li>Privacy</li></ul><p>&copy; Thurrock Council</p></footer>
</body></html>
"""


def place_pdf(pages: list[list[tuple[str, int, str]]]) -> bytes:
    """Lines drawn where a word processor puts them: (style, indent, text); style "b" is a
    bold title, "c" a line that wraps on from the one above."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    for n, lines in enumerate(pages, 1):
        c.setFont("Helvetica", 8)
        c.drawString(60, height - 40, "Thurrock Council  |  Place Plan 2026-2030")
        c.drawCentredString(width / 2, 30, f"Page {n} of {len(pages)}")
        c.drawRightString(width - 60, 30, str(n))
        y = height - 100
        for style, indent, text in lines:
            if style != "c":
                y -= 8  # the space between paragraphs
            c.setFont("Helvetica-Bold" if style == "b" else "Helvetica", 14 if style == "b" else 10)
            c.drawString(60 + indent, y, text)
            y -= 12
        c.showPage()
    c.save()
    return out.getvalue()


PLACE_PAGES = [
    [("b", 0, "Place Plan 2026-2030"),
     ("", 0, "1. Cleaner streets"),
     ("", 18, "1.1 Clear fly-tipping within two working days of a report, and publish how"),
     ("c", 36, "quickly each report was cleared"),
     ("", 18, "1.2 Add 200 litter bins in town centres"),
     ("", 0, "Lead: Director of Environment")],
    [("", 0, "2. Safer roads"),
     ("", 18, "2.1 Repair potholes within 28 days"),
     ("", 18, "2.2 Install 20 mph zones near every primary school")],
    [("", 0, "3. Greener homes"),
     ("", 18, "3.1 Retrofit 500 council homes"),
     ("", 18, "3.2 Fit solar panels to 40 schools"),
     ("", 0, "Responsible director: Director of Housing")],
]


def merged_docx() -> bytes:
    """Priority | Deliverable | Lead, the Priority cell merged down over its deliverables, as
    officers lay such tables out; a title and a note around it."""
    import docx

    d = docx.Document()
    d.add_heading("Delivery plan 2026-27", 1)
    d.add_paragraph("The deliverables for the year, and who leads each.")
    rows = [("Priority", "Deliverable", "Lead"),
            ("Clean streets", "Clear fly-tipping in two days", "Director of Environment"),
            (None, "Plant 1,000 street trees", "Director of Environment"),
            ("Affordable homes", "Build 400 council homes", "Director of Housing"),
            (None, "Bring 150 empty homes back into use", "Director of Housing")]
    table = d.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for k, value in enumerate(row):
            if value is not None:
                table.cell(r, k).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    d.add_paragraph("Progress is reported to Cabinet each quarter.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


MERGED_PAGE = b"""<html><body><main><h1>Delivery plan 2026-27</h1>
<table><thead><tr><th>Priority</th><th>Deliverable</th><th>Lead</th></tr></thead><tbody>
<tr><td rowspan="2">Clean streets</td><td>Clear fly-tipping in two days</td>
<td>Director of Environment</td></tr>
<tr><td>Plant 1,000 street trees</td><td>Director of Environment</td></tr>
<tr><td rowspan="2">Affordable homes</td><td>Build 400 council homes</td>
<td>Director of Housing</td></tr>
<tr><td>Bring 150 empty homes back into use</td><td>Director of Housing</td></tr>
</tbody></table><p>Progress is reported to Cabinet each quarter.</p></main></body></html>"""


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">
<office:automatic-styles>
  <text:list-style style:name="L1"><text:list-level-style-number text:level="1"
    style:num-format="1" style:num-suffix="."/></text:list-style>
  <text:list-style style:name="L2"><text:list-level-style-bullet text:level="1"
    text:bullet-char="&#x2022;"/></text:list-style>
</office:automatic-styles>
<office:body><office:text>
  <text:p>Community Safety Plan 2026</text:p>
  <text:h text:outline-level="1">Safer streets</text:h>
  <text:list text:style-name="L1">
    <text:list-item><text:p>Extend CCTV to<text:s/>every town centre</text:p></text:list-item>
    <text:list-item><text:p>Run a knife-crime awareness week</text:p></text:list-item>
  </text:list>
  <text:p>Lead: Director of Communities</text:p>
  <text:h text:outline-level="1">Safer homes</text:h>
  <text:list text:style-name="L2">
    <text:list-item><text:p>Fit 300 free smoke alarms</text:p></text:list-item>
  </text:list>
</office:text></office:body></office:document-content>
"""


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        def put(name: str, text: str) -> None:  # dated, so that the same content is the same file
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            z.writestr(info, text, compress_type=zipfile.ZIP_STORED if name == "mimetype"
                       else zipfile.ZIP_DEFLATED)

        put("mimetype", "application/vnd.oasis.opendocument.text")
        put("content.xml", ODT_CONTENT)
        put("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                                     '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return out.getvalue()
