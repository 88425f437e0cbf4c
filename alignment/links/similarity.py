"""Text similarity between plan elements and goals.

A pair's similarity is a weighted mean of the cosine similarities, in the sentence model's space
(alignment/embedding.py), of the goal with three texts: the element's own text, its parent's (an
objective or priority) and its grandparent's (officers judge a deliverable from its own text and
its objective). A goal is read two ways: as a whole, the mean of its lines (its title, what it
wants to achieve, its challenges, how it will be achieved, and its own actions and year-one
deliverables), and by its line closest to the text; each level's similarity is 3/4 the first and
1/4 the second (`line_weight`), so that a deliverable which is one of the goal's actions in other
words is not diluted by the rest of the goal. A level with no text (an element at the top of its
plan) drops out of the mean.

The score of a suggestion is that similarity less its plan's baseline: the plan's average
similarity over all its pairs with the goals of the same strategy, drawn towards the strategy's
average over all plans for a small plan. Plans written in another style or era sit higher or lower
as a whole (the 2024-29 plan's pairs average 0.04 above the 2014-15 plan's); a score measured from
the plan's own baseline keeps one threshold valid for both.

TF-IDF over stemmed words and pairs of adjacent words is kept for the evidence (the words an element
shares with the goal) and for continuity between plans. The weights and the default threshold are
chosen by cross-validation on the judgments in data/eval (tools/evaluate.py prints how), never
in-sample alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

__all__ = ["SimilarityModel", "tokenize", "terms", "PARAMS", "combine", "level_weights", "baselines",
           "counts", "idf", "overall_means", "plan_sums", "positions", "shared_words"]


class Params(NamedTuple):
    parent_weight: float  # weight of the parent's similarity beside the element's own (1.0)
    grandparent_weight: float
    threshold: float  # the default threshold of `serves`, `gaps`, the matrix and the evaluation
    floor: float  # suggestions below this are not kept at all
    top_k: int  # at most this many suggestions per element
    plan_prior: float = 3.0  # a plan's baseline counts the corpus average as this many elements
    line_weight: float = 0.25  # the share of a goal's closest line beside the goal as a whole


#: chosen by cross-validation on data/eval (see docs/evaluation.md); scores are measured from the
#: plan's baseline, so the threshold is a margin above a plan's average pair
PARAMS = Params(parent_weight=1.0, grandparent_weight=0.2, threshold=0.125, floor=0.06, top_k=4)


def level_weights(params: Params = PARAMS) -> tuple[float, float, float]:
    """The weights of the element's own text, its parent's and its grandparent's."""
    return 1.0, params.parent_weight, params.grandparent_weight


def combine(sims: np.ndarray, present: np.ndarray, params: Params = PARAMS) -> np.ndarray:
    """The similarity of every (element, goal) pair: the weighted mean of the similarities at the
    three levels (`sims`: 3 x elements x goals) over the levels an element has (`present`:
    3 x elements)."""
    import numpy as np

    w = np.array(level_weights(params))[:, None] * present
    total = w.sum(axis=0)
    return (sims * w[:, :, None]).sum(axis=0) / np.where(total > 0, total, 1.0)[:, None]


def plan_sums(similarity: np.ndarray, plans: list[str], strategies: list[str]
              ) -> dict[str, dict[str, tuple[float, int]]]:
    """Plan -> strategy -> the sum and the number of the similarities of the plan's pairs with
    the strategy's goals (pairs that are not a number left out)."""
    import numpy as np

    cols = positions(strategies)
    out: dict[str, dict[str, tuple[float, int]]] = {}
    for plan, rows in positions(plans).items():
        block = similarity[rows]
        out[plan] = {}
        for strategy, at in cols.items():
            own = block[:, at]
            out[plan][strategy] = (float(np.nansum(own)), int(np.isfinite(own).sum()))
    return out


def positions(keys: list[str]) -> dict[str, np.ndarray]:
    """Each key's positions in `keys`, in order (the rows of a plan, the columns of a
    strategy), found in one pass: comparing every row with each plan in turn had taken 29 s at
    100,000 deliverables in 500 plans."""
    import numpy as np

    at: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        at.setdefault(key, []).append(i)
    return {key: np.array(positions, dtype=np.intp) for key, positions in at.items()}


