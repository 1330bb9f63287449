#!/usr/bin/env bash
# CI: the production shape on loopback, driven from outside, then a restore drill and faults.
#
#   bash scripts/ci-production.sh          # exit 0 only when every check passed
#
# 1. its own PostgreSQL cluster (scripts/postgres-up.sh with PGDATA_DIR/PGPORT below, so the
#    test suite's server is never touched or restarted), database kpi_smoke;
# 2. the environment built from deploy/kpi.env.example (test values for the [CI] variables
#    only), cms.settings.production unchanged: migrate, collectstatic, load_demo;
# 3. gunicorn and db_worker exactly as deploy/systemd/kpi-{web,worker}.service start them, and
#    nginx with deploy/nginx/kpi.conf (TLS with a throw-away self-signed certificate);
# 4. tests/production/smoke.py smoke: sign-in, template, upload, worker validation, confirm,
#    worker commit, rows in the database, public page, static files, API with a token, sign-in
#    lockout that a forged X-Forwarded-For cannot dodge;
# 5. restore drill: scripts/backup.sh, scripts/restore.sh into a new database and folder, every
#    table's checksum and every file's sha256 compared (again at the end, on a larger database);
#    the daily jobs of deploy/systemd/kpi-daily.service, once; every score deleted from the last
#    copy and rebuilt from the inputs (score_period --force, score_year), compared row by row;
# 6. faults: unwritable media folder during an upload; a full upload disk (a 256 KiB tmpfs);
#    a leader's review racing an import commit of the same lines; more "excellent" decisions
#    than the quota allows sent at once; PostgreSQL stopped for 3 s and started again under API
#    and admin requests; db_worker killed (SIGKILL) in the middle of an import commit and of a
#    scoring run; a scoring run meeting a deadlock once (retried by itself) and every time
#    (failed, /healthz/work 503); two agencies' imports committed at once by two db_workers;
# 7. drills (issue 47): the mail relay (tests/production/relay.py, behind the production SMTP
#    backend) stalls while web workers are killed during and after an action that sends a
#    notice (delivered once when it answers again); sign-ins with invitations for 200 people as
#    a job, every activation code printable;
# 8. schemathesis with every check against this shape (nginx, gunicorn, PostgreSQL), and the
#    over-long request line answered by nginx in the API's JSON shape;
# 9. scripts/ci-recipe.sh: docs/operations.md's recipe blocks run verbatim on a fresh Debian 12
#    root (the previous release installed, data loaded, upgraded, restored).
# Every process is started here in its own session and killed on exit, failure included.
#
# Environment (all optional):
#   KPI_PROD_RUN_DIR   scratch folder (default /tmp/kpi-production-ci; removed after a pass,
#                      kept after a failure for its logs)
#   KPI_PROD_PGDATA    cluster data dir (default /tmp/kpi-pg-production; purged at the end, and
#                      at the start when an interrupted run left it)
#   KPI_PROD_PGPORT    its port on 127.0.0.1 (default 54339)
#   KPI_PROD_ROWS      lines of the large file of the worker-kill fault (default 100000)
#   KPI_PROD_FAULTS    which faults and drills to run (default "media disk review quota relay
#                      sign-ins database worker scoring retry imports"); "review" expects the demo's lines of Sở Tư pháp as the
#                      smoke test left them, so it runs before "worker"
#   KPI_PROD_SCHEMATHESIS  0 skips the schemathesis step (KPI_PROD_SCHEMATHESIS_SECONDS: its
#                      time budget, default 240)
#   KPI_PROD_RECIPE    0 skips scripts/ci-recipe.sh
#   KPI_PROD_PAUSE     development: keep everything running before the faults until
#                      $RUN/resume exists (drivers started by hand, see $RUN/paused.env)
#   KPI_PROD_PYTHON    the interpreter the application's virtualenv is made with (default
#                      /usr/bin/python3: Debian 12's own 3.11.2, as docs/operations.md step 3)
#   KPI_PROD_VENV      that virtualenv (default /tmp/kpi-production-venv): made as the recipe
#                      makes it (python3 -m venv; pip install -c requirements.lock -e .) and
#                      kept between runs while requirements.lock, pyproject.toml, the
#                      interpreter and this checkout are the same (a stamp file says so)
# The application (manage.py, gunicorn, db_worker, the daily jobs) runs from that virtualenv;
# the drivers (tests/production/smoke.py) from the development one.
# Needs root (or sudo-less equivalents already installed): PostgreSQL and nginx are installed
# with apt-get when missing, as scripts/postgres-up.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
RUN=${KPI_PROD_RUN_DIR:-/tmp/kpi-production-ci}
PG_DATA=${KPI_PROD_PGDATA:-/tmp/kpi-pg-production}
PG_PORT=${KPI_PROD_PGPORT:-54339}
ROWS=${KPI_PROD_ROWS:-100000}
FAULTS=${KPI_PROD_FAULTS-media disk review quota relay sign-ins database worker scoring retry imports}
WEB_WORKERS=2

