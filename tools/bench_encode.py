"""How fast the sentence model reads texts: onnxruntime's encoder against the NumPy one.

Two sets of texts: every text and title of the bundled workspace (about 320, some long), and
3,000 distinct texts made by joining the first half of one bundled text to the second half of
another. Each encoder reads each set a few times in this process; the best run is printed, as
seconds per 1,000 texts of wall time and of CPU time (all threads), with the time to make the
encoder (weights read and checked, and for onnxruntime the graph written and its session
started) and how close its vectors are to NumPy's (cosine over the bundled texts). Where
onnxruntime is not installed, only the NumPy encoder is timed, and it says so.

    python tools/bench_encode.py [--repeat 3] [--big 3000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.links import embedding  # noqa: E402
from alignment.pipeline.building import load_bundled  # noqa: E402


def text_sets(big: int) -> dict[str, list[str]]:
    corpus = load_bundled()
    bundled = sorted({e.text() for e in corpus.elements} | {e.label for e in corpus.elements})
    bundled = [t for t in bundled if t.strip()]
    rng = random.Random(1)
    joined: set[str] = set()
    while len(joined) < big:
        a, b = rng.choice(bundled).split(), rng.choice(bundled).split()
        joined.add(" ".join(a[:max(1, len(a) // 2)] + b[len(b) // 2:]))
    return {f"bundled ({len(bundled)})": bundled, f"joined ({big})": sorted(joined)}


def best(encoder: embedding._Encoder, texts: list[str], repeat: int) -> tuple[float, float]:
    """The fastest of `repeat` readings of `texts`: (wall, CPU) seconds."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        encoder.encode(texts)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(times)


class _Encoder32(embedding._Encoder):
    """The NumPy encoder with batches of 32 texts whatever their length (as before a batch was
    also held to _BATCH_TOKENS tokens)."""

    def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
        held, embedding._BATCH_TOKENS = embedding._BATCH_TOKENS, 1 << 30
        try:
            return super().encode(texts)
        finally:
            embedding._BATCH_TOKENS = held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (the best is shown)")
    parser.add_argument("--big", type=int, default=3000, help="how many joined texts")
    args = parser.parse_args()
    sets = text_sets(args.big)
    encoders: list[tuple[str, type[embedding._Encoder]]] = [("numpy, 32 a batch", _Encoder32),
                                                            ("numpy", embedding._Encoder)]
    try:
        import onnxruntime
    except ImportError:
        print("onnxruntime is not installed: only the NumPy encoder is timed")
    else:
        encoders.append((f"onnxruntime {onnxruntime.__version__}", embedding._RuntimeEncoder))
    directory = embedding.model_dir()
    bundled = next(iter(sets.values()))
    reference = None
    print(f"{'encoder':<20} {'made in':>8}  {'texts':<15} {'wall/1000':>9} {'CPU/1000':>9}")
    for name, kind in encoders:
        wall, cpu = time.perf_counter(), time.process_time()
        encoder = kind(directory)
        made = f"{time.perf_counter() - wall:.2f} s"
        vectors = encoder.encode(bundled)
        agreement = ""
        if reference is None:
            reference = vectors
        else:
            cosines = (vectors * reference).sum(axis=1)
            agreement = (f"cosine with {encoders[0][0]}: min {cosines.min():.7f}, "
                         f"mean {cosines.mean():.7f}")
        for label, texts in sets.items():
            wall, cpu = best(encoder, texts, args.repeat)
            per = 1000 / len(texts)
            print(f"{name:<20} {made:>8}  {label:<15} {wall * per:8.2f}s {cpu * per:8.2f}s",
                  flush=True)
            made = ""
        if agreement:
            print(f"{'':<20} {agreement}")


if __name__ == "__main__":
    main()
