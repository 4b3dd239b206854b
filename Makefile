# The README's two commands: `make site` and `make test`.
SWIFT ?= swift
# PyPI tools live in the project venv that install-deps.sh makes; qpress finds WeasyPrint there too.
VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
PYTHON := $(VENV)/bin/python3
QPRESS := .build/debug/qpress

.PHONY: site test deps build clean

deps:
	@./install-deps.sh

build: deps
	$(SWIFT) build --product qpress

site: build
	$(QPRESS) build --source . --check --offline

test: deps
	$(PYTHON) Tests/check_test_targets.py
	$(PYTHON) -m pytest -q Tests/install
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel
	$(SWIFT) build --product qpress
	$(PYTHON) -m pytest -q Tests/ui
	$(PYTHON) -m pytest -q Tests/browser

clean:
	rm -rf .build Output
