from __future__ import annotations

import pytest

from alignment.api import load_bundled
from alignment.model import Corpus
from alignment.workspace import Workspace, bundled_data_dir


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_bundled()


@pytest.fixture(scope="session")
def bundled() -> Workspace:
    return Workspace(bundled_data_dir(), writable=False)
