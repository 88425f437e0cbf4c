"""`make eval`: precision, recall and F1 of the engine's links against the human judgments in
data/eval/ (which 2014-15 deliverables serve HWB goals 4A-4D).

The machine is measured, not the officers: curated decisions are left out. A pair the engine
links is a true positive when its grade is 1 or 2. The similarity weights and threshold are chosen
by leave-one-priority-out cross-validation (each priority's deliverables, and the foundation's,
are held out in turn; parameters are chosen on the rest), so the headline figures are never
in-sample alone.
"""

from __future__ import annotations

import csv
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.api import load_bundled  # noqa: E402
from alignment.linking import similarity_features  # noqa: E402
from alignment.similarity import PARAMS, Params, combine  # noqa: E402

JUDGMENTS = ROOT / "data" / "eval" / "cp14_hwb4_judgments.tsv"
GOALS = ["4A", "4B", "4C", "4D"]
GRID_PARENT = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0]
GRID_GRAND = [0.0, 0.2, 0.4, 0.6]
GRID_THRESHOLD = [round(t, 3) for t in np.arange(0.30, 0.70, 0.005)]


@dataclass
class Data:
    ids: list[str]
    groups: list[str]
    truth: np.ndarray  # bool, deliverables x goals
    grade: np.ndarray  # 0/1/2
    asserted: np.ndarray  # bool: a non-similarity machine link exists
    sims: np.ndarray  # 3 x deliverables x goals
    present: np.ndarray  # 3 x deliverables: which levels have text


def load() -> Data:
    corpus = load_bundled(decisions=False)
    with JUDGMENTS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    feats = similarity_features(corpus)
    assert feats is not None
    row_of = {e.id: i for i, e in enumerate(feats.candidates)}
    col_of = {g.code: j for j, g in enumerate(feats.goals)}
    ids = [r["id"] for r in rows]
    grade = np.array([[int(r[g]) for g in GOALS] for r in rows])
    rows_ = [row_of[i] for i in ids]
    sims = np.stack([feats.sims[:, r, [col_of[g] for g in GOALS]] for r in rows_], axis=1)
    present = feats.present[:, rows_]
    asserted = np.zeros_like(grade, dtype=bool)
    for lk in corpus.links:
        if lk.kind in {"references", "similarity", "curated"} or lk.source not in ids:
            continue
        code = lk.target.removeprefix("HWB-")
        if code in GOALS:
            asserted[ids.index(lk.source), GOALS.index(code)] = True
    groups = [i.split("-")[1] for i in ids]  # P1..P5, WRO
    return Data(ids, groups, grade > 0, grade, asserted, sims, present)


def engine_predictions(d: Data) -> np.ndarray:
    """The pairs the built engine links (asserted, or suggested at or above the default
    threshold), machine links only."""
    from alignment.serving import serving

    corpus = load_bundled(decisions=False)
    pred = np.zeros_like(d.truth)
    rows = {i: k for k, i in enumerate(d.ids)}
    for lk in serving(corpus):
        code = lk.target.removeprefix("HWB-")
        if lk.source in rows and code in GOALS and lk.kind != "curated":
            pred[rows[lk.source], GOALS.index(code)] = True
    return pred


def predict(d: Data, p: Params, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    score = combine(d.sims[:, rows], d.present[:, rows], p)
    return d.asserted[rows] | (score >= p.threshold)


def prf(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int((pred & truth).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(truth.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fit(d: Data, rows: np.ndarray) -> Params:
    best = (-1.0, PARAMS)
    for pw, gw, t in itertools.product(GRID_PARENT, GRID_GRAND, GRID_THRESHOLD):
        p = PARAMS._replace(parent_weight=pw, grandparent_weight=gw, threshold=t)
        f = prf(predict(d, p, rows), d.truth[rows])[2]
        if f > best[0]:
            best = (f, p)
    return best[1]


def cross_validate(d: Data) -> tuple[np.ndarray, list[tuple[str, Params]]]:
    pred = np.zeros_like(d.truth)
    chosen = []
    groups = np.array(d.groups)
    for g in sorted(set(d.groups)):
        test = groups == g
        p = fit(d, ~test)
        pred[test] = predict(d, p, test)
        chosen.append((g, p))
    return pred, chosen


def report(title: str, pred: np.ndarray, d: Data) -> None:
    print(f"\n{title}")
    print(f"  {'goal':<8}{'precision':>10}{'recall':>8}{'F1':>7}{'grade-2 recall':>16}{'links':>7}")
    for j, g in enumerate([*GOALS, "overall"]):
        cols = slice(None) if g == "overall" else slice(j, j + 1)
        p, r, f = prf(pred[:, cols], d.truth[:, cols])
        two = d.grade[:, cols] == 2
        r2 = int((pred[:, cols] & two).sum()) / max(int(two.sum()), 1)
        print(f"  {g:<8}{p:>10.2f}{r:>8.2f}{f:>7.2f}{r2:>16.2f}{int(pred[:, cols].sum()):>7}")
    p, r, f = prf(pred, d.grade == 2)
    print(f"  {'grade 2 alone (only direct links count as true)':<48} precision {p:.2f}, recall "
          f"{r:.2f}, F1 {f:.2f}")


def main() -> None:
    d = load()
    n = d.truth.size
    print(f"judged pairs: {n} ({len(d.ids)} deliverables x {len(GOALS)} goals), "
          f"{int(d.truth.sum())} positive; explicit/inherited machine links on them: "
          f"{int(d.asserted.sum())}")
    report(f"At the shipped defaults (parent {PARAMS.parent_weight}, grandparent "
           f"{PARAMS.grandparent_weight}, threshold {PARAMS.threshold}) — in-sample",
           predict(d, PARAMS), d)
    pred, chosen = cross_validate(d)
    report("Leave-one-priority-out cross-validation (parameters fitted without the held-out "
           "priority)", pred, d)
    print("\n  parameters chosen per held-out group:")
    for g, p in chosen:
        print(f"    {g:<4} parent {p.parent_weight:.2f}  grandparent {p.grandparent_weight:.2f}  "
              f"threshold {p.threshold:.2f}")
    print("\nAcross thresholds (shipped weights, all pairs):")
    print(f"  {'threshold':>9}{'precision':>10}{'recall':>8}{'F1':>7}")
    for t in [0.35, 0.40, 0.43, 0.45, 0.47, 0.49, 0.495, 0.51, 0.55, 0.60]:
        p, r, f = prf(predict(d, PARAMS._replace(threshold=t)), d.truth)
        print(f"  {t:>9.2f}{p:>10.2f}{r:>8.2f}{f:>7.2f}")
    engine = engine_predictions(d)
    p, r, f = prf(engine, d.truth)
    print(f"\nThe engine's own links at the defaults (as 'align serves' counts them): "
          f"precision {p:.2f}, recall {r:.2f}, F1 {f:.2f}")
    full = fit(d, np.ones(len(d.ids), dtype=bool))
    print(f"\nFitted on all judgments (for the shipped defaults): parent {full.parent_weight}, "
          f"grandparent {full.grandparent_weight}, threshold {full.threshold}")


if __name__ == "__main__":
    main()
