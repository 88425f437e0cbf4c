"""`make bench` (build part): `align build` of a workspace of many plans, from a new process as an
officer runs it: a first build, a full build with the sentence vectors cached, a rebuild with
nothing changed, and a rebuild after one document changed. Each line gives the wall time, the
CPU time (which a machine shared with other work inflates less) and the process's peak memory;
the rebuild after the change is then compared, file by file, with a clean full build of the
same sources (they must be the same bytes).

The workspace is the bundled Thurrock one (`align init`) with a corporate plan per council
(3 outcomes x 5 priorities x deliverables) and two regional strategies of 6 goals each (an
integrated care board's, a police and crime plan), each a CSV document, the texts drawn from the
seed documents' own sentences (so the vectors are cached after one build).

    python tools/bench_build.py 10k            # 10,000 deliverables (50 councils)
    python tools/bench_build.py 2k --keep DIR  # and keep the workspace in DIR
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_COUNCIL = 200  # deliverables per council's corporate plan


def _sentences() -> list[str]:
    from alignment.readers.corpus import build_corpus
    from alignment.sources.workspace import Workspace, bundled_data_dir

    corpus = build_corpus(Workspace(bundled_data_dir(), writable=False))
    return sorted({e.label for e in corpus.elements if len(e.label.split()) > 6})


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["level", "code", "title", "parent", "team"],
                                                    *rows])
    return out.getvalue().encode("utf-8")


def make_workspace(ws: Path, deliverables: int, seed: int = 11) -> list[str]:
    """A workspace of the bundled documents and `deliverables` more, in councils of
    PER_COUNCIL; returns the corporate plans' files."""
    align = str(Path(sys.executable).parent / "align")
    subprocess.run([align, "init", str(ws)], check=True, capture_output=True)
    rng = random.Random(seed)
    sentences = _sentences()
    plans, docs, files = [], [], []
    for c in range(max(1, deliverables // PER_COUNCIL)):
        cp = f"C{c}CP"
        rows = []
        n = 0
        for o in range(3):
            rows.append(["outcome", f"{o + 1}", rng.choice(sentences), "", ""])
            for p in "ABCDE":
                rows.append(["priority", f"{o + 1}{p}", rng.choice(sentences), f"{o + 1}",
                             f"Team {p} of council {c}"])
                for _ in range(PER_COUNCIL // 15 + (1 if o * 5 + "ABCDE".index(p) < PER_COUNCIL % 15
                                                    else 0)):
                    n += 1
                    rows.append(["deliverable", f"{o + 1}{p}.{n}", rng.choice(sentences),
                                 f"{o + 1}{p}", ""])
        name = f"c{c}-corporate-plan.csv"
        _document(ws, name, cp, "plan", f"Council {c} corporate plan", _csv(rows), plans, docs)
        files.append(name)
    for sid, title in (("ICB", "Integrated care strategy"), ("PCP", "Police and crime plan")):
        goals = [["goal", f"G{g}", rng.choice(sentences), "", ""] for g in range(1, 7)]
        _document(ws, f"{sid.lower()}-strategy.csv", sid, "strategy", title, _csv(goals), plans,
                  docs)
    manifest = (ws / "manifest.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace("\ndocuments:\n", "\n" + "".join(plans) + "\ndocuments:\n", 1)
    (ws / "manifest.yaml").write_text(manifest + "".join(docs), encoding="utf-8")
    return files


def _document(ws: Path, name: str, pid: str, kind: str, title: str, body: bytes,
              plans: list[str], docs: list[str]) -> None:
    (ws / "sources" / name).write_bytes(body)
    plans.append(f"  - id: {pid}\n    title: \"{title}\"\n    kind: {kind}\n    period: 2024-2028\n")
    docs.append(f"  - id: {pid.lower()}\n    file: sources/{name}\n    plan: {pid}\n    layout: csv\n"
                f"    title: \"{title}\"\n    publisher: {title}\n    period: 2024-2028\n"
                f"    kind: sheet\n    sha256: {hashlib.sha256(body).hexdigest()}\n")


def change_one(ws: Path, name: str) -> None:
    """Reword the first deliverable of one document (as a spreadsheet saves the edit), and
    record the document's new hash."""
    path = ws / "sources" / name
    old = path.read_bytes()
    rows = list(csv.reader(io.StringIO(old.decode("utf-8"))))
    row = next(r for r in rows if r[0] == "deliverable")
    row[2] = f"Newly: {row[2]}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    new = out.getvalue().encode("utf-8")
    path.write_bytes(new)
    manifest = (ws / "manifest.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(new).hexdigest())
    (ws / "manifest.yaml").write_text(manifest, encoding="utf-8")


def timed_build(ws: Path, what: str, env: dict[str, str]) -> float:
    """Run `align build --profile` in a new process; print its wall time and peak memory."""
    align = str(Path(sys.executable).parent / "align")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen([align, "--workspace", str(ws), "build", "--quiet", "--profile"],
                                stdout=out, stderr=errors, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory
        proc.returncode = status = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        errors.seek(0)
        err = errors.read()
    if status:
        raise SystemExit(f"{what}: align build failed: {err.decode()[-2000:]}")
    peak = f"{usage.ru_maxrss / 1024:.0f} MiB"
    cpu = usage.ru_utime + usage.ru_stime  # beside the wall time: the machine may be shared
    print(f"  {what:<40}{seconds:>7.1f} s wall {cpu:>7.1f} s CPU  peak {peak}")
    steps: dict[str, list[float]] = {}  # step -> [seconds, peak MiB], the sources' reading as one
    for ln in err.decode().splitlines():
        m = re.match(r"\s+(\S.*?)\s+(\d+\.\d\d)\s+(\d+)\s*$", ln)
        if m:
            step = "reading the sources" if m[1].startswith("reading ") else m[1][:40]
            row = steps.setdefault(step, [0.0, 0.0])
            row[0] += float(m[2])
            row[1] = max(row[1], float(m[3]))
    for step, (s, mib) in steps.items():
        if s >= 0.05:
            print(f"      {step:<42}{s:>6.2f} s {mib:>6.0f} MiB")
    return seconds


_DIGEST = """
import hashlib, sys
import pyoxigraph as ox
from pathlib import Path
folder = Path(sys.argv[1])
store = ox.Store.read_only(str(folder / "oxigraph"))
quads = sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())
print("store", hashlib.sha256(b"\\n".join(quads)).hexdigest())
for name in ("corpus.json", "stamp"):
    print(name, hashlib.sha256((folder / name).read_bytes()).hexdigest())
"""


def _files(folder: Path) -> dict[str, str]:
    """A digest of the build's corpus and stamp, and of what its store holds (sorted N-Quads:
    the store's own files hold run-specific logs), worked out in a process of its own (a
    child's peak memory counts its parent's at the moment it was started)."""
    out = subprocess.run([sys.executable, "-c", _DIGEST, str(folder)], check=True,
                         capture_output=True, text=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", default=["10k"])
    parser.add_argument("--keep", type=Path, help="build the workspace here and keep it")
    args = parser.parse_args()
    for size in args.sizes:
        n = int(re.sub(r"k$", "000", size))
        with tempfile.TemporaryDirectory() as tmp:
            ws = (args.keep or Path(tmp)) / f"ws-{size}"
            if ws.exists():
                shutil.rmtree(ws)
            ws.parent.mkdir(parents=True, exist_ok=True)
            files = make_workspace(ws, n)
            env = {**os.environ, "ALIGN_CACHE_DIR": str(Path(tmp) / "cache")}
            env.pop("ALIGN_WORKSPACE", None)
            print(f"\n{n:,} deliverables in {len(files)} councils' plans (new process each):")
            timed_build(ws, "first build (vectors not cached)", env)
            shutil.rmtree(ws / ".align")
            timed_build(ws, "full build (vectors cached)", env)
            timed_build(ws, "rebuild, nothing changed", env)
            change_one(ws, files[len(files) // 2])
            timed_build(ws, "rebuild after one document changed", env)
            incremental = _files(ws / ".align" / "current")
            clean = ws.with_name(ws.name + "-clean")
            shutil.copytree(ws, clean, ignore=shutil.ignore_patterns(".align"))
            timed_build(clean, "full build of the same sources", env)
            full = _files(clean / ".align" / "current")
            same = [k for k in full if k != "stamp" and full[k] == incremental[k]]
            print(f"  rebuild against the full build: {', '.join(same) or 'nothing'} the same "
                  f"bytes" + ("" if len(same) == 2 else " (NOT all: a fault)"))
            shutil.rmtree(clean)


if __name__ == "__main__":
    main()
