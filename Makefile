# make run   set up, load demo data, serve on http://127.0.0.1:8000 with a task worker (SQLite)
# make test  install the system packages the tests need, set up, run every test
#            (DATABASE_URL selects PostgreSQL)

VENV := .venv
PY := $(VENV)/bin/python
# The first interpreter that is Python 3.12 or newer: PATH first, then pyenv's.
FIND_PYTHON := for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; \
	done

.PHONY: run test setup system-packages lint messages clean

# Development: DEBUG on (production leaves it off), the audit log in a file rather than
# between the demo's accounts and the server's requests.
run setup test messages: export DEBUG = 1
run: export HUIGAO_AUDIT_LOG ?= audit.jsonl

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@PYTHON=$$($(FIND_PYTHON)); \
	if [ -z "$$PYTHON" ]; then echo "Python 3.12 or newer is needed (none found on PATH or in pyenv)." >&2; exit 1; fi; \
	echo "Using $$PYTHON"; \
	[ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  $$PYTHON -c 'import ensurepip' 2>/dev/null || { echo "$$PYTHON cannot create a virtualenv; run: sudo apt-get install -y python3-venv" >&2; exit 1; }; \
	  rm -rf $(VENV); $$PYTHON -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

# The worker runs beside the server and stops with it (Ctrl-C).
run: setup
	$(PY) manage.py demo
	@$(PY) manage.py db_worker --no-reload --interval 0.5 -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

system-packages:
	@scripts/install-system-packages

test: system-packages $(VENV)/.installed
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
	rm -rf $(VENV) staticfiles .pytest_cache audit.jsonl
