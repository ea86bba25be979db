# Two commands do everything on a fresh machine: `make` (set up, render source/ into output/)
# and `make test` (set up, then the whole suite). Both are idempotent; stamps keep them quick.

# Debian's own interpreter where there is one: a static build, its cold one-text build ~12 % quicker
# than an --enable-shared build of the same version (pyenv's), with byte-identical editions.
SYSTEM_PYTHON := $(wildcard /usr/bin/python3.11)
PYTHON ?= $(if $(SYSTEM_PYTHON),$(SYSTEM_PYTHON),python3.11)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make

# System packages: what rendering needs, and what the validators in the test suite need.
# RENDER_PACKAGES names every library WeasyPrint opens (tests/test_install.py checks it with dpkg):
# the base image has most of them, but only this list makes sure.
RENDER_PACKAGES := fonts-noto-core libglib2.0-0 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
	libharfbuzz-subset0 libfontconfig1
TEST_PACKAGES := chromium poppler-utils qpdf libreoffice-writer-nogui java=default-jre-headless npm=npm

.PHONY: all build test check lint goldens clean reference-docx messages
all: build

$(STAMPS):
	mkdir -p $@

# For tests/test_install.py: the render list exactly as make reads it.
.PHONY: print-render-packages
print-render-packages:
	@echo $(RENDER_PACKAGES)

$(STAMPS)/venv: pyproject.toml requirements.lock | $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); python3.11 -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(STAMPS)/render-packages: Makefile | $(STAMPS)
	./.ci/apt-ensure $(RENDER_PACKAGES)
	touch $@

$(STAMPS)/test-packages: Makefile | $(STAMPS)
	./.ci/apt-ensure $(TEST_PACKAGES)
	touch $@

$(STAMPS)/node: package.json package-lock.json $(STAMPS)/test-packages
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# doctor first: a machine that cannot build exactly is named once, before any text fails.
# The package's bytecode is compiled for shells that set PYTHONDONTWRITEBYTECODE (this kind of
# machine does): Python still reads it, and a cold one-text build then compiles nothing
# (0.36 s -> 0.28 s); a module edited since is compiled afresh in memory, as Python checks.
build: $(STAMPS)/venv $(STAMPS)/render-packages
	$(BIN)/python -m compileall -q pipeline
	$(BIN)/pipeline doctor
	$(BIN)/pipeline build

test: $(STAMPS)/venv $(STAMPS)/render-packages $(STAMPS)/test-packages $(STAMPS)/node lint
	$(BIN)/python -m pytest

# The edit loop: everything but the tests marked slow (no validators batch, no wheel build).
.PHONY: test-fast
test-fast: $(STAMPS)/venv $(STAMPS)/render-packages
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMPS)/venv
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts
	$(BIN)/mypy

check: $(STAMPS)/venv
	$(BIN)/pipeline check

clean:
	rm -rf $(STAMPS) $(VENV) node_modules
	find output -mindepth 1 ! -name .gitkeep -delete

# Regenerate the text goldens and the PDF reference images, then show what changed for review.
# The run ends red when anything was rewritten (like pytest-regressions' --force-regen): review
# `git diff tests/golden`, then `make test` is green again.
goldens: $(STAMPS)/venv $(STAMPS)/render-packages $(STAMPS)/test-packages
	@PIPELINE_UPDATE_GOLDENS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_regression.py tests/test_synoptic.py \
		-k "matches_its_golden or match_their_reference_images"; status=$$?; \
		git status --short -- tests/golden; git diff --stat -- tests/golden; exit $$status

# Regenerate templates/docx/reference.docx from templates/docx/styles.toml (commit both).
reference-docx: $(STAMPS)/venv
	$(BIN)/python scripts/make_reference_docx.py

# Extract the templates' strings into the catalogue template and merge them into each language.
messages: $(STAMPS)/venv
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o pipeline/locale/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -i pipeline/locale/messages.pot -d pipeline/locale

# The parity property (tests/test_parity.py) over many generated texts, two processes with a new
# seed each (printed; PARITY_SEED=N replays a run); a failure is kept under tests/_artifacts/parity/.
FUZZ_EXAMPLES ?= 1000
.PHONY: fuzz
fuzz: $(STAMPS)/venv $(STAMPS)/render-packages $(STAMPS)/test-packages
	@seed=$${PARITY_SEED:-$$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}; half=$$(( ($(FUZZ_EXAMPLES) + 1) / 2 )); \
	echo "make fuzz: $$((half * 2)) examples, seeds $$seed and $$((seed + 1))"; \
	pids=; for s in $$seed $$((seed + 1)); do \
		PARITY_EXAMPLES=$$half PARITY_SEED=$$s $(BIN)/python -m pytest -q -p no:cacheprovider \
			tests/test_parity.py -k reads_as_the_source > .make/fuzz-$$s.log 2>&1 & pids="$$pids $$!"; \
	done; status=0; for pid in $$pids; do wait $$pid || status=1; done; \
	tail -n 3 .make/fuzz-$$seed.log .make/fuzz-$$((seed + 1)).log; exit $$status

# Benchmark: our build beside the plain pandoc route on generated texts, printed as tables (about 2½ minutes on 2 cores).
.PHONY: bench
bench: $(STAMPS)/venv $(STAMPS)/render-packages
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/scaling.py
	$(BIN)/python bench/preview_reload.py
	$(BIN)/python bench/corpus.py
	$(BIN)/python bench/volume.py

# The corpus at scale: bench/corpus.py with a 10,000-text HTML build beside the 1,000-text one
# (several minutes on 2 cores; `make bench` runs the 1,000-text build and the 1,000,000-text state).
.PHONY: bench-corpus
bench-corpus: $(STAMPS)/venv
	$(BIN)/python bench/corpus.py --large 10000 --state 0
