#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/notifications.sh — the daemon against notify-send, gdbus, dbus-send, python3-dbus, notify-client
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless gdbus dbus-send notify-send /usr/bin/python3
start_private_bus
ex=$top_builddir/examples/notifications
log=$DBIDL_TMP/daemon.log
start_service "$log" $DBIDL_RUN "$ex/notification-daemon"
wait_name org.freedesktop.Notifications || exit 1
D=(-d org.freedesktop.Notifications -o /org/freedesktop/Notifications)

# libnotify's notify-send prints the id it got back
id=$(notify-send -p -t 60000 Hello World 2>&1)
check "notify-send -p prints an id" "1" "$id"
check "daemon printed the summary and the body" 'notification-daemon: serving org.freedesktop.Notifications
notification 1 from "notify-send": "Hello"
  body: World' "$(sed -n 1,3p "$log")"
# notify-send adds its own pid to the hints
check_match "daemon printed the hints (sender-pid: notify-send's pid)" \
        "  hints: \{'urgency': <byte 0x01>, 'sender-pid': <int64 [1-9][0-9]*>\}" "$(sed -n '4,$p' "$log")"

version=$("$DBIDLC" --version)
version=${version#dbidlc }
check "gdbus GetServerInformation" "('dbidl-notification-daemon', 'dbidl', '$version', '1.2')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.Notifications.GetServerInformation 2>&1)"
check "gdbus GetCapabilities" "(['body', 'persistence'],)" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.Notifications.GetCapabilities 2>&1)"

# NotificationClosed with reason 3 after CloseNotification, seen by gdbus monitor
gdbus monitor --session -d org.freedesktop.Notifications >"$DBIDL_TMP/monitor" 2>&1 &
DBIDL_PIDS+=($!)
sleep 0.5
nid=$(gdbus call --session "${D[@]}" -m org.freedesktop.Notifications.Notify gdbus 0 '' 'By gdbus' 'body' '[]' \
        "{'urgency': <byte 2>}" 0 2>&1 | sed -n 's/^(uint32 \([0-9]*\),)$/\1/p')
check "gdbus Notify returns an id" "2" "$nid"
check "gdbus CloseNotification" "()" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.Notifications.CloseNotification "$nid" 2>&1)"
for _ in $(seq 50); do grep -q NotificationClosed "$DBIDL_TMP/monitor" && break; sleep 0.1; done
check_match "gdbus monitor: its header names the daemon's unique name" \
        "Monitoring signals from all objects owned by org\.freedesktop\.Notifications
The name org\.freedesktop\.Notifications is owned by :1\.[0-9]+" "$(sed -n 1,2p "$DBIDL_TMP/monitor")"
check "NotificationClosed (id, reason 3) after CloseNotification" \
        "/org/freedesktop/Notifications: org.freedesktop.Notifications.NotificationClosed (uint32 $nid, uint32 3)" \
        "$(sed -n '3,$p' "$DBIDL_TMP/monitor")"

# CloseNotification of an id that no longer exists (the one just closed) or never did: the specification asks for
# "an empty D-BUS Error message"; the daemon sends InvalidArgs without a message, so the reply has no body (gdbus
# says so, and dbus-send falls back to libdbus's own text for the name), and no NotificationClosed
empty_body="Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: Error return with empty body: "
check "gdbus CloseNotification of a closed id: InvalidArgs, with an empty body" "$empty_body
(According to introspection data, you need to pass 'u')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.Notifications.CloseNotification "$nid" 2>&1)"
check "dbus-send CloseNotification of an id never given out: InvalidArgs, with an empty body" \
        "Error org.freedesktop.DBus.Error.InvalidArgs: Invalid arguments." \
        "$(dbus-send --session --print-reply --dest=org.freedesktop.Notifications /org/freedesktop/Notifications \
                org.freedesktop.Notifications.CloseNotification uint32:4294967295 2>&1)"
check "the daemon printed both refusals" "CloseNotification($nid): no such notification
CloseNotification(4294967295): no such notification" "$(grep '^CloseNotification(' "$log")"
check "no NotificationClosed for them: still the one of notification $nid" \
        "/org/freedesktop/Notifications: org.freedesktop.Notifications.NotificationClosed (uint32 $nid, uint32 3)" \
        "$(sed -n '3,$p' "$DBIDL_TMP/monitor")"

# the expiry timeout: reason 1
check_status "notify-client sees NotificationClosed on expiry" $DBIDL_RUN "$ex/notify-client" --timeout=200 Expiring
check "notify-client: reason 1 after the timeout" "$(printf 'notification id 4\nNotificationClosed id 4 reason 1')" "$($DBIDL_RUN "$ex/notify-client" --timeout=200 Expiring 2>&1)"
check "notify-client --close: reason 3" "$(printf 'notification id 5\nNotificationClosed id 5 reason 3')" "$($DBIDL_RUN "$ex/notify-client" --close Closing 2>&1)"

# python3-dbus as a client
check "python3-dbus Notify and NotificationClosed" "closed 3" "$(/usr/bin/python3 - <<'PY' 2>&1
import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib
DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
n = dbus.Interface(bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications"),
                   "org.freedesktop.Notifications")
loop = GLib.MainLoop()
got = []
def closed(i, reason):
    got.append((int(i), int(reason)))
    loop.quit()
bus.add_signal_receiver(closed, "NotificationClosed", "org.freedesktop.Notifications")
i = n.Notify("py", 0, "", "From python", "", [], {"x-test": dbus.String("v", variant_level=1)}, 0)
n.CloseNotification(i)
GLib.timeout_add(5000, loop.quit)
loop.run()
print("closed %d" % got[0][1] if got and got[0][0] == int(i) else "nothing: %r" % got)
PY
)"
check "daemon is still serving" "('dbidl-notification-daemon', 'dbidl', '$version', '1.2')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.Notifications.GetServerInformation 2>&1)"
finish
