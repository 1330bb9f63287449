#!/usr/bin/env bash
# CI: docs/operations.md's recipe, run as written on a fresh Debian 12 root (issue 47; reliability
# review M4, L4, L5): a step that does not work as the document says fails this script.
#
#   bash scripts/ci-recipe.sh          # as root; exit 0 only when every step and check passed
#
# 1. A Debian 12 (bookworm) root made by debootstrap (the default variant: what the installer puts
#    on every server), cached as a tar in /var/cache/kpi-recipe and unpacked anew for each run,
#    entered with chroot on this machine's network (the recipe installs from Debian and PyPI).
# 2. The blocks of docs/operations.md whose fence says ```sh recipe=NAME, extracted by
#    scripts/recipe.py and run VERBATIM, in the document's order, in ONE root shell (a `cd` or a
#    variable of one step holds in the next, as in an operator's terminal). Only the four
#    placeholders are filled: <repository> (a bare copy of this checkout's history), <release>
#    (the PREVIOUS release, $KPI_RECIPE_PREVIOUS, default d26c72b), <new release> (this
#    checkout's HEAD) and <a long password>. kpi.tinh.gov.vn stays: the root's /etc/hosts points
#    it at 127.0.0.1.
# 3. What the root cannot do is stood in for, and said so: no systemd runs in a chroot, so
#    `systemctl`, `timedatectl` and the operator's `editor` are the small scripts of
#    scripts/ci-recipe/ (systemctl starts the units' own ExecStart lines as their User=);
#    packages do not start their services at install (policy-rc.d), so PostgreSQL is started
#    as its unit would be; apt-get answers yes; step 7's certificate (no commands in the
#    document) is a self-signed one the root trusts.
# 4. Between the blocks, checks print PASS or FAIL: the site and a static file through nginx
#    (whose workers run as www-data: reliability review M4), the checkout closed to others, the
#    server's zone and the timers' next run in Vietnam time (L4), the demo data loaded under the
#    previous release and still all there after the upgrade block (migrations applied, the new
#    code and gunicorn's new command line running), and the restore block run as the
#    application's role (no CREATEDB, no superuser) without a warning (L5).
#
# Environment (optional): KPI_RECIPE_PREVIOUS (the release installed first), KPI_RECIPE_ROOT
# (the root, default /tmp/kpi-recipe-root; removed after a pass, kept after a failure),
# KPI_RECIPE_CACHE (default /var/cache/kpi-recipe), KPI_RECIPE_LOG (default $ROOT.log).
# Needs: root, ports 25, 80, 443, 5432 and 8000 free on this machine (the recipe's own), Debian's
# and PyPI's registries.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
PREVIOUS=${KPI_RECIPE_PREVIOUS:-d26c72b}
R=${KPI_RECIPE_ROOT:-/tmp/kpi-recipe-root}
CACHE=${KPI_RECIPE_CACHE:-/var/cache/kpi-recipe}
LOG=${KPI_RECIPE_LOG:-$R.log}
MIRROR=http://deb.debian.org/debian

say() { printf '\n== [%3ds] recipe: %s ==\n' "$SECONDS" "$*"; }
die() { printf 'ci-recipe: ERROR: %s\n' "$*" >&2; exit 1; }

((EUID == 0)) || die "needs root (debootstrap, chroot, the recipe's own apt-get and adduser)"
git cat-file -e "$PREVIOUS^{commit}" 2>/dev/null || die "the previous release $PREVIOUS is not in this clone's history"
for port in 25 80 443 5432 8000; do
    if ss -ltnH "sport = :$port" | grep -q .; then
        die "port $port is already in use on this machine; the recipe's server needs it"
    fi
done

