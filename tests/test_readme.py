"""The documentation's tours show the real output of each command, and document every command.

Collecting these tests is cheap: the console blocks are only parsed here. Each file's tour runs
once, in a session fixture, when the first test that needs its output asks for it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import readme_tour  # noqa: E402

ROOT = readme_tour.ROOT
TEXTS = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
         for path in readme_tour.FILES}
README = TEXTS["README.md"]
BLOCKS = [(name, i, command, shown)
          for name, text in TEXTS.items()
          for i, (command, shown) in enumerate(readme_tour.blocks(text))]


@pytest.fixture(scope="session")
def tour_output():  # type: ignore[no-untyped-def]
    """file name -> {block index: actual output}; each file's tour runs once, when first asked."""
    runs: dict[str, dict[int, str]] = {}

    def output(name: str) -> dict[int, str]:
        if name not in runs:
            runs[name] = {i: actual for i, (_, _, actual)
                          in enumerate(readme_tour.tour(TEXTS[name]))}
        return runs[name]

    return output


@pytest.mark.parametrize("name", list(TEXTS))
def test_tour_has_commands(name: str) -> None:
    text = TEXTS[name]
    shown = readme_tour.blocks(text)
    assert len(shown) == len(re.findall(r"^\$ align ", text, re.M)) >= 10
    assert shown[0][0].startswith("align init "), f"{name}: its tour must start with 'align init'"


@pytest.mark.parametrize(("name", "index", "command", "shown"),
                         [pytest.param(*b, id=f"{b[0]}:{b[1]}:{b[2]}") for b in BLOCKS])
def test_output_is_real(tour_output, name: str, index: int, command: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    actual = tour_output(name)[index]
    assert shown == actual, (f"{name}: output of '{command}' is stale: "
                             "python tools/readme_tour.py --update")


def test_every_command_is_documented() -> None:
    commands = readme_tour.cli_app().commands
    assert len(commands) >= 27
    for name, c in commands.items():
        assert any(f"`align {name}" in text for text in TEXTS.values()), name
        assert c.help, f"{name} has no help text"


def test_quick_start_is_make_demo_and_make_test() -> None:
    quick = README.split("## Quick start", 1)[1].split("```")[1]
    assert quick.strip().splitlines() == ["make demo", "make test"]


def test_readme_is_short() -> None:
    assert len(README.splitlines()) <= 320, "README.md is the five-minute read: move detail to docs/"


LINK = re.compile(r"\]\(([^)\s]+)\)")
#: written separately; until it exists, links to it are the one target allowed to be missing
PENDING = {"docs/architecture.md"}


def anchors(text: str) -> set[str]:
    """The anchors a Markdown renderer such as GitHub's gives the headings of a text."""
    out: set[str] = set()
    code = False
    for line in text.splitlines():
        if line.startswith("```"):
            code = not code
        elif not code and (m := re.match(r"#{1,6} (.+)", line)):
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            n, candidate = 0, slug
            while candidate in out:
                n += 1
                candidate = f"{slug}-{n}"
            out.add(candidate)
    return out


def relative_links() -> list[tuple[str, str]]:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [(path.relative_to(ROOT).as_posix(), target)
            for path in docs
            for target in LINK.findall(re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"),
                                              flags=re.S))
            if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize(("name", "target"), relative_links())
def test_relative_link_resolves(name: str, target: str) -> None:
    file, _, anchor = target.partition("#")
    path = (ROOT / name).parent / file if file else ROOT / name
    rel = path.resolve().relative_to(ROOT).as_posix()
    if rel in PENDING and not path.exists():
        pytest.skip(f"{rel} is not written yet")
    assert path.exists(), f"{name}: link to {target}: no such file"
    if anchor and path.suffix == ".md":
        assert anchor in anchors(path.read_text(encoding="utf-8")), \
            f"{name}: link to {target}: no such heading"


def test_the_vocabulary_page_is_current(store) -> None:  # type: ignore[no-untyped-def]
    """docs/vocabulary.md is what tools/vocabulary.py writes from the ontology and the bundled
    build: every class and property, with real counts."""
    import vocabulary

    assert (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8") == \
        vocabulary.generate(store), "docs/vocabulary.md is stale: python tools/vocabulary.py"
