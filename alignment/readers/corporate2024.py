"""Layout `corporate-plan-2024`: outcomes -> strategic objectives, priorities A-F -> numbered
deliverables, with responsible directors.

One grammar reads both published shapes: the full document ("Responsible Directors:" before the
deliverables, "N<TAB>text" numbering, "-" bullets) and the web pages ("Directors responsible:" after
them, "N. text" numbering, "•" bullets).
"""

from __future__ import annotations

import re

from alignment.model import Element, ElementType
from alignment.readers.base import BULLET, ParseResult, Reader
from alignment.sources.decode import SourceText
from alignment.text import slug

__all__ = ["parse"]

_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    ("policy", re.compile(r"^Our policy outcome$", re.I)),
    ("objectives", re.compile(r"^Our strategic objectives$", re.I)),
    ("benefits", re.compile(r"^What this will do for .+ is:?$", re.I)),
    ("priorities", re.compile(r"^Our priorities for .*$", re.I)),
    ("capabilities", re.compile(r"^What we will need to do well is:?$", re.I)),
    ("directors", re.compile(r"^(Responsible Directors|Directors responsible):?$", re.I)),
    ("deliver", re.compile(r"^(Number\s+)?What we will deliver$", re.I)),
]
_END = re.compile(r"^(Delivering our Plan|Corporate Plan pages)$", re.I)
_PRIORITY = re.compile(r"^([A-Z])\.\s+(\S.+)$")
_NUMBERED = re.compile(r"^(\d{1,3})(?:\.\s+|\t\s*|\s+(?=[A-Z]))(\S.*)$")
_ARTICLES = {"AN", "A", "THE", "OUR"}


def outcome_code(heading: str) -> str:
    """"An Enabling Council" -> "ENABLING": the first word that is not an article."""
    words = [w for w in slug(heading).split("-") if w not in _ARTICLES]
    return words[0] if words else slug(heading)


def parse(src: SourceText, plan: str) -> ParseResult:
    r = Reader(src, plan)
    lines = [ln.strip() for ln in src.lines]
    nonblank = [i for i, ln in enumerate(lines) if ln]
    next_nonblank = {a: b for a, b in zip(nonblank, nonblank[1:], strict=False)}

    outcome: Element | None = None
    priority: Element | None = None
    last: Element | None = None
    section = ""
    expected = 1
    for idx in nonblank:
        text, n = lines[idx], idx + 1
        nxt = next_nonblank.get(idx)
        if nxt is not None and re.match(r"^Our policy outcome$", lines[nxt], re.I):
            code = outcome_code(text)
            outcome = r.element(f"{plan}-{code}", ElementType.OUTCOME, code, text, plan, n)
            priority, last, section, expected = None, None, "", 1
            continue
        if outcome is None:
            continue
        if _END.match(text):
            outcome = None
            continue
        header = next((name for name, rx in _HEADERS if rx.match(text)), None)
        if header:
            section = header
            continue
        m_pri = _PRIORITY.match(text)
        if section in {"priorities", "capabilities", "directors", "deliver"} and m_pri:
            code = m_pri.group(1)
            priority = r.element(f"{outcome.id}-{code}", ElementType.PRIORITY, code,
                                 m_pri.group(2).strip(), outcome.id, n)
            last, section = None, "priority"
            continue
        bullet = BULLET.match(text)
        numbered = _NUMBERED.match(text)
        if section == "policy":
            r.state(outcome, "policy_outcome", n)
        elif section == "objectives" and numbered:
            code = numbered.group(1)
            r.element(f"{outcome.id}-SO{code}", ElementType.STRATEGIC_OBJECTIVE, f"SO{code}",
                      numbered.group(2).strip(), outcome.id, n)
        elif section == "objectives":
            r.state(outcome, "objectives_lead", n)
        elif section == "benefits" and bullet:
            r.state(outcome, "benefit", n, bullet.group(1))
        elif section == "capabilities" and bullet and priority is not None:
            r.state(priority, "capability", n, bullet.group(1))
        elif section == "directors" and bullet and priority is not None:
            r.mention(priority, bullet.group(1), "Post", n)
        elif section == "deliver" and numbered and priority is not None:
            number = int(numbered.group(1))
            twin = r.get(f"{outcome.id}-{number}")
            if twin is not None:
                r.warn(n, f"deliverable number {number} is used twice under {outcome.id} (first "
                          f"on line {twin.provenance[0].line_start}); this one is skipped: "
                          f"{numbered.group(2).strip()[:60]!r}; check the document's numbering")
                last = None
                continue
            if number != expected:
                r.warn(n, f"deliverable numbered {number} where {expected} was expected "
                          f"under {outcome.id}")
            expected = number + 1
            last = r.element(f"{outcome.id}-{number}", ElementType.DELIVERABLE, str(number),
                             numbered.group(2).strip(), priority.id, n)
        elif section == "deliver" and last is not None and text[:1].islower():
            r.extend(last, n, text)
        else:
            r.warn(n, f"line not recognised in section '{section or 'none'}' of {outcome.id}; "
                      f"skipped: {text[:60]!r}")
    for pri in (e for e in r.out.elements if e.type == ElementType.PRIORITY):
        if not any(m.element == pri.id for m in r.out.mentions):
            r.warn(pri.provenance[0].line_start, f"priority {pri.id} names no responsible director")
    return r.out
