"""The built store of a workspace: build folders switched atomically, the embedded Oxigraph
store, and SPARQL over it or over any SPARQL 1.1 endpoint."""

from pathlib import Path

#: the named queries (NAME.rq), found without loading the SPARQL module
QUERIES = Path(__file__).parent / "queries"
