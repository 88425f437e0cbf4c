"""`make bench`: how long the similarity suggestions take for 10,000 elements against 500 goals
(target: under 10 s on a 2-core machine), with the sentence vectors new and cached. The synthetic
corpus reuses the words of the seed documents, so term statistics are realistic; structure mirrors
the seeds (plans -> priorities -> deliverables; a strategy with domains -> goals with statements and
actions)."""

from __future__ import annotations

import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.links import embedding  # noqa: E402
from alignment.links.linking import similarity  # noqa: E402
from alignment.model import Corpus, Element, ElementType, Plan, Provenance, Statement  # noqa: E402
from alignment.pipeline.building import load_bundled  # noqa: E402


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


def _forget_vectors() -> None:
    """As a new process: vectors come from the cache file, not from memory."""
    embedding._KNOWN.clear()
    embedding._LOADED.clear()


def _run(corpus: Corpus, label: str) -> int:
    texts_before = embedding.STATS["encoded"]
    t = time.perf_counter()
    links = similarity(corpus)
    seconds = time.perf_counter() - t
    encoded = embedding.STATS["encoded"] - texts_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    goals = sum(1 for e in corpus.elements if e.type == ElementType.GOAL)
    cands = sum(1 for e in corpus.elements if e.type == ElementType.DELIVERABLE)
    rate = f", {encoded} texts encoded ({encoded / seconds:.0f}/s)" if encoded else ""
    print(f"{cands:>6} deliverables x {goals:>4} goals, {label:<22} {seconds:7.2f} s, "
          f"{len(links):>6} suggestions{rate}; peak RSS so far {peak:5.0f} MiB")
    return len(links)


def main() -> None:
    """Three runs per size: cold (every text is new to the sentence-vector cache), cached (the
    same corpus again, vectors read from the cache file, as a rebuild does), and edited (1 in 100
    deliverables reworded since the last build). Target for 10,000 x 500: < 10 s."""
    with tempfile.TemporaryDirectory() as cache:
        os.environ["ALIGN_CACHE_DIR"] = cache
        for n_elements, n_goals in [(1_000, 50), (10_000, 500)]:
            corpus = synthetic(n_elements, n_goals)
            _forget_vectors()
            _run(corpus, "cold")
            _forget_vectors()
            _run(corpus, "cached")
            _forget_vectors()
            edited = [e.model_copy(update={"label": e.label + " (revised)"})
                      if e.type == ElementType.DELIVERABLE and i % 100 == 0 else e
                      for i, e in enumerate(corpus.elements)]
            _run(corpus.model_copy(update={"elements": edited}), "1% edited")


if __name__ == "__main__":
    main()
