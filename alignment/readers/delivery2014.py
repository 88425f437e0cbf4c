"""Layout `delivery-plan-table`: tab-separated tables of objective / deliverable / lead team under
numbered priorities, a foundation of strands and deliverables, and a list of programmes.

Faults of the published text that this parser handles, without editing the source:

- rows shifted one column left (deliverable in the objective column, team in the deliverable
  column): recognised because the second cell is a known lead team;
- a deliverable continued after a page break: a one-cell row starting in lower case;
- an HTML list inside a cell: its items become sub-items of the deliverable;
- a cell naming several teams ("Adult Social Care / Housing"): one mention per team.
"""

from __future__ import annotations

import re

from alignment.model import Element, ElementType
from alignment.readers.base import ParseResult, Reader
from alignment.sources.decode import SourceText
from alignment.text import slug

__all__ = ["parse"]

_PRIORITY = re.compile(r"^PRIORITY\s+(\d+)\s*[-\u2013]\s*(.+)$", re.I)
_PROGRAMMES = re.compile(r"transformation programmes:?$", re.I)
_PROGRAMME = re.compile(r"^[-\u2022]\s*(.+?)\s+[-\u2013]\s+(.+?)\s*;?$")
_HTML_LIST = re.compile(r"<ul[^>]*>", re.I)
_LIST_ITEM = re.compile(r"\s+o\s+")
_TAG = re.compile(r"</?[a-z][^>]*>", re.I)


def _cells(raw: str) -> list[str]:
    return [c.strip() for c in raw.split("\t")]


def _known_teams(src: SourceText) -> set[str]:
    """Every name that stands in a lead-team column (the third cell of a full row)."""
    teams: set[str] = set()
    for raw in src.lines:
        cells = _cells(raw)
        if len(cells) >= 3 and cells[1] and cells[2] and cells[2] != "Lead Team":
            teams.update(t.strip() for t in cells[2].split("/"))
    return teams


def _initials(name: str) -> str:
    return "".join(w[0] for w in slug(name).split("-") if w)


def parse(src: SourceText, plan: str) -> ParseResult:
    r = Reader(src, plan)
    teams = _known_teams(src)
    mode = ""
    priority: Element | None = None
    objective: Element | None = None
    foundation: Element | None = None
    strand: Element | None = None
    last: Element | None = None
    prose: list[int] = []

    def deliverable(parent: Element, cell: str, team: str, n: int) -> Element:
        count = sum(1 for e in r.out.elements if e.parent == parent.id) + 1
        label, items = cell, []
        html = _HTML_LIST.search(cell)
        if html:
            label = cell[: html.start()].strip()
            items = [_TAG.sub("", i).strip() for i in _LIST_ITEM.split(cell[html.end():])]
            items = [i for i in items if i]
        el = r.element(f"{parent.id}-D{count}", ElementType.DELIVERABLE, f"D{count}", label,
                       parent.id, n, text=cell)
        for k, item in enumerate(items, 1):
            r.element(f"{el.id}-S{k}", ElementType.SUB_ITEM, f"S{k}", item, el.id, n, text=item)
        for name in (t.strip() for t in team.split("/")):
            if name:
                r.mention(el, name, "Team", n)
        return el

    for n, raw in enumerate(src.lines, 1):
        cells = _cells(raw)
        full = [c for c in cells if c]
        if not full:
            continue
        first = full[0]
        m = _PRIORITY.match(first)
        if m:
            _flush_prose(r, prose)
            code = f"P{m.group(1)}"
            priority = r.element(f"{plan}-{code}", ElementType.PRIORITY, code,
                                 m.group(2).strip(), plan, n, text=first)
            mode, objective, last = "priority", None, None
            continue
        if cells[0] == "Objective" and "Lead Team" in cells:
            continue
        if cells[:2] == ["Foundation", "Strand"]:
            mode, foundation = "foundation", None
            continue
        if _PROGRAMMES.search(first) and len(full) == 1:
            mode = "programmes"
            continue
        if mode == "priority" and priority is not None:
            if cells[0] and len(full) == 3:
                code = f"O{sum(1 for e in r.out.elements if e.parent == priority.id) + 1}"
                objective = r.element(f"{priority.id}-{code}", ElementType.OBJECTIVE, code,
                                      cells[0], priority.id, n, text=cells[0])
                last = deliverable(objective, cells[1], cells[2], n)
            elif not cells[0] and len(full) == 2 and objective is not None:
                last = deliverable(objective, full[0], full[1], n)
            elif len(full) == 2 and full[1] in teams and objective is not None:
                r.warn(n, f"row shifted one column left; read as a deliverable of {objective.id} "
                          f"led by {full[1]}")
                last = deliverable(objective, full[0], full[1], n)
            elif len(full) == 1 and first[:1].islower() and last is not None:
                r.extend(last, n, first)
            elif len(full) == 1 and first.startswith("*"):
                r.state(priority, "note", n, first.strip("* "))
            elif len(full) == 1:
                prose.append(n)
            else:
                r.warn(n, f"row not recognised under {priority.id}; skipped: {first[:60]!r}")
        elif mode == "foundation" and len(cells) >= 3:
            if cells[0]:
                code = _initials(cells[0])
                foundation = r.element(f"{plan}-{code}", ElementType.FOUNDATION, code, cells[0],
                                       plan, n, text=cells[0])
                for p in prose:
                    r.state(foundation, "intro", p)
                prose.clear()
            if foundation is None:
                r.warn(n, "strand row before any foundation; skipped")
                continue
            if len(cells) > 1 and cells[1]:
                code = slug(cells[1]).split("-")[0]
                strand = r.element(f"{foundation.id}-{code}", ElementType.STRAND, code, cells[1],
                                   foundation.id, n, text=cells[1])
            if strand is not None:
                last = deliverable(strand, full[-1], "", n)
        elif mode == "programmes":
            pm = _PROGRAMME.match(first)
            if pm and foundation is not None:
                k = sum(1 for e in r.out.elements if e.type == ElementType.PROGRAMME) + 1
                prog = r.element(f"{plan}-TP{k}", ElementType.PROGRAMME, f"TP{k}",
                                 pm.group(1).strip(), foundation.id, n, text=pm.group(1).strip())
                r.state(prog, "purpose", n, pm.group(2).strip())
            else:
                r.warn(n, f"line not recognised as a programme; skipped: {first[:60]!r}")
    _flush_prose(r, prose)
    return r.out


def _flush_prose(r: Reader, prose: list[int]) -> None:
    for n in prose:
        r.warn(n, f"text outside any table skipped: {r.src.line(n).strip()[:60]!r}")
    prose.clear()
