"""Headless Chromium (or Chrome), for what a browser draws best: a page printed to PDF (reports)
and a page's screenshot (PNG maps). One way to find it, run it offline and write its file."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from alignment.errors import InputError

__all__ = ["chromium", "render"]

#: headless, offline, nothing fetched in the background, a profile of its own
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking"]


def chromium() -> str | None:
    """The Chromium (or Chrome) to use: $CHROMIUM, else one on the PATH."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    return None


def render(page: str, out: Path, what: str, flags: list[str], needs: str) -> None:
    """Open the HTML `page` in headless Chromium with `flags` (one of them names `{file}`, the
    file it writes: --print-to-pdf={file} or --screenshot={file}) and write that file to `out`
    atomically. `what` ("print the report") and `needs` (what to do without Chromium) go into
    the one-line errors."""
    browser = chromium()
    if browser is None:
        raise InputError(f"{out}: {needs}")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page, encoding="utf-8")
        made = Path(tmp) / f"made{out.suffix}"
        r = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp}/profile",
                            *(f.format(file=made) for f in flags), source.as_uri()],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
            last = (r.stderr.strip().splitlines() or ["no output"])[-1]
            raise InputError(f"{out}: Chromium could not {what} ({last[:200]})")
        out.parent.mkdir(parents=True, exist_ok=True)
        staged = out.with_name(f".{out.name}.tmp")
        shutil.copyfile(made, staged)
        os.replace(staged, out)
