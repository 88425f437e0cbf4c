"""Questions asked of a built graph: what serves a goal (from the Oxigraph store), what an
element supports, gaps, paths, the matrix, continuity, review; elements, posts and search.
Plain rows out; nothing prints."""
