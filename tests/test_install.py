"""`pip install .` gives a working `align` that needs nothing from the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp.glob("*.whl"))
    site = tmp / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True,
                   capture_output=True)
    return site


def run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "100"}
    env.pop("ALIGN_WORKSPACE", None)
    return subprocess.run([str(site / "bin" / "align"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_installed_command_reads_bundled_data_outside_the_tree(installed: Path,
                                                               tmp_path: Path) -> None:
    result = run(installed, tmp_path, "show", "4C", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "HWB-4C"
    where = subprocess.run([sys.executable, "-c", "import alignment; print(alignment.__file__)"],
                           env={**os.environ, "PYTHONPATH": str(installed)}, cwd=tmp_path,
                           capture_output=True, text=True).stdout
    assert where.startswith(str(installed))


def test_installed_command_builds_a_workspace(installed: Path, tmp_path: Path) -> None:
    assert run(installed, tmp_path, "init", "ws").returncode == 0
    result = run(installed, tmp_path / "ws", "build")
    assert result.returncode == 0, result.stderr
    assert "stored in .align" in result.stdout
    assert (tmp_path / "ws" / ".align" / "current" / "graph.ttl").exists()
    assert not (installed / "alignment" / "bundled" / "data" / ".align").exists()
