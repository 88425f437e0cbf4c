"""`align report GOAL`: one page for a board paper, checked as written and as a browser shows
and prints it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.output.report import picture, render_report


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def test_the_report_holds_every_link_of_serves_under_its_plan_and_priority(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run("report", "4C", "--out", str(out))
    assert code == 0 and f"wrote {out}: HWB-4C, 21 links from 2 plans" in err, err
    page = out.read_text(encoding="utf-8")
    rows = json.loads(run("serves", "4C", "--format", "json")[1])
    for r in rows:  # every link, with its source line
        assert f"<td>{r['id']}</td>" in page and f"source: {r['source']}" in page
    # plans in the order serves gives them (current first), an ended plan marked
    assert page.index("<h3>CP24</h3>") < page.index("<h3>CP14 <span class=\"ended\">(ended 2015)")
    # grouped by the priority each deliverable sits under, with its owner
    assert "<h4>Priority CP24-PEOPLE-E: Support activity that raises aspirations" in page
    assert re.search(r"<td>CP24-PEOPLE-21</td>.*?<td>Executive Director of Place</td>", page, re.S)
    # the goal's text and its own actions
    assert "<h1>Supporting the economically vulnerable" in page and "HWB-4C-A10" in page
    assert "http" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", page)  # nothing fetched


def test_document_text_in_the_report_is_text_not_markup() -> None:
    hostile = '</td><script>alert(1)</script><img src=x onerror=alert(2)>'
    link = {"id": "X-1", "label": hostile, "plan": "X", "kind": "similarity", "score": 0.3,
            "status": "suggested", "evidence": hostile, "source": "x:1", "via": "",
            "group": "suggested", "ended": "", "owners": [hostile]}
    report = {"id": "G-1", "label": hostile, "type": "Goal", "plan": "G", "code": "1",
              "parents": [{"id": "G", "type": "Plan", "label": hostile}],
              "statements": [{"kind": "achieve", "text": hostile, "source": "g:1"}],
              "parts": [{"id": "G-1-A1", "label": hostile}], "source": None,
              "plans": [{"plan": hostile, "ended": "", "parents": [
                  {"id": "X", "label": hostile, "type": "Priority", "links": [link]}]}],
              "counts": {"suggested": 1}, "links": 1, "unserved": True}
    page = render_report(report, "today", hostile)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in picture(report)


def test_a_report_is_html_or_pdf(tmp_path: Path) -> None:
    code, _, err = run("report", "4C", "--out", str(tmp_path / "r.docx"))
    assert code == 2 and "write the report as .html or .pdf" in err
    assert not (tmp_path / "r.docx").exists()


def _printed(browser, out: Path, width: int, *subject: str):  # type: ignore[no-untyped-def]
    """The report of `subject` written to `out` and opened as printed at `width` px (an A4 page
    less its margins, at 96 dpi): nothing wider than the page, no heading, cell, paragraph or
    list item that clips its text. The page, and the requests it made."""
    assert run("report", *subject, "--out", str(out))[0] == 0
    page = browser.new_page(viewport={"width": width, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.emulate_media(media="print")
    page.goto(out.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    clipped = page.evaluate("""[...document.querySelectorAll('td, th, h1, h2, h3, h4, p, li')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length""")
    assert clipped == 0
    return page, requests


@pytest.mark.browser
@pytest.mark.parametrize(("orientation", "width"), [("portrait", 718), ("landscape", 1047)])
def test_the_printed_report_shows_everything_without_clipping(
        tmp_path: Path, browser, orientation: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """At the width of an A4 page less its margins (96 dpi), as printed: nothing wider than the
    page, every link's row visible, the picture drawn; no request leaves the page."""
    out = tmp_path / "r.html"
    page, requests = _printed(browser, out, width, "4C")
    assert page.locator("tbody tr").count() == 21
    assert page.locator("figure svg path").count() >= 4
    assert requests == [out.as_uri()]
    page.close()


@pytest.mark.browser
def test_the_pdf_is_printed_by_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        chromium: str) -> None:
    monkeypatch.setenv("CHROMIUM", chromium)
    out = tmp_path / "r.pdf"
    code, _, err = run("report", "4C", "--out", str(out), "--landscape")
    assert code == 0, err
    assert not list(tmp_path.glob(".*.tmp"))
    import pdfplumber
    import pypdfium2

    with pdfplumber.open(out) as pdf:  # the text is there, every link's ID with it
        assert len(pdf.pages) >= 2 and pdf.pages[0].width > pdf.pages[0].height  # landscape
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Supporting the economically vulnerable" in text
    for r in json.loads(run("serves", "4C", "--format", "json")[1]):
        assert r["id"] in text, r["id"]
    pixels = pypdfium2.PdfDocument(out)[0].render(scale=0.5).to_numpy()
    assert (pixels[..., :3] < 128).any(axis=-1).mean() > 0.01  # ink: the page is not blank


