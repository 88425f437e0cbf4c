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
    assert code == 0 and f"wrote {out}: HWB-4C, 20 links from 2 plans" in err, err
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


@pytest.mark.browser
@pytest.mark.parametrize(("orientation", "width"), [("portrait", 718), ("landscape", 1047)])
def test_the_printed_report_shows_everything_without_clipping(
        tmp_path: Path, browser, orientation: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """At the width of an A4 page less its margins (96 dpi), as printed: nothing wider than the
    page, every link's row visible, the picture drawn; no request leaves the page."""
    out = tmp_path / "r.html"
    assert run("report", "4C", "--out", str(out))[0] == 0
    page = browser.new_page(viewport={"width": width, "height": 1000})  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.emulate_media(media="print")
    page.goto(out.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    clipped = page.evaluate("""[...document.querySelectorAll('td, th, h1, h2, h3, h4, p')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length""")
    assert clipped == 0
    assert page.locator("tbody tr").count() == 20
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
