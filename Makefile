# The README's two commands: `make site` and `make test`.
SWIFT ?= swift
# PyPI tools live in the project venv that install-deps.sh makes; qpress finds WeasyPrint there too.
VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
PYTHON := $(VENV)/bin/python3
QPRESS := .build/debug/qpress
# The site `make site` builds: `make site SOURCE=../other-site` builds another tree with this checkout's qpress.
SOURCE ?= .

.PHONY: site test deps build release clean fuzz fuzz-build

deps:
	@./install-deps.sh

build: deps
	$(SWIFT) build --product qpress

# The binary to install and to benchmark: optimised, with the Swift runtime and Foundation linked in,
# which saves the dynamic loader's symbol lookups at start and an indirect call per retain and release.
# Linked at a fixed address (not position-independent, as Go links Hugo): its 134,000 relocations were
# applied at every start, twice with the huge-pages restart, 3 ms of each command.
release: deps
	$(SWIFT) build -c release --product qpress --static-swift-stdlib --scratch-path .build-release -Xswiftc -Xclang-linker -Xswiftc -no-pie
	@echo "qpress: .build-release/release/qpress"

site: build
	$(QPRESS) build --source $(SOURCE) --check --offline

test: deps
	$(PYTHON) Tests/check_function_length.py
	$(PYTHON) Tests/check_test_targets.py
	$(PYTHON) Tests/check_package_imports.py
	$(PYTHON) -m pytest -q Tests/install
	$(PYTHON) -m pytest -q Tests/print
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(SWIFT) test --skip-build --parallel
	$(SWIFT) build --product qpress
	$(PYTHON) -m pytest -q Tests/ui
	$(PYTHON) -m pytest -q Tests/browser

# Coverage-guided fuzzing (libFuzzer with AddressSanitizer), not part of `make test`:
# `make fuzz SECONDS=600` gives each target an equal share of SECONDS. Seeds are Fuzz/Corpus/<target>
# (Fuzz/seed-corpora.sh); new inputs go to .build-fuzz/corpus/<target>, crashes to .build-fuzz/crashes/.
FUZZ_TARGETS := FrontMatter SiteConfig Manifest Markdown Theme Tokenizer
FUZZ_BUILD := .build-fuzz
SECONDS ?= 600

fuzz-build: deps
	$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_BUILD) -Xswiftc -sanitize=fuzzer,address -Xswiftc -DQPRESS_SYSTEM_MALLOC -Xswiftc -parse-as-library -Xswiftc -use-ld=lld

fuzz: fuzz-build
	@share=$$(( $(SECONDS) / $(words $(FUZZ_TARGETS)) )); status=0; \
	for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$target $(FUZZ_BUILD)/crashes; \
	  echo "fuzz: $$target for $$share s"; \
	  ASAN_OPTIONS=detect_leaks=0 $(FUZZ_BUILD)/debug/Fuzz$$target $(FUZZ_BUILD)/corpus/$$target Fuzz/Corpus/$$target \
	    -max_total_time=$$share -timeout=10 -rss_limit_mb=2048 -max_len=65536 -detect_leaks=0 \
	    -artifact_prefix=$(FUZZ_BUILD)/crashes/$$target- -print_final_stats=1 || status=1; \
	done; exit $$status

clean:
	rm -rf .build Output
