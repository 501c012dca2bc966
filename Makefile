# jdgen: `make` sets up .venv and builds every directive into build/; `make test` runs the suite.
PYTHON3 ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
COMPILED := $(VENV)/.compiled
DIRECTIVES := $(wildcard directives/*.yaml)
CODE       := $(wildcard src/jdgen/*.py src/jdgen/*/*.py src/jdgen/cli/commands/*.py)
SCHEMA     := build/schema/position.schema.json
EXAMPLES   := $(patsubst %/organisation.yaml,%,$(wildcard examples/*/organisation.yaml))

# No built-in rules: make would look for a way to make each of the thousands of files a directive is
# built from (RCS, SCCS, suffix rules), which took it most of a second at a hundred directives.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

.PHONY: all directives changed pdf container for-signature test test-long check bench fuzz system-deps clean distclean examples help catalogs docs
.DELETE_ON_ERROR:

all: directives $(SCHEMA) examples  ## every directive's DOCX into build/ (and each example's), the JSON Schemas; sets up .venv
##et iga käskkirja DOCX kausta build/ (ja iga näite oma), JSON-skeemid; seab üles .venv

# One jdgen process brings every directive up to date: each one whose files are missing, or older
# than a file it was built from (build/NAME.d lists every file it read: positions, includes,
# template), or that other jdgen code made. jdgen compares the times itself, as make would, so that
# a shared include edited once rebuilds its hundred directives in one run, not in a hundred
# processes that each read the shared files again; a directive whose bytes come out the same is
# not rewritten. It runs only when a file some directive was built from is newer than its stamp
# (build/.directives.d lists them all): with nothing changed, make starts no Python.
directives: build/.directives  ## only the directives whose sources changed since their last build
##et ainult käskkirjad, mille lähtefailid on pärast viimast ehitamist muutunud

build/.directives: $(DIRECTIVES) $(COMPILED) $(CODE)
	$(BIN)/jdgen build --outdated -o build

-include build/.directives.d

# Each agency's example under examples/ is a project of its own, built into its own build/, and
# like the root's only where its sources changed (examples/project.mk).
examples: $(COMPILED)  ## build the agencies' example projects under examples/
##et ehita asutuste näidisprojektid kaustas examples/
	@for example in $(EXAMPLES); do \
	  $(MAKE) --no-print-directory -C $$example -f $(CURDIR)/examples/project.mk \
	    JDGEN=$(abspath $(BIN))/jdgen DEPS="$(abspath $(STAMP) $(CODE))" || exit 1; \
	done

# The venv is rebuilt only when the pinned dependencies change.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON3) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# jdgen's own modules compiled to bytecode whenever they change: pip compiles every installed
# package but not an editable install's modules, and where PYTHONDONTWRITEBYTECODE is set (CI
# machines) Python never writes the bytecode itself, so every jdgen process compiled all of jdgen
# again, about a tenth of a second (the tests start hundreds).
$(COMPILED): $(STAMP) $(CODE)
	$(BIN)/python -m compileall -q src/jdgen
	touch $@

# One directive by its name (`make build/NAME.docx`), with the rule its last build wrote.
build/%.docx: directives/%.yaml $(COMPILED) $(CODE)
	$(BIN)/jdgen build $< -o build --depfile

