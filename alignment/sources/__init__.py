"""Sources: locating workspaces, reading their curated YAML files with line numbers, and
decoding source documents into numbered lines (hash checked, text or workbook)."""