# --- every process whose root is $R is ours: ended by its id; the mounts undone --------------
in_root_pids() {
    local p
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/root" 2>/dev/null) == "$R" ]] && echo "${p#/proc/}"
    done
}
cleanup() {
    local rc=$? pid
    set +e
    trap - EXIT INT TERM
    for signal in TERM KILL; do
        for pid in $(in_root_pids); do kill -"$signal" "$pid" 2>/dev/null; done
        [[ $signal == TERM ]] && sleep 2
    done
    for mount in dev/shm dev/pts dev proc sys root/.cache/pip; do
        mountpoint -q "$R/$mount" && umount -l "$R/$mount"
    done
    if ((rc == 0)); then
        rm -rf --one-file-system -- "$R"
    else
        echo "ci-recipe: FAILED (exit $rc) after ${SECONDS}s; the root is kept in $R, its log in $LOG" >&2
        tail -n 60 "$LOG" >&2 2>/dev/null
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a fresh Debian 12 root ---------------------------------------------------------------------
mkdir -p "$CACHE"
if [[ ! -s $CACHE/bookworm.tar ]]; then
    say "debootstrap bookworm (once; cached in $CACHE)"
    command -v debootstrap >/dev/null || {
        apt-get install -y -qq debootstrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
    }
    rm -rf "$CACHE/build"
    timeout 900 debootstrap bookworm "$CACHE/build" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    tar -C "$CACHE/build" -cf "$CACHE/bookworm.tar.part" . && mv "$CACHE/bookworm.tar.part" "$CACHE/bookworm.tar"
    rm -rf --one-file-system "$CACHE/build"
fi
if [[ -e $R ]]; then
    for mount in dev/shm dev/pts dev proc sys root/.cache/pip; do
        mountpoint -q "$R/$mount" && umount -l "$R/$mount"
    done
    rm -rf --one-file-system -- "$R"
fi
mkdir -p "$R"
tar -C "$R" -xf "$CACHE/bookworm.tar"
say "Debian $(cat "$R/etc/debian_version") root in $R"

mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$R/dev/pts" 2>/dev/null || true
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
# pip's download cache of this machine, so the two installs do not download every wheel again.
mkdir -p /root/.cache/pip "$R/root/.cache/pip"
mount --bind /root/.cache/pip "$R/root/.cache/pip"
cp /etc/resolv.conf "$R/etc/resolv.conf"
# As the installer writes it (the machine's own name), plus the province's host name.
printf '127.0.0.1\tlocalhost kpi.tinh.gov.vn\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost\n' \
    "$(hostname)" >"$R/etc/hosts"
hostname >"$R/etc/hostname"
printf '#!/bin/sh\n# CI: packages do not start services in this root (scripts/ci-recipe.sh)\nexit 101\n' \
    >"$R/usr/sbin/policy-rc.d"
chmod +x "$R/usr/sbin/policy-rc.d"
echo 'APT::Get::Assume-Yes "true";' >"$R/etc/apt/apt.conf.d/90ci-recipe"
install -m 755 scripts/ci-recipe/systemctl scripts/ci-recipe/timedatectl scripts/ci-recipe/editor \
    "$R/usr/local/sbin/"

# Step 7 has no commands: the province's certificate, here a self-signed one the root trusts.
mkdir -p "$R/etc/ssl/kpi-cong-vu" "$R/usr/local/share/ca-certificates"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=kpi.tinh.gov.vn \
    -addext "subjectAltName=DNS:kpi.tinh.gov.vn" \
    -keyout "$R/etc/ssl/kpi-cong-vu/privkey.pem" -out "$R/etc/ssl/kpi-cong-vu/fullchain.pem" 2>/dev/null
chmod 600 "$R/etc/ssl/kpi-cong-vu/privkey.pem"
cp "$R/etc/ssl/kpi-cong-vu/fullchain.pem" "$R/usr/local/share/ca-certificates/kpi-ci.crt"
# This machine's network: the authorities it trusts for HTTPS (a proxy's own CA, say) are
# trusted by the root too, and pip is told to use the system's store, as pip here is.
shopt -s nullglob
for ca in /usr/local/share/ca-certificates/*.crt; do
    cp "$ca" "$R/usr/local/share/ca-certificates/host-$(basename "$ca")"
done
shopt -u nullglob
printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$R/etc/pip.conf"

# <repository>: this clone's two releases, as tags of a bare repository inside the root.
git init -q --bare "$R/srv/kpi-source.git"
git push -q "$R/srv/kpi-source.git" "$PREVIOUS:refs/tags/kpi-previous" "HEAD:refs/tags/kpi-release"
RELEASE=$(git rev-parse HEAD)
PREVIOUS_FULL=$(git rev-parse "$PREVIOUS")

# --- the script the root shell runs: the blocks, verbatim, and the CI's checks between them ---
block() {
    local text
    text=$(python3 scripts/recipe.py "$1") || die "docs/operations.md has no block recipe=$1"
    text=${text//<repository>//srv/kpi-source.git}
    text=${text//<new release>/kpi-release}
    text=${text//<release>/kpi-previous}
    text=${text//<a long password>/$ADMIN_PASSWORD}
    if grep -qE '<[a-z][a-z ]*>' <<<"$text"; then
        die "block $1 has a placeholder this script does not fill: $(grep -oE '<[a-z][a-z ]*>' <<<"$text" | head -1)"
    fi
    printf '\necho "=== recipe block %s"\n%s\necho "=== end of block %s"\n' "$1" "$text" "$1"
}
ADMIN_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
EXPECTED=(packages user code database environment schema nginx services first-backup upgrade restore)
[[ "$(python3 scripts/recipe.py --list | tr '\n' ' ')" == "${EXPECTED[*]} " ]] \
    || die "docs/operations.md's recipe blocks changed ($(python3 scripts/recipe.py --list | tr '\n' ' ')): say here where the CI's checks go"

{
    cat <<'EOF'
# Generated by scripts/ci-recipe.sh: docs/operations.md's blocks, verbatim, and the CI's checks.
set -eo pipefail
pass() { echo "PASS recipe: $*"; }
fail() { echo "FAIL recipe: $*"; exit 1; }
wait_for() {  # seconds, description, command…
    local limit=$1 what=$2
    shift 2
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "$what (not within ${limit} s)"
        sleep 1
    done
}
sql() { (set -a; . /etc/kpi-cong-vu/kpi.env; psql -X -At "${1:-$DATABASE_URL}" -c "$2"); }
counts() {
    local table
    for table in accounts_user org_civilservant scoring_assignmentline scoring_periodscore \
                 scoring_annualscore ratings_ratingcase importers_importjob cms_outgoingmail; do
        echo "$table $(sql "${1:-}" "SELECT count(*) FROM $table")"
    done
}
static_file() {  # the first stylesheet the sign-in page links, fetched through nginx
    local page css
    page=$(curl -fsS https://kpi.tinh.gov.vn/admin/login/) || fail "the sign-in page did not answer through nginx"
    css=$(grep -oE '/static/[^"]+\.css' <<<"$page" | head -n 1)
    [[ -n $css ]] || fail "the sign-in page links no stylesheet"
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "https://kpi.tinh.gov.vn$css")
    [[ $code == "200 text/css"* ]] || fail "static file $css through nginx: $code (reliability review M4)"
    pass "static file $css served by nginx's www-data workers: $code"
}
EOF
    block packages
    cat <<'EOF'
# CI: on a real server the packages' own units are running now; here they are started as
# those units would start them (policy-rc.d kept them from starting at install).
systemctl start postgresql
update-ca-certificates >/dev/null 2>&1
[[ $(readlink /etc/localtime) == */Asia/Ho_Chi_Minh && $(date +%z) == +0700 ]] \
    || fail "the server's zone is $(readlink /etc/localtime) ($(date +%z))"
