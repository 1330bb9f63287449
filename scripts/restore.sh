#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW database and a NEW folder; never over
# the running installation.
#
#   scripts/restore.sh BACKUP_DIR TARGET_DATABASE_URL TARGET_FILES_DIR
#
#   BACKUP_DIR            a kpi-YYYYmmddTHHMMSSZ folder written by scripts/backup.sh
#   TARGET_DATABASE_URL   postgres://user:password@host:port/NEWNAME — the database is created
#                         (the user needs CREATEDB) or must exist and be empty
#   TARGET_FILES_DIR      created; each file store goes to TARGET_FILES_DIR/<store> (media)
#                         and must not exist there yet or be empty
#
# Steps: check MANIFEST.sha256 → create the database → pg_restore in ONE transaction (all or
# nothing) → unpack the file stores → check every file against FILES.sha256. The last lines
# printed are the settings that point the application at the copy (docs/operations.md,
# "Restore"). Exit status 0 only when the database and every file were restored and checked.
set -euo pipefail

log() { printf 'restore: %s\n' "$*" >&2; }
die() { printf 'restore: ERROR: %s\n' "$*" >&2; exit 1; }

(($# == 3)) || die "usage: $0 BACKUP_DIR TARGET_DATABASE_URL TARGET_FILES_DIR"
BACKUP=${1%/}
TARGET_URL=$2
FILES_DIR=${3%/}
[[ -f $BACKUP/MANIFEST.sha256 ]] || die "$BACKUP is not a backup folder (no MANIFEST.sha256)"
[[ $TARGET_URL =~ ^postgres(ql)?:// ]] || die "TARGET_DATABASE_URL must be a postgres:// URL"
[[ -n $FILES_DIR ]] || die "TARGET_FILES_DIR must not be /"
BACKUP=$(cd "$BACKUP" && pwd)
[[ $FILES_DIR == /* ]] || FILES_DIR=$PWD/$FILES_DIR
for tool in pg_restore psql sha256sum tar; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian: apt-get install postgresql-client)"
done
PYTHON=${PYTHON:-$(command -v python3 || true)}
[[ -n $PYTHON ]] || die "python3 not found"
started=$SECONDS

log "checking the backup's checksums"
(cd "$BACKUP" && sha256sum --check --quiet --strict MANIFEST.sha256) \
    || die "the backup is damaged: MANIFEST.sha256 does not match"

# The target's name, and a URL of the same server's maintenance database to create it from.
read -r DB_NAME ADMIN_URL < <("$PYTHON" - "$TARGET_URL" <<'EOF'
import sys
from urllib.parse import unquote, urlsplit, urlunsplit

url = urlsplit(sys.argv[1])
name = unquote(url.path.lstrip("/"))
if not name or "/" in name:
    sys.exit("restore: ERROR: the target URL names no database")
print(name, urlunsplit(url._replace(path="/postgres")))
EOF
)
[[ $DB_NAME =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] \
    || die "database name '$DB_NAME': use letters, digits and _ only"

exists=$(psql --dbname="$ADMIN_URL" -X -At -v ON_ERROR_STOP=1 \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
if [[ $exists == 1 ]]; then
    tables=$(psql --dbname="$TARGET_URL" -X -At -v ON_ERROR_STOP=1 \
        -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    ((tables == 0)) || die "database $DB_NAME already holds $tables tables; restore into a new one"
    log "using the existing empty database $DB_NAME"
else
    can_create=$(psql --dbname="$ADMIN_URL" -X -At -v ON_ERROR_STOP=1 \
        -c "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
    [[ $can_create == t ]] || die "the database user may not create databases: create $DB_NAME first, as postgres:
    sudo -u postgres createdb --owner <user> --encoding UTF8 --template template0 $DB_NAME
then run this command again (docs/operations.md §5)"
    log "creating database $DB_NAME"
    psql --dbname="$ADMIN_URL" -X -q -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE \"$DB_NAME\" ENCODING 'UTF8' TEMPLATE template0"
fi

for archive in "$BACKUP"/files-*.tar; do
    store=$(basename "$archive" .tar)
    store=${store#files-}
    target=$FILES_DIR/$store
    if [[ -e $target ]] && [[ -n $(ls -A "$target") ]]; then
        die "$target is not empty; restore into a new folder"
    fi
done

log "restoring the database (one transaction)"
db_started=$SECONDS
pg_restore --dbname="$TARGET_URL" --no-owner --no-privileges --single-transaction \
    --exit-on-error "$BACKUP/database.dump"
log "database restored in $((SECONDS - db_started)) s"
# pg_restore brings no planner statistics: without them the first queries on the copy plan as
# for empty tables (nested loops over every row) until autovacuum gets there.
# Only the application's own tables: a plain ANALYZE as the (non-superuser) owner prints a
# warning for every system catalogue it may not analyse.
psql --quiet --no-psqlrc -X -At -v ON_ERROR_STOP=1 "$TARGET_URL" \
    -c "SELECT format('ANALYZE %I.%I;', schemaname, tablename) FROM pg_tables
        WHERE tableowner = current_user AND schemaname NOT IN ('pg_catalog', 'information_schema')" \
    | psql --quiet --no-psqlrc -X -v ON_ERROR_STOP=1 "$TARGET_URL" >/dev/null
log "planner statistics refreshed (ANALYZE of the application's tables)"

mkdir -p "$FILES_DIR"
for archive in "$BACKUP"/files-*.tar; do
    store=$(basename "$archive" .tar)
    store=${store#files-}
    log "unpacking $store into $FILES_DIR/$store"
    mkdir -p "$FILES_DIR/$store"
    tar --extract --file="$archive" --directory="$FILES_DIR/$store" --no-same-owner
done
log "checking every restored file against FILES.sha256"
if [[ -s $BACKUP/FILES.sha256 ]]; then
    (cd "$FILES_DIR" && sha256sum --check --quiet --strict "$BACKUP/FILES.sha256") \
        || die "restored files do not match FILES.sha256"
fi
count=$(wc -l <"$BACKUP/FILES.sha256")
log "done in $((SECONDS - started)) s: database $DB_NAME, $count files under $FILES_DIR"
log "to run the application on the copy, set in its environment file:"
printf 'DATABASE_URL=%s\n' "$TARGET_URL"
printf 'DJANGO_MEDIA_ROOT=%s\n' "$FILES_DIR/media"
if [[ -d $FILES_DIR/private ]]; then
    printf 'KPI_PRIVATE_MEDIA_ROOT=%s\n' "$FILES_DIR/private"
fi
