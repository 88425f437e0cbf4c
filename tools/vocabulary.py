"""Write docs/vocabulary.md from ontology/alignment.ttl: every class and property with its
meaning, how many the bundled Thurrock build holds, and a query that finds them; then the link
kinds and statuses. `python tools/vocabulary.py` rewrites the page; `--check` exits 1 when the
page differs from what it would write (tests/test_readme.py runs the check)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "vocabulary.md"
PREFIXES = "PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>\n"

#: what each link kind means to an officer (the enum's own comments, written out)
KIND_MEANING = {
    "references": "an element's text names a strategy or programme",
    "structural": "a goal's own action or year-one milestone serves the goal",
    "curated": "a link an officer added with `align add-link`",
    "explicit": "the element names a strategy that the goal's title or its own actions say "
                "the goal is delivered through",
    "inherited": "a suggestion: the element sits under one whose title commits to such a strategy",
    "similarity": "a suggestion: the element's wording is close to the goal's",
    "continuity": "an older plan's deliverable carried on into a newer plan's",
}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def generate(store) -> str:  # type: ignore[no-untyped-def]
    """The page, with counts read from `store` (an Oxigraph store of the bundled build)."""
    from rdflib import OWL, RDF, RDFS, Graph

    from alignment.terms import LinkKind, LinkStatus

    onto = Graph().parse(ROOT / "ontology" / "alignment.ttl", format="turtle")

    def count(query: str) -> int:
        return int(next(iter(store.query(PREFIXES + query)))[0].value)

    def local(term: object) -> str:
        text = str(term)
        return "sa:" + text.split("#", 1)[1] if "strategy-alignment/ontology#" in text else text

    out = ["# Vocabulary", "",
           "The terms of the graph (`ontology/alignment.ttl`), what each means, how many the bundled",
           "Thurrock build holds, and a query that finds them (`align sparql 'QUERY'`, with",
           "`PREFIX sa: <https://w3id.org/strategy-alignment/ontology#>` before it). Written by",
           "`python tools/vocabulary.py` from the ontology and a build; a test checks it is current.",
           "", "## Classes", "",
           "| class | meaning | in the bundled build | query |", "|---|---|---|---|"]
    for cls in sorted(onto.subjects(RDF.type, OWL.Class), key=local):
        query = f"SELECT ?x WHERE {{ ?x a {local(cls)} }}"
        n = count(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {local(cls)} }}")
        out.append(f"| `{local(cls)}` | {_cell(str(onto.value(cls, RDFS.comment) or ''))} | {n} "
                   f"| `{query}` |")
    out += ["", "## Properties", "",
            "| property | meaning | facts in the bundled build | query |", "|---|---|---|---|"]
    props = [*onto.subjects(RDF.type, OWL.ObjectProperty),
             *onto.subjects(RDF.type, OWL.DatatypeProperty)]
    for prop in sorted(props, key=local):
        query = f"SELECT ?s ?o WHERE {{ ?s {local(prop)} ?o }}"
        n = count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {local(prop)} ?o }}")
        out.append(f"| `{local(prop)}` | {_cell(str(onto.value(prop, RDFS.comment) or ''))} | "
                   f"{n} | `{query}` |")
    out += ["", "## Link kinds", "",
            "Each link is an `sa:Alignment` with `sa:kind`, `sa:status`, `sa:score` and "
            "`sa:evidence`.", "",
            "| kind | meaning | links in the bundled build |", "|---|---|---|"]
    for kind in LinkKind:
        n = count(f'SELECT (COUNT(?l) AS ?n) WHERE {{ ?l a sa:Alignment ; sa:kind "{kind}" }}')
        out.append(f"| `{kind}` | {KIND_MEANING[kind]} | {n} |")
    out += ["", "| status | links in the bundled build |", "|---|---|"]
    for status in LinkStatus:
        n = count(f'SELECT (COUNT(?l) AS ?n) WHERE {{ ?l a sa:Alignment ; sa:status "{status}" }}')
        out.append(f"| `{status}` | {n} |")
    return "\n".join(out) + "\n"


def bundled_store():  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    from alignment.graph.rdf import to_rdf
    from alignment.pipeline.building import load_bundled

    store = ox.Store()
    store.bulk_load(to_rdf(load_bundled()).serialize(format="nt", encoding="utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)
    return store


def main() -> int:
    page = generate(bundled_store())
    if "--check" in sys.argv[1:]:
        if PAGE.read_text(encoding="utf-8") != page:
            print(f"{PAGE.relative_to(ROOT)} is stale: python tools/vocabulary.py")
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
