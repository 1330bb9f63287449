#!/usr/bin/env bash
# Stop the throwaway PostgreSQL server started by scripts/postgres-up.sh.
#
#   scripts/postgres-down.sh           # stop (fast shutdown), keep the data dir
#   scripts/postgres-down.sh --purge   # stop and delete the data dir
#
# Environment: PGDATA_DIR (default /tmp/kpi-pg), PG_BIN_GLOB
# (default /usr/lib/postgresql/*/bin/initdb), as for postgres-up.sh.
set -euo pipefail

DATA_DIR=${PGDATA_DIR:-/tmp/kpi-pg}
BIN_GLOB=${PG_BIN_GLOB:-/usr/lib/postgresql/*/bin/initdb}
PURGE=0

log() { printf 'postgres-down: %s\n' "$*" >&2; }
die() { printf 'postgres-down: ERROR: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
    case $arg in
        --purge) PURGE=1 ;;
        -h | --help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg (usage: $0 [--purge])" ;;
    esac
done

[[ $DATA_DIR == /* ]] || DATA_DIR="$PWD/$DATA_DIR"
DATA_DIR=${DATA_DIR%/}
[[ -n $DATA_DIR ]] || die "PGDATA_DIR must not be /"
unset PGDATA

if [[ ! -e $DATA_DIR ]]; then
    log "$DATA_DIR does not exist; nothing to do"
    exit 0
fi
[[ -d $DATA_DIR ]] || die "$DATA_DIR is not a directory"

# pg_ctl refuses to run as root: run it as the data dir's owner.
owner=$(stat -c %U "$DATA_DIR")
as_owner() {
    if ((EUID == 0)) && [[ $owner != root ]]; then
        (cd / && runuser -u "$owner" -- "$@")
    else
        (cd / && "$@")
    fi
}

# Binaries matching the cluster's major version.
find_bindir() {
    local want=$1 f dir
    # shellcheck disable=SC2206  # intentional glob expansion
    local candidates=($BIN_GLOB)
    for f in "${candidates[@]}"; do
        dir=${f%/initdb}
        [[ -x $dir/pg_ctl ]] || continue
        [[ $(basename "$(dirname "$dir")") == "$want" ]] && { printf '%s\n' "$dir"; return 0; }
    done
    return 1
}

if [[ -f $DATA_DIR/postmaster.pid ]]; then
    pid=$(head -n 1 "$DATA_DIR/postmaster.pid")
    bindir=""
    if [[ -f $DATA_DIR/PG_VERSION ]]; then
        bindir=$(find_bindir "$(<"$DATA_DIR/PG_VERSION")") || bindir=""
    fi
    if [[ -n $bindir ]]; then
        if as_owner "$bindir/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1; then
            log "stopping server in $DATA_DIR (pid $pid)"
            as_owner "$bindir/pg_ctl" stop -D "$DATA_DIR" -m fast -w -t 60 -s \
                || die "pg_ctl stop failed"
        else
            log "server in $DATA_DIR is not running (stale postmaster.pid)"
        fi
    elif [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) =~ ^(postgres|postmaster)$ ]]; then
        # No pg_ctl available: SIGINT is PostgreSQL's "fast" shutdown.
        log "pg_ctl not found; sending SIGINT (fast shutdown) to postmaster $pid"
        kill -INT "$pid"
        for _ in $(seq 1 120); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        ! kill -0 "$pid" 2>/dev/null || die "postmaster $pid did not stop"
    else
        log "server in $DATA_DIR is not running (stale postmaster.pid)"
    fi
else
    log "server in $DATA_DIR is not running"
fi

if ((PURGE)); then
    # Only delete something that is (or was about to become) our cluster.
    if [[ -f $DATA_DIR/PG_VERSION || -z $(ls -A "$DATA_DIR") ]]; then
        log "removing $DATA_DIR"
        rm -rf -- "$DATA_DIR"
    else
        die "refusing to purge $DATA_DIR: it does not look like a PostgreSQL data directory"
    fi
fi
