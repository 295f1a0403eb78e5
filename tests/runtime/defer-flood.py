#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/runtime/defer-flood.py — many deferred calls at once: Never or Keep of rt-service from one or many connections
"""Usage: defer-flood.py CONNECTIONS CALLS ERRORS [BYTES]

Opens CONNECTIONS connections of their own to the session bus (each a caller
with its own unique name) and sends CALLS calls of
org.dbidl.RuntimeTest1.Never from each (with BYTES, Keep with an argument of
BYTES bytes), without waiting for them (rt-service defers every one and never
answers).  Once ERRORS error replies have come
(or after 20 s), prints one line per error name, "NAME COUNT", sorted, then
"ready", and keeps every connection open until it is killed: then the
service sees its callers go away.
"""

import sys

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

NAME = "org.dbidl.RuntimeTest1"
PATH = "/org/dbidl/RuntimeTest1"
INTERFACE = "org.dbidl.RuntimeTest1"


def main(argv):
        if len(argv) not in (4, 5):
                print(__doc__, file=sys.stderr)
                return 2
        n_connections, n_calls, n_errors = int(argv[1]), int(argv[2]), int(argv[3])
        data = dbus.ByteArray(b"x" * int(argv[4])) if len(argv) == 5 else None
        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        loop = GLib.MainLoop()
        errors = {}
        connections = []
        reported = []

        def report():
                if reported:
                        return False
                reported.append(True)
                for name in sorted(errors):
                        print(name, errors[name])
                print("ready", flush=True)
                return False

        def on_error(e):
                name = e.get_dbus_name()
                errors[name] = errors.get(name, 0) + 1
                if sum(errors.values()) == n_errors:
                        report()

        def on_reply(*args):
                errors["(a reply)"] = errors.get("(a reply)", 0) + 1

        for _ in range(n_connections):
                bus = dbus.bus.BusConnection(dbus.bus.BusConnection.TYPE_SESSION)
                connections.append(bus)
                proxy = bus.get_object(NAME, PATH, introspect=False)
                for _ in range(n_calls):
                        if data is None:
                                proxy.Never(dbus_interface=INTERFACE, reply_handler=on_reply, error_handler=on_error,
                                            timeout=3600)
                        else:
                                proxy.Keep(data, dbus_interface=INTERFACE, reply_handler=on_reply,
                                           error_handler=on_error, timeout=3600, signature="ay")
        if n_errors == 0:
                # every call is sent once the loop has run a little: one round trip on each connection after them
                GLib.timeout_add(500, report)
        else:
                GLib.timeout_add_seconds(20, report)
        loop.run()
        return 0


if __name__ == "__main__":
        sys.exit(main(sys.argv))
