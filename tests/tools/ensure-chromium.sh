#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright's own download is not available offline).
set -e
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
echo "Installing Chromium for the browser tests…"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get install -y chromium >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y chromium >/dev/null; }
[ -x "$CHROMIUM" ] || { echo "Chromium is missing at $CHROMIUM; install it (apt-get install chromium)." >&2; exit 1; }
