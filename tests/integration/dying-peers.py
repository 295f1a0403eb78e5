#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/dying-peers.py — callers of rt-service that go away in the middle of things, ROUNDS times
"""Usage: dying-peers.py KIND ROUNDS [BYTES]

Each round opens a connection of its own to the session bus (a caller with a
unique name of its own), does one thing to rt-service (org.dbidl.RuntimeTest1)
and closes the connection without cleaning up, which is what the bus sees of a
client that dies:

  deferred  calls Never (deferred, never answered), then Double on the same
            connection: its answer means that Never was deferred (the service
            handles one connection's calls in order); then goes away.
  big       sends Properties.Set of the Kept interface's Mode (a @stored
            string) with a value of BYTES bytes (default 2 MiB), "round N …"
            so that every value differs, and goes away as soon as the call
            has left, without its answer.  Every 10th round and the last
            wait until Mode holds their value.
  signals   subscribes to the interface's signals (AddMatch), has a Tick sent
            (SendTick), and goes away without RemoveMatch, its Tick never
            dispatched.

Then waits (up to 60 s) until the service has caught up: for deferred, until
Pending is back to what it was and Cancelled has grown by ROUNDS; for signals,
a Ping.  Prints one line that says so, or what it found instead, and exits 0,
or 1 if the service did not catch up.
"""

import sys
import time

import dbus
import dbus.lowlevel

NAME = "org.dbidl.RuntimeTest1"
PATH = "/org/dbidl/RuntimeTest1"
INTERFACE = "org.dbidl.RuntimeTest1"
KEPT_PATH = PATH + "/kept"
KEPT = INTERFACE + ".Kept"
PROPERTIES = "org.freedesktop.DBus.Properties"
SETTLE_SECONDS = 60
PACE = 10


def connect():
        return dbus.bus.BusConnection(dbus.bus.BusConnection.TYPE_SESSION)


def get(bus, path, interface, prop):
        return bus.call_blocking(NAME, path, PROPERTIES, "Get", "ss", [interface, prop], timeout=SETTLE_SECONDS)


def wait_until(what):
        """Call what() until it returns true (every 10 ms, then every 0.1 s) or SETTLE_SECONDS have passed; its last
        result."""
        start = time.monotonic()
        while True:
                done = what()
                elapsed = time.monotonic() - start
                if done or elapsed > SETTLE_SECONDS:
                        return done
                time.sleep(0.01 if elapsed < 1 else 0.1)


def deferred(bus, rounds):
        pending0, cancelled0 = get(bus, PATH, INTERFACE, "Pending"), get(bus, PATH, INTERFACE, "Cancelled")
        for _ in range(rounds):
                caller = connect()
                caller.send_message(dbus.lowlevel.MethodCallMessage(NAME, PATH, INTERFACE, "Never"))
                caller.call_blocking(NAME, PATH, INTERFACE, "Double", "i", [1])
                caller.close()
        state = []

        def caught_up():
                state[:] = [get(bus, PATH, INTERFACE, "Pending"), get(bus, PATH, INTERFACE, "Cancelled")]
                return state == [pending0, cancelled0 + rounds]

        ok = wait_until(caught_up)
        print("deferred: %d callers went away during Never; %s" % (
                rounds, "Pending back to its value, Cancelled grown by %d" % rounds if ok else
                "Pending %d (was %d), Cancelled grown by %d" % (state[0], pending0, state[1] - cancelled0)))
        return ok


def big(bus, rounds, size):
        """Every PACE rounds, and after the last, the round's value must be what Mode holds: the bus would otherwise
        queue all of them for the service (hundreds of MB), and a Get of Mode is as big as a Set."""
        for n in range(rounds):
                value = "round %d " % n
                value += "x" * (size - len(value))
                caller = connect()
                call = dbus.lowlevel.MethodCallMessage(NAME, KEPT_PATH, PROPERTIES, "Set")
                call.append(KEPT, "Mode", dbus.String(value), signature="ssv")
                caller.send_message(call)
                caller.flush()
                caller.close()
                if (n + 1) % PACE and n + 1 < rounds:
                        continue
                got = []

                def caught_up():
                        got[:] = [get(bus, KEPT_PATH, KEPT, "Mode")]
                        return got[0] == value

                if not wait_until(caught_up):
                        print("big: round %d: Mode holds %r… (%d bytes), not the value sent" % (n, got[0][:20],
                                                                                               len(got[0])))
                        return False
        print("big: %d callers went away after a Set of %d bytes; every %dth and the last value stored" % (
                rounds, size, PACE))
        return True


def signals(bus, rounds):
        for n in range(rounds):
                caller = connect()
                caller.add_match_string("type='signal',sender='%s',interface='%s'" % (NAME, INTERFACE))
                caller.call_blocking(NAME, PATH, INTERFACE, "SendTick", "i", [n])
                caller.close()
        bus.call_blocking(NAME, PATH, "org.freedesktop.DBus.Peer", "Ping", "", [])
        print("signals: %d callers went away subscribed, a Tick not dispatched" % rounds)
        return True


def main(argv):
        if len(argv) not in (3, 4) or argv[1] not in ("deferred", "big", "signals"):
                print(__doc__, file=sys.stderr)
                return 2
        kind, rounds = argv[1], int(argv[2])
        bus = connect()
        if kind == "deferred":
                ok = deferred(bus, rounds)
        elif kind == "big":
                ok = big(bus, rounds, int(argv[3]) if len(argv) > 3 else 2 << 20)
        else:
                ok = signals(bus, rounds)
        return 0 if ok else 1


if __name__ == "__main__":
        sys.exit(main(sys.argv))
