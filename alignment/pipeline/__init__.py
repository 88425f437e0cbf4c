"""The pipeline: build a workspace (read, align, graph, validate, store), load its corpus,
open its store, and add or remove a plan."""
