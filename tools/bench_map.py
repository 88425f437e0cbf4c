"""`make bench` (map part): how long a 2,000-node linkage map takes to open and settle in headless
Chromium (target: under 3 s), and its file size."""

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

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    browser_path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not browser_path:
        sys.exit("no Chromium: install Debian's chromium or set CHROMIUM")
    corpus = align_corpus(synthetic(1_550, 50))
    data = select(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        t = time.perf_counter()
        path.write_text(render_html(data), encoding="utf-8")
        write_s = time.perf_counter() - t
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=browser_path, args=FLAGS)
            times = []
            for _ in range(3):
                page = b.new_page(viewport={"width": 1400, "height": 900})
                t = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
                times.append(time.perf_counter() - t)
                page.close()
            b.close()
        size = path.stat().st_size / 2**20
    best, worst = min(times), max(times)
    print(f"map of {len(data.nodes)} nodes, {len(data.edges)} links: written in {write_s:.2f} s "
          f"({size:.1f} MiB); opens and settles in {best:.2f} s (worst of 3: {worst:.2f} s; "
          f"target < 3 s)")


if __name__ == "__main__":
    main()
