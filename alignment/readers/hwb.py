"""Layout `hwb-domain`: a Health and Wellbeing Strategy domain -> goals (4A-4D) with what they
want to achieve, key challenges, how they will be achieved (text and action bullets), and a
closing table of year-one deliverables per goal.

The year-one table lost its cell breaks in the published text: a goal's heading can run on into
its items. The heading is recognised by the goal's own title (read earlier in the document) and
split off by rule; items that run together are split by recorded corrections.
"""

from __future__ import annotations

import re

from alignment.model import Element, ElementType, Variant
from alignment.readers.base import BULLET, ParseResult, Reader
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText
from alignment.text import normalise

__all__ = ["parse"]

_DOMAIN_TITLE = re.compile(r"^Domain (\d+),\s*(.+?)\.?$")
_DOMAIN_AIMS = re.compile(r"^Domain (\d+)\.\s*Aims and ambitions$", re.I)
_PAGE_HEADER = re.compile(r"^Domain \d+ [A-Z]")
_GOAL_HEADING = re.compile(r"^Goal (\d+)([A-Z])\.\s*(.+)$")
_GOAL_LINE = re.compile(r"^(\d+)([A-Z])\s*(?=[A-Z])(.+)$")
_YEAR_ONE = re.compile(r"^Domain \d+, .*Key deliverables", re.I)
_SECTIONS = [
    ("achieve", re.compile(r"^What we want to achieve$", re.I)),
    ("challenges", re.compile(r"^Some key challenges$", re.I)),
    ("approach", re.compile(r"^How we will achieve this goal$", re.I)),
    ("levelling", re.compile(r"^How this Domain levels the playing field$", re.I)),
    ("goals", re.compile(r"^(Four|\w+) domain goals$", re.I)),
]


def parse(src: SourceText, plan: str, corrections: Corrections) -> ParseResult:
    r = Reader(src, plan)
    domain: Element | None = None
    domain_title = ""
    goal: Element | None = None
    titles: dict[str, list[str]] = {}  # goal ID -> titles seen
    headed: set[str] = set()  # goals whose "Goal 4A." heading was read
    section = ""
    for n, raw in enumerate(src.lines, 1):
        text = raw.strip()
        if not text:
            continue
        m = _DOMAIN_TITLE.match(text)
        if m and not _YEAR_ONE.match(text):
            domain_title = domain_title or m.group(2).strip()
            continue
        m = _DOMAIN_AIMS.match(text)
        if m:
            code = m.group(1)
            domain = r.element(f"{plan}-{code}", ElementType.DOMAIN, code,
                               domain_title or f"Domain {code}", plan, n)
            section = "aims"
            continue
        if domain is None or _PAGE_HEADER.match(text):
            continue
        if _YEAR_ONE.match(text):
            section, goal = "year_one", None
            continue
        m = _GOAL_HEADING.match(text)
        if m:
            code = m.group(1) + m.group(2)
            gid = f"{plan}-{code}"
            title = m.group(3).strip()
            first_heading = gid not in headed
            goal = r.element(gid, ElementType.GOAL, code, title, domain.id, n)
            if first_heading and normalise(goal.label) != normalise(title):
                # the section heading is the goal's title; the list's wording is a variant
                goal.variants.append(Variant(document=r.doc, field="label", text=goal.label))
                goal.label = title
            headed.add(gid)
            titles.setdefault(gid, []).append(title)
            section = "goal"
            continue
        header = next((name for name, rx in _SECTIONS if rx.match(text)), None)
        if header:
            section = header
            continue
        bullet = BULLET.match(text)
        if section == "goals":
            g = _GOAL_LINE.match(text)
            if g:
                code = g.group(1) + g.group(2)
                gid = f"{plan}-{code}"
                title = g.group(3).strip()
                r.element(gid, ElementType.GOAL, code, title, domain.id, n)
                titles.setdefault(gid, []).append(title)
            else:
                r.warn(n, f"line not recognised in the list of goals; skipped: {text[:60]!r}")
        elif section == "year_one":
            goal = _year_one_line(r, corrections, titles, goal, text, n)
        elif section == "aims":
            r.state(domain, "aim", n)
        elif section == "achieve":
            r.state(goal or domain, "achieve", n)
        elif section == "levelling":
            r.state(domain, "levelling", n, bullet.group(1) if bullet else text)
        elif section == "challenges" and goal is not None:
            r.state(goal, "challenge", n)
        elif section == "approach" and goal is not None and bullet:
            k = sum(1 for e in r.out.elements if e.parent == goal.id
                    and e.type == ElementType.ACTION) + 1
            r.element(f"{goal.id}-A{k}", ElementType.ACTION, f"A{k}", bullet.group(1).strip(),
                      goal.id, n, text=bullet.group(1).strip())
        elif section == "approach" and goal is not None:
            r.state(goal, "approach", n)
        else:
            r.warn(n, f"line not recognised in section '{section or 'none'}'; skipped: "
                      f"{text[:60]!r}")
    return r.out


def _year_one_line(r: Reader, corrections: Corrections, titles: dict[str, list[str]],
                   goal: Element | None, text: str, n: int) -> Element | None:
    g = _GOAL_LINE.match(text)
    if g and r.get(f"{r.plan}-{g.group(1)}{g.group(2)}") is not None:
        gid = f"{r.plan}-{g.group(1)}{g.group(2)}"
        rest = g.group(3).strip()
        known = sorted(titles.get(gid, []), key=len, reverse=True)
        title = next((t for t in known if normalise(rest).startswith(normalise(t))), None)
        if title is None:
            r.warn(n, f"goal line for {gid} does not repeat the goal's title; read as heading")
            rest = ""
        else:
            rest = rest[len(title):].strip()
        goal = r.get(gid)
        assert goal is not None
        goal.provenance.append(r.prov(n, text[: len(text) - len(rest)].strip()))
        if not rest:
            return goal
        text = rest
    if goal is None:
        return goal  # page furniture before the first goal of the table
    for item in corrections.split(r.doc, n, text):
        k = sum(1 for e in r.out.elements if e.parent == goal.id
                and e.type == ElementType.MILESTONE) + 1
        r.element(f"{goal.id}-M{k}", ElementType.MILESTONE, f"M{k}", item, goal.id, n, text=item)
    return goal