pass "the server's zone is Asia/Ho_Chi_Minh ($(date +%z))"
EOF
    block user
    block code
    cat <<'EOF'
[[ $(stat -c %A /srv/kpi-cong-vu) == d???????-- && $(stat -c %G /srv/kpi-cong-vu) == kpi ]] \
    || fail "the checkout is $(stat -c '%A %U:%G' /srv/kpi-cong-vu), not closed to others"
pass "the checkout is $(stat -c '%A %U:%G' /srv/kpi-cong-vu) and the static folder $(stat -c '%A %U:%G' /var/www/kpi-cong-vu/static)"
EOF
    block database
    block environment
    block schema
    block nginx
    block services
    cat <<'EOF'
static_file
for timer in kpi-daily kpi-backup; do
    calendar=$(grep -m1 '^OnCalendar=' /etc/systemd/system/$timer.timer | cut -d= -f2-)
    next=$(systemd-analyze calendar "$calendar" | sed -n 's/^ *Next elapse: //p')
    [[ $next == *" +07" ]] || fail "$timer.timer's next run is '$next', not in Vietnam time"
    pass "$timer.timer ($calendar) next runs $next"
done
EOF
    block first-backup
    cat <<EOF
# CI: data under the previous release ($PREVIOUS_FULL): the demo province, its queue drained.
[[ \$(git -C /srv/kpi-cong-vu rev-parse HEAD) == $PREVIOUS_FULL ]] || fail "the previous release is not what runs"
kpi-manage load_demo --allow-production >/var/log/ci-load-demo.log 2>&1 || { tail -n 30 /var/log/ci-load-demo.log; fail "load_demo under the previous release"; }
queue_empty() { [[ \$(sql "" "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY','RUNNING') AND run_after <= now()") == 0 ]]; }
wait_for 600 "the previous release's worker drains the demo's queue" queue_empty
counts >/root/counts-before
pass "previous release $PREVIOUS_FULL: demo data loaded (\$(tr '\n' ' ' </root/counts-before))"
EOF
    block upgrade
    cat <<EOF
