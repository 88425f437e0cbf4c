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


# The alignment layout, as Chromium draws it and prints it.

#: every drawn node's label box and shape box, in the map's own coordinates (vis-network draws
#: a label under its shape; `labelModule.size` is the box it drew the text in, at the last
#: drawing)
BOXES = """(async () => { const out = [];
  // every node in view, after the next drawing: a label's box is set when it is drawn
  alignMap.network.fit({animation: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (const id of alignMap.network.body.nodeIndices) {
    const n = alignMap.network.body.nodes[id]; const s = n.labelModule.size;
    out.push({id: id, label: [s.left, s.top, s.left + s.width, s.top + s.height],
              shape: [n.x - n.shape.width / 2, n.y - n.shape.height / 2,
                      n.x + n.shape.width / 2, n.y + n.shape.height / 2]}); }
  return out; })()"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """Pairs of nodes whose label boxes overlap, or whose label covers another's shape."""
    def meet(a: list[float], b: list[float]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    return [(a["id"], b["id"]) for k, a in enumerate(boxes) for b in boxes[k + 1:]
            if meet(a["label"], b["label"]) or meet(a["label"], b["shape"])
            or meet(b["label"], a["shape"])]


def map_command(tmp_path: Path, *args: str) -> Path:
    from click.testing import CliRunner

    from alignment.cli.app import app

    out = tmp_path / "map.html"
    r = CliRunner().invoke(app, ["map", *args, "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    return out


def test_the_hwb_4c_map_opens_in_its_layout_with_no_label_over_another(
        browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    from alignment.graph.layout import place

    path = map_command(tmp_path, "HWB-4C", "--depth", "2")
    p = Page(browser, path)
    boxes = p.page.evaluate(BOXES)
    assert len(boxes) == 67
    assert overlaps(boxes) == []
    # the places are the ones computed in Python, and they do not move
    placed = place(select(corpus, focus="HWB-4C", depth=2)).positions
    first = p.page.evaluate("alignMap.network.getPositions()")
    p.page.wait_for_timeout(500)
    assert p.page.evaluate("alignMap.network.getPositions()") == first
    assert first.keys() == placed.keys()
    assert all(abs(first[i]["x"] - x) < 1 and abs(first[i]["y"] - y) < 1  # drawn to the pixel
               for i, (x, y) in placed.items())
    # the focus is marked: the largest node, with a black ring, and named to screen readers
    focus = p.page.evaluate("(() => { const n = alignMap.network.body.nodes['HWB-4C'].options;"
                            " return [n.size, n.borderWidth, n.color.border]; })()")
    assert focus == [28, 5, "#000000"]
    assert "the focus is HWB-4C" in p.page.get_attribute(".vis-network", "aria-label")
    # labels are short: the ID and a few words; the full text is in the details panel
    label = p.page.evaluate("alignMap.network.body.nodes['CP24-PEOPLE-21'].options.label")
    assert label == "CP24-PEOPLE-21\nWork intensively with\ndeliverers of…"
    p.page.focus("#search")
    p.page.keyboard.type("CP24-PEOPLE-21")
    assert "Freeport and other large-scale strategic partners" in p.page.text_content("#panel")
    assert p.requests == [path.as_uri()] and p.errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "map-hwb-4c-layout.png"))


def test_the_printed_map_shows_the_picture_and_the_table(
        browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    """Printed (as the browser's Print does) to PDF: the first page is the map's picture, with
    ink where the map is; the table view follows, opened, with every node's ID."""
    import pdfplumber
    import pypdfium2

    path = map_command(tmp_path, "HWB-4C", "--depth", "2")
    p = Page(browser, path)
    pdf = tmp_path / "map.pdf"
    p.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert p.requests == [path.as_uri()]
    page1 = pypdfium2.PdfDocument(pdf)[0]
    assert page1.get_width() > page1.get_height()  # A4 landscape, as the page asks
    pixels = page1.render(scale=0.5).to_numpy()[..., :3]
    body = pixels[pixels.shape[0] // 5:]  # below the header: the picture
    inked = (body < 200).any(axis=-1)
    assert inked.mean() > 0.02, inked.mean()  # not blank
    coloured = (body.max(axis=-1).astype(int) - body.min(axis=-1)) > 60
    assert coloured.mean() > 0.002  # the coloured nodes and links are drawn
    with pdfplumber.open(pdf) as doc:
        # the labels' lines are 4-5 points apart in print: read them as separate lines
        first = doc.pages[0].extract_text(y_tolerance=1) or ""
        rest = "\n".join(page.extract_text() or "" for page in doc.pages[1:])
    assert "HWB-4C" in first and "CP24-PEOPLE-21" in first  # the labels of the picture
    nodes = select(corpus, focus="HWB-4C", depth=2).nodes
    for n in nodes:  # the table, opened (a long ID wraps in its cell, among the other cells')
        if len(n["id"]) <= 14:
            assert n["id"] in rest, n["id"]
    p.page.emulate_media(media="print")  # every row of it laid out as printed
    heights = p.page.evaluate("[...document.querySelectorAll('#table-view tr')]"
                              ".map(r => r.getBoundingClientRect().height)")
    assert len(heights) == 2 + len(nodes) + 163 and min(heights) > 0


def test_a_large_map_is_grouped_and_a_group_opens_on_click(
        browser, tmp_path: Path, corpus: Corpus) -> None:  # type: ignore[no-untyped-def]
    """The whole workspace drawn grouped (as a map over GROUP_ABOVE nodes is): priorities and
    goals stand for what sits under them; a click opens one, without a label over another."""
    from alignment.graph.layout import alignment_layout

    data = select(corpus)
    placed = alignment_layout(data.nodes, data.edges, grouped=True)
    path = tmp_path / "grouped.html"
    path.write_text(render_html(data, placed=placed), encoding="utf-8")
    p = Page(browser, path)
    assert p.page.evaluate("alignMap.drawnCounts()")["nodes"] == len(placed.positions)
    assert overlaps(p.page.evaluate(BOXES)) == []
    inside = sorted(m for m, g in placed.groups.items() if g == "CP14-P2-O2")
    for group in ("CP14-P2-O2", "CP14-P1-O2", "HWB-4C"):  # open three neighbouring groups
        p.page.click("#clear")
        xy = p.page.evaluate(f"""() => {{ const n = alignMap.network; n.fit();
            const d = n.canvasToDOM(n.getPositions(['{group}'])['{group}']);
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }}""")
        p.page.mouse.click(xy[0], xy[1])
        assert p.page.evaluate(f"alignMap.open['{group}']") is True
    drawn = set(p.page.evaluate("alignMap.network.body.nodeIndices"))
    assert set(inside) <= drawn
    assert overlaps(p.page.evaluate(BOXES)) == []
    # an open group's members are drawn with their own links; a closed group's from the group
    link = next(e for e in data.edges if e["from"] in inside and e["kind"] == "similarity")
    assert link["from"] in p.page.evaluate(f"alignMap.network.getConnectedNodes('{link['to']}')")
    closed = next(e for e in data.edges if placed.groups.get(e["from"]) == "CP24-PEOPLE-E"
                  and e["kind"] != "part of")
    assert "CP24-PEOPLE-E" in p.page.evaluate(
        f"alignMap.network.getConnectedNodes('{placed.groups.get(closed['to'], closed['to'])}')")
    # searching for a member opens its group
    p.page.focus("#search")
    p.page.keyboard.type("CP24-PEOPLE-21")
    assert p.page.evaluate("alignMap.network.getSelectedNodes()") == ["CP24-PEOPLE-21"]
    # from the keyboard: find a group, then its button opens and closes it
    p.page.keyboard.press("Escape")
    p.page.keyboard.type("CP14-P3-O1")
    assert p.page.evaluate("alignMap.open['CP14-P3-O1']") is None
    for _ in range(4):
        p.page.keyboard.press("Tab")
        if p.page.evaluate("document.activeElement.id") == "group":
            break
    p.page.keyboard.press("Enter")
    assert p.page.evaluate("alignMap.open['CP14-P3-O1']") is True
    assert "inside (shown)" in p.page.text_content("#panel")
    assert overlaps(p.page.evaluate(BOXES)) == []
    p.page.keyboard.press("Space")
    assert p.page.evaluate("alignMap.open['CP14-P3-O1']") is False
    assert p.errors == [] and p.requests == [path.as_uri()]


def test_the_png_is_the_picture(tmp_path: Path, chromium: str,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from PIL import Image

    from alignment.cli.app import app

    monkeypatch.setenv("CHROMIUM", chromium)
    svg, png = tmp_path / "map.svg", tmp_path / "map.png"
    for out in (svg, png):
        r = CliRunner().invoke(app, ["map", "HWB-4C", "--depth", "2", "--out", str(out)])
        assert r.exit_code == 0, r.stderr
    head = svg.read_text(encoding="utf-8").split(">", 1)[0]
    width = int(head.split(' width="')[1].split('"')[0])
    height = int(head.split(' height="')[1].split('"')[0])
    with Image.open(png) as im:
        assert im.size == (width, height)
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50  # drawn, not a blank page
    assert not list(tmp_path.glob(".*.tmp"))
