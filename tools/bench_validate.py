"""`make bench`: the SHACL shapes checked on synthetic corpora of 1,000 and 10,000 deliverables
(tools/bench_sparql.py makes them), by the engine's SPARQL checks inside Oxigraph and, for
comparison, by pySHACL (a test tool), with the number of results each finds."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from bench_sparql import synthetic_national  # noqa: E402

from alignment.graph.rdf import to_rdf  # noqa: E402
from alignment.graph.validate import validate  # noqa: E402
from alignment.sources.workspace import ontology_dir  # noqa: E402


def main(sizes: list[int]) -> None:
    from pyshacl import validate as pyshacl_validate
    from rdflib import Graph

    print(f"{'deliverables':>12}{'triples':>10}{'SPARQL checks':>15}{'pySHACL':>10}{'results':>9}")
    for n in sizes:
        graph = to_rdf(synthetic_national(n))
        triples = graph.serialize(format="nt", encoding="utf-8")
        start = time.perf_counter()
        ours = validate(triples)
        mid = time.perf_counter()
        _, report, _ = pyshacl_validate(graph, shacl_graph=Graph().parse(ontology_dir() / "shapes.ttl"),
                                        inference="none", allow_warnings=True)
        end = time.perf_counter()
        theirs = len(list(report.objects(None, report.namespace_manager.expand_curie("sh:result"))))
        print(f"{n:>12,}{len(graph):>10,}{mid - start:>14.2f}s{end - mid:>9.2f}s"
              f"{len(ours.results):>5} / {theirs}")


if __name__ == "__main__":
    main([int(a.rstrip("k")) * (1000 if a.endswith("k") else 1) for a in sys.argv[1:]] or [1000, 10000])