-include $(wildcard build/*.d)

# Only the directives whose sources changed since a git revision (default HEAD: what is not
# committed yet), e.g. `make changed SINCE=origin/main`.
SINCE ?= HEAD
changed: $(STAMP)  ## only the directives whose sources changed since SINCE (default HEAD: uncommitted edits)
##et ainult käskkirjad, mille lähtefailid on muutunud pärast SINCE'i (vaikimisi HEAD: salvestamata muudatused)
	$(BIN)/jdgen build --changed-since="$(SINCE)" -o build --depfile

# JSON Schemas for editors (docs/format.md: "Editing in VS Code").
$(SCHEMA): $(STAMP) $(CODE)
	$(BIN)/jdgen schema -o build/schema

# PDF and the ASiC-E container need LibreOffice: installed here when it is missing.
system-deps:  ## install LibreOffice and the fonts (asks for sudo where needed)
##et paigalda LibreOffice ja fondid (küsib vajadusel sudo parooli)
	scripts/install-system-deps

pdf: $(STAMP) system-deps  ## DOCX and PDF of every directive, for reading and printing
##et iga käskkirja DOCX ja PDF lugemiseks ja printimiseks
	$(BIN)/jdgen build --pdf -o build

container: $(STAMP) system-deps  ## DOCX, PDF and the .asice container into build/, to look at
##et DOCX, PDF ja .asice-konteiner kausta build/ vaatamiseks
	$(BIN)/jdgen build --container -o build

# What the director signs: each directive with its register number and date, as PDF/A in an
# unsigned ASiC-E container (the PDF/A and the DOCX beside it), into signed/ (outside build/,
# which `make clean` deletes). A directive signed there already is left as it is; a draft is said
# and not made.
for-signature: $(COMPILED) system-deps  ## what the director signs in DigiDoc4: signed/NAME.asice (PDF/A; no draft)
##et mida direktor DigiDoc4-s allkirjastab: signed/NIMI.asice (PDF/A; eelnõu mitte)
	$(BIN)/jdgen build --for-signature

# The loop of changing code: every test but the long runs, on every core (pytest-xdist). The long
# ones (the fuzz run, the preview in a real browser, the benchmark's quick run, HR's walk to a
# signature, every command the docs show) are `make test-long`; CI runs both.
test: $(COMPILED) system-deps  ## run the test suite (all but the long runs, on every core)
##et käivita testid (kõik peale pikkade, kõigil tuumadel)
	$(BIN)/python -m pytest -n auto -m "not long"

test-long: $(COMPILED) system-deps  ## the long runs: fuzz, the preview in a browser, the bench's quick run, HR's walk, the docs' commands
##et pikad testid: fuzz, eelvaade brauseris, jõudlustesti lühike käik, personalitöötaja tee allkirjani, dokumentatsiooni käsud
	$(BIN)/python -m pytest -m long

# Speed and memory at N = 8, 100, 1000 annexes against stock docxtpl rendering the same template
# once (and the naive docxtpl+docxcompose way at 8 and 100), the floor of the work at 1000, the
# agency's everyday work and the start-up; figures in build/bench.json (docs/design.md: "Speed").
# Takes about 15 minutes.
bench: all system-deps  ## speed and memory against docxtpl (about 15 minutes; figures in build/bench.json)
##et kiirus ja mälu võrrelduna docxtpl-iga (umbes 15 minutit; arvud failis build/bench.json)
	$(BIN)/python benchmarks/bench.py

# The fuzz test of the suite, with many more examples (half a minute's worth runs in `make test-long`).
JDGEN_FUZZ_EXAMPLES ?= 2000
fuzz: $(COMPILED)  ## the fuzz test with many more examples than make test runs
##et fuzz-test palju suurema näidete arvuga kui make test
	JDGEN_FUZZ_EXAMPLES=$(JDGEN_FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py

# Lint, format, types (mypy, clean on src/), and the project's own data.
check: $(STAMP)  ## lint, format and types of the code, and jdgen check of every project
##et koodi stiil, vorming ja tüübid ning jdgen check igas projektis
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/jdgen check
	@for example in $(EXAMPLES); do $(BIN)/jdgen -C $$example check || exit 1; done

# The Estonian catalog (src/jdgen/i18n.py): messages new in the code are added to the .po file for
# translating, and the .po is compiled into the .mo that jdgen reads.
LOCALES := src/jdgen/locale
catalogs: $(STAMP)  ## add new messages to the Estonian catalog and compile it
##et lisa uued teated eesti keele kataloogi ja kompileeri see
	@mkdir -p build
	$(BIN)/pybabel -q extract -F $(LOCALES)/babel.cfg -k _ -k N_ -k n_:1,2 -k p_:1c,2 --no-location --omit-header -o build/jdgen.pot src/jdgen
	$(BIN)/pybabel -q update -i build/jdgen.pot -d $(LOCALES) -D jdgen --width 100 --no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel -q compile -d $(LOCALES) -D jdgen

# The documentation as a site (mkdocs.yml) in strict mode: a broken link or a page left out of the
# nav fails it. The format reference (docs/reference.md, docs/reference-et.md) is written anew from
# the models, the template and the example's files first; a test fails while the committed one differs.
docs: $(COMPILED)  ## the documentation as a site in build/site/ (open build/site/index.html)
##et dokumentatsioon veebilehena kaustas build/site/ (avage build/site/index.html)
	LANGUAGE=en $(BIN)/jdgen schema --reference -o docs/reference.md
	LANGUAGE=et $(BIN)/jdgen schema --reference -o docs/reference-et.md
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# `make help`: each target's `## ` comment, one line each (the `##et ` line below it where the
# locale is Estonian).
help:  ## this list
##et see loend
	@awk -v lang="$${LC_ALL:-$${LC_MESSAGES:-$$LANG}}" -f scripts/make-help.awk Makefile

clean:  ## delete the build/ folders
##et kustuta build/ kaustad
	rm -rf build $(addsuffix /build,$(EXAMPLES))

distclean: clean  ## delete the build/ folders and .venv
##et kustuta build/ kaustad ja .venv
	rm -rf $(VENV)
