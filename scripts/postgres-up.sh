#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server for the test suite.
#
#   DATABASE_URL=$(scripts/postgres-up.sh | tail -1)
#
# - Installs Debian's `postgresql` package if no server binaries are present
#   (needs root + apt-get).
# - Creates a cluster in ${PGDATA_DIR:-/tmp/kpi-pg}, owned by the `postgres`
#   system user when run as root (initdb/postgres refuse to run as root).
# - Listens ONLY on 127.0.0.1:${PGPORT:-54329}; unix socket in the data dir;
#   trust auth for local/loopback connections only.
# - Ensures role `kpi` (password `kpi`, CREATEDB) and database `kpi`.
# - Idempotent: a server already running from this data dir is reused.
#
# The LAST line of stdout is the connection URL; everything else goes to stderr.
#
# Environment:
#   PGDATA_DIR        data directory                (default /tmp/kpi-pg)
#   PGPORT            TCP port on 127.0.0.1         (default 54329)
#   PG_START_TIMEOUT  seconds to wait for readiness (default 30)
#   PG_BIN_GLOB       where to look for initdb      (default /usr/lib/postgresql/*/bin/initdb)
set -euo pipefail

# Keep the real stdout on fd 3 for the final URL; all other output -> stderr.
exec 3>&1 1>&2

