#!/usr/bin/env bash
# Back up KPI Công vụ: the database (pg_dump, custom format) and the uploaded files, with a
# manifest of sha256 sums, into one new folder. Restore with scripts/restore.sh.
#
#   scripts/backup.sh [DEST]        # DEST defaults to $KPI_BACKUP_DIR
#
# Reads the service's environment (deploy/kpi.env.example), e.g.
#   set -a; . /etc/kpi-cong-vu/kpi.env; set +a; scripts/backup.sh
# or through deploy/systemd/kpi-backup.service (nightly, kpi-backup.timer).
#
#   DATABASE_URL          postgres://user:password@host:port/name (required)
#   DJANGO_MEDIA_ROOT     the uploaded files, all private (default: <checkout>/media, as in the
#                         settings): imports, evidence, minutes, complaints (cms/private_files.py)
#   KPI_BACKUP_DIR        where backups go, when DEST is not given
#   KPI_BACKUP_KEEP_DAYS  after a successful backup, delete backups older than this many days
#                         (default 0: keep everything); the newest one is never deleted
#
# Writes DEST/kpi-YYYYmmddTHHMMSSZ/:
#   database.dump     pg_dump --format=custom (schema, data, sequences)
#   files-media.tar   the media folder
#   FILES.sha256      sha256 of every file inside the archives: <store>/<path>
#   MANIFEST.sha256   sha256 of database.dump, the archives and FILES.sha256
#   INFO              when, from where, application commit, PostgreSQL and pg_dump versions
# The folder is built as .partial and renamed only when complete, so a folder named kpi-* is
# always a whole backup. The dump is taken before the files: every file the database points to
# is in the archive (files are only ever added, never rewritten in place).
# Exit status 0 only when everything was written and checked.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
log() { printf 'backup: %s\n' "$*" >&2; }
die() { printf 'backup: ERROR: %s\n' "$*" >&2; exit 1; }

DEST=${1:-${KPI_BACKUP_DIR:-}}
[[ -n $DEST ]] || die "no destination: pass DEST or set KPI_BACKUP_DIR"
[[ -n ${DATABASE_URL:-} ]] || die "DATABASE_URL is not set (load the service's environment file)"
[[ $DATABASE_URL =~ ^postgres(ql)?:// ]] || die "DATABASE_URL must be a postgres:// URL"
KEEP_DAYS=${KPI_BACKUP_KEEP_DAYS:-0}
[[ $KEEP_DAYS =~ ^[0-9]+$ ]] || die "KPI_BACKUP_KEEP_DAYS must be a number of days"
for tool in pg_dump pg_restore sha256sum tar; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian: apt-get install postgresql-client coreutils tar)"
done
PYTHON=${PYTHON:-$(command -v python3 || true)}
[[ -n $PYTHON ]] || die "python3 not found"

# The file stores: name → folder (one today; restore.sh restores whatever files-*.tar holds).
# A store that does not exist yet is recorded as empty.
declare -A STORES=([media]=${DJANGO_MEDIA_ROOT:-$ROOT/media})
# Private uploads kept apart from the media folder (KPI_PRIVATE_MEDIA_ROOT, docs/security.md).
if [[ -n ${KPI_PRIVATE_MEDIA_ROOT:-} && ${KPI_PRIVATE_MEDIA_ROOT%/} != "${STORES[media]%/}" ]]; then
    STORES[private]=$KPI_PRIVATE_MEDIA_ROOT
fi

umask 077  # backups hold personal data
mkdir -p "$DEST"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
FINAL=$DEST/kpi-$STAMP
WORK=$DEST/.kpi-$STAMP.partial
[[ ! -e $FINAL && ! -e $WORK ]] || die "$FINAL already exists"
mkdir "$WORK"
trap 'rm -rf -- "$WORK"' EXIT
started=$SECONDS

log "dumping the database"
pg_dump --dbname="$DATABASE_URL" --format=custom --compress=6 --no-password \
    --file="$WORK/database.dump"
# A dump that pg_restore cannot list is no backup.
pg_restore --list "$WORK/database.dump" >/dev/null || die "pg_restore cannot read the new dump"

for store in "${!STORES[@]}"; do
    folder=${STORES[$store]}
    if [[ -d $folder ]]; then
        log "archiving $store: $folder"
        tar --create --file="$WORK/files-$store.tar" --directory="$folder" \
            --numeric-owner --sort=name .
    else
        log "$store folder $folder does not exist: recording an empty store"
        tar --create --file="$WORK/files-$store.tar" --files-from=/dev/null
    fi
done

# Checksums of the files as archived (read back from the archives themselves, so they describe
# exactly what a restore will produce, even if uploads arrived meanwhile).
"$PYTHON" - "$WORK" "${!STORES[@]}" >"$WORK/FILES.sha256" <<'EOF'
import hashlib, sys, tarfile
from pathlib import Path

work = Path(sys.argv[1])
for store in sorted(sys.argv[2:]):
    with tarfile.open(work / f"files-{store}.tar") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if not member.isfile():
                continue
            digest = hashlib.sha256()
            with archive.extractfile(member) as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            name = member.name[2:] if member.name.startswith("./") else member.name
            print(f"{digest.hexdigest()}  {store}/{name}")
EOF

{
    printf 'created_utc=%s\n' "$STAMP"
    printf 'host=%s\n' "$(hostname)"
    printf 'app_commit=%s\n' "$(git -c safe.directory="$ROOT" -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
    printf 'pg_dump=%s\n' "$(pg_dump --version)"
    printf 'server=%s\n' "$(psql --dbname="$DATABASE_URL" -X -At -c 'SHOW server_version' 2>/dev/null || echo unknown)"
    for store in "${!STORES[@]}"; do
        printf 'store_%s=%s (%s files)\n' "$store" "${STORES[$store]}" \
            "$(grep -c "  $store/" "$WORK/FILES.sha256" || true)"
    done
} >"$WORK/INFO"

(cd "$WORK" && sha256sum database.dump files-*.tar FILES.sha256 INFO >MANIFEST.sha256)
(cd "$WORK" && sha256sum --check --quiet MANIFEST.sha256) || die "manifest check failed"

mv "$WORK" "$FINAL"
trap - EXIT
log "done in $((SECONDS - started)) s: $FINAL ($(du -sh "$FINAL" | cut -f1))"

if ((KEEP_DAYS > 0)); then
    # Whole backups (kpi-*) older than KEEP_DAYS, never the one just written.
    while IFS= read -r -d '' old; do
        [[ $old == "$FINAL" ]] && continue
        log "removing backup older than $KEEP_DAYS days: $old"
        rm -rf -- "$old"
    done < <(find "$DEST" -mindepth 1 -maxdepth 1 -type d -name 'kpi-*' -mtime "+$KEEP_DAYS" -print0)
    # Leftovers of interrupted runs.
    find "$DEST" -mindepth 1 -maxdepth 1 -type d -name '.kpi-*.partial' -mtime +1 \
        -exec rm -rf -- {} + 2>/dev/null || true
fi
printf '%s\n' "$FINAL"