def overall_means(sums: Iterable[dict[str, tuple[float, int]]]) -> dict[str, float]:
    """Each strategy's mean similarity over every plan's pairs, from the plans' sums
    (`plan_sums`), to three places: the same whatever order the plans come in, and unchanged
    by most edits to one plan of many (the baselines of the other plans then stand)."""
    import math

    parts: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for by_strategy in sums:
        for strategy, (total, n) in by_strategy.items():
            parts.setdefault(strategy, []).append(total)
            counts[strategy] = counts.get(strategy, 0) + n
    return {s: round(math.fsum(parts[s]) / counts[s], 3) if counts[s] else 0.0 for s in parts}


def baselines(similarity: np.ndarray, plans: list[str], strategies: list[str],
              prior: float = PARAMS.plan_prior,
              others: Iterable[dict[str, tuple[float, int]]] = ()) -> np.ndarray:
    """The baseline of every (element, goal) pair (shape of `similarity`, elements x goals):
    the mean similarity of the element's plan (`plans`, one per row) with the goal's strategy
    (`strategies`, one per column), drawn towards the strategy's mean over all plans (those of
    the rows and `others`, given by their sums) as if `prior` more elements of average
    similarity belonged to the plan, so that a plan of a few elements is not measured against
    itself alone. A strategy added to the workspace leaves the baselines of every other
    strategy's goals as they were."""
    import numpy as np

    out = np.zeros_like(similarity, dtype=float)
    if not similarity.size:
        return out
    prior = max(prior, 0.0)
    sums = plan_sums(similarity, plans, strategies)
    overall = overall_means([*sums.values(), *others])
    cols_of = positions(strategies)
    for plan, rows in positions(plans).items():
        k = len(rows)
        for strategy, cols in cols_of.items():
            total, n = sums[plan][strategy]
            mean = total / n if n else overall[strategy]
            out[np.ix_(rows, cols)] = (k * mean + prior * overall[strategy]) / (k + prior)
    return out


_WORD = re.compile(r"[a-z][a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer  # uses PyStemmer's C implementation when it is installed

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from importlib import resources

    listed = (resources.files("alignment.links") / "stopwords.txt").read_text(encoding="utf-8")
    english = {w for w in listed.splitlines() if w and not w.startswith("#")}
    return frozenset(english | {"thurrock", "council", "deliver", "delivery", "ensure",
                                           "develop", "support", "work", "implement", "year",
                                           "including", "continue"})


def tokenize(text: str) -> list[str]:
    """Lower-case words, stop words removed, Snowball-stemmed."""
    stop = _stop_words()
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 2]


@lru_cache(maxsize=65_536)
def terms(text: str) -> tuple[str, ...]:
    """The words of `tokenize`, and the pairs of words that stand next to each other in the
    text: "service providers to build" gives no pair "providers build". (Kept for the texts
    asked again: a parent's text is every child's context.)"""
    return tuple(_terms(text))


def _terms(text: str) -> list[str]:
    stop = _stop_words()
    out: list[str] = []
    previous = None
    for w in _WORD.findall(text.lower()):
        if w in stop or len(w) <= 2:
            previous = None
            continue
        stem = _stem(w)
        out.append(stem)
        if previous is not None:
            out.append(f"{previous} {stem}")
        previous = stem
    return out


