from __future__ import annotations

import os
import shutil
from pathlib import Path

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


def _align(*args: str):  # type: ignore[no-untyped-def]
    """Run `align` in process, as the tests do."""
    from click.testing import CliRunner

    from alignment.cli.app import app

    return CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})


# Tests that need a workspace get a copy of one made once per run: copying is much faster than
# `align init`, and far faster than `align build`. A copy of a built workspace stays current: the
# store's stamp hashes the inputs' paths relative to the workspace and their bytes, and the link
# .align/current names its build folder relatively (copied as a link, so symlinks=True).


@pytest.fixture(scope="session")
def fresh_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace made by `align init`, once per run: copy it, never change it."""
    root = tmp_path_factory.mktemp("fresh") / "ws"
    result = _align("init", str(root))
    assert result.exit_code == 0 and "workspace created" in result.stdout, result.stderr
    return root


@pytest.fixture(scope="session")
def built_workspace(fresh_workspace: Path, tmp_path_factory: pytest.TempPathFactory,
                    worker_id: str) -> Path:
    """A workspace made by `align init` and `align build`, once per run: copy it, never change
    it. What the build printed is in build.out beside it. The workers of a parallel run
    (pytest-xdist) share one: the first to need it builds it, the others wait and use it."""
    from filelock import FileLock

    from alignment.store.builds import is_current

    if worker_id == "master":
        return _build(fresh_workspace, tmp_path_factory.mktemp("built") / "ws")
    shared = tmp_path_factory.getbasetemp().parent / "built-shared"
    with FileLock(f"{shared}.lock"):
        root = shared / "ws"
        if not (shared / "build.out").is_file():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            _build(fresh_workspace, root)
    assert is_current(Workspace(root, writable=True))
    return root


def _build(fresh: Path, root: Path) -> Path:
    from alignment.store.builds import is_current

    shutil.copytree(fresh, root, symlinks=True)
    result = _align("--workspace", str(root), "build")
    assert result.exit_code == 0 and "stored in" in result.stdout, result.stderr
    assert is_current(Workspace(root, writable=True))
    (root.parent / "build.out").write_text(result.stdout + result.stderr, encoding="utf-8")
    return root


def _copy(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(template, root, symlinks=True)
    return root


@pytest.fixture()
def ws(fresh_workspace: Path, tmp_path: Path) -> Path:
    """A fresh workspace, as `align init` makes it: a copy of one made once per run (a test file
    may define its own)."""
    return _copy(fresh_workspace, tmp_path)


@pytest.fixture()
def built_ws(built_workspace: Path, tmp_path: Path) -> Path:
    """A built workspace, as `align init` and `align build` make it, with a current store: a
    copy of one built once per run."""
    from alignment.store.builds import is_current

    root = _copy(built_workspace, tmp_path)
    assert is_current(Workspace(root, writable=True))
    return root


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium the browser tests drive: $CHROMIUM, else Debian's on the PATH."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("no Chromium: 'make test' installs Debian's chromium (apt-get install chromium), "
                    "or set CHROMIUM=/path/to/chromium")
    return path


#: headless, offline, nothing fetched in the background; a module may set BROWSER_FLAGS
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser(chromium: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """One headless Chromium (Playwright) for a module's tests; each page opens in a context of
    its own."""
    from playwright.sync_api import sync_playwright

    flags = getattr(request.module, "BROWSER_FLAGS", BROWSER_FLAGS)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=flags)
        yield launched
        launched.close()

