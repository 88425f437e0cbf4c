"""Officers' decisions about links (accept, reject, add), kept in the workspace's
decisions.yaml: one entry per decision, in the order made, with who, when and why. They override
the machine on every later build."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator

from .errors import InputError
from .model import Corpus, Link, Provenance
from .workspace import at, load_yaml, validated, yaml_list

__all__ = ["Decision", "load_decisions", "save_decisions", "apply_decisions", "new_decision",
           "record", "listing", "withdraw", "DECISIONS_FILE"]

DECISIONS_FILE = "decisions.yaml"
ACTIONS = ("accept", "reject", "add")
_HEADER = ("# Officers' decisions about links, in the order made. Each overrides the machine on\n"
           "# every later build. Edit with 'align accept', 'align reject', 'align add-link' and\n"
           "# 'align withdraw', or by hand.\n")


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    target: str
    decision: str
    by: str
    date: str
    why: str = ""
    _where: str = PrivateAttr(default="")  # "decisions.yaml:LINE" when read from the file
    _number: int = PrivateAttr(default=0)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> str:
        """A YAML date (2024-01-01, unquoted) or a string in that form."""
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def load_decisions(path: Path, corpus: Corpus | None = None) -> list[Decision]:
    """The decisions of a workspace, checked as a whole: an error names the file, the line and
    the decision's number, and nothing is applied."""
    raw = load_yaml(path)
    out = []
    where: list[str] = []
    known = None
    if corpus is not None:
        known = {e.id for e in corpus.elements} | {s.id for s in corpus.strategies}
    # numbered from 1, as 'align decisions' and 'align withdraw' number them
    for n, entry in enumerate(yaml_list(raw, "decisions", path), 1):
        d = validated(Decision, entry, path, f"decision {n}")
        if d.decision not in ACTIONS:
            raise InputError(f"{at(path, entry, 'decision')}: decision {n}: unknown decision "
                             f"'{d.decision}' (use one of {', '.join(ACTIONS)})")
        if known is not None:
            for key, end in (("source", d.source), ("target", d.target)):
                if end not in known:
                    raise InputError(f"{at(path, entry, key)}: decision {n}: unknown ID '{end}'; "
                                     f"fix it, or withdraw it with 'align withdraw {n}'")
        d._where = where_ = at(path, entry)
        d._number = n
        out.append(d)
        where.append(where_)
    _check_conflicts(path, out, where)
    return out


def save_decisions(path: Path, decisions: list[Decision]) -> None:
    from .store import write_atomic

    body = yaml.safe_dump({"decisions": [d.model_dump() for d in decisions]}, sort_keys=False,
                          allow_unicode=True, width=100)
    write_atomic(path, _HEADER + body)


def new_decision(source: str, target: str, decision: str, why: str, by: str | None = None,
                 date: str | None = None) -> Decision:
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"'{date}' is not a date; write it as YYYY-MM-DD") from None
    return Decision(source=source, target=target, decision=decision,
                    by=by or getpass.getuser(), date=date or dt.date.today().isoformat(), why=why)


