#!/usr/bin/env bash
# Every check, as `make test` runs it: lint, types, framework-free compute, migrations,
# translations, then the test suite on SQLite and on a throwaway PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
status=0
step() { echo; echo "== $*"; }
fail() { echo "FAILED: $*"; status=1; }

step "ruff"; $bin/ruff check tremplin tests bench || fail ruff
$bin/ruff format --check -q tremplin tests bench || fail "ruff format (run: .venv/bin/ruff format tremplin tests bench)"
step "mypy"; $bin/mypy tremplin || fail mypy
step "compute/ is free of Django"
if grep -rnE '^\s*(from|import)\s+django' tremplin/compute; then fail "compute imports Django"; else echo ok; fi
step "migrations are up to date"; $bin/python manage.py makemigrations --check --dry-run >/dev/null || fail "missing migration"
step "translations are complete"; $bin/python scripts/check_messages.py || fail translations

# The sources compiled once (under 1 s), not by each test process and command the tests start
# where writing bytecode is turned off (PYTHONDONTWRITEBYTECODE).
$bin/python -m compileall -q -j 2 tremplin tests >/dev/null || fail "compileall"

# Both cores (pytest-xdist); TREMPLIN_TEST_WORKERS=1 runs one test at a time. A process that
# runs out of tests takes some of the other's (the long browser tests no longer end on one core:
# the browser suite 434 -> 399 s).
workers=(-n "${TREMPLIN_TEST_WORKERS:-2}" --dist worksteal --durations=12)  # the slowest, printed
step "tests on SQLite (every test, the browser suite included)"
DATABASE_URL="sqlite:///$(mktemp -d)/test.sqlite3" $bin/pytest -q -p no:cacheprovider "${workers[@]}" \
  || fail "tests on SQLite"

step "tests on PostgreSQL (every test that touches the database, but the browser suite)"
if url=$(scripts/postgres.sh start); then
  DATABASE_URL="$url" TREMPLIN_DATABASE_TESTS_ONLY=1 $bin/pytest -q -p no:cacheprovider \
    "${workers[@]}" -m "not browser" || fail "tests on PostgreSQL"
  scripts/postgres.sh stop
else
  if [ -n "${CI:-}" ]; then fail "PostgreSQL could not be started (required when CI is set)"
  else echo "SKIPPED: PostgreSQL is not available on this machine; only SQLite was tested."; fi
fi

echo
if [ $status -eq 0 ]; then echo "make test: all checks passed"; else echo "make test: FAILED"; fi
exit $status
