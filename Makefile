# The two commands of the README: `make demo` and `make test`. Everything they need is
# installed here, from the lock file and Debian's packages, on a fresh machine.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test install system-deps lock lint typecheck messages

demo: install
	$(VENV)/bin/dastan demo

test: install
	bash scripts/run-tests

install: system-deps $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock -e .
	touch $(STAMP)

system-deps:
	bash scripts/install-system-deps

# Re-pin the dependencies after changing pyproject.toml.
lock:
	$(VENV)/bin/uv pip compile pyproject.toml --extra ml --extra test --python-version 3.11 -o requirements.lock

lint:
	$(VENV)/bin/ruff check dastan tests bench

typecheck:
	$(VENV)/bin/mypy dastan

# Re-extract and compile the interface translations (gettext catalogs under dastan/locale).
messages:
	$(VENV)/bin/dastan manage makemessages --all --ignore '.venv/*' --no-obsolete
	$(VENV)/bin/dastan manage compilemessages
	# The review desk's, sign-in's and studio's strings are kept as tables in Python.
	$(VENV)/bin/python -m dastan.localization.interface_translations
	$(VENV)/bin/python -m dastan.web.studio_translations
