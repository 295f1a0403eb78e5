#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/install-deps.sh — install what building and testing dbidl needs on Debian (as root, or through sudo)
set -e
SUDO=
if [ "$(id -u)" -ne 0 ]; then
        SUDO=sudo
fi
PACKAGES="build-essential autoconf automake libtool pkg-config libsystemd-dev check libyajl-dev libexpat1-dev libglib2.0-dev \
dbus dbus-daemon dbus-bin systemd libglib2.0-bin libnotify-bin python3 python3-dbus python3-gi valgrind xz-utils \
clang libclang-rt-14-dev playerctl python3-dbusmock libglib2.0-dev-bin packagekit \
xdg-desktop-portal-dev network-manager-dev modemmanager-dev socat libsdbus-c++-bin libsdbus-c++-dev libssl-dev"
# packagekit and the three -dev packages above put introspection XML under /usr/share/dbus-1/interfaces/ (about 130
# files: PackageKit, the desktop portals, NetworkManager, ModemManager), which tests/integration/import-xml.sh imports,
# generates, compiles and round-trips, every one of them.  systemd-logind's XML is not among them: Debian's systemd
# installs no introspection XML (bookworm's 252 has no /usr/share/dbus-1/interfaces), so import-xml.sh uses the copy in
# tests/xml/system/ instead.  libsdbus-c++-bin: sdbus-c++-xml2cpp, which make bench-import compares dbidlc with
# libssl-dev: libcrypto, whose SHA-256 (EVP_Digest) the programs of examples/shared-memory print.
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PACKAGES
