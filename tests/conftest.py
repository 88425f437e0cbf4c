from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from alignment.api import load_bundled
from alignment.model import Corpus
from alignment.workspace import Workspace, bundled_data_dir

# Property tests run a modest number of examples in `make test`; `make fuzz` runs many more.
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_bundled()


@pytest.fixture(scope="session")
def bundled() -> Workspace:
    return Workspace(bundled_data_dir(), writable=False)
