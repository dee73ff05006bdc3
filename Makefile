# Two commands do all the set-up on a fresh machine (see README "Quick start"):
#   make demo   - create .venv, install dbt-workbench, build the demo project, open the app on it
#   make test   - create .venv, install dbt-workbench with its test extra, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench bench-editor bench-lint bench-dupes bench-jobs bench-workflow bench-bytes install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,spark]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/dbt-workbench demo

# Two workers (the machine has two cores); a file's tests stay together, so module fixtures run once.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan.py

bench-editor: $(STAMP)
	$(BIN)/python benchmarks/bench_editor.py

bench-lint: $(STAMP)
	$(BIN)/python benchmarks/bench_lint.py

bench-dupes: $(STAMP)
	$(BIN)/python benchmarks/bench_dupes.py

bench-jobs: $(STAMP)
	$(BIN)/python benchmarks/bench_jobs.py

bench-workflow: $(STAMP)
	$(BIN)/python benchmarks/bench_workflow.py

bench-bytes: $(STAMP)
	$(BIN)/python benchmarks/bench_terminal_bytes.py

clean:
	rm -rf $(VENV) build *.egg-info
