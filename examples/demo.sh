#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/demo.sh — the dbidl demo: generated services and clients talking over D-Bus, plus busctl, gdbus and notify-send
# Uses the running session bus when there is one and the demo's names are free; otherwise a private bus.
set -u
top_builddir=${top_builddir:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/bus.sh"
ex=$top_builddir/examples

section() { printf '\n==== %s ====\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

bus_usable() {
        [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && name_has_owner org.freedesktop.DBus &&
                ! name_has_owner org.example.Calculator1 && ! name_has_owner org.freedesktop.Notifications
}
if bus_usable; then
        echo "Using the running session bus: $DBUS_SESSION_BUS_ADDRESS"
else
        start_private_bus
        echo "Started a private session bus: $DBUS_SESSION_BUS_ADDRESS"
fi

section "calculator: org.example.Calculator1, generated skeleton and proxy"
"$ex/calculator/calculator-service" > >(sed -u 's/^/  [service] /') 2>&1 &
DBIDL_PIDS+=($!)
wait_name org.example.Calculator1 || exit 1
show "$ex/calculator/calculator-client" || exit 1
section "calculator driven by tools nobody here wrote"
show busctl --user call org.example.Calculator1 /org/example/Calculator1 org.example.Calculator1 Add ii 40 2
show gdbus call --session -d org.example.Calculator1 -o /org/example/Calculator1 -m org.example.Calculator1.Divide 1 0
show busctl --user get-property org.example.Calculator1 /org/example/Calculator1 org.example.Calculator1 Precision

section "notifications: org.freedesktop.Notifications"
"$ex/notifications/notification-daemon" > >(sed -u 's/^/  [daemon] /') 2>&1 &
DBIDL_PIDS+=($!)
wait_name org.freedesktop.Notifications || exit 1
show "$ex/notifications/notify-client" --timeout=500 "Hello" "from a generated proxy" || exit 1
show "$ex/notifications/notify-client" --close "Closed at once" || exit 1
if command -v notify-send >/dev/null; then
        show notify-send -p -t 500 Hello "from libnotify's notify-send"
fi
sleep 1
section "done"
