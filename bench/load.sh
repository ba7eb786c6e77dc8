#!/usr/bin/env bash
# Load benchmark: gunicorn (2 workers) on PostgreSQL with the demo data scaled to 50 departments
# and a 500-section report; wrk against the dashboard, the editor, the editor's proofreading
# check (the form POST its script sends a moment after the last key), the board, the preview,
# the draft export and a baseline page (a logged-in empty page through the same middleware), in
# one run. Targets: no errors and no response other than 2xx anywhere; p99 under 250 ms for
# each page, under 100 ms for the check. The machine's load average is printed before and after:
# on a shared machine the figures say as much about the neighbours as about Huigao.
#
#   bench/load.sh                      # 30 s a page, a throwaway PostgreSQL cluster
#   DURATION=5 bench/load.sh           # shorter
#   DATABASE_URL=postgres://… bench/load.sh   # an existing (scratch!) database instead
#
# Other knobs: CONNECTIONS (default 4), THREADS (2), PORT (8765), PGPORT (54399), PYTHON.
# Pages whose URL this version of Huigao does not have are listed as "not available".
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-2}
PORT=${PORT:-8765}
PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
command -v wrk >/dev/null || { echo "wrk is needed (Debian package wrk)." >&2; exit 1; }

WORK=$(mktemp -d)
cleanup() {
  [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null || true
  [ -n "${PGDATA:-}" ] && run_pg "$PGBIN/pg_ctl -D $PGDATA -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if [ -z "${DATABASE_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGDATA="$WORK/pg"
  PGPORT=${PGPORT:-54399}
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown -R postgres "$WORK"
  run_pg "$PGBIN/initdb -D $PGDATA -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null
  run_pg "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1' -l $PGDATA/server.log -w start" >/dev/null
  run_pg "$PGBIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres huigao_bench"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/huigao_bench"
fi

# Production settings (DEBUG off, compressed static files), plain HTTP on localhost.
export DJANGO_SETTINGS_MODULE=bench.settings DEBUG=0 SECRET_KEY=bench-only-not-a-production-secret-0123456789abcdef
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend

echo "Preparing the database (migrate, demo, scale) …"
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py collectstatic --noinput -v0
# Only its shell assignments: the audit log shares stdout.
export CHECK_BODY_FILE="$WORK/check-body"
eval "$("$PYTHON" bench/load_data.py | grep -E '^[A-Z_]+=')"
echo "Report $REPORT_ID: $SECTIONS sections, $MEASURES measures; $DEPARTMENTS departments."

"$PYTHON" -m gunicorn reports.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning \
  >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }

# Log in through the login form, as a browser does; print the session cookie.
login() {
  local jar="$WORK/jar-$1" token
  curl -fs -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/accounts/login/" >/dev/null
  token=$(awk '$6 == "csrftoken" {print $7}' "$jar")
  curl -fs -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "username=$1" --data-urlencode "password=huigao2026" --data-urlencode "csrfmiddlewaretoken=$token" \
    "http://127.0.0.1:$PORT/accounts/login/" | grep -q 302 || { echo "login as $1 failed" >&2; exit 1; }
  awk '$6 == "sessionid" || $6 == "csrftoken" {printf "%s=%s; ", $6, $7}' "$jar"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A COOKIES RESULTS
for page in $PAGES; do
  IFS='|' read -r name path user method <<<"$page"
  if [ "$path" = "-" ]; then RESULTS[$name]="-"; continue; fi
  [ -n "${COOKIES[$user]:-}" ] || COOKIES[$user]=$(login "$user")
  cookie=${COOKIES[$user]}
  body="" token="" post=()
  if [ "${method:-GET}" = POST ]; then
    body="$WORK/check-body"
    token=$(sed -n 's/.*csrftoken=\([^;]*\);.*/\1/p' <<<"$cookie")
    post=(-X POST --data-binary "@$body" -H "Content-Type: application/x-www-form-urlencoded" -H "X-CSRFToken: $token")
  fi
  # Warm up every worker (templates, translations, connections) before measuring.
  for _ in 1 2 3 4; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "${post[@]}" -H "Cookie: $cookie" "http://127.0.0.1:$PORT$path")
  done
  echo "Loading $name (${method:-GET} $path as $user, first response $status) for ${DURATION}s …"
  line=$(COOKIE="$cookie" BODY_FILE="$body" CSRF_TOKEN="$token" wrk -t"$THREADS" -c"$CONNECTIONS" \
    -d"${DURATION}s" --timeout 10s -s bench/load.lua "http://127.0.0.1:$PORT$path" | grep '^RESULT')
  RESULTS[$name]="$line"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

baseline_rps=$(awk '{print $3}' <<<"${RESULTS[baseline]}")
echo
echo "gunicorn --workers 2, PostgreSQL, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; report of $SECTIONS sections, $MEASURES measures"
echo "machine: $(nproc) CPUs; load average (1, 5, 15 min) $LOAD_BEFORE before the runs, $LOAD_AFTER after"
printf "%-10s %-5s %9s %9s %9s %9s %7s %8s %8s %9s %s\n" \
  page method requests "req/s" "p50 ms" "p99 ms" errors non-2xx "vs base" "p99 goal" verdict
missed=0
for page in $PAGES; do
  IFS='|' read -r name _ _ method <<<"$page"
  if [ "${RESULTS[$name]}" = "-" ]; then
    printf "%-10s %s\n" "$name" "not available (no such URL in this version)"
    continue
  fi
  read -r _ requests rps p50 p99 errors non2xx <<<"${RESULTS[$name]}"
  ratio=$(awk -v a="$rps" -v b="$baseline_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  goal=250
  [ "$name" = check ] && goal=100
  verdict=ok
  if [ "$errors" != 0 ] || [ "$non2xx" != 0 ] || ! awk -v p="$p99" -v g="$goal" 'BEGIN { exit !(p < g) }'; then
    verdict=MISSED missed=$((missed + 1))
  fi
  printf "%-10s %-5s %9s %9s %9s %9s %7s %8s %8s %9s %s\n" \
    "$name" "${method:-GET}" "$requests" "$rps" "$p50" "$p99" "$errors" "$non2xx" "$ratio" "< $goal" "$verdict"
done
if [ "$missed" = 0 ]; then
  echo "every target met: 0 errors, 0 non-2xx, p99 under its goal"
else
  echo "$missed target(s) missed"
fi
