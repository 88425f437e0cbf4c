# Quick start: `make demo` and `make test`. Both create .venv and install from the lock file.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := out/demo-workspace

.PHONY: demo test eval bench lint lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/align init $(DEMO)
	$(BIN)/align --workspace $(DEMO) build
	$(BIN)/align --workspace $(DEMO) show HWB-4C
	$(BIN)/align --workspace $(DEMO) director "Executive Director of Place"
	$(BIN)/align --workspace $(DEMO) serves HWB-4C --kind explicit --kind inherited --kind similarity

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Precision, recall and F1 of the engine's links against the human judgments in data/eval/.
eval: $(STAMP)
	$(BIN)/python tools/evaluate.py

# Speed of the similarity suggestions: 10,000 elements against 500 goals.
bench: $(STAMP)
	$(BIN)/python tools/bench_similarity.py

lint: $(STAMP)
	$(BIN)/ruff check .

# Re-pin every dependency (needs the package registry): run after changing pyproject.toml.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[test]' hatchling==1.27.0 editables
	.lock-venv/bin/pip freeze --exclude strategy-alignment > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) out .pytest_cache
