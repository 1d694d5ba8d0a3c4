# The two commands of the README: `make demo` and `make test`. Everything they need is
# installed here, from the lock files and Debian's packages, on a fresh machine: the demo
# takes only what a node runs (requirements.lock), the tests add their tools
# (requirements-dev.lock: pytest, playwright, mypy, ruff, schemathesis, moto, ...) and the
# linter of the browser scripts (package-lock.json: ESLint, into node_modules/).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed

.PHONY: demo test install system-deps lock lint typecheck messages

demo: system-deps $(STAMP)
	$(VENV)/bin/dastan demo

test: install
	bash scripts/run-tests

install: system-deps $(DEV_STAMP) $(NODE_STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements-dev.lock -e .
	touch $(DEV_STAMP)

# npm ci installs exactly package-lock.json's versions (and empties node_modules first).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

system-deps:
	bash scripts/install-system-deps

# Re-pin the dependencies after changing pyproject.toml: the runtime first, then the test
# tools constrained to the same versions of what both need.
lock:
	$(VENV)/bin/uv pip compile pyproject.toml --extra ml --python-version 3.11 -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra ml --extra test --python-version 3.11 \
		-c requirements.lock -o requirements-dev.lock

lint:
	$(VENV)/bin/ruff check dastan dastan_testing tests bench
	node_modules/.bin/eslint .

typecheck:
	$(VENV)/bin/mypy dastan dastan_testing

# The interface's translations are gettext catalogues: dastan/<app>/locale/<lang>/LC_MESSAGES/django.po
# for an app's strings, dastan/locale for the rest. `make messages` adds the strings the code
# and templates use to them (keeping translations and translators' comments), then compiles the
# django.mo files Django reads; translate the new entries (Poedit, Weblate) and run it again.
# tests/test_catalogues.py fails while a string lacks a translation or a .mo is stale.
messages:
	$(VENV)/bin/dastan manage makemessages --all --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore '*/tests/*' --ignore 'dastan_testing/*' --ignore 'bench/*' --no-obsolete --no-wrap
	$(VENV)/bin/dastan manage compilemessages --ignore '.venv/*' --ignore 'node_modules/*'