def test_without_chromium_a_pdf_is_a_clear_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run("report", "4C", "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and "writing PDF needs Chromium or Chrome" in err
    assert not (tmp_path / "r.pdf").exists()


# `align report --plan ID` and `align report --post NAME`


def _json(*args: str) -> list[dict]:  # type: ignore[type-arg]
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _row_of(page: str, id_: str) -> str:
    """The table row of an element on the page."""
    m = re.search(rf"<tr><td>{re.escape(id_)}</td>.*?</tr>", page, re.S)
    assert m, id_
    return m.group(0)


def test_a_plan_report_lists_each_deliverable_under_its_priority_with_what_it_serves(
        tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    code, _, err = run("report", "--plan", "cp24", "--out", str(out))
    assert code == 0, err
    gaps = _json("gaps", "--plan", "CP24")
    deliverables = _json("list", "--plan", "CP24", "--type", "Deliverable")
    assert f"wrote {out}: plan CP24, {len(deliverables)} deliverables, {len(gaps)} deliverables " \
           f"serving no goal" in err
    page = out.read_text(encoding="utf-8")
    assert "<h1>Corporate Plan 2024-2029: A fresh start for Thurrock</h1>" in page
    assert "Plan CP24, 2024-2029" in page
    # every deliverable, in document order, under its priority
    at = [page.index(f"<tr><td>{d['id']}</td>") for d in deliverables]
    assert at == sorted(at)
    assert page.index("<h3>Priority CP24-PEOPLE-E: Support activity") < at[
        [d["id"] for d in deliverables].index("CP24-PEOPLE-21")]
    # what each serves is what `supports` lists (goals by a serving kind, strategies named)
    for id_ in ("CP24-PEOPLE-21", "CP24-PLACE-12"):
        row = _row_of(page, id_)
        for r in _json("supports", id_):
            if r["kind"] != "continuity":
                assert f"<strong>{r['id']}</strong>" in row and r["source"] in row, (id_, r)
    row = _row_of(page, "CP24-PEOPLE-21")
    assert "stated in the documents" in row and "Executive Director of Place" in row
    # what serves no goal is what `gaps` finds
    unserved = page[page.index("<h2>What serves no goal</h2>"):]
    assert re.findall(r"<li><strong>([^<]+)</strong>", unserved) == [g["id"] for g in gaps]
    assert f"{len(gaps)} deliverables of this plan serve no goal" in unserved
    assert _row_of(page, gaps[0]["id"]).count("serves no goal") == 1
    assert "http" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", page)


def test_a_post_report_lists_what_the_post_is_accountable_for_and_what_that_serves(
        tmp_path: Path) -> None:
    out = tmp_path / "post.html"
    code, _, err = run("report", "--post", "Executive Director of Place", "--out", str(out))
    assert code == 0, err
    rows = _json("director", "Executive Director of Place")
    assert f"wrote {out}: POST-ED-PLACE, accountable for {len(rows)} elements in 1 plan" in err
    page = out.read_text(encoding="utf-8")
    assert "<h1>Executive Director of Place: what it is accountable for</h1>" in page
    for r in rows:  # each element, with how the post is accountable for it
        row = _row_of(page, r["id"])
        assert f"<td>{r['accountable']}</td>" in row and r["source"] in row
    row = _row_of(page, "CP24-PEOPLE-21")
    assert "<strong>HWB-4C</strong>" in row and "<strong>STRAT-THAMES-FREEPORT</strong>" in row
    gaps = {g["id"] for g in _json("gaps")}
    unserved = page[page.index("<h2>What serves no goal</h2>"):]
    assert re.findall(r"<li><strong>([^<]+)</strong>", unserved) == [
        r["id"] for r in rows if r["id"] in gaps]


@pytest.mark.parametrize(("args", "needle"), [
    pytest.param([], "give one subject: a GOAL, --plan ID or --post NAME", id="none"),
    pytest.param(["4C", "--plan", "CP24"], "give one subject", id="two"),
    pytest.param(["--plan", "XX"], "no plan 'XX'; plans: CP24, CP14, HWB", id="unknown-plan"),
    pytest.param(["--post", "Nobody"], "no post or team named 'Nobody'", id="unknown-post"),
    pytest.param(["--plan", "CP24", "--current"], "--current narrows a goal's report",
                 id="current"),
])
def test_a_report_needs_one_known_subject(tmp_path: Path, args: list[str], needle: str) -> None:
    out = tmp_path / "r.html"
    code, _, err = run("report", *args, "--out", str(out))
    assert code == 2 and err.startswith("error: ") and needle in err, err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.browser
@pytest.mark.parametrize("subject", [["--plan", "CP14"], ["--post", "Public Health"]],
                         ids=["plan", "post"])
def test_the_plan_and_post_reports_print_to_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                chromium: str, subject: list[str]) -> None:
    import pdfplumber
    import pypdfium2

    monkeypatch.setenv("CHROMIUM", chromium)
    out = tmp_path / "r.pdf"
    code, _, err = run("report", *subject, "--out", str(out))
    assert code == 0, err
    with pdfplumber.open(out) as pdf:
        assert pdf.pages[0].width < pdf.pages[0].height  # A4 portrait
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    ids = ([r["id"] for r in _json("list", "--plan", "CP14", "--type", "Deliverable")]
           if subject[0] == "--plan" else [r["id"] for r in _json("director", "Public Health")])
    for id_ in ids:
        assert id_ in text, id_
    pixels = pypdfium2.PdfDocument(out)[0].render(scale=0.5).to_numpy()
    assert (pixels[..., :3] < 128).any(axis=-1).mean() > 0.01  # ink: the page is not blank


@pytest.mark.browser
@pytest.mark.parametrize("width", [718, 1047], ids=["portrait", "landscape"])
@pytest.mark.parametrize("subject", [["--plan", "CP24"], ["--post", "Executive Director of Place"]],
                         ids=["plan", "post"])
def test_the_plan_and_post_reports_print_without_clipping(
        tmp_path: Path, browser, subject: list[str], width: int) -> None:  # type: ignore[no-untyped-def]
    """As the goal's page: at the width of an A4 page less its margins, as printed, nothing is
    wider than the page, no cell clips its text, every element has its row; nothing is fetched."""
    out = tmp_path / "r.html"
    page, requests = _printed(browser, out, width, *subject)
    rows = (_json("list", "--plan", "CP24", "--type", "Deliverable") if subject[0] == "--plan"
            else _json("director", "Executive Director of Place"))
    assert page.locator("tbody tr").count() == len(rows)
    assert page.locator("figure svg rect").count() >= 4  # the goals served, drawn
    assert requests == [out.as_uri()]
    page.close()