[[ \$(git -C /srv/kpi-cong-vu rev-parse HEAD) == $RELEASE ]] || fail "the upgrade did not check out $RELEASE"
kpi-manage migrate --check --no-input >/dev/null || fail "migrations left unapplied after the upgrade"
counts >/root/counts-after
diff /root/counts-before /root/counts-after || fail "rows differ after the upgrade (above)"
pass "upgraded to $RELEASE: migrations applied, every counted row still there"
wait_for 60 "the site answers after the upgrade" curl -fsS https://kpi.tinh.gov.vn/healthz
web_pid=\$(cat /run/ci-systemd/kpi-web.service.mainpid)
cmdline=\$(tr '\0' ' ' </proc/\$web_pid/cmdline)
[[ \$(readlink /proc/\$web_pid/exe) == */python3* && \$cmdline == *"--config /srv/kpi-cong-vu/deploy/gunicorn.conf.py"* ]] \
    || fail "gunicorn (pid \$web_pid, \$(readlink /proc/\$web_pid/exe)) runs the old command line: \$cmdline"
pass "gunicorn runs the new unit's command line"
static_file
EOF
    block restore
} >"$R/root/recipe.sh"

# The restore's own check (its rows against the live database's) needs the URL with the password.
cat >>"$R/root/recipe.sh" <<'EOF'
restored_url=$(set -a; . /etc/kpi-cong-vu/kpi.env; echo "${DATABASE_URL%/*}/kpi_restored")
counts "$restored_url" >/root/counts-restored
counts >/root/counts-live
diff /root/counts-live /root/counts-restored || fail "the restored copy differs from the live database (above)"
pass "restored as the role kpi ($(sql "" "SELECT rolcreatedb::text || '/' || rolsuper::text FROM pg_roles WHERE rolname = 'kpi'") createdb/superuser) into kpi_restored: every counted row there"
echo "=== recipe done"
EOF

say "docs/operations.md, run as written in $R (log: $LOG)"
started=$SECONDS
if ! timeout --kill-after=10 3600 chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    bash /root/recipe.sh </dev/null >"$LOG" 2>&1; then
    grep -E '^(PASS|FAIL) recipe|^=== recipe block' "$LOG" | tail -n 15 >&2
    die "the recipe failed at the block or check above (log: $LOG)"
fi
grep -E '^(PASS|FAIL) recipe' "$LOG"
# L5: the restore, as §5 shows it, prints no warning.
restore_output=$(sed -n '/^=== recipe block restore/,/^=== end of block restore/p' "$LOG")
if grep -q WARNING <<<"$restore_output"; then
    grep WARNING <<<"$restore_output" | head -n 5 >&2
    die "the restore block printed warnings (docs/operations.md §5 says it prints none)"
fi
echo "PASS recipe: the restore block printed no warning ($(grep -c . <<<"$restore_output") lines)"
grep -q '^=== recipe done' "$LOG" || die "the recipe did not reach its end"
echo "ci-recipe: docs/operations.md ran as written, every check passed, in $((SECONDS - started)) s (${SECONDS} s with the root)"
