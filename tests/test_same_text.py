"""Text that a reader sees as the same reads as the same: the 2014-15 delivery plan with its
spaces as no-break spaces, with zero-width spaces after them, decomposed (NFD), or with one
zero-width space before a priority, gives the same 136 elements (288 in the whole workspace, as
the robustness registry builds it), under the same parents, with one warning naming the count
and the first line. Before, the workspace gave 293, 169, fewer links and 30 elements moved under
another priority, with no warning."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alignment.readers import extract
from alignment.sources.corrections import Corrections
from alignment.sources.decode import decode_source, same_text
from alignment.sources.workspace import Workspace, bundled_data_dir

#: Unicode's spaces other than the space, and its invisible characters
SPACES = ["\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000"]
INVISIBLE = ["\u00ad", "\u061c", "\u180e", *map(chr, range(0x200B, 0x2010)),
             *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2060, 0x2065)),
             *map(chr, range(0x2066, 0x2070)), "\ufeff", "\ufff9", "\ufffa", "\ufffb"]


def _cp14() -> tuple[object, Path, str]:
    ws = Workspace(bundled_data_dir(), writable=False)
    doc = next(d for d in ws.manifest()[1] if d.id == "cp14")
    path = ws.path(doc.file)
    return doc, path, path.read_text(encoding="utf-8")


def _read(text: str) -> tuple[list[tuple[str, str, str | None, str]], list[str]]:
    doc, path, _ = _cp14()
    src = decode_source(doc, path, text.encode("utf-8"))  # type: ignore[arg-type]
    result = extract(src, Corrections([]))
    return ([(e.id, e.label, e.parent, e.type.value) for e in result.elements],
            list(src.warnings))


@pytest.fixture(scope="module")
def original() -> list[tuple[str, str, str | None, str]]:
    elements, warnings = _read(_cp14()[2])
    assert len(elements) == 136 and warnings == []
    return elements


def _first_space(text: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if " " in line)


VARIANTS: dict[str, tuple[Callable[[str], str], str]] = {
    "every space a no-break space": (lambda t: t.replace(" ", "\u00a0"), "no-break"),
    "a zero-width space after every space": (lambda t: t.replace(" ", " \u200b"), "invisible"),
    "decomposed (NFD)": (lambda t: unicodedata.normalize("NFD", t.replace("e", "\u00e9")),
                         "decomposed"),
    "a zero-width space before PRIORITY 2": (lambda t: t.replace("PRIORITY 2", "\u200bPRIORITY 2"),
                                             "invisible"),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_the_2014_plan_reads_the_same_through_invisible_changes(name: str, original: list) -> None:
    change, kind = VARIANTS[name]
    text = change(_cp14()[2])
    elements, warnings = _read(text)
    if name.startswith("decomposed"):  # the same text, every e accented both ways
        expected, _ = _read(_cp14()[2].replace("e", "\u00e9"))
    else:
        expected = original
        assert len(elements) == 136
    assert elements == expected
    assert len(warnings) == 1 and kind in warnings[0], warnings


def test_the_warning_names_the_count_and_the_first_line() -> None:
    lines = ["plain", "one\u00a0two\u00a0three", "x\u2003y"]
    out, warnings = same_text(lines, Path("plan.txt"))
    assert out == ["plain", "one two three", "x y"]
    assert warnings == ["plan.txt:2: 3 no-break or other Unicode space(s) (U+00A0, U+2003) read "
                        "as plain spaces, from this line on"]


#: the joiners shape a script or an emoji between two characters beyond ASCII, and stay there
JOINERS = {"\u200c", "\u200d"}


@given(st.lists(st.sampled_from(["a", "b", " ", "\t", "e\u0301", "\u00e9", *SPACES,
                                 *(c for c in INVISIBLE if c not in JOINERS)])).map("".join))
def test_any_space_or_invisible_character_reads_as_its_plain_text(text: str) -> None:
    """Every Unicode space reads as a space, every invisible character as nothing, and both
    normalisation forms as one; no warning when nothing changed."""
    out, warnings = same_text([text], Path("p.txt"))
    plain = text
    for c in INVISIBLE:
        plain = plain.replace(c, "")
    for c in SPACES:
        plain = plain.replace(c, " ")
    assert out == [unicodedata.normalize("NFC", plain)]
    assert bool(warnings) == (out != [text])


@pytest.mark.parametrize("joiner", sorted(JOINERS))
def test_joiners_beside_plain_letters_are_removed(joiner: str) -> None:
    assert same_text([f"PRIORITY{joiner} 2", f"{joiner}x"], Path("p.txt"))[0] == ["PRIORITY 2", "x"]


def test_joiners_inside_an_emoji_or_a_script_stay() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert same_text([family, persian], Path("p.txt")) == ([family, persian], [])


def test_a_build_that_drops_or_moves_many_elements_says_so(built_ws: Path) -> None:
    """One character before a heading could move a whole section: a build that reads a
    document's elements very differently from the last build warns with the counts."""
    from alignment.pipeline.building import changes_since_last_build, load

    ws = Workspace(built_ws, writable=True)
    corpus = load(ws)
    assert changes_since_last_build(ws, corpus) == []
    cp14 = [e for e in corpus.elements if e.id.startswith("CP14-P2-")]
    moved = {e.id for e in cp14[:12]}
    dropped = {e.id for e in cp14[12:20]}
    corpus.elements = [e.model_copy(update={"parent": "CP14-P1"}) if e.id in moved else e
                       for e in corpus.elements if e.id not in dropped]
    (warning,) = changes_since_last_build(ws, corpus)
    assert warning.startswith("cp2014-15-delivery-plan.txt:")
    assert "8 elements of document 'cp14' are no longer read and 12 sit under another parent" \
        in warning
    few = load(ws)
    few.elements = few.elements[:-3]  # a few elements fewer: no warning
    assert changes_since_last_build(ws, few) == []


def test_a_build_keeps_where_each_element_sits_for_the_next_one(built_ws: Path) -> None:
    """The next build compares with the places its current build kept (`elements.json`), not
    with the whole corpus read back; a build made before they were kept is read from its
    corpus, with the same places."""
    from alignment.pipeline import building
    from alignment.store.builds import latest

    ws = Workspace(built_ws, writable=True)
    kept = building._placed(ws)
    corpus = building.load(ws)
    assert kept is not None and len(kept) == len(corpus.elements)
    assert ("HWB-4C", "HWB-4", "hwb-d4") in {p[:3] for p in kept}
    (latest(ws) / building.PLACES_FILE).unlink()
    assert building._placed(ws) == kept
