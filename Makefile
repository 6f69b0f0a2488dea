# The two commands of the README's quick start: `make run` and `make test`.
# Each creates the project's virtual environment on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint system-deps screenshots bench self-test bundle

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@# Once, in environments made before sqlcipher3 replaced the Linux-only sqlcipher3-binary:
	@# both install the same module, so remove the old one and put the new one back whole.
	@if $(PY) -m pip show -q sqlcipher3-binary >/dev/null 2>&1; then \
	  $(PY) -m pip uninstall --quiet -y sqlcipher3-binary && \
	  $(PY) -m pip install --quiet --force-reinstall --no-deps 'sqlcipher3>=0.6.4'; fi
	touch $(STAMP)

system-deps:
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh

run: system-deps $(STAMP)
	$(VENV)/bin/screening-app

demo: system-deps $(STAMP)
	$(VENV)/bin/screening-app --demo

# The store tests run on SQLite and on PostgreSQL: they start a throwaway cluster from the
# Debian packages system-deps installs, or use SCREENING_APP_TEST_PG=postgresql+psycopg://...
test: system-deps $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks packaging
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy -p screening_app.content -p screening_app.engine -p screening_app.store \
		-p screening_app.app
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/screening-app screenshots docs/screenshots

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

self-test: $(STAMP)
	$(VENV)/bin/screening-app --self-test

# The one-folder Linux bundle and its tarball in dist/ (see packaging/README.md).
bundle: system-deps
	bash packaging/build-linux.sh
