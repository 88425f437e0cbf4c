"""Graph views of one corpus: RDF with the project ontology (validated against the SHACL
shapes), the NetworkX view, the export writers, and the selection a linkage map draws."""