DATA_DIR=${PGDATA_DIR:-/tmp/kpi-pg}
PORT=${PGPORT:-54329}
TIMEOUT=${PG_START_TIMEOUT:-30}
BIN_GLOB=${PG_BIN_GLOB:-/usr/lib/postgresql/*/bin/initdb}
HOST=127.0.0.1
DB_USER=kpi
DB_PASSWORD=kpi
DB_NAME=kpi
CONF_NAME=kpi-ci.conf

# Don't let the caller's libpq environment redirect our admin connections.
unset PGHOST PGHOSTADDR PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE \
      PGSERVICEFILE PGOPTIONS PGDATA PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS
export PGCONNECT_TIMEOUT=5

log() { printf 'postgres-up: %s\n' "$*" >&2; }
die() { printf 'postgres-up: ERROR: %s\n' "$*" >&2; exit 1; }

if ! [[ $PORT =~ ^[1-9][0-9]{0,4}$ ]] || ((PORT > 65535)); then
    die "invalid PGPORT: $PORT"
fi
if ! [[ $TIMEOUT =~ ^[1-9][0-9]*$ ]]; then
    die "invalid PG_START_TIMEOUT: $TIMEOUT"
fi
[[ $DATA_DIR == /* ]] || DATA_DIR="$PWD/$DATA_DIR"
[[ $DATA_DIR != *"'"* && $DATA_DIR != *$'\n'* ]] || die "PGDATA_DIR must not contain quotes or newlines"
DATA_DIR=${DATA_DIR%/}
[[ -n $DATA_DIR ]] || die "PGDATA_DIR must not be /"

# --- who runs the server ----------------------------------------------------
if ((EUID == 0)); then
    PG_OS_USER=postgres
else
    PG_OS_USER=$(id -un)
fi

# Run a command as the server's OS user (from /, so an unreadable cwd is
# harmless). fd 3 (our real stdout) is closed so that a daemonised postmaster
# never holds the caller's pipe open, e.g. in `$(postgres-up.sh | tail -1)`.
as_pg() {
    if ((EUID == 0)); then
        (cd / && runuser -u "$PG_OS_USER" -- "$@") 3>&-
    else
        (cd / && "$@") 3>&-
    fi
}

# --- locate (or install) server binaries -----------------------------------
# Prints the bin dir of the highest installed major version, or of a specific
# major version if $1 is given. Returns 1 if none found.
find_bindir() {
    local want=${1:-} f dir ver best="" best_ver=""
    # shellcheck disable=SC2206  # intentional glob expansion
    local candidates=($BIN_GLOB)
    for f in "${candidates[@]}"; do
        [[ -x $f ]] || continue
        dir=${f%/initdb}
        [[ -x $dir/postgres && -x $dir/pg_ctl ]] || continue
        ver=$(basename "$(dirname "$dir")")
        if [[ -n $want ]]; then
            [[ $ver == "$want" ]] && { printf '%s\n' "$dir"; return 0; }
            continue
        fi
        if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best_ver" "$ver" | sort -V | tail -1) == "$ver" ]]; then
            best=$dir best_ver=$ver
        fi
    done
    [[ -n $best ]] && printf '%s\n' "$best"
}

apt_lists_present() {
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

apt_has_candidate() {
    local cand
    cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
    [[ -n $cand && $cand != "(none)" ]]
}

install_postgresql() {
    ((EUID == 0)) || die "PostgreSQL server binaries not found ($BIN_GLOB) and not root; install them with: sudo apt-get install postgresql"
    command -v apt-get >/dev/null || die "PostgreSQL server binaries not found ($BIN_GLOB) and apt-get is unavailable"
    export DEBIAN_FRONTEND=noninteractive
    local updated=0
    if ! apt_lists_present || ! apt_has_candidate postgresql; then
        log "running apt-get update"
        apt-get update -qq || die "apt-get update failed"
        updated=1
    fi
    log "installing Debian package 'postgresql' (this can take a minute)"
    if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 postgresql >/dev/null; then
        ((updated)) && die "apt-get install postgresql failed"
        # Stale package lists (404 on download): refresh once and retry.
        log "install failed; refreshing package lists and retrying"
        apt-get update -qq || die "apt-get update failed"
        apt-get install -y -qq -o Dpkg::Use-Pty=0 postgresql >/dev/null \
            || die "apt-get install postgresql failed"
    fi
}

BINDIR=$(find_bindir) || true
if [[ -z $BINDIR ]]; then
    log "no PostgreSQL server binaries found ($BIN_GLOB)"
    install_postgresql
    BINDIR=$(find_bindir) || true
    [[ -n $BINDIR ]] || die "PostgreSQL was installed but no initdb matches $BIN_GLOB"
fi

# An existing cluster must be served by binaries of its own major version.
if [[ -f $DATA_DIR/PG_VERSION ]]; then
    cluster_ver=$(<"$DATA_DIR/PG_VERSION")
    BINDIR=$(find_bindir "$cluster_ver") \
        || die "$DATA_DIR is a PostgreSQL $cluster_ver cluster but no matching binaries were found; run scripts/postgres-down.sh --purge"
fi
log "using $BINDIR"

if ((EUID == 0)); then
    id -u "$PG_OS_USER" >/dev/null 2>&1 \
        || die "system user '$PG_OS_USER' does not exist (it is normally created by Debian's postgresql-common package)"
fi

PSQL_ADMIN=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres)

pg_ready() { "$BINDIR/pg_isready" -q -h "$HOST" -p "$PORT" -t 2 >/dev/null 2>&1; }

# Is the server from our data dir running? (pg_ctl refuses to run as root.)
our_server_running() {
    [[ -f $DATA_DIR/postmaster.pid ]] || return 1
    as_pg "$BINDIR/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1
}

# Line 4 of postmaster.pid is the port, line 6 the first listen address.
pidfile_field() { sed -n "${1}p" "$DATA_DIR/postmaster.pid" 2>/dev/null || true; }

show_log_tail() {
    if [[ -f $DATA_DIR/server.log ]]; then
        log "last lines of $DATA_DIR/server.log:"
        tail -n 20 "$DATA_DIR/server.log" >&2 || true
    fi
}

# --- data directory ----------------------------------------------------------
prepare_data_dir() {
    if [[ ! -e $DATA_DIR ]]; then
        mkdir -p "$DATA_DIR"
    fi
    [[ -d $DATA_DIR ]] || die "$DATA_DIR exists and is not a directory"
    if [[ ! -f $DATA_DIR/PG_VERSION ]]; then
        [[ -z $(ls -A "$DATA_DIR") ]] \
            || die "$DATA_DIR is not empty and is not a PostgreSQL cluster; choose another PGDATA_DIR or remove it"
        if ((EUID == 0)); then
            chown "$PG_OS_USER": "$DATA_DIR"
        fi
    fi
    [[ $(stat -c %U "$DATA_DIR") == "$PG_OS_USER" ]] \
        || die "$DATA_DIR is owned by $(stat -c %U "$DATA_DIR"), expected $PG_OS_USER"
    chmod 700 "$DATA_DIR"
    as_pg test -w "$DATA_DIR" \
        || die "user $PG_OS_USER cannot access $DATA_DIR (check permissions of its parent directories)"
}

init_cluster() {
    local locale=C
    if locale -a 2>/dev/null | grep -Eqix 'c\.utf-?8'; then
        locale=C.UTF-8
    else
        log "locale C.UTF-8 not available; falling back to --locale=C"
    fi
    log "initialising cluster in $DATA_DIR (locale $locale)"
    local out
    out=$(as_pg "$BINDIR/initdb" -D "$DATA_DIR" -U postgres \
        --encoding=UTF8 --locale="$locale" \
        --auth-local=trust --auth-host=trust 2>&1) \
        || { printf '%s\n' "$out" >&2; die "initdb failed"; }

    # Trust only the unix socket and loopback; nothing else may connect.
    as_pg tee "$DATA_DIR/pg_hba.conf" >/dev/null <<'EOF'
# Throwaway test cluster (scripts/postgres-up.sh): loopback/local only.
# TYPE  DATABASE     USER  ADDRESS        METHOD
local   all          all                  trust
host    all          all   127.0.0.1/32   trust
local   replication  all                  trust
host    replication  all   127.0.0.1/32   trust
EOF
    printf "\n# Added by scripts/postgres-up.sh\ninclude_if_exists = '%s'\n" "$CONF_NAME" \
        | as_pg tee -a "$DATA_DIR/postgresql.conf" >/dev/null
}

# Rewritten on every start so the current PGPORT is honoured.
write_conf() {
    as_pg tee "$DATA_DIR/$CONF_NAME" >/dev/null <<EOF
# Managed by scripts/postgres-up.sh -- rewritten on every start.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$DATA_DIR'
# Throwaway cluster for tests: durability is not needed.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
}

start_server() {
    if pg_ready; then
        die "something else is already accepting connections on $HOST:$PORT; stop it or choose another PGPORT"
    fi
    write_conf
    log "starting server on $HOST:$PORT"
    if ! as_pg "$BINDIR/pg_ctl" start -D "$DATA_DIR" -l "$DATA_DIR/server.log" \
            -w -t "$TIMEOUT" -s >/dev/null; then
        show_log_tail
        die "pg_ctl start failed (data dir $DATA_DIR, port $PORT)"
    fi
}

wait_ready() {
    local deadline=$((SECONDS + TIMEOUT))
    until pg_ready; do
        if ((SECONDS >= deadline)); then
            show_log_tail
            die "server on $HOST:$PORT not ready after ${TIMEOUT}s"
        fi
        sleep 0.5
    done
}

# --- main --------------------------------------------------------------------
if [[ -d $DATA_DIR && -f $DATA_DIR/PG_VERSION ]] && our_server_running; then
    running_port=$(pidfile_field 4)
    running_listen=$(pidfile_field 6)
    if [[ $running_port == "$PORT" && $running_listen == "$HOST" ]]; then
        log "reusing server already running from $DATA_DIR on $HOST:$PORT"
    else
        log "server from $DATA_DIR runs on '${running_listen}:${running_port}', restarting on $HOST:$PORT"
        as_pg "$BINDIR/pg_ctl" stop -D "$DATA_DIR" -m fast -w -s >/dev/null \
            || die "could not stop the running server in $DATA_DIR"
        start_server
    fi
elif pg_ready; then
    # Something else answers on our port: reuse it only if it is clearly a
    # loopback-only server we can administer (e.g. a previous run that used a
    # different PGDATA_DIR); never touch anything else.
    other_dir=$("${PSQL_ADMIN[@]}" -At -c 'SHOW data_directory' 2>/dev/null) \
        || die "port $PORT on $HOST is in use by a server we cannot administer; choose another PGPORT"
    other_listen=$("${PSQL_ADMIN[@]}" -At -c 'SHOW listen_addresses')
    [[ $other_listen == "$HOST" ]] \
        || die "port $PORT is in use by a server (data dir $other_dir) listening on '$other_listen', not only $HOST; choose another PGPORT"
    log "reusing server already running on $HOST:$PORT (data dir $other_dir)"
else
    prepare_data_dir
    [[ -f $DATA_DIR/PG_VERSION ]] || init_cluster
    start_server
fi

wait_ready

log "ensuring role '$DB_USER' and database '$DB_NAME'"
"${PSQL_ADMIN[@]}" >/dev/null <<EOF
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = '$DB_NAME')
\gexec
EOF

URL="postgres://$DB_USER:$DB_PASSWORD@$HOST:$PORT/$DB_NAME"
"$BINDIR/psql" -X -q -At "$URL" -c 'SELECT 1' >/dev/null \
    || die "cannot connect as $DB_USER to $URL"
log "ready: $URL"
printf '%s\n' "$URL" >&3
