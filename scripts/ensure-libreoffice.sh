#!/usr/bin/env bash
# Make sure LibreOffice Calc (soffice) is available for the importer tests that build files the
# way clerks do: re-saved or recalculated by LibreOffice (tests/importers/producers.py).
#
# - Already installed: print its version (stderr) and exit 0.
# - Root with apt-get: install Debian's `libreoffice-calc-nogui` and exit 0.
# - Otherwise: explain that those tests will be skipped; still exit 0.
#
# LibreOffice is NEVER downloaded any other way.
set -uo pipefail

log() { printf 'ensure-libreoffice: %s\n' "$*" >&2; }

found() { command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; }

print_version() {
    local v
    v=$(soffice --version 2>/dev/null | head -n 1)
    log "found ${v:-LibreOffice (version unknown)}"
}

skip_notice() {
    log "$1"
    log "LibreOffice is not available: the tests with LibreOffice-made files will be SKIPPED."
    log "To enable them, install Debian's package as root:"
    log "    apt-get update && apt-get install -y libreoffice-calc-nogui"
    exit 0
}

if found; then
    print_version
    exit 0
fi

((EUID == 0)) || skip_notice "soffice not found and not running as root, so it cannot be installed."
command -v apt-get >/dev/null 2>&1 || skip_notice "soffice not found and apt-get is unavailable."

export DEBIAN_FRONTEND=noninteractive
log "soffice not found; installing Debian package 'libreoffice-calc-nogui'"
apt-get install -y -qq -o Dpkg::Use-Pty=0 libreoffice-calc-nogui >/dev/null 2>&1 \
    || { apt-get update -qq >&2 && apt-get install -y -qq -o Dpkg::Use-Pty=0 \
        libreoffice-calc-nogui >/dev/null; } \
    || skip_notice "apt-get install libreoffice-calc-nogui failed."

if found; then
    print_version
    exit 0
fi
skip_notice "package 'libreoffice-calc-nogui' was installed but soffice is still missing."