class SimilarityModel:
    """TF-IDF fitted on one corpus of texts; compares element texts with goal profiles.

    The weighting is scikit-learn's TfidfVectorizer(sublinear_tf=True) exactly (a test compares
    the two): term frequency 1 + ln(count), smoothed inverse document frequency
    ln((1 + n) / (1 + df)) + 1, rows scaled to unit length, terms in sorted order. Written here
    because importing scikit-learn took a third of a build for these few lines."""

    def __init__(self, corpus_texts: list[str]):
        import numpy as np

        analysed = [terms(t) for t in corpus_texts]
        vocabulary = sorted({term for words in analysed for term in words})
        self.terms = np.array(vocabulary, dtype=object)
        self.index = {term: i for i, term in enumerate(vocabulary)}
        df = np.zeros(len(vocabulary))
        for words in analysed:
            for term in set(words):
                df[self.index[term]] += 1
        self.idf = np.log((1 + len(analysed)) / (1 + df)) + 1

    def rows(self, texts: list[str]) -> list[dict[int, float]]:
        """One L2-normalised row per text, as {column: weight} (terms unseen in the corpus are
        left out)."""
        import math

        out = []
        for text in texts:
            counts: dict[int, int] = {}
            for term in terms(text):
                i = self.index.get(term)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            weights = {c: (1 + math.log(counts[c])) * float(self.idf[c]) for c in sorted(counts)}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            out.append({c: w / norm for c, w in weights.items()} if norm else weights)
        return out

    def matrix(self, texts: list[str]):  # type: ignore[no-untyped-def]
        """The same rows as a CSR matrix."""
        import numpy as np
        from scipy.sparse import csr_matrix

        rows = self.rows(texts)
        indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int32)
        return csr_matrix((np.array([w for r in rows for w in r.values()], dtype=float),
                           np.array([c for r in rows for c in r], dtype=np.int32), indptr),
                          shape=(len(texts), len(self.index)))

    @staticmethod
    def closest(a: list[dict[int, float]], b: list[dict[int, float]], k: int
                ) -> list[list[tuple[int, float]]]:
        """For each row of `a`, the `k` rows of `b` it is most similar to (cosine: rows are unit
        length), with the similarity, strongest first (ties: the earlier row of `b`); rows that
        share no term are left out. Through an index of `b`'s terms: the work grows with the
        terms shared, not with the rows compared."""
        index: dict[int, list[tuple[int, float]]] = {}
        for j, row in enumerate(b):
            for c, w in row.items():
                index.setdefault(c, []).append((j, w))
        out = []
        for row in a:
            acc: dict[int, float] = {}
            for c, w in row.items():
                for j, v in index.get(c, ()):
                    acc[j] = acc.get(j, 0.0) + w * v
            out.append(sorted(acc.items(), key=lambda jv: (-jv[1], jv[0]))[:k])
        return out

    def shared_terms(self, a: dict[int, float], b: dict[int, float], text: str,
                     n: int = 5) -> list[str]:
        """The terms that contribute most to the similarity of rows `a` and `b`, written as the
        words of `text`."""
        # the terms of both rows, in the order of the columns, by their share of the similarity
        # (a stable sort: ties keep the order of the columns)
        common = [(c, w * b[c]) for c, w in sorted(a.items()) if c in b]
        common.sort(key=lambda cw: -cw[1])
        return _written([self.terms[c] for c, _ in common], text, n)


def idf(texts: Iterable[str]) -> dict[str, float]:
    """Each term's smoothed inverse document frequency over `texts`, as SimilarityModel's."""
    import math

    df: dict[str, int] = {}
    n = 0
    for text in texts:
        n += 1
        for term in set(terms(text)):
            df[term] = df.get(term, 0) + 1
    return {term: math.log((1 + n) / (1 + d)) + 1 for term, d in df.items()}


@lru_cache(maxsize=65_536)
def counts(text: str) -> dict[str, int]:
    """How often each term of `terms` occurs in `text`."""
    out: dict[str, int] = {}
    for term in terms(text):
        out[term] = out.get(term, 0) + 1
    return out


def shared_words(text: str, other: dict[str, int], weights: dict[str, float],
                 n: int = 5) -> list[str]:
    """The terms `text` shares with another text (its `counts`) that count most in the TF-IDF
    similarity of the two (their sublinear frequencies times the square of their `weights`:
    `idf`), at most `n`, written as the words of `text` (ties in alphabetical order)."""
    import math

    common = [(-(1 + math.log(k)) * (1 + math.log(other[t])) * weights[t] ** 2, t)
              for t, k in counts(text).items() if t in other and t in weights]
    common.sort()
    return _written([t for _, t in common], text, n)


def _written(ranked: list[str], text: str, n: int) -> list[str]:
    """The first `n` of the ranked terms, written as the words of `text`; a word already shown
    within a phrase (or a phrase around a shown word) adds nothing."""
    surface = _surface_forms(text)
    chosen: list[str] = []
    for stemmed in ranked:
        term = " ".join(surface.get(p, p) for p in stemmed.split())
        if any(term in c.split() or c in term.split() for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen


@lru_cache(maxsize=256)
def _surface_forms(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for w in _WORD.findall(text.lower()):
        out.setdefault(_stem(w), w)
    return out
