"""`make bench` (map part): how long linkage maps take to open in headless Chromium with their
final layout, measured to a layout that no longer moves (positions sampled every 50 ms until two
samples agree), not to a count of layout steps. Two maps: the whole bundled workspace (target
1.5 s) and a synthetic map of about 2,000 nodes, grouped by plan and priority (target 3 s)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from bench_similarity import synthetic  # noqa: E402

from alignment.graph.maps import select  # noqa: E402
from alignment.links.linking import align_corpus  # noqa: E402
from alignment.output.htmlmap import render_html  # noqa: E402
from alignment.pipeline.building import load_bundled  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: what the same measure gave before the alignment layout (vis-network's physics, 2026-11-30)
BEFORE = {"the bundled workspace": "3.19 s (worst 3.62 s), settling physics",
          "synthetic": "2.01 s (worst 3.43 s), physics stopped after 30 steps: a hairball"}

#: In the page: sample the drawn nodes' positions every 50 ms until two samples agree (to half a
#: pixel) and return the time of the first of them, in ms from the start of navigation.
SETTLED = """() => new Promise(done => {
  const net = alignMap.network;
  const sample = () => { const p = net.getPositions(); return [performance.now(), p]; };
  const same = (a, b) => Object.keys(a).length === Object.keys(b).length &&
    Object.keys(a).every(k => b[k] && Math.abs(a[k].x - b[k].x) < 0.5 && Math.abs(a[k].y - b[k].y) < 0.5);
  let last = sample();
  const tick = () => { const now = sample();
    if (same(last[1], now[1])) { done({ms: last[0], drawn: Object.keys(now[1]).length,
                                       scale: net.getScale()}); }
    else { last = now; setTimeout(tick, 50); } };
  setTimeout(tick, 50);
})"""


def measure(browser, path: Path, runs: int = 3) -> list[dict]:  # type: ignore[no-untyped-def]
    results = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        results.append(page.evaluate(SETTLED))
        page.close()
    return results


def main() -> None:
    from playwright.sync_api import sync_playwright

    browser_path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not browser_path:
        sys.exit("no Chromium: install Debian's chromium or set CHROMIUM")
    maps = [("the bundled workspace", select(load_bundled()), 1.5),
            ("synthetic", select(align_corpus(synthetic(1_550, 50))), 3.0)]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_path, args=FLAGS)
        for k, (name, data, target) in enumerate(maps):
            path = Path(tmp) / f"map{k}.html"
            t = time.perf_counter()
            path.write_text(render_html(data), encoding="utf-8")
            write_s = time.perf_counter() - t
            size = path.stat().st_size / 2**20
            runs = measure(b, path)
            best = min(r["ms"] for r in runs) / 1000
            worst = max(r["ms"] for r in runs) / 1000
            print(f"map of {name}: {len(data.nodes)} nodes, {len(data.edges)} links; written in "
                  f"{write_s:.2f} s ({size:.1f} MiB); opens with a layout that no longer moves "
                  f"in {best:.2f} s (worst of {len(runs)}: {worst:.2f} s; target {target} s); "
                  f"{runs[0]['drawn']} nodes drawn at first, zoom {runs[0]['scale']:.2f}; "
                  f"before: {BEFORE[name]}")
        b.close()


if __name__ == "__main__":
    main()
