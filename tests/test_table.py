"""The terminal table drawn without rich (alignment/output/table.py) is rich's table, character
for character, or it is not drawn at all and rich draws it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alignment.output.render import Format, _rich_table, render_rows
from alignment.output.table import _SINGLE, Column, draw


def rich_table(columns: list[Column], rows: list[list[str]], width: int, title: str | None,
               expand: bool) -> list[str]:
    """What rich draws: the fallback that render_rows hands a table it cannot measure."""
    return [line.rstrip() for line in _rich_table(columns, rows, width, title, expand)]


def test_the_characters_it_measures_are_one_cell_wide_for_rich() -> None:
    from rich.cells import cell_len

    assert [c for c in _SINGLE if cell_len(c) != 1] == []


_WORD = st.text(st.sampled_from(list("abcdefghij XYZ  -_.,;'0123456789") + ["’", "–", "…", "é",
                                                                        ":", "[", "\t"]),
                max_size=24)
_TEXT = st.lists(_WORD, max_size=8).map(" ".join)
_COLUMN = st.builds(Column, st.sampled_from(["id", "label", "evidence", "goals served", "x"]),
                    st.sampled_from([None, None, 1, 2, 3]), st.booleans()).map(
    lambda c: c._replace(no_wrap=c.no_wrap and c.ratio is None))


@given(columns=st.lists(_COLUMN, min_size=1, max_size=7), data=st.data(),
       width=st.sampled_from([20, 40, 60, 80, 100, 120, 200]),
       title=st.one_of(st.none(), _TEXT), expand=st.booleans())
def test_a_table_it_draws_is_the_one_rich_draws(columns: list[Column], data: st.DataObject,
                                                width: int, title: str | None,
                                                expand: bool) -> None:
    rows = data.draw(st.lists(st.lists(_TEXT, min_size=len(columns), max_size=len(columns)),
                              min_size=1, max_size=6))
    got = draw(columns, rows, width, title, expand)
    if got is not None:
        assert [line.rstrip() for line in got] == rich_table(columns, rows, width, title, expand)


@pytest.mark.parametrize("width", ["60", "80", "100", "160"])
def test_the_commands_tables_are_drawn_as_rich_draws_them(store, width: str,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from alignment.output import render, table
    from alignment.questions.serving import continuity, gaps, matrix

    drawn = []

    def both(columns, rows, width, title=None, expand=False):  # type: ignore[no-untyped-def]
        got = draw(columns, rows, width, title, expand)
        drawn.append(got is not None and [line.rstrip() for line in got]
                     == rich_table(columns, rows, width, title, expand))
        return got

    monkeypatch.setattr(table, "draw", both)
    monkeypatch.setenv("COLUMNS", width)
    render.render_rows(gaps(store), Format.table, ["gap", "id", "plan", "label", "source"],
                       title="Gaps")
    render.render_rows(continuity(store), Format.table, ["status", "id", "label", "into", "score"])
    render.render_matrix(matrix(store)[1], Format.table, matrix(store)[0])
    assert drawn == [True, True, True]


def test_rich_draws_what_it_alone_can_measure() -> None:
    rows = [{"id": "A-1", "label": "名前のある長いラベル"}, {"id": "A-2", "label": "[bold]x[/bold]"}]
    assert draw([Column("id"), Column("label", 3)], [["A-1", "名前"]], 80) is None
    out = render_rows(rows, Format.table)
    assert "名前のある長いラベル" in out and "[bold]x[/bold]" in out  # text, never markup


def test_a_table_is_printed_without_loading_rich() -> None:
    code = ("import sys; from alignment.output.render import Format, render_rows; "
            "render_rows([{'id': 'A-1', 'label': 'Deliver the IT and digital change project'}],"
            " Format.table); print('rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
