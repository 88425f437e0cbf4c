"""Linkage maps: what a map selects, and a page that is self-contained and never runs data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.errors import InputError
from alignment.graph.maps import select
from alignment.model import Corpus
from alignment.output.htmlmap import render_html


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


def test_focus_map_holds_the_goal_its_parts_and_what_serves_it(corpus: Corpus) -> None:
    data = select(corpus, focus="HWB-4C", depth=2)
    ids = {n["id"] for n in data.nodes}
    assert {"HWB-4C", "HWB-4C-A1", "HWB-4C-M8", "CP24-PEOPLE-21", "CP24-PLACE-12",
            "STRAT-THAMES-FREEPORT", "HWB-4"} <= ids
    assert all(e["from"] in ids and e["to"] in ids for e in data.edges)
    assert data.filters == ["HWB-4C and its neighbourhood to depth 2"]
    depth1 = {n["id"] for n in select(corpus, focus="HWB-4C", depth=1).nodes}
    assert depth1 < ids


def test_filters(corpus: Corpus) -> None:
    data = select(corpus, plan="CP14", kinds=["similarity"])
    assert {n["plan"] for n in data.nodes} <= {"CP14", "HWB", ""}
    assert {e["kind"] for e in data.edges} == {"similarity"}
    loose = select(corpus, focus="HWB-4C", kinds=["similarity"], min_score=0.0)
    strict = select(corpus, focus="HWB-4C", kinds=["similarity"], min_score=0.2)
    assert all(e["score"] >= 0.2 for e in strict.edges if e["kind"] == "similarity")
    kept = {e["id"] for e in strict.edges if e["kind"] == "similarity"}
    assert kept and kept < {e["id"] for e in loose.edges if e["kind"] == "similarity"}
    with pytest.raises(InputError, match="unknown link kind"):
        select(corpus, kinds=["vibes"])


def test_page_is_self_contained(corpus: Corpus) -> None:
    page = render_html(select(corpus, focus="HWB-4C"), built="2026-01-01")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?https?:""", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("\n<script") == 3  # data, vis-network, the page's own script


HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def hostile_corpus(corpus: Corpus) -> Corpus:
    els = [e.model_copy(update={"label": HOSTILE + e.label}) if e.id == "HWB-4C-A1" else e
           for e in corpus.elements]
    return corpus.model_copy(update={"elements": els})


def test_document_text_is_never_markup(corpus: Corpus) -> None:
    page = render_html(select(hostile_corpus(corpus), focus="HWB-4C"), built="2026-01-01")
    assert HOSTILE not in page
    assert "window.__pwned=1</script>" not in page
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1" in page  # table view, as text


def test_map_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    r = CliRunner().invoke(app, ["map", "hwb 4c", "--depth", "2", "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and r.stderr.startswith(f"wrote {out}: ")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_strategy_and_post_maps(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    r = CliRunner().invoke(app, ["map", "--strategy", "Thames Freeport", "--depth", "1",
                                 "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "STRAT-THAMES-FREEPORT and its neighbourhood to depth 1" in r.stderr
    r = CliRunner().invoke(app, ["map", "--post", "Chief Finance Officer", "--depth", "1",
                                 "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "POST-CFO and its neighbourhood" in r.stderr
    page = out.read_text(encoding="utf-8")
    assert "CP24-ENABLING-F" in page and "CP24-PLACE-D" in page


def test_map_takes_one_centre(tmp_path: Path) -> None:
    clean_error(*run("map", "4C", "--strategy", "Thames Freeport", "--out",
                     str(tmp_path / "m.html"))[::2], "one centre")
