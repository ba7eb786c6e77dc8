# make run   set up, load demo data, serve on http://127.0.0.1:8000 (SQLite)
# make test  set up, run every test (DATABASE_URL selects PostgreSQL)

VENV := .venv
PY := $(VENV)/bin/python
# The first interpreter that is Python 3.12 or newer: PATH first, then pyenv's.
FIND_PYTHON := for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; \
	done

.PHONY: run test setup lint messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@PYTHON=$$($(FIND_PYTHON)); \
	if [ -z "$$PYTHON" ]; then echo "Python 3.12 or newer is needed (none found on PATH or in pyenv)." >&2; exit 1; fi; \
	echo "Using $$PYTHON"; \
	[ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); $$PYTHON -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

run: setup
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete
	$(PY) manage.py compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
