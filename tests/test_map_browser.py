"""The map in a real browser: headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from alignment.graph.maps import select
from alignment.model import Corpus
from alignment.output.htmlmap import render_html

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "out" / "test-artifacts"
pytestmark = pytest.mark.browser

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("no Chromium: 'make test' installs Debian's chromium (apt-get install chromium), "
                    "or set CHROMIUM=/path/to/chromium")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        yield b
        b.close()


class Page:
    def __init__(self, browser, path: Path):  # type: ignore[no-untyped-def]
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)


def write(tmp_path: Path, corpus: Corpus, name: str = "map.html", **kw: object) -> tuple[Path, object]:
    data = select(corpus, **kw)  # type: ignore[arg-type]
    path = tmp_path / name
    path.write_text(render_html(data), encoding="utf-8")
    return path, data


def test_map_renders_offline_with_every_node_and_link(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    path, data = write(tmp_path, corpus, focus="HWB-4C", depth=2)
    p = Page(browser, path)
    assert p.errors == []
    assert p.requests == [path.as_uri()]  # nothing fetched: no CDN, no fonts, no images
    drawn = p.page.evaluate("alignMap.drawnCounts()")
    assert drawn == {"nodes": len(data.nodes), "edges": len(data.edges)}  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "map-hwb-4c.png"))


def test_search_and_click_highlight_a_neighbourhood(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, corpus, focus="HWB-4C", depth=2)
    p = Page(browser, path)
    p.page.fill("#search", "people-21")
    assert p.page.text_content("#status") == "1 match; showing CP24-PEOPLE-21."
    assert p.page.evaluate("alignMap.network.getSelectedNodes()") == ["CP24-PEOPLE-21"]
    assert "CP24-PEOPLE-21 (Deliverable)" in (p.page.text_content("#panel") or "")
    # a real mouse click on the drawn node
    p.page.click("#clear")
    xy = p.page.evaluate("""() => { const n = alignMap.network; n.fit();
        const pos = n.getPositions(['HWB-4C'])['HWB-4C']; const d = n.canvasToDOM(pos);
        const r = document.querySelector('#network canvas').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""")
    p.page.mouse.click(xy[0], xy[1])
    assert p.page.evaluate("alignMap.highlighted") == "HWB-4C"
    assert "HWB-4C selected" in (p.page.text_content("#status") or "")
    assert p.errors == []


def test_toggles_hide_link_kinds_and_node_types(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    path, data = write(tmp_path, corpus, focus="HWB-4C", depth=2)
    p = Page(browser, path)
    similar = sum(1 for e in data.edges if e["kind"] == "similarity")  # type: ignore[attr-defined]
    p.page.uncheck("input[name=kind][value=similarity]")
    assert p.page.evaluate("alignMap.drawnCounts()")["edges"] == len(data.edges) - similar  # type: ignore[attr-defined]
    agents = sum(1 for n in data.nodes if n["category"] == "agent")  # type: ignore[attr-defined]
    p.page.keyboard.press("Tab")  # controls are reachable by keyboard
    p.page.uncheck("input[name=category][value=agent]")
    assert p.page.evaluate("alignMap.drawnCounts()")["nodes"] == len(data.nodes) - agents  # type: ignore[attr-defined]
    p.page.click("#layout")
    assert p.page.get_attribute("#layout", "aria-pressed") == "true"
    assert p.errors == []


def test_hostile_text_never_runs(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    from test_map import HOSTILE, hostile_corpus

    path, _ = write(tmp_path, hostile_corpus(corpus), focus="HWB-4C", depth=1)
    p = Page(browser, path)
    p.page.fill("#search", "HWB-4C-A1")
    p.page.hover("#network")
    assert p.page.evaluate("window.__pwned") is None
    assert p.dialogs == []
    assert HOSTILE in (p.page.text_content("#panel") or "")  # shown as text
    assert HOSTILE in (p.page.text_content("#table-view") or "")
