#!/bin/sh
# The SAML single sign-on needs the XML security library: its headers and pkg-config to build
# the Python package xmlsec, and the xmlsec1 program the local test identity provider signs with.
set -e
if pkg-config --exists xmlsec1 2>/dev/null && command -v xmlsec1 >/dev/null 2>&1; then
  exit 0
fi
echo "Installing the XML security library (libxmlsec1-dev, pkg-config, xmlsec1)…"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
PACKAGES="libxmlsec1-dev pkg-config xmlsec1"
$SUDO apt-get install -y $PACKAGES >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y $PACKAGES >/dev/null; }
pkg-config --exists xmlsec1 || { echo "libxmlsec1-dev is missing; install it (apt-get install $PACKAGES)." >&2; exit 1; }
