"""PDF, Word, web and ODF documents: the bundled plans rendered in each format read back as
their text versions do, and small documents in layouts the readers had not met, each with its
expected tree written out here.

Every document is made by the test itself (reportlab, python-docx, plain HTML and ODF XML:
tests/render.py), so no office suite and no network is needed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import render
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.errors import InputError
from alignment.model import Document
from alignment.readers import IMPORT_LAYOUTS, LAYOUTS, layout_for
from alignment.readers.base import ParseResult
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText, decode_source
from alignment.sources.workspace import Workspace, bundled_data_dir

FORMATS = {"pdf": render.to_pdf, "docx": render.to_docx, "html": render.to_html}
#: the bundled documents: the 2024-29 plan (in full, and two of its web pages), the 2014-15
#: delivery table, HWB domain 4
SEEDS = ["cp24", "cp24-people-web", "cp24-enabling-web", "cp14", "hwb-d4"]


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    return r.exit_code, r.stdout, r.stderr


def read(name: str, data: bytes, plan: str = "X", layout: str | None = None
         ) -> tuple[SourceText, ParseResult]:
    """A document read as `align add` reads it: its layout from its suffix and content."""
    path = Path(name)
    layout = layout_for(path, layout, data)
    doc = Document(id="doc", file=name, plan=plan, layout=layout, title="t", publisher="p",
                   period="p", kind="k", sha256="0")
    src = decode_source(doc, path, data)
    return src, IMPORT_LAYOUTS[layout](src, plan, None)


def printed(browser, page: str, paper: str, margin: str | None = None,  # type: ignore[no-untyped-def]
            landscape: bool = False) -> bytes:
    """`page` printed to PDF by Chromium, as an officer's "Save as PDF" does: on `paper`
    ("A4", "A6"), with the same `margin` on every side (none: the browser's)."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content(page)
        sides = {side: margin for side in ("top", "bottom", "left", "right")} if margin else None
        return tab.pdf(format=paper, margin=sides, landscape=landscape)
    finally:
        context.close()


def tree(result: ParseResult) -> dict[str, tuple[str | None, str]]:
    """Each element's parent and title."""
    return {e.id: (e.parent, e.label) for e in result.elements}


def owners(result: ParseResult) -> set[tuple[str, str, str]]:
    return {(m.element, m.kind, m.name) for m in result.mentions}


# --- the bundled plans, in each format ------------------------------------------------------

def _seed(doc_id: str) -> tuple[Document, Path]:
    ws = Workspace(bundled_data_dir(), writable=False)
    doc = next(d for d in ws.manifest()[1] if d.id == doc_id)
    return doc, ws.path(doc.file)


def _corrections(doc: Document, src: SourceText) -> Corrections:
    """The workspace's corrections of the text version, moved to the lines where the rendered
    version has the same run-on text (a correction names its document's line)."""
    items = []
    for c in Corrections.load(bundled_data_dir() / "corrections.yaml").items:
        if c.document == doc.id:
            at = [n for n, ln in enumerate(src.lines, 1) if c.split_before[0] in ln]
            assert len(at) == 1, f"correction {c.id}: its line not found once"
            items.append(c.model_copy(update={"line": at[0]}))
    return Corrections(items)


def _summary(result: ParseResult) -> dict[str, object]:
    return {
        "elements": [(e.id, e.type.value, e.parent, e.code, " ".join(e.label.split()))
                     for e in result.elements],
        "mentions": sorted((m.element, m.kind, m.name) for m in result.mentions),
        "statements": sorted((e.id, s.kind, " ".join(s.text.split()))
                             for e in result.elements for s in e.statements),
    }


#: What the text version of each bundled plan reads as: written out, so that a round trip
#: that lost the same elements as the text reader would not pass.
SEED_COUNTS = {
    "cp24": {"elements": 88, "mentions": 28},
    "cp24-people-web": {"elements": 33, "mentions": 5},
    "cp24-enabling-web": {"elements": 28, "mentions": 8},
    "cp14": {"elements": 136, "mentions": 92},
    "hwb-d4": {"elements": 61, "mentions": 0},
}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("doc_id", SEEDS)
def test_a_bundled_plan_reads_back_from_each_format_as_its_text(doc_id: str, fmt: str,
                                                                 tmp_path: Path) -> None:
    doc, path = _seed(doc_id)
    text = path.read_text("utf-8")
    src = decode_source(doc, path, path.read_bytes())
    expected = _summary(LAYOUTS[doc.layout](src, doc.plan, Corrections.load(
        bundled_data_dir() / "corrections.yaml")))
    assert len(expected["elements"]) == SEED_COUNTS[doc_id]["elements"]  # type: ignore[arg-type]
    assert len(expected["mentions"]) == SEED_COUNTS[doc_id]["mentions"]  # type: ignore[arg-type]

    rendered = tmp_path / f"{path.stem}.{fmt}"
    rendered.write_bytes(FORMATS[fmt](text))
    other = decode_source(doc, rendered, rendered.read_bytes())
    result = LAYOUTS[doc.layout](other, doc.plan, _corrections(doc, other))
    got = _summary(result)
    assert got["elements"] == expected["elements"]  # the same IDs, types, nesting and titles
    assert got["mentions"] == expected["mentions"]  # the same directors and teams
    assert got["statements"] == expected["statements"]
    # every element says where in the document it was read
    where = {e.provenance[0].locator for e in result.elements}
    assert None not in where
    if fmt == "pdf":
        assert all(w.startswith("page ") for w in where)  # type: ignore[union-attr]
        assert len(where) > 1  # the elements of more than one page
    # the running header and page numbers of the PDF, the site's furniture, are not read
    assert not any(ln.startswith(("Page ", "Skip to main", "Bins and recycling"))
                   for ln in other.lines)


# --- a Word document with heading styles and Word's own numbering ---------------------------

def test_a_word_plan_with_heading_styles_and_numbered_lists() -> None:
    src, r = read("plan.docx", render.word_plan(), "CP26")
    # Word numbers a List Number paragraph when it shows it: the numbers are worked out, and
    # they go on from one list to the next, as Word shows them
    assert "1. Open a business hub in Grays" in src.lines
    assert "3. Expand adult learning in every town" in src.lines
    assert "## Support local businesses" in src.lines
    assert not any("Page 1" in ln or ln == "Thurrock Council" for ln in src.lines)
    assert tree(r) == {
        "CP26-H1": ("CP26", "A thriving economy"),
        "CP26-H1-H1": ("CP26-H1", "Support local businesses"),
        "CP26-H1-H1-1": ("CP26-H1-H1", "Open a business hub in Grays"),
        "CP26-H1-H1-2": ("CP26-H1-H1", "Launch a shop-local scheme"),
        "CP26-H1-H2": ("CP26-H1", "Improve skills"),
        "CP26-H1-H2-3": ("CP26-H1-H2", "Expand adult learning in every town"),
        "CP26-H2": ("CP26", "Healthy people"),
        "CP26-H2-H1": ("CP26-H2", "Healthier lives"),
        "CP26-H2-H1-B1": ("CP26-H2-H1", "Double the number of health checks"),
        "CP26-H2-H1-B2": ("CP26-H2-H1", "Open two family hubs"),
    }
    assert owners(r) == {("CP26-H1-H1", "Post", "Director of Place"),
                         ("CP26-H2-H1", "Post", "Director of Public Health")}
    # the vision is the plan's text, not an element
    assert [s.text for s in r.plan_statements] == ["Our vision",
                                                   "A borough where everyone can thrive."]
    el = {e.id: e for e in r.elements}
    prov = el["CP26-H1-H1-2"].provenance[0]
    assert (prov.locator, prov.text) == ("paragraph 7", "2. Launch a shop-local scheme")
    assert src.line(prov.line_start) == "2. Launch a shop-local scheme"


# --- a council web page, inside its site's navigation and footer ----------------------------

@pytest.mark.parametrize("page", [
    pytest.param(render.COUNCIL_PAGE, id="main"),
    # an older site's page, without <main>: its furniture is known by its elements and roles
    pytest.param(render.COUNCIL_PAGE.replace("<main", "<div").replace("</main>", "</div>"),
                 id="no-main"),
])
def test_a_saved_council_web_page_reads_its_content_not_the_site(page: str) -> None:
    src, r = read("place.html", page.encode("utf-8"), "PL")
    text = "\n".join(src.lines)
    for chrome in ("cookies", "Skip to main", "Bins and recycling", "Council and democracy",
                   "Related pages", "Search this site",
                   "Accessibility", "dataLayer", "color: red"):
        assert chrome not in text
    assert tree(r) == {
        "PL-1": ("PL", "Clean and green streets"),
        "PL-1-1": ("PL-1", "Clear reported fly-tipping within two working days"),
        "PL-1-2": ("PL-1", "Plant 1,000 street trees"),
        "PL-2": ("PL", "Homes people can afford"),
        "PL-2-1": ("PL-2", "Build 400 council homes"),
        "PL-2-2": ("PL-2", "Bring 150 empty homes back into use"),
    }
    assert owners(r) == {("PL-1", "Post", "Director of Environment"),
                         ("PL-2", "Post", "Director of Housing")}
    el = {e.id: e for e in r.elements}
    assert el["PL-2-2"].provenance[0].locator in ("/html/body/main/ol[2]/li[2]",
                                                  "/html/body/div[4]/ol[2]/li[2]")


# --- a PDF with a running header, and page numbers at its foot ------------------------------

def test_a_pdf_drops_its_running_header_and_page_numbers() -> None:
    src, r = read("place.pdf", render.place_pdf(render.PLACE_PAGES), "PL")
    assert not any("Page " in ln or "|" in ln or ln.strip().isdigit() for ln in src.lines)
    assert tree(r) == {
        "PL-1": ("PL", "Cleaner streets"),
        # a line wrapped in the PDF is one line of its text
        "PL-1-1": ("PL-1", "Clear fly-tipping within two working days of a report, and publish "
                           "how quickly each report was cleared"),
        "PL-1-2": ("PL-1", "Add 200 litter bins in town centres"),
        "PL-2": ("PL", "Safer roads"),
        "PL-2-1": ("PL-2", "Repair potholes within 28 days"),
        "PL-2-2": ("PL-2", "Install 20 mph zones near every primary school"),
        "PL-3": ("PL", "Greener homes"),
        "PL-3-1": ("PL-3", "Retrofit 500 council homes"),
        "PL-3-2": ("PL-3", "Fit solar panels to 40 schools"),
    }
    assert owners(r) == {("PL-1", "Post", "Director of Environment"),
                         ("PL-3", "Post", "Director of Housing")}
    where = {e.id: e.provenance[0].locator for e in r.elements}
    assert (where["PL-1-2"], where["PL-2"], where["PL-3-2"]) == ("page 1", "page 2", "page 3")


def test_a_scanned_pdf_without_text_is_refused_in_one_line(ws: Path, tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    for _ in range(2):  # a page image stands for the scan: shapes, no text
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    scan = tmp_path / "scanned-plan.pdf"
    scan.write_bytes(out.getvalue())
    before = sorted(p.name for p in (ws / "sources").iterdir())
    manifest = (ws / "manifest.yaml").read_text()
    code, stdout, stderr = run("--workspace", str(ws), "add", str(scan), "--plan", "SC",
                               "--title", "Scanned")
    assert code == 2
    assert stderr == (f"error: {scan}: no text layer on any of its 2 pages (a scanned document?); "
                      f"run it through text recognition (OCR), or add the text version of the "
                      f"plan\n")
    assert stdout == ""
    assert sorted(p.name for p in (ws / "sources").iterdir()) == before
    assert (ws / "manifest.yaml").read_text() == manifest


@pytest.mark.parametrize("name, data, says", [
    pytest.param("broken.pdf", b"%PDF-1.4\n%garbage", "not a readable PDF", id="pdf"),
    pytest.param("broken.docx", b"PK\x03\x04not really a zip", "not a Word (.docx) document",
                 id="docx"),
    pytest.param("broken.odt", b"not a zip", "not an ODF text document", id="odt"),
    pytest.param("empty.html", b"<html><body><nav>Home</nav></body></html>", "no text found",
                 id="html-chrome-only"),
])
def test_a_broken_document_is_one_line_naming_it(name: str, data: bytes, says: str,
                                                 tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read(str(path), data)
    assert str(err.value).startswith(f"{path}: {says}")
    assert "\n" not in str(err.value)


# --- tables with merged cells: a deliverables table with a Lead column ----------------------

@pytest.mark.parametrize("name, make", [
    pytest.param("delivery.docx", render.merged_docx, id="word-merged-cells"),
    pytest.param("delivery.html", lambda: render.MERGED_PAGE, id="html-rowspan"),
])
def test_a_table_of_deliverables_with_a_lead_column_is_read_as_rows(name, make) -> None:  # type: ignore[no-untyped-def]
    src, r = read(name, make(), "DP")
    assert layout_for(Path(name), None, make()) == "csv"
    # a cell merged down is blank below its first row, as in a sheet
    assert "\tPlant 1,000 street trees\tDirector of Environment" in src.lines
    # a priority is a group of rows (G), its deliverables the rows (B)
    assert tree(r) == {
        "DP-G1": ("DP", "Clean streets"),
        "DP-G1-B1": ("DP-G1", "Clear fly-tipping in two days"),
        "DP-G1-B2": ("DP-G1", "Plant 1,000 street trees"),
        "DP-G2": ("DP", "Affordable homes"),
        "DP-G2-B1": ("DP-G2", "Build 400 council homes"),
        "DP-G2-B2": ("DP-G2", "Bring 150 empty homes back into use"),
    }
    assert {e.id: e.type.value for e in r.elements}["DP-G1"] == "Priority"
    assert owners(r) == {("DP-G1-B1", "Post", "Director of Environment"),
                         ("DP-G1-B2", "Post", "Director of Environment"),
                         ("DP-G2-B1", "Post", "Director of Housing"),
                         ("DP-G2-B2", "Post", "Director of Housing")}
    # the title and the notes around the table are reported as skipped, by line (a heading
    # marked as one, as the headings that divide a table's parts are read)
    skipped = {src.line(n): why for n, why in r.skipped}
    assert skipped["# Delivery plan 2026-27"] == skipped[
        "Progress is reported to Cabinet each quarter."] == "outside the table of elements"


# --- ODF text -------------------------------------------------------------------------------

def test_an_odf_text_document_with_headings_and_lists() -> None:
    src, r = read("safety.odt", render.odt(), "CS")
    assert src.lines[src.lines.index("# Safer streets") + 2] == "1. Extend CCTV to every town centre"
    assert tree(r) == {
        "CS-H1": ("CS", "Safer streets"),
        "CS-H1-1": ("CS-H1", "Extend CCTV to every town centre"),
        "CS-H1-2": ("CS-H1", "Run a knife-crime awareness week"),
        "CS-H2": ("CS", "Safer homes"),
        "CS-H2-B1": ("CS-H2", "Fit 300 free smoke alarms"),
    }
    assert owners(r) == {("CS-H1", "Post", "Director of Communities")}
    assert {e.id: e.provenance[0].locator for e in r.elements}["CS-H2-B1"] == "paragraph 7"


# --- align add: the text kept, provenance into the graph ------------------------------------

def test_align_add_keeps_the_text_it_read_and_names_pages(ws: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "place-plan.pdf"
    pdf.write_bytes(render.place_pdf(render.PLACE_PAGES))
    code, out, err = run("--workspace", str(ws), "add", str(pdf), "--plan", "PL", "--title",
                         "Place Plan 2026-2030")
    assert code == 0, err
    assert "text read kept in sources/place-plan.pdf.txt" in out
    kept = (ws / "sources" / "place-plan.pdf.txt").read_text("utf-8").split("\n")
    assert (ws / "sources" / "place-plan.pdf").read_bytes() == pdf.read_bytes()
    # the document as the build reads it: the same lines as the text kept
    ws_ = Workspace(ws, writable=True)
    doc = next(d for d in ws_.manifest()[1] if d.plan == "PL")
    assert doc.layout == "outline"
    from alignment.sources.decode import read_source

    src = read_source(ws_, doc)
    assert src.lines == kept[:-1]
    r = IMPORT_LAYOUTS["outline"](src, "PL", None)
    el = {e.id: e for e in r.elements}
    p = el["PL-2-2"].provenance[0]
    assert (p.locator, kept[p.line_start - 1]) == ("page 2", p.text)


def test_the_locator_is_in_the_graph() -> None:
    from rdflib import Literal

    from alignment.graph.rdf import to_rdf
    from alignment.graph.validate import validate
    from alignment.graph.vocab import SA
    from alignment.model import Corpus, Element, ElementType, Plan, Provenance

    prov = Provenance(document="d", line_start=3, line_end=3, text="2.2 Install", locator="page 2")
    doc = Document(id="d", file="sources/p.pdf", plan="PL", layout="outline", title="t",
                   publisher="p", period="p", kind="k", sha256="0" * 64)
    elements = [Element(id="PL", type=ElementType.PLAN, plan="PL", code="PL", label="Plan",
                        provenance=[prov.model_copy(update={"locator": None})]),
                Element(id="PL-1", type=ElementType.PRIORITY, plan="PL", code="1",
                        label="Install", parent="PL", provenance=[prov])]
    corpus = Corpus(plans=[Plan(id="PL", title="Plan", kind="plan", period="p")],
                    documents=[doc], elements=elements, agents=[], strategies=[], links=[])
    g = to_rdf(corpus)
    assert list(g.subject_objects(SA.locator)) != []
    assert {o for _, o in g.subject_objects(SA.locator)} == {Literal("page 2")}
    check = validate(g)
    assert check.conforms, check.text
    # the shape holds a derivation to one locator
    node = next(s for s, _ in g.subject_objects(SA.locator))
    g.add((node, SA.locator, Literal("page 3")))
    assert not validate(g).conforms


def test_the_layout_of_a_document_can_be_chosen_but_not_as_a_sheet_or_yaml() -> None:
    data = render.merged_docx()
    assert layout_for(Path("delivery.docx"), None, data) == "csv"
    assert layout_for(Path("delivery.docx"), "outline", data) == "outline"
    # a page with no table of elements is an outline
    assert layout_for(Path("place.html"), None, render.COUNCIL_PAGE.encode()) == "outline"
    with pytest.raises(InputError, match=r"^delivery.docx: a .docx document is read as an outline "
                                         r"or as its table \(--layout outline or csv\), not as "
                                         r"yaml$"):
        layout_for(Path("delivery.docx"), "yaml", data)


def test_the_text_kept_never_overwrites_another_file(ws: Path, tmp_path: Path) -> None:
    (ws / "sources" / "place-plan.pdf.txt").write_text("1. A plan of its own\n")
    pdf = tmp_path / "place-plan.pdf"
    pdf.write_bytes(render.place_pdf(render.PLACE_PAGES))
    manifest = (ws / "manifest.yaml").read_text()
    code, out, err = run("--workspace", str(ws), "add", str(pdf), "--plan", "PL", "--title", "P")
    assert (code, out) == (2, "")
    assert err == ("error: sources/place-plan.pdf.txt already exists with other text, where the "
                   "text read from place-plan.pdf is kept; rename the file to add it\n")
    assert (ws / "sources" / "place-plan.pdf.txt").read_text() == "1. A plan of its own\n"
    assert not (ws / "sources" / "place-plan.pdf").exists()
    assert (ws / "manifest.yaml").read_text() == manifest


def test_an_old_word_file_is_asked_for_as_docx() -> None:
    with pytest.raises(InputError, match=r"^plan.doc: a .doc file is not read; save it as Word "
                                         r"\(.docx\) and add that$"):
        layout_for(Path("plan.doc"), None, b"\xd0\xcf\x11\xe0")


def test_a_numbered_list_broken_across_pages_of_a_browsers_pdf_reads_whole(browser) -> None:  # type: ignore[no-untyped-def]
    """A plan printed to PDF by a browser (Chromium's Save as PDF, as officers make one): list
    numbers hang left of their text, and an item broken by the page ends on the next page above
    the following items. Every item is read once, whole, under its heading (before, the end of
    the broken item and the items after it on the page were run together into one paragraph
    and lost from the plan)."""
    import html

    items = [f"Deliver part {n} of the programme with partners across the county, making sure "
             f"that residents in every district can take part in the work and that progress is "
             f"reported to the board each quarter with the figures for each locality" for n in
             range(1, 13)]
    page = ("<html><body style='font-family: sans-serif; font-size: 12pt'>"
            "<h1>Delivery plan</h1><h2>Our first priority for the county</h2><ol>"
            + "".join(f"<li>{html.escape(t)}.</li>" for t in items[:8]) +
            "</ol><h2>Our second priority for the county</h2><ol>"
            + "".join(f"<li>{html.escape(t)}.</li>" for t in items[8:]) + "</ol></body></html>")
    data = printed(browser, page, "A6", margin="15mm")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 3  # the lists run over several pages
    _, r = read("plan.pdf", data, "DP")
    deliverables = [e for e in r.elements if e.type.value == "Deliverable"]
    assert [e.label for e in deliverables] == [f"{t}." for t in items]
    priorities = [e.id for e in r.elements if e.type.value == "Priority"]
    assert [e.parent for e in deliverables] == [priorities[0]] * 8 + [priorities[1]] * 4


def test_a_browsers_pdf_joins_words_broken_after_a_hyphen_and_items_broken_before_a_capital(
        browser) -> None:  # type: ignore[no-untyped-def]
    """Chromium breaks a line after the hyphen of "co-locating", and may break a page before a
    word in capitals: the item reads "co-locating" (not "co- locating"), and an item broken by
    the page before a capital is read whole, its lead with it (before, its end became a note of
    the item above and the lead was lost)."""
    import html

    # each item its own words: lines that recur at the foot of most pages are page furniture
    towns = ["Northam", "Kelsford", "Brookfield", "Ashby", "Westbury", "Eastleigh", "Hartley",
             "Millbrook", "Oakham", "Redhill", "Stanton", "Thornbury", "Upton", "Whitby"]
    items = [f"Rationalise The {town} Estate And co-locating With Partners In {town} Where The "
             f"Police And Health Service Agree Plans For Site {n} In {town} (Lead: Director of "
             f"Place)" for n, town in enumerate(towns, 1)]
    page = ("<html><body style='font-family: monospace; font-size: 11pt'>"
            "<h1>Estate plan</h1><h2>Our buildings and sites</h2>"
            "<ol style='width: 30ch'>" + "".join(f"<li>{html.escape(t)}</li>" for t in items)
            + "</ol></body></html>")
    data = printed(browser, page, "A6", margin="12mm")
    _, r = read("estate.pdf", data, "EP")
    deliverables = [e for e in r.elements if e.type.value == "Deliverable"]
    assert [e.label for e in deliverables] == [t.removesuffix(" (Lead: Director of Place)")
                                               for t in items]
    assert all("co-locating" in e.label for e in deliverables)
    assert len({m.element for m in r.mentions if m.name == "Director of Place"}) == len(items)


def test_a_word_plan_with_bold_lines_for_headings_reads_its_sections() -> None:
    """Headings typed as bold lines of the body's style (no Heading style), with Word's own
    numbering under them: each bold line heads its section, its purpose sentence is its text,
    and the numbered items are its deliverables (before, every item hung off the plan and each
    heading became a note of the item above it)."""
    import docx

    d = docx.Document()
    d.add_paragraph("Westmere Delivery Plan 2025-26", style="Title")
    for head, purpose, deliverables in (
            ("Children and families", "Every child should grow up safe.",
             ["Open four family hubs.", "Recruit 25 foster carers."]),
            ("Economy and skills", "Good jobs for local people.",
             ["Run a jobs fair in each town.", "Fund 200 apprenticeships."])):
        d.add_paragraph().add_run(head).bold = True
        d.add_paragraph(purpose)
        for text in deliverables:
            d.add_paragraph(text, style="List Number")
    out = io.BytesIO()
    d.save(out)
    _, r = read("plan.docx", out.getvalue(), "WP")
    got = tree(r)
    heads = {label: id_ for id_, (_, label) in got.items() if label in
             ("Children and families", "Economy and skills")}
    assert len(heads) == 2
    assert {label: parent for parent, label in got.values() if label.endswith(".")} == {
        "Open four family hubs.": heads["Children and families"],
        "Recruit 25 foster carers.": heads["Children and families"],
        "Run a jobs fair in each town.": heads["Economy and skills"],
        "Fund 200 apprenticeships.": heads["Economy and skills"]}
    texts = {e.label: [s.text for s in e.statements] for e in r.elements}
    assert texts["Children and families"] == ["Every child should grow up safe."]


def test_a_web_page_of_plain_divs_leaves_out_its_menu_sidebar_footer_and_date() -> None:
    """A saved council page laid out with divs named header, menu, sidebar and footer (no
    <main>, <nav> or <footer>): the plan is read and the page's furniture is not (before, the
    sidebar's heading became a level of the plan and pushed every deliverable down one)."""
    page = b"""<html><body>
<div id="header"><div class="logo">Westmere County Council</div></div>
<div id="menu" class="navigation"><ul><li><a href="/">Home</a></li>
<li><a href="/bins">Bins</a></li></ul></div>
<div id="main-content" class="page-content">
<h1>Delivery Plan 2025-26</h1>
<h2>Children and families</h2><ol><li>Open four family hubs.</li><li>Recruit 25 foster carers.</li></ol>
<h2>Economy and skills</h2><ol><li>Run a jobs fair in each town.</li></ol>
<p class="updated">Last updated: 12 May 2025</p>
</div>
<div class="sidebar"><h3>Related pages</h3><ul><li><a href="/cp">Council Plan</a></li></ul></div>
<div id="footer" class="footer"><ul><li>Accessibility</li><li>Privacy</li></ul></div>
</body></html>"""
    _, r = read("plan.html", page, "WH")
    labels = [(e.type.value, e.label) for e in r.elements if e.type.value != "Plan"]
    assert labels == [("Priority", "Children and families"), ("Deliverable", "Open four family hubs."),
                      ("Deliverable", "Recruit 25 foster carers."),
                      ("Priority", "Economy and skills"),
                      ("Deliverable", "Run a jobs fair in each town.")]
    assert not any("updated" in s.text.lower() for e in r.elements for s in e.statements)


# --- a plan's table in parts: under headings, with section rows, over pages -----------------

#: outcome -> priority -> actions, each action with its lead
SECTIONS = {
    "Residents live healthier lives": {
        "Narrow the gap in life expectancy": [
            ("Expand the stop smoking service into community pharmacies",
             "Director of Public Health"),
            ("Take NHS Health Checks out to workplaces", "Public Health Manager"),
            ("Recommission the weight management service", "Public Health Manager"),
            ("Open two community health hubs with the ICB", "Director of Public Health")],
        "Help older people stay independent": [
            ("Extend the reablement service to weekends", "Head of Adult Social Care"),
            ("Replace analogue telecare alarms with digital ones", "Telecare Manager"),
            ("Cut the wait for a Disabled Facilities Grant to six months",
             "Head of Housing Services")]},
    "A growing, inclusive economy": {
        "Help residents into good work": [
            ("Open a jobs and skills hub in the town centre", "Head of Employment and Skills"),
            ("Fund 200 apprenticeships with local employers", "Head of Economic Development"),
            ("Run a jobs fair in each town every spring", "Head of Employment and Skills"),
            ("Use the adult skills fund for English and maths courses", "Head of Adult Learning")]},
}


def _expected_sections(r: ParseResult) -> None:
    got = {e.label: (e.type.value, e.parent) for e in r.elements}
    ids = {e.label: e.id for e in r.elements}
    for outcome, priorities in SECTIONS.items():
        assert got[outcome][0] == "Outcome"
        for priority, actions in priorities.items():
            assert got[priority] == ("Priority", ids[outcome])
            for action, _ in actions:
                assert got[action] == ("Deliverable", ids[priority])
    n = sum(len(a) for p in SECTIONS.values() for a in p.values())
    assert len(r.elements) == len(SECTIONS) + sum(len(p) for p in SECTIONS.values()) + n
    assert {(m.element, m.name) for m in r.mentions} == {
        (ids[action], lead) for p in SECTIONS.values() for a in p.values() for action, lead in a}


def test_a_word_plan_of_headings_each_with_its_table_of_actions() -> None:
    """An outcome's heading, a priority's heading, then a small table of its actions (Action,
    Lead officer): every table is read, under its headings (before, only the first table was
    read and the other actions were skipped as lines outside it)."""
    import docx

    d = docx.Document()
    d.add_heading("Council action plan 2025/26", level=1)
    for outcome, priorities in SECTIONS.items():
        d.add_heading(outcome, level=2)
        for priority, actions in priorities.items():
            d.add_heading(priority, level=3)
            table = d.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Action", "Lead officer"
            for action, lead in actions:
                row = table.add_row()
                row.cells[0].text, row.cells[1].text = action, lead
    out = io.BytesIO()
    d.save(out)
    src, r = read("actions.docx", out.getvalue(), "AP")
    _expected_sections(r)
    # each heading is the source of its element
    outcome = next(e for e in r.elements if e.label == "A growing, inclusive economy")
    assert src.line(outcome.provenance[0].line_start) == "## A growing, inclusive economy"


def test_a_word_table_whose_outcomes_and_priorities_are_rows_across_it() -> None:
    """A table of Action | Lead officer | Target date where each outcome and each priority is
    a row of its own, merged across the table: those rows group the actions (before, they were
    read as deliverables, and every action sat at the top of the plan)."""
    import docx

    d = docx.Document()
    d.add_paragraph("Council action plan 2025/26", style="Title")
    table = d.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Action", "Lead officer", "Target date"),
                          strict=True):
        cell.text = text

    def section(text: str) -> None:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[2])
        merged.text = text
        merged.paragraphs[0].runs[0].bold = True

    for outcome, priorities in SECTIONS.items():
        section(outcome)
        for priority, actions in priorities.items():
            section(priority)
            for action, lead in actions:
                row = table.add_row()
                row.cells[0].text, row.cells[1].text, row.cells[2].text = action, lead, \
                    "31/03/2026"
    out = io.BytesIO()
    d.save(out)
    _, r = read("actions.docx", out.getvalue(), "AP")
    _expected_sections(r)


def test_a_long_table_printed_over_pages_with_its_header_repeated(browser) -> None:  # type: ignore[no-untyped-def]
    """A browser prints a long table over several pages, its header row at the top of each
    (as Word repeats a header row): the repeated headers are not read as actions, and the rows
    of every page are read (before, the rows after the first page's were lost or read as an
    outcome called "Outcome")."""
    import html

    rows = [(o, p, a, lead) for o, ps in SECTIONS.items() for p, acts in ps.items()
            for a, lead in acts]
    rows = [(o, p, f"{a} (phase {k})", lead) for k in (1, 2, 3, 4) for o, p, a, lead in rows]
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                    for row in rows)
    page = ("<html><head><style>table { border-collapse: collapse } td, th { border: 1px solid "
            "black; padding: 2px } tr { break-inside: avoid }</style></head><body>"
            "<h1>Council action plan</h1><table><thead><tr><th>Outcome</th><th>Priority</th>"
            f"<th>Action</th><th>Lead officer</th></tr></thead><tbody>{cells}</tbody></table>"
            "</body></html>")
    data = printed(browser, page, "A6", landscape=True)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 3
    _, r = read("actions.pdf", data, "AP")
    deliverables = [e.label for e in r.elements if e.type.value == "Deliverable"]
    assert sorted(deliverables) == sorted(a for _, _, a, _ in rows)
    assert not [e for e in r.elements if e.label in ("Outcome", "Priority", "Action")]


@pytest.mark.parametrize("merged", [False, True], ids=["every-cell-filled", "merged-down"])
def test_a_table_whose_rows_a_page_break_splits(browser, merged: bool) -> None:  # type: ignore[no-untyped-def]
    """A browser (as Word does by default) lets a page break fall inside a table row, and a
    cell merged down runs on over the page: each row is read whole, once, and a merged cell's
    text stays with its rows (before, the half of the row at the foot of the page ran into a
    paragraph and the rows after it were lost, or the merged cells were read empty)."""
    import html

    rows = [(o, p, f"{a}, working with partners across the borough so that residents in every "
                   f"ward can take part and progress is reported to Cabinet each quarter", lead)
            for o, ps in SECTIONS.items() for p, acts in ps.items() for a, lead in acts]
    body = []
    for k, (o, p, a, lead) in enumerate(rows):
        cells = []
        if not merged:
            cells += [o, p]
        else:  # the outcome and the priority merged down their rows
            if k == 0 or rows[k - 1][0] != o:
                cells.append((o, sum(1 for r in rows if r[0] == o)))
            if k == 0 or rows[k - 1][1] != p:
                cells.append((p, sum(1 for r in rows if r[1] == p)))
        cells += [a, lead]
        body.append("<tr>" + "".join(
            f"<td rowspan='{c[1]}'>{html.escape(c[0])}</td>" if isinstance(c, tuple)
            else f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    page = ("<html><head><style>table { border-collapse: collapse } td, th { border: 1px solid "
            "black; padding: 3px; vertical-align: top }</style></head><body><h1>Action plan</h1>"
            "<table><thead><tr><th>Outcome</th><th>Priority</th><th>Action</th>"
            "<th>Lead officer</th></tr></thead><tbody>" + "".join(body) +
            "</tbody></table></body></html>")
    data = printed(browser, page, "A6")
    _, r = read("actions.pdf", data, "AP")
    got = {e.label: e for e in r.elements}
    ids = {e.id: e for e in r.elements}
    leads = {(m.element, m.name) for m in r.mentions}
    for o, p, a, lead in rows:
        assert a in got, a
        assert got[a].type.value == "Deliverable" and ids[got[a].parent].label == p, a
        assert ids[got[p].parent].label == o and (got[a].id, lead) in leads, a
    assert len([e for e in r.elements if e.type.value == "Deliverable"]) == len(rows)


@pytest.mark.parametrize("spanning", [False, True], ids=["flowing", "headings-across"])
def test_a_plan_set_in_two_columns_reads_down_each_column(browser, spanning: bool) -> None:  # type: ignore[no-untyped-def]
    """A designed plan set in two columns (the headings in the columns, or across both): each
    column is read down, the left before the right, and an item that the column break cuts is
    read whole (before, the two columns' lines at the same height were run together into one
    line: 24 elements of 52, all wrong)."""
    import html

    md = (Path(__file__).resolve().parent.parent / "data" / "eval" / "plans" /
          "westmere-delivery-plan.md").read_text(encoding="utf-8")
    out, items, listed = [], [], False
    for line in md.splitlines():
        if line[:1].isdigit():
            out.append(("" if listed else "<ol>") + f"<li>{html.escape(line.split('. ', 1)[1])}</li>")
            items.append(line.split(". ", 1)[1].split(" (Lead:")[0])
            listed = True
            continue
        if listed:
            out.append("</ol>")
            listed = False
        if line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            out.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    out.append("</ol>" if listed else "")
    style = "h1, h2 { column-span: all }" if spanning else ""
    page = (f"<html><head><style>{style}</style></head><body style='font-family: sans-serif; "
            f"font-size: 10pt; column-count: 2; column-gap: 8mm'>{''.join(out)}</body></html>")
    data = printed(browser, page, "A4", margin="15mm")
    _, r = read("plan.pdf", data, "WP")
    assert [e.label for e in r.elements if e.type.value == "Deliverable"] == items
    assert [e.label for e in r.elements if e.type.value == "Priority"] == [
        line[3:] for line in md.splitlines() if line.startswith("## ")]


def test_a_table_without_rules_is_not_taken_for_two_columns(browser) -> None:  # type: ignore[no-untyped-def]
    """A long cell beside a short one (a deliverable and its lead) in a table drawn without
    rules is not taken for a page in two columns: the leads are read among their rows, not as
    a column of leads after a column of deliverables."""
    import html

    rows = [f"Deliver part {n} of the programme with partners across the county so that "
            f"residents benefit" for n in range(1, 25)]
    page = ("<html><body style='font-family: sans-serif; font-size: 10pt'><h1>Plan</h1>"
            "<table style='width: 100%'>" + "".join(
                f"<tr><td style='width: 70%'>{html.escape(r)}</td><td>Director of Place</td>"
                f"</tr>" for r in rows) + "</table></body></html>")
    data = printed(browser, page, "A4")
    doc = Document(id="doc", file="plan.pdf", plan="P", layout="outline", title="t",
                   publisher="p", period="p", kind="k", sha256="0")
    lines = decode_source(doc, Path("plan.pdf"), data).lines
    text = " ".join(lines)  # the leads stay among their rows (read as two columns, every
    # lead would come after the last deliverable)
    assert text.index("Director of Place") < text.index("Deliver part 2 ")
    assert text.rindex("Director of Place") > text.index("Deliver part 24 ")
