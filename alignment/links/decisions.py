"""Officers' decisions about links (accept, reject, add), kept in the workspace's
decisions.yaml: one entry per decision, in the order made, with who, when and why. They override
the machine on every later build. A withdrawn decision stays in the file, marked with who
withdrew it and when, so the numbers never change and the record stays whole."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator, model_validator

from alignment.errors import InputError
from alignment.model import Corpus, Link, LinkKind, LinkStatus, Provenance
from alignment.sources.yamlio import at, load_yaml, validated, yaml_list

__all__ = ["Decision", "load_decisions", "save_decisions", "apply_decisions", "new_decision",
           "record", "listing", "withdraw", "DECISIONS_FILE"]

DECISIONS_FILE = "decisions.yaml"
ACTIONS = ("accept", "reject", "add")
MAX_WHY = 20_000  # characters of a decision's reason
_HEADER = ("# Officers' decisions about links, in the order made. Each overrides the machine on\n"
           "# every later build. Edit with 'align accept', 'align reject', 'align add-link' and\n"
           "# 'align withdraw', or by hand: every build checks an edit by the same rules as the\n"
           "# commands. A withdrawn decision is kept, marked, and no longer applies.\n")


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    target: str
    decision: str
    by: str
    date: str
    why: str = ""
    withdrawn_by: str | None = None
    withdrawn_on: str | None = None
    _where: str = PrivateAttr(default="")  # "decisions.yaml:LINE" when read from the file
    _number: int = PrivateAttr(default=0)

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None and self.withdrawn_by is None

    @field_validator("why")
    @classmethod
    def _why(cls, value: str) -> str:
        """A reason is a few sentences, or pages: not a whole document pasted in."""
        if any("\ud800" <= c <= "\udfff" for c in value):
            raise ValueError("holds a lone surrogate, half of an escaped character; write the "
                             "character itself")
        if len(value) > MAX_WHY:
            raise ValueError(f"{len(value):,} characters, more than the {MAX_WHY:,} a reason can "
                             f"be; shorten it, or point to the paper that holds it")
        return value

    @field_validator("date", "withdrawn_on", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        """A YAML date (2024-01-01, unquoted) or a string in that form."""
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            raise ValueError(f"'{value}' is a date and time; write the date alone, YYYY-MM-DD")
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None

    @model_validator(mode="after")
    def _withdrawn_whole(self) -> Decision:
        if (self.withdrawn_by is None) != (self.withdrawn_on is None):
            raise ValueError("a withdrawn decision needs both withdrawn_by and withdrawn_on")
        if self.withdrawn_on is not None and self.withdrawn_on < self.date:
            raise ValueError(f"withdrawn on {self.withdrawn_on}, before it was made ({self.date})")
        return self


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
        if known is not None and d.active:
            for key, end in (("source", d.source), ("target", d.target)):
                if end not in known:
                    raise InputError(f"{at(path, entry, key)}: decision {n}: unknown ID '{end}'; "
                                     f"fix it, or withdraw it with 'align withdraw {n}'")
        if corpus is not None and d.active and d.decision == "add":
            try:  # the same rule as 'align add-link', for a decision written by hand
                _check_direction(corpus, d.source, d.target)
            except InputError as exc:
                raise InputError(f"{at(path, entry)}: decision {n}: {exc}; fix it, or withdraw "
                                 f"it with 'align withdraw {n}'") from None
        d._where = where_ = at(path, entry)
        d._number = n
        out.append(d)
        where.append(where_)
    _check_conflicts(path, out, where)
    return out


def save_decisions(path: Path, decisions: list[Decision]) -> None:
    """Write the decisions as the whole file (a new file, or one rewritten on purpose); the
    commands change the file in place with `_append` and `_mark`, keeping its comments."""
    from alignment.files import write_atomic

    body = yaml.safe_dump({"decisions": [d.model_dump(exclude_none=True) for d in decisions]},
                          sort_keys=False,
                          allow_unicode=True, width=100)
    write_atomic(path, _HEADER + body)


def _append(path: Path, d: Decision) -> None:
    """Add a decision at the end of the file, keeping everything a person wrote in it."""
    from alignment.files import write_atomic
    from alignment.sources.yamlio import edit_yaml

    def change(raw: Any) -> None:
        if raw.get("decisions") is None:
            raw["decisions"] = []
        raw["decisions"].append(d.model_dump(exclude_none=True))

    write_atomic(path, edit_yaml(path, change, _HEADER))


def _mark(path: Path, number: int, d: Decision) -> None:
    """Mark decision `number` (from 1) withdrawn, as `d` records, in place."""
    from alignment.files import write_atomic
    from alignment.sources.yamlio import edit_yaml

    def change(raw: Any) -> None:
        entry = raw["decisions"][number - 1]
        entry["withdrawn_by"] = d.withdrawn_by
        entry["withdrawn_on"] = d.withdrawn_on

    write_atomic(path, edit_yaml(path, change, _HEADER))


def _who_when(by: str | None, date: str | None) -> tuple[str, str]:
    """Who decides (default: the user name) and when (YYYY-MM-DD, default: today)."""
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"'{date}' is not a date; write it as YYYY-MM-DD") from None
    return by or getpass.getuser(), date or dt.date.today().isoformat()


def new_decision(source: str, target: str, decision: str, why: str, by: str | None = None,
                 date: str | None = None) -> Decision:
    from pydantic import ValidationError

    who, when = _who_when(by, date)
    try:
        return Decision(source=source, target=target, decision=decision, by=who, date=when,
                        why=why)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"--{err['loc'][0]}: {err['msg'].removeprefix('Value error, ')}") from None


def apply_decisions(corpus: Corpus, links: list[Link],
                    decisions: list[Decision]) -> tuple[list[Link], list[str]]:
    """Accepted links become asserted, rejected ones are kept as rejected, added ones are new
    curated links. A decision about a pair the machine no longer links is kept: an accepted or
    added pair becomes a curated link; a rejected one needs nothing."""
    warnings: list[str] = []
    index = corpus.element_index()
    out = list(links)
    for d in decisions:
        if not d.active:
            continue
        note = f"{d.decision}ed by {d.by} on {d.date}" + (f": {d.why}" if d.why else "")
        matching = [i for i, lk in enumerate(out) if lk.source == d.source and lk.target == d.target]
        if not matching and d.decision != "add":
            here = f"{Path(d._where).name}: decision {d._number}" if d._where else "a decision"
            result = "nothing to reject" if d.decision == "reject" else "kept as a curated link"
            warnings.append(f"{here}: {d.decision} of {d.source} -> {d.target}: no rule links "
                            f"this pair; {result}")
        if d.decision == "reject":
            for i in matching:
                out[i] = out[i].model_copy(update={"status": LinkStatus.REJECTED,
                                                   "evidence": f"{out[i].evidence}; {note}",
                                                   "decision": "reject"})
            continue
        if matching and d.decision == "accept":
            for i in matching:
                out[i] = out[i].model_copy(update={"status": LinkStatus.ASSERTED,
                                                   "evidence": f"{out[i].evidence}; {note}",
                                                   "decision": "accept"})
            continue
        if any(out[i].kind == LinkKind.CURATED for i in matching):
            continue
        src = index.get(d.source)
        prov = src.provenance[0] if src else Provenance(document="decisions", line_start=1,
                                                        line_end=1, text=d.source)
        out.append(Link(id=f"{d.source}.curated.{d.target}", source=d.source, target=d.target,
                        kind=LinkKind.CURATED, status=LinkStatus.ASSERTED, score=1.0, evidence=note,
                        provenance=prov, decision="add"))
    return out, warnings


def _writable(ws) -> Path:  # type: ignore[no-untyped-def]
    if not ws.writable:
        raise InputError("the bundled data is read-only: decisions go to a workspace; create one "
                         "with 'align init DIR' and use it with --workspace or from inside it")
    return ws.path(DECISIONS_FILE)


def record(ws, corpus: Corpus, source: str, target: str, decision: str,  # type: ignore[no-untyped-def]
           why: str, by: str | None, date: str | None = None) -> tuple[Decision, int | None]:
    """Append a decision to the workspace's decisions file (checked as a whole first). The
    same decision made again changes nothing: the earlier one and its number are returned.
    The file is read and written under the workspace's lock, so a decision made at the same
    moment by another command is kept, not overwritten."""
    path = _writable(ws)
    with ws.curated_lock():
        return _record(path, corpus, source, target, decision, why, by, date)


def _record(path: Path, corpus: Corpus, source: str, target: str, decision: str, why: str,
            by: str | None, date: str | None) -> tuple[Decision, int | None]:
    existing = load_decisions(path, corpus)
    linkable = {e.id for e in corpus.elements} | {s.id for s in corpus.strategies}
    for end in (source, target):
        if end not in linkable:
            raise InputError(f"'{end}' is a post or team: links join plan elements and "
                             f"strategies ('align director' shows what a post leads)")
    for n, d in enumerate(existing, 1):
        if d.active and (d.source, d.target, d.decision) == (source, target, decision):
            return d, n
    d = new_decision(source, target, decision, why, by, date)
    updated = [*existing, d]
    _check_conflicts(path, updated)
    if decision == "add":
        _check_direction(corpus, source, target)
        if any(lk.source == source and lk.target == target and lk.status == LinkStatus.ASSERTED
               and lk.kind != LinkKind.REFERENCES for lk in corpus.links):
            raise InputError(f"{source} -> {target} is already an asserted link; nothing to add")
    _append(path, d)
    return d, None


def _check_direction(corpus: Corpus, source: str, target: str) -> None:
    """An added link runs from an element to a goal or strategy it serves (of another plan), or
    from a newer plan's deliverable to the older plan's deliverable it carries on. Anything else
    is refused, with the command that was probably meant."""
    from alignment.links.rules import GOAL_TYPES
    from alignment.model import ElementType

    index = corpus.element_index()
    src, tgt = index.get(source), index.get(target)
    swap = f"did you mean 'align add-link {target} {source}'?"
    if src is None:  # a strategy: it is served, it serves nothing
        hint = swap if tgt is not None and tgt.type not in GOAL_TYPES else \
            "a strategy is what elements serve"
        raise InputError(f"{source} is a strategy: a link runs from the element that serves to "
                         f"what it serves; {hint}")
    if tgt is None:  # to a strategy: always fine
        return
    if src.plan == tgt.plan:
        raise InputError(f"{source} and {target} are both in plan {src.plan}: an added link joins "
                         f"an element to a goal or strategy of another plan, or a deliverable to "
                         f"the one it carries on in an older plan")
    if tgt.type in GOAL_TYPES:
        return
    if src.type in GOAL_TYPES:
        raise InputError(f"{source} is a goal and {target} is not: a link runs from what serves "
                         f"to what it serves; {swap}")
    if src.type != ElementType.DELIVERABLE or tgt.type != ElementType.DELIVERABLE:
        raise InputError(f"{source} -> {target}: an added link ends at a goal or a strategy, or "
                         f"joins two deliverables of successive plans (continuity); "
                         f"{tgt.type.value} {target} is neither")
    if any(lk.kind == LinkKind.CONTINUITY and index.get(lk.source) and index.get(lk.target)
           and index[lk.source].plan == tgt.plan and index[lk.target].plan == src.plan
           for lk in corpus.links):
        raise InputError(f"{src.plan} is the older plan: a continuity link runs from the newer "
                         f"plan's deliverable to the older one's; {swap}")


def _check_conflicts(path: Path, decisions: list[Decision], where: list[str] | None = None) -> None:
    pairs: dict[tuple[str, str], tuple[str, int]] = {}
    for n, d in enumerate(decisions, 1):
        if not d.active:
            continue
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


def listing(ws, withdrawn: bool = True) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """The decisions, numbered as in the file; `withdrawn=False` leaves out withdrawn ones."""
    path = ws.path(DECISIONS_FILE)
    rows = []
    for i, d in enumerate(load_decisions(path), 1):
        if not withdrawn and not d.active:
            continue
        state = "in force" if d.active else "withdrawn"  # who and when: withdrawn_by, _on
        rows.append({"n": i, "id": f"{d.source}->{d.target}", "type": "Decision",
                     "label": f"{d.decision} {d.source} -> {d.target}", **d.model_dump(),
                     "state": state})
    return rows


def withdraw(ws, ref: str, by: str | None = None, date: str | None = None) -> tuple[int, Decision]:  # type: ignore[no-untyped-def]
    """Withdraw the decision numbered `ref` in 'align decisions', or the one in force about the
    link `ref` (its ID, or SOURCE->TARGET). It is kept in the file, marked as withdrawn, so the
    other decisions keep their numbers and withdrawing twice is an error, not another loss."""
    path = _writable(ws)
    with ws.curated_lock():
        return _withdraw(path, ref, by, date)


def _withdraw(path: Path, ref: str, by: str | None, date: str | None) -> tuple[int, Decision]:
    existing = load_decisions(path)
    ref = ref.strip()
    if ref.isascii() and ref.isdigit():
        number = int(ref)
        if not 1 <= number <= len(existing):
            raise InputError(f"{path}: no decision number {number} (there are {len(existing)}); "
                             f"'align decisions' lists them")
        d = existing[number - 1]
        if not d.active:
            raise InputError(f"{path}: decision {number} ({d.decision} {d.source} -> {d.target}) "
                             f"was already withdrawn by {d.withdrawn_by} on {d.withdrawn_on}; "
                             f"nothing changed")
    else:
        source, kind, target = _ends(ref)
        # a curated link is an added one; a machine link's decisions are accepts and rejects
        actions = {"add"} if kind == LinkKind.CURATED else {"accept", "reject"} if kind else set(ACTIONS)
        found = [n for n, d in enumerate(existing, 1) if d.active and d.decision in actions
                 and d.source.lower() == source.lower() and d.target.lower() == target.lower()]
        if not found:
            raise InputError(f"{path}: no decision in force about {ref}; 'align decisions' "
                             f"lists them")
        number = found[-1]
    who, when = _who_when(by, date)
    if when < existing[number - 1].date:
        raise InputError(f"--date {when} is before decision {number} was made "
                         f"({existing[number - 1].date})")
    existing[number - 1] = existing[number - 1].model_copy(
        update={"withdrawn_by": who, "withdrawn_on": when})
    _mark(path, number, existing[number - 1])
    return number, existing[number - 1]


def _ends(ref: str) -> tuple[str, str | None, str]:
    """The two ends of a link named by its ID (SOURCE.kind.TARGET, any case), with its kind, or
    as SOURCE->TARGET (no kind)."""
    from alignment.links.rules import ORDER

    if "->" in ref:
        source, _, target = ref.partition("->")
        return source.strip(), None, target.strip()
    low = ref.lower()
    for kind in ORDER:
        at_ = low.find(f".{kind}.")
        if at_ > 0 and at_ + len(kind) + 2 < len(ref):
            return ref[:at_], kind, ref[at_ + len(kind) + 2:]
    raise InputError(f"'{ref}' is neither a decision number nor a link ID (SOURCE.kind.TARGET, "
                     f"or SOURCE->TARGET); 'align decisions' lists them")
