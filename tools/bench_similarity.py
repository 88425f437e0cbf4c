"""`make bench`: how long the similarity suggestions take for 10,000 elements against 500 goals
(target: under 10 s on a 2-core machine). The synthetic corpus reuses the words of the seed
documents, so term statistics are realistic; structure mirrors the seeds (plans -> priorities ->
deliverables; a strategy with domains -> goals with statements and actions)."""

from __future__ import annotations

import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.api import load_bundled  # noqa: E402
from alignment.linking import similarity  # noqa: E402
from alignment.model import Corpus, Element, ElementType, Plan, Provenance, Statement  # noqa: E402


def synthetic(n_elements: int, n_goals: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    seeds = load_bundled(decisions=False)
    sentences = [e.label for e in seeds.elements if len(e.label.split()) > 6]
    words = re.findall(r"[A-Za-z]+", " ".join(sentences))

    def text(k: int) -> str:
        base = rng.choice(sentences).split()
        extra = [rng.choice(words) for _ in range(k)]
        return " ".join(base[: rng.randint(6, len(base))] + extra)

    def prov(i: int) -> Provenance:
        return Provenance(document="synthetic", line_start=i + 1, line_end=i + 1, text="x")

    els: list[Element] = [
        Element(id="SYN", type=ElementType.PLAN, plan="SYN", code="SYN", label="Synthetic plan",
                provenance=[prov(0)]),
        Element(id="STR", type=ElementType.PLAN, plan="STR", code="STR", label="Strategy",
                provenance=[prov(0)]),
    ]
    n = 1
    for d in range(max(1, n_goals // 10)):
        dom = f"STR-{d}"
        els.append(Element(id=dom, type=ElementType.DOMAIN, plan="STR", code=str(d),
                           label=text(3), parent="STR", provenance=[prov(n)]))
        for g in range(10):
            gid = f"{dom}G{g}"
            stmts = [Statement(kind=k, text=text(5), provenance=prov(n))
                     for k in ("achieve", "challenge", "challenge", "approach")]
            els.append(Element(id=gid, type=ElementType.GOAL, plan="STR", code=f"{d}G{g}",
                               label=text(4), parent=dom, statements=stmts, provenance=[prov(n)]))
            for a in range(6):
                els.append(Element(id=f"{gid}-A{a}", type=ElementType.ACTION, plan="STR",
                                   code=f"A{a}", label=text(3), parent=gid, provenance=[prov(n)]))
            n += 1
    per_priority = 20
    for p in range(n_elements // per_priority):
        pid = f"SYN-P{p}"
        els.append(Element(id=pid, type=ElementType.PRIORITY, plan="SYN", code=f"P{p}",
                           label=text(4), parent="SYN", provenance=[prov(n)]))
        for k in range(per_priority):
            els.append(Element(id=f"{pid}-{k}", type=ElementType.DELIVERABLE, plan="SYN",
                               code=str(k), label=text(8), parent=pid, provenance=[prov(n)]))
            n += 1
    plans = [Plan(id="SYN", title="Synthetic", kind="plan", period="2026"),
             Plan(id="STR", title="Strategy", kind="strategy", period="2026", strategy=None)]
    return Corpus(plans=plans, documents=[], elements=els, agents=[], strategies=[], links=[])


def main() -> None:
    for n_elements, n_goals in [(1_000, 50), (10_000, 500)]:
        corpus = synthetic(n_elements, n_goals)
        t = time.perf_counter()
        links = similarity(corpus)
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        goals = sum(1 for e in corpus.elements if e.type == ElementType.GOAL)
        cands = sum(1 for e in corpus.elements if e.type == ElementType.DELIVERABLE)
        print(f"{cands:>6} deliverables x {goals:>4} goals: {seconds:6.2f} s, "
              f"{len(links):>6} suggestions; process peak RSS so far {peak:6.0f} MiB "
              f"(target for 10,000 x 500: < 10 s)")


if __name__ == "__main__":
    main()