log() { printf '\n== [%3ds] %s ==\n' "$SECONDS" "$*"; }
die() { printf 'ci-production: ERROR: %s\n' "$*" >&2; exit 1; }
# A bounded step: its output goes to a log file, shown only when it fails.
step() {
    local seconds=$1 name=$2
    shift 2
    if ! timeout --kill-after=10 "$seconds" "$@" >"$RUN/logs/$name.log" 2>&1; then
        tail -n 40 "$RUN/logs/$name.log" >&2
        die "$name failed or took longer than ${seconds}s (log: $RUN/logs/$name.log)"
    fi
}

# --- processes ---------------------------------------------------------------------------------
# Each long-running process is a session leader (setsid): its pid is its process group, and the
# whole group (gunicorn's workers, the supervisor's db_worker) is ended by that id.
start_group() {
    local name=$1
    shift
    setsid "$@" >>"$RUN/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN/pids/$name"
}

stop_group() {
    local file=$1 pid
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || return 0
    for _ in $(seq 1 40); do
        kill -0 -- "-$pid" 2>/dev/null || return 0
        sleep 0.25
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [[ -d $RUN/pids ]]; then
        for file in "$RUN"/pids/*; do
            [[ -f $file ]] && stop_group "$file"
        done
    fi
    [[ -d $RUN/media ]] && chmod -R u+w "$RUN/media" 2>/dev/null
    PGDATA_DIR=$PG_DATA bash "$ROOT/scripts/postgres-down.sh" --purge >/dev/null 2>&1
    if ((rc == 0)); then
        rm -rf -- "$RUN"
    else
        echo "ci-production: FAILED (exit $rc) after ${SECONDS}s; logs kept in $RUN/logs" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preparation -------------------------------------------------------------------------------
[[ -x $PY ]] || make install
APP_PYTHON=${KPI_PROD_PYTHON:-/usr/bin/python3}
VENV=${KPI_PROD_VENV:-/tmp/kpi-production-venv}
if [[ -e $RUN ]]; then
    chmod -R u+w "$RUN" 2>/dev/null || true
    rm -rf -- "$RUN"
fi
mkdir -p "$RUN"/{logs,pids,nginx/tmp,tls,backups}

if ((EUID == 0)); then
    # The services run as an unprivileged user in production (deploy/systemd). Here they keep
    # root's uid but lose the power to ignore file permissions, so an unwritable folder is
    # unwritable for them too (the media fault), as it would be for the "kpi" user.
    APP=(setpriv --inh-caps=-dac_override,-dac_read_search
        --bounding-set=-dac_override,-dac_read_search --)
    PG_AS=(runuser -u postgres --)
else
    APP=()
    PG_AS=()
fi

if ! command -v nginx >/dev/null; then
    ((EUID == 0)) || die "nginx is not installed (apt-get install nginx-light)"
    log "installing nginx"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq -o Dpkg::Use-Pty=0 nginx-light >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq -o Dpkg::Use-Pty=0 nginx-light >/dev/null; } \
        || apt-get install -y -qq -o Dpkg::Use-Pty=0 nginx >/dev/null \
        || die "could not install nginx"
fi

# --- the application's virtualenv, as docs/operations.md step 3 makes it ----------------------
stamp=$(cat requirements.lock pyproject.toml <("$APP_PYTHON" -VV) <(echo "$ROOT") | sha256sum | cut -c1-16)
if [[ $(cat "$VENV/.kpi-stamp" 2>/dev/null) != "$stamp" ]]; then
    log "virtualenv $VENV with $("$APP_PYTHON" -V) ($APP_PYTHON), pip install -c requirements.lock -e ."
    rm -rf -- "$VENV"
    step 120 venv "$APP_PYTHON" -m venv "$VENV"
    step 900 pip-install "$VENV/bin/pip" install --no-input -c requirements.lock -e .
    echo "$stamp" >"$VENV/.kpi-stamp"
fi
"$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
    || die "the application's virtualenv is not Python 3.11"
echo "application virtualenv: $VENV ($("$VENV/bin/python" -V))"

log "PostgreSQL (own cluster $PG_DATA on 127.0.0.1:$PG_PORT)"
# The cluster is this script's own and is purged at the end; one left by a run that was cut off
# (a machine restarted mid-run) would carry that run's roles and databases into this one.
if [[ -e $PG_DATA ]]; then
    echo "a cluster left by an interrupted run is purged first: $PG_DATA"
    PGDATA_DIR=$PG_DATA bash scripts/postgres-down.sh --purge >"$RUN/logs/postgres-leftover.log" 2>&1 \
        || { cat "$RUN/logs/postgres-leftover.log" >&2; die "could not purge the leftover cluster $PG_DATA"; }
fi
BASE_URL=$(PGDATA_DIR=$PG_DATA PGPORT=$PG_PORT bash scripts/postgres-up.sh 2>"$RUN/logs/postgres-up.log" | tail -n 1) \
    || { cat "$RUN/logs/postgres-up.log" >&2; die "postgres-up.sh failed"; }
# Its own cluster and nobody else's: postgres-up.sh reuses any loopback server already answering
# on the port (handy for the test suite), but this script stops and restarts its server in the
# database fault and purges its cluster at the end. A server of another data directory on the
# port (a rehearsal left running on 54339, say) is refused here, not found by the fault drill.
[[ -f $PG_DATA/postmaster.pid && $(sed -n 4p "$PG_DATA/postmaster.pid") == "$PG_PORT" ]] \
    || die "port $PG_PORT is served by another PostgreSQL cluster, not $PG_DATA: stop it, or give this run another port (KPI_PROD_PGPORT)"
PG_BIN=$(dirname "$(ls /usr/lib/postgresql/"$(<"$PG_DATA/PG_VERSION")"/bin/pg_ctl)")
SERVER=${BASE_URL%/*}
SMOKE_URL=$SERVER/kpi_smoke
RESTORE_URL=$SERVER/kpi_restore
for db in kpi_smoke kpi_restore kpi_restore_after; do
    psql -X -q -v ON_ERROR_STOP=1 "$BASE_URL" \
        -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
done
psql -X -q -v ON_ERROR_STOP=1 "$BASE_URL" -c "CREATE DATABASE kpi_smoke"

read -r APP_PORT HTTPS_PORT HTTP_PORT RELAY_PORT < <("$PY" - <<'EOF'
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
EOF
)

# --- the environment: deploy/kpi.env.example with test values ----------------------------------
declare -A CI_VALUES=(
    [DJANGO_SECRET_KEY]=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
    [DJANGO_ALLOWED_HOSTS]=127.0.0.1,localhost
    [DJANGO_CSRF_TRUSTED_ORIGINS]=https://127.0.0.1:$HTTPS_PORT
    [WAGTAILADMIN_BASE_URL]=https://127.0.0.1:$HTTPS_PORT
    [DATABASE_URL]=$SMOKE_URL
    [DJANGO_MEDIA_ROOT]=$RUN/media
    [DJANGO_STATIC_ROOT]=$RUN/static
    # The production SMTP backend, to a relay on loopback (tests/production/relay.py) that
    # answers, or stalls for the relay drill.
    [DJANGO_EMAIL_HOST]=127.0.0.1
    [DJANGO_EMAIL_PORT]=$RELAY_PORT
    [KPI_BACKUP_DIR]=$RUN/backups
    # The smoke signs in as demo users with passwords only; the second factor has its own tests.
    [KPI_2FA_REQUIRED]=0
)
EXAMPLE=deploy/kpi.env.example
for key in "${!CI_VALUES[@]}"; do
    grep -q "^$key=" "$EXAMPLE" || die "$EXAMPLE has no active line for $key"
done
while IFS= read -r line; do
    key=${line%%=*}
    if [[ $line =~ ^[A-Z][A-Z0-9_]*= ]] && [[ -v CI_VALUES[$key] ]]; then
        printf '%s=%s\n' "$key" "${CI_VALUES[$key]}"
    else
        printf '%s\n' "$line"
    fi
done <"$EXAMPLE" >"$RUN/kpi.env"
# Optional features that stay off when empty (error reporting, error mail): an empty value is
# their documented "unset"; any other empty value is a forgotten setting.
OPTIONAL_EMPTY='^(SENTRY_DSN|SENTRY_RELEASE|DJANGO_ADMINS|DJANGO_SERVER_EMAIL|DJANGO_EMAIL_HOST_USER|DJANGO_EMAIL_HOST_PASSWORD)=$'
if grep -E '^[A-Z][A-Z0-9_]*=$' "$RUN/kpi.env" | grep -Ev "$OPTIONAL_EMPTY"; then
    die "variables left empty in the test environment (above)"
fi
set -a
# shellcheck disable=SC1091
. "$RUN/kpi.env"
set +a
[[ $DJANGO_SETTINGS_MODULE == cms.settings.production ]] || die "the example must select production settings"
mkdir -p "$DJANGO_MEDIA_ROOT"

# --- the application -----------------------------------------------------------------------------
log "check --deploy, migrate, collectstatic, load_demo (production settings, deploy/kpi-manage)"
# deploy/kpi-manage as an operator runs it, with this checkout, env file and user. The time
# limits catch a hang, not slowness: a loaded 2-core machine migrates in over 3 minutes.
MANAGE=(env KPI_HOME="$ROOT" KPI_VENV="$VENV" KPI_ENV_FILE="$RUN/kpi.env" KPI_USER="$(id -un)"
    deploy/kpi-manage)
step 60 check-deploy "${MANAGE[@]}" check --deploy --fail-level ERROR
step 600 migrate "${MANAGE[@]}" migrate --no-input
step 120 collectstatic "${MANAGE[@]}" collectstatic --no-input
# A test machine: the demo province is what the smoke test drives.
step 1200 load_demo "${MANAGE[@]}" load_demo --allow-production
STATIC_ROOT=$("$VENV/bin/python" -c 'import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)')
[[ -d $STATIC_ROOT ]] || die "collectstatic wrote nothing to $STATIC_ROOT"

# ExecStart of a unit, with the installation paths of deploy/ replaced by this checkout's.
unit_command() {
    local line
    line=$(grep -m1 '^ExecStart=' "deploy/systemd/$1") || die "no ExecStart in $1"
    line=${line#ExecStart=}
    line=${line//\/srv\/kpi-cong-vu\/.venv/$VENV}
    line=${line//\/srv\/kpi-cong-vu/$ROOT}
    line=${line//127.0.0.1:8000/127.0.0.1:$APP_PORT}
    line=$(sed -E "s/--workers [0-9]+/--workers $WEB_WORKERS/" <<<"$line")
    printf '%s\n' "$line"
}
read -ra WEB_CMD <<<"$(unit_command kpi-web.service)"
read -ra WORKER_CMD <<<"$(unit_command kpi-worker.service)"
[[ " ${WEB_CMD[*]} " == *" 127.0.0.1:$APP_PORT "* ]] || die "kpi-web.service does not bind 127.0.0.1:8000"

log "mail relay on 127.0.0.1:$RELAY_PORT, gunicorn (${WEB_WORKERS} workers on 127.0.0.1:$APP_PORT), db_worker, nginx"
RELAY_MODE=$RUN/relay.mode
RELAY_LOG=$RUN/relay.jsonl
echo answer >"$RELAY_MODE"
start_group relay "$PY" tests/production/relay.py --port "$RELAY_PORT" --mode-file "$RELAY_MODE" --log "$RELAY_LOG"
start_group gunicorn "${APP[@]}" "${WEB_CMD[@]}" --pid "$RUN/gunicorn.pid"
# Restart=always of kpi-worker.service: the worker is started again whenever it exits.
cat >"$RUN/worker-supervisor.sh" <<'EOF'
#!/usr/bin/env bash
pidfile=$1
shift
while :; do
    "$@" &
    child=$!
    echo "$child" >"$pidfile"
    wait "$child" && code=0 || code=$?
    echo "supervisor: db_worker $child exited with status $code; starting it again in 2 s"
    sleep 2
done
EOF
start_group worker bash "$RUN/worker-supervisor.sh" "$RUN/worker.pid" "${APP[@]}" "${WORKER_CMD[@]}"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$RUN/tls/privkey.pem" -out "$RUN/tls/fullchain.pem" 2>"$RUN/logs/openssl.log"
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
    -e '/listen \[::\]:/d' \
    -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$APP_PORT;|" \
    -e "s|/etc/ssl/kpi-cong-vu/|$RUN/tls/|" \
    -e "s|/var/www/kpi-cong-vu/static/|$STATIC_ROOT/|" \
    -e "s|/var/log/nginx/|$RUN/nginx/|" \
    deploy/nginx/kpi.conf >"$RUN/nginx/kpi.conf"
for placeholder in 'listen 80;' 'listen 443' '127.0.0.1:8000' '/etc/ssl/' '/srv/kpi-cong-vu' '/var/www/kpi-cong-vu' '/var/log/'; do
    ! grep -v '^[[:space:]]*#' "$RUN/nginx/kpi.conf" | grep -q -- "$placeholder" \
        || die "deploy/nginx/kpi.conf changed: '$placeholder' is no longer substituted here"
done
NGINX_USER=""
if ((EUID == 0)); then
    NGINX_USER="user nobody nogroup;"
    chown nobody "$RUN/nginx/tmp"
fi
cat >"$RUN/nginx/nginx.conf" <<EOF
$NGINX_USER
worker_processes 1;
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $RUN/nginx/tmp/body;
    proxy_temp_path $RUN/nginx/tmp/proxy;
    fastcgi_temp_path $RUN/nginx/tmp/fastcgi;
    uwsgi_temp_path $RUN/nginx/tmp/uwsgi;
    scgi_temp_path $RUN/nginx/tmp/scgi;
    include $RUN/nginx/kpi.conf;
}
EOF
NGINX=(nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -e "$RUN/nginx/error.log")
step 20 nginx-test "${NGINX[@]}" -t
start_group nginx "${NGINX[@]}" -g 'daemon off;'

BASE=https://127.0.0.1:$HTTPS_PORT
CACERT=$RUN/tls/fullchain.pem
ready=0
for _ in $(seq 1 120); do
    if curl -fsS --max-time 2 --cacert "$CACERT" "$BASE/healthz" >/dev/null 2>&1; then
        ready=1
        break
    fi
    sleep 0.5
done
((ready)) || { tail -n 30 "$RUN/logs/gunicorn.log" >&2; die "the site did not answer $BASE/healthz within 60 s"; }
echo "ready: $BASE (gunicorn on 127.0.0.1:$APP_PORT, http on $HTTP_PORT)"

# load_demo queued Wagtail's search-index and reference-index tasks; let the worker drain them
# first so the smoke import's time is the import's own.
backlog_started=$SECONDS
# Tasks due now (the worker's periodic sweep waits for its next minute: not a backlog).
pending() {
    psql -X -At "$SMOKE_URL" -c "SELECT count(*) FROM django_tasks_database_dbtaskresult
                                 WHERE status IN ('READY', 'RUNNING')
                                   AND (run_after <= now() OR run_after > now() + interval '100 years')"
}
initial=$(pending)
for _ in $(seq 1 240); do
    (($(pending) == 0)) && break
    sleep 0.5
done
(($(pending) == 0)) || die "the worker did not drain the queue within 120 s ($(pending) tasks left)"
echo "worker drained ${initial} queued tasks of load_demo in $((SECONDS - backlog_started)) s"

DRIVER=(timeout --kill-after=10 300 "$PY" tests/production/smoke.py --base "$BASE"
    --http "http://127.0.0.1:$HTTP_PORT" --app "http://127.0.0.1:$APP_PORT" --cacert "$CACERT"
    --run-dir "$RUN" --report "$RUN/figures.jsonl")

# The drills wait for the relay's retry (minutes) and for 200 people: a longer bound.
DRILL=(timeout --kill-after=10 900 "${DRIVER[@]:3}")

# --- smoke ----------------------------------------------------------------------------------------
log "smoke test"
smoke_started=$SECONDS
"${DRIVER[@]}" smoke --token-file "$RUN/api-token"
echo "smoke flow: $((SECONDS - smoke_started)) s; from the start of this script: ${SECONDS} s"

# --- restore drill --------------------------------------------------------------------------------
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# Back up the live database and files, restore them into a new database and folder, compare
# every table's checksum and every file's sha256. $1: a name; $2: the new database's name.
restore_drill() {
    local name=$1 url=$SERVER/$2 files=$RUN/$1 began backup backup_seconds restore_seconds
    # The worker's minute sweep (re-queued runs, document sources, the national outbox) may
    # write at any time; a backup is a consistent snapshot whatever runs, but this drill
    # compares checksums taken before and after it, so the worker is paused (SIGSTOP: an open
    # transaction stays invisible until it commits later) for the comparison only.
    local worker
    worker=$(cat "$RUN/worker.pid")
    kill -STOP "$worker"
    "$PY" tests/production/smoke.py db-checksums --database-url "$SMOKE_URL" --out "$RUN/$name-before.json"
    began=$EPOCHREALTIME
    step 300 "$name-backup" bash scripts/backup.sh "$KPI_BACKUP_DIR"
    backup_seconds=$(elapsed "$began")
    backup=$(tail -n 1 "$RUN/logs/$name-backup.log")
    [[ -f $backup/MANIFEST.sha256 ]] || die "backup.sh did not report its folder"
    "$PY" tests/production/smoke.py db-checksums --database-url "$SMOKE_URL" --out "$RUN/$name-after.json"
    kill -CONT "$worker"
    cmp -s "$RUN/$name-before.json" "$RUN/$name-after.json" \
        || die "the database changed while it was being backed up (nothing should have run)"
    began=$EPOCHREALTIME
    step 300 "$name-restore" bash scripts/restore.sh "$backup" "$url" "$files"
    restore_seconds=$(elapsed "$began")
    "$PY" tests/production/smoke.py db-checksums --database-url "$url" --out "$RUN/$name-restored.json"
    "$PY" tests/production/smoke.py compare-checksums --left "$RUN/$name-before.json" \
        --right "$RUN/$name-restored.json" --report "$RUN/figures.jsonl"
    (cd "$DJANGO_MEDIA_ROOT" && find . -type f -printf '%P\n' | sort | xargs -r -d '\n' sha256sum) \
        >"$RUN/$name-media-live.sha256"
    (cd "$files/media" && find . -type f -printf '%P\n' | sort | xargs -r -d '\n' sha256sum) \
        >"$RUN/$name-media-restored.sha256"
    cmp -s "$RUN/$name-media-live.sha256" "$RUN/$name-media-restored.sha256" \
        || die "restored files differ from the live media folder"
    echo "PASS $name: every file identical ($(wc -l <"$RUN/$name-media-live.sha256") files)"
    printf '{"check": "%s", "database_rows": %s, "backup_size": "%s", "backup_seconds": %s, "restore_seconds": %s}\n' \
        "$name" "$(jq_rows "$RUN/$name-before.json")" "$(du -sh "$backup" | cut -f1)" \
        "$backup_seconds" "$restore_seconds" | tee -a "$RUN/figures.jsonl"
}
jq_rows() {
    "$PY" -c 'import json, sys; print(sum(int(v.split(":")[0]) for v in json.load(open(sys.argv[1])).values()))' "$1"
}

log "backup and restore drill"
restore_drill restore kpi_restore
! grep -q WARNING "$RUN/logs/restore-restore.log" \
    || die "the restore printed warnings (docs/operations.md §5 says it prints none)"

# docs/operations.md §5 as an operator follows it: the application's user has no CREATEDB, so
# the restore without a database stops before touching anything and names the createdb
# command; after `createdb --owner` as postgres the same command restores without a warning.
log "restore as the application's user (no CREATEDB), as docs/operations.md §5 shows"
SUPER_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
psql "$SUPER_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE kpi_operator LOGIN PASSWORD 'operator' NOCREATEDB"
OPERATOR_URL="postgres://kpi_operator:operator@127.0.0.1:$PG_PORT/kpi_operator_copy"
latest=$(find "$KPI_BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'kpi-*' | sort | tail -n 1)
if bash scripts/restore.sh "$latest" "$OPERATOR_URL" "$RUN/operator-files" >"$RUN/logs/operator-refused.log" 2>&1; then
    die "a restore by a user without CREATEDB and no database went through"
fi
grep -q "createdb --owner" "$RUN/logs/operator-refused.log" \
    || { cat "$RUN/logs/operator-refused.log" >&2; die "the refused restore does not name the createdb command"; }
[[ ! -e $RUN/operator-files ]] || die "the refused restore wrote files"
psql "$SUPER_URL" -X -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE kpi_operator_copy OWNER kpi_operator ENCODING 'UTF8' TEMPLATE template0"
step 300 operator-restore bash scripts/restore.sh "$latest" "$OPERATOR_URL" "$RUN/operator-files"
! grep -q WARNING "$RUN/logs/operator-restore.log" \
    || die "the restore as the application's user printed warnings"
echo "PASS restore as the application's user: refused with the createdb command, then restored without a warning"

# --- the daily jobs ---------------------------------------------------------------------------------
log "daily jobs (kpi-daily.service)"
while IFS= read -r line; do
    line=${line#ExecStart=}
    line=${line//\/srv\/kpi-cong-vu\/.venv/$VENV}
    line=${line//\/srv\/kpi-cong-vu/$ROOT}
    read -ra job <<<"$line"
    step 120 "daily-${job[2]}" "${APP[@]}" "${job[@]}"
    echo "PASS daily: ${job[*]:2}"
done < <(grep '^ExecStart=' deploy/systemd/kpi-daily.service)

# --- faults ---------------------------------------------------------------------------------------
if [[ -n ${KPI_PROD_PAUSE:-} ]]; then
    # Development: keep the shape running for drivers started by hand until $RUN/resume exists.
    printf 'RUN=%q\nSMOKE_URL=%q\nRESTORE_URL=%q\nDRIVER=(%s)\n' "$RUN" "$SMOKE_URL" \
        "$RESTORE_URL" "${DRIVER[*]@Q}" >"$RUN/paused.env"
    echo "paused: source $RUN/kpi.env and $RUN/paused.env; touch $RUN/resume to go on"
    while [[ ! -e $RUN/resume ]]; do sleep 1; done
fi
failed=()
for fault in $FAULTS; do
    fault_began=$SECONDS
    case $fault in
        media)
            log "fault: unwritable media folder during an upload"
            "${DRIVER[@]}" fault-media || failed+=(media)
            ;;
        database)
            log "fault: PostgreSQL stopped for 3 s and started again during API and admin requests"
            PG_CTL="${PG_AS[*]} $PG_BIN/pg_ctl -D $PG_DATA -w -t 30"
            "${DRIVER[@]}" fault-database --token-file "$RUN/api-token" --outage 3 \
                --pg-stop "$PG_CTL stop -m fast" --pg-start "$PG_CTL start -l $PG_DATA/server.log" \
                || failed+=(database)
            ;;
        disk)
            log "fault: the upload disk is full"
            "${DRIVER[@]}" fault-disk || failed+=(disk)
            ;;
        review)
            log "fault: a leader returns a line while an import of the same lines commits"
            "${DRIVER[@]}" fault-review --rows 10000 || failed+=(review)
            ;;
        relay)
            log "drill: the relay stalls; web workers killed during an action that sends a notice and after one"
            "${DRILL[@]}" drill-relay --relay-mode-file "$RELAY_MODE" --relay-log "$RELAY_LOG" \
                --recovery-timeout 420 || failed+=(relay)
            echo answer >"$RELAY_MODE"
            ;;
        sign-ins)
            log "drill: sign-ins with invitations for 200 people, as a job"
            "${DRILL[@]}" drill-sign-ins --people 200 --relay-log "$RELAY_LOG" \
                --recovery-timeout 420 || failed+=(sign-ins)
            ;;
        quota)
            log "fault: concurrent excellent decisions beyond the quota of one group"
            "${DRIVER[@]}" fault-quota || failed+=(quota)
            ;;
        scoring)
            log "fault: db_worker killed in the middle of a scoring run"
            "${DRIVER[@]}" fault-scoring --recovery-timeout 60 || failed+=(scoring)
            ;;
        retry)
            log "fault: a scoring run meets a deadlock once (retried), then every time (503)"
            "${DRIVER[@]}" fault-retry --recovery-timeout 150 || failed+=(retry)
            ;;
        imports)
            log "fault: two agencies' imports of one period committed at once by two db_workers"
            start_group worker2 bash "$RUN/worker-supervisor.sh" "$RUN/worker2.pid" "${APP[@]}" "${WORKER_CMD[@]}"
            "${DRIVER[@]}" fault-imports --rows 5000 --clean-database-url "$RESTORE_URL" \
                --clean-media-root "$RUN/restore/media" || failed+=(imports)
            stop_group "$RUN/pids/worker2"
            rm -f "$RUN/pids/worker2"
            ;;
        worker)
            log "fault: db_worker killed in the middle of an import commit"
            "${DRIVER[@]}" fault-worker --rows "$ROWS" --clean-database-url "$RESTORE_URL" \
                --clean-media-root "$RUN/restore/media" || failed+=(worker)
            ;;
        *) die "unknown fault: $fault" ;;
    esac
    printf '{"check": "fault-%s", "seconds": %d}\n' "$fault" "$((SECONDS - fault_began))" \
        | tee -a "$RUN/figures.jsonl"
done

# Nothing stuck, nothing stale: with the workers running again, the background work every
# fault left behind ends by itself (the worker's sweep, every minute).
if [[ -n $FAULTS ]]; then
    log "after the faults: nothing stuck, nothing stale"
    "${DRIVER[@]}" settled --database-url "$SMOKE_URL" --recovery-timeout 150 || failed+=(settled)
fi

# A second drill on the database the faults left behind (over 100,000 lines): restore figures.
log "backup and restore drill after the faults"
restore_drill restore-after-faults kpi_restore_after

# Scores are derived data: on that copy, delete them all and score again from the inputs.
log "rebuild every score from the inputs (on the restored copy)"
"${DRIVER[@]}" rebuild-scores --database-url "$SERVER/kpi_restore_after" \
    --clean-media-root "$RUN/restore-after-faults/media" || failed+=(rebuild-scores)

# --- the API contract, against the production shape ---------------------------------------------
# schemathesis (the development virtualenv's) with every check, through nginx (TLS), gunicorn and
# PostgreSQL, with a token that may write for a whole agency and read the national export. Run
# last: its writes queue scoring runs that nothing after it waits for.
if [[ ${KPI_PROD_SCHEMATHESIS:-1} != 0 ]]; then
    log "schemathesis: every check against the production shape"
    schemathesis_began=$SECONDS
    CONTRACT_TOKEN=$("${MANAGE[@]}" create_integration_token "Kiểm thử hợp đồng API" \
        --agency SXD --national-export 2>>"$RUN/logs/schemathesis.log" | tail -n 1)
    [[ -n $CONTRACT_TOKEN ]] || die "no token for schemathesis"
    # 9 requests a second stays under the integration throttle (600/min), so every answer is the
    # operation's own and not a 429.
    if timeout --kill-after=10 900 "$ROOT/.venv/bin/schemathesis" --no-color run \
        "$BASE/api/v1/schema/?format=json" --url "$BASE" --tls-verify "$CACERT" \
        -H "Authorization: Bearer $CONTRACT_TOKEN" \
        --checks all --phases examples,coverage,fuzzing --max-examples 8 --seed 20261125 \
        --generation-deterministic --rate-limit 9/s --workers 1 --request-timeout 30 \
        --max-time "${KPI_PROD_SCHEMATHESIS_SECONDS:-240}" \
        --report junit --report-junit-path "$RUN/schemathesis.xml" \
        >>"$RUN/logs/schemathesis.log" 2>&1; then
        :
    fi
    # The contract (issue 47): no server error, no response outside its schema, no undocumented
    # status, content type or header: schemathesis's ST1xx failures. Its other checks run too
    # (ST2xx: how invalid input is refused, undeclared methods) and are reported as figures.
    contract=pass
    if grep -qE '^\s*❌ ST1[0-9]{2} ' "$RUN/logs/schemathesis.log" \
        || ! grep -qE '^=+ .*in [0-9.]+s =+$' "$RUN/logs/schemathesis.log"; then
        contract=fail
    fi
    grep -E '^\s*❌ ST[0-9]{3} |Runtime Error: [0-9]+|^=+ .* =+$' "$RUN/logs/schemathesis.log" || true
    "$PY" - "$RUN/schemathesis.xml" "$RUN/logs/schemathesis.log" <<'EOF' | tee -a "$RUN/figures.jsonl"
import json, re, sys
from collections import Counter
from xml.etree import ElementTree

tree = ElementTree.parse(sys.argv[1])
kinds = Counter()
for failure in tree.iter("failure"):
    text = (failure.get("message") or "") + "\n" + (failure.text or "")
    for title in re.findall(r"^\s*-\s*([A-Z][^\n:]+?)(?:\s*$|:)", text, re.M) or ["(unnamed)"]:
        kinds[title.strip()] += 1
print(json.dumps({"check": "schemathesis", "failures_by_kind": dict(kinds),
                  "operations": sum(1 for _ in tree.iter("testcase"))}, ensure_ascii=False))
EOF
    if [[ $contract == pass ]]; then
        echo "PASS schemathesis: every check, 0 server errors, 0 responses outside the schema, 0 undocumented ($((SECONDS - schemathesis_began)) s)"
    else
        tail -n 60 "$RUN/logs/schemathesis.log"
        echo "FAIL schemathesis: see $RUN/logs/schemathesis.log"
        failed+=(schemathesis)
    fi
    # The long request line: nginx's JSON 414, never gunicorn's HTML.
    long_query=$(printf 'a%.0s' $(seq 1 9000))
    answer=$(curl -sS --http1.1 --cacert "$CACERT" -o "$RUN/long-line.json" -w '%{http_code} %{content_type}' \
        -H "Authorization: Bearer $CONTRACT_TOKEN" "$BASE/api/v1/period-scores/?q=$long_query")
    if [[ $answer == "414 application/json"* ]] && grep -q '"uri_too_long"' "$RUN/long-line.json"; then
        echo "PASS schemathesis: a 9,000-byte request line is nginx's documented JSON 414"
    else
        echo "FAIL schemathesis: a 9,000-byte request line answered $answer: $(head -c 200 "$RUN/long-line.json")"
        failed+=(long-line)
    fi
    medium_query=$(printf 'a%.0s' $(seq 1 5000))
    answer=$(curl -sS --http1.1 --cacert "$CACERT" -o "$RUN/medium-line.json" -w '%{http_code} %{content_type}' \
        -H "Authorization: Bearer $CONTRACT_TOKEN" "$BASE/api/v1/period-scores/?q=$medium_query")
    if [[ $answer == 200\ application/json* || $answer == 400\ application/json* ]]; then
        echo "PASS schemathesis: a 5,000-byte request line reaches the API (gunicorn refuses none): $answer"
    else
        echo "FAIL schemathesis: a 5,000-byte request line answered $answer: $(head -c 200 "$RUN/medium-line.json")"
        failed+=(medium-line)
    fi
fi

# --- docs/operations.md, run as written on a fresh Debian 12 root --------------------------------
if [[ ${KPI_PROD_RECIPE:-1} != 0 ]]; then
    log "the recipe: docs/operations.md's blocks, verbatim, on a fresh Debian 12 root (scripts/ci-recipe.sh)"
    recipe_began=$SECONDS
    if bash scripts/ci-recipe.sh; then
        printf '{"check": "recipe", "seconds": %d}\n' "$((SECONDS - recipe_began))" | tee -a "$RUN/figures.jsonl"
    else
        failed+=(recipe)
    fi
fi

log "figures"
cat "$RUN/figures.jsonl"
if ((${#failed[@]})); then
    die "checks failed: ${failed[*]}"
fi
echo "ci-production: all checks passed in ${SECONDS} s"
