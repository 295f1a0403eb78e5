#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/big-inputs.py — calls whose `as`, `a{sv}` or `ai` argument comes near the bus's message limit, each
# timed from sending to the whole reply, against the types example and the notification daemon
"""Usage: big-inputs.py BYTES BOUND

Sends each case below once with an argument of about BYTES bytes on the wire
and waits for its reply, timing the round trip (the building of the message
is not timed, nor is the reading of the reply's values afterwards, which
checks them).  Prints, per case, one line
  CASE: answered within BOUND s, RESULT
or, if the reply took longer, was an error or was wrong,
  CASE: ... (what went wrong)
and a comment line "# CASE: SECONDS s, N elements" with the figures.

  EchoArrays ai     types example, N int32 (4 bytes each), echoed
  EchoArrays as     types example, N strings of 10 characters (16 bytes each), echoed
  EchoDicts a{sv}   types example, N entries "k%09d" → uint32 (24 bytes each), echoed
  Notify as a{sv}   notification daemon, N/2 actions (pairs of strings) and N/2 hints
"""

import sys
import time

import dbus
import dbus.lowlevel

TYPES = ("org.dbidl.Types1", "/org/dbidl/Types1", "org.dbidl.Types1")
NOTIFY = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")


def message(target, member, signature, *args):
        m = dbus.lowlevel.MethodCallMessage(target[0], target[1], target[2], member)
        m.append(*args, signature=signature)
        return m


def cases(size):
        n_ai = size // 4
        n_as = size // 16
        n_dict = size // 24
        strings = dbus.Array(["s%09d" % i for i in range(n_as)], signature="s")
        ints = dbus.Array(range(n_ai), signature="i")
        options = dbus.Dictionary({"k%09d" % i: dbus.UInt32(i) for i in range(n_dict)}, signature="sv")
        empty_d = dbus.Array([], signature="ad")

        def echoed_ai(reply):
                out = reply.get_args_list()[0]
                return len(out) == n_ai and out[0] == 0 and out[-1] == n_ai - 1, n_ai

        def echoed_as(reply):
                out = reply.get_args_list()[2]
                return len(out) == n_as and out[-1] == "s%09d" % (n_as - 1), n_as

        def echoed_dict(reply):
                out = reply.get_args_list()[2]
                last = "k%09d" % (n_dict - 1)
                return len(out) == n_dict and out.get(last) == n_dict - 1, n_dict

        def notified(reply):
                out = reply.get_args_list()
                return len(out) == 1 and out[0] > 0, len(half_strings) + len(half_options)

        yield ("EchoArrays ai",
               message(TYPES, "EchoArrays", "aiayasabaad", ints, dbus.ByteArray(b""), dbus.Array([], signature="s"),
                       dbus.Array([], signature="b"), empty_d), echoed_ai)
        yield ("EchoArrays as",
               message(TYPES, "EchoArrays", "aiayasabaad", dbus.Array([], signature="i"), dbus.ByteArray(b""), strings,
                       dbus.Array([], signature="b"), empty_d), echoed_as)
        yield ("EchoDicts a{sv}",
               message(TYPES, "EchoDicts", "a{uas}a{oa{sv}}a{sv}a{sa{si}}", dbus.Dictionary({}, signature="uas"),
                       dbus.Dictionary({}, signature="oa{sv}"), options, dbus.Dictionary({}, signature="sa{si}")),
               echoed_dict)
        half_strings = dbus.Array(strings[:(n_as // 2) & ~1], signature="s")   # actions come in pairs
        half_options = dbus.Dictionary({"k%09d" % i: dbus.UInt32(i) for i in range(n_dict // 2)}, signature="sv")
        yield ("Notify as a{sv}",
               message(NOTIFY, "Notify", "susssasa{sv}i", "big-inputs", dbus.UInt32(0), "", "big", "inputs",
                       half_strings, half_options, dbus.Int32(-1)), notified)


def main(argv):
        if len(argv) != 3:
                print(__doc__, file=sys.stderr)
                return 2
        size, bound = int(argv[1]), float(argv[2])
        bus = dbus.SessionBus()
        status = 0
        for name, m, check in cases(size):
                start = time.monotonic()
                try:
                        reply = bus.send_message_with_reply_and_block(m, 600)
                        seconds = time.monotonic() - start
                        ok, n = check(reply)
                except dbus.DBusException as e:
                        print("%s: %s: %s" % (name, e.get_dbus_name(), e.get_dbus_message()))
                        status = 1
                        continue
                if not ok:
                        print("%s: answered, but with other values than sent" % name)
                        status = 1
                elif seconds > bound:
                        print("%s: answered in %.2f s, over the bound of %g s" % (name, seconds, bound))
                        status = 1
                else:
                        print("%s: answered within %g s, the values checked" % (name, bound))
                print("# %s: %.3f s, %d elements" % (name, seconds, n))
                sys.stdout.flush()
        return status


if __name__ == "__main__":
        sys.exit(main(sys.argv))
