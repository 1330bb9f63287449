#!/usr/bin/env bash
# Make sure Debian's Chromium (/usr/bin/chromium) is available for the
# Playwright browser tests (pytest -m browser).
#
# - Already installed: print its version (stderr) and exit 0.
# - Root with apt-get: install Debian's `chromium` package and exit 0.
# - Otherwise: explain that browser tests will be skipped; still exit 0.
#
# A browser is NEVER downloaded any other way (no `playwright install`, no npx).
# CHROMIUM_BIN overrides the expected path (default /usr/bin/chromium).
set -uo pipefail

CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}

log() { printf 'ensure-chromium: %s\n' "$*" >&2; }

print_version() {
    local v
    # Debian's launcher may print harmless shell noise on stderr; drop it.
    v=$("$CHROMIUM_BIN" --version 2>/dev/null | head -n 1)
    log "found ${v:-chromium (version unknown)} at $CHROMIUM_BIN"
}

skip_notice() {
    log "$1"
    log "Chromium is not available: browser tests (pytest -m browser) will be SKIPPED."
    log "To enable them, install Debian's package as root:"
    log "    apt-get update && apt-get install -y chromium"
    log "(Do not use 'playwright install' or npx to download a browser.)"
    exit 0
}

# Vietnamese for the browser's own widgets (date fields read dd/mm/yyyy, "Chọn tệp"), as on a
# user's computer: the user guide's screenshots (tests/browser/test_guide.py) show them. Best
# effort: without it the tests still pass, with English widgets in the pictures.
ensure_vietnamese() {
    [[ -e /usr/lib/chromium/locales/vi.pak ]] && return 0
    ((EUID == 0)) && command -v apt-get >/dev/null 2>&1 || return 0
    log "installing Debian package 'chromium-l10n' (Vietnamese date and file fields)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 chromium-l10n \
        >/dev/null 2>&1 || log "apt-get install chromium-l10n failed; widgets stay in English."
}

if [[ -x $CHROMIUM_BIN ]]; then
    print_version
    ensure_vietnamese
    exit 0
fi

((EUID == 0)) || skip_notice "$CHROMIUM_BIN not found and not running as root, so it cannot be installed."
command -v apt-get >/dev/null 2>&1 || skip_notice "$CHROMIUM_BIN not found and apt-get is unavailable."

export DEBIAN_FRONTEND=noninteractive
log "$CHROMIUM_BIN not found; installing Debian package 'chromium'"
apt-get update -qq >&2 || skip_notice "apt-get update failed."
apt-get install -y -qq -o Dpkg::Use-Pty=0 chromium >/dev/null \
    || skip_notice "apt-get install chromium failed."

if [[ -x $CHROMIUM_BIN ]]; then
    print_version
    ensure_vietnamese
    exit 0
fi
skip_notice "package 'chromium' was installed but $CHROMIUM_BIN is still missing."
