from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from alignment.model import Corpus
from alignment.pipeline.building import load_bundled
from alignment.sources.workspace import Workspace, bundled_data_dir

# Property tests run a modest, fixed set of examples in `make test` (derandomized, so a run
# is repeatable and a machine's load cannot fail a health check); `make fuzz` runs many more,
# freshly generated each time.
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Sentence vectors are cached per text (alignment/embedding.py): the tests share one cache, kept
# beside pytest's own, instead of the user's.
os.environ.setdefault("ALIGN_CACHE_DIR", os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), ".pytest_cache", "align"))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_bundled()


@pytest.fixture(scope="session")
def store(corpus: Corpus):  # type: ignore[no-untyped-def]
    """The bundled corpus's graph in an in-memory Oxigraph store, as questions read it."""
    import pyoxigraph as ox

    from alignment.graph.rdf import to_rdf

    s = ox.Store()
    s.bulk_load(to_rdf(corpus).serialize(format="nt", encoding="utf-8"),
                format=ox.RdfFormat.N_TRIPLES)
    return s


@pytest.fixture(scope="session")
def bundled() -> Workspace:
    return Workspace(bundled_data_dir(), writable=False)


@pytest.fixture()
def ws(tmp_path):  # type: ignore[no-untyped-def]
    """A fresh workspace, made by `align init` (a test file may define its own)."""
    from click.testing import CliRunner

    from alignment.cli.app import app

    root = tmp_path / "ws"
    assert CliRunner().invoke(app, ["init", str(root)]).exit_code == 0
    return root
