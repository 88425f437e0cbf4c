"""The map in a real browser: headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.graph.maps import select
from alignment.model import Corpus
from alignment.output.htmlmap import render_html

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "out" / "test-artifacts"
pytestmark = pytest.mark.browser

BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
    p.page.focus("#search")
    p.page.keyboard.type("people-21")
    assert p.page.input_value("#search") == "people-21"
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
    p.page.check("input[name=category][value=agent]")
    assert p.page.evaluate("alignMap.drawnCounts()")["nodes"] == len(data.nodes)  # type: ignore[attr-defined]
    assert p.errors == []


def test_hostile_text_never_runs(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    from test_map import HOSTILE, hostile_corpus

    path, _ = write(tmp_path, hostile_corpus(corpus), focus="HWB-4C", depth=1)
    p = Page(browser, path)
    p.page.focus("#search")
    p.page.keyboard.type("HWB-4C-A1")
    assert p.page.input_value("#search") == "HWB-4C-A1"
    p.page.hover("#network")
    assert p.page.evaluate("window.__pwned") is None
    assert p.dialogs == []
    assert HOSTILE in (p.page.text_content("#panel") or "")  # shown as text
    assert HOSTILE in (p.page.text_content("#table-view") or "")


# The keyboard. Every test types with key presses (never page.fill, which sets the value without
# a key event and so cannot see a shortcut that eats a key) and asserts what the field holds.

def view(p: Page) -> list[float]:
    return p.page.evaluate("(() => { const v = alignMap.network.getViewPosition(); "
                           "return [v.x, v.y, alignMap.network.getScale()]; })()")


def test_typing_hwb_4c_in_the_search_box_keeps_every_key(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, corpus, focus="HWB-4C", depth=2)
    p = Page(browser, path)
    p.page.keyboard.press("/")  # from anywhere but a text field, / goes to the search box
    assert p.page.evaluate("document.activeElement.id") == "search"
    p.page.keyboard.type("HWB-4C")
    assert p.page.input_value("#search") == "HWB-4C"
    assert p.page.evaluate("alignMap.network.getSelectedNodes()") == ["HWB-4C"]
    assert (p.page.text_content("#status") or "").split("; ")[1].startswith("showing HWB-4C")
    # the map's own keys (-, +, =, arrows) do nothing while the field has the focus, even with
    # the pointer over the map
    p.page.hover("#network")
    p.page.keyboard.press("Escape")
    assert p.page.input_value("#search") == ""
    before = view(p)
    p.page.keyboard.type("zz-+=")
    for key in ("ArrowLeft", "ArrowRight", "PageUp", "PageDown"):
        p.page.keyboard.press(key)
    p.page.keyboard.type("/")
    assert p.page.input_value("#search") == "zz-+=/"
    assert p.page.text_content("#status") == "No node matches “zz-+=/”."
    assert view(p) == before
    assert p.errors == []


def test_next_previous_and_centre_work_from_the_keyboard(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, corpus, focus="HWB-4C", depth=2)
    p = Page(browser, path)
    p.page.focus("#search")
    p.page.keyboard.type("hwb-4")
    assert p.page.input_value("#search") == "hwb-4"
    matches = p.page.evaluate("alignMap.matches")
    assert len(matches) > 2 and all(m.lower().startswith("hwb-4") for m in matches[:2])
    selected = "alignMap.network.getSelectedNodes()"
    assert p.page.evaluate(selected) == [matches[0]]
    p.page.keyboard.press("Enter")
    assert p.page.evaluate(selected) == [matches[1]]
    assert f"showing {matches[1]} (2 of {len(matches)})" in (p.page.text_content("#status") or "")
    p.page.keyboard.press("Shift+Enter")
    p.page.keyboard.press("Shift+Enter")
    assert p.page.evaluate(selected) == [matches[-1]]  # round from the first to the last
    # the buttons, reached with Tab and pressed with Enter and Space
    p.page.keyboard.press("Tab")
    assert p.page.evaluate("document.activeElement.id") == "prev"
    p.page.keyboard.press("Enter")
    assert p.page.evaluate(selected) == [matches[-2]]
    p.page.keyboard.press("Tab")
    p.page.keyboard.press("Space")
    assert p.page.evaluate(selected) == [matches[-1]]
    p.page.evaluate("alignMap.network.moveTo({position: {x: 5000, y: 5000}, scale: 0.5})")
    p.page.keyboard.press("Tab")
    assert p.page.evaluate("document.activeElement.id") == "centre"
    p.page.keyboard.press("Enter")
    node = p.page.evaluate(f"alignMap.network.getPositions(['{matches[-1]}'])['{matches[-1]}']")
    x, y, scale = view(p)
    assert abs(x - node["x"]) < 1 and abs(y - node["y"]) < 1 and scale == 1.2
    assert p.page.input_value("#search") == "hwb-4"
    assert p.errors == []


def test_the_map_is_reached_by_tab_named_and_keyed(browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, corpus, focus="HWB-4C", depth=1)
    p = Page(browser, path)
    graph = p.page.get_by_role("application", name="Linkage map")
    assert graph.count() == 1
    assert graph.get_attribute("aria-label").startswith("Linkage map: ")
    for _ in range(80):  # Tab from the top of the page until the map has the focus
        p.page.keyboard.press("Tab")
        if p.page.evaluate("document.activeElement === alignMap.frame"):
            break
    else:
        pytest.fail("Tab never reaches the map")
    before = view(p)
    p.page.keyboard.down("PageUp")  # zoom in: the map's keys work where they belong
    p.page.wait_for_timeout(300)
    p.page.keyboard.up("PageUp")
    assert view(p)[2] > before[2]
    assert p.errors == []


@pytest.mark.parametrize("width", [320, 768])
def test_a_narrow_window_stacks(browser, tmp_path: Path, corpus: Corpus, width: int) -> None:  # type: ignore[no-untyped-def]
    path, _ = write(tmp_path, corpus, focus="HWB-4C", depth=2)
    p = Page(browser, path)
    p.page.set_viewport_size({"width": width, "height": 640})
    p.page.click("#table-view summary")  # the tables open too
    p.page.wait_for_timeout(100)
    sizes = p.page.evaluate("""(() => { const r = e => document.querySelector(e).getBoundingClientRect();
        return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                net: [r('#network').width, r('#network').height], controls: r('#controls').bottom,
                netTop: r('#network').top}; })()""")
    assert sizes["scroll"] <= sizes["client"] <= width, sizes
    assert sizes["net"][0] >= width - 40 and sizes["net"][1] >= 200, sizes
    assert sizes["netTop"] >= sizes["controls"] - 1  # stacked: the map below the controls