def apply_decisions(corpus: Corpus, links: list[Link],
                    decisions: list[Decision]) -> tuple[list[Link], list[str]]:
    """Accepted links become asserted, rejected ones are kept as rejected, added ones are new
    curated links. A decision about a pair the machine no longer links is kept: an accepted or
    added pair becomes a curated link; a rejected one needs nothing."""
    warnings: list[str] = []
    index = corpus.element_index()
    out = list(links)
    for d in decisions:
        note = f"{d.decision}ed by {d.by} on {d.date}" + (f": {d.why}" if d.why else "")
        matching = [i for i, lk in enumerate(out) if lk.source == d.source and lk.target == d.target]
        if not matching and d.decision != "add":
            here = f"{Path(d._where).name}: decision {d._number}" if d._where else "a decision"
            result = "nothing to reject" if d.decision == "reject" else "kept as a curated link"
            warnings.append(f"{here}: {d.decision} of {d.source} -> {d.target}: no rule links "
                            f"this pair; {result}")
        if d.decision == "reject":
            for i in matching:
                out[i] = out[i].model_copy(update={"status": "rejected",
                                                   "evidence": f"{out[i].evidence}; {note}"})
            continue
        if matching and d.decision == "accept":
            for i in matching:
                out[i] = out[i].model_copy(update={"status": "asserted",
                                                   "evidence": f"{out[i].evidence}; {note}"})
            continue
        if any(out[i].kind == "curated" for i in matching):
            continue
        src = index.get(d.source)
        prov = src.provenance[0] if src else Provenance(document="decisions", line_start=1,
                                                        line_end=1, text=d.source)
        out.append(Link(id=f"{d.source}.curated.{d.target}", source=d.source, target=d.target,
                        kind="curated", status="asserted", score=1.0, evidence=note,
                        provenance=prov))
    return out, warnings


def _writable(ws) -> Path:  # type: ignore[no-untyped-def]
    if not ws.writable:
        raise InputError("the bundled data is read-only: decisions go to a workspace; create one "
                         "with 'align init DIR' and use it with --workspace or from inside it")
    return ws.path(DECISIONS_FILE)


def record(ws, corpus: Corpus, source: str, target: str, decision: str,  # type: ignore[no-untyped-def]
           why: str, by: str | None, date: str | None = None) -> Decision:
    """Append a decision to the workspace's decisions file (checked as a whole first)."""
    path = _writable(ws)
    existing = load_decisions(path, corpus)
    linkable = {e.id for e in corpus.elements} | {s.id for s in corpus.strategies}
    for end in (source, target):
        if end not in linkable:
            raise InputError(f"'{end}' is a post or team: links join plan elements and "
                             f"strategies ('align director' shows what a post leads)")
    if decision == "add" and any(lk.source == source and lk.target == target
                                 and lk.status == "asserted" and lk.kind != "references"
                                 for lk in corpus.links):
        raise InputError(f"{source} -> {target} is already an asserted link; nothing to add")
    d = new_decision(source, target, decision, why, by, date)
    updated = [*existing, d]
    _check_conflicts(path, updated)
    save_decisions(path, updated)
    return d


def _check_conflicts(path: Path, decisions: list[Decision], where: list[str] | None = None) -> None:
    pairs: dict[tuple[str, str], tuple[str, int]] = {}
    for n, d in enumerate(decisions, 1):
        here = where[n - 1] if where and n <= len(where) else str(path)
        prior, first = pairs.get((d.source, d.target), (None, 0))
        if prior and prior != d.decision and "reject" in {prior, d.decision}:
            raise InputError(f"{here}: decision {n}: {d.decision} of {d.source} -> {d.target} "
                             f"conflicts with an earlier {prior} (decision {first}); withdraw one of them "
                             f"('align decisions' numbers them)")
        if prior == d.decision:
            raise InputError(f"{here}: decision {n}: {d.decision} of {d.source} -> {d.target} "
                             f"is already recorded (decision {first})")
        if d.source == d.target:
            raise InputError(f"{here}: decision {n}: a link from {d.source} to itself")
        pairs[(d.source, d.target)] = (d.decision, n)


def listing(ws) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    path = ws.path(DECISIONS_FILE)
    return [{"n": i, "id": f"{d.source}->{d.target}", "type": "Decision",
             "label": f"{d.decision} {d.source} -> {d.target}", **d.model_dump()}
            for i, d in enumerate(load_decisions(path), 1)]


def withdraw(ws, number: int) -> Decision:  # type: ignore[no-untyped-def]
    path = _writable(ws)
    existing = load_decisions(path)
    if not 1 <= number <= len(existing):
        raise InputError(f"{path}: no decision number {number} (there are {len(existing)}); "
                         f"'align decisions' lists them")
    gone = existing.pop(number - 1)
    save_decisions(path, existing)
    return gone
