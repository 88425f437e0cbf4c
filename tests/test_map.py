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


# The alignment layout: computed here, saved in the page and in the pictures.

def test_the_focus_stands_between_what_serves_it_and_what_it_serves(corpus: Corpus) -> None:
    from alignment.graph.layout import place

    data = select(corpus, focus="HWB-4C", depth=2)
    x = {i: p[0] for i, p in place(data).positions.items()}
    assert x["HWB-4C"] == 0
    for serving in ("CP24-PEOPLE-21", "CP24-PLACE-12", "HWB-4C-A1", "CP14-P3-O2-D3"):
        assert x[serving] < 0, serving  # what serves the goal: on its left
    for served in ("HWB-4", "HWB"):
        assert x[served] > 0, served  # what it serves: on its right
    assert x["HWB"] > x["HWB-4"]


def test_the_whole_map_reads_plan_priority_deliverable_goal(corpus: Corpus) -> None:
    from alignment.graph.layout import place

    data = select(corpus)
    x = {i: p[0] for i, p in place(data).positions.items()}
    assert x["CP24"] < x["CP24-PEOPLE"] < x["CP24-PEOPLE-E"] < x["CP24-PEOPLE-21"] < x["HWB-4C"]
    assert x["CP14"] < x["CP14-P2-O2"] < x["CP14-P2-O2-D7"] < x["HWB-4B"]


def test_labels_are_the_id_and_a_few_words(corpus: Corpus) -> None:
    from alignment.graph.layout import TITLE_LINES, WRAP, short_label

    data = select(corpus, focus="HWB-4C", depth=2)
    by_id = {n["id"]: n for n in data.nodes}
    assert short_label(by_id["CP14-P2-O2-D7"]) == ("CP14-P2-O2-D7\nTargeted interventions\n"
                                                   "to reduce…")
    assert short_label(by_id["TEAM-REGENERATION"]) == "Regeneration"
    for n in data.nodes:
        lines = short_label(n).split("\n")
        assert all(len(line) <= max(WRAP, len(n["id"])) for line in lines), lines
        assert len(lines) <= TITLE_LINES + 1


def test_a_map_larger_than_a_few_hundred_nodes_is_grouped(corpus: Corpus) -> None:
    from alignment.graph.layout import GROUP_ABOVE, alignment_layout, place

    data = select(corpus)
    assert len(data.nodes) <= GROUP_ABOVE and not place(data).groups  # drawn whole
    placed = alignment_layout(data.nodes, data.edges, grouped=True)
    # every deliverable and action is drawn inside the priority, objective or goal above it
    assert placed.groups["CP14-P2-O2-D7"] == "CP14-P2-O2"
    assert placed.groups["HWB-4C-A1"] == "HWB-4C"
    assert {n["id"] for n in data.nodes if n["category"] == "deliverable"} == set(placed.groups)
    assert set(placed.positions) | set(placed.groups) == {n["id"] for n in data.nodes}
    assert len(placed.positions) < len(data.nodes) / 2


def _svg_nodes(path: Path) -> set[str]:
    from xml.etree import ElementTree

    root = ElementTree.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    return {g.get("data-id") for g in root.iter(f"{ns}g") if g.get("class") in ("node", "node focus")}


def test_the_svg_parses_and_has_every_node(tmp_path: Path, corpus: Corpus) -> None:
    out = tmp_path / "map.svg"
    code, _, err = run("map", "HWB-4C", "--depth", "2", "--out", str(out))
    assert code == 0 and err.startswith(f"wrote {out}: 67 nodes"), err
    assert _svg_nodes(out) == {n["id"] for n in select(corpus, focus="HWB-4C", depth=2).nodes}
    text = out.read_text(encoding="utf-8")
    assert text.count('class="node focus"') == 1 and 'data-id="HWB-4C"' in text
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_layout_is_the_same_bytes_on_two_runs(tmp_path: Path) -> None:
    """Two processes with different hash seeds write the same SVG and the same page."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for ext in ("svg", "html"):
            out = tmp_path / f"{seed}.{ext}"
            r = subprocess.run([sys.executable, "-c", "from alignment.cli import main; main()",
                                "map", "HWB-4C", "--depth", "2", "--out", str(out)], env=env,
                               capture_output=True, text=True, cwd=tmp_path)
            assert r.returncode == 0, r.stderr
        outputs.append(((tmp_path / f"{seed}.svg").read_bytes(),
                        (tmp_path / f"{seed}.html").read_bytes()))
    assert outputs[0] == outputs[1]


def test_a_map_is_html_svg_or_png(tmp_path: Path) -> None:
    clean_error(*run("map", "4C", "--out", str(tmp_path / "m.pdf"))[::2],
                "m.pdf: a map is written as .html (interactive), .svg or .png")
    assert not (tmp_path / "m.pdf").exists()


def _rooms(data, placed):  # type: ignore[no-untyped-def]
    """The room the layout gives each drawn node: its shape and the label under it."""
    from alignment.graph.layout import label_size, node_size, short_label

    out = {}
    for n in data.nodes:
        if n["id"] in placed.positions:
            x, y = placed.positions[n["id"]]
            r = node_size(n, data.focus)
            w, h = label_size(short_label(n))
            half = max(w / 2, r)
            out[n["id"]] = (x - half, y - r, x + half, y + r + 6 + h)
    return out


@pytest.mark.parametrize("focus", [None, "HWB", "HWB-4C", "HWB-4A", "CP24", "CP24-PEOPLE-21",
                                   "CP14-P2-O2", "STRAT-THAMES-FREEPORT", "POST-ED-PLACE"])
def test_no_two_nodes_are_given_the_same_room(corpus: Corpus, focus: str | None) -> None:
    from alignment.graph.layout import place

    data = select(corpus, focus=focus, depth=2) if focus else select(corpus)
    rooms = sorted(_rooms(data, place(data)).items(), key=lambda kv: kv[1][0])
    assert len(rooms) == len(data.nodes)
    clash = []
    for k, (a, ra) in enumerate(rooms):  # sweep by left edge
        for b, rb in rooms[k + 1:]:
            if rb[0] >= ra[2]:
                break
            if ra[1] < rb[3] and rb[1] < ra[3]:
                clash.append((a, b))
    assert clash == []


def test_a_map_of_one_node_or_of_none_is_drawn(tmp_path: Path, corpus: Corpus) -> None:
    """A map of one node once failed (a picture of one column has no width)."""
    from alignment.graph.layout import place

    one = select(corpus, focus="HWB-4C", depth=0)
    assert place(one).positions == {"HWB-4C": (0.0, place(one).positions["HWB-4C"][1])}
    none = select(corpus, focus="HWB-4C", depth=0)
    none.nodes, none.edges = [], []
    for data in (one, none):
        page = render_html(data, built="2026-01-01")
        assert page.startswith("<!DOCTYPE html>")
